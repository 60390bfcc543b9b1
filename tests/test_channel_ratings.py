"""Channel (b): ratings from leverage and coverage on S&P's grid, a spread for each notch, the
investment-grade cliff, and a customer's distress reaching its provider's rating, spread,
refinancing and orders — each step computed by hand."""

from __future__ import annotations

import math

import pytest

from ailoop.model.ratings import IG, NOTCH, anchor, financial_risk, notch_spread
from handbuilt import opening_economy, set_cash


@pytest.mark.parametrize("debt, ebitda, interest, profile", [
    (14.9, 10.0, 0.1, 1), (15.1, 10.0, 0.1, 2),      # debt/EBITDA either side of 1.5x
    (29.9, 10.0, 0.1, 3), (30.1, 10.0, 0.1, 4),      # ... of 3x
    (49.9, 10.0, 0.1, 5), (50.1, 10.0, 0.1, 6),      # ... of 5x
    (1.0, 10.0, 10 / 13.01, 1), (1.0, 10.0, 10 / 12.99, 2),  # EBITDA/interest either side of 13x
    (1.0, 10.0, 10 / 2.01, 5), (1.0, 10.0, 10 / 1.99, 6),    # ... of 2x
    (1.0, 0.0, 0.0, 6), (0.0, -1.0, 0.0, 1)])        # no EBITDA: highly leveraged (unless no debt)
def test_the_financial_risk_profile_is_the_worse_of_leverage_and_coverage(debt, ebitda, interest, profile):
    assert financial_risk(debt, ebitda, interest) == profile


def test_the_anchor_matrix_is_s_and_p_s():
    assert anchor(1, 1) == NOTCH["aaa"] and anchor(1, 6) == NOTCH["bbb-"] == IG
    assert anchor(2, 4) == NOTCH["bbb"] and anchor(2, 5) == NOTCH["bb+"]
    assert anchor(6, 6) == NOTCH["b-"] and anchor(4, 1) == NOTCH["bbb"]


def test_each_notch_has_a_spread_log_linear_between_letter_grades():
    eco = opening_economy()
    p = eco.params
    assert notch_spread(9, p) == pytest.approx(p["rating_spread_bbb"])
    assert notch_spread(12, p) == pytest.approx(p["rating_spread_bb"])
    # BBB- and BB+: a third and two thirds of the way from BBB to BB, in logs
    assert notch_spread(10, p) == pytest.approx(0.0100 * (0.0180 / 0.0100) ** (1 / 3), rel=1e-12)
    assert notch_spread(11, p) == pytest.approx(0.0100 * (0.0180 / 0.0100) ** (2 / 3), rel=1e-12)
    assert notch_spread(21, p) == pytest.approx(p["rating_spread_c"])


def test_the_review_rates_from_the_grid_and_a_forward_year_of_contracted_ebitda():
    """The cloud at the opening, before its first month: its debt, and EBITDA the average of the
    trailing year (none recorded: 0) and the projection: the contracts delivering within the year
    at rating_backlog_margin. By hand from the contracts, then the grid."""
    eco = opening_economy()
    r = eco.ratings
    month, margin = eco.month, eco.params["rating_backlog_margin"]
    new = 0.0
    for c in eco.book.issued_by("cloud", "capacity"):
        due = sum(1 for k in range(12) if month + k >= c.start_month)
        new += c.gw * c.price_per_gw_year * (1 - c.online_gw / c.gw) * due / 12
    assert r.forward_ebitda("cloud", 0.0) == pytest.approx(margin * new, rel=1e-12)
    notch, why = r.assess("cloud")
    debt = eco.ledger.get("cloud", "debt")
    fin = financial_risk(debt, 0.5 * margin * new, 0.0)
    liq = r.liquidity(eco.agent("cloud"), 0.0)
    expected = anchor(eco.params["rating_business_cloud"], fin)
    if liq < 1.0:
        expected = max(expected, NOTCH["b-"])
    elif liq < eco.params["rating_liquidity_less"]:
        expected = max(expected, NOTCH["bb+"])
    assert notch == expected


def test_unpaid_debt_service_is_cc_and_acceleration_c():
    eco = opening_economy()
    from handbuilt import owe_bill
    owe_bill(eco, "cloud", "bond_00", 1.0)
    assert eco.ratings.assess("cloud")[0] == NOTCH["cc"]
    eco.defaults.accelerated["cloud"] = eco.month
    assert eco.ratings.assess("cloud")[0] == NOTCH["c"]


