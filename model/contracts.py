"""Contracts between agents: each has a holder side and an issuer side and values itself from either.

``value_for(agent)`` is the contract's value to that agent in $B at current marks, positive for
the side that holds the claim and negative for the side that owes it (an equity stake is a claim
on the issuer's equity, so the issuer sees minus the holder's value). Executory commitments
(capacity contracts, staged investments, chip orders not yet delivered, leases) are off balance
sheet: their value is the remaining committed cash, the "backlog" or "RPO" of the seller.

``booked()`` lists the balance-sheet lines the contract stands behind, ``(agent, account, $B)``;
the economy reconciles them against the ledger every step, so a contract and the books cannot
drift apart unnoticed. Every cash movement a contract causes goes through the :class:`Ledger`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ailoop.model.ledger import Ledger

@dataclass(eq=False)
class Contract:
    """Base: ``holder`` owns the claim (buyer of capacity, lender, shareholder); ``issuer`` owes it."""

    holder: str
    issuer: str
    active: bool = field(default=True, kw_only=True)

    kind = "contract"

    def value_for(self, agent: str) -> float:
        v = self.holder_value()
        if agent == self.holder:
            return v
        if agent == self.issuer:
            return -v
        return 0.0

    def holder_value(self) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def booked(self) -> list[tuple[str, str, float]]:
        return []

    @property
    def on_balance_sheet(self) -> bool:
        return bool(self.booked())


# --------------------------------------------------------------------------- capacity
@dataclass(eq=False)
class CapacityContract(Contract):
    """Compute capacity sold by ``issuer`` (a cloud) to ``holder`` (the buyer) for a term.

    ``gw`` GW at ``price_per_gw_year`` $B per GW-year for ``term_months`` months of full delivery:
    the contract is worth ``gw * term_months / 12 * price`` $B and runs until that many GW-months
    have been delivered (a ramp stretches it). Each month the buyer owes
    ``max(used, take_or_pay * online) * price / 12``: take-or-pay means unused delivered capacity
    is still paid for in that share. ``cancel_fee_share`` of the remaining value is due on
    cancellation. ``chip_vendor`` is the chipmaker whose GPUs the issuer buys to serve it.
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

    kind = "capacity"

    @property
    def total_value(self) -> float:
        return self.gw * self.term_months / 12.0 * self.price_per_gw_year

    def remaining_value(self) -> float:
        """Remaining contracted revenue (the issuer's RPO, the buyer's commitment), $B."""
        if not self.active:
            return 0.0
        left = self.gw * self.term_months - self.gw_months_delivered
        return max(0.0, left) * self.price_per_gw_year / 12.0

    def holder_value(self) -> float:
        # the buyer owes the remaining payments: from the buyer's side the commitment is a
        # negative value, from the issuer's side the backlog is positive
        return -self.remaining_value()

    def remaining_gw_months(self) -> float:
        return max(0.0, self.gw * self.term_months - self.gw_months_delivered) if self.active else 0.0

    def monthly_bill(self, used_gw: float) -> float:
        """$B owed for this month given the GW the buyer actually used."""
        billable = max(min(used_gw, self.online_gw), self.take_or_pay * self.online_gw)
        return billable * self.price_per_gw_year / 12.0

    def record_delivery(self, bill: float) -> None:
        self.gw_months_delivered += self.online_gw
        self.billed += bill
        if self.remaining_gw_months() <= 1e-12:
            self.active = False


# --------------------------------------------------------------------------- chips
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

    kind = "chip_order"

    @property
    def undelivered_units(self) -> float:
        return max(0.0, self.units - self.delivered_units) if self.active else 0.0

    def holder_value(self) -> float:
        # the buyer's claim is the prepaid amount; the rest of the order is a commitment
        return self.prepaid

    def undelivered_value(self) -> float:
        return self.undelivered_units * self.unit_price

    def booked(self) -> list[tuple[str, str, float]]:
        if self.prepaid <= 0.0:
            return []
        return [(self.holder, "prepaid", self.prepaid), (self.issuer, "deferred_revenue", self.prepaid)]


