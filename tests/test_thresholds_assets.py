"""Prices, lives and milestones of assets, with numbers computed by hand: chip sales to outside
buyers, straight-line depreciation of GPUs and plant, the used-GPU price over a GPU's life, and
the vesting of warrants on both sides of each milestone."""

from __future__ import annotations

import pytest

from ailoop.model.capacity import Cohort, Fleet
from ailoop.model.contracts import ChipOrder, Warrant
from ailoop.model.ledger import Ledger
from handbuilt import OPENING_GPU_AGE, opening_economy, set_gpu_prices


# ---------------------------------------------------------------------------- chip sales
def chip_leader_with_one_outside_order(units: float, unit_price: float, capacity: float):
    """chip_leader with only an order of ``units`` million GPUs at ``unit_price`` $k from the
    unmodelled buyers in its queue, and ``capacity`` million GPUs to produce this month."""
    eco = opening_economy()
    chip = eco.agent("chip_leader")
    order = ChipOrder(holder="rest_of_market", issuer="chip_leader", units=units, unit_price=unit_price,
                      placed_month=eco.month)
    chip.queue = [order]
    chip.capacity = capacity
    return eco, chip, order


@pytest.mark.parametrize("capacity, delivered", [(0.2, 0.05), (0.02, 0.02)])
def test_outside_buyers_pay_the_order_price_for_what_is_delivered(capacity, delivered):
    """0.05 million GPUs ordered at $80k: with capacity 0.2 all are delivered for 0.05 x 80 = 4.0
    $B; with capacity 0.02 only 0.02 are, for 1.6 $B, and the rest stays on order."""
    eco, chip, order = chip_leader_with_one_outside_order(0.05, 80.0, capacity)
    led = eco.ledger
    cash, paid = led.cash("chip_leader"), led.paid_between("rest_of_market", "chip_leader")
    assert chip.produce_and_deliver() == pytest.approx(delivered)
    assert led.paid_between("rest_of_market", "chip_leader") - paid == pytest.approx(delivered * 80.0, rel=1e-12)
    assert led.cash("chip_leader") - cash == pytest.approx(delivered * 80.0, rel=1e-12)
    assert order.undelivered_units == pytest.approx(0.05 - delivered, abs=1e-15)


# ---------------------------------------------------------------------------- depreciation
def owner_with(units: float, cost: float, plant: float):
    """A balance sheet and a fleet: ``units`` million GPUs bought for ``cost`` $B this month (a
    72-month life) and ``plant`` $B of finished shells."""
    led = Ledger(["owner"])
    fleet = Fleet("owner")
    fleet.cohorts.append(Cohort(units=units, cost=cost, month=0, life=72))
    fleet.plant_book = plant
    led.open_position("owner", "gpus", cost)
    if plant:
        led.open_position("owner", "dc_plant", plant)
    return led, fleet


def test_gpus_depreciate_straight_line_over_their_life_and_no_further():
    """1 million GPUs bought for 72 $B over 72 months: 1.0 $B a month, 60 $B of book after 12
    months, nothing after 72 and no further depreciation then; the ledger shows the same as the
    fleet, against retained earnings."""
    led, fleet = owner_with(1.0, 72.0, 0.0)
    assert fleet.depreciate(led) == pytest.approx(1.0, rel=1e-12)
    for _ in range(11):
        fleet.depreciate(led)
    assert led.get("owner", "gpus") == pytest.approx(60.0, rel=1e-12)
    assert fleet.gpu_book() == pytest.approx(60.0, rel=1e-12)
    assert led.get("owner", "retained") == pytest.approx(-12.0, rel=1e-12)
    for _ in range(60):
        fleet.depreciate(led)
    assert led.get("owner", "gpus") == pytest.approx(0.0, abs=1e-9)
    assert fleet.depreciate(led) == pytest.approx(0.0, abs=1e-9)
    assert led.get("owner", "retained") == pytest.approx(-72.0, rel=1e-12)


def test_plant_depreciates_a_240th_of_its_book_in_a_month():
    """24 $B of plant over a 240-month life: 0.1 $B in the first month."""
    led, fleet = owner_with(1.0, 72.0, 24.0)
    assert fleet.plant_life == 240
    assert fleet.depreciate(led) == pytest.approx(1.0 + 0.1, rel=1e-12)
    assert led.get("owner", "dc_plant") == pytest.approx(23.9, rel=1e-12)


def test_plant_depreciates_straight_line_as_documented():
    """24 $B of plant over 240 months, straight-line as ``Fleet.depreciate`` documents: 0.1 $B a
    month, 22.8 $B of book after 12 months."""
    led, fleet = owner_with(1.0, 72.0, 24.0)
    for _ in range(12):
        fleet.depreciate(led)
    assert led.get("owner", "dc_plant") == pytest.approx(22.8, rel=1e-9)