@pytest.mark.parametrize("notch, bids", [(IG, True), (IG + 1, False)])
def test_investment_grade_only_lenders_bid_down_to_bbb_minus_and_not_below(notch, bids):
    eco = opening_economy()
    restricted = [b for b in eco.bond_buyers if b.ig_only]
    share = eco.params["ig_restricted_share"]
    assert len(restricted) == sum(1 for k in range(len(eco.bond_buyers)) if k / (len(eco.bond_buyers) - 1) < share)
    eco.ratings.notch["cloud"] = notch
    ig = eco.credit.investment_grade(eco.agent("cloud"))
    assert all((b.bid(1.0, 0.0, ig) > 0) == bids for b in restricted)
    assert all(b.bid(1.0, 0.0, ig) > 0 for b in eco.bond_buyers if not b.ig_only)


def test_a_fallen_angel_s_bonds_are_sold_by_the_restricted_holders_at_the_finite_buyers_price():
    """Every tradable bond of the cloud that restricted holders own moves to the others, pro rata
    to their room; the price is (1 - 7%) x C (1 - exp(-V/C)) / V of the mark, C = the buyers'
    cash and capacity, V = the bonds at their marks; sellers lose, buyers gain, the difference."""
    eco = opening_economy()
    restricted = {b.aid for b in eco.bond_buyers if b.ig_only}
    bonds = [c for c in eco.book.issued_by("cloud") if c.is_debt and c.tradable and c.holder in restricted]
    face = sum(c.face for c in bonds)
    value = sum(c.face * c.mark for c in bonds)
    room = sum(max(0.0, b.cash) + b.capacity for b in eco.bond_buyers if not b.ig_only)
    price = 0.93 * room * -math.expm1(-value / room) / value
    held_before = sum(c.face for c in eco.book.issued_by("cloud") if c.is_debt and c.tradable)
    debt_before = eco.ledger.get("cloud", "debt")
    sold = eco.credit.fallen_angel_sales(eco.agent("cloud"))
    assert sold == pytest.approx(face, rel=1e-12)
    after = [c for c in eco.book.issued_by("cloud") if c.is_debt and c.tradable]
    assert not any(c.holder in restricted for c in after)
    assert sum(c.face for c in after) == pytest.approx(held_before, rel=1e-12)
    assert eco.ledger.get("cloud", "debt") == pytest.approx(debt_before, rel=1e-12)  # the borrower owes the same
    event = [e for e in eco.events if e["event"] == "forced bond sale"][-1]
    assert f"{price:.1%}" in event["cause"]
    eco.check_books()


def test_a_customer_s_distress_reaches_the_provider_s_rating_spread_refinancing_and_orders():
    """The chain, step by step: the lab's payment odds fall from 1 to 0 -> the cloud's projected
    EBITDA loses the lab contract's revenue within the year -> its leverage category, notch and
    spread -> the investment-grade lenders stop bidding -> its builds for the lab are deferred and
    chip_leader delivers nothing on their order."""
    eco = opening_economy()
    eco.run(years=8 / 12)  # the lab contract delivers from July 2026: within a year now
    r, cloud, lab = eco.ratings, eco.agent("cloud"), eco.agent("lab")
    trailing = eco.fundamentals.trailing("cloud", "ebitda")
    with_lab = r.forward_ebitda("cloud", trailing)
    odds0 = eco.exchange.payment_odds["lab"]  # the odds the market gave the lab until now
    lab.payment_odds = lambda: 0.0  # the market now expects nothing from the lab
    eco.exchange.payment_odds["lab"] = 0.0
    without = r.forward_ebitda("cloud", trailing)
    month, margin = eco.month, eco.params["rating_backlog_margin"]
    lost = sum(c.gw * c.price_per_gw_year * (1 - c.online_gw / c.gw) * sum(1 for k in range(12) if month + k >= c.start_month)
               / 12 for c in eco.book.issued_by("cloud", "capacity") if c.holder == "lab")
    assert with_lab - without == pytest.approx(margin * lost * odds0, rel=1e-9) and lost * odds0 > 0
    debt = eco.ledger.get("cloud", "debt")
    interest = eco.fundamentals.trailing("cloud", "interest")
    assert financial_risk(debt, 0.5 * (trailing + without), interest) >= financial_risk(debt, 0.5 * (trailing + with_lab), interest)
    before = r.notch["cloud"]
    r.review()
    after = r.notch["cloud"]
    assert after == r.assess("cloud")[0] and after >= before
    assert eco.credit.spread(cloud, 0.0) == pytest.approx(notch_spread(after, eco.params), rel=1e-12)
    # refinancing: below investment grade the restricted lenders no longer bid
    r.notch["cloud"] = IG + 1
    ig = eco.credit.investment_grade(cloud)
    assert not any(b.bid(eco.credit.spread(cloud), 0.0, ig) for b in eco.bond_buyers if b.ig_only)
    # orders: with the lab's odds between capex_cancel_odds and capex_defer_odds (0.2), the builds
    # for the lab wait, and chip_leader ships nothing on their orders next month
    lab.payment_odds = lambda: 0.2
    cloud.review_capex()
    for_lab = [pr for pr in cloud.fleet.projects if pr.contract is not None and pr.contract.holder == "lab"
               and pr.online_gw() < pr.gw]
    assert for_lab and all(pr.paused for pr in for_lab)
    eco.month += 1
    deferred = [o for o in eco.agent("chip_leader").queue if o.holder == "cloud" and o.deferred(eco.month)]
    assert deferred and {id(o) for o in deferred} <= {id(pr.order) for pr in for_lab}
    chip = eco.agent("chip_leader")
    before_units = {id(o): o.delivered_units for o in deferred}
    chip.produce_and_deliver()
    assert all(o.delivered_units == before_units[id(o)] for o in deferred)


