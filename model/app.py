"""The classroom app: run the AI loop in a browser, stop the music, and see who pays.

Start it with ``ailoop app`` (``solara run ailoop.model.app --production`` on 127.0.0.1, offline:
see ``runs/app_server.py``). Mesa's convention puts the app beside the model. The page is a Solara
page like Mesa's ``SolaraViz`` (the model is a ``mesa.Model``; Step, Play and Reset drive
``Economy.step``) but has its own controls: the lesson needs a stride in trading days, event
buttons that shock the running economy between two trading days, dials checked against the
parameter table, a counterfactual and dated views; and ``SolaraViz``'s parameter check still
refuses ``Economy`` (its catch-all is ``**params``, where Mesa accepts only ``**kwargs``;
``tests/test_app.py``).

How the page holds up in class:

* **One economy per browser session, stepped outside the page.** Solara imports this module once
  per server process, so a model made at module level would be shared by every student. Each page
  opens its own session (:func:`~ailoop.model.classroom.workers.open_session`), whose economy lives
  in a worker process (one per core), so thirty students step in parallel and drawing a page never
  waits for another student's trading day.
* **Play cannot break.** The Play loop (``model/classroom/player.py``) runs a tick only when the
  browser has painted the last one and the wall clock allows (the speed); Pause stops before the
  next trading day; a failed trading day is shown as one line and the economy is rebuilt at the
  last good day; an error while drawing a view replaces that view by one line, never the page.
* **Keep and share.** The address holds the run's recipe (settings, seed, shock dates, day
  reached; ``model/classroom/recipe.py``): a reload or a link rebuilds it bit for bit.
* **A lesson inside.** A guided tour, an Info panel, a glossary, the scenarios and shocks in words
  (``model/classroom/lesson.py``); monitors; the counterfactual drawn faded; downloads of the
  tables (CSV/Parquet) and of every chart (PNG).

Views (units on every axis; money in $B): the loop as a network with the event ticker, market
value by firm with sentiment, promised against paid with wealth amplification, GPU prices and rent
with capacity (GW), and who paid by holder class with where the lead chipmaker's cash came from.
"""

from __future__ import annotations

import threading

import markdown
import solara
import solara.lab

from ailoop.model.classroom import charts, lesson
from ailoop.model.classroom.downloads import FORMATS, MIME, TABLES, file_name, table_bytes
from ailoop.model.classroom.network import network_option
from ailoop.model.classroom.player import Player
from ailoop.model.classroom.recipe import Recipe, RecipeError, decode, encode
from ailoop.model.classroom.session import one_line
from ailoop.model.classroom.settings import (
    DEFAULT_SPEED, DEFAULT_STRIDE, DIALS, EVENT_BUTTONS, SPEEDS, STRIDES, Dial, dial_values, parse_seed,
    scenario_names, settings_text,
)
from ailoop.model.classroom.ticker import ticker_html
from ailoop.model.classroom.widgets import Heartbeat, UrlSync
from ailoop.model.classroom.workers import open_session
from ailoop.model.params import ParameterError

#: the views, in the order of their tabs
VIEWS = {"network": "Network & ticker", "market-value": "Market value", "promises": "Promised vs paid",
         "gpus": "GPUs & capacity", "who-paid": "Who paid"}
COMPARE = {"shocks": "the same economy without the shocks", "last": "the last run", "none": "nothing"}
PANELS = ("Run", "Lesson")

