"""The contract protocol: every contract has a holder side and an issuer side and carries its own rules.

A contract is the unit the rest of the model iterates over. Instead of asking what *kind* of
contract it holds, an agent or a service asks the contract registry for the contracts that
implement a part of the protocol (``book.held_by(aid, Contract.backlog)``) and calls it. Every
method has a neutral default here; a class *implements* a method by overriding it, and the
registry indexes contracts by what they implement, so a new class takes part in every service
whose methods it implements — with no change to any module:

* **valuation** — :meth:`Contract.holder_value` ($B to the holder at current marks; the issuer
  sees minus that), :meth:`Contract.value_for`;
* **balance sheet** — :meth:`Contract.booked`: the ``(agent, account, $B)`` lines the contract
  stands behind (the books check reconciles the ledger with them); :attr:`Contract.postings`:
  the transaction types the contract's rules post and the accounts each may touch (the books
  check verifies every journal line against them, see :mod:`ailoop.model.postings`);
* **commitments** — :meth:`Contract.commitment`: $B promised and not yet paid (off balance sheet);
* **monthly settlement** — :attr:`Contract.settle_phase` names the phase of the month in which
  :meth:`Contract.settle` runs: one of :data:`SETTLE_PHASES` (a closed set; any other is refused
  when the class is defined), or ``None`` for nothing to settle;
* **compute** (the issuer delivers capacity to the holder) — the issuer's side:
  :meth:`Contract.gw_due` (GW it must allocate this month), :meth:`Contract.deliver`,
  :meth:`Contract.build_order` (capacity it must build for the contract), :meth:`Contract.backlog`
  (its remaining performance obligation), :meth:`Contract.market_backlog` (what analysts count as
  revenue still to come), :meth:`Contract.contracted_gw`; the holder's side:
  :meth:`Contract.delivered_gw`, :meth:`Contract.record_use`, :meth:`Contract.used_gw`,
  :meth:`Contract.own_use_gw` (GW it runs its own services on), :meth:`Contract.payments_ahead`
  and :meth:`Contract.run_rate_cost` (what it will pay), :meth:`Contract.planned_gw` (GW it counts
  on when it plans), :meth:`Contract.prepaid_compute` and :meth:`Contract.pay_bill` (prepaid
  credits used before cash);
* **orders** — :meth:`Contract.capex_ahead` (what the buyer will pay over the next months) and
  :meth:`Contract.undelivered_from` (the vendor's order book from the buyer);
* **debt** — :attr:`Contract.is_debt` contracts are serviced by the credit market through
  :meth:`Contract.service_due` and :meth:`Contract.due_within`, and marked to market; a debt that
  can default on its own terms says so with :meth:`Contract.event_of_default`; GPU-secured debt
  whose lenders call for margin against the borrower's whole fleet sets
  :attr:`Contract.pooled_gpu_collateral`; a committed line implements :meth:`Contract.line_room`
  (drawn with :meth:`Contract.draw`, renewed by :meth:`Contract.at_maturity`, frozen by
  :meth:`Contract.freeze`); a syndicated facility names itself with :meth:`Contract.facility_key`;
  arrears implement :meth:`Contract.arrears`, bills on trade terms :meth:`Contract.payable_due`;
* **equity** — :meth:`Contract.shares_of_issuer` (shares held), :meth:`Contract.mark_to`
  (marked to the issuer's price), :meth:`Contract.exercisable` (warrants the holder can turn into
  shares), :meth:`Contract.backstop_room` (capacity the holder stands ready to buy),
  :meth:`Contract.conversion_value` (what a convertible would be worth converted now),
  :meth:`Contract.preference` (a preferred claim on what is left for shareholders at default),
  :meth:`Contract.diluted_shares` (shares a convertible would add at a price);
* **default** — when a party defaults, :meth:`Contract.unwind` (by :attr:`Contract.unwind_order`),
  then the defaulter's assets are sold (:meth:`Contract.liquidate`, by
  :attr:`Contract.liquidation_order`), creditors are paid on :meth:`Contract.claim` (secured
  first where :attr:`Contract.secured_by_gpus`), and contracts the defaulter issued as equity are
  written down (:meth:`Contract.on_issuer_default`);
* **the market's view** — :meth:`Contract.pipeline_gw`: GW of a chipmaker's GPUs the contract
  promises and that are not yet ordered (what analysts count as pipeline);
* **real estate** (``model/contracts/realestate.py``) — :meth:`Contract.shell_room` (GW of leased
  data-centre shell the holder has not yet equipped) and :meth:`Contract.assign_shell` (a project of
  the holder's equips part of it); what a firm owes or guarantees off its balance sheet:
  :meth:`Contract.lease_commitment` (rent still to pay under a data-centre lease),
  :meth:`Contract.built_on` (the lessor's site a lease is built on: its build answers to the lessee),
  :meth:`Contract.guarantee_exposure` (the most a residual-value guarantee could cost its giver now)
  and :meth:`Contract.look_through_debt` (the holder's share of the debt of a vehicle it owns jointly);
  :meth:`Contract.intended` ($B a letter of intent would commit its holder to if signed).

Methods that act receive ``ctx``, the narrow interface to the economy
(:class:`ailoop.model.context.Context`): the ledger, the registry, the parameters, the clock,
the event log and the few services a contract may call — never the economy itself.

``rank`` orders contract classes wherever several kinds are visited together (debt service,
marks, commitments), so that results do not depend on the order in which kinds first appeared.
Amounts are in $ billions, capacity in GW, time in months.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ailoop.model.postings import declare

_set = object.__setattr__

#: name of the external sector that buys a defaulter's assets
LIQUIDATION_BUYER = "distressed_buyers"

#: the phases of the month in which contracts settle, in month order (model/schedule.py runs them):
#: compute bills; conversions and preferred dividends (before debt service, so that a note converted
#: at its maturity is not also repaid); staged investments; warrants
SETTLE_PHASES: tuple[str, ...] = ("billing", "conversions", "investments", "warrants")

#: how binding a contract is: a firm obligation (take-or-pay, debt, a stake), one the holder may
#: cancel on the contract's terms (a fee; ``Contract.walk_away``), or a letter of intent that
#: binds nobody until the parties sign the definitive contract (``LetterOfIntent``). A class's
#: ``strength`` is the most a contract of it can be cancelled; :meth:`Contract.strength_now` says
#: how binding one contract is now (a capacity contract signed ``terms="binding"`` is take-or-pay
#: from signing; one signed ``"cancellable"`` may be walked away from, at its fee, until it
#: delivers, and binds from then on)
STRENGTHS: tuple[str, ...] = ("binding", "cancellable", "intent")


class ContractError(ValueError):
    """A contract class or contract that breaks the protocol's rules (one line: what and what is allowed)."""


