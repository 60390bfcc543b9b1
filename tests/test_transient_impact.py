"""Transient price impact (``market_impact_transient_share``, theta): a share theta of a day's
realised impact of the net order flow reverses the next trading day, and nothing more does.

A three-firm market whose modelled buyers place no orders (traders and the ETF silenced), with
no outside noise, no pull to value and no disagreement, so that a day's move is what the outside
holders' float makes of an exogenous purchase. The expected moves are computed by hand from
the float's supply curve: buying a share q of the float moves the log price by
-log(1 - q) / zeta.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from ailoop.agents.retail import RetailParams, RetailPopulation
from ailoop.agents.traders import TraderParams, TraderPopulation
from ailoop.model.markets import EquityMarket, FirmSignals, MarketParams

PRICES = np.array([242.0, 177.0, 120.0])
ZETA = 0.5


def _signals() -> FirmSignals:
    return FirmSignals(revenue_run_rate=[57.0, 187.0, 5.4], revenue_growth=[0.1, 0.44, 0.8],
                       backlog=[138.0, 50.0, 30.0], backlog_years=[4.0, 2.0, 4.0], net_debt=[94.0, -50.0, 11.0],
                       shares=[2.81, 24.3, 0.49], news=[0.0, 0.0, 0.0], earnings_surprise=[0.0, 0.0, 0.0])


def _quiet_market(theta: float, **mp) -> EquityMarket:
    """A market where only the exogenous flow trades: traders and the ETF place no orders."""
    rng = np.random.default_rng(3)
    traders = TraderPopulation(rng, 3, TraderParams.of(n_traders=20))
    retail = RetailPopulation(rng, RetailParams.of(retail_holders=100))
    params = MarketParams.of(market_impact_transient_share=theta, outside_elasticity=ZETA, market_price_noise=0.0,
                             market_anchor_rate=0.0, market_impact_decay=0.0, market_uncertainty_gain=0.0, **mp)
    market = EquityMarket(["cloud", "chip", "neo"], PRICES, [2.81, 24.3, 0.49], params, rng, traders, retail)
    decide_trades, decide_flows = market.traders.orders, market.retail.orders
    market.traders.orders = lambda view: 0.0 * decide_trades(view)     # they decide, and order nothing
    market.retail.orders = lambda s: dataclasses.replace(decide_flows(s), net=0.0, contributions=0.0, fomo=0.0,
                                                         redemptions=0.0)
    return market


def _returns(market: EquityMarket, share_of_float: float, days: int = 3) -> np.ndarray:
    """Daily log returns (days x firms) when exogenous buyers take ``share_of_float`` of the float
    on the first day and nothing after."""
    out = []
    for day in range(days):
        market.retail.contribute(False)
        if day == 0:
            float0 = market.outside_holdings.copy()
            buy = share_of_float * float0
            step = market.step(_signals(), 0.0, buy * market.prices, float0 - buy)
        else:
            step = market.step(_signals(), 0.0)
        out.append(step.log_returns)
    return np.array(out)


@pytest.mark.parametrize("theta", [0.3, 0.6])
def test_a_share_theta_of_a_days_impact_reverses_the_next_day_and_no_more(theta):
    impact = -math.log(1.0 - 0.02) / ZETA                 # 2% of the float: 0.0404 log points
    permanent = _returns(_quiet_market(0.0), 0.02)
    transient = _returns(_quiet_market(theta), 0.02)
    # the first day is the same move; the same market without the transient part stays put after it
    np.testing.assert_allclose(transient[0], permanent[0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(permanent[0] - permanent[1:].mean(axis=0), impact, rtol=1e-9)
    # the next day theta of it reverses (against the twin, whose other moves are the same) ...
    np.testing.assert_allclose(transient[1] - permanent[1], -theta * impact, rtol=1e-9)
    # ... and the day after that nothing more: the price keeps (1 - theta) of the impact
    np.testing.assert_allclose(transient[2] - permanent[2], 0.0, atol=1e-12)


def test_without_a_transient_share_the_impact_stays():
    """theta = 0: the day after the purchase moves exactly as a market that saw no purchase."""
    pushed = _returns(_quiet_market(0.0), 0.02)
    untouched = _returns(_quiet_market(0.0), 0.0)
    np.testing.assert_allclose(pushed[1:], untouched[1:], rtol=0, atol=1e-12)


def test_a_move_capped_at_the_circuit_breaker_reverses_theta_of_the_capped_move():
    """10% of the float would move the price by -log(0.9)/0.5 = 0.211 > the 0.05 limit: the day's
    move is capped at 0.05 (the exogenous flow was booked already) and theta of 0.05, not of 0.211,
    reverses the next day."""
    assert -math.log(0.9) / ZETA > 0.05
    capped = _returns(_quiet_market(0.0, market_max_daily_move=0.05), 0.10)
    transient = _returns(_quiet_market(0.4, market_max_daily_move=0.05), 0.10)
    np.testing.assert_allclose(transient[0], 0.05, rtol=1e-12)
    np.testing.assert_allclose(transient[1] - capped[1], -0.4 * 0.05, rtol=1e-9)