# --------------------------------------------------------------------------- equity
@dataclass(eq=False)
class EquityStake(Contract):
    """``shares`` (billions) of ``issuer`` held by ``holder``, marked at ``mark`` $ per share.

    Public firms are marked at the market price, private ones at the last round's price.
    The holder books the mark as ``equity_stakes``; the issuer's side is part of its own equity.
    """

    shares: float = 0.0
    mark: float = 0.0

    kind = "equity"

    def holder_value(self) -> float:
        return self.shares * self.mark if self.active else 0.0

    def booked(self) -> list[tuple[str, str, float]]:
        return [(self.holder, "equity_stakes", self.holder_value())] if self.active else []

    def remark(self, ledger: Ledger, price: float) -> float:
        """Mark to ``price``; book the change as revaluation on the holder. Returns the change ($B)."""
        delta = self.shares * (price - self.mark)
        self.mark = price
        if delta != 0.0:
            ledger.post([(self.holder, "equity_stakes", delta), (self.holder, "revaluation", -delta)], "mark stake")
        return delta


@dataclass(eq=False)
class StagedInvestment(Contract):
    """``holder`` (investor) commits ``per_gw`` $B of equity into ``issuer`` per GW it deploys, up to ``cap``.

    ``gw_base`` is the investee's deployed GW when the deal is signed; each full GW deployed
    beyond it releases ``per_gw``. The remaining commitment is off balance sheet.
    """

    per_gw: float = 10.0
    cap: float = 100.0
    gw_base: float = 0.0
    invested: float = 0.0
    name: str = ""

    kind = "staged_investment"

    def remaining(self) -> float:
        return max(0.0, self.cap - self.invested) if self.active else 0.0

    def holder_value(self) -> float:
        return -self.remaining()  # a commitment to pay

    def due(self, deployed_gw: float) -> float:
        """$B now due given the investee's deployed GW."""
        if not self.active:
            return 0.0
        milestones = math.floor(max(0.0, deployed_gw - self.gw_base) + 1e-9)
        return max(0.0, min(self.cap, milestones * self.per_gw) - self.invested)


@dataclass(eq=False)
class Warrant(Contract):
    """Right of ``holder`` to buy ``issuer`` shares at ``strike`` $ per share.

    ``tranches`` are ``(gw_threshold, price_threshold, shares_bn)``: a tranche vests once the
    holder has deployed ``gw_threshold`` GW of the issuer's chips and the issuer's share price has
    reached ``price_threshold``. Vested warrants are marked at intrinsic value.
    """

    strike: float = 0.01
    tranches: list = field(default_factory=list)
    vested_shares: float = 0.0
    vested_flags: list = field(default_factory=list)
    mark: float = 0.0  # $ per vested share (intrinsic value)
    gw_base: float = 0.0

    kind = "warrant"

    @property
    def total_shares(self) -> float:
        return sum(t[2] for t in self.tranches)

    def holder_value(self) -> float:
        return self.vested_shares * self.mark if self.active else 0.0

    def booked(self) -> list[tuple[str, str, float]]:
        return [(self.holder, "warrants", self.holder_value())] if self.active else []

    def vest(self, ledger: Ledger, deployed_gw: float, price: float) -> float:
        """Vest tranches whose milestones are met; mark to ``price``. Returns newly vested shares."""
        if not self.vested_flags:
            self.vested_flags = [False] * len(self.tranches)
        old = self.holder_value()
        new = 0.0
        for k, (gw_t, px_t, n) in enumerate(self.tranches):
            if not self.vested_flags[k] and deployed_gw - self.gw_base >= gw_t - 1e-9 and price >= px_t:
                self.vested_flags[k] = True
                new += n
        self.vested_shares += new
        self.remark(ledger, price, old)
        return new

    def remark(self, ledger: Ledger, price: float, old: float | None = None) -> None:
        """Mark vested warrants to intrinsic value at ``price``; book the change on the holder."""
        old = self.holder_value() if old is None else old
        self.mark = max(price - self.strike, 0.0)
        delta = self.holder_value() - old
        if delta != 0.0:
            ledger.post([(self.holder, "warrants", delta), (self.holder, "revaluation", -delta)], "mark warrant")


