"""The two worlds a run can start from (the bases of ``model/scenarios.py``).

A world says who exists (the roster, ``model/roster.py``), what happens on dated days (the deal
calendar), what the opening balance sheets hold beyond the common ones (``model/opening_books.py``),
how end-user demand is split into streams, and which columns the run records. ``baseline`` is
the 2025 loop as first modelled; ``history`` (``model/history/``) adds the deal book's actors,
contracts and decisions. The economy asks its world for each of these once, while it is built.
"""

from __future__ import annotations

from ailoop.model.deals import BASELINE_DEALS
from ailoop.model.metrics import EconomyCollector
from ailoop.model.roster import HYPERS


class BaselineWorld:
    """The September 2025 opening and the 2025 deals only."""

    name = "baseline"
    roster = "baseline"

    def demand_streams(self, p) -> dict[str, float]:
        """Demand streams and their exposure to the AI demand trend."""
        streams = {"lab": 1.0, "lab_spv": 1.0, "rest_of_market": p["hyper_demand_exposure"]}
        streams.update({h: p["hyper_demand_exposure"] for h in HYPERS})
        return streams

    def open(self, economy) -> None:
        """Opening positions beyond the common opening balance sheets: none."""

    def setup(self, economy) -> None:
        """Anything the world arranges once the economy is built: nothing."""

    def deals(self, economy) -> list:
        return list(BASELINE_DEALS)

    def collector(self, economy):
        return EconomyCollector(economy)


def world(name: str):
    """The world called ``name`` (``baseline`` or ``history``)."""
    if name == "history":
        from ailoop.model.history import HistoryWorld

        return HistoryWorld()
    return BaselineWorld()
