"""Common base of the economy's Mesa agents: a stable string id and a balance sheet in the ledger."""

from __future__ import annotations

import itertools
import weakref

import mesa

from ailoop.model.contracts import Contract, pay_or_owe, settle_arrears as pay_arrears


class _IdsPerModel(weakref.WeakKeyDictionary):
    """Mesa's counter of agent ids, one per model (ids 1, 2, ... in each model, as Mesa's own).

    ``mesa.Agent._ids`` is a class-level ``defaultdict`` keyed by the model, so it keeps every model
    ever built alive: a process running economy after economy (a sweep's worker, a benchmark's
    pool) grew by tens of MB a run until the machine ran out of memory. Weak keys let a finished
    economy be freed."""

    def __getitem__(self, model):
        try:
            return super().__getitem__(model)
        except KeyError:
            counter = self[model] = itertools.count(1)
            return counter


class EconomicAgent(mesa.Agent):
    """A Mesa agent with a balance sheet.

    ``aid`` is the stable string id used in output columns (``cash.lab``, ``debt.neocloud``);
    ``family`` is the actor family (``lab``, ``cloud``, ...). Balance-sheet figures are read from
    the model's ledger, in $ billions. An agent sees and acts on the economy only through
    ``self.ctx``, the narrow interface :class:`~ailoop.model.context.Context` (the ledger, the
    contract registry, the parameters, the clock, prices it can read and the services it may ask).
    """

    _ids = _IdsPerModel()  # not Mesa's defaultdict, which never lets a model go (see _IdsPerModel)
    family = "agent"
    public = False  # listed firms have a market price
    defaulted = False  # set by the defaults layer; a defaulted agent no longer acts
    issues_shares = False  # firms have shares and a price
    owns_capacity = False  # capacity owners have a fleet of data centres
    #: who owns what is left if it defaults: None = its shareholders (equity stakes in the contract
    #: registry and the outside float); else the outside sector that owns it (a fund's LPs)
    owners_sector: str | None = None
    can_default = False  # agents the defaults layer watches

    def __init__(self, model: mesa.Model, aid: str):
        super().__init__(model)
        self.ctx = model.ctx  # the only way to the rest of the economy
        self.aid = aid
        self.flow: dict[str, float] = {}  # this month's flows by name ($B), reset monthly
        self.flow_cum: dict[str, float] = {}  # cumulative flows by name ($B)

    def add_flow(self, name: str, amount: float) -> None:
        """Record ``amount`` $B under ``name`` in this month's and the cumulative flow records."""
        self.flow[name] = self.flow.get(name, 0.0) + amount
        self.flow_cum[name] = self.flow_cum.get(name, 0.0) + amount

    def new_month(self) -> None:
        self.flow = {}

    def pay_opex(self, amount: float, memo: str) -> None:
        """Pay an operating cost to the external operating-cost sector (arrears if short of cash)."""
        if amount > 0:
            pay_or_owe(self.ledger, self.book, self.aid, "operating_costs", amount, "retained", "retained", memo)
            self.add_flow("opex", amount)

    def receive_distribution(self, issuer: str, amount: float) -> None:
        """A liquidating distribution of ``amount`` $B from the defaulted ``issuer`` has reached this
        agent's books (``DefaultEngine``); a market sector passes it on to its population."""

    def settle_arrears(self) -> None:
        """Pay this agent's arrears, oldest first, as far as its cash allows."""
        pay_arrears(self.ledger, self.book, self.aid)

    # ---------------------------------------------------------------- reporting
    def revenue(self) -> float:
        """This month's revenue, AI and other, $B."""
        return self.flow.get("revenue_ai", 0.0) + self.flow.get("revenue_other", 0.0)

    def backlog(self) -> float:
        """Contracted revenue not yet recognised, $B (none for most agents)."""
        return 0.0

    def capacity_gw(self) -> float:
        """GW of data-centre capacity online (none for most agents)."""
        return 0.0

    # ---------------------------------------------------------------- ledger views
    @property
    def ledger(self):
        return self.ctx.ledger

    @property
    def book(self):
        return self.ctx.book

    @property
    def params(self) -> dict:
        return self.ctx.params

    @property
    def cash(self) -> float:
        return self.ctx.ledger.cash(self.aid)

    def balance(self, account: str) -> float:
        return self.ctx.ledger.get(self.aid, account)

    @property
    def debt(self) -> float:
        return self.ctx.ledger.get(self.aid, "debt")

    @property
    def book_equity(self) -> float:
        a, l, _ = self.ctx.ledger.totals(self.aid)
        return a - l

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.aid}>"


