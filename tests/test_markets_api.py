"""The economy-facing contract of the market engine: shapes, units, validation, randomness."""

from __future__ import annotations

import mesa
import numpy as np
import pytest

from ailoop.agents.retail import RetailParams, RetailPopulation
from ailoop.agents.traders import TraderParams, TraderPopulation, TraderView
from ailoop.model.markets import (EquityMarket, FirmSignals, MarketParams, MarketStep, Sentiment,
                           implied_base_multiples)
from ailoop.model.markets.sandbox import MarketSandbox

N = 3


def _signals(**over) -> FirmSignals:
    base = dict(revenue_run_rate=[57.0, 187.0, 5.4], revenue_growth=[0.1, 0.44, 0.8], backlog=[138.0, 50.0, 30.0],
                backlog_years=[4.0, 2.0, 4.0], net_debt=[94.0, -50.0, 11.0], shares=[2.81, 24.3, 0.49],
                news=[0.0, 0.0, 0.0], earnings_surprise=[0.0, 0.0, 0.0])
    base.update(over)
    return FirmSignals(**base)


def _market(seed=0, **mp):
    """A three-firm market whose populations and price noise draw from one generator (as
    ``mesa.Model(seed=seed).rng``, which is ``np.random.default_rng(seed)``)."""
    rng = np.random.default_rng(seed)
    traders = TraderPopulation(rng, N, TraderParams(n_traders=50))
    retail = RetailPopulation(rng, RetailParams(n_holders=500))
    market = EquityMarket(["cloud", "chip", "neo"], [242.0, 177.0, 120.0], [2.81, 24.3, 0.49],
                          MarketParams(**mp), rng, traders, retail)
    return rng, market


def test_firm_signals_validation_and_helpers():
    sig = _signals()
    assert sig.n_firms == 3 and sig.revenue_run_rate.dtype == np.float64
    np.testing.assert_allclose(sig.backlog_rate, [34.5, 25.0, 7.5])
    assert np.all(_signals(backlog_years=[0.0, 2.0, 4.0]).backlog_rate[0] == 0.0)
    with pytest.raises(ValueError):
        _signals(news=[0.0, 1.0])
    with pytest.raises(ValueError):
        _signals(shares=[[1.0, 2.0, 3.0]])
    cp = sig.copy()
    cp.backlog[0] = 1.0
    assert sig.backlog[0] == 138.0
    q = FirmSignals.quiet([1.0], [0.1], [0.0], [1.0], [0.0], [1.0])
    assert q.news[0] == 0.0 and q.earnings_surprise[0] == 0.0


def test_market_step_shapes_and_units():
    rng, market = _market()
    # plain struct-of-arrays classes (owned by a sector agent in the economy), drawing from the
    # generator they were built with
    assert not isinstance(market.traders, mesa.Agent) and not isinstance(market.retail, mesa.Agent)
    assert market.traders.rng is rng and market.retail.rng is rng
    market.retail.contribute(True)
    step = market.step(_signals(), 0.1, np.array([0.0, 1.0, -0.1]))
    assert isinstance(step, MarketStep)
    for name in ("prices", "log_returns", "market_caps", "excess_demand", "trader_dollars", "trader_shares",
                 "retail_dollars", "retail_shares", "exogenous_shares", "outside_shares_sold", "dollar_volume",
                 "multiples", "fair_value", "attention"):
        assert getattr(step, name).shape == (N,), name
    assert step.trader_shares_by_agent.shape == (50, N)
    np.testing.assert_allclose(step.prices, np.array([242.0, 177.0, 120.0]) * np.exp(step.log_returns))
    np.testing.assert_allclose(step.market_caps, step.prices * np.array([2.81, 24.3, 0.49]))
    np.testing.assert_allclose(step.exogenous_shares, np.array([0.0, 1.0, -0.1]) / step.prices)
    assert step.retail_contributions > 0 and step.retail_redemptions == 0.0
    assert np.all(step.dollar_volume > 0)
    assert 0.0 <= step.fundamentalist_share <= 1.0


