"""Full-range draws of the parameter table: the strictest test the books can be put to.

:func:`draw_params` draws every parameter of the table at random across its whole range (floats
uniformly; ints as integers; bools at random; the opening balance sheets included; the three
population sizes log-uniformly, since they change how long a run takes far more than what it
does) and turns on the strictest books check: every identity and the full check after every step
(``check_every = 1``). :func:`run_draw` runs one draw and says whether it ran balanced, was
refused up front (a joint constraint, one line) or failed mid-run. The suite runs 300 short
draws (``tests/test_parameter_ranges.py``), ``benchmarks/bench_full_range.py`` 1,000 six-year
draws across the scenarios.
"""

from __future__ import annotations

import math
import time

import numpy as np

#: population sizes, drawn log-uniformly
LOG_UNIFORM = ("n_traders", "retail_holders", "n_bond_buyers")


def draw_params(rng: np.random.Generator) -> dict:
    """One value for every parameter of the table, at random across its range, with the books
    checked in full after every step."""
    from ailoop.model.params import PARAMETERS

    out = {}
    for name, p in PARAMETERS.items():
        if p.kind is bool:
            out[name] = bool(rng.random() < 0.5)
        elif p.kind is int and name in LOG_UNIFORM:
            out[name] = int(min(p.hi, max(p.lo, round(math.exp(rng.uniform(math.log(max(p.lo, 1)), math.log(p.hi)))))))
        elif p.kind is int:
            out[name] = int(rng.integers(int(p.lo), int(p.hi) + 1))
        else:
            out[name] = float(rng.uniform(p.lo, p.hi))
    out["checks"], out["check_every"] = True, 1  # every identity and the full check after every step
    return out


def run_draw(k: int, steps: int, scenario: str = "baseline", seed: int = 20250901) -> dict:
    """Run draw ``k`` (parameters from ``numpy.random.default_rng([seed, k])``, model seed ``k``)
    of ``scenario`` for ``steps`` trading days with the books checked after every step. Returns
    ``{"draw", "scenario", "outcome": "ran" | "refused" | "failed", "detail", "steps", "seconds"}``."""
    from ailoop.model import Economy
    from ailoop.model.params import ParameterError

    params = draw_params(np.random.default_rng([seed, k]))
    t0 = time.perf_counter()
    out = {"draw": k, "scenario": scenario, "outcome": "ran", "detail": "", "steps": 0}
    try:
        eco = Economy(scenario=scenario, seed=k, **params)
    except ParameterError as e:
        out.update(outcome="refused", detail=str(e))
    else:
        try:
            eco.run(years=steps / 252)  # checks=True, check_every=1: nothing may raise
            eco.check_books()
        except Exception as e:  # noqa: BLE001 - any failure mid-run is what is looked for
            out.update(outcome="failed", detail=f"step {eco.steps}: {type(e).__name__}: {' '.join(str(e).split())[:300]}")
        out["steps"] = eco.steps
    out["seconds"] = time.perf_counter() - t0
    return out
