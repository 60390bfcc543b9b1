"""The project installs as one package, ``ailoop``: a wheel puts nothing else into site-packages,
and the installed command runs the model away from the source tree."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out)], check=True, capture_output=True, text=True)
    (whl,) = out.glob("ailoop-*.whl")
    return whl


def test_the_wheel_holds_only_the_ailoop_package(wheel):
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert tops == {"ailoop", wheel.name.split("-py")[0].replace(".whl", "") + ".dist-info"}
    names = zipfile.ZipFile(wheel).namelist()
    for sub in ("ailoop/model/economy.py", "ailoop/agents/lab.py", "ailoop/runs/cli.py", "ailoop/model/contracts/base.py",
                "ailoop/runs/specs/phase_diagram.toml"):
        assert sub in names
    assert not any(n.startswith(("ailoop/tests/", "ailoop/benchmarks/", "ailoop/notebooks/")) for n in names)


def test_installed_into_a_fresh_venv_it_adds_only_ailoop_and_runs_a_month(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    before = set(p.name for p in site.iterdir())
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True,
                   capture_output=True, text=True)
    added = set(p.name for p in site.iterdir()) - before
    assert {a for a in added if a != "__pycache__"} == {"ailoop", wheel.name.split("-py")[0] + ".dist-info"}
    # the dependencies come from this environment's site-packages (a path entry: its .pth files,
    # such as the editable install of the source tree, are not processed)
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    out = tmp_path / "run"
    proc = subprocess.run([str(venv / "bin" / "ailoop"), "run", "--years", "0.0834", "--seed", "2", "--no-plots",
                           "--out", str(out)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (out / "model.parquet").is_file() and (out / "summary.json").is_file()
    where = subprocess.run([str(py), "-c", "import ailoop.model, sys; print(ailoop.model.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(site)), where  # the installed copy, not the source tree
