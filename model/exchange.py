"""The exchange: runs the equity market every trading day on the economy's own numbers.

Each day it builds :class:`~model.markets.signals.FirmSignals` for the public firms from the
economy (revenue run-rate and trailing growth from the firms' monthly flows, backlog from their
contracts and order books, net debt and share counts from the ledger, announcements and
cancellations as news, quarterly revenue surprises), lets the institutional traders and the
retail ETF holders trade through :class:`~model.markets.equity.EquityMarket`, and settles every
trade between real balance sheets: the ``traders`` and ``retail`` sectors pay outside holders (the
``other_shareholders`` sector) or are paid by them; households' contributions and redemptions
move between the ``households`` sector and ``retail``. Then every stake in a listed firm is
marked to the new price and the AI sentiment is updated from the basket's return, the news and
the lab's growth against expectations.

Exogenous order flow — buybacks, share issues, forced sales — is added with :meth:`add_flow`;
those trades are booked by whoever makes them at the pre-trade price, and reach the market as
price pressure the same day.
"""

from __future__ import annotations

import math

import numpy as np

from ailoop.agents.retail import RetailParams, RetailPopulation
from ailoop.agents.traders import TraderParams, TraderPopulation
from ailoop.model.contracts import MarginLoan
from ailoop.model.ledger import TOLERANCE as CASH_TOLERANCE
from ailoop.model.markets.equity import EquityMarket, MarketParams
from ailoop.model.markets.signals import FirmSignals

NEWS_EVENTS = {"deal announced": 1.0, "contract signed": 1.0, "contract cancelled": -1.0,
               "chip order cancelled": -1.0}
DEFAULTED_PRICE = 1e-6  # $/share the engine keeps for a defaulted firm (its book price is zero)


