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
    traders = TraderPopulation(rng, N, TraderParams.of(n_traders=50))
    retail = RetailPopulation(rng, RetailParams.of(retail_holders=500))
    market = EquityMarket(["cloud", "chip", "neo"], [242.0, 177.0, 120.0], [2.81, 24.3, 0.49],
                          MarketParams.of(**mp), rng, traders, retail)
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
    # the exogenous flow was booked at yesterday's close
    np.testing.assert_allclose(step.exogenous_shares, np.array([0.0, 1.0, -0.1]) / np.array([242.0, 177.0, 120.0]))
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
    assert 5 < base[0] < 15 and 15 < base[1] < 30        # cloud ~10, chipmaker ~22 (docs/calibration.md#companies range)


def test_depth_comes_from_the_float():
    """The price impact of a purchase is set by the float it takes from: buying a share q of the
    outside holders' shares moves the price by -log(1 - q) / outside_elasticity, whoever buys."""
    _, market = _market(market_price_noise=0.0)
    zeta = market.params.outside_elasticity
    assert market.depth()[0] == pytest.approx(zeta * market.outside_holdings[0] * 242.0)
    _, quiet = _market(seed=5, market_price_noise=0.0, market_anchor_rate=0.0)
    _, pushed = _market(seed=5, market_price_noise=0.0, market_anchor_rate=0.0)
    for m in (quiet, pushed):
        m.retail.contribute(False)
    float0 = quiet.outside_holdings.copy()
    buy = 0.01 * float0                                    # exogenous buyers take 1% of the float ...
    a = quiet.step(_signals(), 0.0)
    b = pushed.step(_signals(), 0.0, buy * np.array([242.0, 177.0, 120.0]), float0 - buy)
    # ... which moves each price by -log(1 - 0.01) / zeta more than on the quiet twin (same seed),
    # up to the traders' own orders, the same in both, measured against the float each saw
    extra = b.log_returns - a.log_returns
    np.testing.assert_allclose(extra, -np.log1p(-0.01) / zeta, rtol=0.05)
    # a thinner float, the same purchase: a larger move (against the thin float's quiet twin)
    _, thin = _market(seed=5, market_price_noise=0.0, market_anchor_rate=0.0)
    _, thin_quiet = _market(seed=5, market_price_noise=0.0, market_anchor_rate=0.0)
    for m in (thin, thin_quiet):
        m.retail.contribute(False)
    c = thin.step(_signals(), 0.0, buy * np.array([242.0, 177.0, 120.0]), 0.5 * float0 - buy)
    d = thin_quiet.step(_signals(), 0.0, None, 0.5 * float0)
    assert np.all(c.log_returns - d.log_returns > 1.5 * extra)


def test_buying_more_than_the_float_is_rationed_before_the_price_moves():
    """Tries to breach the float: the outside holders of firm 0 have almost nothing left and
    every trader wants to buy. Fills are cut pro rata before the price is set, the shares taken
    never exceed the float, and no price moves more than the circuit breaker allows."""
    _, market = _market(seed=3, market_price_noise=0.0)
    market.retail.contribute(True)                          # a month start: the ETF buys too
    float_ = market.outside_holdings.copy()
    float_[0] = 1e-6 * market.shares[0]                      # a thousandth of a percent left
    market.traders.cash = market.traders.cash + 50.0        # and plenty of money to buy with
    asked = {}
    orders = market.traders.orders

    def record(v):
        asked["o"] = orders(v).copy()
        return asked["o"]

    market.traders.orders = record
    step = market.step(_signals(), 0.5, None, float_)
    assert step.rationed
    taken = step.trader_shares + step.retail_shares + step.exogenous_shares
    assert np.all(taken <= float_ * (1 + 1e-12))
    assert taken[0] > 0 and step.fill_buy[0] < 1.0
    assert np.all(np.abs(step.log_returns) <= market.params.market_max_daily_move + 1e-15)
    # pro rata: every buyer of firm 0 got the same share of its order, every seller all of it
    o = asked["o"][0]
    got = step.trader_shares_by_agent[:, 0] * market.prices[0] / np.exp(step.log_returns[0])
    buyers, sellers = o > 0, o < 0
    assert buyers.any()
    np.testing.assert_allclose(got[buyers], o[buyers] * step.fill_buy[0], rtol=1e-12)
    np.testing.assert_allclose(got[sellers], o[sellers], rtol=1e-12)


def test_validation_errors():
    rng = np.random.default_rng(0)
    t = TraderPopulation(rng, 2, TraderParams.of(n_traders=10))
    r = RetailPopulation(rng, RetailParams.of(retail_holders=10))
    with pytest.raises(ValueError):
        EquityMarket(["a", "b"], [1.0], [1.0, 1.0], None, rng, t, r)
    with pytest.raises(ValueError):
        EquityMarket(["a", "b"], [1.0, -1.0], [1.0, 1.0], None, rng, t, r)
    _, market = _market()
    with pytest.raises(ValueError):
        market.step(_signals(), 0.0, np.zeros(2))
    with pytest.raises(ValueError):
        Sentiment(type("P", (), {"sentiment_0": 1.0})())


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
    sb = MarketSandbox(seed=1, trader_params=TraderParams.of(n_traders=20), retail_params=RetailParams.of(retail_holders=100))
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
    assert sb0.market.etf_value() == pytest.approx(0.16 * total)


