"""The neocloud (``neocloud``, CoreWeave-like).

Like the cloud provider it sells capacity under contracts and builds for them, but it funds the
GPUs with GPU-collateralised loans: when chips arrive it borrows ``neocloud_ltv_target`` of their
cost against them, at a high rate. Part-owned by chip_leader, which also backstops its unsold
capacity.
"""

from __future__ import annotations

from agents.cloud import CloudProvider


class Neocloud(CloudProvider):
    family = "neocloud"
    public = True

    def gpu_ltv(self) -> float:
        return self.params["neocloud_ltv_target"]

    def finance(self) -> None:
        """Bridge shortfalls for shells and debt service with further GPU-backed borrowing."""
        p = self.params
        months = int(p["funding_horizon_months"])
        shells = sum(pr.monthly_shell_payment() * months for pr in self.fleet.projects if not pr.shell_done)
        need = shells + self.model.credit.debt_due(self.aid, months) + p["min_cash_neocloud"]
        gap = need - self.cash
        if gap > p["min_bond_issue"] * 0.2:
            self.model.credit.issue(self, gap, int(p["bond_maturity_months"]))

    def pay_dividend(self) -> None:  # growth firm: no dividend
        return None
