"""The classroom app without a browser: its settings, sessions, views, assets and command.

The browser tests (``tests/test_app_browser.py``) drive the page; these check the pieces it is
made of, quickly: dials against the parameter table, the event buttons against the scenario
presets, one economy per session, the seed whose spiral the browser test watches, every chart
axis named with its unit, the network and ticker read off the economy, the asset list against
what the installed solara asks for, and ``ailoop app``'s refusals.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from ailoop.model.classroom import charts
from ailoop.model.classroom.network import cancellations, network_option
from ailoop.model.classroom.session import Session
from ailoop.model.classroom.settings import (
    DIALS, EVENT_BUTTONS, SENTIMENT_CHANNELS, STRIDES, dial_values, parse_seed,
)
from ailoop.model.classroom.ticker import ticker_html
from ailoop.model.params import PARAMETERS, ParameterError
from ailoop.model.scenarios import SCENARIOS
from ailoop.runs import app_assets
from ailoop.runs.cli import main


def test_dials_are_table_parameters_with_their_ranges_and_units():
    names = {d.name for d in DIALS}
    assert {"real_demand_growth", "backlog_pricing", "cross_holdings", "sentiment_0", "retail_holders"} <= names
    for d in DIALS:
        p = PARAMETERS[d.name]
        assert d.param is p
        assert d.is_switch or f"[{p.unit}]" in d.title
    assert dial_values("market_creation")["real_demand_growth"] == 0.9  # the scenario's own setting
    assert dial_values("baseline")["real_demand_growth"] == PARAMETERS["real_demand_growth"].default
    # the sentiment channels (issue 12): a switch each, on by default
    for name in SENTIMENT_CHANNELS:
        dial = next(d for d in DIALS if d.name == name)
        assert dial.is_switch and dial_values("baseline")[name] is True


def test_sentiment_channel_switches_reach_the_economy():
    """Each switch turns its channel off in the session's economy: with all three off the mood
    only decays from its start, whatever the market does."""
    off = {name: False for name in SENTIMENT_CHANNELS}
    s = Session("baseline", 1, {**dial_values("baseline"), **off})
    p = s.economy.params
    assert not any(p[name] for name in SENTIMENT_CHANNELS)
    s0 = s.economy.sentiment.value
    s.advance(21)
    decay = 1.0 - p["sentiment_mean_reversion"]
    import math
    assert s.economy.sentiment.value == pytest.approx(math.tanh(math.atanh(s0) * decay ** 21), rel=1e-12)
    on = Session("baseline", 1)
    on.advance(21)
    assert on.economy.sentiment.value != pytest.approx(s.economy.sentiment.value, rel=1e-6)


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


def test_event_buttons_apply_the_scenarios_own_shocks_now():
    for b in EVENT_BUTTONS:
        preset = SCENARIOS[b.scenario].shocks[0]
        shock = b.shock()
        assert shock.date is None and shock.name.startswith(b.label)
        assert dataclasses.replace(shock, date=preset.date, name=preset.name) == preset


def test_sessions_are_independent_and_stop_at_the_horizon():
    a, b = Session("baseline", 1), Session("baseline", 1)
    assert a.economy is not b.economy
    assert a.advance(STRIDES["month"]) == 21 and a.economy.steps == 21 and b.economy.steps == 0
    assert a.latest.steps == 21 and b.latest.steps == 0 and a.ticks == 1
    short = Session("baseline", 1, years=1 / 12)
    assert short.advance(100) == 21 and short.finished and short.advance(1) == 0


def test_an_event_button_is_logged_at_the_current_date_once():
    s = Session("baseline", 1)
    s.advance(21)
    p0 = dict(s.economy.params)
    built = s.economy.gpu_market.capacity_built_gw()
    assert s.apply_event("glut") and not s.apply_event("glut")
    assert s.apply_event("crunch")  # shocks combine
    shocks = [e for e in s.economy.events if e["event"] == "shock"]
    assert [e["cause"] for e in shocks] == ["GPU glut: GPU glut", "Credit crunch: credit crunch"]
    assert {e["date"] for e in shocks} == {s.economy.date.isoformat()} == set(s.latest.shocks.values())
    # the glut applied once: outside supply of half the capacity built, spot demand halved
    p = s.economy.params
    assert built > 0 and p["gpu_outside_supply_gw"] == pytest.approx(p0["gpu_outside_supply_gw"] + 0.5 * built)
    assert p["spot_demand_gw_0"] == pytest.approx(0.5 * p0["spot_demand_gw_0"])


def test_stopping_the_music_after_nine_months_brings_the_lab_down_within_the_run():
    """The premise of the browser test's spiral: baseline, seed 1, Stop the music in May 2026."""
    s = Session("baseline", 1)
    for _ in range(9):
        s.advance(21)
    s.apply_event("music")
    while "lab" not in s.economy.defaults.defaulted and not s.finished:
        s.advance(21)
    assert "lab" in s.economy.defaults.defaulted and not s.finished
    kinds = {(e["event"], e["agent"]) for e in s.economy.events}
    assert ("failed round", "lab") in kinds and ("default", "lab") in kinds
    net = s.latest.network
    assert "lab" in net.defaulted and net.nodes["lab"].default_date
    assert net.edge("cloud", "lab").n_cancelled >= 1
    assert "lab (" in net.caption()
    lab = next(n for n in network_option(net)["series"][0]["data"] if n["name"] == "lab")
    assert "DEFAULT" in lab["label"]["formatter"]