# --------------------------------------------------------------------------- credit
@dataclass(eq=False)
class Bond(Contract):
    """A bullet bond: ``holder`` lent ``face`` $B to ``issuer`` at ``coupon`` (per year) until ``maturity_month``."""

    face: float = 0.0
    coupon: float = 0.05
    issued_month: int = 0
    maturity_month: int = 120
    spread: float = 0.0  # over the risk-free rate at issue, per year
    mark: float = 1.0  # market price per unit of face (the holder's mark-to-market)

    kind = "bond"

    def holder_value(self) -> float:
        return self.face * self.mark if self.active else 0.0

    def booked(self) -> list[tuple[str, str, float]]:
        if not self.active:
            return []
        return [(self.holder, "bonds_held", self.face), (self.holder, "bond_valuation", self.face * (self.mark - 1.0)),
                (self.issuer, "debt", self.face)]

    def monthly_interest(self) -> float:
        return self.face * self.coupon / 12.0 if self.active else 0.0


@dataclass(eq=False)
class GpuLoan(Bond):
    """A GPU-collateralised amortising loan from ``holder`` to ``issuer``.

    ``collateral_units`` (millions of GPUs) secure it; ``ltv_limit`` is the maximum loan-to-value
    against the used-GPU price. Principal amortises evenly over ``amort_months``.
    (Margin calls on an LTV breach belong to the defaults layer.)
    """

    ltv_limit: float = 0.7
    collateral_units: float = 0.0
    amort_months: int = 48
    installment: float = 0.0  # $B of principal due each month (face at origination / amort_months)

    kind = "gpu_loan"

    def __post_init__(self) -> None:
        if self.installment <= 0.0:
            self.installment = self.face / max(1, self.amort_months)

    def ltv(self, used_price: float) -> float:
        """Loan-to-value at ``used_price`` ($B per million GPUs)."""
        value = self.collateral_units * used_price
        return self.face / value if value > 0 else math.inf

    def scheduled_principal(self) -> float:
        return min(self.face, self.installment) if self.active else 0.0


@dataclass(eq=False)
class CloudCredits(Contract):
    """Prepaid compute: ``issuer`` (a hyperscaler) owes ``holder`` ``unused`` $B of cloud usage.

    Credits given in exchange for equity move no cash: the holder books them as ``prepaid`` and the
    issuer as ``deferred_revenue``; using them is the holder's compute expense and the issuer's revenue.
    """

    unused: float = 0.0
    granted: float = 0.0

    kind = "cloud_credits"

    def holder_value(self) -> float:
        return self.unused if self.active else 0.0

    def booked(self) -> list[tuple[str, str, float]]:
        if self.unused <= 0.0:
            return []
        return [(self.holder, "prepaid", self.unused), (self.issuer, "deferred_revenue", self.unused)]

    def use(self, ledger: Ledger, amount: float) -> float:
        """Consume up to ``amount`` $B of credits; returns what was used."""
        x = min(amount, self.unused)
        if x <= 0.0:
            return 0.0
        self.unused -= x
        ledger.post([(self.holder, "retained", x), (self.holder, "prepaid", -x)], "use cloud credits")
        ledger.post([(self.issuer, "deferred_revenue", x), (self.issuer, "retained", -x)], "credits recognised")
        return x


@dataclass(eq=False)
class Lease(Contract):
    """``holder`` (lessee) leases GPUs from ``issuer`` (lessor): ``monthly`` $B for ``term_months``.

    An operating lease: the lessee's remaining payments are a commitment, the lessor's backlog.
    """

    monthly: float = 0.0
    term_months: int = 60
    start_month: int = 0
    months_paid: int = 0
    gw: float = 0.0

    kind = "lease"

    def remaining_value(self) -> float:
        return max(0, self.term_months - self.months_paid) * self.monthly if self.active else 0.0

    def holder_value(self) -> float:
        return -self.remaining_value()


