"""The ``ailoop`` command line.

``ailoop run [--scenario NAME] [--base history|baseline] [--shock-date YYYY-MM-DD] --seed N --years Y
--out DIR [--set NAME=VALUE ...]`` runs one scenario (``history`` when none is named: the world as
it happened) and writes its outputs — a shock scenario on top of its base (``history`` unless it
says otherwise, or the one named), its shocks on their preset date or the one given; ``ailoop
scenarios`` lists the presets and the bases; ``ailoop params`` prints
the parameter table; ``ailoop app [--port N]`` serves the classroom app on 127.0.0.1 (``ailoop app
--fetch-assets`` first, once; ``ailoop app --browser`` finds or installs the Chromium the browser
tests drive); ``ailoop sweep|query|sensitivity|plot-phase`` are the batch tools
(``runs/sweep_cli.py``). Bad input gets one line on stderr naming what is wrong and what is
allowed, exit code 2, and nothing written.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Sequence

from ailoop.runs.limits import MAX_YEARS  # noqa: F401  (the longest run, years; kept importable from here)


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


def checked_sets(items: Sequence[str]) -> dict[str, Any]:
    """``--set NAME=VALUE`` items as parameter overrides of their table types (a number as a
    number), every name and value checked against the parameter table first (raises
    ``ValueError`` - ``ParameterError`` is one - with a one-line message naming what is wrong and
    what is allowed)."""
    from ailoop.model.params import resolve

    overrides = parse_sets(items)
    table = resolve(overrides)
    return {name: table[name] for name in overrides}


def sets_or_exit(parser: argparse.ArgumentParser, items: Sequence[str]) -> dict[str, Any]:
    """:func:`checked_sets` for a script's ``--set`` items; a bad item ends the script through
    ``parser.error`` (one line naming what is wrong and what is allowed, exit status 2)."""
    try:
        return checked_sets(items)
    except ValueError as err:
        parser.error(f"{err} (--set NAME=VALUE with NAME from `ailoop params`)")


def cmd_run(args: argparse.Namespace) -> int:
    from ailoop.model.params import ParameterError, resolve
    from ailoop.model.scenarios import ScenarioError, get_scenario

    try:
        scenario = get_scenario(args.scenario)
        base = scenario.on(args.base)
        scenario.shocks_at(args.shock_date)
        overrides = parse_sets(args.set)
        resolve(overrides, scenario.settings(base))
    except (ScenarioError, ParameterError, ValueError) as e:
        return _fail(str(e))
    from ailoop.runs.limits import check_number, check_path_text, check_years

    try:
        check_years(args.years)
        check_number(args.seed, "--seed", lo=0, hi=2**63 - 1, integer=True)
        check_path_text(args.out, "--out")
    except ValueError as e:
        return _fail(str(e))
    if args.shock_date is not None:
        import datetime as dt

        from ailoop.model.scenarios import FIRST_DATE, parse_date

        day, last = parse_date(args.shock_date), FIRST_DATE + dt.timedelta(days=int(args.years * 365.25) - 1)
        if day > last:
            return _fail(f"--shock-date {day.isoformat()} falls after the run's last day; allowed: from "
                         f"{FIRST_DATE.isoformat()} to {last.isoformat()} for --years {args.years:g}")
    from ailoop.runs.output import OutputPathError, check_out_dir, check_replace, format_summary, format_who_paid, write_run

    try:
        check_out_dir(args.out)
        check_replace(args.out, args.overwrite)
    except OutputPathError as e:
        return _fail(str(e))
    from ailoop.model import Economy

    economy = Economy(scenario=args.scenario, seed=args.seed, base=args.base, shock_date=args.shock_date, **overrides)
    economy.run(years=args.years)
    summary = write_run(economy, args.out, plots=not args.no_plots, overwrite=args.overwrite)
    on = "" if scenario.is_base else f" on {base}"
    when = f", shocks on {args.shock_date}" if args.shock_date else ""
    print(f"scenario {args.scenario}{on}{when}, seed {args.seed}, {args.years:g} years ({economy.steps} trading days) "
          f"-> {args.out}")
    print(format_summary(summary))
    print()
    print(format_who_paid(summary))
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    from ailoop.model.scenarios import SCENARIOS

    for s in SCENARIOS.values():
        on = "(a base)" if s.is_base else f"(on {s.base} unless --base says otherwise)"
        print(f"{s.name:24s} {s.description} {on}")
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    from ailoop.model.params import markdown_table

    print(markdown_table(), end="")
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    """Serve the classroom app offline (``runs/app_server.py``), or fetch its assets once."""
    import subprocess

    from ailoop.runs import app_assets, app_server

    cache = app_assets.assets_dir(args.assets)
    if args.fetch_assets:
        try:
            app_assets.fetch(cache)
        except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
            return _fail(f"fetching the app's assets failed: {getattr(e, 'stderr', None) or e}")
        print(f"assets ready in {cache}; start the app with `ailoop app`")
    if args.browser:  # the browser tests' Chromium: found, or installed (runs/browser.py)
        from ailoop.runs import browser

        try:
            found = browser.ensure()
        except browser.BrowserError as e:
            return _fail(str(e))
        print(f"Chromium for the browser tests: {found.path} ({found.source})")
    if args.fetch_assets or args.browser:
        return 0
    if not 1 <= args.port <= 65535:  # noqa: SIM102
        return _fail(f"--port {args.port} is out of range; allowed: an integer in [1, 65535]")
    import importlib.util

    absent = [m for m in ("solara", "ipyvuetify", "networkx") if importlib.util.find_spec(m) is None]
    if absent:
        return _fail(f"the app needs the `app` extra ({', '.join(absent)} not installed): pip install -e '.[app]'")
    if app_assets.missing(cache):
        return _fail(app_assets.missing_message(cache))
    print(f"AI Loop classroom: http://{args.host}:{args.port}/  (offline; Ctrl-C stops it)", flush=True)
    cmd = app_server.server_command(args.port, args.host)
    os.execve(cmd[0], cmd, app_server.server_env(cache))  # the server replaces this process (signals reach it)
    return 0  # pragma: no cover - not reached


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ailoop", description="AI Loop: agent-based model of the AI circular-financing economy")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = sub.add_parser("run", help="run one scenario and write its outputs")
    run.add_argument("--scenario", default="history", help="a preset of `ailoop scenarios` (default: history)")
    run.add_argument("--base", default=None, choices=None,
                     help="the world a shock scenario applies on top of: history (default) or baseline")
    run.add_argument("--shock-date", default=None, metavar="YYYY-MM-DD",
                     help="the date the scenario's shocks fire (default: the preset's date)")
    run.add_argument("--seed", type=int, default=1)
    run.add_argument("--years", type=float, default=6.0)
    run.add_argument("--out", required=True, help="output folder")
    run.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override a parameter")
    run.add_argument("--no-plots", action="store_true")
    run.add_argument("--overwrite", action="store_true",
                     help="replace the run already in --out (its old files are removed)")
    run.set_defaults(func=cmd_run)
    sub.add_parser("scenarios", help="list the scenario presets").set_defaults(func=cmd_scenarios)
    sub.add_parser("params", help="print the parameter table (Markdown)").set_defaults(func=cmd_params)
    app = sub.add_parser("app", help="serve the classroom app in the browser, offline (http://127.0.0.1:8765/)")
    app.add_argument("--port", type=int, default=8765)
    app.add_argument("--host", default="127.0.0.1", help="address to serve on (default: this machine only)")
    app.add_argument("--assets", default=None, metavar="DIR",
                     help="the JavaScript cache (default: $AILOOP_ASSETS_DIR or ~/.cache/ailoop/solara-assets)")
    app.add_argument("--fetch-assets", action="store_true", help="fetch the app's JavaScript into the cache, once")
    app.add_argument("--browser", action="store_true",
                     help="find a Chromium for the browser tests, or install one (apt-get as root, else Playwright's)")
    app.set_defaults(func=cmd_app)
    from ailoop.runs.sweep_cli import add_subcommands

    add_subcommands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
