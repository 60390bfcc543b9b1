"""Credit ratings from leverage and coverage, a spread for each notch, and the investment-grade cliff.

The grid is S&P Global Ratings' corporate methodology (*Corporate Methodology*, 19 November 2013,
and *Corporate Methodology: Ratios and Adjustments*): an **anchor** from the firm's business risk
profile (1 excellent … 6 vulnerable: a parameter per firm, ``rating_business_<id>``) and its
financial risk profile, read from the standard-volatility table of core ratios:

============================  =========  ==========  ============  ===========  ==========  ===============
financial risk                minimal    modest      intermediate  significant  aggressive  highly leveraged
============================  =========  ==========  ============  ===========  ==========  ===============
debt / EBITDA (x)             < 1.5      1.5–2       2–3           3–4          4–5         > 5
EBITDA / interest (x)         > 13       9–13        6–9           4–6          2–4         < 2
============================  =========  ==========  ============  ===========  ==========  ===============

(the worse of the two; EBITDA and interest over the trailing twelve months, annualised before a
year has been recorded; EBITDA at or below zero is highly leveraged). The anchor matrix (the
higher notch where S&P gives two):

==============  =======  ======  ============  ===========  ==========  ================
business risk   minimal  modest  intermediate  significant  aggressive  highly leveraged
==============  =======  ======  ============  ===========  ==========  ================
excellent       aaa      aa      a+            a-           bbb         bbb-
strong          aa       a+      a-            bbb          bb+         bb
satisfactory    a        bbb+    bbb           bbb-         bb          b+
fair            bbb      bbb-    bb+           bb           bb-         b
weak            bb+      bb+     bb            bb-          b+          b
vulnerable      bb-      bb-     bb-           b+           b           b-
==============  =======  ======  ============  ===========  ==========  ================

EBITDA for the leverage ratio is the average of the trailing year's and the agency's projection of
the next (the trailing year plus the revenue of capacity contracts that start delivering within
the year, at the odds that their buyers pay and ``rating_backlog_margin``): the backlog counts,
and a customer's distress cuts it. Modifiers: **liquidity** — sources (cash, undrawn committed
lines, a year of EBITDA when positive) over uses (debt service over the next twelve months): below
``rating_liquidity_less`` the rating is at most BB+, below 1 ("weak") at most B-; trade bills
overdue beyond ``default_arrears_tolerance``: at most CCC+; **payment default** — debt service
unpaid: CC; debt accelerated, or the firm in default: C.

The model's notches: 1 = AAA, 2 = AA+, 3 = AA, … 10 = BBB-, 11 = BB+, … 16 = B-, 17 = CCC+,
18 = CCC, 19 = CCC-, 20 = CC, 21 = C. Investment grade is 10 or better. The **spread** of a notch,
on new five-year senior unsecured debt, is interpolated (log-linearly) between the letter grades'
spreads (``rating_spread_aaa`` … ``rating_spread_ccc`` and C at ``rating_spread_c``).

Until its first review (the first month's close) a firm carries its 2025 rating
(``rating_open_<id>``). Reviews run monthly; each change is logged (``downgrade``, ``upgrade``,
and ``fallen angel`` when a firm leaves investment grade, after which the bond buyers restricted
to investment grade sell its bonds: ``CreditMarket.fallen_angel_sales``).
"""

from __future__ import annotations

import math

from ailoop.model.contracts import Contract

#: notch of each letter grade (S&P's scale: + and - modifiers)
NOTCH = {"aaa": 1, "aa+": 2, "aa": 3, "aa-": 4, "a+": 5, "a": 6, "a-": 7, "bbb+": 8, "bbb": 9, "bbb-": 10,
         "bb+": 11, "bb": 12, "bb-": 13, "b+": 14, "b": 15, "b-": 16, "ccc+": 17, "ccc": 18, "ccc-": 19, "cc": 20,
         "c": 21}
