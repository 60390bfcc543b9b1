"""Stylized facts of daily returns in the full economy, per listed firm and for the AI-loop index.

Runs the baseline (or ``--scenario``) for N seeds x 6 years (1,512 trading days) and, for the index (the loop's
market value, ``market_value_total``) and each listed firm, computes:

* mean |ACF of r| over lags 1-10 (bound <= 0.03): per seed, then the median over seeds; and
  "pooled", the mean over lags of |the mean over seeds of the ACF at that lag| (a run's own
  estimates carry sampling noise of about 0.02 per lag at this length, more under volatility
  clustering; pooling over seeds shows how far returns really trend), beside its noise floor: the
  same figure for the run's own |r| with random signs (``runs/moments.acf_sign_floor``: the
  clustering kept, any dependence removed), so a run at its floor has no linear dependence to show;
* mean ACF of |r| over lags 1-10 (bound >= 0.15) and at lag 50 (>= 0.05), excess kurtosis (> 1):
  medians over seeds;
* GARCH(1,1) persistence alpha + beta fitted with ``arch`` (in [0.90, 0.999]): median over seeds.

The last rows are references measured the same way: the S&P 500 1999-2018 over its 1,512-day
windows (one a quarter, medians over windows), as it is and with one +36% day added on day 7 of
each window (the cloud's real announcement-day move, which the model reproduces out of sample:
one such day pulls the autocorrelations of |r| of a real series far below the clustering
bounds), and as many i.i.d. normal series of the same length (seed 0: the sampling noise of the
autocorrelations alone). At this sample length the S&P 500's own mean |ACF of r| is about 0.04,
so the per-run bound of 0.03 is tighter than the data; the pooled figure is the one to compare
with a long sample's (the line below the table prints the S&P 500's over its full 20 years).

A firm is counted in the seeds in which it did not default. ``--from-day D`` keeps only the days
from D on (e.g. 60: after the 2025 announcement days, single jumps of +10% to +50% for the cloud
and chip_challenger that dominate their kurtosis and |r| autocorrelations in a 1,512-day sample).
Usage: ``python benchmarks/economy_stylized_facts.py [--seeds 1-20] [--scenario baseline] [--workers 2]
[--no-garch] [--from-day 0]``.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np

BOUNDS = {"mean |acf r| (median)": ("<=", 0.03), "mean |acf r| (pooled)": ("<=", 0.03),
          "mean acf |r| 1-10": (">=", 0.15), "acf |r| lag 50": (">=", 0.05), "excess kurtosis": (">", 1.0),
          "GARCH a+b": ("in", (0.90, 0.999))}


def beyond(value: float, op: str, bound) -> float:
    """How far ``value`` lies outside a bound of :data:`BOUNDS` (``op`` one of "<=", ">=", ">",
    "in"; 0 on or within it)."""
    if op == "<=":
        return max(value - bound, 0.0)
    if op in (">=", ">"):
        return max(bound - value, 0.0)
    return max(bound[0] - value, value - bound[1], 0.0)


def within(value: float, op: str, bound) -> bool:
    """Whether ``value`` meets a bound of :data:`BOUNDS` (a strict ">" excludes the bound itself)."""
    return beyond(value, op, bound) == 0.0 and not (op == ">" and value == bound)


def seeds_of(text: str) -> list[int]:
    if "-" in text:
        a, b = text.split("-")
        return list(range(int(a), int(b) + 1))
    return [int(x) for x in text.split(",")]


def facts(args) -> dict[str, dict]:
    seed, garch, start, drop_month_starts, params, scenario = args
    from ailoop.model.economy import STEPS_PER_MONTH
    from ailoop.runs.moments import acf, acf_sign_floor, stylized_facts
    from ailoop.runs.validate import run_returns

    out = {}
    for name, r in run_returns(seed, scenario=scenario, **params).items():
        if drop_month_starts:  # return i is the move into trading day i + 1; a month opens every 21 days
            r = np.delete(r, np.arange(STEPS_PER_MONTH - 1, r.size, STEPS_PER_MONTH))
        r = r[start:]
        sf = stylized_facts(r, garch=garch)
        sf["acf_lags"] = acf(r, range(1, 11))
        sf["acf_floor"] = acf_sign_floor(r, range(1, 11), draws=FLOOR_DRAWS)
        out[name] = sf
    return out


#: the noise floor of mean |acf r| (no bound: what the series' own |r| path gives with random signs)
FLOOR, FLOOR_DRAWS = "floor (random signs)", 50

#: the cloud's real announcement-day move (2025-09-10: +36%) and the trading day it falls on in a run
ANNOUNCEMENT_JUMP, ANNOUNCEMENT_DAY = 0.36, 7


def windows(r: np.ndarray, length: int) -> list[np.ndarray]:
    """``length``-day windows of ``r``, one every 63 trading days (a quarter)."""
    return [r[start:start + length].copy() for start in range(0, r.size - length + 1, 63)]


def reference_rows(series: list[np.ndarray], garch: bool, jump: float = 0.0) -> list[dict]:
    """The facts of each series as if it were a run; ``jump`` adds one day's move of that size (a
    fraction: 0.36 = +36%) on its day ``ANNOUNCEMENT_DAY``."""
    from ailoop.runs.moments import acf, acf_sign_floor, stylized_facts

    rows = []
    for w in series:
        if jump and w.size > ANNOUNCEMENT_DAY:
            w = w.copy()
            w[ANNOUNCEMENT_DAY] += np.log1p(jump)
        sf = stylized_facts(w, garch=garch)
        sf["acf_lags"] = acf(w, range(1, 11))
        sf["acf_floor"] = acf_sign_floor(w, range(1, 11), draws=FLOOR_DRAWS)
        rows.append(sf)
    return rows


def summary(rows: list[dict], garch: bool) -> dict[str, float]:
    """Medians over runs (or windows) of the facts, and the pooled mean |ACF of r|."""
    vals = {"mean |acf r| (median)": np.median([x["mean_abs_acf_r"] for x in rows]),
            FLOOR: np.median([x["acf_floor"] for x in rows]),
            "mean |acf r| (pooled)": float(np.mean(np.abs(np.mean([x["acf_lags"] for x in rows], axis=0)))),
            "mean acf |r| 1-10": np.median([x["mean_acf_abs_r"] for x in rows]),
            "acf |r| lag 50": np.median([x["acf_abs_50"] for x in rows]),
            "excess kurtosis": np.median([x["kurtosis"] for x in rows])}
    if garch:
        vals["GARCH a+b"] = np.median([x["garch"] for x in rows])
    return vals


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="1-20")
    ap.add_argument("--scenario", default="baseline", help="a preset of `ailoop scenarios` (default: baseline)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-garch", action="store_true")
    ap.add_argument("--from-day", type=int, default=0, help="drop the first D days of each run")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="change a parameter in every run")
    ap.add_argument("--drop-month-starts", action="store_true",
                    help="diagnostic: leave out each month's first trading day (the economy's monthly figures arrive then)")
    a = ap.parse_args()
    seeds = seeds_of(a.seeds)
    from ailoop.model.scenarios import ScenarioError, get_scenario
    from ailoop.runs.cli import sets_or_exit

    try:
        get_scenario(a.scenario)
    except ScenarioError as err:
        ap.error(str(err))

    params = sets_or_exit(ap, a.set)
    with ProcessPoolExecutor(a.workers) as ex:
        runs = list(ex.map(facts, [(s, not a.no_garch, a.from_day, a.drop_month_starts, params, a.scenario)
                                   for s in seeds]))
    names = ["index"] + sorted({k for r in runs for k in r if k != "index"})
    print(f"{a.scenario}, 6 years, seeds {seeds[0]}-{seeds[-1]} ({len(seeds)} runs); medians over seeds"
          + (f"; days {a.from_day} on" if a.from_day else "")
          + ("; each month's first trading day left out" if a.drop_month_starts else "")
          + (f"; {params}" if params else ""))
    cols = list(BOUNDS) if not a.no_garch else list(BOUNDS)[:-1]
    cols.insert(1, FLOOR)
    print(f"{'series':16s} {'runs':>4s} " + " ".join(f"{c:>22s}" for c in cols))
    bad = []
    for n in names:
        rows = [r[n] for r in runs if n in r]
        vals = summary(rows, not a.no_garch)
        cells = []
        for c in cols:
            v = vals[c]
            if c not in BOUNDS:
                cells.append(f"{v:21.3f} ")
                continue
            ok = within(v, *BOUNDS[c])
            if not ok:
                bad.append((n, c, round(float(v), 3)))
            cells.append(f"{v:21.3f}{' ' if ok else '*'}")
        print(f"{n:16s} {len(rows):4d} " + " ".join(cells))
    from ailoop.runs.moments import acf
    from ailoop.runs.validate import sp500_returns

    length, sp = 1512 - a.from_day, sp500_returns()
    sp_windows = windows(sp, length)
    normal = list(np.random.default_rng(0).standard_normal((len(sp_windows), length)))
    for label, series, jump in (("S&P 500", sp_windows, 0.0), ("S&P 500 + jump", sp_windows, ANNOUNCEMENT_JUMP),
                                ("i.i.d. normal", normal, 0.0)):
        ref = summary(reference_rows(series, not a.no_garch, jump), not a.no_garch)
        print(f"{label:16s} {len(series):4d} " + " ".join(f"{ref[c]:21.3f} " for c in cols))
    print(f"(references, measured the same way: the S&P 500 1999-2018 over its {length}-day windows, one a "
          f"quarter, medians over windows; '+ jump': each window with one +{ANNOUNCEMENT_JUMP:.0%} day on its day "
          f"{ANNOUNCEMENT_DAY}, the cloud's real announcement move; i.i.d. normal series of the same length, seed 0. "
          f"The data, not a bound. The S&P 500's mean |acf r| over lags 1-10 on its full "
          f"{sp.size:,} days: {np.mean(np.abs(acf(sp, range(1, 11)))):.3f})")
    print(f"({FLOOR}: median over runs of the mean |acf r| over lags 1-10 of the same |r| with random signs, "
          f"{FLOOR_DRAWS} draws, seed 0 - the sampling noise a run's own volatility clustering gives with no "
          f"dependence at all (runs/moments.py acf_sign_floor); a per-run figure at its floor is noise)")
    print("bounds: " + "; ".join(f"{c} {op} {b}" for c, (op, b) in BOUNDS.items() if c in cols))
    print("all within their bounds" if not bad else f"outside their bounds (*): {bad}")


if __name__ == "__main__":
    main()
