"""A standalone market world: eight public firms with synthetic fundamentals, no ledger.

Used by the market tests and benchmarks, and as a wiring example for the economy: it shows what
must be called each day (``retail.contribute``, ``market.step``, ``sentiment.update``) and how
news enters (add to the backlog *and* report it in ``news`` the same day).

Fundamentals: each firm's true revenue grows at its own log rate with monthly noise; the market
sees it at quarterly earnings (staggered across firms): the run-rate is updated and the
unexpected part is reported as ``earnings_surprise``. Backlog grows in proportion to revenue.
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from ailoop.model.markets.equity import EquityMarket, MarketParams, MarketStep
from ailoop.model.markets.sentiment import Sentiment, SentimentParams
from ailoop.model.markets.signals import FirmSignals

__all__ = ["Firm", "DEFAULT_FIRMS", "MarketSandbox", "DAYS_PER_MONTH", "DAYS_PER_QUARTER", "return_statistics",
           "announcement_day", "ANNOUNCEMENT_WARMUP"]

DAYS_PER_MONTH = 21       # docs/design.md#time-and-the-cycle
DAYS_PER_QUARTER = 63


@dataclass(frozen=True)
class Firm:
    """A public firm of the sandbox. $B, billions of shares, $/share, 1/yr."""

    name: str
    price: float
    shares: float
    revenue: float        # run-rate, $B/yr
    growth: float         # log growth of revenue, 1/yr
    backlog: float        # $B
    backlog_years: float  # years
    net_debt: float       # $B


#: Approximate public figures, September 2025 (assumption unless docs/calibration.md lists it:
#: chipmaker quarter $46.7B, +56% y/y; cloud debt ~$105B; neocloud Q3 revenue $1.36B, debt
#: $11.2B). The cloud firm is set up as the brief's Oracle before the deal: $57B revenue,
#: ~$680B market cap, $138B of RPO (Oracle, May 2025).
DEFAULT_FIRMS: tuple[Firm, ...] = (
    Firm("chip_1", 177.0, 24.3, 187.0, 0.445, 50.0, 2.0, -50.0),     # NVIDIA-like
    Firm("chip_2", 160.0, 1.62, 32.0, 0.27, 10.0, 2.0, -3.0),       # AMD-like
    Firm("cloud", 242.0, 2.81, 57.0, 0.10, 138.0, 4.0, 94.0),        # Oracle-like
    Firm("neocloud", 120.0, 0.49, 5.4, 0.83, 30.0, 4.0, 11.0),       # CoreWeave-like
    Firm("hyper_1", 510.0, 7.43, 290.0, 0.15, 368.0, 3.0, -30.0),    # Microsoft-like
    Firm("hyper_2", 250.0, 12.1, 385.0, 0.13, 155.0, 3.0, -70.0),    # Alphabet-like
    Firm("hyper_3", 225.0, 10.7, 690.0, 0.11, 195.0, 4.0, 0.0),      # Amazon-like
    Firm("hyper_4", 750.0, 2.52, 190.0, 0.20, 20.0, 2.0, -20.0),     # Meta-like
)


class MarketSandbox(mesa.Model):
    """Standalone market: firms with synthetic fundamentals, traders, retail holders, sentiment.

    seed : the model seed (all randomness comes from ``self.rng``; the populations are built
        with it and draw from it).
    reference : use the per-agent reference populations (``ailoop.agents.reference``, for the
        equivalence tests and benchmarks) instead of the vectorised ones.
    revenue_noise : monthly log-volatility of true revenue (assumption).
    """

    def __init__(self, seed: int = 0, reference: bool = False, firms=DEFAULT_FIRMS,
                 market_params: MarketParams | None = None, trader_params=None, retail_params=None,
                 sentiment_params: SentimentParams | None = None, revenue_noise: float = 0.02):
        super().__init__(seed=seed)
        # imported here: agents import model.markets.signals (imports point model -> agents);
        # the reference package only when asked for
        if reference:
            from ailoop.agents.reference import RetailPopulationReference as R
            from ailoop.agents.reference import TraderPopulationReference as T
        else:
            from ailoop.agents.retail import RetailPopulation as R
            from ailoop.agents.traders import TraderPopulation as T

        self.firms = tuple(firms)
        F = len(self.firms)
        self.names = [f.name for f in self.firms]
        arr = lambda attr: np.array([getattr(f, attr) for f in self.firms], dtype=np.float64)  # noqa: E731
        self.true_log_revenue = np.log(arr("revenue"))
        self.true_growth = arr("growth")
        self.revenue_seen = arr("revenue")
        self.growth_seen = arr("growth")
        self.backlog_per_revenue = arr("backlog") / arr("revenue")
        self.backlog = arr("backlog")
        self.backlog_years = arr("backlog_years")
        self.net_debt = arr("net_debt")
        self.share_count = arr("shares")
        self.revenue_noise = revenue_noise
        self.last_earnings_log_revenue = self.true_log_revenue.copy()
        self.months_since_earnings = np.zeros(F)
        # log revenue of the last 13 months (oldest first), for the trailing 12-month growth
        self.month_history = np.stack([self.true_log_revenue - self.true_growth * k / 12.0
                                       for k in range(12, -1, -1)], axis=1)
        self.earnings_day = (5 + 7 * np.arange(F)) % DAYS_PER_QUARTER
        self.day = 0
        self._news = np.zeros(F)
        self.traders = T(self.rng, F, trader_params)
        self.retail = R(self.rng, retail_params)
        self.sentiment = Sentiment(sentiment_params)
        self.market = EquityMarket(self.names, arr("price"), self.share_count, market_params or MarketParams.of(),
                                   self.rng, self.traders, self.retail)
        self.last: MarketStep | None = None

    def announce(self, firm: int, amount: float, years: float) -> None:
        """Today's news: ``amount`` $B of new commitments to ``firm`` recognised over ``years``
        (negative = cancellation). Adds to the backlog and to today's ``news``."""
        old_rate = self.backlog[firm] / self.backlog_years[firm] if self.backlog_years[firm] > 0 else 0.0
        new_backlog = self.backlog[firm] + amount
        new_rate = old_rate + amount / years
        self.backlog[firm] = new_backlog
        self.backlog_years[firm] = new_backlog / new_rate if new_rate > 0 else years
        self.backlog_per_revenue[firm] = new_backlog / self.revenue_seen[firm]
        # (backlog then grows with revenue at the monthly update, as in the steady state)
        self._news[firm] += amount

    def _signals(self) -> FirmSignals:
        """Advance true revenue monthly (the economy's rhythm); surprises at quarterly earnings.

        The run-rate the market sees is the current month's revenue x 12; trailing growth is the
        12-month log change. At each firm's earnings the quarter's unexpected revenue
        (realised vs. the trend expected at the last earnings) is reported as the surprise.
        """
        F = len(self.firms)
        if self.day % DAYS_PER_MONTH == 0 and self.day > 0:
            shock = self.revenue_noise * self.rng.standard_normal(F)
            self.true_log_revenue = self.true_log_revenue + self.true_growth / 12.0 + shock
            self.month_history = np.roll(self.month_history, -1, axis=1)
            self.month_history[:, -1] = self.true_log_revenue
            self.revenue_seen = np.exp(self.true_log_revenue)
            self.growth_seen = self.true_log_revenue - self.month_history[:, 0]
            self.backlog = self.backlog_per_revenue * self.revenue_seen
            self.months_since_earnings += 1
        surprise = np.zeros(F)
        due = (self.day % DAYS_PER_QUARTER == self.earnings_day) & (self.day > 0)
        if np.any(due):
            # expected: revenue at the last earnings grown at the trend for the months since
            expected = self.last_earnings_log_revenue + self.true_growth * self.months_since_earnings / 12.0
            surprise[due] = np.exp(self.true_log_revenue[due] - expected[due]) - 1.0
            self.last_earnings_log_revenue[due] = self.true_log_revenue[due]
            self.months_since_earnings[due] = 0
        # between monthly updates the run-rate the market sees grows at the trailing growth
        # (analysts extrapolate it): only the surprise in each month's figure is news
        ahead = np.exp(self.growth_seen * ((self.day % DAYS_PER_MONTH) / 252.0))
        return FirmSignals(self.revenue_seen * ahead, self.growth_seen.copy(), self.backlog * ahead,
                           self.backlog_years.copy(), self.net_debt.copy(), self.share_count.copy(),
                           self._news.copy(), surprise)

    def step(self) -> None:
        """Mesa step: one trading day (Mesa's wrapper drops return values; see :meth:`trade_day`)."""
        self.trade_day()

    def trade_day(self, exogenous_flow=None) -> MarketStep:
        """One trading day: signals -> retail contributions -> market -> sentiment."""
        sig = self._signals()
        self.retail.contribute(self.day % DAYS_PER_MONTH == 0)
        self.last = self.market.step(sig, self.sentiment.value, exogenous_flow)
        self.sentiment.update(self.last.basket_return, float(np.sum(sig.news)), lab_growth=0.0)
        self._news = np.zeros(len(self.firms))
        self.day += 1
        return self.last

    def run(self, days: int) -> np.ndarray:
        """Run ``days`` days; returns the (days, n_firms) array of daily log returns."""
        out = np.empty((days, len(self.firms)))
        for t in range(days):
            out[t] = self.trade_day().log_returns
        return out


