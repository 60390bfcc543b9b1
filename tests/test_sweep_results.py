"""Self-describing results, progress anywhere, the dry run's estimate, and the analysis commands
(scenario discovery, envelopes, Sobol convergence)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[1]

from ailoop.runs.spec import parse_spec  # noqa: E402
from ailoop.runs.sweep import run_sweep  # noqa: E402
from ailoop.runs.sweep_cli import main  # noqa: E402

REAL = """
years = 0.1
seed = 4
[vary]
scenario = ["baseline", "vendor_financing_2000"]
real_demand_growth = [0.1, 0.6]
[fixed]
lab_opex_growth = 0.5
retail_holders = 200
n_traders = 40
[outputs]
series = ["market_value_total"]
every = 5
"""


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "o"
    run_sweep(parse_spec(REAL), out, workers=2, progress=False, echo=None, keep=("agents", "events"))
    return out


def test_scenario_and_years_are_factors_and_columns(real):
    runs = pd.read_parquet(real / "runs")
    assert len(runs) == 4 and set(runs["scenario"]) == {"baseline", "vendor_financing_2000"}
    assert (runs["years"] == 0.1).all() and (runs["status"] == "ok").all()
    # the run is what its row says: the same seed and settings through the model directly
    from ailoop.runs.simulate import simulate

    row = runs.sort_values("run_id").iloc[3]
    summary, _ = simulate(row["scenario"], int(row["seed"]), row["years"],
                          {"real_demand_growth": row["real_demand_growth"], "lab_opex_growth": 0.5,
                           "retail_holders": 200, "n_traders": 40})
    assert summary["market_value_end"] == row["market_value_end"]
    spec = parse_spec('model = "toy_walk"\nseed = 1\n[vary]\nyears = [0.1, 0.2]\n')
    assert spec.years_values() == (0.1, 0.2)


def test_every_parameter_of_every_run_is_recorded(real):
    from ailoop.model.params import resolve
    from ailoop.model.scenarios import get_scenario
    from ailoop.runs.store import SweepStore, git_commit

    runs = pd.read_parquet(real / "runs")
    assert (runs["lab_opex_growth"] == 0.5).all() and (runs["retail_holders"] == 200).all()  # fixed: columns
    store = SweepStore(real)
    meta = json.loads(pq.read_schema(sorted((real / "runs").glob("part-*.parquet"))[0]).metadata[b"ailoop"])
    manifest = json.loads((real / "manifest.json").read_text())
    assert meta["spec_hash"] == manifest["spec_hash"] and meta["commit"] == git_commit()
    from importlib.metadata import version

    assert meta["version"] == version("ailoop")
    for _, row in runs.iterrows():
        full = store.run_params(row.to_dict())
        # a second route: the scenario's settings and the run's own, resolved by the model
        expect = resolve({"lab_opex_growth": 0.5, "retail_holders": 200, "n_traders": 40,
                          "real_demand_growth": row["real_demand_growth"]}, get_scenario(row["scenario"]).params)
        assert full == expect
    vf = runs[runs["scenario"] == "vendor_financing_2000"].iloc[0]
    assert store.run_params(vf.to_dict())["staged_per_gw"] == 20.0  # the scenario's own setting


def test_defaulted_is_zero_or_one_for_every_defaultable_agent(real):
    from ailoop.model import Economy

    runs = pd.read_parquet(real / "runs")
    eco = Economy(seed=1, checks=False)
    ids = [a.aid for a in eco.everyone if a.can_default]
    assert "lab" in ids and len(ids) >= 10
    for aid in ids:
        col = runs[f"defaulted.{aid}"]
        assert col.notna().all() and set(col.unique()) <= {0.0, 1.0}
    # the mean is the share: a run where the lab defaults and one where it does not average to 0.5
    from ailoop.model.metrics import summarize

    lab_defaults = Economy(scenario="music_stops", base="baseline", seed=1, checks=False)
    lab_defaults.run(4)
    failed = {e["agent"] for e in lab_defaults.events if e["event"] == "default"}  # the event log, not the summary
    assert "lab" in failed and "cloud" not in failed
    s = summarize(lab_defaults)
    assert s["defaulted.lab"] == 1.0 and s["defaulted.cloud"] == 0.0 and s["lab_defaulted"] == 1.0
    assert all(s[f"defaulted.{a}"] == float(a in failed) for a in ids)
    assert s["defaults"] == sum(s[f"defaulted.{a}"] for a in ids)


def test_kept_agents_and_events_are_partitioned_like_the_runs(real):
    agents = pd.read_parquet(real / "agents")
    events = pd.read_parquet(real / "events")
    runs = pd.read_parquet(real / "runs")
    assert set(agents["run_id"]) == set(runs["run_id"]) and set(events["run_id"]) <= set(runs["run_id"])
    for p in (real / "agents").glob("part-*.parquet"):
        assert (real / "runs" / p.name).exists()
    from ailoop.runs.simulate import simulate

    row = runs.sort_values("run_id").iloc[0]
    _, _, tables = simulate(row["scenario"], int(row["seed"]), row["years"],
                            {"real_demand_growth": row["real_demand_growth"], "lab_opex_growth": 0.5,
                             "retail_holders": 200, "n_traders": 40}, keep=("agents", "events"))
    mine = agents[agents["run_id"] == row["run_id"]].reset_index(drop=True)
    assert len(mine) == len(tables["agents"]) and mine["cash"].tolist() == tables["agents"]["cash"].tolist()
    from ailoop.runs.store import SweepStore

    con_rows = SweepStore(real).query("SELECT count(*) AS n FROM agents")["n"][0]
    assert con_rows == len(agents)


def test_kept_tables_are_flushed_by_rows_so_memory_stays_bounded(tmp_path):
    spec = parse_spec('model = "toy_walk"\nyears = 2\nreplications = 6\n[vary]\nvol = [0.1]\n')
    run_sweep(spec, tmp_path / "o", workers=1, keep=("agents",), progress=False, echo=None)
    from ailoop.runs.store import PartWriter

    assert PartWriter.__init__.__defaults__[2] == 500_000  # the row bound shared with the series
    agents = pd.read_parquet(tmp_path / "o" / "agents")
    assert len(agents) == 6 * 2 * 24  # 24 rows a year per walker, two walkers, six runs


def test_progress_lines_when_stderr_is_not_a_terminal(tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text('model = "toy_sleep"\n[vary]\nseconds = { min = 0.2, max = 0.3, num = 12 }\n')
    proc = subprocess.run([sys.executable, "-m", "ailoop.runs.sweep_cli", "sweep", str(spec), "--out",
                           str(tmp_path / "o"), "--workers", "2", "--progress-every", "0.3"],
                          cwd=ROOT, capture_output=True, text=True, env={**os.environ, "CI": ""})
    assert proc.returncode == 0, proc.stderr
    lines = [x for x in proc.stderr.splitlines() if x.startswith("sweep ")]
    assert len(lines) >= 3, proc.stderr  # periodic, one line each, no bar
    assert "\r" not in proc.stderr
    assert lines[-1].split(": ", 1)[1].startswith("12/12 runs (100.0%; this session 12 ok)")
    done = [int(x.split(": ", 1)[1].split("/")[0]) for x in lines]
    assert done == sorted(done) and done[0] < 12


def test_dry_run_prints_runs_and_an_estimate_and_writes_nothing(tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text('model = "toy_sleep"\nreplications = 2\n[vary]\nseconds = [0.25, 0.5]\n')
    proc = subprocess.run([sys.executable, "-m", "ailoop.runs.sweep_cli", "sweep", str(spec), "--out",
                           str(tmp_path / "o"), "--workers", "2", "--dry-run", "--pilot", "4"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "4 runs = 2 design points x 2 replications" in proc.stdout
    est = float(proc.stdout.split("estimate: ")[1].split(" s")[0])
    # by hand: 2 runs of 0.25 s and 2 of 0.5 s on 2 workers: (0.25 + 0.25 + 0.5 + 0.5) / 2 = 0.75 s
    # of runs, plus the pool's start
    assert 0.7 <= est <= 6.0, proc.stdout
    assert not (tmp_path / "o").exists()


def test_dry_run_per_run_estimate_follows_the_steps():
    """The pilot cuts runs short; the estimate of a full run adds the steps the pilot did not run
    at the pilot's own time per step (toy_walk: a fixed cost per step)."""
    from ailoop.runs.estimate import dry_run
    from ailoop.runs.sweep import prepare

    plan = prepare(parse_spec('model = "toy_sleep"\nyears = 1\n[vary]\nseconds = [0.3]\n'), "/tmp/ailoop-none",
                   workers=1)
    est = dry_run(plan, pilot=1)
    assert est.to_do == 1 and 0.25 <= est.per_run_s <= 0.6


