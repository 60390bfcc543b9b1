"""Channel (d): trade credit on terms. Bills fall due months after delivery; when they do, the
network's due bills and arrears are cleared together, so unpaid bills chain across firms and the
Eisenberg–Noe vector decides who is paid what — here a chain where it differs from each paying
what it has, computed by hand."""

from __future__ import annotations

import pytest

from ailoop.model.contracts import bill
from handbuilt import opening_economy, set_cash

A, B, C = "lab", "neocloud", "chip_challenger"  # three firms as a payment chain A -> B -> C


def chain(cash_a: float, owed: float = 10.0):
    """A owes B ``owed``, B owes C ``owed``, both bills on one-month terms from month 0; A has
    ``cash_a``, B and C nothing; nothing else is owed."""
    eco = opening_economy()
    for aid in (A, B, C):
        for c in eco.book.issued_by(aid):
            if c.arrears() or c.payable_due(10**6):
                c.active = False
        set_cash(eco, aid, 0.0)
    set_cash(eco, A, cash_a)
    bill(eco.ledger, eco.book, A, B, owed, "retained", "retained", "compute bill", 0, 1)
    bill(eco.ledger, eco.book, B, C, owed, "retained", "retained", "GPU purchase", 0, 1)
    return eco


def test_a_bill_within_its_terms_is_not_overdue_and_is_not_paid_before_it_falls_due():
    eco = chain(10.0)
    assert eco.ledger.get(A, "payables") >= 10.0 and eco.defaults.overdue(A) == 0.0
    eco.month = 0  # billed this month, due next
    assert eco.defaults.clear() == 0.0
    assert eco.ledger.cash(A) == pytest.approx(10.0)


@pytest.mark.parametrize("cash_a, to_b, to_c, gap", [(10.0, 10.0, 10.0, 10.0), (6.0, 6.0, 6.0, 6.0), (0.0, 0.0, 0.0, 0.0)])
def test_clearing_pays_along_the_chain_where_each_paying_what_it_has_would_not(cash_a, to_b, to_c, gap):
    """Due together: A pays B what it has (all of 10, or 6 of it), and B — with no cash of its own —
    pays C what it receives. Each paying out of its own cash, B would pay nothing: the clearing gap
    is what B pays beyond that. What is unpaid is overdue: arrears."""
    eco = chain(cash_a)
    eco.month = 1
    paid_ab, paid_bc = eco.ledger.paid_between(A, B), eco.ledger.paid_between(B, C)
    eco.defaults.clear()
    assert eco.ledger.paid_between(A, B) - paid_ab == pytest.approx(to_b, abs=1e-9)
    assert eco.ledger.paid_between(B, C) - paid_bc == pytest.approx(to_c, abs=1e-9)
    assert eco.defaults.clearing_gap == pytest.approx(gap, abs=1e-9)
    assert eco.defaults.overdue(A) == pytest.approx(10.0 - to_b, abs=1e-9)
    assert eco.defaults.overdue(B) == pytest.approx(10.0 - to_c, abs=1e-9)
    eco.ledger.check(reconcile=True)


def test_a_payer_with_the_cash_pays_its_bills_outright_with_its_own_provenance():
    """A solvent payer pays outright (a transfer: the payee's receipt carries the payer's mix)."""
    eco = chain(25.0)
    eco.month = 1
    mix_a = eco.ledger.provenance_shares(A)
    eco.defaults.clear()
    assert eco.defaults.clearing_gap == pytest.approx(10.0)  # B still pays C out of A's money
    assert eco.ledger.cash(C) == pytest.approx(10.0)
    assert eco.ledger.provenance_shares(C) == pytest.approx(mix_a, abs=1e-9)


@pytest.mark.parametrize("terms, months_due", [(1, 1), (2, 2)])
def test_chip_deliveries_and_capacity_bills_fall_due_on_their_terms(terms, months_due):
    """A GPU purchase is billed on ``terms_chips_months``: the buyer's payables and the vendor's
    receivables carry it until then, no cash moves at delivery."""
    eco = opening_economy(terms_chips_months=terms)
    cloud = eco.agent("cloud")
    set_cash(eco, "cloud", 50.0)
    order = next(o for o in eco.book.held_by("cloud", "chip_order") if o.undelivered_units > 0)
    applied = order.prepaid * 0.01 / order.undelivered_units
    cloud.take_delivery(order, 0.01)
    inv = [c for c in eco.book.issued_by("cloud", "invoice") if c.holder == order.issuer]
    assert cloud.cash == pytest.approx(50.0, abs=1e-12)
    assert sum(c.amount for c in inv) == pytest.approx(0.01 * order.unit_price - applied, rel=1e-12)
    assert [c.due_month for c in inv] == [eco.month + months_due]


def test_without_the_channel_bills_are_paid_at_once():
    eco = opening_economy(channel_trade_credit=False)
    cloud = eco.agent("cloud")
    set_cash(eco, "cloud", 50.0)
    order = next(o for o in eco.book.held_by("cloud", "chip_order") if o.undelivered_units > 0)
    cash, pre = cloud.cash, order.prepaid
    share = 0.01 / order.undelivered_units
    cloud.take_delivery(order, 0.01)
    assert cash - cloud.cash == pytest.approx(0.01 * order.unit_price - pre * share, rel=1e-9)
    assert not eco.book.issued_by("cloud", "invoice")
