"""What the economy tells the equity market each trading day about each public firm.

:class:`FirmSignals` is the economy-facing contract of the market engine: one entry per public
firm, every field a float64 array of length ``n_firms``. Money is in $ billions, shares in
billions, rates per year. The market never reads the ledger; it sees the firms only through these
numbers (what an analyst could read from filings and press releases).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

__all__ = ["FirmSignals", "ValuationInputs"]


@dataclass
class FirmSignals:
    """Fundamentals and news of the public firms on one trading day (arrays of length n_firms).

    Attributes
    ----------
    revenue_run_rate : $B per year — current monthly revenue x 12.
    revenue_growth : 1/year (log) — trailing yearly growth of revenue.
    backlog : $B — contracted, not yet recognised revenue (remaining performance obligations, RPO).
    backlog_years : years — over which the backlog will be recognised (its average remaining term).
    net_debt : $B — debt minus cash (negative for a net-cash firm).
    shares : billions of shares outstanding.
    news : $B of commitments announced today (+ new contracts or orders, - cancellations); 0 on
        most days. The economy also adds the new contracts to ``backlog`` the same day.
    earnings_surprise : fraction — revenue surprise on an earnings day ((actual - expected) /
        expected), 0 on other days.
    margin : share of revenue — operating (EBIT) margin over the last months (revenue less cash
        costs and depreciation, over revenue); None = not given (the market values revenue alone).
    discount_rate : 1/year — the firm's cost of capital: the risk-free rate plus the equity
        premium on its equity and its own credit spread on its debt, weighted at market values;
        None = not given.
    """

    revenue_run_rate: np.ndarray
    revenue_growth: np.ndarray
    backlog: np.ndarray
    backlog_years: np.ndarray
    net_debt: np.ndarray
    shares: np.ndarray
    news: np.ndarray
    earnings_surprise: np.ndarray
    margin: np.ndarray | None = None
    discount_rate: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = None
        for name in _FIELDS:
            a = getattr(self, name)
            if a is None and name in _OPTIONAL:
                continue
            if not (type(a) is np.ndarray and a.dtype == np.float64):
                a = np.asarray(a, dtype=np.float64)
                setattr(self, name, a)
            if a.ndim != 1:
                raise ValueError(f"FirmSignals.{name} must be a 1-D array, got shape {a.shape}")
            if n is None:
                n = a.shape[0]
            elif a.shape[0] != n:
                raise ValueError(f"FirmSignals.{name} has length {a.shape[0]}, expected {n}")

    @classmethod
    def of_arrays(cls, *arrays: np.ndarray) -> "FirmSignals":
        """Signals from float64 1-D arrays of one length, in field order, taken as they are (no
        check, no copy): for a caller that builds them itself each day (the exchange)."""
        out = cls.__new__(cls)
        out.__dict__.update(zip(_FIELDS, arrays))
        for name in _OPTIONAL[len(arrays) - len(_FIELDS) + len(_OPTIONAL):]:
            out.__dict__[name] = None
        return out

    @property
    def n_firms(self) -> int:
        """Number of public firms."""
        return int(self.revenue_run_rate.shape[0])

    @property
    def backlog_rate(self) -> np.ndarray:
        """$B per year of revenue the backlog will deliver: backlog / backlog_years (0 if no term)."""
        years = self.backlog_years
        out = np.zeros_like(self.backlog)
        ok = years > 0
        out[ok] = self.backlog[ok] / years[ok]
        return out

    def copy(self) -> "FirmSignals":
        """A deep copy (the economy may mutate its arrays after the call)."""
        return FirmSignals(**{name: (None if getattr(self, name) is None else getattr(self, name).copy())
                              for name in _FIELDS})

    @classmethod
    def quiet(cls, revenue_run_rate, revenue_growth, backlog, backlog_years, net_debt, shares) -> "FirmSignals":
        """Signals of a day without news or earnings (``news`` and ``earnings_surprise`` zero)."""
        rev = np.asarray(revenue_run_rate, dtype=np.float64)
        return cls(rev, revenue_growth, backlog, backlog_years, net_debt, shares,
                   np.zeros_like(rev), np.zeros_like(rev))


_FIELDS = tuple(f.name for f in fields(FirmSignals))
#: the fields a caller may leave out (None): the valuation then falls back to revenue alone
_OPTIONAL = ("margin", "discount_rate")


@dataclass
class ValuationInputs:
    """What the market hands the trader population each day (per firm, arrays of length n_firms).

    Computed by :class:`model.markets.equity.EquityMarket` from :class:`FirmSignals`, the
    sentiment index and its own state; traders add their own perception on top.

    prices : $/share, yesterday's close (the price orders are decided at).
    log_prices : log of ``prices``.
    weights : cap weights of the public firms (sum to 1): each trader's benchmark allocation.
    multiple : price/sales multiple the market applies today (sentiment- and growth-dependent).
    revenue : $B/year, revenue run-rate.
    backlog_rate : $B/year the backlog will deliver (backlog / backlog_years).
    net_debt : $B.
    shares : billions of shares outstanding.
    attention : in [0, 1], how much news/earnings attention each firm has today.
    backlog_pricing : in [0, 1], the share of backlog revenue the market counts (before each
        trader's own perception factor).
    misalignment : the market's squared log mispricing, ``sum_j weights_j * log(FV_j / P_j)^2``
        (the consensus fair value against the price): it drives traders back to fundamentalism.
    """

    prices: np.ndarray
    log_prices: np.ndarray
    weights: np.ndarray
    multiple: np.ndarray
    revenue: np.ndarray
    backlog_rate: np.ndarray
    net_debt: np.ndarray
    shares: np.ndarray
    attention: np.ndarray
    backlog_pricing: float
    misalignment: float = 0.0
