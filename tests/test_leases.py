"""A lease is a real contract at its lessee's default: the lessee returns the GPUs, the lessor marks
them at the used-GPU price, and the lessor's damages — the remaining payments discounted at the
lease's rate, less what the returned GPUs are worth — are a claim on the lessee's estate, paid at
the same rate as its other unsecured claims. Checked against a hand computation in a small
economy (three bond buyers, ten traders, ten retail holders)."""

from __future__ import annotations

import math

import pytest

from ailoop.model import Economy


def until_the_lease_is_paid(eco, months: int = 2) -> None:
    """Run month by month until the SPV has all the GPUs it ordered (chip_leader ships part of
    the order each month) and lab_spv has paid ``months`` months of its lease (in seed 2 by mid-2026;
    later in the run the SPV's lenders' margin calls take it down)."""
    def equipped() -> bool:
        return not any(o.active for o in eco.book.held_by("spv", "chip_order"))

    while not (equipped() and any(c.months_paid >= months for c in eco.book.held_by("lab_spv", "lease"))):
        assert eco.month < 24, "the SPV's GPUs never all arrived or the lease never started paying"
        for _ in range(21):
            eco.step()


def test_a_defaulting_lessee_returns_the_gpus_and_the_lessor_claims_its_damages():
    eco = Economy(seed=2, check_every=21, n_traders=10, retail_holders=10, n_bond_buyers=3)
    until_the_lease_is_paid(eco)  # the SPV's GPUs have arrived and lab_spv has been paying its lease
    p, led, market = eco.params, eco.ledger, eco.gpu_market
    lessee, lessor = eco.agent("lab_spv"), eco.agent("spv")
    lease, = eco.book.held_by("lab_spv", "lease")
    assert lease.months_paid > 0 and lessor.fleet.units() > 0
    # make the hand computation interesting: the lessee holds little cash, the used market is depressed
    if led.cash("lab_spv") > 2.0:
        led.pay_external("lab_spv", "operating_costs", led.cash("lab_spv") - 2.0, "retained", "lab operating costs")
    market.fire_sale_impact = 0.3
    assert not eco.book.issued_by("lab_spv", "trade_credit")  # no other arrears: the claims are the two below

    # ---- by hand
    new_price, life = eco.agent("chip_leader").gpu_price, p["gpu_life_months"]
    rent_factor = min(1.0, market.rent / p["rent_ref"])

    def used(age: int) -> float:  # $ thousand per GPU: new price x life left x rent factor x fire-sale impact
        return new_price * max(0.0, 1.0 - age / life) * rent_factor * 0.3

    cohorts = [(c.units, c.book, eco.month - c.month) for c in lessor.fleet.cohorts]
    assert lessor.fleet.units() <= lease.gw * p["gpus_per_gw"] + 1e-12  # every GPU of the SPV is on the lease
    value = sum(units * used(age) for units, _, age in cohorts)
    written_down = sum(max(0.0, book - units * used(age)) for units, book, age in cohorts)
    n, r = lease.term_months - lease.months_paid, lease.rate
    pv = lease.monthly * (1.0 - (1.0 + r) ** -n) / r
    damages = pv - value
    assert damages > 1.0 and written_down > 1.0
    contract, = eco.book.held_by("lab_spv", "capacity")
    fee = contract.cancel_fee_share * contract.remaining_value()
    def bills(to):  # billed on trade terms, not yet due: claims on the estate too
        return sum(c.amount for c in eco.book.issued_by("lab_spv", "invoice") if c.holder == to)
    # its other assets go to the distressed buyers: at the recovery rate, less the discount the volume
    # V takes against their capacity C this month, C (1 - exp(-V / C)) / V
    v = p["other_asset_recovery"] * led.get("lab_spv", "other_assets")
    cap = eco.equity_desk.distressed_capacity()
    estate = led.cash("lab_spv") + (cap * (1.0 - math.exp(-v / cap)) if v > 0 else 0.0)
    fee += bills("cloud")
    lessor_claim = damages + bills("spv")  # the damages and the last lease bill still open
    rate = estate / (lessor_claim + fee)
    assert 0 < rate < 1

    gpus0, cash0, cloud0 = led.get("spv", "gpus"), led.cash("spv"), led.cash("cloud")
    writeoffs0 = dict(eco.defaults.writeoffs)
    eco.defaults.default(lessee, "test: lab_spv cannot pay")

    # ---- the model
    event = next(e for e in eco.events if e["event"] == "lease rejected")
    assert event["agent"] == "spv" and event["size"] == pytest.approx(damages, rel=1e-9)
    assert not lease.active
    assert led.get("spv", "gpus") == pytest.approx(gpus0 - written_down, rel=1e-9)
    assert led.get("spv", "gpus") == pytest.approx(value, rel=1e-9)  # every cohort was above the used price
    assert led.cash("spv") - cash0 == pytest.approx(lessor_claim * rate, rel=1e-9)
    assert eco.defaults.writeoffs["spv"] - writeoffs0.get("spv", 0.0) == pytest.approx(lessor_claim * (1 - rate), rel=1e-9)
    assert led.cash("cloud") - cloud0 == pytest.approx(fee * rate, rel=1e-9)  # fee and open bills, ranked with the other claim
    assert led.get("spv", "receivables") == pytest.approx(0.0, abs=1e-9)
    eco.credit.mark_debt()
    eco.check_books()


def test_whether_the_lessor_survives_follows_from_its_balance_sheet():
    """With no lessee and debt still owed, the SPV sells its idle GPUs to repay its lenders: with
    GPUs worth more than its debt it repays them and survives; with a collapsed used market, a
    lessee's estate that pays little of its damages and little cash of its own (it has paid its
    cash out: $0.5B left), its cash and GPUs are worth less than its debt: it cannot, and defaults."""
    outcomes = {}
    for impact, cash_left in ((1.0, None), (0.02, 0.5)):
        eco = Economy(seed=2, checks=False, n_traders=10, retail_holders=10, n_bond_buyers=3)
        until_the_lease_is_paid(eco)
        eco.ledger.pay_external("lab_spv", "operating_costs", eco.ledger.cash("lab_spv") - 1.0, "retained",
                                "lab operating costs")
        if cash_left is not None:
            eco.ledger.pay_external("spv", "operating_costs", eco.ledger.cash("spv") - cash_left, "retained",
                                    "SPV costs")
        eco.gpu_market.fire_sale_impact = impact
        eco.gpu_market.used_price = eco.gpu_market.used_price_of_fleet()
        eco.defaults.default(eco.agent("lab_spv"), "test: lab_spv cannot pay")
        debt0 = eco.ledger.get("spv", "debt")
        assert debt0 > 0
        if cash_left is not None:  # the balance sheet the test sets up: cash and GPUs short of the debt
            gpus = eco.agent("spv").fleet.units() * eco.gpu_market.used_price
            assert eco.ledger.cash("spv") + gpus < debt0
        eco.run(years=0.5)
        outcomes[impact] = ("spv" in eco.defaults.defaulted, eco.ledger.get("spv", "debt"))
    assert outcomes[1.0] == (False, pytest.approx(0.0, abs=1e-9))
    assert outcomes[0.02][0]
