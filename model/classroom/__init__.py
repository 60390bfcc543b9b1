"""The classroom app's pieces that do not need a browser (``model/app.py`` is the page).

* :mod:`~ailoop.model.classroom.settings` — the controls: scenarios, the headline dials with the
  parameter table's ranges and units, the seed, the stride, the event buttons' shocks;
* :mod:`~ailoop.model.classroom.session` — one economy per browser session, stepped and shocked
  under a lock, and the :class:`~ailoop.model.classroom.session.Snapshot` the views draw from;
* :mod:`~ailoop.model.classroom.network` — the loop as a network (firms, contracts, cash paid);
* :mod:`~ailoop.model.classroom.charts` — the time-series and bar charts (matplotlib figures);
* :mod:`~ailoop.model.classroom.ticker` — the event ticker.

Units as everywhere in the model: money in $ billions, capacity in GW, GPU prices in $ thousand
per GPU, rent in $ per GPU-hour, time in trading days (21 a month).
"""
