"""The history world's settings: the hyperscalers' plans while the deal book runs (two switches, on
by default), GPU deliveries timed to the shells and builds under way at the opening (the world's
settings; the baseline keeps the table's defaults):

* ``history_capex_guidance_holds``: until the book's end (``CapacityOwner.guided_until``) a
  hyperscaler's published capex guidance stands against the capex review's return rule; its
  utilisation rule still applies, and the review's reference return is the one at the book's end;
* ``history_hyper_demand_path``: until then the hyperscalers' own AI demand grows at
  ``history_hyper_demand_growth`` a year, then along the AI demand trend times their exposure.

Thresholds on both sides with hand-computed numbers; the demand path against the drift computed
from the parameters (volatilities at 0, so the index is its drift).
"""

from __future__ import annotations

import math

import pytest

from ailoop.model import Economy
from ailoop.model.params import ParameterError, resolve
from handbuilt import opening_economy

#: the deal book's last month (July 2026) as a model month: September 2025 is month 0
BOOK_END_MONTH = (2026 - 2025) * 12 + (7 - 9)


def full_hyper(guided_for: int):
    """hyper_1 at the opening, all its online GW earning, its guidance standing for ``guided_for``
    more months (0: the return rule applies from now)."""
    eco = opening_economy()
    h = eco.agent("hyper_1")
    h.free_gw = 0.0
    h.guided_until = eco.month + guided_for
    return eco, h


def raise_cost_of_capital(eco, h, by: float) -> None:
    """Raise hyper_1's cost of capital by exactly ``by`` a year (the weight of its debt x the spread
    added), so that its expected excess return on a new GW falls by ``by``."""
    debt = eco.ledger.get("hyper_1", "debt")
    w = debt / (debt + h.market_cap)
    eco.set_params({"credit_spread_shift": eco.params["credit_spread_shift"] + by / w})


@pytest.mark.parametrize("guided_for, deferring", [(1, False), (0, True)])
def test_guidance_stands_against_the_return_rule_until_its_month(guided_for, deferring):
    """A fall of 5.1 points (tolerance 5) defers the builds once the guidance has run out, not
    while it stands (the month before the book's end against the month of it)."""
    eco, h = full_hyper(guided_for)
    h.review_capex()  # the first review: the reference only when not guided
    assert (h.return_0 is None) == (guided_for > 0)
    raise_cost_of_capital(eco, h, 0.051)
    h.review_capex()
    assert h.deferring == deferring


@pytest.mark.parametrize("u, deferring, cancelled", [(0.61, False, False), (0.59, True, False), (0.39, True, True)])
def test_under_guidance_utilisation_still_defers_and_cancels(u, deferring, cancelled):
    """The guidance stands against the return, not against idle capacity: below 60% utilisation the
    own builds wait, below 40% they are cancelled, guidance or not."""
    eco, h = full_hyper(12)
    own = [pr for pr in h.fleet.projects if pr.contract is None and pr.purpose != "opening" and pr.online_gw() < pr.gw]
    assert own
    orders = [pr.order for pr in own if pr.order is not None and pr.order.active]
    h.free_gw = (1.0 - u) * h.online_gw
    h.review_capex()
    assert h.deferring == deferring
    assert any(not o.active for o in orders) == cancelled


def test_after_the_guidance_the_fall_is_measured_from_its_end():
    """A fall of 8 points while the guidance stands is not held against the plan afterwards; a
    further 5.1 points is."""
    eco, h = full_hyper(1)
    h.review_capex()
    raise_cost_of_capital(eco, h, 0.08)
    h.review_capex()
    assert not h.deferring
    h.guided_until = eco.month  # the book has ended
    h.review_capex()  # the first review after it: the reference
    assert not h.deferring
    raise_cost_of_capital(eco, h, 0.049)
    h.review_capex()
    assert not h.deferring
    raise_cost_of_capital(eco, h, 0.002)  # 0.051 since the book's end
    h.review_capex()
    assert h.deferring


