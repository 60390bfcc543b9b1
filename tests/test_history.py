"""The history world (``model/history/``): its roster, the deal book's events on their dates with
their terms, the lab's commitments and intents and its compute-plan cut, the labs' shared demand,
scenarios on a base with a shock date, a lessee's default reaching the developer, its banks and the
fund, balanced books over six years and over the parameter table's ranges, and a sweep."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from ailoop.model import Economy
from ailoop.model.contracts import CapacityContract, Contract, LetterOfIntent
from ailoop.model.demand import DemandProcess
from ailoop.model.params import PARAMETERS, ParameterError
from ailoop.model.roster import FIRM_IDS, FUND_IDS, HISTORY_ONLY, agent_ids
from ailoop.model.scenarios import ScenarioError

SMALL = dict(n_traders=10, retail_holders=10, n_bond_buyers=5)


def small(scenario="history", seed=1, **kw) -> Economy:
    return Economy(scenario=scenario, seed=seed, **{**SMALL, **kw})


# ------------------------------------------------------------------ roster and the house's treatment
def test_the_baseline_roster_is_unchanged_and_history_adds_the_books_actors_in_place():
    assert agent_ids(3) == [*FIRM_IDS, *FUND_IDS, "bond_00", "bond_01", "bond_02", "retail", "traders"]
    hist = agent_ids(3, "history")
    assert set(hist) - set(agent_ids(3)) == set(HISTORY_ONLY) == {"lab_2", "chip_custom", "dc_developer", "dc_spv",
                                                                 "private_credit"}
    assert hist.index("lab_2") == hist.index("lab_spv") + 1
    assert hist.index("chip_custom") == hist.index("chip_challenger") + 1
    assert hist.index("private_credit") == hist.index("vc_2") + 1
    eco = small()
    assert [a.aid for a in eco.labs] == ["lab", "lab_spv", "lab_2"]
    assert "chip_custom" in eco.ctx.chipmaker_ids and "chip_custom" in eco.exchange.ids
    assert {"dc_developer", "dc_spv"} <= {o.aid for o in eco.capacity_owners}


def test_new_agents_get_the_books_check_the_outputs_per_agent_and_a_debtrank():
    eco = small(check_every=1)
    eco.run(years=3 / 12)  # the vehicle, the leases and the loans are all in place; books checked every day
    df = eco.datacollector.get_model_vars_dataframe()
    agents = eco.datacollector.get_agent_vars_dataframe()
    last = agents[agents.step == agents.step.max()].set_index("agent")
    for aid in HISTORY_ONLY:
        assert df[f"cash.{aid}"].iloc[-1] == eco.ledger.cash(aid)
        assert df[f"debt.{aid}"].iloc[-1] == eco.ledger.get(aid, "debt")
        assert aid in last.index
    # the vehicle owes bonds to the fund and the bond buyers, and its partners hold its shares: its
    # failure would cost them equity, so its DebtRank is positive; the fund's too (the vehicle's
    # shareholders lose when it does)
    assert last.loc["dc_spv", "debtrank"] > 0 and last.loc["dc_developer", "debtrank"] > 0
    assert last.loc["dc_spv", "liabilities"] == pytest.approx(eco.ledger.get("dc_spv", "debt"), rel=1e-9)


# ------------------------------------------------------------------ the book's events
@pytest.fixture(scope="module")
def book_year():
    eco = small(checks=False)
    eco.run(years=11 / 12)  # to the book's end (July 2026)
    return eco, eco.datacollector.get_model_vars_dataframe(), pd.DataFrame(eco.events)


def test_every_dated_entry_of_the_book_is_an_event_on_its_date_with_its_terms(book_year):
    eco, df, ev = book_year
    dates = list(df["date"].dt.date)
    entries = eco.world.deals(eco)
    assert len(entries) >= 40
    for deal in [d for d in entries if d.date <= dates[-1]]:  # the programme's later sales fall after the run
        first_day = next(d for d in dates if d >= deal.date)
        got = ev[(ev.cause == deal.name) & (ev.event == deal.event)]
        assert len(got) >= 1, deal.name
        assert set(got.date) == {first_day.isoformat()}, deal.name


def test_a_deal_adds_its_commitment_to_committed_outstanding_on_its_day(book_year):
    eco, df, ev = book_year
    p = eco.params
    # the Azure commitment: GW x price x months (its value over the price and GW, rounded to a month) / 12
    gw, price = p["history_azure_gw"], p["contract_price_per_gw_year"]
    months = round(p["history_azure_value"] / (gw * price) * 12)
    value = gw * price * months / 12
    row = ev[ev.cause.str.startswith("lab-hyper_1 Azure")].iloc[0]
    t = int(row["step"])
    jump = df.loc[df.step == t, "committed_outstanding"].iloc[0] - df.loc[df.step == t - 1, "committed_outstanding"].iloc[0]
    assert jump == pytest.approx(value, rel=1e-9)
    assert row["size"] == pytest.approx(value, rel=1e-12)


def test_the_labs_intents_before_the_cut_and_none_after(book_year):
    eco, df, ev = book_year
    p = eco.params
    dec = df[df.date == df.date[df.date >= "2025-12-01"].iloc[0]].iloc[0]
    # five AMD tranches of 1 GW x price x 5 years and the 10-GW term sheet x its price x 5 years
    amd = (p["challenger_gw"] - 1) * p["challenger_price_per_gw_year"] * 5
    custom = p["history_broadcom_gw"] * p["history_custom_price_per_gw_year"] * 5
    assert dec["intents.lab"] == pytest.approx(amd + custom, rel=1e-12)
    assert dec["intents.lab"] + dec["commitments.lab"] > 1200  # near the ~$1.4T announced
    after = df[df.date >= "2026-03-01"]
    assert (after["intents.lab"] == 0).all()
    cut = ev[ev.event == "compute plan cut"].iloc[0]
    assert cut["date"] >= "2026-02-20"


def intent(eco, start, gw=1.0, price=12.0, name="test"):
    c = CapacityContract(holder="lab", issuer="cloud", gw=gw, price_per_gw_year=price, term_months=60,
                         start_month=start, take_or_pay=1.0, name=name)
    return eco.book.add(LetterOfIntent(holder="lab", issuer="cloud", definitive=c, name=name,
                                       announced=c.total_value))


@pytest.mark.parametrize("margin, lapsed", [(+0.5, {"late"}), (-0.5, {"early", "late"}), (+12.5, set())])
def test_the_compute_plan_cut_lets_intents_lapse_latest_first_only_as_far_as_the_budget_needs(margin, lapsed):
    eco = small(scenario="baseline", checks=False)
    lab = eco.agent("lab")
    base = lab.compute_plan(35)
    early, late = intent(eco, 12, name="early"), intent(eco, 24, name="late")
    # through month 35: the early one bills months 12-35 (24 x $1B), the late one 24-35 (12 x $1B)
    assert lab.compute_plan(35) == pytest.approx(base + 36.0, rel=1e-12)
    lab.cut_compute_plan(base + 24.0 + margin, 35)
    assert {c.name for c in (early, late) if not c.active} == lapsed


def test_the_labs_share_one_demand_stream_and_what_one_wins_the_other_loses():
    d = DemandProcess(np.random.default_rng(1), {"lab": 1.0, "x": 0.5}, 0.3, 0.0, 0.0)
    d.share("lab", {"a": 1.0, "b": 3.0}, {"b": 0.5}, 0.0)
    assert d.member_index("a") == d.member_index("b") == d.index("lab") == 1.0
    for _ in range(12):
        d.advance()
    w = 0.75 * math.exp(0.5)
    assert d.lab_share("b") == pytest.approx(w / (0.25 + w), rel=1e-12)
    assert 1.0 * d.member_index("a") + 3.0 * d.member_index("b") == pytest.approx(4.0 * d.index("lab"), rel=1e-12)
    assert d.member_index("x") == d.index("x")
    eco = small(checks=False)
    eco.run(years=4 / 12)
    p = eco.params
    total = (p["history_lab_demand_0"] + p["lab_2_demand_0"]) * eco.demand.index("lab")
    assert eco.agent("lab").demand() + eco.agent("lab_2").demand() == pytest.approx(total, rel=1e-12)


def test_the_chipmakers_letters_of_intent_are_the_books_until_it_ends():
    eco = small(checks=False)
    eco.run(years=1 / 12)
    leader = eco.agent("chip_leader")
    loi, = [c for c in eco.book.held_by("chip_leader", Contract.pending_definitive) if c.active]
    eco.ctx.payment_odds = lambda aid: 0.0  # the lab's counterparties give its paying no chance
    assert eco.month < leader.decides_from
    leader.decide_intents()
    assert loi.active  # before the book's end the book decides (it shelves the letter in January 2026)
    leader.decides_from = eco.month
    leader.decide_intents()
    assert not loi.active  # from then chip_leader does: the odds are below intent_lapse_odds


# ------------------------------------------------------------------ bases and shock dates
def test_a_shock_scenario_runs_on_history_unless_told_otherwise():
    assert small("music_stops", checks=False).base == "history"
    eco = small("music_stops", checks=False, base="baseline")
    assert eco.base == "baseline" and "lab_2" not in eco.ledger.index
    assert small("vendor_financing_2000", checks=False).base == "baseline"
    assert small("market_creation", checks=False).base == "baseline"
    for bad, match in [(dict(scenario="baseline", base="history"), "is a base itself"),
                       (dict(scenario="gpu_glut", base="moon"), "unknown base"),
                       (dict(scenario="history", shock_date="2026-03-01"), "no shock to date"),
                       (dict(scenario="gpu_glut", shock_date="2026-02-30"), "not a date"),
                       (dict(scenario="gpu_glut", shock_date="2025-08-31"), "out of range")]:
        with pytest.raises(ScenarioError, match=match):
            Economy(**bad, **SMALL)


def test_the_shock_fires_on_the_date_given_and_not_before():
    eco = small("gpu_glut", checks=False, shock_date=dt.date(2026, 2, 2))
    p0 = dict(eco.params)
    day = None
    while eco.date < dt.date(2026, 3, 1):
        eco.step()
        if eco.date < dt.date(2026, 2, 2):
            assert eco.params == p0  # the shock's conditions are not set before its date
        elif day is None:
            day = eco.date
            changed = {k for k in p0 if eco.params[k] != p0[k]}
            assert changed and changed <= set(p0)  # ... and are on its day
    shock, = [e for e in eco.events if e["event"] == "shock"]
    assert shock["date"] == day.isoformat()


def test_the_command_line_refuses_a_bad_base_or_date_in_one_line_and_writes_nothing(tmp_path, capsys):
    from ailoop.runs.cli import main

    out = tmp_path / "o"
    for argv, what in [(["--scenario", "baseline", "--base", "history"], "is a base itself"),
                       (["--scenario", "music_stops", "--shock-date", "2026-13-01"], "not a date"),
                       (["--scenario", "music_stops", "--years", "1", "--shock-date", "2026-09-01"], "after the run"),
                       (["--scenario", "history", "--shock-date", "2026-01-01"], "no shock to date")]:
        assert main(["run", *argv, "--out", str(out)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and what in err[0]
        assert not out.exists()


# ------------------------------------------------------------------ a lessee's default travels
def test_a_lessees_default_reaches_the_developer_its_banks_and_the_fund():
    eco = small(checks=False)
    eco.run(years=14 / 12)  # sites under construction, Abilene handed over, Michigan financed
    led = eco.ledger
    leases = eco.book.held_by("cloud", Contract.lease_commitment)
    assert len(leases) >= 4
    damages = sum(c.rejection_damages() for c in leases)
    assert eco.book.arrears("dc_developer", "cloud") is None
    cash0, lost0 = led.cash("dc_developer"), eco.defaults.writeoffs.get("dc_developer", 0.0)
    loans = [c for c in eco.book.issued_by("dc_developer") if c.is_debt and c.tenant == "cloud"]
    banks = {c.holder for c in loans}
    assert "private_credit" in banks and banks & {b.aid for b in eco.bond_buyers}
    marks0 = [c.mark for c in loans]
    eco.defaults.default(eco.agent("cloud"), "test: the cloud cannot pay")
    # every lease is rejected; the developer's claim is the damages, paid at the estate's rate
    assert not any(c.active for c in leases)
    recovered = led.cash("dc_developer") - cash0
    written_off = eco.defaults.writeoffs.get("dc_developer", 0.0) - lost0
    assert recovered + written_off == pytest.approx(damages, rel=1e-9)
    # the banks and the fund mark the loans down: the rent behind them is gone, each is priced by the
    # developer's own credit now
    eco.credit.mark_debt()
    own = eco.credit.spread(eco.agent("dc_developer"))  # the developer's own spread, a year
    for c, m0 in zip(loans, marks0):
        assert c.spread_now(eco.ctx) is None
        years = min(max(c.maturity_month - eco.month, 0) / 12.0, eco.params["bond_duration_cap"])
        assert own > c.spread  # riskier than the tenant-backed loan was at issue
        assert c.mark == pytest.approx(min(1.05, math.exp(-years * (own - c.spread))), rel=1e-12), (c.holder, c.name)
        assert c.mark < m0, (c.holder, c.name)


# ------------------------------------------------------------------ balanced books
def test_six_years_of_history_keep_the_books_balanced():
    eco = Economy(scenario="history", seed=3)  # full size, the default checks: every month in full
    eco.run(years=6)
    eco.check_books(full=True)
    assert eco.steps == 1512


HISTORY_PARAMS = [n for n in PARAMETERS if n.startswith(("history_", "dc_", "developer_", "hyperion_",
                                                         "construction_loan_", "private_credit_", "lab_2_",
                                                         "lab_share_", "custom_", "open_"))
                  and PARAMETERS[n].kind is not bool and not n.startswith("open_") or n in (
                      "open_abilene_built_dc_developer", "open_abilene_drawn_dc_developer", "open_corz_built_dc_developer",
                      "open_hyper_3_lab_2_share_other", "open_hyper_2_lab_2_share_other", "open_vc_lab_2_share_other",
                      "open_lab_2_aws_gw_other", "open_lab_2_gcp_gw_other")]


def draw(rng, name, where):
    p = PARAMETERS[name]
    x = {"lo": p.lo, "hi": p.hi}.get(where, None)
    if x is None:
        x = rng.uniform(p.lo, p.hi)
    return int(round(x)) if p.kind is int else x


@pytest.mark.parametrize("where", ["lo", "hi", "random1", "random2"])
def test_any_values_of_the_history_parameters_run_with_balanced_books_or_are_refused(where):
    rng = np.random.default_rng(len(where) * 7 + (where == "random2"))
    values = {n: draw(rng, n, where) for n in HISTORY_PARAMS}
    try:
        eco = Economy(scenario="history", seed=2, check_every=21, **SMALL, **values)
    except ParameterError:
        return  # refused up front, one line
    eco.run(years=1)
    eco.check_books(full=True)


# ------------------------------------------------------------------ sweeps
def test_a_scenario_by_seed_sweep_runs_history(tmp_path):
    from ailoop.runs.spec import parse_spec
    from ailoop.runs.sweep import run_sweep

    spec = parse_spec('scenario = "history"\nyears = 0.25\nseed = 7\nreplications = 2\ndesign = "grid"\n'
                      "[vary]\nreal_demand_growth = [0.3]\n"
                      '[outputs]\nseries = ["lease_commitments.cloud", "intents.lab"]\nevery = 21\n')
    out = run_sweep(spec, tmp_path / "o", workers=1, progress=False, echo=None)
    runs = pd.read_parquet(tmp_path / "o" / "runs")
    assert out.status == "complete" and list(runs["status"]) == ["ok", "ok"]
    series = pd.read_parquet(tmp_path / "o" / "series")
    assert series["intents.lab"].max() > 500 and series["lease_commitments.cloud"].max() > 100
