"""Defaults on both sides of their triggers, and the order in which an estate pays its creditors,
with numbers computed by hand on a hand-built opening economy (``tests/handbuilt.py``).

GPU prices as in ``test_thresholds_credit.py``: new GPUs at $72k, rent at its reference, no fire
sale, so a GPU of the opening fleets (12 months old, 72-month life) is worth $60k used.
"""

from __future__ import annotations

import math

import pytest

from handbuilt import debts, events, opening_economy, owe_bill, set_cash, set_fleet, set_gpu_prices, the_event

NEW_PRICE, USED_PRICE = 72.0, 60.0  # $ thousand per GPU; 60 = 72 x (1 - 12 / 72)


# ---------------------------------------------------------------------------- insolvency
def neocloud_owing(extra: float):
    """The neocloud (a GPU borrower) with 0.3 million GPUs worth 0.3 x 60 = 18.0 $B to its lenders,
    its other opening assets (cash 2.0 + other assets 3.0 + plant 0.6 GW x 12 = 7.2: 12.2 $B) and
    its opening debt of 11.2 $B, plus ``extra`` $B of unpaid bills. Marked to the used-GPU price
    its assets are 12.2 + 18.0 = 30.2 $B: it is insolvent once its liabilities pass that, at
    ``extra`` = 30.2 - 11.2 = 19.0 $B."""
    eco = opening_economy()
    p, led = eco.params, eco.ledger
    other = p["open_cash_neocloud"] + p["open_other_assets_neocloud"] + p["open_online_gw_neocloud"] * p[
        "open_plant_book_per_gw_other"]
    assets, liabilities, _ = led.totals("neocloud")
    assert assets - led.get("neocloud", "gpus") == pytest.approx(other) == pytest.approx(12.2)
    assert liabilities == pytest.approx(p["open_debt_neocloud"]) == pytest.approx(11.2)
    set_fleet(eco, "neocloud", 0.3)
    set_gpu_prices(eco, NEW_PRICE)
    owe_bill(eco, "neocloud", "operating_costs", extra, "capacity operations")
    return eco


@pytest.mark.parametrize("extra, insolvent", [(18.9, False), (19.1, True)])
def test_a_gpu_borrower_is_insolvent_only_once_its_liabilities_pass_its_assets_at_the_used_price(extra, insolvent):
    eco = neocloud_owing(extra)
    assert eco.defaults.insolvent(eco.agent("neocloud")) is insolvent
    defaulted = eco.defaults.resolve()  # its bills are one month old: only insolvency can make it default now
    assert ("neocloud" in defaulted) is insolvent
    if insolvent:
        d = the_event(eco, "default", "neocloud")
        assert d["cause"].startswith("insolvent")


def test_insolvency_is_tested_on_gpu_borrowers_only():
    """The lab has no GPU-backed debt: liabilities far beyond its assets do not make it default
    (it defaults only when it cannot pay, after the grace period)."""
    eco = opening_economy()
    assets, liabilities, _ = eco.ledger.totals("lab")
    owe_bill(eco, "lab", "operating_costs", 2 * assets, "lab operating costs")
    assert not eco.defaults.insolvent(eco.agent("lab"))


# ---------------------------------------------------------------------------- secured lenders first
@pytest.mark.parametrize("contract_backed_loans", [False, True])
def test_an_estate_pays_its_gpu_lenders_from_the_gpus_before_the_pro_rata_claims(contract_backed_loans):
    """The neocloud defaults with no cash and 0.1 million GPUs (12 months old): the fire sale of
    the whole fleet into the used market (depth D = 2.5 million GPUs) raises
    S = P D (1 - exp(-0.1 / D)) = 60 x 2.5 x (1 - exp(-0.04)) = 5.8816 $B, less than the F = 8.2 $B
    its GPU lenders are owed. They get S pro rata to face first, then the rate r every other
    claim gets on what is still owed: a GPU lender with face f recovers f (S/F + r (1 - S/F)); the
    noteholder and the vendor (unsecured) recover r of their claims. Each lender's recovery is the
    cash it received."""
    eco = opening_economy(contract_backed_loans=contract_backed_loans)
    set_fleet(eco, "neocloud", 0.1)
    assert set_gpu_prices(eco, NEW_PRICE) == pytest.approx(USED_PRICE)
    set_cash(eco, "neocloud", 0.0)
    loans = [c for c in debts(eco, "neocloud") if c.face > 0]
    secured = [c for c in loans if c.secured_by_gpus]
    unsecured = [c for c in loans if not c.secured_by_gpus]
    assert {c.kind for c in unsecured} == {"bond", "term_loan"}
    owed = sum(c.face for c in secured)
    assert owed == pytest.approx(8.2)
    holders = {c.holder for c in loans}
    assert not {c.holder for c in secured} & {c.holder for c in unsecured}  # each lender is on one side
    face = {h: sum(c.face for c in loans if c.holder == h) for h in holders}
    cash0 = {h: eco.ledger.cash(h) for h in holders}
    eco.defaults.default(eco.agent("neocloud"), "test: declared in default")
    got = {h: eco.ledger.cash(h) - cash0[h] for h in holders}
    S = 60.0 * 2.5 * (1.0 - math.exp(-0.04))
    assert S == pytest.approx(5.8816, abs=1e-4)
    rates = {got[c.holder] / face[c.holder] for c in unsecured}
    r = min(rates)
    assert max(rates) - r < 1e-9  # unsecured claims are paid at one rate
    assert 0.2 < r < 0.9  # the estate is short: priority matters
    for h in {c.holder for c in secured}:
        assert got[h] == pytest.approx(face[h] * (S / owed + r * (1.0 - S / owed)), rel=1e-9), h


# ---------------------------------------------------------------------------- arrears tolerance
@pytest.mark.parametrize("owed, month_of_default", [(0.049, None), (0.051, 3)])
def test_arrears_within_the_tolerance_never_make_a_firm_default(owed, month_of_default):
    """lab_spv, without cash, owes a bill from month 0. Arrears above ``default_arrears_tolerance``
    (0.05 $B) for more than ``default_grace_months`` (2) months — counted at months 1, 2, 3 —
    make it default in month 3; 0.049 $B never does."""
    eco = opening_economy()
    p = eco.params
    assert p["default_arrears_tolerance"] == 0.05 and p["default_grace_months"] == 2
    set_cash(eco, "lab_spv", 0.0)
    owe_bill(eco, "lab_spv", "operating_costs", owed, "lab operating costs")
    month_of = None
    for month in range(1, 7):
        eco.month = month
        if "lab_spv" in eco.defaults.resolve():
            month_of = month
            break
    assert month_of == month_of_default
