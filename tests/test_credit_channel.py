"""The neocloud's loans against named customer contracts (``model/contracts/loans.py``): opened as
filed, drawn as the GPUs for a contract arrive, priced by the customer's credit; the customer's
non-payment breaks the debt-service covenant, the contract's cancellation is an event of default
(acceleration, repossession, cash sweep), and a payment default left unpaid accelerates the rest
of the borrower's debt (cross-default). The pooled dial keeps the old structure.
"""

from __future__ import annotations

import pytest

from ailoop.model import Economy
from ailoop.model.contracts import ContractLoan, GpuLoan, facility_covenants, owe


def facilities(eco, borrower="neocloud") -> dict[str, list]:
    """The borrower's facilities by the name of their backing contract."""
    out: dict[str, list] = {}
    for c in eco.book.issued_by(borrower, "contract_loan"):
        out.setdefault(c.backing.name, []).append(c)
    return out


def test_the_neocloud_opens_with_its_debt_as_filed():
    """$11.2B: senior notes at 10%, vendor financing at 9.5%, delayed-draw loans against its
    contracts with the lab (15%) and hyper_1 (11%) split by the GPUs serving each, a revolver."""
    eco = Economy(seed=1, checks=False)
    p = eco.params
    debt = [c for c in eco.book.issued_by("neocloud") if c.is_debt]
    assert sum(c.face for c in debt) == pytest.approx(p["open_debt_neocloud"], rel=1e-12)
    assert eco.ledger.get("neocloud", "debt") == pytest.approx(p["open_debt_neocloud"], rel=1e-12)
    by_kind = {}
    for c in debt:
        by_kind.setdefault(c.kind, []).append(c)
    notes, = by_kind["bond"]
    assert notes.face == pytest.approx(p["open_debt_neocloud"] * p["open_notes_share_neocloud"])
    assert notes.coupon == p["neocloud_notes_coupon"] and notes.maturity_month == p["neocloud_notes_months"]
    vendor, = by_kind["term_loan"]
    assert vendor.coupon == p["vendor_financing_coupon"]
    revolver, = by_kind["revolver"]
    assert revolver.face == 0.0 and revolver.commitment() == p["open_revolver_neocloud"]
    f = facilities(eco)
    lab = f["lab-neocloud (existing $15.9B)"]
    hyper = f["hyper_1-neocloud (existing)"]
    assert {c.coupon for c in lab} == {p["neocloud_ddtl_coupon_other"]}
    assert {c.coupon for c in hyper} == {p["neocloud_ddtl_coupon_ig"]}
    gw = {name: loans[0].backing.gw for name, loans in f.items()}
    face = {name: sum(c.face for c in loans) for name, loans in f.items()}
    assert face["lab-neocloud (existing $15.9B)"] / face["hyper_1-neocloud (existing)"] == pytest.approx(
        gw["lab-neocloud (existing $15.9B)"] / gw["hyper_1-neocloud (existing)"], rel=1e-12)
    for loans in f.values():
        assert sum(c.collateral_units for c in loans) == pytest.approx(loans[0].backing.gw * p["gpus_per_gw"])

    pooled = Economy(seed=1, checks=False, contract_backed_loans=False)
    assert not pooled.book.issued_by("neocloud", "contract_loan")
    gpu = pooled.book.issued_by("neocloud", "gpu_loan")
    assert sum(c.face for c in gpu) == pytest.approx(sum(face.values()))
    assert all(isinstance(c, GpuLoan) for c in gpu)


@pytest.fixture(scope="module")
def drawn():
    """A year and a half in: the neocloud has drawn on facilities against its new contracts."""
    eco = Economy(seed=1, check_every=21)
    eco.run(years=1.5)
    return eco


def test_facilities_are_drawn_against_named_contracts_and_priced_by_the_customer(drawn):
    eco, p = drawn, drawn.params
    f = facilities(eco)
    lab, meta = f["neocloud-lab expansion"], f["neocloud-hyper_4"]
    for loans, customer_spread in ((lab, p["contract_loan_spread_other"]), (meta, p["contract_loan_spread_ig"])):
        c = loans[0].backing
        assert sum(x.limit for x in loans) == pytest.approx(p["contract_loan_advance"] * c.total_value)
        assert 0 < sum(x.drawn for x in loans) <= sum(x.limit for x in loans) + 1e-9
        assert sum(x.collateral_units for x in loans) > 0
        # the spread is the customer's class plus the day's mood, the same for every lender
        assert len({x.spread for x in loans}) == 1
        assert loans[0].spread - customer_spread == pytest.approx(
            eco.credit.contract_spread(c.holder, 0.3) - customer_spread, abs=0.05)
    assert lab[0].spread - meta[0].spread == pytest.approx(p["contract_loan_spread_other"] - p["contract_loan_spread_ig"],
                                                           abs=0.01)  # the mood differs between the two signings
    # each draw was made under its contract by the lender funding it: bonds held = face
    for c in lab + meta:
        assert c.commitment() == pytest.approx(max(0.0, c.limit - c.drawn))
    eco.check_books()


