"""Month by month, the hyperscalers' capacity against their own demand and chip_leader's sales.

For one seed of a scenario: for each hyperscaler, its utilisation (share of online GW that earns),
GW online, GW in its pipeline (begun, not yet online), the GW its own AI services demand and
whether its capex review defers builds this month (``D``); for chip_leader, its AI revenue of the
month ($B), its order book in months of production and its new-GPU price ($ thousand). What it is
for: to see where new capacity goes and why builds stop (``docs/calibration.md``, deliveries
timed to the shells).

    python benchmarks/capacity_path.py [--seed 1] [--scenario history] [--months 36] [--every 3] [--set name=value ...]
"""

from __future__ import annotations

import argparse

STEPS_PER_MONTH = 21


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scenario", default="history")
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--every", type=int, default=3, help="print every this many months")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="change a parameter")
    a = ap.parse_args()
    from ailoop.model.scenarios import SCENARIOS
    from ailoop.runs.cli import checked_sets

    try:
        params = checked_sets(a.set)
    except ValueError as err:
        ap.error(f"{err} (--set NAME=VALUE with NAME from `ailoop params`)")
    if a.scenario not in SCENARIOS:
        ap.error(f"--scenario {a.scenario!r} is not a scenario; allowed: {', '.join(SCENARIOS)}")
    if not 1 <= a.months <= 360 or not 1 <= a.every <= a.months:
        ap.error(f"--months {a.months} / --every {a.every}: allowed 1 <= months <= 360, 1 <= every <= months")
    from ailoop.model import Economy

    eco = Economy(scenario=a.scenario, seed=a.seed, **params)
    hypers = list(eco.hyperscalers)
    chip = eco.agent("chip_leader")
    changed = "".join(f", {k}={v}" for k, v in params.items())
    print(f"{a.scenario}, seed {a.seed}{changed}. Hyperscalers: utilisation / GW online / GW in the pipeline / "
          f"GW own demand (D: builds deferred). chip_leader: AI revenue of the month $B, order book in months "
          f"of production, new-GPU price $k")
    for m in range(a.months):
        for _ in range(STEPS_PER_MONTH):
            eco.step()
        if (m + 1) % a.every:
            continue
        cells = [f"{h.aid}: {h.utilisation():.2f} / {h.online_gw:4.1f} / {h.fleet.pipeline_gw():4.1f} / "
                 f"{h.own_demand_gw():4.1f}{' D' if h.deferring else '  '}" for h in hypers]
        print(f"month {m:3d}  " + "  ".join(cells) + f"  | chip_leader {chip.flow.get('revenue_ai', 0.0):5.1f} $B, "
              f"{chip.backlog_months():5.1f} months, ${chip.gpu_price:5.1f}k")


if __name__ == "__main__":
    main()
