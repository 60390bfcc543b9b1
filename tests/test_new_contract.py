"""A new kind of deal needs no change to any module: the contract carries every side of its rules.

This file defines two deals the model does not have, each in this file alone, and checks that the
model's existing services pick them up through the contract protocol (``model/contracts/base.py``):

* a **vendor-financing line** — a chipmaker lends a GPU buyer the money for its build-out, drawn
  as the buyer spends, amortising monthly: settled monthly, serviced and marked by the credit
  market, counted in commitments, booked and reconciled by the books check; at the borrower's
  default its undrawn part lapses and its drawn part is a claim paid pro rata, the rest written
  off by the lender;
* a **3-year GPU rental** — a hyperscaler rents 0.2 GW of the neocloud's capacity, billed monthly,
  cancelled at the neocloud's default with a fee the hyperscaler claims from its estate: it bills
  every month, its backlog shows in ``backlog.neocloud`` and the market's backlog signal, the
  neocloud allocates it capacity (the spot market does not sell those GW), the hyperscaler runs
  its own AI services on them, and every output column ``docs/outputs.md`` documents as a sum of a
  protocol method counts it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

from ailoop.model import Economy
from ailoop.model.contracts import Bond, Contract, ContractError, owe
from ailoop.model.contracts.compute import bill_holder
from ailoop.model.deals import DealEvent
from ailoop.model.postings import PNL

ROOT = Path(__file__).resolve().parents[1]
LINE = 5.0  # $B
SIGNED = dt.date(2025, 10, 20)  # no other deal fires that day


# ====================================================================== a vendor-financing line
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

    def settle(self, ctx) -> None:
        """The behaviour: draw what the borrower spent on its build-out this month, up to the line."""
        flow = ctx.agent(self.issuer).flow
        spent = flow.get("capex_shell", 0.0) + flow.get("capex_chips", 0.0)
        x = min(spent, self.commitment(), max(0.0, ctx.agent(self.holder).cash))
        if x > 1e-9:
            ctx.ledger.transfer(self.holder, self.issuer, x, "bonds_held", "debt", "debt issue (vendor loan)", ref=self)
            self.face += x
            self.drawn += x

    def scheduled_principal(self, month: int) -> float:
        return min(self.face, self.face / self.amort_months) if self.active else 0.0

    def due_within(self, month: int, months: int) -> tuple[float, float]:
        return self.monthly_interest() * months, min(self.face, self.scheduled_principal(month) * months)

    def unwind(self, ctx, defaulter: str) -> None:
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
    # chip_leader's claim: the loan, and the bills on trade terms for GPUs it delivered and is not yet paid for
    bills = sum(c.amount for c in eco.book.issued_by("neocloud")
                if c.kind in ("trade_credit", "invoice") and c.holder == "chip_leader")
    claim = loan.face + bills
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
    assert eco.ledger.get("chip_leader", "bonds_held") == pytest.approx(bonds_before - (claim - bills), abs=1e-9)
    written = [e for e in eco.events if e["event"] == "write-off" and e["agent"] == "chip_leader"]
    assert (lost > 1e-9) == bool(written)  # a loss, and only a loss, is logged as a write-off
    eco.credit.mark_debt()
    eco.check_books()


# ====================================================================== a 3-year GPU rental
RENTER, PROVIDER = "hyper_2", "neocloud"
RENT_GW, RENT_PRICE, RENT_MONTHS, FEE_SHARE = 0.2, 1.15, 36, 0.1  # GW, $B per GW-month, months, share
NEOCLOUD_GW = 1.2  # the neocloud's opening capacity (the default 0.6 GW are all under contract)


@dataclass(eq=False)
class GpuRental(Contract):
    """``holder`` rents ``gw`` GW of ``issuer``'s online capacity for ``term_months`` months from
    ``start_month`` at ``price`` $B per GW-month, billed monthly for what is delivered. The
    provider allocates the GW from its fleet (nothing is built for it); the renter runs its own
    services on them. If either party defaults the rental ends and the defaulter owes the other
    ``fee_share`` of the remaining value, a claim on its estate."""

    gw: float = 0.0
    price: float = 0.0
    term_months: int = 36
    start_month: int = 0
    fee_share: float = 0.1
    months_billed: int = 0
    online_gw: float = 0.0

    kind: ClassVar[str] = "gpu_rental"
    rank: ClassVar[int] = 15
    settle_phase: ClassVar[str | None] = "billing"
    unwind_order: ClassVar[tuple] = (12, 13)
    postings: ClassVar[dict] = {"GPU rental": PNL, "GPU rental termination fee": PNL}

    def remaining(self) -> float:
        return (self.term_months - self.months_billed) * self.gw * self.price if self.active else 0.0

    def holder_value(self) -> float:
        return -self.remaining()

    # every side of the rules
    def commitment(self) -> float:
        return self.remaining()

    def backlog(self) -> float:
        return self.remaining()

    def market_backlog(self, odds):
        promised = self.remaining() * (1.0 - self.online_gw / self.gw) * odds.get(self.holder, 1.0)
        return promised, self.term_months / 12.0

    def contracted_gw(self) -> float:
        return self.gw

    def gw_due(self, month: int) -> float:
        return self.gw if month >= self.start_month else 0.0

    def deliver(self, gw: float) -> None:
        self.online_gw = gw

    def delivered_gw(self, month: int, vendor=None) -> float:
        return self.online_gw

    def used_gw(self, month: int) -> float:
        return self.online_gw

    def own_use_gw(self) -> float:
        return self.online_gw

    def payments_ahead(self, month: int, months: int) -> float:
        return self.gw * self.price * max(0, min(months, self.term_months - self.months_billed))

    def settle(self, ctx) -> None:
        if self.online_gw <= 0:
            return
        bill = self.online_gw * self.price
        ctx.agent(self.issuer).add_flow("revenue_ai", bill_holder(ctx, self, bill, "GPU rental"))
        self.months_billed += 1
        if self.months_billed >= self.term_months:
            self.active = False

    def unwind(self, ctx, defaulter: str) -> None:
        fee = self.fee_share * self.remaining()
        other = self.holder if defaulter == self.issuer else self.issuer
        self.active, self.online_gw = False, 0.0
        owe(ctx.ledger, ctx.book, defaulter, other, fee, "retained", "retained", "GPU rental termination fee", ref=self)
        ctx.record_event("contract cancelled", self.issuer, f"GPU rental with {self.holder}: {defaulter} defaulted", fee)
        ctx.changed()


def sign_rental(economy) -> float:
    c = GpuRental(holder=RENTER, issuer=PROVIDER, gw=RENT_GW, price=RENT_PRICE, term_months=RENT_MONTHS,
                  start_month=economy.month + 1, fee_share=FEE_SHARE)
    economy.book.add(c)
    return c.remaining()


class Probe:
    """Records, on the first trading day of each month, what the rental and its parties did."""

    def __init__(self, eco):
        self.eco, self.months = eco, []

    def after_month(self, rental) -> None:
        eco = self.eco
        nc, hyper = eco.agent(PROVIDER), eco.agent(RENTER)
        others = [c for c in nc.contracts_sold() if c is not rental]
        self.months.append(dict(
            month=eco.month, rental_gw=rental.online_gw, online=nc.online_gw, spot=nc.spot_gw,
            others_due=sum(c.gw_due(eco.month) for c in others), rented_used=hyper.rented_used_gw,
            self_used=hyper.self_used_gw, paid=eco.ledger.paid_between(RENTER, PROVIDER),
            from_users=eco.ledger.paid_between("end_users", RENTER)))


@pytest.fixture(scope="module")
def rental_run():
    eco = Economy(seed=4, check_every=21, open_online_gw_neocloud=NEOCLOUD_GW)
    eco.schedule_deal(DealEvent(SIGNED, "hyper_2 rents 0.2 GW from the neocloud", sign_rental, (PROVIDER,)))
    df_rows, probe, rental = {}, Probe(eco), None
    for _ in range(252):
        eco.step()
        if rental is None:
            rental = next((c for c in eco.book.contracts if isinstance(c, GpuRental)), None)
            if rental is not None:  # the signing day: the market's view with and without it
                ex, nc = eco.exchange, eco.agent(PROVIDER)
                with_it = nc.backlog_signal(ex, ex.payment_odds)[0]
                rental.active = False
                without = nc.backlog_signal(ex, ex.payment_odds)[0]
                rental.active = True
                df_rows["signal_jump"] = with_it - without
                df_rows["renter_spread"] = eco.ratings.spread(RENTER)  # its notch's spread (or None)
        elif eco.day == 0:
            probe.after_month(rental)
    eco.check_books()
    return eco, rental, probe, df_rows


def test_a_phase_outside_the_month_is_refused_in_one_line():
    with pytest.raises(ContractError, match=r"^Bad: settle_phase 'clearing' is not a phase of the month; "
                                            r"allowed: billing, conversions, investments, warrants or None$"):
        @dataclass(eq=False)
        class Bad(Contract):  # noqa: F841 - defining it is the test
            settle_phase: ClassVar[str | None] = "clearing"


def test_the_rental_bills_every_month_it_delivers(rental_run):
    eco, rental, probe, _ = rental_run
    delivering = [m for m in probe.months if m["rental_gw"] > 0]
    assert probe.months[0]["month"] == rental.start_month  # the first month after signing
    assert len(delivering) == len(probe.months) == 10  # and every month after it, to the year's end
    assert all(m["rental_gw"] == pytest.approx(RENT_GW, rel=1e-12) for m in delivering)
    paid = [probe.months[0]["paid"]] + [b["paid"] - a["paid"] for a, b in zip(probe.months, probe.months[1:])]
    # a month's bill (GW x $B per GW-month, by hand) goes out on its first day on trade terms and is
    # paid when due, ``terms_capacity_months`` later: nothing in the first months, then a bill a month
    terms = int(eco.params["terms_capacity_months"])
    assert terms >= 1
    assert paid == pytest.approx([0.0] * terms + [RENT_GW * RENT_PRICE] * (len(paid) - terms), rel=1e-9, abs=1e-12)
    assert rental.months_billed == len(delivering)
    assert probe.months[-1]["paid"] == pytest.approx(RENT_GW * RENT_PRICE * (rental.months_billed - terms), rel=1e-9)


def test_the_rental_is_in_the_providers_backlog_and_the_markets_signal(rental_run):
    eco, rental, _, jumps = rental_run
    df = eco.datacollector.get_model_vars_dataframe()
    day = df.index[df["date"] >= pd_date(SIGNED)][0]
    value = RENT_GW * RENT_PRICE * RENT_MONTHS  # $B: nothing billed yet on the signing day
    assert df.at[day, "backlog.neocloud"] - df.at[day - 1, "backlog.neocloud"] == pytest.approx(value, rel=1e-9)
    # the market counts it in full (not yet delivering) at the renter's payment odds: the odds its
    # notch's spread implies over the market's credit horizon at the loss given default,
    # exp(-spread x years / loss) (an investment-grade hyperscaler: a percent or so less than full)
    p, sp = eco.params, jumps["renter_spread"]
    assert sp is not None and sp > 0
    odds = math.exp(-sp * p["credit_view_months"] / 12.0 / p["loss_given_default"])
    assert 0.95 < odds < 1.0
    assert jumps["signal_jump"] == pytest.approx(value * odds, rel=1e-9)


def test_every_column_documented_as_a_protocol_sum_counts_the_rental(rental_run):
    """docs/outputs.md names the protocol method behind each contract-fed column; each one the
    rental implements moves, on the signing day, by exactly what the rental's method says."""
    eco, rental, _, _ = rental_run
    text = (ROOT / "docs" / "outputs.md").read_text()
    documented = {}
    for row in text.splitlines():
        m = re.match(r"\| `([a-z_.<>]+)` \|.*`Contract\.([a-z_]+)`", row)
        if m:
            documented[m.group(1).replace("<id>", PROVIDER)] = m.group(2)
    assert {"capacity_contracted_gw", "committed_outstanding", "backlog.neocloud"} <= set(documented)
    df = eco.datacollector.get_model_vars_dataframe()
    day = df.index[df["date"] >= pd_date(SIGNED)][0]
    expected = {"contracted_gw": RENT_GW, "commitment": RENT_GW * RENT_PRICE * RENT_MONTHS,
                "backlog": RENT_GW * RENT_PRICE * RENT_MONTHS}
    for column, method in documented.items():
        if column not in df.columns or method not in expected:
            continue
        assert method in GpuRental.aspects
        assert df.at[day, column] - df.at[day - 1, column] == pytest.approx(expected[method], rel=1e-9), column


