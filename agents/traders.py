"""Institutional traders: the heterogeneous population whose order flow sets equity prices.

Each trader manages wealth ``W_i`` ($B), split between cash and shares of the public firms, and
each day sends a $ order for every firm. The order is a fraction of the trader's *benchmark
allocation* ``W_i * weight_j`` (``weight_j`` = firm j's cap weight):

    order_ij = W_i+ * weight_j * ( signal_ij + attention_ij + sigma_type * eps_ij )

* **Fundamentalists**: ``signal = kappa_i * log(V_ij / P_j)`` with the trader's value per share

      V_ij = max(EV_ij - net_debt_j, value_floor * EV_ij) / shares_j,
      EV_ij = multiple_j * bias_ij * (revenue_j + b_i * backlog_j / backlog_years_j),
      b_i = clip(backlog_pricing * perception_i, 0, 1).

  ``multiple_j`` (price/sales, sentiment- and growth-dependent) comes from the market;
  ``perception_i`` and ``bias_ij`` are the trader's fixed view of backlog and of the multiple.
* **Chartists** (trend followers): ``signal = chi_i * clip(ema_ij, +-trend_cap)`` with ``ema_ij``
  an exponential moving average of firm j's daily log returns over the trader's horizon ``h_i``
  days (the trend's daily drift). ``chi`` < 1 and the cap keep trend chasing from exploding.
* **News attention** (every trader): ``attention_ij = kappa_att_i * A_j * (log V_ij - log V_ij^-)``
  with ``V^-`` the trader's value the day before: on a day with news or earnings (``A_j`` near 1)
  the whole population trades on the *revision* of value the news brought (e.g. a backlog
  addition), so the market prices the news on the day instead of over weeks; any mispricing
  left over is worked off slowly by fundamentalists.
* **Belief noise**: ``eps_ij`` mixes a market-wide and a firm-level shock common to all traders of
  the same type, and an idiosyncratic shock. Chartists' beliefs are noisier than fundamentalists'
  (Franke & Westerhoff 2012, "structural stochastic volatility"); as the population switches
  between types, volatility switches with it (volatility clustering).

Orders are bounded: a position lies in ``[0, max_overweight * W_i * weight_j]`` (long-only,
at most ``max_overweight`` times the benchmark weight) and buys are scaled down when they exceed
cash + sales + ``max_leverage * W_i``.

**Switching** (Brock & Hommes 1998): each strategy's fitness is an exponential average (memory
``memory``) of the daily return of the position it recommends (signal clipped to [-1, 1]); a
trader revises with probability ``revision_rate`` a day and becomes a fundamentalist with
probability ``1 / (1 + exp(-x))``, with

    x = beta * (U_F - U_C) + predisposition + herding * (2 n_F - 1) + misalignment * M_i,

``M_i = sum_j weight_j * log(V_ij / P_j)^2`` the trader's view of how far prices have strayed
from value (Franke & Westerhoff 2012's herding and misalignment terms): far from value,
fundamentalism becomes attractive again.

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
from ailoop.model.markets.signals import ValuationInputs

__all__ = ["TraderParams", "TraderPopulation", "TraderView", "DayDraws", "draw_traits", "draw_day",
           "sum_over_firms"]


@dataclass
class TraderParams:
    """Parameters of the institutional trader population (all assumptions unless noted).

    Orders are fractions of a trader's benchmark allocation (wealth x cap weight) per day. With
    the market's default depth (0.2 x market cap per unit log return) and ``wealth_share`` = 0.2,
    the two factors cancel: a population made only of fundamentalists closes ``kappa`` of the
    log-mispricing a day, one made only of chartists adds ``chi`` times the trend (average daily
    log return) to today's log return, and a belief noise ``sigma`` moves prices by about
    ``sigma`` in log terms (times the common share of the noise).
    """

    #: number of traders (assumption: "institutional traders (100+)", DESIGN.md §2).
    n_traders: int = 200
    #: traders' total wealth as a share of the public firms' market cap (assumption: active
    #: institutional money in these stocks).
    wealth_share: float = 0.20
    #: share of wealth initially in stocks at benchmark weights; the rest is cash (assumption).
    invested_fraction: float = 0.90
    #: lognormal sigma of trader wealth (assumption: a few large managers, many small ones).
    wealth_dispersion: float = 1.0
    #: initial share of fundamentalists (assumption).
    initial_fundamentalist_share: float = 0.5
    #: mean fundamentalist aggressiveness, 1/day per unit log-mispricing (assumption).
    kappa: float = 0.02
    #: mean chartist aggressiveness per unit of trend (average daily log return; assumption).
    chi: float = 0.2
    #: the trend chartists act on is capped at +- this daily drift (assumption: trend followers
    #: size positions on bounded signals).
    trend_cap: float = 0.01
    #: mean attention aggressiveness per unit of value revision at full attention (assumption:
    #: with the default depth the market prices ~this share of a news-driven revaluation on the
    #: day; event studies find announcement returns concentrated on day 0/+1).
    kappa_attention: float = 0.8
    #: lognormal sigma of the per-trader aggressiveness factor (assumption).
    aggressiveness_dispersion: float = 0.5
    #: trend horizons drawn uniformly in [horizon_min, horizon_max] trading days (assumption).
    horizon_min: float = 5.0
    horizon_max: float = 60.0
    #: daily belief-noise of fundamentalists / chartists, in units of benchmark allocation
    #: (assumption, after Franke & Westerhoff 2012: chartists' noise several times fundamentalists').
    noise_fundamentalist: float = 0.006
    noise_chartist: float = 0.040
    #: share of belief-noise variance common to all traders of a type (assumption).
    noise_common: float = 0.9
    #: share of the common part that is market-wide rather than firm-specific (assumption).
    noise_market: float = 0.5
    #: lognormal sigma of the backlog perception factor (assumption).
    perception_dispersion: float = 0.3
    #: lognormal sigma of each trader's view of each firm's multiple (assumption).
    valuation_dispersion: float = 0.10
    #: equity is worth at least this share of enterprise value (option value; assumption).
    value_floor: float = 0.05
    #: intensity of choice beta, per unit of daily strategy return (assumption).
    beta: float = 800.0
    #: memory of strategy fitness (daily weight on the past; assumption: ~20-day average).
    memory: float = 0.95
    #: probability a trader reconsiders its strategy on a given day (assumption).
    revision_rate: float = 0.05
    #: constant bias towards fundamentalism in the switching index (assumption).
    predisposition: float = 0.0
    #: herding weight on (2 n_F - 1) in the switching index (assumption).
    herding: float = 1.5
    #: weight of the squared mispricing in the switching index (assumption, after Franke &
    #: Westerhoff 2012).
    misalignment: float = 10.0
    #: log-mispricing / trend (daily drift) that counts as a full position for fitness
    #: (assumption).
    fund_signal_scale: float = 0.2
    trend_signal_scale: float = 0.005
    #: a position may be at most this multiple of the benchmark weight (assumption).
    max_overweight: float = 3.0
    #: buying power beyond cash and sales, as a share of wealth (assumption: margin).
    max_leverage: float = 0.5


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
    s = p.aggressiveness_dispersion
    wealth_weight = rng.lognormal(0.0, p.wealth_dispersion, n)
    wealth_weight = wealth_weight / np.sum(wealth_weight)
    agg = np.exp(s * rng.standard_normal(n) - 0.5 * s * s)      # mean-one aggressiveness factor
    horizon = rng.uniform(p.horizon_min, p.horizon_max, n)
    perception = np.exp(p.perception_dispersion * rng.standard_normal(n))
    bias = np.exp(p.valuation_dispersion * rng.standard_normal((n, n_firms)))
    is_fund = rng.random(n) < p.initial_fundamentalist_share
    return {
        "wealth_weight": wealth_weight,
        "kappa": p.kappa * agg,
        "chi": p.chi * agg,
        "kappa_att": p.kappa_attention * agg,
        "horizon": horizon,
        "alpha": 2.0 / (horizon + 1.0),      # EMA weight of a horizon-h average
        "perception": perception,
        "bias": bias,                         # (n, n_firms)
        "is_fund": is_fund,
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
        self.a = math.sqrt(p.noise_common * p.noise_market)
        self.b = math.sqrt(p.noise_common * (1.0 - p.noise_market))
        self.d = math.sqrt(1.0 - p.noise_common)


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
    the population's aggregate cash and positions.

    Public state (row i = trader i): ``cash`` ($B), ``holdings`` (billions of shares,
    n x n_firms), ``is_fundamentalist``, ``ema`` (EMA of daily log returns per firm),
    ``fitness_f`` / ``fitness_c`` (strategy fitness). Internally per-firm state is stored
    firm-major (n_firms x n) so sums over firms add contiguous rows; the public properties are
    transposed views. The market calls :meth:`initialise` once, then :meth:`orders` and
    :meth:`settle` every day.
    """

    def __init__(self, rng: np.random.Generator, n_firms: int, params: TraderParams | None = None):
        self.rng = rng
        self.params = p = params or TraderParams()
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
        self._mix = _Mixing(p)
        self.cash = np.zeros(self.n)
        self._h = np.zeros((n_firms, self.n))                    # holdings, firm-major
        self._ema = np.zeros((n_firms, self.n))
        self._fit = np.zeros((2, self.n))                        # rows: fundamentalist, chartist
        self._scales = np.array([p.fund_signal_scale, p.trend_signal_scale])[None, :, None]   # (1, 2, 1)
        self.n_switches = 0          # traders that changed strategy at the last settle
        self._orders = np.zeros((n_firms, self.n))
        self._log_value = None       # (F, n) log value per share at the last orders()
        self._bw_key = None
        self._retype()

    # -- setup --------------------------------------------------------------------------------
    def initialise(self, prices: np.ndarray, shares: np.ndarray) -> None:
        """Give each trader its wealth: ``wealth_share`` of total market cap, invested at cap weights."""
        p = self.params
        caps = prices * shares
        total = np.sum(caps)
        weights = caps / total
        wealth = p.wealth_share * total * self.wealth_weight
        self._h = (p.invested_fraction * wealth)[None, :] * weights[:, None] / prices[:, None]
        self.cash = (1.0 - p.invested_fraction) * wealth

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
        self._sigma = np.where(fund, self.params.noise_fundamentalist, self.params.noise_chartist)

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
        wp = self.cash + sum_over_firms(pos)
        np.maximum(wp, 0.0, out=wp)
        base = wp * col(v.weights)                            # benchmark allocation, $B
        fwd = self._backlog_weight(v.backlog_pricing) * col(v.backlog_rate)
        fwd += col(v.revenue)                                 # forward revenue, $B/yr
        ev = col(v.multiple) * self._bias
        ev *= fwd                                             # enterprise value, $B
        eq = ev - col(v.net_debt)
        np.maximum(eq, p.value_floor * ev, out=eq)
        np.maximum(eq, 1e-9, out=eq)
        eq /= col(v.shares)
        lv = np.log(eq, out=eq)                               # log value per share
        mis = lv - col(v.log_prices)
        prev = self._log_value
        self._log_value = lv
        sig = self._kf * mis
        trend = np.minimum(np.maximum(self._ema, -p.trend_cap), p.trend_cap)
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
        o = base * sig
        np.maximum(o, -pos, out=o)
        hi = p.max_overweight * base
        hi -= pos
        np.minimum(o, hi, out=o)
        buy_part = np.maximum(o, 0.0)
        buys = sum_over_firms(buy_part)
        # buying power: cash + sales + leverage; sales >= 0, so only check them if needed
        if (buys > self.cash + p.max_leverage * wp).any():
            sells = sum_over_firms(buy_part - o)            # = sum of max(-o, 0)
            avail = self.cash + sells + p.max_leverage * wp
            over = buys > avail
            if over.any():
                scale = np.where(over, np.maximum(avail, 0.0) / np.maximum(buys, 1e-300), 1.0)
                o = np.where(o > 0.0, o * scale, o)
        self._weights = v.weights
        self._prices = v.prices
        self._draws = d
        self._mis = mis
        self._orders = o
        return o

    def settle(self, prices_new: np.ndarray, log_returns: np.ndarray) -> None:
        """Execute today's orders, update trends, fitness and strategies.

        An order of ``o`` $B decided at yesterday's close ``P`` is for ``o / P`` shares, filled at
        today's close ``P_new`` (so a sale never exceeds the position).
        """
        p = self.params
        d = self._draws
        mis = self._mis
        traded = self._orders / self._prices[:, None]
        self._h = self._h + traded
        traded *= prices_new[:, None]                          # $B paid at the close
        self.cash = self.cash - sum_over_firms(traded)
        wr = (self._weights * log_returns)[:, None, None]
        # positions the two strategies recommend (signals clipped to [-1, 1]) and their returns
        pos = np.stack((mis, self._ema), axis=1)
        pos /= self._scales
        np.maximum(pos, -1.0, out=pos)
        np.minimum(pos, 1.0, out=pos)
        pos *= wr
        profit = sum_over_firms(pos)                          # (F, 2, n) -> (2, n)
        profit *= 1.0 - p.memory
        fit = p.memory * self._fit
        fit += profit
        self._fit = fit
        step = log_returns[:, None] - self._ema
        step *= self.alpha
        self._ema = self._ema + step
        idx = np.flatnonzero(d.u_revise < p.revision_rate)     # traders reconsidering today
        self.n_switches = 0
        if idx.size:
            herd = p.herding * (2.0 * (np.count_nonzero(self.is_fundamentalist) / self.n) - 1.0)
            c0 = p.predisposition + herd
            mi = mis[:, idx]
            misaligned = sum_over_firms(self._weights[:, None] * (mi * mi))
            fit = self._fit[:, idx]
            x = p.beta * (fit[0] - fit[1]) + c0 + p.misalignment * misaligned
            x = np.minimum(np.maximum(x, -50.0), 50.0)
            choose = d.u_choice[idx] < 1.0 / (1.0 + np.exp(-x))
            changed = choose != self.is_fundamentalist[idx]
            self.n_switches = int(np.count_nonzero(changed))
            if self.n_switches:
                self.is_fundamentalist = self.is_fundamentalist.copy()
                self.is_fundamentalist[idx] = choose
                self._retype()

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
        """The last orders in $B, (n_traders, n_firms) (a view)."""
        return self._orders.T

    @property
    def fitness_f(self) -> np.ndarray:
        """Fitness of the fundamentalist strategy per trader (EMA of its daily return)."""
        return self._fit[0]

    @property
    def fitness_c(self) -> np.ndarray:
        """Fitness of the chartist strategy per trader."""
        return self._fit[1]

    def wealth(self, prices: np.ndarray) -> np.ndarray:
        """Each trader's wealth in $B at ``prices``."""
        return self.cash + sum_over_firms(self._h * prices[:, None])

    @property
    def fundamentalist_share(self) -> float:
        """Share of traders that are fundamentalists."""
        return np.count_nonzero(self.is_fundamentalist) / self.n

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
    sheet (cash, stakes, broker loans in the ledger). Its :attr:`population` (a
    :class:`TraderPopulation`, attached by the exchange) holds the per-trader state; their trades
    with outside holders settle on this balance sheet."""

    family = "traders"
    population: TraderPopulation | None = None
