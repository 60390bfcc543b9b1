"""The vectorised trader and retail populations agree bit for bit with the per-agent reference.

Two standalone markets with the same seed - one with the struct-of-arrays populations, one with
one Python object per trader/holder - are run in lockstep for 100 trading days with news,
earnings, a forced sell-off (to trigger panics) and a rally (FOMO). Every day the prices, all
trader and holder state and the flows must be identical (``assert_array_equal``), and switching,
FOMO and panic must actually have happened.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from ailoop.agents.reference import RetailPopulationReference, TraderPopulationReference
from ailoop.agents.retail import RetailPopulation
from ailoop.agents.traders import TraderPopulation
from ailoop.model.markets.sandbox import MarketSandbox

DAYS = 100


def _exogenous(day: int, caps: np.ndarray) -> np.ndarray:
    """A rally (days 5-14: +0.3% of cap a day) and a sell-off (days 55-64: -0.6% of cap a day)."""
    if 5 <= day < 15:
        return 0.003 * caps
    if 55 <= day < 65:
        return -0.006 * caps
    return np.zeros_like(caps)


def _lockstep(seed: int, days: int = DAYS, **kw):
    vec = MarketSandbox(seed=seed, **kw)
    ref = MarketSandbox(seed=seed, reference=True, **kw)
    assert isinstance(vec.traders, TraderPopulation) and isinstance(ref.traders, TraderPopulationReference)
    assert isinstance(vec.retail, RetailPopulation) and isinstance(ref.retail, RetailPopulationReference)
    events = {"switches": 0, "fomo": 0, "panic": 0, "recovered": 0, "attention": 0.0, "margin_calls": 0,
              "rationed": 0, "borrowers": 0}
    for day in range(days):
        if day == 20:
            for sb in (vec, ref):
                sb.announce(2, 300.0, 5.0)
        a = vec.trade_day(_exogenous(day, vec.market.market_caps))
        b = ref.trade_day(_exogenous(day, ref.market.market_caps))
        for name in ("prices", "log_returns", "excess_demand", "trader_dollars", "trader_shares",
                     "trader_shares_by_agent", "retail_dollars", "retail_shares", "outside_shares_sold",
                     "dollar_volume", "fair_value", "multiples"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=f"day {day}: {name}")
        for name in ("retail_contributions", "retail_redemptions", "retail_fomo", "n_fomo", "n_panic",
                     "fundamentalist_share", "n_switches"):
            assert getattr(a, name) == getattr(b, name), f"day {day}: {name}"
        np.testing.assert_array_equal(vec.traders.holdings, ref.traders.holdings)
        np.testing.assert_array_equal(vec.traders.cash, ref.traders.cash)
        np.testing.assert_array_equal(vec.traders.is_fundamentalist, ref.traders.is_fundamentalist)
        np.testing.assert_array_equal(vec.traders.ema, ref.traders.ema)
        np.testing.assert_array_equal(vec.traders.loans, ref.traders.loans)
        np.testing.assert_array_equal(vec.traders.committed, ref.traders.committed)
        assert vec.traders.last_interest == ref.traders.last_interest, f"day {day}: interest"
        assert vec.traders.n_margin_calls == ref.traders.n_margin_calls, f"day {day}: margin calls"
        np.testing.assert_array_equal(vec.retail.units, ref.retail.units)
        np.testing.assert_array_equal(vec.retail.panicked, ref.retail.panicked)
        np.testing.assert_array_equal(vec.retail.next_check, ref.retail.next_check)
        np.testing.assert_array_equal(vec.retail.flow, ref.retail.flow)
        assert vec.sentiment.value == ref.sentiment.value
        events["switches"] += a.n_switches
        events["fomo"] += a.n_fomo
        events["panic"] += a.n_panic
        events["recovered"] += vec.retail.last_flows.n_recovered
        events["attention"] = max(events["attention"], float(a.attention.max()))
        events["margin_calls"] += vec.traders.n_margin_calls
        events["rationed"] += a.rationed
        events["borrowers"] = max(events["borrowers"], int(np.count_nonzero(vec.traders.loans)))
    return events


def test_vectorised_equals_reference_bit_for_bit():
    events = _lockstep(seed=11)
    # the comparison is only meaningful if every mechanism was exercised
    assert events["switches"] > 20, events
    assert events["fomo"] > 50, events
    assert events["panic"] > 50, events
    assert events["attention"] > 0.9, events


def test_equivalence_with_other_parameters():
    """Full backlog pricing, more revision, faster checks: still identical (fewer holders for speed)."""
    from ailoop.agents.retail import RetailParams
    from ailoop.agents.traders import TraderParams
    from ailoop.model.markets.equity import MarketParams

    events = _lockstep(seed=3, days=70, market_params=MarketParams.of(backlog_pricing=1.0),
                       trader_params=TraderParams.of(n_traders=60, trader_revision_rate=0.2),
                       retail_params=RetailParams.of(retail_holders=1500, retail_check_rate=0.3))
    assert events["switches"] > 0 and events["fomo"] > 0 and events["panic"] > 0, events


def test_reference_detects_a_difference():
    """The comparison can fail: a 1e-12 change of one trader's cash, or a 1e-9 change of one
    holder's monthly contribution, in the reference breaks bit-equality."""
    vec = MarketSandbox(seed=5)
    ref = MarketSandbox(seed=5, reference=True)
    ref.traders.traders[7].cash *= 1.0 + 1e-12
    for _ in range(5):
        vec.trade_day()
        ref.trade_day()
    with pytest.raises(AssertionError):
        np.testing.assert_array_equal(vec.traders.holdings, ref.traders.holdings)

    vec = MarketSandbox(seed=5)
    ref = MarketSandbox(seed=5, reference=True)
    big = max(ref.retail.holders, key=lambda h: h.contribution)
    big.contribution *= 1.0 + 1e-9                   # the largest monthly saver, one part in 1e9
    a, b = vec.trade_day(), ref.trade_day()          # day 0 is a month start: contributions
    assert a.retail_contributions != b.retail_contributions
    with pytest.raises(AssertionError):
        np.testing.assert_array_equal(a.prices, b.prices)


