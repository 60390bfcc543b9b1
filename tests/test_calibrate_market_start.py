"""``benchmarks/calibrate_market.py --fit``: where the fit starts and what each evaluation runs with.

A ``--set`` of a free parameter is the fit's starting point (so a fit can be rerun from an earlier
calibration); a ``--set`` of any other parameter is held at every evaluation. The expected values
are computed here by hand from the table's defaults and ranges (e^0.25 = 1.2840254167).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from calibrate_market import FREE, fit_params, start_simplex, to_params  # noqa: E402

from ailoop.model.params import PARAMETERS  # noqa: E402

E025 = 1.2840254167  # e^0.25, the log parameters' first step
NAMES = [n for n, _ in FREE]


def _vertex(simplex: np.ndarray, name: str) -> dict:
    """The parameters at the simplex vertex that moves ``name`` alone."""
    return to_params(simplex[1 + NAMES.index(name)])


def test_without_a_set_the_fit_starts_at_the_tables_defaults():
    x0, simplex = start_simplex({})
    start = to_params(x0)
    for name in NAMES:
        assert start[name] == pytest.approx(PARAMETERS[name].default, rel=1e-12)
    assert simplex.shape == (len(FREE) + 1, len(FREE))
    assert np.array_equal(simplex[0], x0)


def test_a_set_of_a_free_parameter_is_where_the_fit_starts():
    x0, simplex = start_simplex({"trader_noise_fundamentalist": 0.00506, "market_impact_transient_share": 0.0})
    start = to_params(x0)
    assert start["trader_noise_fundamentalist"] == pytest.approx(0.00506, rel=1e-12)
    assert start["market_impact_transient_share"] == 0.0
    assert start["trader_herding"] == pytest.approx(PARAMETERS["trader_herding"].default, rel=1e-12)
    # the vertices around it: a log parameter times e^0.25, the transient share plus 0.05
    assert _vertex(simplex, "trader_noise_fundamentalist")["trader_noise_fundamentalist"] == pytest.approx(
        0.00506 * E025, rel=1e-9)
    moved = _vertex(simplex, "market_impact_transient_share")
    assert moved["market_impact_transient_share"] == pytest.approx(0.05, abs=1e-12)
    assert moved["trader_noise_fundamentalist"] == pytest.approx(0.00506, rel=1e-12)  # the others stay


def test_a_vertex_beyond_a_parameters_range_is_held_at_its_edge():
    # chartist noise: range [0, 0.2]; 0.165 x e^0.25 = 0.2119 is beyond it, 0.15 x e^0.25 = 0.1926 is not
    _, simplex = start_simplex({"trader_noise_chartist": 0.165})
    assert PARAMETERS["trader_noise_chartist"].hi == 0.2
    assert _vertex(simplex, "trader_noise_chartist")["trader_noise_chartist"] == 0.2
    _, simplex = start_simplex({"trader_noise_chartist": 0.15})
    assert _vertex(simplex, "trader_noise_chartist")["trader_noise_chartist"] == pytest.approx(0.15 * E025, rel=1e-9)


def test_each_evaluation_holds_the_other_sets_and_moves_the_free_parameters():
    fixed = {"market_signal_phase_in_days": 0, "trader_noise_fundamentalist": 0.00506}
    x0, _ = start_simplex(fixed)
    assert "market_signal_phase_in_days" not in to_params(x0)  # not a free parameter: not the optimiser's
    x = x0.copy()
    x[NAMES.index("trader_noise_fundamentalist")] = math.log(0.007)
    p = fit_params(fixed, x)
    assert p["market_signal_phase_in_days"] == 0  # held
    assert p["trader_noise_fundamentalist"] == pytest.approx(0.007, rel=1e-12)  # the optimiser's point, not the start
    assert set(p) == {*NAMES, "market_signal_phase_in_days"}
