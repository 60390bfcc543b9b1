"""The maturity wall: each firm's debt is a schedule of dated tranches, and a maturity the firm
cannot pay from cash is refinanced at the day's spread if bond buyers take the issue, drawn on its
revolving credit line if they do not, and otherwise becomes arrears to its lenders."""

from __future__ import annotations

import pytest

from ailoop.model import Economy


def cloud_without_cash(**kw) -> Economy:
    eco = Economy(seed=1, checks=False, **kw)
    eco.ledger.pay_external("cloud", "operating_costs", eco.ledger.cash("cloud"), "retained", "non-AI business costs")
    return eco


def service_at(eco: Economy, month: int) -> float:
    """Service every debt due in ``month``; returns what the cloud owed that month."""
    eco.month = month
    due = sum(sum(c.service_due(month)) for c in eco.book.issued_by("cloud") if c.is_debt)
    eco.credit.service()
    return due


def test_the_opening_debt_is_a_ladder_of_dated_tranches():
    """The cloud's $105B: what falls due within a year (filed: $105B less $96B long-term) in
    quarterly tranches, the long-term debt maturing every year from year 2 and in 20- to 40-year
    bonds, and an undrawn revolving line; the $18B issue of September 2025 in six tranches."""
    eco = Economy(seed=1, checks=False)
    p = eco.params
    bonds = eco.book.issued_by("cloud", "bond")
    by_month: dict[int, float] = {}
    for c in bonds:
        by_month[c.maturity_month] = by_month.get(c.maturity_month, 0.0) + c.face
    assert sum(v for m, v in by_month.items() if m <= 12) == pytest.approx(p["open_debt_cloud"] - 96.0, rel=1e-9)
    assert sorted(m for m in by_month if m > 12) == [12 * y for y in range(2, p["debt_ladder_years"] + 1)] + [240, 360, 480]
    assert sum(by_month[m] for m in (240, 360, 480)) == pytest.approx(96.0 * p["long_bond_share"], rel=1e-9)
    revolver, = eco.book.issued_by("cloud", "revolver")
    assert revolver.face == 0 and revolver.commitment() == p["open_revolver_cloud"]
    eco.run(years=1 / 12)  # the September 2025 issue
    issue = [r for r in eco.credit.issues if r["issuer"] == "cloud" and r["sought"] == p["cloud_bond_issue"] / 6]
    assert len(issue) == 6 and all(r["raised"] == r["sought"] for r in issue)
    new = {c.maturity_month for c in eco.book.issued_by("cloud", "bond") if c.issued_month == 0}
    assert {12 * y for y in (5, 7, 10, 20, 30, 40)} <= new


def test_a_maturity_bond_buyers_will_not_refinance_is_drawn_on_the_revolver_then_becomes_arrears():
    eco = cloud_without_cash()
    for b in eco.bond_buyers:  # every lender at its leverage limit: nobody bids for the cloud's bonds
        b.max_leverage = 0.0
    revolver, = eco.book.issued_by("cloud", "revolver")
    drawn, owed = [], []
    for month in (3, 6, 9):
        due = service_at(eco, month)
        issue = eco.credit.issues[-1]
        assert issue["issuer"] == "cloud" and issue["raised"] == 0.0 and issue["sought"] == pytest.approx(due)
        drawn.append(revolver.face)
        owed.append(eco.defaults.debt_arrears("cloud"))
    assert drawn[0] > 0 and owed[0] == 0.0  # the first maturity: all on the revolver
    assert drawn[1] > drawn[0] and owed[1] == 0.0
    assert drawn[2] == pytest.approx(revolver.limit) and owed[2] > 0  # the line is used up: arrears
    kinds = [e["event"] for e in eco.events if e["agent"] == "cloud"]
    assert kinds.count("revolver draw") == 3 and kinds[-1] == "debt service unpaid"
    # arrears to its lenders past the cure period accelerate the rest (cross-default)
    eco.defaults.covenants()
    eco.defaults.covenants()
    assert eco.defaults.in_event_of_default("cloud")


def test_the_same_maturity_refinances_when_bond_buyers_have_room():
    eco = cloud_without_cash()
    revolver, = eco.book.issued_by("cloud", "revolver")
    due = service_at(eco, 3)
    issue = eco.credit.issues[-1]
    assert issue["issuer"] == "cloud" and issue["raised"] == pytest.approx(due)
    assert revolver.face == 0.0 and eco.defaults.debt_arrears("cloud") == 0.0
    new = [c for c in eco.book.issued_by("cloud", "bond") if c.issued_month == 3]
    assert sum(c.face for c in new) == pytest.approx(due)
    assert {c.maturity_month for c in new} == {3 + eco.params["bond_maturity_months"]}
    assert all(c.spread == pytest.approx(issue["spread"]) for c in new)  # at the day's spread
