"""Per-agent reference implementation of the institutional traders (the readable specification).

:class:`TraderPopulationReference` keeps one plain Python object (:class:`Trader`) per trader and
loops over them; per-firm state is a list of floats. It is a second, independent implementation
of the model described in :mod:`ailoop.agents.traders`: the same constructor, calls and random
draws as the vectorised :class:`~ailoop.agents.traders.TraderPopulation`, and results that are
identical bit for bit (``tests/test_markets_equivalence.py``), about two orders of magnitude
slower. Units as there: money in $B, holdings in billions of shares, prices in $/share.

What the two share, imported from the production module so that both use the same functions:
the parameters (:class:`~ailoop.agents.traders.TraderParams`), the fixed traits
(:func:`~ailoop.agents.traders.draw_traits`), the day's random numbers
(:func:`~ailoop.agents.traders.draw_day`; trader i takes its row), the noise weights
(``_Mixing``), the switching probability (:func:`~ailoop.agents.traders.switch_probability`,
called on one trader's numbers here) and the left-to-right sum over firms (``_seq_sum``, the
per-trader twin of :func:`~ailoop.agents.traders.sum_over_firms`). Everything else - valuation,
orders, rebalancing, limits and margin calls, execution, interest, trends, switching - is
written out again here, trader by trader, in the same order of operations.
"""

from __future__ import annotations

import numpy as np

from ailoop.agents.traders import TraderParams, _Mixing, _seq_sum, draw_day, draw_traits, switch_probability
from ailoop.model.markets.signals import ValuationInputs

__all__ = ["Trader", "TraderPopulationReference"]


