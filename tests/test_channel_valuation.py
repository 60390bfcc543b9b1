"""Channel (a): value from earnings and the cost of capital, each step on a hand-built case.

* the market's multiple moves with the operating margin as exp(change / max(opening margin,
  floor)) and with the cost of capital as (k0 - g) / (k - g), both sides of the floors;
* a firm's monthly income statement, from its flows: an idle GPU still depreciates, a GPU in a
  campus still being built does not count against today's revenue;
* the cost of capital is the risk-free rate, the equity premium and the firm's own spread on the
  debt's share at market values (the cost of equity rising with leverage), so it rises, not falls,
  as the firm's shares fall; the useful-life dial moves depreciation.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from ailoop.model.markets.equity import EquityMarket, MarketParams
from ailoop.model.markets.sandbox import MarketSandbox
from ailoop.model.markets.signals import FirmSignals
from handbuilt import opening_economy


def market_and_signals(margin, rate):
    """A standalone two-firm market (the sandbox's populations) and signals with the given margins
    and costs of capital; the first call of ``multiples`` fixes the references."""
    sb = MarketSandbox(seed=1, market_params=MarketParams.of())
    m = sb.market
    n = m.n_firms
    sig = FirmSignals.quiet(np.full(n, 100.0), np.zeros(n), np.zeros(n), np.ones(n), np.zeros(n), m.shares)
    sig.margin, sig.discount_rate = np.full(n, margin), np.full(n, rate)
    return m, sig


@pytest.mark.parametrize("m0, m1, divisor", [(0.30, 0.20, 0.30), (0.16, 0.06, 0.16), (0.10, 0.00, 0.15),
                                             (0.14, 0.04, 0.15)])
def test_the_multiple_moves_with_the_margin_over_the_opening_margin_or_its_floor(m0, m1, divisor):
    """A 10-point fall in margin divides the multiple by exp(0.1 / 0.30) for a 30% firm; for one
    below the 15% floor by exp(0.1 / 0.15)."""
    m, sig = market_and_signals(m0, 0.09)
    first = m.multiples(sig, 0.0)
    sig.margin = np.full(m.n_firms, m1)
    assert m.multiples(sig, 0.0) / first == pytest.approx(np.full(m.n_firms, math.exp(-0.1 / divisor)), rel=1e-12)


@pytest.mark.parametrize("k1, ratio", [(0.10, 0.05 / 0.06), (0.08, 0.05 / 0.04), (0.066, 0.05 / 0.026),
                                       (0.064, 2.0), (0.03, 2.0)])
def test_the_multiple_moves_with_the_cost_of_capital_as_the_gordon_model_says(k1, ratio):
    """k0 = 9%, g = 4%: k rising to 10% divides value by 6/5; falling to 8% multiplies by 5/4; k - g
    never below half its opening 5 points (x2 at most)."""
    m, sig = market_and_signals(0.3, 0.09)
    first = m.multiples(sig, 0.0)
    sig.discount_rate = np.full(m.n_firms, k1)
    assert m.multiples(sig, 0.0) / first == pytest.approx(np.full(m.n_firms, ratio), rel=1e-12)


@pytest.mark.parametrize("m1, factor", [(-0.59, math.exp(-0.89 / 0.3)), (-0.61, math.exp(-3.0)),
                                        (0.59, math.exp(0.29 / 0.3)), (0.61, math.e)])
def test_the_margin_factor_is_bounded_between_e_minus_3_and_e(m1, factor):
    """From a 30% margin: a collapse to -59% is exp(-0.89/0.3) = e^-2.97, to -61% (beyond 3 opening
    margins) e^-3; a rise to 59% e^0.97, to 61% (beyond one opening margin) e."""
    m, sig = market_and_signals(0.30, 0.09)
    first = m.multiples(sig, 0.0)
    sig.margin = np.full(m.n_firms, m1)
    assert m.multiples(sig, 0.0) / first == pytest.approx(np.full(m.n_firms, factor), rel=1e-12)


def test_without_margins_the_market_values_revenue_as_before():
    m, sig = market_and_signals(0.3, 0.09)
    sig.margin = sig.discount_rate = None
    first = m.multiples(sig, 0.0)
    assert np.allclose(first, m.base_multiples)


def test_a_month_of_flows_becomes_an_income_statement():
    """The cloud's month by hand: revenue 10 (AI 6, other 4), operating costs 3, depreciation 2,
    interest 1: EBITDA 7, EBIT 5, earnings 4. Its GPUs: 0.45 million per GW x 2 GW online of 1.8
    million installed -> half in service: the market's margin is (7 - 1) / 10."""
    eco = opening_economy()
    cloud = eco.agent("cloud")
    cloud.flow = {"revenue_ai": 6.0, "revenue_other": 4.0, "opex": 3.0, "depreciation": 2.0, "interest": 1.0}
    units = cloud.fleet.units()
    online = cloud.online_gw
    eco.fundamentals.close_month()
    line = eco.fundamentals.history["cloud"][-1]
    assert (line["revenue"], line["ebitda"], line["ebit"], line["earnings"]) == pytest.approx((10.0, 7.0, 5.0, 4.0))
    share = min(1.0, online * eco.params["gpus_per_gw"] / units)
    assert eco.fundamentals.margin("cloud", 1) == pytest.approx((7.0 - 2.0 * share) / 10.0, rel=1e-12)
    # the same fleet with twice the GPUs installed: half as much of the depreciation is in service
    cohort = cloud.fleet.cohorts[0]
    cohort.units = units * 2  # (only the share matters here; the books are not checked)
    eco.fundamentals.close_month()
    assert eco.fundamentals.margin("cloud", 1) == pytest.approx((7.0 - 2.0 * share / 2) / 10.0, rel=1e-12)


def test_an_idle_gpu_still_depreciates():
    """Idle capacity earns nothing and still costs its depreciation: a month in which a third of the
    capacity stands idle has the same depreciation and a third less of the AI revenue (by hand)."""
    eco = opening_economy()
    hyper = eco.agent("hyper_1")
    before = hyper.fleet.gpu_book()
    dep = hyper.fleet.depreciate(eco.ledger)
    assert dep > 0 and hyper.fleet.gpu_book() < before  # whatever the use
    hyper.flow = {"revenue_ai": 3.0, "depreciation": dep}
    eco.fundamentals.close_month()
    full = eco.fundamentals.last("hyper_1", "ebit")
    hyper.flow = {"revenue_ai": 2.0, "depreciation": dep}
    eco.fundamentals.close_month()
    assert full - eco.fundamentals.last("hyper_1", "ebit") == pytest.approx(1.0, rel=1e-12)


def test_the_cost_of_capital_weighs_the_spread_at_market_values_over_the_asset_premium():
    """Hamada with a zero debt beta: r_E = r_f + ERP (1 + D/E), r_D = r_f + spread, so the weighted
    average is r_f + ERP + w x spread, w = D / (D + E) at market values."""
    eco = opening_economy()
    cloud = eco.agent("cloud")
    p = eco.params
    debt, equity = eco.ledger.get("cloud", "debt"), cloud.market_cap
    w = debt / (debt + equity)
    spread = eco.ratings.spread("cloud")  # at neutral mood, no credit shift
    assert spread > 0 and 0 < w < 1
    r_e = p["risk_free_rate"] + p["equity_risk_premium"] * (1 + debt / equity)
    k = (1 - w) * r_e + w * (p["risk_free_rate"] + spread)
    assert eco.credit.cost_of_capital(cloud) == pytest.approx(k, rel=1e-12)
    eco.set_params({"credit_spread_shift": 0.01})  # credit conditions tighten: the debt part costs 100 bp more
    assert eco.credit.cost_of_capital(cloud) == pytest.approx(k + w * 0.01, rel=1e-12)


def test_a_firm_whose_shares_fall_pays_more_for_its_capital_not_less():
    """The cloud's shares lose three quarters of their value: its debt's weight rises from w to w',
    and its cost of capital by (w' - w) x spread (the asset premium stays). Under the old weighting,
    r_f + (1 - w) ERP + w spread, it would have fallen by (w' - w)(ERP - spread) whenever the spread
    was below the premium: the test fails if that rule comes back."""
    eco = opening_economy()
    cloud = eco.agent("cloud")
    p = eco.params
    spread = eco.ratings.spread("cloud")
    assert spread < p["equity_risk_premium"]  # the case where the old rule had the wrong sign
    debt, equity = eco.ledger.get("cloud", "debt"), cloud.market_cap
    before = eco.credit.cost_of_capital(cloud)
    cloud.price *= 0.25
    w0, w1 = debt / (debt + equity), debt / (debt + 0.25 * equity)
    after = eco.credit.cost_of_capital(cloud)
    assert eco.ratings.spread("cloud") == spread  # the rating is reviewed on its own schedule, not today
    assert after - before == pytest.approx((w1 - w0) * spread, rel=1e-9)
    assert after > before >= p["risk_free_rate"] + p["equity_risk_premium"]


@pytest.mark.parametrize("life, per_month", [(72, 72.0 / 72), (42, 72.0 / 42)])
def test_the_useful_life_dial_sets_the_depreciation(life, per_month):
    """72 $B of GPUs: 1 $B a month over the booked 6 years, 72/42 over an economic 3.5."""
    from ailoop.model.capacity import Cohort, Fleet
    from ailoop.model.ledger import Ledger

    led = Ledger(["owner"])
    fleet = Fleet("owner")
    fleet.cohorts.append(Cohort(units=1.0, cost=72.0, month=0, life=life))
    led.open_position("owner", "gpus", 72.0)
    assert fleet.depreciate(led) == pytest.approx(per_month, rel=1e-12)


def test_the_equity_market_takes_margins_and_rates_from_the_economy():
    """In the economy the exchange hands the market each listed firm's margin (the fundamentals'
    last ``valuation_margin_months``) and cost of capital; off, neither."""
    eco = opening_economy()
    eco.run(years=1 / 12)
    sig = eco.exchange.signals()
    months = eco.params["valuation_margin_months"]
    assert sig.margin[eco.exchange.pos["cloud"]] == pytest.approx(eco.fundamentals.margin("cloud", months))
    # (weighted at the market value of the month's first day: today's differs a little)
    assert sig.discount_rate[eco.exchange.pos["cloud"]] == pytest.approx(eco.credit.cost_of_capital(eco.agent("cloud")),
                                                                         rel=1e-3)
    off = opening_economy(channel_earnings=False)
    off.run(years=1 / 12)
    assert off.exchange.signals().margin is None and isinstance(off.exchange.market, EquityMarket)
