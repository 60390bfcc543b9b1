"""A Chromium for the classroom app's browser tests: found where one is, installed where none is.

The browser tests (``tests/test_app_browser.py``) and the app benchmark drive a real Chromium with
Playwright (from PyPI). :func:`find` looks, in this order, and writes nothing:

1. ``$CHROMIUM``, if set: the browser to use, as given (a path, or a name on ``$PATH``); if it
   names no executable file that is an error, not a reason to look elsewhere;
2. a system Chromium: ``chromium``, ``chromium-browser``, ``google-chrome`` or
   ``google-chrome-stable`` on ``$PATH``, else in ``/usr/bin``;
3. the Chromium Playwright downloaded earlier (``python -m playwright install chromium``), if it
   is there.

:func:`ensure` returns what :func:`find` finds, or installs one and finds it: Debian's package
(``apt-get install -y chromium``) where ``apt-get`` is available and we run as root, else
Playwright's download (bounded in time: a download host that cannot be reached fails within
seconds). When neither gives a browser it raises :class:`BrowserError` with one line saying what
to do. The README's test command runs it before the suite:

    ailoop app --fetch-assets --browser      # or: python -m ailoop.runs.browser
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: executables that are a Chromium the tests can drive, in the order they are looked for
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: where a system browser is looked for when it is not on $PATH
SYSTEM_DIRS = ("/usr/bin",)
HINT = "install chromium (apt-get install chromium) or set CHROMIUM=/path/to/chrome"

#: Debian's package, quietly; ``apt-get update`` only if the install fails on stale package lists
APT_INSTALL = ("install", "-y", "-qq", "chromium")
APT_UPDATE = ("update", "-qq")
APT_TIMEOUT_S = 900.0

#: Playwright's own download (Chrome for Testing, about 170 MB plus its headless shell)
PLAYWRIGHT_INSTALL = (sys.executable, "-m", "playwright", "install", "chromium")
PLAYWRIGHT_TIMEOUT_S = 600.0  # the whole download
PLAYWRIGHT_CONNECT_TIMEOUT_MS = "10000"  # each connection attempt (Playwright retries a few times)
#: prints where Playwright keeps its Chromium (whether or not it is there); a subprocess, so that
#: it also works inside a running ``sync_playwright()``
PLAYWRIGHT_LOOKUP = (sys.executable, "-c", "from playwright.sync_api import sync_playwright\n"
                     "with sync_playwright() as p: print(p.chromium.executable_path)")
LOOKUP_TIMEOUT_S = 60.0


class BrowserError(RuntimeError):
    """No usable Chromium; the message is one line saying what to do."""


@dataclass(frozen=True)
class Found:
    path: str
    source: str  # "$CHROMIUM", "system" or "Playwright's"


def _executable(path: str | os.PathLike) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def playwright_chromium() -> str | None:
    """The Chromium Playwright installed earlier, or None (not installed, or Playwright absent)."""
    try:
        out = subprocess.run(PLAYWRIGHT_LOOKUP, capture_output=True, text=True, timeout=LOOKUP_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired):
        return None
    path = out.stdout.strip().splitlines()[-1] if out.returncode == 0 and out.stdout.strip() else ""
    return path if path and _executable(path) else None


def find() -> Found | None:
    """The Chromium to use, or None; raises :class:`BrowserError` if ``$CHROMIUM`` names none."""
    given = os.environ.get("CHROMIUM", "").strip()
    if given:
        path = given if os.sep in given else (shutil.which(given) or given)
        path = os.path.expanduser(path)
        if _executable(path):
            return Found(path, "$CHROMIUM")
        raise BrowserError(f"CHROMIUM={given} is not an executable file; allowed: the path of a Chromium "
                           "or Chrome binary, or CHROMIUM unset to look for one")
    for name in NAMES:
        if path := shutil.which(name):
            return Found(path, "system")
    for folder in SYSTEM_DIRS:
        for name in NAMES:
            if _executable(Path(folder) / name):
                return Found(str(Path(folder) / name), "system")
    if path := playwright_chromium():
        return Found(path, "Playwright's")
    return None


def _why(out: subprocess.CompletedProcess, marker: str) -> str:
    """One short line from a failed command's output: its first line starting with ``marker``, else its last."""
    lines = [ln.strip() for ln in (out.stderr or "").splitlines() + (out.stdout or "").splitlines() if ln.strip()]
    picked = next((ln for ln in lines if ln.startswith(marker)), lines[-1] if lines else f"exit code {out.returncode}")
    return picked[:120]


def _run(cmd, timeout: float, env: dict | None = None) -> subprocess.CompletedProcess | str:
    """The finished command, or why it could not run (a string)."""
    try:
        return subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return f"gave up after {timeout:g} s"
    except OSError as e:
        return str(e)


def install_with_apt(log=print) -> str | None:
    """Install Debian's chromium; None if apt-get succeeded, else why it was not or could not be."""
    apt = shutil.which("apt-get")
    if apt is None:
        return "not available"
    if os.geteuid() != 0:
        return "not run as root"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log("no Chromium found; installing Debian's: apt-get install -y chromium")
    out = _run((apt, *APT_INSTALL), APT_TIMEOUT_S, env)
    if not isinstance(out, str) and out.returncode != 0:  # often stale package lists: refresh, once
        update = _run((apt, *APT_UPDATE), APT_TIMEOUT_S, env)
        if isinstance(update, str) or update.returncode != 0:
            return f"apt-get update: {update if isinstance(update, str) else _why(update, 'E:')}"
        out = _run((apt, *APT_INSTALL), APT_TIMEOUT_S, env)
    if isinstance(out, str):
        return out
    return None if out.returncode == 0 else _why(out, "E:")


def install_with_playwright(log=print) -> str | None:
    """Download Playwright's Chromium; None if that succeeded, else why not."""
    env = dict(os.environ)
    env.setdefault("PLAYWRIGHT_DOWNLOAD_CONNECTION_TIMEOUT", PLAYWRIGHT_CONNECT_TIMEOUT_MS)
    log("no Chromium found; downloading Playwright's: python -m playwright install chromium")
    out = _run(PLAYWRIGHT_INSTALL, PLAYWRIGHT_TIMEOUT_S, env)
    if isinstance(out, str):
        return out
    return None if out.returncode == 0 else _why(out, "Error:")


def ensure(log=print) -> Found:
    """A Chromium: the one :func:`find` finds, else one installed now (apt-get as root, else Playwright's)."""
    found = find()
    if found is not None:
        return found
    reasons = []
    for name, install in (("apt-get", install_with_apt), ("playwright install", install_with_playwright)):
        reason = install(log)
        if reason is None:
            if (found := find()) is not None:
                return found
            reason = "finished, yet no Chromium is where it was looked for"
        reasons.append(f"{name}: {reason}")
    raise BrowserError(f"no Chromium found and none could be installed ({'; '.join(reasons)}): {HINT}")


def main() -> int:
    try:
        found = ensure()
    except BrowserError as e:
        print(f"ailoop: error: {e}", file=sys.stderr)
        return 2
    print(f"Chromium for the browser tests: {found.path} ({found.source})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
