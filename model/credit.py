"""The credit market: bond and loan issues allocated among bond buyers, and debt service.

An issuer's spread (per year, over ``risk_free_rate``) is its family's base spread plus
``spread_leverage_sensitivity`` times the excess of its leverage (debt / market value of equity)
over ``spread_leverage_ref``, plus the sentiment add-on (``spread_add_on``: bad mood widens all
spreads). Bond buyers whose required spread is met and whose leverage limit the issuer does not
exceed bid all they can lend; the issue is filled pro rata up to the amount sought (a partly
filled or failed issue raises less; the shortfall stays with the issuer). Each month every debt
contract (:attr:`~ailoop.model.contracts.Contract.is_debt`) is serviced by its own schedule —
coupons, amortisation, maturities — refinanced with a new issue first if the issuer's cash is
short; what cannot be paid becomes arrears. Debt is marked to market by its holders.
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
    """Primary debt market and debt service (one per economy: ``economy.credit``)."""

    def __init__(self, economy):
        self.economy = economy
        self.issues: list[dict] = []  # record of every issue: month, issuer, sought, raised, spread

    def leverage(self, issuer) -> float:
        """Debt over the market value of equity (book equity for firms without a price)."""
        equity = getattr(issuer, "market_cap", None)
        if not equity:
            a, l, _ = self.economy.ledger.totals(issuer.aid)
            equity = max(a - l, 1e-9)
        return issuer.debt / max(equity, 1e-9)

    def spread(self, issuer, sentiment: float | None = None) -> float:
        """The spread ``issuer`` pays on new debt, per year. ``sentiment`` overrides today's index
        (the opening bonds were priced at a neutral mood: ``sentiment=0``)."""
        p = self.economy.params
        base = p[BASE_SPREAD_PARAM.get(issuer.family, "spread_investment_grade")]
        excess = max(0.0, self.leverage(issuer) - p["spread_leverage_ref"])
        s = self.economy.sentiment.value if sentiment is None else sentiment
        mood = spread_add_on(s, 1e4 * p["spread_sentiment_scale"], p["spread_sentiment_convexity"]) / 1e4 if s != 0.0 else 0.0
        return max(0.0, base + p["spread_leverage_sensitivity"] * excess + mood)

    def issue(self, issuer, amount: float, months: int, kind: str = "bond", collateral_units: float = 0.0) -> float:
        """Sell ``amount`` $B of debt maturing in ``months``; returns the $B actually raised."""
        economy, p = self.economy, self.economy.params
        spread = self.spread(issuer)
        leverage = self.leverage(issuer)
        bids = [(b, b.bid(spread, leverage)) for b in economy.bond_buyers]
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
                common = dict(holder=buyer.aid, issuer=issuer.aid, face=x, coupon=coupon, issued_month=economy.month,
                              maturity_month=economy.month + months, spread=spread)
                if kind == "gpu_loan":
                    c = GpuLoan(**common, ltv_limit=p["gpu_loan_ltv_limit"],
                                collateral_units=collateral_units * x / raised, amort_months=months)
                else:
                    c = Bond(**common)
                economy.ledger.transfer(buyer.aid, issuer.aid, x, "bonds_held", "debt", f"debt issue ({kind})", ref=c)
                economy.book.add(c)
            issuer.add_flow("debt_raised", raised)
        self.issues.append(dict(month=economy.month, issuer=issuer.aid, kind=kind, sought=amount, raised=raised,
                                spread=spread))
        return raised

    def redeem(self, issuer, amount: float) -> float:
        """Repay up to ``amount`` $B of ``issuer``'s redeemable debt early, nearest maturity first, at face."""
        left = min(amount, max(0.0, issuer.cash))
        debt = [c for c in self.economy.book.issued_by(issuer.aid) if c.redeemable]
        for c in sorted(debt, key=lambda b: (b.maturity_month, b.face)):
            if left <= 1e-9:
                break
            x = min(left, c.face)
            c.repay(self.economy.ledger, x, "early redemption")
            left -= x
        return amount - left

    def mark_debt(self) -> None:
        """Holders mark debt to market: price = exp(-D x (spread now - spread at issue)), D = the
        remaining life in years capped at ``bond_duration_cap`` (a duration approximation), at most
        1.05; the change is booked as revaluation on each holder."""
        economy, p = self.economy, self.economy.params
        spreads: dict[str, float] = {}
        debts = economy.book.debts()
        for c in debts:
            issuer = economy.agent(c.issuer)
            if issuer.defaulted:
                continue
            if c.issuer not in spreads:
                spreads[c.issuer] = self.spread(issuer)
            years = min(max(c.maturity_month - economy.month, 0) / 12.0, p["bond_duration_cap"])
            x = -years * (spreads[c.issuer] - c.spread)
            # (a bond issued while its issuer's book equity was nil carries a spread of ~1e10 a
            # year; when the spread falls back, exp(x) overflows: the mark is capped at 1.05 anyway)
            c.mark = 1.05 if x > 0.05 else min(1.05, math.exp(x))
        target: dict[str, float] = {}  # each holder's total adjustment against its booked value
        for c in debts:
            target[c.holder] = target.get(c.holder, 0.0) + c.face * (c.mark - 1.0)
        led = economy.ledger
        marked = {a for a in led.agent_ids if led.get(a, "bond_valuation") != 0.0}  # incl. holders of debt now gone
        for holder in sorted(set(target) | {b.aid for b in economy.bond_buyers} | marked):
            d = target.get(holder, 0.0) - economy.ledger.get(holder, "bond_valuation")
            if abs(d) > 1e-12:
                economy.ledger.post([(holder, "bond_valuation", d), (holder, "revaluation", -d)], "mark bonds")

    def debt_due(self, aid: str, months: int) -> float:
        """Principal and interest ``aid`` owes over the next ``months`` months, $B."""
        month = self.economy.month
        due = 0.0
        for c in self.economy.book.issued_by(aid):
            if c.is_debt:
                interest, principal = c.due_within(month, months)
                due += interest
                if principal:
                    due += principal
        return due

    def service(self) -> None:
        """Pay this month's coupons, amortisation and maturities, issuer by issuer.

        An issuer (other than a venture fund) whose cash does not cover what falls due first
        tries to refinance the shortfall with one new issue; what it still cannot pay becomes
        arrears to the holders.
        """
        economy = self.economy
        by_issuer: dict[str, list] = {}
        for c in economy.book.debts():
            by_issuer.setdefault(c.issuer, []).append(c)
        for aid in sorted(by_issuer):
            self._service_issuer(economy.agent(aid), by_issuer[aid])

    def _service_issuer(self, issuer, debts: list) -> None:
        economy = self.economy
        dues = [(c, *c.service_due(economy.month)) for c in debts]
        total = sum(i + p for _, i, p in dues)
        if issuer.cash < total and issuer.family != "venture":
            self.issue(issuer, total - issuer.cash, int(economy.params["bond_maturity_months"]))  # roll over
        interest_by, principal_by = {}, {}  # one payment per creditor, not per contract
        ref = {}  # a contract with each creditor (the payments are made under them)
        for c, interest, principal in dues:
            ref.setdefault(c.holder, c)
            interest_by[c.holder] = interest_by.get(c.holder, 0.0) + interest
            if principal > 0:
                principal_by[c.holder] = principal_by.get(c.holder, 0.0) + principal
                c.face -= principal
                if c.face <= 1e-12:
                    c.face = 0.0
                    c.active = False
        for holder, x in interest_by.items():
            pay_or_owe(economy.ledger, economy.book, issuer.aid, holder, x, "retained", "retained", "interest",
                       ref=ref[holder])
            economy.agent(holder).add_flow("interest_income", x)
        for holder, x in principal_by.items():
            pay_or_owe(economy.ledger, economy.book, issuer.aid, holder, x, "debt", "bonds_held", "principal",
                       ref=ref[holder])
        issuer.add_flow("interest", sum(interest_by.values()))
