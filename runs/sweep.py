"""Sweep orchestration: spec -> design -> engine -> store, with progress, interruption and resume.

:func:`run_sweep` is what ``ailoop sweep`` calls. Order of work, so that a bad spec or a bad
``--out``/``--scheduler`` never leaves anything on disk: validate the spec, build the design,
check the output directory, connect the engine, and only then create the store and start runs.

Ctrl-C (SIGINT) or SIGTERM: the finished runs still in the buffer are written as a last part, the
manifest is marked ``interrupted``, the workers are stopped, and the exit code is 130. A hard kill
(SIGKILL) loses only the buffered runs; every part already written stays readable.
``resume=True`` checks that the directory was made by the same spec (hash of the normalized spec
and of the design points), tidies up, and runs only the runs not yet in a runs part.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from ailoop.runs.engines import Task, drive, make_engine
from ailoop.runs.spec import Design, SpecError, SweepSpec, build_design, load_spec
from ailoop.runs.store import FORMAT, SweepStore, now_iso, package_versions

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

    @property
    def exit_code(self) -> int:
        return 130 if self.status == "interrupted" else 0

    def report(self) -> str:
        """The final summary printed after a sweep."""
        done_now = self.ok + self.failed
        lines = [
            f"sweep {self.out}: {self.status} - {done_now} runs this session ({self.ok} ok, {self.failed} failed)"
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
    """Check ``out`` for this sweep; return True if it already holds this sweep (resume)."""
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
        if m.get("spec_hash") != spec.hash():
            raise SpecError(f"--resume: {str(out)!r} was made by a different spec "
                            f"(hash {m.get('spec_hash')} != {spec.hash()})")
        if m.get("design", {}).get("hash") != design.hash():
            raise SpecError(f"--resume: the design of {str(out)!r} differs from the one rebuilt now "
                            "(another SALib/numpy version?); start a new sweep")
        return True
    if out.is_dir() and any(out.iterdir()):
        raise SpecError(f"--out {str(out)!r} exists and is not empty (and holds no sweep)")
    return False


def iter_tasks(spec: SweepSpec, design: Design, done: np.ndarray | None = None) -> Iterator[Task]:
    """The runs of the design not marked in ``done``, point by point, lazily."""
    reps = spec.replications
    for p in range(design.n_points):
        if done is not None and done[p * reps:(p + 1) * reps].all():
            continue
        params = {**spec.fixed, **design.point(p)}
        for r in range(reps):
            if done is not None and done[p * reps + r]:
                continue
            yield Task(design.run_id(p, r), p, r, design.seed(p, r), spec.model, spec.scenario,
                       float(spec.years), params, spec.series, spec.every, spec.summary)


def _new_manifest(spec: SweepSpec, design: Design) -> dict:
    return {
        "format": FORMAT,
        "created": now_iso(),
        "status": "running",
        "spec": spec.to_dict(),
        "spec_hash": spec.hash(),
        "spec_source": spec.source,
        "spec_text": spec.text,
        "design": design.info(),
        "seeds": {"base": spec.seed, "mode": spec.seeds, "rule": SEED_RULE},
        "versions": package_versions(),
        "layout": {"runs": "runs/part-*.parquet", "series": "series/part-*.parquet",
                   "run_log": "manifest-runs.jsonl", "design": "design.parquet (sampled designs)"},
        "counts": {"runs": design.n_runs, "ok": 0, "failed": 0},
        "sessions": [],
    }


def _progress_enabled(progress: bool | None) -> bool:
    if progress is not None:
        return progress
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    return sys.stderr.isatty() and not ci


def run_sweep(
    spec: SweepSpec | str | Path,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    retry_failed: bool = False,
    flush_every: int = 200,
    flush_seconds: float = 30.0,
    progress: bool | None = None,
    start_method: str | None = None,
    scheduler_timeout: float = 10.0,
    stop_after: int | None = None,
    echo: Callable[[str], None] | None = print,
) -> SweepOutcome:
    """Run (or, with ``resume``, finish) the sweep ``spec`` into directory ``out``.

    ``retry_failed`` (with ``resume``): run the failed runs again, dropping their old rows.
    ``workers``: local processes (default: all cores); ``scheduler``: a Dask scheduler address
    (then ``workers`` is ignored; ``scheduler_timeout`` seconds to connect); ``flush_every``/``flush_seconds``: batch size of the part files;
    ``progress``: force the progress bar on/off (default: on when stderr is a terminal and CI is
    not set); ``stop_after``: test hook, stop (as if interrupted) after that many finished runs.
    Raises :class:`SpecError` (bad spec or ``out``) or :class:`runs.engines.EngineError` before
    anything is written.
    """
    if not isinstance(spec, SweepSpec):
        spec = load_spec(spec)
    out = Path(out)
    design = build_design(spec)
    resuming = check_out_dir(spec, design, out, resume)
    engine = make_engine(workers, scheduler, start_method, scheduler_timeout)

    t0 = time.perf_counter()
    store = SweepStore(out)
    try:
        if resuming:
            store.recover()
            if retry_failed:
                store.drop_failed()
            store.rebuild_log()
            manifest = store.read_manifest()
            done, ok0, failed0 = store.done_mask(design.n_points, spec.replications)
        else:
            manifest = _new_manifest(spec, design)
            store.create(manifest, design.raw, design.names)
            done, ok0, failed0 = None, 0, 0
    except BaseException:
        engine.close(cancel=True)
        raise
    already = ok0 + failed0
    session = {"started": now_iso(), "engine": engine.describe(), "resumed": resuming, "status": "running"}
    manifest.setdefault("sessions", []).append(session)
    manifest["status"] = "running"
    store.write_manifest(manifest)

    writer = store.writer([(f.name, f.param.kind) for f in spec.factors], spec.series,
                          flush_every=flush_every, flush_seconds=flush_seconds)
    counts = {"ok": 0, "failed": 0}
    failures: list[tuple[str, str]] = []
    bar = None
    if _progress_enabled(progress):
        from tqdm import tqdm

        bar = tqdm(total=design.n_runs, initial=already, unit="run", desc="sweep", file=sys.stderr,
                   dynamic_ncols=True, smoothing=0.05)

    term = {"busy": False, "pending": False}  # a SIGTERM is held while a result is being recorded

    def on_result(result: dict) -> None:
        term["busy"] = True
        try:
            writer.add(result)
            counts[result["status"] if result["status"] == "ok" else "failed"] += 1
        finally:
            term["busy"] = False
        if result["status"] != "ok" and len(failures) < 5:
            failures.append((result["run_id"], result["error"]))
        if bar is not None:
            bar.update(1)
            bar.set_postfix({"ok": ok0 + counts["ok"], "failed": failed0 + counts["failed"]}, refresh=False)
        if term["pending"]:
            raise _Terminated()

    def should_stop() -> bool:
        return stop_after is not None and counts["ok"] + counts["failed"] >= stop_after

    old_term = old_int = None
    if threading.current_thread() is threading.main_thread():
        def _on_term(signum, frame):
            if term["busy"]:  # let the result be counted and buffered together, then stop
                term["pending"] = True
                return
            raise _Terminated()

        old_term = signal.signal(signal.SIGTERM, _on_term)
        old_int = signal.signal(signal.SIGINT, _on_term)  # Ctrl-C: the same, held while recording

    status = "interrupted"
    try:
        drive(engine, iter_tasks(spec, design, done), on_result, should_stop=should_stop, on_tick=writer.tick)
        status = "stopped" if should_stop() and already + sum(counts.values()) < design.n_runs else "complete"
    except KeyboardInterrupt:
        status = "interrupted"
    finally:
        try:
            _finish(writer, store, manifest, session, status, ok0 + counts["ok"], failed0 + counts["failed"], design)
        finally:
            engine.close(cancel=status != "complete")
            if bar is not None:
                bar.close()
            if old_term is not None:
                signal.signal(signal.SIGTERM, old_term)
                signal.signal(signal.SIGINT, old_int)
    outcome = SweepOutcome(out, status, design.n_runs, already, counts["ok"], counts["failed"],
                           time.perf_counter() - t0, session["engine"],
                           writer.parts_written, failures)
    if echo is not None:
        echo(outcome.report())
    return outcome


def _finish(writer, store: SweepStore, manifest: dict, session: dict, status: str, ok: int, failed: int,
            design: Design) -> None:
    """Write the buffered runs, make the parts' columns uniform, and close the manifest."""
    try:
        writer.flush()
    except KeyboardInterrupt:  # a second Ctrl-C: try once more, the part is written atomically anyway
        writer.flush()
    store.unify()
    session.update(ended=now_iso(), status=status, ok=ok, failed=failed)
    manifest["counts"] = {"runs": design.n_runs, "ok": ok, "failed": failed}
    manifest["status"] = "complete" if ok + failed >= design.n_runs else status
    store.write_manifest(manifest)
