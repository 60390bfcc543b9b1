"""The browser tests' Chromium: found, or installed, or one line saying what to do (``runs/browser.py``).

Every test builds its own world in a temporary folder: a ``$PATH`` holding only what the test puts
there, a stand-in for ``/usr/bin``, and stand-ins for the installers - an ``apt-get`` script and a
``playwright install`` script that log how they were called and "install" a browser by creating an
executable file where the real ones would put it (or fail the way the real ones do). Nothing is
installed and nothing leaves the machine. The command line (``ailoop app --browser``) is driven
through ``ailoop.runs.cli.main``.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pytest

from ailoop.runs import browser, cli

ROOT = Path(__file__).resolve().parents[1]
HINT = "install chromium (apt-get install chromium) or set CHROMIUM=/path/to/chrome"


def executable(path: Path, body: str = "") -> Path:
    """A Python script at ``path``, executable (a fake browser when ``body`` is empty)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!{sys.executable}\nimport os, pathlib, sys, time\n{body}\n")
    path.chmod(0o755)
    return path


class World:
    """A temporary machine: PATH, /usr/bin, Playwright's browser folder, and the installers' logs."""

    def __init__(self, tmp: Path, monkeypatch) -> None:
        self.tmp, self.mp = tmp, monkeypatch
        self.bin, self.usr_bin = tmp / "bin", tmp / "usr-bin"
        self.bin.mkdir()
        self.usr_bin.mkdir()
        self.pw_chrome = tmp / "ms-playwright" / "chromium-1" / "chrome-linux64" / "chrome"
        self.apt_log, self.pw_log = tmp / "apt.log", tmp / "playwright.log"
        monkeypatch.delenv("CHROMIUM", raising=False)
        monkeypatch.setenv("PATH", str(self.bin))
        monkeypatch.setattr(browser, "SYSTEM_DIRS", (str(self.usr_bin),))
        # Playwright prints where its Chromium goes whether or not it is there, as the real lookup does
        lookup = executable(tmp / "pw-lookup", f"print({str(self.pw_chrome)!r})")
        monkeypatch.setattr(browser, "PLAYWRIGHT_LOOKUP", (str(lookup),))
        self.root(False)
        self.playwright_install("fail")

    def root(self, yes: bool) -> None:
        self.mp.setattr(os, "geteuid", lambda: 0 if yes else 1000)

    def apt_get(self, install_works_after_update: bool) -> None:
        """A fake apt-get on PATH: ``install`` fails on stale lists until ``update`` ran (if it ever helps)."""
        marker = self.tmp / "apt-updated"
        executable(self.bin / "apt-get", f"""
with open({str(self.apt_log)!r}, "a") as f:
    f.write(" ".join(sys.argv[1:]) + " DEBIAN_FRONTEND=" + os.environ.get("DEBIAN_FRONTEND", "") + "\\n")
if sys.argv[1] == "update":
    pathlib.Path({str(marker)!r}).touch()
    sys.exit(0)
if {install_works_after_update!r} and pathlib.Path({str(marker)!r}).exists():
    p = pathlib.Path({str(self.usr_bin / "chromium")!r})
    p.write_text("#!/bin/sh\\n")
    p.chmod(0o755)
    sys.exit(0)
print("E: Unable to locate package chromium", file=sys.stderr)
sys.exit(100)
""")

    def playwright_install(self, how: str) -> None:
        """A fake ``playwright install chromium``: "fail" (as with no network), "ok", "silent-ok" or "hang"."""
        body = {
            "fail": 'print("Error: getaddrinfo ENOTFOUND cdn.playwright.dev", file=sys.stderr); sys.exit(1)',
            "ok": f'p = pathlib.Path({str(self.pw_chrome)!r}); p.parent.mkdir(parents=True); '
                  f'p.write_text("#!/bin/sh\\n"); p.chmod(0o755)',
            "silent-ok": "pass",
            "hang": "time.sleep(60)",
        }[how]
        script = executable(self.tmp / "pw-install", f"open({str(self.pw_log)!r}, 'a').write('install\\n')\n{body}")
        self.mp.setattr(browser, "PLAYWRIGHT_INSTALL", (str(script),))

    def calls(self, log: Path) -> list[str]:
        return log.read_text().splitlines() if log.exists() else []