CSS = """
.ail-app { font-size: 14px; line-height: 1.4; }
.ail-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 14px; padding: 4px 10px;
           background: #263238; color: white; position: sticky; top: 0; z-index: 6; }
.ail-bar .ail-title { font-weight: 600; font-size: 17px; }
.ail-bar .ailoop-date { font-size: 19px; font-weight: 700; }
.ail-bar .ailoop-day { font-size: 13px; opacity: 0.85; }
.ail-buttons { display: flex; gap: 8px; }
.ail-pace { display: flex; align-items: center; gap: 6px; }
.ail-pace-label { font-size: 13px; color: #cfd8dc; }
.ail-bar .v-btn-toggle { background: transparent !important; }
.ail-main { display: grid; grid-template-columns: 350px minmax(0, 1fr); gap: 8px; padding: 6px; }
.ail-app.toggled .ail-main { grid-template-columns: minmax(0, 1fr); }
.ail-app.toggled .ail-side { display: none; }
.ail-side { max-height: calc(100vh - 64px); overflow-y: auto; position: sticky; top: 56px; align-self: start; }
.ail-side .v-card { margin-bottom: 8px; }
.ail-monitors { display: flex; flex-wrap: wrap; gap: 4px; margin-bottom: 2px; }
.ail-monitor { border: 1px solid #cfd8dc; border-radius: 6px; padding: 1px 6px; flex: 1 1 0; min-width: 88px;
               background: #fafafa; }
.ail-monitor .label { font-size: 12px; color: #455a64; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.ail-monitor .value { font-size: 15px; font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.ail-network-grid { display: grid; grid-template-columns: minmax(0, 1fr) 330px; gap: 6px; }
.ail-chart { height: calc(100vh - 200px); min-height: 400px; width: 100%; }
.ail-ticker { height: calc(100vh - 230px); min-height: 370px; overflow-y: auto; font-size: 13px; line-height: 1.35; }
.ail-error { background: #ffebee; color: #b71c1c; border-left: 4px solid #c62828; padding: 4px 10px; margin: 4px 0;
             font-size: 14px; }
.ail-note { background: #e3f2fd; color: #0d47a1; border-left: 4px solid #1565c0; padding: 4px 10px; margin: 4px 0;
            font-size: 14px; }
.ail-range { font-size: 12px; color: #546e7a; margin-top: -6px; }
.ail-help { font-size: 12px; color: #546e7a; }
.ail-dial-title { font-size: 13px; margin-top: 6px; white-space: normal; }
.ail-glossary dt { font-weight: 600; margin-top: 6px; }
.ail-glossary dd { margin-left: 0; font-size: 13px; }
.network-caption { font-size: 13px; padding: 0 8px 4px; }
.ail-prose { font-size: 14px; }
.ail-prose h3 { font-size: 16px; margin: 10px 0 4px; }
.ail-prose ul { padding-left: 18px; }
.ail-prose code { font-size: 12px; }
@media (max-width: 900px) {
  .ail-main { grid-template-columns: minmax(0, 1fr); padding: 4px; }
  .ail-side { display: none; position: static; max-height: none; }
  .ail-app.toggled .ail-side { display: block; }
  .ail-network-grid { grid-template-columns: minmax(0, 1fr); }
  .ail-chart { height: 70vh; min-height: 430px; }
  .ail-ticker { height: auto; max-height: 60vh; min-height: 0; }
  .ail-bar { position: static; gap: 4px 8px; }
  .ail-bar .ail-title { display: none; }
  .ail-bar .ailoop-date { font-size: 17px; }
  .ail-pace-label { display: none; }
  .ail-bar .v-btn-toggle .v-btn { padding: 0 7px !important; min-width: 0 !important; font-size: 12px; }
  .ail-monitor { min-width: 30%; flex: 1 1 30%; }
}
"""


def start_state(search: str | None) -> tuple[Recipe, dict, str | None]:
    """The recipe and view settings of the page's address, or the defaults and why the address was refused."""
    try:
        recipe, view = decode(search)
        return recipe, view, None
    except RecipeError as e:
        return Recipe(), {}, f"{e}. The default economy was opened instead."


def _pick(value, allowed, default):
    return value if value in allowed else default


