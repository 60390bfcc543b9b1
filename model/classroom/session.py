"""One economy per browser session, and the snapshot its views draw.

A :class:`Session` owns an :class:`~ailoop.model.economy.Economy` and a lock: stepping (by the
Step button or the Play loop, in another thread) and applying a shock (an event button) each hold
it, so a shock always falls between two trading days. After each tick the session takes a
:class:`Snapshot` under the lock — the time series, the network, who paid, the provenance of
chip_leader's receipts and the events — and the page draws :attr:`Session.latest`, never the live
economy, so drawing never waits for a trading day. :meth:`Session.wait_drawn` lets the Play loop
wait until the page has drawn a tick before it runs the next (the page calls
:meth:`Session.drawn`). Money in $B, time in trading days (21 a month).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ailoop.model.classroom.network import NetworkState, network_state
from ailoop.model.classroom.settings import EVENT_BY_KEY, RUN_YEARS
from ailoop.model.economy import STEPS_PER_YEAR, Economy
from ailoop.model.ledger import SOURCES

#: columns of the model table the charts use (``docs/outputs.md``)
SERIES = ("market_value_total", "sentiment", "committed_outstanding", "cash_paid_cumulative",
          "wealth_amplification", "gpu_price_new", "gpu_price_used", "gpu_rent_per_hour",
          "capacity_contracted_gw", "capacity_built_gw", "capacity_used_gw")
#: holder classes of the "who paid" chart: ``loss.<class>`` columns, in this order
LOSS_CLASSES = ("venture_funds", "bond_buyers", "chipmakers", "hyperscalers", "retail", "traders", "other")


@dataclass
class Snapshot:
    """What the views show after a tick (plain data: safe to draw while the economy moves on)."""

    date: dt.date
    steps: int  # trading days run
    horizon: int  # trading days in the run
    frame: pd.DataFrame  # one row per trading day: ``date``, :data:`SERIES`, ``mcap.<firm>``
    firms: list[str]
    network: NetworkState
    losses: dict[str, float]  # $B by holder class, + = loss, - = gain
    provenance: dict[str, float]  # share of chip_leader's receipts by original source
    events: list[dict]
    shocks: dict[str, str] = field(default_factory=dict)  # event button key -> date applied

    @property
    def finished(self) -> bool:
        return self.steps >= self.horizon


class Session:
    """The economy of one browser session, built from validated settings."""

    def __init__(self, scenario: str, seed: int, dials: dict[str, Any] | None = None, years: float = RUN_YEARS):
        self.settings = dict(scenario=scenario, seed=seed, **(dials or {}))
        self.economy = Economy(**self.settings)
        self.horizon = int(round(years * STEPS_PER_YEAR))
        self.lock = threading.RLock()
        self.shocks: dict[str, str] = {}
        self.ticks = 0  # ticks run (Step, Play, a shock), each followed by a new snapshot
        self._drawn = threading.Condition()
        self._drawn_tick = 0
        self.latest = self.snapshot()

    @property
    def finished(self) -> bool:
        return self.economy.steps >= self.horizon

    def advance(self, days: int) -> int:
        """Run up to ``days`` trading days (not past the horizon) and take the new snapshot;
        returns how many days ran."""
        ran = 0
        with self.lock:
            while ran < days and not self.finished:
                self.economy.step()
                ran += 1
            self._tick()
        return ran

    def apply_event(self, key: str) -> bool:
        """Apply the shock of event button ``key`` at the current date (once per economy); the
        model logs it as a ``shock`` event. Returns False if it was applied already."""
        with self.lock:
            if key in self.shocks:
                return False
            self.economy.apply_shock(EVENT_BY_KEY[key].shock())
            self.shocks[key] = self.economy.date.isoformat()
            self._tick()
        return True

    def _tick(self) -> None:
        self.latest = self.snapshot()
        self.ticks += 1

    def drawn(self, tick: int) -> None:
        """The page has drawn the snapshot of tick ``tick``."""
        with self._drawn:
            self._drawn_tick = max(self._drawn_tick, tick)
            self._drawn.notify_all()

    def close(self) -> None:
        """The page has moved on to another session: release a Play loop waiting for a drawing."""
        self.drawn(10**12)

    def wait_drawn(self, tick: int, timeout: float = 10.0) -> bool:
        """Wait until the page has drawn tick ``tick`` (False after ``timeout`` seconds)."""
        with self._drawn:
            return self._drawn.wait_for(lambda: self._drawn_tick >= tick, timeout)

    def snapshot(self) -> Snapshot:
        """The state the views draw, taken under the lock."""
        with self.lock:
            eco = self.economy
            df = eco.datacollector.get_model_vars_dataframe()
            firms = [f.aid for f in eco.firms]
            cols = ["date", *SERIES, *[f"mcap.{f}" for f in firms]]
            frame = df[cols].copy() if len(df) else pd.DataFrame(columns=cols)
            last = df.iloc[-1] if len(df) else None
            losses = {c: float(last[f"loss.{c}"]) if last is not None else 0.0 for c in LOSS_CLASSES}
            shares = eco.ledger.paid_by_shares("chip_leader")
            provenance = {s: float(x) for s, x in zip(SOURCES, np.asarray(shares)) if x > 0}
            return Snapshot(date=eco.date, steps=eco.steps, horizon=self.horizon, frame=frame, firms=firms,
                            network=network_state(eco), losses=losses, provenance=provenance,
                            events=list(eco.events), shocks=dict(self.shocks))
