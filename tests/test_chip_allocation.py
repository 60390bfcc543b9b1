"""How a chipmaker short of supply shares its production among its order book
(``Chipmaker.produce_and_deliver``, parameter ``chip_allocation_pro_rata``).

Hand-built: chip_leader's queue holds two orders from the unmodelled buyers (so no buyer's own
decisions intervene), an old one of 0.3 million GPUs and a new one of 0.1, at $50k a GPU, and it
produces 0.1 million this month. The expected deliveries are computed by hand in each test."""

from __future__ import annotations

import pytest

from ailoop.model.contracts import ChipOrder
from handbuilt import opening_economy

PRICE = 50.0  # $B per million GPUs ($50k a GPU)


def two_orders(pro_rata: float, capacity: float = 0.1, old: float = 0.3, new: float = 0.1):
    eco = opening_economy(chip_allocation_pro_rata=pro_rata)
    chip = eco.agent("chip_leader")
    a = ChipOrder(holder="rest_of_market", issuer="chip_leader", units=old, unit_price=PRICE,
                  placed_month=eco.month - 3)
    b = ChipOrder(holder="rest_of_market", issuer="chip_leader", units=new, unit_price=PRICE,
                  placed_month=eco.month)
    chip.queue = [a, b]
    chip.capacity = capacity
    return eco, chip, a, b


@pytest.mark.parametrize("pro_rata, old_gets, new_gets", [
    (1.0, 0.075, 0.025),   # 0.1 x 0.3/0.4 and 0.1 x 0.1/0.4
    (0.0, 0.1, 0.0),       # first come: the old order takes the whole month
    (0.5, 0.0875, 0.0125),  # 0.05 shared (0.0375, 0.0125), the other 0.05 to the oldest
    (0.2, 0.095, 0.005),   # 0.02 shared (0.015, 0.005), 0.08 to the oldest
])
def test_production_is_shared_in_proportion_to_what_each_order_awaits(pro_rata, old_gets, new_gets):
    eco, chip, a, b = two_orders(pro_rata)
    cash = eco.ledger.cash("chip_leader")
    assert chip.produce_and_deliver() == pytest.approx(0.1)
    assert a.delivered_units == pytest.approx(old_gets, abs=1e-12)
    assert b.delivered_units == pytest.approx(new_gets, abs=1e-12)
    assert eco.ledger.cash("chip_leader") - cash == pytest.approx(0.1 * PRICE)  # both paid at $50k
    eco.check_books()


def test_a_book_smaller_than_production_is_filled_whatever_the_rule():
    """0.4 million on order, 0.5 produced: both orders are filled and leave the queue; 0.4 delivered."""
    for pro_rata in (0.0, 0.5, 1.0):
        eco, chip, a, b = two_orders(pro_rata, capacity=0.5)
        assert chip.produce_and_deliver() == pytest.approx(0.4)
        assert (a.delivered_units, b.delivered_units) == pytest.approx((0.3, 0.1))
        assert chip.queue == [] and not a.active and not b.active


def test_an_order_its_buyer_deferred_gets_no_share():
    """The new order is deferred this month: the old one, the only live order, gets all 0.1;
    the deferred one keeps its place in the queue."""
    eco, chip, a, b = two_orders(1.0)
    b.deferred_until = eco.month + 1
    chip.produce_and_deliver()
    assert (a.delivered_units, b.delivered_units) == pytest.approx((0.1, 0.0))
    assert chip.queue == [a, b]


def test_a_small_order_behind_a_large_one_is_served_within_its_first_month():
    """The economic point: behind an order of 2.6 million GPUs (13 months of production), a new
    order of 0.1 waits 13 months first come, first served, and gets 0.1 x 0.1/2.7 = 0.0037 a month
    shared pro rata."""
    for pro_rata, expected in ((1.0, 0.1 * 0.1 / 2.7), (0.0, 0.0)):
        eco, chip, a, b = two_orders(pro_rata, old=2.6, new=0.1)
        chip.produce_and_deliver()
        assert b.delivered_units == pytest.approx(expected, abs=1e-12)
