"""The classroom app in a real browser: Debian's Chromium driven by Playwright, offline.

The module starts the real server (``runs/app_server.py``: ``solara run ailoop.model.app
--production`` with the offline settings) on a free port and checks the issue's list: the page
renders with its controls and views; Step and Play advance the date and change the charts; "Stop
the music" mid-run is logged and, for seed 1, the lab's failed rounds and default reach the ticker
and the network within the run; two browser contexts hold independent economies; a value the
parameter table refuses is refused with the table's message and the running model is untouched;
and no console error, no failed request, and no request to any host but the app's own — the
server and Chromium are sent through local proxies that record anything trying to leave. The
README's screenshot is taken here, mid-spiral: into ``outputs/app_spiral.png`` (git-ignored), or
over ``docs/img/app_spiral.png`` with ``AILOOP_UPDATE_SCREENSHOT=1`` (so a test run never dirties
the tree).

Needs Chromium (``apt-get install chromium``; ``$CHROMIUM`` to use another) and the app's assets
(``ailoop app --fetch-assets``); ``.ci/run`` provides both. Missing either fails, never skips.
"""

from __future__ import annotations

import os
import re
import statistics
import time
from pathlib import Path

import pytest

from app_harness import ECHARTS_OPTION_JS, STEP_TIMING_JS, Recorder, Sink, free_port, launch
from ailoop.model.params import PARAMETERS, ParameterError
from ailoop.runs import app_assets, app_server

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = (ROOT / "docs" / "img" / "app_spiral.png" if os.environ.get("AILOOP_UPDATE_SCREENSHOT") == "1"
              else ROOT / "outputs" / "app_spiral.png")
SEED = 1  # baseline, seed 1: stopped after 9 months, the lab fails about two years later
SHOCK_AFTER_MONTHS = 9
TIMINGS: dict[str, object] = {}
RECORDERS: list[Recorder] = []


@pytest.fixture(scope="module")
def sinks():
    server_sink, browser_sink = Sink(), Sink()
    yield server_sink, browser_sink
    server_sink.close()
    browser_sink.close()


@pytest.fixture(scope="module")
def server(sinks, tmp_path_factory):
    cache = app_assets.assets_dir()
    if app_assets.missing(cache):
        pytest.fail(app_assets.missing_message(cache), pytrace=False)
    port = free_port()
    proxy = sinks[0].url  # the server's outbound HTTP (requests honours these) goes to the sink
    env = dict(os.environ, HTTP_PROXY=proxy, HTTPS_PROXY=proxy, http_proxy=proxy, https_proxy=proxy,
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    log_path = tmp_path_factory.mktemp("app") / "server.log"
    with open(log_path, "w") as log:
        t0 = time.monotonic()
        proc, ready = app_server.start(port, cache, env=env, log=log)
        TIMINGS["server start to HTTP answer (s)"] = round(ready, 2)
        yield {"url": f"http://127.0.0.1:{port}/", "t0": t0, "log": log_path}
        app_server.stop(proc)


@pytest.fixture(scope="module")
def browser(sinks):
    try:
        with sync_playwright() as p:
            b = launch(p, sink_port=sinks[1].port)
            yield b
            b.close()
    except RuntimeError as e:  # Chromium missing: fail with the message, never skip
        pytest.fail(str(e), pytrace=False)


def open_session(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 2280})
    rec = Recorder(context)
    RECORDERS.append(rec)
    page = rec.watch(context.new_page())
    page.goto(server["url"])
    expect(date_of(page)).to_have_text("Date: 2025-09-01", timeout=60_000)
    expect(page.locator(".chart-who-paid canvas")).to_be_visible(timeout=30_000)
    return page


def date_of(page):
    return page.locator(".ailoop-date")


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def trading_day(page) -> int:
    return int(re.search(r"trading day (\d+)", page.locator(".ailoop-day").inner_text()).group(1))


def wait_for_day(page, day: int, timeout: float = 30_000) -> None:
    page.wait_for_function("(d) => +document.querySelector('.ailoop-day').innerText.match(/trading day (\\d+)/)[1] >= d",
                           arg=day, timeout=timeout)