def test_production_code_does_not_import_the_reference():
    """The economy, the populations and the vectorised sandbox never load ``agents.reference``
    (checked in a fresh interpreter: this test session has imported it already)."""
    code = (
        "import sys\n"
        "import ailoop.model, ailoop.agents.traders, ailoop.agents.retail\n"
        "from ailoop.model.markets.sandbox import MarketSandbox\n"
        "MarketSandbox(seed=0).run(3)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('ailoop.agents.reference'))\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_retail_equivalence_with_extreme_mood():
    """The retail populations alone, on a volatile ETF path with mood factors that change sign
    (``fomo_sentiment`` and ``panic_sentiment`` 3, mood up to +-0.9, so the FOMO and panic bars
    turn negative on some days): still identical every day, flows and state."""
    from ailoop.agents.retail import RetailParams

    params = RetailParams.of(retail_holders=2000, retail_check_rate=0.3, retail_fomo_sentiment=3.0, retail_panic_sentiment=3.0)
    vec = RetailPopulation(np.random.default_rng(9), params)
    ref = RetailPopulationReference(np.random.default_rng(9), params)
    for pop in (vec, ref):
        pop.initialise(np.array([100.0, 50.0]), np.array([1.0, 2.0]))
    path = np.random.default_rng(10)
    fomo_days = panic_days = 0
    for day in range(150):
        mood = 0.9 * np.sin(day / 9.0)
        ret = 0.03 * path.standard_normal()
        for pop in (vec, ref):
            pop.contribute(day % 21 == 0)
        a, b = vec.orders(mood), ref.orders(mood)
        assert a == b, f"day {day}"
        np.testing.assert_array_equal(vec.flow, ref.flow)
        for pop in (vec, ref):
            pop.settle(ret)
        np.testing.assert_array_equal(vec.units, ref.units)
        np.testing.assert_array_equal(vec.panicked, ref.panicked)
        np.testing.assert_array_equal(vec.next_check, ref.next_check)
        fomo_days += a.n_fomo > 0
        panic_days += a.n_panic > 0
    assert 10 < fomo_days < 140 and panic_days > 10, (fomo_days, panic_days)
