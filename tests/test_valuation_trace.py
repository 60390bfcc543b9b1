"""``benchmarks/valuation_trace.py``: the rows it prints are the day's close and fair value as the
model table records them, the firm's ledger, and the signals the market valued it on."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from valuation_trace import trace_rows  # noqa: E402

from ailoop.model import Economy  # noqa: E402


def test_the_traced_days_agree_with_the_model_table_and_the_ledger():
    eco = Economy(scenario="baseline", seed=1)
    rows = trace_rows(eco, "cloud", 20, 23)  # a month's last trading day and the next month's first three
    assert [r["day"] for r in rows] == [20, 21, 22, 23]
    df = eco.datacollector.get_model_vars_dataframe().set_index("step")
    for r in rows:
        assert r["close"] == df.loc[r["day"], "price.cloud"]
        assert r["fair"] == df.loc[r["day"], "fair_value.cloud"]
        assert r["backlog_rate"] == pytest.approx(r["backlog"] / r["years"], rel=1e-12)
    # in the opening month nothing is phased in: net debt is the ledger's, the shares the firm's
    eco = Economy(scenario="baseline", seed=1)
    (row,) = trace_rows(eco, "cloud", 20, 20)
    cloud = eco.agent("cloud")
    assert row["net_debt"] == pytest.approx(eco.ledger.get("cloud", "debt") - eco.ledger.cash("cloud"), rel=1e-12)
    assert row["mcap"] == pytest.approx(cloud.price * cloud.shares, rel=1e-12)
