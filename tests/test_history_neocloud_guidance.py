"""The neocloud's 2026 capex guidance (``Neocloud.build_to_guidance``, the history world's event of
26 February 2026): while it runs, the neocloud begins each month a twelfth of its guided capex
less what it begins that month for contracts, ahead of its contracts, unless its capex review
defers builds for no customer or its GPU lenders would not fund it.

Hand-built: seed 1's baseline opening with chip_leader's GPU at $80 thousand, so a GW costs
15 (shell) + 0.45 million GPUs x $80 thousand = $51.0B; guidance of $30.6B a year is $2.55B a
month, 0.05 GW. The lenders' limit on both sides of the loan-to-value at which 0.05 GW is just
fundable, solved by hand from the rule (debt after the build within the target of the assets).
"""

from __future__ import annotations

import datetime as dt

import pytest

from ailoop.model import Economy
from ailoop.model.contracts import Contract
from handbuilt import opening_economy, set_gpu_prices

PER_GW = 15.0 + 0.45 * 80.0  # $B per GW at an $80 thousand GPU
GUIDED = 30.6  # $B a year: 2.55 a month, 0.05 GW


def guided_neocloud(**params):
    """The baseline's neocloud at the opening, guiding $30.6B a year through month 3."""
    eco = opening_economy(**params)
    set_gpu_prices(eco, 80.0)
    assert eco.params["shell_capex_per_gw"] == 15.0 and eco.params["gpus_per_gw"] == 0.45
    n = eco.agent("neocloud")
    n.plan_annual, n.plan_until = GUIDED, 3
    return eco, n


def guided(n) -> list:
    return [pr for pr in n.fleet.projects if pr.purpose == "guided capacity"]


def test_a_twelfth_of_the_guidance_is_begun_ahead_of_contracts():
    eco, n = guided_neocloud()
    n.build_to_guidance()
    (pr,) = guided(n)
    assert pr.gw == pytest.approx(0.05, rel=1e-12)
    assert pr.contract is None and pr.start_month == eco.month
    assert pr.order.units == pytest.approx(0.05 * 0.45, rel=1e-12)  # million GPUs ordered from chip_leader
    assert pr.order.issuer == "chip_leader"
    (ev,) = [e for e in eco.events if e["event"] == "guided build"]
    assert ev["agent"] == "neocloud" and ev["size"] == pytest.approx(0.05, rel=1e-12)


@pytest.mark.parametrize("contracted_gw, left_gw", [(0.02, 0.03), (0.049, 0.001), (0.05, None), (0.06, None)])
def test_builds_for_contracts_this_month_count_against_it(contracted_gw, left_gw):
    """A contracted build begun this month of 0.02 GW ($1.02B) leaves 0.03 GW ($1.53B); one of the
    whole twelfth or more leaves nothing."""
    eco, n = guided_neocloud()
    c = eco.book.issued_by("neocloud", Contract.build_order)[0]
    n.start_project(contracted_gw, "chip_leader", purpose="contracted capacity", contract=c)
    n.build_to_guidance()
    got = [pr.gw for pr in guided(n)]
    assert got == ([] if left_gw is None else [pytest.approx(left_gw, rel=1e-9)])


@pytest.mark.parametrize("month, begun", [(3, True), (4, False)])
def test_the_guidance_runs_through_its_last_month(month, begun):
    eco, n = guided_neocloud()
    eco.month = month
    n.build_to_guidance()
    assert bool(guided(n)) == begun


@pytest.mark.parametrize("deferring, annual, begun", [(False, GUIDED, True), (True, GUIDED, False), (False, 0.0, False)])
def test_nothing_while_the_review_defers_or_without_guidance(deferring, annual, begun):
    eco, n = guided_neocloud()
    n.deferring, n.plan_annual = deferring, annual
    n.build_to_guidance()
    assert bool(guided(n)) == begun


def test_only_as_far_as_the_gpu_lenders_fund_it():
    """The lenders' rule: debt + the GPUs' loan (ltv x 0.05 GW x $36B) within ltv x (assets +
    0.05 x $51B). Solved for ltv: debt / (assets + 0.05 x (51 - 36)); a hair either side."""
    eco, _ = guided_neocloud()
    debt = eco.ledger.get("neocloud", "debt")
    assets = eco.ledger.totals("neocloud")[0]
    ltv_star = debt / (assets + 0.05 * (PER_GW - 36.0))
    assert 0.3 < ltv_star < 0.6  # the opening: $11.2B of debt on about $24B of assets
    for ltv, begun in ((ltv_star * 1.001, True), (ltv_star * 0.999, False)):
        eco, n = guided_neocloud(neocloud_ltv_target=ltv)
        assert eco.ledger.get("neocloud", "debt") == debt and eco.ledger.totals("neocloud")[0] == assets
        n.build_to_guidance()
        assert bool(guided(n)) == begun, ltv


@pytest.mark.parametrize("annual", [6.0, 360.0])
def test_leased_shells_are_equipped_first_at_the_gpus_cost(annual):
    """The history opening's neocloud leases shells it has not equipped (R GW, read from its
    lease): a month's capex C equips min(R, C / 36) GW of them at $36B of GPUs a GW, the rest
    own shells at $51B. $0.5B a month fills part of the room; $30B a month fills it and more."""
    eco = Economy(scenario="history", seed=1, checks=False)
    set_gpu_prices(eco, 80.0)
    n = eco.agent("neocloud")
    (lease,) = eco.book.held_by("neocloud", Contract.shell_room)
    room = lease.shell_room()
    assert 0.1 < room < 1.0
    c = annual / 12.0
    expected = c / 36.0 if c / 36.0 <= room else room + (c - 36.0 * room) / PER_GW
    assert (c / 36.0 <= room) == (annual == 6.0)  # one case on each side of the room
    n.plan_annual, n.plan_until = annual, 3
    n.build_to_guidance()
    assert sum(pr.gw for pr in guided(n)) == pytest.approx(expected, rel=1e-9)
    own = [pr for pr in guided(n) if pr.shell_lease is None]
    assert sum(pr.shell_cost for pr in own) == pytest.approx(15.0 * max(0.0, expected - room), rel=1e-9, abs=1e-12)


def test_the_history_world_guides_from_26_february_to_december_2026():
    """The event's date and size; guided builds only in months Feb-Dec 2026 (5-15); none in the
    baseline."""
    eco = Economy(scenario="history", seed=2, checks=False)
    eco.run(years=1.5)
    (ev,) = [e for e in eco.events if e["event"] == "deal-book event" and "neocloud 2026 capex guidance" in e["cause"]]
    assert dt.date.fromisoformat(ev["date"]) >= dt.date(2026, 2, 26)
    assert dt.date.fromisoformat(ev["date"]) < dt.date(2026, 3, 3)  # the next trading day at the latest
    assert ev["size"] == pytest.approx(eco.params["history_capex_neocloud"])
    n = eco.agent("neocloud")
    assert (n.plan_annual, n.plan_until) == (32.5, 15)
    months = {pr.start_month for pr in guided(n)}
    assert months and min(months) >= 5 and max(months) <= 15
    base = Economy(scenario="baseline", seed=2, checks=False)
    base.run(years=1.5)
    assert not guided(base.agent("neocloud"))
