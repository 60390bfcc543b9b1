"""Convertibles: mandatory convertible preferred stock and convertible notes.

* :class:`MandatoryConvertible` — preferred stock that pays a dividend and converts, on its
  mandatory conversion date, into a number of the issuer's common shares that depends on the share
  price then, within a band: at or below the ``initial_price`` the holder gets the most shares
  (``face / initial_price``), at or above the ``threshold_price`` the fewest (``face /
  threshold_price``), in between shares worth the face. It is equity: its dividends are paid when
  the issuer has the cash and are otherwise owed (cumulative: paid in shares at conversion), never
  a default; at the issuer's default it ranks after every creditor and before the common shares
  (its liquidation preference, :meth:`MandatoryConvertible.preference`).
* :class:`ConvertibleNote` — a bond with a low coupon and the holder's option to take
  ``face / conversion_price`` shares instead of the face at maturity: serviced, marked and
  claimed at default like any bond (senior unsecured), marked at least at its conversion value, and
  converted in the ``conversions`` phase of its maturity month when the shares are worth more than
  the face (before debt service would repay it).

Both are issued through the narrow context (``Context.issue_equity(firm, amount, "mandatory")``
sells a mandatory convertible to outside investors from the equity desk's finite pool;
``Context.issue_convertible(issuer, amount, months)`` sells convertible notes to the bond buyers,
at terms from :func:`convertible_terms`),
or built directly and registered with :func:`issue_mandatory` by a dated deal.

Money in $B, shares in billions, prices in $ per share, time in months.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import ClassVar

from ailoop.model.contracts.base import LIQUIDATION_BUYER, Contract, ContractError
from ailoop.model.contracts.debt import Bond
from ailoop.model.postings import LIQUIDATION, MARKS, PNL

#: the outside investors who buy preferred stock issued to the market (an external sector)
PREFERRED_BUYERS = "other_shareholders"


@dataclass(eq=False)
class MandatoryConvertible(Contract):
    """``holder`` paid ``face`` $B for mandatory convertible preferred stock of ``issuer``.

    ``dividend_rate`` per year on the face, paid monthly in the ``conversions`` phase while the
    issuer has the cash (else owed: ``unpaid_dividends``); on ``maturity_month`` it converts into
    :meth:`shares_at` the issuer's price of common shares, plus the unpaid dividends in shares at
    that price. The holder marks it at its conversion value (``mark`` $ per $ of face).
    """

    face: float = 0.0
    dividend_rate: float = 0.065
    issued_month: int = 0
    maturity_month: int = 36
    initial_price: float = 0.0
    threshold_price: float = 0.0
    unpaid_dividends: float = 0.0
    mark: float = 1.0
    revalued: float = 0.0
    converted_shares: float = 0.0
    name: str = ""

    kind: ClassVar[str] = "mandatory_convertible"
    rank: ClassVar[int] = 65
    settle_phase: ClassVar[str | None] = "conversions"
    liquidation_order: ClassVar[int | None] = 15
    postings: ClassVar[dict[str, tuple[str, ...]]] = {
        "preferred issue": ("cash", "paid_in", "equity_stakes"), "preferred dividend": PNL,
        "mark preferred": MARKS, "preferred dividend in shares": ("equity_stakes", "retained", "paid_in"),
        "preferred recovery": ("cash", "paid_in", "equity_stakes"), "preferred sold": LIQUIDATION}

    def __post_init__(self) -> None:
        if not (0.0 < self.initial_price <= self.threshold_price):
            raise ContractError(f"MandatoryConvertible {self.name or ''}: initial price {self.initial_price!r} and "
                                f"threshold price {self.threshold_price!r} are not allowed; allowed: "
                                "0 < initial price <= threshold price ($/share)")

    # ------------------------------------------------------------------ terms
    def shares_at(self, price: float) -> float:
        """Billions of common shares the face converts into at share price ``price``: face /
        initial price at or below it, face / threshold price at or above it, face / price between."""
        if price <= self.initial_price:
            return self.face / self.initial_price
        if price >= self.threshold_price:
            return self.face / self.threshold_price
        return self.face / price

    def monthly_dividend(self) -> float:
        return self.face * self.dividend_rate / 12.0 if self.active else 0.0

    # ------------------------------------------------------------------ valuation
    def holder_value(self) -> float:
        return self.face * self.mark if self.active else 0.0

    def booked(self) -> list[tuple[str, str, float]]:
        return [(self.holder, "equity_stakes", self.holder_value())] if self.active else []

    def conversion_value(self, price: float) -> float | None:
        return self.shares_at(price) * price if self.active else 0.0

    def diluted_shares(self, price: float) -> float:
        if not self.active:
            return 0.0
        return self.shares_at(price) + (self.unpaid_dividends / price if price > 0 else 0.0)

    def preference(self) -> float:
        return self.face + self.unpaid_dividends if self.active else 0.0

    def mark_to(self, ledger, price: float) -> float:
        """Mark to the conversion value at ``price``; the change is revaluation on a modelled holder."""
        if not self.active or self.face <= 0:
            return 0.0
        new = self.shares_at(price) * price / self.face if price > 0 else 0.0
        delta = self.face * (new - self.mark)
        self.mark = new
        if delta != 0.0 and self.holder in ledger.index:
            ledger.post([(self.holder, "equity_stakes", delta), (self.holder, "revaluation", -delta)], "mark preferred")
            self.revalued += delta
        return delta

    # ------------------------------------------------------------------ settlement
    def settle(self, ctx) -> None:
        """The month's dividend (and any owed before) if the issuer has the cash, else owed; on the
        maturity month, conversion."""
        issuer = ctx.agent(self.issuer)
        if issuer.defaulted:
            return
        due = self.monthly_dividend()
        if ctx.month > self.issued_month:
            owed = due + self.unpaid_dividends
            if issuer.cash >= owed and owed > 0:
                self._pay(ctx, owed, "preferred dividend")
                self.unpaid_dividends = 0.0
            else:
                self.unpaid_dividends += due
        if ctx.month >= self.maturity_month:
            self.convert(ctx)

    def _pay(self, ctx, x: float, memo: str) -> None:
        led = ctx.ledger
        if self.holder in led.index:
            led.transfer(self.issuer, self.holder, x, "retained", "retained", memo, ref=self)
            ctx.agent(self.holder).add_flow("dividends_received", x)
        else:
            led.pay_external(self.issuer, self.holder, x, "retained", memo, ref=self)
        ctx.agent(self.issuer).add_flow("preferred_dividend", x)

    def convert(self, ctx) -> float:
        """Mandatory conversion at the issuer's price now: common shares for the face, and the
        dividends owed paid in shares at the same price. Returns billions of shares issued."""
        issuer = ctx.agent(self.issuer)
        price = issuer.price
        if not self.active or price <= 0:
            return 0.0
        led = ctx.ledger
        self.mark_to(led, price)
        n = self.shares_at(price)
        u = self.unpaid_dividends
        lines = [(self.issuer, "retained", u), (self.issuer, "paid_in", -u)] if u > 0 else []
        if u > 0 and self.holder in led.index:
            lines += [(self.holder, "equity_stakes", u), (self.holder, "retained", -u)]
        if lines:
            led.post(lines, "preferred dividend in shares", ref=self)
        n += u / price
        self.unpaid_dividends = 0.0
        self.active = False
        if self.holder in led.index:
            ctx.add_shares(self.holder, issuer, n, price)  # the conversion value becomes the stake
        else:
            issuer.shares += n  # the outside float grows
        self.converted_shares = n
        ctx.record_event("preferred converted", self.issuer,
                         f"{self.name or 'mandatory convertible'}: {self.face:,.2f} $B into {n * 1e3:,.1f}M shares "
                         f"at ${price:,.2f}", n * price)
        ctx.changed()
        return n

    # ------------------------------------------------------------------ default
    def recover(self, ctx, amount: float) -> None:
        """The issuer's estate pays the holder ``amount`` $B of its preference; the rest is lost."""
        led = ctx.ledger
        if self.holder in led.index:
            self.mark_to(led, 0.0)
            if amount > 0:  # marked to what it recovers, then paid
                d = amount
                led.post([(self.holder, "equity_stakes", d), (self.holder, "revaluation", -d)], "mark preferred")
                self.revalued += d
                led.transfer(self.issuer, self.holder, amount, "paid_in", "equity_stakes", "preferred recovery",
                             ref=self)
        elif amount > 0:
            led.pay_external(self.issuer, self.holder, amount, "paid_in", "preferred recovery", ref=self)
        lost = self.preference() - amount
        if lost > 1e-12 and self.holder in led.index:
            ctx.record_loss(self.holder, lost)
            ctx.record_event("write-off", self.holder, f"preferred stock of {self.issuer}", lost)
        self.mark, self.face, self.unpaid_dividends, self.active = 0.0, 0.0, 0.0, False

    def on_issuer_default(self, ctx) -> None:
        """Whatever the estate did not pay is lost (the default engine pays preferences first)."""
        if self.active:
            self.recover(ctx, 0.0)

    def liquidate(self, ctx) -> None:
        """A defaulting holder sells the stock to distressed buyers at its mark; they hold it now."""
        v = self.holder_value()
        if v > 0:
            ctx.ledger.receive_external(self.holder, LIQUIDATION_BUYER, v, "equity_stakes", "preferred sold")
            ctx.book.add(replace(self, holder=LIQUIDATION_BUYER, revalued=0.0))
        self.active = False


