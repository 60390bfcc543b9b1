"""Global sensitivity indices from a stored sweep: Sobol (SALib) or Morris elementary effects.

The sweep must have been run with ``design = "sobol"`` (for Sobol) or ``design = "morris"``
(for Morris): design point ``i`` is row ``i`` of the SALib sample matrix (``design.parquet``),
and the SALib problem (names, bounds) is in the manifest. With several replications per point the
output is averaged over the successful replications of each point first. Every design point must
have at least one successful run.

Writes ``DIR/sensitivity_<output>_<method>.csv`` and ``.png``:

* Sobol: ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` per parameter (first-order and total-order
  shares of the output's variance, with the half-width of the ``conf_level`` bootstrap interval);
  with ``[options] second_order = true`` also ``..._S2.csv`` (pairwise indices).
* Morris: ``mu``, ``mu_star`` (mean absolute elementary effect), ``mu_star_conf``, ``sigma``,
  in units of the output per unit of the parameter's sampled range (SALib's convention).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ailoop.runs.spec import SpecError
from ailoop.runs.store import HEAD, TAIL, SweepStore


def _param_units(model: str, names: list[str]) -> dict[str, str]:
    try:
        from ailoop.runs.toy_models import get_model

        table = get_model(model).params()
        return {n: table[n].unit if n in table else "" for n in names}
    except Exception:  # noqa: BLE001 -- labels only
        return {n: "" for n in names}


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def point_means(store: SweepStore, output: str, n_points: int, names: list[str]) -> np.ndarray:
    """The mean of ``output`` over the successful runs of each design point, in point order."""
    cols = store.columns()
    if output not in cols:
        outputs = [c for c in cols if c not in HEAD and c not in TAIL and c not in names]
        raise SpecError(f"unknown output {output!r} in {store.root}; available: {', '.join(outputs) or 'none'}")
    runs = pd.read_parquet(store.runs_dir, columns=["point", "status", output])
    ok = runs[(runs["status"] == "ok") & runs[output].notna()]
    y = ok.groupby("point")[output].mean().reindex(range(n_points))
    missing = np.flatnonzero(y.isna().to_numpy())
    if len(missing):
        raise SpecError(
            f"{len(missing)} of {n_points} design points have no successful run with {output!r} "
            f"(first: point {missing[0]}); finish the sweep (--resume) or fix the failures first"
        )
    return y.to_numpy(dtype=np.float64)


def analyze(out: str | Path, output: str, method: str | None = None, *, num_resamples: int = 1000,
            conf_level: float = 0.95, seed: int | None = 0, plot: bool = True) -> tuple[pd.DataFrame, Path, Path | None]:
    """Compute the indices of ``output`` for the sweep in ``out``; return (table, csv path, png path)."""
    store = SweepStore(out)
    if not store.exists():
        raise SpecError(f"{str(out)!r} is not a sweep directory (no manifest.json)")
    m = store.read_manifest()
    design = m["design"]
    kind = design["kind"]
    method = method or kind
    if method not in ("sobol", "morris"):
        raise SpecError(f"unknown method {method!r}; allowed: sobol, morris")
    if kind != method:
        raise SpecError(f"--method {method} needs a sweep run with design = '{method}'; {str(out)!r} used '{kind}'")
    problem = {k: v for k, v in design["problem"].items()}
    names = list(problem["names"])
    y = point_means(store, output, int(design["n_points"]), names)
    units = _param_units(m["spec"]["model"], names)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "sobol":
            from SALib.analyze import sobol

            si = sobol.analyze(problem, y, calc_second_order=bool(design.get("second_order")),
                               num_resamples=num_resamples, conf_level=conf_level, seed=seed)
            table = pd.DataFrame({
                "parameter": names, "unit": [units[n] for n in names],
                "S1": si["S1"], "S1_conf": si["S1_conf"], "ST": si["ST"], "ST_conf": si["ST_conf"],
            })
        else:
            from SALib.analyze import morris

            x = pd.read_parquet(store.design_path).sort_values("point")[names].to_numpy(dtype=np.float64)
            si = morris.analyze(problem, x, y, num_resamples=num_resamples, conf_level=conf_level,
                                num_levels=int(design.get("levels") or 4), seed=seed)
            table = pd.DataFrame({
                "parameter": names, "unit": [units[n] for n in names], "mu": si["mu"],
                "mu_star": si["mu_star"], "mu_star_conf": si["mu_star_conf"], "sigma": si["sigma"],
            })
    table.insert(0, "output", output)
    base = store.root / f"sensitivity_{_safe(output)}_{method}"
    csv = base.with_suffix(".csv")
    table.to_csv(csv, index=False)
    if method == "sobol" and design.get("second_order"):
        s2 = pd.DataFrame(si["S2"], index=names, columns=names)
        s2.to_csv(base.with_name(base.name + "_S2.csv"))
    png = None
    if plot:
        png = base.with_suffix(".png")
        _plot(table, method, output, design, png)
    return table, csv, png


def _plot(table: pd.DataFrame, method: str, output: str, design: dict, path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    labels = [f"{p}\n[{u}]" if u else p for p, u in zip(table["parameter"], table["unit"])]
    x = np.arange(len(table))
    fig = Figure(figsize=(max(5.0, 1.4 * len(table) + 2), 4.2), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if method == "sobol":
        w = 0.38
        ax.bar(x - w / 2, table["S1"], w, yerr=table["S1_conf"], capsize=3, label="first order S1")
        ax.bar(x + w / 2, table["ST"], w, yerr=table["ST_conf"], capsize=3, label="total order ST")
        ax.set_ylabel(f"Sobol index (share of Var[{output}], 1)")
        ax.axhline(0, color="black", lw=0.6)
        title = f"Sobol indices of {output} (N = {design.get('samples')}, {design['n_points']} points)"
    else:
        ax.bar(x, table["mu_star"], 0.6, yerr=table["mu_star_conf"], capsize=3, label="mu* (mean |effect|)")
        ax.plot(x, table["sigma"], "o", color="C3", label="sigma (std of effects)")
        ax.set_ylabel(f"elementary effect on {output}\n[{output} units per parameter range]")
        title = f"Morris screening of {output} ({design.get('samples')} trajectories)"
    ax.set_xticks(x, labels)
    ax.set_xlabel("parameter [unit]")
    ax.set_title(title)
    ax.legend()
    fig.savefig(path, dpi=120)


def convergence(out: str | Path, output: str, *, num_resamples: int = 1000, conf_level: float = 0.95,
                seed: int | None = 0, plot: bool = True, n_min: int = 4) -> tuple[pd.DataFrame, Path, Path | None]:
    """Sobol indices of ``output`` at growing base samples N = ``n_min``, 2 ``n_min``, ..., the
    sweep's N: each from the first N blocks of the stored Saltelli/Sobol' sample (the first N
    points of a Sobol' sequence, N a power of 2, are themselves a balanced sample), so that one
    sweep shows whether its indices have settled. Writes ``DIR/sensitivity_<output>_convergence``
    ``.csv`` (N, parameter, S1, S1_conf, ST, ST_conf) and ``.png``."""
    store = SweepStore(out)
    if not store.exists():
        raise SpecError(f"{str(out)!r} is not a sweep directory (no manifest.json)")
    m = store.read_manifest()
    design = m["design"]
    if design["kind"] != "sobol":
        raise SpecError(f"--convergence needs a sweep run with design = 'sobol'; {str(out)!r} used '{design['kind']}'")
    problem = dict(design["problem"])
    names = list(problem["names"])
    k = len(names)
    second = bool(design.get("second_order"))
    block = 2 * k + 2 if second else k + 2
    y = point_means(store, output, int(design["n_points"]), names)
    n_full = len(y) // block
    sizes, n = [], n_min
    while n < n_full:
        sizes.append(n)
        n *= 2
    sizes.append(n_full)
    units = _param_units(m["spec"]["model"], names)
    rows = []
    from SALib.analyze import sobol

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n in sizes:
            si = sobol.analyze(problem, y[: n * block], calc_second_order=second, num_resamples=num_resamples,
                               conf_level=conf_level, seed=seed)
            for j, name in enumerate(names):
                rows.append({"output": output, "N": n, "runs_per_replication": n * block, "parameter": name,
                             "unit": units[name], "S1": si["S1"][j], "S1_conf": si["S1_conf"][j],
                             "ST": si["ST"][j], "ST_conf": si["ST_conf"][j]})
    table = pd.DataFrame(rows)
    base = store.root / f"sensitivity_{_safe(output)}_convergence"
    csv = base.with_suffix(".csv")
    table.to_csv(csv, index=False)
    png = None
    if plot:
        png = base.with_suffix(".png")
        _plot_convergence(table, output, png)
    return table, csv, png


def _plot_convergence(table: pd.DataFrame, output: str, path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 4.2), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, 2, sharey=True)
    for ax, idx in zip(axes, ("S1", "ST")):
        for i, (name, g) in enumerate(table.groupby("parameter", sort=False)):
            ax.errorbar(g["N"] * (1 + 0.03 * (i - 1)), g[idx], yerr=g[f"{idx}_conf"], capsize=3, marker="o", ms=4,
                        label=name)
        ax.set_xscale("log", base=2)
        ax.axhline(0, color="black", lw=0.6)
        ax.set_xlabel("base sample N (runs = N x (k + 2) per replication)")
        ax.set_title({"S1": "first-order index S1", "ST": "total-order index ST"}[idx])
    axes[0].set_ylabel(f"Sobol index (share of Var[{output}], 1)")
    axes[1].legend(fontsize=8)
    fig.suptitle(f"Convergence of the Sobol indices of {output} (bars: bootstrap intervals)")
    fig.savefig(path, dpi=110)
