"""Contracts for compute: capacity sold for a term, GPU leases, capacity backstops, cloud credits.

Each carries both sides of its rules: what the provider must deliver, build and bill, its
backlog and what the market counts of it; what the buyer uses, pays and plans on; and what each
side is left with if the other defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ailoop.model.contracts.base import Contract, ContractError
from ailoop.model.contracts.settlement import bill, owe, pay_or_owe, terms
from ailoop.model.ledger import Ledger
from ailoop.model.postings import PNL, PREPAID


def bill_holder(ctx, c: Contract, amount: float, memo: str) -> float:
    """Bill ``c``'s holder ``amount`` $B for this month's compute: prepaid credits it holds from the
    provider first, then on trade terms (``terms_capacity_months``; cash at once, arrears if short,
    without them), or the external customer's cash. Records the provider's AI revenue and the
    holder's compute cost. Returns the $B billed beyond credits."""
    provider = ctx.agent(c.issuer)
    for k in [k for k in ctx.book.issued_by(c.issuer, Contract.pay_bill) if k.holder == c.holder]:
        x = k.pay_bill(ctx.ledger, amount)  # prepaid credits are used before cash
        if x:
            amount -= x
            provider.add_flow("revenue_ai", x)
            ctx.agent(c.holder).add_flow("compute_cost", x)
            ctx.agent(c.holder).add_flow("credits_used", x)
    if c.holder in ctx.ledger.index:
        bill(ctx.ledger, ctx.book, c.holder, c.issuer, amount, "retained", "retained", memo, ctx.month,
             terms(ctx, "terms_capacity_months"), ref=c)
        ctx.agent(c.holder).add_flow("compute_cost", amount)
    else:
        ctx.ledger.receive_external(c.issuer, c.holder, amount, "retained", memo + " (external customer)", ref=c)
    return amount


