"""The deal book's equity-linked funding (section 3): the cloud's 2026 funding plan and the
neocloud's convertible notes, on the shared instruments (the equity desk, ``model/equity_desk.py``;
the convertibles, ``model/contracts/convertible.py``).

* The cloud's plan for calendar 2026 (announced 1 February 2026; a deal-book event): about half
  debt, a single investment-grade bond, and half equity, mandatory convertible preferred stock and
  an at-the-market programme.

  - The bond (2 February 2026): ``history_cloud_bond_2026`` $B sold to the bond buyers at the
    cloud's spread of the day in seven equal tranches of 3 to 40 years (the split: assumption).
  - The mandatory convertible preferred (closed 5 February 2026): ``history_cloud_mandatory`` $B of
    face sold through the equity desk (``Context.issue_equity(cloud, face x (1 - fee), "mandatory")``)
    at the desk's terms (``mandatory_dividend``, ``mandatory_term_months``, ``mandatory_band``),
    priced on the model's share price of the day.
  - The at-the-market programme: ``history_cloud_atm`` $B of new shares sold through the equity
    desk (``Context.issue_equity(cloud, x, "atm")``) in ``history_cloud_atm_months`` monthly sales,
    mid-month, from March 2026 (the pace: assumption); each sale asks for what is left of the programme over
    the sales left, so what the desk's buyers did not take in one month is asked again in the next.
    The programme stops at its size; what is still unsold after its last sale is not sold.

* The neocloud's convertible notes: ``history_neocloud_convert_2025`` $B (8 December 2025) and
  ``history_neocloud_convert_2026`` $B (9 April 2026, with its senior notes), each maturing
  ``history_neocloud_convert_months`` months later, sold to the bond buyers through
  ``Context.issue_convertible`` (the coupon and conversion price are the model's, from its share
  price and spread of the day; the reported 1.75% and $107.80 are out-of-sample comparisons).

Money in $B, time in months.
"""

from __future__ import annotations

import datetime as dt

from ailoop.model.history.book import event
from ailoop.model.history.credit import bond_issue

#: the cloud's 2026 bond: seven equal tranches of these many years (the split: assumption)
CLOUD_2026_TRANCHE_YEARS = (3, 5, 7, 10, 20, 30, 40)
#: the month of the at-the-market programme's first sale
ATM_START = (2026, 3)


def funding_plan(economy) -> float:
    """The cloud announces its 2026 plan: the $B it plans to raise (bond, preferred, programme)."""
    p = economy.params
    if economy.agent("cloud").defaulted:
        return 0.0
    return p["history_cloud_bond_2026"] + p["history_cloud_mandatory"] + p["history_cloud_atm"]


def cloud_mandatory(economy) -> float:
    """The cloud sells ``history_cloud_mandatory`` $B of face of mandatory convertible preferred
    through the equity desk; returns the $B raised (net of the desk's fee)."""
    p = economy.params
    cloud = economy.agent("cloud")
    face = p["history_cloud_mandatory"]
    if cloud.defaulted or face <= 0:
        return 0.0
    return economy.ctx.issue_equity(cloud, face * (1.0 - p["equity_fee_atm"]), "mandatory")


class AtmProgramme:
    """The cloud's at-the-market programme (one per run): what it has raised so far."""

    def __init__(self) -> None:
        self.raised = 0.0  # $B raised by the programme's sales so far

    def sale(self, k: int, n: int):
        """The ``k``-th of the programme's ``n`` monthly sales (k = 0 .. n-1)."""
        def sell(economy) -> float:
            cloud = economy.agent("cloud")
            left = economy.params["history_cloud_atm"] - self.raised
            if cloud.defaulted or left <= 1e-9:
                return 0.0
            got = economy.ctx.issue_equity(cloud, left / (n - k), "atm")
            self.raised += got
            return got
        return sell


def atm_dates(economy) -> list[dt.date]:
    """The day of each month's sale: the middle of the month (a programme sells through the month)."""
    n = int(economy.params["history_cloud_atm_months"])
    y, m = ATM_START
    return [dt.date(y + (m - 1 + k) // 12, (m - 1 + k) % 12 + 1, 15) for k in range(n)]


def neocloud_convertible(param: str):
    """The neocloud sells ``param`` $B of convertible notes maturing in ``history_neocloud_convert_months``."""
    def issue(economy) -> float:
        neo = economy.agent("neocloud")
        size = economy.params[param]
        if neo.defaulted or size <= 0:
            return 0.0
        return economy.ctx.issue_convertible(neo, size, int(economy.params["history_neocloud_convert_months"]))
    return issue


def deals(economy) -> list:
    p = economy.params
    atm = AtmProgramme()
    dates = atm_dates(economy)
    n = len(dates)
    years = "-".join(str(y) for y in (CLOUD_2026_TRANCHE_YEARS[0], CLOUD_2026_TRANCHE_YEARS[-1]))
    return [
        event(dt.date(2025, 12, 8), f"neocloud convertible notes: ${p['history_neocloud_convert_2025']:,.2f}B, "
              f"{p['history_neocloud_convert_months']} months", neocloud_convertible("history_neocloud_convert_2025"), ()),
        event(dt.date(2026, 2, 1), f"cloud 2026 funding plan: ${p['history_cloud_bond_2026']:,.0f}B bond, "
              f"${p['history_cloud_mandatory']:,.1f}B mandatory convertible preferred, "
              f"${p['history_cloud_atm']:,.0f}B at-the-market programme", funding_plan, (), "deal-book event"),
        event(dt.date(2026, 2, 2), f"cloud bond issue: ${p['history_cloud_bond_2026']:,.0f}B in seven tranches, "
              f"{years} years", bond_issue("cloud", "history_cloud_bond_2026", CLOUD_2026_TRANCHE_YEARS), ()),
        event(dt.date(2026, 2, 5), f"cloud mandatory convertible preferred: ${p['history_cloud_mandatory']:,.1f}B "
              f"at {p['mandatory_dividend']:.2%}", cloud_mandatory, ()),
        *[event(d, f"cloud at-the-market sale {k + 1} of {n}: up to ${p['history_cloud_atm']:,.0f}B in all",
                atm.sale(k, n), ()) for k, d in enumerate(dates)],
        event(dt.date(2026, 4, 9), f"neocloud convertible notes: ${p['history_neocloud_convert_2026']:,.2f}B, "
              f"{p['history_neocloud_convert_months']} months", neocloud_convertible("history_neocloud_convert_2026"), ()),
    ]
