"""Debt contracts: bonds, GPU-collateralised loans, arrears (trade credit) and broker margin loans."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ailoop.model.contracts.base import LIQUIDATION_BUYER, Contract
from ailoop.model.ledger import Ledger
from ailoop.model.postings import DEBT, LIQUIDATION, MARKS, PNL

#: accounts of paying or owing arrears
ARREARS = ("cash", "receivables", "payables")


@dataclass(eq=False)
class Bond(Contract):
    """A bullet bond: ``holder`` lent ``face`` $B to ``issuer`` at ``coupon`` (per year) until ``maturity_month``."""

    face: float = 0.0
    coupon: float = 0.05
    issued_month: int = 0
    maturity_month: int = 120
    spread: float = 0.0  # over the risk-free rate at issue, per year
    mark: float = 1.0  # market price per unit of face (the holder's mark-to-market)

    kind: ClassVar[str] = "bond"
    rank: ClassVar[int] = 80
    is_debt: ClassVar[bool] = True
    redeemable: ClassVar[bool] = True
    tradable: ClassVar[bool] = True
    claim_accounts: ClassVar[tuple[str, str] | None] = ("bonds_held", "debt")
    postings: ClassVar[dict[str, tuple[str, ...]]] = {
        "interest": PNL, "mark bonds": MARKS,
        "bond sale": ("cash", "bonds_held", "bond_valuation", "revaluation", "retained"),
        **{k: DEBT for k in ("debt issue", "principal", "early redemption", "margin call paydown", "margin loan paydown",
                             "repay from collateral sale", "secured recovery", "covenant cure", "cash sweep")}}

    def holder_value(self) -> float:
        return self.face * self.mark if self.active else 0.0

    def booked(self) -> list[tuple[str, str, float]]:
        if not self.active:
            return []
        return [(self.holder, "bonds_held", self.face), (self.holder, "bond_valuation", self.face * (self.mark - 1.0)),
                (self.issuer, "debt", self.face)]

    @classmethod
    def booked_block(cls, contracts: list, row_of: dict, col_of: dict) -> tuple[list, list, list]:
        """:meth:`booked` for many bonds at once (the same lines, built column by column)."""
        live = [c for c in contracts if c.active]
        face = [c.face for c in live]
        holders = [row_of.get(c.holder, -1) for c in live]
        issuers = [row_of.get(c.issuer, -1) for c in live]
        rows = holders + holders + issuers
        cols = ([col_of["bonds_held"]] * len(live) + [col_of["bond_valuation"]] * len(live)
                + [col_of["debt"]] * len(live))
        vals = face + [c.face * (c.mark - 1.0) for c in live] + face
        if -1 in holders or -1 in issuers:  # (a party without a balance sheet: its lines are left out)
            keep = [k for k, r in enumerate(rows) if r >= 0]
            rows, cols, vals = [rows[k] for k in keep], [cols[k] for k in keep], [vals[k] for k in keep]
        return rows, cols, vals

    def remark_face(self, ledger: Ledger, delta: float) -> None:
        """The face is about to change by ``delta`` $B at par (:meth:`draw`, :meth:`repay`): the
        holder's booked mark-to-market (face x (mark - 1)) moves with it, as revaluation, so the
        books match the contract between marks."""
        d = delta * (self.mark - 1.0)
        if self.active and abs(d) > 1e-15:
            ledger.post([(self.holder, "bond_valuation", d), (self.holder, "revaluation", -d)], "mark bonds")

    def monthly_interest(self) -> float:
        return self.face * self.coupon / 12.0 if self.active else 0.0

    def scheduled_principal(self, month: int) -> float:
        """$B of principal due in ``month``: the face at maturity."""
        return self.face if self.maturity_month <= month else 0.0

    def service_due(self, month: int) -> tuple[float, float]:
        return self.monthly_interest(), self.scheduled_principal(month)

    def due_within(self, month: int, months: int) -> tuple[float, float]:
        return self.monthly_interest() * months, (self.face if self.maturity_month <= month + months else 0.0)

    def claim(self) -> float:
        return self.face

    def paid_off(self, month: int) -> None:
        self.face, self.active = 0.0, False

    def extinguish(self) -> None:
        """The claim is settled (paid or written off) at the issuer's default."""
        self.face, self.active = 0.0, False

    def draw(self, ledger: Ledger, amount: float, memo: str) -> None:
        """The holder lends ``amount`` $B more at par (a draw on a facility or a line)."""
        ledger.transfer(self.holder, self.issuer, amount, "bonds_held", "debt", memo, ref=self)
        self.remark_face(ledger, amount)
        self.face += amount

    def repay(self, ledger: Ledger, amount: float, memo: str, close: bool = True) -> None:
        """The issuer repays ``amount`` $B of principal in cash; with ``close`` a loan repaid in
        full is closed."""
        ledger.transfer(self.issuer, self.holder, amount, "debt", "bonds_held", memo, ref=self)
        self.remark_face(ledger, -amount)
        self.face -= amount
        if close and self.face <= 1e-12:
            self.face, self.active = 0.0, False