@pytest.fixture(scope="module")
def discovered(tmp_path_factory):
    """A toy sweep whose cases are known by construction: y = 1 exactly when x1 > 1 and x2 < 0."""
    out = tmp_path_factory.mktemp("disc") / "o"
    spec = parse_spec('model = "ishigami"\ndesign = "lhs"\nsamples = 400\nseed = 5\n[vary]\n'
                      'x1 = { min = -3.14159, max = 3.14159 }\nx2 = { min = -3.14159, max = 3.14159 }\n'
                      'x3 = { min = -3.14159, max = 3.14159 }\n')
    run_sweep(spec, out, workers=1, progress=False, echo=None)
    return out


def test_discover_finds_the_box_that_makes_the_cases(discovered):
    from ailoop.runs.discover import discover

    res = discover(discovered, "x1 > 1 AND x2 < 0", threshold=0.95)
    runs = pd.read_parquet(discovered / "runs")
    cases = (runs["x1"] > 1) & (runs["x2"] < 0)
    assert res.n_cases == int(cases.sum()) and res.n_runs == 400
    b = res.prim[0]
    assert set(b.limits) == {"x1", "x2"}
    assert abs(b.limits["x1"][0] - 1.0) < 0.15 and abs(b.limits["x2"][1] - 0.0) < 0.15
    # coverage and density recomputed from the rows, not from the library
    inside = ((runs["x1"] >= b.limits["x1"][0]) & (runs["x1"] <= b.limits["x1"][1])
              & (runs["x2"] >= b.limits["x2"][0]) & (runs["x2"] <= b.limits["x2"][1]))
    assert b.coverage == pytest.approx((inside & cases).sum() / cases.sum())
    assert b.density == pytest.approx((inside & cases).sum() / inside.sum())
    assert b.coverage > 0.85 and b.density >= 0.95
    assert res.cart and res.cart[0].density > 0.85 and set(res.cart[0].limits) == {"x1", "x2"}
    assert list(res.scores.index[:2]) == ["x1", "x2"] or list(res.scores.index[:2]) == ["x2", "x1"]
    assert res.csv.is_file() and res.png.is_file()