def test_a_customer_that_stops_paying_breaks_the_debt_service_covenant(drawn):
    """Two of the last three months of the lab's bills unpaid: the coverage falls below its
    minimum and the cure is the prepayment that restores it; three months unpaid: all of the loan."""
    eco = drawn
    loans = facilities(eco)["lab-neocloud (existing $15.9B)"]
    c = loans[0].backing
    assert facility_covenants(loans, eco.ctx) is None
    bills = sum(k.online_gw * k.price_per_gw_year / 12.0 for k in eco.book.issued_by("neocloud", "capacity")
                if k.holder == "lab")
    owe(eco.ledger, eco.book, "lab", "neocloud", 2 * bills, "retained", "retained", "compute bill")
    cure, why = facility_covenants(loans, eco.ctx)
    assert "debt-service coverage" in why and "lab pays 33%" in why
    face = sum(x.face for x in loans)
    service = sum(x.monthly_interest() + x.scheduled_principal(eco.month) for x in loans)
    cash_flow = c.online_gw * c.price_per_gw_year / 12.0 / 3.0
    assert cash_flow / service < eco.params["contract_loan_min_dscr"]
    assert cure == pytest.approx(face - face * cash_flow / (eco.params["contract_loan_min_dscr"] * service), rel=1e-9)
    owe(eco.ledger, eco.book, "lab", "neocloud", bills, "retained", "retained", "compute bill")
    cure, _ = facility_covenants(loans, eco.ctx)
    assert cure == pytest.approx(face, rel=1e-12)


def test_a_cancelled_contract_is_an_event_of_default_and_a_deficiency_leads_to_cross_default():
    """The lab's contract is cancelled as at its default: the loan against it is accelerated, the
    GPUs securing it repossessed and sold at the used-GPU price, the neocloud's cash swept, the
    rest owed as arrears to the lenders. Unpaid beyond the cure period, that payment default
    accelerates all the neocloud's other debt; lenders then lend it nothing."""
    eco = Economy(seed=1, check_every=21)
    eco.run(years=1.5)
    led, neo = eco.ledger, eco.agent("neocloud")
    led.pay_external("neocloud", "operating_costs", led.cash("neocloud"), "retained", "lab operating costs")
    eco.gpu_market.fire_sale_impact = 0.05  # a collapsed used-GPU market: the collateral covers little
    eco.gpu_market.used_price = eco.gpu_market.used_price_of_fleet()
    loans = facilities(eco)["lab-neocloud (existing $15.9B)"]
    c = loans[0].backing
    face = sum(x.face for x in loans)
    collateral = sum(x.collateral_units for x in loans)
    units0, arrears0 = neo.fleet.units(), eco.defaults.debt_arrears("neocloud")
    eco.transactions.cancel_capacity_contract(c, "test: the lab defaulted", fee_claim=1.0, in_default=True)
    eco.defaults.enforce_events_of_default()
    event = next(e for e in eco.events if e["event"] == "event of default")
    assert "backing contract cancelled" in event["cause"] and event["size"] == pytest.approx(face)
    assert all(x.face == 0.0 and not x.active for x in loans)
    sold = units0 - neo.fleet.units()
    assert 0 < sold <= collateral + 1e-12
    sale = next(e for e in eco.events if e["event"] == "GPU fire sale")
    unpaid = eco.defaults.debt_arrears("neocloud") - arrears0
    assert sale["size"] + unpaid == pytest.approx(face, rel=1e-9)  # no cash left to sweep
    assert unpaid > 0 and led.cash("neocloud") == pytest.approx(0.0, abs=1e-9)
    eco.credit.mark_debt()
    eco.check_books()

    debt = led.get("neocloud", "debt")
    assert debt > 1.0
    eco.defaults.covenants()  # one month: within the cure period
    assert "neocloud" not in eco.defaults.accelerated
    eco.defaults.covenants()  # still unpaid a month on: cross-default
    assert eco.defaults.in_event_of_default("neocloud")
    assert led.get("neocloud", "debt") == pytest.approx(0.0, abs=1e-9)  # all of it due now, owed as arrears
    assert any(e["event"] == "cross-default" and e["agent"] == "neocloud" for e in eco.events)
    assert eco.credit.issue(neo, 1.0, 60) == 0.0 and eco.credit.draw_revolver(neo, 1.0) == 0.0
    eco.credit.mark_debt()
    eco.check_books()


def test_pooled_loans_see_no_customer(drawn):
    """With the dial off the same shock finds no loan to break: the GPU loans are pooled against
    the fleet, and the lab's contracts carry no debt."""
    eco = Economy(scenario="music_stops", base="baseline", seed=3, checks=False, contract_backed_loans=False)
    eco.run(years=6)
    assert "lab" in eco.defaults.defaulted
    assert not eco.book.of_kind("contract_loan")
    assert not [e for e in eco.events if e["event"] in ("covenant breach", "event of default")]
    linked = Economy(scenario="music_stops", base="baseline", seed=3, checks=False)
    linked.run(years=6)
    lab_events = [e for e in linked.events if e["event"] in ("covenant breach", "event of default")
                  and e["agent"] == "neocloud" and ("lab pays" in e["cause"] or "with lab)" in e["cause"])]
    assert lab_events
    assert all(isinstance(c, ContractLoan) for c in linked.book.of_kind("contract_loan"))
