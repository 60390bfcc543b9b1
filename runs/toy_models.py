"""The model registry of the sweep layer, and the built-in toy test models.

A sweep spec names its model with ``model = "..."`` (default ``"ailoop"``). Every entry of
:data:`MODELS` is a :class:`ModelDef`: its parameter table (name -> :class:`model.params.Param`,
giving kind, allowed range and unit), the scenarios it accepts, the per-step series columns it can
return, and the function that runs it. All run functions share the signature of
:func:`runs.simulate.simulate`::

    run(scenario, seed, years, params, series=None, every=1, keep=()) -> (summary, frame | None[, tables])

``summary`` maps output names to numbers; ``frame`` holds ``step`` plus the requested series
columns, keeping every ``every``-th step (rows 0, k, 2k, ...), or is ``None`` when no series are
asked for; with ``keep`` (``"agents"``, ``"events"``) a third item maps each kept table's name to
a DataFrame (a model that has no such table leaves it out). Long runs call
:func:`runs.guard.checkpoint` between steps, so a deadline or a cancellation stops them.

The toy models exist to test and benchmark the sweep machinery without the real economy:

=============  ==============================================================================
``ishigami``   Y = sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1, xi in [-pi, pi]; summary ``{"y"}``.
               Known Sobol indices: S1 = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244).
``toy_walk``   a seeded random walk with 252 steps per year; summary ``final``, ``mean``,
               ``max``; series columns ``level`` and ``shock``; kept tables ``agents`` (the
               level every 21 steps for two walkers, ``up`` and ``down``) and ``events`` (the
               steps with a shock beyond 2 sd). Quick; used for memory tests.
``toy_raise``  returns ``{"y": 2x}``, raises ``ValueError`` when ``x > 0.5``.
``toy_exit``   returns ``{"y": 2x}``, kills its own process with ``os._exit(3)`` when ``x > 0.5``.
``toy_sleep``  sleeps ``seconds`` (wall time) and returns ``{"slept", "noise"}``.
``toy_burn``   burns CPU for ``iters`` loop iterations and returns ``{"acc"}``; used by the
               benchmark (fixed work, so the speed-up from more workers is honest).
=============  ==============================================================================

Toy models accept only the scenario ``"baseline"``.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from ailoop.model.params import Param, ParameterError
from ailoop.runs.guard import checkpoint


@dataclass(frozen=True)
class ModelDef:
    """A model a sweep can run.

    ``params`` returns the parameter table (called each time, so a growing table is seen);
    ``check_scenario`` raises a one-line ``ValueError`` for an unknown scenario;
    ``series_columns`` lists the per-step columns (``None``: ask ``columns_for``);
    ``run`` has the signature of :func:`runs.simulate.simulate`; ``columns_for(scenario,
    params)``, if set, lists the per-step columns a run with these settings records (read from
    the model before any run); ``keep`` names the extra tables the model can return;
    ``check_point()``, if set, returns a function ``(scenario, params) -> None | reason`` telling
    whether a design point meets the model's joint constraints (one-line reason if not).
    """

    name: str
    description: str
    params: Callable[[], Mapping[str, Param]]
    check_scenario: Callable[[str], None]
    series_columns: tuple[str, ...] | None
    run: Callable[..., tuple]
    columns_for: Callable[[str, Mapping[str, Any]], list[str]] | None = None
    keep: tuple[str, ...] = ()
    check_point: Callable[[], Callable[[str, Mapping[str, Any]], str | None]] | None = None

    def series_for(self, scenario: str, params: Mapping[str, Any]) -> tuple[str, ...]:
        """The per-step columns a run of ``scenario`` with ``params`` can return."""
        if self.series_columns is not None:
            return self.series_columns
        return tuple(self.columns_for(scenario, dict(params)))

    def base_params(self, scenario: str) -> dict[str, Any]:
        """Every parameter of a run of ``scenario`` before the sweep's own settings: the table's
        defaults (for the real model, with the scenario's settings)."""
        return {name: p.default for name, p in self.params().items()}

    def validate(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Coerce ``values`` to the parameters' types; :class:`ParameterError` if unknown/out of range."""
        table = self.params()
        out = {}
        for name, value in values.items():
            p = table.get(name)
            if p is None:
                raise ParameterError(
                    f"unknown parameter {name!r} for model {self.name!r}; allowed: {', '.join(table)}"
                )
            out[name] = p.coerce(value)
        return out


# --- the real model ------------------------------------------------------------------------------


def _ailoop_params() -> Mapping[str, Param]:
    from ailoop.model.params import PARAMETERS

    return PARAMETERS


def _ailoop_scenario(name: str) -> None:
    from ailoop.model.scenarios import get_scenario

    get_scenario(name)


def _ailoop_run(scenario, seed, years, params=None, series=None, every=1, keep=()):
    from ailoop.runs.simulate import simulate

    return simulate(scenario, seed, years, params, series=series, every=every, keep=keep)


def _ailoop_columns(scenario, params):
    from ailoop.runs.simulate import series_columns

    return series_columns(scenario, params)


def _ailoop_point_checker():
    """``(scenario, params) -> None | reason``: the point against the parameter table's joint
    constraints (``model/constraints.py``), with the scenario's settings under the point's. The
    defaults with each scenario's settings are resolved once."""
    from ailoop.model.constraints import violations
    from ailoop.model.params import ParameterError, resolve, validate_params
    from ailoop.model.scenarios import get_scenario

    bases: dict[str, dict] = {}

    def check(scenario: str, params: Mapping[str, Any]) -> str | None:
        if scenario not in bases:
            bases[scenario] = resolve(None, get_scenario(scenario).settings())
        try:
            full = {**bases[scenario], **validate_params(params)}
        except ParameterError as e:
            return str(e)
        bad = violations(full)
        if not bad:
            return None
        c, why = bad[0]
        return f"parameters conflict ({c.name}): {why}"

    return check


def _ailoop_validate(values: Mapping[str, Any]) -> dict[str, Any]:
    from ailoop.model.params import validate_params

    return validate_params(values)


class _AiloopDef(ModelDef):
    def validate(self, values):  # the model's own validator gives its canonical messages
        return _ailoop_validate(values)

    def base_params(self, scenario):
        from ailoop.model.params import resolve
        from ailoop.model.scenarios import get_scenario

        return resolve(None, get_scenario(scenario).settings())


# --- toy models ----------------------------------------------------------------------------------


def _toy_scenario(model: str) -> Callable[[str], None]:
    def check(name: str) -> None:
        if name != "baseline":
            raise ValueError(f"unknown scenario {name!r} for model {model!r}; allowed: baseline")

    return check


def _table(*params: Param) -> Callable[[], Mapping[str, Param]]:
    table = {p.name: p for p in params}
    return lambda: table


def _frame(steps: int, every: int, series: Sequence[str] | None, columns: Mapping[str, np.ndarray]):
    if not series:
        return None
    missing = [c for c in series if c not in columns]
    if missing:
        raise KeyError(f"unknown output column(s) {missing}")
    idx = np.arange(0, steps, max(1, int(every)))
    return pd.DataFrame({"step": idx, **{c: np.asarray(columns[c])[idx] for c in series}})


def ishigami(scenario, seed, years, params=None, series=None, every=1, keep=()):
    """The Ishigami function (a = 7, b = 0.1); ``seed`` and ``years`` are ignored."""
    p = {"x1": 0.0, "x2": 0.0, "x3": 0.0, **(params or {})}
    x1, x2, x3 = p["x1"], p["x2"], p["x3"]
    y = math.sin(x1) + 7.0 * math.sin(x2) ** 2 + 0.1 * x3**4 * math.sin(x1)
    return {"y": y}, _frame(1, every, series, {"y": np.array([y])})


def toy_walk(scenario, seed, years, params=None, series=None, every=1, keep=()):
    """A random walk ``level[t+1] = level[t] + drift/252 + vol/sqrt(252) * N(0, 1)``, 252 steps/year."""
    p = {"drift": 0.1, "vol": 0.2, **(params or {})}
    steps = max(1, int(round(252 * float(years))))
    rng = np.random.default_rng(seed)
    shock = rng.standard_normal(steps)
    level = np.cumsum(p["drift"] / 252.0 + p["vol"] / math.sqrt(252.0) * shock)
    summary = {"final": float(level[-1]), "mean": float(level.mean()), "max": float(level.max())}
    frame = _frame(steps, every, series, {"level": level, "shock": shock})
    if not keep:
        return summary, frame
    tables = {}
    if "agents" in keep:
        idx = np.arange(20, steps, 21)
        tables["agents"] = pd.DataFrame({"step": np.repeat(idx, 2), "agent": np.tile(["up", "down"], len(idx)),
                                         "level": np.ravel(np.column_stack([level[idx], -level[idx]]))})
    if "events" in keep:
        big = np.flatnonzero(np.abs(shock) > 2.0)
        tables["events"] = pd.DataFrame({"step": big, "event": "big shock", "size": shock[big]})
    return summary, frame, tables


def toy_raise(scenario, seed, years, params=None, series=None, every=1, keep=()):
    """``{"y": 2x}``; raises ``ValueError`` when ``x > 0.5``."""
    x = (params or {}).get("x", 0.0)
    if x > 0.5:
        raise ValueError(f"toy_raise: x={x} > 0.5")
    return {"y": 2.0 * x}, _frame(1, every, series, {"y": np.array([2.0 * x])})


def toy_exit(scenario, seed, years, params=None, series=None, every=1, keep=()):
    """``{"y": 2x}``; the process exits abruptly (``os._exit(3)``) when ``x > 0.5``."""
    x = (params or {}).get("x", 0.0)
    if x > 0.5:
        os._exit(3)
    time.sleep(0.05)  # long enough that other runs are in flight when a sibling dies
    return {"y": 2.0 * x}, _frame(1, every, series, {"y": np.array([2.0 * x])})


def toy_sleep(scenario, seed, years, params=None, series=None, every=1, keep=()):
    """Sleep ``seconds`` of wall time; ``noise`` is a seeded uniform draw."""
    s = (params or {}).get("seconds", 0.1)
    end = time.monotonic() + s
    while (left := end - time.monotonic()) > 0:   # in slices, so a deadline can stop it
        time.sleep(min(left, 0.05))
        checkpoint("sleeping")
    noise = float(np.random.default_rng(seed).random())
    return {"slept": float(s), "noise": noise}, _frame(1, every, series, {"noise": np.array([noise])})


def toy_burn(scenario, seed, years, params=None, series=None, every=1, keep=()):
    """Burn CPU: ``iters`` iterations of a pure-Python loop (about 30-60 ns each)."""
    n = int((params or {}).get("iters", 1_000_000))
    acc = 0
    for i in range(n):
        acc = (acc + i * i) % 1_000_003
        if not i & 0xFFFFF:
            checkpoint("burning")
    return {"acc": float(acc)}, _frame(1, every, series, {"acc": np.array([float(acc)])})


_PI = math.pi
MODELS: dict[str, ModelDef] = {
    "ailoop": _AiloopDef(
        "ailoop", "the AI Loop economy (runs.simulate.simulate)", _ailoop_params, _ailoop_scenario,
        None, _ailoop_run, _ailoop_columns, ("agents", "events"), _ailoop_point_checker,
    ),
    "ishigami": ModelDef(
        "ishigami", "Ishigami test function with known Sobol indices",
        _table(*(Param(f"x{i}", 0.0, "1", -_PI, _PI, "test function", f"input x{i}") for i in (1, 2, 3))),
        _toy_scenario("ishigami"), ("y",), ishigami,
    ),
    "toy_walk": ModelDef(
        "toy_walk", "seeded random walk with per-step series",
        _table(
            Param("drift", 0.1, "1/year", -1.0, 1.0, "test", "drift per year"),
            Param("vol", 0.2, "1/sqrt(year)", 0.0, 2.0, "test", "volatility per sqrt(year)"),
        ),
        _toy_scenario("toy_walk"), ("level", "shock"), toy_walk, keep=("agents", "events"),
    ),
    "toy_raise": ModelDef(
        "toy_raise", "raises ValueError when x > 0.5",
        _table(Param("x", 0.0, "1", 0.0, 1.0, "test", "input; > 0.5 raises")),
        _toy_scenario("toy_raise"), ("y",), toy_raise,
    ),
    "toy_exit": ModelDef(
        "toy_exit", "kills its worker process (os._exit) when x > 0.5",
        _table(Param("x", 0.0, "1", 0.0, 1.0, "test", "input; > 0.5 kills the process")),
        _toy_scenario("toy_exit"), ("y",), toy_exit,
    ),
    "toy_sleep": ModelDef(
        "toy_sleep", "sleeps a given number of seconds",
        _table(Param("seconds", 0.1, "s", 0.0, 60.0, "test", "wall time to sleep")),
        _toy_scenario("toy_sleep"), ("noise",), toy_sleep,
    ),
    "toy_burn": ModelDef(
        "toy_burn", "burns CPU for a fixed number of loop iterations",
        _table(Param("iters", 1_000_000, "iterations", 0, 10_000_000_000, "test", "loop iterations", int)),
        _toy_scenario("toy_burn"), ("acc",), toy_burn,
    ),
}


def get_model(name: str) -> ModelDef:
    """The registered model called ``name``; one-line ``ValueError`` listing the models if none."""
    try:
        return MODELS[name]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; allowed: {', '.join(MODELS)}") from None