@dataclass(eq=False)
class TradeCredit(Contract):
    """Arrears: ``issuer`` owes ``holder`` ``amount`` $B it was billed and could not pay in cash."""

    amount: float = 0.0
    what: str = ""

    kind = "trade_credit"

    def holder_value(self) -> float:
        return self.amount if self.active else 0.0

    def booked(self) -> list[tuple[str, str, float]]:
        if self.amount <= 0.0:
            return []
        # an external creditor (e.g. the operating-cost sector) has no balance sheet
        return [(self.holder, "receivables", self.amount), (self.issuer, "payables", self.amount)]


@dataclass(eq=False)
class CapacityBackstop(Contract):
    """``holder`` (a chipmaker) promises to buy ``issuer``'s unsold capacity up to ``cap`` $B.

    Each month the holder pays for the issuer's idle GW at ``price_per_gw_year`` until the cap is
    used up or ``end_month`` passes. The unused cap is the issuer's backstop backlog.
    """

    cap: float = 0.0
    price_per_gw_year: float = 0.0
    end_month: int = 80
    used: float = 0.0

    kind = "backstop"

    def remaining(self) -> float:
        return max(0.0, self.cap - self.used) if self.active else 0.0

    def holder_value(self) -> float:
        return -self.remaining()


@dataclass(eq=False)
class MarginLoan(Contract):
    """Broker credit: an outside lender (``holder``, an external sector) lends ``amount`` $B to
    ``issuer`` against its portfolio (the trader and retail sectors' prime-broker loans)."""

    amount: float = 0.0

    kind = "margin_loan"

    def holder_value(self) -> float:
        return self.amount if self.active else 0.0

    def booked(self) -> list[tuple[str, str, float]]:
        return [(self.issuer, "debt", self.amount)] if self.active and self.amount > 0 else []


# --------------------------------------------------------------------------- registry
class ContractBook:
    """All contracts of an economy, indexed by kind, issuer and holder.

    Look-ups return active contracts only; :meth:`prune` drops finished contracts that carry
    nothing on any balance sheet and rebuilds the indexes.
    """

    def __init__(self) -> None:
        self.contracts: list[Contract] = []
        self.reindex()

    def reindex(self) -> None:
        self._by_kind: dict[str, list[Contract]] = {}
        self._by_issuer: dict[str, list[Contract]] = {}
        self._by_holder: dict[str, list[Contract]] = {}
        self._by_issuer_kind: dict[tuple[str, str], list[Contract]] = {}
        self._by_holder_kind: dict[tuple[str, str], list[Contract]] = {}
        self._stakes: dict[tuple[str, str], Contract] = {}
        self._credit: dict[tuple[str, str], Contract] = {}
        for c in self.contracts:
            self._index(c)

    def _index(self, c: Contract) -> None:
        self._by_kind.setdefault(c.kind, []).append(c)
        self._by_issuer.setdefault(c.issuer, []).append(c)
        self._by_holder.setdefault(c.holder, []).append(c)
        self._by_issuer_kind.setdefault((c.issuer, c.kind), []).append(c)
        self._by_holder_kind.setdefault((c.holder, c.kind), []).append(c)
        if c.kind == "equity" and c.active:
            self._stakes[(c.holder, c.issuer)] = c
        if c.kind == "trade_credit" and c.active:
            self._credit[(c.holder, c.issuer)] = c

    def add(self, c: Contract) -> Contract:
        self.contracts.append(c)
        self._index(c)
        return c

    def of_kind(self, kind: str) -> list[Contract]:
        return [c for c in self._by_kind.get(kind, ()) if c.active]

    def issued_by(self, agent: str, kind: str | None = None) -> list[Contract]:
        if kind is None:
            return [c for c in self._by_issuer.get(agent, ()) if c.active]
        return [c for c in self._by_issuer_kind.get((agent, kind), ()) if c.active]

    def held_by(self, agent: str, kind: str | None = None) -> list[Contract]:
        if kind is None:
            return [c for c in self._by_holder.get(agent, ()) if c.active]
        return [c for c in self._by_holder_kind.get((agent, kind), ()) if c.active]

    def stake(self, holder: str, issuer: str) -> EquityStake | None:
        c = self._stakes.get((holder, issuer))
        return c if c is not None and c.active else None  # type: ignore[return-value]

    def arrears(self, creditor: str, debtor: str) -> TradeCredit | None:
        c = self._credit.get((creditor, debtor))
        return c if c is not None and c.active else None  # type: ignore[return-value]

    def booked_totals(self) -> dict[tuple[str, str], float]:
        """Sum of ``booked()`` lines per (agent, account) over the contracts on balance sheets."""
        out: dict[tuple[str, str], float] = {}
        for kind in BOOKED_KINDS:
            for c in self._by_kind.get(kind, ()):
                for agent, account, amount in c.booked():
                    out[(agent, account)] = out.get((agent, account), 0.0) + amount
        return out

    def prune(self) -> None:
        """Drop finished contracts that carry nothing on any balance sheet."""
        self.contracts = [c for c in self.contracts if c.active or c.booked()]
        self.reindex()


