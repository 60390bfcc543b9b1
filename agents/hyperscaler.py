"""Hyperscalers (``hyper_1`` … ``hyper_4``: Microsoft/Alphabet/Amazon/Meta-like).

Large non-AI operating cash flow (the external hyperscaler-business sector) funds AI capex: each
month (``hyper_capex_interval_months``) a hyperscaler starts data-centre projects worth its capex budget, buying GPUs from the
chipmakers and, for the rest, from in-house silicon programmes (an external sector). It uses its
own capacity for its AI services (revenue from end users), sells capacity under contracts (hyper_1
to the lab), rents capacity from others (hyper_4 from the neocloud), holds strategic stakes, and
returns surplus cash to shareholders.
"""

from __future__ import annotations

from ailoop.agents.capacity_owner import CapacityOwner
from ailoop.model.contracts import Contract


class Hyperscaler(CapacityOwner):
    family = "hyperscaler"
    public = True

    def __init__(self, model, aid: str, shares: float, price: float, *, ocf: float, capex_annual: float,
                 vendor_shares: dict[str, float], own_demand_gw: float, cash_target: float):
        super().__init__(model, aid, shares, price)
        self.ocf = ocf  # $B per month of non-AI operating cash flow
        self.capex_annual = capex_annual  # $B per year of AI capex at the start
        self.vendor_shares = vendor_shares  # share of GPUs bought from each vendor (rest: custom silicon)
        self.own_demand_gw_0 = own_demand_gw  # GW its own AI services need at the start
        self.cash_target = cash_target
        self.last_invest_month = -1
        self.price_0 = price
        self.rented_used_gw = 0.0  # GW of capacity rented under contracts its own services use

    def own_demand_gw(self) -> float:
        return self.own_demand_gw_0 * self.ctx.demand_index(self.aid)

    def opening_revenue(self) -> float:
        """Non-AI operating cash flow and its own AI services at full use, a year."""
        return 12.0 * self.ocf + self.online_gw * self.params["hyper_ai_revenue_per_gw"]

    def earn(self) -> None:
        """Non-AI operating cash flow and revenue from its own AI services: on capacity it rents
        for them under contracts first (paid for anyway), then on its own idle capacity."""
        self.ledger.receive_external(self.aid, "hyperscaler_business", self.ocf, "retained", "non-AI operating cash flow")
        self.add_flow("revenue_other", self.ocf)
        demand = self.own_demand_gw()
        rented = self.book.total(self.book.held_by(self.aid, Contract.own_use_gw), Contract.own_use_gw)
        self.rented_used_gw = min(rented, demand) if rented > 0 else 0.0
        self.self_used_gw = min(self.free_gw, demand - self.rented_used_gw)
        self.free_gw -= self.self_used_gw
        x = (self.self_used_gw + self.rented_used_gw) * self.params["hyper_ai_revenue_per_gw"] / 12.0
        self.ledger.receive_external(self.aid, "end_users", x, "retained", "own AI services")
        self.add_flow("revenue_ai", x)

    def revenue_per_gw_year(self) -> float:
        """A new GW earns its own AI services' revenue, or the spot rent if that is more."""
        return max(self.params["hyper_ai_revenue_per_gw"], super().revenue_per_gw_year())

    def utilisation(self) -> float:
        online = self.online_gw
        return (online - self.free_gw - self.spot_gw) / online if online > 0 else 1.0

    def invest(self) -> None:
        """Every ``hyper_capex_interval_months``: start projects worth that many months of the
        capex budget, split by chip vendor.

        The budget grows at ``hyper_capex_growth`` a year and is scaled by how busy the owner's
        capacity is (utilisation over ``target_utilisation``, kept within ``capex_utilisation_floor``
        and ``capex_utilisation_cap``: idle capacity cuts the budget, full capacity raises it) and by
        the share price relative to the start, to the power ``capex_price_elasticity``, at most
        ``capex_price_cap`` (boards approve more capex when the market rewards it, within limits).
        """
        ctx, p = self.ctx, self.params
        every = int(p["hyper_capex_interval_months"])
        if ctx.month % every != 0 or self.last_invest_month == ctx.month:
            return
        if self.deferring:  # the capex review defers new builds (channel_capex)
            return
        self.last_invest_month = ctx.month
        util = self.utilisation()
        scale = min(p["capex_utilisation_cap"], max(p["capex_utilisation_floor"], util / p["target_utilisation"]))
        # the board follows the share price, up to a cap
        board = min(p["capex_price_cap"], (self.price / self.price_0) ** p["capex_price_elasticity"])
        budget = (self.capex_annual * (1.0 + p["hyper_capex_growth"]) ** (ctx.month / 12.0) * scale * board
                  * every / 12.0)
        budget = min(budget, max(0.0, self.cash + every * self.ocf - self.cash_target * 0.25))
        gw = budget / ctx.capex_per_gw()
        if gw <= 1e-6:
            return
        for vendor, share in self.vendor_shares.items():
            if share > 0:
                self.start_project(gw * share, vendor, purpose="own AI capacity")
        custom = 1.0 - sum(self.vendor_shares.values())
        if custom > 1e-9:
            self.start_project(gw * custom, "custom_silicon", purpose="own AI capacity")

    def open_pipeline(self, months: int) -> None:
        """Builds under way at the opening: a month of its opening capex budget begun in each of
        the last ``months`` months (at most ``build_months`` - 1: older ones are finished), split
        by chip vendor as it buys, each shell built on schedule so far (an owner that had been
        building at its 2025 rate; assumption)."""
        p, ctx = self.params, self.ctx
        gw = self.capex_annual / 12.0 / ctx.capex_per_gw()
        custom = 1.0 - sum(self.vendor_shares.values())
        split = [(v, s) for v, s in self.vendor_shares.items() if s > 0]
        if custom > 1e-9:
            split.append(("custom_silicon", custom))
        for age in range(min(int(months), int(p["build_months"]) - 1), 0, -1):  # oldest first
            for vendor, share in split:
                self.open_project(gw * share, vendor, "own AI capacity", age)

    def finance(self) -> None:
        """Borrow when cash falls below a fifth of its target (capex running ahead of cash flow)."""
        p = self.params
        gap = 0.2 * self.cash_target - self.cash
        if gap > p["min_bond_issue"]:
            self.ctx.issue_debt(self, gap, int(p["bond_maturity_months"]))
