"""Is the baseline's market bounded? Peaks, drawdowns, the circuit breaker and mispricing.

For each seed, a 6-year baseline: the AI loop's market value (``market_value_total``) and
chip_leader's market cap; the largest fall from a running peak within the first 4 years (1,008
trading days); the peak over the run against the opening value; the days on which the circuit
breaker bound (orders rationed or a move capped at ``market_max_daily_move``), and how many of them
fell in the first 60 trading days, the autumn-2025 announcement days (the out-of-sample window of
``benchmarks/announcement_returns.py``); and the 99th
percentile over days and listed firms of |log(consensus fair value / price)|. Prints the per-seed
rows with ``--rows``, each day the breaker bound with ``--days`` (its date, whether a month's
figures reached the market that day, the firms rationed or capped and their log returns), and the
medians over seeds against the issue's bounds.

    python benchmarks/market_bounds.py [--seeds 1-20] [--scenario baseline] [--workers 2] [--set name=value ...]
                                       [--rows] [--days]
"""

from __future__ import annotations

import argparse
import math
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

FIRST_4_YEARS = 4 * 252
#: the bounds on the medians over seeds: the largest fall of the loop's market value and of chip_leader's
#: market cap in the first 4 years (shares of the peak) and the peak over the opening value (x)
BOUNDS = {"fall_4y": 0.35, "fall_4y_chip_leader": 0.60, "peak": 3.0}
#: the first 60 trading days hold the 2025 announcement days (as ``economy_stylized_facts.py --from-day 60``)
ANNOUNCEMENT_WINDOW = 60


def seeds_of(text: str) -> list[int]:
    if "-" in text:
        a, b = text.split("-")
        return list(range(int(a), int(b) + 1))
    return [int(x) for x in text.split(",")]


def max_fall(v: np.ndarray) -> float:
    """Largest fall from a running peak, as a share of the peak."""
    return float(np.max(1.0 - v / np.maximum.accumulate(v)))


def one(args) -> dict:
    seed, scenario, params = args
    from ailoop.model import Economy

    economy = Economy(scenario=scenario, seed=seed, checks=False, **params)
    market = economy.exchange.market
    gaps, breaker, breaker_ann, days = [], 0, 0, []
    step = market.step
    limit = economy.params["market_max_daily_move"]

    def recorded(*a, **k):
        nonlocal breaker, breaker_ann
        day = market.day
        s = step(*a, **k)
        live = s.prices > 1e-5
        gaps.append(np.abs(np.log(s.fair_value[live] / s.prices[live])))
        breaker += bool(s.rationed)
        breaker_ann += bool(s.rationed) and day < ANNOUNCEMENT_WINDOW
        if s.rationed:
            days.append(breaker_day(seed, economy.date, day, market.names, s, limit))
        return s

    market.step = recorded
    economy.run(years=6)
    df = economy.datacollector.get_model_vars_dataframe()
    mv = df["market_value_total"].to_numpy()
    cl = df["mcap.chip_leader"].to_numpy()
    return dict(seed=seed, peak=float(mv.max() / mv[0]), peak_date=str(df["date"].iloc[int(mv.argmax())].date()),
                peak_value=float(mv.max()), fall_4y=max_fall(mv[:FIRST_4_YEARS]),
                fall_4y_chip_leader=max_fall(cl[:FIRST_4_YEARS]), breaker_days=breaker,
                breaker_days_2025=breaker_ann,
                gap_p99=float(np.percentile(np.concatenate(gaps), 99)), end=float(mv[-1] / mv[0]), days=days)


def breaker_day(seed: int, date, day: int, names: list[str], s, limit: float) -> dict:
    """One day the circuit breaker bound: its date, trading day, whether a month's figures reached
    the market that day (its first trading day), and each firm whose orders were rationed or whose
    move was capped, with its log return."""
    from ailoop.model.economy import STEPS_PER_MONTH

    fb = np.ones(len(names)) if s.fill_buy is None else np.asarray(s.fill_buy)
    fs = np.ones(len(names)) if s.fill_sell is None else np.asarray(s.fill_sell)
    bound = (fb < 1.0) | (fs < 1.0) | (np.abs(s.log_returns) >= limit * (1.0 - 1e-9))
    firms = ", ".join(f"{names[j]} {s.log_returns[j]:+.2f}" for j in np.flatnonzero(bound))
    return dict(seed=seed, date=str(date), trading_day=day, month_start=day % STEPS_PER_MONTH == 0, firms=firms)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="1-20")
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--rows", action="store_true", help="print one row per seed")
    ap.add_argument("--days", action="store_true",
                    help="print each day the circuit breaker bound: seed, date, whether it was a month's first "
                         "trading day, the firms rationed or capped and their log returns")
    a = ap.parse_args()
    from ailoop.runs.cli import sets_or_exit

    params = sets_or_exit(ap, a.set)
    seeds = seeds_of(a.seeds)
    with ProcessPoolExecutor(a.workers) as ex:
        rows = list(ex.map(one, [(s, a.scenario, params) for s in seeds]))
    df = pd.DataFrame(rows)
    breaker_days = pd.DataFrame([d for r in rows for d in r["days"]])
    df = df.drop(columns="days")
    if a.rows:
        with pd.option_context("display.width", 200):
            print(df.round(3).to_string(index=False))
    if a.days and len(breaker_days):
        with pd.option_context("display.width", 200, "display.max_colwidth", 120):
            print(breaker_days.to_string(index=False))
    med = df.median(numeric_only=True)
    gap99 = float(np.percentile(df["gap_p99"], 50))
    print(f"{a.scenario}, 6 years, seeds {a.seeds} ({len(seeds)} runs){' ' + str(params) if params else ''}")
    print(f"  median largest fall of the loop's market value in the first 4 years: {med['fall_4y']:.2f} (bound {BOUNDS['fall_4y']:.2f})")
    print(f"  median largest fall of chip_leader in the first 4 years:             {med['fall_4y_chip_leader']:.2f} (bound {BOUNDS['fall_4y_chip_leader']:.2f})")
    print(f"  median peak / opening value:                                      {med['peak']:.2f} (bound {BOUNDS['peak']:g})")
    print(f"  highest peak: {df['peak'].max():.2f}x (seed {int(df.loc[df['peak'].idxmax(), 'seed'])}, "
          f"{df.loc[df['peak'].idxmax(), 'peak_value'] / 1e3:,.1f} $T on {df.loc[df['peak'].idxmax(), 'peak_date']})")
    print(f"  days the circuit breaker bound: {int(df['breaker_days'].sum())} in all runs (bound 0), "
          f"{int(df['breaker_days_2025'].sum())} of them on the autumn-2025 announcement days (the first "
          f"{ANNOUNCEMENT_WINDOW} trading days)"
          + (f", {int(breaker_days['month_start'].sum())} on a month's first trading day" if a.days and len(breaker_days)
             else ""))
    print(f"  p99 of |log(fair value / price)| over days and firms: median over seeds {gap99:.2f}, "
          f"highest {df['gap_p99'].max():.2f} (bound log 3 = {math.log(3):.2f})")


if __name__ == "__main__":
    main()