def test_prim_reports_the_densest_box_when_its_peeling_stops_short_of_the_threshold():
    """ema_workbench returns a "dump box" (all the data) when PRIM's greedy peeling stops below the
    threshold; the discovery keeps the trajectory and reports its densest box, flagged. Data: cases
    in 90% of the runs with a < 0.5 and 50% elsewhere (seed 0; 120 runs; base rate 0.66), on which
    the peeling stalls after a few peels."""
    import logging

    from ema_workbench.analysis import prim

    from ailoop.runs.discover import Discovery, _prim_boxes

    logging.getLogger("EMA").setLevel(logging.ERROR)
    r = np.random.default_rng(0)
    x = pd.DataFrame({"a": r.uniform(size=120), "b": r.uniform(size=120)})
    y = np.where(x["a"] < 0.5, r.uniform(size=120) < 0.9, r.uniform(size=120) < 0.5)
    dump = prim.Prim(x, y, threshold=0.8, peel_alpha=0.05, mass_min=0.05).find_box()
    assert len(dump.peeling_trajectory) == 1  # what the library alone gives: no box
    boxes, traj = _prim_boxes(x, y, 0.8, 0.05, 0.05)
    assert len(traj) > 1 and len(boxes) == 1
    b = boxes[0]
    inside = np.ones(120, dtype=bool)  # the box's runs, recounted from its limits
    for col, (lo, hi) in b.limits.items():
        inside &= (x[col] >= lo).to_numpy() & (x[col] <= hi).to_numpy()
    assert b.n_runs == inside.sum() and b.n_cases == (inside & y).sum()
    assert b.density == pytest.approx((inside & y).sum() / inside.sum())
    assert y.mean() < b.density < 0.8  # denser than the base rate, short of the threshold
    res = Discovery(outcome="y", n_runs=120, n_cases=int(y.sum()), n_excluded=0, inputs=["a", "b"],
                          prim=boxes, cart=[], scores=pd.Series(dtype=float), csv=Path("c.csv"), png=Path("p.png"),
                          trajectory=traj, threshold=0.8)
    assert "below the threshold 0.80" in res.report() and "none reaches" not in res.report()


@pytest.mark.parametrize("rate, n_boxes, says", [(0.62, 0, "base rate 0.62 already meets the threshold 0.60"),
                                                  (0.58, 1, "below the threshold 0.60")])
