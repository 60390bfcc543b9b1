"""Do a firm's returns trend because its fundamentals do? The autocorrelation of its daily returns
beside that of its fair value's daily changes, seed by seed.

For one listed firm and each seed (6-year runs, or ``--years``) it prints the mean |ACF| over lags
1-10 of the firm's daily log return (``return.<id>``) and of the daily log change of its fair value
(``fair_value.<id>``, the value per share the representative trader finds: the fundamentals), and
their standard deviations (1/day). The last line pools over seeds the way
``benchmarks/economy_stylized_facts.py`` does: the mean over lags of |the mean over seeds of the
ACF at that lag| (the bound for returns there is 0.03). A price that follows a fair value which
moves for months in one direction trends too: compare the two columns, and the same seeds with a
parameter changed (``--set``).

    python benchmarks/trend_in_returns.py --firm neocloud --scenario history --seeds 1-20
        [--set history_capex_neocloud=0] [--years 6] [--workers 2]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from calibrate_market import seeds_of

LAGS = range(1, 11)


def acf_lags(x: np.ndarray) -> np.ndarray:
    """The sample ACF of ``x`` at lags 1-10 (demeaned, full-sample denominator: runs/moments.acf)."""
    from ailoop.runs.moments import acf

    return acf(x, LAGS)


def pooled(acfs: list[np.ndarray]) -> float:
    """Mean over lags of |the mean over seeds of the ACF at that lag|."""
    return float(np.mean(np.abs(np.mean(acfs, axis=0))))


def listed_firms(scenario: str, seed: int, params: dict) -> list[str]:
    """The ids of the firms with a market price in ``scenario`` (read from its opening)."""
    from ailoop.model import Economy

    eco = Economy(scenario=scenario, seed=seed, checks=False, **params)
    return sorted(a.aid for a in eco.agents if getattr(a, "public", False))


def one(args) -> dict:
    """One seed: the firm's daily log returns and its fair value's daily log changes, and their ACFs."""
    seed, scenario, firm, years, params = args
    from ailoop.model import Economy

    eco = Economy(scenario=scenario, seed=seed, checks=False, **params)
    eco.run(years=years)
    df = eco.datacollector.get_model_vars_dataframe()
    r = df[f"return.{firm}"].to_numpy(float)
    fv = df[f"fair_value.{firm}"].to_numpy(float)
    alive = np.isfinite(r) & np.isfinite(fv) & (fv > 0)
    r, fv = r[alive], fv[alive]
    dfv = np.diff(np.log(fv))
    r = r[1:]
    return {"seed": seed, "acf_r": acf_lags(r), "acf_fv": acf_lags(dfv), "sd_r": float(r.std()), "sd_fv": float(dfv.std())}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--firm", required=True, help="a listed firm's id (cloud, neocloud, chip_leader, hyper_1, ...)")
    ap.add_argument("--scenario", default="history")
    ap.add_argument("--seeds", default="1-20")
    ap.add_argument("--years", type=float, default=6.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="change a parameter in every run")
    a = ap.parse_args(argv)
    from ailoop.model.scenarios import SCENARIOS
    from ailoop.runs.cli import sets_or_exit

    params = sets_or_exit(ap, a.set)
    if a.scenario not in SCENARIOS:
        ap.error(f"--scenario {a.scenario!r} is not allowed; allowed: {', '.join(sorted(SCENARIOS))}")
    if not 0.5 <= a.years <= 30.0:
        ap.error(f"--years {a.years:g} is out of range; allowed: [0.5, 30]")
    seeds = seeds_of(a.seeds)
    listed = listed_firms(a.scenario, seeds[0], params)
    if a.firm not in listed:
        ap.error(f"--firm {a.firm!r} is not a listed firm of {a.scenario}; allowed: {', '.join(listed)}")
    with ProcessPoolExecutor(a.workers) as ex:
        rows = list(ex.map(one, [(s, a.scenario, a.firm, a.years, params) for s in seeds]))
    changed = "".join(f", {k}={v}" for k, v in params.items())
    print(f"{a.firm}, {a.scenario}, {a.years:g} years, seeds {seeds[0]}-{seeds[-1]}{changed}: mean |ACF| over lags 1-10 "
          f"of the daily log return (r) and of the fair value's daily log change (fv); sd in 1/day")
    print(f"{'seed':>5s} {'|acf r|':>8s} {'|acf fv|':>9s} {'sd r':>7s} {'sd fv':>7s}")
    for x in rows:
        print(f"{x['seed']:5d} {np.mean(np.abs(x['acf_r'])):8.3f} {np.mean(np.abs(x['acf_fv'])):9.3f} "
              f"{x['sd_r']:7.4f} {x['sd_fv']:7.4f}")
    print(f"pooled over seeds (as economy_stylized_facts.py): returns {pooled([x['acf_r'] for x in rows]):.3f}, "
          f"fair value {pooled([x['acf_fv'] for x in rows]):.3f}")


if __name__ == "__main__":
    main()
