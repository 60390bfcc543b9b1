"""The benchmark scripts' ``--set NAME=VALUE``: checked against the parameter table before any run
(``ailoop.runs.cli.sets_or_exit``), a bad item ending the script with one line and status 2."""

from __future__ import annotations

import argparse

import pytest

from ailoop.model.params import PARAMETERS
from ailoop.runs.cli import sets_or_exit


def _parser() -> argparse.ArgumentParser:
    return argparse.ArgumentParser(prog="script.py")


def test_good_items_come_back_as_the_tables_types():
    p = PARAMETERS["market_signal_phase_in_days"]
    got = sets_or_exit(_parser(), [f"market_signal_phase_in_days={p.hi}", "trader_noise_fundamentalist=0.00506"])
    assert got == {"market_signal_phase_in_days": p.hi, "trader_noise_fundamentalist": 0.00506}
    assert isinstance(got["market_signal_phase_in_days"], int)


@pytest.mark.parametrize("item, named", [("no_such_dial=1", "no_such_dial"),
                                         ("market_signal_phase_in_days=22", "market_signal_phase_in_days"),
                                         ("trader_noise_fundamentalist", "NAME=VALUE")])
def test_a_bad_item_is_one_line_naming_it_and_exit_status_2(item, named, capsys):
    with pytest.raises(SystemExit) as stop:
        sets_or_exit(_parser(), [item])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("script.py: error: ") and named in err[-1]
