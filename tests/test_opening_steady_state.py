"""The market opens near its own steady state: the traders' strategy mix at the start is the one
the switching settles to, so the first weeks - the autumn-2025 announcement window - are not a
start-up burst of chartist volatility (``benchmarks/trader_shares.py`` prints the full picture)."""

from __future__ import annotations

import numpy as np
import pytest

from ailoop.model import Economy

SEEDS = (1, 2, 3, 4)
DAYS = 500
LONG_RUN = slice(250, DAYS)
FIRST_WEEK = slice(0, 7)   # before the first announcement (the cloud's, trading day 7)
HYPERSCALERS = ("hyper_1", "hyper_2", "hyper_3", "hyper_4")   # no deal news in the window


def _run(seed: int, **params):
    """Per day: the free traders' fundamentalist share and each firm's move less the outside
    holders' revision of its value (orders and noise: what the strategy mix drives)."""
    economy = Economy(seed=seed, checks=False, **params)
    traders = economy.exchange.traders
    free = ~traders.committed
    ids = list(economy.exchange.ids)
    cols = [ids.index(h) for h in HYPERSCALERS]
    share, rest = [], []
    for _ in range(DAYS):
        economy.step()
        last = economy.exchange.last
        share.append(traders.is_fundamentalist[free].mean())
        rest.append((np.asarray(last.log_returns) - np.asarray(last.extra["d_anchor"]))[cols])
    return np.array(share), np.array(rest), float(economy.params["trader_initial_fundamentalist_share"])


def _first_week_ratio(runs) -> float:
    """The hyperscalers' sd of the first week's moves over that of days 250-499, all seeds pooled."""
    rest = np.array([r[1] for r in runs])
    return float(np.mean(rest[:, FIRST_WEEK].std(axis=(0, 1)) / rest[:, LONG_RUN].std(axis=(0, 1))))


@pytest.fixture(scope="module")
def default_runs():
    return [_run(s) for s in SEEDS]


def test_the_opening_share_is_the_switchings_long_run_share(default_runs):
    long_run = np.mean([r[0][LONG_RUN].mean() for r in default_runs])
    opening = default_runs[0][2]
    assert abs(opening - long_run) < 0.06, (opening, long_run)   # sd over seeds ~0.03


def test_no_start_up_burst_of_volatility(default_runs):
    assert _first_week_ratio(default_runs) < 1.8
    # the same economy opened at an even strategy mix: chartists' noise dominates the first week
    even = [_run(s, trader_initial_fundamentalist_share=0.5) for s in SEEDS]
    assert _first_week_ratio(even) > 2.5
