"""The run's tables as files to download: CSV or Parquet, named after the run.

The tables are the ones ``ailoop run`` writes (``docs/outputs.md``): ``model`` (one row per trading
day), ``agents`` (one row per agent per month) and ``events``; the file name carries the scenario,
the seed and the trading day reached, so a downloaded table says which run it came from (the
page's address says how to rebuild it).
"""

from __future__ import annotations

import io

import pandas as pd

from ailoop.model.classroom.recipe import Recipe

FORMATS = ("csv", "parquet")
TABLES = {"model": "daily table (one row per trading day)", "agents": "monthly table (one row per agent a month)",
          "events": "events (deals, rounds, cancellations, defaults …)"}
MIME = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet"}


def table_bytes(df: pd.DataFrame, fmt: str) -> bytes:
    """``df`` as a file: CSV (UTF-8, no index) or Parquet; ValueError for another format."""
    if fmt == "csv":
        return df.to_csv(index=False).encode()
    if fmt == "parquet":
        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        return buf.getvalue()
    raise ValueError(f"format {fmt!r} is not allowed; allowed: {', '.join(FORMATS)}")


def file_name(recipe: Recipe, table: str, fmt: str) -> str:
    """e.g. ``ailoop-music_stops-seed2-day420-model.csv``."""
    shocks = "".join(f"-{k}{s}" for k, s in recipe.shocks)
    return f"ailoop-{recipe.scenario}-seed{recipe.seed}{shocks}-day{recipe.day}-{table}.{fmt}"