@pytest.fixture
def world(tmp_path, monkeypatch):
    return World(tmp_path, monkeypatch)


def run_cli(capsys, *args: str) -> tuple[int, list[str], list[str]]:
    code = cli.main(["app", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


# --------------------------------------------------------------------------------- finding
def test_chromium_env_wins_over_system_and_playwright(world, monkeypatch, capsys):
    executable(world.bin / "chromium")
    executable(world.usr_bin / "chromium")
    executable(world.pw_chrome)
    mine = executable(world.tmp / "my" / "chrome")
    monkeypatch.setenv("CHROMIUM", str(mine))
    assert browser.find() == browser.Found(str(mine), "$CHROMIUM")
    code, out, err = run_cli(capsys, "--browser")
    assert (code, err) == (0, [])
    assert out == [f"Chromium for the browser tests: {mine} ($CHROMIUM)"]
    assert world.calls(world.apt_log) == world.calls(world.pw_log) == []


def test_chromium_env_may_name_a_program_on_path(world, monkeypatch):
    chrome = executable(world.bin / "my-chrome")
    monkeypatch.setenv("CHROMIUM", "my-chrome")
    assert browser.find() == browser.Found(str(chrome), "$CHROMIUM")


def test_chromium_env_naming_nothing_is_an_error_not_a_reason_to_install(world, monkeypatch, capsys):
    executable(world.usr_bin / "chromium")  # there, but $CHROMIUM asked for another
    world.root(True)
    world.apt_get(install_works_after_update=True)
    monkeypatch.setenv("CHROMIUM", str(world.tmp / "nowhere" / "chrome"))
    code, out, err = run_cli(capsys, "--browser")
    assert code == 2 and out == []
    assert err == [f"ailoop: error: CHROMIUM={world.tmp / 'nowhere' / 'chrome'} is not an executable file; "
                   "allowed: the path of a Chromium or Chrome binary, or CHROMIUM unset to look for one"]
    assert world.calls(world.apt_log) == world.calls(world.pw_log) == []


def test_a_system_chromium_on_path_is_found(world):
    path = executable(world.bin / "chromium-browser")
    assert browser.find() == browser.Found(str(path), "system")


def test_a_file_that_is_not_executable_is_not_a_browser(world, monkeypatch):
    (world.bin / "chromium").write_text("not a program")  # mode 644
    (world.usr_bin / "chromium").write_text("not a program")
    assert browser.find() is None
    chrome = executable(world.usr_bin / "google-chrome")
    assert browser.find() == browser.Found(str(chrome), "system")
    monkeypatch.setenv("CHROMIUM", str(world.usr_bin / "chromium"))
    with pytest.raises(browser.BrowserError, match="is not an executable file"):
        browser.find()


def test_chromium_is_preferred_to_chrome_and_path_to_usr_bin(world):
    executable(world.bin / "google-chrome")
    executable(world.usr_bin / "chromium")
    assert browser.find().path == str(world.bin / "google-chrome")  # PATH first, whatever the name
    (world.bin / "google-chrome").unlink()
    assert browser.find().path == str(world.usr_bin / "chromium")  # then /usr/bin
    executable(world.bin / "chromium")
    executable(world.bin / "google-chrome")
    assert browser.find().path == str(world.bin / "chromium")  # chromium before chrome


def test_playwrights_own_chromium_is_used_when_it_was_downloaded(world):
    assert browser.find() is None  # the lookup names a path, but nothing is there
    executable(world.pw_chrome)
    assert browser.find() == browser.Found(str(world.pw_chrome), "Playwright's")


def test_looking_writes_nothing(world):
    before = sorted(p for p in world.tmp.rglob("*"))
    assert browser.find() is None
    assert sorted(p for p in world.tmp.rglob("*")) == before


# ------------------------------------------------------------------------------- installing
def test_as_root_with_apt_get_debians_chromium_is_installed(world, capsys):
    world.root(True)
    world.apt_get(install_works_after_update=True)
    code, out, err = run_cli(capsys, "--browser")
    assert (code, err) == (0, [])
    assert out[-1] == f"Chromium for the browser tests: {world.usr_bin / 'chromium'} (system)"
    # install first; the lists were stale, so update once and install again
    assert world.calls(world.apt_log) == ["install -y -qq chromium DEBIAN_FRONTEND=noninteractive",
                                          "update -qq DEBIAN_FRONTEND=noninteractive",
                                          "install -y -qq chromium DEBIAN_FRONTEND=noninteractive"]
    assert world.calls(world.pw_log) == []


def test_when_apt_get_fails_playwrights_download_is_tried(world):
    world.root(True)
    world.apt_get(install_works_after_update=False)
    world.playwright_install("ok")
    assert browser.ensure(log=lambda _: None) == browser.Found(str(world.pw_chrome), "Playwright's")
    assert len(world.calls(world.apt_log)) == 3 and world.calls(world.pw_log) == ["install"]


def test_not_root_skips_apt_get_and_downloads_playwrights(world):
    world.apt_get(install_works_after_update=True)
    world.playwright_install("ok")
    assert browser.ensure(log=lambda _: None).source == "Playwright's"
    assert world.calls(world.apt_log) == []


def test_nothing_found_and_nothing_installable_is_one_line_and_a_failure(world, capsys):
    world.apt_get(install_works_after_update=True)  # there, but we are not root
    code, out, err = run_cli(capsys, "--browser")
    assert code == 2
    assert err == ["ailoop: error: no Chromium found and none could be installed (apt-get: not run as root; "
                   "playwright install: Error: getaddrinfo ENOTFOUND cdn.playwright.dev): " + HINT]
    assert world.calls(world.apt_log) == [] and world.calls(world.pw_log) == ["install"]
    assert not any("Chromium for the browser tests" in line for line in out)


def test_without_apt_get_the_message_says_so(world):
    with pytest.raises(browser.BrowserError, match=r"\(apt-get: not available; playwright install: "):
        browser.ensure(log=lambda _: None)


def test_an_installer_that_succeeds_without_a_browser_is_not_believed(world):
    world.playwright_install("silent-ok")
    with pytest.raises(browser.BrowserError, match="playwright install: finished, yet no Chromium"):
        browser.ensure(log=lambda _: None)


def test_an_unreachable_download_gives_up_within_its_time_limit(world, monkeypatch):
    world.playwright_install("hang")  # sleeps 60 s
    monkeypatch.setattr(browser, "PLAYWRIGHT_TIMEOUT_S", 1.0)
    t0 = time.monotonic()
    with pytest.raises(browser.BrowserError, match=r"playwright install: gave up after 1 s\)"):
        browser.ensure(log=lambda _: None)
    assert time.monotonic() - t0 < 15


def test_the_module_entry_point_is_the_same_step(world, capsys):
    executable(world.usr_bin / "chromium")
    assert browser.main() == 0
    assert capsys.readouterr().out == f"Chromium for the browser tests: {world.usr_bin / 'chromium'} (system)\n"
    (world.usr_bin / "chromium").unlink()
    assert browser.main() == 2
    assert len(capsys.readouterr().err.splitlines()) == 1


# ----------------------------------------------------------------- the harness and the commands
def test_the_browser_tests_take_the_found_browser_and_never_install(world, monkeypatch):
    import app_harness

    with pytest.raises(RuntimeError) as e:
        app_harness.chromium_path()
    assert str(e.value) == f"no Chromium found: run `ailoop app --browser` (finds or installs one), or {HINT}"
    assert world.calls(world.apt_log) == world.calls(world.pw_log) == []
    executable(world.pw_chrome)
    assert app_harness.chromium_path() == str(world.pw_chrome)


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", text, re.S)[:2]]


def test_the_readme_test_command_sets_up_the_browser_before_the_suite():
    test_command = readme_commands()[1]
    steps = [s.strip() for s in test_command.split("&&")]
    assert steps.index(".venv/bin/ailoop app --fetch-assets --browser") < steps.index(".venv/bin/python -m pytest")


def test_ci_runs_the_readme_test_command_and_nothing_else():
    lines = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text().splitlines()]
    commands = [ln for ln in lines if ln and not ln.startswith("#") and not ln.startswith(("set ", "cd "))]
    assert commands == [readme_commands()[1]]