GROUPS = ("ailoop.agents.traders:TraderParams", "ailoop.agents.retail:RetailParams",
          "ailoop.model.markets.equity:MarketParams", "ailoop.model.markets.sentiment:SentimentParams")


def _groups():
    import importlib

    return [getattr(importlib.import_module(m), c) for m, c in (g.split(":") for g in GROUPS)]


def test_every_group_field_is_a_table_parameter_of_its_type_and_nothing_maps_names():
    """One path for parameters: each field of a parameter group is the table parameter of the same
    name and type (no field -> name map anywhere), and a group built from the table holds exactly
    the table's values (the standalone market runs the economy's engine with the same numbers)."""
    import dataclasses

    from ailoop.model.params import PARAMETERS, defaults

    table = defaults()
    for cls in _groups():
        names = cls.names()
        assert names and set(names) <= set(PARAMETERS), cls.__name__
        for f in dataclasses.fields(cls):
            if f.name in cls.extra:
                continue
            kind = PARAMETERS[f.name].kind
            assert kind.__name__ in str(f.type), (cls.__name__, f.name, f.type, kind)
        built = cls.from_table(table)
        assert all(getattr(built, n) == table[n] for n in names)
        assert cls.of() == built  # the defaults are the table's, not the class's
    import ailoop.model.exchange as exchange

    assert not [n for n in vars(exchange) if n.endswith("_TABLE")]  # the hand-written maps are gone


def test_a_group_takes_changes_validated_by_the_table_in_one_line():
    from ailoop.agents.traders import TraderParams
    from ailoop.model.params import ParameterError

    assert TraderParams.of(trader_kappa=0.002).trader_kappa == 0.002
    with pytest.raises(ParameterError, match=r"^parameter 'trader_kappa': 9.0 is out of range; allowed: float in "):
        TraderParams.of(trader_kappa=9)
    with pytest.raises(ParameterError, match=r"^parameter 'kappa' is not one of TraderParams's; allowed: n_traders, "):
        TraderParams.of(kappa=0.002)


def test_derived_quantities_are_made_of_table_parameters():
    from ailoop.agents.retail import RetailParams
    from ailoop.agents.traders import TraderParams

    t = TraderParams.of(trader_horizon_min=70.0, trader_horizon_max=10.0, risk_free_rate=0.03, trader_margin_spread=0.02)
    assert (t.horizon_min, t.horizon_max) == (10.0, 70.0)  # drawn between the smaller and the larger
    assert t.margin_rate == 0.03 + 0.02
    assert RetailParams.of(retail_fomo_horizon=10).fomo_horizons == (10, 20, 30)


def test_the_broker_loan_takes_its_terms_from_the_traders_parameters():
    """trader_margin_limit and the margin rate live in one place: the traders' group; the broker
    loan's limit each day is that share of the traders' wealth at the close."""
    from ailoop.model import Economy

    eco = Economy(seed=2, checks=False, trader_margin_limit=0.1, trader_margin_spread=0.03)
    eco.run(years=1 / 252)
    loan, pop = eco.exchange.broker_loan, eco.exchange.traders
    assert loan.rate == eco.params["risk_free_rate"] + 0.03
    wealth = float(pop.wealth(eco.exchange.last.prices).sum())
    assert loan.limit == pytest.approx(0.1 * wealth, rel=1e-12)


def test_mesa_step_runs_a_day():
    sb = MarketSandbox(seed=1, trader_params=TraderParams.of(n_traders=10), retail_params=RetailParams.of(retail_holders=50))
    sb.step()
    sb.step()
    assert sb.day == 2 and sb.market.day == 2 and sb.steps == 2


def test_the_economys_buyers_cannot_take_more_than_the_float():
    """Tries to breach the float in the full economy: the ETF and the traders hold most of every
    listed firm, elastic outside holders sell readily, chartists with large noise and generous
    margin want far more than is left. Buyers run the float down to nothing and are rationed;
    no firm ever has more shares held than outstanding, and the books stay balanced."""
    from ailoop.model import Economy

    rationed = exhausted = 0
    for seed in (1, 2):  # whether a path runs the float down within half a year depends on the seed
        eco = Economy(seed=seed, check_every=21, passive_share=0.4, trader_wealth_share=0.4,
                      trader_invested_fraction=0.9, trader_margin_limit=1.0, trader_max_overweight=10.0,
                      trader_noise_chartist=0.2, trader_predisposition=-5.0, trader_misalignment=0.0,
                      outside_elasticity=3.0, market_max_daily_move=1.0, market_min_float=0.001)
        for _ in range(126):
            eco.step()
            rationed += eco.exchange.last.rationed
            left = min((f.shares - eco.book.shares_held(f.aid)) / f.shares for f in eco.exchange.firms)
            assert left >= -1e-12, left
            exhausted += left < 0.01
        eco.check_books()
    assert rationed > 10 and exhausted > 10, (rationed, exhausted)   # the attempt really pressed on the float
