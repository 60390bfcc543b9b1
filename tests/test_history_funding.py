"""The deal book's equity-linked funding (``model/history/funding.py``) against hand computations:
the cloud's 2026 bond, its mandatory convertible preferred and its at-the-market programme on the
equity desk, and the neocloud's convertible notes."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from scipy.stats import norm

from ailoop.model import Economy
from ailoop.model.contracts import Bond, ConvertibleNote, MandatoryConvertible

SMALL = dict(n_traders=10, retail_holders=10, n_bond_buyers=5, checks=False)
FEB_2026, DEC_2025 = 5, 3  # model months (0 = September 2025)


def step_through(eco, until: dt.date, watch=("cloud", "neocloud")):
    """Step ``eco`` to ``until``; for each step, the prices, shares and ledger lines of ``watch``
    before it (the state a deal firing that day sees) and after it, and the contracts the first of
    ``watch`` issued in it."""
    rows = []
    led = eco.ledger
    while eco.date < until:
        before = {a: (eco.agent(a).price, eco.agent(a).shares, led.get(a, "debt"), led.get(a, "paid_in")) for a in watch}
        n0 = len(eco.events)
        known = {id(c) for c in eco.book.issued_by(watch[0])}
        eco.step()
        new = [c for c in eco.book.issued_by(watch[0]) if id(c) not in known]
        after = {a: (eco.agent(a).price, eco.agent(a).shares, led.get(a, "debt"), led.get(a, "paid_in")) for a in watch}
        rows.append(dict(date=eco.date, month=eco.month, day=eco.day, before=before, after=after, events=eco.events[n0:],
                         new=new))
    return rows


def day_of(rows, cause_prefix: str):
    """The step on which the book's entry starting with ``cause_prefix`` fired."""
    hits = [r for r in rows if any(e["cause"].startswith(cause_prefix) for e in r["events"])]
    assert len(hits) == 1, cause_prefix
    return hits[0]


@pytest.fixture(scope="module")
def first_months():
    eco = Economy(scenario="history", seed=1, **SMALL)
    rows = step_through(eco, dt.date(2026, 5, 1))
    return eco, rows


def test_the_cloud_sells_its_25b_bond_in_seven_tranches_of_3_to_40_years(first_months):
    eco, rows = first_months
    r = day_of(rows, "cloud bond issue: $25B")
    assert r["date"] >= dt.date(2026, 2, 2) and r["month"] == FEB_2026 and r["day"] > 0
    bonds = [c for c in r["new"] if type(c) is Bond]
    assert all(c.issued_month == FEB_2026 for c in bonds)
    # seven equal tranches of 25 / 7 $B maturing 3, 5, 7, 10, 20, 30, 40 years after February 2026
    assert {c.maturity_month for c in bonds} == {FEB_2026 + 12 * y for y in (3, 5, 7, 10, 20, 30, 40)}
    by_maturity = {}
    for c in bonds:
        by_maturity[c.maturity_month] = by_maturity.get(c.maturity_month, 0.0) + c.face
    for m, face in by_maturity.items():
        assert face == pytest.approx(25.0 / 7.0, rel=1e-9), m
    # the cloud's debt rises by the $25B that day (nothing else moves its debt mid-month)
    assert r["after"]["cloud"][2] - r["before"]["cloud"][2] == pytest.approx(25.0, rel=1e-9)


def test_the_cloud_sells_5b_of_mandatory_convertible_preferred_at_the_days_price(first_months):
    eco, rows = first_months
    r = day_of(rows, "cloud mandatory convertible preferred")
    assert r["date"] >= dt.date(2026, 2, 5) and r["month"] == FEB_2026
    pref, = [c for c in eco.book.issued_by("cloud") if isinstance(c, MandatoryConvertible)]
    price = r["before"]["cloud"][0]  # the price of the day: yesterday's close
    fee = eco.params["equity_fee_atm"]
    # $5.0B of face at 6.50% for 36 months (the reported Series D: converting ~3 years later at
    # 0.2499-0.3124 shares per $50, a band of 0.3124 / 0.2499 = 1.25), sold for 5 x (1 - 2%)
    assert pref.face == pytest.approx(5.0, rel=1e-12)
    assert pref.holder == "other_shareholders" and pref.dividend_rate == 0.065
    assert pref.maturity_month == FEB_2026 + 36
    assert pref.initial_price == price
    assert pref.threshold_price == pytest.approx(price * 0.3124 / 0.2499, rel=1e-3)
    assert r["after"]["cloud"][3] - r["before"]["cloud"][3] == pytest.approx(5.0 * (1 - fee), rel=1e-12)
    assert r["after"]["cloud"][2] == r["before"]["cloud"][2]  # equity, not debt
    # what it converts into: the most shares at or below the initial price, the fewest above the threshold
    assert pref.shares_at(0.5 * price) == pytest.approx(5.0 / price, rel=1e-12)
    assert pref.shares_at(1.1 * price) == pytest.approx(5.0 / (1.1 * price), rel=1e-12)
    assert pref.shares_at(2.0 * price) == pytest.approx(5.0 / (1.25 * price), rel=1e-12)
    ev = [e for e in r["events"] if e["event"] == "preferred issue"]
    assert len(ev) == 1 and ev[0]["agent"] == "cloud" and ev[0]["size"] == pytest.approx(4.9, rel=1e-12)


