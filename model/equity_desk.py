"""The equity desk: a finite pool of outside buyers for the shares firms issue.

Outside investors do not buy any amount of a share issue at today's price. Each month they bring
a pool of money, ``equity_desk_pool`` $B at neutral mood, scaled by the round appetite
(``round_appetite(sentiment)`` to the power ``inflow_appetite_power``: less in bad times); for one
firm they take at most ``equity_desk_firm_share`` of its market value a month (capacity in $B grows
and shrinks with the share price). A firm that places shares worth ``V`` $B at today's price
against a capacity ``C`` $B raises

    X = (1 - d) x C x (1 - exp(-V / C))

where ``d`` is the fee or discount of the way it sells (``how``): ``"atm"`` an at-the-market
programme (``equity_fee_atm``: the agent's commission), ``"block"`` a marketed offering
(``equity_discount_block``), ``"rescue"`` a placement by a firm in distress
(``equity_discount_rescue``). The discount per share grows with the volume (the exponential
price impact of Cifuentes, Ferrucci & Shin 2005, as for used GPUs): the first dollars sell near
the price, the last far below it, and no volume raises more than ``(1 - d) x C``. The shares
issued dilute every holder; the sale reaches the market as selling pressure the same day.
``"mandatory"`` sells mandatory convertible preferred stock (``model/contracts/convertible.py``)
to outside investors at its face, net of ``equity_fee_atm``, within the same capacity.

The buyers take no new shares and no mandatory convertibles of a firm whose share price is below
``equity_min_price`` (the exchanges' $1.00 continued-listing standard): a firm that can neither
borrow nor sell shares above it falls behind on its bills, and its creditors decide what follows.
Without this floor a failing firm could sell ever more shares at ever lower prices (its share
count growing without bound) and never default. Block sales of shares a holder already owns
(:meth:`EquityDesk.block_sale`) are not new issues and have no floor.

What has been placed in a month is taken from that month's pool. Money in $B, shares in
billions, prices in $ per share.
"""

from __future__ import annotations

import math

from ailoop.model.contracts.convertible import PREFERRED_BUYERS, issue_mandatory
from ailoop.model.markets.sentiment import round_appetite

#: the ways a firm can sell new shares to the desk's buyers
HOWS: tuple[str, ...] = ("atm", "block", "rescue", "mandatory")
#: the most a placement may sell, in units of the capacity (it then raises 1 - e^-3 = 95% of the most it could)
MAX_DEPTH = 3.0


