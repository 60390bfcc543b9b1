"""Month by month, the hyperscalers' capacity against their own demand and chip_leader's sales.

For one seed of a scenario: for each hyperscaler, its utilisation (share of online GW that earns),
GW online, GW in its pipeline (begun, not yet online), the GW its own AI services demand, the
expected excess return on a new GW that its capex review compares with its first review's, and
whether the review defers its builds this month; for chip_leader, its AI revenue of the month
($B), its order book in months of production and its new-GPU price ($ thousand); the all-in capex
per GW and the spot rent. What it is for: to see where new capacity goes and why builds stop
(``docs/calibration.md``, deliveries timed to the shells).

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
    from ailoop.runs.cli import sets_or_exit

    params = sets_or_exit(ap, a.set)
    if a.scenario not in SCENARIOS:
        ap.error(f"--scenario {a.scenario!r} is not a scenario; allowed: {', '.join(SCENARIOS)}")
    if not 1 <= a.months <= 360 or not 1 <= a.every <= a.months:
        ap.error(f"--months {a.months} / --every {a.every}: allowed 1 <= months <= 360, 1 <= every <= months")
    from ailoop.model import Economy

    eco = Economy(scenario=a.scenario, seed=a.seed, **params)
    hypers = list(eco.hyperscalers)
    chip = eco.agent("chip_leader")
    changed = "".join(f", {k}={v}" for k, v in params.items())
    print(f"{a.scenario}, seed {a.seed}{changed}")
    print("each hyperscaler: utilisation (share), GW online, GW in its pipeline (begun, not online), GW its own "
          "services demand, the expected excess return on a new GW (1/year) against its first capex review, "
          "'defers' when the review defers its builds; chip_leader: AI revenue of the month ($B), order book "
          "(months of production), new-GPU price ($k); all-in capex per GW ($B) and the spot rent ($B per GW-year)")
    ctx = eco.ctx
    for m in range(a.months):
        for _ in range(STEPS_PER_MONTH):
            eco.step()
        if (m + 1) % a.every:
            continue
        for h in hypers:
            u = h.utilisation_now()
            first = f"{h.return_0:+.3f}" if h.return_0 is not None else "n/a"
            print(f"month {m:3d}  {h.aid}: utilisation {h.utilisation():.2f}, online {h.online_gw:5.2f} GW, pipeline "
                  f"{h.fleet.pipeline_gw():5.2f} GW, own demand {h.own_demand_gw():5.2f} GW, return "
                  f"{h.expected_excess_return(u):+.3f} (first review {first}){'  defers' if h.deferring else ''}")
        print(f"month {m:3d}  chip_leader: {chip.flow.get('revenue_ai', 0.0):5.1f} $B, {chip.backlog_months():5.1f} "
              f"months, ${chip.gpu_price:5.1f}k; capex {ctx.capex_per_gw():5.1f} $B per GW, spot rent "
              f"{12.0 * ctx.rent_per_gw_month():5.2f} $B per GW-year")

if __name__ == "__main__":
    main()
