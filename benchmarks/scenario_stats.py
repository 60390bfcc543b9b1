"""Cascade statistics per scenario over many seeds (6-year runs), for docs/results.md and the notes.

For each scenario and seed: which firms defaulted, whether a firm other than the labs defaulted
(a cascade beyond the lab), whether a firm other than the labs breached a loan covenant (and
cured it) and whether one had a loan in default (an event of default, a cross-default) or was
rescued, the largest fall of the loop's market value after June 2026 (the shock date) from its
earlier peak and from its value on the shock date, the market value 24 months after the shock and
at the end against the same seed's baseline (the paths coincide until the shock), and the who-paid
losses of every holder class. Prints a table of frequencies and medians, then the who-paid table
(median losses by holder class); ``--out FILE.csv`` keeps the per-run rows. Every run is
reproducible from its scenario and seed (seeds K..K+N-1, ``--first-seed K``, default 1; ``--set
name=value`` changes a parameter in every run, e.g. the sentiment channels off). The presets run on
the baseline base (``BASE``), the world the paired comparisons share. Usage:
``python benchmarks/scenario_stats.py [--seeds 20] [--first-seed 1] [--workers 2] [--out outputs/scenario_stats.csv] [--set name=value ...]``
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from ailoop.runs.output import check_out_option, write_table

SCENARIOS = ("baseline", "music_stops", "lab_disappoints", "gpu_glut", "credit_crunch", "market_creation", "vendor_financing_2000")
SHOCK_STEP = 189  # first trading day of June 2026
LABS = {"lab", "lab_spv"}
LOAN_DEFAULT = ("event of default", "cross-default", "rescue")
LOSS_CLASSES = ("venture_funds", "bond_buyers", "chipmakers", "hyperscalers", "retail", "traders", "other")


#: the base the presets apply on: the baseline, as the paired comparisons with it need
BASE = "baseline"


def on_base(scenario: str) -> str | None:
    """The base ``scenario`` runs on here (None for a base itself)."""
    from ailoop.model.scenarios import get_scenario

    return None if get_scenario(scenario).is_base else BASE


def one(args) -> dict:
    scenario, seed, params = args if len(args) == 3 else (*args, {})
    from ailoop.model import Economy

    economy = Economy(scenario=scenario, seed=seed, checks=False, base=on_base(scenario), **params)
    economy.run(years=6)
    df = economy.datacollector.get_model_vars_dataframe()
    mv = df["market_value_total"].to_numpy()
    before, after = mv[:SHOCK_STEP], mv[SHOCK_STEP:]
    defaulted = sorted(economy.defaults.defaulted)
    last = df.iloc[-1]
    in_default = sorted({(e["cause"].split(":", 1)[0] if e["event"] == "rescue" else e["agent"])
                         for e in economy.events if e["event"] in LOAN_DEFAULT} - LABS)
    breached = sorted({e["agent"] for e in economy.events if e["event"] == "covenant breach"} - LABS)
    row = dict(scenario=scenario, seed=seed, defaults=len(defaulted), defaulted=" ".join(defaulted),
               lab_default="lab" in defaulted, beyond_lab=bool(set(defaulted) - LABS),
               covenant_breach=" ".join(breached), breach_beyond_lab=bool(breached),
               loan_default=" ".join(in_default), loan_default_beyond_lab=bool(in_default),
               drawdown=float(1.0 - after.min() / before.max()),
               drawdown_4y=float(np.max(1.0 - mv[:1008] / np.maximum.accumulate(mv[:1008]))),
               fall_after_shock=float(1.0 - after.min() / mv[SHOCK_STEP]),
               mv_shock=float(mv[SHOCK_STEP]), mv_24m=float(mv[min(SHOCK_STEP + 504, len(mv) - 1)]),
               mv_end=float(mv[-1]), mv_end_vs_start=float(mv[-1] / mv[0]))
    row.update({c: float(last[c]) for c in df.columns if c.startswith("loss.")})
    return row


def ratio_interval(df: pd.DataFrame, scenario: str, draws: int = 2000, seed: int = 0) -> tuple[float, float]:
    """95% percentile-bootstrap interval of the ratio of median drawdowns, ``scenario`` over the
    baseline: seeds resampled with replacement (the same seeds for both, as the runs are paired by
    seed), ``draws`` resamples from ``numpy.random.default_rng(seed)``."""
    a = df[df.scenario == scenario].set_index("seed")["drawdown"]
    b = df[df.scenario == "baseline"].set_index("seed")["drawdown"].loc[a.index]
    x, y = a.to_numpy(), b.to_numpy()
    idx = np.random.default_rng(seed).integers(0, x.size, size=(draws, x.size))
    r = np.median(x[idx], axis=1) / np.median(y[idx], axis=1)
    return float(np.percentile(r, 2.5)), float(np.percentile(r, 97.5))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20, help="how many seeds")
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default=None)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    a = ap.parse_args()
    check_out_option(ap, a.out)
    if a.seeds < 1 or a.first_seed < 0:
        ap.error(f"--seeds must be >= 1 and --first-seed >= 0, got {a.seeds} and {a.first_seed}")
    seeds = range(a.first_seed, a.first_seed + a.seeds)
    from ailoop.runs.cli import sets_or_exit

    params = sets_or_exit(ap, a.set)
    jobs = [(s, k, params) for s in SCENARIOS for k in seeds]
    with ProcessPoolExecutor(a.workers) as ex:
        rows = list(ex.map(one, jobs))
    df = pd.DataFrame(rows)
    if a.out:
        write_table(df, a.out)
    # common random numbers: a scenario and the baseline share a seed's path until the shock, so the
    # ratio of their market values after it is the shock's effect on that path
    base = df[df.scenario == "baseline"].set_index("seed")
    for col in ("mv_24m", "mv_end"):
        df[f"{col}_vs_baseline"] = df[col].to_numpy() / base.loc[df["seed"], col].to_numpy()
    g = df.groupby("scenario", sort=False)
    table = pd.DataFrame({
        "runs": g.size(),
        "lab defaults": g["lab_default"].mean(),
        "defaults beyond the labs": g["beyond_lab"].mean(),
        "covenant breaches beyond the labs": g["breach_beyond_lab"].mean(),
        "loans in default beyond the labs": g["loan_default_beyond_lab"].mean(),
        "median drawdown after Jun 2026": g["drawdown"].median(),
        "median fall from Jun 2026": g["fall_after_shock"].median(),
        "median value 24 months on / baseline": g["mv_24m_vs_baseline"].median(),
        "median value at end / baseline": g["mv_end_vs_baseline"].median(),
        "median losses, venture funds ($B)": g["loss.venture_funds"].median(),
        "median losses, bond buyers ($B)": g["loss.bond_buyers"].median(),
        "median losses, chipmakers ($B)": g["loss.chipmakers"].median(),
        "median losses, hyperscalers ($B)": g["loss.hyperscalers"].median(),
    }).loc[list(SCENARIOS)]
    print(f"6-year runs, seeds {seeds[0]}-{seeds[-1]}{' ' + str(params) if params else ''}")
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print(table.round(2).to_string())
        dd = g["drawdown"].median()
        lo, hi = ratio_interval(df, "music_stops")
        print(f"median drawdown after June 2026: music_stops / baseline = {dd['music_stops'] / dd['baseline']:.2f} "
              f"(bound >= 2; 95% bootstrap interval over seeds {lo:.2f}-{hi:.2f}; lab_disappoints, the labs' "
              f"demand alone: {dd['lab_disappoints'] / dd['baseline']:.2f}); "
              f"market_creation {dd['market_creation']:.2f} vs baseline {dd['baseline']:.2f}")
        dd4 = g["drawdown_4y"].median()
        print("median largest fall in the first 4 years: " + ", ".join(f"{s} {dd4[s]:.2f}" for s in SCENARIOS))
        who = g[[f"loss.{c}" for c in LOSS_CLASSES]].median().loc[list(SCENARIOS)]
        print("\nWho paid: median cumulative losses at the end by holder class ($B; negative = gains)")
        print(who.rename(columns=lambda c: c.removeprefix("loss.")).round(1).to_string())
        beyond = df[df.defaulted.str.len() > 0].groupby("scenario", sort=False)["defaulted"].apply(
            lambda s: ", ".join(f"{f} {n}" for f, n in pd.Series(" ".join(s).split()).value_counts().items()
                                if f not in LABS))
        print("\nDefaults by firm beyond the labs (runs out of the seeds):")
        print(beyond.reindex(list(SCENARIOS)).fillna("").to_string())


if __name__ == "__main__":
    main()
