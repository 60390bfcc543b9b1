"""The classroom app without a browser: its settings, recipe, sessions, workers, Play loop, views,
lesson, assets and command.

The browser tests (``tests/test_app_browser.py``) drive the page; these check the pieces it is
made of, quickly, each against a second route: dials against the parameter table, the event
buttons against the scenario presets, the URL's calendar against the economy's own dates, a
rebuilt run against the live one (table for table), the counterfactual against a run without the
shock, the network's totals against the ledger and the contract book, the palette's colours
against each other in CIE L*a*b*, the ticker's groups against hand-counted events, the Play loop's
pace against the clock, the real announcement moves against ``docs/calibration.md``, and the page
rendered in this process (Solara's test renderer) with its buttons pressed.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import json
import math
import os
import re
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ailoop.model import Economy
from ailoop.model.classroom import charts, lesson
from ailoop.model.classroom.downloads import file_name, table_bytes
from ailoop.model.classroom.network import network_option
from ailoop.model.classroom.palette import ALL_FIRMS, PALETTE, firm_colours
from ailoop.model.roster import HISTORY_FIRM_IDS
from ailoop.model.classroom.player import Player
from ailoop.model.classroom.recipe import HORIZON, Recipe, RecipeError, decode, encode, step_of, trading_date
from ailoop.model.classroom.session import FAULT_ENV, Session, one_line
from ailoop.model.classroom.settings import (
    DIALS, EVENT_BUTTONS, EVENT_BY_KEY, SENTIMENT_CHANNELS, STRIDES, dial_values, parse_seed, refusal, settings_text,
)
from ailoop.model.classroom.ticker import group_events, ticker_html, ticker_rows
from ailoop.model.classroom.workers import LocalHandle, Pool
from ailoop.model.params import PARAMETERS, ParameterError
from ailoop.model.scenarios import SCENARIOS
from ailoop.runs import app_assets
from ailoop.runs.cli import main

ROOT = Path(__file__).resolve().parents[1]
MONTH = STRIDES["month"]


def base(seed: int = 1, **dials) -> Recipe:
    return Recipe("baseline", seed, {**dial_values("baseline"), **dials})


# ------------------------------------------------------------------------------------ settings
def test_dials_are_table_parameters_with_their_ranges_and_units():
    names = {d.name for d in DIALS}
    assert {"real_demand_growth", "backlog_pricing", "cross_holdings", "sentiment_0", "retail_holders"} <= names
    for d in DIALS:
        p = PARAMETERS[d.name]
        assert d.param is p and d.help
        assert d.is_switch or (f"[{p.unit}]" in d.title and d.range_text == f"range {p.lo:g} … {p.hi:g} {p.unit}")
    assert dial_values("market_creation")["real_demand_growth"] == SCENARIOS["market_creation"].params["real_demand_growth"]
    assert dial_values("baseline")["real_demand_growth"] == PARAMETERS["real_demand_growth"].default
    for name in SENTIMENT_CHANNELS:
        dial = next(d for d in DIALS if d.name == name)
        assert dial.is_switch and dial_values("baseline")[name] is True


def test_the_running_settings_are_shown_in_words():
    text = settings_text("market_creation", 3, {**dial_values("market_creation"), "cross_holdings": False})
    assert text[:2] == ["scenario market_creation", "seed 3"]
    assert "Cross-holdings between firms: off (changed)" in text
    assert f"Real end-user demand growth: {dial_values('market_creation')['real_demand_growth']:g}" in text
    assert not any("cross_holdings" in t or "sentiment_0 " in t for t in text)  # no raw names


@pytest.mark.parametrize("text", ["5", "-0.6", "abc", "", "nan"])
def test_a_refused_dial_value_gets_the_tables_message(text):
    dial = next(d for d in DIALS if d.name == "real_demand_growth")
    with pytest.raises(ParameterError, match=r"^parameter 'real_demand_growth': .*; allowed: float in \[-0.5, 2\] 1/year \(log growth\)$"):
        dial.parse(text)
    assert dial.parse("0.2") == 0.2


def test_seed_must_be_a_whole_number_in_range():
    assert parse_seed(" 7 ") == 7
    for bad in ("-1", "1.5", "x", str(2**32)):
        with pytest.raises(ParameterError, match="allowed: an integer in"):
            parse_seed(bad)


def test_every_shock_preset_of_the_model_has_a_button_applying_its_own_shock_now():
    presets = {s.name for s in SCENARIOS.values() if len(s.shocks) == 1 and not s.params}
    assert {b.scenario for b in EVENT_BUTTONS} == presets
    assert [b.label for b in EVENT_BUTTONS][:3] == ["Stop the music", "GPU glut", "Credit crunch"]
    for b in EVENT_BUTTONS:
        preset = SCENARIOS[b.scenario].shocks[0]
        shock = b.shock()
        assert shock.date is None and shock.name.startswith(b.label)
        assert dataclasses.replace(shock, date=preset.date, name=preset.name) == preset


def test_a_shock_is_never_applied_twice():
    music, lab = EVENT_BY_KEY["music"], EVENT_BY_KEY["lab"]
    assert refusal(music, "baseline", {}) is None
    assert refusal(music, "baseline", {"music": "2026-05-30"}) == "applied 2026-05-30"
    assert "already applied (Stop the music" in refusal(lab, "baseline", {"music": "2026-05-30"})  # same kind
    assert refusal(EVENT_BY_KEY["glut"], "baseline", {"music": "2026-05-30"}) is None  # kinds combine
    assert "already schedules it" in refusal(music, "music_stops", {})  # the scenario's own shock
    assert "already schedules it" in refusal(EVENT_BY_KEY["glut"], "gpu_glut", {})
    s = Session(Recipe("music_stops", 1, dial_values("music_stops")))
    s.advance(5)
    assert "already schedules it" in s.apply_event("music") and not s.recipe.shocks


def test_the_glut_button_applies_the_markets_glut_once_at_todays_date():
    s = Session(Recipe("baseline", 1, dial_values("baseline")))
    s.advance(21)
    p0 = dict(s.economy.params)
    built = s.economy.gpu_market.capacity_built_gw()
    assert s.apply_event("glut") is None and s.apply_event("glut")  # the second press is refused
    shocks = [e for e in s.economy.events if e["event"] == "shock"]
    assert len(shocks) == 1 and shocks[0]["date"] == s.economy.date.isoformat()
    # the glut applied once: outside supply of half the capacity built, spot demand halved
    p = s.economy.params
    assert built > 0 and p["gpu_outside_supply_gw"] == pytest.approx(p0["gpu_outside_supply_gw"] + 0.5 * built)
    assert p["spot_demand_gw_0"] == pytest.approx(0.5 * p0["spot_demand_gw_0"])


# ------------------------------------------------------------------------------------ the recipe
def test_the_urls_calendar_is_the_economys_own():
    eco = Economy(scenario="baseline", seed=1, checks=False)
    dates = []
    for _ in range(HORIZON):
        eco.step()
        dates.append(eco.date)
    assert [trading_date(k) for k in range(1, HORIZON + 1)] == dates
    assert len(set(dates)) == HORIZON  # every trading day has its own date
    assert all(step_of(d) == k for k, d in enumerate(dates, start=1))
    assert step_of(trading_date(1) - dt_day()) is None


def dt_day():
    import datetime as dt

    return dt.timedelta(days=1)


def test_a_recipe_goes_through_the_url_and_back():
    r = Recipe("market_creation", 42, {**dial_values("market_creation"), "backlog_pricing": 0.2, "cross_holdings": False},
               (("glut", 100), ("crunch", 250)), 400)
    query = encode(r, {"view": "who-paid", "stride": "week"})
    assert "backlog_pricing=0.2" in query and "cross_holdings=0" in query and "real_demand_growth" not in query
    assert f"glut={trading_date(100).isoformat()}" in query and "day=400" in query
    back, view = decode(query)
    assert back == r and view == {"view": "who-paid", "stride": "week"}
    assert decode("") == (Recipe(), {})


@pytest.mark.parametrize("query,words", [
    ("scenario=nope", "scenario 'nope' is unknown; allowed: history, baseline, "),
    ("seed=-2", "seed '-2' is not allowed"),
    ("real_demand_growth=9", "parameter 'real_demand_growth'"),
    ("day=99999", "day '99999' is not allowed; allowed: a trading day in [0, 1512]"),
    ("music=2026-05-30&day=10", "music='2026-05-30' is not allowed"),
    ("music=2026-02-30&day=400", "music='2026-02-30' is not allowed"),
    ("music=2026-05-30&lab=2026-05-30&day=400", "lab cannot be applied: a shock of this kind is already applied"),
    ("scenario=gpu_glut&glut=2026-05-30&day=400", "glut cannot be applied: this scenario already schedules it"),
    ("colour=red", "field 'colour' is unknown; allowed: scenario, seed, day"),
    ("seed=1&seed=2", "gives 'seed' twice"),
])
def test_a_bad_link_is_refused_in_one_line(query, words):
    with pytest.raises(RecipeError) as e:
        decode(query)
    assert words in str(e.value) and "\n" not in str(e.value)


# ------------------------------------------------------------------------------------ sessions
def test_a_run_rebuilt_from_its_recipe_is_the_live_run_bit_for_bit():
    live = Session(base(3))
    for days in (1, 5, 21, 21, 21, 21, 21, 21, 21, 21, 15):  # the strides a student might mix
        live.advance(days)
    assert live.apply_event("music") is None
    live.advance(3 * MONTH)
    assert live.apply_event("crunch") is None
    live.advance(2 * MONTH + 4)
    rebuilt = Session(decode(encode(live.recipe))[0])  # through the URL, as a reload does
    a, b = live.tables(), rebuilt.tables()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True)
    assert live.economy.events == rebuilt.economy.events
    assert rebuilt.recipe == live.recipe and rebuilt.steps == live.steps == 189 + 5 * MONTH + 4


def test_the_counterfactual_is_the_same_economy_without_the_shocks():
    s = Session(base(2))
    s.advance(8 * MONTH)
    assert s.snapshot().counterfactual is None  # nothing to compare before a shock
    s.apply_event("music")
    s.advance(6 * MONTH)
    snap = s.snapshot()
    plain = Economy(scenario="baseline", seed=2)
    for _ in range(s.steps):
        plain.step()
    df = plain.datacollector.get_model_vars_dataframe()
    cf = snap.counterfactual
    assert cf["date"].iloc[-1] == df["date"].iloc[-1]
    assert cf["market_value_total"].iloc[-1] == df["market_value_total"].iloc[-1]
    assert snap.counterfactual_losses["venture_funds"] == df["loss.venture_funds"].iloc[-1]
    assert snap.frame["market_value_total"].iloc[-1] != cf["market_value_total"].iloc[-1]  # the shock mattered


def test_pause_stops_between_two_trading_days():
    s = Session(base())
    calls = []
    assert s.advance(100, stop=lambda: calls.append(1) or len(calls) > 7) == 7 and s.steps == 7


def test_a_failed_trading_day_is_one_line_and_the_economy_is_rebuilt_where_it_was():
    s = Session(base())
    s.advance(30)
    eco = s.economy
    original = eco.exchange.trade_day

    def flaky():  # day 41 fails half-way: its month has run, its trading has not
        if eco.steps == 41:
            raise ZeroDivisionError("division by zero somewhere deep")
        return original()

    eco.exchange.trade_day = flaky
    assert s.advance(MONTH) == 10  # days 31..40 ran, the 41st failed
    assert s.error.startswith(f"trading day 41 ({trading_date(41)}) failed: ") and "ZeroDivisionError: division by zero somewhere deep (at " in s.error
    assert "\n" not in s.error and s.steps == 40 and s.recipe.day == 40
    assert s.economy is not eco  # the torn economy was replaced
    fresh = Session(base().at(40))  # by the one a clean run reaches
    pd.testing.assert_frame_equal(s.tables()["model"], fresh.tables()["model"], check_exact=True)
    assert s.advance(MONTH) == MONTH and s.error is None  # and it goes on


def test_the_fault_switch_makes_one_day_fail_once(monkeypatch):
    monkeypatch.setenv(FAULT_ENV, "12")
    s = Session(base())
    assert s.advance(MONTH) == 11 and "injected fault at trading day 12" in s.error
    assert s.advance(MONTH) == MONTH and s.error is None


def test_one_line_names_the_error_and_where_it_was_raised():
    try:
        {}["x"]
    except KeyError as e:
        text = one_line(e)
    assert text.startswith("KeyError: 'x' (at test_app.py:") and "\n" not in text


# ------------------------------------------------------------------------------------ workers
def test_worker_sessions_match_local_ones_survive_a_dead_worker_and_pause_at_once():
    pool = Pool(2)
    try:
        h, local = pool.open(base(4)), LocalHandle(base(4))
        for _ in range(3):
            remote, near = h.advance(MONTH), local.advance(MONTH)
        pd.testing.assert_frame_equal(remote.frame, near.frame, check_exact=True)
        h.apply_event("glut")
        local.apply_event("glut")
        os.kill(h.worker.process.pid, signal.SIGKILL)  # the worker dies: the handle rebuilds from its recipe
        h.worker.process.join(5)
        remote, near = h.advance(MONTH), local.advance(MONTH)
        pd.testing.assert_frame_equal(remote.frame, near.frame, check_exact=True)
        assert remote.recipe == near.recipe and remote.recipe.shocks == (("glut", 3 * MONTH),)
        long = threading.Thread(target=lambda: h.advance(HORIZON))
        long.start()
        time.sleep(0.3)
        h.pause()
        long.join(10)
        assert not long.is_alive() and 4 * MONTH < h.latest.steps < HORIZON  # it stopped where it was
        h.close()
        assert sum(w.sessions for w in pool.workers) == 0
    finally:
        pool.stop()


# ------------------------------------------------------------------------------------ the Play loop
class FakeHandle:
    """A session that counts its ticks (one trading day each) and can be made to fail."""

    def __init__(self, horizon: int = 10_000, fail_at: int | None = None):
        self.steps, self.horizon, self.fail_at, self.calls, self.paused = 0, horizon, fail_at, [], False
        self.latest = self._snap()

    def _snap(self):
        return type("Snap", (), {"steps": self.steps, "finished": self.steps >= self.horizon, "error": None})()

    def resume(self):
        self.paused = False

    def pause(self):
        self.paused = True

    def advance(self, days):
        if self.fail_at is not None and self.steps + days >= self.fail_at:
            raise RuntimeError("the worker went away")
        self.calls.append(time.monotonic())
        self.steps = min(self.horizon, self.steps + (0 if self.paused else days))
        self.latest = self._snap()
        return self.latest


def run_player(handle, seconds, speed=100.0, ack=True, **kw):
    stops, published = [], []
    player = Player(lambda s: published.append(s.steps), lambda reason, error: stops.append((reason, error)),
                    lambda text: stops.append((text, True)))
    acker = threading.Event()

    def ack_loop():  # the browser: reports each published tick drawn after 20 ms
        while not acker.is_set():
            if ack and player.drawn_tick < player.published:
                time.sleep(0.02)
                player.drawn(player.published)
            time.sleep(0.002)

    threading.Thread(target=ack_loop, daemon=True).start()
    player.play(handle, 1, speed, **kw)
    time.sleep(seconds)
    player.pause()
    n = len(handle.calls)
    time.sleep(0.3)
    acker.set()
    player.close()
    return player, stops, published, n


@pytest.mark.alone  # counts the ticks played in half a second
def test_play_waits_for_the_browser_to_draw_each_tick():
    h = FakeHandle()
    player, _, published, _ = run_player(h, 0.5, ack=False)
    assert len(h.calls) == 1  # no drawing reported: no second tick (within the 5 s safety timeout)
    h = FakeHandle()
    player, _, published, _ = run_player(h, 0.5, ack=True)
    assert 10 <= len(h.calls) <= 26  # each tick waits ~20 ms for its drawing: at most 25 in 0.5 s


def test_play_keeps_to_the_wall_clock_and_pause_is_immediate():
    h = FakeHandle()
    _, _, _, n_at_pause = run_player(h, 1.0, speed=5.0)
    assert 5 <= n_at_pause <= 7  # 5 ticks a second (the first at once)
    assert len(h.calls) == n_at_pause  # nothing after Pause
    gaps = np.diff(h.calls)
    assert gaps.min() >= 0.19


def test_play_stops_at_the_end_on_an_error_and_on_the_tours_condition():
    _, stops, _, _ = run_player(FakeHandle(horizon=5), 0.5)
    assert stops == [("the run has reached its end", False)]
    _, stops, _, _ = run_player(FakeHandle(fail_at=3), 0.5)
    assert len(stops) == 1 and stops[0][1] and stops[0][0].startswith("Play stopped: RuntimeError: the worker went away")
    _, stops, _, _ = run_player(FakeHandle(), 0.5, until=lambda s: s.steps >= 4)
    assert stops == [("the tour's step is done", False)]
    h = FakeHandle()
    run_player(h, 0.5, to_day=7)
    assert h.steps == 7


# ------------------------------------------------------------------------------------ the views
@pytest.fixture(scope="module")
def spiral():
    """music_stops, seed 2, six years: defaults, write-offs, cancellations."""
    s = Session(Recipe("music_stops", 2, dial_values("music_stops")))
    s.advance(HORIZON)
    return s


def test_the_network_quotes_the_models_own_numbers_and_adds_up(spiral):
    snap = spiral.snapshot()
    net, eco = snap.network, spiral.economy
    df = eco.datacollector.get_model_vars_dataframe()
    assert net.committed_outstanding == df["committed_outstanding"].iloc[-1]  # one number everywhere
    assert net.cash_paid == df["cash_paid_cumulative"].iloc[-1]
    assert net.committed_on_edges + net.committed_elsewhere == pytest.approx(net.committed_outstanding, abs=1e-6)
    owed_between_nodes = sum(c.commitment() for c in eco.book.contracts
                             if eco.agent_or_none(c.holder) and eco.agent_or_none(c.issuer))
    assert net.committed_on_edges <= owed_between_nodes + 1e-6
    assert set(net.nodes) >= {a.aid for a in eco.loop_firms} | {"venture", "bond_buyer"}
    assert net.nodes["bond_buyer"].members == tuple(b.aid for b in eco.bond_buyers)
    lab_cloud = net.edge("lab", "cloud")
    assert lab_cloud.paid == pytest.approx(eco.ledger.paid_between("lab", "cloud") + eco.ledger.paid_between("cloud", "lab"))
    assert net.edge("bond_buyer", "cloud").paid == pytest.approx(
        eco.ledger.paid_between("bond_buyers", "cloud") + eco.ledger.paid_between("cloud", "bond_buyers"))
    option = network_option(net)["baseOption"]
    assert option["title"]["text"].startswith(f"{charts_money(net.committed_outstanding)} promised, not yet paid")
    for link in option["series"][0]["links"]:  # edge labels only on hover
        assert link["label"]["show"] is False and link["emphasis"]["label"]["show"] is True
    assert "lab (" in net.caption() and set(net.defaulted) >= {"lab"}


def charts_money(x):
    from ailoop.model.classroom.network import money

    return money(x)


def _lab(hex_colour: str) -> np.ndarray:
    """CIE L*a*b* (D65) of an sRGB colour, written out here as a second route."""
    rgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    lin = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ lin
    xyz /= np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_one_palette_of_distinct_colours_and_a_firm_keeps_its_colour(spiral):
    assert len(PALETTE) >= 12 and len(set(PALETTE)) == len(PALETTE)
    gaps = [np.linalg.norm(_lab(a) - _lab(b)) for a, b in itertools.combinations(PALETTE, 2)]
    assert min(gaps) > 20  # every pair clearly apart
    firms = [a.aid for a in spiral.economy.loop_firms]
    assert len(ALL_FIRMS) <= len(PALETTE), "the rosters outgrew the palette: add colours"
    assert len(set(firm_colours(list(ALL_FIRMS)).values())) == len(ALL_FIRMS)  # every firm of every world apart
    colours = firm_colours(firms)
    assert len(set(colours.values())) == len(firms)
    early = Session(base(2))  # another run, another day, other ranks: the same colours
    early.advance(MONTH)
    assert early.snapshot().colours == spiral.snapshot().colours == colours
    world = Session(Recipe("history", 1, dial_values("history")))  # the other world: more firms, the same colours
    wide = world.snapshot().colours
    assert set(wide) == set(HISTORY_FIRM_IDS) and {f: wide[f] for f in colours} == colours
    series = charts.market_value(spiral.snapshot())["series"]
    assert {s["name"]: s["itemStyle"]["color"] for s in series if s["name"] in colours} == \
        {f: colours[f] for f in spiral.snapshot().firms}


def test_the_ticker_groups_rows_and_keeps_the_story(spiral):
    events = [{"step": 300, "date": "2027-01-01", "event": "write-off", "agent": f"bond_{k:02d}", "group": "bond_buyer",
               "cause": "claim on spv", "size": 0.1 + 0.01 * k} for k in range(30)]
    events += [{"step": 300, "date": "2027-01-01", "event": "covenant breach", "agent": "neocloud", "group": "neocloud",
                "cause": f"test {k}", "size": 0.0} for k in range(4)]
    rows = group_events(events)
    assert len(rows) == 2
    assert rows[0].who() == "30 bond buyers" and rows[0].size == pytest.approx(sum(0.1 + 0.01 * k for k in range(30)))
    assert rows[1].who() == "neocloud" and rows[1].headline() == "covenant breach ×4"
    html_ = ticker_html(events)
    assert html_.count('class="ticker-row') == 2 and "4 events: show each" in html_ and "in all" in html_
    assert "covenant" not in ticker_html(events, key_only=True)
    assert "&lt;b&gt;" in ticker_html([{"step": 1, "date": "2026-01-01", "event": "failed round", "agent": "lab",
                                        "cause": "<b>offers</b> short", "size": 0.0}])
    assert "nothing yet" in ticker_html([])
    snap = spiral.snapshot()  # six years of a spiral: the founding deal is still in the ticker
    rows = ticker_rows(snap.events, key_only=True)
    assert any(r.event == "deal announced" and "lab-cloud contract" in r.causes for r in rows)
    assert len(group_events(snap.events)) < len(snap.events)


def test_every_chart_axis_is_named_with_its_unit_and_signs_are_explained(spiral):
    snap = spiral.snapshot()
    for build in (charts.market_value, charts.promises, charts.gpus, charts.who_paid):
        option = build(snap)
        json.dumps(option)  # plain data for the browser
        o = option.get("baseOption", option)
        assert o["toolbox"]["feature"]["saveAsImage"]["pixelRatio"] == 2  # a PNG at twice the size
        axes = [a for key in ("xAxis", "yAxis") for a in (o[key] if isinstance(o[key], list) else [o[key]])]
        for axis in axes:
            assert axis["axisLabel"]["fontSize"] >= 12, build.__name__
            if axis["type"] == "time":
                assert axis["name"] == "date", build.__name__
            elif axis["type"] == "value":
                assert re.search(r"\$|GW|−1|%", axis["name"]), (build.__name__, axis["name"])
            else:
                assert axis["type"] == "category" and axis["data"]
    who = charts.who_paid(snap)["baseOption"]
    gained = [charts.CLASS_LABELS[c] for c, v in snap.losses.items() if v < -0.05]
    assert "+ a loss (red), − a gain (green)" in who["title"][0]["subtext"]
    assert all(g in who["title"][0]["subtext"] for g in gained)
    assert all(len(s["data"]) <= 330 for s in charts.market_value(snap)["series"])
    empty = Session(base()).snapshot()  # before the first step: no rows, still drawable
    for build in (charts.market_value, charts.promises, charts.gpus, charts.who_paid):
        json.dumps(build(empty))


def test_the_counterfactual_and_the_last_run_are_drawn_faded():
    s = Session(base())
    s.advance(9 * MONTH)
    s.apply_event("music")
    s.advance(MONTH)
    snap = s.snapshot()
    names = lambda o: [x["name"] for x in o["series"]]  # noqa: E731
    assert "total, without the shocks" in names(charts.market_value(snap, "shocks"))
    assert "total, without the shocks" not in names(charts.market_value(snap, "none"))
    assert "total, last run" in names(charts.market_value(snap, "last", snap.frame))
    who = charts.who_paid(snap, "shocks")["baseOption"]
    assert [x["name"] for x in who["series"]][1] == "without the shocks"


def test_the_monitors_read_the_runway_and_the_spread(spiral):
    s = Session(base())
    s.advance(4 * MONTH)
    snap = s.snapshot()
    m = {x.key: x for x in snap.monitors}
    lab = s.economy.agent("lab")
    cash = s.economy.datacollector.get_model_vars_dataframe()["cash.lab"].iloc[-1]  # the table's column
    burn = np.mean(lab.burn_history[-3:])
    assert m["runway.lab"].value == pytest.approx(cash / burn) and m["runway.lab"].unit == "months"
    table = s.economy.datacollector.get_model_vars_dataframe()
    assert m["spread.cloud"].unit == "bp" and m["spread.cloud"].value == table["spread.cloud"].iloc[-1]  # bp there too
    assert 0 < m["spread.cloud"].value < 5000  # a spread in bp, not a fraction of one, nor bp counted twice
    assert {f"runway.{a.aid}" for a in s.economy.labs} <= set(m)
    dead = {x.key: x for x in spiral.snapshot().monitors}
    assert dead["runway.lab"].text == "in default"


def test_downloads_are_the_runs_tables():
    s = Session(base())
    s.advance(MONTH)
    tables = s.tables()
    back = pd.read_parquet(io.BytesIO(table_bytes(tables["model"], "parquet")))
    pd.testing.assert_frame_equal(back, tables["model"].reset_index(drop=True), check_exact=True)
    csv = pd.read_csv(io.BytesIO(table_bytes(tables["events"], "csv")))
    assert len(csv) == len(s.economy.events)
    assert file_name(s.recipe.with_shock("glut", 21), "agents", "csv") == "ailoop-baseline-seed1-glut21-day21-agents.csv"
    with pytest.raises(ValueError, match="allowed: csv, parquet"):
        table_bytes(tables["model"], "xlsx")


# ------------------------------------------------------------------------------------ the lesson
def test_the_real_announcement_moves_are_the_ones_docs_calibration_sources():
    text = (ROOT / "docs" / "calibration.md").read_text()
    for move in lesson.REAL_MOVES:
        day = int(move.date[-2:])
        assert re.search(rf"{move.company} (about )?\+{100 * move.move:.0f}% on {day} Sept 2025", text), move
        assert f"${move.value_change:.0f}B" in text
    names = {e["cause"] for e in Economy(scenario="baseline", seed=1, checks=False).events} | {
        d.name for d in __import__("ailoop.model.deals", fromlist=["BASELINE_DEALS"]).BASELINE_DEALS}
    assert all(m.deal in names for m in lesson.REAL_MOVES)


def test_the_glossary_scenarios_and_shocks_are_described():
    for word in ("backlog pricing", "wealth amplification", "LTV (loan-to-value)", "covenant", "tranche",
                 "committed outstanding", "who paid (signs)"):
        assert word in lesson.GLOSSARY
    for name, s in SCENARIOS.items():
        assert lesson.scenario_text(name).lower().startswith(s.description[:30].lower())
    texts = lesson.shock_texts()
    assert set(texts) == {b.key for b in EVENT_BUTTONS}
    assert "25% below its trend" in texts["music"] and "300 bp" in texts["crunch"]  # read from the presets' terms
    assert "worth 50% of the capacity built" in texts["glut"] and "falls to 50% of its level" in texts["glut"]
    for part in ("What is it?", "How it works", "How to use it", "Things to notice", "Things to try", "References"):
        assert f"### {part}" in lesson.INFO


def test_the_tour_walks_the_story_with_numbers_read_from_the_run():
    steps = lesson.tour()
    assert [s.title.split(". ", 1)[1] for s in steps][:6] == [
        "The loop on 1 September 2025", "The announcement day", "The up-loop", "Stop the music", "The down-loop",
        "Who paid"]
    s = Session(steps[0].action.recipe)
    assert "1 September 2025" in steps[0].text(s.snapshot())
    while not steps[1].action.until(s.snapshot()):
        s.advance(1)
    snap = s.snapshot()
    row = next(r for r in snap.announcements if r["deal"] == "lab-cloud contract")
    assert f"{100 * row['firm_return']:+.0f}%" in steps[1].text(snap) and "Oracle rose **+36%**" in steps[1].text(snap)
    s.advance(steps[2].action.to_day - s.steps)
    snap = s.snapshot()
    committed = next(m for m in snap.monitors if m.key == "committed_outstanding").value
    assert f"${committed:,.0f}B" in steps[2].text(snap) or f"${committed / 1000:,.2f}T" in steps[2].text(snap)
    s.apply_event(steps[3].action.key)
    assert "The music stopped on" in steps[3].text(s.snapshot())
    while not steps[4].action.until(s.snapshot()):
        s.advance(MONTH)
    assert "default(s)" in steps[4].text(s.snapshot())
    assert "Gains (negative bars)" in steps[5].text(s.snapshot())


# ------------------------------------------------------------------------------------ the page
def html_of(root, cls: str, expect: int = 1) -> str | None:
    """The inner HTML of the one ``solara.HTML`` element of class ``cls`` under ``root`` (with
    ``expect=0``: None, after checking there is none)."""
    found = []

    def walk(w):
        if cls in str((getattr(w, "attributes", None) or {}).get("class", "")).split():
            found.append(w.unsafe_innerHTML)
        for c in getattr(w, "children", None) or []:
            if hasattr(c, "children") or hasattr(c, "attributes"):
                walk(c)

    walk(root)
    assert len(found) == expect, (cls, found)
    return found[0] if found else None


@pytest.fixture()
def page(monkeypatch):
    """The page rendered in this process (Solara's test renderer), its economy in this process too."""
    import ipyvuetify as v
    import solara

    import ailoop.model.app as app

    monkeypatch.setenv("AILOOP_APP_WORKERS", "0")
    box, rc = solara.render(app.Page(), handle_error=False)

    def click(label):
        rc.find(v.Btn, children=[label]).widget.click()

    def day():
        return int(re.search(r"trading day (\d+)", html_of(box, "ailoop-day")).group(1))

    yield rc, click, day, box
    rc.close()


def test_the_page_steps_plays_pauses_and_shocks(page):
    import ipyvuetify as v

    rc, click, day, box = page
    click("Step")
    assert day() == MONTH
    click("Stop the music")
    assert rc.find(v.Btn, children=["Stop the music"]).widget.disabled
    click("day")
    click("Play")
    from ailoop.model.classroom.widgets import _Heartbeat

    beat = rc.find(_Heartbeat).widget  # the browser's acks, given by hand
    t0 = time.monotonic()
    while day() < MONTH + 5 and time.monotonic() - t0 < 10:
        beat.vue_drawn(beat.tick)  # as the browser reports each drawn tick
        time.sleep(0.02)
    click("Pause")
    time.sleep(0.3)
    held = day()
    beat.vue_drawn(beat.tick)
    time.sleep(0.5)
    assert day() == held > MONTH + 4


def test_a_refused_field_blocks_reset_until_fixed(page):
    import ipyvuetify as v

    rc, click, day, box = page
    reset = lambda: rc.find(v.Btn, children=["Reset: new economy with these settings"]).widget  # noqa: E731
    field = rc.find(v.TextField, class_="dial-real_demand_growth").widget
    field.v_model = "5"
    field.fire_event("keyup.enter", {})
    assert reset().disabled
    seed = rc.find(v.TextField, class_="seed-input").widget
    seed.v_model = "x"
    seed.fire_event("keyup.enter", {})
    field.v_model = "0.3"
    field.fire_event("keyup.enter", {})
    assert reset().disabled  # the seed is still refused
    seed.v_model = "4"
    seed.fire_event("keyup.enter", {})
    assert not reset().disabled
    click("Reset: new economy with these settings")
    text = html_of(box, "ailoop-running")
    assert "seed 4" in text and "Real end-user demand growth: 0.3 (changed)" in text


def test_importing_the_app_makes_no_economy_and_starts_no_worker():
    import importlib

    import ailoop.model.app as app
    from ailoop.model.classroom import workers

    made = []
    original = Session.__init__
    try:
        Session.__init__ = lambda self, *a, **k: made.append(1) or original(self, *a, **k)
        importlib.reload(app)
    finally:
        Session.__init__ = original
    assert made == [] and callable(app.Page) and workers._POOL is None


@pytest.mark.filterwarnings("ignore:.*use_state. found despite early return")  # Mesa's own component
def test_economy_passes_mesas_solaraviz_parameter_check():
    """Mesa's SolaraViz accepts Economy with its dials as sliders (the app builds its own page)."""
    from mesa.visualization.solara_viz import _check_model_params

    _check_model_params(Economy.__init__, {"scenario": "baseline", "seed": 1, **dial_values("baseline")})


def test_the_asset_list_is_what_the_installed_solara_asks_for():
    import solara

    root = Path(solara.__file__).parent
    text = "".join((root / f).read_text() for f in ("server/templates/solara.html.j2", "server/settings.py",
                                                     "components/echarts.vue"))
    assert 'const version = "5.4.0"' in text
    for asset in app_assets.ASSETS:
        if asset.folder.startswith("echarts@"):
            continue
        assert asset.folder in text, f"solara no longer asks for {asset.folder}: update runs/app_assets.py"


def test_missing_assets_say_what_to_run(tmp_path, capsys):
    assert app_assets.missing(tmp_path) == [a.folder for a in app_assets.ASSETS]
    assert main(["app", "--assets", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "ailoop app --fetch-assets" in err and str(tmp_path) in err
    assert main(["app", "--port", "70000", "--assets", str(tmp_path)]) == 2
    assert "--port 70000 is out of range" in capsys.readouterr().err


def test_the_screenshots_in_docs_are_there_at_their_screen_sizes():
    import struct

    from app_screenshots import SHOTS

    for shot in SHOTS:
        data = (ROOT / "docs" / "img" / f"{shot.name}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (shot.width, shot.height), shot.name


def test_a_view_that_cannot_be_drawn_is_one_line_and_the_page_lives_on(page, monkeypatch):
    import ipyvuetify as v

    from ailoop.model.classroom import charts as charts_module

    rc, click, day, box = page

    def broken(*args):
        raise KeyError("gpu_price_new")

    monkeypatch.setitem(charts_module.VIEWS, "gpus", broken)
    tabs = rc.find(v.Tabs).widget
    tabs.v_model = list(__import__("ailoop.model.app", fromlist=["VIEWS"]).VIEWS).index("gpus")
    text = html_of(box, "ailoop-error")
    assert text.startswith("the GPUs &amp; capacity view could not be drawn: KeyError: &#x27;gpu_price_new&#x27;")
    click("Step")  # the economy and the rest of the page go on
    assert day() == MONTH


def test_an_error_in_a_button_is_one_line(page, monkeypatch):
    rc, click, day, box = page
    from ailoop.model.classroom.workers import LocalHandle

    def gone(self, days):
        raise ConnectionError("the worker went away")

    monkeypatch.setattr(LocalHandle, "advance", gone)
    click("Step")
    assert html_of(box, "ailoop-error").startswith("ConnectionError: the worker went away (at test_app.py:")
    monkeypatch.undo()
    click("Step")
    assert day() == MONTH and html_of(box, "ailoop-error", expect=0) is None  # the line goes with the next step


def test_a_node_the_layout_does_not_know_gets_a_free_place():
    """New agents (a later model's developer, lender, second lab) appear without an edit: each on
    the outer ring, away from every node placed before it."""
    from ailoop.model.classroom.network import HINTS, positions

    known = list(HINTS)
    where = positions(known + ["dc_developer", "private_credit", "lab_2"])
    assert all(where[k] == HINTS[k] for k in known)
    new = [where[k] for k in ("dc_developer", "private_credit", "lab_2")]
    for k, p in enumerate(new):
        others = [where[x] for x in known] + new[:k]
        assert min(math.dist(p, q) for q in others) > 0.5, p
    assert positions(known + ["dc_developer"])["dc_developer"] == where["dc_developer"]  # the same place every time


def test_a_tick_of_a_session_left_by_reset_is_not_shown():
    slow = FakeHandle()
    slow_advance = slow.advance
    slow.advance = lambda days: (time.sleep(0.3), slow_advance(days))[1]  # a long tick under way
    shown = []
    player = Player(lambda s: shown.append(s), lambda *a: None, lambda *a: None)
    player.play(slow, 1, 100.0)
    time.sleep(0.1)  # the tick is running
    player.pause()
    fresh = FakeHandle()
    player.use(fresh)  # Reset: the page now shows another session
    time.sleep(0.5)
    player.close()
    assert shown == [] and len(slow.calls) == 1


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_every_scenario_draws_every_view_with_every_button_it_allows(scenario):
    """Each preset of the model (a new one too): two years, every event button the scenario allows
    pressed on the way, then every view, the monitors and the tour's texts built from the snapshot."""
    s = Session(Recipe(scenario, 1, dial_values(scenario)))
    for b in EVENT_BUTTONS:
        s.advance(4 * MONTH)
        why = refusal(b, scenario, s.recipe.shock_dates())
        assert s.apply_event(b.key) == why  # refused exactly when the rule says so
    s.advance(8 * MONTH)
    snap = s.snapshot()
    assert snap.error is None and snap.steps == (4 * len(EVENT_BUTTONS) + 8) * MONTH
    for compare in ("shocks", "last", "none"):
        for build in (charts.market_value, charts.promises, charts.gpus):
            json.dumps(build(snap, compare, snap.frame))
        json.dumps(charts.who_paid(snap, compare, snap.losses))
    json.dumps(network_option(snap.network))
    ticker_html(snap.events)
    assert all(m.text for m in snap.monitors)
    for step in lesson.tour():
        assert step.text(snap)


def test_the_tours_next_and_back_move_the_card_shown(page):
    """The tour's card follows its step (a component handed unchanged arguments is not drawn again,
    so the step must be one of them): Next twice, then Back, as a student clicks them."""
    import ipyvuetify as v

    rc, click, day, box = page
    rc.find(v.BtnToggle, class_="ail-panels").widget.v_model = 1  # the Lesson panel
    titles = [s.title for s in lesson.tour()]
    shown = lambda: html_of(box, "ail-help")  # noqa: E731 - "step k of n" under the card
    assert shown() == f"step 1 of {len(titles)}"
    rc.find(v.Btn, class_="tour-next").widget.click()
    rc.find(v.Btn, class_="tour-next").widget.click()
    assert shown() == f"step 3 of {len(titles)}"
    rc.find(v.CardTitle, children=[titles[2]]).assert_single()  # the card's title
    rc.find(v.Btn, class_="tour-back").widget.click()
    assert shown() == f"step 2 of {len(titles)}"