@dataclass(eq=False)
class Contract:
    """Base: ``holder`` owns the claim (buyer of capacity, lender, shareholder); ``issuer`` owes it."""

    holder: str
    issuer: str
    active: bool = field(default=True, kw_only=True)

    kind: ClassVar[str] = "contract"
    #: position of the class when several kinds are visited together (lower first)
    rank: ClassVar[int] = 1000
    #: phase of the month in which :meth:`settle` runs (one of :data:`SETTLE_PHASES`); None = nothing to settle
    settle_phase: ClassVar[str | None] = None
    #: transaction types the contract's rules post -> the accounts each may touch (the chart of
    #: :mod:`ailoop.model.postings` is the union of these and the agents' own types)
    postings: ClassVar[dict[str, tuple[str, ...]]] = {}
    #: how binding the contract is, one of :data:`STRENGTHS`
    strength: ClassVar[str] = "binding"
    #: True for debt the credit market services (coupons, amortisation, maturities) and marks
    is_debt: ClassVar[bool] = False
    #: True for debt secured by the borrower's GPUs (paid first from their sale at default)
    secured_by_gpus: ClassVar[bool] = False
    #: True for GPU-secured debt whose LTV is tested against the borrower's whole fleet (margin calls)
    pooled_gpu_collateral: ClassVar[bool] = False
    #: True if the issuer may repay it early (redeem) at face
    redeemable: ClassVar[bool] = False
    #: True for debt its holders can sell to other lenders (bonds; not bank lines or secured loans)
    tradable: ClassVar[bool] = False
    #: accounts of an unsecured claim on the issuer: (the holder's asset, the issuer's liability)
    claim_accounts: ClassVar[tuple[str, str] | None] = None
    #: order of :meth:`unwind` when a party defaults, as (holder side, issuer side); None = not unwound
    unwind_order: ClassVar[tuple[int | None, int | None]] = (None, None)
    #: order in which the holder's liquidation sells this asset; None = not sold this way
    liquidation_order: ClassVar[int | None] = None
    #: whether :meth:`booked` can return lines (set for each subclass)
    has_lines: ClassVar[bool] = False
    #: the protocol methods the class implements (set for each subclass; the registry's index)
    aspects: ClassVar[frozenset[str]] = frozenset()
    #: cumulative $B of marks the contract has booked on its holder's revaluation (stakes, warrants):
    #: a class that books marks declares it as a field or implements ``mark_to`` (the registry sums
    #: it over those classes' contracts)
    revalued = 0.0
    #: False for a class whose :meth:`booked` lines read anything but the contract's own attributes
    #: (the registry then recomputes them at every check instead of keeping them until one of the
    #: class's contracts assigns an attribute)
    cache_lines: ClassVar[bool] = True
    #: assignments to the attributes of the class's contracts so far (one cell per class): the
    #: registry keeps what it derives from a class's contracts until this moves
    _changes: ClassVar[list[int]] = [0]

    def __init_subclass__(cls, **kw) -> None:
        super().__init_subclass__(**kw)
        cls._changes = [0]
        if cls.settle_phase is not None and cls.settle_phase not in SETTLE_PHASES:
            raise ContractError(f"{cls.__name__}: settle_phase {cls.settle_phase!r} is not a phase of the month; "
                                f"allowed: {', '.join(SETTLE_PHASES)} or None")
        if cls.strength not in STRENGTHS:
            raise ContractError(f"{cls.__name__}: strength {cls.strength!r} is not allowed; allowed: {', '.join(STRENGTHS)}")
        cls.has_lines = cls.booked is not Contract.booked  # type: ignore[attr-defined]
        cls.aspects = frozenset(name for name in ASPECTS if getattr(cls, name) is not getattr(Contract, name))
        declare(cls.__name__, cls.__dict__.get("postings", {}))

    def __setattr__(self, name: str, value) -> None:
        """Every assignment (``c.face += x``, ``c.active = False``, ...) counts as a change of the
        class's contracts (:attr:`_changes`), whoever makes it - a contract's rule, a service, a bug."""
        _set(self, name, value)
        self._changes[0] += 1

    @classmethod
    def assignments(cls) -> int:
        """A number that moves whenever an attribute of a contract of this class is assigned (what a
        caller keys what it derives from the class's contracts on)."""
        return cls._changes[0]

    # ------------------------------------------------------------------ valuation
    def holder_value(self) -> float:  # pragma: no cover - abstract
        """$B the contract is worth to its holder at current marks (negative for a commitment)."""
        raise NotImplementedError

    def strength_now(self, month: int) -> str:
        """How binding the contract is in ``month``, one of :data:`STRENGTHS` (default: its class's)."""
        return self.strength

    def value_for(self, agent: str) -> float:
        """$B the contract is worth to ``agent``: the holder's value, its negative for the issuer."""
        v = self.holder_value()
        if agent == self.holder:
            return v
        if agent == self.issuer:
            return -v
        return 0.0

    def booked(self) -> list[tuple[str, str, float]]:
        """Balance-sheet lines the contract stands behind: ``(agent, account, $B)``.

        They must follow from the contract's own attributes, changed by assignment: the registry
        keeps a class's lines between checks until one of its contracts assigns an attribute
        (:attr:`_changes`); a class whose lines read anything else sets :attr:`cache_lines` False."""
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
    def settle(self, ctx) -> None:
        """This month's settlement (called in :attr:`settle_phase`)."""

    # ------------------------------------------------------------------ compute: the issuer's side
    def gw_due(self, month: int) -> float:
        """GW the issuer must deliver under the contract in ``month`` (0 before it starts)."""
        return 0.0

    def deliver(self, gw: float) -> None:
        """The issuer allocates ``gw`` GW of its online capacity to the contract this month."""

    def build_order(self) -> tuple[float, str, int] | None:
        """``(GW, chip vendor, start month)`` the issuer must build capacity for, or None."""
        return None

    def backlog(self) -> float:
        """$B of revenue the issuer is still to earn under the contract (its RPO)."""
        return 0.0

    def market_backlog(self, odds: dict[str, float]) -> tuple[float, float] | None:
        """(revenue promised and not yet delivering, $B, weighted by the odds the market gives the
        holder's paying; the years over which it will be earned), or None."""
        return None

    def contracted_gw(self) -> float:
        """GW of data-centre capacity sold under the contract (``capacity_contracted_gw``)."""
        return 0.0

    # ------------------------------------------------------------------ compute: the holder's side
    def delivered_gw(self, month: int, vendor: str | None = None) -> float:
        """GW delivered to the holder in ``month`` (only capacity on ``vendor``'s chips, if given)."""
        return 0.0

    def external_gw(self, month: int) -> float:
        """GW delivered to the holder in ``month`` from capacity outside the model (a vendor's own
        data centres: in no modelled fleet, so in no owner's utilisation)."""
        return 0.0

    def leased_fleet_gw(self, month: int) -> float:
        """GW of the issuer's fleet leased whole to the holder in ``month`` (a GPU lease; the holder
        has the use of all of it, nothing is allocated)."""
        return 0.0

    def record_use(self, month: int, share: float) -> None:
        """The holder uses ``share`` of the GW delivered to it in ``month`` (its bill follows)."""

    def used_gw(self, month: int) -> float:
        """GW of the contract in use in ``month``."""
        return 0.0

    def own_use_gw(self) -> float:
        """GW delivered to the holder that it runs its own services on (a hyperscaler's AI services)."""
        return 0.0

    def payments_ahead(self, month: int, months: int) -> float:
        """$B the holder will pay under the contract over the ``months`` months from ``month``."""
        return 0.0

    def run_rate_cost(self) -> float:
        """$B a year the holder will pay under the contract once it is fully delivering."""
        return 0.0

    def walk_away(self, month: int) -> tuple[float, int] | None:
        """(cancellation fee $B, start month) if the holder may still cancel the contract in
        ``month`` (nothing delivered yet), else None."""
        return None

    def planned_gw(self) -> float:
        """GW the holder counts on under the contract when it plans its capacity."""
        return 0.0

    def prepaid_compute(self) -> float:
        """$B of prepaid compute the holder can use before paying cash (unused credits)."""
        return 0.0

    def pay_bill(self, ledger, amount: float) -> float:
        """Pay up to ``amount`` $B of the holder's compute bill from prepaid credits; returns $B used."""
        return 0.0

    # ------------------------------------------------------------------ orders
    def capex_ahead(self, ctx, months: int) -> float:
        """$B the buyer expects to pay under the contract over the next ``months`` months."""
        return 0.0

    def undelivered_from(self, vendor: str) -> float:
        """$B of ``vendor``'s goods ordered under the contract and not yet delivered."""
        return 0.0

    # ------------------------------------------------------------------ debt
    def service_due(self, month: int) -> tuple[float, float]:
        """(interest, principal) $B falling due this ``month``."""
        return 0.0, 0.0

    def due_within(self, month: int, months: int) -> tuple[float, float]:
        """(interest, principal) $B falling due over the next ``months`` months."""
        return 0.0, 0.0

    def spread_now(self, ctx, sentiment: float | None = None) -> float | None:
        """The spread the market asks on this debt now (its marks follow it), per year; None: the
        issuer's own spread (``CreditMarket.spread``)."""
        return None

    def paid_off(self, month: int) -> None:
        """The scheduled principal has brought what is owed to zero in ``month``."""
        self.active = False

    def event_of_default(self, ctx) -> str | None:
        """Why the holder may accelerate the debt now regardless of payments (no cure), or None."""
        return None

    def line_room(self, month: int) -> float:
        """$B the issuer may still draw on a committed line in ``month``."""
        return 0.0

    def draw(self, ledger, amount: float, memo: str) -> None:  # pragma: no cover - lines implement it
        """The holder lends ``amount`` $B more on the line."""
        raise ContractError(f"{type(self).__name__} is not a line of credit: nothing to draw")

    def at_maturity(self, lender_would_lend: bool) -> None:
        """The line reaches its maturity: renewed if the lender would still lend."""

    def freeze(self) -> None:
        """The borrower is in default: nothing more can be drawn (what is drawn stays owed)."""

    def facility_key(self) -> tuple[str, int] | None:
        """(borrower, facility id) of the syndicated facility this lender share belongs to, or None."""
        return None

    def arrears(self) -> float:
        """$B the issuer owes the holder and has not paid when due (overdue: arrears)."""
        return 0.0

    def payable_due(self, month: int) -> float:
        """$B of a bill on trade terms the issuer must pay the holder by ``month`` (falling due;
        cleared with the network's other bills then)."""
        return 0.0

    # ------------------------------------------------------------------ equity
    def shares_of_issuer(self) -> float:
        """Billions of the issuer's shares the holder owns under the contract."""
        return 0.0

    def mark_to(self, ledger, price: float) -> float:
        """Mark the holder's position to the issuer's share price ``price``; returns the $B change."""
        return 0.0

    def exercisable(self, price: float) -> float:
        """Billions of the issuer's shares the holder could buy now at ``price`` (vested warrants)."""
        return 0.0

    def backstop_room(self, month: int) -> float:
        """$B of the issuer's idle capacity the holder still stands ready to buy in ``month``."""
        return 0.0

    def conversion_value(self, price: float) -> float | None:
        """$B the holder would have if it converted now at the issuer's share price ``price``
        (convertibles), or None for a contract that does not convert."""
        return None

    def diluted_shares(self, price: float) -> float:
        """Billions of new shares of the issuer the contract would turn into at share price
        ``price`` (what analysts add to the share count of a firm with convertibles outstanding)."""
        return 0.0

    def preference(self) -> float:
        """$B the holder is owed, at the issuer's default, out of what is left for shareholders and
        before the common shares (a preferred stock's liquidation preference)."""
        return 0.0

    # ------------------------------------------------------------------ default
    def claim(self) -> float:
        """$B the holder can claim from the issuer if the issuer defaults."""
        return 0.0

    def unwind(self, ctx, defaulter: str) -> None:
        """Unwind the contract by its terms because ``defaulter`` (holder or issuer) defaulted."""

    def liquidate(self, ctx) -> None:
        """The holder is in liquidation: sell or write off this asset."""

    def on_issuer_default(self, ctx) -> None:
        """The issuer's estate has been distributed: write the holder's claim on its equity down."""

    # ------------------------------------------------------------------ intents
    def pending_definitive(self) -> "Contract | None":
        """The definitive contract a letter of intent would register if its parties signed it, or None."""
        return None

    # ------------------------------------------------------------------ market view
    def pipeline_gw(self, ctx, vendor: str, odds: dict[str, float], horizon: int) -> tuple[str, str, float] | None:
        """(buyer, "framework" | "firm", GW) of ``vendor``'s GPUs the contract promises that are not
        yet ordered, weighted by the odds that ``buyer`` pays; None if it promises none."""
        return None

    # ------------------------------------------------------------------ real estate and off-balance-sheet obligations
    def shell_room(self) -> float:
        """GW of leased data-centre shell the holder (the lessee) has not yet assigned to a project."""
        return 0.0

    def assign_shell(self, project, gw: float) -> None:
        """The holder's ``project`` will equip ``gw`` GW of the leased shell (handed over as it is built)."""

    def lease_commitment(self) -> float:
        """$B of rent the holder (a lessee) still owes under a data-centre lease, commenced or not."""
        return 0.0

    def built_on(self, project) -> bool:
        """Is the issuer's capacity ``project`` built for the holder under this contract (a leased
        shell on its lessor's site)? Its builds then answer to the holder's payment odds."""
        return False

    def guarantee_exposure(self) -> float:
        """$B the holder could have to pay under a residual-value guarantee it gives, at most, now."""
        return 0.0

    def look_through_debt(self, ctx) -> float:
        """$B of the issuer's debt that is the holder's share (a jointly owned vehicle, off the
        holder's balance sheet)."""
        return 0.0

    def intended(self) -> float:
        """$B a letter of intent the holder is party to would commit the holder to if signed (the
        definitive contract's commitment); 0 for binding contracts."""
        return 0.0


