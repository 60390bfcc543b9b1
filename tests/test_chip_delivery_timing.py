"""GPUs delivered as the halls they go into near completion (``chip_delivery_to_shells``,
``chip_delivery_lead_months``) and the builds under way at the opening (``opening_pipeline_months``).

Hand-built: hyper_3 has a 1 GW campus in two phases of 0.5 GW (``build_months`` 18, the first
phase energised after 12 months of building) whose shell it has paid for 9 months (half of it), and
one chip order of 0.45 million GPUs for it; chip_leader's queue also holds an order of 0.3 million
from the unmodelled buyers (who take GPUs as produced). chip_leader produces 0.1 million this
month at $50k a GPU. Every expected figure is computed by hand in the test."""

from __future__ import annotations

import pytest

from ailoop.model.capacity import Project
from ailoop.model.contracts import ChipOrder
from ailoop.model.contracts.realestate import DataCentreLease
from handbuilt import opening_economy

PRICE = 50.0  # $B per million GPUs ($50k a GPU)
SHELL = 15.0  # $B the campus's shell costs (a month of building: 15 / 18)


def campus(months_built: int = 9) -> Project:
    """A 1 GW campus in two phases, ``months_built`` of its 18 months of building paid (no fleet)."""
    pr = Project("hyper_3", 1.0, 0, 18, SHELL, 0.45, "chip_leader", tranche_gw=0.5, first_months=12)
    pr.shell_spent = SHELL * months_built / 18
    return pr


@pytest.mark.parametrize("ahead, ready", [
    (0, 0.0),    # 9/18 built: the first phase needs 12/18
    (2, 0.0),    # 11/18 by then
    (3, 0.5),    # 12/18: the first phase
    (8, 0.5),    # 17/18: not yet the second
    (9, 1.0),    # 18/18: the shell is finished
])
def test_the_shell_ready_in_so_many_months_on_schedule(ahead, ready):
    assert campus().shell_ready_gw(ahead) == pytest.approx(ready)


def test_a_shell_on_hold_or_paused_is_not_built_in_the_months_ahead():
    """On hold for 1 more month, 3 months ahead leave 2 of building: 11/18, no phase. Paused: none."""
    pr = campus()
    pr.slip(1, "power")
    assert pr.shell_ready_gw(3) == 0.0 and pr.shell_ready_gw(4) == pytest.approx(0.5)
    pr = campus()
    pr.paused = True
    assert pr.shell_ready_gw(9) == 0.0


def test_the_gpus_a_shell_can_house():
    """0.45 million GPUs for 1 GW: half of them once the first phase is ready, less those installed."""
    pr = campus()
    assert pr.housed_units(2) == 0.0
    assert pr.housed_units(3) == pytest.approx(0.225)
    pr.units_installed = 0.1
    assert pr.housed_units(3) == pytest.approx(0.125)


def test_a_leased_shell_is_handed_to_its_tenants_in_order():
    """The lessor's 1 GW site in four phases of 0.25 GW (24 months, the first after 12), 15 of 24
    months built: f0 = 0.5, phases at 1/2, 2/3, 5/6 and all of it built. Now (15/24 = 0.625): one
    phase, 0.25 GW, to the first tenant (0.6 GW). Three months ahead (18/24 = 0.75): two phases,
    0.5 GW, all to the first. Five months ahead (20/24 = 5/6): three, 0.75 GW: 0.6 to the first,
    0.15 to the second (0.4 GW)."""
    site = Project("dc_developer", 1.0, 0, 24, 10.0, 0.0, "", tranche_gw=0.25, first_months=12)
    site.shell_spent = 10.0 * 15 / 24
    first = Project("cloud", 0.6, 0, 0, 0.0, 0.27, "chip_leader")
    second = Project("cloud", 0.4, 0, 0, 0.0, 0.18, "chip_leader")
    lease = DataCentreLease(holder="cloud", issuer="dc_developer", gw=1.0, site=site)
    lease.assign_shell(first, 0.6)
    lease.assign_shell(second, 0.4)
    assert (lease.ready_for(first), lease.ready_for(second)) == pytest.approx((0.25, 0.0))
    assert (lease.ready_for(first, 3), lease.ready_for(second, 3)) == pytest.approx((0.5, 0.0))
    assert (lease.ready_for(first, 5), lease.ready_for(second, 5)) == pytest.approx((0.6, 0.15))
    assert second.housed_units(5) == pytest.approx(0.18 * 0.15 / 0.4)
    assert second.housed_units(3) == 0.0


def book_with_campus(timed: bool, lead: int = 3):
    eco = opening_economy(chip_delivery_to_shells=timed, chip_delivery_lead_months=lead)
    chip, owner = eco.agent("chip_leader"), eco.agent("hyper_3")
    pr = campus(0)
    owner.fleet.projects.append(pr)
    for _ in range(9):  # nine months of the shell, paid from its cash through its fleet
        owner.fleet.pay_shells(eco.ledger, 1e9)
    assert pr.shell_spent == pytest.approx(SHELL / 2)
    mine = ChipOrder(holder="hyper_3", issuer="chip_leader", units=0.45, unit_price=PRICE,
                     placed_month=eco.month - 9, project=pr)
    pr.order = mine
    eco.book.add(mine)
    other = ChipOrder(holder="rest_of_market", issuer="chip_leader", units=0.3, unit_price=PRICE,
                      placed_month=eco.month - 9)
    chip.queue = [other, mine]
    chip.capacity = 0.1
    return eco, chip, owner, pr, other, mine


