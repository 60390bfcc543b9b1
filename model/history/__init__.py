"""The world as it happened: the 2025-26 deal book as dated events and decisions.

The ``history`` base (``model/scenarios.py``) opens on 1 September 2025 like the baseline and then
replays, on their dates and with the model's own mechanisms, what the deal book records was signed,
lent, invested, delayed and cancelled through mid-2026 — one module per part of the book:

* :mod:`~ailoop.model.history.compute` — compute contracts and chip deals;
* :mod:`~ailoop.model.history.equity` — rounds, strategic stakes, the chipmaker's letter of intent
  and its lapse;
* :mod:`~ailoop.model.history.realestate` — data-centre sites, leases, construction loans, the
  jointly owned vehicle, the delays and the dropped expansion;
* :mod:`~ailoop.model.history.credit` — bonds, contract-backed loans, notes;
* :mod:`~ailoop.model.history.funding` — the cloud's 2026 funding plan (bond, mandatory convertible
  preferred, at-the-market programme) and the neocloud's convertible notes;
* :mod:`~ailoop.model.history.plans` — capex guidance, the lab's compute-plan cut, the book's end;
* :mod:`~ailoop.model.history.opening` — what was already under way in September 2025;
* :mod:`~ailoop.model.history.measures` — the columns only this world records.

The world adds the actors the book needs (``model/roster.py``): ``lab_2``, ``chip_custom``,
``dc_developer``, ``dc_spv`` and ``private_credit``. The two labs share one stream of end-user
demand (``DemandProcess.share``): its level grows at ``history_lab_demand_growth`` while the book
runs (the lab's revenue path is its calibration) and at ``real_demand_growth`` after it. Until the
book ends the labs take no financing or contracting decision of their own, nor do the chipmakers
decide the letters of intent they hold (the book says what they did); after it, every agent decides. Prices, spreads and ratings after September 2025 are never
inputs: they are what the model produces.
"""

from __future__ import annotations

from ailoop.model.history import compute, credit, equity, funding, plans, realestate
from ailoop.model.history.book import BOOK_END, month_of
from ailoop.model.history.measures import HistoryCollector
from ailoop.model.history.opening import open_history
from ailoop.model.worlds import BaselineWorld


class HistoryWorld(BaselineWorld):
    """The ``history`` base world (see the module docstring). Its demand streams are the
    baseline's; ``lab`` is the end users the two labs compete for (``setup`` shares it)."""

    name = "history"
    roster = "history"

    def open(self, economy) -> None:
        open_history(economy)

    def setup(self, economy) -> None:
        """The labs share the ``lab`` stream, which grows at the book's rate until it ends;
        chip_leader's production grows at its filed pace (``history_leader_capacity_growth``), and
        the unmodelled AI demand with it (``history_rest_of_market_growth``: the other buyers' GPU
        orders and the outside renters of idle capacity); the labs and the chipmakers (their
        letters of intent) decide from the book's end. With the
        switches, the hyperscalers' capex guidance stands until then against the capex review's
        return rule (``history_capex_guidance_holds``) and their own demand follows the book's
        path (``history_hyper_demand_path``)."""
        p = economy.params
        economy.demand.share("lab", {"lab": p["history_lab_demand_0"], "lab_2": p["lab_2_demand_0"]},
                             {"lab_2": p["lab_2_appeal_drift"]}, p["lab_share_volatility"])
        economy.demand.set_growth("lab", p["history_lab_demand_growth"])
        economy.agent("chip_leader").capacity_growth = p["history_leader_capacity_growth"]  # plans.book_ends ends it
        demand, w = economy.demand, economy.demand.exposure_of("rest_of_market")  # 0 only with no path (constraints)
        if w > 0:  # the unmodelled AI demand on the filed path too (plans.book_ends ends it)
            demand.set_growth("rest_of_market", p["history_rest_of_market_growth"] / w)
        end = month_of(economy, BOOK_END.year, BOOK_END.month)
        for lab in economy.labs:
            lab.decides_from = end
        for chipmaker in economy.chipmakers:  # their letters of intent too (Chipmaker.decide_intents)
            chipmaker.decides_from = end
        for h in economy.hyperscalers:
            if p["history_capex_guidance_holds"]:  # their guidance stands against the return rule
                h.guided_until = end
            if p["history_hyper_demand_path"]:  # their own demand on the book's path (plans.book_ends ends it)
                economy.demand.set_growth(h.aid, p["history_hyper_demand_growth"] / economy.demand.exposure_of(h.aid))

    def deals(self, economy) -> list:
        return [*compute.deals(economy), *equity.deals(economy), *realestate.deals(economy), *credit.deals(economy),
                *funding.deals(economy), *plans.deals(economy)]

    def collector(self, economy):
        return HistoryCollector(economy)
