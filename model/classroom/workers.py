"""The classroom's economies stepped outside the page: a pool of worker processes.

A class of thirty students on one laptop runs thirty economies. Stepped inside the web server
they would all share one Python interpreter (one core, one lock) with the drawing of every page;
here each economy lives in one of a few worker processes (:class:`Pool`, one per core by default:
``$AILOOP_APP_WORKERS``), and the page holds a :class:`Handle` to it. A call sends one request down
the worker's pipe and waits for the answer (a :class:`~ailoop.model.classroom.session.Snapshot`,
plain data), so the server's threads only wait while the workers compute, in parallel.

* **Pause is immediate.** Each handle has a slot in a shared array of flags; :meth:`Handle.pause`
  sets it, and the worker stops stepping before the next trading day.
* **Nothing is lost when a worker dies.** A handle keeps the recipe of its last snapshot; if its
  worker has died (or no longer knows the session) the pool starts a new worker and the handle
  rebuilds the economy there from the recipe, bit for bit, then repeats the request.
* **Errors are one line.** An error inside a worker comes back as :class:`WorkerError` with one
  line; the session itself catches a failed trading day and keeps its economy
  (``model/classroom/session.py``).

:class:`LocalHandle` is the same interface with the economy in this process (tests, notebooks,
``$AILOOP_APP_WORKERS=0``).
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import threading
from typing import Any

from ailoop.model.classroom.recipe import Recipe
from ailoop.model.classroom.session import Session, Snapshot, one_line

WORKERS_ENV = "AILOOP_APP_WORKERS"
#: most sessions the pool serves at once (slots of the pause flags)
MAX_SESSIONS = 512


class WorkerError(RuntimeError):
    """A request a worker could not answer; the message is one line."""


class Unknown(WorkerError):
    """The worker does not hold the session (it was restarted): rebuild from the recipe."""


def _serve(conn, flags) -> None:  # pragma: no cover - runs in the worker process
    """A worker's loop: requests ``(session id, operation, arguments)``, answers ``(status, value)``."""
    sessions: dict[int, tuple[Session, int]] = {}
    while True:
        try:
            sid, op, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if op == "open":
                recipe, slot = args
                sessions[sid] = (Session(recipe), slot)
                value: Any = sessions[sid][0].snapshot()
            elif op == "close":
                sessions.pop(sid, None)
                value = None
            elif op == "ping":
                value = os.getpid()
            elif sid not in sessions:
                conn.send(("unknown", None))
                continue
            else:
                session, slot = sessions[sid]
                if op == "advance":
                    session.advance(args[0], stop=lambda: flags[slot] != 0)
                    value = session.snapshot()
                elif op == "event":
                    refused = session.apply_event(args[0])
                    value = (session.snapshot(), refused)
                elif op == "snapshot":
                    value = session.snapshot()
                elif op == "tables":
                    value = session.tables()
                else:
                    raise ValueError(f"unknown request {op!r}")
            conn.send(("ok", value))
        except Exception as e:  # noqa: BLE001 - the page shows it as one line; the worker lives on
            conn.send(("error", one_line(e)))


