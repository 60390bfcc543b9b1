"""Timing as announced: a campus comes online in phases as its shells are finished and its GPUs
arrive, the first gigawatt of chip_leader's deployment with the lab comes in the second half of
2026, and each staged investment follows a gigawatt."""

from __future__ import annotations

import datetime as dt

import pytest

from ailoop.model import Economy
from ailoop.model.capacity import Project


def test_a_campus_is_energised_in_phases():
    pr = Project("cloud", 4.5, 0, 18, 67.5, 4.5 * 0.45, "chip_leader", tranche_gw=0.5, first_months=12,
                 units_installed=4.5 * 0.45)
    assert pr.tranches() == 9
    ready = []
    for month in range(18):
        pr.shell_spent += pr.monthly_shell_payment()
        ready.append(round(pr.online_gw(), 9))
    assert ready[:11] == [0.0] * 11  # nothing before a year of building
    assert ready[11] == 0.5  # the first phase after 12 of 18 months
    assert ready[-1] == 4.5 and pr.shell_done
    assert all(b - a in (0.0, 0.5, 1.0) for a, b in zip(ready, ready[1:]))  # one phase at a time (two at most)
    one = Project("x", 0.4, 0, 18, 6.0, 0.18, "chip_leader", tranche_gw=0.5, first_months=12, units_installed=0.18)
    assert one.tranches() == 1  # a single building is ready when it is finished
    no_gpus = Project("x", 4.5, 0, 18, 67.5, 2.025, "chip_leader", tranche_gw=0.5, first_months=12,
                      shell_spent=67.5, units_installed=0.45)
    assert no_gpus.online_gw() == pytest.approx(1.0)  # finished shells wait for their GPUs


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_first_gigawatt_comes_in_the_second_half_of_2026_and_each_staged_investment_follows_one(seed):
    eco = Economy(scenario="baseline", seed=seed, checks=False)
    eco.run(years=2)
    paid = [e for e in eco.events if e["event"] == "staged investment paid"]
    first = dt.date.fromisoformat(paid[0]["date"])
    assert dt.date(2026, 7, 1) <= first <= dt.date(2026, 12, 31), paid[0]
    per_gw = eco.params["staged_per_gw"]
    total = 0.0
    for e in paid:  # "x.y GW deployed": the investment so far is per_gw for each whole GW
        total += e["size"]
        gw = float(e["cause"].split(" GW")[0])
        assert total == pytest.approx(per_gw * int(gw + 1e-9))
    df = eco.datacollector.get_model_vars_dataframe()
    built = df.set_index("date")["capacity_built_gw"]
    assert built[:"2026-12-31"].iloc[-1] > built.iloc[0] + 0.5  # new capacity before 2027
