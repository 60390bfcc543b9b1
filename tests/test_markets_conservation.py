"""No free money, no shares from nowhere: the market sectors' books against independent quantities.

Every day of a year of the baseline (with exogenous flows: buybacks, share issues and the
levered fund's forced sales happen), three independent records must agree:

* the **ledger** (balances built only from postings): the ``traders`` sector's cash less its
  broker loan, the ``retail`` sector's cash and stakes;
* the **contract registry** (each stake's shares, the margin loan's amount);
* the **populations** (each trader's own cash and holdings, each holder's ETF units).

So must the money that crossed the sectors' borders: what the traders' cash lost equals the
shares their stakes gained times the closing prices plus the interest they were charged, and what
households put into the ETF equals what its basket gained. None of these quantities is a sum the
market engine reports about itself.
"""

from __future__ import annotations

import numpy as np
import pytest

from ailoop.model import Economy


def stake_shares(eco, holder: str) -> np.ndarray:
    out = []
    for f in eco.exchange.firms:
        s = eco.book.stake(holder, f.aid)
        out.append(s.shares if s is not None and s.active else 0.0)
    return np.array(out)


@pytest.fixture(scope="module")
def year_of_records():
    eco = Economy(seed=2)  # the books checked every step, fully every month
    led, ex = eco.ledger, eco.exchange
    rows = []
    for _ in range(252):
        before = dict(cash=led.cash("traders") - led.get("traders", "debt"), t_shares=stake_shares(eco, "traders"),
                      r_shares=stake_shares(eco, "retail"), r_value=led.cash("retail") + led.get("retail", "equity_stakes"),
                      households_in=led.paid_between("households", "retail"),
                      households_out=led.paid_between("retail", "households"))
        eco.step()
        px = np.array([f.price if not f.defaulted else 0.0 for f in ex.firms])
        rows.append(dict(before=before, prices=px, step=ex.last,
                         cash=led.cash("traders") - led.get("traders", "debt"),
                         pop_cash=float(np.sum(ex.traders.cash)), loan=led.get("traders", "debt"),
                         pop_loans=float(np.sum(ex.traders.loans)), contract_loan=ex.broker_loan.amount,
                         wealth_pos=float(np.sum(np.maximum(ex.traders.wealth(ex.market.prices), 0.0))),
                         t_shares=stake_shares(eco, "traders"),
                         pop_shares=np.ascontiguousarray(ex.traders.holdings.T).sum(axis=1),
                         r_shares=stake_shares(eco, "retail"), basket=ex.market.retail_shares_held.copy(),
                         r_value=led.cash("retail") + led.get("retail", "equity_stakes"),
                         units_value=ex.retail.holdings_value(),
                         households_in=led.paid_between("households", "retail"),
                         households_out=led.paid_between("retail", "households"),
                         held=np.array([eco.book.shares_held(f.aid) for f in ex.firms]),
                         outstanding=np.array([f.shares for f in ex.firms])))
    return eco, rows


def test_trader_sector_books_equal_the_traders_own_cash_and_holdings(year_of_records):
    _, rows = year_of_records
    for r in rows:
        assert r["cash"] == pytest.approx(r["pop_cash"], rel=1e-9, abs=1e-7)
        assert r["loan"] == pytest.approx(r["pop_loans"], rel=1e-9, abs=1e-9) == r["contract_loan"]
        np.testing.assert_allclose(r["t_shares"], r["pop_shares"], rtol=1e-9, atol=1e-12)
    assert max(r["pop_loans"] for r in rows) > 0.0, "some trader should have borrowed on margin"


def test_retail_sector_books_equal_the_holders_units_at_the_nav(year_of_records):
    _, rows = year_of_records
    for r in rows:
        assert r["r_value"] == pytest.approx(r["units_value"], rel=1e-9, abs=1e-7)
        np.testing.assert_allclose(r["r_shares"], r["basket"], rtol=1e-9, atol=1e-12)


def test_money_crossing_the_trader_sector_is_paid_for_at_the_close(year_of_records):
    """The traders' cash falls by the shares their stakes gained times the closing price, plus the
    interest on their loans - and by nothing else."""
    _, rows = year_of_records
    for r in rows:
        b = r["before"]
        bought = float(np.dot(r["t_shares"] - b["t_shares"], r["prices"]))
        assert b["cash"] - r["cash"] == pytest.approx(bought + r["step"].trader_interest, rel=1e-8, abs=1e-7)


def test_households_pay_for_the_shares_the_etf_adds(year_of_records):
    """Net household money into the ETF equals its basket's change times the closing price: the
    ETF neither keeps cash nor borrows."""
    _, rows = year_of_records
    for r in rows:
        b = r["before"]
        net_in = (r["households_in"] - b["households_in"]) - (r["households_out"] - b["households_out"])
        bought = float(np.dot(r["r_shares"] - b["r_shares"], r["prices"]))
        assert net_in == pytest.approx(bought, rel=1e-8, abs=1e-7)


def test_no_firm_has_more_shares_held_than_outstanding(year_of_records):
    _, rows = year_of_records
    for r in rows:
        assert np.all(r["held"] <= r["outstanding"] * (1 + 1e-12))


def test_margin_loans_stay_within_their_limit(year_of_records):
    """After each day the sector's broker loan is within its limit (a share of the traders'
    wealth) up to the day's price move: a trader over it was made to sell."""
    eco, rows = year_of_records
    limit_share = eco.params["trader_margin_limit"]
    for r in rows:
        assert r["loan"] <= limit_share * r["wealth_pos"] * np.exp(eco.params["market_max_daily_move"]) + 1e-9


def test_the_checks_can_fail():
    """A trader's cash or an ETF unit changed outside the market breaks the reconciliation."""
    from ailoop.model.ledger import AccountingError

    eco = Economy(seed=2)
    eco.run(years=0.05)
    eco.exchange.traders.cash[3] += 0.01
    with pytest.raises(AccountingError, match="traders: cash less broker loan"):
        eco.check_books()
    eco.exchange.traders.cash[3] -= 0.01
    eco.check_books()
    eco.exchange.retail.units[7] *= 1.001
    with pytest.raises(AccountingError, match="retail: cash and stakes"):
        eco.check_books()
