"""The credit market: bond and loan issues allocated among bond buyers, and debt service.

An issuer's spread (per year, over ``risk_free_rate``) is its family's base spread plus
``spread_leverage_sensitivity`` times the excess of its leverage (debt / market value of equity)
over ``spread_leverage_ref``, plus the sentiment add-on (``spread_add_on``: bad mood widens all
spreads). Bond buyers whose required spread is met and whose leverage limit the issuer does not
exceed bid all they can lend; the issue is filled pro rata up to the amount sought (a partly
filled or failed issue raises less; the shortfall stays with the issuer). Each month every debt
contract (:attr:`~ailoop.model.contracts.Contract.is_debt`) is serviced by its own schedule —
coupons, amortisation, maturities. When the issuer's cash is short of what falls due, the
shortfall is refinanced at the day's spread if bond buyers take the issue, drawn on the issuer's
revolving credit line if they do not, and what is still unpaid becomes arrears (a payment default:
``model/defaults.py`` then accelerates the issuer's other debt). Debt is marked to market by its
holders.

Contract-backed facilities (:class:`~ailoop.model.contracts.ContractLoan`) are syndicated among
the bond buyers who bid when the facility is opened, priced by the credit of the backing
contract's customer (``contract_loan_spread_ig`` for investment-grade customers,
``contract_loan_spread_other`` otherwise), and drawn as the GPUs serving the contract arrive.
"""

from __future__ import annotations

import math

from ailoop.model.contracts import Bond, Contract, ContractLoan, GpuLoan, pay_or_owe
from ailoop.model.contracts.convertible import ConvertibleNote, convertible_terms
from ailoop.model.ledger import ACCOUNT_INDEX
from ailoop.model.markets.sentiment import spread_add_on

#: families of investment-grade customers (the spread of a loan against their contracts)
INVESTMENT_GRADE = frozenset({"hyperscaler", "chipmaker", "cloud"})

BASE_SPREAD_PARAM = {
    "cloud": "spread_cloud",
    "neocloud": "spread_neocloud",
    "chipmaker": "spread_investment_grade",
    "hyperscaler": "spread_investment_grade",
    "spv": "spread_neocloud",
    "venture": "spread_margin_loan",
}


