"""Institutional traders: the heterogeneous population whose order flow moves equity prices.

Each trader manages wealth ``W_i = cash_i + sum_j h_ij P_j`` ($B; cash may be negative within a
margin limit) and each day sends a $ order for every firm, decided at yesterday's close ``P``:

    order_ij = B_ij * ( signal_ij + attention_ij + sigma_type * eps_ij + lambda * eta )
               - lambda * pos_ij,            B_ij = max(W_i, 0) * weight_j,  pos_ij = h_ij * P_j

``B_ij`` is the trader's *benchmark allocation* (``weight_j`` = firm j's cap weight). The last
two terms rebalance the portfolio towards ``eta`` (``invested_fraction``) of wealth in stocks at
benchmark weights at rate ``lambda`` (``rebalance_rate``) a day: positions, and so the money a
trader has at stake, stay bounded, whatever the noise.

* **Fundamentalists**: ``signal = kappa_i * log(V_ij / P_j)`` with the trader's value per share

      V_ij = max(EV_ij - net_debt_j, value_floor * EV_ij) / shares_j,
      EV_ij = multiple_j * bias_ij * (revenue_j + b_i * backlog_j / backlog_years_j),
      b_i = clip(backlog_pricing * perception_i, 0, 1).

* **Chartists** (trend followers): ``signal = chi_i * clip(ema_ij, +-trend_cap)``, ``ema_ij`` an
  exponential moving average of firm j's daily log returns over the trader's horizon.
* **News attention** (every trader): ``attention_ij = kappa_att_i * A_j * (log V_ij - log V_ij^-)``,
  trading on the revision of value the day's news brought.
* **Belief noise**: ``eps_ij`` mixes a market-wide and a firm-level shock common to the traders of
  one type with an idiosyncratic one (``noise_common`` is the common share of the variance).
  Chartists' noise is larger than fundamentalists' (Franke & Westerhoff 2012, "structural
  stochastic volatility"): as the population switches between the types, volatility switches
  with it.

**Limits** (no free money): positions are long-only and at most ``max_overweight`` times the
benchmark; buys are scaled down so that the loan after the trade (negative cash) stays within
``margin_limit`` of wealth — when the orders are decided at yesterday's close, and again by the
broker when they are paid at today's (a rise in between would otherwise take the loan beyond
it); a trader whose loan already exceeds it (prices fell) must sell,
pro rata across its positions, until it does not (a margin call). Loans pay ``margin_rate`` a
year, charged daily.

**Switching** (Franke & Westerhoff 2012, DCA-HPM): a trader revises its strategy with
probability ``revision_rate`` a day and becomes a fundamentalist with probability
``1 / (1 + exp(-intensity * a_i))``, the attractiveness of fundamentalism

    a = predisposition + herding * (n_F - n_C) + misalignment * M,
    M = sum_j weight_j * log(FV_j / P_j)^2,

with ``n_F``, ``n_C`` the fundamentalists' and chartists' shares of the population and ``M``
the market's squared log mispricing (the consensus fair value against the price, cap-weighted;
log units, as FW 2012). The intensity of choice is a
normalisation (1): with herding ~1.8 and misalignment ~18 per unit squared log mispricing, the
fitness gap ``a`` is of order one, so choices stay random; far from value the misalignment term
dominates and traders turn fundamentalist. A share ``fundamentalist_floor`` of the traders are
committed value investors who never switch: some fundamentalists are always present.

Two implementations with identical results for the same seed:

* :class:`TraderPopulation` (here) - the population as a struct of arrays, a plain class built
  with the model's random generator (fast; what the economy uses, owned by the ``traders``
  sector);
* ``TraderPopulationReference`` (:mod:`ailoop.agents.reference.traders`) - one Python object
  per trader, looping (the readable specification; tests check the two agree bit for bit).

Both draw the fixed traits with :func:`draw_traits` and the day's random numbers once with
:func:`draw_day` (the reference hands trader i its row). Per-trader arithmetic is written in the
same order of operations in both; sums over firms run left to right (:func:`sum_over_firms`
here, ``_seq_sum`` per trader in the reference). The market adds the orders over traders itself,
on the (identical) order arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ailoop.agents.base import EconomicAgent
from ailoop.model.params import ParamGroup
from ailoop.model.markets.signals import ValuationInputs

__all__ = ["TraderParams", "TraderPopulation", "TraderView", "DayDraws", "draw_traits", "draw_day",
           "sum_over_firms"]


@dataclass(frozen=True)
class TraderParams(ParamGroup):
    """Parameters of the institutional trader population, named as in the parameter table
    (``model/params.py``: units, ranges and sources are there); build them with
    ``TraderParams.from_table(economy.params)`` or ``TraderParams.of(n_traders=50, ...)``.

    Orders are fractions of a trader's benchmark allocation (wealth x cap weight) per day. With
    the market's depth at the opening float (``outside_elasticity`` x float ~ 0.2 x market cap per
    unit log return) and ``trader_wealth_share`` = 0.2 the two factors cancel: a population made only of
    fundamentalists closes ``trader_kappa`` of the log-mispricing a day, and a belief noise ``sigma``
    moves prices by about ``sigma`` in log terms (times the square root of its common share).
    """

    n_traders: int
    trader_wealth_share: float
    trader_invested_fraction: float
    trader_wealth_dispersion: float
    trader_initial_fundamentalist_share: float
    trader_fundamentalist_floor: float
    trader_kappa: float
    trader_chi: float
    trader_trend_cap: float
    trader_kappa_attention: float
    trader_aggressiveness_dispersion: float
    trader_horizon_min: float
    trader_horizon_max: float
    trader_noise_fundamentalist: float
    trader_noise_chartist: float
    trader_noise_common: float
    trader_noise_market: float
    trader_perception_dispersion: float
    trader_valuation_dispersion: float
    trader_value_floor: float
    trader_revision_rate: float
    trader_intensity: float
    trader_predisposition: float
    trader_herding: float
    trader_misalignment: float
    trader_rebalance_rate: float
    trader_max_overweight: float
    trader_margin_limit: float
    trader_margin_spread: float
    risk_free_rate: float

    @property
    def horizon_min(self) -> float:
        """Shortest trend horizon drawn (trading days): the smaller of the two horizon parameters."""
        return min(self.trader_horizon_min, self.trader_horizon_max)

    @property
    def horizon_max(self) -> float:
        """Longest trend horizon drawn (trading days): the larger of the two horizon parameters."""
        return max(self.trader_horizon_min, self.trader_horizon_max)

    @property
    def margin_rate(self) -> float:
        """Yearly rate on the traders' broker loan: ``risk_free_rate + trader_margin_spread``."""
        return self.risk_free_rate + self.trader_margin_spread


