"""Which channels carry a shock's extra fall: each channel's share, with bootstrap intervals.

For each shocked scenario (music_stops, lab_disappoints, gpu_glut, credit_crunch) and each seed,
the extra fall is the scenario's drawdown less the same seed's baseline drawdown (the largest fall
of the loop's market value after June 2026 from its earlier peak, as in
``benchmarks/scenario_stats.py``; the paths coincide until the shock). Each channel is switched off
in the baseline and the scenario alike (leave one out), and its share of the extra fall is

    share = 1 - mean over seeds of the extra fall without it / mean over seeds of the extra fall

(a channel that carries the fall has a share near 1, one that dampens it a negative share); a
share is printed only when the extra fall is distinguishable from zero (its interval excludes 0).
Each line also gives the extra fall without the channel and the change its removal makes
(without less with, paired by seed, with its interval), defined in every case. The
channels: valuation from earnings and the cost of capital (``channel_earnings``), ratings,
spreads and refinancing (``channel_ratings``), capex that answers to returns (``channel_capex``),
trade credit on terms (``channel_trade_credit``), the letter of intent (``channel_intent``),
finite outside capital (``channel_finite_capital``), rescues (``rescues``), the three sentiment
channels (``sentiment_returns``, ``sentiment_news``, ``sentiment_lab_growth``) and the balance-sheet
links (cross-holdings, contract-backed loans, the neocloud's GPU-backed borrowing). Shares need
not add up to 1: channels interact; the last line gives the extra fall with every channel
above off. Intervals are 95% percentile-bootstrap intervals over seeds (the seeds resampled with
replacement, the runs paired by seed), 2,000 draws from ``numpy.random.default_rng(0)``. This is a
finding reported as it comes out, not a target.

    python benchmarks/spiral_decomposition.py [--seeds 20] [--first-seed 1] [--workers 2]
        [--scenarios music_stops,lab_disappoints,gpu_glut,credit_crunch] [--channels all]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from scenario_stats import one

SENTIMENT = {"sentiment_returns": False, "sentiment_news": False, "sentiment_lab_growth": False}
LINKS = {"cross_holdings": False, "neocloud_ltv_target": 0.0, "contract_backed_loans": False}
#: (label, parameters that switch the channel off)
CHANNELS = (
    ("earnings and the cost of capital", {"channel_earnings": False}),
    ("ratings, spreads, refinancing", {"channel_ratings": False}),
    ("capex that answers to returns", {"channel_capex": False}),
    ("trade credit on terms", {"channel_trade_credit": False}),
    ("the letter of intent", {"channel_intent": False}),
    ("finite outside capital", {"channel_finite_capital": False}),
    ("rescues", {"rescues": False}),
    ("sentiment", SENTIMENT),
    ("balance-sheet links", LINKS),
)
ALL_OFF = {k: v for _, off in CHANNELS for k, v in off.items()}
SHOCKED = ("music_stops", "lab_disappoints", "gpu_glut", "credit_crunch")
DRAWS = 2000


def share_interval(all_on: np.ndarray, off: np.ndarray, draws: int = DRAWS) -> tuple[float, float, float]:
    """(share, low, high): 1 - mean(off) / mean(all_on) and its 95% bootstrap interval over seeds."""
    share = 1.0 - off.mean() / all_on.mean() if all_on.mean() != 0 else float("nan")
    idx = np.random.default_rng(0).integers(0, all_on.size, size=(draws, all_on.size))
    a, b = all_on[idx].mean(axis=1), off[idx].mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = 1.0 - b / a
    s = s[np.isfinite(s)]
    return float(share), float(np.percentile(s, 2.5)), float(np.percentile(s, 97.5))


def mean_interval(x: np.ndarray, draws: int = DRAWS) -> tuple[float, float, float]:
    idx = np.random.default_rng(0).integers(0, x.size, size=(draws, x.size))
    m = x[idx].mean(axis=1)
    return float(x.mean()), float(np.percentile(m, 2.5)), float(np.percentile(m, 97.5))


def channel_row(label: str, all_on: np.ndarray, off: np.ndarray) -> str:
    """One channel's line: its share of the extra fall with its interval — or ``n/a`` when the
    extra fall itself is not distinguishable from zero (its 95% interval holds 0: a share of
    nothing is not defined, and its bootstrap ratio is unstable) — the extra fall without it, and
    the change its removal makes (without less with, paired by seed) with its interval, which is
    defined whatever the extra fall."""
    _, lo_all, hi_all = mean_interval(all_on)
    if lo_all <= 0.0 <= hi_all:
        share = f"{'n/a':>7s} {'':>18s}"
    else:
        sh, lo, hi = share_interval(all_on, off)
        share = f"{sh:7.2f} [{lo:7.2f}, {hi:7.2f}]"
    d, dlo, dhi = mean_interval(off - all_on)
    return f"  {label:34s} {share}   {off.mean():6.3f}   {d:+.3f} [{dlo:+.3f}, {dhi:+.3f}]"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scenarios", default=",".join(SHOCKED))
    a = ap.parse_args()
    shocked = [s for s in a.scenarios.split(",") if s]
    unknown = [s for s in shocked if s not in SHOCKED]
    if unknown:
        ap.error(f"--scenarios: {unknown[0]!r} is not allowed; allowed: {', '.join(SHOCKED)}")
    seeds = list(range(a.first_seed, a.first_seed + a.seeds))
    cases = [("all on", {})] + list(CHANNELS) + [("every channel above off", ALL_OFF)]
    jobs = [(s, k, off) for _, off in cases for s in ("baseline", *shocked) for k in seeds]
    with ProcessPoolExecutor(a.workers) as ex:
        rows = list(ex.map(one, jobs))
    dd: dict[tuple[str, str], np.ndarray] = {}
    for i, (label, _) in enumerate(cases):
        for j, s in enumerate(("baseline", *shocked)):
            start = (i * (1 + len(shocked)) + j) * len(seeds)
            dd[(label, s)] = np.array([r["drawdown"] for r in rows[start:start + len(seeds)]])
    print(f"extra fall = drawdown after June 2026 less the same seed's baseline drawdown (fraction of the "
          f"earlier peak); 6-year runs, seeds {seeds[0]}-{seeds[-1]}; 95% bootstrap intervals over seeds")
    for s in shocked:
        extra = dd[("all on", s)] - dd[("all on", "baseline")]
        m, lo, hi = mean_interval(extra)
        print(f"\n{s}: mean extra fall {m:.3f} [{lo:.3f}, {hi:.3f}] (scenario {dd[('all on', s)].mean():.3f}, "
              f"baseline {dd[('all on', 'baseline')].mean():.3f})")
        if lo <= 0.0 <= hi:
            print("  (the extra fall is not distinguishable from zero: shares are not defined; the change "
                  "each channel's removal makes still is)")
        print(f"  {'channel':34s} {'share':>7s} {'95% interval':>18s}   {'without':>6s}   change [95% interval]")
        for label, _ in cases[1:-1]:
            off = dd[(label, s)] - dd[(label, "baseline")]
            print(channel_row(label, extra, off))
        rest = dd[("every channel above off", s)] - dd[("every channel above off", "baseline")]
        m, lo, hi = mean_interval(rest)
        print(f"  {'every channel above off':34s} extra fall {m:.3f} [{lo:.3f}, {hi:.3f}] (the direct effect)")


if __name__ == "__main__":
    main()
