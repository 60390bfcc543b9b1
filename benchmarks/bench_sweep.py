"""Benchmark of the sweep layer: per-run overhead, speed-up from 1 to 2 workers, peak memory.

    .venv/bin/python benchmarks/bench_sweep.py [--repeats 3] [--run-seconds 0.5] [--quick]

1. Overhead. ``toy_burn`` runs burn a fixed number of loop iterations calibrated to
   ``--run-seconds`` in this process. The fixed cost of a sweep ``F`` (manifest, pool start,
   last part) is the intercept of zero-work sweeps of ``n1`` and ``n2`` runs; a sweep of ``n2``
   burn runs on one worker then gives the per-run overhead
   ``(W - F - sum of in-worker run times) / n2``, relative to the median run time (goal: <= 5 %
   for runs of >= 0.5 s). The one-time start of the forkserver (first sweep of a process) is
   reported separately.
2. Speed-up. The same ``n2``-run sweep on 1 and on 2 workers: ``W1 / W2`` (goal >= 1.8x on two
   free cores). The same runs on a bare ``ProcessPoolExecutor`` are timed alongside: other load on
   the machine lowers both, and the bare pool shows the ceiling at the time of measurement.
3. Memory. A 200-run and a 2,000-run ``toy_walk`` sweep with per-step series (252 steps x 2
   columns per run), each in a fresh interpreter: the parent's ``tracemalloc`` peak and its peak
   RSS (``resource.getrusage``), which include the imports.

Medians over ``--repeats`` repetitions are printed (and best-of for the speed-up, which other
load on the machine disturbs most).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _spec(model: str, body: str):
    from ailoop.runs.spec import parse_spec

    return parse_spec(f'model = "{model}"\nseed = 1\n{body}')


def calibrate(seconds: float) -> int:
    """Loop iterations of ``toy_burn`` that take ``seconds`` here (median of 3)."""
    from ailoop.runs.toy_models import toy_burn

    n = 2_000_000
    per = []
    for _ in range(3):
        t = time.perf_counter()
        toy_burn("baseline", 0, 1, {"iters": n})
        per.append((time.perf_counter() - t) / n)
    return int(seconds / statistics.median(per))


def burn_sweep(iters: int, n: int, workers: int, root: Path) -> tuple[float, float, float]:
    """An ``n``-run burn sweep on ``workers`` processes: wall time, median and sum of in-worker run times."""
    import pandas as pd

    from ailoop.runs.sweep import run_sweep

    spec = _spec("toy_burn", f'replications = {n}\n[fixed]\niters = {iters}\n')
    out = Path(tempfile.mkdtemp(dir=root))
    t = time.perf_counter()
    res = run_sweep(spec, out, workers=workers, progress=False, echo=None)
    wall = time.perf_counter() - t
    assert res.ok == n, res
    e = pd.read_parquet(out / "runs", columns=["elapsed_s"])["elapsed_s"]
    return wall, float(e.median()), float(e.sum())


def bare_pool(iters: int, n: int, workers: int) -> float:
    """Wall time of the same ``n`` burn runs on a bare ``ProcessPoolExecutor`` (the machine's ceiling)."""
    import concurrent.futures as cf
    import multiprocessing as mp

    from ailoop.runs.toy_models import toy_burn

    t = time.perf_counter()
    with cf.ProcessPoolExecutor(workers, mp_context=mp.get_context("forkserver")) as ex:
        list(cf.as_completed([ex.submit(toy_burn, "baseline", 0, 1, {"iters": iters}) for _ in range(n)]))
    return time.perf_counter() - t


def memory_child(n: int) -> None:
    """Run an ``n``-run toy_walk sweep with series; print the parent's peaks as JSON."""
    import tracemalloc

    from ailoop.runs.sweep import run_sweep

    spec = _spec("toy_walk", f'years = 1\ndesign = "random"\nsamples = {n}\n'
                 '[vary]\ndrift = { min = -0.5, max = 0.5 }\nvol = { min = 0.0, max = 0.5 }\n'
                 '[outputs]\nseries = ["level", "shock"]\nevery = 1\n')
    with tempfile.TemporaryDirectory() as d:
        run_sweep(_spec("toy_walk", "replications = 4\n"), Path(d) / "warm", workers=2, progress=False, echo=None)
        tracemalloc.start()
        t = time.perf_counter()
        run_sweep(spec, Path(d) / "sweep", workers=2, flush_every=200, progress=False, echo=None)
        wall = time.perf_counter() - t
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"n": n, "tracemalloc_peak_mb": peak / 1e6, "max_rss_mb": rss_kb / 1024, "wall_s": wall}))


