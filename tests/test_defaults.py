"""When the music stops: defaults come out of balance sheets, unwind by contract terms, and keep
the books balanced; cutting the links between balance sheets removes the contagion.

The music_stops run is watched from outside the default engine: the arrears (payables past due) of every
firm that can default, as the engine looks at them each month, and, around each default, the
claims on the defaulter, its shareholders' marks, the holders' books and the cash that moved
(from the shadow of cash movements, ``tests/ledger_shadow.py``).
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from ailoop.model import Economy
from ailoop.model.contracts import Contract
from ailoop.model.scenarios import SCENARIOS
from ledger_shadow import recorded_economy


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_scenario_balances_every_step(name):
    eco = Economy(scenario=name, seed=5, check_every=1)  # on its default base; the full books check after every step
    eco.run(years=2.5)
    eco.check_books()


def claims_on(eco, aid: str) -> dict[str, float]:
    """Creditor -> $B it can claim from ``aid`` before a default: bills (arrears and bills on terms),
    debt at face, the cancellation fee of each capacity contract ``aid`` bought, a lessor's damages."""
    book = eco.book
    claims: dict[str, float] = defaultdict(float)  # creditor -> $B it can claim from aid
    for c in book.issued_by(aid):
        if c.kind in ("trade_credit", "invoice"):  # arrears, and bills on trade terms not yet due
            claims[c.holder] += c.amount
        elif c.is_debt:
            claims[c.holder] += c.face
    for c in book.held_by(aid, "capacity"):  # a defaulting buyer owes the cancellation fee
        claims[c.issuer] += c.cancel_fee_share * c.remaining_value()
    for c in book.held_by(aid, "lease"):  # a defaulting lessee owes the lessor's damages: the lease's
        lessor = eco.agent(c.issuer)  # remaining payments at its rate less the returned GPUs at the used price
        units = min(lessor.fleet.units(), c.gw * eco.params["gpus_per_gw"])
        value = sum(k.units * eco.gpu_market.used_price_at(k.age(eco.month)) for k in lessor.fleet.cohorts)
        value *= units / lessor.fleet.units() if lessor.fleet.units() > 0 else 0.0
        n = c.term_months - c.months_paid
        pv = c.monthly * ((1 - (1 + c.rate) ** -n) / c.rate if c.rate > 0 else n)
        damages = max(0.0, pv - value)
        if damages > 0:
            claims[c.issuer] += damages
    return dict(claims)


class DefaultWatch:
    """Records, outside the default engine, what the tests compare its outcomes with."""

    def __init__(self, eco):
        self.eco = eco
        self.arrears: dict[int, dict[str, float]] = {}  # month -> payables of each live firm at the first look
        self.defaults: dict[str, dict] = {}  # defaulter -> what was there before and after
        engine = eco.defaults
        look, unwind = engine.candidates, engine.default

        def candidates():
            led = eco.ledger
            # overdue: payables less the bills on trade terms not yet due (the invoices still open)
            on_terms: dict[str, float] = defaultdict(float)
            for c in eco.book.implementing(Contract.payable_due):
                on_terms[c.issuer] += c.amount
            self.arrears.setdefault(eco.month, {a.aid: led.get(a.aid, "payables") - on_terms[a.aid]
                                                for a in eco.defaultable()})
            return look()

        def default(firm, cause):
            before = self._state(firm.aid)
            unwind(firm, cause)
            self.defaults[firm.aid] = dict(month=eco.month, before=before, after=self._state(firm.aid))

        engine.candidates, engine.default = candidates, default

    def _state(self, aid: str) -> dict:
        eco, led = self.eco, self.eco.ledger
        book = eco.book
        claims = claims_on(eco, aid)
        firm = eco.agent(aid)
        return dict(
            claims=claims,
            stakes={c.holder: c.shares * c.mark for c in book.issued_by(aid, "equity")},
            outside_share=max(0.0, firm.shares - sum(c.shares for c in book.issued_by(aid, "equity"))) / firm.shares,
            equity_stakes={a: led.get(a, "equity_stakes") for a in led.agent_ids},
            paid=dict(led.shadow.paid_agents),
            writeoffs=dict(eco.defaults.writeoffs),
            secured=any(c.secured_by_gpus for c in book.issued_by(aid)),
        )

    def moved(self, aid: str) -> tuple[dict[str, float], dict[str, float]]:
        """(cash aid paid each party during its default, write-offs each creditor booked)."""
        d = self.defaults[aid]
        b, a = d["before"], d["after"]
        paid = {q: x - b["paid"].get((p, q), 0.0) for (p, q), x in a["paid"].items() if p == aid}
        lost = {c: x - b["writeoffs"].get(c, 0.0) for c, x in a["writeoffs"].items()}
        return ({q: x for q, x in paid.items() if x > 1e-12}, {c: x for c, x in lost.items() if x > 1e-12})


