"""The deal book's debt (section 3): bonds, the neocloud's contract-backed loans and notes.

* The cloud's $18B of bonds (September 2025, as in the baseline); hyper_4's $30B (October 2025),
  hyper_2's ~$25B (November 2025) and $20B (February 2026) and hyper_3's $15B (November 2025): each
  sold to the bond buyers at the issuer's spread of the day in six equal tranches of 5 to 40 years
  (the split: assumption).
* The neocloud's delayed-draw loans against named contracts: $8.5B against its investment-grade
  customer's contract (hyper_4's; March 2026) and $3.1B against its non-investment-grade customer's
  (the lab's expansion; May 2026), each syndicated among the bond buyers that bid, priced by the
  customer's credit (``CreditMarket.open_facility``); a facility the neocloud had already arranged
  against the same contract counts towards it. Its $1.25B of senior notes due 2031 (April 2026).
"""

from __future__ import annotations

import datetime as dt

from ailoop.model import deals as base
from ailoop.model.contracts import Contract
from ailoop.model.history.book import contract_named, event

TRANCHE_YEARS = (5, 7, 10, 20, 30, 40)


def bond_issue(aid: str, param: str, years: tuple[int, ...] = TRANCHE_YEARS):
    """A bond issue of ``param`` $B by ``aid`` in equal tranches maturing in ``years`` years."""
    def issue(economy) -> float:
        firm = economy.agent(aid)
        size = economy.params[param]
        if firm.defaulted or size <= 0:
            return 0.0
        return sum(economy.credit.issue(firm, size / len(years), 12 * y) for y in years)
    return issue


def facility(contract_name: str, param: str):
    """The neocloud's delayed-draw facility of ``param`` $B against its contract ``contract_name``."""
    def sign(economy) -> float:
        neo = economy.agent("neocloud")
        size = economy.params[param]
        c = contract_named(economy.book.issued_by("neocloud", Contract.gw_due), contract_name)
        if neo.defaulted or c is None or size <= 0:
            return 0.0
        have = sum(x.limit for x in economy.credit.facility("neocloud", c))
        if have > 1e-9:
            economy.record_event("facility signed", "neocloud", f"{have:,.2f} $B already arranged against "
                                 f"{contract_name}: the book's {size:,.2f} $B counts it", have)
        if size - have > 1e-9:
            loans = economy.credit.open_facility(neo, c, size - have)
            return sum(x.limit for x in loans) + have
        return have
    return sign


def neocloud_notes(economy) -> float:
    """The neocloud sells senior notes due 2031 at its spread of the day."""
    neo = economy.agent("neocloud")
    size = economy.params["history_neocloud_notes_2026"]
    if neo.defaulted or size <= 0:
        return 0.0
    return economy.credit.issue(neo, size, 60)


def deals(economy) -> list:
    p = economy.params
    return [
        event(dt.date(2025, 9, 24), f"cloud bond issue: ${p['cloud_bond_issue']:,.0f}B in six tranches, 5-40 years",
              base.cloud_bond_issue, ()),
        event(dt.date(2025, 10, 30), f"hyper_4 bond issue: ${p['history_bond_hyper_4']:,.0f}B, 5-40 years",
              bond_issue("hyper_4", "history_bond_hyper_4"), ()),
        event(dt.date(2025, 11, 3), f"hyper_2 bond issue: ${p['history_bond_hyper_2']:,.0f}B",
              bond_issue("hyper_2", "history_bond_hyper_2"), ()),
        event(dt.date(2025, 11, 17), f"hyper_3 bond issue: ${p['history_bond_hyper_3']:,.0f}B",
              bond_issue("hyper_3", "history_bond_hyper_3"), ()),
        event(dt.date(2026, 2, 9), f"hyper_2 bond issue: ${p['history_bond_hyper_2_2026']:,.0f}B",
              bond_issue("hyper_2", "history_bond_hyper_2_2026"), ()),
        event(dt.date(2026, 3, 31), f"neocloud facility against its hyper_4 contract: ${p['history_ddtl4']:,.1f}B",
              facility("neocloud-hyper_4", "history_ddtl4"), ("neocloud",)),
        event(dt.date(2026, 4, 9), f"neocloud senior notes: ${p['history_neocloud_notes_2026']:,.2f}B due 2031",
              neocloud_notes, ()),
        event(dt.date(2026, 5, 18), f"neocloud facility against its lab contract: ${p['history_ddtl5']:,.1f}B",
              facility("neocloud-lab expansion", "history_ddtl5"), ("neocloud",)),
    ]