class Controller:
    """The page's state (reacton state pairs) and what its buttons do; every handler turns an
    exception into one line in the page. One per page, kept across renders (:func:`use_controller`
    gives it each render's state), so its methods are the same objects on every render and a
    component handed only them and unchanged values is not drawn again."""

    def __init__(self, state: dict, handle_ref, player: Player, publish, last_run):
        self.s, self.handle_ref, self.player, self.publish, self.last_run = state, handle_ref, player, publish, last_run

    def value(self, name):
        return self.s[name][0]

    def set(self, name, value):
        self.s[name][1](value)

    @property
    def handle(self):
        return self.handle_ref.current

    def safe(self, fn, *args):
        try:
            return fn(*args)
        except Exception as e:  # noqa: BLE001 - one line in the page, never a traceback
            self.set("message", one_line(e))

    def step(self):
        self.safe(self._step)

    def _step(self):
        if self.player.playing:
            return
        self.set("note", None)
        self.set("message", None)  # the last problem stays until the next action
        self.handle.resume()
        self.player.published_tick()
        self.publish(self.handle.advance(STRIDES[self.value("stride")]))

    def play(self, until=None, days=None, to_day=None):
        def go():
            self.set("note", None)
            self.set("message", None)
            self.set("playing", True)
            self.player.play(self.handle, days or STRIDES[self.value("stride")], SPEEDS[self.value("speed")], until,
                             to_day)
        self.safe(go)

    def pause(self):
        self.player.pause()
        self.set("playing", False)

    def press(self, key: str):
        def go():
            snap, refused = self.handle.apply_event(key)
            if refused:
                self.set("note", f"not applied: {refused}")
            self.player.published_tick()
            self.publish(snap)
        self.safe(go)

    def reset(self, recipe: Recipe):
        def go():
            self.pause()
            old = self.handle
            self.last_run.current = (old.latest.frame, old.latest.losses)
            self.handle_ref.current = open_session(recipe)
            self.player.use(self.handle)  # a tick of the old session still under way is not shown
            old.close()
            self.set("message", None)
            self.set("note", None)
            self.player.published_tick()
            self.publish(self.handle.latest)
        self.safe(go)

    def choose_stride(self, name):
        self.set("stride", name)
        self.player.set_pace(days=STRIDES[name])

    def choose_speed(self, name):
        self.set("speed", name)
        self.player.set_pace(ticks_per_second=SPEEDS[name])

    def tour_action(self, action: lesson.Action):
        if action.kind == "reset":
            self.reset(action.recipe)
        elif action.kind == "play":
            self.choose_stride(action.stride)
            self.player.pause()
            self.play(until=action.until, days=STRIDES[action.stride], to_day=action.to_day)
        elif action.kind == "press":
            self.press(action.key)
        elif action.kind == "view":
            self.set("view", action.view)

    def set_compare(self, value):
        self.set("compare", value)

    def set_view(self, value):
        self.set("view", value)

    def set_key_only(self, value):
        self.set("key_only", value)

    def set_panel(self, name):
        self.set("panel", PANELS.index(name))

    def toggle(self):
        self.set("toggled", not self.value("toggled"))

    def go_to_step(self, k: int):
        steps = lesson.tour()
        k = max(0, min(k, len(steps) - 1))
        self.set("tour", k)
        if steps[k].view:
            self.set("view", steps[k].view)


def use_controller() -> Controller:
    """The page's state, its session (opened from the page's address) and its Play loop."""
    router = solara.use_router()
    recipe0, view0, url_error = solara.use_memo(lambda: start_state(router.search), [])
    handle_ref = solara.use_ref(None)
    first_error = None
    if handle_ref.current is None:
        try:
            handle_ref.current = open_session(recipe0)
        except Exception as e:  # noqa: BLE001 - a link the model cannot rebuild: say so, open the default
            first_error = f"the link's run could not be rebuilt ({one_line(e)}); the default economy was opened instead"
            handle_ref.current = open_session(Recipe())
    state = {
        "shown": solara.use_state((handle_ref.current.latest, 0)),  # (snapshot, tick): one change per tick
        "playing": solara.use_state(False),
        "stride": solara.use_state(_pick(view0.get("stride"), STRIDES, DEFAULT_STRIDE)),
        "speed": solara.use_state(_pick(view0.get("speed"), SPEEDS, DEFAULT_SPEED)),
        "view": solara.use_state(_pick(view0.get("view"), VIEWS, "network")),
        "compare": solara.use_state(_pick(view0.get("compare"), COMPARE, "shocks")),
        "message": solara.use_state(first_error or url_error or handle_ref.current.latest.error),  # the last problem
        "note": solara.use_state(None),  # why Play stopped, a refused button
        "toggled": solara.use_state(False),  # side panel: hidden on a desktop, shown on a phone
        "key_only": solara.use_state(False),
        "panel": solara.use_state(1 if view0.get("tour") else 0),
        "tour": solara.use_state(_tour_index(view0.get("tour"))),
    }
    last_run = solara.use_ref((None, None))  # (frame, losses) of the run before the last Reset
    counter = solara.use_ref(0)
    set_shown, set_message = state["shown"][1], state["message"][1]

    def publish(snap):
        counter.current += 1
        set_shown((snap, counter.current))
        if snap.error:
            set_message(snap.error)

    def on_stop(reason: str, error: bool):
        state["playing"][1](False)
        (set_message if error else state["note"][1])(reason)

    player = solara.use_memo(lambda: Player(publish, on_stop, set_message), [])

    def lifecycle():
        closed = solara.lifecycle.kernel_closed_event() if _in_kernel() else None
        if closed is not None:
            threading.Thread(target=lambda: (closed.wait(), _close(player, handle_ref)), name="ailoop-page-close",
                             daemon=True).start()
        return lambda: _close(player, handle_ref)

    solara.use_effect(lifecycle, [])
    controller = solara.use_memo(lambda: Controller(state, handle_ref, player, publish, last_run), [])
    controller.s = state  # this render's values (the setters are the same on every render)
    return controller


