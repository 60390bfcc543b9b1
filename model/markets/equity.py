"""Equity price formation: firm fundamentals and news -> order flow -> daily prices.

Each trading day :meth:`EquityMarket.step`

1. turns the firms' signals and the AI sentiment into valuation inputs: a price/sales multiple
   per firm, ``multiple_j = base_j * exp(sentiment_elasticity * s) * exp(growth_elasticity *
   clip(g_j + belief_j - g_ref_j))``, the backlog revenue rate and a news/earnings *attention*
   level ``A_j`` in [0, 1];
2. collects the institutional traders' $ orders (``agents/traders.py``, for ``order / P`` shares
   at yesterday's close ``P``), the retail ETF's creations and redemptions (``agents/retail.py``:
   the ETF buys or sells a slice of the basket it holds, in kind) and the exogenous flow the
   economy booked at ``P`` (buybacks, share issues, forced sales): the day's net purchase of
   shares from the *outside holders*, ``Q_j``, is known before the price moves;
3. sets the price where the outside holders - a finite float ``O_j`` of shares held by nobody
   the model follows (households, passive and foreign money, insiders) - supply ``Q_j``. Their
   holdings fall with the price above their reservation value ``R_j`` at a constant elasticity
   ``zeta`` (``outside_elasticity``; Gabaix & Koijen 2021's inelastic markets)::

       log P_j' = log R_j' + (1 - impact_decay) * (log P_j - log R_j')
                  + I_j' - theta * I_j + price_noise * e_j + (D_j' - D_j),   I_j' = -log(1 - Q_j / O_j) / zeta
       log R_j' = log R_j + dlog C_j + anchor_rate * (log FV_j - log R_j - dlog C_j)
       D_j' = rho * D_j + uncertainty_gain * sqrt(U_j) * e'_j,
       U_j' = min(rho * U_j + (dlog C_j)^2, uncertainty_max_revision^2)

   Depth comes from the float: buying a share ``q`` of the float moves the price by about
   ``q / zeta``, and buying the whole float would take an infinite price. ``FV_j`` is the
   consensus fair value (the representative trader's) and ``C_j = FV_j / exp(sentiment_elasticity
   * s)`` its part at neutral mood: outside holders price a revision of the fundamentals
   (revenue, growth, backlog, debt, news) at once and follow the AI mood over about a quarter
   (so that the loop returns -> mood -> multiples does not make daily returns trend);
   ``impact_decay`` pulls the price back towards ``R_j`` (outside holders absorb the flow and,
   over weeks, bring the price back to their own valuation). A share ``theta``
   (``impact_transient_share``) of each day's realised impact ``I_j`` is transient and reverses
   the next day: liquidity providers who absorbed the day's flow unwind it (temporary price
   impact; the one-day kernel of Bouchaud et al. 2004's propagator), the source of a negative
   autocorrelation of daily returns (the S&P 500's -0.07 at lag 1). Revisions of a firm's fundamentals
   leave uncertainty ``U_j`` behind, and with it disagreement about what they mean (follow-up
   news, analysts' revisions; information arrives in clusters - Clark 1973, Andersen 1996): a
   price deviation ``D_j`` whose daily shocks grow with ``sqrt(U_j)`` from the day after the
   revision, and which fades as the uncertainty does (``rho = uncertainty_persistence``), so it
   moves prices but not values. The uncertainty is at most that of one revision of
   ``uncertainty_max_revision`` (a value halved or doubled): a firm whose value collapses is not
   priced with a disagreement as large as the collapse, day after day. A firm whose news comes in monthly jumps has volatility that
   clusters after each one;
4. rations before the price moves: when the day's buying (selling) would move a price by more
   than ``max_daily_move`` (a circuit breaker) the buy (sell) orders are filled pro rata only
   as far as the float supplies at that move (the ETF's creations by one share for all firms,
   so that it keeps holding its basket); outside holders can never sell more shares than they
   have. The exogenous flow, booked already, is never rationed;
5. executes at the close: traders pay ``shares x P'``; households pay for (are paid for) their
   ETF units at the closing NAV; outside holders take the other side of everything, so shares
   are conserved: traders + ETF + exogenous - outside holders' sales = 0 per firm per day.

Nothing here touches the ledger: :class:`MarketStep` reports the trades and prices, and the
economy settles cash and shares (``model/exchange.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from ailoop.model.markets.sentiment import multiple_factor
from ailoop.model.markets.signals import FirmSignals, ValuationInputs
from ailoop.model.params import ParamGroup

__all__ = ["MarketParams", "MarketStep", "EquityMarket", "implied_base_multiples", "HALT_PRICE"]

#: $/share a halted (defaulted) firm's shares are quoted at: next to nothing, and no longer traded
HALT_PRICE = 1e-6
#: bounds of the margin factor's exponent: a collapse of the margin cuts the value to e^-3 (5%) at
#: most, a rise lifts it e-fold at most (the linearisation holds near the opening margin only)
MARGIN_EXP_FLOOR, MARGIN_EXP_CAP = 3.0, 1.0
#: least opening gap between the cost of capital and long-run growth (1/year) in the rate factor
RATE_GAP_MIN = 0.01


@dataclass(frozen=True)
class MarketParams(ParamGroup):
    """Parameters of price formation, named as in the parameter table (``model/params.py``: units,
    ranges and sources are there); build them with ``MarketParams.from_table(economy.params)`` or
    ``MarketParams.of(backlog_pricing=1.0, ...)``.

    Two inputs are not parameters of the table (a standalone market may give them):
    ``base_multiples`` are price/sales multiples applied to *forward revenue* (run-rate plus the
    priced part of the backlog's yearly revenue) at neutral sentiment and at the reference growth;
    ``None`` means "implied": chosen on the first day so the representative trader (perception 1,
    no bias) finds the initial prices fair (:func:`implied_base_multiples`). Calibration (trailing
    price/sales, docs/calibration.md#companies): chipmaker ~24-27, cloud ~10-13, neocloud ~16-24.
    ``growth_reference`` is the growth (1/yr, log) embedded in them; None = the first day's growth.
    ``outside_elasticity`` and ``market_price_noise`` may be given per firm there.
    """

    backlog_pricing: float
    outside_elasticity: float | np.ndarray
    market_min_float: float
    market_anchor_rate: float
    market_impact_decay: float
    market_impact_transient_share: float
    market_price_noise: float | np.ndarray
    market_uncertainty_gain: float
    market_uncertainty_persistence: float
    market_uncertainty_max_revision: float
    market_max_daily_move: float
    sentiment_multiple_elasticity: float
    growth_elasticity: float
    market_growth_clip: float
    market_surprise_to_growth: float
    market_news_to_growth: float
    market_belief_persistence: float
    market_attention_news_scale: float
    market_attention_surprise_scale: float
    market_attention_persistence: float
    valuation_margin_floor: float
    long_run_growth: float
    base_multiples: np.ndarray | None = None
    growth_reference: np.ndarray | None = None

    extra: ClassVar[tuple[str, ...]] = ("base_multiples", "growth_reference")


def implied_base_multiples(prices, shares, signals: FirmSignals, backlog_pricing: float,
                           sentiment: float = 0.0, sentiment_elasticity: float = 0.5) -> np.ndarray:
    """Base multiples at which the representative trader finds ``prices`` fair.

    Solves ``price * shares + net_debt = base * exp(el * s) * (revenue + backlog_pricing *
    backlog_rate)`` for ``base``: (market cap + net debt) / forward revenue at neutral sentiment.
    """
    fwd = signals.revenue_run_rate + backlog_pricing * signals.backlog_rate
    ev = np.asarray(prices, dtype=np.float64) * np.asarray(shares, dtype=np.float64) + signals.net_debt
    return ev / fwd / multiple_factor(sentiment, sentiment_elasticity)


@dataclass
class MarketStep:
    """One trading day's outcome. Money in $B, shares in billions, prices in $/share."""

    prices: np.ndarray               # closing prices
    log_returns: np.ndarray          # log(P_new / P_old)
    market_caps: np.ndarray          # $B at the close
    basket_return: float             # cap-weighted log return of the public firms (feeds sentiment)
    etf_return: float                # the ETF's simple return (its basket, before today's flows)
    excess_demand: np.ndarray        # $B: shares the agents and the exogenous flow took from outside holders x P
    trader_dollars: np.ndarray       # $B net paid by traders per firm (shares x closing price)
    trader_shares: np.ndarray        # billions of shares net bought by traders per firm
    trader_shares_by_agent: np.ndarray  # (n_traders, n_firms) billions of shares
    retail_dollars: np.ndarray       # $B the ETF paid per firm at the close (shares x closing price)
    retail_shares: np.ndarray        # billions of shares net bought by the ETF per firm
    exogenous_shares: np.ndarray     # billions of shares net bought by the exogenous flow (at P)
    outside_shares_sold: np.ndarray  # billions of shares net SOLD by outside holders
    retail_contributions: float      # $B household savings -> ETF today (monthly + FOMO), at the closing NAV
    retail_redemptions: float        # $B ETF -> household savings today (panic sales), at the closing NAV
    retail_fomo: float               # $B of the contributions that were FOMO purchases
    n_fomo: int                      # holders who bought on FOMO today
    n_panic: int                     # holders who panicked today
    fundamentalist_share: float      # share of traders that are fundamentalists (after switching)
    n_switches: int                  # traders that switched strategy today
    multiples: np.ndarray            # price/sales multiple applied today
    fair_value: np.ndarray           # $/share the representative trader finds fair
    attention: np.ndarray            # attention level per firm today
    fill_buy: np.ndarray             # share of the traders' buy orders filled per firm (1 = all)
    fill_sell: np.ndarray            # share of the traders' sell orders filled per firm
    rationed: bool                   # the circuit breaker bound today (some orders were rationed or a move capped)
    trader_interest: float = 0.0     # $B of margin-loan interest the traders were charged today
    extra: dict = field(default_factory=dict)
    exogenous_dollars: np.ndarray | None = None  # $B of exogenous flow booked per firm (at P)

    @property
    def dollar_volume(self) -> np.ndarray:
        """$B traded per firm: half the sum of |net $| of all parties - the traders (gross over
        traders), the ETF, the exogenous flow and the outside holders - at the close (computed
        when asked)."""
        if self._volume is None:
            P = self.prices
            self._volume = 0.5 * (np.abs(np.abs(self.trader_shares_by_agent.T).sum(axis=1) * P)
                                  + np.abs(self.retail_dollars) + np.abs(self.exogenous_dollars)
                                  + np.abs(self.outside_shares_sold * P))
        return self._volume

    _volume = None


class EquityMarket:
    """The stock market of the public firms: heterogeneous order flow in, daily prices out.

    Parameters
    ----------
    names : firm names (length n_firms).
    prices0 : $/share at the start.
    shares0 : billions of shares outstanding at the start.
    params : :class:`MarketParams`.
    rng : the model's generator (``model.rng``), used for the price noise.
    traders : a trader population (``agents.traders.TraderPopulation``, or the reference in ``agents/reference/``).
    retail : a retail population (``agents.retail.RetailPopulation``, or the reference in ``agents/reference/``).

    The constructor gives both populations their initial portfolios; the rest of the shares
    are held by outside holders. State (per firm): ``prices`` ($/share), ``shares`` (billions),
    ``outside_holdings`` (the float, when the market keeps it itself; the economy passes its own),
    ``retail_shares_held`` (the ETF's basket), ``exogenous_holdings`` (cumulative shares bought
    by the exogenous flow; negative for a firm that issued shares), ``log_reservation`` (outside
    holders' reservation value), ``attention``, ``belief_growth`` (perceived growth shift from
    news and surprises, 1/yr). Always: traders + ETF + exogenous + outside = initial shares
    outstanding.

    Daily protocol (the economy): ``retail.contribute(is_month_start)``, then
    ``step(signals, sentiment.value, exogenous_flow, outside_float)``, then
    ``sentiment.update(step.basket_return, news_total, lab_growth)``.
    """

    def __init__(self, names, prices0, shares0, params: MarketParams | None, rng: np.random.Generator,
                 traders, retail):
        self.names = list(names)
        self.n_firms = len(self.names)
        self.prices = np.asarray(prices0, dtype=np.float64).copy()
        self.shares = np.asarray(shares0, dtype=np.float64).copy()
        if self.prices.shape != (self.n_firms,) or self.shares.shape != (self.n_firms,):
            raise ValueError("prices0 and shares0 must have one entry per firm")
        if np.any(self.prices <= 0) or np.any(self.shares <= 0):
            raise ValueError("prices and shares must be positive")
        self.params = params or MarketParams.of()
        self.rng = rng
        self.traders = traders
        self.retail = retail
        self.attention = np.zeros(self.n_firms)
        self.belief_growth = np.zeros(self.n_firms)   # perceived growth shift from news/earnings, 1/yr
        self.base_multiples = None if self.params.base_multiples is None else np.asarray(
            self.params.base_multiples, dtype=np.float64).copy()
        self.growth_reference = None if self.params.growth_reference is None else np.asarray(
            self.params.growth_reference, dtype=np.float64).copy()
        self.margin_reference = None                 # operating margins on the first day (with margins given)
        self.rate_reference = None                   # costs of capital on the first day (with them given)
        self.log_reservation = np.log(self.prices)   # outside holders' reservation value, log $/share
        self._log_core = None                        # log fair value at neutral mood, the last day
        self.uncertainty = np.zeros(self.n_firms)    # squared log revisions of the fundamentals, fading
        self.disagreement = np.zeros(self.n_firms)   # log price deviation from the disagreement they leave
        self.transient = np.zeros(self.n_firms)      # log price impact of yesterday's orders that reverses today
        self.day = 0
        traders.initialise(self.prices, self.shares)
        retail.initialise(self.prices, self.shares)
        self.retail_shares_held = retail.params.passive_share * self.shares   # the ETF's basket
        # (summed firm-major, as both population implementations lay it out the same way)
        held = np.ascontiguousarray(traders.holdings.T).sum(axis=1) + self.retail_shares_held
        self.outside_holdings = self.shares - held
        self.exogenous_holdings = np.zeros(self.n_firms)
        self._ones = np.ones(self.n_firms)
        self._halted = None  # firms halted before today (their shares count for nothing in the ETF)

    # -- helpers -------------------------------------------------------------------------------
    @property
    def market_caps(self) -> np.ndarray:
        """$B market capitalisation per firm."""
        return self.prices * self.shares

    def cap_weights(self) -> np.ndarray:
        """Cap weights of the public firms (the traders' benchmark)."""
        caps = self.market_caps
        return caps / np.sum(caps)

    def etf_value(self, prices=None) -> float:
        """$B the ETF's basket is worth at ``prices`` (default: today's), halted firms at nothing."""
        px = self.prices if prices is None else prices
        if self._halted is not None:
            px = np.where(self._halted, 0.0, px)
        return float(np.dot(self.retail_shares_held, px))

    def depth(self, outside_float=None) -> np.ndarray:
        """$B of net buying that moves each price by one unit of log return at the margin:
        ``outside_elasticity x float x price``."""
        o = self.outside_holdings if outside_float is None else np.asarray(outside_float, dtype=np.float64)
        o = np.maximum(o, self.params.market_min_float * self.shares)
        return self.params.outside_elasticity * o * self.prices

    def multiples(self, signals: FirmSignals, sentiment: float) -> np.ndarray:
        """Price/sales multiples applied to forward revenue today (after the belief update):
        ``base * exp(sentiment_elasticity * s) * exp(growth_elasticity * clip(g + belief - g_ref))
        * earnings(m) * rate(k)``.

        When the signals give the firms' operating margins ``m`` and costs of capital ``k`` (the
        value of revenue is the value of what it earns, discounted): by the Gordon growth model,
        price/sales = m / (k - g), so the multiple moves with the margin as ``exp((m - m_ref) /
        max(m_ref, valuation_margin_floor))`` (linearised about the first day's margin: a firm
        whose margin halves loses about half its value, a thin-margin firm more; the exponent kept
        within [-3, 1]) and with the cost of capital as ``(k_ref - g_L) / (k - g_L)`` (``g_L`` =
        ``long_run_growth``; ``k_ref - g_L`` at least 1 point and ``k - g_L`` at least half of it:
        value at most doubles as capital gets cheaper). The mood enters as before
        (``exp(sentiment_elasticity * s)``: the equity premium falls in euphoria and rises in panic)."""
        p = self.params
        if self.growth_reference is None:
            self.growth_reference = signals.revenue_growth.copy()
        if self.base_multiples is None:
            self.base_multiples = implied_base_multiples(
                self.prices, self.shares, signals, p.backlog_pricing, sentiment, p.sentiment_multiple_elasticity)
        dg = signals.revenue_growth + self.belief_growth - self.growth_reference
        dg = np.minimum(np.maximum(dg, -p.market_growth_clip), p.market_growth_clip)
        mult = (self.base_multiples * multiple_factor(float(sentiment), p.sentiment_multiple_elasticity)) * np.exp(
            p.growth_elasticity * dg)
        if signals.margin is not None:
            if self.margin_reference is None:
                self.margin_reference = signals.margin.copy()
            ref = self.margin_reference
            x = (signals.margin - ref) / np.maximum(ref, p.valuation_margin_floor)
            mult = mult * np.exp(np.minimum(np.maximum(x, -MARGIN_EXP_FLOOR), MARGIN_EXP_CAP))
        if signals.discount_rate is not None:
            if self.rate_reference is None:
                self.rate_reference = signals.discount_rate.copy()
            gap0 = np.maximum(self.rate_reference - p.long_run_growth, RATE_GAP_MIN)
            mult = mult * gap0 / np.maximum(signals.discount_rate - p.long_run_growth, 0.5 * gap0)
        return mult

    def fair_value(self, signals: FirmSignals, multiples: np.ndarray, backlog_rate=None) -> np.ndarray:
        """$/share the representative trader (perception 1, no bias) finds fair."""
        blr = signals.backlog_rate if backlog_rate is None else backlog_rate
        ev = multiples * (signals.revenue_run_rate + self.params.backlog_pricing * blr)
        eq = np.maximum(ev - signals.net_debt, self.traders.params.trader_value_floor * ev)
        # at least $1,000, as in the traders' own valuation: a firm with no revenue, or one that
        # defaulted before the base multiples were set (a negative multiple), is worth almost
        # nothing, never a negative or zero amount, whose log would turn every price into NaN
        np.maximum(eq, 1e-9, out=eq)
        return eq / signals.shares

    def _update_beliefs(self, signals: FirmSignals, caps: np.ndarray) -> None:
        """Attention and perceived-growth shifts from today's news and earnings surprises.

        Attention: ``A = max(A * attention_persistence, 1 - exp(-|news| / (attention_news_scale *
        cap)), 1 - exp(-|surprise| / attention_surprise_scale))``. Perceived growth (1/yr):
        decays by ``belief_persistence`` a day, plus ``surprise_to_growth * surprise + news_to_growth
        * news / revenue``.
        """
        p = self.params
        news, surprise = signals.news, signals.earnings_surprise
        if not (news.any() or surprise.any()):
            att = self.attention * p.market_attention_persistence
            att[att < 1e-3] = 0.0          # attention fades out completely (quiet days are exact)
            self.attention = att
            self.belief_growth = self.belief_growth * p.market_belief_persistence
            return
        att_news = 1.0 - np.exp(-np.abs(news) / (p.market_attention_news_scale * caps))
        att_earn = 1.0 - np.exp(-np.abs(surprise) / p.market_attention_surprise_scale)
        self.attention = np.maximum(self.attention * p.market_attention_persistence, np.maximum(att_news, att_earn))
        rev = np.maximum(signals.revenue_run_rate, 1e-9)
        self.belief_growth = (self.belief_growth * p.market_belief_persistence
                              + p.market_surprise_to_growth * surprise + p.market_news_to_growth * news / rev)

    # -- the day -------------------------------------------------------------------------------
    def step(self, signals: FirmSignals, sentiment: float, exogenous_flow=None, outside_float=None,
             halted=None) -> MarketStep:
        """One trading day; returns the day's :class:`MarketStep`.

        signals : today's :class:`FirmSignals` (news already added to the backlog).
        sentiment : the AI-sentiment index in (-1, 1) at the start of the day.
        exogenous_flow : $B of net buying of each firm's shares from outside holders, booked today
            at yesterday's close (share issuance < 0, buybacks > 0, a fund's forced sale < 0); None
            = no flow.
        outside_float : billions of each firm's shares held by outside holders after the
            exogenous trades (the economy counts them from its registry); None = the market's own
            count (``outside_holdings``).
        halted : per firm, True if its shares do not trade today (a defaulted firm): no order is
            filled and its price drops to :data:`HALT_PRICE` (once: the ETF's NAV and the basket
            return take the loss) and stays; None = all trade.

        Call ``retail.contribute(is_month_start)`` before this every day.
        """
        F = self.n_firms
        p = self.params
        exo = np.zeros(F) if exogenous_flow is None else np.asarray(exogenous_flow, dtype=np.float64)
        if signals.n_firms != F or exo.shape != (F,):
            raise ValueError("signals and exogenous_flow must have one entry per firm")
        self.shares = signals.shares.copy()
        P = self.prices
        caps = P * self.shares
        weights = caps / caps.sum()
        v, mult, fair, log_fair = self._valuation(signals, sentiment, P, caps, weights)
        rf, buys, sells, q_etf, x_shares, fb = self._orders(v, sentiment, exo, P, halted)
        fs = fb
        floats = self.outside_holdings if outside_float is None else np.asarray(outside_float, dtype=np.float64)
        o_real = np.maximum(floats + x_shares, 0.0)   # the float before the exogenous trades
        o_pre = np.maximum(o_real, p.market_min_float * self.shares)
        # the modelled buyers may take, net, at most the float after the exogenous trades: a
        # buyback reaches the market over days but its shares were retired when it was booked, so
        # "before" (o_real) may overstate what outside holders still have
        o_cap = floats * (1.0 - 1e-9) + x_shares
        zeta = p.outside_elasticity
        base, d_anchor = self._outside_move(fair, sentiment, P, halted, log_fair, v.log_prices)
        theta = p.market_impact_transient_share
        if theta:   # yesterday's transient impact reverses (nothing of it in a halted firm)
            base = base - (self.transient if halted is None else np.where(halted, 0.0, self.transient))
        dx, q, fe, rb, rs, rationed = self._move(base, buys, sells, q_etf, x_shares, o_pre, o_cap, zeta)
        fb, fs = fb * rb, fs * rs
        if theta:   # the part of today's realised impact that reverses tomorrow
            self.transient = theta * (dx - base)
        if halted is not None:  # a halted firm's shares drop to next to nothing, once, and stay there
            dx = np.where(halted, np.log(np.minimum(P, HALT_PRICE) / P), dx)
            self.log_reservation = np.where(halted, np.log(P) + dx, self.log_reservation)
        P_new = P * np.exp(dx)
        fills = halted is not None or rationed
        step = self._execute(P, P_new, dx, weights, rf, fe, q_etf, x_shares, exo, fb, fs, rationed, fills, halted)
        self.day += 1
        step.excess_demand, step.multiples, step.fair_value, step.attention = q * P, mult, fair, self.attention
        step.extra["d_anchor"] = d_anchor
        return step

    def _move(self, base, buys, sells, q_etf, x_shares, o_pre, o_cap, zeta):
        """The day's log price move: the move before the orders plus their impact on the float,
        rationed (:meth:`_ration`) where it would pass ``max_daily_move`` or take more than the
        float. Returns (the move, the net shares taken, the ETF's fill, the traders' buy and sell
        fills, whether anything was rationed)."""
        m = self.params.market_max_daily_move
        q = buys + sells + q_etf + x_shares
        impact = -np.log1p(-np.minimum(q / o_pre, 1.0 - 1e-12)) / zeta
        dx = base + impact
        if not ((np.abs(dx) > m).any() or (q > o_cap).any()):
            return dx, q, 1.0, 1.0, 1.0, False
        rb, rs, fe, q = self._ration(base, buys, sells, q_etf, x_shares, o_pre, o_cap, zeta)
        impact = -np.log1p(-np.minimum(q / o_pre, 1.0 - 1e-12)) / zeta
        return np.minimum(np.maximum(base + impact, -m), m), q, fe, rb, rs, True

    def _orders(self, v, sentiment, exo, P, halted):
        """The day's orders, all decided at yesterday's close, as shares to take from outside
        holders: the traders' buys and sells, the ETF's creations (+) or redemptions (-) of its
        basket, the exogenous flow. Returns (the retail flows, buys, sells, ETF, exogenous, and
        the fill ratio per firm: 0 where a halted firm does not trade, else 1)."""
        t_orders = self.traders.orders(v)             # $B, (n_firms, n_traders)
        rf = self.retail.orders(sentiment)            # households' $ flows at yesterday's NAV
        value = self.etf_value()
        etf_frac = rf.net / value if rf.net and value > 0 else 0.0   # creations (+) / redemptions (-)
        q_etf = etf_frac * self.retail_shares_held
        x_shares = exo / P
        buys = np.maximum(t_orders, 0.0).sum(axis=1) / P
        sells = np.minimum(t_orders, 0.0).sum(axis=1) / P
        fb = self._ones
        if halted is not None:                        # nothing trades in a halted firm
            fb = np.where(halted, 0.0, 1.0)
            buys, sells, q_etf, x_shares = buys * fb, sells * fb, q_etf * fb, x_shares * fb
        return rf, buys, sells, q_etf, x_shares, fb

    def _outside_move(self, fair, sentiment, P, halted, log_fair=None, log_p=None):
        """The day's log move before the impact of the orders: the reservation value, its pull and
        the outside noise (outside holders price the revision of the fundamentals at once and the
        mood over time); ``log_fair`` and ``log_p``, if given, are ``log(fair)`` and ``log(P)``
        already computed. Returns (the move, the reservation value's revision)."""
        p = self.params
        if log_fair is None:
            log_fair = np.log(fair)
        if log_p is None:
            log_p = np.log(P)
        log_core = log_fair - p.sentiment_multiple_elasticity * float(sentiment)
        d_core = np.zeros(self.n_firms) if self._log_core is None else log_core - self._log_core
        self._log_core = log_core
        lr = self.log_reservation + d_core
        d_anchor = d_core + p.market_anchor_rate * (log_fair - lr)
        self.log_reservation = self.log_reservation + d_anchor
        noise = p.market_price_noise * self.rng.standard_normal(self.n_firms)
        if p.market_uncertainty_gain:
            # news before today leaves disagreement about the value: a price deviation whose shocks
            # grow with the uncertainty and which fades with it (so it moves prices, not values)
            rho = p.market_uncertainty_persistence
            shock = p.market_uncertainty_gain * np.sqrt(self.uncertainty) * self.rng.standard_normal(self.n_firms)
            before = self.disagreement
            self.disagreement = rho * before + shock
            noise = noise + (self.disagreement - before)
            self.uncertainty = np.minimum(rho * self.uncertainty + d_core * d_core,
                                          p.market_uncertainty_max_revision ** 2)
        base = d_anchor - p.market_impact_decay * (log_p - self.log_reservation) + noise
        if halted is not None:
            base = np.where(halted, 0.0, base)
        return base, d_anchor

    def _ration(self, base, buys, sells, q_etf, x_shares, o_pre, o_cap, zeta):
        """Fill ratios that keep every move within ``max_daily_move`` and every purchase within
        the float: the shares the float supplies (takes) at that move - never more than outside
        holders have - shared pro rata among the buyers (sellers); the ETF's creations
        (redemptions) by one ratio for every firm. The sellers are rationed first, then the buyers
        against what the sellers sold, so that the net purchase never exceeds the float (a move
        beyond the limit that rationing cannot prevent is capped). Returns (trader buy fills,
        trader sell fills, ETF fill, the net shares then taken)."""
        m = self.params.market_max_daily_move
        q_hi = -o_pre * np.expm1(-zeta * (m - base))     # most shares the float supplies at the move
        q_hi = np.minimum(q_hi, o_cap)                    # and never more than outside holders have
        q_lo = -o_pre * np.expm1(-zeta * (-m - base))    # most shares it takes at the move down
        etf_buy, etf_sell = np.maximum(q_etf, 0.0), np.minimum(q_etf, 0.0)

        def ratio(room, want):
            with np.errstate(divide="ignore", invalid="ignore"):
                r = np.where(want != 0.0, room / np.where(want != 0.0, want, 1.0), 1.0)
            return np.minimum(np.maximum(r, 0.0), 1.0)

        fs = ratio(q_lo - (buys + etf_buy + x_shares), sells + etf_sell)   # the sellers, all together
        if np.any(q_etf > 0):
            fe = float(np.min(ratio(q_hi - (sells * fs + x_shares), buys + etf_buy)))
        elif np.any(q_etf < 0):
            fe = float(np.min(fs))
        else:
            fe = 1.0
        q_e = fe * q_etf
        fb = ratio(q_hi - (sells * fs + q_e + x_shares), buys)              # the buyers, given the sales
        fb = np.where(buys > 0.0, fb, 1.0)
        fs = np.where(sells < 0.0, fs, 1.0)
        return fb, fs, fe, buys * fb + sells * fs + q_e + x_shares

    def _execute(self, P, P_new, dx, weights, rf, fe, q_etf, x_shares, exo, fb, fs, rationed, fills,
                 halted=None) -> MarketStep:
        """Execution at the close; outside holders take the other side of everything. Traders'
        orders are for o / P shares (decided at yesterday's close), filled at P_new; the ETF
        creates (redeems) units at the closing NAV by buying (selling) a slice of its basket."""
        self.traders.settle(P_new, dx, *((fb, fs) if fills else (None, None)))
        t_shares_by = self.traders.last_traded                 # (n_firms, n_traders)
        t_shares = t_shares_by.sum(axis=1)
        t_dollars = t_shares * P_new
        held = self.retail_shares_held
        before = self.etf_value(P)
        if halted is not None:  # a firm halted today is written off in the ETF's NAV (the books mark it at 0)
            self._halted = halted
        after = self.etf_value(P_new)
        etf_ret = after / before - 1.0 if before > 0 else 0.0
        r_shares = fe * q_etf
        growth = 1.0 + etf_ret                                 # $ at the closing NAV per $ ordered
        inflow = rf.inflow * fe * growth
        outflow = rf.redemptions * fe * growth
        self.retail.settle(etf_ret, fe)
        outside_sold = t_shares + r_shares + x_shares
        self.outside_holdings = self.outside_holdings - outside_sold
        self.exogenous_holdings = self.exogenous_holdings + x_shares
        self.retail_shares_held = held + r_shares
        self.prices = P_new
        r_dollars = r_shares * P_new
        return MarketStep(
            prices=P_new, log_returns=dx, market_caps=P_new * self.shares,
            basket_return=float((weights * dx).sum()), etf_return=etf_ret, excess_demand=None,
            trader_dollars=t_dollars, trader_shares=t_shares, trader_shares_by_agent=t_shares_by.T,
            retail_dollars=r_dollars, retail_shares=r_shares, exogenous_shares=x_shares,
            outside_shares_sold=outside_sold, exogenous_dollars=np.array(exo),
            retail_contributions=inflow, retail_redemptions=outflow, retail_fomo=rf.fomo * fe * growth,
            n_fomo=rf.n_fomo, n_panic=rf.n_panic,
            fundamentalist_share=float(self.traders.fundamentalist_share),
            n_switches=int(self.traders.n_switches), multiples=None, fair_value=None, attention=None,
            fill_buy=fb, fill_sell=fs, rationed=rationed, trader_interest=float(self.traders.last_interest),
            extra={"n_checked": rf.n_checked, "n_panicked": rf.n_panicked,
                   "n_margin_calls": int(self.traders.n_margin_calls), "etf_fill": fe},
        )

    def _valuation(self, signals: FirmSignals, sentiment: float, P, caps, weights):
        """Beliefs updated with today's news, the multiples and fair values, and what traders see."""
        blr = signals.backlog_rate
        self._update_beliefs(signals, caps)
        mult = self.multiples(signals, sentiment)
        fair = self.fair_value(signals, mult, blr)
        log_p = np.log(P)
        log_fair = np.log(fair)
        gap = log_fair - log_p
        v = ValuationInputs(prices=P, log_prices=log_p, weights=weights, multiple=mult,
                            revenue=signals.revenue_run_rate, backlog_rate=blr,
                            net_debt=signals.net_debt, shares=self.shares, attention=self.attention,
                            backlog_pricing=self.params.backlog_pricing, misalignment=float(np.dot(weights, gap * gap)))
        return v, mult, fair, log_fair


def t_orders_dollars(traders, prices_new) -> np.ndarray:
    """$B the traders traded per firm at the close, gross over traders (|shares| x price)."""
    return np.abs(traders.last_traded).sum(axis=1) * prices_new