LETTERS = {v: k.upper() for k, v in NOTCH.items()}
#: the anchor matrix: business risk (rows, 1..6) x financial risk (columns, 1..6)
ANCHOR = (
    ("aaa", "aa", "a+", "a-", "bbb", "bbb-"),
    ("aa", "a+", "a-", "bbb", "bb+", "bb"),
    ("a", "bbb+", "bbb", "bbb-", "bb", "b+"),
    ("bbb", "bbb-", "bb+", "bb", "bb-", "b"),
    ("bb+", "bb+", "bb", "bb-", "b+", "b"),
    ("bb-", "bb-", "bb-", "b+", "b", "b-"),
)
#: upper bounds of debt/EBITDA for the first five financial risk profiles (the sixth is above)
LEVERAGE = (1.5, 2.0, 3.0, 4.0, 5.0)
#: lower bounds of EBITDA/interest for the first five financial risk profiles
COVERAGE = (13.0, 9.0, 6.0, 4.0, 2.0)
#: last investment-grade notch (BBB-)
IG = 10
#: notches of the letter grades whose spreads the table gives (AAA, AA, A, BBB, BB, B, CCC, C)
SPREAD_ANCHORS = ((1, "rating_spread_aaa"), (3, "rating_spread_aa"), (6, "rating_spread_a"), (9, "rating_spread_bbb"),
                  (12, "rating_spread_bb"), (15, "rating_spread_b"), (18, "rating_spread_ccc"), (21, "rating_spread_c"))


def financial_risk(debt: float, ebitda: float, interest: float) -> int:
    """Financial risk profile 1 (minimal) … 6 (highly leveraged) from debt and the year's EBITDA and
    interest ($B): the worse of the leverage and the coverage categories."""
    if ebitda <= 0:
        return 6 if debt > 1e-9 else 1
    lev = debt / ebitda
    by_lev = next((k + 1 for k, hi in enumerate(LEVERAGE) if lev < hi), 6)
    cov = ebitda / interest if interest > 1e-12 else math.inf
    by_cov = next((k + 1 for k, lo in enumerate(COVERAGE) if cov > lo), 6)
    return max(by_lev, by_cov)


def anchor(business: int, financial: int) -> int:
    """The anchor notch of a business and a financial risk profile (each 1..6)."""
    return NOTCH[ANCHOR[business - 1][financial - 1]]


def notch_spread(notch: float, params) -> float:
    """Spread (per year) of new five-year senior unsecured debt at ``notch``: log-linear between
    the letter grades' spreads."""
    n = min(max(notch, 1.0), 21.0)
    for (n0, k0), (n1, k1) in zip(SPREAD_ANCHORS, SPREAD_ANCHORS[1:]):
        if n <= n1:
            s0, s1 = params[k0], params[k1]
            w = (n - n0) / (n1 - n0)
            return math.exp((1.0 - w) * math.log(s0) + w * math.log(s1))
    return params[SPREAD_ANCHORS[-1][1]]


