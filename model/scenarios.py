"""Scenario presets: a base world, named parameter settings and dated shocks.

Two **bases** say which world a run starts from (:data:`BASES`): ``history`` — the 2025-26 deal
book as dated events and decisions (``model/history/``), with the actors it needs, after which the
agents decide, and the settings of that world (:data:`BASE_SETTINGS`: GPU deliveries timed to the
shells, the hyperscalers' builds under way at the opening) — and ``baseline`` — the September
2025 opening and the 2025 deals only (nothing signed after October 2025), the counterfactual the
earlier results were computed on. ``baseline``
and ``history`` are scenarios themselves (a base with nothing on top). Every other scenario sets
conditions on top of a base: its default base (``history`` unless it says otherwise), or the one
the caller names (``Economy(scenario, base=...)``, ``ailoop run --base``); its shocks fire on their
preset date, or on the date the caller gives (``shock_date=``, ``--shock-date``), checked to fall
within the run's calendar.

A scenario only sets conditions (parameters, shocks); it never writes a price or a default.
Dates of shocks are assumptions chosen to fall after the 2025 deals and before the big contracts
come online, when the promises are largest relative to the cash paid.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ailoop.model.shocks import CreditCrunch, DemandShock, GpuGlut, Shock


class ScenarioError(ValueError):
    """An unknown scenario or base, or a base or shock date the scenario does not take (one line)."""


#: the worlds a run can start from (``model/roster.py`` has a roster for each)
BASES: dict[str, str] = {
    "history": "the 2025-26 deal book as dated events and decisions, with the actors it needs; the agents decide after it",
    "baseline": "the September 2025 opening and the 2025 deals only (nothing signed after October 2025): the counterfactual",
}
#: parameter settings that belong to a base world (what the world was like), under the scenario's own
#: and the caller's: the history world times GPU deliveries to the shells they go into and opens with
#: the hyperscalers' builds under way (``model/history/``); the baseline keeps the table's defaults,
#: so its results stay comparable with those computed before
BASE_SETTINGS: dict[str, dict[str, Any]] = {
    "history": {"chip_delivery_to_shells": True, "opening_pipeline_months": 60},  # 60: all, build_months - 1
    "baseline": {},
}
#: earliest and latest date a shock may be given (the model's first day; thirty years on)
FIRST_DATE = dt.date(2025, 9, 1)
LAST_DATE = dt.date(2055, 9, 1)


@dataclass(frozen=True)
class Scenario:
    """``base``: the world the scenario applies on top of by default (its own name for a base)."""

    name: str
    description: str
    params: dict[str, Any] = field(default_factory=dict)
    shocks: tuple[Shock, ...] = ()
    base: str = "history"

    @property
    def is_base(self) -> bool:
        """Is the scenario a base world itself (nothing on top)?"""
        return self.name in BASES

    def on(self, base: str | None) -> str:
        """The base world of a run of this scenario when the caller asks for ``base`` (None: the default)."""
        if base is None:
            return self.base
        if base not in BASES:
            raise ScenarioError(f"unknown base {base!r}; allowed: {', '.join(BASES)}")
        if self.is_base and base != self.name:
            raise ScenarioError(f"scenario {self.name!r} is a base itself; a base applies to the other scenarios "
                                f"({', '.join(n for n in SCENARIOS if n not in BASES)})")
        return base

    def settings(self, base: str | None = None) -> dict[str, Any]:
        """The parameter settings of a run of this scenario on ``base`` (None: its default base):
        the base world's (:data:`BASE_SETTINGS`), then the scenario's own."""
        return {**BASE_SETTINGS[self.on(base)], **self.params}

    def shocks_at(self, date: dt.date | str | None) -> tuple[Shock, ...]:
        """The scenario's shocks, all moved to ``date`` if given (a ``datetime.date`` or ISO
        ``YYYY-MM-DD`` between :data:`FIRST_DATE` and :data:`LAST_DATE`)."""
        if date is None:
            return self.shocks
        if not self.shocks:
            raise ScenarioError(f"scenario {self.name!r} has no shock to date; scenarios with shocks: "
                                f"{', '.join(n for n, s in SCENARIOS.items() if s.shocks)}")
        day = parse_date(date)
        return tuple(dataclasses.replace(s, date=day) for s in self.shocks)


def parse_date(date: dt.date | str) -> dt.date:
    """``date`` as a ``datetime.date`` within the model's calendar (ScenarioError, one line, otherwise)."""
    if isinstance(date, dt.datetime):
        date = date.date()
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date.strip())
        except ValueError:
            raise ScenarioError(f"shock date {date!r} is not a date; allowed: YYYY-MM-DD from "
                                f"{FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}") from None
    if not isinstance(date, dt.date) or not FIRST_DATE <= date <= LAST_DATE:
        raise ScenarioError(f"shock date {date!r} is out of range; allowed: YYYY-MM-DD from "
                            f"{FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}")
    return date


