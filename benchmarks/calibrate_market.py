"""Calibrate the market engine on the S&P 500 by the method of simulated moments, and print the
model's moment table beside the S&P 500's.

The data: daily S&P 500 closes 1999-2018 (``arch.data.sp500``; ``pip install -e '.[validation]'``).
The moments (``ailoop.runs.moments``): annualised volatility, mean |r|, the autocorrelation of r at
lag 1 and of |r| at lags 1, 5, 10, 25, 50 and 100, the Hill tail index (top 5% of |r|) and the
excess kurtosis. A model run is six years (1,512 days), so the targets are the means of the
moments over the data's 1,512-day windows, weighted by their inverse variances over 1,512-day
block-bootstrap samples (``ailoop.runs.validate``). The model's side: the mean over seeds of the
moments of the AI loop's daily market value (``market_value_total``) in the baseline; the
listed firms' moments are printed beside them. The 2025 announcement days are never a target
(they are the out-of-sample check of ``benchmarks/announcement_returns.py``).

    python benchmarks/calibrate_market.py                    # the table at the table's defaults, seeds 1-20
    python benchmarks/calibrate_market.py --fit              # Nelder-Mead from the defaults on seeds 1-8,
                                                             # then the table at the fit on seeds 101-120
    python benchmarks/calibrate_market.py --set market_signal_phase_in_days=5   # the table with a dial set
    python benchmarks/calibrate_market.py --seeds 101-120 --interval   # and J's bootstrap interval over the seeds

``--set NAME=VALUE`` (repeatable, names from ``ailoop params``) holds a parameter at a value other
than the table's default, for the table and for every evaluation of a fit; with ``--fit``, a
``--set`` of one of ``FREE`` is where the fit starts instead (to rerun a fit from an earlier table).

The fit moves the engine's free parameters (``FREE``: the two belief-noise levels, herding,
misalignment, predisposition, the impact decay, the traders' revision rate - Franke &
Westerhoff's flexibility, how often a trader reconsiders its strategy - and the transient share of
the price impact), holding everything else
at the table's defaults, with common random numbers (the same seeds at every evaluation). It prints each
evaluation, the parameters it ends at and the moment table on fresh seeds; ``--out FIT.json``
keeps every evaluation for ``benchmarks/select_calibration.py``, which picks among the near-best
points the lowest-J one that keeps the baseline within its bounds - the table's defaults (issue
10's last refit: ``--fit --penalise-bounds --maxfev 40 --fit-seeds 1-8 --out
outputs/fit_stationary.json``, then ``select_calibration.py outputs/fit_stationary.json``).

``--penalise-bounds`` steers the exploration: the objective the optimiser minimises is J plus a
hinge penalty for each series' stylized fact beyond the bound the selection checks (``PENALTIES``;
medians over the fit seeds, GARCH included), so that the fit's near-best region holds points the
selection can accept. J itself - the distance to the S&P 500's moments - is what is logged and
what the selection ranks by; the bounds restrict the fit, they are not targets.
"""

from __future__ import annotations

import argparse
import json
import math
import time

import numpy as np

from ailoop.model.params import PARAMETERS
from ailoop.runs.moments import MOMENTS, garch_persistence
from ailoop.runs.validate import FIT_MOMENTS, distance, distance_interval, model_moments, run_returns, sp500_returns, sp500_targets
from economy_stylized_facts import BOUNDS as FACT_BOUNDS
from economy_stylized_facts import beyond

#: the engine's free parameters and how the optimiser moves them ("log": positive, on a log scale)
FREE = (("trader_noise_chartist", "log"), ("trader_noise_fundamentalist", "log"), ("trader_herding", "lin"),
        ("trader_misalignment", "log"), ("trader_predisposition", "lin"), ("market_impact_decay", "log"),
        ("trader_revision_rate", "log"), ("market_impact_transient_share", "lin"))
#: the initial simplex's step per free parameter, on its scale (a lin parameter not named: 0.3)
STEPS = {"log": 0.25, "lin": 0.3, "market_impact_transient_share": 0.05}


def seeds_of(text: str) -> list[int]:
    """'1-20' or '1,4,7' -> a list of seeds."""
    if "-" in text:
        a, b = text.split("-")
        return list(range(int(a), int(b) + 1))
    return [int(x) for x in text.split(",")]


def mean_moments(per_seed: list[dict], series: str = "index") -> dict[str, float]:
    rows = [r[series] for r in per_seed if series in r]
    return {k: float(np.mean([x[k] for x in rows])) for k in MOMENTS}


