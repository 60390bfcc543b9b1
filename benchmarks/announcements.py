"""Announcement-day responses in the standalone market (20 seeds), as outputs of the model.

Two events, each on a fresh market after 20 quiet days, with the default parameters:

* the cloud firm (Oracle-like: $57B revenue run-rate, ~$680B market cap, $138B of backlog)
  announces $300B of new backlog recognised over 5 years (real Oracle, 2025-09-10: +36%);
* chipmaker 1 (NVIDIA-like: ~$4.3T) announces $100B of commitments over 5 years (real
  NVIDIA, 2025-09-22: ~+4%).

For each seed the day's simple return is compared with the same seed without the news (the
control), so the effect of the announcement is isolated. Repeated for backlog_pricing 0, 0.5
(default) and 1. Usage: ``python benchmarks/announcements.py [n_seeds]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np


from ailoop.model.markets.sandbox import ANNOUNCEMENT_WARMUP as WARMUP  # noqa: E402
from ailoop.model.markets.sandbox import announcement_day  # noqa: E402

EVENTS = {"cloud +$300B": (2, 300.0, 5.0), "chip_1 +$100B": (0, 100.0, 5.0)}


def main(n_seeds: int = 20) -> dict:
    out = {}
    print(f"{n_seeds} seeds; announcement on day {WARMUP}; return on the day (mean ± sd over seeds)")
    for bp in (0.0, 0.5, 1.0):
        for label, (firm, amount, years) in EVENTS.items():
            raw, ctl, caps = [], [], []
            for s in range(n_seeds):
                r, cap = announcement_day(s, firm, amount, years, bp)
                raw.append(r)
                caps.append(cap)
                ctl.append(announcement_day(s, firm, amount, years, bp, news=False)[0])
            raw, ctl = np.array(raw), np.array(ctl)
            eff = raw - ctl
            dcap = (raw * np.array(caps)).mean()
            out[(bp, label)] = (raw, eff)
            print(f"backlog_pricing={bp:.1f}  {label:14s} cap before ${np.mean(caps):6.0f}B  "
                  f"return {raw.mean():+.3f} ± {raw.std(ddof=1):.3f}  "
                  f"(vs control {eff.mean():+.3f} ± {eff.std(ddof=1):.3f}; range {raw.min():+.3f}..{raw.max():+.3f})  "
                  f"Δcap ${dcap:+.0f}B")
    return out


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:]])
