"""The phase-in of a month's backlog (``model.exchange.phased_backlog``): the backlog and the revenue
a year it delivers each move by the day's share of their change, so a change of the backlog's term
does not reach the value in one day. Figures by hand."""

from __future__ import annotations

import numpy as np
import pytest

from ailoop.model.exchange import phased_backlog


def _one(ref_b, ref_y, b, y, f):
    out = phased_backlog(np.array([ref_b]), np.array([ref_y]), np.array([b]), np.array([y]), np.array([f]))
    return float(out[0][0]), float(out[1][0])


def test_a_backlog_that_runs_out_keeps_its_term_while_it_is_taken_in():
    # last month $40.12B over 5 years ($8.024B a year); this month none (an empty book's term: 1
    # year). On the first of ten days: $36.108B left, delivering 8.024 - 0.1 x 8.024 = $7.2216B a
    # year, so over 5 years - not $36.108B in one year, 4.5 times the revenue a year of the day before
    b, y = _one(40.12, 5.0, 0.0, 1.0, 0.1)
    assert b == pytest.approx(36.108)
    assert b / y == pytest.approx(7.2216)
    assert y == pytest.approx(5.0)


def test_backlog_and_revenue_a_year_each_move_by_the_share():
    # $100B over 4 years ($25B a year) to $200B over 2 years ($100B a year)
    assert _one(100.0, 4.0, 200.0, 2.0, 0.5) == pytest.approx((150.0, 150.0 / 62.5))  # 2.4 years
    assert _one(100.0, 4.0, 200.0, 2.0, 1.0) == pytest.approx((200.0, 2.0))          # taken in: this month's
    assert _one(100.0, 4.0, 200.0, 2.0, 0.0) == pytest.approx((100.0, 4.0))          # not yet: last month's


def test_an_empty_book_on_both_sides_has_this_months_term():
    assert _one(0.0, 1.0, 0.0, 3.0, 0.4) == (0.0, 3.0)
