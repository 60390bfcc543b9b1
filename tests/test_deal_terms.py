"""The 2025 deals sign the contracts their terms say, with sizes computed by hand from the deal
book's figures (``model/deals.py``; sources in the parameter table). Each deal is applied to the
opening economy on its own (``tests/handbuilt.py``), and the contracts it leaves in the registry,
the cash it moves and the size it announces are compared with the hand figures.

Months count from September 2025 (month 0): January 2026 is month 4, July 2026 month 10,
October 2026 month 13, April 2032 month 79.
"""

from __future__ import annotations

import pytest

from ailoop.model import deals
from handbuilt import opening_economy


def signed(eco, deal, kind: str) -> tuple[float, list]:
    """Apply ``deal``; returns the size it announces and the new contracts of ``kind``."""
    before = {id(c) for c in eco.book.contracts}
    size = deal(eco)
    return size, [c for c in eco.book.contracts if id(c) not in before and c.kind == kind]


def test_the_lab_cloud_deal_is_300_billion_for_4_5_gw_over_5_years():
    """~$300B over 5 years for 4.5 GW: 300 / (4.5 x 5) = 13.33 $B per GW-year, from July 2026."""
    eco = opening_economy()
    size, (c,) = signed(eco, deals.lab_cloud_contract, "capacity")
    assert size == pytest.approx(300.0)
    assert (c.holder, c.issuer, c.chip_vendor) == ("lab", "cloud", "chip_leader")
    assert c.gw == pytest.approx(4.5) and c.term_months == 60 and c.start_month == 10
    assert c.price_per_gw_year == pytest.approx(300.0 / 22.5, rel=1e-12)
    assert c.total_value == pytest.approx(300.0, rel=1e-12)
    assert c.remaining_value() == pytest.approx(300.0, rel=1e-12)  # what the lab owes over the term


def test_the_lab_cloud_price_is_close_to_what_the_cloud_would_ask_for_new_capacity():
    """A second route to the same price: the cloud's price for new capacity over 60 months (its
    capex per GW at the opening GPU price recovered at its cost of debt, plus operating cost) is
    within 5% of the deal's 13.33 $B per GW-year (the deal book's price is derived from it)."""
    eco = opening_economy()
    _, (c,) = signed(eco, deals.lab_cloud_contract, "capacity")
    asked = eco.gpu_market.capacity_price(60, eco.agent("cloud"))
    assert abs(c.price_per_gw_year / asked - 1.0) < 0.05


def test_the_neocloud_contracts_are_worth_what_the_deal_book_says():
    """Expansion with the lab: 6.5 $B at 13.3 $B per GW-year over 5 years = 0.0977 GW from January
    2026; hyper_4: 14.2 $B over 6 years = 0.1779 GW from March 2026."""
    eco = opening_economy()
    size, (c,) = signed(eco, deals.neocloud_lab_expansion, "capacity")
    assert size == pytest.approx(6.5)
    assert (c.holder, c.issuer, c.term_months, c.start_month) == ("lab", "neocloud", 60, 4)
    assert c.gw == pytest.approx(6.5 / (13.3 * 5), rel=1e-12) and c.price_per_gw_year == pytest.approx(13.3)
    assert c.total_value == pytest.approx(6.5, rel=1e-12)
    size, (c,) = signed(eco, deals.neocloud_meta, "capacity")
    assert size == pytest.approx(14.2)
    assert (c.holder, c.issuer, c.term_months, c.start_month) == ("hyper_4", "neocloud", 72, 6)
    assert c.gw == pytest.approx(14.2 / (13.3 * 6), rel=1e-12)
    assert c.total_value == pytest.approx(14.2, rel=1e-12)


def test_the_backstop_covers_6_3_billion_until_april_2032():
    eco = opening_economy()
    size, (c,) = signed(eco, deals.neocloud_backstop, "backstop")
    assert size == pytest.approx(6.3)
    assert (c.holder, c.issuer, c.end_month) == ("chip_leader", "neocloud", 79)
    assert c.remaining() == pytest.approx(6.3) and c.price_per_gw_year == pytest.approx(13.3)


def test_the_staged_investment_is_10_billion_a_gw_up_to_100():
    """Announced as a letter of intent: it binds nobody (no commitment); the definitive staged
    investment it would register has the announced terms."""
    eco = opening_economy()
    size, (loi,) = signed(eco, deals.chip_leader_staged_investment, "letter_of_intent")
    assert size == pytest.approx(100.0) and loi.commitment() == 0.0 and loi.expires_month == eco.params["intent_months"]
    c = loi.pending_definitive()
    assert (c.holder, c.issuer, c.per_gw, c.cap) == ("chip_leader", "lab", 10.0, 100.0)
    assert not eco.book.held_by("chip_leader", "staged_investment")  # not registered before chip_leader signs
    assert c.due(c.gw_base + 0.99) == 0.0 and c.due(c.gw_base + 1.0) == pytest.approx(10.0)  # per full GW
    assert c.due(c.gw_base + 10.5) == pytest.approx(100.0) and c.due(c.gw_base + 12.0) == pytest.approx(100.0)


def test_the_intel_stake_is_5_billion_paid_outside_the_model():
    eco = opening_economy()
    led = eco.ledger
    cash, paid = led.cash("chip_leader"), led.paid_between("chip_leader", "other_companies")
    size, (s,) = signed(eco, deals.chip_leader_intel, "equity")
    assert size == pytest.approx(5.0)
    assert cash - led.cash("chip_leader") == pytest.approx(5.0)
    assert led.paid_between("chip_leader", "other_companies") - paid == pytest.approx(5.0)
    assert s.shares == pytest.approx(5.0 / 23.28) and s.mark == pytest.approx(23.28)


