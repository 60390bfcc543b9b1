"""The cloud provider (``cloud``, Oracle-like).

It books capacity contracts into its backlog (RPO), builds data centres for them with a lag,
buys the GPUs from the contract's chip vendor, funds capex from cash, non-AI business income and
bond issues, recognises revenue as capacity is delivered and paid for, and rents idle capacity on
the spot market.
"""

from __future__ import annotations

from agents.capacity_owner import CapacityOwner


class CloudProvider(CapacityOwner):
    family = "cloud"
    public = True

    def __init__(self, model, aid: str, shares: float, price: float, *, non_ai_income: float,
                 non_ai_costs: float, dividend: float):
        super().__init__(model, aid, shares, price)
        self.non_ai_income = non_ai_income  # $B per month
        self.non_ai_costs = non_ai_costs  # $B per month
        self.dividend = dividend  # $B per month

    def earn(self) -> None:
        self.ledger.receive_external(self.aid, "non_ai_business", self.non_ai_income, "retained", "non-AI business")
        self.add_flow("revenue_other", self.non_ai_income)
        self.pay_opex(self.non_ai_costs, "non-AI business costs")

    def plan_capacity(self) -> None:
        """Start projects so that GW planned per chip vendor covers the contracts starting soon."""
        p = self.params
        horizon = int(p["build_months"]) + int(p["plan_lead_months"])
        need: dict[str, float] = {}
        for c in self.contracts_sold():
            if c.start_month <= self.model.month + horizon:
                need[c.chip_vendor] = need.get(c.chip_vendor, 0.0) + c.gw
        for vendor, gw in sorted(need.items()):
            have = sum(pr.gw for pr in self.fleet.projects if pr.vendor == vendor)
            if gw - have > 1e-6:
                self.start_project(gw - have, vendor, purpose="contracted capacity")

    def finance(self) -> None:
        """Issue bonds when cash would not cover the next months' capex and debt service."""
        p = self.params
        months = int(p["funding_horizon_months"])
        need = self.upcoming_capex(months) + self.model.credit.debt_due(self.aid, months) + p["min_cash_cloud"]
        gap = need - self.cash
        if gap > p["min_bond_issue"]:
            self.model.credit.issue(self, gap, int(p["bond_maturity_months"]))
        elif -gap > 2.0 * need:  # far more cash than needed: redeem debt early
            self.model.credit.redeem(self, -gap - need)

    def pay_dividend(self) -> None:
        if self.cash > self.dividend:
            self.ledger.pay_external(self.aid, "other_shareholders", self.dividend, "retained", "dividend")
            self.add_flow("dividend", self.dividend)
