"""The retail ETF holders' sector (``retail``): the balance sheet behind the holder population.

Households put savings into a cap-weighted ETF of the loop's public firms; the ETF buys the
shares from outside holders (a secondary-market purchase: the money goes to the sellers, not to
the firms). The per-holder state (units, contribution rates, behaviour) lives in the vectorised
population in ``agents/retail.py``; this agent holds the aggregate positions in the ledger.
"""

from __future__ import annotations

from ailoop.agents.base import EconomicAgent


class RetailSector(EconomicAgent):
    family = "retail"
