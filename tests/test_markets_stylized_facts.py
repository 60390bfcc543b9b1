"""Daily returns of the standalone market look like stock returns.

Fewer seeds and days than ``benchmarks/stylized_facts.py`` (20 x 1,500, numbers in
docs/markets.md) to stay fast: 4 seeds x 1,200 days x 8 firms.
"""

from __future__ import annotations

import numpy as np
import pytest

from ailoop.agents.traders import TraderParams
from ailoop.model.markets import MarketParams
from ailoop.model.markets.sandbox import MarketSandbox, return_statistics

SEEDS = (101, 102, 103, 104)
DAYS = 1200


def _stats(trader_params=None, seeds=SEEDS, days=DAYS, market_params=None):
    per = [return_statistics(MarketSandbox(seed=s, trader_params=trader_params, market_params=market_params).run(days))
           for s in seeds]
    return {k: np.array([p[k] for p in per]) for k in per[0]}     # (seeds, firms)


@pytest.fixture(scope="module")
def default_stats():
    return _stats()


def test_fat_tails(default_stats):
    assert default_stats["excess_kurtosis"].mean() > 1.0


def test_returns_nearly_uncorrelated(default_stats):
    acf1 = default_stats["acf1"]
    assert abs(acf1.mean()) < 0.1
    assert np.all(np.abs(acf1.mean(axis=0)) < 0.15), acf1.mean(axis=0)    # every firm


def test_volatility_clusters(default_stats):
    assert default_stats["acf_abs"].mean() > 0.05


def test_realistic_volatility(default_stats):
    vol = default_stats["annual_vol"]
    assert 0.15 < vol.mean() < 0.80
    assert np.all((vol > 0.10) & (vol < 1.2))


def test_switching_is_what_clusters_volatility(default_stats):
    """Control: without strategy switching, with equal belief noise for both types and without
    the extra volatility after news (the sandbox's monthly revenue figures are news too), the
    volatility clustering (and most of the fat tails) disappear - the tests above can fail."""
    flat = TraderParams.of(trader_revision_rate=0.0, trader_noise_chartist=TraderParams.of().trader_noise_fundamentalist)
    control = _stats(flat, seeds=SEEDS[:2], days=DAYS, market_params=MarketParams.of(market_uncertainty_gain=0.0))
    assert control["acf_abs"].mean() < 0.5 * default_stats["acf_abs"].mean()
    assert control["acf_abs"].mean() < 0.05
