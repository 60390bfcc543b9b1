"""The fleet's cached sums (GW online, GPU and construction book values, GPUs) always equal the
sums recomputed from scratch, whatever changes a project, a cohort or the lists of them."""

from __future__ import annotations

import copy
import pickle

import pytest

from ailoop.model.capacity import Cohort, Fleet, Project
from ailoop.model.ledger import Ledger


def _fresh(f: Fleet) -> tuple[float, float, float, float]:
    """The four sums, recomputed from the parts' fields (no cache involved)."""
    online = 0.0
    for p in f.projects:
        if p.units_needed > 0:
            equipped = p.gw * min(1.0, p.units_installed / p.units_needed)
            online += equipped if p.shell_spent >= p.shell_cost - 1e-12 else min(equipped, p.shell_ready_gw())
    construction = sum(p.shell_spent for p in f.projects if p.shell_spent < p.shell_cost - 1e-12)
    return online, sum(c.book for c in f.cohorts), sum(c.units for c in f.cohorts), construction


def _cached(f: Fleet) -> tuple[float, float, float, float]:
    return f.online_gw(), f.gpu_book(), f.units(), f.construction_book()


def _same(f: Fleet) -> None:
    got, want = _cached(f), _fresh(f)
    assert all(abs(a - b) < 1e-12 for a, b in zip(got, want)), (got, want)


def test_cached_sums_follow_every_change():
    led = Ledger(["x"])
    f = Fleet("x")
    f.projects.append(Project("x", 2.0, 0, 10, 20.0, 1.0, "v", tranche_gw=0.5, first_months=4))
    f.projects.append(Project("x", 1.0, 0, 10, 10.0, 0.5, "v"))
    _same(f)
    assert _cached(f) == (0.0, 0.0, 0.0, 0.0)
    led.open_position("x", "cash", 100.0)
    for month in range(12):  # shells paid month by month, GPUs arriving: capacity comes online in phases
        f.pay_shells(led, 100.0)
        _same(f)
        f.install(led, f.projects[month % 2], 0.1, 1.0, month, 60)
        _same(f)
    assert f.online_gw() > 0.0 and f.gpu_book() > 0.0
    f.depreciate(led)
    _same(f)
    f.remove_units(0.3)
    _same(f)
    f.projects[0].gw = 1.0  # a project cut back (as a cancelled order does)
    _same(f)
    f.projects = [p for p in f.projects if p.gw > 1.5]  # a list replaced
    _same(f)
    assert f.online_gw() == 0.0
    f.projects.extend([Project("x", 1.0, 0, 0, 0.0, 1.0, "v", units_installed=1.0)])
    assert f.online_gw() == 1.0
    f.cohorts.pop()
    _same(f)
    f.write_off_all()
    assert _cached(f) == (0, 0, 0, 0)


def test_copies_keep_their_own_cache():
    f = Fleet("x")
    f.projects.append(Project("x", 1.0, 0, 10, 10.0, 1.0, "v", units_installed=1.0))
    f.cohorts.append(Cohort(1.0, 2.0, 0, 60))
    assert _cached(f) == (0.0, 2.0, 1.0, 0.0)
    for g in (copy.deepcopy(f), pickle.loads(pickle.dumps(f))):
        g.projects[0].shell_spent = 10.0  # the copy's shell is finished: its capacity comes online
        g.cohorts.append(Cohort(2.0, 3.0, 0, 60))
        assert _cached(g) == (1.0, 5.0, 3.0, 0.0)
        _same(g)
    assert _cached(f) == (0.0, 2.0, 1.0, 0.0)  # the original is untouched


def test_cohort_columns_agree_exactly_with_a_cohort_by_cohort_loop():
    """Depreciation and the fleet's sums run over the cohort table's columns; a plain loop over
    the cohorts' numbers (the per-cohort reference) gives the same floating-point results, bit
    for bit, month after month, with cohorts added, sold and written down in between."""
    import random

    rnd = random.Random(7)
    led = Ledger(["x"])
    f = Fleet("x")
    ref = []  # [units, cost, month, life, book] per cohort, in list order
    for month in range(40):
        for _ in range(rnd.randint(0, 4)):  # deliveries of the month
            u, c, life = rnd.uniform(0.001, 0.3), rnd.uniform(0.1, 9.0), rnd.choice((36, 60, 72))
            f.install(led, Project("x", 1.0, 0, 0, 0.0, 1.0, "v"), u, c, month, life)
            ref.append([u, c, month, life, c])
        dep = f.depreciate(led)  # (no plant: all of it the GPUs')
        want = 0.0
        for r in ref:
            d = min(r[4], r[1] / r[3])
            r[4] -= d
            want += d
        assert dep == want
        assert [c.book for c in f.cohorts] == [r[4] for r in ref]
        units = sum(r[0] for r in ref)
        assert f.units() == units and f.gpu_book() == sum(r[4] for r in ref)
        if units > 0:
            assert f.mean_age(month) == sum(r[0] * (month - r[2]) for r in ref) / units
        if month in (15, 30):  # some GPUs sold (oldest first), the rest of the fleet kept in order
            f.remove_units(0.25)
            ref = [[c.units, c.cost, c.month, c.life, c.book] for c in f.cohorts]
            assert all(c.units > 1e-15 for c in f.cohorts)
        if month == 22:  # half of every cohort's book above $6k a GPU written down (repossession marks)
            f.write_down(month, lambda age: 6.0, share=0.5)
            for r in ref:
                over = (r[4] - r[0] * 6.0) * 0.5
                if over > 0:
                    r[4] -= over
            assert [c.book for c in f.cohorts] == [r[4] for r in ref]


def test_a_cohort_keeps_its_numbers_when_it_leaves_a_fleet():
    f = Fleet("x")
    a, b = Cohort(1.0, 2.0, 3, 60), Cohort(4.0, 5.0, 6, 60)
    f.cohorts.extend([a, b])
    a.book = 1.5  # written through to the fleet's table: the fleet forgets its sums
    assert f.gpu_book() == 6.5
    f.cohorts.remove(a)
    assert (a.units, a.cost, a.month, a.life, a.book) == (1.0, 2.0, 3, 60, 1.5)
    assert f.gpu_book() == 5.0 and f.units() == 4.0 and f.mean_age(10) == 4.0
    a.book = 0.5  # no longer the fleet's
    assert f.gpu_book() == 5.0
    for month, life in ((2.5, 60), (2, 0)):
        with pytest.raises(ValueError, match="whole months"):
            Cohort(1.0, 1.0, month, life)
