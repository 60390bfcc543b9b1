"""Stylized facts of daily returns in the standalone market: 20 seeds x 1,500 days x 8 firms.

Synthetic fundamentals grow smoothly with monthly noise and quarterly earnings surprises
(``model.markets.sandbox``); everything else is the default market. Prints, for each statistic,
the mean over seeds of the firm average, the standard deviation over seeds, the range, and the
per-firm means. Usage: ``python benchmarks/stylized_facts.py [n_seeds] [days]``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np


from ailoop.model.markets.sandbox import MarketSandbox, return_statistics  # noqa: E402

STATS = ("excess_kurtosis", "acf1", "acf_abs", "annual_vol")
TARGETS = {"excess_kurtosis": "> 1", "acf1": "|.| < 0.1", "acf_abs": "> 0.05", "annual_vol": "0.15 - 0.80"}


def main(n_seeds: int = 20, days: int = 1500) -> dict[str, np.ndarray]:
    per_seed = {k: [] for k in STATS}
    names = None
    t0 = time.perf_counter()
    for seed in range(n_seeds):
        sb = MarketSandbox(seed=seed)
        names = sb.names
        st = return_statistics(sb.run(days))
        for k in STATS:
            per_seed[k].append(st[k])
    out = {k: np.array(v) for k, v in per_seed.items()}       # (seeds, firms)
    print(f"{n_seeds} seeds x {days} days x {len(names)} firms ({time.perf_counter() - t0:.1f} s)")
    print(f"{'statistic':16s} {'target':>11s} {'mean':>8s} {'sd(seeds)':>10s} {'min':>8s} {'max':>8s}   per firm (mean over seeds)")
    for k in STATS:
        firm_avg = out[k].mean(axis=1)
        per_firm = " ".join(f"{v:6.3f}" for v in out[k].mean(axis=0))
        print(f"{k:16s} {TARGETS[k]:>11s} {firm_avg.mean():8.3f} {firm_avg.std(ddof=1):10.3f} "
              f"{firm_avg.min():8.3f} {firm_avg.max():8.3f}   {per_firm}")
    print("firms:", " ".join(names))
    return out


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*args)
