"""Volatility after news: a revision of a firm's fundamentals leaves uncertainty, and the
disagreement it leaves moves the price by a deviation whose shocks grow with that uncertainty and
which fades with it (``market_uncertainty_gain``, ``market_uncertainty_persistence``;
``model/markets/equity.py``).

The unit check computes the deviation by hand from the formula in the parameter table; the
behaviour check runs the economy with the dial on and off and compares the volatility clustering
of the firm whose news is largest, the cloud.
"""

from __future__ import annotations

import numpy as np
import pytest

from ailoop.agents.retail import RetailParams, RetailPopulation
from ailoop.agents.traders import TraderParams, TraderPopulation
from ailoop.model.markets import EquityMarket, MarketParams

PRICES = np.array([242.0, 177.0, 120.0])
REVISION = np.array([0.3, 0.0, -0.2])      # log revision of each firm's fair value on day 1


def _market(gain: float, persistence: float, price_noise: float) -> EquityMarket:
    rng = np.random.default_rng(5)
    traders = TraderPopulation(rng, 3, TraderParams.of(n_traders=20))
    retail = RetailPopulation(rng, RetailParams.of(retail_holders=100))
    return EquityMarket(["a", "b", "c"], PRICES, [2.8, 24.3, 0.5],
                        MarketParams.of(market_uncertainty_gain=gain, market_uncertainty_persistence=persistence,
                                     market_price_noise=price_noise), rng, traders, retail)


def test_the_deviation_after_a_revision_matches_the_hand_computation():
    g, rho, pn = 0.2, 0.9, 0.002
    with_news, without = _market(g, rho, pn), _market(0.0, rho, pn)
    fair = [PRICES] + [PRICES * np.exp(REVISION)] * 4
    # by hand: the uncertainty before each day - nothing until the revision has happened (day 1),
    # then its square, fading by rho a day; the deviation D' = rho D + g sqrt(U) e', and the day's
    # move differs from the same market's without the dial by D' - D (the same first normals)
    u_before = [np.zeros(3), np.zeros(3), REVISION ** 2, rho * REVISION ** 2, rho ** 2 * REVISION ** 2]
    d = np.zeros(3)
    for day in range(5):
        twin = np.random.default_rng()
        twin.bit_generator.state = with_news.rng.bit_generator.state
        twin.standard_normal(3)                  # the outside flows' normals, common to both
        e2 = twin.standard_normal(3)             # the disagreement's
        without.rng.bit_generator.state = with_news.rng.bit_generator.state
        base_g, _ = with_news._outside_move(fair[day], 0.0, PRICES, None)
        base_0, _ = without._outside_move(fair[day], 0.0, PRICES, None)
        d_new = rho * d + g * np.sqrt(u_before[day]) * e2
        np.testing.assert_allclose(base_g - base_0, d_new - d, rtol=0, atol=1e-13, err_msg=f"day {day}")
        if day <= 1:                             # nothing before the revision, nor on its day
            assert np.all(base_g == base_0)
        d = d_new
    assert np.all(d[[0, 2]] != 0.0) and d[1] == 0.0   # the firm without news never deviates
    np.testing.assert_allclose(with_news.disagreement, d, rtol=0, atol=1e-15)


def test_the_dial_off_keeps_the_noise_constant():
    """With the gain at 0 the day's move is the reservation value's, its pull and price_noise x one
    normal per firm - the earlier engine's: one draw a day, so its random stream is unchanged."""
    pn, decay = 0.002, MarketParams.of().market_impact_decay
    market = _market(0.0, 0.98, pn)
    for day, f in enumerate([PRICES, PRICES * np.exp(REVISION), PRICES * np.exp(REVISION)]):
        twin = np.random.default_rng()
        twin.bit_generator.state = market.rng.bit_generator.state
        z = twin.standard_normal(3)
        base, d_anchor = market._outside_move(f, 0.0, PRICES, None)
        noise = base - d_anchor + decay * (np.log(PRICES) - market.log_reservation)
        np.testing.assert_allclose(noise, pn * z, rtol=0, atol=1e-15, err_msg=f"day {day}")
        assert market.rng.bit_generator.state == twin.bit_generator.state   # one normal per firm, no more
    assert np.all(market.uncertainty == 0.0)


@pytest.fixture(scope="module")
def cloud_clustering():
    from ailoop.runs.moments import acf
    from ailoop.runs.validate import run_returns

    out = {}
    for gain in (0.0, 0.2):
        vals = []
        for seed in (1, 2):
            r = run_returns(seed, years=6.0, market_uncertainty_gain=gain,
                            market_signal_phase_in_days=0)["cloud"][60:]
            vals.append(float(np.mean(acf(np.abs(r), range(1, 11)))))
        out[gain] = np.mean(vals)
    return out


def test_news_uncertainty_is_what_clusters_the_clouds_volatility(cloud_clustering):
    """The cloud's monthly jumps (its backlog at the lab's payment odds) are isolated days without
    the dial: its |r| barely autocorrelates; with it, volatility stays high after each jump (seeds
    1 and 2, 6 years from day 60, after the 2025 announcement days). Each month's figures reach the
    market in one jump here (market_signal_phase_in_days = 0), so that the dial is the only path:
    spread over the table's ten days, the revision itself makes a run of moved days, which
    clusters |r| without the dial too (benchmarks/economy_stylized_facts.py --set
    market_uncertainty_gain=0, docs/results.md#stylized)."""
    off, on = cloud_clustering[0.0], cloud_clustering[0.2]
    assert off < 0.15, off
    assert on > off + 0.08, (off, on)


@pytest.mark.parametrize("cap", [0.25, 0.45])
def test_the_uncertainty_is_at_most_that_of_one_revision_of_the_cap(cap):
    """Revisions of +0.3, 0 and -0.2 log points on day 1, then +0.4 more for the first firm on day 2:
    by hand its uncertainty would be 0.3^2 = 0.09 after day 1 and 0.9 x 0.09 + 0.16 = 0.241 after
    day 2; the cap stores min(., cap^2). With the cap at 0.45 (0.2025) the first firm is capped on
    day 2 only, the third never (0.04); at 0.25 (0.0625) the first is capped on both days."""
    rho = 0.9
    market = _market(0.2, rho, 0.002)
    market.params = MarketParams.of(market_uncertainty_gain=0.2, market_uncertainty_persistence=rho,
                                    market_price_noise=0.002, market_uncertainty_max_revision=cap)
    second = PRICES * np.exp(REVISION + np.array([0.4, 0.0, 0.0]))
    u1 = np.minimum(REVISION ** 2, cap ** 2)
    u2 = np.minimum(rho * u1 + np.array([0.4, 0.0, 0.0]) ** 2, cap ** 2)
    for fair, expected in ((PRICES, np.zeros(3)), (PRICES * np.exp(REVISION), u1), (second, u2)):
        market._outside_move(fair, 0.0, PRICES, None)
        np.testing.assert_allclose(market.uncertainty, expected, rtol=1e-12, atol=1e-15)
    assert (market.uncertainty[0] == cap ** 2) and market.uncertainty[2] == pytest.approx(rho * 0.04)
    assert (u1[0] == cap ** 2) == (cap < 0.3)  # the first day's revision is capped only below 0.3
