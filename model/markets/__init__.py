"""Markets of the AI Loop economy: equity price formation, AI sentiment and the signals contract.

* :mod:`model.markets.signals` - :class:`FirmSignals`, what the economy tells the market daily;
* :mod:`model.markets.equity` - :class:`EquityMarket`, order flow -> daily prices;
* :mod:`model.markets.sentiment` - :class:`Sentiment` and the appetite / spread helpers;
* :mod:`model.markets.sandbox` - a standalone world with synthetic fundamentals (tests, demos).

The trader and retail populations live in ``agents.traders`` and ``agents.retail``. This package
imports only its leaf modules eagerly so that ``agents`` can import ``model.markets.signals``.
"""

from ailoop.model.markets.equity import EquityMarket, MarketParams, MarketStep, implied_base_multiples
from ailoop.model.markets.sentiment import (Sentiment, SentimentParams, multiple_factor, round_appetite,
                                     spread_add_on)
from ailoop.model.markets.signals import FirmSignals, ValuationInputs

__all__ = [
    "EquityMarket", "MarketParams", "MarketStep", "implied_base_multiples",
    "Sentiment", "SentimentParams", "multiple_factor", "round_appetite", "spread_add_on",
    "FirmSignals", "ValuationInputs",
]
