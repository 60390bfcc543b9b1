"""One run of the model, as the CLI and the sweep engines call it.

``simulate`` is the single entry point that every engine (local pool, Dask) uses, so that a run
gives the same numbers whichever engine ran it. It steps the economy itself (the same steps as
``Economy.run``, then its closing books check) so that a run can stop at a step boundary when its
deadline passes or its sweep cancels it (``runs/guard.py``).

:func:`series_columns` and :func:`keep_tables` say, before any run, which per-step columns a
scenario's economy records and which extra tables a sweep can keep: they are read from an economy
built with the run's parameters, so new agents and new columns appear without edits here.
"""

from __future__ import annotations

from typing import Any, Sequence

import pandas as pd

#: the extra per-run tables a sweep can keep (``--keep`` / ``[outputs] keep``): the month-end
#: agent rows and the event log
KEEP_TABLES = ("agents", "events")
EVENT_COLUMNS = ["step", "date", "event", "agent", "cause", "size"]


def steps_of(years: float) -> int:
    """Trading days in ``years`` years, as ``Economy.run`` counts them (252 a year, rounded)."""
    from ailoop.model.economy import STEPS_PER_YEAR

    return int(round(float(years) * STEPS_PER_YEAR))


def build(scenario: str, seed: int, params: dict[str, Any] | None = None):
    """The economy of one run, built (the parameters validated, nothing run)."""
    from ailoop.model import Economy

    return Economy(scenario=scenario, seed=seed, **(params or {}))


def run_economy(economy, years: float) -> None:
    """Step ``economy`` for ``years`` years, checking the run's deadline between steps, then do
    ``Economy.run``'s closing check (``run(0)``: no step, the final books check)."""
    from ailoop.runs.guard import checkpoint

    n = steps_of(years)
    for i in range(n):
        economy.step()
        checkpoint(f"after step {i + 1} of {n}", step=True)
    economy.run(years=0)


def series_columns(scenario: str, params: dict[str, Any] | None = None) -> list[str]:
    """The per-step numeric columns the economy of ``scenario`` with ``params`` records."""
    eco = build(scenario, 0, {**(params or {}), "checks": False})
    return [c for c in eco.datacollector.columns if c not in ("step",)]


def simulate(
    scenario: str,
    seed: int,
    years: float,
    params: dict[str, Any] | None = None,
    series: Sequence[str] | None = None,
    every: int = 1,
    keep: Sequence[str] = (),
) -> tuple[dict[str, float], pd.DataFrame | None] | tuple[dict[str, float], pd.DataFrame | None, dict]:
    """Run ``scenario`` for ``years`` with ``seed`` and parameter overrides ``params``.

    Returns ``(summary, frame)``: ``summary`` maps scalar output names to numbers (see
    ``model.metrics.summarize``); ``frame`` holds the requested per-step ``series`` columns
    (plus ``step``), keeping every ``every``-th step, or is ``None`` when no series are asked for.
    With ``keep`` (names of :data:`KEEP_TABLES`) a third item maps each to its table: ``agents``
    (the month-end agent rows, ``datacollector.get_agent_vars_dataframe()``) and ``events``
    (the event log).
    """
    from ailoop.model.metrics import summarize

    economy = build(scenario, seed, params)
    run_economy(economy, years)
    summary = summarize(economy)
    frame = None
    if series:
        df = economy.datacollector.get_model_vars_dataframe()
        missing = [c for c in series if c not in df.columns]
        if missing:
            raise KeyError(f"unknown output column(s) {missing}; see docs/outputs.md")
        frame = df.loc[:: max(1, int(every)), ["step", *series]].reset_index(drop=True)
    if not keep:
        return summary, frame
    extra = {}
    if "agents" in keep:
        extra["agents"] = economy.datacollector.get_agent_vars_dataframe().reset_index()
    if "events" in keep:
        extra["events"] = pd.DataFrame(economy.events, columns=EVENT_COLUMNS)
    return summary, frame, extra
