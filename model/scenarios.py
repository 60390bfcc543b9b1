"""Scenario presets: named sets of parameter settings (and, later, scheduled shocks).

A scenario only sets conditions (parameters, dated shocks); it never writes a price or a default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ScenarioError(ValueError):
    """An unknown scenario name."""


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    params: dict[str, Any] = field(default_factory=dict)


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        Scenario(
            "baseline",
            "September 2025 opening balance sheets and the 2025 deals as dated events; "
            "demand grows at the calibrated rate.",
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
