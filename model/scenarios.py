"""Scenario presets: named parameter settings plus dated shocks.

A scenario only sets conditions (parameters, shocks); it never writes a price or a default.
Dates of shocks are assumptions chosen to fall after the 2025 deals and before the big contracts
come online, when the promises are largest relative to the cash paid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ailoop.model.shocks import CreditCrunch, DemandShock, GpuGlut, Shock


class ScenarioError(ValueError):
    """An unknown scenario name."""


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    params: dict[str, Any] = field(default_factory=dict)
    shocks: tuple[Shock, ...] = ()


SHOCK_DATE = dt.date(2026, 6, 1)

SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        Scenario(
            "baseline",
            "September 2025 opening balance sheets and the 2025 deals as dated events; "
            "end-user demand grows at the lab's own projection.",
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
        ),
        Scenario(
            "vendor_financing_2000",
            "the Lucent pattern: little real end use (demand half as large and flat) while vendors "
            "finance the build-out (chip_leader's staged investment doubled; a larger backstop) (assumption).",
            params={"real_demand_growth": 0.0, "lab_demand_0": 0.6, "staged_per_gw": 20.0, "staged_cap": 200.0,
                    "backstop_value": 20.0},
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