def _seq_sum(values):
    """``(values[0] + values[1]) + values[2] + ...``: an explicit left-to-right sum over the first
    axis (floats of a list, or rows of an array). The reference's sum over firms, trader by
    trader, and the order :func:`sum_over_firms` must follow."""
    t = values[0]
    for x in values[1:]:
        t = t + x
    return t


def _sum_rows_reduce(x: np.ndarray) -> np.ndarray:
    """``np.add.reduce`` over the first axis of a C-contiguous array: NumPy adds the rows one
    after the other (pairwise summation is only used along the contiguous axis)."""
    return np.add.reduce(x, axis=0)


def _choose_row_sum():
    """Use the fast reduction only if it is bit-identical to the explicit left-to-right loop here."""
    rng = np.random.default_rng(20251)
    for shape in ((2, 7), (8, 200), (9, 257), (8, 2, 200), (16, 3, 33)):
        x = rng.standard_normal(shape) * np.exp(5.0 * rng.standard_normal(shape))
        if not np.array_equal(_sum_rows_reduce(x), _seq_sum(x)):
            return _seq_sum
    return _sum_rows_reduce


_sum_rows = _choose_row_sum()


def sum_over_firms(x: np.ndarray) -> np.ndarray:
    """Sum a C-contiguous firm-major array (n_firms, ...) over firms, strictly in firm order:
    ``(x[0] + x[1]) + x[2] + ...``.

    The vectorised population keeps per-trader-per-firm state as (n_firms, n_traders), so this
    adds contiguous rows; it matches :func:`_seq_sum`, the per-trader loop of the reference
    implementation, bit for bit (``np.sum`` along a contiguous axis would sum pairwise). It is
    ``np.add.reduce(x, axis=0)`` when that is checked (at import) to add rows in order, else
    :func:`_seq_sum` itself.
    """
    return _sum_rows(x)


