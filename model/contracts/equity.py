"""Equity contracts: stakes (public at market, private at the last round), staged investments, warrants."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import ClassVar

from ailoop.model.contracts.base import LIQUIDATION_BUYER, Contract
from ailoop.model.ledger import Ledger
from ailoop.model.postings import LIQUIDATION, MARKS

STAKE_TRADES = ("cash", "equity_stakes")


@dataclass(eq=False)
class EquityStake(Contract):
    """``shares`` (billions) of ``issuer`` held by ``holder``, marked at ``mark`` $ per share.

    Public firms are marked at the market price, private ones at the last round's price.
    The holder books the mark as ``equity_stakes``; the issuer's side is part of its own equity.
    """

    shares: float = 0.0
    mark: float = 0.0
    revalued: float = 0.0  # cumulative $B of marks booked on the holder (its revaluation from this stake)

    kind: ClassVar[str] = "equity"
    rank: ClassVar[int] = 60
    liquidation_order: ClassVar[int | None] = 10
    postings: ClassVar[dict[str, tuple[str, ...]]] = {
        "equity investment": ("cash", "equity_stakes", "paid_in"), "liquidating distribution": ("cash", "paid_in", "equity_stakes"),
        **{k: STAKE_TRADES for k in ("shares bought", "shares sold", "Intel stake", "market trades")},
        "mark stake": MARKS, "mark listed stakes": MARKS,
        "private stake sold": LIQUIDATION, "private stake write-down": LIQUIDATION}

    def holder_value(self) -> float:
        return self.shares * self.mark if self.active else 0.0

    def shares_of_issuer(self) -> float:
        return self.shares

    def mark_to(self, ledger: Ledger, price: float) -> float:
        return self.remark(ledger, price)

    def booked(self) -> list[tuple[str, str, float]]:
        return [(self.holder, "equity_stakes", self.holder_value())] if self.active else []

    @classmethod
    def booked_block(cls, contracts: list, row_of: dict, col_of: dict) -> tuple[list, list, list]:
        """:meth:`booked` for many stakes at once (the same lines)."""
        rows, vals = [], []
        for c in contracts:
            i = row_of.get(c.holder) if c.active else None
            if i is not None:
                rows.append(i)
                vals.append(c.shares * c.mark)
        return rows, [col_of["equity_stakes"]] * len(rows), vals

    def remark(self, ledger: Ledger, price: float) -> float:
        """Mark to ``price``; book the change as revaluation on the holder. Returns the change ($B)."""
        delta = self.shares * (price - self.mark)
        self.mark = price
        if delta != 0.0:
            ledger.post([(self.holder, "equity_stakes", delta), (self.holder, "revaluation", -delta)], "mark stake")
            self.revalued += delta
        return delta

    def liquidate(self, ctx) -> None:
        """Listed shares are sold in the market; private stakes to distressed buyers at
        ``private_stake_recovery`` of their mark (less the volume's discount against their finite
        capacity, ``Context.distressed_sale``)."""
        issuer = ctx.agent_or_none(self.issuer)
        value = self.holder_value()
        if issuer is not None and issuer.public and issuer.price > 0:
            ctx.sell_shares(self.holder, issuer, self.shares, reason="liquidation")
        elif value > 0:
            rec = ctx.params["private_stake_recovery"]
            rec *= ctx.distressed_sale(value * rec, 0.0)
            led = ctx.ledger
            led.receive_external(self.holder, LIQUIDATION_BUYER, value * rec, "equity_stakes", "private stake sold")
            led.post([(self.holder, "equity_stakes", -value * (1 - rec)), (self.holder, "retained", value * (1 - rec))],
                     "private stake write-down")
            self.shares, self.active = 0.0, False

    def on_issuer_default(self, ctx) -> None:
        """Nothing is left for shareholders: the holder marks the shares down to zero."""
        v = self.holder_value()
        self.remark(ctx.ledger, 0.0)
        if v > 0:
            ctx.record_event("stake written off", self.holder, f"{self.issuer} shares worthless", v)


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

    kind: ClassVar[str] = "staged_investment"
    rank: ClassVar[int] = 30
    settle_phase: ClassVar[str | None] = "investments"
    unwind_order: ClassVar[tuple[int | None, int | None]] = (24, 25)
    postings: ClassVar[dict[str, tuple[str, ...]]] = {"equity investment": ("cash", "equity_stakes", "paid_in")}

    def remaining(self) -> float:
        return max(0.0, self.cap - self.invested) if self.active else 0.0

    def holder_value(self) -> float:
        return -self.remaining()  # a commitment to pay

    def commitment(self) -> float:
        return self.remaining()

    def due(self, deployed_gw: float) -> float:
        """$B now due given the investee's deployed GW."""
        if not self.active:
            return 0.0
        milestones = math.floor(max(0.0, deployed_gw - self.gw_base) + 1e-9)
        return max(0.0, min(self.cap, milestones * self.per_gw) - self.invested)

    def settle(self, ctx) -> None:
        """Invest what the GW deployed so far have released, as far as the investor's cash allows,
        at the investee's current round price; the cash is re-tagged as chipmaker investment."""
        lab = ctx.agent(self.issuer)
        due = self.due(lab.deployed_gw(self.holder))
        x = min(due, max(0.0, ctx.agent(self.holder).cash))
        if x > 1e-9:
            ctx.invest_equity(self.holder, self.issuer, x, ctx.round_price(lab), retag="chipmaker_investment", ref=self)
            self.invested += x
            ctx.record_event("staged investment paid", self.holder,
                             f"{lab.deployed_gw(self.holder) - self.gw_base:.1f} GW deployed", x)

    def unwind(self, ctx, defaulter: str) -> None:
        self.active = False
        ctx.record_event("contract cancelled", self.issuer, f"{self.kind} with {self.holder}: {defaulter} defaulted")

    def pipeline_gw(self, ctx, vendor, odds, horizon):
        """GW still to come under the framework, at the odds the investee pays its providers."""
        if self.holder == vendor and self.per_gw > 0:
            return self.issuer, "framework", self.remaining() / self.per_gw * odds.get(self.issuer, 1.0)
        return None


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
    revalued: float = 0.0  # cumulative $B of marks booked on the holder

    kind: ClassVar[str] = "warrant"
    rank: ClassVar[int] = 70
    settle_phase: ClassVar[str | None] = "warrants"
    unwind_order: ClassVar[tuple[int | None, int | None]] = (50, None)
    postings: ClassVar[dict[str, tuple[str, ...]]] = {
        "mark warrant": MARKS, "warrants exercised": ("warrants", "equity_stakes"),
        "warrant strike": ("cash", "equity_stakes", "paid_in"), "warrants sold": LIQUIDATION}

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
        mark = max(price - self.strike, 0.0)
        if mark != self.mark:  # (an assignment counts as a change of the contract: see Contract._changes)
            self.mark = mark
        delta = self.holder_value() - old
        if delta != 0.0:
            ledger.post([(self.holder, "warrants", delta), (self.holder, "revaluation", -delta)], "mark warrant")
            self.revalued += delta

    def mark_to(self, ledger: Ledger, price: float) -> float:
        old = self.holder_value()
        self.remark(ledger, price)
        return self.holder_value() - old

    def exercisable(self, price: float) -> float:
        """Vested shares, if the share price is above the strike (worth exercising)."""
        return self.vested_shares if price > self.strike else 0.0

    def exercise(self, ctx) -> float:
        """The holder exercises every vested warrant if it has the cash for the strike: pays the
        strike to the issuer and receives new shares (marked at the issuer's price: intrinsic
        value plus strike). Returns the billions of shares received (0 if it could not)."""
        issuer = ctx.agent(self.issuer)
        if self.vested_shares <= 0 or issuer.defaulted or issuer.price <= self.strike:
            return 0.0
        n = self.vested_shares
        cost = n * self.strike
        if cost > ctx.agent(self.holder).cash:
            return 0.0
        value = self.holder_value()
        ctx.ledger.post([(self.holder, "warrants", -value), (self.holder, "equity_stakes", value)], "warrants exercised")
        self.vested_shares, self.mark = 0.0, 0.0
        ctx.ledger.transfer(self.holder, issuer.aid, cost, "equity_stakes", "paid_in", "warrant strike", ref=self)
        ctx.add_shares(self.holder, issuer, n, issuer.price)  # new shares; value = intrinsic + strike
        if self.vested_flags and all(self.vested_flags):
            self.active = False  # every tranche vested and exercised: nothing left
        return n

    def settle(self, ctx) -> None:
        """Vest the tranches whose GW and share-price milestones have been met."""
        holder = ctx.agent(self.holder)
        new = self.vest(ctx.ledger, holder.deployed_gw(self.issuer), ctx.agent(self.issuer).price)
        if new > 0:
            ctx.record_event("warrants vested", self.holder, f"{new * 1000:.0f}M {self.issuer} shares", new)

    def unwind(self, ctx, defaulter: str) -> None:
        """The defaulting holder's vested warrants are sold at intrinsic value."""
        v = self.holder_value()
        if v > 0:
            ctx.ledger.receive_external(self.holder, LIQUIDATION_BUYER, v, "warrants", "warrants sold")
        self.active = False

    def on_issuer_default(self, ctx) -> None:
        self.remark(ctx.ledger, 0.0)
        self.active = False

    def pipeline_gw(self, ctx, vendor, odds, horizon):
        """The GW of the warrant deal's framework (e.g. 6 GW for the lab) not yet deployed."""
        if self.issuer == vendor and self.tranches:
            deployed = ctx.agent(self.holder).deployed_gw(vendor) - self.gw_base
            return self.holder, "framework", (self.tranches[-1][0] - deployed) * odds.get(self.holder, 1.0)
        return None


