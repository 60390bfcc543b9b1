"""The real AI Loop model through a tiny sweep: stored results equal a direct ``simulate`` call."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]



def test_real_model_tiny_sweep_matches_direct_simulate(tmp_path):
    from ailoop.runs.simulate import simulate
    from ailoop.runs.spec import build_design, parse_spec
    from ailoop.runs.sweep import run_sweep

    spec = parse_spec(
        'scenario = "baseline"\nyears = 0.25\nseed = 42\nreplications = 1\ndesign = "grid"\n'
        "[vary]\nreal_demand_growth = [0.1, 0.5]\n"
        '[outputs]\nseries = ["price.cloud", "market_value_total"]\nevery = 21\n'
    )
    out = run_sweep(spec, tmp_path / "o", workers=2, progress=False, echo=None)
    runs = pd.read_parquet(tmp_path / "o" / "runs").sort_values("run_id").reset_index(drop=True)
    assert out.status == "complete", runs[["run_id", "error"]]
    assert list(runs["status"]) == ["ok", "ok"], runs["traceback"].dropna().tolist()

    # run p000001-r000 again in this process: the sweep stored exactly what simulate returns
    design = build_design(spec)
    summary, frame = simulate("baseline", design.seed(1, 0), 0.25, {"real_demand_growth": 0.5},
                              series=["price.cloud", "market_value_total"], every=21)
    row = runs.iloc[1]
    assert row["run_id"] == "p000001-r000" and row["real_demand_growth"] == 0.5
    for key, value in summary.items():
        stored = row[key]
        assert (math.isnan(value) and math.isnan(stored)) or stored == float(value), key
    series = pd.read_parquet(tmp_path / "o" / "series")
    mine = series[series["run_id"] == "p000001-r000"].sort_values("step").reset_index(drop=True)
    assert list(mine["step"]) == list(frame["step"])
    assert (mine["price.cloud"].to_numpy() == frame["price.cloud"].to_numpy(dtype=float)).all()
    # different demand growth, different outcome
    num = [k for k, v in summary.items() if isinstance(v, float)]
    assert any(runs.loc[0, k] != runs.loc[1, k] for k in num)
