"""Engines: the same table on the process pool and on Dask; failed and crashed runs are recorded."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

from ailoop.runs.spec import parse_spec  # noqa: E402
from ailoop.runs.sweep import run_sweep  # noqa: E402

TIMING = ["elapsed_s", "cpu_s", "worker"]

WALK = """
model = "toy_walk"
years = 0.5
seed = 42
replications = 2
design = "grid"
[vary]
drift = [-0.2, 0.1, 0.4]
vol = { min = 0.1, max = 0.5, num = 3 }
[outputs]
series = ["level", "shock"]
every = 5
"""


def table(path: Path, kind: str = "runs") -> pd.DataFrame:
    df = pd.read_parquet(path / kind)
    keys = ["run_id", "step"] if kind == "series" else ["run_id"]
    return df.drop(columns=[c for c in TIMING if c in df]).sort_values(keys).reset_index(drop=True)


def test_pool_and_dask_give_identical_tables(tmp_path):
    from distributed import LocalCluster

    spec = parse_spec(WALK)
    pool = run_sweep(spec, tmp_path / "pool", workers=2, flush_every=4, progress=False, echo=None)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        dask = run_sweep(spec, tmp_path / "dask", scheduler=cluster.scheduler_address, flush_every=7,
                         progress=False, echo=None)
    assert pool.status == dask.status == "complete" and pool.ok == dask.ok == 18
    assert dask.engine.startswith("dask")
    for kind in ("runs", "series"):
        a, b = table(tmp_path / "pool", kind), table(tmp_path / "dask", kind)
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    runs = table(tmp_path / "pool")
    assert len(runs) == 18 and runs["seed"].nunique() == 18 and runs["final"].nunique() == 18
    assert len(table(tmp_path / "pool", "series")) == 18 * len(range(0, 126, 5))


def test_sweep_through_cli_with_scheduler_option(tmp_path):
    """--scheduler goes through the CLI to the same engine; a bad address is a one-line exit 2."""
    from ailoop.runs.sweep_cli import main

    spec = tmp_path / "s.toml"
    spec.write_text('model = "ishigami"\n[vary]\nx1 = [0.0, 1.0]\n')
    rc = main(["sweep", str(spec), "--out", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:9",
               "--scheduler-timeout", "1", "--no-progress"])
    assert rc == 2 and not (tmp_path / "o").exists()


def test_raising_run_is_recorded_and_the_rest_completes(tmp_path, capsys):
    spec = parse_spec('model = "toy_raise"\nreplications = 2\n[vary]\nx = [0.0, 0.2, 0.9, 0.4, 0.7]\n')
    out = run_sweep(spec, tmp_path / "o", workers=2, progress=True, flush_every=3)
    captured = capsys.readouterr()
    assert "10/10" in captured.err and "failed=4" in captured.err  # the progress bar
    assert "6 ok, 4 failed" in captured.out and "toy_raise: x=0.9" in captured.out  # the final summary
    runs = table(tmp_path / "o")
    assert out.status == "complete" and (out.ok, out.failed) == (6, 4)
    bad = runs[runs["x"] > 0.5]
    assert (bad["status"] == "failed").all() and bad["y"].isna().all()
    assert bad["error"].str.startswith("ValueError: toy_raise").all()
    assert bad["traceback"].str.contains("Traceback").all() and bad["traceback"].str.contains("toy_raise").all()
    good = runs[runs["x"] <= 0.5]
    assert (good["status"] == "ok").all() and (good["y"] == 2 * good["x"]).all()
    log = pd.read_json(tmp_path / "o" / "manifest-runs.jsonl", lines=True)
    assert len(log) == 10 and set(log.loc[log["status"] == "failed", "run_id"]) == set(bad["run_id"])
    # --retry-failed runs the 4 failed runs again (they fail again) and leaves no duplicates
    again = run_sweep(spec, tmp_path / "o", workers=2, resume=True, retry_failed=True, progress=False, echo=None)
    assert (again.already_done, again.ok, again.failed) == (6, 0, 4)
    pd.testing.assert_frame_equal(table(tmp_path / "o").drop(columns="traceback"), runs.drop(columns="traceback"))


def test_killed_worker_is_recorded_and_the_rest_completes(tmp_path):
    spec = parse_spec(
        'model = "toy_exit"\nreplications = 2\n[vary]\nx = [0.0, 0.1, 0.2, 0.9, 0.3, 0.4, 0.45, 0.35]\n'
    )
    out = run_sweep(spec, tmp_path / "o", workers=2, flush_every=3, progress=False, echo=None)
    runs = table(tmp_path / "o")
    assert out.status == "complete" and len(runs) == 16 and runs["run_id"].is_unique
    bad = runs[runs["x"] > 0.5]
    assert len(bad) == 2 and (bad["status"] == "failed").all()
    assert bad["error"].str.contains("worker process died").all() and bad["error"].str.contains("exit code 3").all(), \
        bad["error"].tolist()
    good = runs[runs["x"] <= 0.5]
    assert (good["status"] == "ok").all() and (good["y"] == 2 * good["x"]).all()


def test_worker_count_and_batch_size_do_not_change_results(tmp_path):
    spec = parse_spec(WALK)
    run_sweep(spec, tmp_path / "one", workers=1, flush_every=100, progress=False, echo=None)
    run_sweep(spec, tmp_path / "two", workers=2, flush_every=1, progress=False, echo=None)
    assert len(list((tmp_path / "two" / "runs").glob("*.parquet"))) == 18
    for kind in ("runs", "series"):
        pd.testing.assert_frame_equal(table(tmp_path / "one", kind), table(tmp_path / "two", kind), check_exact=True)


def test_parts_get_uniform_columns_when_the_first_batch_only_failed(tmp_path):
    """pandas takes a dataset's columns from one part: all parts must carry every summary column."""
    spec = parse_spec('model = "toy_raise"\n[vary]\nx = [0.9, 0.8, 0.1, 0.2]\n')
    run_sweep(spec, tmp_path / "o", workers=1, flush_every=2, progress=False, echo=None)
    assert len(list((tmp_path / "o" / "runs").glob("part-*.parquet"))) == 2
    runs = pd.read_parquet(tmp_path / "o" / "runs").sort_values("run_id")
    assert list(runs["status"]) == ["failed", "failed", "ok", "ok"]
    assert runs["y"].tolist()[2:] == [0.2, 0.4] and runs["y"].isna().tolist()[:2] == [True, True]