def draw_traits(rng: np.random.Generator, p: TraderParams, n_firms: int) -> dict[str, np.ndarray]:
    """Draw the fixed traits of ``p.n_traders`` traders (arrays; row i belongs to trader i)."""
    n = p.n_traders
    s = p.trader_aggressiveness_dispersion
    wealth_weight = rng.lognormal(0.0, p.trader_wealth_dispersion, n)
    wealth_weight = wealth_weight / np.sum(wealth_weight)
    agg = np.exp(s * rng.standard_normal(n) - 0.5 * s * s)      # mean-one aggressiveness factor
    horizon = rng.uniform(p.horizon_min, p.horizon_max, n)
    perception = np.exp(p.trader_perception_dispersion * rng.standard_normal(n))
    bias = np.exp(p.trader_valuation_dispersion * rng.standard_normal((n, n_firms)))
    is_fund = rng.random(n) < p.trader_initial_fundamentalist_share
    committed = np.zeros(n, dtype=bool)                         # value investors who never switch
    committed[rng.permutation(n)[:int(round(p.trader_fundamentalist_floor * n))]] = True
    is_fund |= committed
    return {
        "wealth_weight": wealth_weight,
        "kappa": p.trader_kappa * agg,
        "chi": p.trader_chi * agg,
        "kappa_att": p.trader_kappa_attention * agg,
        "horizon": horizon,
        "alpha": 2.0 / (horizon + 1.0),      # EMA weight of a horizon-h average
        "perception": perception,
        "bias": bias,                         # (n, n_firms)
        "is_fund": is_fund,
        "committed": committed,
    }


@dataclass
class DayDraws:
    """The random numbers of one trading day (drawn once, shared by both implementations)."""

    z: np.ndarray          # (n_firms, n) idiosyncratic belief shocks (firm-major)
    common: np.ndarray     # (2, n_firms + 1): row 0 fundamentalists, row 1 chartists; last column market-wide
    u_revise: np.ndarray   # (n,) uniform: does the trader reconsider its strategy today
    u_choice: np.ndarray   # (n,) uniform: which strategy it picks


def draw_day(rng: np.random.Generator, n: int, n_firms: int) -> DayDraws:
    """Draw one day's random numbers, always in the same order."""
    z = rng.standard_normal((n_firms, n))
    common = rng.standard_normal((2, n_firms + 1))
    u = rng.random((2, n))
    return DayDraws(z, common, u[0], u[1])


class _Mixing:
    """Weights of the market-wide, firm-level and idiosyncratic parts of the belief noise."""

    def __init__(self, p: TraderParams):
        self.a = math.sqrt(p.trader_noise_common * p.trader_noise_market)
        self.b = math.sqrt(p.trader_noise_common * (1.0 - p.trader_noise_market))
        self.d = math.sqrt(1.0 - p.trader_noise_common)