@pytest.mark.parametrize("timed, lead, other_gets, mine_gets", [
    (False, 3, 0.1 * 0.3 / 0.75, 0.1 * 0.45 / 0.75),    # all 0.45 awaited: shared 0.3 : 0.45
    (True, 3, 0.1 * 0.3 / 0.525, 0.1 * 0.225 / 0.525),  # the first phase's 0.225 is due: 0.3 : 0.225
    (True, 2, 0.1, 0.0),                                 # no phase within 2 months: nothing due
])
def test_a_buyer_takes_only_what_its_shells_can_house(timed, lead, other_gets, mine_gets):
    eco, chip, owner, pr, other, mine = book_with_campus(timed, lead)
    chip.produce_and_deliver()
    assert other.delivered_units == pytest.approx(other_gets, abs=1e-12)
    assert mine.delivered_units == pytest.approx(mine_gets, abs=1e-12)
    assert pr.units_installed == pytest.approx(mine_gets, abs=1e-12)
    assert mine in chip.queue  # what is not due keeps its place
    eco.check_books()


def test_production_nobody_can_take_is_not_delivered():
    """Only the campus's order, nothing due within 2 months: nothing is delivered or paid."""
    eco, chip, owner, pr, other, mine = book_with_campus(True, 2)
    chip.queue = [mine]
    cash = eco.ledger.cash("chip_leader")
    assert chip.produce_and_deliver() == 0.0
    assert eco.ledger.cash("chip_leader") == cash and mine.delivered_units == 0.0


def test_what_a_buyer_funds_ahead_is_what_its_shells_house_by_then():
    """Three months ahead with a 3-month lead: 15/18 built, one phase, 0.225 of 0.45 million GPUs;
    the book ships this order over 0.45 / 0.1 = 4.5 months, 3 / 4.5 of it within three: the
    smaller, half of its $22.5B, is funded ahead (timed); two thirds, $15B, otherwise."""
    for timed, expected in ((True, 0.5 * 22.5), (False, 22.5 * 3 / 4.5)):
        eco, chip, owner, pr, other, mine = book_with_campus(timed)
        chip.queue = [mine]
        assert mine.capex_ahead(eco.ctx, 3) == pytest.approx(expected)


def test_the_builds_under_way_at_the_opening():
    """hyper_1 (2025 capex $89B a year; 85% chip_leader, 5% chip_challenger, 10% in-house) at
    $15B + 0.45 x $77.8B = $50.01B per GW: 89 / 12 / 50.01 GW begun in each of the last 5 months,
    each shell built for as many months of its 18; in-house accelerators bought then (at 0.6 x
    $77.8k), the rest on order, oldest first."""
    months = 5
    eco = Economy_with_pipeline(months)
    h = eco.agent("hyper_1")
    gw = 89.0 / 12.0 / (15.0 + 0.45 * 77.8)
    old = [pr for pr in h.fleet.projects if pr.start_month < 0 and pr.purpose != "opening"]
    assert sorted({pr.start_month for pr in old}) == [-5, -4, -3, -2, -1]
    for pr in old:
        share = {"chip_leader": 0.85, "chip_challenger": 0.05, "custom_silicon": 0.10}[pr.vendor]
        assert pr.gw == pytest.approx(gw * share)
        assert pr.shell_spent == pytest.approx(15.0 * pr.gw * -pr.start_month / 18)
    # construction in progress on its books: the shells so far (and nothing else under way yet)
    building = sum(pr.shell_spent for pr in h.fleet.projects if not pr.shell_done)
    assert eco.ledger.get("hyper_1", "construction") == pytest.approx(building)
    assert building >= sum(pr.shell_spent for pr in old) - 1e-12
    leader = [o for o in eco.agent("chip_leader").queue if o.holder == "hyper_1" and o.placed_month < 0]
    assert [o.placed_month for o in leader] == [-5, -4, -3, -2, -1]
    assert all(o.units == pytest.approx(gw * 0.85 * 0.45) and o.prepaid == 0.0 for o in leader)
    custom = [pr for pr in old if pr.vendor == "custom_silicon"]
    assert all(pr.units_installed == pytest.approx(pr.units_needed) for pr in custom)
    eco.check_books()


def test_no_build_under_way_is_older_than_a_shell_takes():
    """With 40 months asked for, builds begun 1 to 17 months before the opening (18-month shells)."""
    eco = Economy_with_pipeline(40)
    old = [pr for pr in eco.agent("hyper_4").fleet.projects if pr.start_month < 0 and pr.purpose != "opening"]
    ages = {-pr.start_month for pr in old}
    assert ages == set(range(1, 18))
    assert all(not pr.shell_done for pr in old)


def Economy_with_pipeline(months: int):
    return opening_economy(opening_pipeline_months=months)


def test_a_year_of_history_with_timed_deliveries_keeps_its_books_and_its_shells():
    """History seed 2 for a year, every step's books checked; at every month's end no project
    whose shell is built on schedule holds more GPUs than its shells will house in the lead."""
    from ailoop.model import Economy

    eco = Economy(seed=2, checks=True, chip_delivery_to_shells=True, opening_pipeline_months=17)
    lead = int(eco.params["chip_delivery_lead_months"])
    for _ in range(12):
        for _ in range(21):
            eco.step()
        for owner in eco.capacity_owners:
            for pr in owner.fleet.projects:
                if (pr.order is not None and pr.shell_lease is None and pr.shell_cost > 0 and pr.hold_months == 0
                        and not pr.paused):
                    cap = pr.units_needed * min(1.0, pr.shell_ready_gw(lead) / pr.gw)
                    assert pr.units_installed <= cap + 1e-9, (owner.aid, pr.purpose, pr.start_month)
