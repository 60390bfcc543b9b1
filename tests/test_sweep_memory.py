"""Memory stays bounded: a 2,000-run sweep with per-step series peaks no higher than a 200-run one."""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import pyarrow.dataset as ds

ROOT = Path(__file__).resolve().parents[1]

from ailoop.runs.spec import parse_spec  # noqa: E402
from ailoop.runs.sweep import run_sweep  # noqa: E402


def _spec(n: int):
    return parse_spec(
        f'model = "toy_walk"\nyears = 1\nseed = 1\ndesign = "random"\nsamples = {n}\n'
        '[vary]\ndrift = { min = -0.5, max = 0.5 }\nvol = { min = 0.0, max = 0.5 }\n'
        '[outputs]\nseries = ["level", "shock"]\nevery = 1\n'
    )


def test_parent_peak_memory_does_not_grow_with_number_of_runs(tmp_path):
    run_sweep(_spec(10), tmp_path / "warm", workers=2, progress=False, echo=None)  # lazy imports, caches
    peaks = {}
    tracemalloc.start()
    try:
        for n in (200, 2000):
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            out = run_sweep(_spec(n), tmp_path / f"n{n}", workers=2, flush_every=100, progress=False, echo=None)
            peaks[n] = tracemalloc.get_traced_memory()[1] - base
            assert out.ok == n
    finally:
        tracemalloc.stop()
    # the data really went through the parent: 2,000 runs x 252 steps of series rows on disk
    assert ds.dataset(tmp_path / "n2000" / "series").count_rows() == 2000 * 252
    # holding all 2,000 runs' series would take > 8 MB (2 columns x 252 steps x 8 bytes x 2,000)
    assert peaks[2000] < 1.5 * peaks[200], peaks