class Amortising:
    """Principal repaid in equal monthly instalments, ``installment`` $B (``face / amort_months``
    at origination unless given), until repaid: for debt with ``amort_months`` and
    ``installment`` fields."""

    def __post_init__(self) -> None:
        if self.installment <= 0.0:
            self.installment = self.face / max(1, self.amort_months)

    def scheduled_principal(self, month: int = 0) -> float:
        """$B of principal due each month: the instalment (less at the end)."""
        return min(self.face, self.installment) if self.active else 0.0

    def due_within(self, month: int, months: int) -> tuple[float, float]:
        return self.monthly_interest() * months, min(self.face, self.scheduled_principal() * months)


@dataclass(eq=False)
class GpuLoan(Amortising, Bond):
    """A GPU-collateralised amortising loan from ``holder`` to ``issuer``.

    ``collateral_units`` (millions of GPUs) secure it; ``ltv_limit`` is the maximum loan-to-value
    against the used-GPU price. Principal amortises evenly over ``amort_months``.
    """

    ltv_limit: float = 0.7
    collateral_units: float = 0.0
    amort_months: int = 48
    installment: float = 0.0  # $B of principal due each month (face at origination / amort_months)

    kind: ClassVar[str] = "gpu_loan"
    rank: ClassVar[int] = 90
    secured_by_gpus: ClassVar[bool] = True
    pooled_gpu_collateral: ClassVar[bool] = True
    redeemable: ClassVar[bool] = False
    tradable: ClassVar[bool] = False


def _sell_receivable(claim, ctx) -> None:
    """The defaulting creditor ``claim.holder`` sells the ``claim.amount`` $B it is owed (arrears or
    a bill) to the distressed buyers for ``receivable_recovery`` of it, less the volume's discount
    (``Context.distressed_sale``): their cash comes in, the rest of the claim is written off its
    retained earnings. The caller assigns the claim to the buyers and closes its own."""
    led = ctx.ledger
    v = claim.amount * ctx.params["receivable_recovery"]
    v *= ctx.distressed_sale(v, 0.0)
    led.receive_external(claim.holder, LIQUIDATION_BUYER, v, "receivables", "receivables sold")
    led.post([(claim.holder, "receivables", -(claim.amount - v)), (claim.holder, "retained", claim.amount - v)],
             "receivables discount")


