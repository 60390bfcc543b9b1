"""Sweep orchestration: spec -> design -> engine -> store, with progress, interruption and resume.

:func:`run_sweep` is what ``ailoop sweep`` calls. Order of work, so that bad input never leaves
anything on disk and never costs a run: :func:`prepare` validates the spec, builds the design,
checks every design point (series names, joint constraints), the kept tables, the output
directory (and, for ``--resume``, every part already in it); then the engine is connected (a bad
``--scheduler`` fails here), the directory is locked (a second writer is refused, naming the
first one's PID and host), and only then is the store created and the first run started.

Ctrl-C (SIGINT) or SIGTERM: the finished runs still in the buffer are written as a last part, the
manifest is marked ``interrupted``, the workers are stopped, and the exit code is 130. A hard kill
(SIGKILL) loses only the buffered runs; every part already written stays readable, the lock goes
with the process, and the workers exit by themselves (``runs/guard.py``).
``resume=True`` checks that the directory was made by the same spec (hash of the normalized spec
and of the design points), tidies up, and runs only the runs not yet in a runs part.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from ailoop.runs.engines import Task, drive, make_engine
from ailoop.runs.guard import LockedError, OutLock
from ailoop.runs.spec import (Design, DesignCheck, SpecError, SweepSpec, build_design, check_design, load_spec,
                              run_settings)
from ailoop.runs.store import FORMAT, KEPT, StoreError, SweepStore, now_iso, package_versions, provenance

SEED_RULE = (
    "seed = numpy.random.SeedSequence(spec.seed, spawn_key=(point, rep)).generate_state(1, uint64)[0] >> 1"
    " (spawn_key=(rep,) when seeds = 'common')"
)


@dataclass
class SweepOutcome:
    """What a sweep did. ``status``: complete | interrupted | stopped (test hook)."""

    out: Path
    status: str
    n_runs: int
    already_done: int
    ok: int
    failed: int
    elapsed_s: float
    engine: str
    parts: int
    failures: list[tuple[str, str]] = field(default_factory=list)
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 130 if self.status == "interrupted" else 0

    def report(self) -> str:
        """The final summary printed after a sweep."""
        done_now = self.ok + self.failed
        others = ", ".join(f"{n} {k}" for k, n in self.by_status.items() if k not in ("ok", "failed") and n)
        lines = [
            f"sweep {self.out}: {self.status} - {done_now} runs this session ({self.ok} ok, "
            f"{self.failed - sum(n for k, n in self.by_status.items() if k not in ('ok', 'failed'))} failed"
            f"{', ' + others if others else ''})"
            f"{f', {self.already_done} done before' if self.already_done else ''}; "
            f"{self.already_done + done_now}/{self.n_runs} recorded; {self.elapsed_s:.1f} s on {self.engine}; "
            f"{self.parts} part file(s) written",
        ]
        for run_id, err in self.failures[:5]:
            lines.append(f"  failed {run_id}: {err}")
        if self.failed > 5:
            lines.append(f"  ... {self.failed - 5} more failed runs; see {self.out / 'manifest-runs.jsonl'}")
        if self.status != "complete":
            lines.append(f"  finish it with: ailoop sweep SPEC --out {self.out} --resume")
        lines.append(f"  load: pd.read_parquet({str(self.out / 'runs')!r}); query: ailoop query {self.out} \"SQL\"")
        return "\n".join(lines)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C."""


def check_out_dir(spec: SweepSpec, design: Design, out: Path, resume: bool) -> bool:
    """Check ``out`` for this sweep without writing to it; return True if it already holds this
    sweep (resume). For a resume every part file must be readable."""
    from ailoop.runs.limits import check_path_text
    from ailoop.runs.output import OutputPathError, check_out_dir as probe

    try:
        check_path_text(out, "--out")
    except ValueError as e:
        raise SpecError(str(e)) from None
    store = SweepStore(out)
    if out.exists() and not out.is_dir():
        raise SpecError(f"--out {str(out)!r} exists and is not a directory")
    if store.exists():
        if not resume:
            raise SpecError(f"--out {str(out)!r} already holds a sweep; pass --resume to finish it or choose another --out")
        try:
            m = store.read_manifest()
        except (OSError, ValueError) as e:
            raise SpecError(f"--resume: cannot read {store.manifest_path}: {' '.join(str(e).split())}") from None
        if m.get("format") != FORMAT:
            raise SpecError(f"--resume: {str(out)!r} was written in format {m.get('format')!r}, this version "
                            f"writes {FORMAT!r}; start a new sweep")
        if m.get("spec_hash") != spec.hash():
            raise SpecError(f"--resume: {str(out)!r} was made by a different spec "
                            f"(hash {m.get('spec_hash')} != {spec.hash()})")
        if m.get("design", {}).get("hash") != design.hash():
            raise SpecError(f"--resume: the design of {str(out)!r} differs from the one rebuilt now "
                            "(another SALib/numpy version?); start a new sweep")
        try:
            store.check_parts()
        except StoreError as e:
            raise SpecError(f"--resume: {e}") from None
    elif out.is_dir() and any(p.name != ".lock" for p in out.iterdir()):
        raise SpecError(f"--out {str(out)!r} exists and is not empty (and holds no sweep)")
    elif resume:
        raise SpecError(f"--resume: {str(out)!r} holds no sweep to finish (no manifest.json); drop --resume")
    try:
        probe(out)
    except OutputPathError as e:
        raise SpecError(str(e)) from None
    return store.exists()


