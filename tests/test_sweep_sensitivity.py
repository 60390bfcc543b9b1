"""Analysis of stored sweeps: Sobol on Ishigami (known indices), Morris, phase diagrams, SQL queries."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]

from ailoop.runs.phase import phase_table  # noqa: E402
from ailoop.runs.sweep_cli import main  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ISHIGAMI_S1 = [0.314, 0.442, 0.0]
ISHIGAMI_ST = [0.558, 0.442, 0.244]


def _sweep(tmp_path: Path, text: str, name: str = "out", workers: int = 2) -> Path:
    spec = tmp_path / f"{name}.toml"
    spec.write_text(text)
    out = tmp_path / name
    assert main(["sweep", str(spec), "--out", str(out), "--workers", str(workers), "--no-progress"]) == 0
    return out


def test_sobol_recovers_ishigami_indices(tmp_path, capsys):
    """spec -> sweep (process pool) -> Parquet store -> ailoop sensitivity -> CSV + PNG."""
    out = _sweep(tmp_path, (ROOT / "runs" / "specs" / "ishigami_sobol.toml").read_text())
    assert len(pd.read_parquet(out / "runs")) == 1024 * 5
    assert main(["sensitivity", str(out), "--output", "y", "--resamples", "200"]) == 0
    assert "S1" in capsys.readouterr().out
    table = pd.read_csv(out / "sensitivity_y_sobol.csv")
    assert list(table["parameter"]) == ["x1", "x2", "x3"]
    np.testing.assert_allclose(table["S1"], ISHIGAMI_S1, atol=0.04)
    np.testing.assert_allclose(table["ST"], ISHIGAMI_ST, atol=0.04)
    assert (table["S1_conf"] > 0).all() and (table["ST_conf"] < 0.15).all()
    assert (out / "sensitivity_y_sobol.png").read_bytes()[:8] == PNG_MAGIC


def test_sensitivity_needs_the_matching_design(tmp_path, capsys):
    out = _sweep(tmp_path, 'model = "ishigami"\n[vary]\nx1 = [0.0, 1.0]\n', workers=1)
    capsys.readouterr()
    assert main(["sensitivity", str(out), "--output", "y", "--method", "sobol"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "design" in err
    assert main(["sensitivity", str(out), "--output", "nope"]) == 2


def test_morris_ranks_ishigami_inputs(tmp_path):
    text = ('model = "ishigami"\ndesign = "morris"\nsamples = 40\nseed = 1\n[options]\nlevels = 4\n[vary]\n'
            + "".join(f"x{i} = {{ min = -3.141592653589793, max = 3.141592653589793 }}\n" for i in (1, 2, 3)))
    out = _sweep(tmp_path, text)
    assert main(["sensitivity", str(out), "--output", "y", "--method", "morris", "--resamples", "100"]) == 0
    t = pd.read_csv(out / "sensitivity_y_morris.csv").set_index("parameter")
    assert set(t.columns) >= {"mu", "mu_star", "mu_star_conf", "sigma", "unit"}
    assert (t["mu_star"] > 0).all()
    # x3 acts only through its interaction with x1: its effects vary a lot (sigma comparable to mu*)
    assert t.loc["x3", "sigma"] > 0.5 * t.loc["x3", "mu_star"]
    assert (out / "sensitivity_y_morris.png").exists()


def test_phase_diagram_table_and_png(tmp_path, capsys):
    text = ('model = "toy_walk"\nyears = 0.2\nreplications = 3\nseed = 4\n[vary]\n'
            "drift = [-0.4, 0.0, 0.4, 0.8]\nvol = [0.0, 0.1, 0.2]\n")
    out = _sweep(tmp_path, text)
    capsys.readouterr()
    assert main(["plot-phase", str(out), "--x", "drift", "--y", "vol", "--output", "final"]) == 0
    png = out / "phase_final__drift__vol.png"
    assert png.read_bytes()[:8] == PNG_MAGIC
    t = phase_table(out, "drift", "vol", "final")
    assert t.shape == (3, 4) and list(t.columns) == [-0.4, 0.0, 0.4, 0.8] and list(t.index) == [0.0, 0.1, 0.2]
    runs = pd.read_parquet(out / "runs")
    cell = runs[(runs["drift"] == 0.4) & (runs["vol"] == 0.1)]["final"].mean()
    assert t.loc[0.1, 0.4] == pytest.approx(cell, rel=1e-12)
    # with zero volatility the walk is deterministic: final = drift * steps / 252
    steps = round(252 * 0.2)
    np.testing.assert_allclose(t.loc[0.0].to_numpy(), np.array([-0.4, 0.0, 0.4, 0.8]) * steps / 252, atol=1e-12)
    assert main(["plot-phase", str(out), "--x", "drift", "--y", "nope", "--output", "final"]) == 2
    assert main(["plot-phase", str(out), "--x", "drift", "--y", "vol", "--output", "no_output"]) == 2


def test_query_runs_and_series_with_duckdb(tmp_path, capsys):
    text = ('model = "toy_walk"\nyears = 0.1\nreplications = 2\n[vary]\ndrift = [0.1, 0.2]\n'
            '[outputs]\nseries = ["level", "shock"]\nevery = 5\n')
    out = _sweep(tmp_path, text, workers=1)
    capsys.readouterr()
    sql = ("SELECT r.drift, count(DISTINCT r.run_id) AS n, count(*) AS rows, max(s.step) AS last "
           "FROM runs r JOIN series s USING (run_id) GROUP BY r.drift ORDER BY r.drift")
    assert main(["query", str(out), sql, "--format", "csv"]) == 0
    got = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    steps = round(252 * 0.1)
    assert got.to_dict("list") == {"drift": [0.1, 0.2], "n": [2, 2],
                                   "rows": [2 * math.ceil(steps / 5)] * 2, "last": [(steps - 1) // 5 * 5] * 2}
    assert main(["query", str(out), "SELEC nonsense"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