def test_the_network_shows_promises_and_cash_paid_between_firms():
    s = Session("baseline", 1)
    s.advance(63)
    net = s.latest.network
    eco = s.economy
    lab_cloud = net.edge("lab", "cloud")
    assert lab_cloud.committed == pytest.approx(sum(c.commitment() for c in eco.book.contracts
                                                    if c.active and {c.holder, c.issuer} == {"lab", "cloud"}))
    assert lab_cloud.paid == pytest.approx(eco.ledger.paid_between("lab", "cloud") + eco.ledger.paid_between("cloud", "lab"))
    assert net.nodes["chip_leader"].market_value == pytest.approx(eco.agent("chip_leader").market_cap)
    links = network_option(net)["series"][0]["links"]
    styles = {link["lineStyle"].get("type", "solid") for link in links}
    assert {"solid", "dashed"} <= styles  # cash paid and committed are drawn differently


def test_cancellations_are_read_from_the_event_log():
    events = [
        {"event": "contract cancelled", "agent": "cloud", "cause": "lab-cloud 4.5 GW with lab: lab defaulted; backlog lost 300.0 $B", "size": 300.0},
        {"event": "chip order cancelled", "agent": "chip_leader", "cause": "neocloud: no longer needed", "size": 2.0},
        {"event": "contract cancelled", "agent": "lab", "cause": "staged_investment with chip_leader: lab defaulted", "size": 0.0},
        {"event": "contract cancelled", "agent": "cloud", "cause": "capacity with rest_of_market: x", "size": 1.0},
    ]
    assert cancellations(events) == [("cloud", "lab", 300.0), ("chip_leader", "neocloud", 2.0), ("lab", "chip_leader", 0.0)]


def test_every_chart_axis_is_named_with_its_unit():
    s = Session("music_stops", 2)
    s.advance(21 * 12)
    snap = s.latest
    for build in (charts.market_value, charts.promises, charts.gpus, charts.who_paid):
        option = build(snap)
        json.dumps(option)  # plain data for the browser
        axes = [a for key in ("xAxis", "yAxis") for a in (option[key] if isinstance(option[key], list) else [option[key]])]
        for axis in axes:
            if axis["type"] == "time":
                assert axis["name"] == "date", build.__name__
            elif axis["type"] == "value":  # every value axis names its unit
                assert re.search(r"\$|GW|index|%", axis["name"]), (build.__name__, axis["name"])
            else:
                assert axis["type"] == "category" and axis["data"]
    assert len(charts.market_value(snap)["series"][0]["data"]) <= charts.MAX_POINTS + 1
    empty = Session("baseline", 1).latest  # before the first step: no rows, still drawable
    for build in (charts.market_value, charts.promises, charts.gpus, charts.who_paid):
        json.dumps(build(empty))


def test_the_ticker_escapes_causes_and_tags_each_event():
    out = ticker_html([{"step": 1, "date": "2026-01-01", "event": "failed round", "agent": "lab",
                        "cause": "<b>offers</b> short", "size": 0.0}])
    assert 'class="ticker-row ev-failed-round"' in out and "&lt;b&gt;offers" in out and "<b>offers" not in out
    assert "nothing yet" in ticker_html([])


def test_importing_the_app_makes_no_economy():
    """Solara imports the module once per server: a module-level model would be shared by all."""
    import importlib

    import ailoop.model.app as app

    made = []
    original = Session.__init__
    try:
        Session.__init__ = lambda self, *a, **k: made.append(1) or original(self, *a, **k)
        importlib.reload(app)
    finally:
        Session.__init__ = original
    assert made == [] and callable(app.Page)


@pytest.mark.filterwarnings("ignore:.*use_state. found despite early return")  # Mesa's own component
def test_economy_passes_mesas_solaraviz_parameter_check():
    """Mesa's SolaraViz accepts Economy with its dials as sliders (the app builds its own page)."""
    from mesa.visualization.solara_viz import _check_model_params

    from ailoop.model import Economy

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
