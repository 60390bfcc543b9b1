"""The event log: what happened, to whom, why, and how big — and who wants to hear about it.

Every dated event of a run (deals announced, contracts signed or cancelled, rounds, margin calls,
fire sales, defaults, write-offs, shocks) is one record ``(step, date, event, agent, cause,
size)``; ``size`` is in $B unless the event says otherwise. Listeners (the exchange, which turns
announcements into news for traders) are called with ``(agent, event, size)`` as each event is
recorded, so services can be built in any order.
"""

from __future__ import annotations

from typing import Callable

COLUMNS = ("step", "date", "event", "agent", "cause", "size")


class EventLog:
    """Append-only list of event records with listeners."""

    def __init__(self) -> None:
        self.records: list[dict] = []
        self._listeners: list[Callable[[str, str, float], None]] = []

    def subscribe(self, listener: Callable[[str, str, float], None]) -> None:
        """Call ``listener(agent, event, size)`` for every event recorded from now on."""
        self._listeners.append(listener)

    def record(self, step: int, date: str, event: str, agent: str, cause: str, size: float = 0.0) -> None:
        for listener in self._listeners:
            listener(agent, event, size)
        self.records.append(dict(step=step, date=date, event=event, agent=agent, cause=cause, size=size))

    def __iter__(self):
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, k):
        return self.records[k]
