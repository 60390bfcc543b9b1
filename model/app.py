"""The classroom app: run the AI loop in a browser, stop the music, and see who pays.

Start it with ``ailoop app`` (``solara run ailoop.model.app --production`` on 127.0.0.1, offline:
see ``runs/app_server.py``). Mesa's convention puts the app beside the model. The page is a Solara
page like Mesa's ``SolaraViz`` (the model is a ``mesa.Model``; Step, Play and Reset drive
``Economy.step``) but has its own controls: the lesson needs a stride in trading days, event
buttons that shock the running economy between two trading days, dials checked against the
parameter table, and dated views; and ``SolaraViz``'s parameter check still refuses ``Economy``
(its catch-all is ``**params``, where Mesa accepts only ``**kwargs``; ``tests/test_app.py``).

**One economy per browser session.** Solara imports this module once per server process, so a
model made at module level would be shared by every student. The economy is made inside
:func:`Page` (``solara.use_memo``); each page load gets its own kernel, so its own economy, and
Reset replaces only that one. The Play loop runs in a thread of that kernel and steps the economy
under the session's lock (``model/classroom/session.py``).

Views (units on every axis; money in $B): the loop as a network, market value by firm with
sentiment, committed outstanding against cash paid and wealth amplification, GPU prices and rent
with capacity (GW), who paid by holder class and where chip_leader's receipts came from, and the
event ticker. Charts are ECharts options drawn in the browser (``model/classroom/charts.py``).
"""

from __future__ import annotations

import threading
import time

import solara

from ailoop.model.classroom import charts
from ailoop.model.classroom.network import network_option
from ailoop.model.classroom.session import Session
from ailoop.model.classroom.settings import (
    DEFAULT_SCENARIO, DEFAULT_SEED, DEFAULT_STRIDE, DIALS, EVENT_BUTTONS, STRIDES, Dial, dial_values, parse_seed,
    scenario_names,
)
from ailoop.model.classroom.ticker import ticker_html
from ailoop.model.params import ParameterError

#: seconds Play rests between two ticks, so that clicks (Pause, the event buttons) get through
PLAY_REST_S = 0.03
CHART_HEIGHT = "330px"


def new_session(scenario: str = DEFAULT_SCENARIO, seed: int = DEFAULT_SEED, dials: dict | None = None) -> Session:
    return Session(scenario, seed, dials if dials is not None else dial_values(scenario))


@solara.component
def DialControl(dial: Dial, value, on_value):
    """A slider (or a switch) over the table's range, and a field checked against the table: a
    value the table refuses shows the table's message and changes nothing."""
    error, set_error = solara.use_state(None)

    def typed(text):
        try:
            on_value(dial.parse(text))
            set_error(None)
        except ParameterError as e:
            set_error(str(e))

    if dial.is_switch:
        solara.Switch(label=dial.title, value=value, on_value=on_value)
        return
    p = dial.param
    solara.Text(dial.title, style="font-size: 13px; margin-top: 8px")
    with solara.Row(style="align-items: center"):
        with solara.Column(style="flex: 3"):
            if p.kind is int:
                solara.SliderInt("", value=value, min=int(p.lo), max=int(p.hi), step=int(dial.step), on_value=on_value)
            else:
                solara.SliderFloat("", value=value, min=p.lo, max=p.hi, step=dial.step, on_value=on_value)
        with solara.Column(style="flex: 1"):
            solara.InputText(dial.label, value=f"{value:g}", on_value=typed, error=bool(error), dense=True,
                             classes=[f"dial-{dial.name}"])
    if error:
        solara.Error(error, dense=True, classes=["dial-error"])


@solara.component
def SettingsCard(on_reset):
    """Scenario, seed and the headline dials for the next economy (they apply on Reset)."""
    scenario = solara.use_reactive(DEFAULT_SCENARIO)
    seed = solara.use_reactive(DEFAULT_SEED)
    dials = solara.use_reactive(dial_values(DEFAULT_SCENARIO))
    seed_error, set_seed_error = solara.use_state(None)

    def pick_scenario(name):
        scenario.set(name)
        dials.set(dial_values(name))

    def typed_seed(text):
        try:
            seed.set(parse_seed(text))
            set_seed_error(None)
        except ParameterError as e:
            set_seed_error(str(e))

    with solara.Card("Next economy", subtitle="applies when you press Reset"):
        solara.Select("Scenario", values=scenario_names(), value=scenario.value, on_value=pick_scenario)
        solara.InputText("Seed", value=str(seed.value), on_value=typed_seed, error=bool(seed_error), dense=True,
                         classes=["seed-input"])
        if seed_error:
            solara.Error(seed_error, dense=True, classes=["dial-error"])
        for d in DIALS:
            DialControl(d, dials.value[d.name], lambda v, name=d.name: dials.set({**dials.value, name: v}))
        solara.Button("Reset: new economy with these settings", color="primary", outlined=True,
                      on_click=lambda: on_reset(scenario.value, seed.value, dict(dials.value)))