class EquityDesk:
    """The economy's pool of outside equity buyers (one per economy: ``economy.equity_desk``)."""

    def __init__(self, economy):
        self.economy = economy
        self.month = -1
        self.used = 0.0  # $B of market value placed this month
        self.distressed_used = 0.0  # $B of distressed assets (at their marks) sold this month
        self.issues: list[dict] = []  # every placement: month, firm, how, sought, raised, shares, price

    # ------------------------------------------------------------------ capacity
    def _roll(self) -> None:
        if self.month != self.economy.month:
            self.month, self.used, self.distressed_used = self.economy.month, 0.0, 0.0

    def mood(self) -> float:
        """The outside buyers' appetite now relative to neutral (the venture round appetite to the
        power ``inflow_appetite_power``)."""
        p = self.economy.params
        return round_appetite(self.economy.sentiment.value, p["round_appetite_elasticity"]) ** p["inflow_appetite_power"]

    def pool_left(self) -> float:
        """$B the desk's buyers can still take this month, all firms together."""
        self._roll()
        return max(0.0, self.economy.params["equity_desk_pool"] * self.mood() - self.used)

    def distressed_capacity(self) -> float:
        """$B the buyers of distressed assets can still take this month (``distressed_capacity``
        at neutral mood, scaled by the same mood factor)."""
        self._roll()
        return max(0.0, self.economy.params["distressed_capacity"] * self.mood() - self.distressed_used)

    def distressed_sale(self, value: float, discount: float) -> float:
        """Assets marked at ``value`` $B are sold to the distressed buyers: returns the share of the
        mark they fetch, ``(1 - discount) x C (1 - exp(-V / C)) / V`` against this month's capacity
        ``C`` (without ``channel_finite_capital``: ``1 - discount``), and takes ``V`` from it."""
        if not self.economy.params["channel_finite_capital"]:
            return 1.0 - discount
        cap = self.distressed_capacity()
        self.distressed_used += value
        if value <= 1e-12:
            return 1.0 - discount
        if cap <= 1e-12:
            return 0.0
        return (1.0 - discount) * cap * -math.expm1(-value / cap) / value

    def block_sale(self, firm, value: float) -> float:
        """A holder sells a block of ``firm``'s shares worth ``value`` $B at today's price outside
        the market's own trading (a forced sale, a liquidation): the share of the price it fetches
        from the desk's buyers, ``(1 - equity_discount_block) x C (1 - exp(-V / C)) / V`` against
        the firm's capacity ``C`` this month (taken from it); 1 without ``channel_finite_capital``."""
        p = self.economy.params
        if not p["channel_finite_capital"] or value <= 1e-12:
            return 1.0
        cap = self.capacity(firm)
        self.used += value
        if cap <= 1e-12:
            return 0.0
        return (1.0 - p["equity_discount_block"]) * cap * -math.expm1(-value / cap) / value

    def capacity(self, firm) -> float:
        """$B of ``firm``'s new shares, at today's price, the buyers would take this month."""
        if firm.defaulted or not firm.public or firm.price <= 0:
            return 0.0
        own = self.economy.params["equity_desk_firm_share"] * firm.market_cap * self.mood()
        return min(own, self.pool_left())

    def takes_new_shares(self, firm) -> bool:
        """Do the desk's buyers take new shares (or mandatory convertibles) of ``firm`` at all: is its
        share price at or above ``equity_min_price`` $/share?"""
        return firm.price >= self.economy.params["equity_min_price"]

    def fee(self, how: str) -> float:
        """The fee or discount of selling ``how``, a share of the gross."""
        p = self.economy.params
        if how in ("atm", "mandatory"):
            return p["equity_fee_atm"]
        if how == "block":
            return p["equity_discount_block"]
        if how == "rescue":
            return p["equity_discount_rescue"]
        raise ValueError(f"equity issue: how {how!r} is not allowed; allowed: {', '.join(HOWS)}")

    def most(self, firm, how: str) -> float:
        """$B ``firm`` could raise now selling ``how`` (the most the placement formula gives)."""
        if not self.takes_new_shares(firm):
            return 0.0
        return (1.0 - self.fee(how)) * self.capacity(firm) * (1.0 - math.exp(-MAX_DEPTH))

    # ------------------------------------------------------------------ placing
    def issue(self, firm, amount: float, how: str) -> float:
        """``firm`` sells new shares (or, ``how="mandatory"``, mandatory convertible preferred) to
        raise ``amount`` $B; returns the $B raised (less when the pool is short)."""
        d = self.fee(how)
        if amount <= 1e-9:
            return 0.0
        cap = self.capacity(firm) if self.takes_new_shares(firm) else 0.0
        if cap <= 1e-9:
            self._record(firm, how, amount, 0.0, 0.0, firm.price)
            return 0.0
        economy, p = self.economy, self.economy.params
        price = firm.price
        if how == "mandatory":
            face = min(amount / (1.0 - d), cap)
            raised = face * (1.0 - d)
            issue_mandatory(economy.ctx, firm, PREFERRED_BUYERS, face, dividend_rate=p["mandatory_dividend"],
                            months=int(p["mandatory_term_months"]), initial_price=price,
                            threshold_price=price * (1.0 + p["mandatory_band"]), proceeds=raised)
            self.used += face
            self._record(firm, how, amount, raised, 0.0, price)
            return raised
        top = (1.0 - d) * cap * (1.0 - math.exp(-MAX_DEPTH))
        raised = min(amount, top)
        value = -cap * math.log1p(-raised / ((1.0 - d) * cap))  # market value of the shares sold
        shares = value / price
        economy.ledger.receive_external(firm.aid, "other_shareholders", raised, "paid_in", "share issue")
        firm.shares += shares
        firm.add_flow("equity_raised", raised)
        economy.exchange.add_flow(firm.aid, -value)
        self.used += value
        economy.record_event("share issue", firm.aid,
                             f"{how}: {raised:,.2f} $B for {shares * 1e3:,.1f}M new shares at an average "
                             f"${raised / shares:,.2f} ({1 - raised / value:.1%} below ${price:,.2f})", raised)
        self._record(firm, how, amount, raised, shares, price)
        return raised

    def _record(self, firm, how, sought, raised, shares, price) -> None:
        self.issues.append(dict(month=self.economy.month, firm=firm.aid, how=how, sought=sought, raised=raised,
                                shares=shares, price=price))