def test_implied_multiples_make_initial_prices_fair():
    _, market = _market()
    sig = _signals()
    market.retail.contribute(False)
    step = market.step(sig, 0.0)
    np.testing.assert_allclose(step.fair_value, [242.0, 177.0, 120.0], rtol=1e-12)
    base = implied_base_multiples([242.0, 177.0, 120.0], [2.81, 24.3, 0.49], sig, 0.5)
    assert 5 < base[0] < 15 and 15 < base[1] < 30        # cloud ~10, chipmaker ~22 (CALIBRATION.md range)


def test_explicit_base_multiples_and_depth():
    """With given multiples the market revalues; depth sets the price impact of flow."""
    _, market = _market(base_multiples=np.array([11.0, 24.0, 20.0]), price_noise=0.0)
    assert market.depth()[0] == pytest.approx(0.2 * 242.0 * 2.81)
    _, quiet = _market(seed=5, price_noise=0.0, anchor_rate=0.0, anchor_drift=0.0)
    _, pushed = _market(seed=5, price_noise=0.0, anchor_rate=0.0, anchor_drift=0.0)
    for m in (quiet, pushed):
        m.retail.contribute(False)
    flow = 0.002 * quiet.market_caps                       # 0.2% of cap ...
    a = quiet.step(_signals(), 0.0)
    b = pushed.step(_signals(), 0.0, flow)
    np.testing.assert_allclose(b.log_returns - a.log_returns, 0.01, rtol=1e-9)   # ... moves the price 1%


def test_validation_errors():
    rng = np.random.default_rng(0)
    t = TraderPopulation(rng, 2, TraderParams(n_traders=5))
    r = RetailPopulation(rng, RetailParams(n_holders=10))
    with pytest.raises(ValueError):
        EquityMarket(["a", "b"], [1.0], [1.0, 1.0], None, rng, t, r)
    with pytest.raises(ValueError):
        EquityMarket(["a", "b"], [1.0, -1.0], [1.0, 1.0], None, rng, t, r)
    _, market = _market()
    with pytest.raises(ValueError):
        market.step(_signals(), 0.0, np.zeros(2))
    with pytest.raises(ValueError):
        Sentiment(type("P", (), {"initial": 1.0})())


def test_reproducible_from_the_model_seed():
    a, b, c = MarketSandbox(seed=4), MarketSandbox(seed=4), MarketSandbox(seed=5)
    ra, rb, rc = a.run(30), b.run(30), c.run(30)
    np.testing.assert_array_equal(ra, rb)
    assert not np.array_equal(ra, rc)


def test_global_rng_is_not_used():
    """Scrambling numpy's and Python's global generators changes nothing."""
    import random
    a = MarketSandbox(seed=4).run(20)
    np.random.seed(123)
    random.seed(123)
    b = MarketSandbox(seed=4).run(20)
    np.testing.assert_array_equal(a, b)


def test_views_and_wealth():
    sb = MarketSandbox(seed=1, trader_params=TraderParams(n_traders=20), retail_params=RetailParams(n_holders=100))
    sb.run(10)
    v = sb.traders.trader(3)
    assert isinstance(v, TraderView)
    np.testing.assert_array_equal(v.holdings, sb.traders.holdings[3])
    assert "Trader 3" in repr(v)
    w = sb.traders.wealth(sb.market.prices)
    assert w.shape == (20,) and np.all(w > 0)
    # traders start with wealth_share of total market cap
    sb0 = MarketSandbox(seed=1)
    total = sb0.market.market_caps.sum()
    assert sb0.traders.wealth(sb0.market.prices).sum() == pytest.approx(0.2 * total)
    assert sb0.retail.holdings_value() == pytest.approx(0.16 * total)


def test_mesa_step_runs_a_day():
    sb = MarketSandbox(seed=1, trader_params=TraderParams(n_traders=10), retail_params=RetailParams(n_holders=50))
    sb.step()
    sb.step()
    assert sb.day == 2 and sb.market.day == 2 and sb.steps == 2