@dataclass(eq=False)
class CapacityContract(Contract):
    """Compute capacity sold by ``issuer`` (a cloud) to ``holder`` (the buyer) for a term.

    ``gw`` GW at ``price_per_gw_year`` $B per GW-year for ``term_months`` months of full delivery:
    the contract is worth ``gw * term_months / 12 * price`` $B and runs until that many GW-months
    have been delivered (a ramp stretches it). Each month the buyer owes
    ``max(used, take_or_pay * online) * price / 12``: take-or-pay means unused delivered capacity
    is still paid for in that share. ``cancel_fee_share`` of the remaining value is due on
    cancellation. ``chip_vendor`` is the chipmaker whose GPUs the issuer buys to serve it; the
    issuer builds capacity for it (:meth:`build_order`) and bills it monthly (:meth:`settle`).

    ``terms`` says how binding it is: ``"cancellable"`` (the buyer may walk away, paying the fee,
    until the contract delivers; take-or-pay from then on) or ``"binding"`` (take-or-pay from
    signing: no walk-away; at the buyer's default the fee is still its claim). See
    :meth:`strength_now`.

    With ``ramp_months`` > 0 the GW due rise in equal steps over that many months from the start
    (a contract taken up gradually); 0: all of it from the start.
    """

    gw: float = 0.0
    price_per_gw_year: float = 0.0
    term_months: int = 60
    start_month: int = 0
    take_or_pay: float = 1.0
    cancel_fee_share: float = 0.0
    chip_vendor: str = "chip_leader"
    name: str = ""
    gw_months_delivered: float = 0.0
    online_gw: float = 0.0  # GW the issuer currently delivers under this contract
    billed: float = 0.0  # cumulative $B billed
    use: tuple[int, float] = (-1, 0.0)  # (month, GW) the buyer said it used; unset: all it was delivered
    cancelled: bool = False  # ended before its term (renegotiated, or a party defaulted)
    terms: str = "cancellable"  # "cancellable" (walk away at the fee until it delivers) or "binding"
    ramp_months: int = 0

    kind: ClassVar[str] = "capacity"
    rank: ClassVar[int] = 10
    strength: ClassVar[str] = "cancellable"  # before it delivers, at its fee; take-or-pay once it does
    settle_phase: ClassVar[str | None] = "billing"
    unwind_order: ClassVar[tuple[int | None, int | None]] = (10, 11)
    postings: ClassVar[dict[str, tuple[str, ...]]] = {"compute bill": PNL, "cancellation fee": PNL}

    def __post_init__(self) -> None:
        if self.terms not in ("binding", "cancellable"):
            raise ContractError(f"CapacityContract {self.name or ''}: terms {self.terms!r} is not allowed; "
                                "allowed: binding, cancellable")

    @property
    def total_value(self) -> float:
        return self.gw * self.term_months / 12.0 * self.price_per_gw_year

    def strength_now(self, month: int) -> str:
        """``"binding"`` once it delivers (or from signing with ``terms="binding"``), else ``"cancellable"``."""
        if self.terms == "binding" or self.online_gw > 0 or month >= self.start_month:
            return "binding"
        return "cancellable"

    def remaining_value(self) -> float:
        """Remaining contracted revenue (the issuer's RPO, the buyer's commitment), $B."""
        if not self.active:
            return 0.0
        left = self.gw * self.term_months - self.gw_months_delivered
        return max(0.0, left) * self.price_per_gw_year / 12.0

    def holder_value(self) -> float:
        # the buyer owes the remaining payments: a negative value to it, a backlog to the issuer
        return -self.remaining_value()

    def commitment(self) -> float:
        return self.remaining_value()

    def remaining_gw_months(self) -> float:
        return max(0.0, self.gw * self.term_months - self.gw_months_delivered) if self.active else 0.0

    # ------------------------------------------------------------------ the provider's side
    def gw_due(self, month: int) -> float:
        if month < self.start_month:
            return 0.0
        if self.ramp_months > 0:
            return self.gw * min(1.0, (month - self.start_month + 1) / self.ramp_months)
        return self.gw

    def deliver(self, gw: float) -> None:
        self.online_gw = gw

    def build_order(self) -> tuple[float, str, int]:
        return self.gw, self.chip_vendor, self.start_month

    def backlog(self) -> float:
        return self.remaining_value()

    def contracted_gw(self) -> float:
        return self.gw

    def market_backlog(self, odds: dict[str, float]) -> tuple[float, float]:
        """Revenue promised and not yet delivering (the part of the remaining value whose capacity
        is not online), weighted by the odds the market gives the buyer's paying, and the term."""
        return self.promised(odds), self.term_months / 12.0

    def promised(self, odds: dict[str, float]) -> float:
        """$B of revenue promised and not yet delivering, at the odds the market gives the buyer."""
        promised = self.remaining_value() * (1.0 - self.online_gw / self.gw if self.gw > 0 else 0.0)
        promised *= odds.get(self.holder, 1.0)
        return promised

    def monthly_bill(self, used_gw: float) -> float:
        """$B owed for this month given the GW the buyer actually used."""
        billable = max(min(used_gw, self.online_gw), self.take_or_pay * self.online_gw)
        return billable * self.price_per_gw_year / 12.0

    def record_delivery(self, bill: float) -> None:
        self.gw_months_delivered += self.online_gw
        self.billed += bill
        if self.remaining_gw_months() <= 1e-12:
            self.active = False

    def settle(self, ctx) -> None:
        """Bill the month's delivery: the buyer pays for what it used, at least the take-or-pay
        share of what was delivered (prepaid credits first, then cash, arrears if short)."""
        if self.online_gw <= 0:
            return
        full_bill = self.monthly_bill(self.used_gw(ctx.month))
        bill = bill_holder(ctx, self, full_bill, "compute bill")
        self.record_delivery(full_bill)
        ctx.agent(self.issuer).add_flow("revenue_ai", bill)

    # ------------------------------------------------------------------ the buyer's side
    def delivered_gw(self, month: int, vendor: str | None = None) -> float:
        return self.online_gw if vendor is None or self.chip_vendor == vendor else 0.0

    def record_use(self, month: int, share: float) -> None:
        self.use = (month, self.online_gw * share)

    def used_gw(self, month: int) -> float:
        """GW the buyer used in ``month`` (all the GW delivered unless it said otherwise)."""
        return self.use[1] if self.use[0] == month else self.online_gw

    def payments_ahead(self, month: int, months: int) -> float:
        """The take-or-pay bills of the months from ``month`` on in which the contract runs."""
        active = sum(1 for k in range(months) if month + k >= self.start_month)
        return self.gw * self.price_per_gw_year / 12.0 * active * self.take_or_pay

    def run_rate_cost(self) -> float:
        return self.gw * self.price_per_gw_year

    def planned_gw(self) -> float:
        return self.gw

    def walk_away(self, month: int) -> tuple[float, int] | None:
        if self.strength_now(month) == "binding":
            return None
        return self.cancel_fee_share * self.remaining_value(), self.start_month

    # ------------------------------------------------------------------ default
    def unwind(self, ctx, defaulter: str) -> None:
        """A defaulting buyer owes the cancellation fee (a claim on its estate, ranked with the
        other unsecured claims); a defaulting provider owes nothing more."""
        if defaulter == self.holder:
            fee = self.cancel_fee_share * self.remaining_value()
            ctx.cancel_capacity_contract(self, f"{defaulter} defaulted", fee_claim=fee, in_default=True)
        else:
            ctx.cancel_capacity_contract(self, f"provider {defaulter} defaulted", fee_claim=0.0)

    def pipeline_gw(self, ctx, vendor, odds, horizon):
        """Firm capacity on ``vendor``'s chips starting too far off to have been ordered yet."""
        if self.chip_vendor == vendor and self.start_month > horizon:
            return self.holder, "firm", self.gw * odds.get(self.holder, 1.0)
        return None


