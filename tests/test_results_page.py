"""The results page: ``benchmarks/results.py`` writes it whole, and ``docs/results.md`` is what it wrote.

A smoke run of one cheap section (``--quick --only bounds``) into a temporary file checks the
page's structure — the generated-page header, the section, each command with its seeds, the
script's output copied verbatim (compared with the same script run directly) — and that a
partial page is refused over ``docs/results.md``, an unknown section is refused with the allowed
ones, and a failing command leaves nothing written. The committed page is checked against the
script's sections: every command it names is a script that exists (or a real ``ailoop``
subcommand) and is the command ``results.py`` runs for that section.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "results.py"
PAGE = ROOT / "docs" / "results.md"


def _results_module():
    spec = importlib.util.spec_from_file_location("results_page_script", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


results = _results_module()


@pytest.fixture(autouse=True)
def _cache_elsewhere(tmp_path, monkeypatch):
    """The tests keep their finished sections in a temporary folder, not the repository's outputs/."""
    monkeypatch.setattr(results, "CACHE", tmp_path / "results_cache")
    monkeypatch.setenv("AILOOP_RESULTS_CACHE", str(tmp_path / "results_cache"))


def _run(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def _text_blocks(section_text: str) -> list[str]:
    return re.findall(r"```text\n(.*?)\n```", section_text, flags=re.S)


def test_quick_bounds_section_structure_and_verbatim_output(tmp_path):
    out = tmp_path / "page.md"
    proc = _run("--quick", "--only", "bounds", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    assert text.startswith("# Results\n")
    assert results.HEADER in text
    assert "A partial page (`python benchmarks/results.py --quick --only bounds --out" in text
    assert '<a id="bounds"></a>\n## Is the baseline\'s market bounded?' in text
    assert "## Daily returns" not in text and '<a id="spiral">' not in text  # only the chosen section
    # the quick command, with its seeds stated, and the full-only command named as not run
    assert re.search(r"`python benchmarks/market_bounds\.py --seeds 1-2 --rows` — seeds 1–2; ran in [\d.]+ s\.",
                     text)
    assert "`python benchmarks/market_bounds.py --seeds 101-120 --rows` — not run with `--quick`." in text
    # the output is the script's own, run directly: a per-seed table with one row per seed
    blocks = _text_blocks(text)
    assert len(blocks) == 1
    direct = subprocess.run([sys.executable, "benchmarks/market_bounds.py", "--seeds", "1-2", "--rows"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    assert blocks[0] == "\n".join(line.rstrip() for line in direct.rstrip("\n").split("\n"))
    lines = blocks[0].split("\n")
    assert lines[0].split()[:3] == ["seed", "peak", "peak_date"]
    assert [line.split()[0] for line in lines[1:3]] == ["1", "2"]
    assert "seeds 1-2 (2 runs)" in blocks[0]


def test_partial_page_is_refused_over_the_results_page():
    before = PAGE.read_bytes() if PAGE.exists() else None
    for args in (("--quick",), ("--only", "bounds"), ("--quick", "--out", str(PAGE))):
        proc = _run(*args, timeout=60)
        assert proc.returncode == 2
        assert "docs/results.md is written whole" in proc.stderr.strip().splitlines()[-1]
    assert (PAGE.read_bytes() if PAGE.exists() else None) == before


def test_unknown_section_is_refused_with_the_allowed_ones(tmp_path):
    proc = _run("--only", "bounds,nosuch", "--out", str(tmp_path / "p.md"), timeout=60)
    assert proc.returncode == 2
    last = proc.stderr.strip().splitlines()[-1]
    assert "unknown section nosuch" in last and "allowed: calibration,stylized,bounds" in last
    assert not (tmp_path / "p.md").exists()


def test_a_failing_command_writes_nothing(tmp_path, monkeypatch, capsys):
    ok = results.Command(("python", "-c", "print('| a |\\n|---|\\n| 1 |')"), "no seeds")
    bad = results.Command(("python", "-c", "import sys; sys.exit('broken on purpose')"), "no seeds")
    sections = (results.Section("good", "Good", "Fine.", (ok,)), results.Section("bad", "Bad", "Fails.", (ok, bad)))
    monkeypatch.setattr(results, "SECTIONS", sections)
    monkeypatch.setattr(results, "SECTION_KEYS", ("good", "bad"))
    out = tmp_path / "page.md"
    assert results.main(["--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("results.py: section 'bad':") and "status 1" in err and "nothing written" in err
    assert not out.exists() and not (tmp_path / "img").exists()
    # the same sections without the failing command write a page with the table rendered as a table
    monkeypatch.setattr(results, "SECTIONS", sections[:1])
    monkeypatch.setattr(results, "SECTION_KEYS", ("good",))
    assert results.main(["--out", str(out)]) == 0
    assert "\n| a |\n|---|\n| 1 |\n" in out.read_text()


def test_explanations_hold_no_figure():
    """Every number on the page comes from a run: the fixed text holds no digit but the S&P 500's name."""
    for s in results.SECTIONS:
        assert not re.search(r"\d", s.explanation.replace("S&P 500", "")), s.key
        assert not re.search(r"\d", s.title.replace("S&P 500", "")), s.key
        for c in s.commands:  # a command that takes seeds states them
            if any(a.startswith("--seed") or a.startswith("--first-seed") for a in c.argv):
                assert c.seeds.startswith("seed"), (s.key, c.seeds)


def test_a_missing_requirement_is_named_not_run(tmp_path, monkeypatch):
    ok = results.Command(("python", "-c", "print('fine')"), "no seeds")
    needs_app = results.Command(("python", "-c", "print('never')"), "no seeds", requires=("app",))
    monkeypatch.setattr(results, "SECTIONS", (results.Section("s", "S", "Text.", (ok, needs_app)),))
    monkeypatch.setattr(results, "SECTION_KEYS", ("s",))
    monkeypatch.setattr(results.shutil, "which", lambda name: None)  # as if Chromium were not installed
    out = tmp_path / "page.md"
    assert results.main(["--out", str(out)]) == 0
    text = out.read_text()
    assert "```text\nfine\n```" in text and "```text\nnever" not in text
    assert "— not run here: Chromium is not installed (apt-get install chromium)" in text


def test_blocks_keeps_tables_and_text_apart():
    md = results.blocks("title line\n| x | y |\n|---|---|\n| 1 | 2 |\n\nafter  \n")
    assert md == ["```text\ntitle line\n```", "| x | y |\n|---|---|\n| 1 | 2 |", "```text\nafter\n```"]


def test_the_results_page_names_existing_scripts_and_the_scripts_commands():
    text = PAGE.read_text()
    assert text.startswith("# Results\n")
    assert results.HEADER in text
    assert "A partial page" not in text
    subcommands = {"run", "scenarios", "params", "app", "sweep", "query", "sensitivity", "plot-phase", "discover",
                   "envelope"}
    named = re.findall(r"`python (benchmarks/[\w./-]+\.py)", text)
    assert "benchmarks/results.py" in named
    for script in named:
        assert (ROOT / script).is_file(), script
    for sub in re.findall(r"`ailoop ([\w-]+)", text):
        assert sub in subcommands, sub
    for s in results.SECTIONS:
        assert f'<a id="{s.key}"></a>\n## {s.title}\n\n{s.explanation}' in text, s.key
        part = text.split(f'<a id="{s.key}"></a>')[1].split("<a id=")[0]
        if "\n\nNot run here: " in part:
            continue
        for c in s.commands:
            ran = f"`{results.shown(c.argv)}` — {c.seeds}; ran in " in part
            assert ran or f"`{results.shown(c.argv)}` — not run here: " in part, (s.key, c.argv)
            assert ran or c.requires, (s.key, c.argv)  # only a command with a requirement may be left out


@pytest.mark.parametrize("img", ["spiral_music_stops_seed2.png", "cascade_map_lab_default.png"])
def test_the_results_page_figures_exist(img):
    assert f"](img/{img})" in PAGE.read_text()
    assert (ROOT / "docs" / "img" / img).is_file()


def test_resume_reuses_the_finished_sections_of_the_same_sources_only(tmp_path, monkeypatch):
    """Each command prints a fresh random number, so a section's number tells whether it ran again.
    A run that fails in its last section keeps the one it finished; ``--resume`` then reuses it
    (the same number) and runs the rest; the timed section is never reused; without ``--resume``,
    or with other sources (another fingerprint), everything runs again."""
    draw = results.Command(("python", "-c", "import random; print(random.random())"), "no seeds")
    bad = results.Command(("python", "-c", "import sys; sys.exit('broken on purpose')"), "no seeds")
    first = results.Section("a", "A", "Text.", (draw,))
    timed = results.Section("t", "T", "Timed.", (draw,), reusable=False)
    monkeypatch.setattr(results, "SECTION_KEYS", ("a", "t"))

    def numbers(path: Path) -> list[float]:
        return [float(x) for x in re.findall(r"```text\n(0\.\d+)\n```", path.read_text())]

    out = tmp_path / "page.md"
    monkeypatch.setattr(results, "SECTIONS", (first, results.Section("t", "T", "Timed.", (bad,), reusable=False)))
    assert results.main(["--out", str(out)]) == 1 and not out.exists()
    kept = list((tmp_path / "results_cache").iterdir())
    assert len(kept) == 1  # the finished section, not the failed one
    a0 = float(re.search(r"```text\n(0\.\d+)\n```", (kept[0] / "section.md").read_text()).group(1))

    monkeypatch.setattr(results, "SECTIONS", (first, timed))
    assert results.main(["--out", str(out), "--resume"]) == 0
    a1, t1 = numbers(out)
    assert a1 == a0  # reused
    assert "1 of 2 sections were reused" in out.read_text()
    assert results.main(["--out", str(out), "--resume"]) == 0
    a2, t2 = numbers(out)
    assert a2 == a0 and t2 != t1  # the timed section ran again
    assert results.main(["--out", str(out)]) == 0
    a3, _ = numbers(out)
    assert a3 != a0 and "were reused" not in out.read_text()  # no --resume: all run
    monkeypatch.setattr(results, "fingerprint", lambda: "other sources")
    assert results.main(["--out", str(out), "--resume"]) == 0
    a4, _ = numbers(out)
    assert a4 not in (a0, a3)  # kept sections of other sources are not reused


def test_the_page_names_the_commit_it_was_generated_from(tmp_path):
    out = tmp_path / "page.md"
    ok = results.Command(("python", "-c", "print('fine')"), "no seeds")
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    import unittest.mock as mock
    with mock.patch.object(results, "SECTIONS", (results.Section("s", "S", "Text.", (ok,)),)), \
            mock.patch.object(results, "SECTION_KEYS", ("s",)):
        assert results.main(["--out", str(out)]) == 0
    assert f"from commit {head.stdout.strip()}" in out.read_text()
