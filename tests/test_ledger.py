"""The ledger: double entry, provenance mixing and per-source conservation, on random transfer sequences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ailoop.model.ledger import EXTERNAL_SECTORS, SOURCES, AccountingError, InsufficientCash, Ledger

AGENTS = ["a", "b", "c", "d"]
INFLOW_SECTORS = [s for s, src in EXTERNAL_SECTORS.items() if src is not None]
SINKS = list(EXTERNAL_SECTORS)


def fresh() -> Ledger:
    return Ledger(AGENTS)


op = st.one_of(
    st.tuples(st.just("in"), st.sampled_from(AGENTS), st.sampled_from(INFLOW_SECTORS), st.floats(0.001, 100)),
    st.tuples(st.just("out"), st.sampled_from(AGENTS), st.sampled_from(SINKS), st.floats(0.0, 1.0)),
    st.tuples(st.just("pay"), st.sampled_from(AGENTS), st.sampled_from(AGENTS), st.floats(0.0, 1.0)),
    st.tuples(st.just("invest"), st.sampled_from(AGENTS), st.sampled_from(AGENTS), st.floats(0.0, 1.0)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(op, min_size=1, max_size=60))
def test_random_transfer_sequences_keep_every_identity(ops):
    led = fresh()
    for kind, x, y, amt in ops:
        if kind == "in":
            led.receive_external(x, y, amt, "retained", "end-user revenue")
        elif kind == "out":
            led.pay_external(x, y, amt * led.cash(x), "retained", "cost of goods")
        elif kind == "pay" and x != y:
            led.transfer(x, y, amt * led.cash(x), "retained", "retained", "compute bill")
        elif kind == "invest" and x != y:
            led.transfer(x, y, amt * led.cash(x), "equity_stakes", "paid_in", "equity investment", retag="chipmaker_investment")
        led.check()  # raises AccountingError on any broken identity
        # independent restatement of per-source conservation and the cash total
        held = led.cash_by_source.sum(axis=0)
        np.testing.assert_allclose(held, led.external_in - led.external_out + led.retag_net, atol=1e-9)
        np.testing.assert_allclose(led.balances[:, 0].sum(), (led.external_in - led.external_out).sum(), atol=1e-9)
        assert (led.balances[:, 0] >= -1e-12).all()


def test_pro_rata_mixing_traces_sources():
    led = fresh()
    led.receive_external("a", "end_users", 30.0, "retained", "end-user revenue")
    led.receive_external("a", "lp_investors", 10.0, "paid_in", "LP capital call")
    led.transfer("a", "b", 20.0, "retained", "retained", "compute bill")  # half of a's cash, mixed 3:1
    shares = led.provenance_shares("b")
    assert shares[SOURCES.index("end_user")] == pytest.approx(0.75)
    assert shares[SOURCES.index("lp_capital")] == pytest.approx(0.25)
    assert led.paid_between("a", "b") == pytest.approx(20.0)
    assert led.paid_by_shares("b")[SOURCES.index("end_user")] == pytest.approx(0.75)


def test_retag_relabels_but_conserves_total():
    led = fresh()
    led.receive_external("a", "end_users", 10.0, "retained", "end-user revenue")
    led.transfer("a", "b", 4.0, "equity_stakes", "paid_in", "equity investment", retag="chipmaker_investment")
    assert led.provenance_shares("b")[SOURCES.index("chipmaker_investment")] == pytest.approx(1.0)
    assert led.retag_net.sum() == pytest.approx(0.0, abs=1e-12)
    led.check()


def test_unbalanced_entry_is_refused_naming_agent_and_amount():
    led = fresh()
    with pytest.raises(AccountingError, match=r"leaves a out of balance by \+5"):
        led.post([("a", "gpus", 5.0)], "half an entry")


def test_cash_cannot_be_posted_directly_or_overdrawn():
    led = fresh()
    with pytest.raises(AccountingError, match="posts cash directly"):
        led.post([("a", "cash", 1.0), ("a", "paid_in", -1.0)])
    led.receive_external("a", "end_users", 1.0, "retained", "end-user revenue")
    with pytest.raises(InsufficientCash, match="a cannot pay 2"):
        led.transfer("a", "b", 2.0, "retained", "retained")


def test_check_names_step_agent_and_imbalance_when_books_are_tampered():
    led = fresh()
    led.receive_external("a", "end_users", 3.0, "retained", "end-user revenue")
    led.step = 17
    led.balances[led.index["b"], 3] += 2.5  # a GPU appears from nowhere
    with pytest.raises(AccountingError, match=r"step 17: b assets .* \(imbalance \+2\.5"):
        led.check()
    led.balances[led.index["b"], 3] -= 2.5
    led.cash_by_source[led.index["a"], 0] += 1.0  # provenance no longer matches cash
    with pytest.raises(AccountingError, match="step 17: a cash"):
        led.check()
