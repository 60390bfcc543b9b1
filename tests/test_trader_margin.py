"""The traders' broker loan stays within ``trader_margin_limit`` of wealth at the close where the
orders are paid, not only at yesterday's close where they were decided: a buy decided at price P
costs more at a higher P_new, and the broker cuts it back to the limit (research's finding: the
loan reached 0.28 of wealth against a limit of 0.25). Hand-built: one firm, ten traders."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ailoop.agents.traders import TraderParams, TraderPopulation, draw_day


def settled(x: float):
    """Trader 0: cash 5, 5 shares at $1 (wealth 10), buys 7.5 $B at $1 (cash + 0.25 x 10: the most
    the limit allows at yesterday's close); the nine others: cash 10, no shares, buy 1. Paid at x $."""
    rng = np.random.default_rng(0)
    pop = TraderPopulation(rng, 1, TraderParams.of(n_traders=10, trader_margin_limit=0.25))
    pop.cash = np.array([5.0] + [10.0] * 9)
    pop._h = np.array([[5.0] + [0.0] * 9])
    pop._prices = np.array([1.0])
    pop._orders = np.array([[7.5] + [1.0] * 9])
    pop._draws = draw_day(rng, 10, 1)
    pop._misaligned = 0.0
    pop.settle(np.array([x]), np.array([math.log(x)]))
    return pop


@pytest.mark.parametrize("x", [1.1, 1.001])
def test_a_buy_that_costs_more_at_the_close_is_cut_back_to_the_limit(x):
    """Bought b $B at x: cash 5 - b, wealth 5 + 5x (a purchase moves cash into shares), so the
    loan b - 5 <= 0.25 (5 + 5x) allows b = 6.25 + 1.25x, less than the 7.5x ordered for x > 1;
    at x = 1.1: 7.625 of 8.25."""
    pop = settled(x)
    bought = pop.last_traded[0, 0] * x
    assert bought == pytest.approx(6.25 + 1.25 * x, rel=1e-12) and bought < 7.5 * x
    loan = bought - 5.0
    assert loan == pytest.approx(0.25 * (5.0 + 5.0 * x), rel=1e-12)
    assert pop.last_traded[0, 1:] == pytest.approx([1.0] * 9, rel=1e-12)  # the traders without a loan: in full


@pytest.mark.parametrize("x", [0.9, 0.999])
def test_a_buy_that_costs_less_at_the_close_is_filled_in_full(x):
    pop = settled(x)
    assert pop.last_traded[0, 0] == pytest.approx(7.5, rel=1e-12)  # 7.5 shares ordered at $1
    assert 7.5 * x - 5.0 < 0.25 * (5.0 + 5.0 * x)
