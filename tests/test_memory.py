"""A finished economy is freed: a process that runs economy after economy (a sweep's worker, a
benchmark's pool) must not keep them all. Mesa's own per-model id counter is a class-level dict
keyed by the model, which kept every model alive (tens of MB a run, until the machine ran out of
memory in a 1,400-run benchmark)."""

from __future__ import annotations

import gc
import weakref

from ailoop.agents.base import EconomicAgent
from ailoop.model import Economy


def test_an_economy_no_longer_used_is_freed():
    gc.collect()
    counters = len(EconomicAgent._ids)  # other tests' economies may still be alive in this process
    economy = Economy(scenario="baseline", seed=1, checks=False)
    economy.step()
    ids = [a.unique_id for a in economy.agents]
    assert ids[:3] == [1, 2, 3]  # Mesa's numbering, one counter per model, from 1
    gone = weakref.ref(economy)
    del economy
    gc.collect()
    assert gone() is None, "something still holds the economy after its run"
    assert len(EconomicAgent._ids) == counters, "its id counter went with it"


def test_a_second_economy_numbers_its_agents_from_one_again():
    first = Economy(scenario="baseline", seed=1, checks=False)
    second = Economy(scenario="baseline", seed=2, checks=False)
    assert [a.unique_id for a in first.agents] == [a.unique_id for a in second.agents]
    assert min(a.unique_id for a in second.agents) == 1