def test_the_renter_uses_the_rented_gw_and_the_spot_market_does_not_sell_them(rental_run):
    eco, _, probe, _ = rental_run
    rate = eco.params["hyper_ai_revenue_per_gw"] / 12.0  # $B per GW-month of the renter's own AI services
    for a, b in zip(probe.months, probe.months[1:]):
        if b["rental_gw"] <= 0:
            continue
        # the neocloud's idle capacity by hand: its fleet less what its other contracts are due
        idle = b["online"] - b["others_due"]
        assert idle >= RENT_GW  # the fleet has room for it (the opening fleet was set so)
        assert b["spot"] <= idle - RENT_GW + 1e-12  # the rented GW are not rented out on the spot market
        assert b["rented_used"] == pytest.approx(RENT_GW, rel=1e-12)
    # the renter's own AI services earn on the rented GW: its receipts from end users in a month
    # are (its own GW used + the rented GW) x its revenue per GW-month
    last, prev = probe.months[-1], probe.months[-2]
    assert last["from_users"] - prev["from_users"] == pytest.approx((last["self_used"] + RENT_GW) * rate, rel=1e-9)


def test_at_the_providers_default_the_rental_ends_and_its_fee_is_a_claim(rental_run):
    eco, rental, _, _ = rental_run
    fee = FEE_SHARE * rental.remaining()  # by hand: a tenth of the months left
    assert fee == pytest.approx(FEE_SHARE * RENT_GW * RENT_PRICE * (RENT_MONTHS - rental.months_billed), rel=1e-12)
    cash_before = eco.ledger.cash(RENTER)
    lost_before = eco.defaults.writeoffs.get(RENTER, 0.0)
    stake = eco.book.stake(RENTER, PROVIDER)
    shares = stake.shares if stake is not None else 0.0
    eco.defaults.default(eco.agent(PROVIDER), "test: the provider fails")
    assert not rental.active and rental.online_gw == 0.0
    recovered = eco.ledger.cash(RENTER) - cash_before - shares * eco.agent(PROVIDER).recovery_per_share
    lost = eco.defaults.writeoffs.get(RENTER, 0.0) - lost_before
    assert recovered >= 0 and lost >= 0
    assert recovered + lost == pytest.approx(fee, rel=1e-9)  # the claim was paid pro rata or written off
    assert any(e["event"] == "contract cancelled" and "GPU rental" in e["cause"] for e in eco.events)
    eco.credit.mark_debt()
    eco.check_books()


def pd_date(d: dt.date):
    import pandas as pd

    return pd.Timestamp(d)