class Exchange:
    """The daily equity market of the economy (one per economy: ``economy.exchange``)."""

    def __init__(self, economy):
        p = economy.params
        self.economy = economy
        self.firms = list(economy.public_firms)
        self.ids = [f.aid for f in self.firms]
        self.pos = {a: j for j, a in enumerate(self.ids)}
        F = len(self.firms)
        self.traders = TraderPopulation(economy.rng, F, TraderParams(n_traders=int(p["n_traders"]),
                                                                     wealth_share=p["trader_wealth_share"]))
        self.retail = RetailPopulation(economy.rng, RetailParams(n_holders=int(p["retail_holders"]),
                                                                 holdings_share=p["passive_share"],
                                                                 contribution_rate=p["retail_contribution_rate"]))
        economy.agent("traders").population = self.traders  # one Mesa agent per market sector
        economy.agent("retail").population = self.retail
        self.sentiment = economy.sentiment
        prices = np.array([f.price for f in self.firms])
        shares = np.array([f.shares for f in self.firms])
        self.market = EquityMarket(self.ids, prices, shares,
                                   MarketParams(backlog_pricing=p["backlog_pricing"], depth_to_cap=p["market_depth"],
                                                growth_elasticity=p["growth_elasticity"]),
                                   economy.rng, self.traders, self.retail)
        self.news = np.zeros(F)
        self.exo = np.zeros(F)
        self.last = None
        self.log_returns = np.zeros(F)
        self.revenue_hist: list[np.ndarray] = []  # monthly revenue per firm, $B/month
        self.growth0 = np.array([p.get(f"open_growth_{a}", 0.0) for a in self.ids])
        self.surprise = np.zeros(F)
        self._slow_version: tuple[int, int] = (-1, -1)
        self.payment_odds: dict[str, float] = {}
        self._slow: dict[str, np.ndarray] = {}
        self.lab_growth_expected = p["lab_growth_expected"]
        economy.event_log.subscribe(self.add_news)
        self._open_positions()

    def _open_positions(self) -> None:
        """Put the populations' opening portfolios on the ``traders`` and ``retail`` balance sheets."""
        economy = self.economy
        economy.ledger.open_position("traders", "cash", float(np.sum(self.traders.cash)))
        held_t = self.traders.holdings.sum(axis=0)
        for j, f in enumerate(self.firms):
            economy.transactions.open_stake("traders", f, float(held_t[j]))
            economy.transactions.open_stake("retail", f, float(self.market.retail_shares_held[j]))

    # ------------------------------------------------------------------ inputs
    def add_flow(self, aid: str, dollars: float) -> None:
        """$B of net buying of ``aid``'s shares from outside the populations today (< 0 = selling)."""
        if aid in self.pos:
            self.exo[self.pos[aid]] += dollars

    def add_news(self, aid: str, event: str, size: float) -> None:
        """An event about ``aid`` worth ``size`` $B: announcements (+) and cancellations (-) are news."""
        if aid in self.pos and event in NEWS_EVENTS:
            self.news[self.pos[aid]] += NEWS_EVENTS[event] * size

    def close_month(self) -> None:
        """Record the month's revenue per firm and, on reporting months, the earnings surprise."""
        rev = np.array([f.revenue() for f in self.firms])
        self.revenue_hist.append(rev)
        h = self.revenue_hist
        self.surprise = np.zeros(len(self.firms))
        if self.economy.month % 3 == 2 and len(h) >= 6:
            q_now, q_prev = sum(h[-3:]), sum(h[-6:-3])
            expected = q_prev * np.exp(self._growth() / 4.0)
            ok = expected > 0
            self.surprise[ok] = q_now[ok] / expected[ok] - 1.0

    def run_rate(self) -> np.ndarray:
        """Revenue run-rate, $B/yr: the last three months' revenue x 4 (monthly revenue is lumpy)."""
        h = self.revenue_hist
        return sum(h[-3:]) * 12.0 / len(h[-3:])

    def _growth(self) -> np.ndarray:
        """Trailing log growth of revenue (1/yr): last three months against the same three months a
        year earlier; before a year of history, the opening growth."""
        h = self.revenue_hist
        if len(h) < 15:
            return self.growth0
        a, b = sum(h[-3:]), sum(h[-15:-12])
        return np.where((a > 0) & (b > 0), np.log(np.maximum(a, 1e-12) / np.maximum(b, 1e-12)), 0.0)

    def _odds(self) -> dict[str, float]:
        """The market's view of whether each lab will pay what it promised (``AILab.payment_odds``);
        other buyers (hyperscalers, external customers) are taken to pay in full."""
        return {lab.aid: lab.payment_odds() for lab in self.economy.labs}

    def _slow_signals(self) -> dict[str, np.ndarray]:
        economy = self.economy
        self.payment_odds = odds = self._odds()
        F = len(self.firms)
        backlog, years = np.zeros(F), np.ones(F)
        for j, f in enumerate(self.firms):
            backlog[j], years[j] = f.backlog_signal(self, odds)
        rev = self.run_rate() if self.revenue_hist else np.array([f.opening_revenue() for f in self.firms])
        led = economy.ledger
        net_debt = np.array([led.get(a, "debt") - led.cash(a) for a in self.ids])
        return {"revenue": rev, "growth": self._growth(), "backlog": backlog, "years": years, "net_debt": net_debt}

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
        for group in economy.book.by_rank():
            for c in group:
                promise = c.pipeline_gw(economy, chip.aid, odds, horizon)
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
        economy = self.economy
        if self._slow_version != (economy.version, economy.month):
            self._slow = self._slow_signals()
            self._slow_version = (economy.version, economy.month)
        s = self._slow
        shares = np.array([max(f.shares, 1e-9) for f in self.firms])
        return FirmSignals(s["revenue"], s["growth"], s["backlog"], s["years"], s["net_debt"], shares,
                           self.news.copy(), self.surprise.copy())

    # ------------------------------------------------------------------ the day
    def trade_day(self) -> None:
        economy = self.economy
        for j, f in enumerate(self.firms):  # a defaulted firm trades at (almost) nothing
            if f.defaulted and self.market.prices[j] > DEFAULTED_PRICE:
                self.market.prices[j] = DEFAULTED_PRICE
                self.market.log_reservation[j] = math.log(DEFAULTED_PRICE)
        sig = self.signals()
        self.retail.contribute(economy.day == 0)
        step = self.market.step(sig, self.sentiment.value, self.exo)
        self.last = step
        self.log_returns = step.log_returns
        for j, f in enumerate(self.firms):
            if not f.defaulted:
                f.price = float(step.prices[j])
        economy.transactions.mark_stakes(listed_only=True)
        for j, f in enumerate(self.firms):  # no trading in a defaulted firm's worthless shares
            if f.defaulted:
                step.trader_shares[j] = step.retail_shares[j] = 0.0
        self._cap_to_float(step)
        self._settle_traders(step)
        self._settle_retail(step)
        self.sentiment.update(step.basket_return, float(self.news.sum()), self.lab_growth_surprise())
        self.news[:] = 0.0
        self.exo[:] = 0.0
        self.surprise[:] = 0.0

    def lab_growth_surprise(self) -> float:
        """The lab's usage growth (six months, 1/yr) against the market's expectation, clipped to
        +-0.5; a defaulted lab counts as the worst surprise."""
        lab = self.economy.agent("lab")
        if lab.defaulted:
            return -0.5
        if len(lab.demand_history) < 7:
            return 0.0
        return min(0.5, max(-0.5, lab.demand_growth() - self.lab_growth_expected))

    def _cap_to_float(self, step) -> None:
        """Outside holders cannot sell shares they do not have: where the traders' and the ETF's
        net purchases exceed the outside float, the buying traders' fills are cut pro rata (their
        cash refunded at the close) so that shares stay conserved."""
        book = self.economy.book
        for j, f in enumerate(self.firms):
            buy = max(step.trader_shares[j], 0.0) + max(step.retail_shares[j], 0.0)
            if buy <= 0:
                continue
            excess = buy - max(0.0, f.shares - book.shares_held(f.aid))
            if excess <= 1e-12:
                continue
            fills = np.maximum(step.trader_shares_by_agent[:, j], 0.0)
            total = fills.sum()
            if total > 0:
                cut = fills * min(1.0, excess / total)
                h = self.traders.holdings  # a view of the population's holdings
                h[:, j] -= cut
                self.traders.cash = self.traders.cash + cut * step.prices[j]
                step.trader_shares[j] -= cut.sum()
                step.trader_shares_by_agent[:, j] -= cut
                self.market.outside_holdings[j] += cut.sum()
                excess -= cut.sum()
            if excess > 1e-12 and step.retail_shares[j] > 0:  # the ETF keeps the rest in cash
                cut = min(excess, step.retail_shares[j])
                step.retail_shares[j] -= cut
                self.market.outside_holdings[j] += cut

    def _settle_traders(self, step) -> None:
        economy, led = self.economy, self.economy.ledger
        tx = economy.transactions
        n, px = step.trader_shares, step.prices
        sells = [(j, -n[j]) for j in range(len(n)) if n[j] < 0]
        buys = [(j, n[j]) for j in range(len(n)) if n[j] > 0]
        for j, q in sells:
            tx.sell_shares("traders", self.firms[j], q, reason="trader sale", price=float(px[j]), market_trade=True)
        need = sum(q * px[j] for j, q in buys)
        if need > led.cash("traders"):  # the traders' prime brokers lend against their portfolios
            self._borrow("traders", need - led.cash("traders"))
        for j, q in buys:
            self._cover("traders", q * float(px[j]))
            tx.buy_shares("traders", self.firms[j], q, float(px[j]))
        self._repay("traders")

    def _settle_retail(self, step) -> None:
        economy, led = self.economy, self.economy.ledger
        tx = economy.transactions
        inflow, out = step.retail_contributions, step.retail_redemptions
        if inflow > 0:
            led.receive_external("retail", "households", inflow, "paid_in", "ETF contributions")
            economy.agent("retail").add_flow("contributions", inflow)
        n, px = step.retail_shares, step.prices
        for j in np.flatnonzero(n < 0):
            tx.sell_shares("retail", self.firms[j], -float(n[j]), reason="ETF sale", price=float(px[j]),
                           market_trade=True)
        if out > 0:
            x = min(out, led.cash("retail"))
            led.pay_external("retail", "households", x, "paid_in", "ETF redemptions")
            economy.agent("retail").add_flow("redemptions", x)
        need = float(sum(n[j] * px[j] for j in np.flatnonzero(n > 0)))
        if need > led.cash("retail"):
            self._borrow("retail", need - led.cash("retail"))
        for j in np.flatnonzero(n > 0):
            self._cover("retail", float(n[j]) * float(px[j]))
            tx.buy_shares("retail", self.firms[j], float(n[j]), float(px[j]))
        self._repay("retail")

    def _cover(self, aid: str, x: float) -> None:
        """Borrow what a purchase of ``x`` $B still lacks beyond the ledger's tolerance. The day's
        loan covers the sum of the purchases, but at very large amounts (a runaway bubble, $1e6B+)
        the rounding of that sum and of the payments one by one can leave the last purchase short
        by more than the ledger's absolute tolerance; this tops the loan up, to the last bit."""
        led = self.economy.ledger
        cash = led.cash(aid)
        if x <= cash + CASH_TOLERANCE:
            return
        short = x - cash
        while cash + short < x:
            short = float(np.nextafter(short, np.inf))
        self._borrow(aid, short)

    def _borrow(self, aid: str, amount: float) -> None:
        economy = self.economy
        loan = next((c for c in economy.book.issued_by(aid, "margin_loan")), None)
        if loan is None:
            loan = economy.book.add(MarginLoan(holder="credit_investors", issuer=aid))
        economy.ledger.receive_external(aid, "credit_investors", amount, "debt", "broker margin loan")
        loan.amount += amount

    def _repay(self, aid: str) -> None:
        economy = self.economy
        for loan in economy.book.issued_by(aid, "margin_loan"):
            x = min(loan.amount, economy.ledger.cash(aid))
            if x > 0:
                economy.ledger.pay_external(aid, "credit_investors", x, "debt", "repay broker margin loan")
                loan.amount -= x
            if loan.amount <= 1e-12:
                loan.amount, loan.active = 0.0, False
