"""The classroom app in a real browser: Chromium driven by Playwright, offline, as a class would use it.

The module starts the real server (``runs/app_server.py``: ``solara run ailoop.model.app
--production`` with the offline settings) on a free port of 127.0.0.1 and checks:

* **Play cannot break**: three students play at once, one on each stride (day, week, month), for
  more than a minute each, pausing (the date must hold still) and pressing every event button
  mid-play, switching views, changing the speed, and resetting when a run ends; no error line in
  the page, no console error, no page error, no traceback in the server's log;
* **a failed trading day** is shown as one line and the economy survives (a second server whose
  sessions fail once on a given day, ``AILOOP_APP_FAULT_DAY``);
* **two students** hold independent economies, and **a reload or a copied link** rebuilds the run
  from the page's address (settings, seed, shock dates, day) exactly;
* Step on every stride; a refused value blocks Reset with the table's message; the guided tour
  does each step; downloads of the tables (CSV and Parquet, read back) and of a chart (PNG);
* the layout at 1280×720 (a projector) and 390×844 (a phone): nothing wider than the screen, the
  side panel closed on a phone and opened and closed by tapping;
* nothing leaves the machine: the server and Chromium are sent through local proxies that record
  anything trying to leave.

Needs Chromium (``apt-get install chromium``; ``$CHROMIUM`` to use another) and the app's assets
(``ailoop app --fetch-assets``). Missing either fails, never skips. The screenshots in ``docs/img``
are taken by ``python tests/app_screenshots.py``.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from app_harness import ECHARTS_OPTION_JS, STEP_TIMING_JS, Recorder, Sink, free_port, launch
from ailoop.model.classroom.recipe import decode, trading_date
from ailoop.model.classroom.session import FAULT_ENV
from ailoop.model.classroom.settings import EVENT_BUTTONS, STRIDES
from ailoop.model.params import PARAMETERS, ParameterError
from ailoop.runs import app_assets, app_server

from playwright.sync_api import expect, sync_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

#: every test here drives a real browser against time limits (pages, plays, throughput)
pytestmark = pytest.mark.alone

PLAY_SECONDS = 62  # each student of the long test plays at least this long
FAULT_DAY = 30
TIMINGS: dict[str, object] = {}
RECORDERS: list[Recorder] = []
SERVER_LOGS: list[Path] = []


@pytest.fixture(scope="module")
def sinks():
    server_sink, browser_sink = Sink(), Sink()
    yield server_sink, browser_sink
    server_sink.close()
    browser_sink.close()


def _serve(sinks, tmp_path_factory, name: str, extra: dict | None = None):
    cache = app_assets.assets_dir()
    if app_assets.missing(cache):
        pytest.fail(app_assets.missing_message(cache), pytrace=False)
    port = free_port()
    proxy = sinks[0].url  # the server's outbound HTTP (requests honours these) goes to the sink
    env = dict(os.environ, HTTP_PROXY=proxy, HTTPS_PROXY=proxy, http_proxy=proxy, https_proxy=proxy,
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost", **(extra or {}))
    log_path = tmp_path_factory.mktemp(name) / "server.log"
    SERVER_LOGS.append(log_path)
    log = open(log_path, "w")
    t0 = time.monotonic()
    proc, ready = app_server.start(port, cache, env=env, log=log)
    return proc, log, {"url": f"http://127.0.0.1:{port}/", "t0": t0, "log": log_path, "ready": ready}


@pytest.fixture(scope="module")
def server(sinks, tmp_path_factory):
    proc, log, info = _serve(sinks, tmp_path_factory, "app")
    TIMINGS["server start to HTTP answer (s)"] = round(info["ready"], 2)
    yield info
    app_server.stop(proc)
    log.close()


@pytest.fixture(scope="module")
def faulty_server(sinks, tmp_path_factory):
    proc, log, info = _serve(sinks, tmp_path_factory, "faulty", {FAULT_ENV: str(FAULT_DAY)})
    yield info
    app_server.stop(proc)
    log.close()


@pytest.fixture(scope="module")
def browser(sinks):
    try:
        with sync_playwright() as p:
            b = launch(p, sink_port=sinks[1].port)
            yield b
            b.close()
    except RuntimeError as e:  # Chromium missing: fail with the message, never skip
        pytest.fail(str(e), pytrace=False)


def open_page(browser, url: str, width: int = 1440, height: int = 900, accept_downloads: bool = False):
    phone = width < 900  # a phone: touch events, so the test taps as a student would
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=accept_downloads,
                                  has_touch=phone, is_mobile=phone)
    rec = Recorder(context)
    RECORDERS.append(rec)
    page = rec.watch(context.new_page())
    page.goto(url)
    expect(page.locator(".ailoop-date")).to_be_visible(timeout=90_000)
    return page


def date_of(page):
    return page.locator(".ailoop-date")


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def trading_day(page) -> int:
    return int(re.search(r"trading day (\d+)", page.locator(".ailoop-day").inner_text()).group(1))


def step_and_wait(page) -> int:
    before = trading_day(page)
    button(page, "Step").click()
    page.wait_for_function("(d) => +document.querySelector('.ailoop-day').innerText.match(/trading day (\\d+)/)[1] > d",
                           arg=before, timeout=30_000)
    return trading_day(page)


def settled(page) -> tuple[str, str, str]:
    """(date, monitors, network title) once the page shows one tick whole: the browser receives a
    tick's widgets one message at a time, so the date can be new while a monitor is not yet; wait
    until the address holds the day shown and two reads 0.3 s apart agree."""
    last = None
    for _ in range(60):
        now = (date_of(page).inner_text(), page.locator(".ail-monitors").inner_text(),
               option(page, "network")["title"][0]["text"])
        if now == last and f"day={trading_day(page)}&" in page.url + "&":
            return now
        last = now
        page.wait_for_timeout(300)
    raise AssertionError(f"the page did not settle on one tick: {last}")


def option(page, name: str) -> dict:
    """The ECharts option of a chart, once it is drawn."""
    page.wait_for_function(f"() => {{ const f = {ECHARTS_OPTION_JS.strip()}; return f({name!r}) !== null; }}", timeout=30_000)
    return page.evaluate(ECHARTS_OPTION_JS, name)


def no_error_lines(page) -> None:
    expect(page.locator(".ailoop-error")).to_have_count(0)


# --------------------------------------------------------------------------------- the long play
async def _student(browser, url: str, stride: str, seconds: float) -> dict:
    """One student: Play on ``stride`` for ``seconds``, Pause (checked), every event button
    mid-play, views and speeds switched, Reset at the end of a run."""
    context = await browser.new_context(viewport={"width": 1280, "height": 720})
    errors: list[str] = []
    page = await context.new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"page: {e}"))
    await page.goto(f"{url}?stride={stride}&speed=fast")
    await page.locator(".ailoop-date").wait_for(timeout=90_000)

    async def day() -> int:
        return int(re.search(r"trading day (\d+)", await page.locator(".ailoop-day").inner_text()).group(1))

    async def click(name: str) -> None:
        await page.get_by_role("button", name=name, exact=True).click(timeout=15_000)

    async def ended() -> bool:
        """The run reached its last day: Pause has turned back into a disabled Play."""
        play = page.get_by_role("button", name="Play", exact=True)
        try:
            return bool(await play.count()) and await play.is_disabled(timeout=2_000)
        except PlaywrightTimeoutError:  # redrawn as Pause between the two looks (Play just pressed): playing
            return False

    async def pause() -> bool:
        """Press Pause; False when the run ended first (then there is no Pause to press)."""
        target = page.get_by_role("button", name="Pause", exact=True)
        for _ in range(60):  # up to 15 s for the button the last tick drew
            if await target.count():
                try:
                    await target.click(timeout=2_000)
                    return True
                except PlaywrightTimeoutError:
                    pass  # redrawn under the pointer (a tick, or the run's end): look again
            if await ended():
                return False
            await page.wait_for_timeout(250)
        raise AssertionError(f"{stride}: neither Pause nor the finished run's Play after 15 s")

    pauses, presses, resets, days_run, ticks = [], [], 0, 0, 0
    await click("Play")
    t0, last_day, next_pause, k = time.monotonic(), await day(), time.monotonic() + 7, 0
    buttons = [b.label for b in EVENT_BUTTONS]
    while time.monotonic() - t0 < seconds:
        await page.wait_for_timeout(250)
        d = await day()
        if d != last_day:
            ticks += 1
            days_run += max(0, d - last_day)
            last_day = d
        if await ended():
            await click("Reset: new economy with these settings")  # the run ended: a new one, and on
            await page.wait_for_function("() => document.querySelector('.ailoop-day').innerText.includes('trading day 0 ')")
            resets += 1
            last_day = 0
            await click("Play")
            continue
        if time.monotonic() >= next_pause:  # Pause mid-play: the date must hold still
            if not await pause():
                continue  # the run ended just now: the next turn starts a new one
            # the page has taken the Pause in once it offers Play again (on a loaded machine the click
            # waits for the server); the tick under way then may still land, drawn late: the date is
            # taken once it has stood still for half a second (at most 10 s), then it must hold for
            # 1.2 s more - no tick starts after Pause
            await page.get_by_role("button", name="Play", exact=True).wait_for(timeout=15_000)
            held, settle_by = await day(), time.monotonic() + 10
            while True:
                await page.wait_for_timeout(500)
                now = await day()
                if now == held or time.monotonic() > settle_by:
                    break
                held = now
            await page.wait_for_timeout(1200)
            pauses.append((held, await day()))
            # mid-play: each event button in turn (a refused one must say why), then a view and a speed
            name = buttons[k % len(buttons)]
            target = page.get_by_role("button", name=name, exact=True)
            await click("Play")
            await page.wait_for_timeout(300)
            if await target.is_enabled():
                await target.click()
                presses.append(name)
            views = ["Market value", "Promised vs paid", "GPUs & capacity", "Who paid", "Network & ticker"]
            await page.get_by_role("tab", name=views[k % len(views)]).click()
            await page.get_by_role("button", name=["fast", "max", "normal"][k % 3], exact=True).click()
            k += 1
            next_pause = time.monotonic() + 6
    played = time.monotonic() - t0
    if not await ended():
        await pause()
    body = await page.locator("body").inner_text()
    shocks = await page.locator(".ticker .ev-shock").count()
    error_lines = await page.locator(".ailoop-error").all_inner_texts()
    await context.close()
    return dict(stride=stride, played=played, ticks=ticks, days=days_run, pauses=pauses, presses=presses,
                resets=resets, errors=errors, error_lines=error_lines, shocks_in_ticker=shocks,
                traceback="Traceback" in body or "Too many renders" in body)


def _play_all(url: str, sink_port: int, seconds: float) -> list[dict]:
    from playwright.async_api import async_playwright

    async def main():
        async with async_playwright() as p:
            from app_harness import CHROMIUM_ARGS, chromium_path

            b = await p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS,
                                        proxy={"server": f"http://127.0.0.1:{sink_port}", "bypass": "127.0.0.1,localhost"})
            try:
                return await asyncio.gather(*[_student(b, url, s, seconds) for s in STRIDES])
            finally:
                await b.close()

    out: list = []

    def run() -> None:
        try:
            out.append(asyncio.run(main()))
        except BaseException as e:  # carried to the test's thread, so the failure says what happened
            out.append(e)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if isinstance(out[0], BaseException):
        raise out[0]
    return out[0]


def test_three_students_play_every_stride_for_a_minute_and_nothing_breaks(server, sinks):
    """Day, week and month strides at once, each over a minute, with Pause and every event button
    mid-play: no error in the page or the console, Pause holds, the economy keeps going."""
    t = time.monotonic()
    results = _play_all(server["url"], sinks[1].port, PLAY_SECONDS)
    TIMINGS["three students playing at once (s)"] = round(time.monotonic() - t, 1)
    for r in results:
        TIMINGS[f"play {r['stride']}: ticks seen, days run, resets"] = (r["ticks"], r["days"], r["resets"])
        assert r["played"] >= 60, r
        assert not r["errors"] and not r["error_lines"] and not r["traceback"], r
        assert r["pauses"] and all(a == b for a, b in r["pauses"]), f"the economy ran on after Pause: {r['pauses']}"
        assert r["ticks"] >= 20, r  # it kept playing
        assert set(r["presses"]) >= {"Stop the music", "GPU glut", "Credit crunch"}, r
        assert r["days"] >= {"day": 60, "week": 300, "month": 1000}[r["stride"]], r
    log = "\n".join(p.read_text() for p in SERVER_LOGS)
    assert "Too many renders" not in log and "Traceback" not in log, log[-3000:]


# --------------------------------------------------------------------------------- one student
@pytest.fixture(scope="module")
def page(browser, server):
    t = time.monotonic()
    pg = open_page(browser, server["url"])
    expect(pg.locator(".chart-network canvas")).to_be_visible(timeout=30_000)
    TIMINGS["page load to rendered (s)"] = round(time.monotonic() - t, 2)
    return pg


def test_page_renders_with_controls_lesson_and_views(page):
    for name in ("Step", "Play", "day", "week", "month", "slow", "normal", "fast", "max",
                 *[b.label for b in EVENT_BUTTONS], "Reset: new economy with these settings"):
        expect(button(page, name)).to_be_visible()
    expect(page.locator(".seed-input input")).to_have_value("1")
    for name in ("real_demand_growth", "backlog_pricing", "sentiment_0", "retail_holders"):
        expect(page.locator(f".dial-{name} input")).to_be_visible()
        p = PARAMETERS[name]
        expect(page.get_by_text(f"range {p.lo:g} … {p.hi:g} {p.unit}")).to_be_visible()  # slider ranges shown
    assert "promised, not yet paid" in option(page, "network")["title"][0]["text"]
    expect(page.locator(".monitor-runway-lab")).to_contain_text("lab runway")
    expect(page.locator(".ticker")).to_contain_text("nothing yet")
    expect(page.get_by_text("This website runs on")).to_have_count(0)  # no badge over the charts
    button(page, "Lesson").click()
    expect(page.locator(".tour-card")).to_contain_text("1. The loop on 1 September 2025")
    button(page, "Glossary").click()
    for word in ("backlog pricing", "wealth amplification", "LTV (loan-to-value)", "covenant", "tranche"):
        expect(page.locator(".ail-glossary dt", has_text=word).first).to_be_visible()
    button(page, "Run").click()


def test_step_on_every_stride_and_the_charts_follow(page):
    network0 = option(page, "network")
    assert step_and_wait(page) == STRIDES["month"]
    expect(date_of(page)).to_have_text(f"Date: {trading_date(21).isoformat()}")
    expect(page.locator(".ticker .ev-deal-announced").first).to_be_visible()  # September 2025's deals
    assert option(page, "network") != network0
    times = [page.evaluate(STEP_TIMING_JS) for _ in range(3)]
    TIMINGS["a month, click to painted (ms, median of 3)"] = round(sorted(times)[1])
    day = trading_day(page)
    button(page, "day").click()
    assert step_and_wait(page) == day + 1
    button(page, "week").click()
    assert step_and_wait(page) == day + 6
    button(page, "month").click()


def test_a_refused_value_blocks_reset_with_the_tables_message(page):
    running = page.locator(".ailoop-running").inner_text()
    day = trading_day(page)
    field = page.locator(".dial-real_demand_growth input")
    before = field.input_value()
    with pytest.raises(ParameterError) as refused:
        PARAMETERS["real_demand_growth"].coerce("5")
    field.fill("5")
    field.press("Enter")
    expect(page.locator(".dial-error")).to_contain_text(str(refused.value))
    expect(button(page, "Reset: new economy with these settings")).to_be_disabled()
    expect(page.locator(".reset-refused")).to_contain_text("real_demand_growth")
    seed = page.locator(".seed-input input")
    seed.fill("-3")
    seed.press("Enter")
    expect(page.locator(".dial-error", has_text="seed '-3' is not allowed")).to_be_visible()
    assert trading_day(page) == day and page.locator(".ailoop-running").inner_text() == running
    step_and_wait(page)  # the running economy goes on with its own settings
    field.fill(before)
    field.press("Enter")
    seed.fill("1")
    seed.press("Enter")
    expect(button(page, "Reset: new economy with these settings")).to_be_enabled()
    expect(page.locator(".dial-error")).to_have_count(0)


def test_a_scenario_that_schedules_a_shock_refuses_its_button(page):
    page.locator(".scenario-select").click()
    page.get_by_role("option", name="music_stops", exact=True).click()
    expect(page.locator(".scenario-text")).to_contain_text("from 2026-06-01")
    button(page, "Reset: new economy with these settings").click()
    expect(page.locator(".ailoop-day")).to_contain_text("trading day 0 ")
    expect(button(page, "Stop the music")).to_be_disabled()
    expect(page.get_by_text("this scenario already schedules it").first).to_be_visible()
    page.locator(".scenario-select").click()
    page.get_by_role("option", name="baseline", exact=True).click()
    button(page, "Reset: new economy with these settings").click()
    expect(button(page, "Stop the music")).to_be_enabled()


def test_two_students_and_a_reload_or_a_link_restore_the_run(page, browser, server):
    for _ in range(3):
        step_and_wait(page)
    button(page, "GPU glut").click()
    expect(page.locator(".ticker .ev-shock")).to_have_count(1)
    step_and_wait(page)
    mine = settled(page)
    other = open_page(browser, server["url"])  # a second student: a fresh economy
    expect(other.locator(".ailoop-day")).to_contain_text("trading day 0 ")
    step_and_wait(other)
    button(other, "Credit crunch").click()
    expect(other.locator(".ticker .ev-shock")).to_have_count(1)
    expect(date_of(page)).to_have_text(mine[0])  # stepping and shocking one leaves the other alone
    expect(page.locator(".ticker .ev-shock")).to_have_count(1)
    url = page.url
    recipe, view = decode(url.split("?", 1)[1])
    assert recipe.day == trading_day(page) and [k for k, _ in recipe.shocks] == ["glut"], url
    page.reload()
    expect(page.locator(".ailoop-day")).to_contain_text(f"trading day {recipe.day} ")
    assert settled(page) == mine
    expect(button(page, "GPU glut")).to_be_disabled()
    link = open_page(other.context.browser, url)  # the copied link in another browser: the same run
    expect(link.locator(".ailoop-day")).to_contain_text(f"trading day {recipe.day} ")
    assert settled(link)[1] == mine[1]
    link.context.close()
    other.context.close()


def test_downloads_give_the_tables_and_the_charts(browser, server):
    pg = open_page(browser, server["url"], accept_downloads=True)
    step_and_wait(pg)
    day = trading_day(pg)
    with pg.expect_download() as d:
        pg.get_by_role("button", name=re.compile("daily table")).click()
    df = pd.read_csv(d.value.path())
    assert len(df) == day and {"date", "committed_outstanding", "market_value_total"} <= set(df.columns)
    assert d.value.suggested_filename == f"ailoop-baseline-seed1-day{day}-model.csv"
    button(pg, "parquet").click()
    with pg.expect_download() as d:
        pg.get_by_role("button", name=re.compile("events")).click()
    events = pd.read_parquet(io.BytesIO(Path(d.value.path()).read_bytes()))
    assert (events.event == "deal announced").sum() >= 1 and d.value.suggested_filename.endswith("-events.parquet")
    box = pg.locator(".chart-network").bounding_box()  # the chart's own "save as PNG" icon, top right
    with pg.expect_download() as d:
        pg.mouse.click(box["x"] + box["width"] - 4 - 8, box["y"] + 40 + 8)
    assert Path(d.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and d.value.suggested_filename.endswith(".png")
    pg.context.close()


def test_the_guided_tour_does_each_step(browser, server):
    pg = open_page(browser, f"{server['url']}?speed=max&tour=1")
    expect(pg.locator(".tour-card")).to_contain_text("1. The loop on 1 September 2025")
    pg.locator(".tour-do").click()
    pg.locator(".tour-next").click()
    expect(pg.locator(".tour-card")).to_contain_text("2. The announcement day")
    pg.locator(".tour-do").click()  # plays day by day until the contract is signed
    expect(pg.locator(".tour-card")).to_contain_text("the contract is signed", timeout=60_000)
    expect(pg.locator(".tour-card")).to_contain_text("Oracle rose +36%")
    assert trading_day(pg) < 21
    pg.locator(".tour-next").click()
    pg.locator(".tour-do").click()
    expect(pg.locator(".ailoop-day")).to_contain_text(f"trading day {9 * 21} ", timeout=60_000)
    pg.locator(".tour-next").click()
    pg.locator(".tour-do").click()  # Stop the music
    expect(pg.locator(".tour-card")).to_contain_text("The music stopped on")
    expect(pg.locator(".tour-do")).to_be_disabled()
    pg.locator(".tour-next").click()
    pg.locator(".tour-do").click()  # plays until the lab defaults (or the run ends)
    expect(pg.locator(".ailoop-note")).to_contain_text(re.compile("tour's step is done|reached its end"), timeout=120_000)
    pg.locator(".tour-next").click()
    pg.locator(".tour-do").click()
    expect(pg.get_by_role("tab", name="Who paid")).to_have_attribute("aria-selected", "true")
    expect(pg.locator(".tour-card")).to_contain_text("Gains (negative bars)")
    no_error_lines(pg)
    pg.context.close()


def test_a_failed_trading_day_is_one_line_and_the_economy_survives(browser, faulty_server):
    pg = open_page(browser, faulty_server["url"])
    assert step_and_wait(pg) == 21
    button(pg, "Step").click()
    line = pg.locator(".ailoop-error")
    expect(line).to_contain_text(f"injected fault at trading day {FAULT_DAY}")
    assert len(line.inner_text().splitlines()) == 1
    assert trading_day(pg) == FAULT_DAY - 1  # the days before the fault ran; the failed one did not
    assert step_and_wait(pg) == FAULT_DAY - 1 + 21  # and the economy goes on (the fault happens once)
    expect(pg.locator(".ailoop-error")).to_have_count(0)
    button(pg, "Play").click()
    pg.wait_for_function("(d) => +document.querySelector('.ailoop-day').innerText.match(/trading day (\\d+)/)[1] > d",
                         arg=FAULT_DAY + 60, timeout=30_000)
    button(pg, "Pause").click()
    pg.context.close()


@pytest.mark.parametrize("width,height", [(1280, 720), (390, 844)])
def test_the_layout_fits_a_projector_and_a_phone(browser, server, width, height):
    pg = open_page(browser, server["url"], width, height)
    expect(pg.locator(".chart-network canvas")).to_be_visible(timeout=30_000)
    assert pg.evaluate("() => document.documentElement.scrollWidth") <= width + 1  # nothing wider than the screen
    chart = pg.locator(".chart-network").bounding_box()
    assert chart["width"] <= width and chart["height"] >= 360
    side = pg.locator(".ail-side")
    if width < 900:  # a phone: the side panel starts closed, a tap opens it and a tap closes it
        expect(side).to_be_hidden()
        pg.locator(".ail-toggle").tap()
        expect(side).to_be_visible()
        expect(button(pg, "Stop the music")).to_be_in_viewport()
        button(pg, "Close ✕").tap()
        expect(side).to_be_hidden()
    else:  # a projector: the controls beside the views, the network and the ticker on one screen
        expect(side).to_be_visible()
        assert chart["y"] + chart["height"] <= height + 2
        expect(pg.locator(".ticker")).to_be_in_viewport()
    for axis in option(pg, "network")["series"][0]["data"][:3]:
        assert axis["label"]["fontSize"] >= 12
    pg.context.close()


def test_nothing_leaves_the_machine(page, sinks, server):
    page.wait_for_timeout(300)
    for rec in RECORDERS:
        assert rec.requests, "no requests recorded"
        assert not any(rec.problems().values()), rec.problems()
    assert any("/_solara/cdn/echarts@5.4.0/dist/echarts.js" in u for u in RECORDERS[0].requests)
    server_sink, browser_sink = sinks
    assert not server_sink.hits, f"the server tried to reach the outside: {server_sink.hits}"
    assert not browser_sink.hits, f"Chromium tried to reach the outside: {browser_sink.hits}"
    log = "\n".join(p.read_text() for p in SERVER_LOGS)
    assert "Could not load URL" not in log and "Traceback" not in log, log[-3000:]
    print("\napp timings:", TIMINGS)
