"""Writing a run's outputs: Parquet tables, JSON, plots and the printed summary table.

``write_run(economy, out_dir)`` writes into a temporary sibling folder and moves the files into
``out_dir`` only when everything is written, so an interrupted or failed run leaves nothing
half-written; ``check_out_dir(out_dir)`` tells before a run whether it could.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from ailoop.model.metrics import announcements, summarize
from ailoop.runs.plots import plot_run, plot_spiral


class OutputPathError(ValueError):
    """An output folder that cannot be written (one-line message naming the path and why)."""


def check_out_dir(out_dir: str | Path) -> None:
    """Raise :class:`OutputPathError` if :func:`write_run` could not write ``out_dir``; call it
    before a run, so that a bad path fails at once and not after the simulation.

    ``out_dir`` must be a folder or not exist yet; the nearest existing folder above it must
    take a new entry. That is tried, not inferred from permission bits (which do not stop root):
    a probe folder is made there and removed at once, so nothing is left behind."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputPathError(f"--out {str(out)!r}: cannot write there: it exists and is not a folder")
    probe_in = out if out.is_dir() else out.parent
    while not probe_in.exists() and probe_in != probe_in.parent:
        probe_in = probe_in.parent
    if not probe_in.is_dir():
        raise OutputPathError(f"--out {str(out)!r}: cannot write there: {str(probe_in)!r} is a file, not a folder")
    try:
        shutil.rmtree(tempfile.mkdtemp(prefix=f".{out.name or 'out'}.probe.", dir=probe_in))
    except OSError as e:
        raise OutputPathError(f"--out {str(out)!r}: cannot write there: cannot make a folder in {str(probe_in)!r} "
                              f"({e.strerror or e})") from None
    if out.is_dir() and out.parent != out:  # write_run also makes its temporary folder beside it
        try:
            shutil.rmtree(tempfile.mkdtemp(prefix=f".{out.name}.probe.", dir=out.parent))
        except OSError as e:
            raise OutputPathError(f"--out {str(out)!r}: cannot write there: cannot make a folder in "
                                  f"{str(out.parent)!r} ({e.strerror or e})") from None


#: files that mark a folder as the output of ``ailoop run`` (what ``--overwrite`` may replace)
RUN_MARKERS = ("params.json", "summary.json")


def check_replace(out_dir: str | Path, overwrite: bool) -> None:
    """Raise :class:`OutputPathError` if ``out_dir`` already holds files and ``overwrite`` is not
    set, or if ``overwrite`` is set but the folder is not a run's output (no ``params.json``):
    ``--overwrite`` replaces a run, never a folder of other files."""
    out = Path(out_dir)
    if not out.is_dir() or not any(out.iterdir()):
        return
    is_run = any((out / m).is_file() for m in RUN_MARKERS)
    if not overwrite:
        what = "a run" if is_run else "files"
        raise OutputPathError(f"--out {str(out)!r} already holds {what}; pass --overwrite to replace "
                              f"{'it' if is_run else 'them'}, or choose another folder")
    if not is_run:
        raise OutputPathError(f"--out {str(out)!r} holds files but no run (no params.json); --overwrite replaces "
                              "only a run's folder: choose another folder")


def check_out_file(path: str | Path) -> None:
    """Raise :class:`OutputPathError` if a table could not be written to the file ``path`` (its
    folder is made if missing); call it before the work, like :func:`check_out_dir`."""
    out = Path(path)
    if out.is_dir():
        raise OutputPathError(f"--out {str(out)!r}: cannot write there: it is a folder, not a file")
    try:
        check_out_dir(out.parent)
    except OutputPathError as e:
        raise OutputPathError(f"--out {str(out)!r}: " + str(e).split(": ", 1)[1]) from None


def check_out_option(parser, path: str | Path | None) -> None:
    """For a script's ``--out FILE``: if ``path`` is given and cannot be written, stop with
    ``parser``'s one-line usage error (exit 2) before any work."""
    if path:
        try:
            check_out_file(path)
        except OutputPathError as e:
            parser.error(str(e))


