"""Collateral calls, covenants and cross-default, each tested on both sides of its limit with
numbers computed by hand on a hand-built opening economy (``tests/handbuilt.py``).

The common situation: chip_leader's new-GPU price is set to $72k, the spot rent to its reference
and no fire sale has happened, so a GPU of the opening fleets (12 months old, 72-month life) is
worth 72 x (1 - 12/72) = $60k used.
"""

from __future__ import annotations

import math

import pytest

from handbuilt import debts, events, opening_economy, owe_bill, set_cash, set_gpu_prices, set_total_face, the_event

NEW_PRICE = 72.0  # $ thousand per GPU
USED_PRICE = 60.0  # = 72 x (1 - 12 / 72), by hand


# ---------------------------------------------------------------------------- GPU-backed loans
def neocloud_with_gpu_loans(total_face: float, cash: float | None = None):
    """The neocloud with its secured debt as pooled GPU loans (``contract_backed_loans`` off: ten
    loans, LTV limit 0.8 against its whole fleet of 0.6 GW x 0.45 = 0.27 million GPUs), their face
    brought to ``total_face`` $B."""
    eco = opening_economy(contract_backed_loans=False)
    assert set_gpu_prices(eco, NEW_PRICE) == pytest.approx(USED_PRICE)
    loans = debts(eco, "neocloud", "gpu_loan")
    assert len(loans) == 10 and all(c.ltv_limit == 0.8 for c in loans)
    assert eco.agent("neocloud").fleet.units() == pytest.approx(0.27)
    set_total_face(eco, loans, total_face)
    if cash is not None:
        set_cash(eco, "neocloud", cash)
    return eco, loans


# the fleet at the used price: 0.27 x 60 = 16.2 $B; the loans may be 0.8 x 16.2 = 12.96 $B
GPU_LOAN_LIMIT = 0.8 * 0.27 * USED_PRICE


def test_gpu_loans_just_below_their_ltv_limit_are_not_called():
    eco, loans = neocloud_with_gpu_loans(12.7)  # 12.7 < 12.96
    cash = eco.ledger.cash("neocloud")
    eco.defaults.margin_calls()
    assert not events(eco, "margin call", "neocloud")
    assert sum(c.face for c in loans) == pytest.approx(12.7, abs=1e-12)
    assert eco.ledger.cash("neocloud") == pytest.approx(cash, abs=1e-12)


def test_gpu_loans_just_above_their_ltv_limit_are_called_and_paid_down_from_cash():
    eco, loans = neocloud_with_gpu_loans(13.2)  # 13.2 > 12.96: a call of 0.24 $B
    assert GPU_LOAN_LIMIT == pytest.approx(12.96)
    cash = eco.ledger.cash("neocloud")
    assert cash > 0.24
    eco.defaults.margin_calls()
    call = the_event(eco, "margin call", "neocloud")
    assert call["size"] == pytest.approx(0.24, abs=1e-9)
    assert sum(c.face for c in loans) == pytest.approx(12.96, abs=1e-9)
    assert eco.ledger.cash("neocloud") == pytest.approx(cash - 0.24, abs=1e-9)
    assert not events(eco, "GPU fire sale")
    eco.check_books()


def test_a_gpu_margin_call_without_cash_fire_sells_just_enough_gpus():
    """No cash: GPUs are sold into the used market at P = $60k (depth D = 2.5 million GPUs,
    exponential impact): q units raise P D (1 - exp(-q / D)) = 0.24 $B, so exp(-q / D) = 1 -
    0.24 / 150, and a 12-month-old GPU is then worth 60 x (1 - 0.0016) = $59.904k."""
    eco, loans = neocloud_with_gpu_loans(13.2, cash=0.0)
    units = eco.agent("neocloud").fleet.units()
    eco.defaults.margin_calls()
    q = -2.5 * math.log(1.0 - 0.24 / (USED_PRICE * 2.5))
    sale = the_event(eco, "GPU fire sale", "neocloud")
    assert sale["size"] == pytest.approx(0.24, abs=1e-9)
    assert units - eco.agent("neocloud").fleet.units() == pytest.approx(q, rel=1e-9)
    assert sum(c.face for c in loans) == pytest.approx(12.96, abs=1e-9)
    assert eco.gpu_market.used_price_at(12) == pytest.approx(59.904, rel=1e-9)