def click_and_wait_date(page, name: str = "Step") -> str:
    before = date_of(page).inner_text()
    button(page, name).click()
    expect(date_of(page)).not_to_have_text(before)
    return date_of(page).inner_text()


def option(page, name: str) -> dict:
    return page.evaluate(ECHARTS_OPTION_JS, name)


def ticker(page):
    return page.locator(".ticker")


@pytest.fixture(scope="module")
def page(browser, server):
    t = time.monotonic()
    pg = open_session(browser, server)
    TIMINGS["page load to rendered (s)"] = round(time.monotonic() - t, 2)
    TIMINGS["server start to page rendered (s)"] = round(time.monotonic() - server["t0"], 2)
    return pg


def test_page_renders_with_controls_and_views(page):
    for name in ("Step", "Play", "day", "week", "month", "Stop the music", "GPU glut", "Credit crunch",
                 "Reset: new economy with these settings"):
        expect(button(page, name)).to_be_visible()
    expect(page.get_by_text("Scenario", exact=True)).to_be_visible()
    expect(page.locator(".seed-input input")).to_have_value("1")
    for name in ("real_demand_growth", "backlog_pricing", "sentiment_0", "retail_holders"):
        expect(page.locator(f".dial-{name} input")).to_be_visible()
        unit = PARAMETERS[name].unit
        expect(page.get_by_text(f"[{unit}]", exact=False).first).to_be_visible()
    expect(page.get_by_text("Cross-holdings between firms")).to_be_visible()
    for chart in ("network", "market-value", "promises", "gpus", "who-paid"):
        expect(page.locator(f".chart-{chart} canvas").first).to_be_visible()
    assert "promised" in option(page, "network")["title"][0]["text"]
    names = [a["name"] for a in option(page, "gpus")["yAxis"]]
    assert names == ["GPU price ($ thousand per GPU)", "rent ($ per GPU-hour)", "capacity (GW)"]
    expect(ticker(page)).to_contain_text("nothing yet")


def test_step_and_play_advance_the_date_and_change_the_charts(page):
    shot0 = page.locator(".chart-market-value").screenshot()
    network0 = option(page, "network")
    assert click_and_wait_date(page) == "Date: 2025-09-29"  # a month: 21 trading days
    expect(ticker(page).locator(".ev-deal-announced").first).to_be_visible()  # September 2025's deals
    assert page.locator(".chart-market-value").screenshot() != shot0
    assert option(page, "network") != network0
    assert len(option(page, "market-value")["series"][0]["data"]) > 10
    times = [page.evaluate(STEP_TIMING_JS) for _ in range(3)]
    TIMINGS["a month of simulated time, click to painted (ms, median of 3)"] = round(statistics.median(times))
    assert statistics.median(times) < 5000, times  # target < 1 s (benchmarks/bench_app.py); loose here
    day = trading_day(page)
    button(page, "day").click()
    click_and_wait_date(page)
    assert trading_day(page) == day + 1
    button(page, "week").click()
    click_and_wait_date(page)
    assert trading_day(page) == day + 6
    button(page, "month").click()
    button(page, "Play").click()
    wait_for_day(page, day + 6 + 42)  # two more months
    button(page, "Pause").click()
    expect(button(page, "Play")).to_be_visible()
    page.wait_for_timeout(300)
    stopped = date_of(page).inner_text()
    page.wait_for_timeout(1000)
    assert date_of(page).inner_text() == stopped, "the economy kept running after Pause"


