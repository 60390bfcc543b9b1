"""The noise floor of mean |ACF of r| (``runs/moments.acf_sign_floor``) against quantities computed
apart from it: the i.i.d. sampling distribution, a GARCH(1,1) series' clustering, an AR(1)'s
dependence."""

from __future__ import annotations

import math

import numpy as np

from ailoop.runs.moments import acf, acf_sign_floor

N = 1512
LAGS = range(1, 11)


def iid_expectation(n: int) -> float:
    """E mean |ACF| over lags 1-10 of an i.i.d. series: each ACF ~ N(0, (n - k) / n^2) (Bartlett),
    and E|N(0, s^2)| = s sqrt(2 / pi)."""
    return float(np.mean([np.sqrt(2.0 / np.pi) * np.sqrt(n - k) / n for k in LAGS]))


def folded_mean(m: float, s: float) -> float:
    """E|X| for X ~ N(m, s^2)."""
    return float(s * np.sqrt(2.0 / np.pi) * np.exp(-m * m / (2.0 * s * s)) + m * math.erf(m / (s * np.sqrt(2.0))))


def garch(n: int, omega: float, alpha: float, beta: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    r = np.empty(n)
    h = omega / (1.0 - alpha - beta)
    for t in range(n):
        r[t] = np.sqrt(h) * rng.standard_normal()
        h = omega + alpha * r[t] ** 2 + beta * h
    return r


def test_the_floor_of_an_iid_series_is_the_sampling_noise():
    r = np.random.default_rng(3).standard_normal(N)
    floor = acf_sign_floor(r, LAGS, draws=200)
    assert abs(floor / iid_expectation(N) - 1.0) < 0.06   # 200 draws: relative sd ~0.017


def robust_expectation(r: np.ndarray) -> float:
    """E mean |ACF| over lags 1-10 of serially uncorrelated returns with ``r``'s volatility path:
    the heteroskedasticity-robust variance of the lag-k ACF, sum(d_t^2 d_(t+k)^2) / (sum d_t^2)^2
    (Diebold 1986; Taylor 1984), with E|N(0, s^2)| = s sqrt(2 / pi)."""
    d = r - r.mean()
    den = float(d @ d)
    return float(np.mean([np.sqrt(2.0 / np.pi) * np.sqrt(np.sum(d[:-k] ** 2 * d[k:] ** 2)) / den for k in LAGS]))


def test_clustered_volatility_raises_the_floor_as_the_robust_variance_says():
    # strong clustering (alpha + beta = 0.98, the model's and the S&P's range): the same |r| path
    # with random signs carries more sampling noise than an i.i.d. series of the same length, by
    # what the heteroskedasticity-robust variance of the ACF says
    for s in range(3):
        r = garch(N, 2e-6, 0.15, 0.83, s)
        robust = robust_expectation(r)
        assert abs(acf_sign_floor(r, LAGS, draws=200) / robust - 1.0) < 0.08
        assert robust > 1.1 * iid_expectation(N)


def test_dependence_lies_above_the_floor_and_random_signs_remove_it():
    rng = np.random.default_rng(5)
    e = rng.standard_normal(N)
    r = np.empty(N)
    r[0] = e[0]
    for t in range(1, N):
        r[t] = 0.3 * r[t - 1] + e[t]
    actual = float(np.mean(np.abs(acf(r, LAGS))))
    floor = acf_sign_floor(r, LAGS)
    # the AR(1)'s ACF is 0.3^k; its estimates scatter about it with sd ~ 1/sqrt(n): E|N(m, s^2)|,
    # the folded normal's mean, per lag
    expected = float(np.mean([folded_mean(0.3 ** k, np.sqrt(N - k) / N) for k in LAGS]))
    assert abs(actual - expected) < 0.012
    assert actual > 1.5 * floor
    assert abs(floor / iid_expectation(N) - 1.0) < 0.15


def test_the_floor_is_reproducible_and_depends_on_its_seed():
    r = garch(N, 2e-6, 0.1, 0.88, 0)
    assert acf_sign_floor(r, LAGS, seed=1) == acf_sign_floor(r, LAGS, seed=1)
    assert acf_sign_floor(r, LAGS, seed=1) != acf_sign_floor(r, LAGS, seed=2)
