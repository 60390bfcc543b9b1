"""Transactions between balance sheets: equity investments and share sales, capacity contracts
signed and cancelled, chip orders cancelled, and the marking of stakes to market.

Every method moves money through the ledger (between two agents or an agent and a named external
sector) and keeps the contract registry in step with it; none sets a price. Money in $B, shares in
billions, prices in $ per share.
"""

from __future__ import annotations

import numpy as np

from ailoop.model.contracts import CapacityContract, Contract, EquityStake, owe, pay_or_owe

#: a stake with fewer shares than this (billions) is closed
DUST_SHARES = 1e-15


class Transactions:
    """The economy's posting services (one instance per economy: ``economy.transactions``)."""

    def __init__(self, economy):
        self.economy = economy
        self._listed: tuple | None = None  # (registry generation, [(stake, listed issuer)]) for the daily marks
        self._stakes: dict[tuple, tuple] = {}  # a sector's stakes in the listed firms (trade_with_outside)

    # ------------------------------------------------------------------ equity
    def add_shares(self, holder: str, issuer, shares: float, price: float, new_issue: bool = True) -> None:
        """Register ``shares`` of ``issuer`` with ``holder`` (the asset is booked by the caller);
        ``new_issue`` also raises the issuer's shares outstanding."""
        economy = self.economy
        stake = economy.book.stake(holder, issuer.aid)
        if stake is None:
            stake = economy.book.add(EquityStake(holder=holder, issuer=issuer.aid, shares=0.0, mark=price))
        else:
            stake.remark(economy.ledger, price)
        stake.shares += shares
        if new_issue:
            issuer.shares += shares

    def open_stake(self, holder: str, issuer, shares: float) -> None:
        """An opening stake of ``shares`` in ``issuer`` at its opening price (against paid-in capital)."""
        if shares <= 0:
            return
        economy = self.economy
        economy.ledger.open_position(holder, "equity_stakes", shares * issuer.price)
        economy.book.add(EquityStake(holder=holder, issuer=issuer.aid, shares=shares, mark=issuer.price))

    def outside_shares(self, firm) -> float:
        """Billions of ``firm``'s shares held outside the model (the float agents can buy from)."""
        return max(0.0, firm.shares - self.economy.book.shares_held(firm.aid))

    def invest_equity(self, investor: str, issuer: str, amount: float, price: float, retag: str | None = None,
                      ref=None) -> None:
        """``investor`` buys ``amount`` $B of newly issued ``issuer`` shares at ``price`` $/share
        (under contract ``ref``, e.g. a staged investment, if any)."""
        economy = self.economy
        target = economy.agent(issuer)
        if target.shares <= 0:  # a new vehicle: first shares at its par price
            price = target.price
        if amount <= 1e-12 or target.defaulted or not price > 0:
            return  # nobody invests in a defaulted or worthless firm
        economy.ledger.transfer(investor, issuer, amount, "equity_stakes", "paid_in", "equity investment", retag=retag,
                                ref=ref)
        self.add_shares(investor, target, amount / price, price)
        economy.agent(investor).add_flow("equity_invested", amount)

    def buy_shares(self, holder: str, firm, shares: float, price: float) -> None:
        """``holder`` buys ``shares`` of listed ``firm`` from outside holders at ``price``."""
        x = shares * price
        if x <= 0:
            return
        self.economy.ledger.pay_external(holder, "other_shareholders", x, "equity_stakes", "shares bought")
        self.add_shares(holder, firm, shares, price, new_issue=False)

    def sell_shares(self, holder: str, issuer, shares: float, reason: str = "sale", price: float | None = None,
                    market_trade: bool = False) -> float:
        """``holder`` sells ``shares`` of listed ``issuer`` to outside holders at ``price`` (default:
        today's price; a block sold outside the market's trading at the equity desk's price for
        its volume, ``EquityDesk.block_sale``); returns the $B raised.

        A sale outside the market's own trading (a forced sale, a liquidation, warrant shares)
        reaches the market as selling pressure; ``market_trade`` marks a trade the market has
        already priced (the traders' and the ETF's fills)."""
        economy = self.economy
        price = issuer.price if price is None else price
        stake = economy.book.stake(holder, issuer.aid)
        if stake is None or shares <= 0 or price <= 0:
            return 0.0
        stake.remark(economy.ledger, price)
        n = min(shares, stake.shares)
        if not market_trade:  # a block sold outside the day's trading meets the desk's finite buyers
            price *= economy.equity_desk.block_sale(issuer, n * price)
            if price <= 0:
                return 0.0
            stake.remark(economy.ledger, price)
        x = n * price
        economy.ledger.receive_external(holder, "other_shareholders", x, "equity_stakes", f"shares sold ({reason})")
        stake.shares -= n
        if stake.shares <= DUST_SHARES:
            stake.shares, stake.active = 0.0, False
        if not market_trade:
            economy.exchange.add_flow(issuer.aid, -x)
            economy.agent(holder).add_flow("shares_sold", x)
        return x

    def trade_with_outside(self, holder: str, firms, shares, prices) -> float:
        """A market sector's day of trades with outside holders, settled net as a clearing house
        would: ``shares[j]`` (billions; > 0 bought, < 0 sold) of each of ``firms`` at the closing
        ``prices[j]``; one cash movement for the net $ (paid if > 0, received if < 0), the stakes
        in the registry moved share by share. Returns the net $B paid. The market has priced these
        trades already: they add no order flow."""
        economy = self.economy
        book = economy.book
        net = 0.0
        shares, prices = np.asarray(shares, dtype=float).tolist(), np.asarray(prices, dtype=float).tolist()
        kept = self._stakes.get((holder, id(firms)))  # (the registry indexes a stake by its parties once)
        if kept is None or kept[0] is not firms or kept[1] != book.generation:
            kept = self._stakes[(holder, id(firms))] = (firms, book.generation, [book.stake(holder, f.aid) for f in firms])
        for f, q, price, stake in zip(firms, shares, prices, kept[2]):
            if q == 0.0:
                continue
            if stake is None or not stake.active:
                stake = book.stake(holder, f.aid)
            if stake is None:
                stake = book.add(EquityStake(holder=holder, issuer=f.aid, shares=0.0, mark=price))
            elif stake.mark != price:
                stake.remark(economy.ledger, price)
            stake.shares += q
            net += q * price
        if net > 0.0:
            economy.ledger.pay_external(holder, "other_shareholders", net, "equity_stakes", "market trades")
        elif net < 0.0:
            economy.ledger.receive_external(holder, "other_shareholders", -net, "equity_stakes", "market trades")
        return net

    # ------------------------------------------------------------------ marks
    def mark_private(self, firm) -> None:
        """Mark every stake in private ``firm`` to its last round's price."""
        for s in self.economy.book.issued_by(firm.aid, Contract.shares_of_issuer):
            if s.mark != firm.price:
                s.mark_to(self.economy.ledger, firm.price)

    def mark_stakes(self, listed_only: bool) -> None:
        """Mark stakes to their issuers' prices (listed firms only, or every firm), then every
        warrant. The daily listed marks post one entry for all holders; the monthly marks one per stake."""
        economy = self.economy
        book, led = economy.book, economy.ledger
        if listed_only:
            self._mark_listed(book, led)
        else:
            for s in book.implementing(Contract.shares_of_issuer):
                issuer = economy.agent_or_none(s.issuer)
                if issuer is not None and s.mark != issuer.price:
                    s.mark_to(led, issuer.price)
        for w in book.implementing(Contract.exercisable):
            w.mark_to(led, economy.agent(w.issuer).price)
        for c in book.implementing(Contract.preference):  # preferred stock, at its conversion value
            issuer = economy.agent(c.issuer)
            if not issuer.defaulted:
                c.mark_to(led, issuer.price)

    def _mark_listed(self, book, led) -> None:
        """The day's marks of stakes in listed firms, in one entry (each holder's lines in the order
        of its first stake)."""
        if self._listed is None or self._listed[0] != book.generation:  # (kept until a contract is added or pruned)
            listed = {a.aid: a for a in self.economy.everyone if a.public}  # (listing: the agent's class)
            self._listed = (book.generation, [(s, listed[s.issuer]) for s in book.implementing(Contract.shares_of_issuer)
                                              if s.issuer in listed])
        delta: dict[str, float] = {}
        for s, issuer in self._listed[1]:  # (the registry indexes a stake by its parties once)
            if not s.active:  # (closed since)
                continue
            price = issuer.price
            if s.mark == price:
                continue
            d = s.shares * (price - s.mark)
            delta[s.holder] = delta.get(s.holder, 0.0) + d
            s.revalued += d
            s.mark = price
        if delta:
            led.post([line for holder, d in delta.items() for line in ((holder, "equity_stakes", d),
                                                                        (holder, "revaluation", -d))],
                     "mark listed stakes")

    def mark_all(self) -> None:
        """The month's marks: every stake to its issuer's price (private firms at the last round)."""
        self.mark_stakes(listed_only=False)

    # ------------------------------------------------------------------ capacity and chips
    def sign_capacity_contract(self, buyer: str, provider: str, *, gw: float, price_per_gw_year: float,
                               term_months: int, start_month: int, chip_vendor: str = "chip_leader",
                               name: str = "", announce: bool = True, terms: str = "cancellable",
                               ramp_months: int = 0) -> CapacityContract:
        """``buyer`` contracts ``gw`` GW from ``provider`` at the table's take-or-pay share and
        cancellation fee, ``terms`` ``"cancellable"`` (until it delivers) or ``"binding"``, taken up
        over ``ramp_months``; ``announce`` records it as news."""
        economy = self.economy
        p = economy.params
        c = CapacityContract(holder=buyer, issuer=provider, gw=gw, price_per_gw_year=price_per_gw_year,
                             term_months=term_months, start_month=start_month, take_or_pay=p["take_or_pay"],
                             cancel_fee_share=p["cancel_fee_share"], chip_vendor=chip_vendor, name=name, terms=terms,
                             ramp_months=ramp_months)
        economy.book.add(c)
        if announce:
            economy.record_event("contract signed", provider, f"{name}: {gw:.2f} GW with {buyer}", c.total_value)
        return c

    def cancel_capacity_contract(self, c: CapacityContract, reason: str, fee_claim: float = 0.0,
                                 in_default: bool = False) -> None:
        """End a capacity contract; the buyer owes ``fee_claim`` $B (paid in cash as far as it
        can, the rest arrears; a defaulting buyer owes all of it, as a claim on its estate ranked
        with the others); the provider loses the backlog and the capacity becomes free. Loans
        drawn against the contract are then in default (``model/defaults.py`` enforces them)."""
        economy = self.economy
        lost = c.remaining_value()
        c.active = False
        c.cancelled = True
        c.online_gw = 0.0
        if fee_claim > 0 and c.holder in economy.ledger.index:
            settle = owe if in_default else pay_or_owe
            settle(economy.ledger, economy.book, c.holder, c.issuer, fee_claim, "retained", "retained",
                   "cancellation fee", ref=c)
        economy.record_event("contract cancelled", c.issuer, f"{c.name or 'capacity'} with {c.holder}: {reason}; "
                             f"backlog lost {lost:,.1f} $B, fee {fee_claim:,.1f} $B", lost)
        economy.version += 1

    def cancel_chip_order(self, o, reason: str) -> None:
        """Cancel the undelivered part of a chip order; the vendor keeps the prepayment."""
        economy = self.economy
        if o.prepaid > 0:
            x = o.prepaid
            if o.holder in economy.ledger.index:
                economy.ledger.post([(o.holder, "prepaid", -x), (o.holder, "retained", x)], "prepayment forfeited")
            economy.ledger.post([(o.issuer, "deferred_revenue", x), (o.issuer, "retained", -x)], "prepayment kept")
            o.prepaid = 0.0
        lost = o.undelivered_value()
        o.active = False
        economy.agent(o.issuer).drop_order(o)
        proj = o.project
        if proj is not None and proj.units_needed > 0:
            proj.gw *= proj.units_installed / proj.units_needed
            proj.units_needed = proj.units_installed
        economy.record_event("chip order cancelled", o.issuer, f"{o.holder}: {reason}", lost)