@solara.component
def Page():
    c = use_controller()
    snap, tick = c.value("shown")
    panel, toggled = c.value("panel"), c.value("toggled")
    solara.Title("AI Loop classroom")
    solara.Style(CSS)
    query = encode(snap.recipe, {"view": c.value("view"), "stride": c.value("stride"), "speed": c.value("speed"),
                                 "compare": c.value("compare"), **({"tour": str(c.value("tour") + 1)} if panel == 1 else {})})
    running = Recipe(snap.recipe.scenario, snap.recipe.seed, dict(snap.recipe.dials))  # the settings alone
    with solara.Div(classes=["ail-app"] + (["toggled"] if toggled else [])):
        TopBar(snap.date, snap.steps, snap.horizon, c.value("playing"), c.value("stride"), c.value("speed"), c)
        with solara.Div(classes=["ail-main"]):
            with solara.Div(classes=["ail-side"]):
                with solara.Row(style="justify-content: space-between; align-items: center"):
                    solara.ToggleButtonsSingle(value=PANELS[panel], values=list(PANELS), on_value=c.set_panel,
                                               classes=["ail-panels"])
                    solara.Button("Close ✕", text=True, on_click=c.toggle, classes=["ail-close"])
                if panel == 0:
                    # the cards get only what they show, so a tick redraws none of them that did not change
                    EventsCard(snap.refused, snap.finished, c.press)
                    CompareCard(c.value("compare"), c.set_compare, snap.counterfactual is not None)
                    SettingsCard(running, c.reset)
                    DownloadsCard(c.handle, snap.recipe)
                else:
                    LessonPanel(snap, c.value("tour"), c.go_to_step, c.tour_action)
            with solara.Div(classes=["ail-views"], style="min-width: 0"):
                for kind, text in (("error", c.value("message")), ("note", c.value("note"))):  # always there: nothing moves
                    solara.HTML(tag="div", unsafe_innerHTML=_escape(text or ""),
                                classes=[f"ail-{kind}", f"ailoop-{kind}"] if text else [], style=None if text else "display: none")
                Monitors(snap)
                Views(snap, c.value("view"), c.set_view, c.value("compare"), c.last_run.current,
                      c.value("key_only"), c.set_key_only)
    Heartbeat(tick, c.player.drawn)
    UrlSync(query)


def _in_kernel() -> bool:
    try:
        from solara.server import kernel_context

        return kernel_context.has_current_context()
    except Exception:  # noqa: BLE001 - not under the solara server (tests)
        return False


def _close(player, handle_ref) -> None:
    player.close()
    if handle_ref.current is not None:
        handle_ref.current.close()


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def _tour_index(text) -> int:
    try:
        k = int(text) - 1
    except (TypeError, ValueError):
        return 0
    return max(0, min(k, len(lesson.tour()) - 1))


@solara.component
def TopBar(date, steps: int, horizon: int, playing: bool, stride: str, speed: str, c: Controller):
    """The date, Step / Play / Pause, the stride and the speed: always in view."""
    finished = steps >= horizon
    with solara.Div(classes=["ail-bar"]):
        solara.Button("☰", text=True, on_click=c.toggle, classes=["ail-toggle"], style="color: white; min-width: 36px",
                      attributes={"title": "show or hide the controls and the lesson"})
        solara.HTML(tag="div", unsafe_innerHTML="AI Loop classroom", classes=["ail-title"])
        with solara.Div(classes=["ail-when"]):
            solara.HTML(tag="div", unsafe_innerHTML=f"Date: {date.isoformat()}", classes=["ailoop-date"])
            solara.HTML(tag="div", unsafe_innerHTML=f"trading day {steps} of {horizon} ({horizon // 252} years)",
                        classes=["ailoop-day"])
        with solara.Div(classes=["ail-buttons"]):
            solara.Button("Step", color="primary", on_click=c.step, disabled=playing or finished)
            if playing:
                solara.Button("Pause", color="warning", on_click=c.pause)
            else:
                solara.Button("Play", color="success", on_click=c.play, disabled=finished)
        with solara.Div(classes=["ail-pace"]):
            solara.HTML(tag="span", unsafe_innerHTML="stride", classes=["ail-pace-label"])
            solara.ToggleButtonsSingle(value=stride, values=list(STRIDES), on_value=c.choose_stride, dense=True,
                                       classes=["stride-toggle"])
        with solara.Div(classes=["ail-pace"]):
            solara.HTML(tag="span", unsafe_innerHTML="speed", classes=["ail-pace-label"],
                        attributes={"title": "Play's pace: at most this many ticks a second, never faster than the "
                                             "browser draws them"})
            solara.ToggleButtonsSingle(value=speed, values=list(SPEEDS), on_value=c.choose_speed, dense=True,
                                       classes=["speed-toggle"])