def test_stop_the_music_mid_run_the_lab_fails_within_the_run(page):
    button(page, "Reset: new economy with these settings").click()
    expect(date_of(page)).to_have_text("Date: 2025-09-01")
    for _ in range(SHOCK_AFTER_MONTHS):
        click_and_wait_date(page)
    button(page, "Stop the music").click()
    shock = ticker(page).locator(".ev-shock", has_text="Stop the music")
    expect(shock).to_contain_text("2026-05-30")
    expect(page.get_by_text("applied 2026-05-30")).to_be_visible()
    expect(button(page, "Stop the music")).to_be_disabled()
    t = time.monotonic()
    button(page, "Play").click()
    caption = page.locator(".network-caption")
    expect(caption).to_contain_text(re.compile(r"In default: (.*, )?lab \("), timeout=150_000)
    button(page, "Pause").click()
    TIMINGS["play from the shock to the lab's default (s)"] = round(time.monotonic() - t, 1)
    expect(button(page, "Play")).to_be_visible()
    assert trading_day(page) < 1512  # within the 6-year run
    assert "lab" in ticker(page).locator(".ev-failed-round .who").all_inner_texts()
    assert "lab" in ticker(page).locator(".ev-default .who").all_inner_texts()
    causes = ticker(page).locator(".ev-contract-cancelled .cause").all_inner_texts()
    assert any("lab defaulted" in c for c in causes), causes
    lab = next(n for n in option(page, "network")["series"][0]["data"] if n["name"] == "lab")
    assert "DEFAULT" in lab["label"]["formatter"]
    assert any(link["lineStyle"].get("type") == "dotted" for link in option(page, "network")["series"][0]["links"])
    page.locator(".ticker").evaluate("el => el.scrollTop = 0")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))


def test_two_browser_contexts_hold_independent_economies(page, browser, server):
    mine = date_of(page).inner_text()
    other = open_session(browser, server)  # a second student: a fresh economy
    expect(date_of(other)).to_have_text("Date: 2025-09-01")
    click_and_wait_date(other)
    expect(date_of(other)).to_have_text("Date: 2025-09-29")
    expect(date_of(page)).to_have_text(mine)  # stepping one leaves the other
    button(other, "GPU glut").click()
    button(other, "Credit crunch").click()  # shocks combine
    expect(ticker(other).locator(".ev-shock")).to_have_count(2)
    expect(ticker(page).locator(".ev-shock")).to_have_count(1)  # only "Stop the music" here
    click_and_wait_date(page)
    expect(date_of(other)).to_have_text("Date: 2025-09-29")
    mine = date_of(page).inner_text()
    button(other, "Reset: new economy with these settings").click()  # reset resets one
    expect(date_of(other)).to_have_text("Date: 2025-09-01")
    expect(ticker(other).locator(".ev-shock")).to_have_count(0)
    expect(date_of(page)).to_have_text(mine)
    other.context.close()


def test_a_value_out_of_range_is_refused_with_the_tables_message(page):
    running = page.locator(".ailoop-running").inner_text()
    date = date_of(page).inner_text()
    field = page.locator(".dial-real_demand_growth input")
    before = field.input_value()
    with pytest.raises(ParameterError) as refused:
        PARAMETERS["real_demand_growth"].coerce("5")
    field.fill("5")
    field.press("Enter")
    expect(page.locator(".dial-error")).to_contain_text(str(refused.value))
    assert "allowed: float in [-0.5, 2] 1/year" in str(refused.value)
    seed = page.locator(".seed-input input")
    seed.fill("-3")
    seed.press("Enter")
    expect(page.locator(".dial-error", has_text="seed '-3' is not allowed")).to_be_visible()
    expect(date_of(page)).to_have_text(date)  # the running economy is untouched
    assert page.locator(".ailoop-running").inner_text() == running
    click_and_wait_date(page)  # and it still runs, with its own settings
    assert page.locator(".ailoop-running").inner_text() == running
    field.fill(before)
    field.press("Enter")
    expect(page.locator(".dial-error", has_text="real_demand_growth")).to_have_count(0)


def test_nothing_leaves_the_machine(page, sinks, server):
    page.wait_for_timeout(300)
    for rec in RECORDERS:
        assert rec.requests, "no requests recorded"
        assert not any(rec.problems().values()), rec.problems()
    assert any("/_solara/cdn/echarts@5.4.0/dist/echarts.js" in u for u in RECORDERS[0].requests)
    server_sink, browser_sink = sinks
    assert not server_sink.hits, f"the server tried to reach the outside: {server_sink.hits}"
    assert not browser_sink.hits, f"Chromium tried to reach the outside: {browser_sink.hits}"
    log = Path(server["log"]).read_text()
    assert "Could not load URL" not in log, log  # no asset missing from the cache
    print("\napp timings:", TIMINGS)
