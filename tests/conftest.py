"""Shared fixtures: one 6-year baseline run (with the full books check after every step) reused by several tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def baseline_run():
    from ailoop.model import Economy

    eco = Economy(scenario="baseline", seed=1, check_every=1)  # the full books check after every step
    eco.run(years=6)
    return eco


@pytest.fixture(scope="session")
def baseline_df(baseline_run):
    return baseline_run.datacollector.get_model_vars_dataframe()
