"""Every bad input is refused before any run: one line on stderr, exit code 2, nothing written.

Each case runs the command line in a fresh process, in a folder that holds only what the case
made beforehand; after the command that folder must be byte for byte as it was. The table of
``CASES`` is the one docs/sweeps.md shows (input, message, exit code)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

TOY = 'model = "toy_walk"\nyears = 0.1\n[vary]\ndrift = [0.0, 0.1]\n[outputs]\nseries = ["level"]\n'
REAL = 'scenario = "baseline"\nyears = 0.05\n[vary]\nreal_demand_growth = [0.2, 0.5]\n'
#: the levered fund's 1bn chip_leader shares of 2.5bn, the ETF's 0.4 and the traders' 0.4 hold more than all
CONFLICT = ('[fixed]\nopen_leader_shares_vc_levered = 1.0\nopen_shares_chip_leader = 2.5\ntrader_wealth_share = 0.4\n')


def _sweep_store(folder: Path) -> Path:
    from ailoop.runs.spec import parse_spec
    from ailoop.runs.sweep import run_sweep

    out = folder / "store"
    run_sweep(parse_spec('model = "ishigami"\ndesign = "sobol"\nsamples = 8\n[vary]\nx1 = {min = -3, max = 3}\n'
                         'x2 = {min = -3, max = 3}\n'), out, workers=1, progress=False, echo=None)
    return out


def _truncated(folder: Path) -> Path:
    from ailoop.runs.spec import parse_spec
    from ailoop.runs.sweep import run_sweep

    out = folder / "store"
    run_sweep(parse_spec(TOY), out, workers=1, stop_after=1, flush_every=1, progress=False, echo=None)
    part = sorted((out / "runs").glob("part-*.parquet"))[0]
    part.write_bytes(part.read_bytes()[:100])
    return out


def _setup(case: str, d: Path) -> list:
    """Make what case ``case`` needs in ``d``; return the command's arguments."""
    spec = d / "spec.toml"
    cli, sweep = ["-m", "ailoop.runs.cli"], ["-m", "ailoop.runs.sweep_cli"]
    (d / "a_file").write_text("not a folder")
    if case == "series":
        spec.write_text(REAL + '[outputs]\nseries = ["market_value_totl"]\n')
        return [*sweep, "sweep", spec, "--out", d / "o"]
    if case == "grid-constraint":
        spec.write_text(REAL.replace("real_demand_growth = [0.2, 0.5]", "passive_share = [0.1, 0.4]") + CONFLICT)
        return [*sweep, "sweep", spec, "--out", d / "o"]
    if case == "lhs-constraint":
        spec.write_text('scenario = "baseline"\nyears = 0.05\ndesign = "lhs"\nsamples = 40\nseed = 3\n[vary]\n'
                        'passive_share = { min = 0.0, max = 0.4 }\n' + CONFLICT)
        return [*sweep, "sweep", spec, "--out", d / "o"]
    if case == "utf16":
        spec.write_bytes(TOY.encode("utf-16"))
        return [*sweep, "sweep", spec, "--out", d / "o"]
    if case == "latin1":
        spec.write_bytes(("# d\xe9mo\n" + TOY).encode("latin-1"))
        return [*sweep, "sweep", spec, "--out", d / "o"]
    if case == "years-spec":
        spec.write_text(TOY.replace("years = 0.1", "years = 1e6"))
        return [*sweep, "sweep", spec, "--out", d / "o"]
    if case == "out-under-file":
        spec.write_text(TOY)
        return [*sweep, "sweep", spec, "--out", d / "a_file" / "o"]
    if case == "out-proc":
        spec.write_text(TOY)
        return [*sweep, "sweep", spec, "--out", "/proc/ailoop_no_such_dir/o"]
    if case == "out-not-utf8":
        spec.write_text(TOY)
        return [*sweep, "sweep", spec, "--out", os.fsencode(d) + b"/\xff\xfe"]
    if case == "run-not-utf8":
        return [*cli, "run", "--years", "0.05", "--out", os.fsencode(d) + b"/\xff\xfe"]
    if case == "scheduler":
        spec.write_text(TOY)
        return [*sweep, "sweep", spec, "--out", d / "o", "--scheduler", "http://nope"]
    if case == "scheduler-host":
        spec.write_text(TOY)
        return [*sweep, "sweep", spec, "--out", d / "o", "--scheduler", "tcp://no-such-host.invalid:8786"]
    if case == "resume-truncated":
        spec.write_text(TOY)
        _truncated(d)
        return [*sweep, "sweep", spec, "--out", d / "store", "--resume"]
    if case == "conf":
        return [*sweep, "sensitivity", _sweep_store(d), "--output", "y", "--conf", "2"]
    if case == "png":
        return [*sweep, "plot-phase", _sweep_store(d), "--x", "x1", "--y", "x2", "--output", "y", "--png",
                d / "a_file" / "p.png"]
    if case == "run-years":
        return [*cli, "run", "--years", "0.001", "--out", d / "o"]
    if case == "run-years-nan":
        return [*cli, "run", "--years", "nan", "--out", d / "o"]
    spec.write_text(TOY)
    flag = {"workers": ["--workers", "0"], "flush": ["--flush-every", "0"], "timeout": ["--timeout", "-1"],
            "timeout-nan": ["--timeout", "nan"], "progress": ["--progress-every", "0"],
            "keep": ["--keep", "ledgers"], "retry": ["--retry-failed"]}[case]
    return [*sweep, "sweep", spec, "--out", d / "o", *flag]