class RatingAgency:
    """Monthly ratings of the firms that borrow (one per economy: ``economy.ratings``)."""

    def __init__(self, economy):
        self.economy = economy
        p = economy.params
        self.rated = [f.aid for f in economy.loop_firms if f"rating_business_{f.aid}" in p]
        self.notch: dict[str, int] = {a: int(p[f"rating_open_{a}"]) for a in self.rated}
        self.reviewed = False
        self.changes: list[dict] = []

    # ------------------------------------------------------------------ reading
    def rating(self, aid: str) -> int | None:
        """The notch of ``aid`` now (None: not rated)."""
        return self.notch.get(aid)

    def spread(self, aid: str) -> float | None:
        """The spread of ``aid``'s notch, per year (None: not rated)."""
        n = self.notch.get(aid)
        return None if n is None else notch_spread(n, self.economy.params)

    def investment_grade(self, aid: str) -> bool:
        n = self.notch.get(aid)
        return n is not None and n <= IG

    # ------------------------------------------------------------------ the review
    def assess(self, aid: str) -> tuple[int, str]:
        """The notch the grid gives ``aid`` today and why (one line)."""
        economy, p = self.economy, self.economy.params
        firm = economy.agent(aid)
        if firm.defaulted or economy.defaults.in_event_of_default(aid):
            return NOTCH["c"], "in default" if firm.defaulted else "debt accelerated"
        if economy.defaults.debt_arrears(aid) > p["default_arrears_tolerance"]:
            return NOTCH["cc"], "debt service unpaid"
        fund = economy.fundamentals
        debt = economy.ledger.get(aid, "debt")
        trailing, interest = fund.trailing(aid, "ebitda"), fund.trailing(aid, "interest")
        ebitda = 0.5 * (trailing + self.forward_ebitda(aid, trailing))
        business = int(p[f"rating_business_{aid}"])
        fin = financial_risk(debt, ebitda, interest)
        n = anchor(business, fin)
        why = f"business risk {business}, financial risk {fin} (debt/EBITDA {debt / ebitda if ebitda > 0 else math.inf:.1f}x)"
        liq = self.liquidity(firm, trailing)
        if liq < 1.0 and n < NOTCH["b-"]:
            n, why = NOTCH["b-"], f"{why}; weak liquidity ({liq:.2f}x)"
        elif liq < p["rating_liquidity_less"] and n < NOTCH["bb+"]:
            n, why = NOTCH["bb+"], f"{why}; less than adequate liquidity ({liq:.2f}x)"
        if economy.defaults.overdue(aid) > p["default_arrears_tolerance"] and n < NOTCH["ccc+"]:
            n, why = NOTCH["ccc+"], f"{why}; bills overdue"
        return n, why

    def forward_ebitda(self, aid: str, trailing: float) -> float:
        """EBITDA over the next twelve months as an agency projects it, $B: the trailing year's,
        plus the revenue of capacity contracted and not yet delivering that falls due within the
        year (at the odds that its buyer pays, ``payment_odds``) at ``rating_backlog_margin``."""
        economy = self.economy
        month = economy.month
        odds = economy.exchange.payment_odds if getattr(economy, "exchange", None) else {}
        new = 0.0
        for c in economy.book.issued_by(aid, Contract.gw_due):
            gw = c.contracted_gw()
            if gw <= 0:
                continue
            due = sum(1 for k in range(12) if c.gw_due(month + k) > 0)
            if due:
                new += c.run_rate_cost() * (1.0 - min(1.0, c.delivered_gw(month) / gw)) * due / 12.0 \
                    * odds.get(c.holder, 1.0)
        return trailing + economy.params["rating_backlog_margin"] * new

    def liquidity(self, firm, ebitda: float) -> float:
        """Sources over uses for the next twelve months (S&P's liquidity descriptor): cash, undrawn
        committed lines and a year of EBITDA (when positive) over the debt service falling due."""
        economy = self.economy
        month = economy.month
        lines = sum(c.line_room(month) for c in economy.book.issued_by(firm.aid, Contract.line_room))
        sources = max(0.0, firm.cash) + lines + max(0.0, ebitda)
        uses = economy.credit.debt_due(firm.aid, 12)
        return sources / uses if uses > 1e-9 else math.inf

    def payment_odds(self, aid: str) -> float:
        """The odds the market gives that rated firm ``aid`` pays what it owes over
        ``credit_view_months``: exp(-spread x years / ``loss_given_default``) (the credit triangle:
        the default intensity a spread implies at that loss); 1 for a firm not rated."""
        sp = self.spread(aid)
        if sp is None:
            return 1.0
        p = self.economy.params
        return math.exp(-sp * p["credit_view_months"] / 12.0 / p["loss_given_default"])

    def review(self) -> None:
        """The month's review of every rated firm (after the month's figures are recorded);
        downgrades below investment grade set the restricted holders selling."""
        economy = self.economy
        if not economy.params["channel_ratings"]:
            return
        self.reviewed = True
        fallen = []
        for aid in self.rated:
            firm = economy.agent(aid)
            if firm.defaulted and self.notch[aid] == NOTCH["c"]:
                continue
            new, why = self.assess(aid)
            old = self.notch[aid]
            if new == old:
                continue
            self.notch[aid] = new
            self.changes.append(dict(month=economy.month, firm=aid, old=old, new=new))
            what = "downgrade" if new > old else "upgrade"
            economy.record_event(what, aid, f"{LETTERS[old]} -> {LETTERS[new]}: {why}; spread "
                                 f"{notch_spread(new, economy.params) * 1e4:,.0f} bp", float(new - old))
            if old <= IG < new:
                economy.record_event("fallen angel", aid, f"{LETTERS[new]}: below investment grade", 0.0)
                fallen.append(firm)
        for firm in fallen:
            if not firm.defaulted:
                economy.credit.fallen_angel_sales(firm)
