"""``ailoop sweep --dry-run``: what a sweep would do and how long it would take, before it runs.

The estimate comes from a short pilot on the same engine and workers as the sweep: after one
warm-up run per worker (a worker's first run pays for imports once), ``pilot`` runs (default:
four per worker, at least 8) drawn at random (seeded) from the runs still to do, each cut to its
first ``pilot_months`` months (default 2) (the real model's cost per step depends on its settings - the population sizes change it
10-50x - so the pilot runs the design's own points). From each pilot run's checkpoints come its
set-up time, its mean time per step and its closing time (``runs/guard.py``); a run of ``S``
steps is estimated at ``set-up + S x step + closing``. The sweep's wall time is the mean of the
pilot runs' estimates x the runs to do / the workers, plus the engine's start-up as the pilot
measured it. Nothing is written to ``--out``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import numpy as np

from ailoop.runs.engines import drive, make_engine
from ailoop.runs.sweep import Plan, make_task
from ailoop.runs.store import SweepStore

STEPS_PER_MONTH = 21


@dataclass
class Estimate:
    """The dry run's numbers (seconds of wall time unless named otherwise)."""

    n_runs: int
    to_do: int
    n_points: int
    replications: int
    workers: int
    pilot_runs: int
    pilot_wall_s: float
    per_run_s: float
    startup_s: float
    total_s: float
    infeasible: int

    def report(self, plan: Plan) -> str:
        spec = plan.spec
        scen = ", ".join(spec.scenarios())
        years = ", ".join(f"{y:g}" for y in spec.years_values())
        lines = [
            f"dry run of {spec.name or spec.source or 'the spec'}: {self.n_runs} runs = {self.n_points} design points "
            f"x {self.replications} replications ({spec.design}); scenario {scen}; {years} years per run",
            f"  to do: {self.to_do} runs" + (f" ({self.n_runs - self.to_do} already recorded in {plan.out})"
                                            if self.to_do != self.n_runs else "")
            + (f"; {self.infeasible} infeasible points (recorded, not run)" if self.infeasible else ""),
            f"  pilot: {self.pilot_runs} runs cut short, {self.pilot_wall_s:.1f} s on {self.workers} workers; "
            f"a full run takes about {self.per_run_s:.2f} s",
            f"  estimate: {_fmt(self.total_s)} of wall time on {self.workers} workers "
            f"(about {self.per_run_s * self.to_do / 3600:.2f} CPU-hours); nothing was written",
        ]
        if plan.warnings:
            lines += [f"  warning: {w}" for w in plan.warnings]
        return "\n".join(lines)


def _fmt(s: float) -> str:
    if s < 120:
        return f"{s:.0f} s"
    if s < 7200:
        return f"{s / 60:.1f} min"
    return f"{s / 3600:.1f} h"


def dry_run(plan: Plan, *, scheduler: str | None = None, start_method: str | None = None,
            scheduler_timeout: float = 10.0, pilot: int | None = None, pilot_months: int = 2,
            seed: int = 0) -> Estimate:
    """Run the pilot and return the :class:`Estimate` (nothing written to ``plan.out``)."""
    spec, design = plan.spec, plan.design
    reps = spec.replications
    mask = np.ones(design.n_runs, dtype=bool)
    if plan.resuming:
        done, _, _ = SweepStore(plan.out).done_mask(design.n_points, reps)
        mask &= ~done
    n_inf = 0
    for p in plan.check.infeasible:  # infeasible points are recorded, not run
        n_inf += int(mask[p * reps:(p + 1) * reps].sum())
        mask[p * reps:(p + 1) * reps] = False
    todo_idx = np.flatnonzero(mask)
    workers = plan.workers
    k = min(len(todo_idx), pilot if pilot is not None else max(4 * workers, 8))
    if k == 0:
        return Estimate(design.n_runs, 0, design.n_points, reps, workers, 0, 0.0, 0.0, 0.0, 0.0, n_inf)
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.choice(todo_idx, size=k, replace=False))
    todo = [make_task(spec, design, int(i) // reps, int(i) % reps) for i in chosen]
    todo_count = len(todo_idx)
    pilot_steps = pilot_months * STEPS_PER_MONTH
    tasks, full_steps = [], []
    for t in todo:
        steps = max(1, int(round(t.years * 252)))
        full_steps.append(steps)
        cut = min(t.years, pilot_steps / 252.0)
        tasks.append(replace(t, years=cut, series=(), keep=(), timeout=None, run_id=f"pilot-{t.run_id}"))
    engine = make_engine(workers, scheduler, start_method, scheduler_timeout)
    results: list[dict] = []
    t0 = time.perf_counter()
    try:
        # one short warm-up run per worker first: a worker's first run pays for imports and
        # first calls once, which the sweep pays once per worker, not once per run
        warm = [replace(tasks[0], years=1 / 252.0, run_id=f"warm-{i}") for i in range(min(workers, k))]
        drive(engine, warm, lambda r: None)
        drive(engine, tasks, results.append)
    finally:
        engine.close(cancel=True)
    wall = time.perf_counter() - t0
    by_id = {r["run_id"]: r for r in results}
    per_run = []
    busy = 0.0
    for t, steps in zip(tasks, full_steps):
        r = by_id.get(t.run_id)
        if r is None or r.get("timing") is None:  # a pilot run that failed: count its time as a run's
            if r is not None and math.isfinite(r.get("elapsed_s") or math.nan):
                per_run.append(r["elapsed_s"])
                busy += r["elapsed_s"]
            continue
        tm = r["timing"]
        busy += r["elapsed_s"]
        per_run.append(tm["setup_s"] + tm["step_s"] * steps + tm["tail_s"])
    mean = float(np.mean(per_run)) if per_run else 0.0
    eff = max(1, min(workers, todo_count))
    startup = max(0.0, wall - busy / max(1, min(workers, k)))
    total = startup + mean * todo_count / eff
    return Estimate(design.n_runs, todo_count, design.n_points, reps, workers, k, wall, mean, startup, total, n_inf)
