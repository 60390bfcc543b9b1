"""``benchmarks/bench_baseline.py --against``: the ratio of medians and its interval over the rounds,
checked on cases whose bootstrap distribution is known by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from bench_baseline import ratio_interval  # noqa: E402


def test_rounds_in_the_same_ratio_give_an_interval_of_that_ratio_alone():
    this, other = [3.6, 4.8, 6.0, 4.2], [3.0, 4.0, 5.0, 3.5]  # every round 1.2 times slower
    assert ratio_interval(this, other) == pytest.approx((1.2, 1.2), rel=1e-12)


def test_two_rounds_the_interval_is_the_resampled_medians_ends():
    # this = [1, 2] against other = [1, 1]: a resample of the two rounds is both round 1 (median
    # ratio 1, chance 1/4), both round 2 (ratio 2, chance 1/4) or one of each (1.5, chance 1/2);
    # the 2.5th percentile is therefore 1 and the 97.5th is 2
    assert ratio_interval([1.0, 2.0], [1.0, 1.0]) == pytest.approx((1.0, 2.0))


def test_the_pairs_are_kept_together():
    # paired rounds: round 1 is slow for both versions, round 2 fast for both; every resample has
    # equal medians on the two sides, so the ratio is exactly 1 (unpaired resampling would not be)
    assert ratio_interval([10.0, 2.0], [10.0, 2.0]) == pytest.approx((1.0, 1.0))