class CreditMarket:
    """Primary debt market and debt service (one per economy: ``economy.credit``)."""

    def __init__(self, economy):
        self.economy = economy
        self.issues: list[dict] = []  # record of every issue: month, issuer, sought, raised, spread
        self.facilities = 0  # contract-backed facilities opened so far (their ids)

    def leverage(self, issuer) -> float:
        """Debt over the market value of equity (book equity for firms without a price)."""
        equity = getattr(issuer, "market_cap", None)
        if not equity:
            a, l, _ = self.economy.ledger.totals(issuer.aid)
            equity = max(a - l, 1e-9)
        return issuer.debt / max(equity, 1e-9)

    def mood_factor(self, sentiment: float | None = None) -> float:
        """The mood's factor on a rated firm's spread: exp(-``spread_sentiment_convexity`` x s), at
        least 1/2 (x4 in panic at the default convexity, as investment-grade and high-yield spreads
        widened about 3-4 fold in 2008 and 2020; at most halved in euphoria)."""
        s = self.economy.sentiment.value if sentiment is None else sentiment
        return max(0.5, math.exp(-self.economy.params["spread_sentiment_convexity"] * s)) if s != 0.0 else 1.0

    def spread(self, issuer, sentiment: float | None = None) -> float:
        """The spread ``issuer`` pays on new debt, per year. ``sentiment`` overrides today's index
        (the opening bonds were priced at a neutral mood: ``sentiment=0``).

        With ``channel_ratings`` on, a rated firm pays its notch's spread (``model/ratings.py``)
        plus ``credit_spread_shift`` (the market's credit conditions), times the mood's factor
        (:meth:`mood_factor`); otherwise (and for unrated borrowers) its family's base spread,
        widened with its leverage above ``spread_leverage_ref``, plus the mood's add-on."""
        p = self.economy.params
        s = self.economy.sentiment.value if sentiment is None else sentiment
        mood = spread_add_on(s, 1e4 * p["spread_sentiment_scale"], p["spread_sentiment_convexity"]) / 1e4 if s != 0.0 else 0.0
        if p["channel_ratings"]:
            rated = self.economy.ratings.spread(issuer.aid)
            if rated is not None:
                return max(0.0, (rated + p["credit_spread_shift"]) * self.mood_factor(s))
        base = p[BASE_SPREAD_PARAM.get(issuer.family, "spread_investment_grade")]
        excess = max(0.0, self.leverage(issuer) - p["spread_leverage_ref"])
        return max(0.0, base + p["spread_leverage_sensitivity"] * excess + mood)

    def cost_of_capital(self, firm) -> float:
        """``firm``'s weighted average cost of capital, per year: ``risk_free_rate`` +
        ``equity_risk_premium`` + w x its spread at neutral mood, w = debt / (debt + market value
        of equity).

        The cost of equity rises with leverage (Hamada 1972, debt beta zero): r_E = r_f + ERP x (1 +
        D/E), and the debt costs r_f + spread, so the weighted average is r_f + ERP + w x spread.
        The premium on the firm's assets does not fall as its shares fall; what a more indebted
        firm adds is its credit spread on the indebted share. (Weighting a fixed equity premium by
        (1 - w) made a firm's capital cheaper as its shares fell whenever its spread was below the
        premium: a lower price, a lower rate, a higher value, a higher price, month after month.)"""
        p = self.economy.params
        debt = max(0.0, self.economy.ledger.get(firm.aid, "debt"))
        equity = max(getattr(firm, "market_cap", 0.0), 1e-9)
        w = debt / (debt + equity)
        return p["risk_free_rate"] + p["equity_risk_premium"] + w * self.spread(firm, sentiment=0.0)

    def investment_grade(self, issuer) -> bool:
        """May investment-grade-only lenders hold ``issuer``'s debt? (unrated or ratings off: yes)"""
        if not self.economy.params["channel_ratings"]:
            return True
        n = self.economy.ratings.rating(issuer.aid)
        return n is None or self.economy.ratings.investment_grade(issuer.aid)

    def fallen_angel_sales(self, issuer) -> float:
        """``issuer`` has fallen below investment grade: the bond buyers restricted to investment
        grade sell its tradable bonds (:attr:`Contract.tradable`) to the others, who have a finite
        appetite for them: the sale is struck at the bonds' mark less ``fallen_angel_discount``
        and a discount that grows with the volume against what the buyers can lend (the buyers
        take the bargain as a gain, the sellers book the loss). Returns the $B of face sold."""
        economy, p = self.economy, self.economy.params
        sellers = {b.aid for b in economy.bond_buyers if b.ig_only}
        bonds = [c for c in economy.book.issued_by(issuer.aid) if c.is_debt and c.tradable and c.holder in sellers
                 and c.face > 1e-12]
        buyers = [b for b in economy.bond_buyers if not b.ig_only]
        room = {b.aid: max(0.0, b.cash) + b.capacity for b in buyers}
        total_room = sum(room.values())
        value = sum(c.face * c.mark for c in bonds)
        if not bonds or total_room <= 1e-9 or value <= 1e-12:
            return 0.0
        # the other lenders are the buyers; their room is the depth of the market for the bonds
        price = (1.0 - p["fallen_angel_discount"]) * total_room * -math.expm1(-value / total_room) / value \
            if p["channel_finite_capital"] else 1.0 - p["fallen_angel_discount"]
        # the buyers cannot pay more than their room: without the finite-capital price the sale
        # stops there and the restricted holders keep the rest
        frac = min(1.0, total_room / (value * price))
        sold = 0.0
        for c in bonds:
            face = c.face * frac
            for b in buyers:
                share = room[b.aid] / total_room
                if share > 1e-12:
                    self.transfer_bond(c, b, face * share, price)
            sold += face
            c.face -= face
            if c.face <= 1e-12:
                c.face, c.active = 0.0, False
        economy.record_event("forced bond sale", issuer.aid, f"investment-grade holders sell {sold:,.2f} $B of its "
                             f"bonds at {price:.1%} of their mark", sold)
        economy.version += 1
        return sold

    def transfer_bond(self, c, buyer, face: float, price: float) -> None:
        """``face`` $B of bond ``c`` change hands at ``price`` of its mark: the buyer pays, a new
        contract with the same terms is its claim; the seller's mark is reversed and its loss
        against the mark realised, the buyer's gain booked (both in retained earnings)."""
        from dataclasses import replace

        led = self.economy.ledger
        m = c.mark
        cash = face * m * price
        buyer.fund(cash)
        d = face * (m - 1.0)
        led.post([(c.holder, "bond_valuation", -d), (c.holder, "revaluation", d)], "mark bonds")
        led.transfer(buyer.aid, c.holder, cash, "bonds_held", "bonds_held", "bond sale")  # between two lenders
        below = face - cash  # the seller's loss (the buyer's gain) against the face
        led.post([(c.holder, "bonds_held", -below), (c.holder, "retained", below),
                  (buyer.aid, "bonds_held", below), (buyer.aid, "retained", -below),
                  (buyer.aid, "bond_valuation", d), (buyer.aid, "revaluation", -d)], "bond sale")
        self.economy.book.add(replace(c, holder=buyer.aid, face=face))

    def clearing_spread(self, amount: float, spread: float, leverage: float, ig: bool) -> float:
        """The spread at which ``amount`` $B of new debt sells: the issuer's own ``spread`` (its
        notch's, or its family's) if the buyers who bid at it can lend that much, else the lowest
        required spread of the eligible buyers (leverage within their limit; investment grade for
        the restricted ones) at which enough of them bid — or all of them, at the highest. A rated
        issuer's notch is a floor on its coupon, not a price nobody pays: a high-yield borrower
        whose notch spread is below what the high-yield buyers require pays what they require."""
        buyers = sorted((b for b in self.economy.bond_buyers if leverage <= b.max_leverage and (ig or not b.ig_only)),
                        key=lambda b: b.required_spread)
        room = 0.0
        for b in buyers:
            if b.required_spread > spread:
                if room >= amount:
                    break
                spread = b.required_spread
            room += max(0.0, b.cash) + b.capacity
        return spread

    def _allot(self, issuer, bids: list, total: float, raised: float, make, memo: str) -> None:
        """Allot ``raised`` $B of ``issuer``'s new debt among the bond buyers pro rata to their
        ``bids`` ((buyer, $B) pairs, ``total`` $B in all): each draws its own sources for its part and
        lends what its cash then allows, against the contract ``make(buyer, face)``; the cash moves
        at once (ledger ``memo``). The $B raised is the issuer's ``debt_raised`` flow."""
        economy = self.economy
        for buyer, bid in bids:
            x = raised * bid / total
            if x <= 1e-12:
                continue
            buyer.fund(x)
            x = min(x, buyer.cash)
            c = make(buyer, x)
            economy.ledger.transfer(buyer.aid, issuer.aid, x, "bonds_held", "debt", memo, ref=c)
            economy.book.add(c)
        issuer.add_flow("debt_raised", raised)

    def issue(self, issuer, amount: float, months: int, collateral_units: float = 0.0) -> float:
        """Sell ``amount`` $B of debt maturing in ``months``: bonds, or GPU-backed loans amortising
        over ``months`` when ``collateral_units`` million GPUs secure it; returns the $B raised."""
        economy, p = self.economy, self.economy.params
        if economy.defaults.in_event_of_default(issuer.aid):
            return 0.0  # nobody lends to a borrower whose debt has been accelerated
        leverage = self.leverage(issuer)
        ig = self.investment_grade(issuer)
        spread = self.clearing_spread(amount, self.spread(issuer), leverage, ig)
        bids = [(b, b.bid(spread, leverage, ig)) for b in economy.bond_buyers]
        total = sum(x for _, x in bids)
        raised = min(amount, total)
        kind = (GpuLoan if collateral_units > 0 else Bond).kind
        if raised > 1e-9:
            coupon = p["risk_free_rate"] + spread

            def make(buyer, x: float):
                common = dict(holder=buyer.aid, issuer=issuer.aid, face=x, coupon=coupon, issued_month=economy.month,
                              maturity_month=economy.month + months, spread=spread)
                if collateral_units > 0:
                    return GpuLoan(**common, ltv_limit=p["gpu_loan_ltv_limit"],
                                   collateral_units=collateral_units * x / raised, amort_months=months)
                return Bond(**common)

            self._allot(issuer, bids, total, raised, make, f"debt issue ({kind})")
        self.issues.append(dict(month=economy.month, issuer=issuer.aid, kind=kind, sought=amount, raised=raised,
                                spread=spread))
        return raised

    def issue_convertible(self, issuer, amount: float, months: int) -> float:
        """Sell ``amount`` $B of convertible notes maturing in ``months``: the bond buyers bid as for
        the issuer's bonds (its spread and leverage); the conversion price is today's share price x
        (1 + ``convertible_premium``) and the coupon the straight coupon less the conversion
        option's value (volatility ``convertible_volatility``), so that the notes sell at par
        (``convertible_terms``: a higher conversion price when the option is worth more than the
        straight coupon).
        Returns the $B raised."""
        economy, p = self.economy, self.economy.params
        if economy.defaults.in_event_of_default(issuer.aid) or not issuer.public or issuer.price <= 0:
            return 0.0
        leverage, ig = self.leverage(issuer), self.investment_grade(issuer)
        spread = self.clearing_spread(amount, self.spread(issuer), leverage, ig)
        bids = [(b, b.bid(spread, leverage, ig)) for b in economy.bond_buyers]
        total = sum(x for _, x in bids)
        raised = min(amount, total)
        if raised <= 1e-9:
            return 0.0
        coupon, conv = convertible_terms(issuer.price, p["convertible_premium"], months / 12.0, p["risk_free_rate"],
                                         spread, p["convertible_volatility"])
        self._allot(issuer, bids, total, raised,
                    lambda buyer, x: ConvertibleNote(holder=buyer.aid, issuer=issuer.aid, face=x, coupon=coupon,
                                                     issued_month=economy.month, maturity_month=economy.month + months,
                                                     spread=spread, conversion_price=conv),
                    "debt issue (convertible)")
        self.issues.append(dict(month=economy.month, issuer=issuer.aid, kind=ConvertibleNote.kind, sought=amount,
                                raised=raised, spread=spread))
        economy.record_event("convertible issue", issuer.aid, f"{raised:,.2f} $B of convertible notes at "
                             f"{coupon:.2%}, converting at ${conv:,.2f}", raised)
        return raised

    # ------------------------------------------------------------------ contract-backed facilities
    def contract_spread(self, customer: str, sentiment: float | None = None) -> float:
        """Spread of a loan against a contract with ``customer``, per year: by the customer's
        credit (investment grade or not), plus the sentiment add-on."""
        p = self.economy.params
        agent = self.economy.agent_or_none(customer)
        ig = agent is not None and agent.family in INVESTMENT_GRADE
        base = p["contract_loan_spread_ig"] if ig else p["contract_loan_spread_other"]
        s = self.economy.sentiment.value if sentiment is None else sentiment
        return base + (spread_add_on(s) / 1e4 if s != 0.0 else 0.0)

    def facility(self, borrower: str, backing) -> list:
        """The lender shares of ``borrower``'s facility against contract ``backing`` (active ones)."""
        return [c for c in self.economy.book.issued_by(borrower, Contract.facility_key) if c.backing is backing]

    def open_facility(self, borrower, backing, limit: float) -> list:
        """Syndicate a facility of ``limit`` $B against ``backing`` among the bond buyers who bid
        at the customer's spread for ``borrower``'s leverage (commitments pro rata to their bids;
        nothing is lent yet). Returns the lender shares (none if nobody bids)."""
        economy, p = self.economy, self.economy.params
        spread = self.contract_spread(backing.holder)
        leverage = self.leverage(borrower)
        bids = [(b, b.bid(spread, leverage, self.investment_grade(borrower))) for b in economy.bond_buyers]
        total = sum(x for _, x in bids)
        if total <= 1e-9 or limit <= 1e-9:
            return []
        self.facilities += 1
        end = economy.month + int(backing.remaining_gw_months() / max(backing.gw, 1e-9)) + max(0, backing.start_month
                                                                                                 - economy.month)
        loans = []
        for buyer, bid in bids:
            share = limit * bid / total
            if share <= 1e-12:
                continue
            loans.append(economy.book.add(ContractLoan(
                holder=buyer.aid, issuer=borrower.aid, face=0.0, coupon=p["risk_free_rate"] + spread,
                issued_month=economy.month, maturity_month=end, spread=spread, backing=backing, limit=share,
                ltv_limit=p["gpu_loan_ltv_limit"], min_dscr=p["contract_loan_min_dscr"], facility=self.facilities)))
        economy.record_event("facility signed", borrower.aid, f"{limit:,.2f} $B against {backing.name or 'capacity'} "
                             f"with {backing.holder} at +{spread * 1e4:,.0f} bp", limit)
        return loans

    def draw_facility(self, loans: list, amount: float, units: float) -> float:
        """Draw up to ``amount`` $B on a facility against ``units`` million GPUs just delivered,
        each lender funding its share of the undrawn commitment. Returns $B drawn."""
        economy = self.economy
        room = sum(c.undrawn() for c in loans)
        x_total = min(amount, room)
        if x_total <= 1e-12 or self.economy.defaults.in_event_of_default(loans[0].issuer):
            return 0.0
        drawn = 0.0
        for c in loans:
            share = c.undrawn() / room
            x = x_total * share
            if x <= 1e-12:
                continue
            x = self._funded(c, x)
            if x <= 1e-12:
                continue
            c.draw_against(economy.ledger, x, units * share, economy.month)
            drawn += x
        if drawn > 0:
            economy.agent(loans[0].issuer).add_flow("debt_raised", drawn)
        return drawn

    def _funded(self, c, amount: float) -> float:
        """$B (up to ``amount``) the lender of ``c`` can lend now, drawing on its own sources first."""
        lender = self.economy.agent(c.holder)
        lender.fund(amount)
        return min(amount, max(0.0, lender.cash))

    # ------------------------------------------------------------------ revolving credit lines
    def draw_revolver(self, issuer, amount: float) -> float:
        """Draw up to ``amount`` $B on ``issuer``'s revolving credit lines (refused once it is in an
        event of default). Returns $B drawn."""
        economy = self.economy
        if amount <= 1e-9 or economy.defaults.in_event_of_default(issuer.aid):
            return 0.0
        drawn = 0.0
        for c in economy.book.issued_by(issuer.aid, Contract.line_room):
            x = min(amount - drawn, c.line_room(economy.month))
            if x <= 1e-12:
                continue
            x = self._funded(c, x)
            if x <= 1e-12:
                continue
            c.draw(economy.ledger, x, "debt issue (revolver)")
            drawn += x
        if drawn > 0:
            issuer.add_flow("debt_raised", drawn)
        return drawn

    def renew_revolvers(self) -> None:
        """Revolving lines reaching their maturity are extended by their tenor if the bank would
        still lend to the borrower (its spread and leverage within the bank's limits, no event of
        default); otherwise what is drawn falls due."""
        economy = self.economy
        for c in economy.book.implementing(Contract.at_maturity):
            if c.maturity_month > economy.month:
                continue
            borrower, bank = economy.agent(c.issuer), economy.agent(c.holder)
            c.at_maturity(not borrower.defaulted and not economy.defaults.in_event_of_default(c.issuer)
                          and bank.bid(self.spread(borrower), self.leverage(borrower), self.investment_grade(borrower)) > 0)

    def repay_revolvers(self, issuer, amount: float) -> float:
        """Repay up to ``amount`` $B drawn on ``issuer``'s revolving lines. Returns $B repaid."""
        left = min(amount, max(0.0, issuer.cash))
        for c in self.economy.book.issued_by(issuer.aid, Contract.line_room):
            x = min(left, c.face)
            if x > 1e-12:
                c.repay(self.economy.ledger, x, "principal (revolver repaid)")
                left -= x
        return min(amount, max(0.0, issuer.cash)) - left

    def redeem(self, issuer, amount: float) -> float:
        """Repay up to ``amount`` $B of ``issuer``'s redeemable debt early, nearest maturity first, at face."""
        left = min(amount, max(0.0, issuer.cash))
        debt = [c for c in self.economy.book.issued_by(issuer.aid) if c.redeemable]
        for c in sorted(debt, key=lambda b: (b.maturity_month, b.face)):
            if left <= 1e-9:
                break
            x = min(left, c.face)
            c.repay(self.economy.ledger, x, "early redemption")
            left -= x
        return amount - left

    def mark_debt(self) -> None:
        """Holders mark debt to market: price = exp(-D x (spread now - spread at issue)), D = the
        remaining life in years capped at ``bond_duration_cap`` (a duration approximation), at most
        1.05; the change is booked as revaluation on each holder."""
        economy, p = self.economy, self.economy.params
        ctx, month, cap, agent, exp = economy.ctx, economy.month, p["bond_duration_cap"], economy.agent, math.exp
        spreads: dict[str, float] = {}
        live: dict[str, object] = {}  # issuer id -> agent, None if it has defaulted
        debts = economy.book.debts()
        for c in debts:
            aid = c.issuer
            issuer = live.get(aid, live)
            if issuer is live:
                issuer = live[aid] = agent(aid)
                if issuer.defaulted:
                    issuer = live[aid] = None
            if issuer is None:
                continue
            now = c.spread_now(ctx)
            if now is None:
                now = spreads.get(aid)
                if now is None:
                    now = spreads[aid] = self.spread(issuer)
            left = c.maturity_month - month  # (months: min(max(left, 0) / 12, cap), as conditionals)
            years = left / 12.0 if left > 0 else 0.0
            if cap < years:
                years = cap
            x = -years * (now - c.spread)
            # (a bond issued while its issuer's book equity was nil carries a spread of ~1e10 a
            # year; when the spread falls back, exp(x) overflows: the mark is capped at 1.05 anyway)
            mark = 1.05 if x > 0.05 else exp(x)
            if not mark < 1.05:
                mark = 1.05
            if "conversion_value" in c.aspects and c.face > 0:  # a convertible is worth at least its shares
                mark = max(mark, c.conversion_value(issuer.price) / c.face)
            if mark != c.mark:
                c.mark = mark
        target: dict[str, float] = {}  # each holder's total adjustment against its booked value
        for c in debts:
            target[c.holder] = target.get(c.holder, 0.0) + c.face * (c.mark - 1.0)
        led = economy.ledger
        booked = dict(zip(led.agent_ids, led.balances[:, ACCOUNT_INDEX["bond_valuation"]].tolist()))
        marked = {a for a, v in booked.items() if v != 0.0}  # incl. holders of debt now gone
        for holder in sorted(set(target) | {b.aid for b in economy.bond_buyers} | marked):
            d = target.get(holder, 0.0) - booked[holder]
            if abs(d) > 1e-12:
                led.post([(holder, "bond_valuation", d), (holder, "revaluation", -d)], "mark bonds")

    def debt_due(self, aid: str, months: int) -> float:
        """Principal and interest ``aid`` owes over the next ``months`` months, $B."""
        month = self.economy.month
        due = 0.0
        for c in self.economy.book.issued_by(aid):
            if c.is_debt:
                interest, principal = c.due_within(month, months)
                due += interest
                if principal:
                    due += principal
        return due

    def service(self) -> None:
        """Pay this month's coupons, amortisation and maturities, issuer by issuer.

        An issuer (other than a venture fund) whose cash does not cover what falls due first
        tries to refinance the shortfall with one new issue; what it still cannot pay becomes
        arrears to the holders.
        """
        economy = self.economy
        self.renew_revolvers()
        by_issuer: dict[str, list] = {}
        for c in economy.book.debts():
            by_issuer.setdefault(c.issuer, []).append(c)
        for aid in sorted(by_issuer):
            self._service_issuer(economy.agent(aid), by_issuer[aid])

    def _service_issuer(self, issuer, debts: list) -> None:
        economy = self.economy
        dues = [(c, *c.service_due(economy.month)) for c in debts]
        total = sum(i + p for _, i, p in dues)
        short = total - issuer.cash
        if short > 1e-9:
            self.roll_over(issuer, short)
        interest_by, principal_by = {}, {}  # one payment per creditor, not per contract
        ref = {}  # a contract with each creditor (the payments are made under them)
        for c, interest, principal in dues:
            ref.setdefault(c.holder, c)
            interest_by[c.holder] = interest_by.get(c.holder, 0.0) + interest
            if principal > 0:
                principal_by[c.holder] = principal_by.get(c.holder, 0.0) + principal
                c.face -= principal
                if c.face <= 1e-12:
                    c.paid_off(economy.month)
        unpaid = 0.0
        for holder, x in interest_by.items():
            unpaid += x - pay_or_owe(economy.ledger, economy.book, issuer.aid, holder, x, "retained", "retained",
                                     "interest", ref=ref[holder])
            economy.agent(holder).add_flow("interest_income", x)
        for holder, x in principal_by.items():
            unpaid += x - pay_or_owe(economy.ledger, economy.book, issuer.aid, holder, x, "debt", "bonds_held",
                                     "principal", ref=ref[holder])
        issuer.add_flow("interest", sum(interest_by.values()))
        if unpaid > 1e-9:
            economy.record_event("debt service unpaid", issuer.aid, f"{unpaid:,.2f} of {total:,.2f} $B due could "
                                 "be neither paid nor refinanced: arrears to its lenders", unpaid)

    def roll_over(self, issuer, short: float) -> float:
        """Cash for ``short`` $B of debt service the issuer cannot pay: a new issue at the day's
        spread (a venture fund: a new margin loan within its collateral's headroom), then a draw on
        its revolving credit lines. Returns $B raised."""
        economy, p = self.economy, self.economy.params
        if issuer.family == "venture":  # its margin facility first, then a new margin loan
            raised = self.draw_revolver(issuer, min(short, issuer.margin_headroom()))
            sought = min(short - raised, issuer.margin_headroom(repaying=short))
            if sought > 1e-9:
                raised += self.issue(issuer, sought, int(p["margin_loan_months"]))
            return raised
        raised = self.issue(issuer, short, int(p["bond_maturity_months"]))
        if short - raised > 1e-9:
            drawn = self.draw_revolver(issuer, short - raised)
            if drawn > 0:
                economy.record_event("revolver draw", issuer.aid, f"{short:,.2f} $B due, {raised:,.2f} refinanced "
                                     f"in the bond market at +{self.spread(issuer) * 1e4:,.0f} bp", drawn)
            raised += drawn
        return raised
