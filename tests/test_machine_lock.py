"""The machine lock of ``conftest.py``: with several workers, a test marked ``alone`` runs while
no other test runs, and ordinary tests share the machine with each other.

Each worker of a run is stood in for by a thread here: ``flock`` locks belong to an open file, and
every entry opens the lock files afresh, so two threads conflict exactly as two processes do.
"""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

from conftest import machine_lock

WAIT_S = 0.3  # how long a blocked entry is watched for not entering


@pytest.fixture
def run_uid(monkeypatch, tmp_path):
    """A run of several workers: its id, and its temporary root where the lock files live."""
    factory = SimpleNamespace(getbasetemp=lambda: tmp_path / "popen-gw0")
    monkeypatch.setenv("PYTEST_XDIST_TESTRUNUID", "lock-test")
    return SimpleNamespace(_tmp_path_factory=factory)


def enter_in_thread(config, alone: bool, log: list, name: str, hold: threading.Event):
    """A worker's test: enters the lock, notes when, holds it until ``hold`` is set, notes its exit."""
    def body():
        with machine_lock(config, alone):
            log.append(("in", name))
            hold.wait(10)
            log.append(("out", name))
    t = threading.Thread(target=body, daemon=True)
    t.start()
    return t


def wait_for(log: list, event: tuple, timeout: float = 5.0) -> None:
    t0 = time.monotonic()
    while event not in log:
        assert time.monotonic() - t0 < timeout, f"{event} never happened: {log}"
        time.sleep(0.01)


def test_two_ordinary_tests_run_together(run_uid):
    log, hold = [], threading.Event()
    a = enter_in_thread(run_uid, False, log, "a", hold)
    b = enter_in_thread(run_uid, False, log, "b", hold)
    wait_for(log, ("in", "a"))
    wait_for(log, ("in", "b"))  # both inside at once
    hold.set()
    for t in (a, b):
        t.join(5)


def test_an_alone_test_keeps_an_ordinary_one_out_until_it_ends(run_uid):
    log, hold_alone, hold_other = [], threading.Event(), threading.Event()
    alone = enter_in_thread(run_uid, True, log, "alone", hold_alone)
    wait_for(log, ("in", "alone"))
    other = enter_in_thread(run_uid, False, log, "other", hold_other)
    time.sleep(WAIT_S)
    assert ("in", "other") not in log
    hold_alone.set()
    wait_for(log, ("in", "other"))
    assert log.index(("out", "alone")) < log.index(("in", "other"))
    hold_other.set()
    for t in (alone, other):
        t.join(5)


def test_an_alone_test_waits_for_running_ones_and_no_new_one_starts_meanwhile(run_uid):
    log, hold_first, hold_alone, hold_late = [], threading.Event(), threading.Event(), threading.Event()
    first = enter_in_thread(run_uid, False, log, "first", hold_first)
    wait_for(log, ("in", "first"))
    alone = enter_in_thread(run_uid, True, log, "alone", hold_alone)
    time.sleep(WAIT_S)
    assert ("in", "alone") not in log  # the running ordinary test is not interrupted
    late = enter_in_thread(run_uid, False, log, "late", hold_late)
    time.sleep(WAIT_S)
    assert ("in", "late") not in log  # the gate: no new ordinary test while the alone one waits
    hold_first.set()
    wait_for(log, ("in", "alone"))
    time.sleep(WAIT_S)
    assert ("in", "late") not in log
    hold_alone.set()
    wait_for(log, ("in", "late"))
    assert log.index(("out", "first")) < log.index(("in", "alone")) < log.index(("out", "alone")) \
        < log.index(("in", "late"))
    hold_late.set()
    for t in (first, alone, late):
        t.join(5)


def test_without_workers_nothing_is_locked(monkeypatch, tmp_path):
    monkeypatch.delenv("PYTEST_XDIST_TESTRUNUID", raising=False)
    config = SimpleNamespace(_tmp_path_factory=SimpleNamespace(getbasetemp=lambda: tmp_path / "x"))
    log, hold = [], threading.Event()
    a = enter_in_thread(config, True, log, "a", hold)
    b = enter_in_thread(config, True, log, "b", hold)
    wait_for(log, ("in", "a"))
    wait_for(log, ("in", "b"))  # two alone tests at once: no lock without workers
    hold.set()
    for t in (a, b):
        t.join(5)
    assert list(tmp_path.iterdir()) == []  # and no lock file written