# ---------------------------------------------------------------------------- the levered fund
def levered_fund_owing(total: float):
    """vc_levered with its margin loan drawn to ``total`` $B. Its book, from the opening table:
    4% of the lab's 1bn shares at $500 (20.0) + 0.03bn chip_leader shares at $176.5 (5.295) + 150
    of holdings outside the loop = 175.295 $B; the margin call LTV is 0.35: limit 61.35325 $B."""
    eco = opening_economy()
    p = eco.params
    book = (p["open_lab_share_vc_levered"] * p["open_shares_lab"] * p["open_price_lab"]
            + p["open_leader_shares_vc_levered"] * p["open_price_chip_leader"] + p["open_other_assets_vc_levered"])
    assert book == pytest.approx(175.295) and p["margin_call_ltv"] == 0.35
    set_total_face(eco, debts(eco, "vc_levered"), total)
    return eco


def test_the_levered_fund_just_within_its_margin_ltv_is_not_called():
    eco = levered_fund_owing(60.7)  # < 61.35325
    shares = eco.book.stake("vc_levered", "chip_leader").shares
    eco.defaults.margin_calls()
    assert not events(eco, "margin call", "vc_levered")
    assert eco.book.stake("vc_levered", "chip_leader").shares == shares
    assert sum(c.face for c in debts(eco, "vc_levered")) == pytest.approx(60.7, abs=1e-12)


def test_the_levered_fund_just_beyond_its_margin_ltv_sells_listed_shares():
    """62.0 > 61.35325: a call of 0.64675 $B; it sells the call plus the 10% cushion of its listed
    shares (chip_leader at $176.5; the lab is private) as a block to the equity desk's buyers, and
    repays its margin loan with its cash and what the block fetched: V = 0.711425 $B at the price
    less the block discount (3%) and the volume's own, 0.97 x C (1 - exp(-V / C)) against the
    desk's capacity for chip_leader C = min(5% of its market value, the 40 $B pool) x the mood."""
    eco = levered_fund_owing(62.0)
    shares = eco.book.stake("vc_levered", "chip_leader").shares
    cash = eco.ledger.cash("vc_levered")
    p, mood = eco.params, eco.equity_desk.mood()
    cap = min(0.05 * eco.agent("chip_leader").shares * 176.5, 40.0) * mood
    assert (p["equity_discount_block"], p["equity_desk_firm_share"], p["equity_desk_pool"]) == (0.03, 0.05, 40.0)
    eco.defaults.margin_calls()
    call = the_event(eco, "margin call", "vc_levered")
    assert call["size"] == pytest.approx(62.0 - 61.35325, abs=1e-9)
    sold = 0.64675 * 1.1
    fetched = 0.97 * cap * (1.0 - math.exp(-sold / cap))
    assert 0.95 * sold < fetched < 0.97 * sold
    assert shares - eco.book.stake("vc_levered", "chip_leader").shares == pytest.approx(sold / 176.5, rel=1e-9)
    assert sum(c.face for c in debts(eco, "vc_levered")) == pytest.approx(62.0 - (cash + fetched), abs=1e-9)
    eco.check_books()


# ---------------------------------------------------------------------------- contract-loan covenants
def lab_facility(eco):
    """The neocloud's opening facility against its contract with the lab (ten lender shares)."""
    loans = [c for c in debts(eco, "neocloud", "contract_loan") if c.backing.holder == "lab"]
    assert len(loans) == 10
    return loans


def neocloud_facility(total_face: float, cash: float | None = None):
    """The facility's face brought to ``total_face``; its collateral set to 0.1 million GPUs
    installed 12 months ago: 0.1 x 60 = 6.0 $B, so the LTV covenant (0.8) allows 4.8 $B."""
    eco = opening_economy()
    set_gpu_prices(eco, NEW_PRICE)
    loans = lab_facility(eco)
    assert all(c.ltv_limit == 0.8 and c.min_dscr == 1.2 for c in loans)
    for c in loans:
        c.collateral_units, c.collateral_month = 0.01, eco.month - 12
    set_total_face(eco, loans, total_face)
    if cash is not None:
        set_cash(eco, "neocloud", cash)
    return eco, loans


def test_a_contract_loan_just_within_its_ltv_covenant_is_left_alone():
    eco, loans = neocloud_facility(4.7)
    eco.defaults.covenants()
    assert not events(eco, "covenant breach") and not events(eco, "event of default")
    assert sum(c.face for c in loans) == pytest.approx(4.7, abs=1e-12)


