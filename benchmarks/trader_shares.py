"""Does the market open in its own steady state? The traders' strategy mix and the day's trading
noise over the first days of a run against the rest of it.

The switching between fundamentalists and chartists (``agents/traders.py``) has a long-run share
of fundamentalists set by its parameters (predisposition, herding, misalignment) and the market's
mispricing. If the run opens far from it, the first weeks are a start-up transient: chartists'
belief noise is many times fundamentalists', so every price is far more volatile than it will be
later - in the very window of the autumn-2025 announcement days. For each seed, a 6-year
baseline: the share of fundamentalists among the traders who may switch (the committed value
investors left out, as ``trader_initial_fundamentalist_share`` counts them) and, per listed firm,
the day's log move less the outside holders' revision of its value (orders and noise: what the
strategy mix drives). Prints, by window of trading days, the mean share over seeds and days and
the standard deviation of that move, as a ratio to days 250-1,511; and the long-run share (days
250-1,511) beside the parameter's value. Then, by year of the run, the share, the market's
mispricing (the root of the cap-weighted mean squared log(consensus fair value / price) at the
close: what the switching's misalignment term reads), the hyperscalers' annualised volatility, the
traders' wealth as a share of the listed firms' value (what their orders, and so the price impact,
scale with) and the standard deviation of the hyperscalers' daily net purchase from the outside
holders as a share of their float (the order flow the price meets).

    python benchmarks/trader_shares.py [--seeds 1-8] [--workers 2] [--set name=value ...]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from market_bounds import seeds_of

DAYS = 1512
WINDOWS = ((0, 7), (7, 20), (20, 60), (60, 120), (120, 250), (250, DAYS))
LONG_RUN = (250, DAYS)


def one(args) -> dict:
    seed, params = args
    from ailoop.model import Economy

    economy = Economy(seed=seed, checks=False, **params)
    traders = economy.exchange.traders
    free = ~traders.committed
    n_firms = len(economy.exchange.ids)
    share, gap2, wealth = np.empty(DAYS), np.empty(DAYS), np.empty(DAYS)
    rest, ret, flow = (np.full((DAYS, n_firms), np.nan) for _ in range(3))
    for d in range(DAYS):
        close = np.asarray(economy.exchange.market.prices).copy()   # the orders' prices (last close)
        economy.step()
        last = economy.exchange.last
        share[d] = traders.is_fundamentalist[free].mean()
        move = np.asarray(last.log_returns) - np.asarray(last.extra["d_anchor"])
        alive = np.array([not f.defaulted for f in economy.exchange.firms])
        rest[d] = np.where(alive, move, np.nan)
        ret[d] = np.where(alive, last.log_returns, np.nan)
        # the market's squared log mispricing at the close, cap-weighted over the trading firms
        caps = np.where(alive, last.market_caps, 0.0)
        g = np.log(np.where(alive, last.fair_value / last.prices, 1.0))
        gap2[d] = float(np.dot(caps / caps.sum(), g * g))
        # the traders' wealth against the listed firms' value, and each firm's net purchase from the
        # outside holders as a share of what they held before it (the float the day's price met)
        wealth[d] = float(traders.wealth(np.asarray(last.prices)).sum()) / caps.sum()
        bought = np.asarray(last.excess_demand) / close                       # billions of shares
        before = economy.exchange.outside_float() + bought
        flow[d] = np.where(alive & (before > 0), bought / np.where(before > 0, before, 1.0), np.nan)
    return {"share": share, "gap2": gap2, "rest": rest, "ret": ret, "wealth": wealth, "flow": flow,
            "ids": list(economy.exchange.ids),
            "initial": float(economy.params["trader_initial_fundamentalist_share"])}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="1-8")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="change a parameter in every run")
    a = ap.parse_args()
    from ailoop.runs.cli import checked_sets

    try:
        seeds = seeds_of(a.seeds)
        params = checked_sets(a.set)
    except ValueError as err:
        ap.error(f"{err} (--seeds A-B or A,B,...; --set NAME=VALUE with NAME from `ailoop params`)")
    with ProcessPoolExecutor(a.workers) as ex:
        runs = list(ex.map(one, [(s, params) for s in seeds]))
    ids = runs[0]["ids"]
    share = np.array([r["share"] for r in runs])                 # (seeds, days)
    rest = np.array([r["rest"] for r in runs])                   # (seeds, days, firms)
    lo, hi = LONG_RUN
    ref = np.nanstd(rest[:, lo:hi], axis=(0, 1))
    print(f"Baseline, 6 years, seeds {seeds[0]}-{seeds[-1]}{' ' + str(params) if params else ''}; "
          f"trader_initial_fundamentalist_share = {runs[0]['initial']:.3f}")
    print("| trading days | fundamentalist share (free traders), mean | "
          + " | ".join(f"{n} sd / long run" for n in ids) + " |")
    print("|---|---|" + "---|" * len(ids))
    for w0, w1 in WINDOWS:
        sd = np.nanstd(rest[:, w0:w1], axis=(0, 1)) / ref
        print(f"| {w0}-{w1 - 1} | {share[:, w0:w1].mean():.3f} | " + " | ".join(f"{x:.2f}" for x in sd) + " |")
    print(f"long-run fundamentalist share among free traders (days {lo}-{hi - 1}, mean over seeds and days): "
          f"{share[:, lo:hi].mean():.3f} (sd over seeds {share[:, lo:hi].mean(axis=1).std():.3f}); "
          f"the run opens at {runs[0]['initial']:.3f}")
    print(f"(the day's move less the outside holders' revision of value, per firm: its sd over seeds and days "
          f"in the window, divided by days {lo}-{hi - 1}'s; days 7-60 include the cloud's and chip_challenger's "
          f"disagreement after their announcements)")
    gap2 = np.array([r["gap2"] for r in runs])
    ret = np.array([r["ret"] for r in runs])
    hyp = [ids.index(n) for n in ids if n.startswith("hyper_")]
    print()
    print("By year of the run (means over seeds and days):")
    wealth = np.array([r["wealth"] for r in runs])
    flow = np.array([r["flow"] for r in runs])
    print("| year | fundamentalist share | mispricing, RMS log(fair value / price) | hyperscalers' annualised volatility "
          "| traders' wealth, share of the listed firms' value | hyperscalers' daily net purchase from the float, "
          "sd (share of the float) |")
    print("|---|---|---|---|---|---|")
    for y in range(DAYS // 252):
        w = slice(252 * y, 252 * (y + 1))
        vol = np.nanmean(np.nanstd(ret[:, w][:, :, hyp], axis=1)) * np.sqrt(252.0)
        sd_flow = np.nanmean(np.nanstd(flow[:, w][:, :, hyp], axis=1))
        print(f"| {y + 1} | {share[:, w].mean():.3f} | {np.sqrt(gap2[:, w].mean()):.3f} | {vol:.3f} "
              f"| {wealth[:, w].mean():.3f} | {sd_flow:.4f} |")


if __name__ == "__main__":
    main()
