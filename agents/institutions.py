"""The institutional traders' sector (``traders``): the balance sheet behind the trader population.

The per-trader state (cash, holdings, strategy) lives in the vectorised population
(``agents.traders.TraderPopulation``); this agent holds the aggregate cash and positions in the
ledger, so that their trades with outside holders move money between real balance sheets.
"""

from __future__ import annotations

from ailoop.agents.base import EconomicAgent


class InstitutionalSector(EconomicAgent):
    family = "traders"
