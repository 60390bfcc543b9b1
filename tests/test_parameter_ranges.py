"""Ranges that hold: every combination of parameters inside the table's ranges either runs with
balanced books or is refused by ``Economy(...)`` before anything runs, with one line naming the
parameters that conflict (``model/constraints.py``).

The main test draws every parameter of the table at random across its full range (floats
uniformly; ints as integers; bools at random; the opening balance sheets included) and runs each
of 300 draws with the strictest books check: every identity and the full check (journal,
registries, the market sectors against their populations) after every step
(``check_every = 1``). The three population sizes (``n_traders`` up to 100,000,
``retail_holders`` up to 1,000,000, ``n_bond_buyers`` up to 500) are drawn log-uniformly over
their full ranges: they change how long a run takes far more than what it does. To fit the
suite's time the runs are 22 trading days long (two month starts, the first and the 22nd day, when the real
economy moves and defaults happen); ``benchmarks/bench_full_range.py`` runs 1,000 draws for six
years each with the same check, and reports how many ran balanced, were refused or failed.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from ailoop.model import Economy, ParameterError
from ailoop.model.constraints import LAB_PARTNER, LISTED, check_constraints, violations
from ailoop.model.params import PARAMETERS, defaults, resolve

N_DRAWS = 300
#: trading days each draw runs in the suite: two month starts (the first day and day 22)
DRAW_STEPS = 22
SEED = 20250901
from ailoop.runs.ranges import LOG_UNIFORM, draw_params  # noqa: E402,F401
from ailoop.runs.ranges import run_draw as run_draw_for  # noqa: E402


def _draw(k: int) -> dict:
    return draw_params(np.random.default_rng([SEED, k]))


def _refusal_ok(message: str) -> None:
    assert "\n" not in message.strip(), f"not one line: {message!r}"
    assert any(name in message for name in PARAMETERS), f"names no parameter: {message!r}"


def run_draw(k: int) -> tuple[int, str, str]:
    """Run draw ``k`` for DRAW_STEPS trading days, the books checked after every step."""
    r = run_draw_for(k, DRAW_STEPS, "baseline", SEED)
    return k, r["outcome"], str(r["steps"]) if r["outcome"] == "ran" else r["detail"]


def test_every_random_draw_runs_balanced_at_every_step_or_is_refused_up_front():
    """300 full-range draws, the books checked in full after every step; the draws run in two
    processes (this machine's two cores); none may fail mid-run."""
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(run_draw, range(N_DRAWS), chunksize=4))
    failed = [(k, detail) for k, outcome, detail in results if outcome == "failed"]
    assert not failed, failed[:5]
    for k, outcome, detail in results:
        if outcome == "refused":
            _refusal_ok(detail)
        else:
            assert detail == str(DRAW_STEPS), (k, detail)
    assert sum(outcome == "ran" for _, outcome, _ in results) >= 0.9 * N_DRAWS


def _month_start_default(seed: int):
    """hyper_3 (107bn shares at $22.8) defaults in the first month's run; the next step is the first
    trading day of month 1, where the market halts it and the books are checked."""
    eco = Economy(seed=seed, passive_share=0.4, check_every=1, open_shares_hyper_3=107.0, open_price_hyper_3=22.8)
    for _ in range(21):
        eco.step()
    eco.defaults.default(eco.agent("hyper_3"), "test: a listed firm defaults before a month start")
    eco.step()  # the first trading day of month 1: the market halts hyper_3; the books are checked
    return eco


def test_a_listed_default_on_a_month_start_leaves_retail_books_and_population_equal():
    """The retail sector's books and population parted by ~1e-9 (relative) on month starts: a
    listed firm that defaults in the month's run is halted at that day's close and its price set
    to HALT_PRICE as P x exp(log(HALT_PRICE / P)), which lands an ulp above HALT_PRICE about half
    the time; the check then counted the firm as "defaulted but not yet written off in the NAV"
    and took its basket x HALT_PRICE off the population, though the NAV had written it off.
    With 107bn hyper_3 shares and an ETF share of 0.4 the basket is ~43bn shares: a gap of
    ~4.3e-5 $B, above the check's tolerance. Which seeds land above depends on the path: the
    test takes the first two of seeds 1-20 that do (there are always some: about half)."""
    from ailoop.model.markets.equity import HALT_PRICE

    checked = 0
    for seed in range(1, 21):
        eco = _month_start_default(seed)
        ex = eco.exchange
        j = [f.aid for f in ex.firms].index("hyper_3")
        assert eco.day == 0
        if not ex.market.prices[j] > HALT_PRICE:  # not the rounding the old rule tripped on
            continue
        basket = ex.market.retail_shares_held[j]
        assert basket * ex.market.prices[j] > 4e-5  # what the old rule took off the population
        # an independent reading of both sides: the ETF's units at the NAV against cash + stakes
        pop = float(np.sum(ex.retail.units)) * ex.retail.nav
        books = eco.ledger.cash("retail") + eco.ledger.get("retail", "equity_stakes")
        assert abs(books - pop) <= 1e-12 * books
        eco.check_books()
        checked += 1
        if checked == 2:
            break
    assert checked == 2


