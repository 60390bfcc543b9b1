"""Paying bills under contracts: pay in cash if possible, otherwise owe the rest as arrears."""

from __future__ import annotations

from ailoop.model.contracts.base import Contract
from ailoop.model.contracts.book import ContractBook
from ailoop.model.contracts.debt import Invoice, TradeCredit
from ailoop.model.ledger import AccountingError, Ledger


def pay(ledger: Ledger, payer: str, payee: str, x: float, payer_debit: str, payee_credit: str, memo: str,
        ref=None) -> None:
    """Pay ``x`` $B of cash from ``payer`` to ``payee``, an agent or an external sector, under
    contract ``ref`` (if any)."""
    if payee in ledger.index:
        ledger.transfer(payer, payee, x, payer_debit, payee_credit, memo, ref=ref)
    else:
        ledger.pay_external(payer, payee, x, payer_debit, memo, ref=ref)


def pay_or_owe(ledger: Ledger, book: ContractBook, payer: str, payee: str, amount: float, payer_debit: str,
               payee_credit: str, memo: str, ref=None) -> float:
    """Pay ``amount`` $B if the payer has the cash; book any shortfall as arrears (a TradeCredit).

    The bill is accrued in full either way (the payer's expense or asset, the payee's revenue);
    the unpaid part sits as the payer's ``payables`` and, when the payee is an agent, the payee's
    ``receivables``. ``payee`` may be an external sector; ``ref`` is the contract billed under.
    Returns the cash paid.
    """
    if amount <= 0.0:
        return 0.0
    paid = min(amount, max(0.0, ledger.cash(payer)))
    if paid > 0.0:
        pay(ledger, payer, payee, paid, payer_debit, payee_credit, memo, ref)
    if amount - paid > 1e-12:  # (what owe books: nothing below a thousandth of a dollar)
        owe(ledger, book, payer, payee, amount - paid, payer_debit, payee_credit, memo, ref)
    return paid


def terms(ctx, name: str) -> int:
    """The trade terms (months) the parameter ``name`` gives, or 0 without ``channel_trade_credit``."""
    return int(ctx.params[name]) if ctx.params["channel_trade_credit"] else 0


def bill(ledger: Ledger, book: ContractBook, payer: str, payee: str, amount: float, payer_debit: str,
         payee_credit: str, memo: str, month: int, terms: int, ref=None) -> float:
    """Bill ``amount`` $B to ``payer`` on trade terms: due ``terms`` months from ``month`` (an
    :class:`Invoice`: the payer's ``payables``, the payee's ``receivables``; cleared with the
    network's other bills when due). Without terms, or to an outside payee, it is paid at once as
    far as cash allows (:func:`pay_or_owe`). Returns the cash paid now."""
    if amount <= 0.0:
        return 0.0
    if ref is not None and not {payer, payee} <= {ref.holder, ref.issuer}:
        # an invoice is an accrual the journal's cash check does not see: its parties are checked here
        raise AccountingError(f"'{memo}' bills {payer} -> {payee} under a {ref.kind} contract between "
                              f"{ref.holder} and {ref.issuer}")
    if terms <= 0 or payee not in ledger.index:
        return pay_or_owe(ledger, book, payer, payee, amount, payer_debit, payee_credit, memo, ref)
    ledger.post([(payer, payer_debit, amount), (payer, "payables", -amount),
                 (payee, "receivables", amount), (payee, payee_credit, -amount)], "invoice (" + memo + ")", ref)
    due = month + terms
    for c in book.issued_by(payer, Contract.payable_due):  # one bill per seller and due month
        if c.holder == payee and c.due_month == due:
            c.amount += amount
            return 0.0
    book.add(Invoice(holder=payee, issuer=payer, amount=amount, billed_month=month, due_month=due, what=memo))
    return 0.0


def owe(ledger: Ledger, book: ContractBook, payer: str, payee: str, amount: float, payer_debit: str,
        payee_credit: str, memo: str, ref=None) -> None:
    """Book ``amount`` $B as owed by ``payer`` to ``payee`` without paying any of it: arrears (a
    TradeCredit), the payer's ``payables`` and the payee's ``receivables``. Used for what falls due
    unpaid and for claims on a defaulter's estate (paid pro rata with its other claims)."""
    if amount <= 1e-12:
        return
    ledger.post([(payer, payer_debit, amount), (payer, "payables", -amount)], memo + " (arrears)", ref)
    if payee in ledger.index:
        ledger.post([(payee, "receivables", amount), (payee, payee_credit, -amount)], memo + " (arrears)", ref)
    tc = book.arrears(payee, payer)
    if tc is None:
        book.add(TradeCredit(holder=payee, issuer=payer, amount=amount, what=memo))
    else:
        tc.amount += amount


def settle_arrears(ledger: Ledger, book: ContractBook, payer: str) -> float:
    """Pay ``payer``'s arrears, oldest first, as far as its cash allows. Returns $B paid."""
    total = 0.0
    for c in book.issued_by(payer, Contract.arrears):
        cash = ledger.cash(payer)
        if cash <= 1e-12:
            break
        x = min(cash, c.amount)
        pay(ledger, payer, c.holder, x, "payables", "receivables", "pay arrears (" + c.what + ")", c)
        c.amount -= x
        total += x
        if c.amount <= 1e-12:
            c.amount = 0.0
            c.active = False
    return total
