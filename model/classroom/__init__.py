"""The classroom app's pieces that do not need a browser (``model/app.py`` is the page).

* :mod:`~ailoop.model.classroom.settings` — the controls: scenarios, the headline dials with the
  parameter table's ranges and units, the seed, the stride, the speed, the event buttons' shocks
  and when a button is refused;
* :mod:`~ailoop.model.classroom.recipe` — a run's recipe (settings, seed, shocks and their dates,
  day reached) and its form in the page's address;
* :mod:`~ailoop.model.classroom.session` — one economy rebuilt from its recipe, stepped and shocked
  between trading days, its counterfactual, and the
  :class:`~ailoop.model.classroom.session.Snapshot` the views draw (and the monitors);
* :mod:`~ailoop.model.classroom.workers` — the economies stepped in worker processes;
* :mod:`~ailoop.model.classroom.player` — Play, paced by the clock and by the browser's drawing;
* :mod:`~ailoop.model.classroom.network` — the loop as a network (firms, contracts, cash paid);
* :mod:`~ailoop.model.classroom.charts` — the time-series and bar charts (ECharts options);
* :mod:`~ailoop.model.classroom.palette` — one palette, a firm's colour for good;
* :mod:`~ailoop.model.classroom.ticker` — the event ticker, grouped;
* :mod:`~ailoop.model.classroom.lesson` — the Info panel, the glossary, the scenarios and shocks
  in words, the guided tour;
* :mod:`~ailoop.model.classroom.downloads` — the run's tables as CSV or Parquet files;
* :mod:`~ailoop.model.classroom.widgets` — two browser-side pieces (the drawing heartbeat, the
  address kept in step);
* :mod:`~ailoop.model.classroom.notebook` — helpers of the teaching notebooks (claims over seeds
  with their spread, a decision rule swapped for a lesson).

Units as everywhere in the model: money in $ billions, capacity in GW, GPU prices in $ thousand
per GPU, rent in $ per GPU-hour, time in trading days (21 a month).
"""