#: (case, what the one line says, exit code)
CASES = [
    ("series", "[outputs] unknown series column 'market_value_totl' for scenario 'baseline' (similar: "
               "market_value_total", 2),
    ("grid-constraint", "grid: 1 of 2 design points (50.0%) break a joint constraint; first: point 1 "
                        "(passive_share=0.4): parameters conflict (shares_held_chip_leader)", 2),
    ("lhs-constraint", "design points (", 2),
    ("utf16", "is UTF-16 text, not UTF-8; save it as UTF-8", 2),
    ("latin1", "is not UTF-8 (byte 0xe9 at offset 3; Latin-1 or Windows-1252 text?)", 2),
    ("years-spec", "spec 'years' 1e+06 is out of range; allowed: from one trading day", 2),
    ("out-under-file", "cannot write there", 2),
    ("out-proc", "cannot write there", 2),
    ("out-not-utf8", "the path is not valid UTF-8; allowed: a path in UTF-8", 2),
    ("run-not-utf8", "the path is not valid UTF-8; allowed: a path in UTF-8", 2),
    ("scheduler", "--scheduler 'http://nope' is not a scheduler address; allowed: SCHEME://HOST:PORT", 2),
    ("scheduler-host", "host 'no-such-host.invalid' is unknown", 2),
    ("resume-truncated", "is damaged", 2),
    ("conf", "--conf 2 is out of range; allowed: a number in (0, 1)", 2),
    ("png", "--png", 2),
    ("run-years", "--years 0.001 is out of range; allowed: from one trading day (1/252 = 0.00397 years)", 2),
    ("run-years-nan", "--years nan is out of range", 2),
    ("workers", "--workers 0 is out of range; allowed: an integer >= 1", 2),
    ("flush", "--flush-every 0 is out of range; allowed: an integer >= 1", 2),
    ("timeout", "--timeout -1 is out of range; allowed: a number > 0", 2),
    ("timeout-nan", "--timeout nan is out of range", 2),
    ("progress", "--progress-every 0 is out of range; allowed: a number > 0", 2),
    ("keep", "--keep 'ledgers' is not a table model 'toy_walk' can keep; allowed: agents, events", 2),
    ("retry", "--retry-failed needs --resume", 2),
]


def _snapshot(d: Path) -> dict:
    return {p.relative_to(d): (hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir")
            for p in sorted(d.rglob("*"))}


@pytest.mark.parametrize("case, message, code", CASES, ids=[c[0] for c in CASES])
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, case, message, code):
    args = _setup(case, tmp_path)
    before = _snapshot(tmp_path)
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, env={**os.environ, "CI": "true"})
    elapsed = time.monotonic() - t0
    err = proc.stderr.decode("utf-8", "replace").strip()
    assert proc.returncode == code, err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("ailoop"), err
    assert message in err, err
    assert proc.stdout == b""
    assert _snapshot(tmp_path) == before  # nothing written, nothing removed
    assert elapsed < 20, f"{case}: {elapsed:.1f} s (did it run something?)"


def test_an_infeasible_share_is_printed_and_allowed_on_request(tmp_path):
    """A sampled design: the share of infeasible points is in the refusal; with
    --allow-infeasible the sweep runs and records those runs as infeasible, without running them."""
    import pandas as pd

    from ailoop.model.constraints import violations
    from ailoop.model.params import resolve
    from ailoop.runs.spec import build_design, parse_spec

    text = ('scenario = "baseline"\nyears = 0.02\ndesign = "lhs"\nsamples = 40\nseed = 3\n[vary]\n'
            'passive_share = { min = 0.0, max = 0.4 }\n' + CONFLICT)
    spec = tmp_path / "s.toml"
    spec.write_text(text)
    # the infeasible points, counted by hand: the three stakes and the ETF's passive share hold
    # more than all of chip_leader's shares when passive_share > 1 - 1/2.5 - 0.4 x 0.9 = 0.24
    design = build_design(parse_spec(text))
    ps = [design.point(i)["passive_share"] for i in range(design.n_points)]
    bad = sum(p > 1 - 1.0 / 2.5 - 0.4 * 0.9 for p in ps)
    assert bad == sum(bool(violations({**resolve(), "open_leader_shares_vc_levered": 1.0,
                                       "open_shares_chip_leader": 2.5, "trader_wealth_share": 0.4,
                                       "passive_share": p})) for p in ps)
    assert 0 < bad < 40
    proc = subprocess.run([sys.executable, "-m", "ailoop.runs.sweep_cli", "sweep", str(spec), "--out",
                           str(tmp_path / "o")], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and f"{bad} of 40 design points ({100 * bad / 40:.1f}%)" in proc.stderr
    assert "--allow-infeasible" in proc.stderr and not (tmp_path / "o").exists()
    proc = subprocess.run([sys.executable, "-m", "ailoop.runs.sweep_cli", "sweep", str(spec), "--out",
                           str(tmp_path / "o"), "--allow-infeasible", "--workers", "2", "--no-progress"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    runs = pd.read_parquet(tmp_path / "o" / "runs")
    assert (runs["status"] == "infeasible").sum() == bad and (runs["status"] == "ok").sum() == 40 - bad
    inf = runs[runs["status"] == "infeasible"]
    assert (inf["passive_share"] > 0.24).all() and inf["elapsed_s"].max() < 0.5
    assert inf["error"].str.contains("shares_held_chip_leader").all()


def test_scheduler_typo_fails_in_well_under_a_second():
    from ailoop.runs.limits import check_scheduler

    for address in ("http://nope", "nope:8786", "tcp://nope", "tcp://no-such-host.invalid:1"):
        t0 = time.monotonic()
        with pytest.raises(ValueError):
            check_scheduler(address, 10.0)
        assert time.monotonic() - t0 < 2.0
    assert check_scheduler("tcp://127.0.0.1:8786", 10.0) == "tcp://127.0.0.1:8786"
