"""Convertibles carry their own rules: mandatory convertible preferred stock (dividends paid or
owed, conversion within its price band, a preference before the common shares at default) and
convertible notes (a coupon lowered by the option, conversion at maturity only when the shares
are worth more than the face, marked at least at the shares). Expected figures by hand."""

from __future__ import annotations

import math

import pytest
from scipy.optimize import brentq
from scipy.stats import norm

from ailoop.model.contracts import ConvertibleNote, MandatoryConvertible, issue_mandatory
from handbuilt import opening_economy, set_cash

FACE = 10.0


def with_preferred(months: int = 3, holder: str = "vc_1", price: float = 100.0):
    """The opening economy, the cloud at ``price``, and 10 $B of 6% mandatory convertible preferred
    bought by ``holder`` at $100-$125."""
    eco = opening_economy()
    cloud = eco.agent("cloud")
    cloud.price = price
    if holder in eco.ledger.index:
        set_cash(eco, holder, FACE + 5.0)
    c = issue_mandatory(eco.ctx, cloud, holder, FACE, dividend_rate=0.06, months=months, initial_price=100.0,
                        threshold_price=125.0)
    return eco, cloud, c


@pytest.mark.parametrize("price, shares", [(80.0, 0.1), (100.0, 0.1), (99.99, 0.1), (100.01, FACE / 100.01),
                                           (110.0, FACE / 110.0), (124.99, FACE / 124.99), (125.0, 0.08),
                                           (150.0, 0.08)])
def test_the_conversion_band(price, shares):
    c = MandatoryConvertible(holder="x", issuer="cloud", face=FACE, initial_price=100.0, threshold_price=125.0)
    assert c.shares_at(price) == pytest.approx(shares, rel=1e-12)


def test_a_band_upside_down_is_refused_in_one_line():
    with pytest.raises(ValueError, match=r"^MandatoryConvertible : initial price 130.0 and threshold price 125.0 "
                                         r"are not allowed; allowed: 0 < initial price <= threshold price \(\$/share\)$"):
        MandatoryConvertible(holder="x", issuer="cloud", face=FACE, initial_price=130.0, threshold_price=125.0)


def test_issue_moves_cash_into_paid_in_and_books_the_holders_asset():
    eco, cloud, c = with_preferred()
    assert eco.ledger.cash("vc_1") == pytest.approx(5.0, abs=1e-12)
    assert eco.ledger.get("vc_1", "equity_stakes") - sum(
        s.holder_value() for s in eco.book.held_by("vc_1", "equity")) == pytest.approx(FACE, abs=1e-9)
    eco.check_books()


def test_dividends_are_paid_when_the_cash_is_there_and_owed_otherwise_never_as_arrears():
    eco, cloud, c = with_preferred(months=6)
    ctx = eco.ctx
    eco.month = 1
    set_cash(eco, "cloud", 1.0)
    c.settle(ctx)  # 10 x 6% / 12 = 0.05
    assert eco.ledger.cash("vc_1") == pytest.approx(5.05, abs=1e-12)
    eco.month = 2
    set_cash(eco, "cloud", 0.04)  # short of 0.05: owed, not arrears
    payables = eco.ledger.get("cloud", "payables")
    c.settle(ctx)
    assert c.unpaid_dividends == pytest.approx(0.05, abs=1e-12)
    assert eco.ledger.get("cloud", "payables") == payables
    assert eco.ledger.cash("vc_1") == pytest.approx(5.05, abs=1e-12)
    eco.month = 3
    set_cash(eco, "cloud", 0.10)  # exactly this month's and last month's
    c.settle(ctx)
    assert c.unpaid_dividends == 0.0
    assert eco.ledger.cash("vc_1") == pytest.approx(5.15, abs=1e-12)
    eco.check_books()


def test_conversion_at_maturity_gives_the_band_s_shares_plus_owed_dividends_in_shares():
    eco, cloud, c = with_preferred(months=3)
    eco.month = 3
    set_cash(eco, "cloud", 0.0)  # the month's dividend is owed, then paid in shares
    cloud.price = 110.0
    before = cloud.shares
    c.settle(eco.ctx)
    n = (FACE + 0.05) / 110.0
    assert not c.active
    assert cloud.shares - before == pytest.approx(n, rel=1e-12)
    assert eco.book.stake("vc_1", "cloud").shares == pytest.approx(n, rel=1e-12)
    eco.check_books()


def test_conversion_to_outside_holders_grows_the_float():
    eco, cloud, c = with_preferred(months=3, holder="other_shareholders")
    eco.month = 3
    cloud.price = 140.0  # above the threshold: the fewest shares
    float_before = eco.ctx.outside_shares(cloud)
    c.settle(eco.ctx)  # the cloud has the cash for the dividend
    assert eco.ctx.outside_shares(cloud) - float_before == pytest.approx(FACE / 125.0, rel=1e-12)
    eco.check_books()


