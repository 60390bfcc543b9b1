"""Per-agent reference implementation of the retail ETF holders (the readable specification).

:class:`RetailPopulationReference` keeps one plain Python object (:class:`RetailHolder`) per
holder and loops over all of them every day. It is a second, independent implementation of the
model described in :mod:`ailoop.agents.retail`: the same constructor, calls and random draws as
the vectorised :class:`~ailoop.agents.retail.RetailPopulation` (which touches only the holders
who look at the market today) and results that are identical bit for bit
(``tests/test_markets_equivalence.py``). Units as there: money in $B, ETF units in billions,
NAV in $ per unit.

What the two share, imported from the production module: the parameters and flows
(:class:`~ailoop.agents.retail.RetailParams`, :class:`~ailoop.agents.retail.RetailFlows`), the
fixed traits (:func:`~ailoop.agents.retail.draw_traits`), the days until the next check of
today's checkers, drawn in holder order with one call
(:func:`~ailoop.agents.retail.draw_next_checks`), the ETF's NAV path (``_EtfHistory``, ``NAV0``)
and the sum over holders (:func:`~ailoop.agents.retail.aggregate_holders`). The decisions -
contribution, FOMO, panic, recovery - and the execution are written out again here, holder by
holder.
"""

from __future__ import annotations

import numpy as np

from ailoop.agents.retail import (NAV0, NEVER, RetailFlows, RetailParams, _EtfHistory,
                                  aggregate_holders, draw_next_checks, draw_traits)

__all__ = ["RetailHolder", "RetailPopulationReference"]


class RetailHolder:
    """One retail ETF holder as a plain Python object (the reference specification)."""

    __slots__ = ("units", "contribution", "horizon_idx", "fomo_threshold", "panic_threshold",
                 "log_stay", "next_check", "panicked", "last_fomo", "panic_day", "flow")

    def __init__(self, horizon_idx, fomo_threshold, panic_threshold, log_stay, next_check):
        self.horizon_idx = int(horizon_idx)
        self.fomo_threshold = fomo_threshold
        self.panic_threshold = panic_threshold
        self.log_stay = log_stay
        self.next_check = int(next_check)
        self.units = 0.0
        self.contribution = 0.0
        self.panicked = False
        self.last_fomo = NEVER
        self.panic_day = NEVER
        self.flow = 0.0

    def decide(self, p: RetailParams, checks: bool, gap: int, day: int, look, dd: float, nav: float,
               f_fomo: float, f_panic: float, month_start: bool):
        """Today's (contribution, FOMO purchase, panic sale) in $B and the events that happened."""
        panic = fomo = recover = False
        fomo_buy = sell = 0.0
        if checks:
            self.next_check = day + gap
            thr_p = self.panic_threshold * f_panic
            calm = not self.panicked
            panic = calm and dd < -thr_p
            fomo = (calm and not panic and day - self.last_fomo >= p.retail_fomo_cooldown
                    and look[self.horizon_idx] > self.fomo_threshold * f_fomo)
            recover = self.panicked and (dd > -(p.retail_recovery_fraction * thr_p)
                                         or day - self.panic_day >= p.retail_panic_memory)
            value = self.units * nav
            fomo_buy = p.retail_fomo_fraction * value if fomo else 0.0
            sell = p.retail_panic_fraction * value if panic else 0.0
        contrib = self.contribution if (month_start and not self.panicked and not panic) else 0.0
        self.flow = contrib + fomo_buy - sell
        self.panicked = (self.panicked and not recover) or panic
        if fomo:
            self.last_fomo = day
        if panic:
            self.panic_day = day
        return contrib, fomo_buy, sell, fomo, panic, recover


class RetailPopulationReference:
    """Per-agent reference implementation: a list of :class:`RetailHolder` objects, looped over.

    Same constructor (``rng`` - the model's generator, ``params``), calls and random draws as
    :class:`~ailoop.agents.retail.RetailPopulation`; bit-identical results.
    """

    def __init__(self, rng: np.random.Generator, params: RetailParams | None = None):
        self.rng = rng
        self.params = p = params or RetailParams.of()
        self.n = p.retail_holders
        tr = draw_traits(rng, p)
        self._hw = tr["holdings_weight"].tolist()
        self._cw = tr["contribution_weight"].tolist()
        self.holders = [RetailHolder(*a) for a in zip(
            tr["horizon_idx"].tolist(), tr["fomo_threshold"].tolist(), tr["panic_threshold"].tolist(),
            tr["log_stay"].tolist(), tr["next_check"].tolist())]
        self.etf = _EtfHistory(p.fomo_horizons)
        self.day = 0
        self._month_start = False
        self.last_flows: RetailFlows | None = None

    @property
    def nav(self) -> float:
        return self.etf.nav

    def initialise(self, prices: np.ndarray, shares: np.ndarray) -> None:
        p = self.params
        total = p.passive_share * float(np.sum(prices * shares))
        for h, hw, cw in zip(self.holders, self._hw, self._cw):
            h.units = total * hw / NAV0
            h.contribution = (p.retail_contribution_rate / 12.0 * total) * cw

    def contribute(self, is_month_start: bool) -> None:
        self._month_start = bool(is_month_start)

    def orders(self, sentiment: float) -> RetailFlows:
        p = self.params
        look = self.etf.lookback_returns().tolist()
        dd = self.etf.drawdown()
        nav = self.etf.nav
        f_fomo = 1.0 - p.retail_fomo_sentiment * sentiment
        f_panic = 1.0 + p.retail_panic_sentiment * sentiment
        day, ms = self.day, self._month_start
        checkers = [h for h in self.holders if h.next_check == day]
        gaps = iter(draw_next_checks(self.rng, np.array([h.log_stay for h in checkers])).tolist())
        out = [h.decide(p, h.next_check == day, next(gaps) if h.next_check == day else 0, day, look, dd, nav,
                        f_fomo, f_panic, ms)
               for h in self.holders]
        contrib, fomo_buy, sell, fomo, panic, recover = (np.array(c) for c in zip(*out))
        flow = np.array([h.flow for h in self.holders])
        n_fomo = int(np.count_nonzero(fomo))
        n_panic = int(np.count_nonzero(panic))
        self.last_flows = RetailFlows(
            net=aggregate_holders(flow),
            contributions=aggregate_holders(contrib) if ms else 0.0,
            fomo=aggregate_holders(fomo_buy) if n_fomo else 0.0,
            redemptions=aggregate_holders(sell) if n_panic else 0.0,
            n_checked=len(checkers), n_fomo=n_fomo, n_panic=n_panic,
            n_recovered=int(np.count_nonzero(recover)),
            n_panicked=sum(1 for h in self.holders if h.panicked),
        )
        return self.last_flows

    def settle(self, etf_return: float, fill: float = 1.0) -> None:
        nav = self.etf.nav
        self.etf.advance(etf_return)
        for h in self.holders:
            flow = h.flow if fill == 1.0 else h.flow * fill
            h.units = h.units + flow / nav
        self.day += 1

    @property
    def units(self) -> np.ndarray:
        return np.array([h.units for h in self.holders])

    @property
    def panicked(self) -> np.ndarray:
        return np.array([h.panicked for h in self.holders])

    @property
    def next_check(self) -> np.ndarray:
        return np.array([h.next_check for h in self.holders])

    @property
    def flow(self) -> np.ndarray:
        return np.array([h.flow for h in self.holders])

    def holdings_value(self) -> float:
        return aggregate_holders(self.units) * self.etf.nav