def test_most_draws_are_not_refused():
    """The ranges are set so that few draws conflict: the test above exercises runs, not refusals."""
    refused = 0
    for k in range(N_DRAWS):
        try:
            resolve(_draw(k))
        except ParameterError:
            refused += 1
    assert refused <= N_DRAWS // 10


def test_defaults_and_scenarios_meet_every_constraint():
    assert violations(defaults()) == []
    check_constraints(resolve())


@pytest.mark.parametrize("overrides, names", [
    # the lab's opening holders would hold 1.1 of its shares
    ({f"open_{LAB_PARTNER}_lab_share_other": 0.5, "open_lab_share_vc_levered": 0.2, "open_lab_share_vc_1": 0.2,
      "open_lab_share_vc_2": 0.2},
     [f"open_{LAB_PARTNER}_lab_share_other", "open_lab_share_vc_levered", "open_lab_share_vc_1", "open_lab_share_vc_2"]),
    # the levered fund's 1bn chip_leader shares are 40% of 2.5bn; with the ETF and the traders, 116%
    ({"open_leader_shares_vc_levered": 1.0, "open_shares_chip_leader": 2.5, "passive_share": 0.4,
      "trader_wealth_share": 0.4},
     ["open_leader_shares_vc_levered", "open_shares_chip_leader", "passive_share", "trader_wealth_share"]),
    # a listed firm whose opening cash exceeds its market cap and debt
    ({"open_price_hyper_2": 25.0, "open_shares_hyper_2": 2.0, "open_cash_hyper_2": 900.0, "open_debt_hyper_2": 10.0},
     ["open_price_hyper_2", "open_shares_hyper_2", "open_cash_hyper_2", "open_debt_hyper_2"]),
])
def test_a_refused_combination_names_the_conflicting_parameters(overrides, names):
    for name, value in overrides.items():  # each value alone is inside its range
        assert PARAMETERS[name].coerce(value) == value
    with pytest.raises(ParameterError) as e:
        Economy(seed=1, **overrides)
    msg = str(e.value)
    _refusal_ok(msg)
    assert msg.startswith("parameters conflict")
    for name in names:
        assert name in msg, (name, msg)


def test_the_refusal_comes_before_anything_runs(monkeypatch):
    import ailoop.model.economy as economy

    monkeypatch.setattr(economy.Economy, "_build_core", lambda self: pytest.fail("built agents"))
    with pytest.raises(ParameterError, match="shares_held_lab"):
        Economy(seed=1, open_hyper_1_lab_share_other=0.5, open_lab_share_vc_1=0.2, open_lab_share_vc_2=0.2,
                open_lab_share_vc_levered=0.2)


def test_cross_holdings_off_drops_the_partner_stake_from_the_rule():
    over = {f"open_{LAB_PARTNER}_lab_share_other": 0.5, "open_lab_share_vc_levered": 0.2, "open_lab_share_vc_1": 0.2,
            "open_lab_share_vc_2": 0.2}
    with pytest.raises(ParameterError):
        resolve(over)
    resolve({**over, "cross_holdings": False})  # hyper_1's stake is not opened: 0.6 of the lab held


def test_the_rules_agree_with_the_model():
    from ailoop.model import roster

    eco = Economy(seed=1, trader_invested_fraction=0.7)
    assert eco.exchange.traders.params.trader_invested_fraction == 0.7
    assert LAB_PARTNER == roster.LAB_PARTNER
    eco = Economy(seed=1)
    assert tuple(f.aid for f in eco.public_firms) == LISTED
