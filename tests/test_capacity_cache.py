"""The fleet's cached sums (GW online, GPU and construction book values, GPUs) always equal the
sums recomputed from scratch, whatever changes a project, a cohort or the lists of them."""

from __future__ import annotations

import copy
import pickle

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