def test_the_cloud_bond_issue_is_18_billion_in_six_equal_tranches():
    """$18B in tranches of 3 $B maturing in 5, 7, 10, 20, 30 and 40 years."""
    eco = opening_economy()
    size, bonds = signed(eco, deals.cloud_bond_issue, "bond")
    assert size == pytest.approx(18.0)
    by_maturity: dict[int, float] = {}
    for b in bonds:
        assert b.issuer == "cloud"
        by_maturity[b.maturity_month] = by_maturity.get(b.maturity_month, 0.0) + b.face
    assert sorted(by_maturity) == [60, 84, 120, 240, 360, 480]
    assert all(x == pytest.approx(3.0) for x in by_maturity.values())


def test_the_challenger_deal_is_6_gw_in_six_tranches_with_warrants_for_160m_shares():
    """Six 1-GW tranches at 11 $B per GW-year for 5 years (announced 6 x 11 x 5 = 330 $B), from
    October 2026 half a year apart, each signed a year before it starts (the first at once); the
    warrant vests 160M / 6 shares per GW deployed at share prices from the opening $160 rising in
    equal steps to $600 (none for the first tranche): 0, 248, 336, 424, 512, 600."""
    eco = opening_economy()
    pending = len(eco.pending_deals)
    size, (w,) = signed(eco, deals.chip_challenger_warrants, "warrant")
    assert size == pytest.approx(330.0)
    assert (w.holder, w.issuer, w.strike) == ("lab", "chip_challenger", 0.01)
    expected = [(1.0, 0.0), (2.0, 248.0), (3.0, 336.0), (4.0, 424.0), (5.0, 512.0), (6.0, 600.0)]
    assert [(gw, px) for gw, px, _ in w.tranches] == [pytest.approx(x) for x in expected]
    assert all(n == pytest.approx(0.16 / 6) for *_, n in w.tranches)
    tranches = [d for d in eco.pending_deals if d.name.startswith("lab-challenger tranche")]
    assert len(eco.pending_deals) - pending == 6 == len(tranches)
    starts = [13 + 6 * k for k in range(6)]
    assert [d.date for d in sorted(tranches, key=lambda d: d.name)] == [
        eco.date_of_month(max(0, s - 12)) for s in starts]


@pytest.mark.parametrize("margin, signs", [(0.1, True), (-0.1, False)])
def test_a_challenger_tranche_is_signed_only_if_the_lab_can_fund_its_next_year(margin, signs):
    """The lab signs a tranche (1 GW at 11 $B per GW-year for 60 months from October 2026:
    55 $B) only with no hole in its next 12 months' funding: cash 0.1 $B beyond its funding gap
    signs it, 0.1 $B short does not."""
    eco = opening_economy()
    deals.chip_challenger_warrants(eco)
    first = min((d for d in eco.pending_deals if d.name.startswith("lab-challenger tranche")), key=lambda d: d.name)
    lab = eco.agent("lab")
    gap = lab.funding_gap()
    assert gap > 1.0
    eco.ledger.receive_external("lab", "end_users", gap + margin, "retained", "end-user revenue (test)")
    assert (lab.funding_gap() == 0.0) is signs
    size, contracts = signed(eco, first.apply, "capacity")
    if not signs:
        assert size == 0.0 and not contracts
        return
    (c,) = contracts
    assert size == pytest.approx(55.0)
    assert (c.holder, c.issuer, c.chip_vendor, c.gw, c.term_months, c.start_month) == (
        "lab", "cloud", "chip_challenger", pytest.approx(1.0), 60, 13)
    assert c.price_per_gw_year == pytest.approx(11.0)


def test_the_gpu_spv_raises_20_billion_and_leases_the_gpus_for_5_years():
    """$20B: chip_leader puts in 2.0 of equity and vc_2 the rest of 37.5% (5.5); GPUs for
    20 / (77.8 x 0.45) = 0.5713 GW are ordered; the lease pays the 20 $B back over 60 months at
    1% a month: 20 x 0.01 / (1 - 1.01^-60) = 0.44489 $B a month."""
    eco = opening_economy()
    led = eco.ledger
    paid_in = led.get("spv", "paid_in")
    size, (lease,) = signed(eco, deals.spv_lease, "lease")
    assert size == pytest.approx(20.0)
    assert (lease.holder, lease.issuer, lease.term_months) == ("lab_spv", "spv", 60)
    assert lease.monthly == pytest.approx(0.4448889537, rel=1e-9)
    assert lease.gw == pytest.approx(20.0 / (77.8 * 0.45), rel=1e-12)
    assert led.get("spv", "paid_in") - paid_in == pytest.approx(7.5, rel=1e-12)
    assert eco.book.stake("chip_leader", "spv").shares * eco.agent("spv").price == pytest.approx(2.0)
    (order,) = eco.book.held_by("spv", "chip_order")
    assert order.units == pytest.approx(20.0 / 77.8, rel=1e-12)  # 0.5713 GW x 0.45 million GPUs per GW


def test_the_levered_fund_pays_its_22_5_billion_tranche_into_the_lab():
    eco = opening_economy()
    paid_in = eco.ledger.get("lab", "paid_in")
    assert deals.softbank_tranche(eco) == pytest.approx(22.5)
    assert eco.ledger.get("lab", "paid_in") - paid_in == pytest.approx(22.5, rel=1e-12)


def test_the_calendar_holds_each_deal_once_on_its_date():
    names = [d.name for d in deals.BASELINE_DEALS]
    assert len(names) == len(set(names)) == 10
    dates = {d.name: d.date.isoformat() for d in deals.BASELINE_DEALS}
    assert dates["lab-cloud contract"] == "2025-09-10"
    assert dates["levered fund pays lab round tranche"] == "2025-12-15"
