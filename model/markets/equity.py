"""Equity price formation: firm fundamentals and news -> order flow -> daily prices.

Each trading day :meth:`EquityMarket.step`

1. turns the firms' signals and the AI sentiment into valuation inputs: a price/sales multiple
   per firm, ``multiple_j = base_j * exp(sentiment_elasticity * s) * exp(growth_elasticity *
   clip(g_j + belief_j - g_ref_j))``, the backlog revenue rate and a news/earnings *attention*
   level ``A_j`` in [0, 1];
2. collects the institutional traders' $ orders (``agents/traders.py``), the retail ETF flow
   (``agents/retail.py``, split at cap weights) and the exogenous flow from the economy;
3. moves prices by the total excess demand ``D_j`` ($B) through a log-linear impact rule::

       log P_j' = log P_j + D_j / depth_j + dlog R_j + price_noise * e_j
       depth_j  = depth_to_cap * cap_j
       dlog R_j = anchor_rate * (log FV_j - log R_j) + anchor_drift * g_j / 252

   ``depth_j`` is the $B of net buying that moves the price by one unit of log return. The
   default 0.2 x cap means net buying of 0.2% of market cap moves a stock 1%: $1.4B for the
   $680B cloud firm, $8.6B for a $4.3T chipmaker (Gabaix & Koijen 2021, "inelastic markets":
   $1 of flow moves market value by ~$5). ``R_j`` is the outside holders' reservation value: it
   follows the consensus fair value ``FV_j`` (the representative trader's) over about a quarter
   and drifts with revenue growth ``g_j``; quotes move with it without trading (public
   information priced by slow holders - Gabaix & Koijen's price = fundamentals + flows).
   Without it prices could follow growing fundamentals only if traders bought from outside
   holders for ever. The daily move is capped at ``max_daily_move``;
4. executes everything at the close; the residual is taken by *outside holders* (market makers,
   insiders, passive holders outside the model): they sell what the agents buy, so shares are
   conserved: traders + retail + exogenous - outside holders' sales = 0 per firm per day.

Nothing here touches the ledger: :class:`MarketStep` reports the trades and prices, and the
economy settles cash and shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ailoop.model.markets.sentiment import multiple_factor
from ailoop.model.markets.signals import FirmSignals, ValuationInputs

__all__ = ["MarketParams", "MarketStep", "EquityMarket", "implied_base_multiples"]


@dataclass
class MarketParams:
    """Parameters of price formation (sources noted; otherwise assumptions).

    ``base_multiples`` are price/sales multiples applied to *forward revenue* (run-rate plus the
    priced part of the backlog's yearly revenue) at neutral sentiment and at the reference growth;
    ``None`` means "implied": chosen on the first day so the representative trader (perception 1,
    no bias) finds the initial prices fair (:func:`implied_base_multiples`). Calibration (trailing
    price/sales, CALIBRATION.md): chipmaker ~24-27, cloud ~10-13, neocloud ~16-24.
    """

    #: price/sales multiple per firm at s = 0 and growth = growth_reference; None = implied.
    base_multiples: np.ndarray | None = None
    #: growth (1/yr, log) embedded in the base multiples; None = the first day's revenue_growth.
    growth_reference: np.ndarray | None = None
    #: share of backlog revenue the market counts, in [0, 1] (assumption; the dial between
    #: "markets price promises" (1) and "markets price cash" (0)).
    backlog_pricing: float = 0.5
    #: market depth: $B per unit log return as a share of market cap (assumption after Gabaix &
    #: Koijen 2021: $1 of flow moves market value by ~$5). A float or one value per firm.
    depth_to_cap: float | np.ndarray = 0.2
    #: daily rate at which outside holders' reservation value follows the consensus fair value
    #: (assumption: long-term holders revise over about a quarter, 1/63 per day; 0 = pure
    #: flow-impact rule).
    anchor_rate: float = 1.0 / 63.0
    #: share of revenue growth (per trading day: revenue_growth / 252) by which the reservation
    #: value drifts on its own: outside holders expect value to grow with revenue, so a steadily
    #: growing firm is not priced with a lag (assumption).
    anchor_drift: float = 1.0
    #: std of the daily log-price noise from flows outside the model (assumption). A float or
    #: one value per firm.
    price_noise: float | np.ndarray = 0.006
    #: largest daily |log return| (a circuit breaker; assumption).
    max_daily_move: float = 0.7
    #: elasticity of multiples to sentiment: factor exp(elasticity * s) (assumption).
    sentiment_elasticity: float = 0.5
    #: elasticity of multiples to growth above its reference, per unit 1/yr (assumption).
    growth_elasticity: float = 1.0
    #: growth deviations are clipped to +- this (1/yr) before entering multiples (assumption).
    growth_clip: float = 1.0
    #: perceived growth added per unit earnings surprise (fraction), 1/yr (assumption: a 5%
    #: revenue beat raises expected growth by 5 points).
    surprise_to_growth: float = 1.0
    #: perceived growth added per $ announced per $ of yearly revenue, 1/yr (assumption: news
    #: worth a year's revenue raises expected growth by 1 point beyond the contract itself).
    news_to_growth: float = 0.01
    #: daily persistence of these belief shifts (assumption: half-life ~6 months).
    belief_persistence: float = 0.9945
    #: news worth this share of market cap draws attention 1 - 1/e (assumption).
    attention_news_scale: float = 0.002
    #: an earnings surprise of this size draws attention 1 - 1/e (assumption).
    attention_surprise_scale: float = 0.02
    #: daily persistence of attention (assumption: halves every day).
    attention_persistence: float = 0.5


def implied_base_multiples(prices, shares, signals: FirmSignals, backlog_pricing: float,
                           sentiment: float = 0.0, sentiment_elasticity: float = 0.5) -> np.ndarray:
    """Base multiples at which the representative trader finds ``prices`` fair.

    Solves ``price * shares + net_debt = base * exp(el * s) * (revenue + backlog_pricing *
    backlog_rate)`` for ``base``: (market cap + net debt) / forward revenue at neutral sentiment.
    """
    fwd = signals.revenue_run_rate + min(max(backlog_pricing, 0.0), 1.0) * signals.backlog_rate
    ev = np.asarray(prices, dtype=np.float64) * np.asarray(shares, dtype=np.float64) + signals.net_debt
    return ev / fwd / multiple_factor(sentiment, sentiment_elasticity)


@dataclass
class MarketStep:
    """One trading day's outcome. Money in $B, shares in billions, prices in $/share."""

    prices: np.ndarray               # closing prices
    log_returns: np.ndarray          # log(P_new / P_old)
    market_caps: np.ndarray          # $B at the close
    basket_return: float             # cap-weighted log return of the public firms (feeds sentiment)
    etf_return: float                # the ETF's simple return (cap-weighted)
    excess_demand: np.ndarray        # $B: traders + retail + exogenous, before impact
    trader_dollars: np.ndarray       # $B net paid by traders per firm (shares x closing price)
    trader_shares: np.ndarray        # billions of shares net bought by traders per firm
    trader_shares_by_agent: np.ndarray  # (n_traders, n_firms) billions of shares
    retail_dollars: np.ndarray       # $B of ETF flow per firm in the demand (yesterday's cap weights)
    retail_shares: np.ndarray        # billions of shares net bought by the ETF per firm
    exogenous_shares: np.ndarray     # billions of shares net bought by the exogenous flow
    outside_shares_sold: np.ndarray  # billions of shares net SOLD by outside holders/market makers
    dollar_volume: np.ndarray        # $B traded per firm (half the sum of |net $| of all parties)
    retail_contributions: float      # $B household savings -> ETF today (monthly + FOMO)
    retail_redemptions: float        # $B ETF -> household savings today (panic sales)
    retail_fomo: float               # $B of the contributions that were FOMO purchases
    n_fomo: int                      # holders who bought on FOMO today
    n_panic: int                     # holders who panicked today
    fundamentalist_share: float      # share of traders that are fundamentalists (after switching)
    n_switches: int                  # traders that switched strategy today
    multiples: np.ndarray            # price/sales multiple applied today
    fair_value: np.ndarray           # $/share the representative trader finds fair
    attention: np.ndarray            # attention level per firm today
    extra: dict = field(default_factory=dict)


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
    ``outside_holdings``, ``retail_shares_held`` (the ETF's shares), ``exogenous_holdings``
    (cumulative shares bought by the exogenous flow; negative for a firm that issued shares),
    ``log_reservation`` (outside holders' reservation value), ``attention``, ``belief_growth``
    (perceived growth shift from news and surprises, 1/yr). Always: traders + ETF + exogenous
    + outside = initial shares outstanding (share issuance shows up as the issuer's negative
    exogenous position; the economy raises ``FirmSignals.shares`` the same day).

    Daily protocol (the economy): ``retail.contribute(is_month_start)``, then
    ``step(signals, sentiment.value, exogenous_flow)``, then
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
        self.params = params or MarketParams()
        self.rng = rng
        self.traders = traders
        self.retail = retail
        self.attention = np.zeros(self.n_firms)
        self.belief_growth = np.zeros(self.n_firms)   # perceived growth shift from news/earnings, 1/yr
        self.base_multiples = None if self.params.base_multiples is None else np.asarray(
            self.params.base_multiples, dtype=np.float64).copy()
        self.growth_reference = None if self.params.growth_reference is None else np.asarray(
            self.params.growth_reference, dtype=np.float64).copy()
        self.log_reservation = np.log(self.prices)   # outside holders' reservation value, log $/share
        self.day = 0
        traders.initialise(self.prices, self.shares)
        retail.initialise(self.prices, self.shares)
        held = np.sum(traders.holdings, axis=0) + self.retail_holdings()
        self.outside_holdings = self.shares - held
        self.exogenous_holdings = np.zeros(self.n_firms)
        self.retail_shares_held = self.retail_holdings()

    # -- helpers -------------------------------------------------------------------------------
    @property
    def market_caps(self) -> np.ndarray:
        """$B market capitalisation per firm."""
        return self.prices * self.shares

    def cap_weights(self) -> np.ndarray:
        """Cap weights of the public firms (the ETF's and traders' benchmark)."""
        caps = self.market_caps
        return caps / np.sum(caps)

    def retail_holdings(self) -> np.ndarray:
        """Billions of shares held through the ETF at cap weights (at current prices)."""
        return self.retail.holdings_value() * self.cap_weights() / self.prices

    def depth(self) -> np.ndarray:
        """$B of net buying that moves each price by one unit of log return."""
        return self.params.depth_to_cap * self.market_caps

    def multiples(self, signals: FirmSignals, sentiment: float) -> np.ndarray:
        """Price/sales multiples applied to forward revenue today (after the belief update):
        ``base * exp(sentiment_elasticity * s) * exp(growth_elasticity * clip(g + belief - g_ref))``."""
        p = self.params
        if self.growth_reference is None:
            self.growth_reference = signals.revenue_growth.copy()
        if self.base_multiples is None:
            self.base_multiples = implied_base_multiples(
                self.prices, self.shares, signals, p.backlog_pricing, sentiment, p.sentiment_elasticity)
        dg = signals.revenue_growth + self.belief_growth - self.growth_reference
        dg = np.minimum(np.maximum(dg, -p.growth_clip), p.growth_clip)
        return (self.base_multiples * multiple_factor(float(sentiment), p.sentiment_elasticity)) * np.exp(
            p.growth_elasticity * dg)

    def _backlog_pricing(self) -> float:
        return float(min(max(self.params.backlog_pricing, 0.0), 1.0))

    def fair_value(self, signals: FirmSignals, multiples: np.ndarray, backlog_rate=None) -> np.ndarray:
        """$/share the representative trader (perception 1, no bias) finds fair."""
        blr = signals.backlog_rate if backlog_rate is None else backlog_rate
        ev = multiples * (signals.revenue_run_rate + self._backlog_pricing() * blr)
        eq = np.maximum(ev - signals.net_debt, self.traders.params.value_floor * ev)
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
            att = self.attention * p.attention_persistence
            att[att < 1e-3] = 0.0          # attention fades out completely (quiet days are exact)
            self.attention = att
            self.belief_growth = self.belief_growth * p.belief_persistence
            return
        att_news = 1.0 - np.exp(-np.abs(news) / (p.attention_news_scale * caps))
        att_earn = 1.0 - np.exp(-np.abs(surprise) / p.attention_surprise_scale)
        self.attention = np.maximum(self.attention * p.attention_persistence, np.maximum(att_news, att_earn))
        rev = np.maximum(signals.revenue_run_rate, 1e-9)
        self.belief_growth = (self.belief_growth * p.belief_persistence
                              + p.surprise_to_growth * surprise + p.news_to_growth * news / rev)

    # -- the day -------------------------------------------------------------------------------
    def step(self, signals: FirmSignals, sentiment: float, exogenous_flow=None) -> MarketStep:
        """One trading day; returns the day's :class:`MarketStep`.

        signals : today's :class:`FirmSignals` (news already added to the backlog).
        sentiment : the AI-sentiment index in (-1, 1) at the start of the day.
        exogenous_flow : $B of net buying of each firm's shares from outside the populations
            (share issuance < 0, buybacks > 0, a fund's forced sale < 0); None = no flow.

        Call ``retail.contribute(is_month_start)`` before this every day.
        """
        F = self.n_firms
        exo = np.zeros(F) if exogenous_flow is None else np.asarray(exogenous_flow, dtype=np.float64)
        if signals.n_firms != F or exo.shape != (F,):
            raise ValueError("signals and exogenous_flow must have one entry per firm")
        self.shares = signals.shares.copy()
        P = self.prices
        caps = P * self.shares
        weights = caps / caps.sum()
        v, mult, fair = self._valuation(signals, sentiment, P, caps, weights)
        # order flow ($B), decided on yesterday's close
        t_orders = self.traders.orders(v)             # (n_firms, n_traders)
        rf = self.retail.orders(sentiment)
        r_dollars = rf.net * weights
        demand = t_orders.sum(axis=1) + r_dollars + exo
        dx, d_anchor = self._price_moves(signals, fair, demand, caps)
        P_new = P * np.exp(dx)
        step = self._execute(P, P_new, dx, weights, t_orders, rf, r_dollars, exo)
        self.day += 1
        step.excess_demand, step.multiples, step.fair_value, step.attention = demand, mult, fair, self.attention
        step.extra["d_anchor"] = d_anchor
        return step

    def _valuation(self, signals: FirmSignals, sentiment: float, P, caps, weights):
        """Beliefs updated with today's news, the multiples and fair values, and what traders see."""
        blr = signals.backlog_rate
        self._update_beliefs(signals, caps)
        mult = self.multiples(signals, sentiment)
        fair = self.fair_value(signals, mult, blr)
        v = ValuationInputs(prices=P, log_prices=np.log(P), weights=weights, multiple=mult,
                            revenue=signals.revenue_run_rate, backlog_rate=blr,
                            net_debt=signals.net_debt, shares=self.shares, attention=self.attention,
                            backlog_pricing=self._backlog_pricing())
        return v, mult, fair

    def _price_moves(self, signals: FirmSignals, fair, demand, caps):
        """Today's log returns: the reservation value's move, the flow's impact and noise, capped."""
        p = self.params
        d_anchor = (p.anchor_rate * (np.log(fair) - self.log_reservation)
                    + (p.anchor_drift / 252.0) * signals.revenue_growth)
        self.log_reservation = self.log_reservation + d_anchor
        noise = self.rng.standard_normal(self.n_firms)
        dx = d_anchor + demand / (p.depth_to_cap * caps) + p.price_noise * noise
        return np.minimum(np.maximum(dx, -p.max_daily_move), p.max_daily_move), d_anchor

    def _execute(self, P, P_new, dx, weights, t_orders, rf, r_dollars, exo) -> MarketStep:
        """Execution at the close; outside holders take the other side of everything. Traders'
        orders are for o / P shares (decided at yesterday's close), filled at P_new; the ETF buys
        the index basket (shares in proportion to shares outstanding)."""
        t_shares_by = t_orders / P[:, None]
        t_shares = t_shares_by.sum(axis=1)
        t_dollars = (t_shares_by * P_new[:, None]).sum(axis=1)
        r_shares = rf.net * self.shares / (self.shares * P_new).sum()
        x_shares = exo / P_new
        outside_sold = t_shares + r_shares + x_shares
        self.traders.settle(P_new, dx)
        etf_ret = float((weights * (P_new / P - 1.0)).sum())
        self.retail.settle(etf_ret)
        self.outside_holdings = self.outside_holdings - outside_sold
        self.exogenous_holdings = self.exogenous_holdings + x_shares
        self.retail_shares_held = self.retail_shares_held + r_shares
        self.prices = P_new
        volume = 0.5 * (np.abs(t_orders).sum(axis=1) + np.abs(r_dollars) + np.abs(exo)
                        + np.abs(outside_sold * P_new))
        return MarketStep(
            prices=P_new, log_returns=dx, market_caps=P_new * self.shares,
            basket_return=float((weights * dx).sum()), etf_return=etf_ret, excess_demand=None,
            trader_dollars=t_dollars, trader_shares=t_shares, trader_shares_by_agent=t_shares_by.T,
            retail_dollars=r_dollars, retail_shares=r_shares, exogenous_shares=x_shares,
            outside_shares_sold=outside_sold, dollar_volume=volume,
            retail_contributions=rf.inflow, retail_redemptions=rf.redemptions, retail_fomo=rf.fomo,
            n_fomo=rf.n_fomo, n_panic=rf.n_panic,
            fundamentalist_share=float(self.traders.fundamentalist_share),
            n_switches=int(self.traders.n_switches), multiples=None, fair_value=None, attention=None,
            extra={"n_checked": rf.n_checked, "n_panicked": rf.n_panicked},
        )
