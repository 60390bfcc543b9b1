"""Validation of the market against real data: the S&P 500's moments and the model's.

The data are the daily S&P 500 closes of 1999-2018 bundled with ``arch``
(``arch.data.sp500.load()``, the ``validation`` extra). A model run lasts six years (1,512 trading
days), and autocorrelations and tail measures depend on the sample length, so the S&P 500's
*targets* are the means of the moments over every 1,512-day window of the data (one every 21
days), and their weights the inverse variances of the moments over 1,512-day moving-block
bootstrap samples (250-day blocks; Franke & Westerhoff 2012's recipe, at the model's length).
The model's moments are the means over seeds of the moments of one run each.

* :func:`sp500_returns`, :func:`sp500_targets` - the data side;
* :func:`run_returns` - one run's daily log returns: the AI loop's market value
  (``market_value_total``) and each listed firm's;
* :func:`model_moments` - moments over seeds, in parallel;
* :func:`distance` - the MSM objective J, and :func:`distance_interval` its bootstrap interval over
  the seeds.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np

from ailoop.runs.moments import MOMENTS, block_bootstrap, moment_set, window_moments

YEARS = 6
DAYS = 252 * YEARS
#: the moments the market is fitted on (mean |r| is left out: it moves with the volatility, 0.95
#: correlated in the bootstrap, and would count the same fact twice)
FIT_MOMENTS = tuple(m for m in MOMENTS if m != "mean_abs_r")


def sp500_returns() -> np.ndarray:
    """Daily log returns of the S&P 500, 1999-01-04 to 2018-12-31 (``arch``'s bundled data)."""
    from arch.data import sp500

    px = sp500.load()["Adj Close"].to_numpy(dtype=np.float64)
    return np.diff(np.log(px))


def sp500_targets(length: int = DAYS, n_boot: int = 1000, seed: int = 12345) -> dict:
    """The S&P 500's moments: ``full`` (whole sample), ``windows`` (mean over every ``length``-day
    window, one every 21 days: the targets), ``window_sd`` and ``boot_sd`` (sd over
    ``length``-day block-bootstrap samples: the weights), each a dict over :data:`MOMENTS`."""
    r = sp500_returns()
    w = window_moments(r, length, 21)
    b = block_bootstrap(r, length, n_boot, 250, seed)
    return {"full": moment_set(r), "windows": dict(zip(MOMENTS, w.mean(axis=0))),
            "window_sd": dict(zip(MOMENTS, w.std(axis=0))), "boot_sd": dict(zip(MOMENTS, b.std(axis=0, ddof=1))),
            "n_windows": len(w)}


def run_returns(seed: int, years: float = YEARS, scenario: str = "baseline", **params) -> dict[str, np.ndarray]:
    """One run's daily log returns: ``index`` (the AI loop's market value, listed firms and the
    labs' marks) and each listed firm that has not defaulted (``return.<firm>``)."""
    from ailoop.model import Economy

    economy = Economy(scenario=scenario, seed=seed, checks=False, **params)
    economy.run(years=years)
    df = economy.datacollector.get_model_vars_dataframe()
    out = {"index": np.diff(np.log(df["market_value_total"].to_numpy()))}
    for f in economy.public_firms:
        if not f.defaulted:
            out[f.aid] = df[f"return.{f.aid}"].to_numpy()[1:]
    return out


def _moments_of_run(args) -> dict[str, dict[str, float]]:
    seed, params, years = args
    return {k: moment_set(r) for k, r in run_returns(seed, years, **params).items()}


def model_moments(seeds, params: dict | None = None, workers: int = 2, years: float = YEARS) -> list[dict]:
    """Per seed, the moment sets of the index and of each listed firm (``{series: {moment: x}}``)."""
    jobs = [(s, dict(params or {}), years) for s in seeds]
    if workers <= 1:
        return [_moments_of_run(j) for j in jobs]
    with ProcessPoolExecutor(workers) as ex:
        return list(ex.map(_moments_of_run, jobs))


def distance(model: dict[str, float], targets: dict[str, float], sd: dict[str, float], names=FIT_MOMENTS) -> float:
    """The MSM objective: sum over ``names`` of ((model - target) / sd)^2 (a diagonal weight matrix)."""
    return float(sum(((model[k] - targets[k]) / sd[k]) ** 2 for k in names))


def distance_interval(per_seed: list[dict[str, float]], targets: dict[str, float], sd: dict[str, float],
                      n_boot: int = 2000, level: float = 0.95, seed: int = 0,
                      names=FIT_MOMENTS) -> tuple[float, float]:
    """A percentile bootstrap interval of :func:`distance` over the seeds: the seeds are drawn with
    replacement ``n_boot`` times (generator ``seed``), the model's moments are the means over each
    draw, and the interval is the central ``level`` of the distances. It says how much J owes to
    which runs were drawn - the sampling noise of a set of seeds - not the uncertainty of the data's
    side. ``per_seed``: one dict of moments per run."""
    if len(per_seed) < 2:
        raise ValueError(f"a bootstrap over seeds needs at least 2 runs, not {len(per_seed)}")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), not {level}")
    values = np.array([[run[k] for k in names] for run in per_seed])         # (runs, moments)
    target = np.array([targets[k] for k in names])
    scale = np.array([sd[k] for k in names])
    draws = np.random.default_rng(seed).integers(0, len(per_seed), size=(n_boot, len(per_seed)))
    j = (((values[draws].mean(axis=1) - target) / scale) ** 2).sum(axis=1)
    lo, hi = np.quantile(j, [(1.0 - level) / 2.0, (1.0 + level) / 2.0])
    return float(lo), float(hi)
