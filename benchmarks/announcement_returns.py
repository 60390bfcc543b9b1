"""Out-of-sample: the 2025 announcement days and the wealth the first two months add, over seeds.

Nothing here was a calibration target (the market is fitted on the S&P 500's moments only,
``benchmarks/calibrate_market.py``). For each seed, a baseline run through the October 2025 deals:
the model's return of the cloud on the lab-cloud contract day (real: +36% on 2025-09-10/11), of
chip_leader on its $100B staged-investment day (real: ~+4% on 2025-09-22) and of chip_challenger
on its 6 GW deal with warrants (real: +24% on 2025-10-06, reporting), with the market-cap gains;
then ``wealth_amplification`` - the change in the loop's market value per $ actually paid between
its firms - after the first two months (42 trading days), with the default ``backlog_pricing`` and
with ``backlog_pricing = 0`` (markets price cash, not promises), same seeds.

    python benchmarks/announcement_returns.py [--seeds 20] [--workers 2]
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
    seed, backlog_pricing = args
    from ailoop.model import Economy
    from ailoop.model.metrics import announcements

    kw = {} if backlog_pricing is None else {"backlog_pricing": backlog_pricing}
    economy = Economy(seed=seed, checks=False, **kw)
    for _ in range(TWO_MONTHS):
        economy.step()
    out = {"amplification": float(economy.datacollector.get_model_vars_dataframe()["wealth_amplification"].iloc[-1])}
    t = announcements(economy).set_index(["firm", "deal"])
    for firm, deal, *_ in EVENTS:
        out[(firm, deal)] = (float(t.loc[(firm, deal), "firm_return"]), float(t.loc[(firm, deal), "firm_mcap_change"]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    seeds = list(range(1, a.seeds + 1))
    with ProcessPoolExecutor(a.workers) as ex:
        runs = list(ex.map(one, [(s, None) for s in seeds]))
        unpriced = list(ex.map(one, [(s, 0.0) for s in seeds]))
    print(f"Baseline, seeds 1-{a.seeds}; out of sample (no announcement day was a calibration target)")
    print(f"| firm | announcement | model return, mean ± sd ({a.seeds} seeds) | real | model / real "
          f"| model market-cap gain ($B) | real ($B) |")
    print("|---|---|---|---|---|---|---|")
    for firm, deal, real, real_r, real_cap in EVENTS:
        r = np.array([x[(firm, deal)] for x in runs])
        cap = f"{real_cap:.0f}" if real_cap else "—"
        print(f"| {firm} | {deal} | {100 * r[:, 0].mean():+.1f}% ± {100 * r[:, 0].std():.1f}% | {real} | "
              f"{r[:, 0].mean() / real_r:.2f} | {r[:, 1].mean():,.0f} | {cap} |")
    amp = np.array([x["amplification"] for x in runs])
    amp0 = np.array([x["amplification"] for x in unpriced])
    print(f"wealth_amplification after two months ($ of market value per $ paid): "
          f"mean {amp.mean():.1f} (range {amp.min():.1f} to {amp.max():.1f}); with backlog_pricing = 0: "
          f"mean {amp0.mean():.1f} (range {amp0.min():.1f} to {amp0.max():.1f}), "
          f"{100 * (1 - amp0.mean() / amp.mean()):.0f}% lower (same seeds)")


if __name__ == "__main__":
    main()
