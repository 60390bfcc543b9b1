"""The private-credit fund (``private_credit``): insurers' money lent to developers and vehicles.

Insurers (an external sector) commit ``capacity`` $B to the fund, drawn as it lends or invests:
the fund's only money, so what it can lend is finite. It buys the bonds of jointly owned
data-centre vehicles and holds most of their equity, and it lends to developers (construction
loans). Its loans and bonds are marked to market each month with the rest of the debt (their
spreads follow the credit of the tenant whose rent repays them), and written off on its books
at a borrower's default: the insurers bear the losses. It borrows nothing, so it cannot default.
Units: $B.
"""

from __future__ import annotations

from ailoop.agents.base import EconomicAgent
from ailoop.model.contracts import Contract


class PrivateCreditFund(EconomicAgent):
    family = "private_credit"
    owners_sector = "insurers"  # its investors: what is left of it is theirs

    def __init__(self, model, aid: str, *, capacity: float):
        super().__init__(model, aid)
        self.capacity = capacity  # $B of insurers' commitments not yet drawn

    def fund(self, amount: float) -> None:
        """Draw the insurers' money so that ``amount`` $B is in cash (as far as their commitments go)."""
        short = amount - self.cash
        if short > 0 and self.capacity > 0:
            draw = min(short, self.capacity)
            self.ledger.receive_external(self.aid, "insurers", draw, "paid_in", "insurer capital")
            self.capacity -= draw

    def available(self) -> float:
        """$B it could put to work now: its cash and the insurers' undrawn commitments."""
        return max(0.0, self.cash) + self.capacity

    def loans_at_mark(self) -> float:
        """$B of loans and bonds it holds at their marks."""
        return self.balance("bonds_held") + self.balance("bond_valuation")

    def exposures(self) -> dict[str, float]:
        """$B it has lent to (face) or invested in (mark), by counterparty."""
        out: dict[str, float] = {}
        for c in self.book.held_by(self.aid):
            v = c.holder_value()
            if v > 0:
                out[c.issuer] = out.get(c.issuer, 0.0) + v
        return out

    def look_through_debt(self) -> float:
        """$B of the debt of the vehicles it owns jointly that is its share (off its books)."""
        return sum(c.look_through_debt(self.ctx) for c in self.book.held_by(self.aid, Contract.look_through_debt))