class Trader:
    """One institutional trader as a plain Python object (the reference specification).

    Attributes mirror one row of :class:`~ailoop.agents.traders.TraderPopulation`; per-firm state is a list of floats.
    """

    __slots__ = ("kappa", "chi", "kappa_att", "horizon", "alpha", "perception", "bias",
                 "is_fund", "committed", "cash", "holdings", "ema", "orders", "traded", "log_value",
                 "margin_call")

    def __init__(self, kappa, chi, kappa_att, horizon, alpha, perception, bias, is_fund, committed):
        self.kappa, self.chi, self.kappa_att = kappa, chi, kappa_att
        self.horizon, self.alpha, self.perception = horizon, alpha, perception
        self.bias = list(bias)
        self.is_fund = bool(is_fund)
        self.committed = bool(committed)
        self.cash = 0.0
        self.holdings: list[float] = []
        self.ema = [0.0] * len(self.bias)
        self.traded = [0.0] * len(self.bias)
        self.log_value = None
        self.margin_call = False

    def order(self, p: TraderParams, mix: _Mixing, v: dict, z_row, common_row) -> list[float]:
        """Today's $B orders for every firm (same formulas as :meth:`ailoop.agents.traders.TraderPopulation.orders`)."""
        F = len(self.bias)
        prices = v["prices"]
        pos = [self.holdings[j] * prices[j] for j in range(F)]
        wp = max(self.cash + _seq_sum(pos), 0.0)
        bw = min(max(v["backlog_pricing"] * self.perception, 0.0), 1.0)
        sigma = p.trader_noise_fundamentalist if self.is_fund else p.trader_noise_chartist
        lam_eta = p.trader_rebalance_rate * p.trader_invested_fraction
        o = [0.0] * F
        new_lv = [0.0] * F
        for j in range(F):
            base = wp * v["weights"][j]
            fwd = v["revenue"][j] + bw * v["backlog_rate"][j]
            ev = v["multiple"][j] * self.bias[j] * fwd
            eq = max(max(ev - v["net_debt"][j], p.trader_value_floor * ev), 1e-9)
            lv = np.log(eq / v["shares"][j])
            mis = lv - v["log_prices"][j]
            revision = lv - (lv if self.log_value is None else self.log_value[j])
            new_lv[j] = lv
            sig = self.kappa * mis if self.is_fund else self.chi * min(max(self.ema[j], -p.trader_trend_cap), p.trader_trend_cap)
            att = self.kappa_att * v["attention"][j] * revision
            eps = (mix.a * common_row[F] + mix.b * common_row[j]) + mix.d * z_row[j]
            oj = base * (sig + att + sigma * eps + lam_eta) - pos[j] * p.trader_rebalance_rate
            o[j] = min(max(oj, -pos[j]), p.trader_max_overweight * base - pos[j])
        buys = _seq_sum([max(x, 0.0) for x in o])
        sells = _seq_sum([max(x, 0.0) - x for x in o])
        avail = self.cash + sells + p.trader_margin_limit * wp
        self.margin_call = False
        if buys > avail:
            scale = max(avail, 0.0) / max(buys, 1e-300)
            o = [x * scale if x > 0.0 else x for x in o]
            if avail < 0.0:           # margin call: sell pro rata until the loan is within its limit
                self.margin_call = True
                rem = [pos[j] + o[j] for j in range(F)]
                f = min(-avail / max(_seq_sum(rem), 1e-300), 1.0)
                o = [o[j] - rem[j] * f for j in range(F)]
        self.orders = o
        self.log_value = new_lv
        return o

    def settle(self, p: TraderParams, prices, prices_new, log_returns, misaligned: float, herd: float,
               u_revise: float, u_choice: float, fill_buy, fill_sell) -> tuple[bool, float]:
        """Execute, pay interest, update trends, maybe switch strategy; returns (switched, interest)."""
        F = len(self.bias)
        if fill_buy is not None:
            self.orders = [x * fill_buy[j] if x > 0.0 else x * fill_sell[j] for j, x in enumerate(self.orders)]
        traded = [self.orders[j] / prices[j] for j in range(F)]
        paid = [traded[j] * prices_new[j] for j in range(F)]
        cash = self.cash - _seq_sum(paid)
        # the broker's limit at the close: buys cut back so the loan stays within it
        wealth = self.cash + _seq_sum([self.holdings[j] * prices_new[j] for j in range(F)])
        floor = -p.trader_margin_limit * max(wealth, 0.0)
        if cash < floor:
            bought = _seq_sum([max(x, 0.0) for x in paid])
            f = min(max((cash + bought - floor) / max(bought, 1e-300), 0.0), 1.0)
            traded = [x * f if x > 0.0 else x for x in traded]
            self.orders = [x * f if x > 0.0 else x for x in self.orders]
            paid = [traded[j] * prices_new[j] for j in range(F)]
            cash = self.cash - _seq_sum(paid)
        self.traded = traded
        for j in range(F):
            self.holdings[j] = self.holdings[j] + traded[j]
        interest = max(-cash, 0.0) * (p.margin_rate / 252.0)
        self.cash = cash - interest
        for j in range(F):
            self.ema[j] = self.ema[j] + self.alpha * (log_returns[j] - self.ema[j])
        if self.committed or not u_revise < p.trader_revision_rate:
            return False, interest
        choose = bool(u_choice < switch_probability(p, herd, misaligned))
        switched = choose != self.is_fund
        self.is_fund = choose
        return switched, interest


