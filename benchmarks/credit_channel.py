"""The credit channel of a scenario (``music_stops`` unless ``--scenario``; on the baseline base), seed by seed: which
firm beyond the labs failed, was rescued or fell into distress, when and why — with the neocloud's
debt drawn against named
customer contracts (its filings, the default) and, under the same shock and seeds, with pooled GPU
loans against its whole fleet (``contract_backed_loans = False``).

For each run it lists, for every firm other than the labs, the first event of each kind that
marks distress — a covenant breach, an event of default (acceleration), a cross-default, a
rescue or a declined rescue, a default — with its date and cause, and the labs' default dates.
Then a summary of both structures side by side. Seeds are 1..N (``--seeds N``, default 20), runs
are 6 years, books unchecked. Usage::

    python benchmarks/credit_channel.py [--seeds 20] [--workers 2] [--scenario music_stops] [--out outputs/credit_channel.csv]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from ailoop.model.scenarios import SCENARIOS

from ailoop.runs.output import check_out_option, write_table

LABS = ("lab", "lab_spv")
#: events that mark a firm's distress, in the order a story runs
DISTRESS = ("covenant breach", "event of default", "cross-default", "rescue declined", "rescue", "default",
            "lease rejected")
STRUCTURES = (("contract-backed", True), ("pooled", False))


def one(args) -> list[dict]:
    seed, label, contract_backed, scenario = args
    from ailoop.model import Economy

    eco = Economy(scenario=scenario, seed=seed, checks=False, contract_backed_loans=contract_backed,
                  base=None if SCENARIOS[scenario].is_base else "baseline")
    eco.run(years=6)
    rows = []
    lab_default = {e["agent"]: e["date"] for e in eco.events if e["event"] == "default" and e["agent"] in LABS}
    seen = set()
    for e in eco.events:
        kind = e["event"]
        if kind not in DISTRESS:
            continue
        firm = e["agent"] if kind not in ("rescue", "rescue declined") else e["cause"].split(":", 1)[0]
        if firm in LABS or (firm, kind) in seen:
            continue
        seen.add((firm, kind))
        rows.append(dict(structure=label, seed=seed, firm=firm, event=kind, date=e["date"], size=round(e["size"], 2),
                         cause=e["cause"], lab_default=lab_default.get("lab", ""),
                         lab_spv_default=lab_default.get("lab_spv", "")))
    if not rows:
        rows.append(dict(structure=label, seed=seed, firm="", event="", date="", size=0.0, cause="",
                         lab_default=lab_default.get("lab", ""), lab_spv_default=lab_default.get("lab_spv", "")))
    return rows


def outcome(group: pd.DataFrame, firm: str) -> str:
    """One word for what happened to ``firm`` in a run: failed, rescued, accelerated, breached, -."""
    ev = set(group.loc[group.firm == firm, "event"])
    for kind, word in (("default", "failed"), ("rescue", "rescued"), ("cross-default", "cross-default"),
                       ("event of default", "accelerated"), ("covenant breach", "breach"), ("lease rejected", "lease")):
        if kind in ev:
            return word
    return "-"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default=None)
    ap.add_argument("--scenario", default="music_stops", choices=SCENARIOS)
    a = ap.parse_args()
    check_out_option(ap, a.out)
    seeds = list(range(1, a.seeds + 1))
    jobs = [(s, label, flag, a.scenario) for label, flag in STRUCTURES for s in seeds]
    with ProcessPoolExecutor(a.workers) as ex:
        rows = [r for out in ex.map(one, jobs) for r in out]
    df = pd.DataFrame(rows)
    if a.out:
        write_table(df, a.out)
    print(f"{a.scenario}, 6 years, seeds {seeds[0]}-{seeds[-1]}: distress beyond the labs, first event of each kind\n")
    with pd.option_context("display.width", 250, "display.max_colwidth", 150, "display.max_rows", 2000):
        for label, _ in STRUCTURES:
            print(f"== {label} loans ==")
            d = df[(df.structure == label) & (df.firm != "")]
            print(d[["seed", "firm", "event", "date", "size", "cause"]].to_string(index=False) if len(d) else "(none)")
            print()
    firms = sorted({f for f in df.firm if f})
    table = []
    for s in seeds:
        row = {"seed": s}
        for label, _ in STRUCTURES:
            g = df[(df.structure == label) & (df.seed == s)]
            row[f"lab default ({label})"] = g.lab_default.iloc[0] if len(g) else ""
            for f in firms:
                row[f"{f} ({label})"] = outcome(g, f)
        table.append(row)
    print("Outcome per seed (failed > rescued > cross-default > accelerated > covenant breach > lease rejected > -):")
    with pd.option_context("display.width", 250, "display.max_columns", 50):
        print(pd.DataFrame(table).to_string(index=False))


if __name__ == "__main__":
    main()
