"""Out-of-sample: the 2025 announcement days and the wealth the first two months add, over seeds.

Nothing here was a calibration target (the market is fitted on the S&P 500's moments only,
``benchmarks/calibrate_market.py``). For each seed, a baseline run through the October 2025 deals:
the model's return of the cloud on the lab-cloud contract day (real: +36% on 2025-09-10/11), of
chip_leader on its $100B staged-investment day (real: ~+4% on 2025-09-22) and of chip_challenger
on its 6 GW deal with warrants (real: +24% on 2025-10-06, reporting), with the market-cap gains;
then ``wealth_amplification`` - the change in the loop's market value per $ actually paid between
its firms - after the first two months (42 trading days), with the default ``backlog_pricing`` and
with ``backlog_pricing = 0`` (markets price cash, not promises), same seeds.

A second table takes each announcement day apart: the outside holders' revision of the firm's
value (the move of their reservation value, ``d_anchor``: the deal's backlog and news priced at
once, the same in every seed up to the day's mood), and the rest of the day's move (the traders'
and the ETF's orders against the float, the day's noise); the circuit breaker binds when the two
together would pass ``market_max_daily_move``. The rest is set beside its spread on the other days
of the two months, so a breaker day can be told apart from a day of unusual trading.

    python benchmarks/announcement_returns.py [--seeds 20] [--first-seed 1] [--workers 2] [--set name=value ...]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np

EVENTS = (("cloud", "lab-cloud contract", "+36%", 0.36, 250.0),
          ("chip_leader", "chip_leader staged investment in lab", "~+4%", 0.04, 170.0),
          ("chip_challenger", "chip_challenger 6 GW and warrants", "+24% (reporting)", 0.24, None))
TWO_MONTHS = 42


def one(args) -> dict:
    seed, params = args
    from ailoop.model import Economy
    from ailoop.model.metrics import announcements

    economy = Economy(seed=seed, checks=False, **params)
    limit = float(economy.params["market_max_daily_move"])
    ids = list(economy.exchange.ids)
    days = {}   # step -> (the outside holders' revision, the day's move), log, per firm
    for _ in range(TWO_MONTHS):
        economy.step()
        last = economy.exchange.last
        days[economy.steps] = (np.asarray(last.extra["d_anchor"]).copy(), np.asarray(last.log_returns).copy())
    out = {"amplification": float(economy.datacollector.get_model_vars_dataframe()["wealth_amplification"].iloc[-1])}
    t = announcements(economy).set_index(["firm", "deal"])
    news_days = set()
    for firm, deal, *_ in EVENTS:
        j, step = ids.index(firm), int(t.loc[(firm, deal), "step"])
        news_days.add(step)
        revision, move = days[step][0][j], days[step][1][j]
        out[(firm, deal)] = (float(t.loc[(firm, deal), "firm_return"]), float(t.loc[(firm, deal), "firm_mcap_change"]),
                             float(revision), float(move - revision), bool(abs(move) >= limit - 1e-12))
    # the rest of the move on the other days of the two months, per firm (the spread of ordinary trading)
    others = np.array([mv - rv for k, (rv, mv) in days.items() if k not in news_days])
    out["rest_other_days"] = {firm: others[:, ids.index(firm)] for firm, *_ in EVENTS}
    out["limit"] = limit
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="change a parameter in every run")
    a = ap.parse_args()
    if a.seeds < 1 or a.first_seed < 0:
        ap.error(f"--seeds must be >= 1 and --first-seed >= 0, got {a.seeds} and {a.first_seed}")
    from ailoop.runs.cli import sets_or_exit

    params = sets_or_exit(ap, a.set)
    seeds = list(range(a.first_seed, a.first_seed + a.seeds))
    with ProcessPoolExecutor(a.workers) as ex:
        runs = list(ex.map(one, [(s, params) for s in seeds]))
        unpriced = list(ex.map(one, [(s, {**params, "backlog_pricing": 0.0}) for s in seeds]))
    print(f"Baseline, seeds {seeds[0]}-{seeds[-1]}{' ' + str(params) if params else ''}; out of sample "
          f"(no announcement day was a calibration target)")
    print(f"| firm | announcement | model return, mean ± sd ({a.seeds} seeds) | real | model / real "
          f"| model market-cap gain ($B) | real ($B) |")
    print("|---|---|---|---|---|---|---|")
    for firm, deal, real, real_r, real_cap in EVENTS:
        r = np.array([x[(firm, deal)] for x in runs])
        cap = f"{real_cap:.0f}" if real_cap else "—"
        print(f"| {firm} | {deal} | {100 * r[:, 0].mean():+.1f}% ± {100 * r[:, 0].std():.1f}% | {real} | "
              f"{r[:, 0].mean() / real_r:.2f} | {r[:, 1].mean():,.0f} | {cap} |")
    limit = runs[0]["limit"]
    print()
    print(f"What makes each announcement day's move (log returns; the circuit breaker at +/-{limit:.2f}, "
          f"{np.expm1(limit):+.0%}):")
    print("| firm | outside holders' revision, mean ± sd | room to the breaker | the rest (orders, noise), mean ± sd "
          "| the rest on the other days, sd | days at the breaker (seeds) |")
    print("|---|---|---|---|---|---|")
    for firm, deal, *_ in EVENTS:
        r = np.array([x[(firm, deal)][2:4] for x in runs])
        hit = [s for s, x in zip(seeds, runs) if x[(firm, deal)][4]]
        sd_other = np.concatenate([x["rest_other_days"][firm] for x in runs]).std()
        print(f"| {firm} | {r[:, 0].mean():+.3f} ± {r[:, 0].std():.3f} | {limit - r[:, 0].mean():.3f} "
              f"| {r[:, 1].mean():+.3f} ± {r[:, 1].std():.3f} "
              f"| {sd_other:.3f} | {len(hit)}{' (' + ', '.join(map(str, hit)) + ')' if hit else ''} |")
    amp = np.array([x["amplification"] for x in runs])
    amp0 = np.array([x["amplification"] for x in unpriced])
    print(f"wealth_amplification after two months ($ of market value per $ paid): "
          f"mean {amp.mean():.1f} (range {amp.min():.1f} to {amp.max():.1f}); with backlog_pricing = 0: "
          f"mean {amp0.mean():.1f} (range {amp0.min():.1f} to {amp0.max():.1f}), "
          f"{100 * (1 - amp0.mean() / amp.mean()):.0f}% lower (same seeds)")


if __name__ == "__main__":
    main()
