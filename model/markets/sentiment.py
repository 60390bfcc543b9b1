"""AI sentiment: a bounded mood index that moves with the AI basket, with news and with the lab.

The index ``s`` lies in (-1, 1): 0 is neutral, +1 euphoria, -1 panic. It is ``tanh`` of a latent
state ``z`` that follows, once per trading day,

    z' = z + mean_reversion * (z_target - z) + return_weight * r_basket
           + news_weight * tanh(news / news_scale),
    z_target = lab_growth_weight * lab_growth,

with ``r_basket`` the AI basket's daily log return (cap-weighted), ``news`` the $B of commitments
announced that day across firms (signed: cancellations negative), and ``lab_growth`` the AI lab's
usage growth minus what the market expected (1/year; the economy clips it and counts a defaulted
lab as its worst surprise). Returns and news push the mood around; it decays towards the level
the lab's growth justifies. The three channels - returns, news, the lab's growth - are separate
switches (``returns``, ``news``, ``lab_growth``): with all three off the mood just decays to
neutral from where it started.

The index feeds three things, through the monotone helpers below (all parameters assumptions):

* :func:`multiple_factor` - the price/sales multiples fundamentalists apply (``EquityMarket``);
* :func:`round_appetite` - how much venture money a funding round can raise (the lead's
  venture funds multiply their commitment by it);
* :func:`spread_add_on` - the credit-spread add-on in basis points (bond buyers add it to
  their required spread).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ailoop.model.params import ParamGroup

__all__ = ["SentimentParams", "Sentiment", "multiple_factor", "round_appetite", "spread_add_on"]


@dataclass(frozen=True)
class SentimentParams(ParamGroup):
    """Parameters of the sentiment index, named as in the parameter table (``model/params.py``:
    units, ranges and sources are there; per trading day); build them with
    ``SentimentParams.from_table(economy.params)`` or ``SentimentParams.of(sentiment_0=0.8, ...)``."""

    sentiment_mean_reversion: float
    sentiment_return_weight: float
    sentiment_news_weight: float
    sentiment_news_scale: float
    sentiment_lab_weight: float
    sentiment_0: float
    sentiment_returns: bool
    sentiment_news: bool
    sentiment_lab_growth: bool


class Sentiment:
    """The AI-sentiment state. Call :meth:`update` once per trading day, after the market step."""

    def __init__(self, params: SentimentParams | None = None):
        self.params = params or SentimentParams.of()
        s0 = float(self.params.sentiment_0)
        if not -1.0 < s0 < 1.0:
            raise ValueError(f"initial sentiment must lie in (-1, 1), got {s0}")
        self.latent = math.atanh(s0)

    @property
    def value(self) -> float:
        """The sentiment index in (-1, 1)."""
        return math.tanh(self.latent)

    def update(self, basket_return: float, news: float = 0.0, lab_growth: float = 0.0) -> float:
        """Advance one trading day and return the new index.

        basket_return: the AI basket's log return today (cap-weighted, e.g. ``MarketStep.basket_return``).
        news: $B of commitments announced today across firms (signed).
        lab_growth: the lab's revenue growth minus the market's expectation, 1/year.
        """
        p = self.params
        target = p.sentiment_lab_weight * lab_growth if p.sentiment_lab_growth else 0.0
        step = p.sentiment_mean_reversion * (target - self.latent)
        if p.sentiment_returns:
            step += p.sentiment_return_weight * basket_return
        if p.sentiment_news and news:
            step += p.sentiment_news_weight * math.tanh(news / p.sentiment_news_scale)
        self.latent += step
        # keep the latent state finite (|s| < 0.99995); the index itself is bounded by tanh
        self.latent = min(max(self.latent, -5.0), 5.0)
        return self.value


def multiple_factor(sentiment, elasticity: float = 0.5):
    """Factor on price/sales multiples: ``exp(elasticity * s)``; increasing in ``s``.

    With the default (assumption) euphoria (s = +1) lifts multiples by 65% and panic (s = -1)
    cuts them by 39% - about the range of NVIDIA's price/sales between 2022 and 2024 (~15 to ~40).
    Works on floats and arrays.
    """
    if np.ndim(sentiment):
        return np.exp(elasticity * np.asarray(sentiment, dtype=np.float64))
    return math.exp(elasticity * float(sentiment))


def round_appetite(sentiment: float, elasticity: float = math.log(2.0)) -> float:
    """Multiplier on the money venture investors will put into a funding round; increasing in ``s``.

    ``exp(elasticity * s)``: 1 at neutral mood, 2 in euphoria (s = +1), 0.5 in panic (s = -1).
    Assumption, informed by global venture funding falling by about half from 2021 to 2023.
    """
    return math.exp(elasticity * sentiment)


def spread_add_on(sentiment: float, scale_bp: float = 100.0, convexity: float = math.log(4.0)) -> float:
    """Credit-spread add-on in basis points; decreasing in ``s`` (bad mood widens spreads).

    ``scale_bp * (exp(-convexity * s) - 1)``: 0 bp at neutral mood, +300 bp in panic (s = -1),
    -75 bp in euphoria (s = +1) - convex, because spreads widen faster than they tighten.
    Assumption, informed by high-yield spreads widening by several hundred bp in 2020 and 2022.
    """
    return scale_bp * (math.exp(-convexity * sentiment) - 1.0)
