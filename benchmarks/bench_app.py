"""A class of students on one laptop: the classroom app's time per step with 30 students at once.

Three measurements, printing the median (and the 90th percentile) of the time per step:

1. **Through the app's own machinery, without a browser** (``--students``, default 30): the worker
   pool the server uses (``model/classroom/workers.py``, one process per core), one session per
   student, each student pressing Step at the month stride, and for each step the server's share of
   drawing the page (the network, the monitors, the ticker and a chart built from the snapshot).
   Two paces: *all at once* (every student presses Step again the moment the last one is drawn —
   the worst a class can do) and *class pace* (each student reads for 1–4 s between two steps,
   drawn from a seeded generator).
2. **The server drawing a page**: Solara's render of one page's widgets per tick (the default
   view), fed snapshots taken beforehand — the part of a step the web server itself does, one
   Python process for every student.
3. **In real browsers through the real server** (``--browsers``, default 30; 0 to skip): the app
   served as ``ailoop app`` serves it, each student a page of one headless Chromium clicking Step
   at the month stride at class pace; the time from the click until the page shows the new date
   and network and the browser has painted them. On a machine with few cores the browsers
   compete with the server for them, so this is an upper bound of what students on their own
   laptops would see.

Usage: ``python benchmarks/bench_app.py [--students 30] [--steps 12] [--browsers 30] [--seed 1]``
(``--browsers 0`` skips part 3).
The target: a month in at most 1 s per step for 30 students (median and 90th percentile). Needs the
app's assets (``ailoop app --fetch-assets``) and a Chromium for part 2.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

TARGET_S = 1.0
MONTH = 21


def _quantiles(xs: list[float]) -> tuple[float, float]:
    xs = sorted(xs)
    return statistics.median(xs), xs[min(len(xs) - 1, int(round(0.9 * (len(xs) - 1))))]


def _draw(snap) -> None:
    """The server's share of drawing a page after a step: what the page builds from a snapshot."""
    from ailoop.model.classroom import charts
    from ailoop.model.classroom.network import network_option
    from ailoop.model.classroom.ticker import ticker_html

    network_option(snap.network), ticker_html(snap.events), charts.market_value(snap)
    [m.text for m in snap.monitors]


