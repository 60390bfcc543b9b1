"""A run's recipe: what it takes to rebuild a classroom economy exactly, and its form in the URL.

The model is deterministic given its settings and seed, and the only thing a student adds is when
each event button was pressed. So a :class:`Recipe` — scenario, seed, the dials, the shocks with
the trading day each was applied on, and the trading day reached — rebuilds the economy bit for
bit (:meth:`~ailoop.model.classroom.session.Session.replay`). The page keeps the recipe in its
address, so a reload or a shared link restores the run::

    ?scenario=music_stops&seed=3&real_demand_growth=0.3&glut=2026-05-30&day=420&view=who-paid

Shocks are written as the date they were applied (the model's calendar gives every trading day
its own date, :func:`trading_date`); the trading day reached as ``day``; dials only where they
differ from the scenario's values; view settings (``view``, ``stride``, ``speed``, ``compare``)
are kept too. :func:`decode` checks every field and refuses a bad one with one line naming it and
what is allowed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from ailoop.model.classroom.settings import (
    DEFAULT_SCENARIO, DEFAULT_SEED, DIAL_BY_NAME, DIALS, EVENT_BY_KEY, RUN_YEARS, dial_values, parse_seed, refusal,
    scenario_names,
)
from ailoop.model.economy import START, STEPS_PER_MONTH, STEPS_PER_YEAR
from ailoop.model.params import ParameterError
from ailoop.model.scenarios import SCENARIOS

HORIZON = int(round(RUN_YEARS * STEPS_PER_YEAR))
#: view settings kept in the URL with their allowed values (the page fills these in)
VIEW_KEYS = ("view", "stride", "speed", "compare", "tour")


class RecipeError(ValueError):
    """A field of a link the page cannot use; the message is one line naming it and what is allowed."""


def trading_date(step: int) -> dt.date:
    """Calendar date of trading day ``step`` (1 = 1 September 2025), as the model dates it:
    21 trading days spread evenly over each month (``Economy.date_of_month``); step 0 is the
    opening, 1 September 2025."""
    if step <= 0:
        return START
    month, day = divmod(step - 1, STEPS_PER_MONTH)
    m = START.month - 1 + month
    y, mo = START.year + m // 12, m % 12 + 1
    ndays = calendar.monthrange(y, mo)[1]
    return dt.date(y, mo, 1) + dt.timedelta(days=int(day * ndays / STEPS_PER_MONTH))


def step_of(date: dt.date, horizon: int = HORIZON) -> int | None:
    """The trading day dated ``date`` (None if no trading day has that date)."""
    lo, hi = 1, horizon
    while lo <= hi:  # dates rise with the step: bisect
        mid = (lo + hi) // 2
        d = trading_date(mid)
        if d == date:
            return mid
        lo, hi = (mid + 1, hi) if d < date else (lo, mid - 1)
    return None


@dataclass(frozen=True)
class Recipe:
    """Everything that rebuilds a classroom economy: settings, seed, the shocks applied (button key
    and the trading day after which it was applied, in order) and the trading day reached."""

    scenario: str = DEFAULT_SCENARIO
    seed: int = DEFAULT_SEED
    dials: dict[str, Any] = field(default_factory=lambda: dial_values(DEFAULT_SCENARIO))
    shocks: tuple[tuple[str, int], ...] = ()
    day: int = 0

    def settings(self) -> dict[str, Any]:
        """Keyword arguments of ``Economy``. A shock scenario is built on the ``baseline`` world (the
        September 2025 loop the lessons and the tour are written on); ``history`` and ``baseline``
        are worlds of their own."""
        base = None if SCENARIOS[self.scenario].is_base else "baseline"
        return dict(scenario=self.scenario, seed=self.seed, base=base, **self.dials)

    def with_shock(self, key: str, step: int) -> "Recipe":
        return Recipe(self.scenario, self.seed, dict(self.dials), (*self.shocks, (key, step)), self.day)

    def at(self, day: int) -> "Recipe":
        return Recipe(self.scenario, self.seed, dict(self.dials), self.shocks, day)

    def without_shocks(self) -> "Recipe":
        return Recipe(self.scenario, self.seed, dict(self.dials), (), self.day)

    def shock_dates(self) -> dict[str, str]:
        """Button key -> ISO date it was applied."""
        return {k: trading_date(s).isoformat() for k, s in self.shocks}


def encode(recipe: Recipe, view: dict[str, str] | None = None) -> str:
    """The recipe (and view settings) as a URL query string, without the ``?``."""
    items: list[tuple[str, str]] = [("scenario", recipe.scenario), ("seed", str(recipe.seed))]
    base = dial_values(recipe.scenario)
    for d in DIALS:
        v = recipe.dials.get(d.name, base[d.name])
        if v != base[d.name]:
            items.append((d.name, ("1" if v else "0") if d.is_switch else f"{v:g}" if isinstance(v, float) else str(v)))
    items += [(key, trading_date(step).isoformat()) for key, step in recipe.shocks]
    if recipe.day:
        items.append(("day", str(recipe.day)))
    items += [(k, str(v)) for k, v in (view or {}).items() if v is not None and k in VIEW_KEYS]
    return urlencode(items)


def decode(query: str | None, horizon: int = HORIZON) -> tuple[Recipe, dict[str, str]]:
    """(recipe, view settings) from a URL query string; :class:`RecipeError` (one line) if a field
    is unknown or refused. An empty query gives the default economy."""
    pairs = parse_qsl((query or "").lstrip("?"), keep_blank_values=True)
    seen: dict[str, str] = {}
    for k, v in pairs:
        if k in seen:
            raise RecipeError(f"the link gives {k!r} twice; allowed: each field once")
        seen[k] = v
    scenario = seen.pop("scenario", DEFAULT_SCENARIO)
    if scenario not in scenario_names():
        raise RecipeError(f"the link's scenario {scenario!r} is unknown; allowed: {', '.join(scenario_names())}")
    try:
        seed = parse_seed(seen.pop("seed", DEFAULT_SEED))
    except ParameterError as e:
        raise RecipeError(f"the link's {e}") from None
    dials = dial_values(scenario)
    for name in [k for k in seen if k in DIAL_BY_NAME]:
        text = seen.pop(name)
        d = DIAL_BY_NAME[name]
        if d.is_switch and text in ("0", "1"):
            text = "true" if text == "1" else "false"
        try:
            dials[name] = d.parse(text)
        except ParameterError as e:
            raise RecipeError(f"the link's {e}") from None
    day_text = seen.pop("day", "0")
    try:
        day = int(day_text)
    except ValueError:
        day = -1
    if not 0 <= day <= horizon:
        raise RecipeError(f"the link's day {day_text!r} is not allowed; allowed: a trading day in [0, {horizon}]")
    shocks: list[tuple[str, int]] = []
    for key in [k for k in seen if k in EVENT_BY_KEY]:
        text = seen.pop(key)
        try:
            step = step_of(dt.date.fromisoformat(text), horizon)
        except ValueError:
            step = None
        if step is None or step > day:
            raise RecipeError(f"the link's {key}={text!r} is not allowed; allowed: the date of a trading day "
                              f"(YYYY-MM-DD) not after the day reached, {trading_date(day).isoformat()}")
        shocks.append((key, step))
    shocks.sort(key=lambda ks: ks[1])
    applied: dict[str, str] = {}
    for key, step in shocks:
        why = refusal(EVENT_BY_KEY[key], scenario, applied)
        if why is not None:
            raise RecipeError(f"the link's {key} cannot be applied: {why}")
        applied[key] = trading_date(step).isoformat()
    view = {k: seen.pop(k) for k in VIEW_KEYS if k in seen}
    if seen:
        allowed = ["scenario", "seed", "day", *DIAL_BY_NAME, *EVENT_BY_KEY, *VIEW_KEYS]
        raise RecipeError(f"the link's field {next(iter(seen))!r} is unknown; allowed: {', '.join(allowed)}")
    return Recipe(scenario, seed, dials, tuple(shocks), day), view
