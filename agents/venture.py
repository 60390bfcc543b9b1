"""Venture funds (``vc_levered`` SoftBank-like, ``vc_1``, ``vc_2``).

A fund invests the capital its limited partners committed (``dry_powder``, called from the
external LP sector when it invests) in the labs' rounds and the GPU SPV. ``appetite`` is the share
of its available capital it will put into one round. The levered fund can also borrow against its
listed holdings (a margin loan from bond buyers) up to ``margin_ltv`` of their value.
"""

from __future__ import annotations

from ailoop.agents.base import EconomicAgent
from ailoop.model.markets.sentiment import round_appetite


class VentureFund(EconomicAgent):
    family = "venture"

    def __init__(self, model, aid: str, *, dry_powder: float, appetite: float, max_ticket: float,
                 margin_ltv: float = 0.0, levered: bool = False):
        super().__init__(model, aid)
        self.can_default = levered  # a fund that borrows can fail to pay
        self.dry_powder = dry_powder  # $B of uncalled LP commitments
        self.appetite = appetite  # share of available capital per round
        self.max_ticket = max_ticket  # $B
        self.margin_ltv = margin_ltv  # max margin loan / value of listed holdings

    def raise_lp_commitments(self) -> None:
        """LPs commit this fund's share of ``lp_commitments`` $B, scaled by the round appetite to
        the power ``inflow_appetite_power`` (LPs commit less in bad times); not yet called: no cash
        moves until a capital call."""
        p = self.params
        mood = round_appetite(self.economy.sentiment.value, p["round_appetite_elasticity"]) ** p["inflow_appetite_power"]
        self.dry_powder += p["lp_commitments"] * mood / len(self.economy.venture_funds)

    def listed_holdings(self) -> float:
        return sum(s.holder_value() for s in self.book.held_by(self.aid, "equity")
                   if self.economy.agent(s.issuer).public)

    def margin_headroom(self) -> float:
        borrowed = sum(b.face for b in self.book.issued_by(self.aid, "bond"))
        return max(0.0, self.margin_ltv * self.listed_holdings() - borrowed)

    def available(self) -> float:
        """$B the fund could put to work now: cash, uncalled commitments and margin headroom."""
        return max(0.0, self.cash) + self.dry_powder + self.margin_headroom()

    def offer(self, size: float) -> float:
        """$B the fund offers into a round of ``size`` $B (before the market's appetite multiplier)."""
        return min(size, self.max_ticket, self.appetite * self.available())

    def raise_cash(self, amount: float) -> float:
        """Get ``amount`` $B into cash: call LP capital, then borrow on margin. Returns cash on hand."""
        short = amount - self.cash
        if short > 0 and self.dry_powder > 0:
            call = min(short, self.dry_powder)
            self.ledger.receive_external(self.aid, "lp_investors", call, "paid_in", "LP capital call")
            self.dry_powder -= call
            self.add_flow("lp_called", call)
            short -= call
        if short > 1e-9 and self.margin_headroom() > 0:
            self.economy.credit.issue(self, min(short, self.margin_headroom()), int(self.params["margin_loan_months"]),
                                    kind="bond")
        return self.cash
