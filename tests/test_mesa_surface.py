"""The model is a plain Mesa 3 model: agents in ``model.agents``, named dials, a DataCollector, a seed."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

from ailoop.model import Economy, ParameterError

DIALS = ("real_demand_growth", "backlog_pricing", "cross_holdings", "retail_holders", "n_traders", "checks")


def test_one_mesa_agent_per_balance_sheet_including_one_per_market_sector():
    eco = Economy(seed=1, n_bond_buyers=5, retail_holders=500, n_traders=20)
    ids = [a.aid for a in eco.agents]
    assert sorted(ids) == sorted(eco.ledger.agent_ids)  # nothing else is a Mesa agent
    assert len(ids) == len(set(ids)) == 11 + 3 + 5 + 2  # firms and the SPV, funds, bond buyers, sectors
    assert eco.agent("traders").population.n == 20 and eco.agent("retail").population.params.retail_holders == 500


def test_headline_dials_are_named_keyword_arguments_with_defaults():
    sig = inspect.signature(Economy.__init__)
    for name in ("scenario", "seed", *DIALS):
        p = sig.parameters[name]
        assert p.default is not inspect.Parameter.empty, name
    assert not any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in sig.parameters.values())
    eco = Economy(seed=2, real_demand_growth=0.1, backlog_pricing=0.0, cross_holdings=False)
    assert (eco.params["real_demand_growth"], eco.params["backlog_pricing"], eco.params["cross_holdings"]) == \
        (0.1, 0.0, False)
    with pytest.raises(ParameterError, match=r"^parameter 'backlog_pricing': 2\.0 is out of range; allowed: "
                                             r"float in \[0, 1\]"):
        Economy(seed=2, backlog_pricing=2.0)


def test_datacollector_tables_and_a_drawn_seed_that_repeats():
    a = Economy(seed=None, n_traders=20, retail_holders=200)
    assert isinstance(a.seed, int)
    a.run(years=0.1)
    b = Economy(seed=a.seed, n_traders=20, retail_holders=200)
    b.run(years=0.1)
    ma, mb = a.datacollector.get_model_vars_dataframe(), b.datacollector.get_model_vars_dataframe()
    assert len(ma) == a.steps == 25
    pd.testing.assert_frame_equal(ma, mb, check_exact=True)
    agents = a.datacollector.get_agent_vars_dataframe()
    assert set(agents["agent"]) == set(a.ledger.agent_ids)