@pytest.mark.parametrize("on", [True, False])
def test_the_switch_sets_the_book_end_for_the_hyperscalers_only(on):
    eco = Economy(scenario="history", seed=1, checks=False, history_capex_guidance_holds=on)
    assert [h.guided_until for h in eco.hyperscalers] == [BOOK_END_MONTH if on else 0] * 4
    assert eco.agent("cloud").guided_until == 0 and eco.agent("neocloud").guided_until == 0


def monthly_log_index(**params) -> dict[int, float]:
    """ln of hyper_2's own-demand index at each month of a year of ``history``, with no noise."""
    eco = Economy(scenario="history", seed=1, checks=False, demand_volatility=0.0, demand_idio_volatility=0.0,
                  **params)
    seen = {eco.month: math.log(eco.demand.index("hyper_2"))}
    while eco.month < 12:
        eco.step()
        seen.setdefault(eco.month, math.log(eco.demand.index("hyper_2")))
    return seen


@pytest.mark.parametrize("on", [True, False])
def test_own_demand_follows_the_book_then_the_trend(on):
    """Each month's log-change of a hyperscaler's own-demand index is the book's 0.59 / 12 until the
    book ends and 0.55 x 0.6 / 12 (the trend x its exposure) after; without the switch, the latter
    throughout."""
    idx = monthly_log_index(history_hyper_demand_path=on, history_hyper_demand_growth=0.59)
    steps = {m: idx[m] - idx[m - 1] for m in range(1, 13)}
    trend = 0.55 * 0.6 / 12.0
    book = 0.59 / 12.0 if on else trend
    for m, d in steps.items():
        # the book ends during month BOOK_END_MONTH; demand moves at each month's turn, before it
        assert d == pytest.approx(book if m <= BOOK_END_MONTH else trend, abs=1e-12), (m, d)


@pytest.mark.parametrize("path, exposure, refused", [(True, 0.0, True), (False, 0.0, False), (True, 0.01, False)])
def test_the_book_path_needs_an_exposure_to_the_trend(path, exposure, refused):
    over = {"history_hyper_demand_path": path, "hyper_demand_exposure": exposure,
            "history_rest_of_market_growth": 0.0}  # (the other path on the trend: tests/test_history_chip_supply.py)
    if refused:
        with pytest.raises(ParameterError, match="history_hyper_demand_path=true with hyper_demand_exposure=0"):
            resolve(over)
    else:
        resolve(over)


def opening_build_months(eco) -> list[int]:
    """The months (before the opening, < 0) in which hyper_1's builds under way at the opening began."""
    return sorted({pr.start_month for pr in eco.agent("hyper_1").fleet.projects
                   if pr.start_month < 0 and pr.purpose == "own AI capacity"})


@pytest.mark.parametrize("build, months", [(12, 11), (24, 23)])
def test_the_history_world_opens_with_every_build_begun_within_a_shell_s_build_time(build, months):
    """The world's pipeline follows the shell's build time: a month begun in each of the last
    build_months - 1 months (the older ones are finished), whatever build_months is."""
    eco = Economy(scenario="history", seed=1, checks=False, build_months=build)
    assert opening_build_months(eco) == list(range(-months, 0))


@pytest.mark.parametrize("scenario, base, timed", [("history", None, True), ("baseline", None, False),
                                                   ("music_stops", None, True), ("music_stops", "baseline", False)])
def test_the_history_world_times_deliveries_and_opens_with_builds_under_way(scenario, base, timed):
    """The history world's settings apply to every run on it, the baseline keeps the table's
    defaults, and a caller's value wins over the world's."""
    eco = Economy(scenario=scenario, base=base, seed=1, checks=False)
    assert eco.params["chip_delivery_to_shells"] is timed
    assert opening_build_months(eco) == (list(range(-17, 0)) if timed else [])  # build_months 18: 17 months
    mine = Economy(scenario=scenario, base=base, seed=1, checks=False, chip_delivery_to_shells=not timed,
                   opening_pipeline_months=5)
    assert mine.params["chip_delivery_to_shells"] is (not timed) and mine.params["opening_pipeline_months"] == 5
