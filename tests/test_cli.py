"""The ``ailoop`` command line: outputs of a run, and one-line errors with exit code 2 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from ailoop.runs.cli import main


def test_run_writes_all_outputs(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", "--scenario", "baseline", "--seed", "2", "--years", "0.5", "--out", str(out),
                 "--set", "real_demand_growth=0.3"]) == 0
    for name in ("model.parquet", "agents.parquet", "events.parquet", "params.json", "summary.json",
                 "triangle_cash.png", "capacity.png", "gpu_prices.png", "committed_vs_paid.png", "lab.png"):
        assert (out / name).is_file(), name
    df = pd.read_parquet(out / "model.parquet")
    assert len(df) == 126 and df["step"].tolist() == list(range(1, 127))
    for col in ("date", "market_value_total", "capacity_contracted_gw", "capacity_built_gw", "capacity_used_gw",
                "gpu_price_new", "gpu_price_used", "gpu_rent_per_hour", "committed_outstanding",
                "cash_paid_cumulative", "price.cloud", "mcap.chip_leader", "cash.lab", "backlog.cloud",
                "debt.neocloud", "paid.lab.cloud", "paid_by.end_user.cloud"):
        assert col in df.columns, col
    meta = json.loads((out / "params.json").read_text())
    assert meta["params"]["real_demand_growth"] == 0.3 and meta["seed"] == 2
    summary = json.loads((out / "summary.json").read_text())
    assert summary["years"] == pytest.approx(0.5)
    printed = capsys.readouterr().out
    assert "cash actually paid among loop firms" in printed and "$B" in printed


@pytest.mark.parametrize("argv, message", [
    (["run", "--scenario", "nope"], "unknown scenario 'nope'; allowed: baseline"),
    (["run", "--set", "no_such_param=1"], "unknown parameter 'no_such_param'"),
    (["run", "--set", "real_demand_growth=9"], "'real_demand_growth': 9.0 is out of range; allowed: float in [-0.5, 2]"),
    (["run", "--set", "real_demand_growth=fast"], "'real_demand_growth': 'fast' is not a number"),
    (["run", "--set", "build_months=2.5"], "'build_months': 2.5 is not an integer"),
    (["run", "--set", "checks=maybe"], "'checks': 'maybe' is not allowed; allowed: true or false"),
    (["run", "--set", "novalue"], "'novalue' is not NAME=VALUE"),
    (["run", "--years", "0"], "--years 0 is out of range"),
    (["run", "--seed", "x"], "invalid int value"),
])
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, argv, message):
    out = tmp_path / "never"
    proc = subprocess.run([sys.executable, "-m", "ailoop.runs.cli", *argv, "--out", str(out)], capture_output=True, text=True)
    assert proc.returncode == 2
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert message in err
    assert not out.exists()
    assert not list(tmp_path.iterdir())


def test_scenarios_lists_presets(capsys):
    assert main(["scenarios"]) == 0
    assert "baseline" in capsys.readouterr().out


@pytest.mark.parametrize("where", ["under_a_file", "is_a_file", "proc"])
def test_unwritable_out_fails_at_once_one_line_exit_2_nothing_written(tmp_path, where):
    """An --out that cannot be written fails before the simulation (a 30-year run would take
    half a minute), with one line naming the path and why. Permission bits do not stop root (CI
    runs as root), so the unwritable places are a path under a regular file, a regular file, and
    a path under /proc."""
    import time

    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    out = {"under_a_file": blocker / "run", "is_a_file": blocker, "proc": "/proc/ailoop_no_such_dir/run"}[where]
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "ailoop.runs.cli", "run", "--years", "30", "--out", str(out)],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    assert proc.returncode == 2
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("ailoop: error: --out") and str(out) in err and "cannot write there" in err
    assert proc.stdout == ""
    assert elapsed < 15.0, f"took {elapsed:.1f} s: did the simulation run?"
    assert [p.name for p in tmp_path.iterdir()] == ["a_file"] and blocker.read_text() == "not a folder"


def test_unwritable_out_is_refused_before_the_economy_is_built(tmp_path, monkeypatch, capsys):
    import ailoop.model.economy as economy

    monkeypatch.setattr(economy.Economy, "__init__", lambda self, *a, **k: pytest.fail("the simulation started"))
    (tmp_path / "f").write_text("")
    assert main(["run", "--years", "1", "--out", str(tmp_path / "f" / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "is a file, not a folder" in err


def test_conflicting_parameters_fail_one_line_exit_2(tmp_path):
    out = tmp_path / "never"
    proc = subprocess.run([sys.executable, "-m", "ailoop.runs.cli", "run", "--out", str(out),
                           "--set", "open_leader_shares_vc_levered=1", "--set", "open_shares_chip_leader=2.5",
                           "--set", "passive_share=0.4", "--set", "trader_wealth_share=0.4"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert "parameters conflict" in err and "open_leader_shares_vc_levered" in err and "open_shares_chip_leader" in err
    assert not out.exists()


def test_the_output_probe_leaves_nothing_behind(tmp_path):
    from ailoop.runs.output import check_out_dir

    check_out_dir(tmp_path / "new" / "run")
    check_out_dir(tmp_path)
    assert list(tmp_path.iterdir()) == []
