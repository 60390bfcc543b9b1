"""The ledger: double entry, provenance mixing and per-source conservation, on random operation
sequences compared with a plain-Python model of what the operations should leave behind."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ailoop.model.ledger import SOURCES, AccountingError, InsufficientCash, Ledger
from ledger_shadow import SECTOR_SOURCE, Shadow, mismatches

AGENTS = ["a", "b", "c", "d"]
INFLOW_SECTORS = [s for s, src in SECTOR_SOURCE.items() if src is not None]
SINKS = list(SECTOR_SOURCE)
#: debit sign of the accounts the operations touch (assets +, liabilities and equity -)
SIGN = {"retained": -1.0, "paid_in": -1.0, "equity_stakes": 1.0, "payables": -1.0, "receivables": 1.0}

frac = st.floats(0.0, 1.0)
op = st.one_of(
    st.tuples(st.just("open"), st.sampled_from(AGENTS), st.just(None), st.floats(0.001, 50)),
    st.tuples(st.just("in"), st.sampled_from(AGENTS), st.sampled_from(INFLOW_SECTORS), st.floats(0.001, 100)),
    st.tuples(st.just("out"), st.sampled_from(AGENTS), st.sampled_from(SINKS), frac),
    st.tuples(st.just("pay"), st.sampled_from(AGENTS), st.sampled_from(AGENTS), frac),
    st.tuples(st.just("invest"), st.sampled_from(AGENTS), st.sampled_from(AGENTS), frac),
    # a clearing round: each agent pays fractions of its cash to the others and to a sector, plus
    # an amount around the ring a -> b -> c -> d -> a that may exceed what any of them holds
    st.tuples(st.just("clear"), st.lists(frac, min_size=4 * 4, max_size=4 * 4), st.sampled_from(SINKS),
              st.floats(0.0, 200.0)),
)


class Expected:
    """Accounts the operations should have moved: (agent, account) -> net debits ($B)."""

    def __init__(self):
        self.debits: dict[tuple[str, str], float] = defaultdict(float)

    def book(self, agent: str, account: str, debit: float) -> None:
        self.debits[(agent, account)] += debit


def clearing_payments(led: Ledger, fracs, sink, ring) -> dict[tuple[str, str], float]:
    pay: dict[tuple[str, str], float] = {}
    for i, x in enumerate(AGENTS):
        shares = fracs[4 * i: 4 * i + 4]
        total = sum(shares) or 1.0
        targets = [y for y in AGENTS if y != x] + [sink]
        for y, f in zip(targets, shares):
            # within its own cash: the share first (at most 1), then the cash; cash x f / total, left to
            # right, rounds a subnormal product up (1.5 x 5e-324 = 1e-323) and paid 2 x the cash
            amt = led.cash(x) * (f / total) * 0.999
            if y == AGENTS[(i + 1) % 4]:
                amt += ring  # funded by what it receives from the agent before it on the ring
            if amt > 0:
                pay[(x, y)] = amt
    return pay


@settings(max_examples=200, deadline=None)
@given(st.lists(op, min_size=1, max_size=60))
@example([("open", "b", None, 1.5), ("clear", [0.0] * 7 + [5e-324] + [0.0] * 8, "end_users", 0.0)])
def test_random_operations_leave_what_a_plain_model_of_them_expects(ops):
    led, shadow, want = Ledger(AGENTS), Shadow(AGENTS), Expected()
    for kind, x, y, amt in ops:
        if kind == "open":
            led.open_position(x, "cash", amt)
            shadow.open_cash(x, amt)
            want.book(x, "paid_in", -amt)
        elif kind == "in":
            led.receive_external(x, y, amt, "retained", "end-user revenue")
            shadow.receive(x, y, amt)
            want.book(x, "retained", -amt)
        elif kind == "out":
            z = amt * led.cash(x)
            led.pay_external(x, y, z, "retained", "cost of goods")
            shadow.pay_out(x, y, z)
            want.book(x, "retained", z)
        elif kind in ("pay", "invest") and x != y:
            z = amt * led.cash(x)
            debit, credit, retag, memo = (("retained", "retained", None, "compute bill") if kind == "pay"
                                          else ("equity_stakes", "paid_in", "chipmaker_investment", "equity investment"))
            led.transfer(x, y, z, debit, credit, memo, retag=retag)
            shadow.transfer(x, y, z, retag=retag)
            want.book(x, debit, z)
            want.book(y, credit, -z)
        elif kind == "clear":
            payments = clearing_payments(led, x, y, amt)
            led.settle_simultaneous(payments, memo="clearing of arrears")
            shadow.clear(payments)
            for (p, q), z in payments.items():
                want.book(p, "payables", z)
                if q in AGENTS:
                    want.book(q, "receivables", -z)
        # cash, provenance by source, payments between parties, receipts by source, money in and out
        assert mismatches(led, shadow, abs_=1e-9) == []
        # every account the operations touched, and the double entry: assets - liabilities - equity
        # = 0 means cash equals minus the net debits of the counter-entries
        for a in AGENTS:
            for account, sign in SIGN.items():
                assert led.get(a, account) == pytest.approx(sign * want.debits[(a, account)], abs=1e-9), (a, account)
            assets, liabilities, equity = led.totals(a)
            assert assets == pytest.approx(liabilities + equity, abs=1e-9)
        led.check()  # and the ledger's own check agrees


def test_pro_rata_mixing_traces_sources():
    led = Ledger(AGENTS)
    led.receive_external("a", "end_users", 30.0, "retained", "end-user revenue")
    led.receive_external("a", "lp_investors", 10.0, "paid_in", "LP capital call")
    led.transfer("a", "b", 20.0, "retained", "retained", "compute bill")  # half of a's cash, mixed 3:1
    shares = led.provenance_shares("b")
    assert shares[SOURCES.index("end_user")] == pytest.approx(0.75)
    assert shares[SOURCES.index("lp_capital")] == pytest.approx(0.25)
    assert led.cash_by_source[led.index["a"], SOURCES.index("end_user")] == pytest.approx(15.0)
    assert led.paid_between("a", "b") == pytest.approx(20.0)
    assert led.paid_between("lp_investors", "a") == pytest.approx(10.0)
    assert led.paid_by_shares("b")[SOURCES.index("end_user")] == pytest.approx(0.75)


def test_retag_relabels_the_payees_cash_and_records_what_it_retired():
    led = Ledger(AGENTS)
    led.receive_external("a", "end_users", 6.0, "retained", "end-user revenue")
    led.receive_external("a", "households", 4.0, "retained", "end-user revenue")
    led.transfer("a", "b", 5.0, "equity_stakes", "paid_in", "equity investment", retag="chipmaker_investment")
    k_cmi, k_user, k_hh = (SOURCES.index(s) for s in ("chipmaker_investment", "end_user", "household"))
    assert led.cash_by_source[led.index["b"], k_cmi] == pytest.approx(5.0)
    assert led.cash_by_source[led.index["b"]].sum() == pytest.approx(5.0)
    # half of a's cash, in a's 3:2 mix, was re-labelled
    assert led.retag_net[k_user] == pytest.approx(-3.0) and led.retag_net[k_hh] == pytest.approx(-2.0)
    assert led.retag_net[k_cmi] == pytest.approx(5.0)
    assert led.get("a", "equity_stakes") == pytest.approx(5.0) and led.get("b", "paid_in") == pytest.approx(5.0)
    led.check()


def test_clearing_pools_what_is_paid_in_the_round():
    """a holds 10 of end-user cash, b nothing; a pays b 10 and b pays c 10 in the same round: b
    pays out of what it receives, so c ends with a's end-user money and b with nothing."""
    led = Ledger(AGENTS)
    led.receive_external("a", "end_users", 10.0, "retained", "end-user revenue")
    led.settle_simultaneous({("a", "b"): 10.0, ("b", "c"): 10.0})
    assert led.cash("b") == pytest.approx(0.0, abs=1e-12)
    assert led.cash_by_source[led.index["c"], SOURCES.index("end_user")] == pytest.approx(10.0)
    assert led.get("b", "receivables") == pytest.approx(-10.0) and led.get("b", "payables") == pytest.approx(-10.0)
    with pytest.raises(InsufficientCash, match="c pays"):  # c cannot pay more than it holds and receives
        led.settle_simultaneous({("c", "d"): 11.0})


