"""``benchmarks/market_bounds.py --days``: which firms a breaker day names, and whether it was a
month's first trading day, decided on both sides of each line by hand."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from market_bounds import breaker_day  # noqa: E402

NAMES = ["cloud", "neocloud", "chip_leader", "hyper_1"]


def _step(returns, fill_buy=None, fill_sell=None):
    return SimpleNamespace(log_returns=np.array(returns), fill_buy=fill_buy, fill_sell=fill_sell)


def test_a_firm_is_named_when_its_move_reaches_the_limit_or_its_orders_are_rationed():
    limit = 0.5
    s = _step([0.5, -0.4999, 0.1, -0.5], fill_buy=np.array([1.0, 1.0, 0.97, 1.0]))
    row = breaker_day(7, dt.date(2029, 5, 1), 924, NAMES, s, limit)
    # cloud capped up, chip_leader's buys rationed, hyper_1 capped down; the neocloud's -0.4999 is
    # inside the limit and its orders were filled
    assert row["firms"] == "cloud +0.50, chip_leader +0.10, hyper_1 -0.50"
    assert row["seed"] == 7 and row["date"] == "2029-05-01" and row["trading_day"] == 924
    sold = breaker_day(7, dt.date(2029, 5, 2), 925, NAMES, _step([0.0, -0.2, 0.0, 0.0],
                                                                 fill_sell=np.array([1.0, 0.5, 1.0, 1.0])), limit)
    assert sold["firms"] == "neocloud -0.20"


def test_a_months_first_trading_day_is_every_21st_from_the_opening():
    s = _step([0.5, 0.0, 0.0, 0.0])
    first = [breaker_day(1, dt.date(2030, 1, 1), d, NAMES, s, 0.5)["month_start"] for d in (0, 21, 924)]
    others = [breaker_day(1, dt.date(2030, 1, 1), d, NAMES, s, 0.5)["month_start"] for d in (1, 20, 22, 925)]
    assert all(first) and not any(others)