def lapse(contract: Contract, ctx, defaulter: str) -> None:
    """The contract ends with its defaulting party: nothing more is owed under it."""
    contract.active = False
    ctx.record_event("contract cancelled", contract.issuer,
                     f"{contract.kind} with {contract.holder}: {defaulter} defaulted")


@dataclass(eq=False)
class Lease(Contract):
    """``holder`` (lessee) leases GPUs from ``issuer`` (lessor): ``monthly`` $B for ``term_months``.

    An operating lease: the lessee's remaining payments are a commitment, the lessor's backlog.
    ``rate`` is the lease's monthly interest rate (the yield its payments were set at). ``fleet``
    is the lessor's fleet the leased GPUs sit in: the lessee has the use of all of it, on
    ``chip_vendor``'s chips, from ``start_month``; the lease is paid monthly while the GPUs are
    online (:meth:`settle`).

    At the lessee's default the lease is rejected: the GPUs go back to the lessor, which marks
    them at the used-GPU price (its own GPUs, repossessed), and the lessor's damages — the
    remaining payments discounted at ``rate``, less what the returned GPUs are worth at the
    used-GPU price — are a claim on the lessee's estate, ranked with its other unsecured claims.
    """

    monthly: float = 0.0
    term_months: int = 60
    start_month: int = 0
    months_paid: int = 0
    gw: float = 0.0
    rate: float = 0.0  # per month
    fleet: object = None  # the lessor's Fleet
    chip_vendor: str = "chip_leader"

    kind: ClassVar[str] = "lease"
    rank: ClassVar[int] = 20
    settle_phase: ClassVar[str | None] = "billing"
    unwind_order: ClassVar[tuple[int | None, int | None]] = (20, 21)
    postings: ClassVar[dict[str, tuple[str, ...]]] = {"GPU lease": PNL, "lease rejection damages": PNL,
                                                      "GPUs repossessed": ("gpus", "retained")}

    def remaining_value(self) -> float:
        return max(0, self.term_months - self.months_paid) * self.monthly if self.active else 0.0

    def holder_value(self) -> float:
        return -self.remaining_value()

    def commitment(self) -> float:
        return self.remaining_value()

    def backlog(self) -> float:
        return self.remaining_value()

    def remaining_pv(self) -> float:
        """$B value of the remaining payments discounted at ``rate`` (paid at each month's end)."""
        n = max(0, self.term_months - self.months_paid) if self.active else 0
        if n == 0:
            return 0.0
        r = self.rate
        return self.monthly * ((1.0 - (1.0 + r) ** -n) / r if r > 0 else n)

    def online_gw(self) -> float:
        """GW of the leased GPUs online (the lessor's whole fleet)."""
        return self.fleet.online_gw() if self.fleet is not None else 0.0

    def delivered_gw(self, month: int, vendor: str | None = None) -> float:
        if month < self.start_month or vendor not in (None, self.chip_vendor):
            return 0.0
        return self.online_gw()

    def leased_fleet_gw(self, month: int) -> float:
        return self.delivered_gw(month)

    def payments_ahead(self, month: int, months: int) -> float:
        return self.monthly * min(months, self.term_months - self.months_paid)

    def planned_gw(self) -> float:
        return self.gw

    def settle(self, ctx) -> None:
        """The month's lease payment, while the GPUs are online (arrears if the lessee is short)."""
        if ctx.month < self.start_month or self.online_gw() <= 0:
            return
        bill(ctx.ledger, ctx.book, self.holder, self.issuer, self.monthly, "retained", "retained", "GPU lease",
             ctx.month, terms(ctx, "terms_capacity_months"), ref=self)
        self.months_paid += 1
        ctx.agent(self.issuer).add_flow("revenue_ai", self.monthly)
        ctx.agent(self.holder).add_flow("compute_cost", self.monthly)
        if self.months_paid >= self.term_months:
            self.active = False

    def unwind(self, ctx, defaulter: str) -> None:
        """The lessee defaulted: the lease is rejected (GPUs returned, damages claimed); the
        lessor defaulted: the lessee loses the GPUs (they are sold in the lessor's liquidation)."""
        if defaulter == self.holder and self.remaining_value() > 0:
            lessor = ctx.agent(self.issuer)
            units = min(lessor.fleet.units(), self.gw * ctx.params["gpus_per_gw"]) if lessor.owns_capacity else 0.0
            share = units / lessor.fleet.units() if units > 0 else 0.0
            month, price = ctx.month, ctx.used_price_at
            value = lessor.fleet.market_value(month, price) * share
            loss = lessor.fleet.write_down(month, price, share)
            if loss > 0:
                ctx.ledger.post([(self.issuer, "gpus", -loss), (self.issuer, "retained", loss)], "GPUs repossessed")
            damages = max(0.0, self.remaining_pv() - value)
            if damages > 0:
                owe(ctx.ledger, ctx.book, self.holder, self.issuer, damages, "retained", "retained",
                    "lease rejection damages", ref=self)
            self.active = False
            ctx.record_event("lease rejected", self.issuer,
                             f"{defaulter} defaulted: {units * 1e3:,.0f}k GPUs returned, worth {value:,.2f} $B at "
                             f"the used-GPU price (written down {loss:,.2f} $B); damages claim {damages:,.2f} $B",
                             damages)
            ctx.changed()
        else:
            lapse(self, ctx, defaulter)


