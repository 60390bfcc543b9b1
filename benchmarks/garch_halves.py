"""GARCH(1,1) persistence of each series over a whole run and over each half, beside how much its
volatility moves from year to year: is an alpha + beta at 1 volatility that clusters, or a level of
volatility that shifts between regimes?

A GARCH(1,1) fitted to a series whose volatility changes level partway (a structural break) reads
the shift as persistence and puts alpha + beta near 1 (Lamoureux & Lastrapes 1990, "Persistence in
variance, structural change, and the GARCH model", Journal of Business & Economic Statistics
8(2)). For the index (the loop's market value) and each listed firm of ``--scenario`` on
``--seeds``, six years (1,512 trading days) a run, this prints medians over the seeds in which the
series exists of: alpha + beta over the whole run (as ``economy_stylized_facts.py``), over the first
and over the second half (756 days each); the number of seeds whose whole-run alpha + beta is above
0.999 (the upper bound of ``economy_stylized_facts.BOUNDS``); and the ratio of the highest to the
lowest annualised volatility of the run's six years (252 days each). The last row measures the
S&P 500 1999-2018 the same way, over its 1,512-day windows, one a quarter (63 days apart).

    python benchmarks/garch_halves.py [--seeds 101-120] [--scenario baseline] [--workers 2] [--set NAME=VALUE]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from economy_stylized_facts import BOUNDS, seeds_of, windows

from ailoop.model.economy import STEPS_PER_YEAR

RUN_DAYS = 6 * STEPS_PER_YEAR  # a run's six years
UPPER = BOUNDS["GARCH a+b"][1][1]  # the stylized facts' upper bound on GARCH alpha + beta (0.999)


def year_vol_ratio(r: np.ndarray) -> float:
    """Highest over lowest annualised volatility of the whole years of ``r`` (252 days each; a
    partial last year is left out)."""
    n = STEPS_PER_YEAR
    vols = [np.std(r[k * n:(k + 1) * n], ddof=1) for k in range(len(r) // n)]
    return float(max(vols) / min(vols))


def halves_row(r: np.ndarray) -> dict[str, float]:
    """alpha + beta over ``r``, over its first and its second half, and its yearly volatility ratio."""
    from ailoop.runs.moments import garch_persistence

    half = len(r) // 2
    return {"whole": garch_persistence(r), "first half": garch_persistence(r[:half]),
            "second half": garch_persistence(r[half:]), "vol ratio": year_vol_ratio(r)}


def _one(args) -> dict[str, dict[str, float]]:
    seed, scenario, params = args
    from ailoop.runs.validate import run_returns

    return {name: halves_row(r) for name, r in run_returns(seed, scenario=scenario, **params).items()}


def sp500_rows() -> list[dict[str, float]]:
    """:func:`halves_row` of each 1,512-day window of the S&P 500 1999-2018, one a quarter."""
    from ailoop.runs.validate import sp500_returns

    return [halves_row(w) for w in windows(sp500_returns(), RUN_DAYS)]


def summary(rows: list[dict[str, float]]) -> str:
    med = {k: float(np.median([x[k] for x in rows])) for k in rows[0]}
    above = sum(x["whole"] > UPPER for x in rows)
    return (f"{med['whole']:9.3f} {med['first half']:11.3f} {med['second half']:12.3f} "
            f"{f'{above} of {len(rows)}':>14s} {med['vol ratio']:10.2f}")


def options() -> tuple[argparse.Namespace, dict, list[int]]:
    """The command line, its ``--set`` items checked against the parameter table, and its seeds (a
    bad name, value, scenario or seed list: one line and exit status 2, before any run)."""
    from ailoop.model.scenarios import SCENARIOS
    from ailoop.runs.cli import sets_or_exit

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="101-120")
    ap.add_argument("--scenario", default="baseline", choices=sorted(SCENARIOS))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="a parameter other than the table's default (names from `ailoop params`; repeatable)")
    a = ap.parse_args()
    params = sets_or_exit(ap, a.set)
    try:
        seeds = seeds_of(a.seeds)
    except ValueError:
        ap.error(f"--seeds {a.seeds!r}: give a range such as 1-20 or a list such as 1,4,7")
    return a, params, seeds


def main() -> None:
    a, params, seeds = options()
    with ProcessPoolExecutor(a.workers) as ex:
        runs = list(ex.map(_one, [(s, a.scenario, params) for s in seeds]))
    print(f"GARCH(1,1) alpha + beta, {a.scenario}, 6 years, seeds {a.seeds} (medians over the seeds a series "
          f"exists in; halves of 756 days; vol ratio: highest / lowest annualised volatility of the six years)")
    print(f"{'series':16s} {'whole':>9s} {'first half':>11s} {'second half':>12s} {'whole > 0.999':>14s} "
          f"{'vol ratio':>10s}")
    names = ["index", *sorted({k for run in runs for k in run if k != "index"})]
    for name in names:
        print(f"{name:16s} " + summary([run[name] for run in runs if name in run]))
    print(f"{'S&P 500 windows':16s} " + summary(sp500_rows()))


if __name__ == "__main__":
    main()