@dataclass(eq=False)
class TradeCredit(Contract):
    """Arrears: ``issuer`` owes ``holder`` ``amount`` $B it was billed and could not pay in cash."""

    amount: float = 0.0
    what: str = ""

    kind: ClassVar[str] = "trade_credit"
    rank: ClassVar[int] = 110
    claim_accounts: ClassVar[tuple[str, str] | None] = ("receivables", "payables")
    liquidation_order: ClassVar[int | None] = 20
    postings: ClassVar[dict[str, tuple[str, ...]]] = {"pay arrears": ARREARS, "clearing of arrears": ARREARS,
                                                      "receivables sold": LIQUIDATION, "receivables discount": LIQUIDATION}

    def holder_value(self) -> float:
        return self.amount if self.active else 0.0

    def arrears(self) -> float:
        return self.amount

    def booked(self) -> list[tuple[str, str, float]]:
        if self.amount <= 0.0:
            return []
        # an external creditor (e.g. the operating-cost sector) has no balance sheet
        return [(self.holder, "receivables", self.amount), (self.issuer, "payables", self.amount)]

    def claim(self) -> float:
        return self.amount

    def extinguish(self) -> None:
        self.amount, self.active = 0.0, False

    def liquidate(self, ctx) -> None:
        """The defaulting creditor sells the claim to distressed buyers at ``receivable_recovery``;
        the claim is assigned: the debtor now owes the buyer."""
        _sell_receivable(self, ctx)
        ctx.book.add(TradeCredit(holder=LIQUIDATION_BUYER, issuer=self.issuer, amount=self.amount, what=self.what))
        self.amount, self.active = 0.0, False


@dataclass(eq=False)
class Invoice(Contract):
    """A bill on trade terms: ``issuer`` owes ``holder`` ``amount`` $B for goods or compute billed
    in ``billed_month`` and due in ``due_month`` (trade credit; not yet overdue). The payer's
    ``payables``, the seller's ``receivables``. When it falls due the bills of the whole network are
    cleared together (``DefaultEngine.clear``); what is not paid then is overdue: arrears."""

    amount: float = 0.0
    billed_month: int = 0
    due_month: int = 0
    what: str = ""

    kind: ClassVar[str] = "invoice"
    rank: ClassVar[int] = 105
    claim_accounts: ClassVar[tuple[str, str] | None] = ("receivables", "payables")
    liquidation_order: ClassVar[int | None] = 21
    postings: ClassVar[dict[str, tuple[str, ...]]] = {"invoice": ("gpus", "retained", "receivables", "payables"),
                                                      "invoice paid": ARREARS, "clearing of arrears": ARREARS,
                                                      "receivables sold": LIQUIDATION, "receivables discount": LIQUIDATION}

    def holder_value(self) -> float:
        return self.amount if self.active else 0.0

    def booked(self) -> list[tuple[str, str, float]]:
        if self.amount <= 0.0 or not self.active:
            return []
        return [(self.holder, "receivables", self.amount), (self.issuer, "payables", self.amount)]

    def payable_due(self, month: int) -> float:
        return self.amount if self.active and month >= self.due_month else 0.0

    def claim(self) -> float:
        return self.amount

    def extinguish(self) -> None:
        self.amount, self.active = 0.0, False

    def liquidate(self, ctx) -> None:
        """The defaulting seller sells the bill to distressed buyers at ``receivable_recovery``
        (less the volume's discount); it is assigned: the payer owes the buyer, when it falls due."""
        _sell_receivable(self, ctx)
        ctx.book.add(Invoice(holder=LIQUIDATION_BUYER, issuer=self.issuer, amount=self.amount,
                             billed_month=self.billed_month, due_month=self.due_month, what=self.what))
        self.amount, self.active = 0.0, False


@dataclass(eq=False)
class MarginLoan(Contract):
    """Broker credit: an outside lender (``holder``, an external sector) lends ``amount`` $B to
    ``issuer`` against its portfolio (the traders' prime-broker loan: the sum of the traders'
    negative cash). ``rate`` is the yearly interest, charged daily; ``limit`` the largest loan in
    $B at the last close (the traders' ``trader_margin_limit`` of their wealth: beyond it a trader
    must sell, a margin call)."""

    amount: float = 0.0
    rate: float = 0.0
    limit: float = 0.0

    kind: ClassVar[str] = "margin_loan"
    rank: ClassVar[int] = 120
    postings: ClassVar[dict[str, tuple[str, ...]]] = {"broker margin loan": ("cash", "debt"),
                                                      "repay broker margin loan": ("cash", "debt"), "margin interest": PNL}

    def holder_value(self) -> float:
        return self.amount if self.active else 0.0

    def booked(self) -> list[tuple[str, str, float]]:
        return [(self.issuer, "debt", self.amount)] if self.active and self.amount > 0 else []
