"""Owners of data-centre capacity (cloud, neocloud, hyperscalers, the GPU SPV).

They build projects (shell capex paid to the construction sector, GPUs ordered from a
chipmaker), bring capacity online, allocate it to the capacity contracts they have sold, and bill
the buyers each month. Units: GW, millions of GPUs, $B, months.
"""

from __future__ import annotations

from ailoop.agents.base import Firm
from ailoop.model.capacity import Fleet, Project
from ailoop.model.contracts import ChipOrder, Contract, bill, pay_or_owe
from ailoop.model.contracts.settlement import terms


class CapacityOwner(Firm):
    """A firm with a :class:`~model.capacity.Fleet` that sells or uses compute capacity."""

    owns_capacity = True

    def __init__(self, model, aid: str, shares: float, price: float):
        super().__init__(model, aid, shares, price)
        self.fleet = Fleet(aid)
        self.free_gw = 0.0  # online GW not allocated to any contract this month
        self.self_used_gw = 0.0  # GW the owner uses itself (hyperscalers' own AI services)
        self.spot_gw = 0.0  # GW rented out on the spot market this month
        self.return_0: float | None = None  # expected excess return on a new GW at the first capex review
        self.deferring = False  # this month's capex review defers discretionary builds
        self.guided_until = 0  # model month until which published capex guidance stands against the return rule

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
        built for one); places the chip order. Shells this owner leases and has not yet equipped
        (``Contract.shell_room``) are used first, oldest lease first: a project per lease, with no
        shell of its own, online as the lessor hands the shell over; the rest gets a shell of its
        own. Returns the first project."""
        leases = self.book.held_by(self.aid, Contract.shell_room)
        if not leases:
            return self._new_project(gw, vendor, purpose, prepay_share, contract, None)
        first, left = None, gw
        for lease in leases:
            x = min(left, lease.shell_room())
            if x <= 1e-9:
                continue
            pr = self._new_project(x, vendor, purpose, prepay_share, contract, lease)
            first = first or pr
            left -= x
            if left <= 1e-9:
                break
        if left > 1e-9 or first is None:
            pr = self._new_project(left, vendor, purpose, prepay_share, contract, None)
            first = first or pr
        return first

    def _new_project(self, gw: float, vendor: str, purpose: str, prepay_share: float | None, contract,
                     lease) -> Project:
        p = self.params
        month = self.ctx.month
        units = gw * p["gpus_per_gw"]
        shell_cost = gw * p["shell_capex_per_gw"] if lease is None else 0.0
        proj = Project(self.aid, gw, month, int(p["build_months"]), shell_cost, units, vendor, purpose=purpose,
                       contract=contract, tranche_gw=p["shell_tranche_gw"],
                       first_months=int(p["shell_first_tranche_months"]))
        if lease is not None:
            lease.assign_shell(proj, gw)
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
            self._queue_order(chip, proj, order)
        elif units > 0:  # in-house silicon from an unmodelled vendor: bought and installed at once
            cost = units * self.ctx.custom_silicon_price()
            pay_or_owe(self.ledger, self.book, self.aid, vendor, cost, "gpus", "retained", "custom silicon")
            self.fleet.install(self.ledger, proj, units, cost, month, int(p["gpu_life_months"]))
            self.add_flow("capex_chips", cost)
        return proj

    def _queue_order(self, chip, proj: Project, order: ChipOrder) -> None:
        """Book ``order`` (equipping ``proj``) and put it at the end of ``chip``'s order book."""
        self.book.add(order)
        chip.queue.append(order)
        proj.order = order

    def open_pipeline(self, months: int) -> None:
        """Builds under way at the opening (``opening_pipeline_months``): none for an owner that
        builds only for its contracts (it plans them in its first month)."""

    def open_project(self, gw: float, vendor: str, purpose: str, age: int) -> Project:
        """A project begun ``age`` months before the opening, its shell built on schedule so far
        (construction in progress, against paid-in capital) and its GPUs on order: in the
        chipmaker's order book (placed then, at today's price, nothing prepaid: assumption), or,
        in-house silicon, bought then (opened at today's price, against paid-in capital)."""
        p, ctx = self.params, self.ctx
        build = int(p["build_months"])
        units = gw * p["gpus_per_gw"]
        shell_cost = gw * p["shell_capex_per_gw"]
        proj = Project(self.aid, gw, -age, build, shell_cost, units, vendor, purpose=purpose,
                       tranche_gw=p["shell_tranche_gw"], first_months=int(p["shell_first_tranche_months"]))
        proj.shell_spent = shell_cost * min(age, build - 1) / build
        self.fleet.projects.append(proj)
        if proj.shell_spent > 0:
            self.ledger.open_position(self.aid, "construction", proj.shell_spent)
        if units <= 0:
            return proj
        if vendor in ctx.chipmaker_ids:
            chip = ctx.agent(vendor)
            self._queue_order(chip, proj, ChipOrder(holder=self.aid, issuer=vendor, units=units,
                                                    unit_price=chip.gpu_price, placed_month=-age, project=proj))
        else:
            cost = units * ctx.custom_silicon_price()
            self.ledger.open_position(self.aid, "gpus", cost)
            self.fleet.install(self.ledger, proj, units, cost, -age, int(p["gpu_life_months"]))
        return proj

    def upcoming_capex(self, months: int) -> float:
        """$B of shell payments and chip deliveries this owner expects over the next ``months``, and
        the rent of the data-centre shells it leases (``Contract.lease_commitment``): what it
        must pre-fund."""
        shells = sum(min(p.shell_cost - p.shell_spent, months * p.monthly_shell_payment())
                     for p in self.fleet.building())
        chips = self.book.total(self.book.held_by(self.aid, Contract.capex_ahead),
                                lambda c: c.capex_ahead(self.ctx, months))
        leases = self.book.held_by(self.aid, Contract.lease_commitment)
        if not leases:
            return shells + chips
        m = self.ctx.month
        return shells + chips + self.book.total(leases, lambda c: c.payments_ahead(m, months))

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
        bill(self.ledger, self.book, self.aid, order.issuer, cost - applied, "gpus", "retained", "GPU purchase",
             self.ctx.month, terms(self.ctx, "terms_chips_months"), ref=order)
        order.delivered_units += units
        if order.undelivered_units <= 1e-12:
            order.active = False
        self.fleet.install(self.ledger, order.project, units, cost, self.ctx.month, int(self.params["gpu_life_months"]))
        self.add_flow("capex_chips", cost)
        self.ctx.agent(order.issuer).add_flow("revenue_ai", cost)

    def cancel_project(self, pr, reason: str) -> None:
        """Stop the unfinished part of project ``pr``: its undelivered chip order is cancelled (the
        vendor keeps the prepayment); finished phases with their GPUs stay in service (their shell
        becomes plant), the rest of the shell spending is written off."""
        if pr.order is not None and pr.order.active:
            self.ctx.cancel_chip_order(pr.order, reason)
        online = pr.online_gw()
        if not pr.shell_done:
            spent = pr.shell_spent
            keep = spent * online / pr.gw if pr.gw > 0 else 0.0
            if keep > 0:
                self.ledger.post([(self.aid, "dc_plant", keep), (self.aid, "construction", -keep)], "shell complete")
                self.fleet.plant_book += keep
            if spent - keep > 0:
                self.ledger.post([(self.aid, "construction", -(spent - keep)), (self.aid, "retained", spent - keep)],
                                 "abandoned construction written off")
            pr.shell_spent = pr.shell_cost = 0.0
        pr.gw = online
        pr.units_needed = pr.units_installed

    # ---------------------------------------------------------------- capex that answers to returns
    def utilisation_now(self) -> float:
        """Share of the online GW that earns this month (delivered under contracts, used by the
        owner, rented on the spot market): 1 with nothing online."""
        online = self.online_gw
        return (online - self.free_gw) / online if online > 1e-12 else 1.0

    def revenue_per_gw_year(self) -> float:
        """$B a year a new GW would earn fully used: rented on the spot market."""
        return 12.0 * self.ctx.rent_per_gw_month()

    def expected_excess_return(self, utilisation: float) -> float:
        """Yearly return a new GW is expected to earn over its cost of capital: revenue at
        ``utilisation`` less power and operations, over the all-in capex per GW, less depreciation
        over ``gpu_life_months`` and less ``Context.cost_of_capital``."""
        p, ctx = self.params, self.ctx
        capex = ctx.capex_per_gw()
        earned = (self.revenue_per_gw_year() * utilisation - 12.0 * p["capacity_opex_per_gw_month"]) / capex
        return earned - 12.0 / p["gpu_life_months"] - ctx.cost_of_capital(self)

    def customer_of(self, pr) -> str | None:
        """Who project ``pr`` is built for: its contract's holder, the lessee of a lease built on it
        (:meth:`Contract.built_on`: a developer's site), or None (own use, spot capacity)."""
        if pr.contract is not None:
            return pr.contract.holder
        for c in self.book.issued_by(self.aid, Contract.built_on):
            if c.built_on(pr):
                return c.holder
        return None

    def _own_build_rule(self, u: float) -> tuple[bool, bool, str]:
        """(cancel, defer, why) for the builds for no customer at utilisation ``u``: utilisation and
        the expected excess return's fall since the first review (not while guidance stands)."""
        p = self.params
        excess = self.expected_excess_return(u)
        guided = self.ctx.month < self.guided_until  # the published plan stands against the return rule
        if self.return_0 is None and not guided:
            self.return_0 = excess
        fall = 0.0 if guided else self.return_0 - excess
        tol = p["capex_return_tolerance"]
        cancel = u < p["capex_cancel_utilisation"] or fall > 2.0 * tol
        defer = cancel or u < p["capex_defer_utilisation"] or fall > tol
        why = (f"utilisation {u:.0%} (its capex guidance stands)" if guided else
               f"utilisation {u:.0%}, expected excess return {excess:+.1%} ({-fall:+.1%} since planned)")
        return cancel, defer, why

    def _customer_rule(self, customer: str, odds_of: dict[str, float]) -> tuple[bool, bool, str]:
        """(cancel, defer, why) for a build for ``customer``: its payment odds against
        ``capex_cancel_odds`` and ``capex_defer_odds`` (``odds_of``: the odds this review has asked
        for, kept until the review changes anything)."""
        p = self.params
        odds = odds_of.get(customer)
        if odds is None:
            odds = odds_of[customer] = self.ctx.payment_odds(customer)
        return odds < p["capex_cancel_odds"], odds < p["capex_defer_odds"], f"{customer}'s payment odds {odds:.0%}"

    def review_capex(self) -> None:
        """Monthly, with ``channel_capex``: orders and builds answer to returns.

        Capacity built for no customer's contract (own use, spot capacity) is deferred — its
        undelivered chip orders wait a month (they keep their place in the chipmaker's queue, at no
        cost under the order's terms) and its shells are not paid — when utilisation is below
        ``capex_defer_utilisation`` or the expected excess return on a new GW has fallen by more
        than ``capex_return_tolerance`` since the first review; it is cancelled (the undelivered
        order cancelled, the vendor keeping the prepayment; the unfinished shell written off)
        when utilisation is below ``capex_cancel_utilisation`` or the return has fallen by twice
        the tolerance (a developer's site leased to a tenant is built for that customer:
        :meth:`customer_of`). Before ``guided_until`` (a model month; the history world's book end with
        ``history_capex_guidance_holds``) the owner's published capex guidance stands against the
        return rule: only utilisation defers or cancels, and the first review is the one at that
        month. Capacity built for a customer's contract is deferred when that customer's
        payment odds fall below ``capex_defer_odds`` and cancelled below ``capex_cancel_odds``."""
        p, ctx = self.params, self.ctx
        if not p["channel_capex"]:
            return
        month = ctx.month
        u = self.utilisation_now()
        cancel, self.deferring, own_why = self._own_build_rule(u)
        deferred = cancelled = 0.0
        stopped = []
        odds_of: dict[str, float] = {}  # each customer's payment odds, until this review changes anything
        for pr in list(self.fleet.projects):
            if pr.online_gw() >= pr.gw - 1e-9 or pr.purpose == "opening":
                if pr.paused:
                    odds_of.clear()
                    pr.paused = False
                continue
            customer = self.customer_of(pr)
            if customer is not None:
                stop, wait, why = self._customer_rule(customer, odds_of)
            else:
                stop, wait, why = cancel, self.deferring, own_why
            if stop:
                odds_of.clear()
                cancelled += pr.gw - pr.online_gw()
                self.cancel_project(pr, f"{self.aid} cancels the build: {why}")
                stopped.append(pr)
            elif wait:
                odds_of.clear()
                deferred += pr.gw - pr.online_gw()
                pr.paused = True
                if pr.order is not None and pr.order.active:  # nothing shipped next month (this is its end)
                    pr.order.deferred_until = month + 2
            elif pr.paused:
                odds_of.clear()
                pr.paused = False
        if stopped:  # a cancelled build with nothing online leaves the fleet (its shell written off)
            gone = {id(pr) for pr in stopped if pr.gw <= 1e-9}
            self.fleet.projects = [pr for pr in self.fleet.projects if id(pr) not in gone]
            ctx.record_event("capex cancelled", self.aid, f"{cancelled:,.2f} GW of unfinished capacity", cancelled)
        if deferred > 0:
            ctx.record_event("capex deferred", self.aid, f"{deferred:,.2f} GW of unfinished capacity waits a month "
                             f"(utilisation {u:.0%})", deferred)

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
