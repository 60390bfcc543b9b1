"""The music stops: rounds that do not close, backlog marked down with the customer's funding,
and the cascade statistics the README reports (a small, fixed set of seeds; the 20-seed table
comes from ``benchmarks/scenario_stats.py``)."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from ailoop.model import Economy

SHOCK_STEP = 189  # first trading day of June 2026 (the scenarios' shock date)
LABS = {"lab", "lab_spv"}


def test_a_round_whose_offers_miss_its_minimum_does_not_close():
    eco = Economy(seed=3)  # books checked every step
    eco.run(years=0.1)
    lab, led = eco.agent("lab"), eco.ledger
    cash0, shares0 = led.cash("lab"), lab.shares
    powder0 = {f.aid: f.dry_powder for f in eco.venture_funds}
    raised = eco.rounds.raise_round(lab, 100.0, minimum=1e4)
    assert raised == 0.0
    assert led.cash("lab") == cash0 and lab.shares == shares0  # no money and no shares moved
    assert {f.aid: f.dry_powder for f in eco.venture_funds} == powder0
    assert eco.events[-1]["event"] == "failed round" and "did not close" in eco.events[-1]["cause"]
    eco.check_books()
    raised = eco.rounds.raise_round(lab, 10.0, minimum=1.0)  # the same offers clear a small minimum
    assert raised > 1.0 and lab.shares > shares0 and led.cash("lab") > cash0
    eco.check_books()


def _odds_and_cloud(scenario: str, seed: int) -> tuple[float, float, float]:
    eco = Economy(scenario=scenario, base="baseline", seed=seed, checks=False)
    eco.run(years=1.25)  # to December 2026, six months after the shock
    j = eco.exchange.pos["cloud"]
    return eco.exchange.payment_odds["lab"], float(eco.exchange.signals().backlog[j]), eco.agent("cloud").price


@pytest.mark.parametrize("seed", [1, 2])
def test_the_market_marks_down_a_backlog_when_the_customer_funding_dries_up(seed):
    """Same seed, same path until June 2026; then AI demand disappoints. Before any contract
    is cancelled, the market already counts less of what the lab owes the cloud."""
    odds_b, backlog_b, price_b = _odds_and_cloud("baseline", seed)
    odds_m, backlog_m, price_m = _odds_and_cloud("music_stops", seed)
    assert 0.0 <= odds_m < odds_b <= 1.0
    assert backlog_m < 0.8 * backlog_b
    assert price_m < price_b


CREDIT = ("covenant breach", "event of default", "cross-default")


def _cascade(args) -> dict:
    scenario, seed = args
    eco = Economy(scenario=scenario, base="baseline", seed=seed, checks=False)
    eco.run(years=1)
    lease = eco.book.held_by("lab_spv", "lease")  # (signed in the first months)
    eco.run(years=5)
    mv = eco.datacollector.get_model_vars_dataframe()["market_value_total"].to_numpy()
    steps = {e["agent"]: e["step"] for e in eco.events if e["event"] == "default"}
    causes = {e["agent"]: e["cause"] for e in eco.events if e["event"] == "default"}
    sales = [e for e in eco.events if e["event"] == "GPU fire sale"]
    credit = [(e["event"], e["agent"], e["cause"], e["step"]) for e in eco.events if e["event"] in CREDIT]
    leases = [(e["agent"], e["step"], e["cause"]) for e in eco.events if e["event"] == "lease rejected"]
    return dict(beyond=sorted(set(eco.defaults.defaulted) - LABS), lab="lab" in eco.defaults.defaulted,
                fall=1.0 - mv[SHOCK_STEP:].min() / mv[SHOCK_STEP], mv24=mv[SHOCK_STEP + 504], steps=steps,
                sold_by=[(e["agent"], e["step"]) for e in sales], credit=credit, leases=leases,
                causes=causes, rescued={e["cause"].split(":")[0] for e in eco.events if e["event"] == "rescue"},
                lease_paid_out=bool(lease) and lease[0].months_paid >= lease[0].term_months)


def _lab_credit_events(run: dict) -> list:
    """The neocloud's covenant breaches and events of default on loans against the lab's contracts."""
    return [c for c in run["credit"] if c[1] == "neocloud" and ("lab pays" in c[2] or "with lab)" in c[2])]


@pytest.fixture(scope="module")
def cascades():
    seeds = range(1, 6)
    jobs = [(s, k) for s in ("baseline", "music_stops", "market_creation") for k in seeds]
    with ProcessPoolExecutor(2) as ex:
        out = list(ex.map(_cascade, jobs))
    return {s: out[i * len(seeds):(i + 1) * len(seeds)] for i, s in enumerate(("baseline", "music_stops", "market_creation"))}


def test_music_stops_cascades_beyond_the_labs_and_market_creation_does_not(cascades):
    """When the music stops the lab fails in every run — it defaults, or a stakeholder whose loss
    from its failure would exceed the cost rescues it (a logged rescue; seed 5: hyper_1, its
    largest holder) — and when it defaults its unpaid and cancelled contracts reach the neocloud
    through the loans drawn against them: a covenant breach (the lab stops paying) or an event of
    default (the contract is cancelled), never before the shock. With strong real demand nothing
    fails and no loan against a lab contract breaches."""
    music, creation = cascades["music_stops"], cascades["market_creation"]
    assert all(r["lab"] or "lab" in r["rescued"] for r in music)
    assert sum(r["lab"] for r in music) >= 3  # most of the time nobody finds the rescue worth its cost
    for r in music:
        if not r["lab"]:
            continue
        events = _lab_credit_events(r)
        assert events, r["credit"]
        assert min(step for *_, step in events) > SHOCK_STEP
    assert not any(r["beyond"] or r["lab"] or _lab_credit_events(r) for r in creation)


def test_a_firm_beyond_the_labs_fails_after_its_lab_and_dumps_its_gpus(cascades):
    """The GPU SPV's only income is lab_spv's lease: when lab_spv defaults the lease is rejected at
    once (the GPUs come back, its damages a claim); if the SPV then fails it is after its lessee
    (or because the used-GPU price made it insolvent), and its lenders' collateral goes to the
    used-GPU market. When all AI demand disappoints the used-GPU price can fall far enough to make
    the SPV insolvent before its lessee defaults: then no lease is left to reject (nor when lab_spv
    has paid the lease's whole term before it fails). No firm beyond
    the labs fails before the labs do, except the SPV on its collateral."""
    for r in cascades["music_stops"]:
        spv_first = "spv" in r["steps"] and r["steps"]["spv"] < r["steps"].get("lab_spv", 10**9)
        if spv_first:
            assert r["leases"] == [] and "insolvent" in r["causes"]["spv"], r["causes"]
        elif "lab_spv" in r["steps"] and not r["lease_paid_out"]:
            assert [(a, s) for a, s, _ in r["leases"]] == [("spv", r["steps"]["lab_spv"])]
        elif "lab_spv" in r["steps"]:  # it paid its lease's whole term before it failed: nothing to reject
            assert r["leases"] == []
        lab_steps = [r["steps"][lab] for lab in LABS if lab in r["steps"]]
        first_lab = min(lab_steps) if lab_steps else 10**9  # no lab failed (a rescue): nobody else may, but the SPV
        for firm in r["beyond"]:
            assert r["steps"][firm] >= first_lab or firm == "spv", (firm, r["steps"])
            if firm == "spv":
                assert any(a == "spv" and s >= r["steps"]["spv"] for a, s in r["sold_by"])


def test_ai_market_value_falls_further_than_in_the_baseline(cascades):
    """Paired (common random numbers: the same seed's baseline is the counterfactual)."""
    base, music = cascades["baseline"], cascades["music_stops"]
    assert all(m["fall"] >= b["fall"] - 1e-9 for m, b in zip(music, base))   # fall from the shock date
    assert np.median([r["fall"] for r in music]) > np.median([r["fall"] for r in base]) + 0.05
    assert np.median([m["mv24"] / b["mv24"] for m, b in zip(music, base)]) < 0.85


def test_ai_market_value_falls_far_more_than_in_the_baseline(cascades):
    base, music = cascades["baseline"], cascades["music_stops"]
    fall_b = np.median([r["fall"] for r in base])
    fall_m = np.median([r["fall"] for r in music])
    assert fall_m > 1.5 * fall_b  # fall from the shock date to the trough


def test_music_stops_lowers_every_ai_demand_stream_by_its_exposure_and_lab_disappoints_only_the_labs():
    """Common random numbers: on the month after the shock, each stream's demand index over the same
    seed's baseline is 0.75 ** exposure (the labs 0.75, the hyperscalers' own AI services and the
    unmodelled buyers 0.75 ** hyper_demand_exposure), times the growth they lost for one month;
    under lab_disappoints the other streams are untouched."""
    def indices(scenario):
        eco = Economy(scenario=scenario, base="baseline", seed=4, checks=False)
        while eco.month < 10:  # the shock falls on month 9 (June 2026)
            eco.step()
        return eco.params, {s: eco.demand.index(s) for s in eco.demand.streams}

    p, base = indices("baseline")
    _, broad = indices("music_stops")
    _, narrow = indices("lab_disappoints")
    g = p["real_demand_growth"]
    for s in base:
        w = 1.0 if s in LABS else p["hyper_demand_exposure"]
        # the shock lands in June (month 9) after that month's move; July's move is at the new growth
        assert broad[s] / base[s] == pytest.approx(0.75 ** w * np.exp((-0.1 - g) * w / 12.0), rel=1e-9), s
        assert (narrow[s] == pytest.approx(broad[s], rel=1e-12)) if s in LABS else (narrow[s] == base[s]), s