def server_side(students: int, steps: int, pace: str, seed: int) -> tuple[list[float], float, int]:
    """Seconds per step for ``students`` sessions at once in the worker pool; returns the times,
    the wall-clock seconds and the number of workers."""
    from ailoop.model.classroom.recipe import Recipe
    from ailoop.model.classroom.settings import dial_values
    from ailoop.model.classroom.workers import Pool, workers_wanted

    n = workers_wanted() or 1
    pool = Pool(n)
    times: list[float] = []
    lock = threading.Lock()
    try:
        handles = [pool.open(Recipe("baseline", seed + k, dial_values("baseline"))) for k in range(students)]
        start = threading.Barrier(students)

        def student(k: int) -> None:
            rng = random.Random(seed * 1000 + k)
            h = handles[k]
            start.wait()
            for _ in range(steps):
                if pace == "class":
                    time.sleep(rng.uniform(1.0, 4.0))
                t = time.perf_counter()
                _draw(h.advance(MONTH))
                with lock:
                    times.append(time.perf_counter() - t)

        t0 = time.perf_counter()
        threads = [threading.Thread(target=student, args=(k,)) for k in range(students)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - t0
        for h in handles:
            h.close()
    finally:
        pool.stop()
    return times, wall, n


def page_render(ticks: int = 25) -> list[float]:
    """Seconds the server spends drawing one page per tick (Solara's render of the page's widgets,
    the default view), without the model's time and without a browser: the page is rendered with
    Solara's test renderer and fed snapshots taken beforehand."""
    import os

    import ipyvuetify as v
    import solara

    from ailoop.model.classroom.recipe import Recipe
    from ailoop.model.classroom.session import Session
    from ailoop.model.classroom.workers import LocalHandle

    s = Session(Recipe())
    snaps = []
    for _ in range(ticks):
        s.advance(MONTH)
        snaps.append(s.snapshot())
    feed = iter(snaps)
    os.environ["AILOOP_APP_WORKERS"] = "0"
    original = LocalHandle.advance
    LocalHandle.advance = lambda self, days: next(feed)
    try:
        import ailoop.model.app as app

        box, rc = solara.render(app.Page(), handle_error=False)
        times = []
        for _ in range(ticks):
            t = time.perf_counter()
            rc.find(v.Btn, children=["Step"]).widget.click()
            times.append(time.perf_counter() - t)
        rc.close()
    finally:
        LocalHandle.advance = original
        del os.environ["AILOOP_APP_WORKERS"]
    return times


async def _browser_student(browser, url: str, steps: int, rng: random.Random, out: list[float], errors: list[str]):
    from app_harness import STEP_TIMING_JS

    context = await browser.new_context(viewport={"width": 1280, "height": 720})
    page = await context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:  # on a loaded 2-core machine 30 pages opening at once can take longer than Playwright's 30 s default
        await page.goto(url, timeout=180_000)
        await page.locator(".chart-network canvas").wait_for(timeout=180_000)
    except Exception as e:  # noqa: BLE001 - a page that never opened: counted as an error, the others go on
        errors.append(f"the page did not open within 180 s: {str(e).splitlines()[0]}")
        await context.close()
        return
    for _ in range(steps):
        await asyncio.sleep(rng.uniform(1.0, 4.0))
        try:
            out.append(await page.evaluate(STEP_TIMING_JS) / 1000)
        except Exception as e:  # noqa: BLE001 - a step that never showed: counted, and the student goes on
            errors.append(f"a step did not show within 60 s: {str(e).splitlines()[0]}")
    await context.close()


def in_browsers(students: int, steps: int, seed: int) -> tuple[list[float], list[str], float]:
    from playwright.async_api import async_playwright

    from app_harness import CHROMIUM_ARGS, chromium_path, free_port
    from ailoop.runs import app_assets, app_server

    cache = app_assets.assets_dir()
    if app_assets.missing(cache):
        sys.exit(app_assets.missing_message(cache))
    port = free_port()
    proc, ready = app_server.start(port, cache)
    times: list[float] = []
    errors: list[str] = []

    async def main():
        async with async_playwright() as p:
            b = await p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
            try:
                await asyncio.gather(*[_browser_student(b, f"http://127.0.0.1:{port}/?seed={seed + k}", steps,
                                                        random.Random(seed * 1000 + k), times, errors)
                                       for k in range(students)])
            finally:
                await b.close()

    try:
        asyncio.run(main())
    finally:
        app_server.stop(proc)
    return times, errors, ready


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", type=int, default=30, help="sessions at once, without a browser (default 30)")
    ap.add_argument("--steps", type=int, default=12, help="month steps each student takes (default 12)")
    ap.add_argument("--browsers", type=int, default=30, help="students in real browsers (default 30; 0 skips)")
    ap.add_argument("--seed", type=int, default=1, help="first seed: student k runs seed + k (default 1)")
    a = ap.parse_args()
    if a.students < 1 or a.steps < 1 or a.browsers < 0 or a.seed < 0:
        ap.error("--students and --steps must be >= 1, --browsers and --seed >= 0")
    print(f"{a.students} students, {a.steps} month steps each, seeds {a.seed}..{a.seed + a.students - 1}, baseline")
    for pace, what in (("once", "all at once (each presses Step again as soon as the last is drawn)"),
                       ("class", "class pace (1-4 s of reading between two steps)")):
        times, wall, n = server_side(a.students, a.steps, pace, a.seed)
        med, p90 = _quantiles(times)
        verdict = "met" if p90 <= TARGET_S else "NOT met"
        print(f"server side, {n} worker processes, {what}: a month per step median {med:.3f} s, p90 {p90:.3f} s "
              f"(n={len(times)}, {wall:.0f} s in all; target <= {TARGET_S:g} s: {verdict})")
    render = page_render()
    print(f"the server drawing one page per tick (Solara's render, the default view, no model, no browser): median "
          f"{statistics.median(render) * 1000:.0f} ms (n={len(render)}); {a.students} students at class pace "
          f"(a step every 2.5 s each) ask for about {a.students / 2.5 * statistics.median(render):.2f} s of it a second")
    if a.browsers:
        times, errors, ready = in_browsers(a.browsers, a.steps, a.seed)
        unopened = sum(e.startswith("the page did not open") for e in errors)
        if not times:
            print(f"real browsers: {a.browsers} pages of one headless Chromium on this machine: no step measured "
                  f"({unopened} pages did not open; errors: {len(errors)}{' (' + errors[0] + ')' if errors else ''}); "
                  f"target <= {TARGET_S:g} s: NOT met")
            return
        med, p90 = _quantiles(times)
        verdict = "met" if p90 <= TARGET_S else "NOT met"
        print(f"real browsers: {a.browsers} pages of one headless Chromium on this machine, class pace: a month, "
              f"click to painted, median {med:.3f} s, p90 {p90:.3f} s (n={len(times)}; target <= {TARGET_S:g} s: "
              f"{verdict}); pages that did not open: {unopened}; errors: {len(errors)}{' (' + errors[0] + ')' if errors else ''}; "
              f"server answered after {ready:.1f} s")


if __name__ == "__main__":
    main()