@solara.component
def Monitors(snap):
    """A few numbers in boxes (NetLogo's monitors), each with its unit and what it means on hover."""
    items = []
    for m in snap.monitors:
        items.append(f'<div class="ail-monitor monitor-{m.key.replace(".", "-")}" title="{_escape(m.help)}">'
                     f'<div class="label">{_escape(m.label)}</div><div class="value">{_escape(m.text)}</div></div>')
    solara.HTML(tag="div", unsafe_innerHTML="".join(items), classes=["ail-monitors"])


@solara.component
def Guard(child, name: str):
    """Draw the element ``child``; if drawing it fails, one line in its place (the page and the
    economy live on)."""
    exc, clear = solara.use_exception()
    if exc is not None:
        with solara.Row():
            solara.HTML(tag="div", unsafe_innerHTML=_escape(f"the {name} view could not be drawn: {one_line(exc)}"),
                        classes=["ail-error", "ailoop-error"])
            solara.Button("Try again", text=True, on_click=clear)
        return
    solara.Column(children=[child], gap="0px", style="min-width: 0")


@solara.component
def Chart(option: dict, name: str):
    solara.FigureEcharts(option=option, attributes={"class": f"ail-chart chart-{name}"}, responsive=True)


@solara.component
def BuiltChart(build, args: tuple, name: str):
    """A chart whose option is built while it is drawn (so a failure is caught by :func:`Guard`)."""
    Chart(build(*args), name)


@solara.component
def NetworkView(snap, key_only, set_key_only):
    with solara.Div(classes=["ail-network-grid"]):
        with solara.Div(style="min-width: 0"):
            Chart(network_option(snap.network), "network")
            solara.HTML(tag="div", unsafe_innerHTML=_escape(snap.network.caption()), classes=["network-caption"],
                        style="font-size: 14px; padding: 0 8px 4px")
        with solara.Div(style="min-width: 0"):
            with solara.Row(style="align-items: center; justify-content: space-between"):
                solara.HTML(tag="div", unsafe_innerHTML="<b>Event ticker</b> <span class='ail-help'>newest first; $B</span>")
                with solara.Div(classes=["ticker-key-only"]):
                    solara.Checkbox(label="key events only", value=key_only, on_value=set_key_only)
            solara.HTML(tag="div", unsafe_innerHTML=ticker_html(snap.events, key_only), classes=["ticker", "ail-ticker"])


@solara.component
def Views(snap, view, set_view, compare, last_run, key_only, set_key_only):
    """The views in tabs (one drawn at a time), each guarded."""
    names = list(VIEWS)
    with solara.lab.Tabs(value=names.index(view), on_value=lambda k: set_view(names[k])):
        for key, title in VIEWS.items():
            solara.lab.Tab(title, classes=[f"tab-{key}"])
    frame, losses = last_run
    if view == "network":
        Guard(NetworkView(snap, key_only, set_key_only), "network")
    elif view == "who-paid":
        Guard(BuiltChart(charts.who_paid, (snap, compare, losses), "who-paid"), "who paid")
    else:
        Guard(BuiltChart(charts.VIEWS[view], (snap, compare, frame), view), VIEWS[view])


@solara.component
def EventsCard(refused: dict, finished: bool, press):
    """The event buttons: the model's own shocks applied at today's date; each kind once."""
    texts = lesson.shock_texts()
    with solara.Card("Events: apply now", subtitle="the model's own shocks, from today; they combine"):
        for b in EVENT_BUTTONS:
            why = refused.get(b.key)
            with solara.Column(gap="0px", style="margin-bottom: 8px"):
                solara.Button(b.label, color="error", outlined=why is not None, disabled=why is not None or finished,
                              on_click=lambda key=b.key: press(key), classes=[f"event-{b.key}"])
                solara.HTML(tag="div", unsafe_innerHTML=_escape(why or texts[b.key]), classes=["ail-help"])


