"""The model registry of the sweep layer, and the built-in toy test models.

A sweep spec names its model with ``model = "..."`` (default ``"ailoop"``). Every entry of
:data:`MODELS` is a :class:`ModelDef`: its parameter table (name -> :class:`model.params.Param`,
giving kind, allowed range and unit), the scenarios it accepts, the per-step series columns it can
return, and the function that runs it. All run functions share the signature of
:func:`runs.simulate.simulate`::

    run(scenario, seed, years, params, series=None, every=1) -> (summary, frame | None)

``summary`` maps output names to numbers; ``frame`` holds ``step`` plus the requested series
columns, keeping every ``every``-th step (rows 0, k, 2k, ...), or is ``None`` when no series are
asked for.

The toy models exist to test and benchmark the sweep machinery without the real economy:

=============  ==============================================================================
``ishigami``   Y = sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1, xi in [-pi, pi]; summary ``{"y"}``.
               Known Sobol indices: S1 = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244).
``toy_walk``   a seeded random walk with 252 steps per year; summary ``final``, ``mean``,
               ``max``; series columns ``level`` and ``shock``. Quick; used for memory tests.
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


@dataclass(frozen=True)
class ModelDef:
    """A model a sweep can run.

    ``params`` returns the parameter table (called each time, so a growing table is seen);
    ``check_scenario`` raises a one-line ``ValueError`` for an unknown scenario;
    ``series_columns`` lists the per-step columns (``None``: not known before running);
    ``run`` has the signature of :func:`runs.simulate.simulate`.
    """

    name: str
    description: str
    params: Callable[[], Mapping[str, Param]]
    check_scenario: Callable[[str], None]
    series_columns: tuple[str, ...] | None
    run: Callable[..., tuple[dict[str, float], pd.DataFrame | None]]

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


def _ailoop_run(scenario, seed, years, params=None, series=None, every=1):
    from ailoop.runs.simulate import simulate

    return simulate(scenario, seed, years, params, series=series, every=every)


def _ailoop_validate(values: Mapping[str, Any]) -> dict[str, Any]:
    from ailoop.model.params import validate_params

    return validate_params(values)


class _AiloopDef(ModelDef):
    def validate(self, values):  # the model's own validator gives its canonical messages
        return _ailoop_validate(values)


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


def ishigami(scenario, seed, years, params=None, series=None, every=1):
    """The Ishigami function (a = 7, b = 0.1); ``seed`` and ``years`` are ignored."""
    p = {"x1": 0.0, "x2": 0.0, "x3": 0.0, **(params or {})}
    x1, x2, x3 = p["x1"], p["x2"], p["x3"]
    y = math.sin(x1) + 7.0 * math.sin(x2) ** 2 + 0.1 * x3**4 * math.sin(x1)
    return {"y": y}, _frame(1, every, series, {"y": np.array([y])})


def toy_walk(scenario, seed, years, params=None, series=None, every=1):
    """A random walk ``level[t+1] = level[t] + drift/252 + vol/sqrt(252) * N(0, 1)``, 252 steps/year."""
    p = {"drift": 0.1, "vol": 0.2, **(params or {})}
    steps = max(1, int(round(252 * float(years))))
    rng = np.random.default_rng(seed)
    shock = rng.standard_normal(steps)
    level = np.cumsum(p["drift"] / 252.0 + p["vol"] / math.sqrt(252.0) * shock)
    summary = {"final": float(level[-1]), "mean": float(level.mean()), "max": float(level.max())}
    return summary, _frame(steps, every, series, {"level": level, "shock": shock})


def toy_raise(scenario, seed, years, params=None, series=None, every=1):
    """``{"y": 2x}``; raises ``ValueError`` when ``x > 0.5``."""
    x = (params or {}).get("x", 0.0)
    if x > 0.5:
        raise ValueError(f"toy_raise: x={x} > 0.5")
    return {"y": 2.0 * x}, _frame(1, every, series, {"y": np.array([2.0 * x])})


def toy_exit(scenario, seed, years, params=None, series=None, every=1):
    """``{"y": 2x}``; the process exits abruptly (``os._exit(3)``) when ``x > 0.5``."""
    x = (params or {}).get("x", 0.0)
    if x > 0.5:
        os._exit(3)
    time.sleep(0.05)  # long enough that other runs are in flight when a sibling dies
    return {"y": 2.0 * x}, _frame(1, every, series, {"y": np.array([2.0 * x])})


def toy_sleep(scenario, seed, years, params=None, series=None, every=1):
    """Sleep ``seconds`` of wall time; ``noise`` is a seeded uniform draw."""
    s = (params or {}).get("seconds", 0.1)
    time.sleep(s)
    noise = float(np.random.default_rng(seed).random())
    return {"slept": float(s), "noise": noise}, _frame(1, every, series, {"noise": np.array([noise])})


def toy_burn(scenario, seed, years, params=None, series=None, every=1):
    """Burn CPU: ``iters`` iterations of a pure-Python loop (about 30-60 ns each)."""
    n = int((params or {}).get("iters", 1_000_000))
    acc = 0
    for i in range(n):
        acc = (acc + i * i) % 1_000_003
    return {"acc": float(acc)}, _frame(1, every, series, {"acc": np.array([float(acc)])})


_PI = math.pi
MODELS: dict[str, ModelDef] = {
    "ailoop": _AiloopDef(
        "ailoop", "the AI Loop economy (runs.simulate.simulate)", _ailoop_params, _ailoop_scenario,
        None, _ailoop_run,
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
        _toy_scenario("toy_walk"), ("level", "shock"), toy_walk,
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
