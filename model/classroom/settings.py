"""The classroom controls, defined once: scenarios, headline dials, seed, stride, speed, run length, shocks.

Every dial is a parameter of the table (``model/params.py``): its slider spans the table's allowed
range (shown under it), its label carries the table's unit, and a typed value is checked by the
table (:meth:`Param.coerce`), so a refused value gets the same one-line message as ``ailoop run
--set``. The scenarios are the model's presets (``model/scenarios.py``: a preset added there
appears here with its description). The event buttons apply the model's own shocks — the shocks of
the presets that change nothing but conditions at a date — at the current date; a button is
refused while a shock of the same kind is already applied or scheduled in the running economy, so
no shock is ever applied twice.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ailoop.model.params import PARAMETERS, Param, ParameterError, resolve
from ailoop.model.scenarios import SCENARIOS, Scenario, get_scenario
from ailoop.model.shocks import Shock

#: trading days a tick of Step or Play advances, by stride name
STRIDES: dict[str, int] = {"day": 1, "week": 5, "month": 21}
DEFAULT_STRIDE = "month"
#: Play's pace: at most this many ticks per second of wall-clock time (and never faster than the
#: browser draws them); "max" = as fast as the browser draws
SPEEDS: dict[str, float] = {"slow": 1.0, "normal": 3.0, "fast": 8.0, "max": 1000.0}
DEFAULT_SPEED = "normal"
DEFAULT_SCENARIO = "baseline"
DEFAULT_SEED = 1
#: years a run lasts: Play stops there (the model's outputs are calibrated for six)
RUN_YEARS = 6
MAX_SEED = 2**32 - 1


@dataclass(frozen=True)
class Dial:
    """A headline parameter shown as a slider (or a switch for a flag) and a text field."""

    name: str  # the parameter's name in the table
    label: str
    step: float = 0.05  # slider step, in the parameter's unit
    help: str = ""

    @property
    def param(self) -> Param:
        return PARAMETERS[self.name]

    @property
    def is_switch(self) -> bool:
        return self.param.kind is bool

    @property
    def title(self) -> str:
        """Label with the table's unit, e.g. ``Real end-user demand growth [1/year (log growth)]``."""
        return self.label if self.is_switch else f"{self.label} [{self.param.unit}]"

    @property
    def range_text(self) -> str:
        """The allowed range as the slider shows it, e.g. ``range -0.5 … 2 1/year (log growth)``."""
        p = self.param
        return f"range {p.lo:g} … {p.hi:g} {p.unit}"

    def show(self, value) -> str:
        """The value as the page prints it (``on``/``off`` for a switch)."""
        if self.is_switch:
            return "on" if value else "off"
        return f"{value:g}" if isinstance(value, float) else str(value)

    def parse(self, text: Any) -> float | int | bool:
        """The typed value as the parameter's type; :class:`ParameterError` (the table's one-line
        message naming the parameter and what is allowed) if the table refuses it."""
        if isinstance(text, str) and not text.strip():
            raise ParameterError(f"parameter {self.name!r}: no value typed; allowed: {self.param.allowed()}")
        return self.param.coerce(text)


#: the headline dials: demand, how markets price promises, the links between balance sheets, the
#: sentiment's starting level and its three channels, the retail population
DIALS: tuple[Dial, ...] = (
    Dial("real_demand_growth", "Real end-user demand growth", 0.05,
         "how fast what end users spend on AI grows (log growth a year): the one thing the contracts do not contain"),
    Dial("backlog_pricing", "Backlog pricing: markets price promises", 0.05,
         "the share of contracted, not yet paid revenue that traders value as if it were revenue"),
    Dial("cross_holdings", "Cross-holdings between firms", help="firms hold stakes in each other (strategic stakes, "
         "the chipmaker's staged investment in the lab); off cuts those links"),
    Dial("sentiment_0", "AI sentiment at the start", 0.05, "the AI-sentiment index on 1 September 2025 (−1 panic … +1 euphoria)"),
    Dial("sentiment_returns", "Sentiment follows the market's returns", help="the mood rises with AI shares and falls with them"),
    Dial("sentiment_news", "Sentiment follows the news (deals, cancellations)", help="announced deals lift the mood, cancellations sink it"),
    Dial("sentiment_lab_growth", "Sentiment follows the lab's usage growth", help="the mood follows the lab's usage growth against what investors expected"),
    Dial("retail_holders", "Retail ETF holders", 10, "how many retail savers, each an agent, hold the AI shares through an ETF"),
)
#: the sentiment channels' switches
SENTIMENT_CHANNELS = ("sentiment_returns", "sentiment_news", "sentiment_lab_growth")
DIAL_BY_NAME = {d.name: d for d in DIALS}


