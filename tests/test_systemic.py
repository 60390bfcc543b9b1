"""Systemic importance as an output: every agent's DebtRank and the loss the others would bear if
it alone failed, at every month end, in the agent table and summarised in the run summary."""

from __future__ import annotations

import numpy as np
import pytest

from ailoop.model import Economy
from ailoop.model.clearing import systemic_importance
from ailoop.model.metrics import network_exposures, summarize, systemic_importance_now


@pytest.fixture(scope="module")
def run():
    eco = Economy(scenario="music_stops", base="baseline", seed=3, checks=False)
    eco.run(years=3)
    return eco


def test_every_month_end_has_each_agents_debtrank(run):
    agents = run.datacollector.get_agent_vars_dataframe()
    assert {"debtrank", "failure_loss"} <= set(agents.columns)
    assert agents.groupby("date").size().nunique() == 1  # every agent at every month end
    assert agents["debtrank"].between(0.0, 1.0).all()
    assert (agents.loc[agents.agent == "lab", "debtrank"].iloc[0]) > 0
    for date, rows in agents.groupby("date"):
        equity = rows.book_equity.clip(lower=0).sum()
        np.testing.assert_allclose(rows.failure_loss, rows.debtrank * equity, rtol=1e-9, atol=1e-9)
    for aid in run.defaults.defaulted:  # a defaulted firm owes and holds nothing more
        rows = agents[agents.agent == aid]
        assert rows.debtrank.iloc[-1] == 0.0 and rows.failure_loss.iloc[-1] == 0.0


def test_the_network_is_the_balance_sheets_claims(run):
    """Each agent's claims on the others add up to the assets its contracts stand behind; the
    DebtRank is Battiston et al.'s on that network, weighted by book equity."""
    eco, led = run, run.ledger
    exposures, equity = network_exposures(eco)
    for aid in [b.aid for b in eco.bond_buyers]:
        i = led.index[aid]
        held = led.get(aid, "bonds_held") + led.get(aid, "bond_valuation") + led.get(aid, "receivables")
        assert exposures[i].sum() == pytest.approx(held, rel=1e-9, abs=1e-9)
    rank, loss = systemic_importance_now(eco)
    alive = np.array([not eco.agent(a).defaulted for a in led.agent_ids])
    np.testing.assert_allclose(rank, systemic_importance(exposures, equity) * alive, rtol=1e-12)
    nobody_exposed = exposures.sum(axis=0) == 0
    assert (rank[nobody_exposed] == 0).all()


def test_the_summary_names_the_systemic_firms(run):
    s = summarize(run)
    for firm in ("lab", "cloud", "neocloud", "chip_leader", "hyper_1", "spv", "vc_levered"):
        assert 0.0 <= s[f"debtrank_max.{firm}"] <= 1.0
        assert s[f"debtrank_mean.{firm}"] <= s[f"debtrank_max.{firm}"]
        assert s[f"failure_loss_max.{firm}"] >= 0.0
    assert s["debtrank_max"] == max(v for k, v in s.items() if k.startswith("debtrank_max."))
