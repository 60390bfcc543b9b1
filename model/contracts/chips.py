"""Chip orders: GPUs bought from a chipmaker, prepaid in part, delivered as the chipmaker allocates its production."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ailoop.model.contracts.base import Contract
from ailoop.model.postings import PNL, PREPAID


@dataclass(eq=False)
class ChipOrder(Contract):
    """An order of ``units`` GPUs (millions) at ``unit_price`` ($B per million units, i.e. $k/GPU).

    ``holder`` is the buyer, ``issuer`` the chipmaker. ``prepaid`` $B were paid at order; they are
    the buyer's ``prepaid`` asset and the vendor's ``deferred_revenue`` until delivery.
    ``project`` links the order to the buyer's capacity project it equips.
    """

    units: float = 0.0
    unit_price: float = 0.0
    placed_month: int = 0
    delivered_units: float = 0.0
    prepaid: float = 0.0
    project: object = None
    deferred_until: int = -1  # the first month deliveries resume after the buyer deferred them (it keeps its place)

    kind: ClassVar[str] = "chip_order"
    rank: ClassVar[int] = 50
    strength: ClassVar[str] = "cancellable"  # the undelivered part, forfeiting the prepayment
    unwind_order: ClassVar[tuple[int | None, int | None]] = (30, 60)
    postings: ClassVar[dict[str, tuple[str, ...]]] = {
        "GPU purchase": ("cash", "gpus", "retained", "receivables", "payables"),
        "GPU sales to other buyers": PNL,
        "chip prepayment": ("cash", "prepaid", "deferred_revenue"),
        "prepaid chips delivered": ("gpus", "prepaid"),
        "chip revenue from prepayment": ("deferred_revenue", "retained"),
        "prepayment forfeited": PREPAID, "prepayment kept": PREPAID}

    @property
    def undelivered_units(self) -> float:
        return max(0.0, self.units - self.delivered_units) if self.active else 0.0

    def holder_value(self) -> float:
        # the buyer's claim is the prepaid amount; the rest of the order is a commitment
        return self.prepaid

    def undelivered_value(self) -> float:
        return self.undelivered_units * self.unit_price

    def commitment(self) -> float:
        return self.undelivered_value() - self.prepaid

    def booked(self) -> list[tuple[str, str, float]]:
        if self.prepaid <= 0.0:
            return []
        return [(self.holder, "prepaid", self.prepaid), (self.issuer, "deferred_revenue", self.prepaid)]

    def due_units(self, ctx) -> float:
        """Million GPUs the buyer takes this month if they are produced: all it awaits, or, with
        deliveries timed to the shells (``chip_delivery_to_shells``), what the shells of the
        project it equips can house ``chip_delivery_lead_months`` from now (GPUs arrive that long
        before their hall is energised, to be racked and tested; the rest waits in the order book,
        keeping its place)."""
        left = self.undelivered_units
        p = ctx.params
        if self.project is None or not p["chip_delivery_to_shells"]:
            return left
        return min(left, self.project.housed_units(int(p["chip_delivery_lead_months"])))

    def capex_ahead(self, ctx, months: int) -> float:
        """What is left to pay on the order, in the share of it the vendor ships within ``months``
        (its order book ships over its months of backlog) — with deliveries timed to the shells,
        at most the share the project's shells can house by then."""
        share = min(1.0, months / max(1.0, ctx.agent(self.issuer).backlog_months()))
        left = self.undelivered_value() - self.prepaid
        p = ctx.params
        if self.project is not None and p["chip_delivery_to_shells"] and self.undelivered_units > 0:
            housed = self.project.housed_units(int(p["chip_delivery_lead_months"]) + months)
            share = min(share, housed / self.undelivered_units)
        return share * left

    def deferred(self, month: int) -> bool:
        """Has the buyer deferred this month's deliveries (on the order's terms, at no cost)?"""
        return month < self.deferred_until

    def undelivered_from(self, vendor: str) -> float:
        return self.undelivered_value() if self.issuer == vendor else 0.0

    def unwind(self, ctx, defaulter: str) -> None:
        """Cancelled if either party defaults; the vendor keeps the prepayment."""
        side = "buyer" if defaulter == self.holder else "vendor"
        ctx.cancel_chip_order(self, f"{side} {defaulter} defaulted")
