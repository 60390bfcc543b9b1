"""The opening and first year of ``history`` against the filings and reports the deal book names.

For each seed, ``history`` from September 2025 for ``--years`` (default 1); at each date the table
names, the model's figure (the median over seeds, with the range), beside the figure filed or
reported for the real firm and the quality of its source ([P] filing, company release or major
wire; [S] established secondary outlet; [A] aggregator, unverified; docs/calibration.md#history).
Rows marked "input" are figures the model was given (the comparison only checks the plumbing);
the others are the model's own. The lab's commitments: what it has signed (binding) and what the
letters of intent it holds would add, at their peak, against the ~$1.4T announced; what it plans
to pay for compute through 2030 after its cut, against ~$600B. Capex: a firm's capex (shells paid
and GPUs delivered: cash spent) and its capex begun (shells and GPUs of the projects it started)
over the months the row names, at a yearly rate, against its guidance or its filed year. Debt:
the opening (before the first day) and later dates, against the filings and what the book's own
issues add to them. chip_leader's AI revenue (GPUs delivered) over NVIDIA's fiscal quarters,
against its data-centre revenue: the first quarter is part of the production's calibration
(``history_leader_capacity_growth``), the second is not. The cloud's 2026 funding: what the equity desk's buyers paid for its mandatory
convertible preferred and its at-the-market sales.
Whatever the comparison shows is printed as it is.

    python benchmarks/history_table.py [--seeds 1-20] [--years 1] [--checks] [--workers 2] [--set name=value ...]

With ``--checks`` every run checks its books (the default checks: every step, in full every month
and at the end) and the script reports how many seeds ran with balanced books (``--years 6
--checks``: the six-year runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
from concurrent.futures import ProcessPoolExecutor

import numpy as np

STEPS_PER_MONTH = 21


def seeds_of(text: str) -> list[int]:
    if "-" in text:
        a, b = text.split("-")
        return list(range(int(a), int(b) + 1))
    return [int(x) for x in text.split(",")]


def month_index(y: int, m: int) -> int:
    return (y - 2025) * 12 + (m - 9)


#: hyperscaler ids and the firms they stand for, with their 2025 capex and 2026 guidance ($B; [A])
HYPERS = {"hyper_1": ("Microsoft", None, 150.0), "hyper_2": ("Alphabet", 91.4, 185.0),
          "hyper_3": ("Amazon", 131.8, 200.0), "hyper_4": ("Meta", 72.2, 135.0)}


def one(args) -> dict:
    """One seed's figures (a flat dict) and whether its books stayed balanced."""
    seed, years, checks, params = args
    from ailoop.model import Economy
    from ailoop.model.ledger import AccountingError

    from ailoop.model.contracts import Contract

    eco = Economy(scenario="history", seed=seed, checks=checks, **params)
    lab = eco.agent("lab")
    opening_debt = {a: eco.ledger.get(a, "debt") for a in ("cloud", "neocloud")}  # the opening, before day one
    azure_backlog = float("nan")
    capex: dict[str, list[float]] = {a: [] for a in (*HYPERS, "cloud", "neocloud")}
    begun: dict[str, list[float]] = {a: [] for a in capex}  # $B of projects started each month
    seen: dict[str, set] = {a: {id(pr) for pr in eco.agent(a).fleet.projects} for a in capex}
    lab_rev, lab_dem, plans = [], [], {}
    chip = eco.agent("chip_leader")
    chip_rev: list[float] = []  # chip_leader's AI revenue each month ($B): GPUs delivered
    ok = True
    try:
        for m in range(int(round(years * 12))):
            for _ in range(STEPS_PER_MONTH):
                eco.step()
            for a in capex:
                owner = eco.agent(a)
                f = owner.flow
                capex[a].append(f.get("capex_shell", 0.0) + f.get("capex_chips", 0.0))
                new = [pr for pr in owner.fleet.projects if id(pr) not in seen[a]]
                seen[a] |= {id(pr) for pr in new}
                begun[a].append(sum(started_value(eco, pr) for pr in new))
            lab_rev.append(lab.flow.get("revenue_ai", 0.0))
            chip_rev.append(chip.flow.get("revenue_ai", 0.0))
            lab_dem.append(lab.demand())
            if m in (month_index(2026, 2), month_index(2026, 8)):
                plans[m] = lab.compute_plan(month_index(2030, 12))
            if m == month_index(2025, 12):  # what the lab is still to pay hyper_1 (its backlog with the lab)
                azure = [c for c in eco.book.issued_by("hyper_1", Contract.backlog) if c.holder == "lab"]
                azure_backlog = eco.book.total(azure, Contract.backlog)
        if checks:
            eco.check_books(full=True)
    except AccountingError:
        ok = False
    df = eco.datacollector.get_model_vars_dataframe()

    def at(col: str, y: int, mth: int) -> float:
        """The column on the last trading day of calendar month ``mth`` of ``y``."""
        k = month_index(y, mth)
        rows = df[df["month"] == k]
        return float(rows[col].iloc[-1]) if len(rows) else float("nan")

    def on_first_day(col: str, y: int, mth: int) -> float:
        """The column on the first trading day of calendar month ``mth`` of ``y``."""
        rows = df[df["month"] == month_index(y, mth)]
        return float(rows[col].iloc[0]) if len(rows) else float("nan")

    def rate(series: list[float], first: tuple[int, int], last: tuple[int, int]) -> float:
        """Yearly rate of a monthly series over calendar months ``first``..``last`` (inclusive)."""
        a, b = month_index(*first), month_index(*last)
        part = series[a:b + 1]
        return 12.0 * sum(part) / len(part) if len(part) == b - a + 1 else float("nan")

    promised = df["commitments.lab"] + df["intents.lab"]
    desk = [x for x in eco.equity_desk.issues if x["firm"] == "cloud"]

    def raised(how: str, first: tuple[int, int], last: tuple[int, int]) -> float:
        """$B the cloud raised through the equity desk selling ``how`` over calendar months ``first``..``last``."""
        a, b = month_index(*first), month_index(*last)
        return sum(x["raised"] for x in desk if x["how"] == how and a <= x["month"] <= b) if eco.month >= b else float("nan")

    out = {
        "cloud RPO, Sep 2025 (after the lab contract)": at("backlog.cloud", 2025, 9),
        "cloud RPO, Nov 2025": at("backlog.cloud", 2025, 11),
        "cloud debt, opening (Aug 2025)": opening_debt["cloud"],
        "cloud debt, after its first day": float(df["debt.cloud"].iloc[0]),
        "cloud debt, Feb 2026": at("debt.cloud", 2026, 2),
        "cloud mandatory convertible preferred, Feb 2026 (raised)": raised("mandatory", (2026, 2), (2026, 2)),
        "cloud at-the-market sales, Mar-Aug 2026 (raised)": raised("atm", (2026, 3), (2026, 8)),
        "cloud lease commitments, Nov 2025": at("lease_commitments.cloud", 2025, 11),
        "cloud capex, Sep 2025-May 2026, a year": rate(capex["cloud"], (2025, 9), (2026, 5)),
        "cloud capex begun, Sep 2025-May 2026, a year": rate(begun["cloud"], (2025, 9), (2026, 5)),
        "neocloud backlog, 30 Sep 2025 (the model's 1 Oct)": on_first_day("backlog.neocloud", 2025, 10),
        "neocloud capacity online, Sep 2025 (GW)": at("capacity.neocloud", 2025, 9),
        "neocloud capacity online, Dec 2025 (GW)": at("capacity.neocloud", 2025, 12),
        "neocloud debt, opening (Jun 2025 filing)": opening_debt["neocloud"],
        "neocloud debt, Sep 2025": at("debt.neocloud", 2025, 9),
        "neocloud debt, Apr 2026": at("debt.neocloud", 2026, 4),
        "neocloud capex, Sep-Dec 2025, a year": rate(capex["neocloud"], (2025, 9), (2025, 12)),
        "neocloud capex, Jan-Aug 2026, a year": rate(capex["neocloud"], (2026, 1), (2026, 8)),
        "neocloud capex begun, Jan-Aug 2026, a year": rate(begun["neocloud"], (2026, 1), (2026, 8)),
        "lab revenue, Oct-Nov 2025, a year": rate(lab_rev, (2025, 10), (2025, 11)),
        "lab revenue, Sep-Dec 2025": rate(lab_rev, (2025, 9), (2025, 12)) / 3.0,
        "lab demand, Sep-Dec 2025": rate(lab_dem, (2025, 9), (2025, 12)) / 3.0,
        "lab revenue, Mar 2026, a year": rate(lab_rev, (2026, 3), (2026, 3)),
        "lab demand, Mar 2026, a year": rate(lab_dem, (2026, 3), (2026, 3)),
        "lab revenue, Jan-Aug 2026, a year": rate(lab_rev, (2026, 1), (2026, 8)),
        "chip_leader AI revenue, Nov 2025-Jan 2026 (a quarter)": rate(chip_rev, (2025, 11), (2026, 1)) / 4.0,
        "chip_leader AI revenue, Feb-Apr 2026 (a quarter)": rate(chip_rev, (2026, 2), (2026, 4)) / 4.0,
        "hyper_1 backlog with the lab, Dec 2025": azure_backlog,
        "lab binding commitments + intents, peak": float(promised.max()),
        "lab binding commitments, peak": float(df["commitments.lab"].max()),
        "lab compute plan through 2030, after the cut (Mar 2026)": plans.get(month_index(2026, 2), float("nan")),
        "lab compute plan through 2030, Sep 2026": plans.get(month_index(2026, 8), float("nan")),
    }
    for h, (name, _, _) in HYPERS.items():
        out[f"{h} ({name}) capex, Sep-Dec 2025, a year"] = rate(capex[h], (2025, 9), (2025, 12))
        out[f"{h} ({name}) capex, Jan-Aug 2026, a year"] = rate(capex[h], (2026, 1), (2026, 8))
        out[f"{h} ({name}) capex begun, Jan-Aug 2026, a year"] = rate(begun[h], (2026, 1), (2026, 8))
    return {"seed": seed, "books": ok, **out}


