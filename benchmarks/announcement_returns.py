"""Announcement-day returns in the full economy over N seeds, beside the real moves.

The model's return of the cloud on the lab-cloud contract day (real: +36% on 2025-09-11) and of
chip_leader on its $100B staged-investment day (real: ~+4% on 2025-09-22), plus the market value
added per $ committed. Usage: ``python benchmarks/announcement_returns.py [--seeds 20]``.
"""

from __future__ import annotations

import argparse

import numpy as np

EVENTS = (("cloud", "lab-cloud contract", "+36%", 250.0),
          ("chip_leader", "chip_leader staged investment in lab", "~+4%", 170.0),
          ("chip_challenger", "chip_challenger 6 GW and warrants", "+24% (reporting)", None))


def main() -> None:
    from ailoop.model import Economy
    from ailoop.model.metrics import announcements

    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    a = ap.parse_args()
    rows = {e[:2]: [] for e in EVENTS}
    for seed in range(1, a.seeds + 1):
        economy = Economy(seed=seed, checks=False)
        economy.run(years=0.15)  # through the October 2025 deals
        t = announcements(economy).set_index(["firm", "deal"])
        for key in rows:
            rows[key].append((t.loc[key, "firm_return"], t.loc[key, "firm_mcap_change"]))
    print(f"| firm | announcement | model return, mean ± sd ({a.seeds} seeds) | real | model market-cap gain ($B) | real ($B) |")
    print("|---|---|---|---|---|---|")
    for firm, deal, real, real_cap in EVENTS:
        r = np.array(rows[(firm, deal)])
        cap = f"{real_cap:.0f}" if real_cap else "—"
        print(f"| {firm} | {deal} | {100 * r[:, 0].mean():+.1f}% ± {100 * r[:, 0].std():.1f}% | {real} | "
              f"{r[:, 1].mean():,.0f} | {cap} |")


if __name__ == "__main__":
    main()
