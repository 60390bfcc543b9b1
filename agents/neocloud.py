"""The neocloud (``neocloud``, CoreWeave-like).

Like the cloud provider it sells capacity under contracts and builds for them, but it funds the
GPUs with GPU-collateralised loans: when chips arrive it borrows ``neocloud_ltv_target`` of their
cost against them, at a high rate. Part-owned by chip_leader, which also backstops its unsold
capacity.
"""

from __future__ import annotations

from ailoop.agents.cloud import CloudProvider


class Neocloud(CloudProvider):
    family = "neocloud"
    public = True

    def gpu_ltv(self) -> float:
        return self.params["neocloud_ltv_target"]

    def plan_capacity(self) -> None:
        """Build for contracts, and — quarterly, while spot rents are above their reference, GPUs
        can be had without a long wait and lenders would fund it — add ``neocloud_spec_gw`` of
        speculative capacity to rent on the spot market, financed like the rest with GPU-backed
        loans (leverage built in the good times)."""
        super().plan_capacity()
        economy, p = self.economy, self.params
        gw = p["neocloud_spec_gw"]
        lead = economy.agent("chip_leader").backlog_months()
        if (economy.month % 3 == 0 and gw > 0 and economy.gpu_market.rent > p["rent_ref"] and lead < p["chip_backlog_target_months"]
                and self.can_finance(gw)):
            self.start_project(gw, "chip_leader", purpose="speculative capacity")
            economy.record_event("speculative build", self.aid, f"{gw:.2f} GW for the spot market at "
                             f"${economy.gpu_market.rent:.2f}/GPU-hour", gw)

    def can_finance(self, gw: float) -> bool:
        """GPU lenders look at collateral, not the share price: debt after borrowing the capex must
        stay within ``neocloud_ltv_target`` of the book value of all its assets."""
        economy, p = self.economy, self.params
        new_debt = gw * economy.gpu_market.capex_per_gw() * (1.0 - self.gpu_equity_share())
        assets = self.ledger.totals(self.aid)[0] + gw * economy.gpu_market.capex_per_gw()
        return (self.debt + new_debt) <= p["neocloud_ltv_target"] * assets

    def gpu_equity_share(self) -> float:
        return 1.0 - self.params["neocloud_ltv_target"] * self.economy.agent("chip_leader").gpu_price \
            * self.params["gpus_per_gw"] / self.economy.gpu_market.capex_per_gw()

    def finance(self) -> None:
        """Bridge shortfalls for shells and debt service with further GPU-backed borrowing."""
        p = self.params
        months = int(p["funding_horizon_months"])
        shells = sum(pr.monthly_shell_payment() * months for pr in self.fleet.projects if not pr.shell_done)
        need = shells + self.economy.credit.debt_due(self.aid, months) + p["min_cash_neocloud"]
        gap = need - self.cash
        if gap > p["min_bond_issue"] * 0.2:
            raised = self.economy.credit.issue(self, gap, int(p["bond_maturity_months"]))
            if raised < gap and not self.defaulted:
                self.issue_equity(min(gap - raised, p["equity_issue_max"] * self.market_cap))

    def pay_dividend(self) -> None:  # growth firm: no dividend
        return None