class Firm(EconomicAgent):
    """An agent whose shares can be held by others: ``shares`` (billions) at ``price`` $ per share.

    For public firms ``price`` is the market price (constant until the equity market moves it);
    for private firms it is the price of the last funding round.
    """

    issues_shares = True
    can_default = True
    in_loop_value = True  # counted in the AI loop's market value
    cash_target = float("inf")  # $B kept before returning cash to shareholders (mature firms set it)
    recovery_per_share = 0.0  # $ per share its shareholders were paid at its default (set by the defaults layer)

    def __init__(self, model: mesa.Model, aid: str, shares: float, price: float):
        super().__init__(model, aid)
        self.shares = shares
        self.price = price

    @property
    def market_cap(self) -> float:
        """Market capitalisation (or post-money valuation), $B."""
        return self.shares * self.price

    def backlog_signal(self, exchange, odds: dict[str, float]) -> tuple[float, float]:
        """(backlog $B, years over which it turns into revenue) as the market reads it."""
        return 0.0, 1.0

    def opening_revenue(self) -> float:
        """Revenue run-rate, $B/yr, the market assumes before the first month closes."""
        return 0.0

    # ---------------------------------------------------------------- rescues
    def failure_loss(self, d) -> tuple[float, str]:
        """$B this firm expects to lose if firm ``d`` fails, and what it is made of: its stake in
        ``d`` at what new shares of it would fetch now (``Context.equity_value``), its claims on ``d`` (bonds, loans, bills, arrears) at
        ``loss_given_default``, and the margin it expects from ``d``: ``rescue_margin_share`` of
        the revenue it is still to earn from ``d`` under contracts, plus :meth:`supplier_margin`."""
        p = self.params
        stake = self.book.stake(self.aid, d.aid)
        held = stake.shares * self.ctx.equity_value(d) if stake is not None else 0.0
        claims = sum(c.claim() for c in self.book.held_by(self.aid) if c.issuer == d.aid and c.claim_accounts)
        backlog = sum(c.backlog() for c in self.book.issued_by(self.aid, Contract.backlog) if c.holder == d.aid)
        margin = p["rescue_margin_share"] * backlog + self.supplier_margin(d)
        loss = held + p["loss_given_default"] * claims + margin
        return loss, (f"its stake {held:,.2f}, claims {claims:,.2f} $B (at {p['loss_given_default']:.0%} loss) and "
                      f"margin {margin:,.2f} $B")

    def supplier_margin(self, d) -> float:
        """$B of margin this firm expects on what ``d`` has still to buy from it (none by default)."""
        return 0.0

    def consider_rescues(self) -> None:
        """Any stakeholder may rescue a firm that is behind on its bills: the rescue costs the cash
        that brings it current and carries it through the next ``rescue_horizon_months`` (its debt
        service and its operations' cash shortfall, less its cash), paid for new shares of it at
        ``Context.equity_value`` (a lab's round price, which becomes its mark); the stakeholder
        rescues when its expected loss from the failure (:meth:`failure_loss`) exceeds that cost
        and the cost is at most ``rescue_cash_share`` of its cash. Each decision is logged, with
        its numbers, when the stakeholder has something at stake."""
        ctx, p = self.ctx, self.params
        if self.defaulted:
            return
        months = int(p["rescue_horizon_months"])
        for d in ctx.distressed_firms():
            if d.aid == self.aid or d.defaulted or d.price <= 0:
                continue
            burn = max(0.0, -ctx.trailing(d.aid, "ebitda", 3)) * months / 12.0  # its operations' cash shortfall
            need = ctx.overdue(d.aid) + ctx.debt_due(d.aid, months) + burn - max(0.0, d.cash)
            if need <= p["default_arrears_tolerance"]:
                continue
            loss, parts = self.failure_loss(d)
            if loss <= 1e-9:
                continue
            terms = f"{d.aid}: {need:,.2f} $B to bring it current; at stake {loss:,.2f} $B ({parts})"
            if loss <= need or need > p["rescue_cash_share"] * max(0.0, self.cash):
                why = "not worth it" if loss <= need else f"cash {self.cash:,.2f} $B short"
                ctx.record_event("rescue declined", self.aid, f"{terms}; {why}", need)
                continue
            price = ctx.buy_new_shares(self.aid, d, need)
            if price <= 0:
                continue
            d.settle_arrears()
            ctx.record_event("rescue", self.aid, f"{terms}; bought {need:,.2f} $B of new shares at ${price:,.2f}",
                             need)

    def buy_back(self) -> None:
        """Return ``payout_share_of_excess`` of cash above ``cash_target`` to outside shareholders
        by a buyback programme: the exchange buys the shares from the outside float day by day over
        ``buyback_spread_days`` trading days, each day's shares retired as they are bought (never
        more than the float, never beyond the firm's cash)."""
        excess = self.cash - self.cash_target
        if excess <= 0:
            return
        x = min(excess * self.params["payout_share_of_excess"], self.ctx.outside_shares(self) * self.price)
        if x > 0:
            self.ctx.buy_back(self, x, int(self.params["buyback_spread_days"]))