def started_value(eco, pr) -> float:
    """$B a project commits its owner to when it starts: its shell and its GPUs at their price."""
    order = pr.order
    price = order.unit_price if order is not None else eco.ctx.custom_silicon_price()
    return pr.shell_cost + pr.units_needed * price


#: row -> (figure filed or reported, its source and quality; "input" if the model was given it)
FILED = {
    "cloud RPO, Sep 2025 (after the lab contract)": ("$455B (Aug)", "[P] Oracle results, 9 Sep 2025: the opening and the $300B contract are inputs"),
    "cloud RPO, Nov 2025": ("$523B", "[P] Oracle results, 10 Dec 2025"),
    "cloud debt, opening (Aug 2025)": ("$105B", "[P] Oracle 10-Q (input: the opening)"),
    "cloud debt, after its first day": ("", "the model's cloud borrows for its plan on its first day (no filing)"),
    "cloud debt, Feb 2026": (">= $148B", "[P] $105B + the book's $18B (Sep 2025) and $25B (Feb 2026) bonds; other borrowing not listed"),
    "cloud mandatory convertible preferred, Feb 2026 (raised)": ("$5.0B face", "[P] Oracle 8-K, Feb 2026 (input; the model's: net of the desk's fee)"),
    "cloud at-the-market sales, Mar-Aug 2026 (raised)": ("not reported", "[S] a $20B programme for 2026 (Feb 2026); the model sells it monthly, Mar-Dec"),
    "cloud lease commitments, Nov 2025": ("$248B", "[S] on Oracle's 10-Q; the model's leases are its AI campuses only (rent derived from them)"),
    "cloud capex, Sep 2025-May 2026, a year": ("~$50B", "[S] Oracle FY26 guidance, Dec 2025: cash spent"),
    "cloud capex begun, Sep 2025-May 2026, a year": ("~$50B", "as above: the model's projects started (shells + GPUs ordered)"),
    "neocloud backlog, 30 Sep 2025 (the model's 1 Oct)": ("$55.6B", "[P] CoreWeave results, 10 Nov 2025: with the $14.2B Meta contract of 30 Sep"),
    "neocloud capacity online, Sep 2025 (GW)": ("0.59", "[P] CoreWeave results, 10 Nov 2025: active power"),
    "neocloud capacity online, Dec 2025 (GW)": ("0.85", "[S] Nasdaq (Zacks), 6 Mar 2026: active power, more than 850 MW"),
    "neocloud debt, opening (Jun 2025 filing)": ("$11.2B", "[P] CoreWeave 10-Q (input: the opening)"),
    "neocloud debt, Sep 2025": ("~$14B", "[S] on CoreWeave's 10-Q"),
    "neocloud debt, Apr 2026": ("<= ~$29B", "~$14B + the book's $2.25B and $3.0B converts, $8.5B loan (if drawn), $1.25B notes"),
    "neocloud capex, Sep-Dec 2025, a year": ("$12-14B (2025)", "[A] CoreWeave guidance cut, 10 Nov 2025 (powered-shell delay)"),
    "neocloud capex, Jan-Aug 2026, a year": ("$30-35B", "[S] CoreWeave 2026 guidance, Feb 2026"),
    "neocloud capex begun, Jan-Aug 2026, a year": ("$30-35B", "as above: the model's projects started"),
    "lab revenue, Oct-Nov 2025, a year": ("> $20B", "[P] Sam Altman, Nov 2025 (run-rate)"),
    "lab revenue, Sep-Dec 2025": ("~$8.7B for Jul-Dec", "[P] $13B in 2025 less $4.3B in H1 (the demand's calibration)"),
    "lab demand, Sep-Dec 2025": ("", "input: the calibrated path"),
    "lab revenue, Mar 2026, a year": ("~$25B", "[P] wire reports, Mar 2026 (the demand's calibration)"),
    "lab demand, Mar 2026, a year": ("~$25B", "input: the calibrated path"),
    "lab revenue, Jan-Aug 2026, a year": ("< $30B", "[A] WSJ copy, 28 Apr 2026: the 2026 target of $30B being missed"),
    "chip_leader AI revenue, Nov 2025-Jan 2026 (a quarter)": (
        "$62.3B", "[P] NVIDIA results, 25 Feb 2026: data-centre revenue (with $41.1B to Jul 2025: the production's growth)"),
    "chip_leader AI revenue, Feb-Apr 2026 (a quarter)": (
        "$75.2B", "[P] NVIDIA results, 20 May 2026: data-centre revenue (out of sample)"),
    "hyper_1 backlog with the lab, Dec 2025": ("~$280B", "[P-copy] Microsoft, 28 Jan 2026: ~45% of its $625B commercial RPO"),
    "lab binding commitments + intents, peak": ("~$1.4T", "[P] Sam Altman, Oct-Nov 2025 (~30 GW over ~8 years)"),
    "lab binding commitments, peak": ("", "the part signed as binding (no filing)"),
    "lab compute plan through 2030, after the cut (Mar 2026)": ("~$600B", "[P] Reuters/CNBC, 20 Feb 2026"),
    "lab compute plan through 2030, Sep 2026": ("~$600B", "[A] WSJ copy, 28 Apr 2026"),
}
for _h, (_name, _y25, _g26) in HYPERS.items():
    FILED[f"{_h} ({_name}) capex, Sep-Dec 2025, a year"] = (
        f"${_y25:,.0f}B (2025)" if _y25 else "n/a", "[A] filings compiled, 2026")
    FILED[f"{_h} ({_name}) capex, Jan-Aug 2026, a year"] = (
        f"${_g26:,.0f}B", "[A] 2026 guidance: cash spent (the model: shells paid, GPUs delivered)"
        + (", a quarter x 4" if _name == "Microsoft" else ""))
    FILED[f"{_h} ({_name}) capex begun, Jan-Aug 2026, a year"] = (
        f"${_g26:,.0f}B", "the model's projects started (its budget, an input from Jan 2026)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="1-20")
    ap.add_argument("--years", type=float, default=1.0)
    ap.add_argument("--checks", action="store_true", help="check the books in every run")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="change a parameter in every run")
    a = ap.parse_args()
    from ailoop.runs.cli import sets_or_exit

    params = sets_or_exit(ap, a.set)
    if not 1.0 <= a.years <= 30.0:
        ap.error(f"--years {a.years:g} is out of range; allowed: [1, 30] (the table needs the first year)")
    seeds = seeds_of(a.seeds)
    with ProcessPoolExecutor(a.workers) as ex:
        rows = list(ex.map(one, [(s, a.years, a.checks, params) for s in seeds]))
    changed = "".join(f", {k}={v}" for k, v in params.items())
    print(f"history, seeds {seeds[0]}-{seeds[-1]} ({len(seeds)} runs of {a.years:g} years"
          f"{', books checked' if a.checks else ''}{changed}); model: median [min-max] over seeds, $B unless a row says otherwise")
    keys = [k for k in rows[0] if k not in ("seed", "books")]
    width = max(len(k) for k in keys)
    print(f"{'':{width}s}  {'model':>24s}  {'filed or reported':>20s}  source")
    for k in keys:
        v = np.array([r[k] for r in rows], dtype=float)
        filed, source = FILED.get(k, ("", ""))
        d = 2 if k.endswith("(GW)") else 1 if abs(np.nanmedian(v)) < 100 else 0  # decimals: one below $100B
        cell = f"{np.nanmedian(v):,.{d}f} [{np.nanmin(v):,.{d}f}-{np.nanmax(v):,.{d}f}]"
        print(f"{k:{width}s}  {cell:>24s}  {filed:>20s}  {source}")
    if a.checks:
        good = sum(r["books"] for r in rows)
        print(f"books balanced in {good} of {len(rows)} runs ({a.years:g} years each)")


if __name__ == "__main__":
    main()
