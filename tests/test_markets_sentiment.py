"""AI sentiment moves multiples, prices, retail behaviour, round appetite and spreads the
documented way (all monotone)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ailoop.agents.retail import RetailParams, RetailPopulation
from ailoop.model.markets.equity import MarketParams, implied_base_multiples
from ailoop.model.markets.sandbox import MarketSandbox
from ailoop.model.markets.sentiment import (Sentiment, SentimentParams, multiple_factor, round_appetite,
                                     spread_add_on)

s_values = st.floats(min_value=-0.999, max_value=0.999, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(s_values, s_values)
def test_helpers_are_monotone(a, b):
    lo, hi = min(a, b), max(a, b)
    if hi - lo < 1e-9:
        return
    assert round_appetite(hi) > round_appetite(lo)          # more appetite in good mood
    assert spread_add_on(hi) < spread_add_on(lo)            # tighter spreads in good mood
    assert multiple_factor(hi) > multiple_factor(lo)        # higher multiples in good mood


def test_helper_levels():
    assert round_appetite(0.0) == 1.0 and math.isclose(round_appetite(1.0), 2.0) and math.isclose(round_appetite(-1.0), 0.5)
    assert spread_add_on(0.0) == 0.0
    assert math.isclose(spread_add_on(-1.0), 300.0) and math.isclose(spread_add_on(1.0), -75.0)
    assert multiple_factor(0.0) == 1.0
    np.testing.assert_allclose(multiple_factor(np.array([-1.0, 0.0, 1.0])), np.exp([-0.5, 0.0, 0.5]))


def test_sentiment_dynamics():
    neutral = SentimentParams.of(sentiment_0=0.0)
    s = Sentiment(neutral)
    assert s.value == 0.0
    assert s.update(0.05) > 0.0                     # a good day for the basket
    s2 = Sentiment(neutral)
    assert s2.update(-0.05) < 0.0
    s3 = Sentiment(neutral)
    assert s3.update(0.0, news=300.0) > 0.0         # big announcements lift the mood
    s4 = Sentiment(neutral)
    assert s4.update(0.0, news=-300.0) < 0.0        # cancellations depress it
    # the lab's growth above expectations sets the level it reverts to
    s5 = Sentiment(neutral)
    for _ in range(600):
        s5.update(0.0, lab_growth=0.5)
    assert math.isclose(s5.value, math.tanh(0.5 * SentimentParams.of().sentiment_lab_weight), rel_tol=1e-3)
    # mean reversion without inputs; bounded under extreme inputs
    s6 = Sentiment(SentimentParams.of(sentiment_0=0.8))
    for _ in range(300):
        s6.update(0.0)
    assert 0.0 < s6.value < 0.1
    s7 = Sentiment()
    for _ in range(100):
        assert -1.0 < s7.update(-0.5, news=-1e4) < 1.0


def test_sentiment_raises_multiples_and_fair_values():
    sb = MarketSandbox(seed=0)
    sig = sb._signals()
    m = sb.market
    mults = [m.multiples(sig, s) for s in (-0.8, 0.0, 0.8)]
    assert np.all(mults[0] < mults[1]) and np.all(mults[1] < mults[2])
    fvs = [m.fair_value(sig, x) for x in mults]
    assert np.all(fvs[0] < fvs[1]) and np.all(fvs[1] < fvs[2])


def test_good_mood_lifts_prices():
    """Same seed, fundamentals and base multiples: a market that starts euphoric trades higher
    60 days later than one that starts gloomy - in every firm on average over six paired seeds,
    and by about what the outside holders' reservation values take up of the mood, computed by
    hand from the two sentiment paths: ``G' = G + anchor_rate * (sentiment_elasticity * ds - G)``.
    (One seed's firm can go the other way: 60 days of trader noise are as large as the effect.)"""
    p = MarketParams.of()
    ratios, gaps = [], []
    for seed in range(8, 14):
        neutral = MarketSandbox(seed=seed)
        base = implied_base_multiples(neutral.market.prices, neutral.market.shares, neutral._signals(), 0.5)
        prices, paths = {}, {}
        for s0 in (-0.6, 0.6):
            sb = MarketSandbox(seed=seed, sentiment_params=SentimentParams.of(sentiment_0=s0),
                               market_params=MarketParams.of(base_multiples=base))
            path = []
            for _ in range(60):
                path.append(sb.sentiment.value)
                sb.step()
            prices[s0], paths[s0] = sb.market.prices, np.array(path)
        ratios.append(np.log(prices[0.6] / prices[-0.6]))
        g = 0.0
        for ds in paths[0.6] - paths[-0.6]:
            g += p.market_anchor_rate * (p.sentiment_multiple_elasticity * ds - g)
        gaps.append(g)
    per_firm = np.mean(ratios, axis=0)
    assert np.all(per_firm > 0.0), per_firm
    assert 0.5 * np.mean(gaps) < per_firm.mean() < 1.5 * np.mean(gaps), (per_firm.mean(), np.mean(gaps))


def _retail_after_drawdown(sentiment: float, look_up: bool) -> tuple[int, int]:
    """(panics, FOMO buys) over 30 days for holders who all look every day, after a rally
    (look_up) or a 12% drawdown."""
    pop = RetailPopulation(np.random.default_rng(1), RetailParams.of(retail_holders=4000, retail_check_rate=1.0, retail_check_dispersion=0.0))
    pop.initialise(np.array([100.0]), np.array([1.0]))
    for _ in range(63):
        pop.etf.advance(0.0025 if look_up else 0.0)
    if not look_up:
        pop.etf.advance(-0.12)
    panics = fomo = 0
    for _ in range(30):
        pop.contribute(False)
        f = pop.orders(sentiment)
        pop.settle(0.0)
        panics += f.n_panic
        fomo += f.n_fomo
    return panics, fomo


def test_mood_shifts_panic_and_fomo_thresholds():
    assert _retail_after_drawdown(-0.8, look_up=False)[0] > _retail_after_drawdown(0.8, look_up=False)[0] > 0
    assert _retail_after_drawdown(0.8, look_up=True)[1] > _retail_after_drawdown(-0.8, look_up=True)[1] > 0
