"""Envelope plots: a per-step series over the runs of a sweep, grouped by a factor.

For each level of the factor (a text factor such as ``scenario``, or a numeric one; a numeric
factor with more than ``bins`` values is cut into ``bins`` equal-count bins) and each stored
step: the median of the series over the group's ok runs, the ``low``..``100 - low`` percentile
band and the min..max band. Needs the series in the sweep (``[outputs] series``). Writes
``DIR/envelope_<series>__<by>.csv`` (group, step, n, min, low, median, high, max) and ``.png``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ailoop.runs.spec import SpecError
from ailoop.runs.store import SweepStore

STEPS_PER_YEAR = 252


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


@lru_cache(maxsize=1)
def _output_units() -> list[tuple[re.Pattern, str]]:
    """(column pattern, unit) from the tables of docs/outputs.md, if the docs are at hand."""
    doc = Path(__file__).resolve().parent.parent / "docs" / "outputs.md"
    out = []
    try:
        text = doc.read_text(encoding="utf-8")
    except OSError:
        return out
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("`") and cells[0].endswith("`"):
            pat = re.escape(cells[0].strip("`"))
            pat = re.sub(r"<[^>]+>", r"[^.]+", pat.replace(r"\<", "<").replace(r"\>", ">"))
            out.append((re.compile(f"^{pat}$"), cells[-1]))
    return out


def series_unit(name: str) -> str:
    """The unit of a per-step column, as docs/outputs.md gives it (``see docs/outputs.md`` else)."""
    for pat, unit in _output_units():
        if pat.match(name):
            return unit
    return "unit: see docs/outputs.md"


def envelope_table(out: str | Path, series: str, by: str, low: float = 10.0, bins: int = 4) -> pd.DataFrame:
    """The envelope of ``series`` by ``by``: one row per group and step."""
    store = SweepStore(out)
    con = store.connect()
    try:
        scols = [r[0] for r in con.execute("DESCRIBE series").fetchall()]
        rcols = [r[0] for r in con.execute("DESCRIBE runs").fetchall()]
        if series not in scols or series in ("run_id", "point", "rep", "step"):
            stored = [c for c in scols if c not in ("run_id", "point", "rep", "step")]
            raise SpecError(f"--series {series!r} is not stored in {str(out)!r}; stored: {', '.join(stored) or 'none'} "
                            "(add it to the spec's [outputs] series)")
        if by not in rcols:
            raise SpecError(f"--by {by!r} is not a column of the runs table; allowed: scenario, years or a "
                            f"parameter column ({', '.join(c for c in rcols if c not in ('run_id', 'error', 'traceback'))})")
        q = lambda c: '"' + c.replace('"', '""') + '"'  # noqa: E731
        df = con.execute(f"SELECT r.{q(by)} AS grp, s.step, s.{q(series)} AS v FROM series s JOIN runs r "
                         "USING (run_id) WHERE r.status = 'ok' ORDER BY s.run_id, s.step").df()
    finally:
        con.close()
    if not len(df):
        raise SpecError(f"no ok run of {str(out)!r} has the series {series!r}")
    g = df["grp"]
    if pd.api.types.is_numeric_dtype(g) and g.nunique() > bins:
        cut = pd.qcut(g, bins, duplicates="drop")
        df["grp"] = cut.map(lambda iv: f"{by} in ({iv.left:.3g}, {iv.right:.3g}]").astype(str)
    else:
        df["grp"] = g.map(lambda v: f"{by} = {v:g}" if isinstance(v, (float, int, np.number)) else f"{by} = {v}")
    hi = 100.0 - low
    agg = df.groupby(["grp", "step"])["v"].agg(
        n="count", min="min", low=lambda v: np.percentile(v, low), median="median",
        high=lambda v: np.percentile(v, hi), max="max").reset_index()
    return agg.rename(columns={"grp": "group"})


def envelope(out: str | Path, series: str, by: str, low: float = 10.0, bins: int = 4,
             path: str | Path | None = None) -> tuple[pd.DataFrame, Path, Path]:
    """Draw the envelope; return (table, csv path, png path)."""
    table = envelope_table(out, series, by, low, bins)
    store = SweepStore(out)
    base = store.root / f"envelope_{_safe(series)}__{_safe(by)}"
    png = Path(path) if path else base.with_suffix(".png")
    csv = png.with_suffix(".csv")
    table.to_csv(csv, index=False)

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 4.8), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for i, (name, g) in enumerate(table.groupby("group", sort=True)):
        t = g["step"].to_numpy() / STEPS_PER_YEAR
        color = f"C{i % 10}"
        ax.fill_between(t, g["min"], g["max"], color=color, alpha=0.10, lw=0)
        ax.fill_between(t, g["low"], g["high"], color=color, alpha=0.28, lw=0)
        ax.plot(t, g["median"], color=color, lw=1.6, label=f"{name} ({int(g['n'].max())} runs)")
    unit = series_unit(series)
    ax.set_xlabel("years since September 2025")
    ax.set_ylabel(f"{series} ({unit})")
    ax.set_title(f"{series}: median, {low:g}-{100 - low:g}% band and min-max over runs, by {by}")
    ax.legend(fontsize=8)
    fig.savefig(png, dpi=110)
    return table, csv, png
