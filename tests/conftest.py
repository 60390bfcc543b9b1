"""Shared fixtures: one 6-year baseline run (with the full books check after every step) reused by
several tests; and, when the suite runs on several workers (pytest-xdist), the machine lock that
lets a test marked ``alone`` (one that measures wall time or throughput) run with no other test
running, so that the limits it checks are measured on an unshared machine.

The run's ledger records every cash movement into an independent shadow
(``tests/ledger_shadow.py``), and :class:`Observations` notes, after every step, what tests
compare the ledger with: the capacity contracts ever signed, the GW online for the lab on
chip_leader's GPUs, the ETF flows the market engine computed, and what the cloud's contracts with
the lab came to when each month's bills went out.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from pathlib import Path

import pytest

from ledger_shadow import recorded_economy

BASELINE_YEARS = 6


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "alone: measures wall time or throughput; with several workers "
                                       "(pytest-xdist) it runs while no other test runs")


@contextlib.contextmanager
def machine_lock(config, alone: bool):
    """Hold the machine for one test: shared by ordinary tests, exclusive for an ``alone`` test.

    Two lock files (``flock``) shared by the workers of one run: the *room*, held shared by every
    running ordinary test and exclusively by an ``alone`` one; and the *gate*, held by whoever is
    asking for the room, so that while an ``alone`` test waits for the running tests to end no
    new one enters (it is not starved by a stream of short ones). Without workers there is
    nothing to share and nothing is locked."""
    uid = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if uid is None:
        yield
        return
    factory = getattr(config, "_tmp_path_factory", None)  # the run's temporary root, shared by its workers
    where = factory.getbasetemp().parent if factory is not None else Path(tempfile.gettempdir())
    with open(where / f"ailoop-gate-{uid}", "a") as gate, open(where / f"ailoop-room-{uid}", "a") as room:
        fcntl.flock(gate, fcntl.LOCK_EX)
        try:
            fcntl.flock(room, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        finally:
            fcntl.flock(gate, fcntl.LOCK_UN)
        try:
            yield
        finally:
            fcntl.flock(room, fcntl.LOCK_UN)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Each test's setup (the fixtures it starts, session-wide ones included), call and teardown
    run under the machine lock."""
    with machine_lock(item.config, item.get_closest_marker("alone") is not None):
        yield


class Observations:
    """What the tests read off the economy after every step, outside the ledger."""

    def __init__(self, eco):
        self.eco = eco
        self.capacity: dict[int, object] = {}  # every capacity contract ever in the book (pruned ones too)
        self.lab_gw_on_chip_leader: list[float] = []  # per step: GW online for the lab on chip_leader GPUs
        self.etf_contributions = 0.0  # $B households put into the ETF (the market engine's figures)
        self.etf_redemptions = 0.0
        self.lab_cloud_due = 0.0  # $B the cloud's contracts with the lab came to, from the GW it delivered
        self._version = -1
        settle = eco.book.settle

        def note_what_is_due_then_settle(ctx, phase, order):  # GW online when the month's bills go out
            if phase == "billing":
                for c in eco.book.contracts:
                    if c.kind == "capacity" and c.active and c.holder == "lab" and c.issuer == "cloud":
                        self.lab_cloud_due += c.online_gw * c.price_per_gw_year / 12.0
            settle(ctx, phase, order)

        eco.book.settle = note_what_is_due_then_settle

    def after_step(self) -> None:
        eco = self.eco
        if eco.version != self._version:
            for c in eco.book.contracts:
                if c.kind == "capacity":
                    self.capacity[id(c)] = c
            self._version = eco.version
        self.lab_gw_on_chip_leader.append(sum(
            c.online_gw for c in self.capacity.values()
            if c.active and c.holder == "lab" and c.chip_vendor == "chip_leader"))
        last = eco.exchange.last
        self.etf_contributions += last.retail_contributions
        self.etf_redemptions += last.retail_redemptions


@pytest.fixture(scope="session")
def baseline_observed():
    eco = recorded_economy(scenario="baseline", seed=1, check_every=1)  # the full books check after every step
    obs = Observations(eco)
    for _ in range(BASELINE_YEARS * 252):
        eco.step()
        obs.after_step()
    return eco, obs


@pytest.fixture(scope="session")
def baseline_run(baseline_observed):
    return baseline_observed[0]


@pytest.fixture(scope="session")
def baseline_df(baseline_run):
    return baseline_run.datacollector.get_model_vars_dataframe()