def issue_mandatory(ctx, issuer, holder: str, face: float, *, dividend_rate: float, months: int,
                    initial_price: float, threshold_price: float, proceeds: float | None = None,
                    name: str = "") -> MandatoryConvertible:
    """Register a mandatory convertible of ``face`` $B sold by ``issuer`` to ``holder`` (an agent or
    an external sector) for ``proceeds`` $B (default: the face; less when underwriting fees are
    paid), converting ``months`` from now."""
    if face <= 0:
        raise ContractError(f"issue_mandatory: face {face!r} is not allowed; allowed: > 0 $B")
    cash = face if proceeds is None else proceeds
    c = MandatoryConvertible(holder=holder, issuer=issuer.aid, face=face, dividend_rate=dividend_rate,
                             issued_month=ctx.month, maturity_month=ctx.month + months, initial_price=initial_price,
                             threshold_price=threshold_price, name=name)
    led = ctx.ledger
    if holder in led.index:
        led.transfer(holder, issuer.aid, cash, "equity_stakes", "paid_in", "preferred issue", ref=c)
        if cash != face:  # bought below its face: the holder marks it to its conversion value below
            c.mark = cash / face
    else:
        led.receive_external(issuer.aid, holder, cash, "paid_in", "preferred issue", ref=c)
    ctx.book.add(c)
    c.mark_to(led, initial_price)  # marked to its conversion value at the issue price
    issuer.add_flow("equity_raised", cash)
    ctx.record_event("preferred issue", issuer.aid, f"{name or 'mandatory convertible'}: {face:,.2f} $B at "
                     f"{dividend_rate:.2%}, converting in {months} months between ${initial_price:,.2f} and "
                     f"${threshold_price:,.2f}", cash)
    return c