SHOCK_DATE = dt.date(2026, 6, 1)

SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        Scenario(
            "history",
            "the world as it happened: the 2025-26 deal book (compute contracts, chip deals, rounds, the "
            "chipmaker's letter of intent and its lapse, developer leases and construction loans, the "
            "jointly owned vehicle, site delays, the lab's compute-plan cut, 2026 capex guidance) as dated "
            "events and decisions through mid-2026, then the agents decide; the default run.",
            base="history",
        ),
        Scenario(
            "baseline",
            "September 2025 opening balance sheets and the 2025 deals as dated events; "
            "end-user demand grows at the lab's own projection (the counterfactual: nothing signed "
            "after October 2025).",
            base="baseline",
        ),
        Scenario(
            "music_stops",
            "from June 2026 end-user AI demand disappoints: the labs' 25% below trend at once, then "
            "shrinking 10% a year, and the hyperscalers' own AI services and the unmodelled GPU buyers "
            "likewise by their exposure to the AI trend (assumption), while the commitments stand.",
            shocks=(DemandShock(date=SHOCK_DATE, streams=None, growth=-0.1, level=0.75,
                                name="AI demand disappoints"),),
        ),
        Scenario(
            "lab_disappoints",
            "the narrow shock: from June 2026 only the labs' end-user demand disappoints (25% below trend "
            "at once, then shrinking 10% a year; assumption); the rest of AI demand keeps its trend.",
            shocks=(DemandShock(date=SHOCK_DATE, growth=-0.1, level=0.75, name="lab demand disappoints"),),
        ),
        Scenario(
            "gpu_glut",
            "from June 2026 a glut of GPUs: outside capacity worth half the capacity built enters the rental "
            "market and the unmodelled buyers' spot demand halves (assumption); rent and used-GPU prices fall "
            "as the market clears lower.",
            shocks=(GpuGlut(date=SHOCK_DATE, supply_share=0.5, demand_factor=0.5),),
        ),
        Scenario(
            "credit_crunch",
            "from June 2026 credit spreads jump 300 bp and lenders accept half the leverage (assumption).",
            shocks=(CreditCrunch(date=SHOCK_DATE, spread_add=0.03, leverage_factor=0.5),),
        ),
        Scenario(
            "market_creation",
            "the optimistic reading (market creation, docs/design.md#the-story): strong real end-user demand, 90% a year (assumption).",
            params={"real_demand_growth": 0.9},
            base="baseline",  # one of the two readings of the loop, compared with vendor_financing_2000 on the baseline
        ),
        Scenario(
            "vendor_financing_2000",
            "the Lucent pattern: little real end use (demand half as large and flat) while vendors "
            "finance the build-out (chip_leader's staged investment doubled; a larger backstop) (assumption).",
            params={"real_demand_growth": 0.0, "lab_demand_0": 0.6, "staged_per_gw": 20.0, "staged_cap": 200.0,
                    "backstop_value": 20.0},
            base="baseline",
        ),
    ]
}


def get_scenario(name: str) -> Scenario:
    """The preset called ``name``; :class:`ScenarioError` (one line, lists the presets) if none."""
    try:
        return SCENARIOS[name]
    except KeyError:
        raise ScenarioError(
            f"unknown scenario {name!r}; allowed: {', '.join(sorted(SCENARIOS))}"
        ) from None
