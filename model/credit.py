"""The credit market: bond and loan issues allocated among bond buyers, and debt service.

An issuer's spread (per year, over ``risk_free_rate``) is its family's base spread plus
``spread_leverage_sensitivity`` times the excess of its leverage (debt / market value of equity)
over ``spread_leverage_ref``, plus the sentiment add-on (``spread_add_on``: bad mood widens all
spreads). Bond buyers whose required spread is met and whose leverage limit
the issuer does not exceed bid all they can lend; the issue is filled pro rata up to the amount
sought (a partly filled or failed issue raises less; the shortfall stays with the issuer). Each month
issuers pay coupons, GPU-backed loans amortise, and maturing principal is repaid (refinanced
with a new issue first if cash is short); what cannot be paid becomes arrears.
"""

from __future__ import annotations

import math

from ailoop.model.contracts import Bond, GpuLoan, pay_or_owe
from ailoop.model.markets.sentiment import spread_add_on

BASE_SPREAD_PARAM = {
    "cloud": "spread_cloud",
    "neocloud": "spread_neocloud",
    "chipmaker": "spread_investment_grade",
    "hyperscaler": "spread_investment_grade",
    "spv": "spread_neocloud",
    "venture": "spread_margin_loan",
}


class CreditMarket:
    def __init__(self, economy):
        self.eco = economy
        self.issues: list[dict] = []  # record of every issue: month, issuer, sought, raised, spread

    def leverage(self, issuer) -> float:
        equity = getattr(issuer, "market_cap", None)
        if not equity:
            a, l, _ = self.eco.ledger.totals(issuer.aid)
            equity = max(a - l, 1e-9)
        return issuer.debt / max(equity, 1e-9)

    def spread(self, issuer) -> float:
        p = self.eco.params
        base = p[BASE_SPREAD_PARAM.get(issuer.family, "spread_investment_grade")]
        excess = max(0.0, self.leverage(issuer) - p["spread_leverage_ref"])
        mood = spread_add_on(self.eco.exchange.sentiment.value) / 1e4 if hasattr(self.eco, "exchange") else 0.0
        return max(0.0, base + p["spread_leverage_sensitivity"] * excess + mood)

    def issue(self, issuer, amount: float, months: int, kind: str = "bond", collateral_units: float = 0.0) -> float:
        """Sell ``amount`` $B of debt maturing in ``months``; returns the $B actually raised."""
        eco, p = self.eco, self.eco.params
        spread = self.spread(issuer)
        leverage = self.leverage(issuer)
        bids = [(b, b.bid(spread, leverage)) for b in eco.bond_buyers]
        total = sum(x for _, x in bids)
        raised = min(amount, total)
        if raised > 1e-9:
            coupon = p["risk_free_rate"] + spread
            for buyer, bid in bids:
                x = raised * bid / total
                if x <= 1e-12:
                    continue
                buyer.fund(x)
                x = min(x, buyer.cash)
                eco.ledger.transfer(buyer.aid, issuer.aid, x, "bonds_held", "debt", f"{kind} issue")
                common = dict(holder=buyer.aid, issuer=issuer.aid, face=x, coupon=coupon, issued_month=eco.month,
                              maturity_month=eco.month + months, spread=spread)
                if kind == "gpu_loan":
                    c = GpuLoan(**common, ltv_limit=p["gpu_loan_ltv_limit"],
                                collateral_units=collateral_units * x / raised, amort_months=months)
                else:
                    c = Bond(**common)
                eco.book.add(c)
            issuer.add_flow("debt_raised", raised)
        self.issues.append(dict(month=eco.month, issuer=issuer.aid, kind=kind, sought=amount, raised=raised,
                                spread=spread))
        return raised

    def redeem(self, issuer, amount: float) -> float:
        """Repay up to ``amount`` $B of ``issuer``'s bonds early, nearest maturity first, at face."""
        left = min(amount, max(0.0, issuer.cash))
        for c in sorted(self.eco.book.issued_by(issuer.aid, "bond"), key=lambda b: (b.maturity_month, b.face)):
            if left <= 1e-9:
                break
            x = min(left, c.face)
            self.eco.ledger.transfer(issuer.aid, c.holder, x, "debt", "bonds_held", "early redemption")
            c.face -= x
            left -= x
            if c.face <= 1e-12:
                c.face, c.active = 0.0, False
        return amount - left

    def mark_bonds(self) -> None:
        """Bond holders mark their bonds to market: price = exp(-D x (spread now - spread at
        issue)), D = the remaining life in years capped at ``bond_duration_cap`` (a duration
        approximation), at most 1.05; the change is booked as revaluation on each holder."""
        eco, p = self.eco, self.eco.params
        spreads: dict[str, float] = {}
        for kind in ("bond", "gpu_loan"):
            for c in eco.book.of_kind(kind):
                issuer = eco.agent(c.issuer)
                if issuer.defaulted:
                    continue
                if c.issuer not in spreads:
                    spreads[c.issuer] = self.spread(issuer)
                years = min(max(c.maturity_month - eco.month, 0) / 12.0, p["bond_duration_cap"])
                c.mark = min(1.05, math.exp(-years * (spreads[c.issuer] - c.spread)))
        # post the change of each holder's total adjustment against its booked value
        target: dict[str, float] = {}
        for kind in ("bond", "gpu_loan"):
            for c in eco.book.of_kind(kind):
                target[c.holder] = target.get(c.holder, 0.0) + c.face * (c.mark - 1.0)
        for holder in sorted(set(target) | {b.aid for b in eco.bond_buyers}):
            d = target.get(holder, 0.0) - eco.ledger.get(holder, "bond_valuation")
            if abs(d) > 1e-12:
                eco.ledger.post([(holder, "bond_valuation", d), (holder, "revaluation", -d)], "mark bonds")

    def debt_due(self, aid: str, months: int) -> float:
        """Principal and interest ``aid`` owes over the next ``months`` months, $B."""
        m = self.eco.month
        due = 0.0
        for c in self.eco.book.issued_by(aid):
            if c.kind not in ("bond", "gpu_loan"):
                continue
            due += c.monthly_interest() * months
            if c.kind == "gpu_loan":
                due += min(c.face, c.scheduled_principal() * months)
            elif c.maturity_month <= m + months:
                due += c.face
        return due

    def service(self) -> None:
        """Pay this month's coupons, amortisation and maturities, issuer by issuer.

        An issuer (other than a venture fund) whose cash does not cover what falls due first
        tries to refinance the shortfall with one new issue; what it still cannot pay becomes
        arrears to the holders.
        """
        eco = self.eco
        m = eco.month
        by_issuer: dict[str, list] = {}
        for kind in ("bond", "gpu_loan"):
            for c in eco.book.of_kind(kind):
                by_issuer.setdefault(c.issuer, []).append(c)
        for aid in sorted(by_issuer):
            issuer = eco.agent(aid)
            dues = []
            for c in by_issuer[aid]:
                principal = c.scheduled_principal() if c.kind == "gpu_loan" else (c.face if c.maturity_month <= m else 0.0)
                dues.append((c, c.monthly_interest(), principal))
            total = sum(i + p for _, i, p in dues)
            if issuer.cash < total and issuer.family != "venture":
                self.issue(issuer, total - issuer.cash, int(eco.params["bond_maturity_months"]))  # roll over
            interest_by, principal_by = {}, {}  # one payment per creditor, not per bond
            for c, interest, principal in dues:
                interest_by[c.holder] = interest_by.get(c.holder, 0.0) + interest
                if principal > 0:
                    principal_by[c.holder] = principal_by.get(c.holder, 0.0) + principal
                    c.face -= principal
                    if c.face <= 1e-12:
                        c.face = 0.0
                        c.active = False
            for holder, x in interest_by.items():
                pay_or_owe(eco.ledger, eco.book, aid, holder, x, "retained", "retained", "interest")
                eco.agent(holder).add_flow("interest_income", x)
            for holder, x in principal_by.items():
                pay_or_owe(eco.ledger, eco.book, aid, holder, x, "debt", "bonds_held", "principal")
            issuer.add_flow("interest", sum(interest_by.values()))