#: the protocol methods a class can implement (by overriding them); the registry indexes contracts by them
ASPECTS: tuple[str, ...] = (
    "booked", "commitment", "settle",
    "gw_due", "deliver", "build_order", "backlog", "market_backlog", "contracted_gw",
    "delivered_gw", "external_gw", "leased_fleet_gw", "record_use", "used_gw", "own_use_gw", "payments_ahead", "run_rate_cost", "walk_away",
    "planned_gw",
    "prepaid_compute", "pay_bill", "capex_ahead", "undelivered_from",
    "service_due", "due_within", "spread_now", "event_of_default", "line_room", "at_maturity", "freeze",
    "facility_key", "arrears", "payable_due", "shares_of_issuer", "mark_to", "exercisable", "backstop_room",
    "conversion_value", "diluted_shares", "preference",
    "claim", "unwind", "liquidate", "on_issuer_default", "pipeline_gw", "pending_definitive",
    "shell_room", "assign_shell", "lease_commitment", "built_on", "guarantee_exposure", "look_through_debt",
    "intended",
)
Contract.aspects = frozenset()


def aspect_name(method) -> str:
    """The protocol method ``method`` names (a :class:`Contract` method); ContractError if it is none."""
    name = getattr(method, "__name__", None)
    if name not in ASPECTS:
        raise ContractError(f"{method!r} is not a method of the contract protocol; allowed: {', '.join(ASPECTS)}")
    return name
