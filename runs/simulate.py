"""One run of the model, as the CLI and the sweep engines call it.

``simulate`` is the single entry point that every engine (local pool, Dask) uses, so that a run
gives the same numbers whichever engine ran it.
"""

from __future__ import annotations

from typing import Any, Sequence

import pandas as pd


def simulate(
    scenario: str,
    seed: int,
    years: float,
    params: dict[str, Any] | None = None,
    series: Sequence[str] | None = None,
    every: int = 1,
) -> tuple[dict[str, float], pd.DataFrame | None]:
    """Run ``scenario`` for ``years`` with ``seed`` and parameter overrides ``params``.

    Returns ``(summary, frame)``: ``summary`` maps scalar output names to numbers (see
    ``model.metrics.summarize``); ``frame`` holds the requested per-step ``series`` columns
    (plus ``step``), keeping every ``every``-th step, or is ``None`` when no series are asked for.
    """
    from ailoop.model import Economy
    from ailoop.model.metrics import summarize

    economy = Economy(scenario=scenario, seed=seed, **(params or {}))
    economy.run(years=years)
    summary = summarize(economy)
    frame = None
    if series:
        df = economy.datacollector.get_model_vars_dataframe()
        missing = [c for c in series if c not in df.columns]
        if missing:
            raise KeyError(f"unknown output column(s) {missing}; see docs/outputs.md")
        frame = df.loc[:: max(1, int(every)), ["step", *series]].reset_index(drop=True)
    return summary, frame
