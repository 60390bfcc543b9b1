"""Shares and money are conserved by the market: every share an agent buys, someone sells.

Each day the traders' own books move by the fills the market reports, and the stock of shares
held by traders, the ETF, exogenous buyers and outside holders always adds up to the shares
outstanding. Money: traders' cash falls by exactly what they bought; the holders' ETF units grow
by the day's net flow at the closing NAV, which the ETF spends on the basket.
"""

from __future__ import annotations

import numpy as np
import pytest

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


def share_stock_gap(sb: MarketSandbox, shares: np.ndarray) -> np.ndarray:
    """Shares held by traders, the ETF, exogenous buyers and outside holders, less shares outstanding."""
    m = sb.market
    return sb.traders.holdings.sum(axis=0) + m.retail_shares_held + m.exogenous_holdings + m.outside_holdings - shares


def test_shares_conserved_every_day():
    sb = MarketSandbox(seed=2)
    m = sb.market
    shares = m.shares.copy()
    for day in range(250):
        cash0, held0 = sb.traders.cash.copy(), sb.traders.holdings.copy()
        units0, retail0 = sb.retail.units.sum(), m.retail_shares_held.copy()
        step = sb.trade_day(_flows(day, m.market_caps))
        # the traders' own books (updated by the population) move by the fills the market reports
        np.testing.assert_allclose(sb.traders.holdings - held0, step.trader_shares_by_agent, rtol=1e-9, atol=1e-15)
        # the stock of shares: traders + ETF + exogenous + outside holders = shares outstanding
        np.testing.assert_allclose(share_stock_gap(sb, shares), 0.0, atol=1e-10 * shares.max())
        # traders pay exactly for what they buy, at the close
        np.testing.assert_allclose(cash0 - sb.traders.cash, (step.trader_shares_by_agent * step.prices).sum(axis=1),
                                   rtol=1e-9, atol=1e-12)
        # positions stay within their bounds (long-only)
        assert np.all(sb.traders.holdings >= -1e-12)
        # households' money: the holders' units grow by today's net flow at the closing NAV, and the
        # ETF buys that many dollars of the basket at the close
        rf = sb.retail.last_flows
        assert sb.retail.units.sum() - units0 == pytest.approx(rf.net / sb.retail.nav, rel=1e-9, abs=1e-12)
        assert float(((m.retail_shares_held - retail0) * step.prices).sum()) == pytest.approx(rf.net, rel=1e-9, abs=1e-12)
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
    """Sanity: the stock check above catches shares that appear without a seller."""
    sb = MarketSandbox(seed=2)
    shares = sb.market.shares.copy()
    sb.trade_day(-0.01 * sb.market.market_caps)
    assert np.all(np.abs(share_stock_gap(sb, shares)) < 1e-10 * shares.max())
    sb.market.exogenous_holdings = sb.market.exogenous_holdings + 0.001  # bought from nobody
    assert np.all(np.abs(share_stock_gap(sb, shares)) > 1e-4)