def memory(n: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, __file__, "--memory-child", str(n)], capture_output=True, text=True,
                       env=env, check=True)
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--run-seconds", type=float, default=0.5)
    ap.add_argument("--n1", type=int, default=4)
    ap.add_argument("--n2", type=int, default=12)
    ap.add_argument("--quick", action="store_true", help="one repetition")
    ap.add_argument("--memory-child", type=int, default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.memory_child:
        memory_child(a.memory_child)
        return
    reps = 1 if a.quick else a.repeats
    med = statistics.median
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}, repeats: {reps}")

    iters = calibrate(a.run_seconds)
    print(f"toy_burn calibrated: {iters:,} iterations ~ {a.run_seconds} s per run")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        first = burn_sweep(0, 2, 1, root)[0]
        fixed, over, compute, w1s, w2s, b1s, b2s = [], [], [], [], [], [], []
        for _ in range(reps):
            w_a, w_b = burn_sweep(0, a.n1, 1, root)[0], burn_sweep(0, a.n2, 1, root)[0]
            slope = (w_b - w_a) / (a.n2 - a.n1)
            f = max(0.0, w_a - a.n1 * slope)
            wall, med_run, sum_run = burn_sweep(iters, a.n2, 1, root)
            fixed.append(f)
            over.append((wall - f - sum_run) / a.n2)
            compute.append(med_run)
            w1s.append(wall)
            w2s.append(burn_sweep(iters, a.n2, 2, root)[0])
            b1s.append(bare_pool(iters, a.n2, 1))
            b2s.append(bare_pool(iters, a.n2, 2))
        o, c = med(over), med(compute)
        print("\n[1] per-run overhead (1 worker)")
        print(f"  run compute time (median, in worker): {c:.3f} s")
        print(f"  per-run overhead:                     {1000 * o:.1f} ms = {100 * o / c:.2f} % of compute"
              "   (goal <= 5 %)")
        print(f"  fixed cost per sweep (manifest, pool start, parts): {med(fixed):.2f} s"
              f" (+ {first:.2f} s for the first sweep of a process: forkserver start)")
        print(f"  whole {a.n2}-run sweep vs {a.n2} x compute: {100 * (med(w1s) / (a.n2 * c) - 1):.1f} % over")
        print(f"\n[2] speed-up, {a.n2} runs of {c:.2f} s")
        print(f"  1 worker: {med(w1s):.2f} s   2 workers: {med(w2s):.2f} s   speed-up: "
              f"{med([x / y for x, y in zip(w1s, w2s)]):.2f}x median, {min(w1s) / min(w2s):.2f}x best-of-{reps}"
              "   (goal >= 1.8x)")
        print(f"  bare ProcessPoolExecutor, same runs: 1 worker {med(b1s):.2f} s, 2 workers {med(b2s):.2f} s, "
              f"speed-up {med([x / y for x, y in zip(b1s, b2s)]):.2f}x median, {min(b1s) / min(b2s):.2f}x best"
              "   (what the machine allows right now)")
        print(f"  load average now: {os.getloadavg()[0]:.2f}")

    print("\n[3] parent memory, toy_walk with per-step series (252 steps x 2 columns per run)")
    rows = {n: [memory(n) for _ in range(reps)] for n in (200, 2000)}
    for n, rs in rows.items():
        print(f"  {n:>5} runs: tracemalloc peak {med([r['tracemalloc_peak_mb'] for r in rs]):6.2f} MB, "
              f"peak RSS {med([r['max_rss_mb'] for r in rs]):6.1f} MB, wall {med([r['wall_s'] for r in rs]):.1f} s")
    ratio = med([r["tracemalloc_peak_mb"] for r in rows[2000]]) / med([r["tracemalloc_peak_mb"] for r in rows[200]])
    rss = med([r["max_rss_mb"] for r in rows[2000]]) / med([r["max_rss_mb"] for r in rows[200]])
    print(f"  2,000 / 200 runs: tracemalloc peak x{ratio:.2f}, peak RSS x{rss:.2f}   (goal: no larger)")


if __name__ == "__main__":
    main()
