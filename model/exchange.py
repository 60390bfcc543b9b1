"""The exchange: runs the equity market every trading day on the economy's own numbers.

Each day it builds :class:`~model.markets.signals.FirmSignals` for the public firms from the
economy (revenue run-rate and trailing growth from the firms' monthly flows - extrapolated at
that growth between months, as analysts do, so that only a month's surprise is news - backlog
from their contracts and order books, net debt and share counts from the ledger,
announcements and cancellations as news, quarterly revenue surprises), counts each firm's
outside float from the contract registry, lets the institutional traders and the retail ETF
holders trade through :class:`~model.markets.equity.EquityMarket`, and settles every trade
between real balance sheets. A sector's trades of the day settle net, as a clearing house would:
the ``traders`` and ``retail`` sectors pay outside holders (the ``other_shareholders`` sector)
or are paid by them; households' contributions and redemptions move between the ``households``
sector and ``retail``; the traders' broker loan - the sum of their negative cash - is borrowed
from and repaid to ``credit_investors`` under a :class:`~model.contracts.MarginLoan` that
carries its limit and rate, and they pay its interest daily. Then every stake in a listed firm is
marked to the new price and the AI sentiment is updated from the basket's return, the news and
the lab's growth against expectations (each a channel that can be switched off).

Exogenous order flow — buybacks, share issues, forced sales — is added with :meth:`add_flow`;
those trades are booked by whoever makes them at the pre-trade price, and reach the market as
price pressure the same day.
"""

from __future__ import annotations

import numpy as np

from ailoop.agents.retail import RetailParams, RetailPopulation
from ailoop.agents.traders import TraderParams, TraderPopulation
from ailoop.model.contracts import Contract, MarginLoan
from ailoop.model.markets.equity import HALT_PRICE, EquityMarket, MarketParams
from ailoop.model.markets.signals import FirmSignals
from ailoop.model.rounds import growth_gap

NEWS_EVENTS = {"deal announced": 1.0, "contract signed": 1.0, "contract cancelled": -1.0,
               "chip order cancelled": -1.0}
DEFAULTED_PRICE = HALT_PRICE  # $/share the engine keeps for a defaulted firm (its book price is zero)
STEPS_PER_MONTH = 21