def scenario_names() -> list[str]:
    """The model's presets, in the model's order (a new preset appears without an edit here)."""
    return list(SCENARIOS)


def dial_values(scenario: str) -> dict[str, Any]:
    """The dials' values under ``scenario``: its own settings, else the table's defaults."""
    params = resolve({}, get_scenario(scenario).settings())
    return {d.name: params[d.name] for d in DIALS}


def parse_seed(text: Any) -> int:
    """The typed seed as an integer in [0, 2^32 - 1]; :class:`ParameterError` otherwise."""
    try:
        seed = int(str(text).strip())
    except ValueError:
        seed = None
    if seed is None or not 0 <= seed <= MAX_SEED:
        raise ParameterError(f"seed {str(text).strip()!r} is not allowed; allowed: an integer in [0, {MAX_SEED}]")
    return seed


def settings_text(scenario: str, seed: int, dials: dict[str, Any]) -> list[str]:
    """The running economy's settings in words, one item each: scenario, seed, then each dial by
    its label (``Cross-holdings between firms: on``), those the scenario changed marked."""
    base = dial_values(scenario)
    out = [f"scenario {scenario}", f"seed {seed}"]
    for d in DIALS:
        if d.name in dials:
            mark = "" if dials[d.name] == base[d.name] else " (changed)"
            out.append(f"{d.label}: {d.show(dials[d.name])}{mark}")
    return out


# ------------------------------------------------------------------------------ event buttons
#: labels of the known shock presets (others are named after their scenario)
BUTTON_LABELS = {"music_stops": ("music", "Stop the music"), "gpu_glut": ("glut", "GPU glut"),
                 "credit_crunch": ("crunch", "Credit crunch"), "lab_disappoints": ("lab", "Lab demand disappoints")}


@dataclass(frozen=True)
class EventButton:
    """A button that applies one of the model's shocks now."""

    key: str  # short name, used in the page's URL
    label: str
    scenario: str  # the preset whose shock the button applies
    help: str

    @property
    def preset(self) -> Shock:
        return get_scenario(self.scenario).shocks[0]

    @property
    def kind(self) -> type:
        """The kind of shock (its class): two buttons of one kind exclude each other."""
        return type(self.preset)

    def shock(self) -> Shock:
        """The preset's shock, dated now (``date=None``), named after the button for the log."""
        return dataclasses.replace(self.preset, date=None, name=f"{self.label}: {self.preset.name}")


def _is_shock_preset(s: Scenario) -> bool:
    """A preset that only applies one dated shock to the baseline's settings."""
    return len(s.shocks) == 1 and not s.params


def event_buttons() -> tuple[EventButton, ...]:
    """A button for every shock preset of the model: the known ones first, in the lesson's order,
    then any other preset that applies one shock and changes no parameter."""
    presets = [s for s in SCENARIOS.values() if _is_shock_preset(s)]
    known = [s for name in BUTTON_LABELS for s in presets if s.name == name]
    rest = [s for s in presets if s.name not in BUTTON_LABELS]
    out = []
    for s in known + rest:
        key, label = BUTTON_LABELS.get(s.name, (s.name, s.name.replace("_", " ").capitalize()))
        out.append(EventButton(key, label, s.name, s.description))
    return tuple(out)


EVENT_BUTTONS: tuple[EventButton, ...] = event_buttons()
EVENT_BY_KEY = {b.key: b for b in EVENT_BUTTONS}


def refusal(button: EventButton, scenario: str, applied: dict[str, str]) -> str | None:
    """Why ``button`` cannot be pressed in an economy of ``scenario`` with the buttons ``applied``
    (key -> date), or None if it can: a shock of the same kind is already applied or scheduled."""
    if button.key in applied:
        return f"applied {applied[button.key]}"
    for key, date in applied.items():
        other = EVENT_BY_KEY.get(key)
        if other is not None and other.kind is button.kind:
            return f"a shock of this kind is already applied ({other.label}, {date})"
    for s in get_scenario(scenario).shocks:
        if type(s) is button.kind:
            when = s.date.isoformat() if s.date else "the start"
            return f"this scenario already schedules it: {s.name} from {when}"
    return None
