"""Does a change leave the model's outputs bit for bit as they were? Fingerprints of named runs.

    python benchmarks/same_outputs.py [--against REV] [--runs NAME,...]

Each run (``RUNS``: a scenario, its base, a seed and a length) is built with the default checks
on and run; its fingerprint is the SHA-256 (first 16 hex digits) of its model table, its agent
table and its event log, written out in full (``DataFrame.to_csv``: every float with all its
digits, so any change of any bit of any value changes the fingerprint). Printed per run, one
column per version. With ``--against REV`` the revision REV is checked out in a temporary
worktree (``against.py``; removed at the end) and each run is made in both versions, each in a
fresh process importing its own tree; the last column says whether they agree, and the exit
status is 1 if any run differs. A speed-up or a refactoring that must not change the economics
is checked with it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys

from against import THIS, check_tree, child_env, trees

#: name (scenario[@base]/seed/years) -> (Economy keywords, years): the default world and its
#: counterfactual over the whole horizon, and a shock scenario on each (defaults, arrears, fire
#: sales, rescues on the way)
RUNS = {
    "baseline/1/6y": (dict(scenario="baseline", seed=1), 6.0),
    "history/3/6y": (dict(scenario="history", seed=3), 6.0),
    "music_stops@baseline/2/1.5y": (dict(scenario="music_stops", base="baseline", seed=2), 1.5),
    "lab_disappoints@history/4/2y": (dict(scenario="lab_disappoints", base="history", seed=4), 2.0),
}


def fingerprint(kw: dict, years: float) -> str:
    """SHA-256 (16 hex digits) of the run's model table, agent table and event log."""
    from ailoop.model import Economy

    economy = Economy(checks=True, **kw)
    economy.run(years=years)
    dc = economy.datacollector
    text = dc.get_model_vars_dataframe().to_csv() + dc.get_agent_vars_dataframe().to_csv() + repr(economy.events)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def child(tree: str, names: list[str]) -> None:
    """In a fresh process importing ``tree``: the fingerprints of ``names``, as JSON."""
    check_tree(tree)
    print(json.dumps({n: fingerprint(*RUNS[n]) for n in names}))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], json.loads(sys.argv[3]))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--against", default=None, metavar="REV", help="compare with this git revision")
    ap.add_argument("--runs", default=",".join(RUNS), help="comma-separated run names (default: all); "
                    f"allowed: {', '.join(RUNS)}")
    a = ap.parse_args()
    names = [n.strip() for n in a.runs.split(",") if n.strip()]
    unknown = [n for n in names if n not in RUNS]
    if unknown or not names:
        ap.error(f"--runs: unknown run {unknown[0] if unknown else '(none given)'!r}; allowed: {', '.join(RUNS)}")
    with trees(a.against) as versions:
        prints = {}
        for v, (tree, shim) in versions.items():
            out = subprocess.run([sys.executable, __file__, "--child", str(tree), json.dumps(names)],
                                 env=child_env(shim), capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"{v}: {(out.stderr.strip().splitlines() or ['failed'])[-1]}")
            prints[v] = json.loads(out.stdout.strip().splitlines()[-1])
    labels = list(prints)
    width = max(len(n) for n in names)
    print(f"{'run':{width}s}  " + "  ".join(f"{v:>18s}" for v in labels) + ("  same" if len(labels) > 1 else ""))
    differ = False
    for n in names:
        row = [prints[v][n] for v in labels]
        same = len(set(row)) == 1
        differ |= not same
        print(f"{n:{width}s}  " + "  ".join(f"{h:>18s}" for h in row) + (f"  {'yes' if same else 'NO'}"
                                                                             if len(labels) > 1 else ""))
    if len(labels) > 1:
        print("outputs identical bit for bit" if not differ else "outputs differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