def test_gpus_delivered_in_the_economy_depreciate_over_the_gpu_life():
    """The cloud takes delivery of 0.0144 million GPUs at $77.8k (1.12032 $B) on its open order:
    its month of depreciation is 1.12032 / 72 $B more than in the same economy without the
    delivery (a second route: the difference of two runs isolates the new GPUs)."""
    drops = []
    for deliver in (True, False):
        eco = opening_economy()
        cloud = eco.agent("cloud")
        assert eco.params["gpu_life_months"] == 72
        if deliver:
            order = next(o for o in eco.book.held_by("cloud", "chip_order"))
            assert order.unit_price == pytest.approx(77.8)
            cloud.take_delivery(order, 0.0144)
        before = eco.ledger.get("cloud", "gpus")
        cloud.depreciate()
        drops.append(before - eco.ledger.get("cloud", "gpus"))
    assert drops[0] - drops[1] == pytest.approx(0.0144 * 77.8 / 72.0, rel=1e-9)


# ---------------------------------------------------------------------------- used-GPU price
@pytest.mark.parametrize("age, price", [(0, 72.0), (12, 60.0), (36, 36.0), (71, 1.0), (72, 0.0), (90, 0.0)])
def test_a_used_gpu_loses_its_value_straight_line_over_its_life(age, price):
    """At a new price of $72k and the reference rent, a GPU of age a months is worth
    72 x (1 - a / 72) $k: nothing at the end of its 72-month life, and never less."""
    eco = opening_economy()
    set_gpu_prices(eco, 72.0)
    assert eco.gpu_market.used_price_at(age) == pytest.approx(price, abs=1e-12)


def test_rent_below_its_reference_lowers_the_used_price_in_proportion():
    """Rent at 80% of its reference: a 12-month-old GPU is worth 0.8 x 60 = $48k; rent above the
    reference does not raise it above 60."""
    eco = opening_economy()
    set_gpu_prices(eco, 72.0)
    ref = eco.params["rent_ref"]
    eco.gpu_market.rent = 0.8 * ref
    assert eco.gpu_market.used_price_at(OPENING_GPU_AGE) == pytest.approx(48.0, rel=1e-12)
    eco.gpu_market.rent = 1.2 * ref
    assert eco.gpu_market.used_price_at(OPENING_GPU_AGE) == pytest.approx(60.0, rel=1e-12)


# ---------------------------------------------------------------------------- warrants
def warrant():
    """Two tranches: 0.02bn shares at 1 GW deployed beyond the 0.5 GW base and a $200 share price;
    0.03bn more at 2 GW and $300. Strike $0.01."""
    led = Ledger(["lab", "chip_challenger"])
    w = Warrant(holder="lab", issuer="chip_challenger", strike=0.01, gw_base=0.5,
                tranches=[(1.0, 200.0, 0.02), (2.0, 300.0, 0.03)])
    return led, w


@pytest.mark.parametrize("deployed, price, vested", [
    (1.5, 199.99, 0.0),  # GW milestone met, price just short
    (1.49, 250.0, 0.0),  # price met, GW just short
    (1.5, 200.0, 0.02),  # both met: the first tranche
    (2.49, 350.0, 0.02),  # second tranche: GW just short
    (2.5, 299.99, 0.02),  # second tranche: price just short
    (2.5, 300.0, 0.05),  # both tranches
])
def test_a_warrant_tranche_vests_only_when_both_its_gw_and_price_milestones_are_met(deployed, price, vested):
    led, w = warrant()
    new = w.vest(led, deployed, price)
    assert new == pytest.approx(vested) and w.vested_shares == pytest.approx(vested)
    assert led.get("lab", "warrants") == pytest.approx(vested * (price - 0.01), rel=1e-12)  # intrinsic value


def test_a_vested_tranche_stays_vested_and_a_later_one_vests_when_its_milestones_come():
    led, w = warrant()
    assert w.vest(led, 1.5, 200.0) == pytest.approx(0.02)
    assert w.vest(led, 2.5, 150.0) == 0.0  # the price fell: nothing new, the first tranche stays
    assert w.vested_shares == pytest.approx(0.02)
    assert led.get("lab", "warrants") == pytest.approx(0.02 * 149.99, rel=1e-12)
    assert w.vest(led, 2.5, 300.0) == pytest.approx(0.03)
    assert led.get("lab", "warrants") == pytest.approx(0.05 * 299.99, rel=1e-12)
