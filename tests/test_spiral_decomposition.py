"""How benchmarks/spiral_decomposition.py reports a channel: its share of a scenario's extra fall
only when that fall is distinguishable from zero, and always the change the channel's removal
makes. Hand-built extra falls over three seeds; every expected figure is computed by hand."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "spiral_decomposition.py"
spec = importlib.util.spec_from_file_location("spiral_decomposition_script", SCRIPT)
spiral = importlib.util.module_from_spec(spec)
sys.path.insert(0, str(SCRIPT.parent))  # the script imports its sibling scenario_stats, as when run
try:
    spec.loader.exec_module(spiral)
finally:
    sys.path.remove(str(SCRIPT.parent))


def test_a_fall_that_is_there_gets_a_share():
    """Extra falls 0.1, 0.2, 0.3 (every resample's mean is positive); without the channel 0.05,
    0.1, 0.15: share 1 - 0.1/0.2 = 0.50, and the removal changes the fall by -0.100."""
    row = spiral.channel_row("a channel", np.array([0.1, 0.2, 0.3]), np.array([0.05, 0.1, 0.15]))
    fields = row.split()
    assert fields[2] == "0.50"
    assert "0.100" in fields and "-0.100" in fields


def test_a_fall_not_distinguishable_from_zero_gets_no_share():
    """Extra falls -0.1, 0.0, 0.1 (mean 0; resampled means from -0.1 to 0.1): no share, but the
    change is reported: without the channel 0.0, 0.1, 0.2, a change of +0.100 in every seed."""
    row = spiral.channel_row("a channel", np.array([-0.1, 0.0, 0.1]), np.array([0.0, 0.1, 0.2]))
    assert "n/a" in row and "[" in row
    assert "+0.100 [+0.100, +0.100]" in row


@pytest.mark.parametrize("extra, defined", [
    ([0.01, 0.02, 0.03], True),    # small but every resample positive
    ([-0.01, 0.02, 0.03], False),  # a resample of three -0.01s has a negative mean
])
def test_the_share_is_defined_exactly_when_the_interval_excludes_zero(extra, defined):
    row = spiral.channel_row("a channel", np.array(extra), np.array([0.0, 0.0, 0.0]))
    assert ("n/a" not in row) == defined
