"""Stylized facts of daily returns in the full economy (not the market sandbox).

Runs the baseline for N seeds x 6 years and, per firm, computes excess kurtosis, the lag-1
autocorrelation of returns, the mean autocorrelation of absolute returns at lags 1-10 and the
annualised volatility; prints mean and spread over seeds (firms pooled per seed, medians over
firms). Usage: ``python benchmarks/economy_stylized_facts.py [--seeds 20] [--workers 2]``.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np


def acf(x: np.ndarray, lag: int) -> float:
    x = x - x.mean()
    return float(np.dot(x[:-lag], x[lag:]) / np.dot(x, x))


def facts(seed: int) -> dict[str, float]:
    from ailoop.model import Economy

    economy = Economy(seed=seed, checks=False)
    economy.run(years=6)
    df = economy.datacollector.get_model_vars_dataframe()
    out = {"kurtosis": [], "acf1": [], "acf_abs": [], "vol": []}
    for f in economy.public_firms:
        if f.defaulted:
            continue
        r = df[f"return.{f.aid}"].to_numpy()[1:]
        z = (r - r.mean()) / r.std()
        out["kurtosis"].append(float(np.mean(z ** 4) - 3.0))
        out["acf1"].append(acf(r, 1))
        out["acf_abs"].append(float(np.mean([acf(np.abs(r), k) for k in range(1, 11)])))
        out["vol"].append(float(r.std() * np.sqrt(252)))
    return {k: float(np.median(v)) for k, v in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    with ProcessPoolExecutor(a.workers) as ex:
        rows = list(ex.map(facts, range(1, a.seeds + 1)))
    for k in ("kurtosis", "acf1", "acf_abs", "vol"):
        v = np.array([r[k] for r in rows])
        print(f"{k:10s} mean {v.mean():+.3f}  sd {v.std():.3f}  min {v.min():+.3f}  max {v.max():+.3f}  (n={len(v)} seeds)")


if __name__ == "__main__":
    main()