class _FairLock:
    """A lock served in the order it was asked for: with thirty students on a few workers, nobody
    waits more than one round (a plain lock lets a thread take it again and again)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next = self._serving = 0

    def __enter__(self):
        with self._cond:
            ticket = self._next
            self._next += 1
            while ticket != self._serving:
                self._cond.wait()

    def __exit__(self, *exc):
        with self._cond:
            self._serving += 1
            self._cond.notify_all()


class _Worker:
    def __init__(self, ctx, flags) -> None:
        self._ctx, self._flags = ctx, flags
        self.lock = _FairLock()
        self.sessions = 0
        self._start()

    def _start(self) -> None:
        self.conn, child = self._ctx.Pipe()
        self.process = self._ctx.Process(target=_serve, args=(child, self._flags), daemon=True,
                                         name="ailoop-classroom-worker")
        self.process.start()
        child.close()

    def call(self, sid: int, op: str, *args) -> Any:
        """One request; restarts the process and raises :class:`Unknown` if it has died."""
        with self.lock:
            try:
                self.conn.send((sid, op, args))
                status, value = self.conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                self._restart()
                raise Unknown("the worker process stopped; it was restarted") from None
        if status == "unknown":
            raise Unknown(f"session {sid} is not in this worker")
        if status == "error":
            raise WorkerError(value)
        return value

    def _restart(self) -> None:
        try:
            self.conn.close()
        except OSError:
            pass
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self._start()

    def stop(self) -> None:
        try:
            self.conn.close()
        finally:
            self.process.kill()
            self.process.join(5)


class Pool:
    """Worker processes, each holding the economies of some sessions (the least busy takes a new one)."""

    def __init__(self, n: int) -> None:
        if n < 1:
            raise ValueError(f"a pool needs at least one worker, not {n}")
        ctx = mp.get_context("spawn")  # the server is threaded: never fork it
        self.flags = ctx.Array("b", MAX_SESSIONS, lock=False)
        self.workers = [_Worker(ctx, self.flags) for _ in range(n)]
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._free = list(range(MAX_SESSIONS))

    def open(self, recipe: Recipe) -> "Handle":
        with self._lock:
            if not self._free:
                raise WorkerError(f"the app serves at most {MAX_SESSIONS} sessions at once; close a tab and reload")
            worker = min(self.workers, key=lambda w: w.sessions)
            worker.sessions += 1
            sid, slot = next(self._ids), self._free.pop(0)
        self.flags[slot] = 0
        return Handle(self, worker, sid, slot, recipe)

    def release(self, worker: _Worker, slot: int) -> None:
        with self._lock:
            worker.sessions -= 1
            self._free.append(slot)

    def stop(self) -> None:
        for w in self.workers:
            w.stop()


class Handle:
    """A session whose economy lives in a worker process."""

    def __init__(self, pool: Pool, worker: _Worker, sid: int, slot: int, recipe: Recipe) -> None:
        self.pool, self.worker, self.sid, self.slot = pool, worker, sid, slot
        self.recipe = recipe
        self.closed = False
        self.latest: Snapshot = self._call("open", recipe, slot)

    def _call(self, op: str, *args) -> Any:
        try:
            value = self.worker.call(self.sid, op, *args)
        except Unknown:
            if op == "open":  # the worker died while opening: once more on the new one
                value = self.worker.call(self.sid, op, *args)
            else:  # rebuild the economy from the last recipe, then ask again
                self.worker.call(self.sid, "open", self.recipe, self.slot)
                value = self.worker.call(self.sid, op, *args)
        snap = value[0] if isinstance(value, tuple) else value
        if isinstance(snap, Snapshot):
            self.latest, self.recipe = snap, snap.recipe
        return value

    def pause(self) -> None:
        """Stop the stepping under way before its next trading day (and any that is asked for)."""
        self.pool.flags[self.slot] = 1

    def resume(self) -> None:
        self.pool.flags[self.slot] = 0

    @property
    def paused(self) -> bool:
        return self.pool.flags[self.slot] != 0

    def advance(self, days: int) -> Snapshot:
        return self._call("advance", days)

    def apply_event(self, key: str) -> tuple[Snapshot, str | None]:
        return self._call("event", key)

    def snapshot(self) -> Snapshot:
        return self._call("snapshot")

    def tables(self) -> dict:
        return self._call("tables")

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.pause()
        try:
            self.worker.call(self.sid, "close")
        except WorkerError:
            pass
        self.pool.release(self.worker, self.slot)


class LocalHandle:
    """The same interface as :class:`Handle`, the economy in this process (a lock keeps a shock
    between two trading days)."""

    def __init__(self, recipe: Recipe) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.session = Session(recipe)
        self.latest: Snapshot = self.session.snapshot()
        self.recipe = recipe
        self.closed = False

    def pause(self) -> None:
        self._stop.set()

    def resume(self) -> None:
        self._stop.clear()

    @property
    def paused(self) -> bool:
        return self._stop.is_set()

    def _done(self, snap: Snapshot) -> Snapshot:
        self.latest, self.recipe = snap, snap.recipe
        return snap

    def advance(self, days: int) -> Snapshot:
        with self._lock:
            self.session.advance(days, stop=self._stop.is_set)
            return self._done(self.session.snapshot())

    def apply_event(self, key: str) -> tuple[Snapshot, str | None]:
        with self._lock:
            refused = self.session.apply_event(key)
            return self._done(self.session.snapshot()), refused

    def snapshot(self) -> Snapshot:
        with self._lock:
            return self._done(self.session.snapshot())

    def tables(self) -> dict:
        with self._lock:
            return self.session.tables()

    def close(self) -> None:
        self.closed = True
        self._stop.set()


_POOL: Pool | None = None
_POOL_LOCK = threading.Lock()


def workers_wanted() -> int:
    """Worker processes for the app: ``$AILOOP_APP_WORKERS`` (0 = step in the server), else one per core."""
    text = os.environ.get(WORKERS_ENV)
    if text is None or not text.strip():
        return max(1, os.cpu_count() or 1)
    try:
        n = int(text)
    except ValueError:
        n = -1
    if not 0 <= n <= 64:
        raise ValueError(f"${WORKERS_ENV}={text!r} is not allowed; allowed: an integer in [0, 64]")
    return n


def open_session(recipe: Recipe):
    """A handle on a new session of ``recipe``: in the shared pool (started on first use), or in
    this process if ``$AILOOP_APP_WORKERS`` is 0."""
    global _POOL
    n = workers_wanted()
    if n == 0:
        return LocalHandle(recipe)
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = Pool(n)
    return _POOL.open(recipe)
