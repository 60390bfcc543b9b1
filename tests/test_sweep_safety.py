"""Safe long jobs: no worker outlives its sweep, one writer per --out, workers capped at the cores,
per-run timeouts, run folders replaced only on request, duplicated parts refused by query."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]

from ailoop.runs.guard import LockedError, OutLock  # noqa: E402
from ailoop.runs.spec import SpecError, parse_spec  # noqa: E402
from ailoop.runs.sweep import run_sweep  # noqa: E402
from ailoop.runs.sweep_cli import main  # noqa: E402

LONG = """
model = "toy_sleep"
replications = 1
[vary]
seconds = { min = 20, max = 21, num = 6 }
"""


def _start(spec: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ailoop.runs.sweep_cli", "sweep", str(spec), "--out", str(out), "--workers", "2",
         "--no-progress", *extra],
        cwd=ROOT, env={**os.environ, "CI": "true"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group: every process it starts can be found by pgid
    )


def _group(pgid: int) -> list[str]:
    """Processes of process group ``pgid`` still alive (zombies excluded): ``pid stat command``."""
    out = subprocess.run(["ps", "-eo", "pid=,pgid=,stat=,args="], capture_output=True, text=True).stdout
    rows = [line.split(None, 3) for line in out.splitlines() if line.strip()]
    return [" ".join((r[0], r[2], r[3][:80])) for r in rows if r[1] == str(pgid) and not r[2].startswith("Z")]


def _wait_busy(pgid: int, n: int, timeout: float = 60.0) -> None:
    """Wait until the sweep has at least ``n`` processes besides itself (workers running)."""
    t0 = time.monotonic()
    while len(_group(pgid)) < n + 1:
        assert time.monotonic() - t0 < timeout, _group(pgid)
        time.sleep(0.1)


def test_kill_minus_9_of_the_main_process_leaves_no_child(tmp_path):
    """SIGKILL of the sweep alone (not its group): the forkserver, the workers (each sleeping in a
    20 s run) and the resource tracker are gone within seconds, not after the runs."""
    spec = tmp_path / "long.toml"
    spec.write_text(LONG)
    proc = _start(spec, tmp_path / "out")
    _wait_busy(proc.pid, 3)  # workers + forkserver (+ resource tracker)
    time.sleep(1.0)          # the workers are inside their runs
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    t0 = time.monotonic()
    while _group(proc.pid) and time.monotonic() - t0 < 10:
        time.sleep(0.2)
    left = _group(proc.pid)
    if left:  # do not leave them behind if the test fails
        os.killpg(proc.pid, signal.SIGKILL)
    assert not left, left
    assert time.monotonic() - t0 < 10


def test_a_second_sweep_at_the_same_out_is_refused_naming_the_first(tmp_path):
    spec = tmp_path / "long.toml"
    spec.write_text(LONG)
    out = tmp_path / "out"
    first = _start(spec, out)
    try:
        t0 = time.monotonic()
        while not (out / "manifest.json").exists():
            assert time.monotonic() - t0 < 30 and first.poll() is None
            time.sleep(0.05)
        # the first sweep is paused (its lock still held: the process lives) while the second tries,
        # so that any file that appears or changes in the folder is the second's doing
        os.killpg(first.pid, signal.SIGSTOP)
        try:
            before = sorted((p.relative_to(out), p.stat().st_mtime_ns) for p in out.rglob("*"))
            second = subprocess.run(
                [sys.executable, "-m", "ailoop.runs.sweep_cli", "sweep", str(spec), "--out", str(out), "--resume",
                 "--workers", "1", "--no-progress"], cwd=ROOT, capture_output=True, text=True, timeout=60)
            after = sorted((p.relative_to(out), p.stat().st_mtime_ns) for p in out.rglob("*"))
        finally:
            os.killpg(first.pid, signal.SIGCONT)
        assert second.returncode == 2
        err = second.stderr.strip()
        assert len(err.splitlines()) == 1, err
        assert f"PID {first.pid}" in err and "host" in err and "another sweep" in err, err
        assert after == before
        assert first.poll() is None  # the first sweep goes on
    finally:
        os.killpg(first.pid, signal.SIGTERM)
        first.communicate(timeout=30)
    assert first.returncode == 130
    # the first sweep is gone: its lock went with it, so a resume now works (and finishes nothing
    # new that fast: stop it at once)
    lock = OutLock(out).acquire()
    lock.release()


def test_the_lock_outlives_nothing_a_killed_holder_frees_it(tmp_path):
    code = ("import sys, time; from ailoop.runs.guard import OutLock; OutLock(sys.argv[1]).acquire(); "
            "print('locked', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "d")], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(LockedError, match=f"PID {holder.pid} on host"):
        OutLock(tmp_path / "d").acquire()
    holder.kill()
    holder.wait()
    OutLock(tmp_path / "d").acquire().release()  # a dead holder holds nothing


def test_workers_above_the_cores_are_capped_with_a_warning(tmp_path):
    spec = parse_spec('model = "toy_raise"\n[vary]\nx = [0.0, 0.1, 0.2, 0.3, 0.4, 0.45, 0.46, 0.47]\n')
    warned = []
    out = run_sweep(spec, tmp_path / "o", workers=1000, progress=False, echo=None, warn=warned.append)
    cores = os.cpu_count()
    assert out.engine.startswith(f"local process pool ({min(cores, 8)} workers")
    assert len(warned) == 1 and "--workers 1000" in warned[0] and f"{cores} cores" in warned[0]
    forced = run_sweep(spec, tmp_path / "f", workers=3, force_workers=True, progress=False, echo=None,
                       warn=warned.append)
    assert forced.engine.startswith("local process pool (3 workers") and len(warned) == 1
    few = run_sweep(parse_spec('model = "toy_raise"\n[vary]\nx = [0.1]\n'), tmp_path / "one", workers=2,
                    progress=False, echo=None)
    assert few.engine.startswith("local process pool (1 workers")  # never more processes than runs


def test_a_run_past_its_timeout_stops_and_is_recorded_as_timeout(tmp_path):
    spec = parse_spec('model = "toy_sleep"\n[vary]\nseconds = [0.05, 30.0]\n')
    t0 = time.monotonic()
    out = run_sweep(spec, tmp_path / "o", workers=2, timeout=1.0, progress=False, echo=None)
    assert time.monotonic() - t0 < 15  # not the 30 s of the long run
    runs = pd.read_parquet(tmp_path / "o" / "runs").set_index("run_id")
    assert runs.loc["p000000-r000", "status"] == "ok" and runs.loc["p000000-r000", "slept"] == 0.05
    slow = runs.loc["p000001-r000"]
    assert slow["status"] == "timeout" and "1 s timeout" in slow["error"] and pd.isna(slow["slept"])
    assert 1.0 <= slow["elapsed_s"] < 3.0
    assert out.by_status == {"ok": 1, "timeout": 1}
    m = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert m["timeout_s"] == 1.0 and m["counts"] == {"runs": 2, "ok": 1, "failed": 1}
    # --retry-failed runs timed-out runs again (here with no timeout: the spec is the same)
    again = run_sweep(spec, tmp_path / "o", workers=1, resume=True, retry_failed=True, timeout=5.0,
                      progress=False, echo=None)
    assert again.by_status == {"timeout": 1}


def test_years_in_a_spec_are_bounded_as_in_run():
    for years in (1e6, 31, 0.001, -1):
        with pytest.raises(SpecError, match="out of range; allowed: from one trading day"):
            parse_spec(f'model = "toy_walk"\nyears = {years}\n')
    assert parse_spec('model = "toy_walk"\nyears = 30\n').years == 30


def test_run_refuses_an_existing_run_unless_overwrite_which_removes_the_old_files(tmp_path):
    out = tmp_path / "r"
    cli = [sys.executable, "-m", "ailoop.runs.cli", "run", "--years", "0.1", "--out", str(out)]
    assert subprocess.run(cli, capture_output=True, text=True).returncode == 0
    assert (out / "lab.png").is_file()
    old = (out / "params.json").read_text()
    again = subprocess.run([*cli, "--seed", "2", "--no-plots"], capture_output=True, text=True)
    assert again.returncode == 2 and "already holds a run; pass --overwrite" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1 and (out / "params.json").read_text() == old
    over = subprocess.run([*cli, "--seed", "2", "--no-plots", "--overwrite"], capture_output=True, text=True)
    assert over.returncode == 0, over.stderr
    assert not list(out.glob("*.png"))  # the old plots went with the old run
    assert json.loads((out / "params.json").read_text())["seed"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["r"]  # no temporary folder left
    other = tmp_path / "notes"
    other.mkdir()
    (other / "mine.txt").write_text("keep me")
    refused = subprocess.run([*cli[:-1], str(other), "--overwrite"], capture_output=True, text=True)
    assert refused.returncode == 2 and "holds files but no run" in refused.stderr
    assert (other / "mine.txt").read_text() == "keep me"


def test_params_json_says_what_made_the_run(tmp_path):
    from ailoop.runs.store import git_commit

    out = tmp_path / "r"
    subprocess.run([sys.executable, "-m", "ailoop.runs.cli", "run", "--years", "0.05", "--no-plots", "--out",
                    str(out)], check=True, capture_output=True)
    meta = json.loads((out / "params.json").read_text())
    from importlib.metadata import version

    assert meta["version"] == version("ailoop") and meta["commit"] == git_commit()
    assert abs(pd.Timestamp(meta["time"]) - pd.Timestamp.now(tz="UTC")) < pd.Timedelta(minutes=5)


def test_query_refuses_a_store_whose_parts_duplicate_a_run(tmp_path):
    spec = parse_spec('model = "toy_raise"\n[vary]\nx = [0.1, 0.2, 0.3, 0.4]\n')
    run_sweep(spec, tmp_path / "o", workers=1, flush_every=2, progress=False, echo=None)
    sql = "SELECT count(*) AS n FROM runs"
    assert main(["query", str(tmp_path / "o"), sql, "--format", "csv"]) == 0
    parts = sorted((tmp_path / "o" / "runs").glob("part-*.parquet"))
    shutil.copy(parts[0], parts[0].with_name("part-000099.parquet"))
    proc = subprocess.run([sys.executable, "-m", "ailoop.runs.sweep_cli", "query", str(tmp_path / "o"), sql],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == ""
    err = proc.stderr.strip()
    first = pd.read_parquet(parts[0])["run_id"].iloc[0]
    assert len(err.splitlines()) == 1 and f"run {first} is recorded twice" in err and "part-000099" in err, err


def test_a_cancelled_dask_sweep_stops_its_running_tasks(tmp_path):
    """On Dask the workers belong to the cluster and stay; the sweep's tasks must not: a SIGKILL of
    the sweep leaves its client gone, the scheduler releases its tasks, and a run in the middle
    of its steps stops at the next one."""
    from distributed import Client, LocalCluster

    spec = tmp_path / "long.toml"
    spec.write_text(LONG)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        def executing():
            return sum(client.run(lambda dask_worker: len(dask_worker.state.executing)).values())

        proc = _start(spec, tmp_path / "out", "--scheduler", cluster.scheduler_address)
        t0 = time.monotonic()
        while executing() < 2:
            assert time.monotonic() - t0 < 60 and proc.poll() is None, proc.poll()
            time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        t0 = time.monotonic()
        while executing() and time.monotonic() - t0 < 15:
            time.sleep(0.2)
        assert executing() == 0
        assert time.monotonic() - t0 < 15  # well before the 20 s runs would have ended


def test_a_sigterm_as_the_sweep_starts_still_ends_it_interrupted(tmp_path, monkeypatch):
    """From the moment the manifest says "running", a SIGTERM is the sweep's to handle: it ends
    interrupted (exit code 130, the manifest says so), never killed by the default action with the
    manifest left "running". The signal is sent as the manifest is written, before the first run
    (the window in which the full suite's second-sweep test saw a sweep die of SIGTERM, -15)."""
    from ailoop.runs import sweep as sweep_module

    spec = parse_spec('model = "toy_raise"\n[vary]\nx = [0.0, 0.1, 0.2, 0.3]\n')
    real = sweep_module.SweepStore.write_manifest
    sent = []

    def write_then_terminate(self, manifest):
        real(self, manifest)
        if not sent and manifest.get("status") == "running":
            sent.append(True)
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(sweep_module.SweepStore, "write_manifest", write_then_terminate)
    outside = []  # the test's own handler: what a SIGTERM the sweep did not handle reaches
    old = signal.signal(signal.SIGTERM, lambda *a: outside.append(a))
    try:
        out = run_sweep(spec, tmp_path / "o", workers=1, progress=False, echo=None)
    finally:
        signal.signal(signal.SIGTERM, old)
    assert sent and not outside
    assert out.status == "interrupted" and out.exit_code == 130
    assert json.loads((tmp_path / "o" / "manifest.json").read_text())["status"] == "interrupted"
