"""Execution engines: run sweep tasks on a local process pool or a Dask cluster through one loop.

Every run, whatever the engine, is ``execute_run(task)`` in a worker process: it looks the model
up in :mod:`runs.toy_models`, runs it, and returns a plain result dict (never raises for a model
error). An engine only has to ``submit`` a task and turn a finished future into a result; the
bounded-window loop :func:`drive` is shared, so both engines go through the same code path and
give the same numbers bit for bit.

* :class:`LocalEngine` -- a ``concurrent.futures.ProcessPoolExecutor`` (``forkserver`` start
  method where available, else ``spawn``). If a worker process dies (``os._exit``, SIGKILL, the
  OOM killer) the pool breaks and every run in flight gets ``BrokenProcessPool``. The pool is then
  recreated, and each of those runs is retried once, alone in a fresh one-process pool, so the run
  that kills its worker is identified and recorded as failed while the others complete.
  Each worker watches the sweep's main process and exits as soon as it is gone
  (``runs/guard.py``): a ``kill -9`` of the sweep leaves no worker behind.
* :class:`DaskEngine` -- ``distributed.Client(address).get_executor()``. Dask itself reschedules
  the runs of a dead worker and gives up on a run that kills several workers (``KilledWorker``,
  see the scheduler setting ``distributed.scheduler.allowed-failures``); that run is recorded as
  failed. Stopping the sweep cancels its tasks; a run already executing on a Dask worker sees at
  its next step that its task was cancelled (or that its client is gone) and stops.

A run's status is ``ok``, ``failed`` (the model raised), ``timeout`` (past ``--timeout`` seconds:
stopped at a step boundary) or ``infeasible`` (a design point that breaks a joint constraint,
kept with ``--allow-infeasible``: not run).
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import multiprocessing as mp
import os
import signal
import socket
import time
import traceback
from collections import deque
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

import numpy as np


class EngineError(RuntimeError):
    """The engine cannot start (e.g. no scheduler at the given address); one-line message."""


@dataclass(frozen=True)
class Task:
    """One run: which model, scenario, seed, length (years) and parameters; what to return."""

    run_id: str
    point: int
    rep: int
    seed: int
    model: str
    scenario: str
    years: float
    params: dict
    series: tuple[str, ...] = ()
    every: int = 1
    summary: tuple[str, ...] | None = None
    timeout: float | None = None
    keep: tuple[str, ...] = ()
    infeasible: str | None = None


STATUSES = ("ok", "failed", "timeout", "infeasible")


def execute_run(task: Task) -> dict[str, Any]:
    """Run ``task`` and return its result dict; model errors become ``status = "failed"``, a run
    past its deadline ``"timeout"``; an infeasible point is not run (``"infeasible"``).

    Keys: ``run_id, point, rep, seed, scenario, years, params (as given), status, summary (dict of
    float), series (dict of 1-d arrays incl. "step", or None), tables (kept tables: name ->
    DataFrame, or None), error (one line), traceback, elapsed_s (wall seconds in the worker),
    cpu_s (CPU seconds), worker ("host:pid"), timing (see ``guard.run_limits.timing``)``.
    """
    from ailoop.runs.guard import RunCancelled, RunTimeout, dask_task_wanted, run_limits
    from ailoop.runs.toy_models import get_model

    t0, c0 = time.perf_counter(), time.process_time()
    out: dict[str, Any] = {
        "run_id": task.run_id, "point": task.point, "rep": task.rep, "seed": task.seed,
        "scenario": task.scenario, "years": float(task.years),
        "params": task.params, "status": "ok", "summary": None, "series": None, "tables": None, "error": None,
        "traceback": None, "timing": None,
    }
    if task.infeasible is not None:
        out.update(status="infeasible", error=task.infeasible, traceback=task.infeasible)
        task = None
    limits = run_limits(None if task is None else task.timeout, dask_task_wanted())
    try:
        if task is not None:
            mdef = get_model(task.model)
            with limits:
                res = mdef.run(
                    task.scenario, task.seed, task.years, dict(task.params),
                    series=list(task.series) or None, every=task.every, **({"keep": task.keep} if task.keep else {}),
                )
            summary, frame = res[0], res[1]
            out["summary"] = _clean_summary(summary, task.summary)
            if task.series:
                out["series"] = _clean_series(frame, task.series, task.every)
            if task.keep:
                tables = res[2] if len(res) > 2 else {}
                out["tables"] = {k: tables[k] for k in task.keep if k in tables}
            out["timing"] = limits.timing()
    except RunTimeout as e:
        out.update(status="timeout", summary=None, series=None, tables=None, error=_error_line(e),
                   traceback=_error_line(e))
    except RunCancelled as e:
        out.update(status="cancelled", summary=None, series=None, tables=None, error=_error_line(e))
    except (Exception, SystemExit) as e:  # noqa: BLE001 -- any model error is recorded, the sweep goes on
        out.update(status="failed", summary=None, series=None, tables=None, error=_error_line(e),
                   traceback=traceback.format_exc())
    out["elapsed_s"] = time.perf_counter() - t0
    out["cpu_s"] = time.process_time() - c0
    out["worker"] = f"{socket.gethostname()}:{os.getpid()}"
    return out


def _error_line(e: BaseException) -> str:
    return " ".join(f"{type(e).__name__}: {e}".split())[:500]


def _clean_summary(summary: Any, keep: tuple[str, ...] | None) -> dict[str, float]:
    if not isinstance(summary, dict):
        raise TypeError(f"the model returned a summary of type {type(summary).__name__}, not a dict")
    out = {}
    for k, v in summary.items():
        if keep is not None and k not in keep:
            continue
        if isinstance(v, (bool, int, float, np.number, np.bool_)):
            out[str(k)] = float(v)
        elif v is None:
            out[str(k)] = math.nan
        else:
            raise TypeError(f"summary output {k!r} is a {type(v).__name__}, not a number")
    return out


def _clean_series(frame: Any, series: tuple[str, ...], every: int) -> dict[str, np.ndarray]:
    if frame is None:
        raise ValueError("series were requested but the model returned no frame")
    n = len(frame)
    out = {"step": np.asarray(frame["step"], dtype=np.int64) if "step" in frame
           else np.arange(n, dtype=np.int64) * every}
    for c in series:
        out[c] = np.asarray(frame[c], dtype=np.float64)
    return out


def failed_result(task: Task, error: str, tb: str | None = None, worker: str = "") -> dict[str, Any]:
    """A failed result for a run whose worker could not report (died, was lost)."""
    return {
        "run_id": task.run_id, "point": task.point, "rep": task.rep, "seed": task.seed,
        "scenario": task.scenario, "years": float(task.years),
        "params": task.params, "status": "failed", "summary": None, "series": None, "tables": None, "error": error,
        "traceback": tb or error, "elapsed_s": math.nan, "cpu_s": math.nan, "worker": worker, "timing": None,
    }


# --- local process pool --------------------------------------------------------------------------


def _worker_init(main_pid: int | None = None) -> None:
    # Ctrl-C goes to the whole process group; only the parent handles it (and stops the workers).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if main_pid is not None:  # exit as soon as the sweep's main process is gone
        from ailoop.runs.guard import start_orphan_watch

        start_orphan_watch(main_pid)


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "exit code unknown"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        hint = " (out of memory?)" if -code == signal.SIGKILL else ""
        return f"killed by signal {name}{hint}"
    return f"exit code {code}"


class LocalEngine:
    """A local process pool; ``workers`` defaults to all cores; ``window`` runs in flight at most."""

    name = "local"

    def __init__(self, workers: int | None = None, start_method: str | None = None, window: int | None = None):
        self.workers = max(1, int(workers or os.cpu_count() or 1))
        methods = mp.get_all_start_methods()
        self.start_method = start_method or ("forkserver" if "forkserver" in methods else "spawn")
        self._ctx = mp.get_context(self.start_method)
        if self.start_method == "forkserver":
            self._ctx.set_forkserver_preload(["ailoop.runs.engines", "ailoop.runs.toy_models", "ailoop.runs.guard"])
        self.window = int(window or 2 * self.workers)
        self._pool: cf.ProcessPoolExecutor | None = None
        self._gen = 0
        self._meta: dict[cf.Future, tuple[int, cf.ProcessPoolExecutor | None, list]] = {}
        self.restarts = 0

    def describe(self) -> str:
        return f"local process pool ({self.workers} workers, {self.start_method})"

    def _new_pool(self, n: int) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(max_workers=n, mp_context=self._ctx, initializer=_worker_init,
                                      initargs=(os.getpid(),))

    def submit(self, task: Task, solo: bool = False) -> cf.Future:
        """Submit ``task``; ``solo`` runs it alone in a fresh one-process pool (crash isolation)."""
        if solo:
            ex = self._new_pool(1)
            fut = ex.submit(execute_run, task)
            self._meta[fut] = (-1, ex, list(getattr(ex, "_processes", {}).values()))
            return fut
        if self._pool is None:
            self._pool = self._new_pool(self.workers)
        try:
            fut = self._pool.submit(execute_run, task)
        except BrokenProcessPool:  # a worker died since the last check: start a new pool at once
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool, self._gen = self._new_pool(self.workers), self._gen + 1
            self.restarts += 1
            fut = self._pool.submit(execute_run, task)
        self._meta[fut] = (self._gen, None, [])
        return fut

    def outcome(self, fut: cf.Future, task: Task, attempt: int) -> tuple[str, dict | None]:
        """``("done", result)``, ``("retry", None)`` (run again, solo) or ``("cancelled", None)``."""
        gen, solo, procs = self._meta.pop(fut, (self._gen, None, []))
        try:
            return "done", fut.result()
        except cf.CancelledError:
            return "cancelled", None
        except BrokenProcessPool:
            if solo is None:
                if gen == self._gen and self._pool is not None:
                    self._pool.shutdown(wait=False, cancel_futures=True)
                    self._pool, self._gen = None, self._gen + 1
                    self.restarts += 1
                return "retry", None
            # the solo pool's process: captured at submit if it had started, else read now
            procs = procs or list((getattr(solo, "_processes", None) or {}).values())
            # let the pool's own manager thread finish first: it joins the dead process, and two
            # threads reading a forkserver child's exit status at once can make one of them see
            # 255 instead of the real code (multiprocessing.popen_forkserver.poll); after it, the
            # exit code is cached and reading it here touches nothing
            solo.shutdown(wait=True)
            code = next((p.exitcode for p in procs if p.exitcode is not None), None)
            if code is None and procs:
                procs[0].join(timeout=10.0)
                code = procs[0].exitcode
            msg = f"WorkerDied: the worker process died while running this run ({_describe_exit(code)})"
            return "done", failed_result(task, msg, msg + "\n(it was retried once alone, and died again)")
        except (Exception, SystemExit) as e:  # e.g. the result could not be unpickled
            return "done", failed_result(task, _error_line(e), traceback.format_exc())
        finally:
            if solo is not None:
                solo.shutdown(wait=False)

    def close(self, cancel: bool = False) -> None:
        """Shut the pools down; ``cancel`` drops queued runs and terminates running ones."""
        pools = [p for p in [self._pool] if p is not None]
        pools += [ex for (_, ex, _) in self._meta.values() if ex is not None]
        for pool in pools:
            if cancel:
                procs = list((getattr(pool, "_processes", None) or {}).values())
                pool.shutdown(wait=False, cancel_futures=True)
                for p in procs:
                    if p.is_alive():
                        p.terminate()
                for p in procs:
                    p.join(timeout=5.0)
            else:
                pool.shutdown(wait=True)
        self._pool, self._meta = None, {}


# --- Dask distributed ----------------------------------------------------------------------------


class DaskEngine:
    """Runs on a running Dask scheduler (``tcp://host:port``) through ``Client.get_executor()``.

    The window (runs in flight) is twice the cluster's worker threads, refreshed every few seconds
    so an adaptive cluster that grows gets more work.
    """

    name = "dask"

    def __init__(self, address: str, timeout: float = 10.0, window: int | None = None):
        from ailoop.runs.limits import check_scheduler

        try:
            check_scheduler(address, timeout)
        except ValueError as e:
            raise EngineError(str(e)) from None
        try:
            from distributed import Client

            self.client = Client(address, timeout=timeout, set_as_default=False)
        except Exception as e:  # noqa: BLE001
            raise EngineError(f"cannot connect to the Dask scheduler {address!r} within {timeout:g} s: "
                              f"{_error_line(e)}") from None
        self.address = address
        self._executor = self.client.get_executor(pure=False)
        self._fixed_window = window
        self._window, self._checked = 4, -math.inf

    @property
    def window(self) -> int:
        if self._fixed_window:
            return self._fixed_window
        now = time.monotonic()
        if now - self._checked > 5.0:
            try:
                self._window = max(4, 2 * sum(self.client.nthreads().values()))
            except Exception:  # noqa: BLE001 -- keep the last value
                pass
            self._checked = now
        return self._window

    def describe(self) -> str:
        try:
            n = len(self.client.nthreads())
        except Exception:  # noqa: BLE001
            n = "?"
        return f"dask scheduler {self.address} ({n} workers)"

    def submit(self, task: Task, solo: bool = False) -> cf.Future:
        return self._executor.submit(execute_run, task)

    def outcome(self, fut: cf.Future, task: Task, attempt: int) -> tuple[str, dict | None]:
        try:
            return "done", fut.result()
        except cf.CancelledError:
            return "cancelled", None
        except Exception as e:  # noqa: BLE001 -- KilledWorker, lost data, ...
            return "done", failed_result(task, _error_line(e), traceback.format_exc())

    def close(self, cancel: bool = False) -> None:
        """Close the client; ``cancel`` cancels every task of this sweep first (queued ones are
        dropped, running ones stop at their next step)."""
        try:
            self._executor.shutdown(wait=not cancel)
        finally:
            self.client.close()


def make_engine(workers: int | None = None, scheduler: str | None = None, start_method: str | None = None,
                scheduler_timeout: float = 10.0):
    """The engine for the CLI options: Dask when ``scheduler`` is given, else a local pool."""
    if scheduler:
        return DaskEngine(scheduler, timeout=scheduler_timeout)
    return LocalEngine(workers, start_method)


# --- the shared loop -----------------------------------------------------------------------------


def drive(
    engine,
    tasks: Iterable[Task],
    on_result: Callable[[dict], None],
    should_stop: Callable[[], bool] = lambda: False,
    on_tick: Callable[[], None] = lambda: None,
    tick_seconds: float = 1.0,
) -> int:
    """Run ``tasks`` on ``engine`` with at most ``engine.window`` in flight; return runs left unfinished.

    ``on_result`` gets each finished run's result dict (with ``attempt`` set); ``should_stop`` is
    polled after each batch of finished runs; ``on_tick`` at least every ``tick_seconds``.
    Tasks are pulled from the iterator lazily, so memory does not grow with the number of runs.
    """
    it: Iterator[Task] = iter(tasks)
    pending: dict[cf.Future, tuple[Task, int]] = {}
    retry: deque[Task] = deque()
    exhausted = False
    while True:
        if should_stop():
            break
        while len(pending) < engine.window:
            if retry:
                task, attempt, solo = retry.popleft(), 2, True
            elif not exhausted:
                task = next(it, None)
                if task is None:
                    exhausted = True
                    continue
                attempt, solo = 1, False
            else:
                break
            pending[engine.submit(task, solo=solo)] = (task, attempt)
        if not pending:
            break
        done, _ = cf.wait(pending, timeout=tick_seconds, return_when=cf.FIRST_COMPLETED)
        for fut in done:
            task, attempt = pending.pop(fut)
            kind, result = engine.outcome(fut, task, attempt)
            if kind == "retry":
                retry.append(task)
            elif kind == "done" and result["status"] != "cancelled":  # (a cancelled run is not recorded)
                result["attempt"] = attempt
                on_result(result)
        on_tick()
    return len(pending) + len(retry)
