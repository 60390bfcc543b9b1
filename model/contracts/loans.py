"""Loans with a schedule: amortising term loans, revolving credit lines and contract-backed loans.

* :class:`TermLoan` — principal repaid in level monthly instalments (the neocloud's vendor
  financing).
* :class:`Revolver` — a committed credit line: the borrower draws when a maturity cannot be
  refinanced in the bond market, repays when cash allows; the drawn part is debt, the undrawn part
  a commitment of the lender. Its draws are refused once the borrower is in an event of default.
* :class:`ContractLoan` — a delayed-draw term loan drawn against a named capacity contract (the
  ``backing`` contract) as the GPUs that serve it are delivered: secured by those GPUs and by the
  contract's receivables, amortising from its cash flows (principal in proportion to the GW the
  contract delivers, so that the loan is repaid when the contract ends), priced by the customer's
  credit. Its covenants (:meth:`ContractLoan.covenant_cure`): the loan-to-value of its collateral at
  the used-GPU price and the debt-service coverage of the backing contract's collected cash flows.
  The backing contract's cancellation is an event of default that no cash can cure
  (:meth:`ContractLoan.event_of_default`). A facility is syndicated: each lender's share is one
  contract with the same ``backing``.

Every class is a :class:`~ailoop.model.contracts.debt.Bond`: serviced and marked by the credit
market, a claim at the issuer's default, booked as ``bonds_held`` / ``debt``. What the lenders do
at an event of default (acceleration, repossession, cash sweep, cross-default) is the default
engine's (``model/defaults.py``); the contracts say what they are owed and what secures it.
Amounts in $B, GPUs in millions, time in months.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ailoop.model.contracts.base import Contract
from ailoop.model.contracts.debt import Amortising, Bond
from ailoop.model.ledger import Ledger


@dataclass(eq=False)
class TermLoan(Amortising, Bond):
    """An amortising loan: ``installment`` $B of principal a month (``face / amort_months`` at
    origination) until repaid."""

    amort_months: int = 36
    installment: float = 0.0

    kind: ClassVar[str] = "term_loan"
    rank: ClassVar[int] = 84
    redeemable: ClassVar[bool] = False
    tradable: ClassVar[bool] = False


@dataclass(eq=False)
class Revolver(Bond):
    """A revolving credit line of ``limit`` $B from ``holder`` (a bank) to ``issuer``, available
    until ``maturity_month``; ``face`` is the drawn balance (interest at ``coupon``), repaid at
    maturity or earlier when the borrower has cash."""

    limit: float = 0.0
    tenor: int = 60  # months a renewal extends it by

    kind: ClassVar[str] = "revolver"
    rank: ClassVar[int] = 82
    redeemable: ClassVar[bool] = False  # repaid through CreditMarket.repay_revolvers, not redeemed
    tradable: ClassVar[bool] = False
    unwind_order: ClassVar[tuple[int | None, int | None]] = (None, 73)

    def undrawn(self, month: int | None = None) -> float:
        if not self.active or (month is not None and month >= self.maturity_month):
            return 0.0
        return max(0.0, self.limit - self.face)

    def commitment(self) -> float:
        return self.undrawn()

    def repay(self, ledger: Ledger, amount: float, memo: str, close: bool = True) -> None:
        """Repaying a draw restores the line (it stays open until its maturity)."""
        super().repay(ledger, amount, memo, close=False)
        if self.face <= 1e-12:
            self.face = 0.0

    def paid_off(self, month: int) -> None:
        self.face = 0.0
        self.active = month < self.maturity_month

    def renew(self) -> None:
        """The bank extends the line by its tenor (nothing falls due at the old maturity)."""
        self.maturity_month += self.tenor

    def line_room(self, month: int) -> float:
        return self.undrawn(month)

    def at_maturity(self, lender_would_lend: bool) -> None:
        if lender_would_lend:
            self.renew()

    def freeze(self) -> None:
        self.limit = self.face

    def unwind(self, ctx, defaulter: str) -> None:
        """The borrower defaulted: the undrawn part lapses (the drawn part is a claim)."""
        self.freeze()


@dataclass(eq=False)
class ContractLoan(Bond):
    """One lender's share of a delayed-draw term loan to ``issuer`` against capacity contract
    ``backing`` (which ``issuer`` sold).

    ``limit`` is this lender's commitment, ``drawn`` what it has lent so far, ``face`` what is
    owed. ``collateral_units`` (millions of GPUs) installed on average in ``collateral_month``
    secure it, with the contract's receivables. Covenants: ``face <= ltv_limit x`` the collateral
    at the used-GPU price, and collected cash flow of the backing contract at least ``min_dscr``
    times the loan's debt service.
    """

    backing: object = None  # the CapacityContract the loan is drawn against
    limit: float = 0.0
    drawn: float = 0.0
    collateral_units: float = 0.0
    collateral_month: float = 0.0
    ltv_limit: float = 0.8
    min_dscr: float = 1.2
    facility: int = 0  # the facility (syndicate) the share belongs to

    kind: ClassVar[str] = "contract_loan"
    rank: ClassVar[int] = 88
    secured_by_gpus: ClassVar[bool] = True
    redeemable: ClassVar[bool] = False
    tradable: ClassVar[bool] = False
    unwind_order: ClassVar[tuple[int | None, int | None]] = (None, 74)

    # ------------------------------------------------------------------ drawing
    def undrawn(self) -> float:
        """$B the lender still has to lend as GPUs arrive (nothing once the contract is over)."""
        if not self.active or self.backing is None or not self.backing.active:
            return 0.0
        return max(0.0, self.limit - self.drawn)

    def commitment(self) -> float:
        return self.undrawn()

    def draw_against(self, ledger: Ledger, amount: float, units: float, month: int) -> None:
        """Lend ``amount`` $B against ``units`` million GPUs installed in ``month``."""
        total = self.collateral_units + units
        if total > 0:
            self.collateral_month = (self.collateral_units * self.collateral_month + units * month) / total
        self.collateral_units = total
        self.draw(ledger, amount, "debt issue (contract loan)")
        self.drawn += amount

    # ------------------------------------------------------------------ schedule
    def delivering_share(self) -> float:
        """Share of the backing contract's GW being delivered this month."""
        b = self.backing
        return min(1.0, b.online_gw / b.gw) if b is not None and b.active and b.gw > 0 else 0.0

    def scheduled_principal(self, month: int = 0) -> float:
        """Principal in proportion to the GW-months the backing contract delivered this month, so
        that the loan is repaid with the contract's last month; all of it once the contract has
        run its course; nothing before it delivers (the availability period: interest only)."""
        if not self.active or self.face <= 0:
            return 0.0
        b = self.backing
        if b is None or not b.active:
            return self.face  # the contract ended: what is left is due (a cancellation is an event of default)
        left = b.remaining_gw_months()
        if b.online_gw <= 0:
            return 0.0
        return self.face * min(1.0, b.online_gw / (left + b.online_gw))

    def service_due(self, month: int) -> tuple[float, float]:
        return self.monthly_interest(), self.scheduled_principal(month)

    def due_within(self, month: int, months: int) -> tuple[float, float]:
        b = self.backing
        principal = 0.0
        if self.active and self.face > 0 and b is not None:
            if not b.active:
                principal = self.face
            elif b.online_gw > 0:
                principal = min(self.face, self.face * months * b.online_gw / max(b.remaining_gw_months(), b.online_gw))
        return self.monthly_interest() * months, principal

    def repay(self, ledger: Ledger, amount: float, memo: str, close: bool = True) -> None:
        """A repayment keeps the line open while its contract can still draw on it."""
        super().repay(ledger, amount, memo, close=False)
        if self.face <= 1e-12:
            self.face = 0.0
            if close and self.undrawn() <= 1e-12:
                self.active = False

    def paid_off(self, month: int) -> None:
        self.face = 0.0
        self.active = self.undrawn() > 1e-12

    def spread_now(self, ctx, sentiment: float | None = None) -> float | None:
        """Priced by the credit of the backing contract's customer, now."""
        return ctx.contract_spread(self.backing.holder, sentiment) if self.backing is not None else None

    def facility_key(self) -> tuple[str, int]:
        return self.issuer, self.facility

    # ------------------------------------------------------------------ covenants
    def collateral_value(self, ctx) -> float:
        """$B the GPUs securing the loan fetch at the used-GPU price for their age."""
        return self.collateral_units * ctx.used_price_at(ctx.month - self.collateral_month)

    def event_of_default(self, ctx) -> str | None:
        """The backing contract was cancelled (or its buyer defaulted): the security is gone."""
        b = self.backing
        if self.face <= 1e-12:
            return None
        if b is not None and getattr(b, "cancelled", False):
            return f"backing contract cancelled ({b.name or 'capacity'} with {b.holder})"
        return None

    def unwind(self, ctx, defaulter: str) -> None:
        """The borrower defaulted: nothing more can be drawn (the drawn part is a claim)."""
        self.limit = self.drawn


