"""Scenario discovery on a sweep: which regions of the varied parameters produce an outcome.

The outcome is a yes/no condition on the runs table, written in SQL (``lab_defaulted = 1``,
``max_drawdown > 0.4``, ``"defaulted.cloud" = 1 AND scenario = 'baseline'``); the inputs are the
varied factors (``scenario`` and other text factors as categories). Only runs with
``status = 'ok'`` count. Three well-kept methods, none hand-written:

* **PRIM** (Friedman & Fisher 1999; ``ema_workbench.analysis.prim``): boxes found one after the
  other (covering, the cases of earlier boxes removed), each the box of its peeling trajectory
  with the most coverage among those of density >= ``threshold`` (the densest, if none reaches
  it);
* **CART** (``sklearn.tree.DecisionTreeClassifier``): the leaves of a shallow classification tree
  in which the cases are the majority, as boxes;
* **feature scoring**: the impurity importances of an extra-trees classifier
  (``sklearn.ensemble.ExtraTreesClassifier``, seeded).

For a box, *coverage* is the share of all cases (runs with the outcome) that fall in it,
*density* the share of the runs in it that are cases, *mass* the share of all runs in it. Writes
``DIR/discover_<outcome>.csv`` (every box with its limits) and ``.png`` (PRIM's
coverage-density trade-off and the limits of the first box).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ailoop.runs.spec import SpecError
from ailoop.runs.store import SweepStore

SEED = 0
#: the threshold ema_workbench's PRIM is given: the smallest positive number (see ``_prim_boxes``)
ACCEPT_ANY_BOX = float(np.nextafter(0.0, 1.0))


@dataclass
class Box:
    """One box: ``limits`` maps each restricted input to ``(lo, hi)`` (numbers) or to the set of
    categories it keeps."""

    method: str
    index: int
    coverage: float
    density: float
    mass: float
    n_runs: int
    n_cases: int
    limits: dict = field(default_factory=dict)

    def rule(self) -> str:
        parts = []
        for name, lim in self.limits.items():
            if isinstance(lim, (set, frozenset, list, tuple)) and lim and isinstance(next(iter(lim)), str):
                parts.append(f"{name} in {{{', '.join(sorted(lim))}}}")
            else:
                lo, hi = lim
                parts.append(f"{lo:.4g} <= {name} <= {hi:.4g}")
        return " and ".join(parts) or "(all runs)"


@dataclass
class Discovery:
    """What :func:`discover` found."""

    outcome: str
    n_runs: int
    n_cases: int
    n_excluded: int
    inputs: list[str]
    prim: list[Box]
    cart: list[Box]
    scores: pd.Series
    csv: Path
    png: Path
    trajectory: pd.DataFrame
    threshold: float = 0.8

    def report(self) -> str:
        lines = [f"outcome: {self.outcome}: {self.n_cases} of {self.n_runs} runs "
                 f"({100 * self.n_cases / max(self.n_runs, 1):.1f}%)"
                 + (f"; {self.n_excluded} runs not ok left out" if self.n_excluded else ""),
                 f"inputs: {', '.join(self.inputs)}", "", "PRIM boxes (ema_workbench):"]
        base = self.n_cases / max(self.n_runs, 1)
        if not self.prim and base >= self.threshold:  # every box meets it: the widest is all the runs
            lines.append(f"  none: the base rate {base:.2f} already meets the threshold {self.threshold:.2f}, so "
                         f"the box with the most coverage is all the runs; try a --threshold above it")
        elif not self.prim:
            lines.append(f"  none reaches density {self.threshold:.2f} (base rate {base:.2f}); try a lower --threshold")
        for b in self.prim:
            lines.append(f"  box {b.index}: coverage {b.coverage:.3f}, density {b.density:.3f}, mass {b.mass:.3f} "
                         f"({b.n_cases} cases in {b.n_runs} runs): {b.rule()}")
            if b.density < self.threshold:
                lines.append(f"    (below the threshold {self.threshold:.2f}: PRIM's peeling stopped short of it; "
                             f"this is the densest box it passed)")
        lines += ["", "CART leaves where the outcome is the majority (scikit-learn):"]
        if not self.cart:
            lines.append("  none")
        for b in self.cart:
            lines.append(f"  leaf {b.index}: coverage {b.coverage:.3f}, density {b.density:.3f}, mass {b.mass:.3f} "
                         f"({b.n_cases} cases in {b.n_runs} runs): {b.rule()}")
        lines += ["", "feature scores (extra trees, impurity importance):"]
        lines += [f"  {name:32s} {score:.3f}" for name, score in self.scores.items()]
        lines += ["", f"wrote {self.csv} and {self.png}"]
        return "\n".join(lines)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:60] or "outcome"


def load_cases(store: SweepStore, outcome: str, inputs: list[str]) -> tuple[pd.DataFrame, np.ndarray, int]:
    """The inputs of the ok runs and the outcome (bool) of each; and how many runs were left out."""
    con = store.connect()
    try:
        cols = [r[0] for r in con.execute("DESCRIBE runs").fetchall()]
        for name in inputs:
            if name not in cols:
                raise SpecError(f"--inputs: {name!r} is not a column of the runs table; allowed: "
                                f"{', '.join(c for c in cols if c not in ('run_id', 'error', 'traceback'))}")
        sel = ", ".join('"' + n.replace('"', '""') + '"' for n in inputs)
        try:
            df = con.execute(f"SELECT {sel}, CAST(({outcome}) AS BOOLEAN) AS __y FROM runs "
                             "WHERE status = 'ok' ORDER BY run_id").df()
        except Exception as e:  # noqa: BLE001 -- the user's SQL: parser/binder errors are bad input
            raise SpecError(f"--outcome {outcome!r} is not a condition on the runs table: "
                            f"{str(e).splitlines()[0]}") from None
        n_all = con.execute("SELECT count(*) FROM runs").fetchone()[0]
    finally:
        con.close()
    if df["__y"].isna().any():
        k = int(df["__y"].isna().sum())
        raise SpecError(f"--outcome {outcome!r} is unknown (NULL) for {k} ok runs; name columns every run has")
    y = df.pop("__y").to_numpy(dtype=bool)
    return df, y, int(n_all - len(df))


def _prim_boxes(x: pd.DataFrame, y: np.ndarray, threshold: float, peel_alpha: float, mass_min: float,
                max_boxes: int = 4) -> tuple[list[Box], pd.DataFrame]:
    import logging

    from ema_workbench.analysis import prim

    logging.getLogger("EMA").setLevel(logging.ERROR)
    logging.getLogger("EMA.analysis.prim").setLevel(logging.ERROR)
    # ema_workbench keeps a peeled box only if its *last* box reaches the threshold (else it returns
    # a "dump box" of all the data, and the trajectory is lost): PRIM's greedy peeling stops where
    # no peel raises the density, often short of it. The threshold is applied here instead, when
    # choosing from the trajectory; ema gets one that any box with a case meets, which still
    # counts the cases as the runs with y true (its cases are y >= threshold).
    p = prim.Prim(x, y, threshold=ACCEPT_ANY_BOX, peel_alpha=peel_alpha, mass_min=mass_min)
    init = p.box_init
    boxes, first_traj = [], None
    n_cases_all, n_all = int(y.sum()), len(y)
    for k in range(1, max_boxes + 1):
        box = p.find_box()
        if box is None:
            break
        traj = box.peeling_trajectory
        if first_traj is None:
            first_traj = traj.copy()
        ok = traj[traj["density"] >= threshold]
        if len(ok):
            i = int(ok.sort_values(["coverage", "res_dim"], ascending=[False, True]).index[0])
        else:
            i = int(traj["density"].idxmax())
        box.select(i)
        if traj.loc[i, "density"] < threshold and k > 1:
            break
        lims = box.box_lims[i]
        inside = np.ones(n_all, dtype=bool)
        limits = {}
        for col in x.columns:
            lo, hi = lims[col].iloc[0], lims[col].iloc[1]
            if isinstance(x[col].dtype, pd.CategoricalDtype) or x[col].dtype == object:
                kept, allv = set(lo) if isinstance(lo, (set, frozenset)) else {lo}, set(init[col].iloc[0])
                if kept != allv:
                    limits[col] = kept
                    inside &= x[col].astype(str).isin(kept).to_numpy()
            elif lo > init[col].iloc[0] or hi < init[col].iloc[1]:
                limits[col] = (float(lo), float(hi))
                v = x[col].to_numpy(dtype=float)
                inside &= (v >= lo) & (v <= hi)
        if not limits:  # PRIM's "dump box": no box reached the threshold
            break
        n_in, cases_in = int(inside.sum()), int(y[inside].sum())
        boxes.append(Box("prim", k, cases_in / max(n_cases_all, 1), cases_in / max(n_in, 1), n_in / n_all,
                         n_in, cases_in, limits))
        if traj.loc[i, "density"] < threshold:
            break
    return boxes, first_traj if first_traj is not None else pd.DataFrame()


def _encode(x: pd.DataFrame) -> tuple[np.ndarray, list[str], dict[str, list[str]]]:
    """Numbers for the trees: text inputs one-hot (a column per category)."""
    cols, names, cats = [], [], {}
    for c in x.columns:
        if isinstance(x[c].dtype, pd.CategoricalDtype) or x[c].dtype == object:
            levels = sorted(x[c].astype(str).unique())
            cats[c] = levels
            for lv in levels:
                cols.append((x[c].astype(str) == lv).to_numpy(dtype=float))
                names.append(f"{c}={lv}")
        else:
            cols.append(x[c].to_numpy(dtype=float))
            names.append(c)
    return np.column_stack(cols), names, cats


def _cart_boxes(x: pd.DataFrame, y: np.ndarray, min_leaf: int, max_depth: int) -> list[Box]:
    from sklearn.tree import DecisionTreeClassifier

    xa, names, cats = _encode(x)
    clf = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=min_leaf, random_state=SEED).fit(xa, y)
    tree = clf.tree_
    leaves = clf.apply(xa)
    n_cases_all, n_all = int(y.sum()), len(y)
    out = []

    def walk(node: int, bounds: dict) -> None:
        if tree.children_left[node] == -1:
            inside = leaves == node
            n_in, cases_in = int(inside.sum()), int(y[inside].sum())
            if n_in and cases_in / n_in > 0.5:
                limits = {}
                for name, (lo, hi) in bounds.items():
                    if "=" in name:  # a category: <= 0.5 means "not this one", > 0.5 "this one"
                        col, lv = name.split("=", 1)
                        keep = set(limits.get(col, cats[col]))
                        keep = keep - {lv} if hi <= 0.5 else keep & {lv}
                        limits[col] = keep
                    else:
                        col = x[name].to_numpy(dtype=float)
                        limits[name] = (max(lo, float(col.min())), min(hi, float(col.max())))
                out.append(Box("cart", 0, cases_in / max(n_cases_all, 1), cases_in / n_in, n_in / n_all, n_in,
                               cases_in, limits))
            return
        f, t = names[tree.feature[node]], float(tree.threshold[node])
        lo, hi = bounds.get(f, (-np.inf, np.inf))
        walk(tree.children_left[node], {**bounds, f: (lo, min(hi, t))})
        walk(tree.children_right[node], {**bounds, f: (max(lo, t), hi)})

    walk(0, {})
    out.sort(key=lambda b: (-b.density, -b.coverage))
    for i, b in enumerate(out, 1):
        b.index = i
    return out


def _scores(x: pd.DataFrame, y: np.ndarray) -> pd.Series:
    from sklearn.ensemble import ExtraTreesClassifier

    xa, names, _ = _encode(x)
    et = ExtraTreesClassifier(n_estimators=250, random_state=SEED, n_jobs=1).fit(xa, y)
    s = pd.Series(et.feature_importances_, index=names)
    # categories back to their factor
    agg = s.groupby([n.split("=", 1)[0] for n in s.index]).sum()
    return agg.sort_values(ascending=False)


def discover(out: str | Path, outcome: str, inputs: tuple[str, ...] | None = None, *, threshold: float = 0.8,
             peel_alpha: float = 0.05, mass_min: float = 0.05, min_leaf: int | None = None, max_depth: int = 3,
             png: str | Path | None = None) -> Discovery:
    """PRIM, CART and feature scores of ``outcome`` over ``inputs`` for the sweep in ``out``."""
    store = SweepStore(out)
    m = store.read_manifest()
    inputs = list(inputs) if inputs else list(m["design"]["names"])
    if not inputs:
        raise SpecError(f"{str(out)!r} varies nothing; name the inputs with --inputs")
    x, y, excluded = load_cases(store, outcome, inputs)
    if len(y) < 20:
        raise SpecError(f"only {len(y)} ok runs in {str(out)!r}; scenario discovery needs at least 20")
    if y.all() or not y.any():
        raise SpecError(f"--outcome {outcome!r} is {'true' if y.all() else 'false'} in every one of the {len(y)} "
                        "ok runs: nothing to tell apart; choose another threshold")
    for c in x.columns:
        if x[c].dtype == object or str(x[c].dtype) in ("str", "string", "bool", "boolean"):
            x[c] = x[c].astype(str).astype("category")
    min_leaf = min_leaf or max(5, int(0.05 * len(y)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prim_boxes, traj = _prim_boxes(x, y, threshold, peel_alpha, mass_min)
        cart_boxes = _cart_boxes(x, y, min_leaf, max_depth)
        scores = _scores(x, y)
    base = store.root / f"discover_{_safe(outcome)}"
    csv = base.with_suffix(".csv")
    rows = []
    for b in prim_boxes + cart_boxes:
        rows.append({"method": b.method, "box": b.index, "coverage": b.coverage, "density": b.density,
                     "mass": b.mass, "runs": b.n_runs, "cases": b.n_cases, "rule": b.rule()})
    pd.DataFrame(rows, columns=["method", "box", "coverage", "density", "mass", "runs", "cases", "rule"]).to_csv(
        csv, index=False)
    png = Path(png) if png else base.with_suffix(".png")
    _plot(traj, prim_boxes, x, threshold, outcome, png)
    return Discovery(outcome, len(y), int(y.sum()), excluded, inputs, prim_boxes, cart_boxes, scores, csv, png, traj,
                     threshold)


def _plot(traj: pd.DataFrame, boxes: list[Box], x: pd.DataFrame, threshold: float, outcome: str, path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 4.4), layout="constrained")
    FigureCanvasAgg(fig)
    ax, bx = fig.subplots(1, 2)
    if len(traj):
        sc = ax.scatter(traj["coverage"], traj["density"], c=traj["res_dim"], cmap="viridis", s=18)
        fig.colorbar(sc, ax=ax, label="restricted inputs (count)")
        if boxes:
            ax.plot([boxes[0].coverage], [boxes[0].density], "r*", ms=14, label="box 1 (reported)")
            ax.legend(loc="lower left")
    ax.axhline(threshold, color="grey", ls=":", lw=1)
    ax.set_xlabel("coverage (share of the cases in the box, 1)")
    ax.set_ylabel("density (share of the box's runs that are cases, 1)")
    ax.set_title("PRIM peeling trajectory, first box")
    if boxes and boxes[0].limits:
        b = boxes[0]
        names = list(b.limits)
        for i, name in enumerate(names):
            lim = b.limits[name]
            if isinstance(lim, tuple):
                col = x[name].to_numpy(dtype=float)
                lo0, hi0 = float(col.min()), float(col.max())
                span = (hi0 - lo0) or 1.0
                bx.barh(i, (lim[1] - lim[0]) / span, left=(lim[0] - lo0) / span, color="C3", alpha=0.7)
                bx.text(1.02, i, f"[{lim[0]:.3g}, {lim[1]:.3g}]", va="center", fontsize=8)
            else:
                bx.barh(i, 1.0, color="C1", alpha=0.4)
                bx.text(0.02, i, "{" + ", ".join(sorted(lim)) + "}", va="center", fontsize=8)
        bx.set_yticks(range(len(names)), names)
        bx.set_xlim(0, 1.35)
        bx.set_xlabel("place in the sampled range (0 lowest, 1 highest)")
        bx.set_title(f"box 1: coverage {b.coverage:.2f}, density {b.density:.2f}")
    else:
        bx.text(0.5, 0.5, "no box", ha="center", va="center")
        bx.set_axis_off()
    fig.suptitle(f"scenario discovery: {outcome}")
    fig.savefig(path, dpi=110)