def switch_probability(p: TraderParams, herd: float, misaligned):
    """Probability of choosing fundamentalism (DCA-HPM): ``1 / (1 + exp(-intensity * a))`` with
    ``a = predisposition + herd + misalignment * misaligned`` (``herd`` = herding x (n_F - n_C));
    ``intensity * a`` is clipped to +-50. Works on floats and arrays, with the same operations."""
    a = (p.trader_predisposition + herd) + p.trader_misalignment * misaligned
    x = np.minimum(np.maximum(p.trader_intensity * a, -50.0), 50.0)
    return 1.0 / (1.0 + np.exp(-x))


# ---------------------------------------------------------------------------------------------
# vectorised population
# ---------------------------------------------------------------------------------------------


class TraderPopulation:
    """The institutional traders as a struct of arrays (a plain class, not a Mesa agent).

    rng : the model's random generator (``model.rng``); the traits are drawn from it here and
        the day's belief shocks and switching draws in :meth:`orders` (kept as ``self.rng``).
    n_firms : number of public firms traded.
    params : :class:`TraderParams` (defaults if None).

    In the economy the population belongs to the ``traders`` sector, whose balance sheet holds
    the population's aggregate cash (the positive balances), its broker loan (the negative ones)
    and its positions; ``check_books()`` reconciles the two.

    Public state (row i = trader i): ``cash`` ($B; negative = a margin loan), ``holdings``
    (billions of shares, n x n_firms), ``is_fundamentalist``, ``committed`` (never switches),
    ``ema`` (EMA of daily log returns per firm). Internally per-firm state is stored firm-major
    (n_firms x n) so sums over firms add contiguous rows; the public properties are transposed
    views. The market calls :meth:`initialise` once, then :meth:`orders` and :meth:`settle`
    every day.
    """

    def __init__(self, rng: np.random.Generator, n_firms: int, params: TraderParams | None = None):
        self.rng = rng
        self.params = p = params or TraderParams.of()
        self.n = p.n_traders
        self.n_firms = n_firms
        tr = draw_traits(rng, p, n_firms)
        self.wealth_weight = tr["wealth_weight"]
        self.kappa = tr["kappa"]
        self.chi = tr["chi"]
        self.kappa_att = tr["kappa_att"]
        self.horizon = tr["horizon"]
        self.alpha = tr["alpha"]
        self.perception = tr["perception"]
        self._bias = np.ascontiguousarray(tr["bias"].T)          # (F, n)
        self.is_fundamentalist = tr["is_fund"]
        self.committed = tr["committed"]
        self._free = np.flatnonzero(~self.committed)             # traders who may switch
        self._mix = _Mixing(p)
        self._lam_eta = p.trader_rebalance_rate * p.trader_invested_fraction
        self._rate = p.margin_rate / 252.0                       # daily interest on a loan
        self.cash = np.zeros(self.n)
        self._h = np.zeros((n_firms, self.n))                    # holdings, firm-major
        self._ema = np.zeros((n_firms, self.n))
        self.n_switches = 0          # traders that changed strategy at the last settle
        self.n_margin_calls = 0      # traders forced to sell at the last orders()
        self.last_interest = 0.0     # $B of interest charged at the last settle
        self._orders = np.zeros((n_firms, self.n))
        self._traded = np.zeros((n_firms, self.n))
        self._log_value = None       # (F, n) log value per share at the last orders()
        self._bw_key = None
        self._retype()

    # -- setup --------------------------------------------------------------------------------
    def initialise(self, prices: np.ndarray, shares: np.ndarray) -> None:
        """Give each trader its wealth: ``wealth_share`` of total market cap, ``invested_fraction``
        of it in stocks at cap weights, the rest in cash."""
        p = self.params
        caps = prices * shares
        total = np.sum(caps)
        weights = caps / total
        wealth = p.trader_wealth_share * total * self.wealth_weight
        self._h = (p.trader_invested_fraction * wealth)[None, :] * weights[:, None] / prices[:, None]
        self.cash = (1.0 - p.trader_invested_fraction) * wealth

    # -- daily --------------------------------------------------------------------------------
    def _backlog_weight(self, backlog_pricing: float) -> np.ndarray:
        """b_i = clip(backlog_pricing * perception_i, 0, 1), cached per value of backlog_pricing."""
        if self._bw_key != backlog_pricing:
            self._bw_key = backlog_pricing
            self._bw = np.minimum(np.maximum(backlog_pricing * self.perception, 0.0), 1.0)
        return self._bw

    def _retype(self) -> None:
        """Refresh the per-type lookup arrays after strategies changed."""
        fund = self.is_fundamentalist
        # signal = kappa * mispricing for fundamentalists, chi * trend for chartists, written as
        # kf * mis + kc * ema with the other coefficient 0 (same value as choosing one of them)
        self._kf = np.where(fund, self.kappa, 0.0)
        self._kc = np.where(fund, 0.0, self.chi)
        self._sigma = np.where(fund, self.params.trader_noise_fundamentalist, self.params.trader_noise_chartist)
        self._n_fund = int(np.count_nonzero(fund))

    def orders(self, v: ValuationInputs) -> np.ndarray:
        """Today's orders in $B, firm-major: shape (n_firms, n_traders); positive = buy.

        Draws the day's random numbers. (Firm-major so that the market's totals per firm are
        sums along contiguous rows; ``last_orders`` gives the (n_traders, n_firms) view.)
        """
        p = self.params
        F = self.n_firms
        d = draw_day(self.rng, self.n, F)
        col = lambda a: a[:, None]  # noqa: E731  (per-firm vector against firm-major arrays)
        # (in-place operations below keep the reference's order of operations exactly)
        pos = self._h * col(v.prices)                         # $B held per firm
        wp = self.cash + sum_over_firms(pos)                  # wealth, net of any loan
        np.maximum(wp, 0.0, out=wp)
        base = wp * col(v.weights)                            # benchmark allocation, $B
        sig = self._signal(v, d)
        sig += self._lam_eta                                  # rebalancing towards the target ...
        o = base * sig
        rb = pos * p.trader_rebalance_rate                           # ... invested share
        o -= rb
        np.maximum(o, -pos, out=o)                            # long-only
        hi = p.trader_max_overweight * base
        hi -= pos
        np.minimum(o, hi, out=o)
        o = self._within_buying_power(o, pos, wp)
        self._misaligned = v.misalignment
        self._prices = v.prices
        self._draws = d
        self._orders = o
        return o

    def _signal(self, v: ValuationInputs, d) -> np.ndarray:
        """Each trader's demand signal per firm (firm-major): misalignment x the fundamentalist
        weight + capped trend x the chartist weight + attention x value revision + belief noise."""
        p = self.params
        F = self.n_firms
        col = lambda a: a[:, None]  # noqa: E731
        fwd = self._backlog_weight(v.backlog_pricing) * col(v.backlog_rate)
        fwd += col(v.revenue)                                 # forward revenue, $B/yr
        ev = col(v.multiple) * self._bias
        ev *= fwd                                             # enterprise value, $B
        eq = ev - col(v.net_debt)
        np.maximum(eq, p.trader_value_floor * ev, out=eq)
        np.maximum(eq, 1e-9, out=eq)
        eq /= col(v.shares)
        lv = np.log(eq, out=eq)                               # log value per share
        mis = lv - col(v.log_prices)
        prev = self._log_value
        self._log_value = lv
        sig = self._kf * mis
        trend = np.minimum(np.maximum(self._ema, -p.trader_trend_cap), p.trader_trend_cap)
        trend *= self._kc
        sig += trend
        if v.attention.any():       # (on quiet days the attention term is exactly zero)
            if prev is not None:
                att = self.kappa_att * col(v.attention)
                att *= lv - prev                              # attention x value revision
                sig += att
        mx = self._mix
        common = mx.a * d.common[:, F:F + 1] + mx.b * d.common[:, :F]    # (2, F): per type
        eps = np.where(self.is_fundamentalist, common[0][:, None], common[1][:, None])
        eps += mx.d * d.z
        eps *= self._sigma
        sig += eps
        return sig

    def _within_buying_power(self, o: np.ndarray, pos: np.ndarray, wp: np.ndarray) -> np.ndarray:
        """Scale buys down to cash + sales + the margin limit; a trader whose loan exceeds the
        limit even without buying sells pro rata until within it (a margin call)."""
        p = self.params
        buy_part = np.maximum(o, 0.0)
        buys = sum_over_firms(buy_part)
        # buying power: cash + sales + the margin limit; sales >= 0, so only check them if needed
        self.n_margin_calls = 0
        if (buys > self.cash + p.trader_margin_limit * wp).any():
            sells = sum_over_firms(buy_part - o)              # = sum of max(-o, 0)
            avail = self.cash + sells + p.trader_margin_limit * wp
            over = buys > avail
            if over.any():
                with np.errstate(over="ignore"):  # traders not over their limit may overflow; not used
                    scale = np.where(over, np.maximum(avail, 0.0) / np.maximum(buys, 1e-300), 1.0)
                o = np.where(o > 0.0, o * scale, o)
                call = avail < 0.0          # the loan exceeds the limit even without buying
                if call.any():              # margin call: sell pro rata until within the limit
                    self.n_margin_calls = int(np.count_nonzero(call))
                    rem = pos + o
                    tot = sum_over_firms(rem)
                    f = np.where(call, np.minimum(-avail / np.maximum(tot, 1e-300), 1.0), 0.0)
                    o = o - rem * f
        return o

    def settle(self, prices_new: np.ndarray, log_returns: np.ndarray, fill_buy=None, fill_sell=None) -> None:
        """Execute today's orders, charge interest on loans, update trends and strategies.

        An order of ``o`` $B decided at yesterday's close ``P`` is for ``o / P`` shares, filled at
        today's close ``P_new`` (so a sale never exceeds the position). ``fill_buy`` /
        ``fill_sell`` (per firm, in [0, 1]) are the shares of buy and sell orders the market could
        fill (rationing by the outside float and the circuit breaker; None = all).
        """
        p = self.params
        d = self._draws
        o = self._orders
        if fill_buy is not None:
            o = np.where(o > 0.0, o * fill_buy[:, None], o * fill_sell[:, None])
            self._orders = o
        traded = o / self._prices[:, None]
        paid = traded * prices_new[:, None]                   # $B paid at the close
        cash = self.cash - sum_over_firms(paid)
        # the broker lends at the close no more than the margin limit of the trader's wealth there:
        # buys decided at yesterday's close cost more if the price rose, so they are cut back
        wealth = self.cash + sum_over_firms(self._h * prices_new[:, None])   # before the trade
        floor = -p.trader_margin_limit * np.maximum(wealth, 0.0)
        over = cash < floor
        if over.any():
            bought = sum_over_firms(np.maximum(paid, 0.0))
            with np.errstate(over="ignore"):  # traders within the floor may overflow; not used
                f = np.where(over, np.minimum(np.maximum((cash + bought - floor) / np.maximum(bought, 1e-300), 0.0),
                                              1.0), 1.0)
            traded = np.where(traded > 0.0, traded * f, traded)
            self._orders = o = np.where(o > 0.0, o * f, o)
            paid = traded * prices_new[:, None]
            cash = self.cash - sum_over_firms(paid)
        self._traded = traded
        self._h = self._h + traded
        loan = np.maximum(-cash, 0.0)
        interest = loan * self._rate
        self.cash = cash - interest
        self.last_interest = float(interest.sum())
        step = log_returns[:, None] - self._ema
        step *= self.alpha
        self._ema = self._ema + step
        free = self._free
        idx = free[d.u_revise.take(free) < p.trader_revision_rate]   # traders reconsidering today
        self.n_switches = 0
        if idx.size:
            herd = p.trader_herding * (2.0 * (self._n_fund / self.n) - 1.0)
            choose = d.u_choice[idx] < switch_probability(p, herd, self._misaligned)
            changed = choose != self.is_fundamentalist[idx]
            self.n_switches = int(np.count_nonzero(changed))
            if self.n_switches:
                self.is_fundamentalist = self.is_fundamentalist.copy()
                self.is_fundamentalist[idx] = choose
                self._retype()

    def receive_distribution(self, j: int, amount: float) -> None:
        """``amount`` $B paid out on firm ``j``'s shares (a liquidating distribution) reaches the
        traders pro rata to their holdings of it."""
        held = self._h[j]
        total = float(held.sum())
        if total > 0.0 and amount != 0.0:
            self.cash = self.cash + amount * (held / total)

    # -- inspection ---------------------------------------------------------------------------
    @property
    def holdings(self) -> np.ndarray:
        """Billions of shares held, (n_traders, n_firms) (a view)."""
        return self._h.T

    @property
    def ema(self) -> np.ndarray:
        """EMA of each firm's daily log return per trader, (n_traders, n_firms) (a view)."""
        return self._ema.T

    @property
    def last_orders(self) -> np.ndarray:
        """The last orders in $B, (n_traders, n_firms) (a view; after any rationing once settled)."""
        return self._orders.T

    @property
    def last_traded(self) -> np.ndarray:
        """Billions of shares traded at the last settle, firm-major (n_firms, n_traders)."""
        return self._traded

    def wealth(self, prices: np.ndarray) -> np.ndarray:
        """Each trader's wealth in $B at ``prices`` (net of its loan)."""
        return self.cash + sum_over_firms(self._h * prices[:, None])

    @property
    def loans(self) -> np.ndarray:
        """Each trader's margin loan, $B (its negative cash)."""
        return np.maximum(-self.cash, 0.0)

    @property
    def fundamentalist_share(self) -> float:
        """Share of traders that are fundamentalists."""
        return self._n_fund / self.n

    def trader(self, i: int) -> "TraderView":
        """A read-only view of trader ``i``."""
        return TraderView(self, i)