def test_a_contract_loan_just_beyond_its_ltv_covenant_is_cured_by_a_prepayment():
    eco, loans = neocloud_facility(4.9)  # 4.9 > 4.8: cure 0.1 $B
    cash = eco.ledger.cash("neocloud")
    eco.defaults.covenants()
    breach = the_event(eco, "covenant breach", "neocloud")
    assert breach["size"] == pytest.approx(0.1, abs=1e-9)
    assert sum(c.face for c in loans) == pytest.approx(4.8, abs=1e-9)
    assert eco.ledger.cash("neocloud") == pytest.approx(cash - 0.1, abs=1e-9)
    assert not events(eco, "event of default")


@pytest.mark.parametrize("cash, cured", [(0.11, True), (0.09, False)])
def test_a_covenant_breach_is_cured_only_if_the_cash_covers_the_cure(cash, cured):
    """The cure is 0.1 $B: 0.11 of cash cures it; with 0.09 the lenders enforce (repossession,
    cash sweep, acceleration)."""
    eco, loans = neocloud_facility(4.9, cash=cash)
    eco.defaults.covenants()
    assert bool(events(eco, "covenant breach", "neocloud")) is cured
    assert bool(events(eco, "event of default", "neocloud")) is not cured
    if cured:
        assert sum(c.face for c in loans) == pytest.approx(4.8, abs=1e-9)
    else:
        assert sum(c.face for c in loans) == pytest.approx(0.0, abs=1e-9)  # accelerated


def delivering_facility(price_per_gw_year: float):
    """DSCR: the backing contract (0.24 GW) delivers all of its GW with 9.76 GW-months left, so the
    month's principal is 0.24 / (9.76 + 0.24) = 2.4% of the face; the facility owes 3.0 $B at 12%
    (0.03 $B interest a month): debt service 0.03 + 0.072 = 0.102 $B a month; the covenant needs
    the contract's bill, 0.24 x price / 12, to be at least 1.2 x 0.102 = 0.1224 $B: a price of at
    least 6.12 $B per GW-year (the collateral, 6.0 $B, keeps the LTV covenant out of it)."""
    eco, loans = neocloud_facility(3.0)
    b = loans[0].backing
    b.gw, b.term_months, b.gw_months_delivered, b.online_gw, b.take_or_pay = 0.24, 60, 14.4 - 9.76, 0.24, 1.0
    b.price_per_gw_year = price_per_gw_year
    for c in loans:
        c.coupon = 0.12
    return eco, loans


def test_a_backing_contract_paying_just_enough_keeps_the_dscr_covenant():
    eco, loans = delivering_facility(6.2)  # coverage 0.124 / 0.102 = 1.216
    eco.defaults.covenants()
    assert not events(eco, "covenant breach") and not events(eco, "event of default")
    assert sum(c.face for c in loans) == pytest.approx(3.0, abs=1e-12)


def test_a_backing_contract_paying_just_too_little_breaks_the_dscr_covenant():
    """Price 6.0: coverage 0.12 / 0.102 = 1.176 < 1.2; the cure is the prepayment that restores
    1.2 (service scales with the face): 3.0 x (1 - 0.12 / 0.1224) = 0.0588235 $B."""
    eco, loans = delivering_facility(6.0)
    eco.defaults.covenants()
    breach = the_event(eco, "covenant breach", "neocloud")
    cure = 3.0 * (1.0 - 0.12 / 0.1224)
    assert breach["size"] == pytest.approx(cure, rel=1e-9)
    assert sum(c.face for c in loans) == pytest.approx(3.0 - cure, rel=1e-9)


# ---------------------------------------------------------------------------- cross-default
@pytest.mark.parametrize("owed, month_of_cross_default", [(0.049, None), (0.051, 2)])
def test_unpaid_debt_service_cross_defaults_after_the_cure_period(owed, month_of_cross_default):
    """The neocloud owes its noteholder interest it did not pay. Arrears above the 0.05 $B
    tolerance that last more than ``cross_default_cure_months`` (1) — i.e. at the second monthly
    test — accelerate all its debt; 0.049 $B is within the tolerance and never does."""
    eco = opening_economy()
    p = eco.params
    assert p["default_arrears_tolerance"] == 0.05 and p["cross_default_cure_months"] == 1
    notes = [c for c in debts(eco, "neocloud", "bond")]
    owe_bill(eco, "neocloud", notes[0].holder, owed)
    seen = None
    for month in range(1, 5):
        eco.month = month
        eco.defaults.covenants()
        if events(eco, "cross-default", "neocloud") and seen is None:
            seen = month
    assert seen == month_of_cross_default
    if seen is not None:
        assert sum(c.face for c in debts(eco, "neocloud")) == pytest.approx(0.0, abs=1e-9)  # all of it accelerated