def make_task(spec: SweepSpec, design: Design, p: int, r: int, *, timeout: float | None = None,
              keep: tuple[str, ...] = (), infeasible: str | None = None, point: dict | None = None) -> Task:
    """The task of run ``r`` of design point ``p``."""
    scenario, years, params = run_settings(spec, design.point(p) if point is None else point)
    return Task(design.run_id(p, r), p, r, design.seed(p, r), spec.model, scenario, years, params,
                spec.series, spec.every, spec.summary, timeout, keep, infeasible)


def iter_tasks(spec: SweepSpec, design: Design, done: np.ndarray | None = None, *, timeout: float | None = None,
               keep: tuple[str, ...] = (), infeasible: dict[int, str] | None = None) -> Iterator[Task]:
    """The runs of the design not marked in ``done``, point by point, lazily."""
    reps = spec.replications
    for p in range(design.n_points):
        if done is not None and done[p * reps:(p + 1) * reps].all():
            continue
        point = design.point(p)
        why = None if infeasible is None else infeasible.get(p)
        for r in range(reps):
            if done is not None and done[p * reps + r]:
                continue
            yield make_task(spec, design, p, r, timeout=timeout, keep=keep, infeasible=why, point=point)


def param_columns(spec: SweepSpec) -> list[tuple[str, type]]:
    """The parameter columns of the runs table: the varied parameters, then the fixed ones."""
    from ailoop.runs.toy_models import get_model

    table = get_model(spec.model).params()
    cols = [(f.name, f.kind) for f in spec.param_factors]
    cols += [(n, table[n].kind if n in table else type(v)) for n, v in spec.fixed.items()]
    return cols


def store_meta(spec: SweepSpec, created: str) -> dict[str, Any]:
    """What every part file's Parquet metadata says about the sweep (see ``runs/store.py``)."""
    from ailoop.runs.toy_models import get_model

    mdef = get_model(spec.model)
    prov = provenance()
    return {
        "format": FORMAT, "spec_hash": spec.hash(), "version": prov["version"], "commit": prov["commit"],
        "created": created, "model": spec.model,
        "base_params": {s: mdef.base_params(s) for s in spec.scenarios()},
        "param_columns": [n for n, _ in param_columns(spec)],
        "varied": spec.names, "fixed": dict(spec.fixed),
    }


def _new_manifest(spec: SweepSpec, design: Design, check: DesignCheck, keep: tuple[str, ...],
                  timeout: float | None) -> dict:
    return {
        "format": FORMAT,
        "created": now_iso(),
        "status": "running",
        "spec": spec.to_dict(),
        "spec_hash": spec.hash(),
        "spec_source": spec.source,
        "spec_text": spec.text,
        "design": {**design.info(), "infeasible": len(check.infeasible)},
        "seeds": {"base": spec.seed, "mode": spec.seeds, "rule": SEED_RULE},
        "versions": package_versions(),
        "keep": list(keep),
        "timeout_s": timeout,
        "layout": {"runs": "runs/part-*.parquet", "series": "series/part-*.parquet",
                   **{k: f"{k}/part-*.parquet (--keep {k})" for k in KEPT},
                   "run_log": "manifest-runs.jsonl", "design": "design.parquet (sampled designs)"},
        "counts": {"runs": design.n_runs, "ok": 0, "failed": 0},
        "sessions": [],
    }


# --- progress ------------------------------------------------------------------------------------