class TraderView:
    """Lightweight read-only view of one trader of a :class:`TraderPopulation` (for inspection)."""

    __slots__ = ("_pop", "i")

    def __init__(self, pop: TraderPopulation, i: int):
        self._pop, self.i = pop, i

    @property
    def cash(self) -> float:
        return float(self._pop.cash[self.i])

    @property
    def holdings(self) -> np.ndarray:
        return self._pop.holdings[self.i].copy()

    @property
    def is_fundamentalist(self) -> bool:
        return bool(self._pop.is_fundamentalist[self.i])

    @property
    def horizon(self) -> float:
        return float(self._pop.horizon[self.i])

    def __repr__(self) -> str:
        kind = "fundamentalist" if self.is_fundamentalist else "chartist"
        return f"<Trader {self.i} {kind} cash={self.cash:.3f}B>"


class TraderSector(EconomicAgent):
    """The institutional traders' sector (``traders``): one Mesa agent with the sector's balance
    sheet (cash, stakes and the broker loan in the ledger). Its :attr:`population` (a
    :class:`TraderPopulation`, attached by the exchange) holds the per-trader state; their trades
    with outside holders settle on this balance sheet, and the books check reconciles the two:
    the sector's cash less its broker loan is the traders' cash, its stakes their holdings."""

    family = "traders"
    population: TraderPopulation | None = None
    listed_ids: list[str] = []  # the listed firms in the population's column order (attached with it)

    def receive_distribution(self, issuer: str, amount: float) -> None:
        """The traders holding ``issuer``'s shares get its liquidating distribution, pro rata."""
        if self.population is not None:
            self.population.receive_distribution(self.listed_ids.index(issuer), amount)