@pytest.fixture(scope="module")
def music_stops():
    # seed 11: the lab and lab_spv default; the GPU SPV's lease is rejected with a damages claim
    eco = recorded_economy(scenario="music_stops", base="baseline", seed=11, check_every=1)  # full books check every step
    watch = DefaultWatch(eco)
    eco.run(years=6)
    return eco, watch


def test_the_lab_defaults_and_its_contracts_unwind(music_stops):
    eco, watch = music_stops
    assert "lab" in watch.defaults  # never scripted: the shock only lowers demand growth
    events = {e["event"] for e in eco.events}
    assert {"failed round", "default", "contract cancelled", "stake written off"} <= events
    assert not eco.book.held_by("lab", "capacity")
    assert eco.ledger.totals("lab")[0] == pytest.approx(0.0, abs=1e-6)  # estate liquidated
    last = eco.datacollector.get_model_vars_dataframe().iloc[-1]
    assert last["loss.venture_funds"] > 0 and last["loss.hyperscalers"] > 0


def test_creditors_write_off_their_claims_less_what_the_estate_paid_them(music_stops):
    """For every default: each creditor's write-off = its claim before the default (arrears,
    debt, the cancellation fee of each capacity contract the defaulter bought) - the cash the
    estate paid it; unsecured claims are paid at one rate; and shareholders get nothing while
    a creditor goes short. A creditor that also holds shares of a solvent estate gets, beyond its
    claim, the surplus per unit of stake that the shareholders who are not creditors got."""
    eco, watch = music_stops
    assert len(watch.defaults) >= 2
    for aid, d in watch.defaults.items():
        claims, stakes = d["before"]["claims"], d["before"]["stakes"]
        paid, lost = watch.moved(aid)
        assert sum(claims.values()) > 0.1, aid
        pure = [h for h in stakes if h not in claims and h in eco.ledger.index and stakes[h] > 1e-9]
        per_stake = paid.get(pure[0], 0.0) / stakes[pure[0]] if pure else 0.0  # surplus per $ of stake
        surplus = {c: (per_stake * stakes.get(c, 0.0) if not lost else 0.0) for c in claims}
        for creditor, claim in claims.items():
            if creditor in eco.ledger.index:  # external creditors keep no books
                assert paid.get(creditor, 0.0) + lost.get(creditor, 0.0) == \
                    pytest.approx(claim + surplus[creditor], rel=1e-9, abs=1e-9), (aid, creditor)
        holders = {"other_shareholders", *d["before"]["stakes"]}
        assert set(lost) <= set(claims), aid  # nobody else wrote anything off
        assert set(paid) <= set(claims) | holders, aid
        if not d["before"]["secured"]:
            rates = {c: (paid.get(c, 0.0) - surplus[c]) / x for c, x in claims.items() if x > 1e-9}
            assert max(rates.values()) - min(rates.values()) < 1e-9, (aid, rates)
        if lost:
            assert not any(paid.get(h, 0.0) for h in holders if h not in claims), aid
    lab_paid, lab_lost = watch.moved("lab")
    assert sum(lab_lost.values()) > 10 * sum(lab_paid.values())  # the lab's creditors recovered little


def test_holders_write_off_their_stakes_at_their_pre_default_marks(music_stops):
    eco, watch = music_stops
    for aid, d in watch.defaults.items():
        stakes = d["before"]["stakes"]
        assert sum(stakes.values()) > 1.0, aid
        for holder, value in stakes.items():
            if holder == aid or holder not in eco.ledger.index:
                continue
            drop = d["before"]["equity_stakes"][holder] - d["after"]["equity_stakes"][holder]
            assert drop == pytest.approx(value, rel=1e-9), (aid, holder)


