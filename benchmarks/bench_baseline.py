"""Wall time of the 6-year baseline (1,512 trading days): books unchecked, the default checks
(identities after every step, the full check every month and at the end) and the full check
after every step (``check_every=1``).

Prints the median and range of N runs of each variant (seeds 1..N), measured in one process, one
after the other. Usage: ``python benchmarks/bench_baseline.py [N]`` (default 5).
"""

from __future__ import annotations

import statistics
import sys
import time

from ailoop.model import Economy

VARIANTS = (("books unchecked", dict(checks=False)),
            ("default checks", dict()),
            ("full check every step", dict(check_every=1)))


def time_run(seed: int, **kw) -> float:
    t0 = time.perf_counter()
    economy = Economy(scenario="baseline", seed=seed, **kw)
    economy.run(years=6)
    economy.datacollector.get_model_vars_dataframe()
    return time.perf_counter() - t0


def main(n: int = 5) -> None:
    for label, kw in VARIANTS:
        times = [time_run(seed, **kw) for seed in range(1, n + 1)]
        print(f"6-year baseline, {label:22s}: median {statistics.median(times):.3f} s "
              f"(min {min(times):.3f}, max {max(times):.3f}, seeds 1-{n})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
