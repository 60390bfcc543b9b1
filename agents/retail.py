"""Retail ETF holders: households that own the AI basket through a cap-weighted index fund.

Each holder k owns ``units_k`` (billions of units) of an ETF holding the public firms at their
cap weights; the unit price (NAV) starts at $100. Decisions are taken on yesterday's close and
executed at today's closing NAV:

* **Monthly contribution** - on the first trading day of a month (the economy calls
  :meth:`RetailPopulation.contribute` with ``is_month_start``), each calm holder invests its
  fixed monthly amount ``contribution_k`` ($B, lognormal across holders).
* **Looking at the portfolio** - a holder checks the market on random days, on average every
  ``1 / check_rate_k`` trading days (geometric waiting times; ``check_rate_k`` lognormal across
  holders). Only on such a day can it act:
* **FOMO** - a calm holder whose look-back return (the ETF over its horizon of 21, 42 or 63 days)
  exceeds its threshold ``fomo_k * (1 - fomo_sentiment * s)`` (``fomo_k`` scales with
  sqrt(h/21)) buys ``fomo_fraction`` of its holdings with new money, at most once per
  ``fomo_cooldown`` days. Good mood (s > 0) lowers the bar.
* **Panic** - a calm holder whose drawdown (ETF NAV below its running peak) is deeper than its
  threshold ``panic_k * (1 + panic_sentiment * s)`` sells ``panic_fraction`` of its units and
  becomes *panicked*: it stops contributing until, on a later check, the drawdown has recovered
  to ``recovery_fraction`` of its threshold or ``panic_memory`` days have passed. Bad mood (s < 0) lowers the threshold, so holders
  panic sooner.

Money comes from and goes to the "household savings" external sector: the day's contributions
(monthly + FOMO) and redemptions are reported separately (:class:`RetailFlows`). The orders are
in $ at yesterday's closing NAV, i.e. for ``$ / NAV`` units; the ETF creates (redeems) them by
buying (selling) the same slice of every holding of its basket, in kind, and holders pay (are
paid) for them at today's closing NAV. The ETF so holds no cash and never borrows.

Two implementations with identical results for the same seed: :class:`RetailPopulation` (here:
a struct of arrays, a plain class built with the model's random generator, touching only the
holders who look today; in the economy it belongs to the ``retail`` sector) and
``RetailPopulationReference`` (:mod:`ailoop.agents.reference.retail`: one Python object per
holder, looped over all of them). Both draw the traits with :func:`draw_traits` and the next
check days of today's checkers in holder order with one call (:func:`draw_next_checks`), and sum
over holders with :func:`aggregate_holders`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ailoop.agents.base import EconomicAgent
from ailoop.model.params import ParamGroup

__all__ = ["RetailParams", "RetailPopulation", "RetailFlows", "draw_traits", "draw_next_checks",
           "aggregate_holders", "NAV0", "DAY", "NEVER"]

NAV0 = 100.0  # $ per ETF unit at the start (a normalisation)
#: dtype of the per-holder trading-day numbers (next check, last FOMO purchase, last panic):
#: int32 holds millions of years of trading days and halves the memory each day's pass reads.
DAY = np.int32
#: day number of an event that has not happened yet (far enough back to pass every cooldown).
NEVER = -(10 ** 9)


@dataclass(frozen=True)
class RetailParams(ParamGroup):
    """Parameters of the retail ETF holders, named as in the parameter table (``model/params.py``:
    units, ranges and sources are there); build them with ``RetailParams.from_table(economy.params)``
    or ``RetailParams.of(retail_holders=500, ...)``."""

    retail_holders: int
    passive_share: float
    retail_contribution_rate: float
    retail_holdings_dispersion: float
    retail_contribution_dispersion: float
    retail_check_rate: float
    retail_check_dispersion: float
    retail_fomo_horizon: int
    retail_fomo_threshold: float
    retail_fomo_dispersion: float
    retail_fomo_fraction: float
    retail_fomo_cooldown: int
    retail_fomo_sentiment: float
    retail_panic_threshold: float
    retail_panic_dispersion: float
    retail_panic_fraction: float
    retail_panic_sentiment: float
    retail_recovery_fraction: float
    retail_panic_memory: int

    @property
    def fomo_horizons(self) -> tuple[int, int, int]:
        """The look-back horizons holders watch (trading days): one, two and three times
        ``retail_fomo_horizon``; each holder is given one at random."""
        h = self.retail_fomo_horizon
        return h, 2 * h, 3 * h


@dataclass
class RetailFlows:
    """One day of retail flows ($B; positive = into the ETF)."""

    net: float            # net flow into the ETF
    contributions: float  # monthly contributions (household savings -> ETF)
    fomo: float           # FOMO purchases (household savings -> ETF)
    redemptions: float    # panic sales (ETF -> household savings), positive number
    n_checked: int        # holders who looked at the market today
    n_fomo: int           # holders who bought on FOMO today
    n_panic: int          # holders who panicked today
    n_recovered: int      # panicked holders who calmed down today
    n_panicked: int       # holders in the panicked state after today's decisions

    @property
    def inflow(self) -> float:
        """All household money coming in today ($B): contributions + FOMO."""
        return self.contributions + self.fomo


def aggregate_holders(per_holder) -> float:
    """Total over holders: the sum of the non-zero entries in holder order (pairwise, ``np.sum``).

    Summing only non-zero entries lets the vectorised population sum just the holders that
    acted today and still agree bit for bit with the reference, which sums all holders.
    """
    a = np.asarray(per_holder, dtype=np.float64)
    return float(a.compress(a != 0.0).sum())  # (the methods: np.compress and np.sum, without their wrappers)


def draw_traits(rng: np.random.Generator, p: RetailParams) -> dict[str, np.ndarray]:
    """Draw the fixed traits of ``p.retail_holders`` holders (arrays; element k belongs to holder k)."""
    n = p.retail_holders
    hw = rng.lognormal(0.0, p.retail_holdings_dispersion, n)
    cw = rng.lognormal(0.0, p.retail_contribution_dispersion, n)
    horizon_idx = rng.integers(0, len(p.fomo_horizons), n)
    hz = np.asarray(p.fomo_horizons, dtype=np.float64)[horizon_idx]
    fomo = p.retail_fomo_threshold * np.sqrt(hz / 21.0) * np.exp(p.retail_fomo_dispersion * rng.standard_normal(n))
    panic = p.retail_panic_threshold * np.exp(p.retail_panic_dispersion * rng.standard_normal(n))
    rate = np.clip(p.retail_check_rate * np.exp(p.retail_check_dispersion * rng.standard_normal(n)), 0.01, 1.0)
    first = rng.geometric(rate) - 1
    return {
        "holdings_weight": hw / np.sum(hw),
        "contribution_weight": cw / np.sum(cw),
        "horizon_idx": horizon_idx,
        "fomo_threshold": fomo,
        "panic_threshold": panic,
        "log_stay": _log_stay(rate),
        "next_check": first.astype(DAY),
    }


def _log_stay(rate: np.ndarray) -> np.ndarray:
    """log(1 - rate); -inf for rate 1 (a holder who looks every day)."""
    with np.errstate(divide="ignore"):
        return np.log1p(-rate)


def draw_next_checks(rng: np.random.Generator, log_stay: np.ndarray) -> np.ndarray:
    """Days until the next check of today's checkers, in holder order.

    Geometric with success probability ``rate`` (>= 1 day), by inversion of one uniform per
    checker: ``1 + floor(log(1 - U) / log(1 - rate))``; ``log_stay = log(1 - rate)``.
    """
    if len(log_stay) == 0:
        return np.empty(0, dtype=DAY)
    x = rng.random(len(log_stay))
    np.negative(x, out=x)               # (in place: the same operations as the formula above)
    np.log1p(x, out=x)
    x /= log_stay
    gap = np.floor(x, out=x).astype(DAY)
    gap += 1
    return gap


class _EtfHistory:
    """The ETF's NAV path as holders see it: look-back returns and drawdown from peak."""

    def __init__(self, horizons):
        self.horizons = tuple(int(h) for h in horizons)
        self.path = [NAV0]
        self.peak = NAV0

    @property
    def nav(self) -> float:
        return self.path[-1]

    def lookback_returns(self) -> np.ndarray:
        """ETF simple return over each horizon (shorter history: since the start)."""
        now = self.path[-1]
        return np.array([now / self.path[-1 - min(h, len(self.path) - 1)] - 1.0 for h in self.horizons])

    def drawdown(self) -> float:
        """NAV / running peak - 1 (<= 0)."""
        return self.path[-1] / self.peak - 1.0

    def advance(self, simple_return: float) -> None:
        nav = self.path[-1] * (1.0 + simple_return)
        self.path.append(nav)
        if len(self.path) > 2 * max(self.horizons) + 2:
            del self.path[: len(self.path) - max(self.horizons) - 1]
        self.peak = max(self.peak, nav)