@solara.component
def Chart(option: dict, name: str, height: str = CHART_HEIGHT):
    solara.FigureEcharts(option=option, attributes={"style": f"height: {height}; width: 100%", "class": f"chart-{name}"},
                         responsive=True)


@solara.component
def Page():
    # the session's economy: made here, inside the component, so every browser session has its own
    first = solara.use_memo(new_session, [])
    session = solara.use_reactive(first)
    tick = solara.use_reactive(0)  # bumped after each tick: the page redraws
    playing = solara.use_reactive(False)
    stride = solara.use_reactive(DEFAULT_STRIDE)
    s = session.value
    snap = s.latest  # taken after the tick, under the session's lock: drawing never waits for a trading day

    def redraw():
        tick.set(s.ticks)

    def step():
        s.advance(STRIDES[stride.value])
        redraw()

    def play_loop(cancel: threading.Event):
        # each tick: run the stride, ask for a redraw, wait until the page has drawn it, rest a
        # moment so that clicks (Pause, the event buttons) are handled between ticks
        while playing.value and not cancel.is_set():
            ran = s.advance(STRIDES[stride.value])
            redraw()
            if ran == 0 or s.finished:
                playing.set(False)
                return
            s.wait_drawn(s.ticks)
            time.sleep(PLAY_REST_S)

    # intrusive_cancel=False: Pause must never interrupt a trading day half-way
    solara.use_thread(play_loop, dependencies=[playing.value, s], intrusive_cancel=False)

    def reset(scenario, seed, dials):
        playing.set(False)
        with s.lock:  # let a running tick finish first
            session.set(new_session(scenario, seed, dials))
        s.close()
        tick.set(0)

    def shock(key):
        s.apply_event(key)
        redraw()

    solara.Title("AI Loop classroom")
    with solara.AppBar():
        solara.AppBarTitle(children=["AI Loop: the classroom"])
    with solara.Sidebar():
        RunCard(snap, s.settings, stride, playing, step)
        EventsCard(snap, shock)
        SettingsCard(reset)
    Views(snap)
    s.drawn(tick.value)


@solara.component
def RunCard(snap, settings: dict, stride, playing, step):
    """The date, Step / Play / Pause and the stride, and the settings of the running economy."""
    with solara.Card("Run"):
        solara.HTML(tag="div", unsafe_innerHTML=f"Date: {snap.date.isoformat()}", classes=["ailoop-date"],
                    style="font-size: 20px; font-weight: bold")
        solara.Text(f"trading day {snap.steps} of {snap.horizon} ({snap.horizon // 252} years)", classes=["ailoop-day"])
        with solara.Row():
            solara.Button("Step", color="primary", on_click=step, disabled=playing.value or snap.finished)
            if playing.value:
                solara.Button("Pause", color="primary", on_click=lambda: playing.set(False))
            else:
                solara.Button("Play", color="primary", on_click=lambda: playing.set(True), disabled=snap.finished)
        solara.Text("Stride (Step and each tick of Play):")
        solara.ToggleButtonsSingle(value=stride, values=list(STRIDES))
        summary = ", ".join(f"{k} {v}" for k, v in settings.items())
        solara.HTML(tag="div", unsafe_innerHTML=f"This economy: {summary}", classes=["ailoop-running"],
                    style="font-size: 12px; color: #555; margin-top: 6px")


@solara.component
def EventsCard(snap, shock):
    """The event buttons: the model's own shocks applied at today's date; they combine."""
    with solara.Card("Events: apply now", subtitle="the model's own shocks, from today; they combine"):
        for b in EVENT_BUTTONS:
            when = snap.shocks.get(b.key)
            with solara.Column(gap="0px", style="margin-bottom: 8px"):
                solara.Button(b.label, color="error", outlined=when is not None, disabled=when is not None,
                              on_click=lambda key=b.key: shock(key))
                solara.Text(f"applied {when}" if when else b.help, style="font-size: 12px; color: #555")


@solara.component
def Views(snap):
    """The loop as a network, the event ticker, and the charts (units on every axis)."""
    with solara.Column(style="padding: 4px"):
        with solara.Columns([5, 2]):
            with solara.Card(style="padding: 0"):
                Chart(network_option(snap.network), "network", height="540px")
                solara.HTML(tag="div", unsafe_innerHTML=snap.network.caption(), classes=["network-caption"],
                            style="font-size: 13px; padding: 0 12px 8px")
            with solara.Card("Event ticker", subtitle="newest first; sizes in $B", style="padding: 4px"):
                solara.HTML(tag="div", unsafe_innerHTML=ticker_html(snap.events), classes=["ticker"],
                            style="height: 520px; overflow-y: auto")
        Chart(charts.market_value(snap), "market-value")
        Chart(charts.promises(snap), "promises")
        Chart(charts.gpus(snap), "gpus")
        Chart(charts.who_paid(snap), "who-paid")
