"""Speed of the classroom app in a real browser (Debian's Chromium, headless, via Playwright).

Prints, against the targets of issue 12:

* the server's start (``ailoop app``'s command until it answers; until the first page is drawn);
* a month of simulated time: click Step at the month stride until the date, the network and the
  last chart show the new month and the browser has painted them (target: under 1 s);
* a 6-year run at the month stride: click Play on a fresh economy until the last trading day is
  drawn (target: under a minute);
* for reference, the server's share of a month: 21 trading days plus the snapshot and the chart
  data, without the browser.

Usage: ``python benchmarks/bench_app.py [N]`` (N month steps to time, default 12). Needs the app's
assets (``ailoop app --fetch-assets``) and ``apt-get install chromium``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from app_harness import STEP_TIMING_JS, free_port, launch  # noqa: E402

from ailoop.model.classroom import charts  # noqa: E402
from ailoop.model.classroom.network import network_option  # noqa: E402
from ailoop.model.classroom.session import Session  # noqa: E402
from ailoop.runs import app_assets, app_server  # noqa: E402


def server_side_month(n: int = 24) -> list[float]:
    """Seconds for a month of the economy plus the views' data, without the browser."""
    s = Session("baseline", 1)
    out = []
    for _ in range(n):
        t = time.perf_counter()
        s.advance(21)
        snap = s.latest
        network_option(snap.network), charts.market_value(snap), charts.promises(snap), charts.gpus(snap)
        charts.who_paid(snap)
        out.append(time.perf_counter() - t)
    return out


def main(n: int = 12) -> None:
    from playwright.sync_api import expect, sync_playwright

    cache = app_assets.assets_dir()
    if app_assets.missing(cache):
        sys.exit(app_assets.missing_message(cache))
    server = server_side_month()
    port = free_port()
    t0 = time.monotonic()
    proc, ready = app_server.start(port, cache)
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1440, "height": 2280})
            page.goto(f"http://127.0.0.1:{port}/")
            expect(page.locator(".ailoop-date")).to_have_text("Date: 2025-09-01", timeout=60_000)
            expect(page.locator(".chart-who-paid canvas")).to_be_visible(timeout=30_000)
            drawn = time.monotonic() - t0
            months = [page.evaluate(STEP_TIMING_JS) / 1000 for _ in range(n)]
            page.get_by_role("button", name="Reset: new economy with these settings").click()
            expect(page.locator(".ailoop-date")).to_have_text("Date: 2025-09-01")
            t = time.monotonic()
            page.get_by_role("button", name="Play", exact=True).click()
            expect(page.locator(".ailoop-day")).to_contain_text("trading day 1512 of 1512", timeout=300_000)
            page.wait_for_function("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))")
            play = time.monotonic() - t
            browser.close()
    finally:
        app_server.stop(proc)
    med, worst = statistics.median(months), max(months)
    print(f"server start: answers after {ready:.1f} s, first page drawn after {drawn:.1f} s")
    print(f"a month of simulated time, Step to painted: median {med:.3f} s, max {worst:.3f} s (n={n}; "
          f"target < 1 s: {'met' if med < 1 else 'NOT met'})")
    print(f"6-year run at the month stride, Play to the last day drawn: {play:.1f} s "
          f"(72 ticks; target < 60 s: {'met' if play < 60 else 'NOT met'})")
    print(f"server's share of a month (economy + views' data, no browser): median "
          f"{statistics.median(server) * 1000:.0f} ms, max {max(server) * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 12)
