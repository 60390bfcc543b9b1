"""The cloud provider (``cloud``, Oracle-like).

It books capacity contracts into its backlog (RPO), builds data centres for them with a lag,
buys the GPUs from the contract's chip vendor, funds capex from cash, non-AI business income and
bond issues, recognises revenue as capacity is delivered and paid for, and rents idle capacity on
the spot market.
"""

from __future__ import annotations

from ailoop.agents.capacity_owner import CapacityOwner
from ailoop.model.contracts import Contract


class CloudProvider(CapacityOwner):
    family = "cloud"
    public = True

    def __init__(self, model, aid: str, shares: float, price: float, *, non_ai_income: float,
                 non_ai_costs: float, dividend: float):
        super().__init__(model, aid, shares, price)
        self.price_0 = price
        self.non_ai_income = non_ai_income  # $B per month
        self.non_ai_costs = non_ai_costs  # $B per month
        self.dividend = dividend  # $B per month

    def build_shells(self) -> None:
        """Pay this month's construction as the board approves it: at the full schedule while the
        share price is at or above where it started, slower below it (approval = (price / opening
        price) ** ``capex_price_elasticity``, at most 1), and never beyond the cash at hand."""
        approval = min(1.0, (self.price / self.price_0) ** self.params["capex_price_elasticity"]) if self.price > 0 else 0.0
        due = sum(pr.monthly_shell_payment() for pr in self.fleet.building())  # (a finished shell pays nothing)
        spent = self.fleet.pay_shells(self.ledger, min(max(0.0, self.cash), approval * due))
        self.add_flow("capex_shell", spent)

    def opening_revenue(self) -> float:
        """Non-AI income and the capacity contracts already delivering, a year."""
        return 12.0 * self.non_ai_income + sum(c.run_rate_cost() for c in self.contracts_sold() if c.gw_due(0) > 0)

    def earn(self) -> None:
        self.ledger.receive_external(self.aid, "non_ai_business", self.non_ai_income, "retained", "non-AI business")
        self.add_flow("revenue_other", self.non_ai_income)
        self.pay_opex(self.non_ai_costs, "non-AI business costs")

    def plan_capacity(self) -> None:
        """Build for the contracts starting within build time plus lead time: each contract is
        served first by capacity built for it, then by capacity built for none (the opening fleet);
        a contract still short gets a project of its own. Unfinished projects built for a contract
        that has been cancelled are stopped."""
        p, month = self.params, self.ctx.month
        horizon = int(p["build_months"]) + int(p["plan_lead_months"])
        spare: dict[str, float] = {}  # GW built or being built for no live contract, by vendor
        for pr in self.fleet.projects:
            if pr.purpose != "speculative capacity" and (pr.contract is None or not pr.contract.active):
                spare[pr.vendor] = spare.get(pr.vendor, 0.0) + (pr.gw if pr.contract is None else pr.online_gw())
        built_for: dict = {}
        for pr in self.fleet.projects:
            if pr.contract is not None:
                built_for[pr.contract] = built_for.get(pr.contract, 0.0) + pr.gw
        for c in self.book.issued_by(self.aid, Contract.build_order):
            gw, vendor, start = c.build_order()
            if start > month + horizon:
                continue
            if p["channel_capex"] and self.ctx.payment_odds(c.holder) < p["capex_defer_odds"]:
                continue  # a customer who may not pay gets no new build until its odds recover
            need = gw - built_for.get(c, 0.0)
            take = min(max(need, 0.0), spare.get(vendor, 0.0))
            spare[vendor] = spare.get(vendor, 0.0) - take
            if need - take > 1e-6:
                self.start_project(need - take, vendor, purpose="contracted capacity", contract=c)
        if month > 0:
            for pr in [pr for pr in self.fleet.projects if pr.contract is not None and not pr.contract.active
                       and pr.online_gw() < pr.gw - 1e-9]:
                self.cancel_project(pr, f"{self.aid} cancels capacity no longer contracted")
            # a project left with nothing to build (its chip order cancelled before a GPU arrived,
            # e.g. when the vendor defaulted) is stopped like any other: its shell is written off
            for pr in [pr for pr in self.fleet.projects if pr.gw <= 1e-9 and not pr.shell_done]:
                self.cancel_project(pr, f"{self.aid} stops a project whose chip order was cancelled")
            self.fleet.projects = [pr for pr in self.fleet.projects if pr.gw > 1e-9]

    def online_gw_by_vendor(self, vendor: str) -> float:
        return sum(pr.online_gw() for pr in self.fleet.projects if pr.vendor == vendor)

    def can_finance(self, gw: float) -> bool:
        """Would lenders fund ``gw`` more GW? Leverage after borrowing the capex must stay within
        the limit of the median bond buyer."""
        p = self.params
        new_debt = max(0.0, gw * self.ctx.capex_per_gw() * (1.0 - self.gpu_equity_share()) - self.cash)
        limit = 0.5 * (p["bond_buyer_leverage_min"] + p["bond_buyer_leverage_max"])
        return (self.debt + new_debt) / max(self.market_cap, 1e-9) <= limit

    def gpu_equity_share(self) -> float:
        return 0.0

    def finance(self) -> None:
        """Issue bonds when cash would not cover the next months' capex and debt service."""
        p = self.params
        months = int(p["funding_horizon_months"])
        need = self.upcoming_capex(months) + self.ctx.debt_due(self.aid, months) + p["min_cash_cloud"]
        gap = need - self.cash
        if gap > p["min_bond_issue"]:
            raised = self.ctx.issue_debt(self, gap, int(p["bond_maturity_months"]))
            if raised < gap and self.public and not self.defaulted:
                self.issue_equity(gap - raised)
        elif -gap > 2.0 * need:  # far more cash than needed: redeem debt early
            self.ctx.redeem(self, -gap - need)

    def distressed(self) -> bool:
        """Behind on its bills, or rated CCC+ or worse."""
        p = self.params
        notch = self.ctx.rating(self.aid)
        return self.ctx.overdue(self.aid) > p["default_arrears_tolerance"] or (notch is not None and notch >= 17)

    def issue_equity(self, amount: float) -> None:
        """Raise ``amount`` $B in new equity when debt falls short. With ``channel_finite_capital``:
        from the equity desk's finite pool — an at-the-market programme (a placement in distress
        when behind on its bills or rated CCC+ or worse), then mandatory convertible preferred
        stock for what the shares could not raise; without it, new shares sold to outside
        investors at the market price, at most ``equity_issue_max`` of its market value a month.
        Either way no new shares are sold below ``equity_min_price`` $/share (the listing floor)."""
        if amount <= 0 or self.price < self.params["equity_min_price"]:
            return
        if self.params["channel_finite_capital"]:
            raised = self.ctx.issue_equity(self, amount, "rescue" if self.distressed() else "atm")
            if amount - raised > self.params["min_bond_issue"] * 0.5:
                self.ctx.issue_equity(self, amount - raised, "mandatory")
            return
        amount = min(amount, self.params["equity_issue_max"] * self.market_cap)
        if amount <= 0:
            return
        self.ledger.receive_external(self.aid, "other_shareholders", amount, "paid_in", "share issue")
        self.shares += amount / self.price
        self.add_flow("equity_raised", amount)
        self.ctx.order_flow(self.aid, -amount)
        self.ctx.record_event("share issue", self.aid, f"{amount:,.1f} $B of new shares at ${self.price:,.1f}", amount)

    def pay_dividend(self) -> None:
        if self.cash > self.dividend:
            self.ledger.pay_external(self.aid, "other_shareholders", self.dividend, "retained", "dividend")
            self.add_flow("dividend", self.dividend)
