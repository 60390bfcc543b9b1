"""PNG plots of one run (matplotlib, no screen needed). Every axis states its unit."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402


def _monthly(df: pd.DataFrame) -> pd.DataFrame:
    return df.groupby("month").last()


def plot_run(df: pd.DataFrame, out: Path) -> list[Path]:
    """Write the standard plots of a run into ``out``; returns their paths."""
    paths = []
    m = _monthly(df)
    dates = m["date"]

    fig, ax = plt.subplots(figsize=(9, 4.5))
    for col, label in (("paid.lab.cloud", "lab → cloud (compute)"), ("paid.cloud.chip_leader", "cloud → chip_leader (GPUs)"),
                       ("paid.chip_leader.lab", "chip_leader → lab (equity)")):
        if col in m:
            ax.bar(dates, m[col].diff().fillna(m[col]), width=25, alpha=0.6, label=label)
    ax.set_ylabel("cash paid per month ($B)")
    ax.set_title("The triangle as cash actually paid, month by month")
    ax.legend()
    paths.append(_save(fig, out / "triangle_cash.png"))

    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.plot(df["date"], df["committed_outstanding"], label="commitments outstanding")
    ax.plot(df["date"], df["cash_paid_cumulative"], label="cash paid in loop deals (cumulative)")
    ax.set_ylabel("$B")
    ax.set_title("Promises vs cash")
    ax.legend()
    paths.append(_save(fig, out / "committed_vs_paid.png"))

    fig, ax = plt.subplots(figsize=(9, 4.5))
    for col in ("capacity_contracted_gw", "capacity_built_gw", "capacity_used_gw"):
        ax.plot(df["date"], df[col], label=col.replace("capacity_", "").replace("_gw", ""))
    ax.set_ylabel("capacity (GW)")
    ax.set_title("AI data-centre capacity")
    ax.legend()
    paths.append(_save(fig, out / "capacity.png"))

    fig, ax = plt.subplots(figsize=(9, 4.5))
    _gpu_panel(ax, df)
    ax.set_title("GPU prices and rent")
    paths.append(_save(fig, out / "gpu_prices.png"))

    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.plot(dates, m["lab_revenue"], label="lab revenue ($B/month)")
    ax.plot(dates, m["lab_demand"], label="lab end-user demand ($B/month)")
    ax.plot(dates, m["cash.lab"] / 10, label="lab cash ($10B)")
    ax.set_ylabel("$B per month (cash: $10B)")
    ax.set_title("The lab: demand, revenue and cash")
    ax.legend()
    paths.append(_save(fig, out / "lab.png"))
    if any(c.startswith("loss.") for c in df.columns):
        paths.append(plot_who_paid(df, out / "who_paid.png"))
    return paths


def _gpu_panel(ax, df: pd.DataFrame) -> None:
    """New and used GPU prices ($k per GPU) with the rent ($ per GPU-hour) on a second axis."""
    ax.plot(df["date"], df["gpu_price_new"], label="new GPU ($k per GPU)")
    ax.plot(df["date"], df["gpu_price_used"], label="used GPU ($k per GPU)")
    ax.set_ylabel("$ thousand per GPU")
    ax2 = ax.twinx()
    ax2.plot(df["date"], df["gpu_rent_per_hour"], color="k", ls="--", lw=0.8, label="rent ($/GPU-hour)")
    ax2.set_ylabel("rent ($ per GPU-hour)")
    ax.legend(loc="upper left")
    ax2.legend(loc="upper right")


def _save(fig, path: Path, autofmt: bool = True) -> Path:
    if autofmt:  # shared date axis: labels on the bottom panel only
        fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


LOSS_LABELS = (("venture_funds", "venture funds"), ("bond_buyers", "bond buyers"), ("retail", "retail ETF"),
               ("chipmakers", "chipmakers"), ("hyperscalers", "hyperscalers"),
               ("traders", "institutional traders"), ("other", "labs' other holders"))
EVENT_MARKS = {"default": ("red", "-"), "failed round": ("orange", ":"), "margin call": ("purple", "--"),
               "GPU fire sale": ("brown", "-."), "shock": ("black", "-")}


def plot_who_paid(df: pd.DataFrame, out: Path) -> Path:
    """Bars of cumulative losses (+) and gains (-) by holder class at the end of the run."""
    last = df.iloc[-1]
    labels = [lab for _, lab in LOSS_LABELS]
    values = [last.get(f"loss.{k}", 0.0) for k, _ in LOSS_LABELS]
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.bar(labels, values, color=["tab:red" if v > 0 else "tab:green" for v in values])
    ax.axhline(0, color="k", lw=0.8)
    ax.set_ylabel("loss (+) / gain (-), $B")
    ax.set_title("Who paid: cumulative losses by holder class")
    return _save(fig, out)


def plot_spiral(df: pd.DataFrame, events: pd.DataFrame, out: Path, title: str = "") -> Path:
    """One run on a timeline: listed firms' market caps and sentiment, GPU prices and rent, the
    dated events (shock, failed rounds, margin calls, fire sales, defaults), and who paid."""
    fig, axes = plt.subplots(4, 1, figsize=(10, 13), gridspec_kw={"height_ratios": [3, 2, 1, 2]})
    ax = axes[0]
    for firm in ("cloud", "neocloud", "chip_leader", "lab"):
        col = f"mcap.{firm}"
        if col in df:
            ax.plot(df["date"], df[col] / df[col].iloc[0], label=firm)
    ax.set_yscale("log")
    ax.set_ylabel("market value (start = 1)")
    ax2 = ax.twinx()
    ax2.plot(df["date"], df["sentiment"], color="grey", lw=0.8, label="AI sentiment")
    ax2.set_ylabel("sentiment index (-1 to 1)")
    ax.legend(loc="upper left")
    ax2.legend(loc="upper right")
    ax.set_title(title or "When the music stops")
    _gpu_panel(axes[1], df)
    ax = axes[2]
    shown = set()
    ev = events[events["event"].isin(list(EVENT_MARKS))] if len(events) else events
    for _, e in ev.iterrows():
        color, ls = EVENT_MARKS[e["event"]]
        x = pd.Timestamp(e["date"])
        ax.axvline(x, color=color, ls=ls, lw=1.2, label=None if e["event"] in shown else e["event"])
        shown.add(e["event"])
        if e["event"] == "default":
            ax.text(x, 0.5, f" {e['agent']}", rotation=90, va="center", fontsize=8)
    ax.set_yticks([])
    ax.set_xlim(df["date"].iloc[0], df["date"].iloc[-1])
    ax.set_ylabel("events")
    if shown:
        ax.legend(loc="upper left", fontsize=8, ncol=5)
    ax = axes[3]
    last = df.iloc[-1]
    values = [last.get(f"loss.{k}", 0.0) for k, _ in LOSS_LABELS]
    ax.bar([lab for _, lab in LOSS_LABELS], values, color=["tab:red" if v > 0 else "tab:green" for v in values])
    ax.axhline(0, color="k", lw=0.8)
    ax.set_ylabel("loss (+) / gain (-), $B")
    ax.set_title("Who paid by the end")
    plt.setp(ax.get_xticklabels(), rotation=25, ha="right")
    for a in axes[:3]:  # three date panels over one bar chart: every date panel keeps its labels
        a.set_xlim(df["date"].iloc[0], df["date"].iloc[-1])
        a.set_xlabel("date")
    return _save(fig, out, autofmt=False)
