"""Command-line front end of the sweep layer: ``sweep``, ``query``, ``sensitivity``, ``plot-phase``.

``add_subcommands(subparsers)`` registers the four commands on an argparse subparsers object (the
``ailoop`` CLI in ``runs/cli.py`` does this); each sets ``func`` to a handler taking the parsed
arguments and returning an exit code (0 ok, 2 bad input with a one-line message on stderr,
130 interrupted). ``python -m ailoop.runs.sweep_cli sweep SPEC --out DIR`` works standalone.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence


def _fail(command: str, message: str) -> int:
    print(f"ailoop {command}: error: {' '.join(str(message).split())}", file=sys.stderr)
    return 2


def cmd_sweep(args: argparse.Namespace) -> int:
    from ailoop.runs.engines import EngineError
    from ailoop.runs.spec import SpecError, load_spec
    from ailoop.runs.sweep import run_sweep

    try:
        spec = load_spec(args.spec)
        if args.workers is not None and args.workers < 1:
            raise SpecError(f"--workers must be >= 1, got {args.workers}")
        if args.retry_failed and not args.resume:
            raise SpecError("--retry-failed needs --resume")
        outcome = run_sweep(
            spec, args.out, workers=args.workers, scheduler=args.scheduler, resume=args.resume,
            retry_failed=args.retry_failed,
            flush_every=args.flush_every, flush_seconds=args.flush_seconds,
            progress=False if args.no_progress else None, start_method=args.start_method,
            scheduler_timeout=args.scheduler_timeout,
        )
    except (SpecError, EngineError) as e:
        return _fail("sweep", str(e))
    if outcome.exit_code:
        return outcome.exit_code
    return 1 if (args.strict and outcome.failed) else 0


def cmd_query(args: argparse.Namespace) -> int:
    from ailoop.runs.store import SweepStore

    store = SweepStore(args.dir)
    if not store.exists():
        return _fail("query", f"{args.dir!r} is not a sweep directory (no manifest.json)")
    try:
        df = store.query(args.sql)
    except Exception as e:  # noqa: BLE001 -- duckdb parser/binder/IO errors: bad input
        return _fail("query", str(e).splitlines()[0] if str(e) else type(e).__name__)
    try:
        if args.format == "csv":
            df.to_csv(sys.stdout, index=False)
        elif args.format == "json":
            print(df.to_json(orient="records"))
        else:
            print(df.to_string(index=False, max_rows=args.max_rows))
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `ailoop query ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from ailoop.runs.sensitivity import analyze
    from ailoop.runs.spec import SpecError

    try:
        table, csv, png = analyze(args.dir, args.output, args.method, num_resamples=args.resamples,
                                  conf_level=args.conf, seed=args.seed)
    except SpecError as e:
        return _fail("sensitivity", str(e))
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_columns", None):
        print(table.drop(columns=["output"]).to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    print(f"wrote {csv} and {png}")
    return 0


def cmd_plot_phase(args: argparse.Namespace) -> int:
    from ailoop.runs.phase import plot_phase
    from ailoop.runs.spec import SpecError

    try:
        png, csv = plot_phase(args.dir, args.x, args.y, args.output, agg=args.agg, path=args.png)
    except SpecError as e:
        return _fail("plot-phase", str(e))
    print(f"wrote {png} and {csv}")
    return 0


def add_subcommands(subparsers) -> None:
    """Register ``sweep``, ``query``, ``sensitivity`` and ``plot-phase`` (each sets ``func``)."""
    p = subparsers.add_parser(
        "sweep", help="run a parameter sweep from a TOML spec",
        description="Run a parameter sweep (grid, random, lhs, sobol, morris) and stream results to "
                    "Parquet part files in --out. See docs/sweeps.md.",
    )
    p.add_argument("spec", help="sweep spec (TOML)")
    p.add_argument("--out", required=True, help="output directory (must be new or empty, or an unfinished sweep with --resume)")
    p.add_argument("--workers", type=int, default=None, help="local worker processes (default: all cores)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT", help="run on this Dask scheduler")
    p.add_argument("--scheduler-timeout", type=float, default=10.0, metavar="S",
                   help="seconds to wait for the Dask scheduler (default 10)")
    p.add_argument("--resume", action="store_true", help="finish an interrupted sweep: run only what is missing")
    p.add_argument("--retry-failed", action="store_true", help="with --resume: run the failed runs again")
    p.add_argument("--flush-every", type=int, default=200, metavar="N", help="runs per part file (default 200)")
    p.add_argument("--flush-seconds", type=float, default=30.0, metavar="S",
                   help="write a part at least every S seconds (default 30)")
    p.add_argument("--start-method", choices=["forkserver", "spawn", "fork"], default=None,
                   help="process start method of the local pool (default forkserver, or spawn)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--strict", action="store_true", help="exit 1 if any run failed")
    p.set_defaults(func=cmd_sweep)

    q = subparsers.add_parser(
        "query", help="SQL (DuckDB) over a sweep's results",
        description="Run SQL over a sweep directory with DuckDB; tables: runs (one row per run) and "
                    "series (per-step rows).",
    )
    q.add_argument("dir", help="sweep directory")
    q.add_argument("sql", help='e.g. "SELECT status, count(*) FROM runs GROUP BY status"')
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    q.add_argument("--max-rows", type=int, default=200)
    q.set_defaults(func=cmd_query)

    s = subparsers.add_parser(
        "sensitivity", help="Sobol or Morris indices of a stored sweep",
        description="Sobol (first/total order, with confidence intervals) or Morris indices of one output "
                    "of a sweep run with design = sobol / morris; writes a CSV and a PNG into DIR.",
    )
    s.add_argument("dir", help="sweep directory")
    s.add_argument("--output", required=True, help="summary output name (a column of runs)")
    s.add_argument("--method", choices=["sobol", "morris"], default=None, help="default: the sweep's design")
    s.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples for the intervals")
    s.add_argument("--conf", type=float, default=0.95, help="confidence level of the intervals")
    s.add_argument("--seed", type=int, default=0, help="seed of the bootstrap")
    s.set_defaults(func=cmd_sensitivity)

    f = subparsers.add_parser(
        "plot-phase", help="phase-diagram heatmap of an output over two varied parameters",
        description="Heatmap of one summary output (mean over replications) over two varied parameters.",
    )
    f.add_argument("dir", help="sweep directory")
    f.add_argument("--x", required=True, help="varied parameter across")
    f.add_argument("--y", required=True, help="varied parameter up")
    f.add_argument("--output", required=True, help="summary output name")
    f.add_argument("--agg", default="mean", choices=["mean", "median", "min", "max", "std"])
    f.add_argument("--png", default=None, help="PNG path (default DIR/phase_<output>__<x>__<y>.png)")
    f.set_defaults(func=cmd_plot_phase)


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry point: ``python -m ailoop.runs.sweep_cli {sweep,query,sensitivity,plot-phase} ...``."""
    parser = argparse.ArgumentParser(prog="ailoop", description="AI Loop parameter sweeps")
    sub = parser.add_subparsers(dest="command", required=True)
    add_subcommands(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
