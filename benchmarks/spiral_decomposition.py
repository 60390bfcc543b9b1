"""How much of the music_stops spiral runs through sentiment, and how much through balance sheets.

The same seeds run nine ways (6 years each): the baseline, music_stops (all AI end-user demand
disappoints) and lab_disappoints (the labs' demand alone), (a) as they are, (b) with all three
sentiment channels off (``sentiment_returns``, ``sentiment_news`` and ``sentiment_lab_growth``
false: the mood then only decays from its start), and (c) with the sentiment channels off and the
balance-sheet links cut as in ``tests/test_defaults.py`` (no cross-holdings, no contract-backed
loans, no new GPU-backed borrowing by the neocloud). The gap between a scenario's median drawdown
and the baseline's (the largest fall of the loop's market value after June 2026 from its earlier
peak, as in ``benchmarks/scenario_stats.py``) splits three ways: what remains in (c) - the direct
effect of lower AI revenue on the firms that earn it, the labs' failed rounds and cancelled
contracts, GPU prices; what the links add, (b) - (c): stakes written down, loans against the
cancelled contracts, collateral and fire sales along the links; and what sentiment adds, (a) - (b).

    python benchmarks/spiral_decomposition.py [--seeds 20] [--workers 2]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from scenario_stats import one

OFF = {"sentiment_returns": False, "sentiment_news": False, "sentiment_lab_growth": False}
CUT = {**OFF, "cross_holdings": False, "neocloud_ltv_target": 0.0, "contract_backed_loans": False}
CASES = (("as they are", {}), ("sentiment channels off", OFF), ("... and links cut", CUT))
SHOCKED = ("music_stops", "lab_disappoints")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    seeds = range(1, a.seeds + 1)
    cases = [(s, k, i) for i in range(len(CASES)) for s in ("baseline", *SHOCKED) for k in seeds]
    with ProcessPoolExecutor(a.workers) as ex:
        rows = list(ex.map(one, [(s, k, CASES[i][1]) for s, k, i in cases]))
    dd = {}
    for (scenario, _, i), row in zip(cases, rows):
        dd.setdefault((scenario, i), []).append(row["drawdown"])
    med = {k: float(np.median(v)) for k, v in dd.items()}
    print(f"median drawdown after June 2026 (fraction of the earlier peak), 6-year runs, seeds 1-{a.seeds}:")
    print(f"  {'':28s} {'baseline':>9s} " + " ".join(f"{s:>16s}" for s in SHOCKED))
    for i, (label, _) in enumerate(CASES):
        print(f"  {label:28s} {med[('baseline', i)]:9.2f} " + " ".join(f"{med[(s, i)]:16.2f}" for s in SHOCKED))
    for s in SHOCKED:
        gap = [med[(s, i)] - med[("baseline", i)] for i in range(len(CASES))]
        print(f"{s}: drawdown {med[(s, 0)] / med[('baseline', 0)]:.2f}x the baseline's; gap {gap[0]:.2f} = "
              f"revenue, rounds, contracts and GPU prices {gap[2]:.2f} + balance-sheet links {gap[1] - gap[2]:.2f} "
              f"+ sentiment channels {gap[0] - gap[1]:.2f}")

if __name__ == "__main__":
    main()