def test_a_solvent_estates_surplus_goes_to_its_shareholders(music_stops):
    """Absolute priority: what is left after the creditors belongs to the shareholders, in
    proportion to their shares; outside holders get the outside float's part, no more."""
    eco, watch = music_stops
    for aid, d in watch.defaults.items():
        paid, _ = watch.moved(aid)
        residual = paid.get("other_shareholders", 0.0) + sum(paid.get(h, 0.0) for h in d["before"]["stakes"])
        assert paid.get("other_shareholders", 0.0) <= d["before"]["outside_share"] * residual + 1e-9, (aid, residual)


def test_default_follows_unpaid_bills_not_a_date(music_stops):
    """A firm defaults in the month its arrears (above the tolerance) have lasted more than the
    grace period, as recorded month by month before the engine decided; a firm whose arrears never
    lasted that long does not default unless it is a GPU borrower the used-GPU price made insolvent."""
    eco, watch = music_stops
    p = eco.params
    tol, grace = p["default_arrears_tolerance"], int(p["default_grace_months"])
    months = sorted(watch.arrears)
    assert months == list(range(months[0], months[-1] + 1))  # the engine looked every month
    due: dict[str, int] = {}
    run: dict[str, int] = defaultdict(int)
    for m in months:
        for aid, owed in watch.arrears[m].items():
            run[aid] = run[aid] + 1 if owed > tol else 0
            if run[aid] > grace and aid not in due:
                due[aid] = m
    assert "lab" in due
    for aid, d in watch.defaults.items():
        if d["before"]["secured"]:
            assert d["month"] <= due.get(aid, 10**6), aid
        else:
            assert d["month"] == due[aid], aid
    assert set(due) <= set(watch.defaults)
    failed = [e for e in eco.events if e["event"] == "failed round" and e["agent"] == "lab"]
    lab_default = next(e for e in eco.events if e["event"] == "default" and e["agent"] == "lab")
    assert failed and failed[0]["step"] < lab_default["step"]  # rounds failed before the lab ran out


def test_a_default_elsewhere_does_not_shorten_another_firms_grace_period():
    """lab_spv falls behind from month 1, the lab from month 3; the engine looks once a month.
    With a grace of 2 months lab_spv defaults in month 3 and the lab in month 5, not earlier."""
    from ailoop.model.contracts import pay_or_owe

    eco = Economy(seed=1, checks=False)
    led, grace = eco.ledger, int(eco.params["default_grace_months"])
    assert grace == 2

    def fall_behind(aid):  # spend all its cash, then owe a bill it cannot pay
        led.pay_external(aid, "operating_costs", led.cash(aid), "retained")
        pay_or_owe(led, eco.book, aid, "operating_costs", 1.0, "retained", "retained", "unpaid bill")

    fall_behind("lab_spv")
    month_of = {}
    for month in range(1, 7):
        eco.month = month
        if month == 3:
            fall_behind("lab")
        for aid in eco.defaults.resolve():
            month_of[aid] = month
    assert month_of == {"lab_spv": 1 + grace, "lab": 3 + grace}