@dataclass(eq=False)
class CapacityBackstop(Contract):
    """``holder`` (a chipmaker) stands ready to buy ``issuer``'s unsold capacity up to ``cap`` $B.

    The holder buys the issuer's idle GW at ``price_per_gw_year`` until the cap is used up or
    ``end_month`` passes — when it decides to: a purchase is a rescue of a distressed issuer
    (``Chipmaker.consider_rescues``). The unused cap is the issuer's backstop backlog.
    """

    cap: float = 0.0
    price_per_gw_year: float = 0.0
    end_month: int = 80
    used: float = 0.0

    kind: ClassVar[str] = "backstop"
    rank: ClassVar[int] = 40
    unwind_order: ClassVar[tuple[int | None, int | None]] = (22, 23)
    postings: ClassVar[dict[str, tuple[str, ...]]] = {"capacity backstop": PNL}

    def remaining(self) -> float:
        return max(0.0, self.cap - self.used) if self.active else 0.0

    def holder_value(self) -> float:
        return -self.remaining()

    def commitment(self) -> float:
        return self.remaining()

    def backlog(self) -> float:
        return self.remaining()

    def backstop_room(self, month: int) -> float:
        return self.remaining() if month <= self.end_month else 0.0

    def buy(self, ledger: Ledger, amount: float) -> None:
        """The holder buys ``amount`` $B of the issuer's idle capacity under the backstop."""
        ledger.transfer(self.holder, self.issuer, amount, "retained", "retained", "capacity backstop", ref=self)
        self.used += amount
        if self.remaining() <= 1e-12:
            self.active = False

    def unwind(self, ctx, defaulter: str) -> None:
        lapse(self, ctx, defaulter)


