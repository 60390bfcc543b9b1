"""The deal book's plans: the hyperscalers' 2026 capex guidance, the lab's compute-plan cut, the
end of the book (section 7 and the plans of section 1).

* Capex guidance (January-February 2026, updated April 2026): each hyperscaler's capex budget for
  2026 is set to its guidance (Microsoft gave no annual figure: its December 2025 quarter x 4); the
  budget then moves as before with the hyperscaler's utilisation and share price and grows at
  ``hyper_capex_growth`` a year from it.
* The neocloud's capex guidance (February 2026): through December 2026 it begins each month a
  twelfth of ``history_capex_neocloud`` less what it begins that month for contracts
  (``Neocloud.build_to_guidance``): capacity built ahead of its contracts, deferred or cancelled by
  its capex review like any build for no customer, and only as far as its GPU lenders fund it.
* The lab's compute plan (February 2026): the lab keeps what it will pay for compute through 2030
  within ``history_lab_compute_plan``, letting lapse the letters of intent it holds
  (``AILab.cut_compute_plan``).
* The end of the book (July 2026): from here the labs decide their rounds, contracts and intents
  (they have since the start of the run for nothing else), chip_leader's production grows at
  ``leader_capacity_growth`` instead of its filed pace, the unmodelled AI demand (other buyers'
  GPU orders, outside renters) along the trend instead of the book's path, and the labs' end-user demand grows at
  ``real_demand_growth`` instead of the book's path - unless a shock has set its growth by then; with
  ``history_hyper_demand_path``, so does the hyperscalers' own demand (times its exposure).
"""

from __future__ import annotations

import datetime as dt

from ailoop.model.history.book import BOOK_END, event, month_of


def capex_guidance(aid: str, param: str):
    """hyper ``aid``'s capex budget from now: ``param`` $B a year."""
    def guide(economy) -> float:
        h = economy.agent(aid)
        annual = economy.params[param]
        if h.defaulted:
            return 0.0
        g = economy.params["hyper_capex_growth"]
        h.capex_annual = annual / (1.0 + g) ** (economy.month / 12.0)  # the budget formula grows it from month 0
        return annual
    return guide


def neocloud_guidance(economy) -> float:
    """The neocloud guides ``history_capex_neocloud`` $B of capex for the rest of 2026."""
    n = economy.agent("neocloud")
    if n.defaulted:
        return 0.0
    n.plan_annual = economy.params["history_capex_neocloud"]
    n.plan_until = month_of(economy, 2026, 12)
    return n.plan_annual


def compute_plan_cut(economy) -> float:
    """The lab cuts its compute plan to ``history_lab_compute_plan`` through December 2030."""
    lab = economy.agent("lab")
    if lab.defaulted:
        return 0.0
    before = lab.compute_plan(month_of(economy, 2030, 12))
    after = lab.cut_compute_plan(economy.params["history_lab_compute_plan"], month_of(economy, 2030, 12))
    return before - after


def book_ends(economy) -> float:
    """The book ends: the labs' end-user demand grows at ``real_demand_growth`` from now, and with
    ``history_hyper_demand_path`` the hyperscalers' own demand too (times their exposure), unless
    a shock has already set its growth; chip_leader's production grows at ``leader_capacity_growth``
    (the baseline's assumption) instead of its filed pace, and the unmodelled AI demand (other
    buyers' GPU orders, outside renters) along the trend (times its exposure) unless a shock has
    set its growth."""
    demand, p = economy.demand, economy.params
    economy.agent("chip_leader").capacity_growth = p["leader_capacity_growth"]
    rest, w = "rest_of_market", demand.exposure_of("rest_of_market")
    if w > 0 and demand.growth_of(rest) == p["history_rest_of_market_growth"] / w:
        demand.set_growth(rest, p["real_demand_growth"])
    if demand.growth_of("lab") == p["history_lab_demand_growth"]:
        demand.set_growth("lab", p["real_demand_growth"])
    if p["history_hyper_demand_path"]:  # the hyperscalers' own demand back on the trend
        for h in economy.hyperscalers:
            if demand.growth_of(h.aid) == p["history_hyper_demand_growth"] / demand.exposure_of(h.aid):
                demand.set_growth(h.aid, p["real_demand_growth"])
    return 0.0


def deals(economy) -> list:
    p = economy.params
    book = "deal-book event"
    return [
        event(dt.date(2026, 1, 28), f"hyper_4 2026 capex guidance: ${p['history_capex_hyper_4']:,.0f}B",
              capex_guidance("hyper_4", "history_capex_hyper_4"), (), book),
        event(dt.date(2026, 1, 28), f"hyper_1 capex: ${p['history_capex_hyper_1']:,.0f}B a year (a quarter x 4)",
              capex_guidance("hyper_1", "history_capex_hyper_1"), (), book),
        event(dt.date(2026, 2, 4), f"hyper_2 2026 capex guidance: ${p['history_capex_hyper_2']:,.0f}B",
              capex_guidance("hyper_2", "history_capex_hyper_2"), (), book),
        event(dt.date(2026, 2, 5), f"hyper_3 2026 capex guidance: ${p['history_capex_hyper_3']:,.0f}B",
              capex_guidance("hyper_3", "history_capex_hyper_3"), (), book),
        event(dt.date(2026, 2, 20), f"lab cuts its compute plan to ${p['history_lab_compute_plan']:,.0f}B through 2030",
              compute_plan_cut, (), book),
        event(dt.date(2026, 2, 26), f"neocloud 2026 capex guidance: ${p['history_capex_neocloud']:,.1f}B",
              neocloud_guidance, (), book),
        event(dt.date(2026, 4, 29), f"hyper_2 raises its 2026 capex guidance to ${p['history_capex_update_hyper_2']:,.0f}B",
              capex_guidance("hyper_2", "history_capex_update_hyper_2"), (), book),
        event(dt.date(2026, 4, 29), f"hyper_4 raises its 2026 capex guidance to ${p['history_capex_update_hyper_4']:,.0f}B",
              capex_guidance("hyper_4", "history_capex_update_hyper_4"), (), book),
        event(BOOK_END, "the deal book ends: the agents decide", book_ends, (), book),
    ]