def test_a_firm_that_cannot_pay_or_refinance_defaults_the_cloud_included():
    """No lender bids, no line is left, no outside buyer takes its shares: a maturity becomes
    arrears, then cross-default, and after the grace period a default — for the cloud as for any firm."""
    eco = opening_economy(equity_desk_pool=0.0)
    set_cash(eco, "cloud", 0.0)
    for b in eco.bond_buyers:
        b.max_leverage = 0.0
    revolver, = eco.book.issued_by("cloud", "revolver")
    revolver.limit = revolver.face
    eco.month = 3
    eco.credit.service()
    assert eco.defaults.debt_arrears("cloud") > 0
    for _ in range(eco.params["default_grace_months"] + 1):
        eco.defaults.covenants()
        eco.defaults.counted_month = -1
        eco.defaults.count_arrears()
    eco.defaults.resolve()
    assert eco.agent("cloud").defaulted
    assert [e for e in eco.events if e["event"] == "default" and e["agent"] == "cloud"]


def _ten_each(eco) -> list:
    """Every bond buyer with 10 $B of room (cash and capacity), sorted by required spread."""
    for b in eco.bond_buyers:
        b.capacity = 10.0 - max(0.0, b.cash)
    return sorted(eco.bond_buyers, key=lambda b: b.required_spread)


@pytest.mark.parametrize("extra, next_buyer", [(0.0, False), (0.01, True)])
def test_an_issue_sells_at_the_notch_spread_while_the_buyers_at_it_can_lend_enough(extra, next_buyer):
    """Investment grade, notch spread just above the sixth-lowest requirement: the six buyers at
    or below it lend 60 $B; 60 sells at the notch spread, 60.01 needs the seventh buyer and its
    requirement."""
    eco = opening_economy()
    buyers = _ten_each(eco)
    s0 = buyers[5].required_spread + 1e-6
    assert buyers[6].required_spread > s0
    got = eco.credit.clearing_spread(60.0 + extra, s0, 0.0, True)
    assert got == (buyers[6].required_spread if next_buyer else s0)


@pytest.mark.parametrize("amount, k", [(10.0, 0), (10.01, 1), (20.0, 1), (20.01, 2)])
def test_a_high_yield_issue_pays_what_the_unrestricted_buyers_require(amount, k):
    """Below investment grade only the unrestricted buyers lend: a notch spread below all their
    requirements clears at the requirement of the k-th of them whose room (10 $B each) covers the
    amount; the cloud's bonds are then sold at that coupon."""
    eco = opening_economy()
    free = [b for b in _ten_each(eco) if not b.ig_only]
    assert free and free[0].required_spread > 0.001
    assert eco.credit.clearing_spread(amount, 0.001, 0.0, False) == free[k].required_spread
    eco.ratings.notch["cloud"] = IG + 1
    cloud = eco.agent("cloud")
    assert eco.credit.spread(cloud) < free[0].required_spread  # BB+ at the opening mood: below them all
    assert eco.credit.leverage(cloud) <= free[k].max_leverage
    n0 = len(eco.credit.issues)
    assert eco.credit.issue(cloud, amount, 60) == pytest.approx(amount, rel=1e-12)
    assert eco.credit.issues[n0]["spread"] == free[k].required_spread
    bonds = [c for c in eco.book.issued_by("cloud") if c.is_debt and c.issued_month == eco.month and c.spread == free[k].required_spread]
    assert sum(c.face for c in bonds) == pytest.approx(amount, rel=1e-12)
    assert all(c.coupon == eco.params["risk_free_rate"] + free[k].required_spread for c in bonds)
