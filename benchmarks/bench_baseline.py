"""Wall time of the 6-year baseline (1,512 trading days), with and without per-step book checks.

Prints the median and spread of N runs of each variant, measured in one process, one after the
other. Usage: ``python benchmarks/bench_baseline.py [N]`` (default 5).
"""

from __future__ import annotations

import statistics
import sys
import time

from ailoop.model import Economy


def time_run(checks: bool, seed: int) -> float:
    t0 = time.perf_counter()
    economy = Economy(scenario="baseline", seed=seed, checks=checks)
    economy.run(years=6)
    economy.datacollector.get_model_vars_dataframe()
    return time.perf_counter() - t0


def main(n: int = 5) -> None:
    for checks in (False, True):
        times = [time_run(checks, seed) for seed in range(1, n + 1)]
        print(f"6-year baseline, checks={checks!s:5}: median {statistics.median(times):.3f} s "
              f"(min {min(times):.3f}, max {max(times):.3f}, n={n})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
