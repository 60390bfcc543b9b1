"""A new kind of deal needs no change to any module: the contract carries its own rules.

This file defines a vendor-financing line — a chipmaker lends a GPU buyer the money for its
build-out (the data centres its chips go into), drawn as the buyer spends, amortising monthly —
and its one behaviour (the draw). Signed through the deal calendar, it is then settled monthly, serviced and marked by
the credit market, counted in commitments, booked and reconciled by the books check, and at the
borrower's default its undrawn part lapses and its drawn part is a claim paid pro rata, the rest
written off by the lender — all by the model's existing services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

import pytest

from ailoop.model import Economy
from ailoop.model.contracts import Bond
from ailoop.model.deals import DealEvent

LINE = 5.0  # $B
SIGNED = dt.date(2025, 10, 20)  # no other deal fires that day


@dataclass(eq=False)
class VendorLoan(Bond):
    """``holder`` (a chipmaker) lends ``issuer`` up to ``limit`` $B for its build-out: each month the
    borrower draws what it spent on data-centre shells and chips that month; principal amortises
    over ``amort_months`` (a level share of the balance each month)."""

    limit: float = 0.0
    drawn: float = 0.0
    amort_months: int = 24

    kind: ClassVar[str] = "vendor_loan"
    rank: ClassVar[int] = 85
    redeemable: ClassVar[bool] = False
    settle_phase: ClassVar[str | None] = "investments"
    unwind_order: ClassVar[tuple] = (71, 72)

    def commitment(self) -> float:
        return max(0.0, self.limit - self.drawn) if self.active else 0.0

    def settle(self, economy) -> None:
        """The behaviour: draw what the borrower spent on its build-out this month, up to the line."""
        flow = economy.agent(self.issuer).flow
        spent = flow.get("capex_shell", 0.0) + flow.get("capex_chips", 0.0)
        x = min(spent, self.commitment(), max(0.0, economy.agent(self.holder).cash))
        if x > 1e-9:
            economy.ledger.transfer(self.holder, self.issuer, x, "bonds_held", "debt", "debt issue (vendor loan)",
                                    ref=self)
            self.face += x
            self.drawn += x

    def scheduled_principal(self, month: int) -> float:
        return min(self.face, self.face / self.amort_months) if self.active else 0.0

    def due_within(self, month: int, months: int) -> tuple[float, float]:
        return self.monthly_interest() * months, min(self.face, self.scheduled_principal(month) * months)

    def unwind(self, economy, defaulter: str) -> None:
        """Either party's default ends the line: nothing more can be drawn (the drawn part stays a claim)."""
        self.limit = self.drawn


def sign(economy) -> float:
    loan = VendorLoan(holder="chip_leader", issuer="neocloud", limit=LINE, coupon=0.09, spread=0.048,
                      issued_month=economy.month, maturity_month=economy.month + 60)
    economy.book.add(loan)
    return LINE


@pytest.fixture(scope="module")
def run():
    eco = Economy(seed=4, check_every=21)
    eco.schedule_deal(DealEvent(SIGNED, "chip_leader vendor financing for the neocloud", sign, ("chip_leader",)))
    eco.run(years=1)  # ends with a full books check
    loan = next(c for c in eco.book.contracts if isinstance(c, VendorLoan))
    return eco, loan


def test_the_line_is_drawn_serviced_and_booked(run):
    eco, loan = run
    assert 0 < loan.drawn <= LINE and loan.face < loan.drawn  # drawn, and partly repaid
    # the lender holds no other debt: its bond holdings in the ledger are this loan's face
    assert eco.ledger.get("chip_leader", "bonds_held") == pytest.approx(loan.face, rel=1e-12)
    assert eco.agent("chip_leader").flow_cum.get("interest_income", 0.0) > 0  # the credit market serviced it
    assert loan.mark != 1.0  # and marked it to market
    eco.check_books()


def test_commitments_count_the_undrawn_line(run):
    eco, _ = run
    df = eco.datacollector.get_model_vars_dataframe()
    day = df.index[df["date"] == df.loc[df["date"] >= str(SIGNED), "date"].iloc[0]][0]
    jump = df.at[day, "committed_outstanding"] - df.at[day - 1, "committed_outstanding"]
    assert jump == pytest.approx(LINE, rel=1e-9)


def test_at_the_borrowers_default_the_line_lapses_and_the_claim_is_settled(run):
    eco, loan = run
    claim = loan.face
    before = eco.defaults.writeoffs.get("chip_leader", 0.0)
    bonds_before = eco.ledger.get("chip_leader", "bonds_held")
    cash_before = eco.ledger.cash("chip_leader")
    stake = eco.book.stake("chip_leader", "neocloud")
    shares = stake.shares if stake is not None else 0.0
    eco.defaults.default(eco.agent("neocloud"), "test: the borrower fails")
    assert not loan.active and loan.commitment() == 0.0
    # what chip_leader got as a creditor: its cash less what it got as a shareholder of any surplus
    recovered = eco.ledger.cash("chip_leader") - cash_before - shares * eco.agent("neocloud").recovery_per_share
    lost = eco.defaults.writeoffs.get("chip_leader", 0.0) - before
    assert recovered > 0 and lost >= 0
    assert recovered + lost == pytest.approx(claim, rel=1e-9)  # every $ of the claim paid or written off
    assert loan.face == 0.0
    assert eco.ledger.get("chip_leader", "bonds_held") == pytest.approx(bonds_before - claim, abs=1e-9)
    written = [e for e in eco.events if e["event"] == "write-off" and e["agent"] == "chip_leader"]
    assert (lost > 1e-9) == bool(written)  # a loss, and only a loss, is logged as a write-off
    eco.credit.mark_debt()
    eco.check_books()