def test_an_outcome_already_as_common_as_the_threshold_is_named_as_such(rate, n_boxes, says):
    """Cases in a share ``rate`` of 200 runs, scattered at random over one dial (seed 1), threshold
    0.6. Above it, every box meets the threshold and the widest is all the runs: no box, and the
    report says why (not that none reaches it). Just below it, the densest box PRIM passes is
    reported, flagged as short of the threshold."""
    from ailoop.runs.discover import Discovery, _prim_boxes

    r = np.random.default_rng(1)
    x = pd.DataFrame({"a": r.uniform(size=200)})
    y = np.zeros(200, dtype=bool)
    y[r.permutation(200)[:round(rate * 200)]] = True
    boxes, traj = _prim_boxes(x, y, 0.6, 0.05, 0.05)
    assert len(boxes) == n_boxes
    report = Discovery(outcome="y", n_runs=200, n_cases=int(y.sum()), n_excluded=0, inputs=["a"], prim=boxes, cart=[],
                       scores=pd.Series(dtype=float), csv=Path("c.csv"), png=Path("p.png"), trajectory=traj,
                       threshold=0.6).report()
    assert says in report and "none reaches" not in report
    assert ("already meets" in report) == (rate > 0.6)


def test_discover_through_the_cli_and_its_bad_input(discovered, capsys):
    assert main(["discover", str(discovered), "--outcome", "y > 8"]) == 0
    out = capsys.readouterr().out
    assert "PRIM boxes" in out and "coverage" in out and "density" in out
    assert main(["discover", str(discovered), "--outcome", "no_such_column > 1"]) == 2
    assert "is not a condition on the runs table" in capsys.readouterr().err
    assert main(["discover", str(discovered), "--outcome", "y > 1000"]) == 2
    assert "is false in every one of the 400 ok runs" in capsys.readouterr().err


def test_envelope_by_factor(tmp_path):
    spec = parse_spec('model = "toy_walk"\nyears = 0.5\nreplications = 10\nseed = 2\n[vary]\n'
                      'drift = [-1.0, 1.0]\n[outputs]\nseries = ["level"]\nevery = 21\n')
    run_sweep(spec, tmp_path / "o", workers=1, progress=False, echo=None)
    assert main(["envelope", str(tmp_path / "o"), "--series", "level", "--by", "drift"]) == 0
    t = pd.read_csv(tmp_path / "o" / "envelope_level__drift.csv")
    series = pd.read_parquet(tmp_path / "o" / "series").merge(pd.read_parquet(tmp_path / "o" / "runs")[["run_id", "drift"]])
    last = series[(series["step"] == 105) & (series["drift"] == 1.0)]["level"]
    row = t[(t["group"] == "drift = 1") & (t["step"] == 105)].iloc[0]
    assert row["n"] == 10 and row["median"] == pytest.approx(last.median()) and row["max"] == last.max()
    assert row["low"] == pytest.approx(np.percentile(last, 10))
    assert main(["envelope", str(tmp_path / "o"), "--series", "nope", "--by", "drift"]) == 2


def test_sobol_convergence_reaches_the_known_ishigami_indices(tmp_path):
    spec = parse_spec('model = "ishigami"\ndesign = "sobol"\nsamples = 1024\nseed = 7\n[vary]\n'
                      'x1 = { min = -3.141592653589793, max = 3.141592653589793 }\n'
                      'x2 = { min = -3.141592653589793, max = 3.141592653589793 }\n'
                      'x3 = { min = -3.141592653589793, max = 3.141592653589793 }\n')
    run_sweep(spec, tmp_path / "o", workers=2, progress=False, echo=None)
    from ailoop.runs.sensitivity import convergence

    t, csv, png = convergence(tmp_path / "o", "y", num_resamples=200)
    assert sorted(t["N"].unique()) == [4, 8, 16, 32, 64, 128, 256, 512, 1024]
    full = t[t["N"] == 1024].set_index("parameter")
    a, b = 7.0, 0.1  # the Ishigami function's analytic indices
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    assert full.loc["x1", "S1"] == pytest.approx(v1 / v, abs=0.05)
    assert full.loc["x2", "S1"] == pytest.approx(v2 / v, abs=0.05)
    assert full.loc["x3", "ST"] == pytest.approx(v13 / v, abs=0.05)
    ci = t[t["parameter"] == "x2"].set_index("N")["S1_conf"]
    assert ci[1024] < ci[64] < ci[8]  # the intervals narrow as N grows
    assert png.is_file()
