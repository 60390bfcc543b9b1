"""``benchmarks/garch_halves.py``: the yearly volatility ratio and the halves a GARCH is fitted to,
checked on series built by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import garch_halves  # noqa: E402


def _year(size: float) -> np.ndarray:
    return np.tile([size, -size], 126)  # 252 days, mean 0: every year's sd is size x sqrt(252 / 251)


def test_the_vol_ratio_is_the_highest_year_over_the_lowest_and_ignores_a_partial_year():
    r = np.concatenate([_year(0.02), _year(0.01), _year(0.03)])
    assert garch_halves.year_vol_ratio(r) == pytest.approx(3.0, rel=1e-12)
    with_tail = np.concatenate([r, np.full(100, 0.5)])  # 100 days of a fourth year: left out
    assert garch_halves.year_vol_ratio(with_tail) == pytest.approx(3.0, rel=1e-12)
    assert garch_halves.year_vol_ratio(np.concatenate([_year(0.01), _year(0.01)])) == pytest.approx(1.0)


def test_each_half_is_fitted_on_its_own_days(monkeypatch):
    import ailoop.runs.moments as moments

    seen = []
    monkeypatch.setattr(moments, "garch_persistence", lambda x: seen.append((len(x), x[0], x[-1])) or float(len(x)))
    r = np.arange(1512, dtype=float)
    row = garch_halves.halves_row(r)
    assert seen == [(1512, 0.0, 1511.0), (756, 0.0, 755.0), (756, 756.0, 1511.0)]
    assert (row["whole"], row["first half"], row["second half"]) == (1512.0, 756.0, 756.0)


def test_the_summary_counts_whole_runs_above_the_bound_on_both_sides_of_it():
    rows = [{"whole": w, "first half": 0.9, "second half": 0.8, "vol ratio": 2.0} for w in (0.999, 0.9991, 1.0)]
    cells = garch_halves.summary(rows).split()
    assert cells[3:6] == ["2", "of", "3"]  # 0.999 is on the bound (within), 0.9991 and 1.0 beyond it
    assert cells[0] == "0.999"  # the median of the whole-run figures
