"""Why did a firm's price move on a given day? The fundamentals the market valued it on, day by day.

Runs one economy (``--scenario``, ``--seed``, with the default checks) through the last of
``--days`` (trading days counted from 1, as ``market_bounds.py --days`` prints them) and prints,
for ``--firm`` on each of those days: the date; the close ($/share) and the fair value the traders
saw ($/share); market capitalisation ($B); then, as the market counted them (a month's new
figures phased in over ``market_signal_phase_in_days`` from its first day, so not always the
ledger's): net debt and enterprise value (market capitalisation plus net debt), $B; the revenue
run-rate ($B/yr), the backlog ($B), the years over which it is earned and the revenue a year it
delivers ($B/yr); the operating margin and the cost of capital (with ``channel_earnings``; share,
1/yr); and the price/sales multiple. Equity that is a
thin slice of the enterprise value moves by many times the change of the enterprise value.

    python benchmarks/valuation_trace.py --scenario history --seed 6 --firm cloud --days 1196-1199
"""

from __future__ import annotations

import argparse

COLUMNS = ("day", "date", "close", "fair", "mcap", "net_debt", "EV", "revenue", "backlog", "years",
           "backlog_rate", "margin", "cost_of_capital", "multiple")


def trace_rows(economy, firm: str, first: int, last: int) -> list[dict]:
    """Step ``economy`` to trading day ``last`` (from its current day) and return ``firm``'s row for
    each of days ``first``..``last``."""
    rows = []
    while economy.steps < last:
        economy.step()
        if economy.steps < first:
            continue
        ex = economy.exchange
        j = ex.ids.index(firm)
        sig, step = ex.last_signals, ex.last
        shares = float(sig.shares[j])
        close = float(step.prices[j])
        nd = float(sig.net_debt[j])
        opt = lambda a: float(a[j]) if a is not None else float("nan")  # noqa: E731
        rows.append({"day": economy.steps, "date": economy.date.isoformat(), "close": close,
                     "fair": float(step.fair_value[j]), "mcap": close * shares, "net_debt": nd,
                     "EV": close * shares + nd, "revenue": float(sig.revenue_run_rate[j]),
                     "backlog": float(sig.backlog[j]), "years": float(sig.backlog_years[j]),
                     "backlog_rate": float(sig.backlog_rate[j]), "margin": opt(sig.margin),
                     "cost_of_capital": opt(sig.discount_rate), "multiple": float(step.multiples[j])})
    return rows


def options() -> tuple[argparse.Namespace, dict, int, int]:
    from ailoop.model.economy import STEPS_PER_YEAR
    from ailoop.model.scenarios import SCENARIOS
    from ailoop.runs.cli import sets_or_exit

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="history", choices=sorted(SCENARIOS))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--firm", required=True, help="a listed firm's id (cloud, neocloud, chip_leader, hyper_1, ...)")
    ap.add_argument("--days", required=True, metavar="A-B", help="trading days A to B (1 = the opening day)")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="a parameter other than the table's default (names from `ailoop params`; repeatable)")
    a = ap.parse_args()
    params = sets_or_exit(ap, a.set)
    try:
        first, last = (int(x) for x in a.days.split("-"))
    except ValueError:
        ap.error(f"--days {a.days!r}: give trading days as A-B, such as 1196-1199")
    if not 1 <= first <= last <= 6 * STEPS_PER_YEAR:
        ap.error(f"--days {a.days!r}: A and B must satisfy 1 <= A <= B <= {6 * STEPS_PER_YEAR} (six years of trading days)")
    return a, params, first, last


def main() -> None:
    a, params, first, last = options()
    from ailoop.model import Economy

    economy = Economy(scenario=a.scenario, seed=a.seed, **params)
    if a.firm not in economy.exchange.ids:
        raise SystemExit(f"valuation_trace.py: error: --firm {a.firm!r} is not listed; allowed: "
                         f"{', '.join(economy.exchange.ids)}")
    rows = trace_rows(economy, a.firm, first, last)
    print(f"{a.firm}, {a.scenario}, seed {a.seed}, trading days {first}-{last} ($/share; $B; $B/yr; years; "
          f"margin a share of revenue; cost of capital 1/yr)")
    print(" ".join(f"{c:>12s}" for c in COLUMNS))
    for r in rows:
        print(" ".join(f"{r[c]:>12}" if isinstance(r[c], (int, str)) else f"{r[c]:12.4g}" for c in COLUMNS))


if __name__ == "__main__":
    main()