def write_table(df, path: str | Path) -> None:
    """Write the DataFrame ``df`` as CSV to ``path``, making its folder; written to a temporary
    file beside it and renamed, so a failure leaves nothing half-written."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    df.to_csv(tmp, index=False)
    tmp.replace(out)


def write_run(economy, out_dir: str | Path, plots: bool = True, overwrite: bool = False) -> dict[str, float]:
    """Write ``model.parquet``, ``agents.parquet``, ``events.parquet``, ``params.json``,
    ``summary.json`` and PNG plots for the finished economy ``economy``; return the summary.

    ``params.json`` records the scenario, seed, steps, every parameter, and what made the run
    (``version`` of ailoop, git ``commit``, ``time`` in UTC). With ``overwrite``, a run already in
    ``out_dir`` is replaced whole: its old files are removed, none is left beside the new ones."""
    from ailoop.runs.store import provenance

    check_replace(out_dir, overwrite)
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        df = economy.datacollector.get_model_vars_dataframe()
        df.to_parquet(tmp / "model.parquet", index=False)
        economy.datacollector.get_agent_vars_dataframe().to_parquet(tmp / "agents.parquet", index=False)
        events = pd.DataFrame(economy.events, columns=["step", "date", "event", "agent", "cause", "size"])
        events.to_parquet(tmp / "events.parquet", index=False)
        announcements(economy).to_parquet(tmp / "announcements.parquet", index=False)
        summary = summarize(economy)
        meta = {"scenario": economy.scenario.name, "base": economy.base, "seed": economy.seed, "steps": economy.steps,
                "shock_dates": [s.date.isoformat() for s in economy.shocks if s.date is not None],
                "years": economy.steps / 252.0, "params": economy.params, **provenance()}
        (tmp / "params.json").write_text(json.dumps(meta, indent=2, sort_keys=True))
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2))
        if plots:
            plot_run(df, tmp)
            plot_spiral(df, events, tmp / "timeline.png", title=f"{economy.scenario.name}, seed {economy.seed}")
        if overwrite and out.is_dir():  # the old run goes whole: no old plot stays beside the new tables
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            os.replace(out, old / "run")
            os.replace(tmp, out)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(out, 0o777 & ~umask)   # (the temporary folder was private)
            shutil.rmtree(old, ignore_errors=True)
        else:
            out.mkdir(parents=True, exist_ok=True)
            for f in sorted(tmp.iterdir()):
                os.replace(f, out / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return summary


SUMMARY_ROWS = (
    ("market_value_start", "AI-loop market value at start", "$B"),
    ("market_value_end", "AI-loop market value at end", "$B"),
    ("cash_paid_cumulative", "cash actually paid among loop firms", "$B"),
    ("committed_outstanding_max", "peak commitments outstanding", "$B"),
    ("committed_outstanding_end", "commitments outstanding at end", "$B"),
    ("wealth_amplification", "market value change per $ paid", "$/$"),
    ("paid_lab_to_cloud", "paid lab -> cloud", "$B"),
    ("paid_cloud_to_chip_leader", "paid cloud -> chip_leader", "$B"),
    ("paid_chip_leader_to_lab", "paid chip_leader -> lab", "$B"),
    ("chip_leader_revenue_from_own_investment", "chip_leader receipts traced to chipmaker investment", "share"),
    ("lab_revenue_last_12m", "lab revenue, last 12 months", "$B"),
    ("lab_net_burn_last_12m", "lab net burn, last 12 months", "$B"),
    ("lab_funding_gap", "lab funding gap, next 12 months", "$B"),
    ("capacity_built_gw_end", "capacity online at end", "GW"),
    ("capacity_used_gw_end", "capacity used at end", "GW"),
    ("gpu_price_new_end", "new-GPU price at end", "$k/GPU"),
    ("gpu_rent_per_hour_end", "GPU rent at end", "$/GPU-h"),
    ("arrears_total_end", "unpaid bills (arrears) at end", "$B"),
    ("max_drawdown", "largest fall of AI-loop market value", "share"),
    ("sentiment_end", "AI sentiment at end", "index"),
)


WHO_PAID = (("venture_funds", "venture funds"), ("bond_buyers", "bond buyers"), ("retail", "retail ETF holders"),
            ("chipmakers", "chipmakers"), ("hyperscalers", "hyperscalers"),
            ("traders", "institutional traders"), ("other", "the labs' other investors"))


def format_who_paid(summary: dict[str, float]) -> str:
    """Losses (+) and gains (-) by holder class at the end of the run, $B."""
    width = max(len(label) for _, label in WHO_PAID)
    lines = ["who paid: cumulative losses (+) / gains (-) by holder class", "-" * (width + 18)]
    for key, label in WHO_PAID:
        lines.append(f"{label.ljust(width)}  {summary.get('loss.' + key, 0.0):12,.1f}  $B")
    defaulted = sorted(k.split(".", 1)[1] for k, v in summary.items() if k.startswith("defaulted.") and v > 0)
    lines.append(f"defaults: {len(defaulted)}" + (f" ({', '.join(defaulted)})" if defaulted else ""))
    return "\n".join(lines)


def format_summary(summary: dict[str, float]) -> str:
    """The short table ``ailoop run`` prints."""
    width = max(len(label) for _, label, _ in SUMMARY_ROWS)
    lines = [f"{'measure'.ljust(width)}  {'value':>12}  unit", "-" * (width + 24)]
    for key, label, unit in SUMMARY_ROWS:
        v = summary.get(key)
        if v is None:
            continue
        lines.append(f"{label.ljust(width)}  {v:12,.3f}  {unit}" if unit in ("share", "index") or abs(v) < 100
                     else f"{label.ljust(width)}  {v:12,.1f}  {unit}")
    return "\n".join(lines)