# ---------------------------------------------------------------------------------------------
# vectorised population
# ---------------------------------------------------------------------------------------------


class RetailPopulation:
    """The retail ETF holders as a struct of arrays (a plain class, not a Mesa agent).

    rng : the model's random generator (``model.rng``); the traits are drawn from it here and
        the days until the next check in :meth:`orders` (kept as ``self.rng``).
    params : :class:`RetailParams` (defaults if None).

    In the economy the population belongs to the ``retail`` sector, whose balance sheet holds
    the ETF's aggregate positions.

    State: ``units`` (billions of ETF units), ``panicked`` (bool), ``last_fomo`` / ``panic_day``
    (day of the last FOMO purchase / panic, :data:`NEVER` if none), ``next_check`` (day of the
    next look at the market); days are trading-day numbers (:data:`DAY`). The market calls
    :meth:`initialise` once and :meth:`orders` / :meth:`settle` daily; the economy calls
    :meth:`contribute` every day before the market step.
    """

    def __init__(self, rng: np.random.Generator, params: RetailParams | None = None):
        self.rng = rng
        self.params = p = params or RetailParams.of()
        self.n = p.retail_holders
        tr = draw_traits(rng, p)
        self.holdings_weight = tr["holdings_weight"]
        self.contribution_weight = tr["contribution_weight"]
        # (the smallest integer type that holds the horizon index: read for every FOMO candidate)
        self.horizon_idx = tr["horizon_idx"].astype(np.min_scalar_type(len(p.fomo_horizons) - 1))
        self.fomo_threshold = tr["fomo_threshold"]
        # lowest FOMO threshold of the holders watching each horizon (inf if nobody does)
        self._lowest_fomo_threshold = np.array([
            self.fomo_threshold.min(initial=np.inf, where=self.horizon_idx == h)
            for h in range(len(p.fomo_horizons))])
        self._lowest_fomo_list = self._lowest_fomo_threshold.tolist()
        self.panic_threshold = tr["panic_threshold"]
        self._lowest_panic_threshold = float(self.panic_threshold.min(initial=np.inf))
        self.log_stay = tr["log_stay"]
        self.next_check = tr["next_check"]
        self.units = np.zeros(self.n)
        self.contribution = np.zeros(self.n)
        self.panicked = np.zeros(self.n, dtype=bool)
        self.last_fomo = np.full(self.n, NEVER, dtype=DAY)
        self.panic_day = np.full(self.n, NEVER, dtype=DAY)
        self.etf = _EtfHistory(p.fomo_horizons)
        self.day = 0
        self.n_panicked = 0
        self._month_start = False
        self.last_flows: RetailFlows | None = None
        self._flow_idx, self._flow_vals = np.empty(0, dtype=np.intp), np.empty(0)

    @property
    def nav(self) -> float:
        """ETF net asset value, $ per unit."""
        return self.etf.nav

    def initialise(self, prices: np.ndarray, shares: np.ndarray) -> None:
        """Give holders ``holdings_share`` of the firms' market cap; set monthly contributions."""
        p = self.params
        total = p.passive_share * float(np.sum(prices * shares))
        self.units = total * self.holdings_weight / NAV0
        self.contribution = (p.retail_contribution_rate / 12.0 * total) * self.contribution_weight

    def contribute(self, is_month_start: bool) -> None:
        """Tell holders whether today is the first trading day of a month (call every day)."""
        self._month_start = bool(is_month_start)

    def orders(self, sentiment: float) -> RetailFlows:
        """Decide today's flows on yesterday's close ($B; see :class:`RetailFlows`).

        Only the holders who look at the market today are examined (and everybody on a month
        start, for the contributions), and only those who buy or sell are valued and carried to
        :meth:`settle`. With a million holders a day's cost is scattered memory reads: about
        one holder in nine looks each day, so reading a trait of all of today's checkers
        touches nearly every cache line of that trait's array. Hence each trait is read only
        for the holders a test concerns (the FOMO traits only for calm holders out of cooldown,
        and not at all on days when no horizon's return beats its lowest bar), and day numbers
        are int32. The arithmetic per holder is that of the reference, operation for operation.
        """
        day = self.day
        chk = np.flatnonzero(self.next_check == day)             # today's checkers, holder order
        self.next_check[chk] = day + draw_next_checks(self.rng, self.log_stay.take(chk))
        fomo_idx, panic_idx, rec_idx = self._decisions(chk, sentiment)
        n_fomo, n_panic, n_rec = fomo_idx.size, panic_idx.size, rec_idx.size
        net, contributions, fomo_buy, sell = self._flows(fomo_idx, panic_idx)
        if n_panic or n_rec:
            self.panicked = self.panicked.copy()
            self.panicked[panic_idx] = True
            self.panicked[rec_idx] = False
            self.panic_day[panic_idx] = day
            self.n_panicked += n_panic - n_rec
        if n_fomo:
            self.last_fomo[fomo_idx] = day
        self.last_flows = RetailFlows(
            net=net, contributions=contributions,
            fomo=aggregate_holders(fomo_buy) if n_fomo else 0.0,
            redemptions=aggregate_holders(sell) if n_panic else 0.0,
            n_checked=int(chk.size), n_fomo=int(n_fomo), n_panic=int(n_panic), n_recovered=int(n_rec),
            n_panicked=self.n_panicked,
        )
        return self.last_flows

    def _decisions(self, chk: np.ndarray, sentiment: float):
        """Of today's checkers ``chk``: who buys on FOMO, who panics, who recovers from a panic
        (index arrays in holder order).

        Shortcuts, each exact because rounding ``x * f`` is monotone in ``x`` for ``f > 0``:
        nobody panics if the drawdown is above the lowest threshold times today's factor, and
        nobody's FOMO bar is beaten if no horizon's return beats its lowest bar; then those
        traits are not read. Panicked holders are looked for only if there are any."""
        p = self.params
        dd = self.etf.drawdown()
        day = self.day
        f_fomo = 1.0 - p.retail_fomo_sentiment * sentiment
        f_panic = 1.0 + p.retail_panic_sentiment * sentiment
        none = chk[:0]
        if self.n_panicked:
            was_panicked = self.panicked.take(chk)
            pan_idx = chk.compress(was_panicked)
            calm_idx = chk.compress(~was_panicked)
        else:
            pan_idx, calm_idx = none, chk
        if f_panic > 0.0 and dd >= -(self._lowest_panic_threshold * f_panic):
            panic_idx, cand = none, calm_idx
        else:
            thr_p = self.panic_threshold.take(calm_idx)
            thr_p *= f_panic
            panic_c = dd < -thr_p                                # calm checkers who panic
            panic_idx, cand = calm_idx.compress(panic_c), calm_idx.compress(~panic_c)
        # FOMO: calm, not panicking, out of cooldown, and the look-back return beats the bar
        look = self.etf.lookback_returns()
        if f_fomo > 0.0 and all(x <= lo * f_fomo for x, lo in zip(look.tolist(), self._lowest_fomo_list)):
            fomo_idx = none
        else:
            cand = cand.compress(day - self.last_fomo.take(cand) >= p.retail_fomo_cooldown)
            thr_f = self.fomo_threshold.take(cand)
            thr_f *= f_fomo
            fomo_idx = cand.compress(look.take(self.horizon_idx.take(cand)) > thr_f)
        if pan_idx.size:
            thr_r = self.panic_threshold.take(pan_idx)
            thr_r *= f_panic
            recover = ((dd > -(p.retail_recovery_fraction * thr_r))
                       | (day - self.panic_day.take(pan_idx) >= p.retail_panic_memory))
            rec_idx = pan_idx.compress(recover)
        else:
            rec_idx = none
        return fomo_idx, panic_idx, rec_idx

    def _flows(self, fomo_idx: np.ndarray, panic_idx: np.ndarray):
        """Value only the holders who buy on FOMO or sell in a panic (in holder order), add the
        month's contributions, and keep the per-holder flows for :meth:`settle`.
        Returns (net, contributions, fomo buys, panic sales)."""
        p = self.params
        n_fomo, n_panic = fomo_idx.size, panic_idx.size
        if n_fomo and n_panic:  # both: merge into holder order
            act_idx = np.concatenate((fomo_idx, panic_idx))
            order = np.argsort(act_idx, kind="stable")
            act_idx = act_idx.take(order)
            fomo_act = order < n_fomo
            value = self.units.take(act_idx) * self.etf.nav
            fomo_buy = np.where(fomo_act, p.retail_fomo_fraction * value, 0.0)
            sell = np.where(fomo_act, 0.0, p.retail_panic_fraction * value)
        else:  # one kind only (or none): already in holder order
            act_idx = fomo_idx if n_fomo else panic_idx
            value = self.units.take(act_idx) * self.etf.nav
            zero = np.zeros(act_idx.size)
            fomo_buy, sell = (p.retail_fomo_fraction * value, zero) if n_fomo else (zero, p.retail_panic_fraction * value)
        if self._month_start:
            calm_now = ~self.panicked
            calm_now[panic_idx] = False
            # (the calm holders' contributions in holder order: the non-zero entries of the
            # per-holder contributions, which is what aggregate_holders sums)
            contributions = aggregate_holders(self.contribution.compress(calm_now))
            flow = np.where(calm_now, self.contribution, 0.0)
            # everybody else's flow is contribution + 0 - 0, i.e. the contribution itself
            flow[act_idx] = flow.take(act_idx) + fomo_buy - sell
            net = aggregate_holders(flow)
            self._flow_idx, self._flow_vals = None, flow
        elif n_fomo or n_panic:
            flow = 0.0 + fomo_buy - sell
            contributions = 0.0
            net = aggregate_holders(flow)
            self._flow_idx, self._flow_vals = act_idx, flow
        else:                       # nobody trades today
            contributions = net = 0.0
            self._flow_idx, self._flow_vals = act_idx, fomo_buy
        return net, contributions, fomo_buy, sell

    def settle(self, etf_return: float, fill: float = 1.0) -> None:
        """Execute today's orders and advance the day: each holder's units change by its $ order
        at the NAV it was decided at (yesterday's close), times ``fill`` (the share of the ETF's
        creations or redemptions the market could fill); the holder pays (is paid) for them at
        today's closing NAV, after the ETF's simple return ``etf_return``."""
        nav = self.etf.nav
        self.etf.advance(etf_return)
        vals = self._flow_vals if fill == 1.0 else self._flow_vals * fill
        if self._flow_idx is None:
            self.units += vals / nav
        elif self._flow_idx.size:
            self.units[self._flow_idx] = self.units.take(self._flow_idx) + vals / nav
        self.day += 1

    @property
    def flow(self) -> np.ndarray:
        """Per-holder $B flows decided at the last :meth:`orders` (positive = into the ETF)."""
        if self._flow_idx is None:
            return self._flow_vals.copy()
        out = np.zeros(self.n)
        out[self._flow_idx] = self._flow_vals
        return out

    def holdings_value(self) -> float:
        """$B held in the ETF by all holders at the current NAV."""
        return aggregate_holders(self.units) * self.etf.nav


class RetailSector(EconomicAgent):
    """The retail ETF holders' sector (``retail``): one Mesa agent with the ETF's balance sheet.

    Households put savings into a cap-weighted ETF of the loop's public firms; the ETF buys the
    shares from outside holders (a secondary-market purchase: the money goes to the sellers, not
    to the firms). Its :attr:`population` (a :class:`RetailPopulation`, attached by the exchange)
    holds the per-holder state (units, contribution rates, behaviour)."""

    family = "retail"
    population: RetailPopulation | None = None

    def receive_distribution(self, issuer: str, amount: float) -> None:
        """A defaulted firm's liquidating distribution on the ETF's shares is passed through to the
        households holding the ETF, as a cash distribution (the NAV, which has written the firm
        off, is unchanged)."""
        x = min(amount, max(0.0, self.ledger.cash(self.aid)))
        if x > 0.0:
            self.ledger.pay_external(self.aid, "households", x, "paid_in", "ETF distribution")
            self.add_flow("distributions", x)
