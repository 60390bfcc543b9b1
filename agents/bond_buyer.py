"""Bond buyers (``bond_00`` … ``bond_NN``): banks, credit funds and private credit.

Each lends from money its outside investors provide (the external credit sector, drawn as it
lends, up to ``capacity``) and from the coupons and principal it has collected. It bids for a
bond or loan only if the offered spread reaches its ``required_spread``. The most cautious
``ig_restricted_share`` of them (the lowest required spreads: insurers, pension funds, funds with
an investment-grade mandate) lend only to investment-grade issuers and must sell the bonds of one
that falls below (``CreditMarket.fallen_angel_sales``).
"""

from __future__ import annotations

from ailoop.agents.base import EconomicAgent
from ailoop.model.markets.sentiment import round_appetite


class BondBuyer(EconomicAgent):
    family = "bond_buyer"

    def __init__(self, model, aid: str, *, capacity: float, required_spread: float, max_leverage: float):
        super().__init__(model, aid)
        self.capacity = capacity  # $B of outside money it can still draw
        self.required_spread = required_spread  # per year
        self.max_leverage = max_leverage  # largest issuer debt / market equity it lends to

    @property
    def ig_only(self) -> bool:
        """Restricted to investment grade: its required spread is in the lowest
        ``ig_restricted_share`` of the range the buyers' spreads span."""
        p = self.params
        return self.required_spread < p["ig_restricted_share"] * p["bond_buyer_spread_max"] - 1e-15

    def draw_inflow(self) -> None:
        """Credit investors give this buyer its share of ``credit_inflow`` $B this month, scaled by
        the round appetite to the power ``inflow_appetite_power`` (they commit less in bad times):
        it can lend more."""
        p = self.params
        mood = round_appetite(self.ctx.sentiment, p["round_appetite_elasticity"]) ** p["inflow_appetite_power"]
        self.capacity += p["credit_inflow"] * mood / self.ctx.n_bond_buyers

    def bid(self, spread: float, leverage: float, investment_grade: bool = True) -> float:
        """$B offered at ``spread`` to an issuer with ``leverage`` (debt / market equity): all it can
        lend if the spread is high enough and the leverage low enough (and the issuer investment
        grade, for a buyer restricted to it), else nothing."""
        if spread < self.required_spread or leverage > self.max_leverage or (self.ig_only and not investment_grade):
            return 0.0
        return max(0.0, self.cash) + self.capacity

    def fund(self, amount: float) -> None:
        """Draw outside money so that ``amount`` $B is in cash."""
        short = amount - self.cash
        if short > 0:
            draw = min(short, self.capacity)
            self.ledger.receive_external(self.aid, "credit_investors", draw, "paid_in", "credit fund inflow")
            self.capacity -= draw
