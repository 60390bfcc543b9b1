"""Private funding rounds of the AI labs.

A round seeks ``size`` $B at the lab's current price per share (the last round's price; the
valuation model of the equity-market layer replaces ``round_price``). Venture funds offer
according to their capital and appetite; the lab's strategic hyperscaler partner offers a share
of the round, part of it as cloud credits instead of cash. The round is filled pro rata up to the
size; unfilled demand for money is the lab's funding gap. New shares are issued to the investors.
"""

from __future__ import annotations

from model.contracts import CloudCredits, EquityStake


class RoundMaker:
    def __init__(self, economy):
        self.eco = economy
        self.history: list[dict] = []

    def round_price(self, lab) -> float:
        """$ per share of the new round (the last round's price in the core economy)."""
        return lab.price

    def raise_round(self, lab, size: float) -> float:
        """Run a round of ``size`` $B for ``lab``; returns the $B raised (cash plus credits)."""
        eco, p = self.eco, self.eco.params
        price = self.round_price(lab)
        offers: list[tuple[object, float]] = [(f, f.offer(size)) for f in eco.venture_funds]
        strategic = eco.agents_by_id.get(lab.partner) if lab.partner else None
        if strategic is not None:
            offers.append((strategic, min(size * p["strategic_round_share"], max(0.0, strategic.cash))))
        total = sum(x for _, x in offers)
        fill = min(1.0, size / total) if total > 0 else 0.0
        raised = 0.0
        for investor, offer in offers:
            x = offer * fill
            if x <= 1e-9:
                continue
            if investor.family == "venture":
                investor.raise_cash(x)
                x = min(x, investor.cash)
                eco.invest_equity(investor.aid, lab.aid, x, price)
            else:  # strategic hyperscaler: part in cloud credits, rest in cash
                credits = x * p["strategic_credit_share"]
                self.grant_credits_for_equity(investor, lab, credits, price)
                eco.invest_equity(investor.aid, lab.aid, x - credits, price)
            raised += x
        self.history.append(dict(month=eco.month, lab=lab.aid, size=size, raised=raised, price=price))
        lab.add_flow("equity_raised", raised)
        return raised

    def grant_credits_for_equity(self, hyperscaler, lab, amount: float, price: float) -> None:
        """Shares paid for with cloud credits: no cash moves, both sides book a prepaid claim."""
        if amount <= 0:
            return
        eco = self.eco
        eco.ledger.post([(lab.aid, "prepaid", amount), (lab.aid, "paid_in", -amount)], "shares for cloud credits")
        eco.ledger.post([(hyperscaler.aid, "equity_stakes", amount), (hyperscaler.aid, "deferred_revenue", -amount)],
                        "cloud credits for shares")
        eco.book.add(CloudCredits(holder=lab.aid, issuer=hyperscaler.aid, unused=amount, granted=amount))
        eco.add_shares(hyperscaler.aid, lab, amount / price, price)