@dataclass(eq=False)
class CloudCredits(Contract):
    """Prepaid compute: ``issuer`` (a hyperscaler) owes ``holder`` ``unused`` $B of cloud usage.

    Credits given in exchange for equity move no cash: the holder books them as ``prepaid`` and the
    issuer as ``deferred_revenue``; using them is the holder's compute expense and the issuer's revenue.
    """

    unused: float = 0.0
    granted: float = 0.0

    kind: ClassVar[str] = "cloud_credits"
    rank: ClassVar[int] = 100
    unwind_order: ClassVar[tuple[int | None, int | None]] = (40, 41)
    postings: ClassVar[dict[str, tuple[str, ...]]] = {
        "opening cloud credits": ("prepaid", "deferred_revenue", "paid_in"),
        "shares for cloud credits": ("prepaid", "paid_in"), "cloud credits for shares": ("equity_stakes", "deferred_revenue"),
        "use cloud credits": PREPAID, "credits recognised": PREPAID, "credits lapse": PREPAID}

    def holder_value(self) -> float:
        return self.unused if self.active else 0.0

    def booked(self) -> list[tuple[str, str, float]]:
        if self.unused <= 0.0:
            return []
        return [(self.holder, "prepaid", self.unused), (self.issuer, "deferred_revenue", self.unused)]

    def prepaid_compute(self) -> float:
        return self.unused

    def pay_bill(self, ledger: Ledger, amount: float) -> float:
        return self.use(ledger, amount)

    def use(self, ledger: Ledger, amount: float) -> float:
        """Consume up to ``amount`` $B of credits; returns what was used."""
        x = min(amount, self.unused)
        if x <= 0.0:
            return 0.0
        self.unused -= x
        ledger.post([(self.holder, "retained", x), (self.holder, "prepaid", -x)], "use cloud credits")
        ledger.post([(self.issuer, "deferred_revenue", x), (self.issuer, "retained", -x)], "credits recognised")
        return x

    def unwind(self, ctx, defaulter: str) -> None:
        """Either party defaulted: the unused credits lapse; the holder loses them."""
        x = self.unused
        if x > 0:
            ctx.ledger.post([(self.holder, "prepaid", -x), (self.holder, "retained", x)], "credits lapse")
            ctx.ledger.post([(self.issuer, "deferred_revenue", x), (self.issuer, "retained", -x)], "credits lapse")
            ctx.record_loss(self.holder, x)
        self.unused, self.active = 0.0, False


