"""Data-centre real estate (``model/contracts/realestate.py``), checked against hand computations on a
history economy at its opening: rent on what is handed over, who pays for a late handover,
rejection damages, the residual-value guarantee, a construction loan's conversion and extension,
a joint venture's look-through debt, and slips (``model/capacity.py``)."""

from __future__ import annotations

import pytest

from ailoop.model import Economy
from ailoop.model.contracts import Contract, DataCentreLease
from ailoop.model.history.book import construction_loans, lease


def opening(**kw) -> Economy:
    return Economy(scenario="history", seed=1, checks=False, n_traders=10, retail_holders=10, n_bond_buyers=3, **kw)


def new_site(eco, gw=1.0, build=10, first=4, tranche=0.25, name="test site"):
    dev = eco.agent("dc_developer")
    return dev, dev.start_site(gw, name, build_months=build, financed=True, tranche_gw=tranche, first_months=first)


def test_rent_is_billed_on_the_gw_handed_over_from_the_first_handover():
    eco = opening()
    dev, site = new_site(eco)
    c = lease(eco, "neocloud", dev, site, gw=1.0, term_months=24, name="test site")
    rent = eco.params["dc_lease_rent_per_gw_year"]
    led = eco.ledger
    # nothing built: no handover, no rent, the whole term's rent is still owed
    cash0 = led.cash("neocloud")
    c.settle(eco.ctx)
    assert c.commenced == -1 and led.cash("neocloud") == cash0
    assert c.remaining_rent() == pytest.approx(1.0 * rent / 12 * 24, rel=1e-12)
    # four 0.25-GW phases, the first ready at 4/10 of the shell, the rest evenly to the end:
    # at 60% built, 1 + floor((0.6 - 0.4) * 3 / 0.6) = 2 phases = 0.5 GW are handed over
    site.shell_spent = 0.6 * site.shell_cost
    c.settle(eco.ctx)
    assert c.commenced == eco.month and c.ready_gw() == pytest.approx(0.5)
    assert cash0 - led.cash("neocloud") == pytest.approx(0.5 * rent / 12, rel=1e-12)
    assert c.months_billed == 1
    assert c.remaining_rent() == pytest.approx(1.0 * rent / 12 * 23, rel=1e-12)
    assert c.lease_commitment() == c.remaining_rent() and c.commitment() == c.remaining_rent()


@pytest.mark.parametrize("cause, months_late, pays", [
    ("construction", 1, True), ("construction", 0, False), ("financing", 1, True),
    ("weather", 1, False), ("power", 5, False)])
def test_the_lessor_pays_for_a_late_handover_only_when_the_delay_is_its_own(cause, months_late, pays):
    eco = opening()
    dev, site = new_site(eco)
    c = lease(eco, "neocloud", dev, site, gw=1.0, term_months=24, name="test site")
    p = eco.params
    site.slip(3, cause)
    site.shell_spent = 0.6 * site.shell_cost  # 0.5 GW handed over, 0.5 GW late
    eco.month = c.delivery_month + c.grace_months + months_late  # the month the credit is tested in
    led = eco.ledger
    neo0, dev0 = led.cash("neocloud"), led.cash("dc_developer")
    c.settle(eco.ctx)
    rent_month = 0.5 * p["dc_lease_rent_per_gw_year"] / 12
    credit = 0.5 * p["dc_lease_rent_per_gw_year"] / 12 * p["dc_late_credit_share"] if pays else 0.0
    assert neo0 - led.cash("neocloud") == pytest.approx(rent_month - credit, rel=1e-12)
    assert led.cash("dc_developer") - dev0 == pytest.approx(rent_month - credit, rel=1e-12)


def test_a_rejected_lease_claims_the_discounted_rent_not_relet_and_the_guarantee_shortfall():
    eco = opening()
    dev, site = new_site(eco)
    c = lease(eco, "hyper_4", dev, site, gw=1.0, term_months=48, name="test site", rvg_share=0.8, rvg_months=192)
    c.months_billed = 12
    n, r, rent = 36, c.rate, eco.params["dc_lease_rent_per_gw_year"] / 12
    pv = rent * (1 - (1 + r) ** -n) / r
    relet = eco.params["dc_relet_share"]
    guaranteed = 0.8 * c.shell_cost * (1 - 12 / 192)
    residual = relet * c.shell_cost * (1 - 12 / 240)
    expected = pv * (1 - relet) + max(0.0, guaranteed - residual)
    assert guaranteed > residual  # the guarantee is in the money: both parts count
    assert c.rejection_damages() == pytest.approx(expected, rel=1e-12)
    rec0 = eco.ledger.get("dc_developer", "receivables")
    c.unwind(eco.ctx, "hyper_4")
    assert not c.active
    assert eco.ledger.get("dc_developer", "receivables") - rec0 == pytest.approx(expected, rel=1e-12)
    assert eco.book.arrears("dc_developer", "hyper_4").amount == pytest.approx(expected, rel=1e-12)