def phased_backlog(ref_backlog: np.ndarray, ref_years: np.ndarray, backlog: np.ndarray, years: np.ndarray,
                   f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(backlog $B, years) a share ``f`` of the way from last month's backlog and term to this
    month's: the backlog and the revenue a year it delivers (backlog / years) each move by ``f`` of
    their change, and the term is what makes the two agree. (Moving the backlog alone and taking
    this month's term at once would let a change of term reach the value in one day: a backlog
    that runs out falls back to the one-year term of an empty book, and the part still counted
    would be earned in a year instead of over the years left.) Where the phased backlog is zero
    the term is this month's."""
    def rate(b, y):
        return np.divide(b, y, out=np.zeros_like(b), where=(b > 0) & (y > 0))

    b = ref_backlog + f * (backlog - ref_backlog)
    r_ref = rate(ref_backlog, ref_years)
    r = r_ref + f * (rate(backlog, years) - r_ref)
    return b, np.divide(b, r, out=np.array(years, dtype=float), where=(b > 0) & (r > 0))


class Exchange:
    """The daily equity market of the economy (one per economy: ``economy.exchange``)."""

    def __init__(self, economy):
        p = economy.params
        self.economy = economy
        self.firms = list(economy.public_firms)
        self.ids = [f.aid for f in self.firms]
        self.pos = {a: j for j, a in enumerate(self.ids)}
        F = len(self.firms)
        self.traders = TraderPopulation(economy.rng, F, TraderParams.from_table(p))
        self.retail = RetailPopulation(economy.rng, RetailParams.from_table(p))
        economy.agent("traders").population = self.traders  # one Mesa agent per market sector
        economy.agent("traders").listed_ids = self.ids
        economy.agent("retail").population = self.retail
        self.sentiment = economy.sentiment
        prices = np.array([f.price for f in self.firms])
        shares = np.array([f.shares for f in self.firms])
        self.market = EquityMarket(self.ids, prices, shares, MarketParams.from_table(p), economy.rng,
                                   self.traders, self.retail)
        self.news = np.zeros(F)
        self.exo = np.zeros(F)
        self._spread: list[list] = []  # flows reaching the market over several days: [firm, $B a day, days left]
        self._buybacks: list[list] = []  # buyback programmes: [firm, $B a day, days left]
        self.last = None  # the last trading day's result (prices, fills, multiples, fair values)
        self.last_signals: FirmSignals | None = None  # the fundamentals the market valued that day
        self.log_returns = np.zeros(F)
        self.revenue_hist: list[np.ndarray] = []  # monthly revenue per firm, $B/month
        self.growth0 = np.array([p.get(f"open_growth_{a}", 0.0) for a in self.ids])
        # the year before the start as the market knew it: the opening revenue, grown at the
        # opening growth (so the trailing figures start where the opening valuation did)
        rev0 = np.array([f.opening_revenue() for f in self.firms]) / 12.0
        self._before = [rev0 * np.exp(-self.growth0 * (k / 12.0)) for k in range(24, 0, -1)]
        self._last_report = np.zeros(F)  # trailing-year revenue the market expects at the next report
        self.surprise = np.zeros(F)
        self._slow_version: tuple[int, int] = (-1, -1)
        self._revenue_key = None  # (months of revenue recorded, growth clip) of the figures kept
        self.payment_odds: dict[str, float] = {}
        self._slow: dict[str, np.ndarray] = {}
        self._ref: dict[str, np.ndarray] = {}  # last month's slow signals (what the new ones phase in from)
        self._told = np.zeros(F, dtype=bool)  # firms with news this month: their figures count in full
        self.lab_growth_expected = p["lab_growth_expected"]
        self.broker_loan = economy.book.add(MarginLoan(holder="credit_investors", issuer="traders", amount=0.0,
                                                       rate=self.traders.params.margin_rate))
        economy.event_log.subscribe(self.add_news)
        self._open_positions()

    def _open_positions(self) -> None:
        """Put the populations' opening portfolios on the ``traders`` and ``retail`` balance sheets."""
        economy = self.economy
        economy.ledger.open_position("traders", "cash", float(np.sum(self.traders.cash)))
        held_t = np.ascontiguousarray(self.traders.holdings.T).sum(axis=1)
        for j, f in enumerate(self.firms):
            economy.transactions.open_stake("traders", f, float(held_t[j]))
            economy.transactions.open_stake("retail", f, float(self.market.retail_shares_held[j]))

    # ------------------------------------------------------------------ inputs
    def add_flow(self, aid: str, dollars: float, days: int = 1) -> None:
        """$B of net buying of ``aid``'s shares from outside the populations (< 0 = selling), booked
        today; its pressure reaches the market today, or evenly over the next ``days`` trading days
        (a buyback programme: the firm books the month's buyback at once, the market sees it bought
        day by day)."""
        if aid in self.pos:
            if days <= 1:
                self.exo[self.pos[aid]] += dollars
            else:
                self._spread.append([self.pos[aid], dollars / days, days])

    def add_buyback(self, aid: str, dollars: float, days: int) -> None:
        """A buyback programme of ``dollars`` $B for ``aid``'s shares over ``days`` trading days
        (executed by :meth:`execute_buybacks`)."""
        if aid in self.pos and dollars > 0 and days > 0:
            self._buybacks.append([self.pos[aid], dollars / days, days])

    def execute_buybacks(self, floats=None) -> None:
        """Each programme's part of the day: bought from the outside float (``floats``, the
        registry's, lowered by what is bought) at the pre-trade price
        (at most the float, at most the firm's cash), the shares retired at once, the purchase
        reaching the market as buying pressure. The float the market counts and the shares
        outstanding stay consistent: nothing is retired before it is bought."""
        economy = self.economy
        if floats is None:
            floats = self.outside_float()
        keep = []
        for prog in self._buybacks:
            j, per_day, left = prog
            f = self.firms[j]
            if not f.defaulted and f.price > 0:
                x = min(per_day, max(0.0, f.cash), max(0.0, float(floats[j])) * f.price)
                if x > 1e-12:
                    economy.ledger.pay_external(f.aid, "other_shareholders", x, "paid_in", "share buyback")
                    f.shares -= x / f.price
                    floats[j] -= x / f.price
                    f.add_flow("buyback", x)
                    self.exo[j] += x
            prog[2] = left - 1
            if prog[2] > 0 and not f.defaulted:
                keep.append(prog)
        self._buybacks = keep

    def add_news(self, aid: str, event: str, size: float) -> None:
        """An event about ``aid`` worth ``size`` $B: announcements (+) and cancellations (-) are news."""
        if aid in self.pos and event in NEWS_EVENTS:
            self.news[self.pos[aid]] += NEWS_EVENTS[event] * size

    def close_month(self) -> None:
        """Record the month's revenue per firm and, on reporting months, the earnings surprise:
        the trailing twelve months' revenue against what the last report's trailing year, grown
        a quarter at the growth then, led the market to expect (chip revenue comes in waves: a
        single quarter against the one before would make every wave a surprise)."""
        rev = np.array([f.revenue() for f in self.firms])
        self.revenue_hist.append(rev)
        self.surprise = np.zeros(len(self.firms))
        if self.economy.month % 3 == 2:
            ttm = sum(self._history()[-12:])
            ok = self._last_report > 0
            self.surprise[ok] = ttm[ok] / self._last_report[ok] - 1.0
            self._last_report = ttm * np.exp(self._growth() / 4.0)

    def _history(self, lag: int = 0) -> list[np.ndarray]:
        """Monthly revenue per firm, the months before the start (as the market knew them) first;
        ``lag`` months ago."""
        h = self._before + self.revenue_hist
        return h[len(h) - 24 - lag:len(h) - lag]

    def run_rate(self, lag: int = 0) -> np.ndarray:
        """Revenue run-rate, $B/yr: the trailing twelve months' revenue, grown at the trailing
        growth for the half year it lags by (monthly revenue is lumpy: orders come in waves);
        as it was ``lag`` months ago."""
        h = self._history(lag)[-12:]
        clip = self.economy.params["analyst_growth_clip"]
        return sum(h) * np.exp(0.5 * np.clip(self._growth(lag), -clip, clip))

    def _growth(self, lag: int = 0) -> np.ndarray:
        """Trailing log growth of revenue (1/yr): the last twelve months against the twelve
        before (the years before the start at the opening growth)."""
        h = self._history(lag)
        a, b = sum(h[-12:]), sum(h[-24:-12])
        return np.where((a > 0) & (b > 0), np.log(np.maximum(a, 1e-12) / np.maximum(b, 1e-12)), 0.0)

    def _odds(self) -> dict[str, float]:
        """The market's view of whether each lab will pay what it promised (``AILab.payment_odds``)
        and, with ``channel_ratings``, each rated firm (its spread's odds,
        ``RatingAgency.payment_odds``); other buyers (external customers) pay in full."""
        economy = self.economy
        odds = {lab.aid: lab.payment_odds() for lab in economy.labs}
        if economy.params["channel_ratings"]:
            for aid in economy.ratings.rated:
                odds[aid] = 0.0 if economy.agent(aid).defaulted else economy.ratings.payment_odds(aid)
        return odds

    def _earnings_signals(self) -> tuple[np.ndarray, np.ndarray]:
        """Each listed firm's operating margin over the last ``valuation_margin_months`` months and
        its cost of capital: the risk-free rate, plus ``equity_risk_premium`` on its equity and its
        own credit spread (at neutral mood: the mood enters the multiple itself) on its debt,
        weighted at market values (1/year)."""
        economy, p = self.economy, self.economy.params
        fund = economy.fundamentals
        months = int(p["valuation_margin_months"])
        margin = np.array([fund.margin(a, months) for a in self.ids])
        rate = np.array([economy.credit.cost_of_capital(f) for f in self.firms])
        return margin, rate

    def _slow_signals(self) -> dict[str, np.ndarray]:
        economy = self.economy
        self.payment_odds = odds = self._odds()
        F = len(self.firms)
        backlog, years = np.zeros(F), np.ones(F)
        for j, f in enumerate(self.firms):
            backlog[j], years[j] = f.backlog_signal(self, odds)
        rev, growth, rev_before, growth_before = self._revenue_figures()
        led = economy.ledger
        net_debt = np.array([led.get(a, "debt") - led.cash(a) for a in self.ids])
        # between months the run-rate moves on at last month's change of it (clipped to +-analyst_trend_clip)
        with np.errstate(divide="ignore", invalid="ignore"):
            trend = np.log(rev / rev_before)
        clip = economy.params["analyst_trend_clip"]
        trend = np.clip(np.nan_to_num(trend, nan=0.0, posinf=0.0, neginf=0.0), -clip, clip)
        out = {"revenue": rev, "growth": growth, "backlog": backlog, "years": years, "net_debt": net_debt,
               "ahead": trend / STEPS_PER_MONTH, "growth_ahead": (growth - growth_before) / STEPS_PER_MONTH}
        if economy.params["channel_earnings"]:
            out["margin"], out["rate"] = self._earnings_signals()
        return out

    def _revenue_figures(self) -> tuple[np.ndarray, ...]:
        """(run-rate, trailing growth) now and a month ago: they change only when a month's revenue
        is recorded (or the analysts' growth clip changes), so they are kept until then."""
        key = (len(self.revenue_hist), self.economy.params["analyst_growth_clip"])
        if self._revenue_key != key:
            self._revenue_key = key
            self._revenue = (self.run_rate(), self._growth(), self.run_rate(1), self._growth(1))
        return self._revenue

    def pipeline(self, chip, odds: dict[str, float]) -> float:
        """$B of GPUs the announced deals will need from ``chip`` and are not yet ordered.

        Each contract says what it promises (:meth:`Contract.pipeline_gw`): GW still to come under
        framework deals (staged investments, warrant deals) or under signed capacity contracts too
        far off to be ordered yet, weighted by the market's odds that the buyer pays. Per buyer,
        frameworks and firm contracts describe the same deployments, so the larger counts."""
        economy, p = self.economy, self.economy.params
        horizon = economy.month + int(p["build_months"]) + int(p["plan_lead_months"])
        framework: dict[str, float] = {}
        firm: dict[str, float] = {}
        for group in economy.book.by_rank(Contract.pipeline_gw):  # (the others promise no GPUs)
            for c in group:
                promise = c.pipeline_gw(economy.ctx, chip.aid, odds, horizon)
                if promise is None:
                    continue
                buyer, channel, gw = promise
                if channel == "framework":
                    framework[buyer] = max(framework.get(buyer, 0.0), gw)
                else:
                    firm[buyer] = firm.get(buyer, 0.0) + gw
        gw = sum(max(framework.get(b, 0.0), firm.get(b, 0.0)) for b in {**framework, **firm})
        return gw * p["gpus_per_gw"] * chip.gpu_price

    def signals(self) -> FirmSignals:
        """Today's signals. The run-rate is the last month's figure moved on, day by day, at the
        change of the run-rate over the month before (clipped to +-``analyst_trend_clip`` a month), and the trailing
        growth at its change over the month before: analysts extrapolate, so a steadily growing (or
        shrinking) firm's value moves day by day and only the surprise in each month's figures is
        news. With ``market_signal_phase_in_days`` > 0 that surprise - in the run-rate, the growth,
        the backlog (with the customers' payment odds) and the revenue a year it delivers
        (:func:`phased_backlog`), and net debt - is taken in over that many
        trading days from where last month's figures, moved on, would be; a firm with news this
        month (a deal, a cancellation, a default) has its figures counted in full at once."""
        economy = self.economy
        if self._slow_version != (economy.version, economy.month):
            self._refresh_slow()
        s = self._slow
        d = economy.day
        rev, growth = (s["revenue"] * np.exp(s["ahead"] * d), s["growth"] + s["growth_ahead"] * d) if d else (
            s["revenue"], s["growth"])
        backlog, years, net_debt = s["backlog"], s["years"], s["net_debt"]
        margin, rate = s.get("margin"), s.get("rate")
        n = int(economy.params["market_signal_phase_in_days"])
        if n > 0 and self._ref:
            self._told |= self.news != 0.0
            f = np.where(self._told, 1.0, min(1.0, (d + 1) / n))
            r, late = self._ref, d + STEPS_PER_MONTH  # last month's figures, moved on to today
            rev, growth, net_debt = (
                ref + f * (now - ref) for now, ref in (
                    (rev, r["revenue"] * np.exp(r["ahead"] * late)), (growth, r["growth"] + r["growth_ahead"] * late),
                    (net_debt, r["net_debt"])))
            backlog, years = phased_backlog(r["backlog"], r["years"], backlog, years, f)
            if margin is not None and "margin" in r:
                margin, rate = r["margin"] + f * (margin - r["margin"]), r["rate"] + f * (rate - r["rate"])
        shares = np.array([max(f.shares, 1e-9) for f in self.firms])
        return FirmSignals.of_arrays(rev, growth, backlog, years, net_debt, shares, self.news.copy(),
                                     self.surprise.copy(), margin, rate)

    def _refresh_slow(self) -> None:
        """Recompute the slow signals; in a new month, last month's (fully taken in by its last
        day, as the phase-in is at most a month) become the reference the new ones phase in from."""
        economy = self.economy
        if self._slow and self._slow_version[1] != economy.month:
            self._ref = self._slow
            self._told = np.zeros(len(self.firms), dtype=bool)
        self._slow = self._slow_signals()
        self._slow_version = (economy.version, economy.month)

    def outside_float(self) -> np.ndarray:
        """Billions of each listed firm's shares held outside the model (the float the market trades
        against): shares outstanding less every stake in the registry."""
        held = self.economy.book.held_shares()
        return np.array([max(0.0, f.shares - held.get(f.aid, 0)) for f in self.firms])

    def comparables_multiple(self) -> float:
        """The listed AI firms' aggregate price/sales multiple today (market cap over revenue
        run-rate, live firms): what private marks follow between rounds."""
        sig = self.signals()
        live = np.array([not f.defaulted for f in self.firms])
        caps = np.array([f.market_cap for f in self.firms])
        rev = float(np.sum(sig.revenue_run_rate[live]))
        return float(np.sum(caps[live])) / rev if rev > 0 else 0.0

    # ------------------------------------------------------------------ the day
    def trade_day(self) -> None:
        economy = self.economy
        halted = [f.defaulted for f in self.firms]  # a defaulted firm does not trade
        halted = np.array(halted) if any(halted) else None
        sig = self.signals()
        for flow in self._spread:
            self.exo[flow[0]] += flow[1]
            flow[2] -= 1
        self._spread = [f for f in self._spread if f[2] > 0]
        floats = self.outside_float()
        if self._buybacks:
            self.execute_buybacks(floats)
        self.retail.contribute(economy.day == 0)
        step = self.market.step(sig, self.sentiment.value, self.exo, floats, halted)
        self.last, self.last_signals = step, sig
        self.log_returns = step.log_returns
        for f, price in zip(self.firms, step.prices.tolist()):
            if not f.defaulted:
                f.price = price
        economy.transactions.mark_stakes(listed_only=True)
        self._settle_traders(step)
        self._settle_retail(step)
        self.sentiment.update(step.basket_return, float(self.news.sum()), self.lab_growth_surprise())
        self.news[:] = 0.0
        self.exo[:] = 0.0
        self.surprise[:] = 0.0

    def lab_growth_surprise(self) -> float:
        """The lab's usage growth (six months, 1/yr) against the market's expectation, clipped to
        +-``sentiment_lab_clip``; a defaulted lab counts as ``sentiment_lab_default``."""
        p = self.economy.params
        lab = self.economy.agent("lab")
        if lab.defaulted:
            return p["sentiment_lab_default"]
        clip = p["sentiment_lab_clip"]   # (the growth observed so far, phased in over six months)
        return min(clip, max(-clip, growth_gap(lab, self.lab_growth_expected)))

    def _settle_traders(self, step) -> None:
        """The traders' day, net: the broker loan moves to the sum of the traders' negative cash
        (borrowed before, repaid after the payments), the day's interest is paid to the lenders,
        and the net purchase of shares is paid to (received from) outside holders at the close."""
        economy, led = self.economy, self.economy.ledger
        loan = self.broker_loan
        need = float(self.traders.loans.sum())
        net_sale = float(np.dot(step.trader_shares, step.prices)) <= 0.0
        if net_sale:  # the proceeds come in first ...
            economy.transactions.trade_with_outside("traders", self.firms, step.trader_shares, step.prices)
        if need > loan.amount:  # ... and the loan grows before anything is paid
            x = need - loan.amount
            led.receive_external("traders", "credit_investors", x, "debt", "broker margin loan", ref=loan)
            loan.amount += x
        if step.trader_interest > 0:
            led.pay_external("traders", "credit_investors", step.trader_interest, "retained", "margin interest",
                             ref=loan)
        if not net_sale:
            economy.transactions.trade_with_outside("traders", self.firms, step.trader_shares, step.prices)
        if need < loan.amount:
            x = min(loan.amount - need, led.cash("traders"))
            led.pay_external("traders", "credit_investors", x, "debt", "repay broker margin loan", ref=loan)
            loan.amount -= x
        loan.limit = self.traders.params.trader_margin_limit * max(0.0, float(self.traders.wealth(step.prices).sum()))

    def _settle_retail(self, step) -> None:
        """The ETF's day: households pay in their contributions and FOMO purchases and are paid
        their redemptions at the closing NAV; the ETF's creations and redemptions of its basket
        settle net with outside holders."""
        economy, led = self.economy, self.economy.ledger
        inflow, out = step.retail_contributions, step.retail_redemptions
        if inflow > 0:
            led.receive_external("retail", "households", inflow, "paid_in", "ETF contributions")
            economy.agent("retail").add_flow("contributions", inflow)
        economy.transactions.trade_with_outside("retail", self.firms, step.retail_shares, step.prices)
        if out > 0:
            x = min(out, led.cash("retail"))
            led.pay_external("retail", "households", x, "paid_in", "ETF redemptions")
            economy.agent("retail").add_flow("redemptions", x)