def test_unbalanced_entry_is_refused_naming_agent_and_amount():
    led = Ledger(AGENTS)
    with pytest.raises(AccountingError, match=r"leaves a out of balance by \+5"):
        led.post([("a", "gpus", 5.0)], "half an entry")


def test_cash_cannot_be_posted_directly_or_overdrawn():
    led = Ledger(AGENTS)
    with pytest.raises(AccountingError, match="posts cash directly"):
        led.post([("a", "cash", 1.0), ("a", "paid_in", -1.0)])
    led.receive_external("a", "end_users", 1.0, "retained", "end-user revenue")
    with pytest.raises(InsufficientCash, match="a cannot pay 2"):
        led.transfer("a", "b", 2.0, "retained", "retained")


def test_check_names_step_agent_and_imbalance_when_books_are_tampered():
    led = Ledger(AGENTS)
    led.receive_external("a", "end_users", 3.0, "retained", "end-user revenue")
    led.step = 17
    led.balances[led.index["b"], 3] += 2.5  # a GPU appears from nowhere
    with pytest.raises(AccountingError, match=r"step 17: b assets .* \(imbalance \+2\.5"):
        led.check()
    led.balances[led.index["b"], 3] -= 2.5
    led.cash_by_source[led.index["a"], 0] += 1.0  # provenance no longer matches cash
    with pytest.raises(AccountingError, match="step 17: a cash"):
        led.check()
    led.cash_by_source[led.index["a"], 0] -= 1.0
    led.cash_by_source[led.index["a"], SOURCES.index("end_user")] -= 1.0  # cash vanishes from both stores
    led.balances[led.index["a"], 0] -= 1.0
    led.balances[led.index["a"], 1] += 1.0  # (kept balanced as a receivable)
    with pytest.raises(AccountingError, match="source 'end_user' not conserved"):
        led.check()
