"""Rescue as a decision: chip_leader, which holds a stake in the neocloud and backstops its unsold
capacity, rescues it when it falls behind on its bills only if what it would lose if the
neocloud failed — its stake and the margin on the GPUs the neocloud still has to buy — is worth
more than the cash; the decision and its price are logged either way, and the backstop is drawn
only as part of a rescue. (Then, as any stakeholder, it decides for the firms still behind on their
bills: tests/test_channel_decisions.py.)"""

from __future__ import annotations

import pytest

from ailoop.model import Economy
from ailoop.model.contracts import owe


def distressed(arrears: float, **kw) -> Economy:
    eco = Economy(seed=1, checks=False, **kw)
    eco.run(years=1.5)
    led = eco.ledger
    led.pay_external("neocloud", "operating_costs", led.cash("neocloud"), "retained", "capacity operations")
    owe(led, eco.book, "neocloud", "operating_costs", arrears, "retained", "retained", "capacity operations")
    return eco


def test_a_rescue_worth_more_than_its_cost_is_made_and_logged_with_its_price():
    eco = distressed(1.0)
    chip, neo = eco.agent("chip_leader"), eco.agent("neocloud")
    stake = eco.book.stake("chip_leader", "neocloud")
    shares0, cash0, price = stake.shares, chip.cash, neo.price
    backstop, = eco.book.issued_by("neocloud", "backstop")
    used0 = backstop.used
    worth = stake.shares * price + chip.expected_margin_from(neo)
    assert worth > 1.0
    chip.consider_rescues()
    event = next(e for e in eco.events if e["event"] == "rescue")
    assert event["agent"] == "chip_leader" and event["cause"].startswith("neocloud:")
    assert f"${price:,.2f}" in event["cause"] and event["size"] == pytest.approx(1.0)
    capacity = backstop.used - used0
    equity = 1.0 - capacity
    assert cash0 - chip.cash == pytest.approx(1.0)
    assert stake.shares - shares0 == pytest.approx(equity / price)
    assert eco.defaults.overdue("neocloud") == pytest.approx(0.0, abs=1e-9)  # (bills within their terms remain)
    eco.check_books()


def test_a_rescue_that_costs_more_than_it_saves_is_declined():
    eco = distressed(500.0)
    chip = eco.agent("chip_leader")
    cash0, shares0 = chip.cash, eco.book.stake("chip_leader", "neocloud").shares
    chip.consider_rescues()
    decisions = [e for e in eco.events if e["event"].startswith("rescue")]
    assert decisions and all(e["event"] == "rescue declined" and "not worth it" in e["cause"] for e in decisions)
    assert chip.cash == cash0 and eco.book.stake("chip_leader", "neocloud").shares == shares0


def test_without_a_stake_there_is_no_backstop_rescue_to_decide():
    """No stake: no backstop rescue; as a supplier chip_leader still weighs the margin it would lose
    (no stake in it) and the backstop is not drawn."""
    eco = distressed(1.0, cross_holdings=False)
    backstop, = eco.book.issued_by("neocloud", "backstop")
    used0 = backstop.used
    eco.agent("chip_leader").consider_rescues()
    assert backstop.used == used0
    assert all("its stake 0.00" in e["cause"] for e in eco.events if e["event"].startswith("rescue"))


def test_the_backstop_is_not_drawn_while_the_customer_pays_its_bills():
    eco = Economy(seed=1, checks=False)
    eco.run(years=2)
    backstop, = eco.book.issued_by("neocloud", "backstop")
    assert backstop.used == 0.0 and backstop.remaining() == eco.params["backstop_value"]
    assert eco.agent("chip_leader").flow_cum.get("backstop_cost", 0.0) == 0.0
