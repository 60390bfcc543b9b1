"""The books check catches a wrong balance in every column it is meant to cover.

* The journal replay (``Journal.verify``) compares every account of every agent with the sum of
  its posted lines: a balance that differs from the journal in any one column — retained earnings
  included — is named, with the account.
* The registries (``BooksCheck``) explain every contract-backed, fleet and reserve account: a
  balanced posting its transaction type allows but that no contract, fleet or mark stands behind
  (a write-off of a loan that is still on the books, an asset written down that is still in the
  fleet, ...) is named with the agent and the account — bonds held included.
"""

from __future__ import annotations

import pytest

from ailoop.model import AccountingError
from ailoop.model.journal import JournalError
from ailoop.model.ledger import ACCOUNTS, Ledger
from handbuilt import opening_economy


# ---------------------------------------------------------------------------- the journal replay
def small_ledger() -> Ledger:
    """Two agents with a few postings touching every kind of account."""
    led = Ledger(["a", "b"])
    led.open_position("a", "cash", 10.0)
    led.open_position("b", "cash", 5.0)
    led.transfer("a", "b", 2.0, "retained", "retained", "compute bill")
    led.transfer("b", "a", 1.0, "bonds_held", "debt", "debt issue")
    return led


def test_a_clean_journal_replays_to_the_books():
    led = small_ledger()
    led.journal.verify(led.balances, led.agent_ids, led.contract_parties, 1e-9)


@pytest.mark.parametrize("account", list(ACCOUNTS))
def test_a_balance_that_differs_from_the_journal_in_any_one_account_is_named(account):
    """The replay is compared column by column: +0.5 $B in one account of agent b, nowhere else,
    is caught and named (``Journal.verify`` checks the journal, not the trial balance, so a
    single column can be tried on its own)."""
    led = small_ledger()
    books = led.balances.copy()
    books[led.index["b"], list(ACCOUNTS).index(account)] += 0.5
    with pytest.raises(JournalError, match=rf"^b {account} is .* in the ledger but .* in the journal"):
        led.journal.verify(books, led.agent_ids, led.contract_parties, 1e-9)


# ---------------------------------------------------------------------------- the registries
#: for each reconciled account: an agent of the opening economy, a balanced entry moving 0.5 $B
#: between that account and an unreconciled one, under a transaction type the chart allows
TAMPER = {
    "bonds_held": ("bond_08", [("bonds_held", -0.5), ("retained", 0.5)], "write-off"),
    "receivables": ("cloud", [("receivables", 0.5), ("retained", -0.5)], "write-off"),
    "prepaid": ("lab", [("prepaid", -0.5), ("retained", 0.5)], "prepayment forfeited"),
    "deferred_revenue": ("hyper_1", [("deferred_revenue", 0.5), ("retained", -0.5)], "customer claims extinguished"),
    "payables": ("cloud", [("payables", -0.5), ("retained", 0.5)], "debt extinguished"),
    "debt": ("neocloud", [("debt", 0.5), ("retained", -0.5)], "debt extinguished"),
    "equity_stakes": ("vc_1", [("equity_stakes", -0.5), ("retained", 0.5)], "private stake write-down"),
    "warrants": ("lab", [("warrants", 0.5), ("retained", -0.5)], "asset written down"),
    "gpus": ("cloud", [("gpus", -0.5), ("retained", 0.5)], "asset written down"),
    "dc_plant": ("cloud", [("dc_plant", -0.5), ("retained", 0.5)], "asset written down"),
    "construction": ("cloud", [("construction", 0.5), ("retained", -0.5)], "asset written down"),
    "other_assets": ("cloud", [("other_assets", -0.5), ("retained", 0.5)], "asset written down"),
    # a mark may touch only marks: the reserve moves with it and still matches the marks; the bond
    # valuation no longer matches the bonds' marks
    "bond_valuation": ("bond_08", [("bond_valuation", 0.5), ("revaluation", -0.5)], "mark bonds"),
}


def test_the_opening_books_pass_the_full_check():
    opening_economy().check_books()


@pytest.mark.parametrize("account", sorted(TAMPER))
def test_a_balanced_posting_no_contract_stands_behind_is_named_by_the_registries(account):
    """Each entry balances and touches only accounts its transaction type may touch, so the trial
    balance and the chart of transaction types pass; only the registry explains the account, and
    it names the agent and the account, with the 0.5 $B gap."""
    eco = opening_economy()
    aid, lines, memo = TAMPER[account]
    eco.ledger.post([(aid, acct, x) for acct, x in lines], memo)
    with pytest.raises(AccountingError, match=rf"{aid} books {account} at .* but its contracts say .* "
                                              rf"\(imbalance [+-]0\.5000"):
        eco.check_books()
    eco.ledger.check(reconcile=False)  # the identities alone do not see it