def _progress_mode(progress: bool | None) -> str:
    """``bar`` (a terminal, or forced with True), ``lines`` (a log: nohup, SLURM, a pipe, CI) or
    ``off`` (False)."""
    if progress is False:
        return "off"
    if progress is True:
        return "bar"
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    return "bar" if sys.stderr.isatty() and not ci else "lines"


def _duration(s: float) -> str:
    s = max(0.0, s)
    if s < 90:
        return f"{s:.0f}s"
    if s < 5400:
        return f"{s / 60:.0f}m{s % 60:02.0f}s"
    return f"{s / 3600:.0f}h{(s % 3600) / 60:02.0f}m"


class Progress:
    """Progress of a sweep on stderr: a bar on a terminal, else one line every ``every`` seconds
    (runs done, by status, share, rate and the time left at that rate)."""

    def __init__(self, mode: str, total: int, initial: int, every: float, label: str, stream=None):
        self.mode, self.total, self.done, self.every, self.label = mode, total, initial, every, label
        self.initial = initial
        self.stream = stream or sys.stderr
        self.counts: dict[str, int] = {}
        self.t0 = self._last = time.monotonic()
        self.bar = None
        if mode == "bar":
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=initial, unit="run", desc="sweep", file=self.stream,
                            dynamic_ncols=True, smoothing=0.05)

    def update(self, status: str) -> None:
        self.done += 1
        self.counts[status] = self.counts.get(status, 0) + 1
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(self.counts, refresh=False)
        self.tick()

    def line(self) -> str:
        el = time.monotonic() - self.t0
        now = self.done - self.initial
        rate = now / el if el > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else math.nan
        by = ", ".join(f"{n} {k}" for k, n in sorted(self.counts.items())) or "none yet"
        eta = f"; about {_duration(left)} left" if math.isfinite(left) else ""
        return (f"{self.label}: {self.done}/{self.total} runs ({100 * self.done / max(self.total, 1):.1f}%; "
                f"this session {by}) after {_duration(el)}, {rate:.2f} runs/s{eta}")

    def tick(self, force: bool = False) -> None:
        if self.mode != "lines":
            return
        now = time.monotonic()
        if force or now - self._last >= self.every:
            self._last = now
            print(self.line(), file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# --- preparation (shared with --dry-run) ---------------------------------------------------------


@dataclass
class Plan:
    """A validated sweep, ready to run: nothing has been written or run yet."""

    spec: SweepSpec
    design: Design
    check: DesignCheck
    out: Path
    resuming: bool
    keep: tuple[str, ...]
    timeout: float | None
    workers: int
    warnings: list[str]


def prepare(spec: SweepSpec | str | Path, out: str | Path, *, workers: int | None = None,
            force_workers: bool = False, scheduler: str | None = None, resume: bool = False,
            timeout: float | None = None, keep: tuple[str, ...] | list[str] | None = None,
            allow_infeasible: bool = False) -> Plan:
    """Validate everything about a sweep before any run (:class:`SpecError`, one line, if not)."""
    from ailoop.runs.limits import check_number, effective_workers
    from ailoop.runs.toy_models import get_model

    if not isinstance(spec, SweepSpec):
        spec = load_spec(spec)
    out = Path(out)
    try:
        if workers is not None:
            check_number(workers, "--workers", lo=1, integer=True)
        if timeout is not None:
            check_number(timeout, "--timeout", lo=0.0, lo_open=True)
    except ValueError as e:
        raise SpecError(str(e)) from None
    design = build_design(spec)
    check = check_design(spec, design, allow_infeasible)
    mdef = get_model(spec.model)
    resuming = check_out_dir(spec, design, out, resume)
    if resuming:
        stored = tuple(SweepStore(out).read_manifest().get("keep") or ())
        if keep is not None and tuple(keep) != stored:
            raise SpecError(f"--keep {','.join(keep) or '(none)'} differs from the sweep's own "
                            f"({','.join(stored) or 'none'}); resume without --keep")
        keep = stored
    keep = tuple(dict.fromkeys(keep or ()))
    for k in keep:
        if k not in mdef.keep:
            raise SpecError(f"--keep {k!r} is not a table model {spec.model!r} can keep; allowed: "
                            f"{', '.join(mdef.keep) or 'none'}")
    warnings: list[str] = []
    n, warning = effective_workers(workers, design.n_runs, force_workers)
    if warning and not scheduler:
        warnings.append(warning)
    return Plan(spec, design, check, out, resuming, keep, timeout, n, warnings)


def run_sweep(
    spec: SweepSpec | str | Path,
    out: str | Path,
    *,
    workers: int | None = None,
    force_workers: bool = False,
    scheduler: str | None = None,
    resume: bool = False,
    retry_failed: bool = False,
    flush_every: int = 200,
    flush_seconds: float = 30.0,
    progress: bool | None = None,
    progress_every: float = 60.0,
    start_method: str | None = None,
    scheduler_timeout: float = 10.0,
    timeout: float | None = None,
    keep: tuple[str, ...] | list[str] | None = None,
    allow_infeasible: bool = False,
    stop_after: int | None = None,
    echo: Callable[[str], None] | None = print,
    warn: Callable[[str], None] | None = None,
    plan: Plan | None = None,
) -> SweepOutcome:
    """Run (or, with ``resume``, finish) the sweep ``spec`` into directory ``out``.

    ``retry_failed`` (with ``resume``): run the failed and timed-out runs again, dropping their old
    rows. ``workers``: local processes (default: all cores; more than the cores is capped unless
    ``force_workers``); ``scheduler``: a Dask scheduler address (then ``workers`` is ignored;
    ``scheduler_timeout`` seconds to connect); ``flush_every``/``flush_seconds``: batch size of the
    part files; ``progress``: False for none (default: a bar on a terminal, else a line every
    ``progress_every`` seconds); ``timeout``: seconds of wall time a run may take (then it stops
    and is recorded with status ``timeout``); ``keep``: extra tables to store (``agents``,
    ``events``); ``allow_infeasible``: run a sampled design some of whose points break a joint
    constraint (they are recorded as ``infeasible``); ``stop_after``: test hook, stop (as if
    interrupted) after that many finished runs. Raises :class:`SpecError` (bad spec, ``out``, lock)
    or :class:`runs.engines.EngineError` before anything is written.
    """
    if plan is None:
        plan = prepare(spec, out, workers=workers, force_workers=force_workers, scheduler=scheduler, resume=resume,
                       timeout=timeout, keep=keep, allow_infeasible=allow_infeasible)
    spec, design, out = plan.spec, plan.design, plan.out
    warn = warn or (lambda m: print(f"ailoop sweep: warning: {m}", file=sys.stderr, flush=True))
    for w in plan.warnings:
        warn(w)
    engine = make_engine(plan.workers, scheduler, start_method, scheduler_timeout)
    lock = OutLock(out)
    try:
        lock.acquire()
        # under the lock: another sweep may have written here since the checks above
        if check_out_dir(spec, design, out, resume) != plan.resuming:
            raise SpecError(f"--out {str(out)!r} changed while this sweep started (another sweep?); try again")
    except (LockedError, SpecError) as e:
        engine.close(cancel=True)
        if lock._fd is not None:
            lock.release(remove_dir=True)
        raise SpecError(str(e)) from None
    except BaseException:
        engine.close(cancel=True)
        lock.release(remove_dir=True)
        raise
    try:
        return _run_locked(plan, engine, lock, retry_failed, flush_every, flush_seconds, progress, progress_every,
                           stop_after, echo)
    finally:
        lock.release()


def _run_locked(plan: Plan, engine, lock: OutLock, retry_failed, flush_every, flush_seconds, progress,
                progress_every, stop_after, echo) -> SweepOutcome:
    t0 = time.perf_counter()
    # SIGTERM (and Ctrl-C) are the sweep's to handle from before its manifest says "running": one that
    # arrives while it sets up, or while a result is being recorded, is held and ends the sweep
    # interrupted at the next safe point (a held signal is acted on as the runs start)
    term = {"busy": True, "pending": False}
    old_term = old_int = None
    if threading.current_thread() is threading.main_thread():
        def _on_term(signum, frame):
            if term["busy"]:
                term["pending"] = True
                return
            raise _Terminated()

        old_term = signal.signal(signal.SIGTERM, _on_term)
        old_int = signal.signal(signal.SIGINT, _on_term)
    try:
        return _run_held(plan, engine, retry_failed, flush_every, flush_seconds, progress, progress_every,
                         stop_after, echo, term, t0)
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
            signal.signal(signal.SIGINT, old_int)


def _run_held(plan: Plan, engine, retry_failed, flush_every, flush_seconds, progress, progress_every, stop_after,
              echo, term: dict, t0: float) -> SweepOutcome:
    """The sweep under its lock, with SIGTERM and Ctrl-C held in ``term`` until the runs start."""
    spec, design, out, check = plan.spec, plan.design, plan.out, plan.check
    store = SweepStore(out)
    try:
        if plan.resuming:
            store.recover()
            if retry_failed:
                store.drop_failed()
            store.rebuild_log()
            manifest = store.read_manifest()
            done, ok0, failed0 = store.done_mask(design.n_points, spec.replications)
        else:
            manifest = _new_manifest(spec, design, check, plan.keep, plan.timeout)
            store.create(manifest, design.raw, design.names)
            done, ok0, failed0 = None, 0, 0
    except BaseException:
        engine.close(cancel=True)
        raise
    already = ok0 + failed0
    session = {"started": now_iso(), "engine": engine.describe(), "resumed": plan.resuming, "status": "running",
               "pid": os.getpid(), "timeout_s": plan.timeout}
    manifest.setdefault("sessions", []).append(session)
    manifest["status"] = "running"
    store.write_manifest(manifest)

    writer = store.writer(param_columns(spec), spec.series, flush_every=flush_every, flush_seconds=flush_seconds,
                          meta=store_meta(spec, manifest["created"]), keep=plan.keep)
    counts: dict[str, int] = {}
    failures: list[tuple[str, str]] = []
    bar = Progress(_progress_mode(progress), design.n_runs, already, progress_every, f"sweep {out}")

    def on_result(result: dict) -> None:
        term["busy"] = True
        try:
            writer.add(result)
            counts[result["status"]] = counts.get(result["status"], 0) + 1
        finally:
            term["busy"] = False
        if result["status"] != "ok" and len(failures) < 5:
            failures.append((result["run_id"], result["error"]))
        bar.update(result["status"])
        if term["pending"]:
            raise _Terminated()

    def n_done() -> int:
        return sum(counts.values())

    def should_stop() -> bool:
        return stop_after is not None and n_done() >= stop_after

    def on_tick() -> None:
        writer.tick()
        bar.tick()

    infeasible = {i: f"Infeasible: {check.first_reason if i == check.infeasible[0] else 'breaks a joint constraint'}"
                  for i in check.infeasible} if check.infeasible else None
    if infeasible:
        from ailoop.runs.toy_models import get_model

        checker = get_model(spec.model).check_point()
        for i in check.infeasible:  # each point's own reason
            scenario, _, params = run_settings(spec, design.point(i))
            infeasible[i] = f"Infeasible: {' '.join(str(checker(scenario, params)).split())}"[:500]
    status = "interrupted"
    try:
        term["busy"] = False  # from here a signal stops the sweep at once (but for a result being recorded)
        if term["pending"]:  # one arrived while the sweep set up
            raise _Terminated()
        drive(engine, iter_tasks(spec, design, done, timeout=plan.timeout, keep=plan.keep, infeasible=infeasible),
              on_result, should_stop=should_stop, on_tick=on_tick)
        status = "stopped" if should_stop() and already + n_done() < design.n_runs else "complete"
    except KeyboardInterrupt:
        status = "interrupted"
    finally:
        term["busy"] = True  # the sweep is finishing: a further signal is held, not raised inside the last write
        ok = counts.get("ok", 0)
        try:
            _finish(writer, store, manifest, session, status, ok0 + ok, failed0 + n_done() - ok, design, counts)
        finally:
            engine.close(cancel=status != "complete")
            bar.tick(force=True)
            bar.close()
    ok = counts.get("ok", 0)
    outcome = SweepOutcome(out, status, design.n_runs, already, ok, n_done() - ok,
                           time.perf_counter() - t0, session["engine"], writer.parts_written, failures, dict(counts))
    if echo is not None:
        echo(outcome.report())
    return outcome


def _finish(writer, store: SweepStore, manifest: dict, session: dict, status: str, ok: int, failed: int,
            design: Design, counts: dict[str, int]) -> None:
    """Write the buffered runs, make the parts' columns uniform, and close the manifest."""
    try:
        writer.flush()
    except KeyboardInterrupt:  # a second Ctrl-C: try once more, the part is written atomically anyway
        writer.flush()
    store.unify()
    session.update(ended=now_iso(), status=status, ok=ok, failed=failed, by_status=dict(counts))
    manifest["counts"] = {"runs": design.n_runs, "ok": ok, "failed": failed}
    manifest["status"] = "complete" if ok + failed >= design.n_runs else status
    store.write_manifest(manifest)