#: contract kinds that can carry balance-sheet lines
BOOKED_KINDS = ("chip_order", "equity", "warrant", "bond", "gpu_loan", "cloud_credits", "trade_credit", "margin_loan")

#: accounts whose balances are fully explained by contracts
CONTRACT_ACCOUNTS = ("receivables", "prepaid", "equity_stakes", "warrants", "bonds_held", "bond_valuation", "payables",
                     "deferred_revenue", "debt")


def _pay(ledger: Ledger, payer: str, payee: str, x: float, payer_debit: str, payee_credit: str, memo: str) -> None:
    if payee in ledger.index:
        ledger.transfer(payer, payee, x, payer_debit, payee_credit, memo)
    else:
        ledger.pay_external(payer, payee, x, payer_debit, memo)


def pay_or_owe(
    ledger: Ledger,
    book: ContractBook,
    payer: str,
    payee: str,
    amount: float,
    payer_debit: str,
    payee_credit: str,
    memo: str,
) -> float:
    """Pay ``amount`` $B if the payer has the cash; book any shortfall as arrears (a TradeCredit).

    The bill is accrued in full either way (the payer's expense or asset, the payee's revenue);
    the unpaid part sits as the payer's ``payables`` and, when the payee is an agent, the payee's
    ``receivables``. ``payee`` may be an external sector. Returns the cash paid.
    """
    if amount <= 0.0:
        return 0.0
    paid = min(amount, max(0.0, ledger.cash(payer)))
    if paid > 0.0:
        _pay(ledger, payer, payee, paid, payer_debit, payee_credit, memo)
    owed = amount - paid
    if owed > 1e-12:
        ledger.post([(payer, payer_debit, owed), (payer, "payables", -owed)], memo + " (arrears)")
        if payee in ledger.index:
            ledger.post([(payee, "receivables", owed), (payee, payee_credit, -owed)], memo + " (arrears)")
        tc = book.arrears(payee, payer)
        if tc is None:
            book.add(TradeCredit(holder=payee, issuer=payer, amount=owed, what=memo))
        else:
            tc.amount += owed
    return paid


def settle_arrears(ledger: Ledger, book: ContractBook, payer: str) -> float:
    """Pay ``payer``'s arrears, oldest first, as far as its cash allows. Returns $B paid."""
    total = 0.0
    for c in book.issued_by(payer, "trade_credit"):
        cash = ledger.cash(payer)
        if cash <= 1e-12:
            break
        x = min(cash, c.amount)
        if c.holder in ledger.index:
            ledger.transfer(payer, c.holder, x, "payables", "receivables", "pay arrears: " + c.what)
        else:
            ledger.pay_external(payer, c.holder, x, "payables", "pay arrears: " + c.what)
        c.amount -= x
        total += x
        if c.amount <= 1e-12:
            c.amount = 0.0
            c.active = False
    return total
