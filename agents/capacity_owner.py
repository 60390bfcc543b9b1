"""Owners of data-centre capacity (cloud, neocloud, hyperscalers, the GPU SPV).

They build projects (shell capex paid to the construction sector, GPUs ordered from a
chipmaker), bring capacity online, allocate it to the capacity contracts they have sold, and bill
the buyers each month. Units: GW, millions of GPUs, $B, months.
"""

from __future__ import annotations

from ailoop.agents.base import Firm
from ailoop.model.capacity import Fleet, Project
from ailoop.model.contracts import ChipOrder, Contract, pay_or_owe


class CapacityOwner(Firm):
    """A firm with a :class:`~model.capacity.Fleet` that sells or uses compute capacity."""

    owns_capacity = True

    def __init__(self, model, aid: str, shares: float, price: float):
        super().__init__(model, aid, shares, price)
        self.fleet = Fleet(aid)
        self.free_gw = 0.0  # online GW not allocated to any contract this month
        self.self_used_gw = 0.0  # GW the owner uses itself (hyperscalers' own AI services)
        self.spot_gw = 0.0  # GW rented out on the spot market this month

    # ---------------------------------------------------------------- capacity
    @property
    def online_gw(self) -> float:
        return self.fleet.online_gw()

    def contracts_sold(self) -> list[Contract]:
        """The contracts under which this owner delivers capacity (those it allocates GW to)."""
        return self.book.issued_by(self.aid, Contract.gw_due)

    def backlog(self) -> float:
        """Remaining performance obligations (RPO): contracted revenue not yet recognised, $B."""
        return self.book.total(self.book.issued_by(self.aid, Contract.backlog), Contract.backlog)

    def capacity_gw(self) -> float:
        return self.online_gw

    def backlog_signal(self, exchange, odds: dict[str, float]) -> tuple[float, float]:
        """Capacity sold and not yet delivering: revenue still promised, at the odds the market
        gives each buyer's paying, and the years over which it will be earned."""
        b = rate = 0.0
        for c in self.book.issued_by(self.aid, Contract.market_backlog):
            promised, years = c.market_backlog(odds)
            b += promised
            rate += promised / years
        return b, (b / rate if rate > 0 else 1.0)

    def allocate(self) -> None:
        """Assign online GW to contracts from their start month: first what the projects built
        for each contract deliver, then the rest of the online capacity to the contracts still
        short, oldest first; what is left is free."""
        month = self.ctx.month
        sold = self.contracts_sold()
        due = [(c, c.gw_due(month)) for c in sold]
        due = [(c, gw) for c, gw in due if gw > 0]
        dedicated: dict = {}
        for pr in self.fleet.projects:
            if pr.contract is not None:
                dedicated[pr.contract] = dedicated.get(pr.contract, 0.0) + pr.online_gw()
        left = self.online_gw
        for c in sold:
            c.deliver(0.0)
        given: dict = {}
        for c, gw in due:
            give = min(gw, dedicated.get(c, 0.0), left)
            given[c] = give
            left -= give
        for c, gw in due:
            give = min(gw - given[c], left)
            given[c] += give
            left -= give
        for c, gw in due:
            c.deliver(given[c])
        self.free_gw = max(0.0, left)

    def construct(self) -> None:
        """This month's construction: pay the shells, then allocate the capacity online."""
        self.build_shells()
        self.allocate()

    def close_fleet(self) -> None:
        """The owner is liquidated: no projects, GPUs or plant remain, nothing to rent out."""
        self.fleet.write_off_all()
        self.free_gw = self.spot_gw = self.self_used_gw = 0.0

    def start_project(self, gw: float, vendor: str, purpose: str = "", prepay_share: float | None = None,
                      contract=None) -> Project:
        """Start building ``gw`` GW equipped with ``vendor``'s GPUs (for ``contract``, if it is
        built for one); places the chip order."""
        p = self.params
        month = self.ctx.month
        units = gw * p["gpus_per_gw"]
        shell_cost = gw * p["shell_capex_per_gw"]
        proj = Project(self.aid, gw, month, int(p["build_months"]), shell_cost, units, vendor, purpose=purpose,
                       contract=contract, tranche_gw=p["shell_tranche_gw"],
                       first_months=int(p["shell_first_tranche_months"]))
        self.fleet.projects.append(proj)
        if units > 0 and vendor in self.ctx.chipmaker_ids:
            chip = self.ctx.agent(vendor)
            order = ChipOrder(holder=self.aid, issuer=vendor, units=units, unit_price=chip.gpu_price,
                              placed_month=month, project=proj)
            share = p["chip_prepay_share"] if prepay_share is None else prepay_share
            pre = min(share * units * chip.gpu_price, max(0.0, self.cash))
            if pre > 0:
                self.ledger.transfer(self.aid, vendor, pre, "prepaid", "deferred_revenue", "chip prepayment", ref=order)
                order.prepaid = pre
            self.book.add(order)
            chip.queue.append(order)
            proj.order = order
        elif units > 0:  # in-house silicon from an unmodelled vendor: bought and installed at once
            cost = units * self.ctx.custom_silicon_price()
            pay_or_owe(self.ledger, self.book, self.aid, vendor, cost, "gpus", "retained", "custom silicon")
            self.fleet.install(self.ledger, proj, units, cost, month, int(p["gpu_life_months"]))
            self.add_flow("capex_chips", cost)
        return proj

    def upcoming_capex(self, months: int) -> float:
        """$B of shell payments and chip deliveries this owner expects over the next ``months``."""
        shells = sum(min(p.shell_cost - p.shell_spent, months * p.monthly_shell_payment())
                     for p in self.fleet.building())
        chips = self.book.total(self.book.held_by(self.aid, Contract.capex_ahead),
                                lambda c: c.capex_ahead(self.ctx, months))
        return shells + chips

    def gpu_ltv(self) -> float:
        """Share of delivered GPUs' cost this owner borrows against them (0: pays from cash)."""
        return 0.0

    def borrow_against_gpus(self, order: ChipOrder, units: float, amount: float) -> None:
        """Borrow ``amount`` $B against ``units`` million GPUs just delivered on ``order``: a
        GPU-backed loan pooled with the owner's others against its whole fleet."""
        self.ctx.issue_debt(self, amount, int(self.params["gpu_loan_months"]), collateral_units=units)

    def take_delivery(self, order: ChipOrder, units: float) -> None:
        """GPUs arrive: borrow against them if this owner does, apply the prepayment pro rata,
        pay the rest (or owe it), install them."""
        cost = units * order.unit_price
        loan = self.gpu_ltv() * cost
        if loan > 0:  # the GPU-backed loan is drawn first, so the GPUs are paid with borrowed money
            self.borrow_against_gpus(order, units, loan)
        share = units / order.undelivered_units if order.undelivered_units > 0 else 1.0
        applied = order.prepaid * min(1.0, share)
        if applied > 0:
            order.prepaid -= applied
            self.ledger.post([(self.aid, "gpus", applied), (self.aid, "prepaid", -applied)], "prepaid chips delivered")
            self.ledger.post([(order.issuer, "deferred_revenue", applied), (order.issuer, "retained", -applied)],
                             "chip revenue from prepayment")
        pay_or_owe(self.ledger, self.book, self.aid, order.issuer, cost - applied, "gpus", "retained", "GPU purchase",
                   ref=order)
        order.delivered_units += units
        if order.undelivered_units <= 1e-12:
            order.active = False
        self.fleet.install(self.ledger, order.project, units, cost, self.ctx.month, int(self.params["gpu_life_months"]))
        self.add_flow("capex_chips", cost)
        self.ctx.agent(order.issuer).add_flow("revenue_ai", cost)

    # ---------------------------------------------------------------- selling and running capacity
    def sell_spot(self, gw: float) -> None:
        """Rent ``gw`` GW of idle capacity to unmodelled buyers at the spot rental rate."""
        gw = min(self.free_gw, gw)
        self.spot_gw = gw
        self.free_gw -= gw
        if gw <= 0:
            return
        x = gw * self.ctx.rent_per_gw_month()
        self.ledger.receive_external(self.aid, "rest_of_market", x, "retained", "spot rental")
        self.add_flow("revenue_ai", x)

    def pay_capacity_opex(self) -> None:
        """Power and operations of online capacity, paid to the operating-cost sector."""
        x = self.online_gw * self.params["capacity_opex_per_gw_month"]
        self.pay_opex(x, "capacity operations")

    def build_shells(self) -> None:
        self.add_flow("capex_shell", self.fleet.pay_shells(self.ledger, max(0.0, self.cash)))

    def depreciate(self) -> None:
        self.add_flow("depreciation", self.fleet.depreciate(self.ledger))