@pytest.mark.parametrize("left, to_preferred", [(6.0, 6.0), (10.0, 10.0), (16.0, 10.0)])
def test_at_default_the_preferred_holder_is_paid_before_the_common_shares(left, to_preferred):
    """What is left after the creditors pays the preference first, the common shares the rest."""
    eco, cloud, c = with_preferred()
    set_cash(eco, "vc_1", 0.0)
    set_cash(eco, "cloud", left)
    eco.defaults._pay_owners(cloud)
    assert eco.ledger.cash("vc_1") == pytest.approx(to_preferred, abs=1e-9)
    assert cloud.recovery_per_share == pytest.approx((left - to_preferred) / cloud.shares, abs=1e-12)
    assert not c.active
    eco.ledger.check(reconcile=True)  # every balance against the registries (the market sectors are not run here)


def bs_call(s, k, t, r, v):
    d1 = (math.log(s / k) + (r + v * v / 2) * t) / (v * math.sqrt(t))
    return s * norm.cdf(d1) - k * math.exp(-r * t) * norm.cdf(d1 - v * math.sqrt(t))


@pytest.mark.parametrize("months, vol", [(24, 0.25), (60, 0.6)])
def test_a_convertible_note_sells_at_par_with_the_option_taken_off_its_coupon(months, vol):
    """Short and calm: the coupon is the straight one less the option (conversion at +30%); long
    and volatile: the option is worth more than the straight coupon, the coupon is nil and the
    conversion price the one at which the option is worth exactly the straight coupon."""
    eco = opening_economy(convertible_volatility=vol)
    cloud = eco.agent("cloud")
    price, debt = cloud.price, cloud.debt
    spread = eco.credit.spread(cloud)
    raised = eco.ctx.issue_convertible(cloud, 5.0, months)
    notes = eco.book.issued_by("cloud", "convertible_note")
    assert raised == pytest.approx(5.0, abs=1e-9)
    assert cloud.debt - debt == pytest.approx(5.0, abs=1e-9)
    t, r = months / 12, 0.042
    y = r + spread
    annuity = (1 - math.exp(-y * t)) / y
    straight = y - bs_call(price, 1.3 * price, t, r, vol) / (1.3 * price) / annuity
    if months == 24:
        assert straight > 0
        assert all(n.coupon == pytest.approx(straight, rel=1e-9) for n in notes)
        assert all(n.conversion_price == pytest.approx(1.3 * price, rel=1e-12) for n in notes)
    else:
        assert straight < 0
        k = brentq(lambda k: y * annuity - bs_call(price, k, t, r, vol) / k, 1.3 * price, 100 * price)
        assert all(n.coupon == pytest.approx(0.0, abs=1e-9) for n in notes)
        assert all(n.conversion_price == pytest.approx(k, rel=1e-6) for n in notes)
    eco.check_books()


@pytest.mark.parametrize("ratio, converts", [(1.001, True), (0.999, False)])
def test_a_note_converts_at_maturity_only_if_the_shares_are_worth_more_than_the_face(ratio, converts):
    eco = opening_economy()
    cloud = eco.agent("cloud")
    eco.ctx.issue_convertible(cloud, 5.0, 12)
    notes = eco.book.issued_by("cloud", "convertible_note")
    conv = notes[0].conversion_price
    shares, debt, paid_in = cloud.shares, cloud.debt, eco.ledger.get("cloud", "paid_in")
    eco.month = 12
    cloud.price = conv * ratio
    eco.book.settle(eco.ctx, "conversions", eco.ledger.index)
    if converts:
        assert cloud.shares - shares == pytest.approx(5.0 / conv, rel=1e-9)
        assert debt - cloud.debt == pytest.approx(5.0, abs=1e-9)
        assert eco.ledger.get("cloud", "paid_in") - paid_in == pytest.approx(5.0, abs=1e-9)
        held = sum(eco.book.stake(n.holder, "cloud").shares for n in notes)
        assert held == pytest.approx(5.0 / conv, rel=1e-9)
    else:
        assert cloud.shares == shares and all(n.active for n in notes)
        eco.credit.service()  # debt service repays them at face
        assert not any(n.active for n in notes) and cloud.shares == shares  # repaid, not converted
    eco.check_books()


def test_a_note_is_marked_at_least_at_its_shares():
    eco = opening_economy()
    cloud = eco.agent("cloud")
    eco.ctx.issue_convertible(cloud, 5.0, 60)
    notes = eco.book.issued_by("cloud", "convertible_note")
    cloud.price = 2.0 * notes[0].conversion_price
    eco.credit.mark_debt()
    assert all(n.mark == pytest.approx(2.0, rel=1e-12) for n in notes)
    eco.check_books()
