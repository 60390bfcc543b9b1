"""J's bootstrap interval over seeds (``runs.validate.distance_interval``), against cases whose
distribution of J is known by hand."""

from __future__ import annotations

import pytest

from ailoop.runs.validate import distance, distance_interval


def test_identical_runs_leave_no_interval():
    """Every draw of identical runs has the same means: the interval is the point J, here
    ((0.3 - 0.1) / 0.1)^2 + ((-0.2 - 0) / 0.4)^2 = 4 + 0.25."""
    runs = [{"a": 0.3, "b": -0.2}] * 5
    lo, hi = distance_interval(runs, {"a": 0.1, "b": 0.0}, {"a": 0.1, "b": 0.4}, names=("a", "b"))
    assert lo == pytest.approx(4.25) and hi == pytest.approx(4.25)
    assert distance(runs[0], {"a": 0.1, "b": 0.0}, {"a": 0.1, "b": 0.4}, names=("a", "b")) == pytest.approx(4.25)


def test_two_runs_give_the_three_means_a_draw_can_have():
    """Runs at 0 and 2 (target 0, sd 1): a draw of two seeds has mean 0, 1 or 2 with chances 1/4,
    1/2, 1/4, so J is 0, 1 or 4. The central 95% spans 0 to 4; the central 40% (quantiles 0.3 and
    0.7) is the middle value, 1, alone."""
    runs = [{"a": 0.0}, {"a": 2.0}]
    t, sd = {"a": 0.0}, {"a": 1.0}
    assert distance_interval(runs, t, sd, names=("a",)) == (0.0, 4.0)
    assert distance_interval(runs, t, sd, level=0.4, names=("a",)) == (1.0, 1.0)


def test_the_interval_is_reproducible_and_refuses_what_it_cannot_do():
    runs = [{"a": x} for x in (0.0, 0.5, 1.5, 3.0)]
    t, sd = {"a": 0.0}, {"a": 1.0}
    assert distance_interval(runs, t, sd, names=("a",)) == distance_interval(runs, t, sd, names=("a",))
    with pytest.raises(ValueError, match="at least 2 runs"):
        distance_interval(runs[:1], t, sd, names=("a",))
    with pytest.raises(ValueError, match=r"level must be in \(0, 1\)"):
        distance_interval(runs, t, sd, level=1.0, names=("a",))