@dataclass(eq=False)
class OutsideCompute(Contract):
    """Compute ``holder`` buys from a vendor outside the model (``issuer``, an external sector: a
    vendor that builds or leases its own data centres): ``gw`` GW reached in equal steps over
    ``ramp_months`` from ``start_month``, at ``price_per_gw_year`` $B per GW-year, until ``value``
    $B has been billed. Billed monthly like a capacity contract (``take_or_pay`` of what is
    delivered at least); the GW delivered are the holder's but in no modelled fleet
    (:meth:`external_gw`), so they count in no owner's utilisation or rent. Before it delivers the
    holder may walk away at ``cancel_fee_share`` of what is left."""

    gw: float = 0.0
    price_per_gw_year: float = 0.0
    value: float = 0.0
    start_month: int = 0
    ramp_months: int = 1
    take_or_pay: float = 1.0
    cancel_fee_share: float = 0.0
    name: str = ""
    billed: float = 0.0
    use: tuple[int, float] = (-1, 0.0)
    cancelled: bool = False

    kind: ClassVar[str] = "outside_compute"
    rank: ClassVar[int] = 12
    strength: ClassVar[str] = "cancellable"
    settle_phase: ClassVar[str | None] = "billing"
    unwind_order: ClassVar[tuple[int | None, int | None]] = (12, None)
    postings: ClassVar[dict[str, tuple[str, ...]]] = {"compute bill": PNL, "cancellation fee": PNL}

    def remaining_value(self) -> float:
        return max(0.0, self.value - self.billed) if self.active else 0.0

    def holder_value(self) -> float:
        return -self.remaining_value()

    def commitment(self) -> float:
        return self.remaining_value()

    def contracted_gw(self) -> float:
        return self.gw if self.active else 0.0

    def scheduled_gw(self, month: int) -> float:
        if not self.active or month < self.start_month:
            return 0.0
        steps = max(1, self.ramp_months)
        return self.gw * min(1.0, (month - self.start_month + 1) / steps)

    def delivered_gw(self, month: int, vendor: str | None = None) -> float:
        return self.scheduled_gw(month) if vendor is None or vendor == self.issuer else 0.0

    def external_gw(self, month: int) -> float:
        return self.scheduled_gw(month)

    def record_use(self, month: int, share: float) -> None:
        self.use = (month, self.scheduled_gw(month) * share)

    def used_gw(self, month: int) -> float:
        return self.use[1] if self.use[0] == month else self.scheduled_gw(month)

    def payments_ahead(self, month: int, months: int) -> float:
        bills = sum(self.scheduled_gw(month + k) for k in range(months)) * self.price_per_gw_year / 12.0
        return min(self.remaining_value(), bills * self.take_or_pay)

    def run_rate_cost(self) -> float:
        return self.gw * self.price_per_gw_year if self.active else 0.0

    def planned_gw(self) -> float:
        return self.gw if self.active else 0.0

    def walk_away(self, month: int) -> tuple[float, int] | None:
        if not self.active or self.start_month <= month:
            return None
        return self.cancel_fee_share * self.remaining_value(), self.start_month

    def settle(self, ctx) -> None:
        """Bill the month: what the holder used, at least the take-or-pay share of what was delivered."""
        gw = self.scheduled_gw(ctx.month)
        if gw <= 0:
            return
        billable = max(min(self.used_gw(ctx.month), gw), self.take_or_pay * gw)
        bill = min(self.remaining_value(), billable * self.price_per_gw_year / 12.0)
        pay_or_owe(ctx.ledger, ctx.book, self.holder, self.issuer, bill, "retained", "retained", "compute bill",
                   ref=self)
        ctx.agent(self.holder).add_flow("compute_cost", bill)
        self.billed += bill
        if self.remaining_value() <= 1e-12:
            self.active = False

    def unwind(self, ctx, defaulter: str) -> None:
        """The holder defaulted: the vendor claims the cancellation fee on its estate."""
        fee = self.cancel_fee_share * self.remaining_value()
        if fee > 0:
            owe(ctx.ledger, ctx.book, self.holder, self.issuer, fee, "retained", "retained", "cancellation fee",
                ref=self)
        self.active, self.cancelled = False, True
        ctx.record_event("contract cancelled", self.holder, f"{self.name or self.kind} with {self.issuer}: "
                         f"{defaulter} defaulted; fee {fee:,.2f} $B", fee)
