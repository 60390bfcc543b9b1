"""Shocks: conditions that change at a date. They can be combined, scheduled or applied mid-run.

A shock changes what agents face — end-user demand growth, GPU rental economics, credit
conditions — never a price or a default directly. ``Economy.apply_shock(shock)``
applies it now (``date=None`` or a date already passed) or schedules it; scenarios list theirs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass



@dataclass(frozen=True)
class Shock:
    """Base class: ``apply(economy)`` changes conditions; ``date`` None means at once."""

    date: dt.date | None = None
    name: str = "shock"

    def apply(self, economy) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:
        return self.name


@dataclass(frozen=True)
class DemandShock(Shock):
    """End-user AI demand disappoints from the date: each stream in ``streams`` (default: both
    labs; ``None``: every stream of AI end-user demand - the labs, the hyperscalers' own AI
    services and the unmodelled buyers) grows at ``growth`` per year times its exposure to the AI
    demand trend, after a one-off level change by ``level`` to the power of that exposure (0.8 =
    a lab's demand 20% lower at once; a stream with exposure 0.6 falls by 1 - 0.8^0.6 = 13%)."""

    streams: tuple[str, ...] | None = ("lab", "lab_spv")
    growth: float = -0.2
    level: float = 1.0
    name: str = "demand disappoints"

    def apply(self, economy) -> None:
        demand = economy.demand
        for s in demand.streams if self.streams is None else self.streams:
            demand.set_growth(s, self.growth)
            demand.scale(s, self.level ** demand.exposure_of(s))


@dataclass(frozen=True)
class GpuGlut(Shock):
    """A glut of GPUs, from the market: outside GPU capacity worth ``supply_share`` of the capacity
    built at the shock enters the rental market (more supply: other clouds, sovereign and crypto
    fleets, newer chips freeing old ones) and the unmodelled buyers' spot demand falls to
    ``demand_factor`` of its level (less demand). Rent and used-GPU prices fall because the rental
    market clears at a lower utilisation — no reference price is rewritten."""
    supply_share: float = 0.5
    demand_factor: float = 0.5
    name: str = "GPU glut"
    def apply(self, economy) -> None:
        p = economy.params
        built = economy.gpu_market.capacity_built_gw()
        economy.set_params({"gpu_outside_supply_gw": p["gpu_outside_supply_gw"] + self.supply_share * built,
                            "spot_demand_gw_0": p["spot_demand_gw_0"] * self.demand_factor})


@dataclass(frozen=True)
class CreditCrunch(Shock):
    """Spreads jump by ``spread_add`` (per year) and lenders accept only ``leverage_factor`` of
    the leverage they accepted before."""

    spread_add: float = 0.03
    leverage_factor: float = 0.5
    name: str = "credit crunch"

    def apply(self, economy) -> None:
        p = economy.params
        economy.set_params({k: p[k] + self.spread_add for k in
                        ("spread_cloud", "spread_neocloud", "spread_investment_grade", "spread_margin_loan",
                         "contract_loan_spread_ig", "contract_loan_spread_other", "credit_spread_shift")})
        for b in economy.bond_buyers:
            b.max_leverage *= self.leverage_factor
