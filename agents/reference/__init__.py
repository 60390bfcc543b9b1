"""Per-agent reference implementations of the market populations (tests and benchmarks only).

One plain Python object per trader or holder, looped over: the readable specification that the
vectorised populations of :mod:`ailoop.agents.traders` and :mod:`ailoop.agents.retail` are
tested against, bit for bit (``tests/test_markets_equivalence.py``). They share the production
modules' parameters, trait and daily draws and sums, and write the behaviour out again
independently. Production code (the economy) never imports this package.

* :class:`TraderPopulationReference` (:class:`Trader` per trader) - ``agents/reference/traders.py``;
* :class:`RetailPopulationReference` (:class:`RetailHolder` per holder) - ``agents/reference/retail.py``.
"""

from ailoop.agents.reference.retail import RetailHolder, RetailPopulationReference
from ailoop.agents.reference.traders import Trader, TraderPopulationReference

__all__ = ["Trader", "TraderPopulationReference", "RetailHolder", "RetailPopulationReference"]