@dataclass(eq=False)
class ConvertibleNote(Bond):
    """A convertible bond: ``holder`` lent ``face`` $B to ``issuer`` at ``coupon`` until
    ``maturity_month`` and may take ``face / conversion_price`` shares instead of the face then."""

    conversion_price: float = 0.0

    kind: ClassVar[str] = "convertible_note"
    rank: ClassVar[int] = 86
    redeemable: ClassVar[bool] = False
    settle_phase: ClassVar[str | None] = "conversions"
    postings: ClassVar[dict[str, tuple[str, ...]]] = {
        "note converted": ("debt", "paid_in", "bonds_held", "equity_stakes", "revaluation")}

    def __post_init__(self) -> None:
        if not self.conversion_price > 0:
            raise ContractError(f"ConvertibleNote: conversion price {self.conversion_price!r} is not allowed; "
                                "allowed: > 0 $/share")

    def conversion_shares(self) -> float:
        """Billions of shares the note converts into."""
        return self.face / self.conversion_price if self.active else 0.0

    def conversion_value(self, price: float) -> float | None:
        return self.conversion_shares() * price

    def diluted_shares(self, price: float) -> float:
        """The conversion shares when they are worth more than the face (the if-converted method)."""
        return self.conversion_shares() if price > self.conversion_price else 0.0

    def settle(self, ctx) -> None:
        """In its maturity month the holder converts if the shares are worth more than the face."""
        issuer = ctx.agent(self.issuer)
        if (self.active and ctx.month >= self.maturity_month and not issuer.defaulted
                and issuer.price > self.conversion_price):
            self.convert(ctx)

    def convert(self, ctx) -> float:
        """The holder takes the shares: the issuer's debt becomes paid-in capital; the holder's
        bond (and its mark) becomes a stake at the share price. Returns billions of shares issued."""
        issuer = ctx.agent(self.issuer)
        price = issuer.price
        n = self.conversion_shares()
        if n <= 0 or price <= 0:
            return 0.0
        led = ctx.ledger
        face, value = self.face, n * price
        if self.holder in led.index:
            d = -face * (self.mark - 1.0)  # the bond's mark is reversed ...
            if abs(d) > 1e-15:
                led.post([(self.holder, "bond_valuation", d), (self.holder, "revaluation", -d)], "mark bonds")
            led.post([(self.issuer, "debt", face), (self.issuer, "paid_in", -face),  # ... and the bond becomes a stake
                      (self.holder, "bonds_held", -face), (self.holder, "equity_stakes", value),
                      (self.holder, "revaluation", -(value - face))], "note converted", ref=self)
        else:
            led.post([(self.issuer, "debt", face), (self.issuer, "paid_in", -face)], "note converted", ref=self)
        self.face, self.mark, self.active = 0.0, 1.0, False
        if self.holder in led.index:
            ctx.add_shares(self.holder, issuer, n, price)
            ctx.book.stake(self.holder, issuer.aid).revalued += value - face
        else:
            issuer.shares += n
        ctx.record_event("note converted", self.issuer, f"{face:,.2f} $B of convertible notes into "
                         f"{n * 1e3:,.1f}M shares at ${price:,.2f} (conversion price ${self.conversion_price:,.2f})",
                         value)
        ctx.changed()
        return n


