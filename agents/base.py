"""Common base of the economy's Mesa agents: a stable string id and a balance sheet in the ledger."""

from __future__ import annotations

import mesa

from ailoop.model.contracts import pay_or_owe, settle_arrears as pay_arrears


class EconomicAgent(mesa.Agent):
    """A Mesa agent with a balance sheet.

    ``aid`` is the stable string id used in output columns (``cash.lab``, ``debt.neocloud``);
    ``family`` is the actor family (``lab``, ``cloud``, ...). Balance-sheet figures are read from
    the model's ledger, in $ billions. An agent sees and acts on the economy only through
    ``self.ctx``, the narrow interface :class:`~ailoop.model.context.Context` (the ledger, the
    contract registry, the parameters, the clock, prices it can read and the services it may ask).
    """

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

    def buy_back(self) -> None:
        """Return ``payout_share_of_excess`` of cash above ``cash_target`` to outside shareholders
        by buying back their shares at the current price (only the outside float can be bought)."""
        excess = self.cash - self.cash_target
        if excess <= 0:
            return
        x = min(excess * self.params["payout_share_of_excess"], self.ctx.outside_shares(self) * self.price)
        if x > 0:
            self.ledger.pay_external(self.aid, "other_shareholders", x, "paid_in", "share buyback")
            self.shares -= x / self.price
            self.add_flow("buyback", x)
            self.ctx.order_flow(self.aid, x, days=self.params["buyback_spread_days"])
