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
    ax.plot(df["date"], df["gpu_price_new"], label="new GPU ($k per GPU)")
    ax.plot(df["date"], df["gpu_price_used"], label="used GPU ($k per GPU)")
    ax.set_ylabel("$ thousand per GPU")
    ax2 = ax.twinx()
    ax2.plot(df["date"], df["gpu_rent_per_hour"], color="k", ls="--", label="rent ($/GPU-hour)")
    ax2.set_ylabel("rent ($ per GPU-hour)")
    ax.set_title("GPU prices and rent")
    ax.legend(loc="upper left")
    ax2.legend(loc="upper right")
    paths.append(_save(fig, out / "gpu_prices.png"))

    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.plot(dates, m["lab_revenue"], label="lab revenue ($B/month)")
    ax.plot(dates, m["lab_demand"], label="lab end-user demand ($B/month)")
    ax.plot(dates, m["cash.lab"] / 10, label="lab cash ($10B)")
    ax.set_ylabel("$B per month (cash: $10B)")
    ax.set_title("The lab: demand, revenue and cash")
    ax.legend()
    paths.append(_save(fig, out / "lab.png"))
    return paths


def _save(fig, path: Path) -> Path:
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
