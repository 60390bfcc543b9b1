"""Pick the calibration among a fit's near-best points that keeps the baseline within its bounds.

The MSM fit (``benchmarks/calibrate_market.py --fit --out FIT.json``) targets the S&P 500's
moments only. Its near-optimal region is flat (a short Nelder-Mead run on 8 seeds: differences
in J of 1 are within the seed noise), and points in it differ in how far the AI loop's market
falls in a baseline where nothing goes wrong. This script takes every evaluation of the fit whose J
is within ``--tolerance`` of the best, runs each point's 6-year baseline over ``--seeds`` and
checks the issue's bounds at the point rounded to three significant figures, as the parameter table
holds it (``benchmarks/market_bounds.py``: median largest fall of the loop's
market value in the first 4 years <= 0.35 and of chip_leader's <= 0.60, median peak <= 3x, no day
on the circuit breaker after the autumn-2025 announcement days, the median over seeds of the p99
|log(fair value / price)| <= log 3). The announcement days are left out of the breaker count:
they are the out-of-sample check of ``announcement_returns.py`` (the cloud's real move was +36%;
the model's, about +50%, reaches the limit in a seed or two at every near-best point of issue
10's refit), not a runaway market; ``market_bounds.py`` prints them separately. It
prints one row per point and names the lowest-J point that meets them all: the constrained
calibration (the bounds restrict the fit; they are not targets). Check it on fresh seeds with
``calibrate_market.py --seeds 101-120`` and ``market_bounds.py --seeds 101-120``.

    python benchmarks/select_calibration.py FIT.json [--tolerance 1.0] [--seeds 1-20] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from market_bounds import one, seeds_of

BOUNDS = {"fall_4y": 0.35, "fall_4y_chip_leader": 0.60, "peak": 3.0}


def check(params: dict, seeds: list[int], workers: int) -> dict:
    """The bounds' statistics of one parameter point over ``seeds`` (medians, as market_bounds.py)."""
    with ProcessPoolExecutor(workers) as ex:
        rows = pd.DataFrame(list(ex.map(one, [(s, "baseline", params) for s in seeds])))
    out = {k: float(rows[k].median()) for k in BOUNDS}
    out["breaker_days"] = int(rows["breaker_days"].sum())
    out["breaker_days_2025"] = int(rows["breaker_days_2025"].sum())
    out["gap_p99"] = float(np.median(rows["gap_p99"]))
    out["meets"] = (all(out[k] <= b for k, b in BOUNDS.items()) and out["breaker_days"] == out["breaker_days_2025"]
                    and out["gap_p99"] <= math.log(3.0))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("fit", help="the JSON file calibrate_market.py --fit --out wrote")
    ap.add_argument("--tolerance", type=float, default=1.0, help="keep points with J <= best J + this")
    ap.add_argument("--seeds", default="1-20")
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    path = Path(a.fit)
    if not path.is_file():
        sys.exit(f"error: no fit file {path} (write one with calibrate_market.py --fit --out {path})")
    try:
        evaluations = json.loads(path.read_text())["evaluations"]
    except (ValueError, KeyError, TypeError) as e:
        sys.exit(f"error: {path} is not a fit file of calibrate_market.py --out (needs 'evaluations'): {e}")
    if a.tolerance < 0:
        sys.exit(f"error: --tolerance must be >= 0, got {a.tolerance}")
    seeds = seeds_of(a.seeds)
    best = min(j for j, _ in evaluations)
    # each point as it would be written into the parameter table: three significant figures
    points = sorted(((j, {k: float(f"{v:.3g}") for k, v in p.items()}) for j, p in evaluations
                     if j <= best + a.tolerance), key=lambda x: x[0])
    print(f"{len(points)} of {len(evaluations)} evaluations within {a.tolerance} of the best J ({best:.3f}); "
          f"baseline bounds over seeds {seeds[0]}-{seeds[-1]}:")
    chosen = None
    rows = []
    for j, p in points:
        r = check(p, seeds, a.workers)
        rows.append({"J": round(j, 3), **p,
                     "fall_4y": round(r["fall_4y"], 3), "fall_4y_chip_leader": round(r["fall_4y_chip_leader"], 3),
                     "peak": round(r["peak"], 2), "breaker_days": r["breaker_days"],
                     "of_them_2025": r["breaker_days_2025"],
                     "gap_p99": round(r["gap_p99"], 2), "meets": r["meets"]})
        if r["meets"] and chosen is None:
            chosen = (j, p)
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(pd.DataFrame(rows).to_string(index=False))
    if chosen is None:
        print("no point within the tolerance meets every bound")
    else:
        print(f"chosen (lowest J meeting every bound): J = {chosen[0]:.3f} on the fit seeds; "
              + json.dumps(chosen[1]))


if __name__ == "__main__":
    main()
