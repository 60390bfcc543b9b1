"""``benchmarks/trend_in_returns.py``: the pooled autocorrelation it prints, by hand, and its
one-line refusal of a firm that has no market price."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from trend_in_returns import acf_lags, main, pooled  # noqa: E402


def test_pooled_is_the_mean_over_lags_of_the_absolute_mean_over_seeds():
    """Two seeds' ACFs at 10 lags: at lag 1 they average 0.1, at lag 2 -0.05, at lags 3-10 0.
    Pooled: (0.1 + 0.05) / 10 = 0.015 (a seed's own mean |ACF| would be 0.02 and 0.015)."""
    a = np.array([0.2, -0.1] + [0.05, -0.05] * 4)
    b = np.array([0.0, 0.0] + [-0.05, 0.05] * 4)
    assert pooled([a, b]) == pytest.approx(0.015, abs=1e-15)


def test_the_acf_of_an_alternating_series_is_minus_one_then_plus_one():
    """x = +1, -1, +1, ... (mean 0 over an even length n): the lag-k sum is (-1)^k (n - k), the
    denominator n; at n = 1,000 the ACF at lag k is (-1)^k (1 - k / 1000)."""
    x = np.array([1.0, -1.0] * 500)
    expected = np.array([(-1) ** k * (1 - k / 1000) for k in range(1, 11)])
    assert np.allclose(acf_lags(x), expected, rtol=0, atol=1e-12)


def test_a_firm_without_a_market_price_is_refused_in_one_line(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--firm", "lab", "--seeds", "1-2", "--scenario", "baseline"])
    assert info.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert "--firm 'lab' is not a listed firm of baseline; allowed: " in last and "neocloud" in last
