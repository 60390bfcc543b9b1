"""Common base of the economy's Mesa agents: a stable string id and a balance sheet in the ledger."""

from __future__ import annotations

import mesa

from ailoop.model.contracts import pay_or_owe


class EconomicAgent(mesa.Agent):
    """A Mesa agent with a balance sheet.

    ``aid`` is the stable string id used in output columns (``cash.lab``, ``debt.neocloud``);
    ``family`` is the actor family (``lab``, ``cloud``, ...). Balance-sheet figures are read from
    the model's ledger, in $ billions.
    """

    family = "agent"
    public = False  # listed firms have a market price
    defaulted = False  # set by the defaults layer; a defaulted agent no longer acts

    def __init__(self, model: mesa.Model, aid: str):
        super().__init__(model)
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

    # ---------------------------------------------------------------- ledger views
    @property
    def ledger(self):
        return self.model.ledger

    @property
    def book(self):
        return self.model.book

    @property
    def params(self) -> dict:
        return self.model.params

    @property
    def cash(self) -> float:
        return self.model.ledger.cash(self.aid)

    def balance(self, account: str) -> float:
        return self.model.ledger.get(self.aid, account)

    @property
    def debt(self) -> float:
        return self.model.ledger.get(self.aid, "debt")

    @property
    def book_equity(self) -> float:
        a, l, _ = self.model.ledger.totals(self.aid)
        return a - l

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.aid}>"


class Firm(EconomicAgent):
    """An agent whose shares can be held by others: ``shares`` (billions) at ``price`` $ per share.

    For public firms ``price`` is the market price (constant until the equity market moves it);
    for private firms it is the price of the last funding round.
    """

    def __init__(self, model: mesa.Model, aid: str, shares: float, price: float):
        super().__init__(model, aid)
        self.shares = shares
        self.price = price

    cash_target = float("inf")  # $B kept before returning cash to shareholders (mature firms set it)

    @property
    def market_cap(self) -> float:
        """Market capitalisation (or post-money valuation), $B."""
        return self.shares * self.price

    def buy_back(self) -> None:
        """Return ``payout_share_of_excess`` of cash above ``cash_target`` to outside shareholders
        by buying back their shares at the current price (only the outside float can be bought)."""
        excess = self.cash - self.cash_target
        if excess <= 0:
            return
        x = min(excess * self.params["payout_share_of_excess"], self.model.outside_shares(self) * self.price)
        if x > 0:
            self.ledger.pay_external(self.aid, "other_shareholders", x, "paid_in", "share buyback")
            self.shares -= x / self.price
            self.add_flow("buyback", x)
            self.model.exchange.add_flow(self.aid, x)
