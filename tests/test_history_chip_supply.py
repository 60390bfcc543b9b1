"""chip_leader's production in the history world, and the wait the neocloud's speculative build reads.

* ``history_leader_capacity_growth``: while the deal book runs chip_leader's production grows at
  its filed pace, 1.30 a year (NVIDIA's data-centre revenue, $41.1B in the quarter to July 2025 and
  $62.3B in the quarter to January 2026); from the book's end (1 July 2026) at the baseline's
  ``leader_capacity_growth``, 0.3 a year. The baseline grows at 0.3 a year from the start.
  Production grows in a month only while the order book is longer than the target
  (``chip_backlog_target_months``), which every month here checks.
* ``history_rest_of_market_growth``: while the book runs the unmodelled AI demand (the
  ``rest_of_market`` stream: the other buyers' GPU orders and the renters of idle capacity outside
  the model) grows at the same filed pace, 0.83 a year in logs (2 ln(62.3 / 41.1)); from the
  book's end along the AI demand trend times its exposure, 0.55 x 0.6 = 0.33 a year. A path
  needs an exposure above 0 to ride (refused up front otherwise).
* The neocloud builds speculatively (when ``neocloud_spec_gw`` > 0; none by default) only while
  GPUs can be had without a long wait: the chipmaker's orders that could ship now
  (``ready_months``, what its price answers to) below the target of 4 months, whatever the whole
  order book (with halls not yet built) would take.

Month-on-month factors by hand: 2.30 ** (1 / 12) = exp(ln 2.30 / 12) = exp(0.832909 / 12) =
1.071875; 1.30 ** (1 / 12) = exp(0.262364 / 12) = 1.022104.
"""

from __future__ import annotations

import math

import pytest

from ailoop.model import Economy
from ailoop.model.params import ParameterError, resolve
from handbuilt import opening_economy

#: the book's last month (July 2026) as a model month: September 2025 is month 0
BOOK_END_MONTH = 10
FILED_PACE = 1.071875  # a month, at 1.30 a year
BASELINE_PACE = 1.022104  # a month, at 0.3 a year


def capacity_by_month(scenario: str, months: int) -> tuple[list[float], list[bool]]:
    """chip_leader's production capacity (million GPUs a month) at the end of each of the first
    ``months`` months of seed 1, and whether its order book was then longer than its target."""
    eco = Economy(scenario=scenario, seed=1, checks=False)
    chip = eco.agent("chip_leader")
    caps, long_book = [chip.capacity], []
    for _ in range(months):
        long_book.append(chip.demand_months() > 4.0)  # the book it grows into, before the month's production
        for _ in range(21):
            eco.step()
        caps.append(chip.capacity)
    return caps, long_book


def test_history_production_grows_at_the_filed_pace_until_the_book_ends_then_at_the_baselines():
    caps, long_book = capacity_by_month("history", BOOK_END_MONTH + 3)
    assert all(long_book), "the order book fell below its target: the months below would not grow"
    growth = [b / a for a, b in zip(caps, caps[1:])]
    for m in range(BOOK_END_MONTH + 1):  # month 10's production runs before the book's end is heard that day
        assert growth[m] == pytest.approx(FILED_PACE, abs=2e-6), m
    for m in (BOOK_END_MONTH + 1, BOOK_END_MONTH + 2):
        assert growth[m] == pytest.approx(BASELINE_PACE, abs=2e-6), m


def test_the_baseline_grows_at_its_assumed_pace_from_the_start():
    caps, long_book = capacity_by_month("baseline", 3)
    assert all(long_book)
    for a, b in zip(caps, caps[1:]):
        assert b / a == pytest.approx(BASELINE_PACE, abs=2e-6)


def monthly_log_outside_demand(scenario: str, **params) -> dict[int, float]:
    """ln of the rest_of_market index at each month of a year, with no noise."""
    eco = Economy(scenario=scenario, seed=1, checks=False, demand_volatility=0.0, demand_idio_volatility=0.0, **params)
    seen = {eco.month: math.log(eco.demand.index("rest_of_market"))}
    while eco.month < 12:
        eco.step()
        seen.setdefault(eco.month, math.log(eco.demand.index("rest_of_market")))
    return seen


@pytest.mark.parametrize("scenario, book", [("history", 0.83 / 12.0), ("baseline", 0.55 * 0.6 / 12.0)])
def test_the_outside_demand_follows_the_filed_pace_while_the_book_runs(scenario, book):
    """Each month's log-change of the rest_of_market index: the book's 0.83 / 12 until the book
    ends (demand moves at each month's turn, before the day's events) and 0.55 x 0.6 / 12 after;
    the baseline's trend throughout."""
    idx = monthly_log_outside_demand(scenario)
    trend = 0.55 * 0.6 / 12.0
    for m in range(1, 13):
        assert idx[m] - idx[m - 1] == pytest.approx(book if m <= BOOK_END_MONTH else trend, abs=1e-12), m


@pytest.mark.parametrize("growth, exposure, refused", [(0.83, 0.0, True), (0.0, 0.0, False), (0.83, 0.01, False)])
def test_the_outside_path_needs_an_exposure_to_the_trend(growth, exposure, refused):
    over = {"history_rest_of_market_growth": growth, "hyper_demand_exposure": exposure,
            "history_hyper_demand_path": False}
    if refused:
        with pytest.raises(ParameterError, match="history_rest_of_market_growth=0.83 with hyper_demand_exposure=0"):
            resolve(over)
    else:
        resolve(over)


def speculative_projects(eco) -> int:
    return sum(1 for pr in eco.agent("neocloud").fleet.projects if pr.purpose == "speculative capacity")


@pytest.mark.parametrize("ready, builds", [(3.99, True), (4.01, False)])
def test_the_speculative_build_reads_the_orders_that_could_ship_now(ready, builds):
    """At the opening (month 0: a quarter's first month), the spot rent 10% above its reference and
    speculative builds of 0.5 GW allowed (``neocloud_spec_gw``; none by default): the neocloud
    builds for the spot market iff the orders that could ship now are below 4 months of
    production; the whole order book, at 100 months, does not stop it."""
    eco = opening_economy(neocloud_spec_gw=0.5)
    assert eco.month % 3 == 0
    eco.gpu_market.rent = 1.1 * eco.params["rent_ref"]
    chip = eco.agent("chip_leader")
    chip.ready_months = lambda: ready
    chip.backlog_months = lambda: 100.0
    neo = eco.agent("neocloud")
    assert neo.can_finance(eco.params["neocloud_spec_gw"]) and not neo.deferring
    before = speculative_projects(eco)
    neo.plan_capacity()
    assert speculative_projects(eco) - before == (1 if builds else 0)
