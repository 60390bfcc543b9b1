"""One classroom economy, its counterfactual, and the snapshot its views draw.

A :class:`Session` owns an :class:`~ailoop.model.economy.Economy` built from a
:class:`~ailoop.model.classroom.recipe.Recipe` and keeps the recipe up to date as it runs (the
trading day reached, each shock and when it was applied), so the economy can always be rebuilt
bit for bit (:meth:`Session.replay`). It runs in a worker process (``model/classroom/workers.py``)
or, for tests and notebooks, in the calling process.

* **Stepping** (:meth:`Session.advance`) runs trading days one by one and stops early, between
  two days, when asked to (Pause): a trading day is never cut in half.
* **Errors never kill the economy.** If a trading day raises, the economy is rebuilt from the
  recipe at the last day that completed, and the error is kept as one line
  (:attr:`Snapshot.error`) for the page to show; the student can go on or reset.
* **The counterfactual.** When the first event button is pressed, a second economy — the same
  settings and seed without the buttons' shocks — is rebuilt to today and then stepped in
  lockstep, so the page can draw "what would have happened" faded beside the run.
* **Snapshots** (:meth:`Session.snapshot`) are plain data, taken between trading days: the time
  series thinned to at most :data:`MAX_POINTS` rows, the network, who paid, the provenance of the
  lead chipmaker's receipts, the monitors, the events and the firms' colours.

Money in $B, time in trading days (21 a month, 252 a year).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from ailoop.model.classroom.network import NetworkState, network_state, node_keys
from ailoop.model.classroom.palette import firm_colours
from ailoop.model.classroom.recipe import HORIZON, Recipe, trading_date
from ailoop.model.classroom.settings import EVENT_BY_KEY, refusal
from ailoop.model.economy import Economy
from ailoop.model.ledger import SOURCES
from ailoop.model.metrics import LOSS_CLASSES, announcements

#: columns of the model table the charts use (``docs/outputs.md``)
SERIES = ("market_value_total", "sentiment", "committed_outstanding", "cash_paid_cumulative",
          "wealth_amplification", "gpu_price_new", "gpu_price_used", "gpu_rent_per_hour",
          "capacity_contracted_gw", "capacity_built_gw", "capacity_used_gw", "lab_revenue", "lab_demand")
#: holder classes of the "who paid" chart: ``loss.<class>`` columns, in the model's order
LOSS_ORDER = (*LOSS_CLASSES, "other")
#: most rows of a time series a snapshot carries (thinned evenly, the last row kept)
MAX_POINTS = 320
#: set to a trading day to make that day raise once in every session (the browser tests use it
#: to check that an error is shown as one line and the economy survives)
FAULT_ENV = "AILOOP_APP_FAULT_DAY"


@dataclass
class Monitor:
    """One number the page shows in a box, with its unit and what it means."""

    key: str
    label: str
    value: float | None  # None: not applicable now (e.g. the firm is in default)
    unit: str
    text: str  # the value as shown, e.g. "14.2 months"
    help: str


@dataclass
class Snapshot:
    """What the views show after a tick (plain data: safe to draw while the economy moves on)."""

    recipe: Recipe
    date: dt.date
    steps: int  # trading days run
    horizon: int  # trading days in the run
    frame: pd.DataFrame  # thinned: ``date``, :data:`SERIES`, ``mcap.<firm>``, ``loss.<class>``
    firms: list[str]  # firms whose market value counts, in the model's order
    colours: dict[str, str]  # firm -> colour, stable for the whole run
    network: NetworkState
    losses: dict[str, float]  # $B by holder class, + = loss, - = gain
    provenance: dict[str, float]  # share of the lead chipmaker's receipts by original source
    chipmaker: str  # that chipmaker's id
    events: list[dict]  # the model's event log, each with the acting agent's network ``group``
    monitors: list[Monitor]
    counterfactual: pd.DataFrame | None = None  # the same economy without the buttons' shocks (thinned)
    counterfactual_losses: dict[str, float] | None = None
    refused: dict[str, str | None] = field(default_factory=dict)  # button key -> why it cannot be pressed now
    announcements: list[dict] = field(default_factory=list)  # each deal announced by a listed firm: its day's move
    error: str | None = None  # one line: the last error, if the last tick failed

    @property
    def finished(self) -> bool:
        return self.steps >= self.horizon

    @property
    def shocks(self) -> dict[str, str]:
        """Button key -> date it was applied."""
        return self.recipe.shock_dates()


def one_line(e: BaseException) -> str:
    """An exception as one line: its type, message and where it was raised (file:line)."""
    tb = traceback.extract_tb(e.__traceback__)
    where = f" (at {os.path.basename(tb[-1].filename)}:{tb[-1].lineno})" if tb else ""
    msg = " ".join(str(e).split()) or "no message"
    return f"{type(e).__name__}: {msg}{where}"


def build(recipe: Recipe, until: int | None = None) -> Economy:
    """A fresh economy of ``recipe`` replayed to trading day ``until`` (default: the recipe's day):
    each shock applied after the trading day it was pressed on, as it was live."""
    eco = Economy(**recipe.settings())
    shocks = sorted(recipe.shocks, key=lambda ks: ks[1])
    end = recipe.day if until is None else until
    k = 0
    while True:
        while k < len(shocks) and shocks[k][1] <= eco.steps:
            eco.apply_shock(EVENT_BY_KEY[shocks[k][0]].shock())
            k += 1
        if eco.steps >= end:
            return eco
        eco.step()


class Session:
    """The economy of one browser session, rebuilt from ``recipe`` (its settings, its shocks and
    the day reached)."""

    def __init__(self, recipe: Recipe | None = None, horizon: int = HORIZON):
        recipe = recipe or Recipe()
        if not 0 <= recipe.day <= horizon:
            raise ValueError(f"day {recipe.day} is outside the run of {horizon} trading days")
        self.horizon = horizon
        self.recipe = recipe
        self.economy = build(recipe)
        self.counterfactual: Economy | None = build(recipe.without_shocks()) if recipe.shocks else None
        self.error: str | None = None
        self._announced: tuple = (None, [])  # (key, rows) of the last announcements worked out
        fault = os.environ.get(FAULT_ENV)
        self._fault_day = int(fault) if fault else None

    # ------------------------------------------------------------------------------ running
    @property
    def steps(self) -> int:
        return self.economy.steps

    @property
    def finished(self) -> bool:
        return self.economy.steps >= self.horizon

    def advance(self, days: int, stop: Callable[[], bool] | None = None) -> int:
        """Run up to ``days`` trading days (not past the horizon), stopping between two days as
        soon as ``stop()`` is true; returns how many ran. A day that raises is not counted: the
        economy is rebuilt at the last completed day and the error kept in :attr:`error`."""
        self.error = None
        ran = 0
        while ran < days and not self.finished and not (stop is not None and stop()):
            try:
                self._fault(self.economy.steps + 1)
                self.economy.step()
                if self.counterfactual is not None:
                    self.counterfactual.step()
            except Exception as e:  # noqa: BLE001 - every error is shown, none kills the session
                day = self.recipe.day + 1  # the day tried: the recipe's day is the last one completed
                self.error = f"trading day {day} ({trading_date(day)}) failed: {one_line(e)}"
                self._recover()
                break
            ran += 1
            self.recipe = self.recipe.at(self.economy.steps)
        return ran

    def _fault(self, day: int) -> None:
        if self._fault_day is not None and day == self._fault_day:
            self._fault_day = None  # once
            raise RuntimeError(f"injected fault at trading day {day} ({FAULT_ENV})")

    def _recover(self) -> None:
        """Rebuild the economy (and its counterfactual) at the recipe's day, the last one completed."""
        try:
            self.economy = build(self.recipe)
            self.counterfactual = build(self.recipe.without_shocks()) if self.recipe.shocks else None
        except Exception as e:  # noqa: BLE001 - the model fails before that day too: say so
            self.error += f"; rebuilding it failed too: {one_line(e)} (press Reset)"

    def apply_event(self, key: str) -> str | None:
        """Apply the shock of event button ``key`` now (between two trading days); returns None, or
        why it was refused (unknown button, already applied, or one of its kind scheduled)."""
        button = EVENT_BY_KEY.get(key)
        if button is None:
            return f"unknown event {key!r}; allowed: {', '.join(EVENT_BY_KEY)}"
        why = refusal(button, self.recipe.scenario, self.recipe.shock_dates())
        if why is not None:
            return why
        if self.counterfactual is None:  # the first shock: the run without it starts here
            self.counterfactual = build(self.recipe.without_shocks())
        self.economy.apply_shock(button.shock())
        self.recipe = self.recipe.with_shock(key, self.economy.steps)
        return None

    def replay(self) -> Economy:
        """A fresh economy rebuilt from the recipe: bit for bit the one this session holds."""
        return build(self.recipe)

    # ------------------------------------------------------------------------------ reading
    def snapshot(self, compare: bool = True) -> Snapshot:
        """The state the views draw (plain data)."""
        eco = self.economy
        df = eco.datacollector.get_model_vars_dataframe()
        firms = [f.aid for f in eco.firms]
        losses_cols = [f"loss.{c}" for c in LOSS_ORDER]
        cols = ["date", *SERIES, *[f"mcap.{f}" for f in firms], *losses_cols]
        frame = thin(df[[c for c in cols if c in df.columns]]) if len(df) else pd.DataFrame(columns=cols)
        last = df.iloc[-1] if len(df) else None
        losses = {c: float(last[f"loss.{c}"]) if last is not None else 0.0 for c in LOSS_ORDER}
        lead = next(iter(eco.chipmakers)).aid
        shares = eco.ledger.paid_by_shares(lead)
        provenance = {s: float(x) for s, x in zip(SOURCES, np.asarray(shares)) if x > 0}
        keys = node_keys(eco)
        groups = {a: keys.get(a, a) for a in eco.ledger.agent_ids}
        events = [{**ev, "group": groups.get(ev["agent"], ev["agent"])} for ev in eco.events]
        cf = cf_losses = None
        if compare and self.counterfactual is not None:
            cdf = self.counterfactual.datacollector.get_model_vars_dataframe()
            cf = thin(cdf[[c for c in ("date", *SERIES, *losses_cols) if c in cdf.columns]])
            cf_losses = {c: float(cdf[f"loss.{c}"].iloc[-1]) for c in LOSS_ORDER} if len(cdf) else None
        applied = self.recipe.shock_dates()
        refused = {k: refusal(b, self.recipe.scenario, applied) for k, b in EVENT_BY_KEY.items()}
        return Snapshot(recipe=self.recipe, date=eco.date, steps=eco.steps, horizon=self.horizon, frame=frame,
                        firms=firms, colours=firm_colours([a.aid for a in eco.loop_firms]),
                        network=network_state(eco), losses=losses, provenance=provenance, chipmaker=lead,
                        events=events, monitors=monitors(eco, df), counterfactual=cf,
                        counterfactual_losses=cf_losses, refused=refused, error=self.error,
                        announcements=self._announcements(eco, len(df)))

    def _announcements(self, eco: Economy, rows: int) -> list[dict]:
        """Each deal announced by a listed firm with its day's move (``metrics.announcements``),
        worked out again only when a deal has been announced since the last time."""
        if not rows:
            return []
        key = (sum(1 for ev in eco.events if ev["event"] == "deal announced"), id(eco))
        if self._announced[0] != key:
            self._announced = (key, announcements(eco).to_dict("records"))
        return self._announced[1]

    def tables(self) -> dict[str, pd.DataFrame]:
        """The run's tables as ``ailoop run`` writes them (``docs/outputs.md``): ``model`` (one row
        per trading day), ``agents`` (one row per agent per month), ``events``."""
        eco = self.economy
        return {"model": eco.datacollector.get_model_vars_dataframe(),
                "agents": eco.datacollector.get_agent_vars_dataframe(),
                "events": pd.DataFrame(eco.events, columns=["step", "date", "event", "agent", "cause", "size"])}


def thin(df: pd.DataFrame, n: int = MAX_POINTS) -> pd.DataFrame:
    """At most ``n`` rows of ``df``, evenly spaced, the first and the last kept."""
    if len(df) <= n:
        return df.reset_index(drop=True)
    k = -(-len(df) // n)
    idx = np.unique(np.r_[np.arange(0, len(df), k), len(df) - 1])
    return df.iloc[idx].reset_index(drop=True)


def _months(x: float) -> str:
    return "not burning cash" if math.isinf(x) else f"{x:,.1f} months"


def monitors(eco: Economy, df: pd.DataFrame) -> list[Monitor]:
    """The monitors, read from the economy and its table: each lab's cash runway, the cloud's
    credit spread on new debt, the promises outstanding, the cash paid, the wealth amplification,
    the loop's market value, the sentiment and the defaults so far. A firm added to the model's
    labs or clouds gets its monitor without an edit here."""
    last = df.iloc[-1] if len(df) else None
    out: list[Monitor] = []
    for lab in eco.labs:
        if lab.defaulted:
            out.append(Monitor(f"runway.{lab.aid}", f"{lab.aid} runway", None, "months", "in default",
                               f"{lab.aid} has defaulted"))
            continue
        r = lab.runway_months()
        out.append(Monitor(f"runway.{lab.aid}", f"{lab.aid} runway", None if math.isinf(r) else r, "months",
                           _months(r), f"{lab.aid}'s cash over its net burn of the last three months: months it "
                                       "can pay its bills without new money (it raises a round below "
                                       f"{eco.params['runway_trigger_months']:g} months)"))
    for cloud in [a for a in eco.providers if a.family == "cloud"]:
        column = f"spread.{cloud.aid}"
        if last is not None and column in df.columns:  # the model's own column, where it has one
            bp = float(last[column])  # the table gives it in bp (docs/outputs.md)
        else:
            bp = 1e4 * eco.credit.spread(cloud)
        out.append(Monitor(f"spread.{cloud.aid}", f"{cloud.aid} spread", None if cloud.defaulted else bp, "bp",
                           "in default" if cloud.defaulted else f"{bp:,.0f} bp",
                           f"what {cloud.aid} pays over government bonds on new debt, in basis points (1 bp = 0.01% a year)"))
    if last is not None:
        mv = float(last["market_value_total"])
        out += [
            Monitor("committed_outstanding", "promised, unpaid", float(last["committed_outstanding"]), "$B",
                    money(float(last["committed_outstanding"])),
                    "committed_outstanding: everything promised under the contracts and not yet paid"),
            Monitor("cash_paid_cumulative", "paid between firms", float(last["cash_paid_cumulative"]), "$B",
                    money(float(last["cash_paid_cumulative"])), "cash actually paid among the loop's firms since 1 September 2025"),
            Monitor("wealth_amplification", "value per $ paid", float(last["wealth_amplification"]), "$/$",
                    f"{float(last['wealth_amplification']):,.1f} $/$",
                    "change in the loop's market value since the start per $ of cash paid between its firms"),
            Monitor("market_value_total", "market value", mv, "$B", money(mv),
                    "market value of the loop's firms (listed firms' market caps, the labs' last-round valuations)"),
            Monitor("sentiment", "sentiment", float(last["sentiment"]), "index", f"{float(last['sentiment']):+.2f}",
                    "the AI-sentiment index: −1 panic … +1 euphoria"),
        ]
    dead = sorted(eco.defaults.defaulted)
    out.append(Monitor("defaults", "defaults", float(len(dead)), "count",
                       f"{len(dead)}" + (f" ({', '.join(dead)})" if dead else ""), "firms that have defaulted so far"))
    return out


def money(x: float) -> str:
    """$B as the page prints it: $12B, $1.2T (−$0.7T for a negative amount)."""
    sign = "−" if x < 0 else ""
    x = abs(x)
    return f"{sign}${x / 1000:,.2f}T" if x >= 1000 else f"{sign}${x:,.1f}B" if x < 10 else f"{sign}${x:,.0f}B"