def facility_covenants(loans: list, ctx) -> tuple[float, str] | None:
    """Test the covenants of one facility (the lender shares ``loans`` against one contract).

    Returns ``(cure, why)``: the $B of principal the borrower must prepay now to meet both
    covenants, and which it broke; ``None`` if both hold.

    * **LTV**: the facility's face may be at most ``ltv_limit`` times its collateral at the
      used-GPU price.
    * **Debt-service coverage**, once the backing contract delivers: the contract's monthly bill,
      times the share its buyer actually pays (1 less its arrears to the borrower over three
      months of its bills), over the facility's monthly interest and principal, at least
      ``min_dscr``. A buyer that stops paying breaks it; the cure is the prepayment that restores
      the ratio (all of the loan if the buyer pays nothing).
    """
    face = sum(c.face for c in loans)
    if face <= 1e-9:
        return None
    first = loans[0]
    month = ctx.month
    cure, why = 0.0, []
    collateral = sum(c.collateral_value(ctx) for c in loans)
    excess = face - first.ltv_limit * collateral
    if excess > 1e-9:
        cure = excess
        why.append(f"LTV {face / max(collateral, 1e-9):.0%} > {first.ltv_limit:.0%} at the used-GPU price")
    b = first.backing
    if b is not None and b.active and b.online_gw > 0:
        service = sum(c.monthly_interest() + c.scheduled_principal(month) for c in loans)
        bill = b.online_gw * b.price_per_gw_year / 12.0 * max(b.take_or_pay, 0.0)
        bills = sum(c.online_gw * c.price_per_gw_year / 12.0 for c in ctx.book.issued_by(first.issuer, Contract.gw_due)
                    if c.holder == b.holder and c.kind == b.kind)
        owed = ctx.book.arrears(first.issuer, b.holder)
        paid_share = 1.0 - min(1.0, (owed.amount if owed is not None else 0.0) / max(3.0 * bills, 1e-9))
        cash_flow = bill * paid_share
        if service > 1e-12 and cash_flow < first.min_dscr * service * (1.0 - 1e-9):
            allowed = face * cash_flow / (first.min_dscr * service)  # service scales with the face
            if face - allowed > cure:
                cure = face - allowed
            why.append(f"debt-service coverage {cash_flow / service:.2f} < {first.min_dscr:.2f} "
                       f"({b.holder} pays {paid_share:.0%} of its bills)")
    return (cure, "; ".join(why)) if cure > 1e-9 else None