@solara.component
def CompareCard(compare: str, set_compare, has_counterfactual: bool):
    with solara.Card("Compare", subtitle="drawn faded (grey dashes) beside the run"):
        solara.ToggleButtonsSingle(value=compare, values=list(COMPARE), on_value=set_compare, dense=True,
                                   classes=["compare-toggle"])
        text = COMPARE[compare]
        if compare == "shocks" and not has_counterfactual:
            text += ": appears once an event button is pressed"
        solara.HTML(tag="div", unsafe_innerHTML=_escape(f"faded: {text}"), classes=["ail-help"])


@solara.component
def DialControl(dial: Dial, value, on_value, error: str | None, on_error):
    """A slider (or a switch) over the table's range, shown under it, and a field checked against the
    table: a value the table refuses shows the table's message (``error``, kept by the card) and
    blocks Reset."""

    def typed(text):
        try:
            on_value(dial.parse(text))
            on_error(dial.name, None)
        except ParameterError as e:
            on_error(dial.name, str(e))

    if dial.is_switch:
        solara.Switch(label=dial.title, value=value, on_value=on_value, classes=[f"dial-{dial.name}"])
        solara.HTML(tag="div", unsafe_innerHTML=_escape(dial.help), classes=["ail-help"])
        return
    p = dial.param
    solara.HTML(tag="div", unsafe_innerHTML=_escape(dial.title), classes=["ail-dial-title"],
                attributes={"title": dial.help})
    with solara.Row(style="align-items: center"):
        with solara.Column(style="flex: 3"):
            if p.kind is int:
                solara.SliderInt("", value=value, min=int(p.lo), max=int(p.hi), step=int(dial.step),
                                 on_value=lambda v: (on_value(v), on_error(dial.name, None)))
            else:
                solara.SliderFloat("", value=value, min=p.lo, max=p.hi, step=dial.step,
                                   on_value=lambda v: (on_value(v), on_error(dial.name, None)))
        with solara.Column(style="flex: 1"):
            solara.InputText("value", value=dial.show(value), on_value=typed, error=bool(error), dense=True,
                             classes=[f"dial-{dial.name}"])
    solara.HTML(tag="div", unsafe_innerHTML=_escape(dial.range_text), classes=["ail-range"])
    solara.HTML(tag="div", unsafe_innerHTML=_escape(error or ""), classes=["ail-error", "dial-error"] if error else [],
                style=None if error else "display: none")


@solara.component
def SettingsCard(running: Recipe, on_reset):
    """Scenario, seed and the headline dials for the next economy (they apply on Reset, which is
    refused while a field holds a value the table refuses)."""
    scenario, set_scenario = solara.use_state(running.scenario)
    seed, set_seed = solara.use_state(running.seed)
    dials, set_dials = solara.use_state(dict(running.dials))
    errors, set_errors = solara.use_state({})

    def error_of(name, text):
        def update(old):  # from the latest state: two fields fixed in a row both count
            new = {k: v for k, v in old.items() if k != name}
            if text:
                new[name] = text
            return new
        set_errors(update)

    def pick_scenario(name):
        set_scenario(name)
        set_dials(dial_values(name))

    def typed_seed(text):
        try:
            set_seed(parse_seed(text))
            error_of("seed", None)
        except ParameterError as e:
            error_of("seed", str(e))

    with solara.Card("Next economy", subtitle="applies when you press Reset"):
        solara.Select("Scenario", values=scenario_names(), value=scenario, on_value=pick_scenario, classes=["scenario-select"])
        solara.HTML(tag="div", unsafe_innerHTML=_escape(lesson.scenario_text(scenario)), classes=["ail-help", "scenario-text"])
        solara.InputText("Seed", value=str(seed), on_value=typed_seed, error="seed" in errors, dense=True, classes=["seed-input"])
        # every line is always there (hidden when empty), so no control moves and none loses its state
        solara.HTML(tag="div", unsafe_innerHTML=_escape(errors.get("seed", "")),
                    classes=["ail-error", "dial-error"] if "seed" in errors else [],
                    style=None if "seed" in errors else "display: none")
        for d in DIALS:
            DialControl(d, dials[d.name], lambda v, name=d.name: set_dials(lambda old: {**old, name: v}),
                        errors.get(d.name), error_of).key(d.name)
        solara.HTML(tag="div", unsafe_innerHTML=_escape(f"Reset is refused until the field(s) in red are fixed: "
                                                        f"{', '.join(sorted(errors))}" if errors else ""),
                    classes=["ail-error", "reset-refused"] if errors else [], style=None if errors else "display: none")
        solara.Button("Reset: new economy with these settings", color="primary", outlined=True, disabled=bool(errors),
                      on_click=lambda: on_reset(Recipe(scenario, seed, dict(dials))), classes=["reset-button"])
    with solara.Card("This economy", classes=["running-card"]):
        solara.HTML(tag="div", unsafe_innerHTML="<br>".join(_escape(t) for t in settings_text(
            running.scenario, running.seed, running.dials)), classes=["ailoop-running", "ail-help"])


