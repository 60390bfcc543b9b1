"""Shares and money are conserved by the market: every share an agent buys, someone sells.

Each day: traders + retail ETF + exogenous buyers - outside holders' sales = 0 per firm, and the
stock of shares held by traders, the ETF, exogenous buyers and outside holders always adds up to
the shares outstanding. Money: traders' cash falls by exactly what they bought; the retail
flow splits into contributions and redemptions.
"""

from __future__ import annotations

import numpy as np

from ailoop.model.markets.sandbox import MarketSandbox


def _flows(day: int, caps: np.ndarray) -> np.ndarray:
    """Exogenous flows: issuance by firm 3 (supply), buybacks by firm 7, a forced sale of firm 0."""
    f = np.zeros_like(caps)
    if day % 10 == 3:
        f[3] = -0.01 * caps[3]
    if day % 7 == 0:
        f[7] = 0.004 * caps[7]
    if 40 <= day < 45:
        f[0] = -0.005 * caps[0]
    return f


def test_shares_conserved_every_day():
    sb = MarketSandbox(seed=2)
    m = sb.market
    shares = m.shares.copy()
    for day in range(250):
        cash0 = sb.traders.cash.copy()
        step = sb.trade_day(_flows(day, m.market_caps))
        # today's trades net to zero per firm (to rounding of a few ulps of the traded amounts)
        net = step.trader_shares + step.retail_shares + step.exogenous_shares - step.outside_shares_sold
        scale = np.abs(step.trader_shares_by_agent).sum(axis=0) + np.abs(step.retail_shares) + np.abs(step.exogenous_shares)
        assert np.all(np.abs(net) <= 1e-12 * (scale + 1e-9)), (day, net)
        np.testing.assert_allclose(step.trader_shares_by_agent.sum(axis=0), step.trader_shares, rtol=1e-12, atol=1e-15)
        # the stock of shares: traders + ETF + exogenous + outside holders = shares outstanding
        held = sb.traders.holdings.sum(axis=0) + m.retail_shares_held + m.exogenous_holdings + m.outside_holdings
        np.testing.assert_allclose(held, shares, rtol=1e-10)
        # traders pay exactly for what they buy
        np.testing.assert_allclose((cash0 - sb.traders.cash).sum(), step.trader_dollars.sum(), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(cash0 - sb.traders.cash, (step.trader_shares_by_agent * step.prices).sum(axis=1),
                                   rtol=1e-9, atol=1e-12)
        # positions stay within their bounds (long-only)
        assert np.all(sb.traders.holdings >= -1e-12)
        # household money in/out: net retail flow = contributions - redemptions
        rf = sb.retail.last_flows
        assert abs(rf.net - (rf.contributions + rf.fomo - rf.redemptions)) <= 1e-9 * (1 + rf.contributions + rf.fomo + rf.redemptions)
        assert rf.contributions >= 0 and rf.fomo >= 0 and rf.redemptions >= 0


def test_etf_holds_the_index_basket():
    """The ETF's shares stay proportional to shares outstanding (a cap-weighted basket)."""
    sb = MarketSandbox(seed=4)
    for _ in range(120):
        sb.trade_day()
    held = sb.market.retail_shares_held
    ratio = held / sb.market.shares
    np.testing.assert_allclose(ratio, ratio.mean(), rtol=1e-9)
    # and the ETF's holdings are worth what the holders' units are worth
    value = float((held * sb.market.prices).sum())
    np.testing.assert_allclose(value, sb.retail.holdings_value(), rtol=1e-9)


def test_conservation_check_can_fail():
    """Sanity: a market that forgot the exogenous flow in its bookkeeping would be caught."""
    sb = MarketSandbox(seed=2)
    caps = sb.market.market_caps
    step = sb.trade_day(-0.01 * caps)
    wrong = step.trader_shares + step.retail_shares - step.outside_shares_sold   # exogenous missing
    assert np.any(np.abs(wrong) > 1e-6)
