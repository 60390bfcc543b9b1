"""Announcement response: the market prices announced backlog on the day, through valuations.

Oracle-like firm (~$680B cap, $57B revenue) announcing $300B of backlog; NVIDIA-like firm
(~$4.3T) announcing $100B. The response is a model output (benchmarks/announcements.py reports
20-seed numbers in docs/markets.md); here: it is large for the cloud firm, a few percent for the
chipmaker, and it comes from backlog pricing (small when the market ignores backlog).
"""

from __future__ import annotations

import numpy as np

from ailoop.model.markets.sandbox import announcement_day

SEEDS = (1, 2, 3)


def _effect(firm, amount, bp, seeds=SEEDS):
    """Mean over seeds of (return on the news day) - (same seed without news)."""
    return float(np.mean([announcement_day(s, firm, amount, 5.0, bp)[0]
                          - announcement_day(s, firm, amount, 5.0, bp, news=False)[0] for s in seeds]))


def test_cloud_backlog_announcement_jumps_by_tens_of_percent():
    raw = [announcement_day(s, 2, 300.0, 5.0)[0] for s in SEEDS]
    assert min(raw) > 0.10             # every seed: a jump of tens of percent
    assert 0.15 < np.mean(raw) < 0.9


def test_jump_comes_from_backlog_pricing():
    none, full = _effect(2, 300.0, 0.0), _effect(2, 300.0, 1.0)
    assert full > 0
    # ignoring backlog leaves only the belief (news -> perceived growth) and attention effects:
    # a fraction of the jump
    assert none < 0.25 * full
    assert full > none + 0.2


def test_chipmaker_commitment_moves_a_few_percent():
    eff = _effect(0, 100.0, 0.5)
    cloud = _effect(2, 300.0, 0.5)
    assert 0.005 < eff < 0.15
    assert eff < cloud / 3
    assert _effect(0, 100.0, 1.0) > _effect(0, 100.0, 0.0)


def test_cancellation_is_negative():
    """Cancelled commitments (negative news, backlog falls) make the stock drop on the day."""
    eff = np.mean([announcement_day(s, 2, -100.0, 5.0)[0] - announcement_day(s, 2, -100.0, 5.0, news=False)[0]
                   for s in SEEDS])
    assert eff < -0.05
