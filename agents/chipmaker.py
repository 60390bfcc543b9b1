"""Chipmakers (NVIDIA-like ``chip_leader``, AMD-like ``chip_challenger``).

Each month a chipmaker produces up to its capacity (millions of GPUs), shares it among its order
book (pro rata to what each order awaits, the rest oldest first), is paid on delivery, pays its
cost of goods to suppliers and its operating costs, and resets its new-GPU price from the order
book: a long backlog (months of production already sold) raises the price, a short one lowers it.
It also sells to unmodelled buyers (``rest_of_market``), earns non-AI revenue, invests in
customers (staged equity, SPV equity) and returns surplus cash to shareholders by buying back shares.

**Rescues** (``consider_rescues``, a decision each month): a chipmaker holding a stake in a
customer whose unsold capacity it backstops (chip_leader and the neocloud) looks at that customer
when it is behind on its bills. Rescuing it costs the cash that clears its arrears; what the
chipmaker would lose if the customer failed is its stake at today's price and the margin on the
GPUs the customer still has to buy from it (orders not yet delivered and GPUs for contracted
capacity not yet online, at today's price and gross margin). It rescues when the loss avoided is
worth more than the cost net of what it gets back: first it buys the customer's idle capacity
under the backstop, at the backstop's price (worth the spot rent to it), then it buys new shares
at the market price for the rest. Each decision — rescue or not — is logged with its price.
The backstop is drawn only this way.

Prices of GPUs are in $B per million GPUs, i.e. $ thousand per GPU (system level, networking included).
"""

from __future__ import annotations

from ailoop.agents.base import Firm
from ailoop.model.contracts import ChipOrder, Contract, pay_or_owe