def test_a_solvent_estates_surplus_is_paid_to_all_shareholders_pro_rata():
    """A firm that defaults with more than its creditors are owed (here the neocloud, declared in
    default a year in while solvent): its creditors are paid in full, and the rest goes to every
    shareholder — chip_leader, the ETF, the traders, the outside float — at one price per share,
    the surplus over the shares outstanding; each holder's stake is first marked to that price.
    The ETF passes its part through to its households; the traders' part reaches the traders."""
    eco = Economy(seed=4, check_every=21)
    eco.run(years=1)
    led, firm = eco.ledger, eco.agent("neocloud")
    stakes = {s.holder: (s.shares, s.shares * s.mark) for s in eco.book.issued_by("neocloud", "equity")}
    cash0 = {a: led.cash(a) for a in stakes}
    owed0 = defaultdict(float, claims_on(eco, "neocloud"))  # a shareholder may also be a creditor
    writeoffs0 = dict(eco.defaults.writeoffs)
    paid0 = led.paid_between("neocloud", "other_shareholders")
    to_households0 = led.paid_between("retail", "households")
    traders_cash0 = float(eco.exchange.traders.cash.sum())
    eco.defaults.default(firm, "test: declared in default while solvent")
    r = firm.recovery_per_share
    assert r > 0 and eco.defaults.recovery["neocloud"] == r
    assert eco.defaults.writeoffs == writeoffs0  # no creditor lost anything
    outside = firm.shares - sum(n for n, _ in stakes.values())
    assert outside > 0
    for holder, (shares, _) in stakes.items():
        if holder == "retail":  # the ETF passes it through to the households that hold it
            assert led.cash(holder) == pytest.approx(cash0[holder], abs=1e-12)
            got = led.paid_between("retail", "households") - to_households0
        else:
            got = led.cash(holder) - cash0[holder] - owed0[holder]  # paid in full as a creditor first
        assert got == pytest.approx(shares * r, rel=1e-9, abs=1e-12), holder
    # and the traders' own cash (the population's, not the sector's books) rose by their part
    assert float(eco.exchange.traders.cash.sum()) - traders_cash0 == pytest.approx(stakes["traders"][0] * r, rel=1e-9)
    assert led.paid_between("neocloud", "other_shareholders") - paid0 == pytest.approx(outside * r, rel=1e-9)
    assert led.cash("neocloud") == pytest.approx(0.0, abs=1e-9)
    lost = {e["agent"]: e["size"] for e in eco.events if e["event"] == "stake written off"}
    for holder, (shares, value) in stakes.items():  # each loses its mark less the recovery
        if value > shares * r + 1e-9:
            assert lost[holder] == pytest.approx(value - shares * r, rel=1e-9), holder
    eco.credit.mark_debt()  # the defaulter's bonds are gone from their holders' marks
    eco.check_books()


def contagion(cross_links: bool, seed: int) -> float:
    """Losses that travel along balance-sheet links ($B): the chipmakers' and hyperscalers' losses
    on their stakes and claims, and bond buyers' realised credit losses (write-offs; their
    mark-to-market moves with spreads and sentiment, which no link carries). Cutting the links:
    no cross-holdings, no contract-backed debt and no new GPU-backed borrowing by the neocloud."""
    kw = {} if cross_links else dict(cross_holdings=False, neocloud_ltv_target=0.0, contract_backed_loans=False)
    eco = Economy(scenario="music_stops", base="baseline", seed=seed, checks=False, **kw)
    eco.run(years=6)
    last = eco.datacollector.get_model_vars_dataframe().iloc[-1]
    written_off = sum(v for k, v in eco.defaults.writeoffs.items() if k.startswith("bond_"))
    return float(last["loss.chipmakers"] + last["loss.hyperscalers"] + written_off)


def test_cutting_the_links_removes_most_of_the_contagion():
    linked = [contagion(True, s) for s in (1, 2)]
    cut = [contagion(False, s) for s in (1, 2)]
    assert min(linked) > 50.0
    assert max(cut) < 0.2 * min(linked)


def test_a_defaulting_fund_returns_what_is_left_to_its_limited_partners():
    """A venture fund has no shares: when the levered fund defaults (here the engine is asked to
    unwind it directly), what is left after its creditors goes back to its owners, the LP sector,
    as cash the independent shadow of the postings sees paid; nothing stays on its books."""
    from ledger_shadow import mismatches

    eco = recorded_economy(seed=1, check_every=1)
    eco.run(years=0.25)
    led, shadow = eco.ledger, eco.ledger.shadow
    to_lps = shadow.paid.get(("vc_levered", "lp_investors"), 0.0)
    eco.defaults.default(eco.agent("vc_levered"), "test: unwound by the default engine")
    eco.credit.mark_debt()  # its margin loans are gone from their holders' marks (the month's marking phase)
    eco.check_books()
    assert not mismatches(led, shadow)
    paid = shadow.paid.get(("vc_levered", "lp_investors"), 0.0) - to_lps
    assert paid > 0.0
    assert led.cash("vc_levered") == pytest.approx(0.0, abs=1e-9)
    assert led.get("vc_levered", "debt") == pytest.approx(0.0, abs=1e-9)