def black_scholes_call(spot: float, strike: float, years: float, rate: float, vol: float) -> float:
    """$ value of a European call on one share (Black & Scholes 1973; no dividends)."""
    if years <= 0 or vol <= 0 or spot <= 0:
        return max(0.0, spot - strike * math.exp(-rate * max(years, 0.0)))
    sd = vol * math.sqrt(years)
    d1 = (math.log(spot / strike) + (rate + 0.5 * vol * vol) * years) / sd
    d2 = d1 - sd
    cdf = lambda x: 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))  # noqa: E731
    return spot * cdf(d1) - strike * math.exp(-rate * years) * cdf(d2)


def convertible_terms(price: float, premium: float, years: float, risk_free: float, spread: float,
                      vol: float) -> tuple[float, float]:
    """(coupon per year, conversion price $/share) at which a convertible note sells at par to
    lenders who ask ``spread`` over ``risk_free`` on the issuer's straight debt: the straight coupon
    less the conversion option's value (Black-Scholes, volatility ``vol``) spread over the note's
    life as an annuity, with the conversion price ``premium`` above today's ``price``; when the
    option is worth more than the whole straight coupon, the conversion price is raised until it
    is worth just that (a zero-coupon convertible at par)."""
    y = risk_free + spread
    annuity = (1.0 - math.exp(-y * years)) / y if y > 0 else years

    def coupon(prem: float) -> float:
        strike = price * (1.0 + prem)
        return y - black_scholes_call(price, strike, years, risk_free, vol) / strike / annuity

    if coupon(premium) >= 0.0:
        return coupon(premium), price * (1.0 + premium)
    lo, hi = premium, max(1.0, 2.0 * premium)
    while coupon(hi) < 0.0:  # the option's value per $ of face falls to 0 as the strike rises
        lo, hi = hi, 2.0 * hi
    for _ in range(100):  # bisection to the premium at which the coupon is nil
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if coupon(mid) < 0.0 else (lo, mid)
    return max(0.0, coupon(hi)), price * (1.0 + hi)
