"""Speed of the vectorised populations against the per-agent reference, and of a 6-year run.

1. Per trading day, the time the populations take (``orders`` + ``settle``) inside a running
   standalone market: 200 traders x 8 firms and 10,000 retail holders, vectorised
   (``agents/traders.py``, ``agents/retail.py``) vs the per-agent reference
   (``agents/reference/``, via ``MarketSandbox(reference=True)``) (median over days; the ratio
   is the goal >= 30x).
2. 1,512 trading days (6 years) with the vectorised populations: the whole standalone market
   (synthetic fundamentals + market + sentiment) and the market steps alone (median of repeats;
   goal well under 1 s).

Usage: ``python benchmarks/bench_populations.py [days_per_day_timing] [repeats]``.
"""

from __future__ import annotations

import statistics
import sys
import time

from ailoop.model.markets.sandbox import MarketSandbox


def _timed(obj, names, sink):
    """Wrap methods of ``obj`` so each call's duration is added to today's entry of ``sink``."""
    for name in names:
        f = getattr(obj, name)

        def g(*a, _f=f, **k):
            t = time.perf_counter()
            out = _f(*a, **k)
            sink[-1] += time.perf_counter() - t
            return out
        setattr(obj, name, g)


def per_day_times(reference: bool, days: int, warmup: int = 10, seed: int = 0):
    """Per-day seconds spent in the trader and in the retail population."""
    sb = MarketSandbox(seed=seed, reference=reference)
    sb.run(warmup)
    traders, retail = [], []
    _timed(sb.traders, ("orders", "settle"), traders)
    _timed(sb.retail, ("orders", "settle", "contribute"), retail)
    for _ in range(days):
        traders.append(0.0)
        retail.append(0.0)
        sb.trade_day()
    return traders, retail


def six_years(repeats: int, days: int = 1512):
    """(wall seconds, CPU seconds, market-step wall seconds) for ``days`` days, fresh seeds."""
    total, cpu, market = [], [], []
    for r in range(repeats):
        sb = MarketSandbox(seed=100 + r)
        steps = [0.0]
        _timed(sb.market, ("step",), steps)
        t, c = time.perf_counter(), time.process_time()
        sb.run(days)
        total.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        market.append(steps[0])
    return total, cpu, market


def main(days: int = 60, repeats: int = 5) -> dict:
    vt, vr = per_day_times(False, days)
    rt, rr = per_day_times(True, days)
    res = {}
    print(f"per trading day, median over {days} days (mean in brackets)")
    for label, v, r in (("traders 200 x 8 firms", vt, rt), ("retail 10,000 holders", vr, rr),
                        ("both populations", [a + b for a, b in zip(vt, vr)], [a + b for a, b in zip(rt, rr)])):
        mv, mr = statistics.median(v), statistics.median(r)
        res[label] = mr / mv
        print(f"  {label:22s} vectorised {mv * 1e6:8.0f} us ({statistics.mean(v) * 1e6:6.0f})   "
              f"reference {mr * 1e3:8.2f} ms ({statistics.mean(r) * 1e3:6.2f})   speed-up {mr / mv:6.0f}x")
    total, cpu, market = six_years(repeats)
    print(f"1,512 trading days (6 years), vectorised, median of {repeats} runs: "
          f"whole standalone market {statistics.median(total):.3f} s wall "
          f"(min {min(total):.3f}, max {max(total):.3f}; CPU {statistics.median(cpu):.3f} s); "
          f"market steps alone {statistics.median(market):.3f} s")
    try:
        import os
        print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    except OSError:
        pass
    res["six_years_total"] = statistics.median(total)
    res["six_years_market"] = statistics.median(market)
    return res


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:]])
