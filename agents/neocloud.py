"""The neocloud (``neocloud``, CoreWeave-like).

Like the cloud provider it sells capacity under contracts and builds for them, but it funds the
GPUs with secured loans: when chips arrive it borrows ``neocloud_ltv_target`` of their cost.
With ``contract_backed_loans`` on (its filings), each loan is drawn against the named contract the
GPUs are delivered for (the project built for it) — a delayed-draw facility of
``contract_loan_advance`` of the contract's value, opened when the contract's first GPUs arrive,
priced by the customer's credit, secured by those GPUs and the contract's receivables and
amortising with it (``model/contracts/loans.py``); GPUs for no contract are financed by pooled GPU
loans. With it off, every GPU loan is pooled against the whole
fleet. Part-owned by chip_leader, which also backstops its unsold capacity.
"""

from __future__ import annotations

from ailoop.agents.cloud import CloudProvider
from ailoop.model.contracts import Contract


class Neocloud(CloudProvider):
    family = "neocloud"
    public = True

    def __init__(self, model, aid: str, shares: float, price: float, **kw):
        super().__init__(model, aid, shares, price, **kw)
        self.financed: dict = {}  # capacity contract -> million GPUs delivered for it and financed
        self.plan_annual = 0.0  # $B a year: its published capex guidance (0: none)
        self.plan_until = -1  # the last model month the guidance covers

    def gpu_ltv(self) -> float:
        return self.params["neocloud_ltv_target"]

    def borrow_against_gpus(self, order, units: float, amount: float) -> None:
        """Draw on the facility of the contract the GPUs are delivered for (the project's), opening
        the facility with its first GPUs; GPUs for no live contract, or beyond what its facility
        covers, are financed by a pooled GPU loan."""
        p, ctx = self.params, self.ctx
        c = getattr(order.project, "contract", None)
        if not p["contract_backed_loans"] or c is None or not c.active or c.holder not in self.ledger.index \
                or amount <= 0:
            return super().borrow_against_gpus(order, units, amount)
        loans = ctx.facility(self.aid, c)
        if not loans and c not in self.financed:
            loans = ctx.open_facility(self, c, p["contract_loan_advance"] * c.total_value)
        self.financed[c] = self.financed.get(c, 0.0) + units
        drawn = ctx.draw_facility(loans, amount, units) if loans else 0.0
        if amount - drawn > 1e-12:
            super().borrow_against_gpus(order, units * (1.0 - drawn / amount), amount - drawn)
        return None

    def plan_capacity(self) -> None:
        """Build for contracts, and — quarterly, while spot rents are above their reference, GPUs
        can be had without a long wait and lenders would fund it — add ``neocloud_spec_gw`` of
        speculative capacity to rent on the spot market, financed like the rest with GPU-backed
        loans (leverage built in the good times). The wait is read as the chipmaker's price reads
        it: the orders that could ship now, in months of its production
        (:meth:`Chipmaker.ready_months`); orders for halls not yet built are scheduled for later,
        not waiting for this month's production."""
        super().plan_capacity()
        self.build_to_guidance()
        ctx, p = self.ctx, self.params
        gw = p["neocloud_spec_gw"]
        lead = ctx.agent("chip_leader").ready_months()
        if (ctx.month % 3 == 0 and gw > 0 and ctx.rent > p["rent_ref"] and lead < p["chip_backlog_target_months"]
                and self.can_finance(gw) and not self.deferring):
            self.start_project(gw, "chip_leader", purpose="speculative capacity")
            ctx.record_event("speculative build", self.aid, f"{gw:.2f} GW for the spot market at "
                             f"${ctx.rent:.2f}/GPU-hour", gw)

    def build_to_guidance(self) -> None:
        """While its published capex guidance runs (``plan_annual`` $B a year through model month
        ``plan_until``; the history world's 2026 guidance), begin each month a twelfth of it less
        what this month's builds for contracts already commit (their shells and GPUs at the
        order's price): capacity built ahead of its contracts, for no customer yet, which later
        contracts are served from first (:meth:`CloudProvider.plan_capacity`). Nothing is begun
        while the capex review defers builds for no customer (utilisation, expected return) or
        when the GPU lenders would not fund it (:meth:`can_finance`)."""
        ctx = self.ctx
        if self.plan_annual <= 0.0 or ctx.month > self.plan_until or self.deferring:
            return
        begun = sum(pr.shell_cost + pr.units_needed * pr.order.unit_price for pr in self.fleet.projects
                    if pr.start_month == ctx.month and pr.contract is not None and pr.order is not None)
        gw = self.gw_for(self.plan_annual / 12.0 - begun)
        if gw > 1e-6 and self.can_finance(gw):
            self.start_project(gw, "chip_leader", purpose="guided capacity")
            ctx.record_event("guided build", self.aid, f"{gw:.2f} GW ahead of its contracts (capex guidance "
                             f"${self.plan_annual:,.1f}B a year)", gw)

    def gw_for(self, capex: float) -> float:
        """GW of chip_leader's GPUs that ``capex`` $B equips: leased shells not yet equipped first
        (GPUs only: the shell is its lessor's), then shells of its own (``capex_per_gw``)."""
        if capex <= 0.0:
            return 0.0
        gpus = self.params["gpus_per_gw"] * self.ctx.agent("chip_leader").gpu_price  # $B of GPUs per GW
        room = sum(lease.shell_room() for lease in self.book.held_by(self.aid, Contract.shell_room))
        leased = min(room, capex / gpus)
        return leased + (capex - leased * gpus) / self.ctx.capex_per_gw()

    def can_finance(self, gw: float) -> bool:
        """GPU lenders look at collateral, not the share price: debt after borrowing the capex must
        stay within ``neocloud_ltv_target`` of the book value of all its assets."""
        p = self.params
        new_debt = gw * self.ctx.capex_per_gw() * (1.0 - self.gpu_equity_share())
        assets = self.ledger.totals(self.aid)[0] + gw * self.ctx.capex_per_gw()
        return (self.debt + new_debt) <= p["neocloud_ltv_target"] * assets

    def gpu_equity_share(self) -> float:
        return 1.0 - self.params["neocloud_ltv_target"] * self.ctx.agent("chip_leader").gpu_price \
            * self.params["gpus_per_gw"] / self.ctx.capex_per_gw()

    def finance(self) -> None:
        """Bridge shortfalls for shells and debt service with further GPU-backed borrowing."""
        p = self.params
        months = int(p["funding_horizon_months"])
        shells = sum(pr.monthly_shell_payment() * months for pr in self.fleet.building())
        need = shells + self.ctx.debt_due(self.aid, months) + p["min_cash_neocloud"]
        gap = need - self.cash
        if gap > p["min_bond_issue"] * 0.2:
            raised = self.ctx.issue_debt(self, gap, int(p["bond_maturity_months"]))
            if raised < gap and not self.defaulted:
                self.issue_equity(gap - raised)

    def pay_dividend(self) -> None:  # growth firm: no dividend
        return None