@dataclass(eq=False)
class ConditionalInvestment(Contract):
    """``holder`` has committed ``amount`` $B of equity into ``issuer``, payable once ``condition``
    holds: ``"listed"`` (the issuer's shares are listed; a lab's listing is not modelled, so that
    promise stays a commitment) or ``"round"`` (paid in the issuer's next priced round, by
    :meth:`pay`). At either party's default it lapses."""

    amount: float = 0.0
    condition: str = "listed"
    name: str = ""
    retag: str | None = None  # provenance the holder's cash takes when paid (a chipmaker's: its investment)

    kind: ClassVar[str] = "conditional_investment"
    rank: ClassVar[int] = 32
    settle_phase: ClassVar[str | None] = "investments"
    unwind_order: ClassVar[tuple[int | None, int | None]] = (24, 25)
    postings: ClassVar[dict[str, tuple[str, ...]]] = {"equity investment": ("cash", "equity_stakes", "paid_in")}

    def holder_value(self) -> float:
        return -self.amount if self.active else 0.0

    def commitment(self) -> float:
        return self.amount if self.active else 0.0

    def met(self, ctx) -> bool:
        """Does the condition hold now?"""
        issuer = ctx.agent(self.issuer)
        return self.condition == "listed" and issuer.public and not issuer.defaulted

    def settle(self, ctx) -> None:
        """The condition holds: the holder invests what it promised (as far as its cash allows) at
        the issuer's price."""
        if not self.active or not self.met(ctx):
            return
        x = min(self.amount, max(0.0, ctx.agent(self.holder).cash))
        if x > 1e-9:
            ctx.invest_equity(self.holder, self.issuer, x, ctx.agent(self.issuer).price, retag=self.retag, ref=self)
            ctx.record_event("conditional investment paid", self.holder, f"{self.name or self.issuer}: "
                             f"{self.condition}", x)
        self.amount, self.active = 0.0, False

    def unwind(self, ctx, defaulter: str) -> None:
        self.active = False
        ctx.record_event("contract cancelled", self.issuer, f"{self.kind} with {self.holder}: {defaulter} defaulted")

    def pay(self, ctx, price: float) -> float:
        """The round the promise waits for has come: the holder invests what it promised (as far
        as its cash allows) at ``price`` $ per share. Returns the $B invested."""
        if not self.active:
            return 0.0
        x = min(self.amount, max(0.0, ctx.agent(self.holder).cash))
        if x > 1e-9:
            ctx.invest_equity(self.holder, self.issuer, x, price, retag=self.retag, ref=self)
        self.amount, self.active = 0.0, False
        return x