def test_at_the_term_end_an_unused_shell_is_returned_and_the_guarantee_pays_its_shortfall():
    eco = opening()
    dev, site = new_site(eco)
    site.shell_spent = site.shell_cost  # all handed over
    c = lease(eco, "hyper_4", dev, site, gw=1.0, term_months=48, name="test site", rvg_share=0.8, rvg_months=192,
              renewal_months=48)
    c.commenced, c.months_billed = 0, 47
    relet = eco.params["dc_relet_share"]
    guaranteed = 0.8 * c.shell_cost * (1 - 48 / 192)
    residual = relet * c.shell_cost * (1 - 48 / 240)
    led = eco.ledger
    h0 = led.cash("hyper_4")
    c.settle(eco.ctx)  # the 48th month: rent, then the term ends with no GPUs in the shell
    rent = eco.params["dc_lease_rent_per_gw_year"] / 12
    assert not c.active
    assert h0 - led.cash("hyper_4") == pytest.approx(rent + guaranteed - residual, rel=1e-12)


def test_a_lessee_still_running_gpus_in_the_shell_renews_instead():
    eco = opening()
    dev, site = new_site(eco)
    site.shell_spent = site.shell_cost
    c = lease(eco, "hyper_4", dev, site, gw=1.0, term_months=48, name="test site", rvg_share=0.8, rvg_months=192,
              renewal_months=36)
    h4 = eco.agent("hyper_4")
    pr = h4.start_project(1.0, "chip_leader", purpose="test")  # uses the lease's room first
    assert pr.shell_lease is c and c.shell_room() == 0.0
    pr.units_installed = pr.units_needed  # its GPUs are in
    c.commenced, c.months_billed = 0, 47
    c.settle(eco.ctx)
    assert c.active and c.term_months == 84 and c.remaining_months() == 36


def test_a_construction_loan_converts_when_its_shell_is_finished_and_extends_when_it_is_late():
    eco = opening()
    dev, site = new_site(eco)
    loans = construction_loans(eco, dev, site, 10.0, [eco.agent("private_credit")], "cloud", "test site")
    dev.finance_site(site, loans)
    loan, = loans
    p = eco.params
    assert loan.maturity_month == eco.month + p["construction_loan_months"]
    assert loan.commitment() == 10.0 and loan.line_room(eco.month) == 10.0
    # a month's construction: the site's draw is its shell's monthly payment (the other sites draw on theirs)
    dev.draw_for_sites()
    assert loan.face == pytest.approx(site.shell_cost / 10, rel=1e-12) and loan.drawn == loan.face
    # two months before maturity, unfinished: nothing happens; one month before: extended, fee paid
    fee = p["construction_loan_extension_fee"] * loan.face
    eco.month = loan.maturity_month - 2
    loan.settle(eco.ctx)
    assert loan.maturity_month == p["construction_loan_months"]
    cash0 = eco.ledger.cash("dc_developer")
    eco.month = loan.maturity_month - 1
    loan.settle(eco.ctx)
    assert loan.maturity_month == p["construction_loan_months"] + 12
    assert loan.extension_months == p["construction_loan_extension_months"] - 12
    assert cash0 - eco.ledger.cash("dc_developer") == pytest.approx(fee, rel=1e-12)
    # finished: a term loan amortising over construction_loan_amort_months, nothing more to draw
    site.shell_spent = site.shell_cost
    loan.settle(eco.ctx)
    assert loan.converted_month == eco.month and loan.line_room(eco.month) == 0.0 and loan.commitment() == 0.0
    interest, principal = loan.service_due(eco.month)
    assert principal == pytest.approx(loan.face / p["construction_loan_amort_months"], rel=1e-12)
    assert interest == pytest.approx(loan.face * (p["risk_free_rate"] + p["construction_loan_spread"]) / 12, rel=1e-12)