class TraderPopulationReference:
    """Per-agent reference implementation: a list of :class:`Trader` objects, looped over.

    Same constructor (``rng`` - the model's generator, ``n_firms``, ``params``), same calls and the
    same random draws as :class:`~ailoop.agents.traders.TraderPopulation`; its results are
    bit-identical (tested). About two orders of magnitude slower.
    """

    def __init__(self, rng: np.random.Generator, n_firms: int, params: TraderParams | None = None):
        self.rng = rng
        self.params = p = params or TraderParams.of()
        self.n = p.n_traders
        self.n_firms = n_firms
        tr = draw_traits(rng, p, n_firms)
        self._wealth_weight = tr["wealth_weight"].tolist()
        self.traders = [
            Trader(tr["kappa"][i], tr["chi"][i], tr["kappa_att"][i], tr["horizon"][i], tr["alpha"][i],
                   tr["perception"][i], tr["bias"][i].tolist(), tr["is_fund"][i], tr["committed"][i])
            for i in range(self.n)
        ]
        self._mix = _Mixing(p)
        self.n_switches = 0
        self.n_margin_calls = 0
        self.last_interest = 0.0

    def initialise(self, prices: np.ndarray, shares: np.ndarray) -> None:
        """Same as :meth:`ailoop.agents.traders.TraderPopulation.initialise`, trader by trader."""
        p = self.params
        caps = prices * shares
        total = np.sum(caps)
        weights = caps / total
        for t, ww in zip(self.traders, self._wealth_weight):
            wealth = p.trader_wealth_share * total * ww
            t.holdings = [(p.trader_invested_fraction * wealth) * weights[j] / prices[j] for j in range(self.n_firms)]
            t.cash = (1.0 - p.trader_invested_fraction) * wealth

    def orders(self, v: ValuationInputs) -> np.ndarray:
        """Today's orders ($B, firm-major n_firms x n_traders like the vectorised one), trader by trader."""
        d = draw_day(self.rng, self.n, self.n_firms)
        vd = {k: getattr(v, k) for k in ("prices", "log_prices", "weights", "multiple", "revenue",
                                         "backlog_rate", "net_debt", "shares", "attention")}
        vd = {k: a.tolist() for k, a in vd.items()}
        vd["backlog_pricing"] = v.backlog_pricing
        z = d.z.T.tolist()                     # row i: trader i's shocks per firm
        com = d.common.tolist()
        rows = [t.order(self.params, self._mix, vd, z[i], com[0] if t.is_fund else com[1])
                for i, t in enumerate(self.traders)]
        self.n_margin_calls = sum(1 for t in self.traders if t.margin_call)
        self._draws = d
        self._misaligned = v.misalignment
        self._prices = v.prices.tolist()
        return np.ascontiguousarray(np.array(rows, dtype=np.float64).reshape(self.n, self.n_firms).T)

    def settle(self, prices_new: np.ndarray, log_returns: np.ndarray, fill_buy=None, fill_sell=None) -> None:
        """Execute and update every trader in turn."""
        p = self.params
        n_fund = sum(1 for t in self.traders if t.is_fund)
        herd = p.trader_herding * (2.0 * (n_fund / self.n) - 1.0)
        pn, lr = prices_new.tolist(), log_returns.tolist()
        ur, uc = self._draws.u_revise.tolist(), self._draws.u_choice.tolist()
        fb = None if fill_buy is None else fill_buy.tolist()
        fs = None if fill_sell is None else fill_sell.tolist()
        out = [t.settle(p, self._prices, pn, lr, self._misaligned, herd, ur[i], uc[i], fb, fs)
               for i, t in enumerate(self.traders)]
        self.n_switches = sum(s for s, _ in out)
        self.last_interest = float(np.sum(np.array([x for _, x in out])))

    # -- the same inspection interface as the vectorised population ---------------------------
    @property
    def cash(self) -> np.ndarray:
        return np.array([t.cash for t in self.traders])

    @property
    def holdings(self) -> np.ndarray:
        return np.array([t.holdings for t in self.traders])

    @property
    def is_fundamentalist(self) -> np.ndarray:
        return np.array([t.is_fund for t in self.traders])

    @property
    def committed(self) -> np.ndarray:
        return np.array([t.committed for t in self.traders])

    @property
    def ema(self) -> np.ndarray:
        return np.array([t.ema for t in self.traders])

    @property
    def last_orders(self) -> np.ndarray:
        return np.array([t.orders for t in self.traders])

    @property
    def last_traded(self) -> np.ndarray:
        return np.ascontiguousarray(np.array([t.traded for t in self.traders]).T)

    @property
    def loans(self) -> np.ndarray:
        return np.array([max(-t.cash, 0.0) for t in self.traders])

    def wealth(self, prices: np.ndarray) -> np.ndarray:
        pl = prices.tolist()
        return np.array([t.cash + _seq_sum([h * q for h, q in zip(t.holdings, pl)]) for t in self.traders])

    @property
    def fundamentalist_share(self) -> float:
        return sum(1 for t in self.traders if t.is_fund) / self.n
