"""The classroom controls, defined once: scenarios, headline dials, seed, stride, run length, shocks.

Every dial is a parameter of the table (``model/params.py``): its slider spans the table's allowed
range, its label carries the table's unit, and a typed value is checked by the table
(:meth:`Param.coerce`), so a refused value gets the same one-line message as ``ailoop run --set``.
The event buttons apply the model's own shocks, the ones the scenario presets schedule
(``model/scenarios.py``), at the current date.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ailoop.model.params import PARAMETERS, Param, ParameterError, resolve
from ailoop.model.scenarios import SCENARIOS, get_scenario
from ailoop.model.shocks import Shock

#: trading days a tick of Step or Play advances, by stride name
STRIDES: dict[str, int] = {"day": 1, "week": 5, "month": 21}
DEFAULT_STRIDE = "month"
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

    def parse(self, text: Any) -> float | int | bool:
        """The typed value as the parameter's type; :class:`ParameterError` (the table's one-line
        message naming the parameter and what is allowed) if the table refuses it."""
        if isinstance(text, str) and not text.strip():
            raise ParameterError(f"parameter {self.name!r}: no value typed; allowed: {self.param.allowed()}")
        return self.param.coerce(text)


#: the headline dials: the sentiment's starting level and its three channels (returns, news, the
#: lab's usage growth against expectations), each a switch of the table
DIALS: tuple[Dial, ...] = (
    Dial("real_demand_growth", "Real end-user demand growth", 0.05),
    Dial("backlog_pricing", "Backlog pricing: markets price promises", 0.05),
    Dial("cross_holdings", "Cross-holdings between firms"),
    Dial("sentiment_0", "AI sentiment at the start", 0.05),
    Dial("sentiment_returns", "Sentiment follows the market's returns"),
    Dial("sentiment_news", "Sentiment follows the news (deals, cancellations)"),
    Dial("sentiment_lab_growth", "Sentiment follows the lab's usage growth"),
    Dial("retail_holders", "Retail ETF holders", 10),
)
#: the sentiment channels' switches
SENTIMENT_CHANNELS = ("sentiment_returns", "sentiment_news", "sentiment_lab_growth")
DIAL_BY_NAME = {d.name: d for d in DIALS}


def scenario_names() -> list[str]:
    return list(SCENARIOS)


def dial_values(scenario: str) -> dict[str, Any]:
    """The dials' values under ``scenario``: its own settings, else the table's defaults."""
    params = resolve({}, get_scenario(scenario).params)
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


@dataclass(frozen=True)
class EventButton:
    """A button that applies one of the model's shocks now."""

    key: str
    label: str
    scenario: str  # the preset whose shock the button applies
    help: str

    def shock(self) -> Shock:
        """The preset's shock, dated now (``date=None``), named after the button for the log."""
        preset = get_scenario(self.scenario).shocks[0]
        return dataclasses.replace(preset, date=None, name=f"{self.label}: {preset.name}")


EVENT_BUTTONS: tuple[EventButton, ...] = (
    EventButton("music", "Stop the music", "music_stops",
                "AI end-user demand falls (the labs' 25% at once, then 10% a year; the rest by exposure)"),
    EventButton("glut", "GPU glut", "gpu_glut", "GPU rents halve and GPUs become obsolete in 3 years instead of 6"),
    EventButton("crunch", "Credit crunch", "credit_crunch", "credit spreads jump 300 bp; lenders accept half the leverage"),
)
EVENT_BY_KEY = {b.key: b for b in EVENT_BUTTONS}