def test_a_slipped_shell_finishes_exactly_as_many_months_later():
    eco = opening()
    dev = eco.agent("dc_developer")
    a = dev.start_site(0.5, "on time", build_months=6, financed=True)
    b = dev.start_site(0.5, "slipped", build_months=6, financed=True)
    b.slip(3, "power")
    eco.ledger.receive_external("dc_developer", "non_ai_business", 100.0, "retained", "non-AI business (test)")
    done = {}
    for month in range(1, 13):
        dev.fleet.pay_shells(eco.ledger, 100.0)
        for pr in (a, b):
            if pr.shell_done and pr.purpose not in done:
                done[pr.purpose] = month
    assert done == {"on time": 6, "slipped": 9}


def test_a_site_waits_for_its_financing_and_starts_when_it_closes():
    eco = opening()
    dev = eco.agent("dc_developer")
    site = dev.start_site(0.5, "waiting", build_months=6, financed=False)
    eco.ledger.receive_external("dc_developer", "non_ai_business", 100.0, "retained", "non-AI business (test)")
    for _ in range(4):
        dev.fleet.pay_shells(eco.ledger, 100.0)
    assert site.shell_spent == 0.0 and site.delay_cause == "financing"
    dev.finance_site(site, [])
    dev.fleet.pay_shells(eco.ledger, 100.0)
    assert site.shell_spent == pytest.approx(site.shell_cost / 6, rel=1e-12)


def test_a_joint_venture_partner_sees_its_share_of_the_vehicles_debt_off_its_books():
    eco = Economy(scenario="history", seed=1, checks=False, n_traders=10, retail_holders=10, n_bond_buyers=3)
    eco.run(years=2 / 12)  # the vehicle is formed in October 2025
    p = eco.params
    spv = eco.agent("dc_spv")
    debt = eco.ledger.get("dc_spv", "debt")
    assert debt > 0.9 * p["history_hyperion_bonds"]
    stake, = eco.book.held_by("hyper_4", Contract.look_through_debt)
    assert stake.shares / spv.shares == pytest.approx(p["history_hyperion_partner_share"], rel=1e-9)
    assert stake.look_through_debt(eco.ctx) == pytest.approx(debt * p["history_hyperion_partner_share"], rel=1e-9)
    # hyper_4 books the stake at its mark, not the vehicle's debt
    assert eco.ledger.get("hyper_4", "debt") < debt + eco.params["open_debt_hyper_4"] + p["history_bond_hyper_4"]
    lease_c, = [c for c in eco.book.held_by("hyper_4", Contract.guarantee_exposure)]
    assert isinstance(lease_c, DataCentreLease)
    assert lease_c.guarantee_exposure() == pytest.approx(p["hyperion_rvg_share"] * lease_c.shell_cost, rel=1e-12)


@pytest.mark.parametrize("sites, ready", [(6, {2: 0, 3: 1, 4: 1, 5: 2, 9: 6}), (1, {2: 0, 3: 0, 8: 0, 9: 1})])
def test_the_neocloud_s_leased_shells_are_handed_over_site_by_site(sites, ready):
    """The history world's opening: the neocloud's leased shells (history_corz_lease_value over 12
    years at the lease rent) are half built on an 18-month schedule, 9 months to go. In six phases,
    one a site, the first is ready when 12 of 18 months are built (0.5 + 3/18 = 2/3: in 3 months),
    the others evenly to the end (a phase every (1 - 2/3) / 5 x 18 = 1.2 months: 1 at month 3 and
    4, 2 at month 5, all 6 at month 9); as one site, nothing before month 9. ``ready``: months
    ahead -> sixths (or wholes) of the shell handed over if it is built on schedule."""
    eco = opening(history_corz_sites=sites)
    p = eco.params
    gw = p["history_corz_lease_value"] / (p["dc_lease_rent_per_gw_year"] * 12.0)
    c = next(c for c in eco.book.held_by("neocloud", Contract.shell_room) if c.name == "Core Scientific sites")
    assert c.gw == pytest.approx(gw, rel=1e-12)
    for ahead, parts in ready.items():
        assert c.ready_gw(ahead) == pytest.approx(gw * parts / sites, rel=1e-9, abs=1e-12), ahead
