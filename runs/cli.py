"""The ``ailoop`` command line.

``ailoop run --scenario NAME --seed N --years Y --out DIR [--set NAME=VALUE ...]`` runs one
scenario and writes its outputs; ``ailoop scenarios`` lists the presets; ``ailoop params`` prints
the parameter table; ``ailoop sweep|query|sensitivity|plot-phase`` are the batch tools
(``runs/sweep_cli.py``). Bad input gets one line on stderr naming what is wrong and what is
allowed, exit code 2, and nothing written.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

MAX_YEARS = 30.0


def _fail(message: str) -> int:
    print(f"ailoop: error: {message}", file=sys.stderr)
    return 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors as one line and exits with code 2."""

    def error(self, message: str):  # noqa: D401
        self.exit(2, f"ailoop: error: {message}\n")


def parse_sets(items: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise ValueError(f"--set {item!r} is not NAME=VALUE")
        name, value = item.split("=", 1)
        out[name.strip()] = value.strip()
    return out


def cmd_run(args: argparse.Namespace) -> int:
    from ailoop.model.params import ParameterError, resolve
    from ailoop.model.scenarios import ScenarioError, get_scenario

    try:
        scenario = get_scenario(args.scenario)
        overrides = parse_sets(args.set)
        resolve(overrides, scenario.params)
    except (ScenarioError, ParameterError, ValueError) as e:
        return _fail(str(e))
    if not (0 < args.years <= MAX_YEARS):
        return _fail(f"--years {args.years:g} is out of range; allowed: (0, {MAX_YEARS:g}] years")
    if args.seed < 0:
        return _fail(f"--seed {args.seed} is out of range; allowed: an integer >= 0")
    from ailoop.runs.output import OutputPathError, check_out_dir, format_summary, format_who_paid, write_run

    try:
        check_out_dir(args.out)
    except OutputPathError as e:
        return _fail(str(e))
    from ailoop.model import Economy

    eco = Economy(scenario=args.scenario, seed=args.seed, **overrides)
    eco.run(years=args.years)
    summary = write_run(eco, args.out, plots=not args.no_plots)
    print(f"scenario {args.scenario}, seed {args.seed}, {args.years:g} years ({eco.steps} trading days) -> {args.out}")
    print(format_summary(summary))
    print()
    print(format_who_paid(summary))
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    from ailoop.model.scenarios import SCENARIOS

    for s in SCENARIOS.values():
        print(f"{s.name:24s} {s.description}")
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    from ailoop.model.params import markdown_table

    print(markdown_table(), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ailoop", description="AI Loop: agent-based model of the AI circular-financing economy")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = sub.add_parser("run", help="run one scenario and write its outputs")
    run.add_argument("--scenario", default="baseline")
    run.add_argument("--seed", type=int, default=1)
    run.add_argument("--years", type=float, default=6.0)
    run.add_argument("--out", required=True, help="output folder")
    run.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override a parameter")
    run.add_argument("--no-plots", action="store_true")
    run.set_defaults(func=cmd_run)
    sub.add_parser("scenarios", help="list the scenario presets").set_defaults(func=cmd_scenarios)
    sub.add_parser("params", help="print the parameter table (Markdown)").set_defaults(func=cmd_params)
    from ailoop.runs.sweep_cli import add_subcommands

    add_subcommands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
