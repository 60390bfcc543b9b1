"""The full economy with a million retail ETF holders: wall time and peak memory of a 6-year run.

    .venv/bin/python benchmarks/bench_retail_million.py [--repeats 3] [--holders 1000000] [--years 6] [--against REV]

Each repeat runs, in a fresh interpreter (so that the peak memory is that run's own)::

    from ailoop.model import Economy
    eco = Economy(scenario="baseline", seed=1, retail_holders=1_000_000, checks=False)
    eco.run(years=6)

and reports the wall time of building and running the economy (s; imports excluded; the CPU
time of the same span in brackets, as the wall time depends on what else the machine runs) and
the process's peak resident memory, ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (KiB on
Linux), in MB (1 MB = 1024 KiB here; imports included). The parent prints the median of the
repeats and the load average. Goals on a 2-core machine: <= 8 s and <= 1 GB (1024 MB).

With ``--against REV`` the git revision REV is checked out in a temporary worktree (removed at the
end) and each repeat runs both versions, each in a fresh process importing its own tree, in
alternating order; the medians of both and their ratio are printed side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

from against import check_tree, child_env, trees

TIME_GOAL_S = 8.0       # wall seconds for the 6-year run
MEMORY_GOAL_MB = 1024   # peak resident memory, MB


def one_run(holders: int, years: float, seed: int) -> dict:
    """Build and run the economy once in this process; wall and CPU seconds, peak RSS in MB."""
    from ailoop.model import Economy

    t0, c0 = time.perf_counter(), time.process_time()
    eco = Economy(scenario="baseline", seed=seed, retail_holders=holders, checks=False)
    eco.run(years=years)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {"wall_s": wall, "cpu_s": cpu, "peak_mb": peak_mb}


def _child_run(a, tree, shim) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", "--tree", str(tree), "--holders", str(a.holders),
                          "--years", str(a.years), "--seed", str(a.seed)],
                         capture_output=True, text=True, env=child_env(shim))
    if out.returncode != 0:
        sys.exit(f"a run failed: {(out.stderr.strip().splitlines() or ['?'])[-1]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--holders", type=int, default=1_000_000)
    ap.add_argument("--years", type=float, default=6.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--against", metavar="REV", help="git revision to measure alternately with this tree")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--tree", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        if a.tree:
            check_tree(a.tree)
        print(json.dumps(one_run(a.holders, a.years, a.seed)))
        return
    if a.repeats < 1 or a.holders < 0 or a.years <= 0:
        sys.exit("--repeats must be >= 1, --holders >= 0 and --years > 0")
    with trees(a.against) as versions:
        runs = {v: [] for v in versions}
        order = list(versions)
        for r in range(a.repeats):
            for v in (order if r % 2 == 0 else order[::-1]):
                runs[v].append(_child_run(a, *versions[v]))
    print(f"economy, {a.holders:,} retail holders, {a.years:g} years, checks off, seed {a.seed} "
          f"(median of {a.repeats} fresh processes{' per version, alternately' if len(runs) > 1 else ''}; "
          f"load average at the end {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)")
    meds = {}
    for v, rs in runs.items():
        walls = [r["wall_s"] for r in rs]
        mems = [r["peak_mb"] for r in rs]
        wall, mem = statistics.median(walls), statistics.median(mems)
        cpu = statistics.median(r["cpu_s"] for r in rs)
        meds[v] = (wall, cpu)
        label = f"{v}: " if len(runs) > 1 else ""
        print(f"{label}wall time: {wall:.2f} s (min {min(walls):.2f}, max {max(walls):.2f}; CPU {cpu:.2f} s; "
              f"goal <= {TIME_GOAL_S:g} s: {'met' if wall <= TIME_GOAL_S else 'MISSED'})")
        print(f"{label}peak memory: {mem:.0f} MB (min {min(mems):.0f}, max {max(mems):.0f}; goal <= {MEMORY_GOAL_MB} MB: "
              f"{'met' if mem <= MEMORY_GOAL_MB else 'MISSED'})")
    if len(meds) > 1:
        (w0, c0), (w1, c1) = meds.values()
        print(f"ratio this / other: wall {w0 / w1:.3f}, CPU {c0 / c1:.3f}")


if __name__ == "__main__":
    main()
