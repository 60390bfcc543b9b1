"""Venture funds (``vc_levered`` SoftBank-like, ``vc_1``, ``vc_2``).

A fund invests the capital its limited partners committed (``dry_powder``, called from the
external LP sector when it invests) in the labs' rounds and the GPU SPV. ``appetite`` is the share
of its available capital it will put into one round. The levered fund can also borrow on margin
against its whole book — its stakes at their marks (listed at market, private at the last round)
and its holdings outside the loop — up to ``margin_ltv`` of its value and within its margin
facility (SoftBank-like: its margin loan is secured by listed holdings outside the loop, up to a
committed facility, and the loan-to-value tested is debt over the value of all its holdings).
"""

from __future__ import annotations

from ailoop.agents.base import EconomicAgent
from ailoop.model.contracts import Contract
from ailoop.model.markets.sentiment import round_appetite


class VentureFund(EconomicAgent):
    family = "venture"
    owners_sector = "lp_investors"  # its limited partners: what is left at a default goes back to them

    def __init__(self, model, aid: str, *, dry_powder: float, appetite: float, max_ticket: float,
                 margin_ltv: float = 0.0, levered: bool = False, margin_facility: float = 0.0):
        super().__init__(model, aid)
        self.can_default = levered  # a fund that borrows can fail to pay
        self.dry_powder = dry_powder  # $B of uncalled LP commitments
        self.appetite = appetite  # share of available capital per round
        self.max_ticket = max_ticket  # $B
        self.margin_ltv = margin_ltv  # max margin loan / value of its whole book
        self.margin_facility = margin_facility  # $B its margin lenders have committed in all

    def raise_lp_commitments(self) -> None:
        """LPs commit this fund's share of ``lp_commitments`` $B, scaled by the round appetite to
        the power ``inflow_appetite_power`` (LPs commit less in bad times); not yet called: no cash
        moves until a capital call."""
        p = self.params
        mood = round_appetite(self.ctx.sentiment, p["round_appetite_elasticity"]) ** p["inflow_appetite_power"]
        self.dry_powder += p["lp_commitments"] * mood / self.ctx.n_venture_funds

    def listed_holdings(self) -> float:
        return sum(s.holder_value() for s in self.book.held_by(self.aid, Contract.shares_of_issuer)
                   if self.ctx.agent(s.issuer).public)

    def collateral_value(self) -> float:
        """$B of its whole book: every stake at its mark, vested warrants, and its holdings outside
        the loop (``other_assets``, at book value: the model does not mark them)."""
        stakes = sum(s.holder_value() for s in self.book.held_by(self.aid, Contract.shares_of_issuer))
        return max(0.0, stakes + self.balance("warrants") + self.balance("other_assets"))

    def margin_headroom(self, repaying: float = 0.0) -> float:
        """$B more it could borrow on margin: up to ``margin_ltv`` of its book and within its
        facility (``repaying``: debt about to be repaid)."""
        borrowed = sum(c.face for c in self.book.issued_by(self.aid) if c.is_debt) - repaying
        return max(0.0, min(self.margin_ltv * self.collateral_value(), self.margin_facility) - borrowed)

    def borrow_on_margin(self, amount: float) -> float:
        """Borrow up to ``amount`` $B within its headroom: a draw on its margin facility, else a
        new margin loan from the bond buyers. Returns $B borrowed."""
        x = min(amount, self.margin_headroom())
        if x <= 1e-9:
            return 0.0
        got = self.ctx.draw_line(self, x)
        if x - got > 1e-9:
            got += self.ctx.issue_debt(self, x - got, int(self.params["margin_loan_months"]))
        return got

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
        if short > 1e-9:
            self.borrow_on_margin(short)
        return self.cash
