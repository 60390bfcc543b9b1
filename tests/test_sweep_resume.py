"""Interruption and resume: the resumed table equals the uninterrupted one; parts stay readable."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]

from ailoop.runs.spec import parse_spec  # noqa: E402
from ailoop.runs.sweep import run_sweep  # noqa: E402
from ailoop.runs.sweep_cli import main  # noqa: E402

TIMING = ["elapsed_s", "cpu_s", "worker"]

WALK = """
model = "toy_walk"
years = 0.25
seed = 9
replications = 3
design = "lhs"
samples = 10
[vary]
drift = { min = -0.5, max = 0.5 }
vol = [0.1, 0.3]
[outputs]
series = ["level"]
every = 3
"""

SLEEP = """
model = "toy_sleep"
seed = 5
replications = 2
[vary]
seconds = { min = 0.05, max = 0.15, num = 15 }
"""


def table(path: Path, kind: str = "runs") -> pd.DataFrame:
    df = pd.read_parquet(path / kind)
    keys = ["run_id", "step"] if kind == "series" else ["run_id"]
    return df.drop(columns=[c for c in TIMING if c in df]).sort_values(keys).reset_index(drop=True)


def test_stop_then_resume_equals_uninterrupted(tmp_path):
    spec = parse_spec(WALK)
    full = run_sweep(spec, tmp_path / "full", workers=2, flush_every=4, progress=False, echo=None)
    part = run_sweep(spec, tmp_path / "part", workers=2, flush_every=4, stop_after=9, progress=False, echo=None)
    assert full.status == "complete" and part.status == "stopped"
    done_first = len(table(tmp_path / "part"))
    assert 9 <= done_first < 30
    assert json.loads((tmp_path / "part" / "manifest.json").read_text())["status"] == "stopped"
    again = run_sweep(spec, tmp_path / "part", workers=2, flush_every=4, resume=True, progress=False, echo=None)
    assert again.status == "complete" and again.already_done == done_first
    assert again.ok + again.failed == 30 - done_first  # only the missing runs ran
    for kind in ("runs", "series"):
        pd.testing.assert_frame_equal(table(tmp_path / "part", kind), table(tmp_path / "full", kind), check_exact=True)
    log = [json.loads(line) for line in (tmp_path / "part" / "manifest-runs.jsonl").read_text().splitlines()]
    assert sorted(r["run_id"] for r in log) == sorted(table(tmp_path / "full")["run_id"])
    # nothing left to do: a second resume runs nothing
    assert run_sweep(spec, tmp_path / "part", resume=True, workers=1, progress=False, echo=None).ok == 0


def _start(spec: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "CI": "true"}
    return subprocess.Popen(
        [sys.executable, "-m", "ailoop.runs.sweep_cli", "sweep", str(spec), "--out", str(out), "--workers", "2",
         "--flush-every", "3"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def _wait_parts(out: Path, n: int, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    t0 = time.monotonic()
    while len(list((out / "runs").glob("part-*.parquet"))) < n:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() - t0 < timeout
        time.sleep(0.05)


def test_sigkill_then_resume_equals_uninterrupted(tmp_path):
    spec = tmp_path / "sleep.toml"
    spec.write_text(SLEEP)
    out = tmp_path / "killed"
    proc = _start(spec, out)
    _wait_parts(out, 2, proc)
    os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its workers, no chance to clean up
    proc.wait(timeout=30)
    parts = sorted((out / "runs").glob("part-*.parquet"))
    assert parts and all(pq.read_table(p).num_rows > 0 for p in parts)  # every part readable
    n_before = len(pd.read_parquet(out / "runs"))
    assert n_before < 30
    assert main(["sweep", str(spec), "--out", str(out), "--resume", "--workers", "2", "--no-progress"]) == 0
    run_sweep(parse_spec(SLEEP), tmp_path / "full", workers=2, progress=False, echo=None)
    pd.testing.assert_frame_equal(table(out), table(tmp_path / "full"), check_exact=True)
    assert not list(out.rglob(".*.tmp"))


def test_sigterm_flushes_finished_runs_and_exits_130(tmp_path):
    spec = tmp_path / "sleep.toml"
    spec.write_text(SLEEP)
    out = tmp_path / "term"
    proc = _start(spec, out)
    _wait_parts(out, 1, proc)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stdout and "--resume" in stdout
    m = json.loads((out / "manifest.json").read_text())
    runs = pd.read_parquet(out / "runs")
    assert m["status"] == "interrupted" and m["counts"]["ok"] == len(runs) < 30
    log = (out / "manifest-runs.jsonl").read_text().splitlines()
    assert len(log) == len(runs)  # every finished run was written before exiting
