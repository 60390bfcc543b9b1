"""Exogenous end-user AI demand: a common stochastic factor plus one idiosyncratic part per stream.

``index(stream)`` is a multiplier on each stream's starting level (1 at the start). Monthly:
``log F += real_demand_growth * w / 12 - sigma^2 / 2 + sigma * eps`` for the common factor and a
random walk with volatility ``demand_idio_volatility`` for each stream, so that the expected
index grows at ``real_demand_growth * w`` a year. ``w`` is the stream's exposure to the AI
demand trend (1 for the labs; ``hyper_demand_exposure`` for hyperscalers' own services and
unmodelled buyers). Shocks change a stream's growth (``set_growth``) or level (``scale``) mid-run.

**Competing labs** (:meth:`DemandProcess.share`, the history world). Several labs can share one
stream — the end users of frontier-model products — instead of each having its own: the stream's
level is their combined demand, and each lab gets the part its *appeal* wins. Lab ``i``'s demand
index is ``index(stream) x exp(a_i) / sum_j s_j exp(a_j)``, where ``s_j`` is lab ``j``'s opening
share of the combined demand (its opening demand over all of theirs) and ``a_i`` its appeal: 0 at
the start, then a random walk with drift ``drift_i`` a year and volatility ``sigma`` a
square-root month (the fortunes of its products). The shares sum to one, so what one lab gains in
appeal the others lose, while a shock to the stream (a disappointment of end-user demand) hits
them all. Without sharing, :meth:`member_index` is :meth:`index`.
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
        self._pool = ""  # the stream the competing labs share ("" = none)
        self._members: dict[str, int] = {}
        self._share0 = np.zeros(0)
        self._appeal = np.zeros(0)
        self._drift = np.zeros(0)
        self._sigma = 0.0

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
        if self._members:
            e = self.rng.standard_normal(len(self._members))
            self._appeal += self._drift / 12.0 + self._sigma * e

    def share(self, stream: str, opening: dict[str, float], drift: dict[str, float], sigma: float) -> None:
        """Let the labs of ``opening`` (id -> opening demand, $B a month) share ``stream``: each gets
        the part of it its appeal wins (module docstring), appeal drifting at ``drift[id]`` a year
        with volatility ``sigma`` a square-root month."""
        self._pool = stream
        self._members = {a: k for k, a in enumerate(opening)}
        total = sum(opening.values())
        self._share0 = np.array([opening[a] / total for a in opening])
        self._appeal = np.zeros(len(opening))
        self._drift = np.array([drift.get(a, 0.0) for a in opening])
        self._sigma = sigma

    def lab_share(self, aid: str) -> float:
        """Lab ``aid``'s share of the demand it competes for (1 if it competes with nobody)."""
        k = self._members.get(aid)
        if k is None:
            return 1.0
        w = self._share0 * np.exp(self._appeal)
        return float(w[k] / w.sum())

    def member_index(self, aid: str) -> float:
        """Demand index of ``aid``: its stream's, or its share of the stream it competes for over its
        opening share."""
        k = self._members.get(aid)
        if k is None:
            return self.index(aid)
        return self.index(self._pool) * self.lab_share(aid) / float(self._share0[k])

    def growth_of(self, stream: str) -> float:
        """The yearly growth ``stream`` drifts at now."""
        return float(self.growth[self._pos[stream]])

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
