"""Serve the classroom app (``model/app.py``) on this machine, with nothing leaving it.

``solara run ailoop.model.app`` with the settings that keep every request local (each was found
by watching a proxy that records outbound traffic; ``tests/test_app_browser.py`` keeps checking):

* ``--production``: minified bundles, and no check iframe to the solara website in the browser;
* ``--no-check-version``: no look-up of the newest solara on PyPI at start;
* ``--no-open``: no browser started by the server; ``--host 127.0.0.1``: loopback only;
* ``SOLARA_ASSETS_PROXY_CACHE_DIR``: the JavaScript comes from the local cache
  (``runs/app_assets.py``), and ``SOLARA_ASSETS_CDN`` points at a closed local port, so a file
  missing from the cache fails here instead of being downloaded;
* ``SOLARA_TELEMETRY_MIXPANEL_ENABLE=false``: no telemetry at start;
* ``SOLARA_THEME_SHOW_BANNER=false``: no "runs on Solara" badge over the charts' corner;
* ``SOLARA_KERNEL_CULL_TIMEOUT``: a closed tab's economy is freed after 5 minutes (default 24 h);
  its address still rebuilds it (``model/classroom/recipe.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

APP_MODULE = "ailoop.model.app"
DEFAULT_PORT = 8765
#: a closed port: a cache miss fails locally instead of reaching a CDN
NO_CDN = "http://127.0.0.1:9/"


def solara_executable() -> str:
    """The ``solara`` script of this Python (the venv's), else the one on PATH."""
    here = Path(sys.executable).parent / "solara"
    if here.exists():
        return str(here)
    found = shutil.which("solara")
    if found is None:
        raise RuntimeError("solara is not installed: pip install -e '.[app]'")
    return found


def server_command(port: int = DEFAULT_PORT, host: str = "127.0.0.1") -> list[str]:
    return [solara_executable(), "run", APP_MODULE, "--production", "--no-open", "--no-check-version",
            "--host", host, "--port", str(port)]


def server_env(assets: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env.update(SOLARA_ASSETS_PROXY_CACHE_DIR=str(assets), SOLARA_ASSETS_CDN=NO_CDN,
               SOLARA_TELEMETRY_MIXPANEL_ENABLE="false", SOLARA_THEME_SHOW_BANNER="false")
    env.setdefault("SOLARA_KERNEL_CULL_TIMEOUT", "5m")
    return env


def start(port: int, assets: Path, *, env: dict[str, str] | None = None, log=None, timeout: float = 90.0):
    """Start the server in the background and wait until it answers; returns ``(process, seconds)``.
    Raises RuntimeError if it exits or does not answer within ``timeout`` seconds."""
    t0 = time.monotonic()
    proc = subprocess.Popen(server_command(port), env=server_env(assets, env), stdout=log or subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the app server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                r.read()
            return proc, time.monotonic() - t0
        except OSError:
            if time.monotonic() - t0 > timeout:
                stop(proc)
                raise RuntimeError(f"the app server did not answer on {url} within {timeout:.0f} s") from None
            time.sleep(0.1)


def stop(proc) -> None:
    """Terminate the server (kill it after 10 s)."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
