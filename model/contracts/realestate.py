"""Data-centre real estate: shells leased for 15-19 years, the construction loans that build them,
and the vehicles a hyperscaler owns jointly with a private-credit fund.

Much of the 2025-26 build-out sits off the balance sheets of the firms that use it. A developer
borrows from banks to build a powered shell (building, power, cooling) and leases it to a cloud
for 15-19 years; a hyperscaler and a private-credit fund own a vehicle together that sells bonds,
builds a campus and leases it to the hyperscaler with a residual-value guarantee. Each contract
here carries every side of its rules (``model/contracts/base.py``):

* :class:`DataCentreLease` — ``holder`` (the lessee) rents ``gw`` GW of shell that ``issuer``
  (the lessor) builds on its ``site`` (a :class:`~ailoop.model.capacity.Project` of the lessor's
  fleet). Rent runs on each GW from its handover for the term; the lessee's own projects equip
  the shell as it is handed over (:meth:`DataCentreLease.shell_room`,
  :meth:`DataCentreLease.assign_shell`). A handover later than ``delivery_month`` (plus
  ``grace_months``) because of a construction or financing delay costs the lessor credits to the lessee
  (``late_credit_share`` of the late GW's rent a month); a delay of force majeure (power, weather)
  costs nobody anything but the wait. At the end of the term the lessee renews if it still runs
  GPUs in the shell; if it walks away, a residual-value guarantee (``rvg_share`` of the shell's
  cost, falling to nothing over ``rvg_months``) pays the lessor the shortfall of the shell's value
  below it. If the lessee defaults the lease is rejected: the lessor claims the rent of the term
  it loses, discounted, less what re-letting recovers (``relet_share``), plus the guarantee's
  shortfall. If the lessor defaults, the shell is sold with its estate and the lease goes with it
  to the buyer (an outside sector): what is built stays leased, nothing more is built. The rent
  still owed is the lessee's commitment (:meth:`DataCentreLease.lease_commitment`), not on its
  balance sheet; the guarantee is its :meth:`DataCentreLease.guarantee_exposure`.
* :class:`ConstructionLoan` — a bank (or private-credit) loan that funds a site as it is built:
  drawn as the shell is paid for (``limit`` in all), interest only while it is built, converting
  to a term loan that amortises over ``amort_months`` once the shell is finished. If the shell is
  late, the borrower may extend the loan's maturity by ``extension_months`` in all, paying
  ``extension_fee`` of the balance each time. Its marks follow the credit of the tenant whose rent
  repays it (the borrower's own once the tenant has defaulted).
* :class:`ProjectBond` — a bond of a vehicle whose only income is one tenant's rent: priced, and
  marked, by that tenant's credit (the vehicle's own leverage says little).
* :class:`JointVentureStake` — a partner's share of a jointly owned vehicle: an equity stake that
  the partner books at its mark while the vehicle's debt stays off its balance sheet; its share of
  that debt is its :meth:`JointVentureStake.look_through_debt`.

Money in $B, capacity in GW, time in months.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar

from ailoop.model.contracts.base import LIQUIDATION_BUYER, Contract
from ailoop.model.contracts.debt import Bond
from ailoop.model.contracts.equity import EquityStake
from ailoop.model.contracts.settlement import owe, pay_or_owe
from ailoop.model.ledger import Ledger
from ailoop.model.postings import PNL

#: causes of a slip that are the lessor's risk (the lease's late-delivery credits apply); others
#: (power, weather) are force majeure
LESSOR_RISK = ("construction", "financing")


@dataclass(eq=False)
class DataCentreLease(Contract):
    """``holder`` (lessee) leases ``gw`` GW of powered shell from ``issuer`` (lessor), built on
    ``site``, at ``rent_per_gw_year`` $B per GW-year for ``term_months`` from the first handover
    (renewed by ``renewal_months`` at a time if the lessee still uses it)."""

    gw: float = 0.0
    rent_per_gw_year: float = 0.0
    term_months: int = 180
    renewal_months: int = 0
    site: object = None  # the lessor's Project (the shell it builds)
    shell_cost: float = 0.0  # $B the shell costs (the guarantee's base)
    delivery_month: int = 0  # month by which the whole shell is due
    grace_months: int = 0
    late_credit_share: float = 0.0
    rate: float = 0.005  # per month: the discount rate of the damages at a rejection
    relet_share: float = 0.5
    rvg_share: float = 0.0
    rvg_months: int = 0
    shell_life_months: int = 240
    name: str = ""
    commenced: int = -1  # month of the first handover (-1: not yet)
    months_billed: int = 0
    tenants: list = field(default_factory=list)  # [project, GW] of the lessee's projects equipping the shell
    frozen_ready: float | None = None  # GW handed over when the lessor's estate was sold (nothing more is built)

    kind: ClassVar[str] = "dc_lease"
    rank: ClassVar[int] = 22
    settle_phase: ClassVar[str | None] = "billing"
    unwind_order: ClassVar[tuple[int | None, int | None]] = (20, 21)
    postings: ClassVar[dict[str, tuple[str, ...]]] = {
        "data-centre rent": PNL, "late delivery credit": PNL, "lease rejection damages": PNL,
        "residual value guarantee": PNL}

    # ------------------------------------------------------------------ what is owed
    def monthly_rent(self, gw: float | None = None) -> float:
        return (self.gw if gw is None else gw) * self.rent_per_gw_year / 12.0

    def remaining_months(self) -> int:
        return max(0, self.term_months - self.months_billed) if self.active else 0

    def remaining_rent(self) -> float:
        """$B of rent on the whole lease for the rest of its term (all of it before the handover)."""
        return self.monthly_rent() * self.remaining_months()

    def holder_value(self) -> float:
        return -self.remaining_rent()

    def commitment(self) -> float:
        return self.remaining_rent()

    def backlog(self) -> float:
        return self.remaining_rent()

    def lease_commitment(self) -> float:
        return self.remaining_rent()

    def built_on(self, project) -> bool:
        return project is self.site

    def payments_ahead(self, month: int, months: int) -> float:
        """Rent over the ``months`` from ``month``: from the first handover (the delivery date until then)."""
        start = self.commenced if self.commenced >= 0 else self.delivery_month
        running = max(0, min(months, month + months - start))
        return self.monthly_rent() * min(running, self.remaining_months())

    def guaranteed_value(self) -> float:
        """$B the residual-value guarantee guarantees now: ``rvg_share`` of the shell's cost, falling
        to nothing over ``rvg_months`` from the first handover."""
        if self.rvg_share <= 0 or self.rvg_months <= 0 or not self.active:
            return 0.0
        return self.rvg_share * self.shell_cost * max(0.0, 1.0 - self.months_billed / self.rvg_months)

    def residual_value(self) -> float:
        """$B the shell would fetch re-let: ``relet_share`` of its cost, depreciated over its life."""
        return self.relet_share * self.shell_cost * max(0.0, 1.0 - self.months_billed / self.shell_life_months)

    def guarantee_exposure(self) -> float:
        return self.guaranteed_value()

    def rvg_shortfall(self) -> float:
        return max(0.0, self.guaranteed_value() - self.residual_value())

    # ------------------------------------------------------------------ the shell
    def ready_gw(self, ahead: int = 0) -> float:
        """GW of the shell the lessor has handed over (finished phases of its site), or, ``ahead``
        > 0, will have handed over that many months from now, building on schedule."""
        if self.frozen_ready is not None:
            return min(self.gw, self.frozen_ready)
        return min(self.gw, self.site.shell_ready_gw(ahead)) if self.site is not None else 0.0

    def ready_for(self, project, ahead: int = 0) -> float:
        """GW of the shell ``project`` (one of the lessee's) will have been handed over ``ahead``
        months from now, its lessor building on schedule (tenants served in the order they were
        assigned, as :meth:`hand_over`)."""
        ready = self.ready_gw(ahead)
        for pr, gw in self.tenants:
            give = min(min(gw, pr.gw), ready)
            if pr is project:
                return give
            ready -= give
        return 0.0

    def shell_room(self) -> float:
        if not self.active:
            return 0.0
        return max(0.0, self.gw - sum(min(gw, pr.gw) for pr, gw in self.tenants))

    def assign_shell(self, project, gw: float) -> None:
        self.tenants.append([project, gw])
        project.shell_lease = self
        self.hand_over(self.ready_gw())

    def hand_over(self, ready: float) -> None:
        """Give the lessee's projects the GW handed over so far, in the order they were assigned."""
        left = ready
        for t in self.tenants:
            pr, gw = t
            give = min(min(gw, pr.gw), left)
            left -= give
            if pr.leased_ready != give:
                pr.leased_ready = give

    def lessee_uses(self) -> bool:
        return any(pr.online_gw() > 0 for pr, _ in self.tenants)

    # ------------------------------------------------------------------ the month
    def settle(self, ctx) -> None:
        """Hand over the shell finished so far, bill the rent on it, credit the lessee for a late
        handover the lessor is to blame for, and at the term's end renew or let the lease end."""
        ready = self.ready_gw()
        self.hand_over(ready)
        if ready > 1e-12 and self.commenced < 0:
            self.commenced = ctx.month
            ctx.record_event("lease commenced", self.issuer, f"{self.name or 'shell'} to {self.holder}: "
                             f"{ready:.2f} of {self.gw:.2f} GW handed over", self.remaining_rent())
        late = self.gw - ready
        site = self.site
        if (late > 1e-9 and self.late_credit_share > 0 and ctx.month > self.delivery_month + self.grace_months
                and site is not None and getattr(site, "delay_cause", "") in LESSOR_RISK):
            credit = self.monthly_rent(late) * self.late_credit_share
            pay_or_owe(ctx.ledger, ctx.book, self.issuer, self.holder, credit, "retained", "retained",
                       "late delivery credit", ref=self)
            ctx.agent(self.issuer).add_flow("late_credits", credit)
        if self.commenced < 0:
            return
        rent = self.monthly_rent(ready)
        self._pay(ctx, rent, "data-centre rent")
        ctx.agent(self.holder).add_flow("rent", rent)
        self.months_billed += 1
        if self.months_billed >= self.term_months:
            self.term_end(ctx)

    def _pay(self, ctx, amount: float, memo: str) -> None:
        if amount <= 0:
            return
        pay_or_owe(ctx.ledger, ctx.book, self.holder, self.issuer, amount, "retained", "retained", memo, ref=self)
        lessor = ctx.agent_or_none(self.issuer)
        if lessor is not None:
            lessor.add_flow("revenue_ai", amount)

    def term_end(self, ctx) -> None:
        """The term is over: renewed if the lessee still runs GPUs in the shell and the lease can
        be renewed; otherwise it ends and the guarantee pays the lessor its shortfall."""
        if self.renewal_months > 0 and self.lessee_uses():
            self.term_months += self.renewal_months
            ctx.record_event("lease renewed", self.holder, f"{self.name or 'shell'} from {self.issuer}: "
                             f"{self.renewal_months} more months", self.remaining_rent())
            return
        shortfall = self.rvg_shortfall()
        if shortfall > 0:
            self._pay(ctx, shortfall, "residual value guarantee")
        self.active = False
        for pr, _ in self.tenants:
            pr.leased_ready = 0.0
        ctx.record_event("lease ended", self.holder, f"{self.name or 'shell'} from {self.issuer}: "
                         f"residual-value guarantee paid {shortfall:,.2f} $B", shortfall)
        ctx.changed()

    # ------------------------------------------------------------------ default
    def rejection_damages(self) -> float:
        """$B the lessor claims when the lessee rejects the lease: the rent of the rest of the term
        discounted at ``rate``, less what re-letting recovers, plus the guarantee's shortfall."""
        n = self.remaining_months()
        r = self.rate
        pv = self.monthly_rent() * ((1.0 - (1.0 + r) ** -n) / r if r > 0 else n)
        return pv * (1.0 - self.relet_share) + self.rvg_shortfall()

    def unwind(self, ctx, defaulter: str) -> None:
        """A defaulting lessee rejects the lease (the lessor's damages are a claim on its estate);
        a defaulting lessor's shell is sold with its estate and the lease goes to the buyer."""
        if not self.active:
            return
        if defaulter == self.holder:
            damages = self.rejection_damages()
            if damages > 0:
                owe(ctx.ledger, ctx.book, self.holder, self.issuer, damages, "retained", "retained",
                    "lease rejection damages", ref=self)
            self.active = False
            ctx.record_event("lease rejected", self.issuer, f"{defaulter} defaulted: {self.name or 'shell'} "
                             f"({self.gw:.2f} GW) back with the lessor; damages claim {damages:,.2f} $B", damages)
        else:
            ready = self.ready_gw()
            new = dataclasses.replace(self, issuer=LIQUIDATION_BUYER, frozen_ready=ready,
                                      tenants=[list(t) for t in self.tenants], site=None, late_credit_share=0.0)
            self.active = False
            ctx.book.add(new)
            for pr, _ in new.tenants:
                pr.shell_lease = new
            ctx.record_event("lease assigned", self.holder, f"{defaulter} defaulted: {self.name or 'shell'} sold "
                             f"with its estate, {ready:.2f} GW built stay leased", new.remaining_rent())
        ctx.changed()


def tenant_priced(c, ctx, sentiment: float | None) -> float | None:
    """The spread of debt ``c`` that its tenant's rent repays: its spread at issue plus the widening
    of the tenant's spread since; once the tenant has defaulted, None (the borrower's own spread)."""
    tenant = ctx.agent_or_none(c.tenant) if c.tenant else None
    if tenant is None or tenant.defaulted:
        return None
    return c.spread + max(0.0, ctx.credit_spread(c.tenant, sentiment) - c.tenant_spread)


@dataclass(eq=False)
class ConstructionLoan(Bond):
    """``holder`` lends ``issuer`` up to ``limit`` $B to build ``site``, drawn as it is built;
    interest only until the shell is finished, then a term loan amortising over ``amort_months``.
    ``tenant`` is the lessee whose rent repays it (its marks follow the tenant's spread beyond
    ``tenant_spread``, the tenant's spread at signing)."""

    limit: float = 0.0
    drawn: float = 0.0
    site: object = None
    tenant: str = ""
    tenant_spread: float = 0.0
    amort_months: int = 240
    installment: float = 0.0
    converted_month: int = -1
    extension_months: int = 24
    extension_fee: float = 0.0025
    name: str = ""

    kind: ClassVar[str] = "construction_loan"
    rank: ClassVar[int] = 86
    redeemable: ClassVar[bool] = False
    settle_phase: ClassVar[str | None] = "billing"
    unwind_order: ClassVar[tuple[int | None, int | None]] = (None, 75)
    postings: ClassVar[dict[str, tuple[str, ...]]] = {"extension fee": PNL}

    @property
    def converted(self) -> bool:
        return self.converted_month >= 0

    def undrawn(self, month: int | None = None) -> float:
        if not self.active or self.converted or (month is not None and month >= self.maturity_month):
            return 0.0
        return max(0.0, self.limit - self.drawn)

    def commitment(self) -> float:
        return self.undrawn()

    def line_room(self, month: int) -> float:
        """What is still undrawn while the shell is built (an interest reserve too)."""
        return self.undrawn(month)

    def draw(self, ledger: Ledger, amount: float, memo: str) -> None:
        super().draw(ledger, amount, memo)
        self.drawn += amount

    def freeze(self) -> None:
        self.limit = self.drawn

    def scheduled_principal(self, month: int) -> float:
        if not self.active:
            return 0.0
        if self.converted:
            return min(self.face, self.installment)
        return self.face if self.maturity_month <= month else 0.0

    def service_due(self, month: int) -> tuple[float, float]:
        return self.monthly_interest(), self.scheduled_principal(month)

    def due_within(self, month: int, months: int) -> tuple[float, float]:
        if self.converted:
            return self.monthly_interest() * months, min(self.face, self.installment * months)
        return self.monthly_interest() * months, (self.face if self.maturity_month <= month + months else 0.0)

    def spread_now(self, ctx, sentiment: float | None = None) -> float | None:
        return tenant_priced(self, ctx, sentiment)

    def settle(self, ctx) -> None:
        """The shell is finished: the loan converts to a term loan. Still being built a month
        before it matures: the borrower extends it, if extensions are left, paying the fee."""
        if not self.active or self.converted or self.site is None:
            return
        if self.site.shell_done and self.site.shell_cost > 0:
            self.converted_month = ctx.month
            self.limit = self.drawn
            self.installment = self.face / max(1, self.amort_months)
            self.maturity_month = ctx.month + self.amort_months
            ctx.record_event("construction loan converted", self.issuer,
                             f"{self.name or 'site'}: {self.face:,.2f} $B now a term loan over "
                             f"{self.amort_months} months", self.face)
        elif self.maturity_month - ctx.month <= 1 and self.extension_months > 0:
            ext = min(12, self.extension_months)
            self.extension_months -= ext
            self.maturity_month += ext
            fee = self.extension_fee * self.face
            pay_or_owe(ctx.ledger, ctx.book, self.issuer, self.holder, fee, "retained", "retained", "extension fee",
                       ref=self)
            ctx.record_event("construction loan extended", self.issuer, f"{self.name or 'site'} not finished: "
                             f"{ext} months more, fee {fee:,.2f} $B", fee)

    def unwind(self, ctx, defaulter: str) -> None:
        """The borrower defaulted: nothing more can be drawn (the drawn part is a claim)."""
        self.freeze()


@dataclass(eq=False)
class ProjectBond(Bond):
    """A bullet bond of a vehicle that one tenant's rent repays: priced by ``tenant``'s credit
    (its spread moves with the tenant's beyond ``tenant_spread``, the tenant's spread at issue)."""

    tenant: str = ""
    tenant_spread: float = 0.0

    kind: ClassVar[str] = "project_bond"
    rank: ClassVar[int] = 81
    redeemable: ClassVar[bool] = False

    def spread_now(self, ctx, sentiment: float | None = None) -> float | None:
        return tenant_priced(self, ctx, sentiment)


@dataclass(eq=False)
class JointVentureStake(EquityStake):
    """``holder``'s interest in a vehicle ``issuer`` it owns jointly with others: booked at its mark
    (equity method) while the vehicle's debt stays off the holder's balance sheet."""

    kind: ClassVar[str] = "jv_stake"
    rank: ClassVar[int] = 61

    def look_through_debt(self, ctx) -> float:
        """The holder's share (its shares over the vehicle's shares outstanding) of the vehicle's debt."""
        vehicle = ctx.agent_or_none(self.issuer)
        if vehicle is None or not self.active or vehicle.shares <= 0 or vehicle.defaulted:
            return 0.0
        return ctx.ledger.get(self.issuer, "debt") * self.shares / vehicle.shares
