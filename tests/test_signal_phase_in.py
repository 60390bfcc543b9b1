"""``market_signal_phase_in_days``: the surprise in a month's figures reaches the market over days.

Two runs of the same seed, one taking each month's figures in at once (0, the default) and one
over ten trading days, are identical until the first month turns; on its first trading day the
economy's state is still the same, so the phased run must count, for every firm without news that
day, last month's figure (moved on at last month's trend) plus a tenth of the way to the new one -
both read from the run without phase-in.
"""

from __future__ import annotations

import numpy as np
import pytest

from ailoop.model import Economy
from ailoop.model.economy import STEPS_PER_MONTH


def _signals_at_month_turn(n: int):
    """The signals the market traded on, the last day of the first month and the first of the next."""
    eco = Economy(seed=2, checks=False, market_signal_phase_in_days=n)
    seen, step = [], eco.exchange.market.step

    def recorded(signals, *args, **kwargs):
        seen.append(signals.copy())
        return step(signals, *args, **kwargs)

    eco.exchange.market.step = recorded
    for _ in range(STEPS_PER_MONTH + 1):
        eco.step()
    return eco, seen[0], seen[STEPS_PER_MONTH - 1], seen[STEPS_PER_MONTH]


def test_a_months_surprise_is_taken_in_a_tenth_a_day():
    eco0, start0, last0, first0 = _signals_at_month_turn(0)
    eco10, _, last10, first10 = _signals_at_month_turn(10)
    assert eco10.month == eco0.month == 1 and eco10.day == 0
    for k in ("revenue_run_rate", "revenue_growth", "backlog", "net_debt"):  # the same path until then
        np.testing.assert_array_equal(getattr(last10, k), getattr(last0, k))
    quiet = first0.news == 0.0
    assert quiet.sum() >= 6
    # where last month's figures, moved on one more day at their trend, would be
    days = STEPS_PER_MONTH - 1  # from the first to the last day of the month
    ref_rev = last0.revenue_run_rate * (last0.revenue_run_rate / start0.revenue_run_rate) ** (1 / days)
    ref_growth = last0.revenue_growth + (last0.revenue_growth - start0.revenue_growth) / days
    ref = {"backlog": last0.backlog, "net_debt": last0.net_debt, "revenue_run_rate": ref_rev,
           "revenue_growth": ref_growth}
    for k, r in ref.items():
        want = r + 0.1 * (getattr(first0, k) - r)
        np.testing.assert_allclose(getattr(first10, k)[quiet], want[quiet], rtol=1e-9, atol=1e-9, err_msg=k)
    moved = np.abs(first0.backlog - last0.backlog) + np.abs(first0.net_debt - last0.net_debt) > 1e-6
    assert np.any(moved & quiet)  # the check is not vacuous: the month's figures did change


@pytest.mark.parametrize("bad", [-1, 22])
def test_the_phase_in_is_at_most_a_month(bad):
    with pytest.raises(Exception, match="market_signal_phase_in_days"):
        Economy(seed=1, market_signal_phase_in_days=bad)
