"""The books check catches wrong bookkeeping that keeps every balance sheet balanced.

Each test plants one bug in the running model — a posting to the wrong account, with the wrong
amount, to the wrong counterparty, a mark to the wrong equity line, a balance changed without a
posting — and checks that ``check_books()`` names it. Without the bug the same run passes.
"""

from __future__ import annotations

import pytest

import ailoop.model.contracts.compute as capacity_owner
from ailoop.agents.cloud import CloudProvider
from ailoop.model import AccountingError, Economy
from ailoop.model.contracts import EquityStake


def economy(months: int = 2) -> Economy:
    eco = Economy(seed=3, checks=False)
    for _ in range(months * 21):
        eco.step()
    eco.check_books()  # clean so far
    return eco


def one_more_month(eco: Economy) -> None:
    for _ in range(21):
        eco.step()


def test_a_clean_run_passes():
    eco = economy(1)
    one_more_month(eco)
    eco.check_books()


def test_revenue_booked_as_paid_in_capital_is_caught(monkeypatch):
    eco = economy()

    def earn(self):  # the bug: non-AI income credited to paid-in capital instead of retained earnings
        self.ledger.receive_external(self.aid, "non_ai_business", self.non_ai_income, "paid_in", "non-AI business")
        self.add_flow("revenue_other", self.non_ai_income)
        self.pay_opex(self.non_ai_costs, "non-AI business costs")

    monkeypatch.setattr(CloudProvider, "earn", earn)
    one_more_month(eco)
    with pytest.raises(AccountingError, match=r"'non-AI business'\) posts to (cloud|neocloud) paid_in; allowed: cash, "
                                              r"receivables, payables, retained"):
        eco.check_books()


def test_an_equity_investment_with_the_wrong_amount_is_caught(monkeypatch):
    eco = economy()
    real = eco.ledger.transfer

    def transfer(payer, payee, amount, payer_debit, payee_credit, memo="", retag=None, ref=None):
        if memo == "equity investment":  # the bug: a little less cash moves than the shares registered
            amount *= 0.99
        real(payer, payee, amount, payer_debit, payee_credit, memo, retag, ref)

    monkeypatch.setattr(eco.ledger, "transfer", transfer)
    eco.transactions.invest_equity("chip_leader", "lab", 1.0, eco.agent("lab").price)
    with pytest.raises(AccountingError, match=r"chip_leader books equity_stakes at .* but its contracts say .* "
                                              r"\(imbalance -0\.0100"):
        eco.check_books()


def test_a_bill_paid_to_the_wrong_provider_is_caught(monkeypatch):
    eco = economy()
    real = capacity_owner.bill

    def bill(ledger, book, payer, payee, amount, payer_debit, payee_credit, memo, month, terms, ref=None):
        if memo == "compute bill" and payee == "cloud":  # the bug: the cloud's bill is sent to the neocloud
            payee = "neocloud"
        return real(ledger, book, payer, payee, amount, payer_debit, payee_credit, memo, month, terms, ref)

    monkeypatch.setattr(capacity_owner, "bill", bill)
    # bills go out on trade terms: the invoice (an accrual, no cash yet) is refused when it is made
    with pytest.raises(AccountingError, match=r"'compute bill' bills lab(_spv)? -> neocloud under a capacity contract "
                                              r"between lab(_spv)? and cloud"):
        one_more_month(eco)
        eco.check_books()


def test_a_mark_booked_to_retained_earnings_is_caught(monkeypatch):
    eco = economy()
    real = eco.ledger.post

    def post(lines, memo="", ref=None):
        if memo == "mark listed stakes":  # the bug: the day's marks go to retained earnings
            lines = [(a, "retained" if acct == "revaluation" else acct, x) for a, acct, x in lines]
        real(lines, memo, ref)

    monkeypatch.setattr(eco.ledger, "post", post)
    eco.step()
    with pytest.raises(AccountingError, match=r"'mark listed stakes'\) posts to \w+ retained; allowed: equity_stakes, "
                                              r"warrants, bond_valuation, revaluation"):
        eco.check_books()


def test_a_mark_booked_to_the_wrong_asset_is_caught_by_the_registry(monkeypatch):
    """The chart lets a mark touch stakes, warrants and the reserve; the registries still catch a
    stake's mark booked as a warrant."""
    eco = economy()
    real = eco.ledger.post

    def post(lines, memo="", ref=None):
        if memo == "mark listed stakes":
            lines = [(a, "warrants" if acct == "equity_stakes" else acct, x) for a, acct, x in lines]
        real(lines, memo, ref)

    monkeypatch.setattr(eco.ledger, "post", post)
    eco.step()
    with pytest.raises(AccountingError, match=r"books (equity_stakes|warrants) at .* but its contracts say"):
        eco.check_books()


def test_a_balance_changed_without_a_posting_is_caught():
    eco = economy()
    led = eco.ledger
    i = led.index["neocloud"]
    led.balances[i, list(led.journal.accounts).index("other_assets")] += 2.0  # balanced by ...
    led.balances[i, list(led.journal.accounts).index("retained")] += 2.0  # ... a gain from nowhere
    with pytest.raises(AccountingError, match=r"neocloud other_assets is .* in the ledger but .* in the journal"):
        eco.check_books()


def test_a_trade_the_population_made_but_the_sector_did_not_book_is_caught(monkeypatch):
    """The market sectors are reconciled with their populations: a day of the traders' trades
    settled in the population but not in the ledger, or the ETF's basket moved without its stake,
    is caught (``BooksCheck.check_populations``)."""
    eco = economy(1)
    ex = eco.exchange
    real = eco.transactions.trade_with_outside

    def trade(holder, firms, shares, prices):  # the bug: the traders' fills of one day are not booked
        if holder == "traders" and eco.steps == 30:
            return 0.0
        return real(holder, firms, shares, prices)

    monkeypatch.setattr(eco.transactions, "trade_with_outside", trade)
    one_more_month(eco)
    with pytest.raises(AccountingError, match=r"traders: (cash less broker loan|\w+ shares)"):
        eco.check_books()


def test_an_etf_basket_moved_without_its_stake_is_caught():
    eco = economy(1)
    eco.exchange.market.retail_shares_held[2] *= 1.0001
    with pytest.raises(AccountingError, match=r"retail: \w+ shares"):
        eco.check_books()
