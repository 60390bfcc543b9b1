"""Command-line front end of the sweep layer: ``sweep``, ``query``, ``sensitivity``, ``plot-phase``,
``discover`` and ``envelope``.

``add_subcommands(subparsers)`` registers the commands on an argparse subparsers object (the
``ailoop`` CLI in ``runs/cli.py`` does this); each sets ``func`` to a handler taking the parsed
arguments and returning an exit code (0 ok, 2 bad input with a one-line message on stderr and
nothing written, 130 interrupted). Every number, path and address is checked before any work.
``python -m ailoop.runs.sweep_cli sweep SPEC --out DIR`` works standalone.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence


def _fail(command: str, message: str) -> int:
    print(f"ailoop {command}: error: {' '.join(str(message).split())}", file=sys.stderr)
    return 2


def _numbers(args: argparse.Namespace, rules: dict[str, dict]) -> None:
    """Check the numeric options named in ``rules`` (``runs.limits.check_number`` keywords);
    ValueError (one line) for the first bad one."""
    from ailoop.runs.limits import check_number

    for name, rule in rules.items():
        value = getattr(args, name)
        if value is not None:
            check_number(value, "--" + name.replace("_", "-"), **rule)


def _sweep_dir(command: str, path: str):
    """The sweep store at ``path`` (ValueError, one line, if it is none)."""
    from ailoop.runs.limits import check_path_text
    from ailoop.runs.store import SweepStore

    store = SweepStore(check_path_text(path, "sweep directory"))
    if not store.exists():
        raise ValueError(f"{path!r} is not a sweep directory (no manifest.json)")
    return store


def _keep(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return tuple(k.strip() for k in text.split(",") if k.strip())


def cmd_sweep(args: argparse.Namespace) -> int:
    from ailoop.runs.engines import EngineError
    from ailoop.runs.spec import SpecError, load_spec
    from ailoop.runs.sweep import prepare, run_sweep

    try:
        _numbers(args, {"flush_every": dict(lo=1, integer=True), "flush_seconds": dict(lo=0, lo_open=True),
                        "scheduler_timeout": dict(lo=0, lo_open=True, hi=3600),
                        "progress_every": dict(lo=0, lo_open=True), "pilot": dict(lo=1, integer=True),
                        "pilot_months": dict(lo=1, hi=360, integer=True)})
        spec = load_spec(args.spec)
        if args.retry_failed and not args.resume:
            raise SpecError("--retry-failed needs --resume")
        if args.scheduler:
            from ailoop.runs.limits import check_scheduler

            check_scheduler(args.scheduler, args.scheduler_timeout)
        plan = prepare(spec, args.out, workers=args.workers, force_workers=args.force_workers,
                       scheduler=args.scheduler, resume=args.resume, timeout=args.timeout, keep=_keep(args.keep),
                       allow_infeasible=args.allow_infeasible)
        if args.dry_run:
            from ailoop.runs.estimate import dry_run

            est = dry_run(plan, scheduler=args.scheduler, start_method=args.start_method,
                          scheduler_timeout=args.scheduler_timeout, pilot=args.pilot, pilot_months=args.pilot_months)
            print(est.report(plan))
            return 0
        outcome = run_sweep(
            spec, args.out, scheduler=args.scheduler, resume=args.resume,
            retry_failed=args.retry_failed,
            flush_every=args.flush_every, flush_seconds=args.flush_seconds,
            progress=False if args.no_progress else None, progress_every=args.progress_every,
            start_method=args.start_method, scheduler_timeout=args.scheduler_timeout, plan=plan,
        )
    except (SpecError, EngineError, ValueError) as e:
        return _fail("sweep", str(e))
    if outcome.exit_code:
        return outcome.exit_code
    return 1 if (args.strict and outcome.failed) else 0


def cmd_query(args: argparse.Namespace) -> int:
    from ailoop.runs.store import StoreError

    try:
        _numbers(args, {"max_rows": dict(lo=1, integer=True)})
        store = _sweep_dir("query", args.dir)
        store.check_parts()
        store.check_unique()
    except (ValueError, StoreError) as e:
        return _fail("query", str(e))
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
    from ailoop.runs.sensitivity import analyze, convergence
    from ailoop.runs.spec import SpecError

    try:
        _numbers(args, {"resamples": dict(lo=10, hi=1_000_000, integer=True), "conf": dict(lo=0, hi=1, lo_open=True,
                                                                                           hi_open=True),
                        "seed": dict(lo=0, integer=True)})
        _sweep_dir("sensitivity", args.dir)
        if args.convergence:
            table, csv, png = convergence(args.dir, args.output, num_resamples=args.resamples,
                                          conf_level=args.conf, seed=args.seed)
        else:
            table, csv, png = analyze(args.dir, args.output, args.method, num_resamples=args.resamples,
                                      conf_level=args.conf, seed=args.seed)
    except (SpecError, ValueError) as e:
        return _fail("sensitivity", str(e))
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_columns", None):
        print(table.drop(columns=["output"]).to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    print(f"wrote {csv} and {png}")
    return 0


def _png_option(path: str | None) -> None:
    """``--png FILE``: a writable file path (ValueError, one line, if not)."""
    if path:
        from ailoop.runs.limits import check_path_text
        from ailoop.runs.output import OutputPathError, check_out_file

        check_path_text(path, "--png")
        try:
            check_out_file(path)
        except OutputPathError as e:
            raise ValueError(str(e).replace("--out", "--png", 1)) from None


def cmd_plot_phase(args: argparse.Namespace) -> int:
    from ailoop.runs.phase import plot_phase
    from ailoop.runs.spec import SpecError

    try:
        _sweep_dir("plot-phase", args.dir)
        _png_option(args.png)
        png, csv = plot_phase(args.dir, args.x, args.y, args.output, agg=args.agg, path=args.png)
    except (SpecError, ValueError) as e:
        return _fail("plot-phase", str(e))
    print(f"wrote {png} and {csv}")
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    from ailoop.runs.discover import discover
    from ailoop.runs.spec import SpecError

    try:
        _numbers(args, {"threshold": dict(lo=0, hi=1, lo_open=True, hi_open=True),
                        "peel_alpha": dict(lo=0, hi=0.5, lo_open=True), "min_leaf": dict(lo=1, integer=True),
                        "max_depth": dict(lo=1, hi=20, integer=True), "mass_min": dict(lo=0, hi=1, lo_open=True,
                                                                                        hi_open=True)})
        _sweep_dir("discover", args.dir)
        _png_option(args.png)
        result = discover(args.dir, args.outcome, inputs=_keep(args.inputs), threshold=args.threshold,
                          peel_alpha=args.peel_alpha, mass_min=args.mass_min, min_leaf=args.min_leaf,
                          max_depth=args.max_depth, png=args.png)
    except (SpecError, ValueError) as e:
        return _fail("discover", str(e))
    print(result.report())
    return 0


def cmd_envelope(args: argparse.Namespace) -> int:
    from ailoop.runs.envelope import envelope
    from ailoop.runs.spec import SpecError

    try:
        _numbers(args, {"low": dict(lo=0, hi=50), "bins": dict(lo=1, hi=20, integer=True)})
        _sweep_dir("envelope", args.dir)
        _png_option(args.png)
        table, csv, png = envelope(args.dir, args.series, args.by, low=args.low, bins=args.bins, path=args.png)
    except (SpecError, ValueError) as e:
        return _fail("envelope", str(e))
    print(f"{args.series} by {args.by}: {table['group'].nunique()} groups, {len(table)} rows")
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
    p.add_argument("--workers", type=int, default=None,
                   help="local worker processes (default: all cores; more than the cores is capped)")
    p.add_argument("--force-workers", action="store_true", help="start --workers processes even beyond the cores")
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
    p.add_argument("--no-progress", action="store_true", help="no progress bar or progress lines")
    p.add_argument("--progress-every", type=float, default=60.0, metavar="S",
                   help="when stderr is not a terminal (nohup, SLURM, a pipe): a progress line every S seconds "
                        "(default 60)")
    p.add_argument("--timeout", type=float, default=None, metavar="S",
                   help="stop a run after S seconds of wall time and record it with status 'timeout'")
    p.add_argument("--keep", default=None, metavar="agents,events",
                   help="also store these tables of every run (month-end agent rows, the event log)")
    p.add_argument("--allow-infeasible", action="store_true",
                   help="run a sampled design some of whose points break a joint constraint (recorded as "
                        "'infeasible', not run)")
    p.add_argument("--dry-run", action="store_true",
                   help="check everything, run a short pilot and print the number of runs and a time estimate; "
                        "write nothing")
    p.add_argument("--pilot", type=int, default=None, metavar="N",
                   help="--dry-run: pilot runs (default: four per worker, at least 8)")
    p.add_argument("--pilot-months", type=int, default=2, metavar="M",
                   help="--dry-run: months each pilot run is cut to (default 2)")
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
    s.add_argument("--convergence", action="store_true",
                   help="Sobol indices with their intervals at N = 4, 8, ..., the sweep's N (nested Sobol' samples)")
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

    d = subparsers.add_parser(
        "discover", help="scenario discovery: which parameter regions give a yes/no outcome (PRIM, CART)",
        description="Scenario discovery on a sweep's runs: PRIM boxes (ema_workbench) and a CART tree "
                    "(scikit-learn) for a yes/no outcome written as a SQL condition on the runs table, with "
                    "each box's coverage and density. See docs/discovery.md.",
    )
    d.add_argument("dir", help="sweep directory")
    d.add_argument("--outcome", required=True, metavar="SQL",
                   help="the case of interest, a condition on runs columns, e.g. \"lab_defaulted = 1\" or "
                        "\"max_drawdown > 0.4\"")
    d.add_argument("--inputs", default=None, metavar="a,b,c", help="the factors to search (default: the varied ones)")
    d.add_argument("--threshold", type=float, default=0.8, help="PRIM: least density of the box to report (default 0.8)")
    d.add_argument("--peel-alpha", type=float, default=0.05, help="PRIM: share peeled per step (default 0.05)")
    d.add_argument("--mass-min", type=float, default=0.05, help="PRIM: least share of runs in a box (default 0.05)")
    d.add_argument("--min-leaf", type=int, default=None, help="CART: least runs in a leaf (default 5%% of the runs)")
    d.add_argument("--max-depth", type=int, default=3, help="CART: depth of the tree (default 3)")
    d.add_argument("--png", default=None, help="PNG path (default DIR/discover_<outcome>.png)")
    d.set_defaults(func=cmd_discover)

    e = subparsers.add_parser(
        "envelope", help="envelope of a per-step series over the runs, by a factor",
        description="Median and bands (low..100-low percentiles, and min..max) of a stored series over the "
                    "runs of each level of a factor (a numeric factor is cut into --bins bins).",
    )
    e.add_argument("dir", help="sweep directory")
    e.add_argument("--series", required=True, help="a column of the series table (the spec's [outputs] series)")
    e.add_argument("--by", required=True, help="a runs column: scenario, years or a varied parameter")
    e.add_argument("--low", type=float, default=10.0, help="lower percentile of the inner band (default 10)")
    e.add_argument("--bins", type=int, default=4, help="bins of a numeric factor with many values (default 4)")
    e.add_argument("--png", default=None, help="PNG path (default DIR/envelope_<series>__<by>.png)")
    e.set_defaults(func=cmd_envelope)


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry point: ``python -m ailoop.runs.sweep_cli {sweep,query,sensitivity,plot-phase} ...``."""
    parser = argparse.ArgumentParser(prog="ailoop", description="AI Loop parameter sweeps")
    sub = parser.add_subparsers(dest="command", required=True)
    add_subcommands(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
