"""Phase diagrams: one summary output over two varied parameters, as a heatmap.

:func:`phase_table` aggregates ``output`` over the successful runs of each (x, y) cell (mean over
replications by default); :func:`plot_phase` draws it (x across, y up, one colour per cell, value
printed in small grids, cells without a successful run in grey) and writes
``DIR/phase_<output>__<x>__<y>.png`` and ``.csv``. Any summary output works: nothing here knows
the model's output names. Sampled (non-grid) designs are binned into ``bins`` equal-width bins per
axis.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ailoop.runs.spec import SpecError
from ailoop.runs.store import HEAD, TAIL, SweepStore

AGGREGATES = ("mean", "median", "min", "max", "std")


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def phase_table(out: str | Path, x: str, y: str, output: str, agg: str = "mean", bins: int = 20) -> pd.DataFrame:
    """``output`` aggregated per (y, x) cell: rows are y values (ascending), columns x values."""
    store = SweepStore(out)
    if not store.exists():
        raise SpecError(f"{str(out)!r} is not a sweep directory (no manifest.json)")
    if agg not in AGGREGATES:
        raise SpecError(f"unknown aggregate {agg!r}; allowed: {', '.join(AGGREGATES)}")
    m = store.read_manifest()
    varied = list(m["design"]["names"])
    for axis, name in (("--x", x), ("--y", y)):
        if name not in varied:
            raise SpecError(f"{axis} {name!r} is not a varied parameter of this sweep; varied: {', '.join(varied) or 'none'}")
    if x == y:
        raise SpecError("--x and --y must be different parameters")
    cols = store.columns()
    if output not in cols:
        outputs = [c for c in cols if c not in HEAD and c not in TAIL and c not in varied]
        raise SpecError(f"unknown output {output!r}; available: {', '.join(outputs) or 'none'}")
    runs = pd.read_parquet(store.runs_dir, columns=[x, y, "status", output])
    ok = runs[runs["status"] == "ok"].copy()
    for name in (x, y):
        if runs[name].nunique() > 60:
            edges = np.linspace(runs[name].min(), runs[name].max(), bins + 1)
            centers = (edges[:-1] + edges[1:]) / 2
            ok[name] = pd.cut(ok[name], edges, labels=centers, include_lowest=True).astype(float)
    table = ok.groupby([y, x])[output].agg(agg).unstack(x)
    # keep every cell of the design (also those whose runs all failed)
    all_x = sorted(pd.unique(ok[x]) if runs[x].nunique() > 60 else pd.unique(runs[x]))
    all_y = sorted(pd.unique(ok[y]) if runs[y].nunique() > 60 else pd.unique(runs[y]))
    return table.reindex(index=all_y, columns=all_x)


def plot_phase(out: str | Path, x: str, y: str, output: str, agg: str = "mean", path: str | Path | None = None,
               bins: int = 20) -> tuple[Path, Path]:
    """Draw the phase diagram; return (png path, csv path)."""
    table = phase_table(out, x, y, output, agg, bins)
    store = SweepStore(out)
    m = store.read_manifest()
    units = {}
    try:
        from ailoop.runs.toy_models import get_model

        params = get_model(m["spec"]["model"]).params()
        units = {n: params[n].unit for n in (x, y) if n in params}
    except Exception:  # noqa: BLE001 -- labels only
        pass
    base = store.root / f"phase_{_safe(output)}__{_safe(x)}__{_safe(y)}"
    png = Path(path) if path else base.with_suffix(".png")
    csv = png.with_suffix(".csv")
    table.to_csv(csv)

    from matplotlib import colormaps
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    z = table.to_numpy(dtype=float)
    fig = Figure(figsize=(max(5.0, 0.6 * z.shape[1] + 3), max(4.0, 0.45 * z.shape[0] + 2)), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    cmap = colormaps["viridis"].with_extremes(bad="lightgrey")
    im = ax.imshow(np.ma.masked_invalid(z), origin="lower", aspect="auto", cmap=cmap)
    ax.set_xticks(range(z.shape[1]), [f"{v:g}" for v in table.columns], rotation=45 if z.shape[1] > 8 else 0)
    ax.set_yticks(range(z.shape[0]), [f"{v:g}" for v in table.index])
    ax.set_xlabel(f"{x} [{units[x]}]" if units.get(x) else x)
    ax.set_ylabel(f"{y} [{units[y]}]" if units.get(y) else y)
    reps = m["spec"].get("replications", 1)
    ax.set_title(f"{output} ({agg} over {reps} replication{'s' if reps != 1 else ''})")
    fig.colorbar(im, ax=ax, label=f"{output} ({agg})")
    if z.size <= 225 and np.isfinite(z).any():
        lo, hi = np.nanmin(z), np.nanmax(z)
        mid = (lo + hi) / 2
        for i in range(z.shape[0]):
            for j in range(z.shape[1]):
                if np.isfinite(z[i, j]):
                    ax.text(j, i, f"{z[i, j]:.3g}", ha="center", va="center", fontsize=7,
                            color="white" if z[i, j] < mid else "black")
    fig.savefig(png, dpi=120)
    return png, csv