class Chipmaker(Firm):
    family = "chipmaker"
    public = True

    def __init__(self, model, aid: str, shares: float, price: float, *, gpu_price: float, capacity: float,
                 capacity_growth: float, gross_margin: float, opex: float, non_ai_revenue: float,
                 rest_of_market_demand: float, cash_target: float):
        super().__init__(model, aid, shares, price)
        self.gpu_price = gpu_price  # $B per million GPUs
        self.gpu_price_0 = gpu_price
        self.capacity = capacity  # millions of GPUs per month
        self.capacity_growth = capacity_growth  # per year
        self.gross_margin = gross_margin
        self.opex = opex  # $B per month
        self.non_ai_revenue = non_ai_revenue  # $B per month
        self.rest_of_market_demand = rest_of_market_demand  # $B per month of orders from unmodelled buyers
        self.cash_target = cash_target  # $B kept before buying back shares
        self.decides_from = 0  # model month from which it decides its letters of intent (history: the book's end)
        self.queue: list[ChipOrder] = []
        self._sums: dict[str, tuple] = {}  # (key, queue, sum) of the order book (_queue_sum)
        self.delivered_units = 0.0

    # ---------------------------------------------------------------- order book
    def backlog_units(self) -> float:
        """Million GPUs ordered and not yet delivered."""
        return self._queue_sum("units", lambda o: o.undelivered_units)

    def backlog_value(self) -> float:
        """$B of orders placed and not yet delivered (the chipmaker's order backlog)."""
        return self._queue_sum("value", lambda o: o.undelivered_value())

    def _queue_sum(self, what: str, term) -> float:
        """``term(order)`` summed over the queue, in queue order; kept until an order changes (any
        assignment to a chip order moves :meth:`ChipOrder.assignments`) or the queue does (an order
        added, or the queue replaced: the list kept here is compared by identity). Every buyer's
        capex forecast asks for the order book, order by order."""
        key = (ChipOrder.assignments(), len(self.queue))
        kept = self._sums.get(what)
        if kept is not None and kept[0] == key and kept[1] is self.queue:
            return kept[2]
        x = sum(term(o) for o in self.queue)
        self._sums[what] = (key, self.queue, x)
        return x

    def backlog_months(self) -> float:
        return self.backlog_units() / self.capacity if self.capacity > 0 else 0.0

    def demand_months(self) -> float:
        """Months of production the orders its buyers are taking delivery of would fill: the order
        book less the orders deferred this month (they keep their place but are not demand now)."""
        return self._live_months(lambda o: o.undelivered_units)

    def ready_months(self) -> float:
        """Months of production the orders that could ship this month would fill: what each live
        order would take now (:meth:`ChipOrder.due_units`: all it awaits, or, with deliveries timed
        to the shells, what its halls can house by then). An order for a hall not yet built is
        booked, scheduled demand, priced when it was placed; it presses on this month's price once
        its hall is nearly ready. Without timed deliveries this is :meth:`demand_months`."""
        ctx = self.ctx
        return self._live_months(lambda o: o.due_units(ctx))

    def _live_months(self, units) -> float:
        """``units(order)`` summed over the orders not deferred this month, in months of production."""
        if self.capacity <= 0:
            return 0.0
        month = self.ctx.month
        return sum(units(o) for o in self.queue if not o.deferred(month)) / self.capacity

    def backlog(self) -> float:
        return self.backlog_value()

    def drop_order(self, order: ChipOrder) -> None:
        """Take a cancelled order out of the queue."""
        self.queue = [q for q in self.queue if q is not order]

    def backlog_signal(self, exchange, odds: dict[str, float]) -> tuple[float, float]:
        """The order book plus the announced pipeline (weighted by ``pipeline_weight``), and the
        years over which they ship: the order book at today's production rate but over at least
        ``chip_backlog_horizon_months`` (a short order book adds its own value, not a year of
        production), the pipeline over about four years (assumption)."""
        b = self.backlog_value()
        yrs = max(self.backlog_months(), self.params["chip_backlog_horizon_months"]) / 12.0
        pipe = exchange.pipeline(self, odds) * self.params["pipeline_weight"]
        rate = b / yrs + pipe / 4.0
        return b + pipe, ((b + pipe) / rate if rate > 0 else 1.0)

    def opening_revenue(self) -> float:
        """Non-AI revenue plus a month of production at the opening GPU price, a year."""
        return 12.0 * (self.non_ai_revenue + self.capacity * self.gpu_price)

    def supply(self) -> None:
        """This month's supply: take the unmodelled buyers' orders, then produce and deliver."""
        self.take_outside_orders()
        self.produce_and_deliver()

    def take_outside_orders(self) -> None:
        """Unmodelled buyers order ``rest_of_market_demand`` $B of GPUs this month, scaled by
        their demand index."""
        dollars = self.rest_of_market_demand * self.ctx.demand_index("rest_of_market")
        if dollars > 0:
            self.queue.append(ChipOrder(holder="rest_of_market", issuer=self.aid, units=dollars / self.gpu_price,
                                        unit_price=self.gpu_price, placed_month=self.ctx.month))

    def produce_and_deliver(self) -> float:
        """Deliver this month's production to the order book. Returns units (million GPUs) delivered.

        A share ``chip_allocation_pro_rata`` of the month's production is allocated among the live
        orders (those their buyers have not deferred) in proportion to what each still awaits — how
        a vendor short of supply shares it among its customers, each getting part of its order
        every month; the rest, and whatever the pro-rata share leaves unused, goes to the oldest
        orders first (0: strict first-come delivery, a new buyer waits until the book ahead of it
        has shipped). What an order awaits this month is :meth:`ChipOrder.due_units`: all of it,
        or, with ``chip_delivery_to_shells``, what its project's shells can house by then (the rest
        keeps its place; production no order can take this month is not sold). Each order is
        delivered once a month, in queue order.

        Production capacity then grows at ``capacity_growth`` a year while the order backlog is
        longer than the target (fabs and packaging expand into demand, not ahead of it)."""
        month = self.ctx.month
        pro = self.params["chip_allocation_pro_rata"] * self.capacity
        alloc = self._pro_rata(pro, month) if pro > 0 else {}
        left = self.capacity - sum(alloc.values())
        ctx = self.ctx
        for o in self.queue:
            if o.deferred(month):  # the buyer asked to wait: production goes to the next orders
                continue
            got = alloc.get(id(o), 0.0)
            due = o.due_units(ctx)
            if got > due:  # the order shrank this month (a cancellation upstream)
                left += got - max(0.0, due)
                got = max(0.0, due)
            q = got
            if left > 1e-12:
                extra = min(left, due - got)
                if extra > 0:
                    q += extra
                    left -= extra
            if q <= 0:
                continue
            if o.holder == "rest_of_market":
                x = q * o.unit_price
                self.ledger.receive_external(self.aid, "rest_of_market", x, "retained", "GPU sales to other buyers")
                self.add_flow("revenue_ai", x)
                o.delivered_units += q
                if o.undelivered_units <= 1e-12:
                    o.active = False
            else:
                self.ctx.agent(o.holder).take_delivery(o, q)
        self.queue = [o for o in self.queue if o.active]
        delivered = self.capacity - left
        self.delivered_units += delivered
        if self.demand_months() > self.params["chip_backlog_target_months"]:  # expand only into demand
            self.capacity *= (1.0 + self.capacity_growth) ** (1.0 / 12.0)
        return delivered

    def _pro_rata(self, supply: float, month: int) -> dict[int, float]:
        """Million GPUs each live order (keyed by ``id``) gets of ``supply`` shared in proportion to
        what it takes this month (:meth:`ChipOrder.due_units`: all it awaits, or what its shells can
        house); every order is filled if the live book is no larger than ``supply``."""
        ctx = self.ctx
        due = [(o, o.due_units(ctx)) for o in self.queue if not o.deferred(month)]
        live = [(o, u) for o, u in due if u > 0]
        total = sum(u for _, u in live)
        if total <= 0:
            return {}
        if total <= supply:
            return {id(o): u for o, u in live}
        return {id(o): supply * u / total for o, u in live}

    def reprice(self) -> None:
        """New-GPU price from the order book: the orders that could ship now (:meth:`ready_months`)
        above target months of production raise it, below lower it; orders their buyers deferred
        this month and, with timed deliveries, GPUs for halls not yet built do not count (capacity
        still grows into the whole book: :meth:`demand_months`)."""
        p = self.params
        gap = self.ready_months() / p["chip_backlog_target_months"] - 1.0
        step = max(-p["chip_price_max_step"], min(p["chip_price_max_step"], p["chip_price_sensitivity"] * gap))
        floor = self.gpu_price_0 * (1.0 - self.gross_margin) * p["gpu_price_floor_markup"]  # never below cost + markup
        self.gpu_price = max(floor, self.gpu_price * (1.0 + step))

    # ---------------------------------------------------------------- operations
    def operate(self) -> None:
        """Non-AI revenue in, cost of goods and operating costs out."""
        self.ledger.receive_external(self.aid, "non_ai_business", self.non_ai_revenue, "retained", "non-AI revenue")
        self.add_flow("revenue_other", self.non_ai_revenue)
        revenue = self.flow.get("revenue_ai", 0.0) + self.non_ai_revenue
        cogs = (1.0 - self.gross_margin) * revenue
        pay_or_owe(self.ledger, self.book, self.aid, "suppliers", cogs, "retained", "retained", "cost of goods")
        self.add_flow("cogs", cogs)
        self.pay_opex(self.opex, "chipmaker operating costs")

    # ---------------------------------------------------------------- letters of intent
    def decide_intents(self) -> None:
        """Each letter of intent under which this chipmaker would invest: it signs the definitive
        contract once ``intent_wait_months`` have passed since the announcement (the time to
        negotiate it) if the counterparty's payment odds are at least ``intent_sign_odds`` and its
        cash covers a tranche; it lets it lapse if the odds fall below ``intent_lapse_odds`` or the
        date the parties gave themselves passes unsigned. Either way the decision is logged."""
        ctx, p = self.ctx, self.params
        if ctx.month < self.decides_from:  # the deal book decides until it ends (the history base)
            return
        for loi in self.book.held_by(self.aid, Contract.pending_definitive):
            deal = loi.pending_definitive()
            counterparty = ctx.agent_or_none(loi.issuer)
            odds = ctx.payment_odds(loi.issuer)
            if counterparty is None or counterparty.defaulted or odds < p["intent_lapse_odds"]:
                loi.lapse(ctx, f"{self.aid} lets it go: {loi.issuer}'s payment odds {odds:.0%} < "
                               f"{p['intent_lapse_odds']:.0%}")
            elif (ctx.month >= loi.signed_month + int(p["intent_wait_months"]) and odds >= p["intent_sign_odds"]
                  and self.cash >= getattr(deal, "per_gw", 0.0)):
                loi.sign(ctx)
            elif loi.expired(ctx.month):
                loi.lapse(ctx, f"{self.aid} lets it expire unsigned: {loi.issuer}'s payment odds {odds:.0%}")

    # ---------------------------------------------------------------- rescues
    def supplier_margin(self, d) -> float:
        """The margin on the GPUs ``d`` has still to buy from this chipmaker (a capacity owner)."""
        return self.expected_margin_from(d) if d.owns_capacity else 0.0

    def consider_rescues(self) -> None:
        """Decide, for each distressed customer this chipmaker holds a stake in and backstops,
        whether to rescue it (see the module docstring); log the decision and its price. Then, as
        any stakeholder, for the other firms behind on their bills (``Firm.consider_rescues``)."""
        self.rescue_backstopped()
        super().consider_rescues()

    def rescue_backstopped(self) -> None:
        """The backstop rescue (see the module docstring)."""
        ctx, p = self.ctx, self.params
        for b in self.book.held_by(self.aid, Contract.backstop_room):
            customer = ctx.agent_or_none(b.issuer)
            stake = self.book.stake(self.aid, b.issuer)
            if customer is None or customer.defaulted or stake is None or not customer.public or customer.price <= 0:
                continue
            need = ctx.overdue(customer.aid) - max(0.0, customer.cash)
            if need <= p["default_arrears_tolerance"]:
                continue
            stake_value = stake.shares * customer.price
            sales = self.expected_margin_from(customer)
            per_gw_month = b.price_per_gw_year / 12.0
            room = b.backstop_room(ctx.month)
            capacity = min(room, customer.free_gw * per_gw_month, need) if room > 0 else 0.0
            compute_value = capacity / per_gw_month * ctx.rent_per_gw_month() if capacity > 0 else 0.0
            cost = need - compute_value
            worth = stake_value + sales
            terms = (f"arrears {need:,.2f} $B; at stake: its shares {stake_value:,.2f} $B and the margin on GPUs it "
                     f"still buys {sales:,.2f} $B")
            if worth <= cost or self.cash < need:
                why = "not worth it" if worth <= cost else f"cash {self.cash:,.2f} $B short"
                ctx.record_event("rescue declined", self.aid, f"{customer.aid}: {terms}; {why}", need)
                continue
            if capacity > 1e-9:
                b.buy(self.ledger, capacity)
                customer.free_gw -= capacity / per_gw_month
                customer.add_flow("revenue_ai", capacity)
                self.add_flow("backstop_cost", capacity)
            equity = need - capacity
            price = customer.price
            if equity > 1e-9:
                ctx.invest_equity(self.aid, customer.aid, equity, price, retag="chipmaker_investment")
            customer.settle_arrears()
            ctx.record_event("rescue", self.aid,
                             f"{customer.aid}: {terms}; bought {capacity / per_gw_month:,.3f} GW of idle capacity "
                             f"for {capacity:,.2f} $B at ${b.price_per_gw_year:,.1f}B per GW-year and "
                             f"{equity:,.2f} $B of new shares at ${price:,.2f}", need)

    def expected_margin_from(self, customer) -> float:
        """$B of gross margin this chipmaker expects on GPUs ``customer`` has still to buy from it:
        its undelivered orders, and GPUs for its contracted capacity on this chipmaker's chips
        not yet built, at today's price."""
        orders = sum(o.undelivered_from(self.aid) for o in self.book.held_by(customer.aid, Contract.undelivered_from)
                     if o.issuer == self.aid)
        planned = sum(pr.gw for pr in customer.fleet.projects if pr.vendor == self.aid)
        builds = [c.build_order() for c in self.book.issued_by(customer.aid, Contract.build_order)]
        contracted = sum(gw for gw, vendor, _ in builds if vendor == self.aid)
        gpus = max(0.0, contracted - planned) * self.params["gpus_per_gw"] * self.gpu_price
        return (orders + gpus) * self.gross_margin
