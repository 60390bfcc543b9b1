"""Play that cannot break: ticks paced by the wall clock and by the browser having drawn the last one.

A :class:`Player` belongs to one page. Its thread runs a tick (a stride of trading days, in the
session's worker) only when all of these hold:

* Play is on (:meth:`Player.play`); :meth:`Player.pause` turns it off at once and tells the
  session to stop before its next trading day, so Pause never waits for a stride to finish;
* the browser has drawn the last tick: the page reports each tick it has painted
  (:meth:`Player.drawn`, from a small component that answers after two animation frames), so the
  server never sends a second picture before the first is on screen and no render loop can build
  up; a tab that stops drawing (hidden) gets one tick per :data:`ACK_TIMEOUT_S` at most;
* the tick's time has come: at most ``speed`` ticks per second of wall-clock time.

Each tick's snapshot goes to ``publish`` — one state change for the page per tick. Play stops by
itself at the end of the run, when a tick reports an error (shown as one line; the session keeps
its economy), or when the tour's condition ``until(snapshot)`` holds, and says why to
``on_stop(reason, is_error)``. Every exception the thread meets is caught and handed on as one
line; the thread lives on.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

from ailoop.model.classroom.session import Snapshot, one_line

#: seconds Play waits for the browser to report the last tick drawn before it moves on anyway
ACK_TIMEOUT_S = 5.0


class Player:
    """The Play loop of one page."""

    def __init__(self, publish: Callable[[Snapshot], None], on_stop: Callable[[str, bool], None],
                 on_error: Callable[[str], None]) -> None:
        self._publish, self._on_stop, self._on_error = publish, on_stop, on_error
        self._cond = threading.Condition()
        self._playing = False
        self._closed = False
        self._handle = None
        self._days = 21
        self._interval = 1 / 3
        self._until: Callable[[Snapshot], bool] | None = None
        self._to_day: int | None = None
        self.published = 0  # ticks handed to the page
        self.drawn_tick = 0  # the last tick the browser reported drawn
        self._due = 0.0  # wall-clock time the next tick may start
        self.ticks_run = 0
        self._thread = threading.Thread(target=self._loop, name="ailoop-player", daemon=True)
        self._thread.start()

    # ---------------------------------------------------------------------------- controls
    @property
    def playing(self) -> bool:
        return self._playing

    def play(self, handle, days: int, ticks_per_second: float, until: Callable[[Snapshot], bool] | None = None,
             to_day: int | None = None) -> None:
        """Start (or go on) playing ``handle`` at ``days`` trading days a tick; with ``to_day``, stop
        exactly on that trading day (the last tick is shortened)."""
        with self._cond:
            self._handle, self._days, self._until, self._to_day = handle, days, until, to_day
            self._interval = 1.0 / ticks_per_second
            handle.resume()
            self._playing = True
            self._due = time.monotonic()
            self._cond.notify_all()

    def pause(self) -> None:
        """Stop now: no new tick starts, and the one under way stops before its next trading day."""
        with self._cond:
            self._playing = False
            self._until = self._to_day = None
            if self._handle is not None:
                self._handle.pause()
            self._cond.notify_all()

    def use(self, handle) -> None:
        """From now on the page shows ``handle`` (a Reset): a tick of the previous session still under
        way is not shown when it ends."""
        with self._cond:
            self._handle = handle
            self._cond.notify_all()

    def set_pace(self, days: int | None = None, ticks_per_second: float | None = None) -> None:
        with self._cond:
            if days is not None:
                self._days = days
            if ticks_per_second is not None:
                self._interval = 1.0 / ticks_per_second
            self._cond.notify_all()

    def drawn(self, tick: int) -> None:
        """The browser has painted tick ``tick``."""
        with self._cond:
            self.drawn_tick = max(self.drawn_tick, int(tick))
            self._cond.notify_all()

    def published_tick(self) -> int:
        """Count a tick handed to the page outside Play (Step, an event button): Play waits for it too."""
        with self._cond:
            self.published += 1
            return self.published

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._playing = False
            self._cond.notify_all()

    # ---------------------------------------------------------------------------- the loop
    def _ready(self) -> bool:
        return self._playing and self.drawn_tick >= self.published and time.monotonic() >= self._due

    def _loop(self) -> None:
        while True:
            with self._cond:
                waited_for_ack = time.monotonic()
                while not self._closed and not self._ready():
                    now = time.monotonic()
                    if self._playing and self.drawn_tick < self.published and now - waited_for_ack > ACK_TIMEOUT_S:
                        self.drawn_tick = self.published  # the browser is not drawing (hidden tab): go on slowly
                        continue
                    timeout = max(0.001, self._due - now) if self._playing and self.drawn_tick >= self.published else 0.25
                    self._cond.wait(timeout)
                if self._closed:
                    return
                handle, days, until, to_day = self._handle, self._days, self._until, self._to_day
                self._due = time.monotonic() + self._interval
            if to_day is not None:
                days = max(0, min(days, to_day - handle.latest.steps))
            try:
                snap = handle.advance(days)
            except Exception as e:  # noqa: BLE001 - a failed request: say so, stop playing, live on
                self._stop(f"Play stopped: {one_line(e)}", error=True)
                continue
            self.ticks_run += 1
            with self._cond:
                if handle is not self._handle:  # the page has moved on to another session (Reset)
                    continue
                self.published += 1
            try:
                self._publish(snap)
            except Exception as e:  # noqa: BLE001 - drawing failed: the page shows it as one line
                self._on_error(f"drawing the page failed: {one_line(e)}")
            reason = ("the run has reached its end" if snap.finished else snap.error if snap.error else
                      "the tour's step is done" if (until is not None and _holds(until, snap))
                      or (to_day is not None and snap.steps >= to_day) else None)
            if reason is not None:
                self._stop(reason, error=bool(snap.error))

    def _stop(self, reason: str, error: bool = False) -> None:
        with self._cond:
            was = self._playing
            self._playing = False
            self._until = self._to_day = None
        if was:
            try:
                self._on_stop(reason, error)
            except Exception:  # noqa: BLE001 - nothing may kill the loop
                pass


def _holds(until: Callable[[Snapshot], bool], snap: Snapshot) -> bool:
    try:
        return bool(until(snap))
    except Exception:  # noqa: BLE001 - a bad condition ends the step rather than the page
        return True
