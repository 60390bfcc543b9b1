"""How much of the music_stops spiral runs through sentiment, and how much through balance sheets.

The same seeds run four ways (6 years each): baseline and music_stops, with every sentiment
channel on (the defaults) and with all three off (``sentiment_returns``, ``sentiment_news`` and
``sentiment_lab_growth`` false: the mood then only decays from its start). The gap between the
scenarios' median drawdowns (the largest fall of the loop's market value after June 2026 from its
earlier peak, as in ``benchmarks/scenario_stats.py``) splits into the part that remains with the
sentiment channels off - the balance-sheet channels: failed rounds, cancelled contracts, backlog
marked down at the lab's payment odds, fire sales, defaults - and the part the channels add.

    python benchmarks/spiral_decomposition.py [--seeds 20] [--workers 2]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from scenario_stats import one

OFF = {"sentiment_returns": False, "sentiment_news": False, "sentiment_lab_growth": False}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    seeds = range(1, a.seeds + 1)
    cases = [(s, k, p) for p in ({}, OFF) for s in ("baseline", "music_stops") for k in seeds]
    with ProcessPoolExecutor(a.workers) as ex:
        rows = list(ex.map(one, cases))
    dd = {}
    for (scenario, _, p), row in zip(cases, rows):
        dd.setdefault((scenario, bool(p)), []).append(row["drawdown"])
    med = {k: float(np.median(v)) for k, v in dd.items()}
    gap_all = med[("music_stops", False)] - med[("baseline", False)]
    gap_bs = med[("music_stops", True)] - med[("baseline", True)]
    print(f"median drawdown after June 2026, 6-year runs, seeds 1-{a.seeds}:")
    print(f"  {'':28s} {'baseline':>9s} {'music_stops':>12s} {'gap':>6s}")
    print(f"  {'sentiment channels on':28s} {med[('baseline', False)]:9.2f} {med[('music_stops', False)]:12.2f} {gap_all:6.2f}")
    print(f"  {'sentiment channels off':28s} {med[('baseline', True)]:9.2f} {med[('music_stops', True)]:12.2f} {gap_bs:6.2f}")
    print(f"music_stops' gap to the baseline: {gap_all:.2f} = balance-sheet channels {gap_bs:.2f} "
          f"+ sentiment channels {gap_all - gap_bs:.2f}")


if __name__ == "__main__":
    main()