def return_statistics(log_returns: np.ndarray, max_lag: int = 10) -> dict[str, np.ndarray]:
    """Stylized facts of daily log returns, per column (firm) of a (days, n_firms) array.

    excess_kurtosis : m4 / m2^2 - 3 (0 for a normal distribution; fat tails > 0).
    acf1 : autocorrelation of raw returns at lag 1.
    acf_abs : mean autocorrelation of |r| over lags 1..max_lag (volatility clustering).
    annual_vol : standard deviation x sqrt(252).
    """
    x = np.asarray(log_returns, dtype=np.float64)
    x = x - x.mean(axis=0)
    var = (x * x).mean(axis=0)

    def acf(y: np.ndarray, lag: int) -> np.ndarray:
        a, b = y[lag:] - y[lag:].mean(axis=0), y[:-lag] - y[:-lag].mean(axis=0)
        return (a * b).mean(axis=0) / np.sqrt((a * a).mean(axis=0) * (b * b).mean(axis=0))

    ax = np.abs(x)
    return {
        "excess_kurtosis": (x ** 4).mean(axis=0) / var ** 2 - 3.0,
        "acf1": acf(x, 1),
        "acf_abs": np.mean([acf(ax, lag) for lag in range(1, max_lag + 1)], axis=0),
        "annual_vol": np.sqrt(var * 252.0),
    }


ANNOUNCEMENT_WARMUP = 20   # quiet trading days before the announcement in :func:`announcement_day`


def announcement_day(seed: int, firm: int, amount: float, years: float, backlog_pricing: float = 0.5,
                     news: bool = True, warmup: int = ANNOUNCEMENT_WARMUP) -> tuple[float, float]:
    """An announcement experiment: ``firm`` announces ``amount`` $B of commitments recognised over
    ``years`` after ``warmup`` quiet days (default market otherwise).

    Returns (the firm's simple return on the announcement day, its market cap before, $B). With
    ``news=False`` the same seed runs without the news: the difference isolates the effect.
    """
    sb = MarketSandbox(seed=seed, market_params=MarketParams.of(backlog_pricing=backlog_pricing))
    for _ in range(warmup):
        sb.trade_day()
    cap = float(sb.market.market_caps[firm])
    if news:
        sb.announce(firm, amount, years)
    step = sb.trade_day()
    return float(np.expm1(step.log_returns[firm])), cap
