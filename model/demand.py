"""Exogenous end-user AI demand: a common stochastic factor plus one idiosyncratic part per stream.

``index(stream)`` is a multiplier on each stream's starting level (1 at the start). Monthly:
``log F += real_demand_growth * w / 12 - sigma^2 / 2 + sigma * eps`` for the common factor and a
random walk with volatility ``demand_idio_volatility`` for each stream, so that the expected
index grows at ``real_demand_growth * w`` a year. ``w`` is the stream's exposure to the AI
demand trend (1 for the labs; ``hyper_demand_exposure`` for hyperscalers' own services and
unmodelled buyers). Shocks change a stream's growth (``set_growth``) or level (``scale``) mid-run.
"""

from __future__ import annotations

import numpy as np


class DemandProcess:
    def __init__(self, rng: np.random.Generator, streams: dict[str, float], growth: float,
                 sigma_common: float, sigma_idio: float):
        self.rng = rng
        self.streams = list(streams)
        self.exposure = np.array([streams[s] for s in self.streams])
        self.growth = np.full(len(self.streams), float(growth))  # 1/year per stream (shocks may change it)
        self.sigma_common = sigma_common
        self.sigma_idio = sigma_idio
        self.log_common = 0.0
        self.log_idio = np.zeros(len(self.streams))
        self._pos = {s: i for i, s in enumerate(self.streams)}
        self._started = False

    def new_month(self) -> None:
        """The month turns: demand moves one month forward (not in the opening month)."""
        if self._started:
            self.advance()
        self._started = True

    def advance(self) -> None:
        """One month forward; draws one common and one idiosyncratic normal per stream."""
        eps = self.rng.standard_normal(1 + len(self.streams))
        sc, si = self.sigma_common, self.sigma_idio
        self.log_common += eps[0] * sc - 0.5 * sc * sc
        self.log_idio += self.growth * self.exposure / 12.0 + eps[1:] * si - 0.5 * si * si

    def exposure_of(self, stream: str) -> float:
        """The stream's exposure to the AI demand trend (1 for the labs)."""
        return float(self.exposure[self._pos[stream]])

    def set_growth(self, stream: str, growth: float) -> None:
        """From now on ``stream`` drifts at ``growth`` a year (times its exposure)."""
        self.growth[self._pos[stream]] = growth

    def scale(self, stream: str, factor: float) -> None:
        """A one-off jump of ``stream``'s level by ``factor``."""
        self.log_idio[self._pos[stream]] += float(np.log(factor))

    def index(self, stream: str) -> float:
        return float(np.exp(self.log_common + self.log_idio[self._pos[stream]]))
