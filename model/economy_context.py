"""The economy's implementation of :class:`~ailoop.model.context.Context`: each member forwards to
the service that owns it (the ledger and registry, the clock, the GPU market, the credit market,
the transactions, the funding rounds, the exchange's order flow, the default engine)."""

from __future__ import annotations

from ailoop.model.context import Context


class EconomyContext(Context):
    """The narrow interface of one economy (``economy.ctx``)."""

    def __init__(self, economy):
        self._e = economy
        self.ledger = economy.ledger
        self.book = economy.book
        self.chipmaker_ids = frozenset()

    # the parameters can be replaced mid-run (shocks): always the economy's current table
    @property
    def params(self) -> dict:  # type: ignore[override]
        return self._e.params

    # ------------------------------------------------------------------ clock and log
    @property
    def month(self) -> int:
        return self._e.month

    @property
    def date(self):
        return self._e.date

    def record_event(self, event: str, agent: str, cause: str, size: float = 0.0) -> None:
        self._e.record_event(event, agent, cause, size)

    def changed(self) -> None:
        self._e.version += 1

    # ------------------------------------------------------------------ agents
    def agent(self, aid: str):
        return self._e.agent(aid)

    def agent_or_none(self, aid: str):
        return self._e.agent_or_none(aid)

    def venture_funds(self) -> list:
        return self._e.live(self._e.venture_funds)

    @property
    def n_venture_funds(self) -> int:
        return len(self._e.venture_funds)

    @property
    def n_bond_buyers(self) -> int:
        return len(self._e.bond_buyers)

    def providers(self) -> list:
        return self._e.live(self._e.providers)

    # ------------------------------------------------------------------ what a firm can read
    @property
    def sentiment(self) -> float:
        return self._e.sentiment.value

    def demand_index(self, stream: str) -> float:
        return self._e.demand.member_index(stream)

    @property
    def rent(self) -> float:
        return self._e.gpu_market.rent

    def rent_per_gw_month(self) -> float:
        return self._e.gpu_market.rent_per_gw_month()

    def capex_per_gw(self) -> float:
        return self._e.gpu_market.capex_per_gw()

    def capacity_price(self, term_months: int, provider=None) -> float:
        return self._e.gpu_market.capacity_price(term_months, provider)

    def custom_silicon_price(self) -> float:
        return self._e.gpu_market.custom_silicon_price()

    def used_price_at(self, age_months: float) -> float:
        return self._e.gpu_market.used_price_at(age_months)

    # ------------------------------------------------------------------ credit
    def issue_debt(self, issuer, amount: float, months: int, collateral_units: float = 0.0) -> float:
        return self._e.credit.issue(issuer, amount, months, collateral_units=collateral_units)

    def draw_line(self, issuer, amount: float) -> float:
        return self._e.credit.draw_revolver(issuer, amount)

    def redeem(self, issuer, amount: float) -> float:
        return self._e.credit.redeem(issuer, amount)

    def debt_due(self, aid: str, months: int) -> float:
        return self._e.credit.debt_due(aid, months)

    def credit_spread(self, aid: str, sentiment: float | None = None) -> float:
        return self._e.credit.spread(self._e.agent(aid), sentiment)

    def contract_spread(self, customer: str, sentiment: float | None = None) -> float:
        return self._e.credit.contract_spread(customer, sentiment)

    def facility(self, borrower: str, backing) -> list:
        return self._e.credit.facility(borrower, backing)

    def open_facility(self, borrower, backing, limit: float) -> list:
        return self._e.credit.open_facility(borrower, backing, limit)

    def draw_facility(self, loans: list, amount: float, units: float) -> float:
        return self._e.credit.draw_facility(loans, amount, units)

    # ------------------------------------------------------------------ shares and contracts
    def invest_equity(self, investor, issuer, amount, price, retag=None, ref=None) -> None:
        self._e.transactions.invest_equity(investor, issuer, amount, price, retag=retag, ref=ref)

    def add_shares(self, holder, issuer, shares, price, new_issue=True) -> None:
        self._e.transactions.add_shares(holder, issuer, shares, price, new_issue)

    def sell_shares(self, holder, issuer, shares, reason="sale") -> float:
        return self._e.transactions.sell_shares(holder, issuer, shares, reason=reason)

    def outside_shares(self, firm) -> float:
        return self._e.transactions.outside_shares(firm)

    def buy_back(self, firm, dollars: float, days: int) -> None:
        self._e.exchange.add_buyback(firm.aid, dollars, days)

    def order_flow(self, aid: str, dollars: float, days: int = 1) -> None:
        self._e.exchange.add_flow(aid, dollars, days=days)

    def issue_equity(self, firm, amount: float, how: str) -> float:
        return self._e.equity_desk.issue(firm, amount, how)

    def equity_capacity(self, firm, how: str) -> float:
        return self._e.equity_desk.most(firm, how)

    def issue_convertible(self, issuer, amount: float, months: int) -> float:
        return self._e.credit.issue_convertible(issuer, amount, months)

    def sign_capacity_contract(self, buyer: str, provider: str, **terms):
        return self._e.transactions.sign_capacity_contract(buyer, provider, **terms)

    def cancel_capacity_contract(self, c, reason: str, fee_claim: float = 0.0, in_default: bool = False) -> None:
        self._e.transactions.cancel_capacity_contract(c, reason, fee_claim=fee_claim, in_default=in_default)

    def cancel_chip_order(self, order, reason: str) -> None:
        self._e.transactions.cancel_chip_order(order, reason)

    # ------------------------------------------------------------------ funding rounds
    def raise_round(self, lab, size: float, minimum: float = 0.0) -> float:
        return self._e.rounds.raise_round(lab, size, minimum)

    def equity_value(self, firm) -> float:
        if firm.family == "lab" and not firm.public:
            return self._e.rounds.round_price(firm)
        return firm.price

    def buy_new_shares(self, investor: str, firm, amount: float) -> float:
        if firm.family == "lab" and not firm.public:
            return self._e.rounds.strategic_investment(investor, firm, amount)
        price = firm.price
        retag = "chipmaker_investment" if investor in self._e.chipmaker_ids else None
        self._e.transactions.invest_equity(investor, firm.aid, amount, price, retag=retag)
        return price

    def round_appetite(self, lab) -> float:
        return self._e.rounds.appetite(lab)

    def round_price(self, lab) -> float:
        return self._e.rounds.round_price(lab)

    # ------------------------------------------------------------------ distress
    def sell_gpus(self, owner, units: float, why: str = "") -> float:
        return self._e.defaults.sell_gpus(owner, units, why)

    def payment_odds(self, aid: str) -> float:
        a = self._e.agent_or_none(aid)
        if a is None:
            return 1.0
        if a.defaulted:
            return 0.0
        if a.family == "lab":
            return a.payment_odds()
        return self._e.ratings.payment_odds(aid) if self._e.params["channel_ratings"] else 1.0

    def rating(self, aid: str) -> int | None:
        return self._e.ratings.rating(aid)

    def cost_of_capital(self, firm) -> float:
        return self._e.credit.cost_of_capital(firm)

    def trailing(self, aid: str, line: str, months: int = 12) -> float:
        return self._e.fundamentals.trailing(aid, line, months)

    def distressed_firms(self) -> list:
        e = self._e
        tol = e.params["default_arrears_tolerance"]
        return [a for a in e.live(e.loop_firms) if e.defaults.overdue(a.aid) > tol]

    def distressed_sale(self, value: float, discount: float) -> float:
        return self._e.equity_desk.distressed_sale(value, discount)

    def overdue(self, aid: str) -> float:
        return self._e.defaults.overdue(aid)

    def record_loss(self, agent: str, amount: float) -> None:
        self._e.defaults.record_loss(agent, amount)