@solara.component
def DownloadsCard(handle, recipe: Recipe):
    """The run's tables (CSV or Parquet) as files; each chart saves itself as a PNG."""
    fmt, set_fmt = solara.use_state("csv")
    with solara.Card("Downloads", subtitle="the run's tables; each chart has a 'save as PNG' icon at its top right"):
        solara.ToggleButtonsSingle(value=fmt, values=list(FORMATS), on_value=set_fmt, dense=True, classes=["format-toggle"])
        for table, label in TABLES.items():
            solara.FileDownload(lambda table=table: table_bytes(handle.tables()[table], fmt),
                                filename=file_name(recipe, table, fmt), label=label, mime_type=MIME[fmt])


def Prose(text: str):
    """Markdown as HTML, converted here (``solara.Markdown`` would load a diagram library the
    offline asset cache does not hold)."""
    return solara.HTML(tag="div", unsafe_innerHTML=markdown.markdown(text, extensions=["tables"]), classes=["ail-prose"])


@solara.component
def LessonPanel(snap, tour_index: int, go_to_step, tour_action):
    """The guided tour, the Info panel, the glossary, the scenarios and shocks. Handed every value
    it shows (the tour's step too): a component whose arguments are unchanged is not drawn again."""
    titles = ("Guide", "Info", "Glossary", "Scenarios")
    tab, set_tab = solara.use_state(0)
    solara.ToggleButtonsSingle(value=titles[tab], values=list(titles), on_value=lambda t: set_tab(titles.index(t)),
                               dense=True, classes=["lesson-tabs"], style="margin: 6px 0")
    if tab == 0:
        steps = lesson.tour()
        step = steps[tour_index]
        with solara.Card(step.title, classes=["tour-card"]):
            try:
                text = step.text(snap)
            except Exception as e:  # noqa: BLE001 - a tour text that cannot be written is one line
                text = f"(this step's text could not be written: {one_line(e)})"
            Prose(text)
            if step.action is not None:
                blocked = snap.refused.get(step.action.key) if step.action.kind == "press" else None
                solara.Button(step.action.label, color="primary", on_click=lambda: tour_action(step.action),
                              classes=["tour-do"], disabled=bool(blocked) or (step.action.kind == "play" and snap.finished))
            with solara.Row():
                solara.Button("← Back", text=True, disabled=tour_index == 0, on_click=lambda: go_to_step(tour_index - 1),
                              classes=["tour-back"])
                solara.HTML(tag="div", unsafe_innerHTML=f"step {tour_index + 1} of {len(steps)}", classes=["ail-help"])
                solara.Button("Next →", text=True, disabled=tour_index == len(steps) - 1,
                              on_click=lambda: go_to_step(tour_index + 1), classes=["tour-next"])
    elif tab == 1:
        Prose(lesson.INFO)
    elif tab == 2:
        items = "".join(f"<dt>{_escape(k)}</dt><dd>{_escape(v)}</dd>" for k, v in lesson.GLOSSARY.items())
        solara.HTML(tag="dl", unsafe_innerHTML=items, classes=["ail-glossary"])
    else:
        Prose("\n\n".join(f"**{name}** — {lesson.scenario_text(name)}" for name in scenario_names())
              + "\n\n**Event buttons** (applied on the day you press them):\n\n"
              + "\n".join(f"* **{b.label}** — {lesson.shock_texts()[b.key]}." for b in EVENT_BUTTONS))
