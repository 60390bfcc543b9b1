"""Sweep specs: validation (bad specs exit 2 with one line and write nothing), designs and seeds."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]

from ailoop.runs.spec import SpecError, build_design, load_spec, parse_spec  # noqa: E402
from ailoop.runs.sweep_cli import main  # noqa: E402

ISSUE_SHAPE = """
scenario = "baseline"
years = 1
seed = 42
replications = 2
design = "grid"          # grid | random | lhs | sobol | morris
samples = 16             # for the sampled designs
[fixed]
# any parameter = value
[vary]
real_demand_growth = [0.1, 0.3, 0.5]
[outputs]
series = ["price.cloud", "market_value_total"]
every = 21
"""

BAD = {
    "unknown_param": ("[vary]\nno_such_param = [1, 2]\n", "no_such_param"),
    "unknown_fixed": ("[fixed]\nalso_not_a_param = 3\n", "also_not_a_param"),
    "out_of_range": ("[vary]\nreal_demand_growth = { min = -5.0, max = 0.5, num = 3 }\n", "real_demand_growth"),
    "out_of_range_list": ("[vary]\nrunway_trigger_months = [6, 999]\n", "runway_trigger_months"),
    "malformed": ("years = \n[vary\n", "malformed TOML"),
    "unknown_design": ('design = "hypercube"\n', "hypercube"),
    "unknown_scenario": ('scenario = "atlantis"\n', "atlantis"),
    "unknown_model": ('model = "nope"\n', "nope"),
    "sobol_not_pow2": ('design = "sobol"\nsamples = 100\n[vary]\nreal_demand_growth = { min = 0.1, max = 0.5 }\n',
                       "power of 2"),
    "grid_range_no_num": ("[vary]\nreal_demand_growth = { min = 0.1, max = 0.5 }\n", "num"),
    "unknown_key": ("desing = 'grid'\n", "desing"),
    "bad_series": ('model = "toy_walk"\n[outputs]\nseries = ["nope_col"]\n', "nope_col"),
    "fixed_and_vary": ("[fixed]\nreal_demand_growth = 0.2\n[vary]\nreal_demand_growth = [0.1]\n", "real_demand_growth"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_spec_exit_2_one_line_nothing_written(case, tmp_path, capsys):
    text, needle = BAD[case]
    spec = tmp_path / "spec.toml"
    spec.write_text(text)
    out = tmp_path / "out"
    rc = main(["sweep", str(spec), "--out", str(out), "--workers", "1"])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.strip().count("\n") == 0, err
    assert needle in err
    assert not out.exists()


def test_bad_spec_real_process_and_existing_empty_out(tmp_path):
    """Through a real interpreter: exit status 2, one stderr line, an existing empty --out stays empty."""
    spec = tmp_path / "spec.toml"
    spec.write_text('design = "nonsense"\n')
    out = tmp_path / "out"
    out.mkdir()
    env = dict(os.environ)
    p = subprocess.run([sys.executable, "-m", "ailoop.runs.sweep_cli", "sweep", str(spec), "--out", str(out)],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert p.returncode == 2
    assert p.stderr.strip().count("\n") == 0 and "nonsense" in p.stderr
    assert list(out.iterdir()) == []


def test_missing_spec_file(tmp_path, capsys):
    rc = main(["sweep", str(tmp_path / "nope.toml"), "--out", str(tmp_path / "o")])
    assert rc == 2 and "nope.toml" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_issue_shape_parses():
    spec = parse_spec(ISSUE_SHAPE)
    d = build_design(spec)
    assert spec.model == "ailoop" and spec.design == "grid" and spec.every == 21
    assert d.n_points == 3 and d.n_runs == 6
    assert [d.point(i)["real_demand_growth"] for i in range(3)] == [0.1, 0.3, 0.5]


def test_example_specs_parse():
    for path in sorted((ROOT / "runs" / "specs").glob("*.toml")):
        spec = load_spec(path)
        assert build_design(spec).n_runs >= 1, path


def test_phase_spec_varies_the_two_axes():
    spec = load_spec(ROOT / "runs" / "specs" / "phase_diagram.toml")
    assert spec.design == "grid" and spec.names == ["real_demand_growth", "runway_trigger_months"]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=0, max_size=3))
def test_grid_order_is_cartesian_product_last_fastest(sizes):
    names = ["x1", "x2", "x3"][: len(sizes)]
    vary = "\n".join(f"{n} = {[round(0.1 * k, 1) for k in range(s)]}" for n, s in zip(names, sizes))
    d = build_design(parse_spec(f'model = "ishigami"\n[vary]\n{vary}\n'))
    expect = list(itertools.product(*[[round(0.1 * k, 1) for k in range(s)] for s in sizes]))
    assert [tuple(d.point(i).values()) for i in range(d.n_points)] == expect


def test_seeds_deterministic_distinct_and_common_mode():
    text = 'model = "toy_walk"\nseed = 42\nreplications = 3\n[vary]\ndrift = [0.0, 0.1, 0.2, 0.3]\n'
    d1, d2 = build_design(parse_spec(text)), build_design(parse_spec(text))
    seeds = [d1.seed(p, r) for p in range(4) for r in range(3)]
    assert seeds == [d2.seed(p, r) for p in range(4) for r in range(3)]
    assert len(set(seeds)) == 12 and all(0 <= s < 2**63 for s in seeds)
    assert d1.seed(0, 0) == int(np.random.SeedSequence(42, spawn_key=(0, 0)).generate_state(1, np.uint64)[0] >> 1)
    common = build_design(parse_spec(text.replace("seed = 42", 'seed = 42\nseeds = "common"')))
    assert common.seed(0, 1) == common.seed(3, 1) != common.seed(3, 2)
    assert build_design(parse_spec(text.replace("42", "43"))).seed(0, 0) != d1.seed(0, 0)


def test_sobol_design_is_salib_matrix_in_order():
    from SALib.sample import sobol

    spec = parse_spec('model = "ishigami"\ndesign = "sobol"\nsamples = 8\nseed = 3\n'
                      "[vary]\nx1 = { min = -3.0, max = 3.0 }\nx2 = { min = -1.0, max = 2.0 }\n")
    d = build_design(spec)
    ref = sobol.sample(d.problem, 8, calc_second_order=False, scramble=True, seed=3)
    assert d.n_points == 8 * 4
    np.testing.assert_array_equal(d.raw, ref)
    assert d.point(5) == {"x1": ref[5, 0], "x2": ref[5, 1]}


@pytest.mark.parametrize("design", ["random", "lhs", "morris"])
def test_sampled_designs_stay_in_range_and_are_deterministic(design):
    text = (f'model = "toy_walk"\ndesign = "{design}"\nsamples = 6\nseed = 1\n'
            "[vary]\ndrift = { min = -0.5, max = 0.5 }\nvol = [0.1, 0.2, 0.4]\n")
    d, d2 = build_design(parse_spec(text)), build_design(parse_spec(text))
    pts = [d.point(i) for i in range(d.n_points)]
    assert pts == [d2.point(i) for i in range(d.n_points)]
    assert all(-0.5 <= p["drift"] <= 0.5 and p["vol"] in (0.1, 0.2, 0.4) for p in pts)
    assert len({p["drift"] for p in pts}) > 1


def test_resume_refuses_a_different_spec(tmp_path, capsys):
    a = tmp_path / "a.toml"
    a.write_text('model = "ishigami"\n[vary]\nx1 = [0.0, 1.0]\n')
    out = tmp_path / "out"
    assert main(["sweep", str(a), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    assert main(["sweep", str(a), "--out", str(out), "--workers", "1", "--no-progress"]) == 2  # exists, no --resume
    a.write_text('model = "ishigami"\n[vary]\nx1 = [0.0, 2.0]\n')
    capsys.readouterr()
    assert main(["sweep", str(a), "--out", str(out), "--resume", "--no-progress"]) == 2
    assert "different spec" in capsys.readouterr().err


def test_spec_error_is_one_line():
    with pytest.raises(SpecError) as e:
        parse_spec("design = 'lhs'\nsamples = 4\n[vary]\nreal_demand_growth = { min = 0.1, max = 9.0 }\n")
    assert "\n" not in str(e.value) and "real_demand_growth" in str(e.value)
