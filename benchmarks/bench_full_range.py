"""Books at every step for every draw: full-range parameter draws run with the strictest check.

Each draw sets every parameter of the table at random across its whole range
(``runs/ranges.py``: the population sizes log-uniformly), takes a scenario in turn from the
scenario registry (every scenario the model has, read from it), and runs for ``--years`` with
the books checked in full after every step (``check_every = 1``). A draw either runs balanced,
is refused up front (a joint constraint, one line), or fails mid-run (an accounting error or any
exception: the goal is none). Prints the counts by outcome and by scenario, and every failure;
``--log FILE`` appends one JSON line per draw (so a long run can be read while it goes, or
summarised later with ``--summarize FILE``).

    python benchmarks/bench_full_range.py --draws 1000 --years 6 --workers 2 --log outputs/full_range.jsonl
    python benchmarks/bench_full_range.py --summarize outputs/full_range.jsonl

Draw k uses parameters from ``numpy.random.default_rng([20250901, k])`` and model seed k.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

SEED = 20250901


def _one(args):
    from ailoop.runs.ranges import run_draw

    k, steps, scenario = args
    return run_draw(k, steps, scenario, SEED)


def summarize(rows: list[dict]) -> str:
    by = Counter(r["outcome"] for r in rows)
    lines = [f"{len(rows)} draws: {by.get('ran', 0)} ran balanced at every step, {by.get('refused', 0)} refused up "
             f"front, {by.get('failed', 0)} failed mid-run"]
    scen = sorted({r["scenario"] for r in rows})
    for s in scen:
        c = Counter(r["outcome"] for r in rows if r["scenario"] == s)
        lines.append(f"  {s:24s} ran {c.get('ran', 0):4d}  refused {c.get('refused', 0):3d}  failed {c.get('failed', 0):3d}")
    secs = sorted(r["seconds"] for r in rows if r["outcome"] != "refused")
    if secs:
        lines.append(f"seconds per draw: median {secs[len(secs) // 2]:.1f}, max {secs[-1]:.1f}, total {sum(secs):.0f}")
    for r in rows:
        if r["outcome"] == "failed":
            lines.append(f"  FAILED draw {r['draw']} ({r['scenario']}): {r['detail']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--first", type=int, default=0, help="first draw number (to split a run)")
    ap.add_argument("--years", type=float, default=6.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--log", default=None, help="append one JSON line per draw to this file")
    ap.add_argument("--summarize", default=None, metavar="LOG", help="only summarise a log written before")
    a = ap.parse_args(argv)
    if a.summarize:
        rows = [json.loads(line) for line in Path(a.summarize).read_text().splitlines() if line.strip()]
        print(summarize(rows))
        return 0
    if a.draws < 1 or a.workers < 1 or not (0 < a.years <= 30):
        ap.error("--draws and --workers must be >= 1 and --years in (0, 30]")
    from ailoop.model.scenarios import SCENARIOS

    scenarios = list(SCENARIOS)
    steps = int(round(a.years * 252))
    jobs = [(k, steps, scenarios[k % len(scenarios)]) for k in range(a.first, a.first + a.draws)]
    log = open(a.log, "a", encoding="utf-8") if a.log else None
    rows, t0 = [], time.perf_counter()
    with ProcessPoolExecutor(a.workers, mp_context=multiprocessing.get_context("spawn")) as ex:
        for r in ex.map(_one, jobs):
            rows.append(r)
            if log:
                log.write(json.dumps(r) + "\n")
                log.flush()
            if r["outcome"] == "failed":
                print(f"FAILED draw {r['draw']} ({r['scenario']}): {r['detail']}", file=sys.stderr, flush=True)
    print(f"draws {a.first}..{a.first + a.draws - 1}, {a.years:g} years each ({steps} steps), books checked after "
          f"every step; seed {SEED}; {time.perf_counter() - t0:.0f} s on {a.workers} workers")
    print(summarize(rows))
    return 1 if any(r["outcome"] == "failed" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
