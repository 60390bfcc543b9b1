"""The contract protocol: every contract has a holder side and an issuer side and carries its own rules.

A contract is the unit the rest of the model iterates over. Instead of asking what *kind* of
contract it holds, a service calls the contract's methods, each with a neutral default here:

* **valuation** — :meth:`Contract.holder_value` ($B to the holder at current marks; the issuer
  sees minus that), :meth:`Contract.value_for`;
* **balance sheet** — :meth:`Contract.booked`: the ``(agent, account, $B)`` lines the contract
  stands behind (the books check reconciles the ledger with them);
* **commitments** — :meth:`Contract.commitment`: $B promised and not yet paid (off balance sheet:
  backlog to the seller, commitment to the buyer);
* **monthly settlement** — :attr:`Contract.settle_phase` names the phase of the month in which
  :meth:`Contract.settle` runs (``None``: nothing to settle);
* **debt** — :attr:`Contract.is_debt` contracts are serviced by the credit market through
  :meth:`Contract.service_due` and :meth:`Contract.due_within`, and marked to market; a debt that
  can default on its own terms says so with :meth:`Contract.event_of_default` (e.g. a loan whose
  backing contract was cancelled); GPU-secured debt whose lenders call for margin against the
  borrower's whole fleet sets :attr:`Contract.pooled_gpu_collateral`;
* **default** — when a party defaults, :meth:`Contract.unwind` (by :attr:`Contract.unwind_order`),
  then the defaulter's assets are sold (:meth:`Contract.liquidate`, by
  :attr:`Contract.liquidation_order`), creditors are paid on :meth:`Contract.claim` (secured
  first where :attr:`Contract.secured_by_gpus`), and contracts the defaulter issued as equity are
  written down (:meth:`Contract.on_issuer_default`);
* **the market's view** — :meth:`Contract.pipeline_gw`: GW of a chipmaker's GPUs the contract
  promises and that are not yet ordered (what analysts count as pipeline).

``rank`` orders contract classes wherever several kinds are visited together (debt service,
marks, commitments), so that results do not depend on the order in which kinds first appeared.
Amounts are in $ billions, capacity in GW, time in months.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

#: name of the external sector that buys a defaulter's assets
LIQUIDATION_BUYER = "distressed_buyers"


@dataclass(eq=False)
class Contract:
    """Base: ``holder`` owns the claim (buyer of capacity, lender, shareholder); ``issuer`` owes it."""

    holder: str
    issuer: str
    active: bool = field(default=True, kw_only=True)

    kind: ClassVar[str] = "contract"
    #: position of the class when several kinds are visited together (lower first)
    rank: ClassVar[int] = 1000
    #: phase of the month in which :meth:`settle` runs; None = nothing to settle monthly
    settle_phase: ClassVar[str | None] = None
    #: True for debt the credit market services (coupons, amortisation, maturities) and marks
    is_debt: ClassVar[bool] = False
    #: True for debt secured by the borrower's GPUs (paid first from their sale at default)
    secured_by_gpus: ClassVar[bool] = False
    #: True for GPU-secured debt whose LTV is tested against the borrower's whole fleet (margin calls)
    pooled_gpu_collateral: ClassVar[bool] = False
    #: True if the issuer may repay it early (redeem) at face
    redeemable: ClassVar[bool] = False
    #: accounts of an unsecured claim on the issuer: (the holder's asset, the issuer's liability)
    claim_accounts: ClassVar[tuple[str, str] | None] = None
    #: order of :meth:`unwind` when a party defaults, as (holder side, issuer side); None = not unwound
    unwind_order: ClassVar[tuple[int | None, int | None]] = (None, None)
    #: order in which the holder's liquidation sells this asset; None = not sold this way
    liquidation_order: ClassVar[int | None] = None
    #: whether :meth:`booked` can return lines (set for each subclass)
    has_lines: ClassVar[bool] = False
    #: cumulative $B of marks the contract has booked on its holder's revaluation (stakes, warrants)
    revalued = 0.0

    def __init_subclass__(cls, **kw) -> None:
        super().__init_subclass__(**kw)
        cls.has_lines = cls.booked is not Contract.booked  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ valuation
    def holder_value(self) -> float:  # pragma: no cover - abstract
        """$B the contract is worth to its holder at current marks (negative for a commitment)."""
        raise NotImplementedError

    def value_for(self, agent: str) -> float:
        """$B the contract is worth to ``agent``: the holder's value, its negative for the issuer."""
        v = self.holder_value()
        if agent == self.holder:
            return v
        if agent == self.issuer:
            return -v
        return 0.0

    def booked(self) -> list[tuple[str, str, float]]:
        """Balance-sheet lines the contract stands behind: ``(agent, account, $B)``."""
        return []

    @classmethod
    def booked_block(cls, contracts: list, row_of: dict, col_of: dict) -> tuple[list, list, list]:
        """The :meth:`booked` lines of ``contracts`` (all of this class) as ``(rows, columns, $B)``
        lists of ledger coordinates; lines of parties without a balance sheet are left out.
        Classes with many contracts override this with a faster equivalent."""
        rows, cols, vals = [], [], []
        for c in contracts:
            for agent, account, amount in c.booked():
                i = row_of.get(agent)
                if i is not None:
                    rows.append(i)
                    cols.append(col_of[account])
                    vals.append(amount)
        return rows, cols, vals

    def commitment(self) -> float:
        """$B promised under the contract and not yet paid (off balance sheet)."""
        return 0.0

    # ------------------------------------------------------------------ settlement
    def settle(self, economy) -> None:
        """This month's settlement (called in :attr:`settle_phase`)."""

    # ------------------------------------------------------------------ debt
    def service_due(self, month: int) -> tuple[float, float]:
        """(interest, principal) $B falling due this ``month``."""
        return 0.0, 0.0

    def due_within(self, month: int, months: int) -> tuple[float, float]:
        """(interest, principal) $B falling due over the next ``months`` months."""
        return 0.0, 0.0

    def spread_now(self, economy, sentiment: float | None = None) -> float | None:
        """The spread the market asks on this debt now (its marks follow it), per year; None: the
        issuer's own spread (``CreditMarket.spread``)."""
        return None

    def paid_off(self, month: int) -> None:
        """The scheduled principal has brought what is owed to zero in ``month``."""
        self.active = False

    def event_of_default(self, economy) -> str | None:
        """Why the holder may accelerate the debt now regardless of payments (no cure), or None."""
        return None

    # ------------------------------------------------------------------ default
    def claim(self) -> float:
        """$B the holder can claim from the issuer if the issuer defaults."""
        return 0.0

    def unwind(self, economy, defaulter: str) -> None:
        """Unwind the contract by its terms because ``defaulter`` (holder or issuer) defaulted."""

    def liquidate(self, economy) -> None:
        """The holder is in liquidation: sell or write off this asset."""

    def on_issuer_default(self, economy) -> None:
        """The issuer's estate has been distributed: write the holder's claim on its equity down."""

    # ------------------------------------------------------------------ market view
    def pipeline_gw(self, economy, vendor: str, odds: dict[str, float], horizon: int) -> tuple[str, str, float] | None:
        """(buyer, "framework" | "firm", GW) of ``vendor``'s GPUs the contract promises that are not
        yet ordered, weighted by the odds that ``buyer`` pays; None if it promises none."""
        return None
