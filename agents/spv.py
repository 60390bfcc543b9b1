"""The GPU special-purpose vehicle (``spv``): buys chip_leader GPUs and leases them to ``lab_spv``.

Funded by equity at signing (chip_leader and venture funds) and by a GPU-backed loan from bond
buyers drawn as the GPUs arrive; its only income is the lease, from which it services the loan.
If its lessee defaults, the lease is rejected: the GPUs come back (marked at the used-GPU price)
and its damages are a claim on the lessee's estate (``Lease.unwind``). With no lease left (rejected
or run its course) it winds down: it sells the GPUs into the used market and repays its lenders
from the proceeds and its cash; whether it survives follows from its balance sheet.
"""

from __future__ import annotations

from ailoop.agents.capacity_owner import CapacityOwner
from ailoop.model.contracts import Contract


class GpuSpv(CapacityOwner):
    family = "spv"
    public = False
    in_loop_value = False  # a private vehicle without a market price

    def gpu_ltv(self) -> float:
        return 1.0 - self.params["spv_equity_share"]

    def wind_down(self) -> None:
        """With no lease left (rejected or run its course), sell the GPUs into the used market and
        repay the lenders from the proceeds and the cash, pro rata. (The lease itself is billed by
        its own rules, ``Lease.settle``.)"""
        ctx = self.ctx
        if self.book.issued_by(self.aid, Contract.leased_fleet_gw) or self.fleet.units() <= 0 or ctx.month <= 0:
            return
        sold = ctx.sell_gpus(self, self.fleet.units(), "no lessee")
        loans = [c for c in self.book.issued_by(self.aid) if c.is_debt and c.face > 1e-12]
        owed = sum(c.face for c in loans)
        repaid = min(owed, max(0.0, self.cash))
        for c in loans:
            c.repay(self.ledger, repaid * c.face / owed if owed > 0 else 0.0, "repay from collateral sale")
        ctx.record_event("idle GPUs sold", self.aid, f"no lessee: {sold:,.2f} $B of GPUs sold, "
                         f"{repaid:,.2f} $B of its debt repaid", sold)

    def allocate(self) -> None:
        super().allocate()
        self.free_gw = 0.0  # all of its capacity is leased to lab_spv

    def review_capex(self) -> None:
        """The vehicle's GPUs are bought for its lease: nothing to defer or cancel."""
        return None
