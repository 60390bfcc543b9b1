"""Moments of daily returns: the stylized facts the market is calibrated on and checked against.

Conventions (Franke & Westerhoff 2012 is the template of the moment set):

* ``r`` is a 1-D array of daily log returns in decimal units (0.01 = a 1% move);
* autocorrelations are the sample ACF of the demeaned series with the full-sample denominator
  (``statsmodels``' ``acf`` default);
* the Hill tail index is estimated on ``|r|`` (both tails) from the largest 5% of observations,
  with the next largest as the threshold; it is the exponent alpha (about 3 for daily index
  returns), not 1/alpha;
* excess kurtosis uses population moments (``scipy.stats.kurtosis``);
* the GARCH(1,1) persistence alpha + beta is fitted with ``arch`` (Gaussian innovations, a
  constant mean, returns in percent); ``arch`` is imported only there (the ``validation`` extra).

:func:`moment_set` is the MSM moment vector (:data:`MOMENTS`); :func:`stylized_facts` adds the
summaries the model is checked against (mean |ACF of r| and mean ACF of |r| over lags 1-10, the
ACF of |r| at lag 50, excess kurtosis, GARCH persistence).
"""

from __future__ import annotations

import numpy as np

ABS_LAGS = (1, 5, 10, 25, 50, 100)
TAIL_FRACTION = 0.05
#: the moment vector, in order (units: ann_vol per year, mean_abs_r per day, the rest unitless)
MOMENTS = ("ann_vol", "mean_abs_r", "acf_r_1", *(f"acf_abs_{k}" for k in ABS_LAGS), "hill", "kurtosis")


def _clean(r) -> np.ndarray:
    a = np.asarray(r, dtype=np.float64).ravel()
    if a.size < 3 or not np.all(np.isfinite(a)):
        raise ValueError("returns must be a finite series of at least three observations")
    return a


def acf(r, lags) -> np.ndarray:
    """Sample autocorrelations of ``r`` at ``lags`` (demeaned; full-sample denominator)."""
    a = _clean(r)
    d = a - a.mean()
    den = float(d @ d)
    lags = np.atleast_1d(lags)
    if den == 0.0:
        return np.zeros(len(lags))
    return np.array([float(d[:-k] @ d[k:]) / den if 0 < k < a.size else np.nan for k in lags])


def acf_sign_floor(r, lags, draws: int = 50, seed: int = 0) -> float:
    """Mean |ACF of r| over ``lags`` that ``r``'s own volatility path gives without any linear
    dependence: the mean over ``draws`` series ``|r| x`` independent random signs (+1 or -1, equally
    likely; deterministic for a given ``seed``) of their mean |ACF| over ``lags``.

    The sampling noise of an autocorrelation estimate grows with volatility clustering (the
    variance of ``r_t r_{t+k}`` is larger when calm and wild days cluster), so a series with clustered
    volatility shows a mean |ACF of r| above the i.i.d. value ``sqrt(2 / pi) / sqrt(n)`` even when its
    returns are serially uncorrelated. Randomising the signs keeps every ``|r_t|`` - and so the
    clustering - and removes the linear dependence: an estimate at this floor is noise, one above it
    is dependence (unitless)."""
    a = np.abs(_clean(r))
    lags = np.atleast_1d(lags)
    rng = np.random.default_rng(seed)
    signs = rng.integers(0, 2, size=(draws, a.size)) * 2.0 - 1.0
    return float(np.mean([np.mean(np.abs(acf(a * s, lags))) for s in signs]))


def hill(r, tail_fraction: float = TAIL_FRACTION) -> float:
    """Hill estimate of the tail exponent of ``|r|`` from the largest ``tail_fraction`` of it."""
    x = np.abs(_clean(r))
    k = int(np.floor(tail_fraction * x.size))
    if k < 2:
        raise ValueError("too few observations for the Hill estimate")
    top = np.sort(np.partition(x, x.size - k - 1)[x.size - k - 1:])[::-1]
    if top[k] <= 0:
        return float("nan")
    g = float(np.mean(np.log(top[:k] / top[k])))
    return 1.0 / g if g > 0 else float("nan")


def kurtosis(r) -> float:
    """Excess kurtosis m4 / m2^2 - 3 (population moments)."""
    d = _clean(r)
    d = d - d.mean()
    m2 = float(np.mean(d * d))
    return float(np.mean(d ** 4)) / (m2 * m2) - 3.0 if m2 > 0 else float("nan")


def moment_set(r) -> dict[str, float]:
    """The MSM moment vector of ``r`` (keys: :data:`MOMENTS`)."""
    a = _clean(r)
    v = np.abs(a)
    out = {"ann_vol": float(np.sqrt(252.0) * a.std(ddof=1)), "mean_abs_r": float(v.mean()),
           "acf_r_1": float(acf(a, [1])[0])}
    out.update({f"acf_abs_{k}": float(x) for k, x in zip(ABS_LAGS, acf(v, ABS_LAGS))})
    out["hill"] = hill(a)
    out["kurtosis"] = kurtosis(a)
    return out


def garch_persistence(r) -> float:
    """alpha + beta of a GARCH(1,1) fitted to ``r`` (Gaussian, constant mean, percent returns)."""
    from arch import arch_model  # the validation extra

    res = arch_model(100.0 * _clean(r), mean="Constant", vol="GARCH", p=1, q=1, dist="normal",
                     rescale=False).fit(disp="off", show_warning=False)
    return float(res.params["alpha[1]"] + res.params["beta[1]"])


def stylized_facts(r, garch: bool = True) -> dict[str, float]:
    """The facts the market is checked against: mean |ACF of r| and mean ACF of |r| over lags
    1-10, ACF of |r| at lag 50, excess kurtosis, annualised volatility and (``garch``) GARCH(1,1)
    persistence."""
    a = _clean(r)
    lags = np.arange(1, 11)
    out = {"mean_abs_acf_r": float(np.mean(np.abs(acf(a, lags)))),
           "mean_acf_abs_r": float(np.mean(acf(np.abs(a), lags))),
           "acf_abs_50": float(acf(np.abs(a), [50])[0]),
           "kurtosis": kurtosis(a),
           "ann_vol": float(np.sqrt(252.0) * a.std(ddof=1))}
    if garch:
        out["garch"] = garch_persistence(a)
    return out


def block_bootstrap(r, length: int, n_boot: int, block: int, seed: int) -> np.ndarray:
    """Moment vectors of ``n_boot`` moving-block bootstrap samples of ``r`` (Künsch 1989), each
    ``length`` days long, made of overlapping ``block``-day blocks laid end to end; rows in the
    order of :data:`MOMENTS`. Deterministic for a given ``seed``."""
    a = _clean(r)
    rng = np.random.default_rng(seed)
    nb = -(-length // block)
    out = np.empty((n_boot, len(MOMENTS)))
    for b in range(n_boot):
        starts = rng.integers(0, a.size - block + 1, size=nb)
        idx = (starts[:, None] + np.arange(block)[None, :]).ravel()[:length]
        out[b] = list(moment_set(a[idx]).values())
    return out


def window_moments(r, length: int, stride: int) -> np.ndarray:
    """Moment vectors of every ``length``-day window of ``r`` starting every ``stride`` days."""
    a = _clean(r)
    return np.array([list(moment_set(a[s:s + length]).values())
                     for s in range(0, a.size - length + 1, stride)])
