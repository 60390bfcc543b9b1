"""Safety of long jobs: the lock on a sweep's ``--out``, workers that die with their sweep, and
per-run deadlines.

* :class:`OutLock` - one writer per sweep directory. The lock is an exclusive ``flock`` on
  ``DIR/.lock`` held for the life of the sweep, so a sweep killed with SIGKILL leaves no stale
  lock (the kernel drops it); the file names the holder (PID, host, start time) so that a second
  writer is refused with one line saying who holds it.
* :func:`start_orphan_watch` - run in every local worker process: a daemon thread that ends the
  worker (``os._exit``) as soon as the sweep's main process is gone (its parent changed, or the
  main process is dead or a zombie), so a ``kill -9`` of the main process leaves no worker
  computing for nobody.
* :func:`checkpoint` - called by a run between its steps (``runs/simulate.py``, the toy models):
  raises :class:`RunTimeout` past the run's deadline (``--timeout``), and :class:`RunCancelled`
  when the run is no longer wanted (a Dask task whose client cancelled it or disappeared).
  Runs stop at a step boundary, so a timed-out run is recorded with ``status = "timeout"`` and
  the worker goes on with the next run.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import socket
import threading
import time
from pathlib import Path
from typing import Callable

LOCK_NAME = ".lock"


class LockedError(RuntimeError):
    """Another process holds the sweep directory (one-line message naming it)."""


class RunTimeout(Exception):
    """A run went past its deadline (``--timeout`` seconds of wall time)."""


class RunCancelled(Exception):
    """A run is no longer wanted (its Dask task was cancelled, or its client is gone)."""


# --- the lock on --out ---------------------------------------------------------------------------


class OutLock:
    """An exclusive lock on a sweep directory, held until :meth:`release` (or the process ends).

    ``acquire`` makes the directory if needed (and remembers whether it did, so a sweep that stops
    before writing anything can remove it again) and raises :class:`LockedError` naming the
    holder's PID and host when another process holds it."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.path = self.root / LOCK_NAME
        self._fd: int | None = None
        self.made_dir = False

    def holder(self) -> dict:
        """What the lock file says about its holder (empty if unreadable)."""
        try:
            return json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return {}

    def acquire(self) -> "OutLock":
        import fcntl

        if not self.root.exists():
            self.root.mkdir(parents=True)
            self.made_dir = True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            h = self.holder()
            who = (f"PID {h.get('pid', '?')} on host {h.get('host', '?')}, since {h.get('since', '?')}"
                   if h else "another process")
            raise LockedError(f"--out {str(self.root)!r} is being written by another sweep ({who}); "
                              "wait for it to finish or choose another --out") from None
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "since": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(info) + "\n").encode(), 0)
        self._fd = fd
        return self

    def release(self, remove_dir: bool = False) -> None:
        """Drop the lock and its file; ``remove_dir``: also remove the directory if this lock made
        it and nothing else is in it."""
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self._fd)
            self._fd = None
        if remove_dir and self.made_dir:
            try:
                self.root.rmdir()
            except OSError:
                pass

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


# --- workers that die with the sweep -------------------------------------------------------------


def _gone(pid: int) -> bool:
    """True if process ``pid`` no longer runs (absent, or a zombie waiting to be reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            state = f.read().rsplit(b")", 1)[1].split()[0]
        return state in (b"Z", b"X")
    except (OSError, IndexError):
        return False


def start_orphan_watch(main_pid: int, every: float = 0.5) -> threading.Thread:
    """In a worker process: end it (``os._exit(70)``) once the sweep's main process ``main_pid`` is
    gone or the worker's parent changed (it was re-parented because its parent died)."""
    ppid = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(every)
            if os.getppid() != ppid or _gone(main_pid):
                os._exit(70)

    t = threading.Thread(target=watch, name="ailoop-orphan-watch", daemon=True)
    t.start()
    return t


# --- deadlines and cancellation of one run -------------------------------------------------------

_state = threading.local()


class run_limits:
    """Context manager set around one run in a worker: ``timeout`` seconds of wall time (None: no
    limit) and ``wanted`` (a function returning False once the run is no longer wanted; polled at
    most every ``poll`` seconds)."""

    def __init__(self, timeout: float | None = None, wanted: Callable[[], bool] | None = None, poll: float = 0.5):
        self.timeout, self.wanted, self.poll = timeout, wanted, poll

    def __enter__(self):
        now = time.monotonic()
        self.started = now
        self.marks: list[float] = []   # the first and the latest checkpoint, and how many
        self.count = 0
        self._prev = getattr(_state, "limits", None)
        _state.limits = (None if self.timeout is None else now + self.timeout, self.timeout, self.wanted,
                         self.poll, [now], self)
        return self

    def __exit__(self, *exc):
        self.ended = time.monotonic()
        _state.limits = self._prev

    def timing(self) -> dict[str, float]:
        """Where the run's time went, from its step checkpoints: ``setup_s`` (before the first
        step), ``step_s`` (mean seconds a step), ``steps`` (steps seen) and ``tail_s`` (after the
        last step: the closing checks and the summary). A run without step checkpoints (a toy
        model) reports its whole time as ``setup_s``. Used by ``--dry-run``'s pilot."""
        end = getattr(self, "ended", time.monotonic())
        if self.count < 2:
            return {"setup_s": end - self.started, "step_s": 0.0, "steps": float(self.count), "tail_s": 0.0}
        first, last = self.marks
        step = (last - first) / (self.count - 1)
        return {"setup_s": max(first - self.started - step, 0.0), "step_s": step, "steps": float(self.count),
                "tail_s": end - last}


def checkpoint(where: str = "", step: bool = False) -> None:
    """Raise :class:`RunTimeout` or :class:`RunCancelled` if the current run must stop; a no-op
    outside :class:`run_limits` (a run from the command line or a notebook). ``step``: this
    checkpoint ends a model step (the dry run's pilot times the steps from these)."""
    limits = getattr(_state, "limits", None)
    if limits is None:
        return
    deadline, timeout, wanted, poll, last, ctx = limits
    now = time.monotonic()
    if step:
        ctx.count += 1
        if ctx.marks:
            ctx.marks[1] = now
        else:
            ctx.marks[:] = [now, now]
    if deadline is not None and now > deadline:
        raise RunTimeout(f"the run went past its {timeout:g} s timeout{f' ({where})' if where else ''}")
    if wanted is not None and now - last[0] >= poll:
        last[0] = now
        if not wanted():
            raise RunCancelled("the run was cancelled (its sweep stopped or is gone)")


def remaining() -> float | None:
    """Seconds left before the current run's deadline (None: no deadline)."""
    limits = getattr(_state, "limits", None)
    if limits is None or limits[0] is None:
        return None
    return limits[0] - time.monotonic()


def dask_task_wanted() -> Callable[[], bool] | None:
    """In a Dask worker thread: a function telling whether the task it runs is still wanted by
    the scheduler (False once the client cancelled it or disconnected); None elsewhere."""
    try:
        from distributed import get_worker
        from distributed.worker import thread_state

        worker = get_worker()
        key = thread_state.key
    except (ImportError, ValueError, AttributeError):
        return None

    def wanted() -> bool:
        ts = worker.state.tasks.get(key)
        return ts is not None and ts.state not in ("cancelled", "released", "forgotten", "error")

    return wanted