def test_the_at_the_market_programme_sells_a_tenth_of_it_each_month_on_new_shares(first_months):
    eco, rows = first_months
    for k, month in ((1, 6), (2, 7)):
        r = day_of(rows, f"cloud at-the-market sale {k} of 10")
        assert r["month"] == month and r["date"] >= dt.date(2026, month - 3, 15) and r["day"] > 0
        # ample buyers: 20 / 10, then (20 - 2) / 9
        (p0, s0, d0, pi0), (p1, s1, d1, pi1) = r["before"]["cloud"], r["after"]["cloud"]
        issue, = [x for x in eco.equity_desk.issues if x["month"] == month and x["firm"] == "cloud" and x["how"] == "atm"]
        assert issue["raised"] == pytest.approx(2.0, rel=1e-12)
        assert pi1 - pi0 == pytest.approx(2.0, rel=1e-12) and d1 == d0  # paid-in capital, not debt
        assert s1 - s0 == pytest.approx(issue["shares"], rel=1e-12)
        # sold below the price: 2 $B for more shares than 2 $B / the price of the day
        assert issue["shares"] > 2.0 / issue["price"]


def test_what_the_buyers_do_not_take_is_asked_again_the_next_month():
    eco = Economy(scenario="history", seed=1, **SMALL)
    step_through(eco, dt.date(2026, 2, 25))
    pool = eco.params["equity_desk_pool"]
    eco.set_params({"equity_desk_pool": 0.0})  # no buyers in March
    step_through(eco, dt.date(2026, 3, 25))
    march = [x for x in eco.equity_desk.issues if x["firm"] == "cloud" and x["how"] == "atm"]
    assert [x["raised"] for x in march] == [0.0] and march[0]["sought"] == pytest.approx(2.0, rel=1e-12)
    eco.set_params({"equity_desk_pool": pool})
    step_through(eco, dt.date(2026, 4, 25))
    april = [x for x in eco.equity_desk.issues if x["firm"] == "cloud" and x["how"] == "atm" and x["month"] == 7]
    assert april[0]["sought"] == pytest.approx(20.0 / 9.0, rel=1e-12)  # nothing sold yet, nine sales left
    assert april[0]["raised"] == pytest.approx(20.0 / 9.0, rel=1e-12)


def test_the_programme_stops_at_its_size():
    eco = Economy(scenario="history", seed=2, history_cloud_atm=3.0, history_cloud_atm_months=2, **SMALL)
    step_through(eco, dt.date(2026, 7, 1))
    atm = [x for x in eco.equity_desk.issues if x["firm"] == "cloud" and x["how"] == "atm"]
    assert [x["month"] for x in atm] == [6, 7]  # March and April 2026
    assert [x["raised"] for x in atm] == pytest.approx([1.5, 1.5], rel=1e-12)
    sales = [e for e in eco.events if e["cause"].startswith("cloud at-the-market sale")]
    assert len(sales) == 2


def bs_call(s, k, t, r, vol):
    d1 = (math.log(s / k) + (r + vol * vol / 2) * t) / (vol * math.sqrt(t))
    return s * norm.cdf(d1) - k * math.exp(-r * t) * norm.cdf(d1 - vol * math.sqrt(t))


@pytest.mark.parametrize("prefix, month, size, same_day", [("neocloud convertible notes: $2.25B", DEC_2025, 2.25, 0.0),
                                                           ("neocloud convertible notes: $3.00B", 7, 3.0, 1.25)])
def test_the_neocloud_sells_its_convertible_notes_at_the_models_terms(first_months, prefix, month, size, same_day):
    eco, rows = first_months
    p = eco.params
    r = day_of(rows, prefix)
    assert r["month"] == month
    notes = [c for c in eco.book.issued_by("neocloud") if isinstance(c, ConvertibleNote) and c.issued_month == month]
    sold = sum(c.face for c in notes)
    event, = [e for e in r["events"] if e["cause"].startswith(prefix)]
    assert event["size"] == pytest.approx(sold, rel=1e-12)
    if not notes:  # the bond buyers bid nothing that day (the market's decision): nothing booked
        assert not [e for e in r["events"] if e["event"] == "convertible issue"]
        return
    assert sold == pytest.approx(size, rel=1e-9)
    # its debt rises by the notes (in April with the $1.25B of senior notes sold the same day)
    assert r["after"]["neocloud"][2] - r["before"]["neocloud"][2] == pytest.approx(size + same_day, rel=1e-9)
    assert {c.maturity_month for c in notes} == {month + 72}
    price = r["before"]["neocloud"][0]
    c = notes[0]
    # the coupon at which the note sells at par: the straight coupon less the option's value per $
    # of face over the note's life as an annuity (Black-Scholes by scipy's normal distribution)
    t, rf, vol = 6.0, p["risk_free_rate"], p["convertible_volatility"]
    y = rf + c.spread
    annuity = (1 - math.exp(-y * t)) / y
    k = c.conversion_price
    assert k >= price * (1 + p["convertible_premium"]) * (1 - 1e-12)
    if k <= price * (1 + p["convertible_premium"]) * (1 + 1e-12):
        assert c.coupon == pytest.approx(y - bs_call(price, k, t, rf, vol) / k / annuity, rel=1e-9, abs=1e-12)
    else:  # the option was worth more than the straight coupon: a zero-coupon note
        assert c.coupon == pytest.approx(0.0, abs=1e-9)
    assert 0.0 <= c.coupon < y
