"""How much of a large fall is the economy's and how much the market's? The anatomy of each seed's
largest fall.

For each seed, a 6-year run of ``--scenario``: within the first 4 years (1,008 trading days, the
window of ``benchmarks/market_bounds.py``), the largest fall of chip_leader's market cap from a
running peak, with the dates of the peak and of the trough, and the fall of chip_leader's
consensus fair value per share (``fair_value.chip_leader``: what its earnings, backlog and cost of
capital are worth, before the traders' beliefs) between the same two dates. The share of the fall
the fair value carries is ``fair-value fall / price fall``: near 1, the market followed the firm's
fundamentals down (a fall the economy made); near 0 or negative, the market fell while the
fundamentals held (the market's own swing). The same is printed for the listed firms together:
the sum of their market caps against the sum of their fair values times their shares (the labs'
round valuations, part of ``market_value_total``, have no fair value and are left out).
Prints one row per seed and the medians, with a bootstrap 95% interval (2,000 resamples of the
seeds, generator seed 0) for the median share carried by the fair value over the seeds whose
chip_leader fall exceeds 0.60 (the bound of ``market_bounds.py``).

    python benchmarks/fall_anatomy.py [--seeds 1-20] [--scenario history] [--workers 2]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from market_bounds import BOUNDS, FIRST_4_YEARS, seeds_of

#: the bound on chip_leader's largest fall in the first 4 years (``market_bounds.py``)
CHIP_LEADER_BOUND = BOUNDS["fall_4y_chip_leader"]


def fall_window(v: np.ndarray) -> tuple[float, int, int]:
    """The largest fall of ``v`` from a running peak, as a share of the peak, with the index of
    the peak and of the trough."""
    peaks = np.maximum.accumulate(v)
    fall = 1.0 - v / peaks
    trough = int(np.argmax(fall))
    peak = int(np.argmax(v[: trough + 1]))
    return float(fall[trough]), peak, trough


def one(args) -> dict:
    seed, scenario = args
    from ailoop.model import Economy

    economy = Economy(scenario=scenario, seed=seed, checks=False)
    economy.run(years=6)
    df = economy.datacollector.get_model_vars_dataframe().iloc[:FIRST_4_YEARS]
    dates = df["date"].dt.date.astype(str).to_numpy()
    mcap = df["mcap.chip_leader"].to_numpy()
    fair = df["fair_value.chip_leader"].to_numpy()
    fall, p, t = fall_window(mcap)
    firms = [c.split(".", 1)[1] for c in df.columns if c.startswith("fair_value.")]
    caps = df[[f"mcap.{f}" for f in firms]].to_numpy()
    prices = df[[f"price.{f}" for f in firms]].to_numpy()
    shares = np.divide(caps, prices, out=np.zeros_like(caps), where=prices > 0)  # billions; 0 once defaulted
    loop_fair = (df[[f"fair_value.{f}" for f in firms]].to_numpy() * shares).sum(axis=1)
    loop = caps.sum(axis=1)
    lfall, lp, lt = fall_window(loop)
    return dict(seed=seed, fall=fall, peak=dates[p], trough=dates[t], fair_fall=1.0 - fair[t] / fair[p],
                loop_fall=lfall, loop_peak=dates[lp], loop_trough=dates[lt],
                loop_fair_fall=1.0 - loop_fair[lt] / loop_fair[lp])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="1-20")
    ap.add_argument("--scenario", default="history")
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    from ailoop.model.scenarios import SCENARIOS

    if a.scenario not in SCENARIOS:
        ap.error(f"--scenario {a.scenario!r} is unknown; allowed: {', '.join(SCENARIOS)}")
    if a.workers < 1:
        ap.error("--workers must be >= 1")
    seeds = seeds_of(a.seeds)
    with ProcessPoolExecutor(a.workers) as ex:
        df = pd.DataFrame(list(ex.map(one, [(s, a.scenario) for s in seeds])))
    df["carried"] = df["fair_fall"] / df["fall"]
    df["loop_carried"] = df["loop_fair_fall"] / df["loop_fall"]
    print(f"{a.scenario}, first 4 years of 6, seeds {seeds[0]}-{seeds[-1]} ({len(seeds)} runs); falls as shares of "
          f"the peak; 'carried' = fair-value fall / price fall over the same dates")
    with pd.option_context("display.width", 200):
        print(df.round(2).to_string(index=False))
    big = df[df["fall"] > CHIP_LEADER_BOUND]
    print(f"median chip_leader fall {df['fall'].median():.2f}, its fair value over the same dates "
          f"{df['fair_fall'].median():.2f}; median fall of the listed firms together {df['loop_fall'].median():.2f}, "
          f"their fair value "
          f"{df['loop_fair_fall'].median():.2f}")
    if len(big):
        r = np.random.default_rng(0)
        c = big["carried"].to_numpy()
        boot = np.median(r.choice(c, size=(2000, len(c)), replace=True), axis=1)
        lo, hi = np.percentile(boot, [2.5, 97.5])
        print(f"seeds whose chip_leader fall exceeds {CHIP_LEADER_BOUND:.2f}: {len(big)} of {len(df)}; share of the fall "
              f"its fair value carried: median {np.median(c):.2f} [95% {lo:.2f}, {hi:.2f}]")
    else:
        print(f"no seed's chip_leader fall exceeds {CHIP_LEADER_BOUND:.2f}")


if __name__ == "__main__":
    main()
