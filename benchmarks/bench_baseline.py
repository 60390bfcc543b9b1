"""Wall time of the 6-year baseline (1,512 trading days): books unchecked, the default checks
(identities after every step, the full check every month and at the end) and the full check
after every step (``check_every=1``); and of the default run, ``history``, with the default checks.

    .venv/bin/python benchmarks/bench_baseline.py [N] [--against REV]

Runs N rounds (default 5); round r runs the three variants with seed r, one after the other, in a
fresh process (after a one-month warm-up run, so that no variant pays for first-time imports
and caches). Each run is timed from building the economy to its model table. Prints per variant
the median of the N runs (seeds 1..N), with their range, in wall and in CPU seconds, against the
goals on a 2-core machine: default checks <= 1.0 s, a full check every step <= 1.5 s (wall).

With ``--against REV`` the git revision REV is checked out in a temporary worktree (removed at the
end) and each round runs both versions, each in its own process importing its own tree, in
alternating order (this tree first in odd rounds); the medians of both and their ratio are
printed side by side, so that both are measured under the same load, with the ratio's 95% interval
(percentile bootstrap over the rounds, each round's pair of runs kept together: 2,000 draws from
``numpy.random.default_rng(0)``), since single runs on a shared machine vary by tens of percent. A version without a
``history`` scenario shows n/a in its row; the line after the table compares each version's
default run (``ailoop run`` with no scenario named: ``history`` where there is one, else the
baseline), both with the default checks.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

from against import THIS, check_tree, child_env, trees

YEARS = 6
VARIANTS = (("books unchecked", dict(checks=False)),
            ("default checks", dict()),
            ("full check every step", dict(check_every=1)),
            ("history, default checks", dict(scenario="history")))
GOALS_S = {"default checks": 1.0, "full check every step": 1.5}  # wall seconds, median


def time_run(seed: int, years: float = YEARS, **kw) -> tuple[float, float]:
    """(wall, CPU) seconds to build the baseline economy with ``seed`` and ``kw``, run it and build
    its table."""
    from ailoop.model import Economy

    kw = dict(kw)
    scenario = kw.pop("scenario", "baseline")
    t0, c0 = time.perf_counter(), time.process_time()
    economy = Economy(scenario=scenario, seed=seed, **kw)
    economy.run(years=years)
    economy.datacollector.get_model_vars_dataframe()
    return time.perf_counter() - t0, time.process_time() - c0


def child(tree: str, seed: int) -> None:
    """One round in this process: a warm-up month, then every variant with ``seed``; prints JSON."""
    check_tree(tree)
    time_run(seed, years=1 / 12)
    from ailoop.model.scenarios import SCENARIOS

    print(json.dumps({label: time_run(seed, **kw) if kw.get("scenario", "baseline") in SCENARIOS else [math.nan] * 2
                      for label, kw in VARIANTS}))


def measure(n: int, rev: str | None) -> dict[str, dict[str, list[list[float]]]]:
    """{version: {variant: [[wall, CPU] seconds of round 1..n]}}, the versions run alternately."""
    with trees(rev) as versions:
        times = {v: {label: [] for label, _ in VARIANTS} for v in versions}
        order = list(versions)
        for r in range(1, n + 1):
            for v in (order if r % 2 else order[::-1]):
                tree, shim = versions[v]
                out = subprocess.run([sys.executable, __file__, "--child", str(tree), str(r)], env=child_env(shim),
                                     capture_output=True, text=True)
                if out.returncode != 0:
                    sys.exit(f"round {r} of {v} failed: {(out.stderr.strip().splitlines() or ['?'])[-1]}")
                for label, t in json.loads(out.stdout.strip().splitlines()[-1]).items():
                    times[v][label].append(t)
    return times


def ratio_interval(this: list[float], other: list[float], draws: int = 2000) -> tuple[float, float]:
    """95% percentile-bootstrap interval of median(this) / median(other): the rounds resampled with
    replacement, round r's two runs (same seed, same minute) kept as a pair."""
    import numpy as np

    a, b = np.asarray(this, dtype=float), np.asarray(other, dtype=float)
    idx = np.random.default_rng(0).integers(0, len(a), size=(draws, len(a)))
    ratios = np.median(a[idx], axis=1) / np.median(b[idx], axis=1)
    lo, hi = np.percentile(ratios, [2.5, 97.5])
    return float(lo), float(hi)


def report(times: dict[str, dict[str, list[list[float]]]], n: int) -> None:
    versions = list(times)
    print(f"{YEARS}-year baseline: median of {n} runs (seeds 1-{n}; min-max in brackets), "
          f"{'each round both versions alternately, ' if len(versions) > 1 else ''}a fresh process per round")
    for k, what in enumerate(("wall seconds", "CPU seconds (less sensitive to the machine's load)")):
        head = f"{what:40s}" + "".join(f"{v:>28s}" for v in versions)
        print(head + ("   ratio (this / other) [95% interval]" if len(versions) > 1 else ""))
        for label, _ in VARIANTS:
            cells, meds, runs = "", [], []
            for v in versions:
                t = [x[k] for x in times[v][label]]
                meds.append(statistics.median(t))
                runs.append(t)
                cells += (f"{'n/a':>28s}" if any(math.isnan(x) for x in t)
                          else f"{f'{meds[-1]:.3f} s ({min(t):.2f}-{max(t):.2f})':>28s}")
            ratio = f"   {meds[0] / meds[1]:.3f}" if len(meds) > 1 else ""
            if ratio and not math.isnan(meds[0] / meds[1]):
                ratio += " [{:.2f}-{:.2f}]".format(*ratio_interval(*runs))
            goal = GOALS_S.get(label) if k == 0 else None
            goal = f"   (goal <= {goal:g} s: {'met' if meds[0] <= goal else 'missed'})" if goal else ""
            print(f"  {label:38s}{cells}{ratio}{goal}")
    if len(versions) > 1:
        def default_run(v: str) -> tuple[str, list[float]]:
            t = [x[0] for x in times[v]["history, default checks"]]
            if not any(math.isnan(x) for x in t):
                return "history", t
            return "baseline", [x[0] for x in times[v]["default checks"]]
        (na, ta), (nb, tb) = default_run(versions[0]), default_run(versions[1])
        a, b = statistics.median(ta), statistics.median(tb)
        lo, hi = ratio_interval(ta, tb)
        print(f"  the default run (ailoop run, no scenario named): {versions[0]}: {na} {a:.3f} s; {versions[1]}: "
              f"{nb} {b:.3f} s; ratio {a / b:.3f} [{lo:.2f}-{hi:.2f}] (wall, medians; 95% interval over the rounds)")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=5, help="rounds (seeds 1..N), default 5")
    ap.add_argument("--against", metavar="REV", help="git revision to measure alternately with this tree")
    ap.add_argument("--child", nargs=2, metavar=("TREE", "SEED"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child[0], int(a.child[1]))
        return
    if a.n < 1:
        sys.exit(f"N must be a positive number of rounds, not {a.n}")
    report(measure(a.n, a.against), a.n)


if __name__ == "__main__":
    main()