def sd_moments(per_seed: list[dict], series: str = "index") -> dict[str, float]:
    rows = [r[series] for r in per_seed if series in r]
    return {k: float(np.std([x[k] for x in rows])) for k in MOMENTS}


#: ``--penalise-bounds``: the per-series stylized facts whose bounds the selection checks
#: (``economy_stylized_facts.BOUNDS``), as (key of ``stylized_facts``, name of the bound, weight): a
#: hinge penalty on J of ``weight`` per unit of the median over the fit seeds beyond its bound
#: (GARCH alpha + beta: 1 per 0.001; the clustering: 1 per 0.01)
PENALTIES = (("garch", "GARCH a+b", 1000.0), ("acf_abs_50", "acf |r| lag 50", 100.0),
             ("mean_acf_abs_r", "mean acf |r| 1-10", 100.0))


def _run_facts(args) -> dict:
    """One run: the index's moment set and every series' stylized facts (with GARCH)."""
    from ailoop.runs.moments import moment_set, stylized_facts

    seed, params = args
    out = {}
    for name, r in run_returns(seed, **params).items():
        out[name] = stylized_facts(r, garch=True)
        if name == "index":
            out["moments"] = moment_set(r)
    return out


def penalised(seeds: list[int], params: dict, workers: int) -> tuple[dict, float, list[str]]:
    """The index's mean moments over ``seeds``, the bounds' penalty and the series that miss a bound."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers) as ex:
        runs = list(ex.map(_run_facts, [(s, params) for s in seeds]))
    moments = {k: float(np.mean([r["moments"][k] for r in runs])) for k in MOMENTS}
    penalty, missed = 0.0, []
    for name in sorted({k for r in runs for k in r if k != "moments"}):
        for fact, bound, weight in PENALTIES:
            excess = beyond(float(np.median([r[name][fact] for r in runs if name in r])), *FACT_BOUNDS[bound])
            if excess > 0:
                penalty += weight * excess
                missed.append(f"{name}:{fact}")
    return moments, penalty, missed


def to_params(x: np.ndarray) -> dict[str, float]:
    out = {}
    for v, (name, scale) in zip(x, FREE):
        p = PARAMETERS[name]
        out[name] = float(min(max(math.exp(v) if scale == "log" else v, p.lo), p.hi))
    return out


def from_params(params: dict) -> np.ndarray:
    return np.array([math.log(params[n]) if s == "log" else params[n] for n, s in FREE])


def start_simplex(fixed: dict) -> tuple[np.ndarray, np.ndarray]:
    """Where the fit starts, on the optimiser's scale, and its initial simplex: each of ``FREE`` at
    its ``--set`` value if one is given (``fixed``), else at the table's default; vertex ``i + 1``
    moves parameter ``i`` alone by its step (``STEPS``: a log parameter by a factor e^0.25)."""
    x0 = from_params({n: fixed.get(n, PARAMETERS[n].default) for n, _ in FREE})
    step = np.array([STEPS.get(n, STEPS[s]) for n, s in FREE])
    return x0, np.vstack([x0] + [x0 + np.eye(len(x0))[i] * step[i] for i in range(len(x0))])


def fit_params(fixed: dict, x: np.ndarray) -> dict:
    """The parameters one evaluation of the fit runs with: every ``--set`` held, except that the
    free parameters take the optimiser's point ``x`` (a ``--set`` of one of them was only the
    start)."""
    return {**fixed, **to_params(x)}


def table(targets: dict, model: list[dict], seeds: list[int], params: dict, garch_seeds: int = 20,
          interval: bool = False) -> None:
    m, sd = mean_moments(model), sd_moments(model)
    full, win, boot = targets["full"], targets["windows"], targets["boot_sd"]
    print(f"\nModel: the AI loop's daily market value, baseline, 6 years, seeds {seeds[0]}-{seeds[-1]} "
          f"({len(seeds)} runs); S&P 500 1999-2018 ({targets['n_windows']} windows of 1,512 days)")
    if params:
        print("parameters other than the table's defaults: " + ", ".join(
            f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v}" for k, v in params.items()))
    print(f"{'moment':12s} {'S&P full':>9s} {'S&P 1512d':>9s} {'(sd)':>7s} {'model':>9s} {'(sd)':>7s} {'t':>6s}  fitted")
    for k in MOMENTS:
        t = (m[k] - win[k]) / boot[k]
        print(f"{k:12s} {full[k]:9.4f} {win[k]:9.4f} {boot[k]:7.4f} {m[k]:9.4f} {sd[k]:7.4f} {t:6.2f}  "
              f"{'yes' if k in FIT_MOMENTS else 'no'}")
    print(f"J (diagonal weights, {len(FIT_MOMENTS)} moments) = {distance(m, win, boot):.2f}")
    if interval:
        lo, hi = distance_interval([r["index"] for r in model], win, boot)
        print(f"J's 95% bootstrap interval over these {len(model)} seeds (2,000 draws of the seeds, generator 0): "
              f"{lo:.2f}-{hi:.2f}")
    g = [garch_persistence(run_returns(s, **params)["index"]) for s in seeds[:garch_seeds]]
    print(f"GARCH(1,1) alpha+beta: S&P 500 {garch_persistence(sp500_returns()):.3f}; model mean {np.mean(g):.3f} "
          f"(min {min(g):.3f}, max {max(g):.3f}, seeds {seeds[0]}-{seeds[min(garch_seeds, len(seeds)) - 1]})")
    firms = sorted({k for r in model for k in r if k != "index"})
    print("\nListed firms (mean over the seeds in which the firm survives):")
    print(f"{'firm':16s} " + " ".join(f"{k:>11s}" for k in MOMENTS))
    for f in firms:
        mf = mean_moments(model, f)
        print(f"{f:16s} " + " ".join(f"{mf[k]:11.4f}" for k in MOMENTS))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fit", action="store_true", help="fit the free parameters (Nelder-Mead) first")
    ap.add_argument("--fit-seeds", default="1-8")
    ap.add_argument("--seeds", default=None, help="seeds of the table (default: 1-20; after --fit: 101-120)")
    ap.add_argument("--maxfev", type=int, default=120)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default=None, help="write the fitted parameters to this JSON file")
    ap.add_argument("--penalise-bounds", action="store_true",
                    help="explore with the per-series stylized-fact bounds as hinge penalties on J (PENALTIES)")
    ap.add_argument("--interval", action="store_true",
                    help="also print J's 95%% bootstrap interval over the table's seeds (which runs were drawn)")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="hold a parameter at VALUE (names from `ailoop params`; repeatable)")
    a = ap.parse_args()
    from ailoop.runs.cli import sets_or_exit

    fixed = sets_or_exit(ap, a.set)
    targets = sp500_targets()
    params: dict = dict(fixed)
    if a.fit:
        from scipy.optimize import minimize

        fit_seeds = seeds_of(a.fit_seeds)
        x0, simplex = start_simplex(fixed)
        log, penalties = [], []

        def objective(x):
            p = fit_params(fixed, x)
            t0 = time.perf_counter()
            if a.penalise_bounds:
                m, pen, missed = penalised(fit_seeds, p, a.workers)
            else:
                m, pen, missed = mean_moments(model_moments(fit_seeds, p, a.workers)), 0.0, []
            j = distance(m, targets["windows"], targets["boot_sd"])
            log.append((j, p))
            penalties.append((pen, missed))
            print(f"[{len(log):3d}] J={j:8.3f}" + (f" penalty={pen:6.2f}" if a.penalise_bounds else "") + "  "
                  + "  ".join(f"{k}={v:.4g}" for k, v in p.items())
                  + (f"  missed={','.join(missed) or 'none'}" if a.penalise_bounds else "")
                  + f"  ({time.perf_counter() - t0:.0f} s)", flush=True)
            return j + pen

        res = minimize(objective, x0, method="Nelder-Mead",
                       options=dict(initial_simplex=simplex, maxfev=a.maxfev, xatol=0.02, fatol=0.05))
        params = fit_params(fixed, res.x)
        print(f"\nfit on seeds {fit_seeds[0]}-{fit_seeds[-1]}: objective {res.fun:.3f} after {res.nfev} evaluations")
        print("fitted: " + json.dumps(params))
        if a.out:
            with open(a.out, "w") as fh:
                json.dump({"params": params, "objective": res.fun, "fit_seeds": fit_seeds,
                           "penalise_bounds": a.penalise_bounds, "evaluations": log, "penalties": penalties}, fh, indent=1)
    seeds = seeds_of(a.seeds or ("101-120" if a.fit else "1-20"))
    table(targets, model_moments(seeds, params, a.workers), seeds, params, interval=a.interval)


if __name__ == "__main__":
    main()
