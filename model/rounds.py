"""Private funding rounds of the AI labs, and the marks of their shares between rounds.

**Price.** Investors value a lab at a multiple of its forward usage:
``V = m0 * exp(e * s) * (U * exp(h * g) + w * C)`` where ``U`` is what its users spend or would
spend a year (end-user demand, the last three months; revenue would add the steps of its
capacity coming online), ``g`` the yearly growth of that usage (capped to [-0.5, 1.5]),
``h`` = ``lab_multiple_growth_years``; ``m0`` falls by ``exp(-(lab_growth_expected -
lab_required_return) t)`` over ``t`` years, so that a lab whose usage grows as expected is worth
the opening valuation grown at investors' required return (its multiple compresses as the
growth they paid for is realised),
``s`` the AI sentiment and ``e`` = ``sentiment_multiple_elasticity``. ``C`` is the yearly cost of
the compute it has contracted, at weight ``w`` = ``lab_compute_weight``: 0 by default, because a
compute commitment is a liability of the signer, not an asset. ``m0`` is set so that the opening
valuation is the last round's (calibration: ~$500B). The round price per share is
``V / shares``: down rounds happen when revenue, growth or sentiment fall.

**Marks.** Every stake in a lab is marked at its last priced round; between rounds, once a
month, at that round's price times the change since the round in the listed AI firms' aggregate
price/sales multiple (listed comparables, as valuation guidelines have it), to the power
``private_mark_comparables`` (0 keeps the last round's price). Signing compute changes no mark.

**Size.** Venture funds offer according to their capital, their appetite, the AI sentiment
(``round_appetite``) and the lab's growth against expectations; the lab's strategic hyperscaler
partner offers a share of the round, part of it as cloud credits instead of cash. The round is
filled pro rata up to its size; a round that raises less than ``failed_round_share`` of its size has failed.

**Closing.** Investors' commitments are conditional on the round closing: if all offers together
do not reach the round's ``minimum`` (the lab passes what it needs to fund its next
``round_min_runway_months`` months), the round does not close and no money moves — nobody puts
money into a lab that would run out of cash within the year anyway.
"""

from __future__ import annotations

import math

from ailoop.model.contracts import CloudCredits, Contract
from ailoop.model.markets.sentiment import multiple_factor, round_appetite


def growth_gap(lab, expected: float) -> float:
    """The lab's usage growth against expectations (1/yr) as investors read it: the six-month
    growth (yearly rate) less ``expected`` (e.g. ``lab_growth_expected``). Before six months of usage are observed
    the shortfall is phased in with the months seen, n of 6: twice the log growth over the n
    months less ``expected`` x n / 6 (equal to the six-month gap at n = 6, so the
    evidence accumulates instead of arriving all at once in the sixth month)."""
    h = lab.demand_history
    n = min(len(h) - 1, 6)
    if n >= 6:
        return lab.demand_growth() - expected
    if n >= 1 and h[-1 - n] > 0 and h[-1] > 0:
        return 2.0 * math.log(h[-1] / h[-1 - n]) - expected * n / 6.0
    return 0.0


class RoundMaker:
    def __init__(self, economy):
        self.economy = economy
        self.history: list[dict] = []
        self._m0: dict[str, float] = {}
        self._last_round: dict[str, tuple[float, float]] = {}  # lab -> (price, comparables' multiple then)

    def _fundamental(self, lab) -> float:
        """Usage a year ($B: what the lab's users spend or would spend, the last three months x 4)
        grown for ``lab_multiple_growth_years`` at its yearly growth (capped), plus committed
        compute at ``lab_compute_weight``. Usage, not revenue: revenue is capped by the compute
        the lab happens to have online, and comes in steps as capacity does."""
        p = self.economy.params
        h = lab.demand_history
        use = 12.0 * (sum(h[-3:]) / len(h[-3:]) if h else lab.demand())
        g = lab.demand_growth_year() if len(h) >= 13 else p["lab_growth_expected"]
        g = min(max(g, -0.5), 1.5)
        compute = sum(c.run_rate_cost() for c in self.economy.book.held_by(lab.aid, Contract.run_rate_cost))
        return use * math.exp(p["lab_multiple_growth_years"] * g) + p["lab_compute_weight"] * compute

    def valuation(self, lab) -> float:
        """Post-money-style valuation investors would pay now, $B."""
        s = self.economy.sentiment.value
        p = self.economy.params
        el = p["sentiment_multiple_elasticity"]
        if lab.aid not in self._m0:  # calibrate to the last round's valuation at the start
            self._m0[lab.aid] = lab.market_cap / (multiple_factor(p["sentiment_0"], el)
                                                  * max(self._fundamental(lab), 1e-9))
        # the multiple on usage compresses as the growth investors paid for is realised: at the
        # expected growth the valuation grows at their required return
        years = self.economy.month / 12.0
        compress = math.exp(-(p["lab_growth_expected"] - p["lab_required_return"]) * years)
        return self._m0[lab.aid] * compress * multiple_factor(s, el) * self._fundamental(lab)

    def round_price(self, lab) -> float:
        """$ per share of a new round: the valuation over the shares outstanding."""
        return self.valuation(lab) / lab.shares

    def appetite(self, lab) -> float:
        """Multiplier on venture offers: sentiment and the lab's growth against expectations."""
        p = self.economy.params
        s = self.economy.sentiment.value
        return round_appetite(s, p["round_appetite_elasticity"]) * math.exp(p["round_growth_sensitivity"]
                                                                            * min(growth_gap(lab, p["lab_growth_expected"]), 0.0))

    def raise_round(self, lab, size: float, minimum: float = 0.0) -> float:
        """Run a round of ``size`` $B for ``lab``; returns the $B raised (cash plus credits).
        If the offers add up to less than ``minimum`` $B the round does not close and raises 0."""
        economy, p = self.economy, self.economy.params
        price = self.round_price(lab)
        if not price > 1e-6:  # nothing to price a round on: no investor will come
            economy.record_event("failed round", lab.aid, "no valuation", 0.0)
            return 0.0
        appetite = self.appetite(lab)
        offers: list[tuple[object, float]] = [(f, f.offer(size) * min(1.0, appetite))
                                              for f in economy.live(economy.venture_funds)]
        strategic = economy.agent_or_none(lab.partner) if lab.partner and p["cross_holdings"] else None
        if strategic is not None:
            offers.append((strategic, min(size * p["strategic_round_share"], max(0.0, strategic.cash))))
        total = sum(x for _, x in offers)
        if total < minimum - 1e-9:  # conditional commitments: the round does not close
            self._record(lab, size, 0.0, price, lab.price, appetite)
            economy.record_event("failed round", lab.aid, f"offers {total:,.1f} $B below the {minimum:,.1f} $B the next "
                             f"{int(p['round_min_runway_months'])} months need: round did not close "
                             f"(asked {size:,.1f} $B at ${price:,.0f}/share)", 0.0)
            return 0.0
        fill = min(1.0, size / total) if total > 0 else 0.0
        raised = 0.0
        for investor, offer in offers:
            x = offer * fill
            if x <= 1e-9:
                continue
            if investor.family == "venture":
                investor.raise_cash(x)
                x = min(x, investor.cash)
                economy.transactions.invest_equity(investor.aid, lab.aid, x, price)
            else:  # strategic hyperscaler: part in cloud credits, rest in cash
                credits = x * p["strategic_credit_share"]
                self.grant_credits_for_equity(investor, lab, credits, price)
                economy.transactions.invest_equity(investor.aid, lab.aid, x - credits, price)
            raised += x
        old = lab.price
        lab.price = price  # the last round sets the mark of every stake in the lab
        self._last_round[lab.aid] = (price, self.economy.exchange.comparables_multiple())
        economy.transactions.mark_private(lab)
        self._record(lab, size, raised, price, old, appetite)
        kind = ("failed round" if raised < p["failed_round_share"] * size
                else ("down round" if price < old else "round"))
        economy.record_event(kind, lab.aid, f"raised {raised:,.1f} of {size:,.1f} $B at ${price:,.0f}/share "
                         f"(previous ${old:,.0f}); sentiment {economy.sentiment.value:+.2f}", raised)
        lab.add_flow("equity_raised", raised)
        return raised

    def strategic_investment(self, investor: str, lab, amount: float) -> float:
        """``investor`` buys ``amount`` $B of new shares of ``lab`` outside a round (a rescue) at
        today's round price, which becomes the lab's last priced round (the mark of every stake in
        it). Returns the $ per share paid (0: no valuation, nothing bought)."""
        economy = self.economy
        price = self.round_price(lab)
        if not price > 1e-6 or amount <= 1e-12:
            return 0.0
        economy.transactions.invest_equity(investor, lab.aid, amount, price)
        lab.price = price
        self._last_round[lab.aid] = (price, economy.exchange.comparables_multiple())
        economy.transactions.mark_private(lab)
        lab.add_flow("equity_raised", amount)
        return price

    def priced_round(self, lab, price: float, size: float, raised: float) -> None:
        """A round priced outside the model's own rounds (a dated one of the deal book) closed at
        ``price`` $ per share: it sets the lab's mark, as a round of the model's own does."""
        old = lab.price
        lab.price = price
        self._last_round[lab.aid] = (price, self.economy.exchange.comparables_multiple())
        self.economy.transactions.mark_private(lab)
        self._record(lab, size, raised, price, old, 1.0)

    def mark_to_comparables(self) -> None:
        """Monthly: each live lab's mark is its last round's price x (the listed comparables'
        price/sales multiple now / at that round) ** ``private_mark_comparables``. The first call
        takes the opening valuation as the last round."""
        k = self.economy.params["private_mark_comparables"]
        now = self.economy.exchange.comparables_multiple()
        for lab in self.economy.labs:
            if lab.defaulted:
                continue
            if lab.aid not in self._last_round:
                self._last_round[lab.aid] = (lab.price, now)
                continue
            price, then = self._last_round[lab.aid]
            lab.price = price * (now / then) ** k if then > 0 and now > 0 else price

    def _record(self, lab, size: float, raised: float, price: float, previous: float, appetite: float) -> None:
        economy = self.economy
        self.history.append(dict(step=economy.steps, month=economy.month, date=economy.date.isoformat(), lab=lab.aid,
                                 size=size, raised=raised,
                                 price=price, previous_price=previous, appetite=appetite,
                                 sentiment=economy.sentiment.value))

    def grant_credits_for_equity(self, hyperscaler, lab, amount: float, price: float) -> None:
        """Shares paid for with cloud credits: no cash moves, both sides book a prepaid claim."""
        if amount <= 0:
            return
        economy = self.economy
        economy.ledger.post([(lab.aid, "prepaid", amount), (lab.aid, "paid_in", -amount)], "shares for cloud credits")
        economy.ledger.post([(hyperscaler.aid, "equity_stakes", amount), (hyperscaler.aid, "deferred_revenue", -amount)],
                        "cloud credits for shares")
        economy.book.add(CloudCredits(holder=lab.aid, issuer=hyperscaler.aid, unused=amount, granted=amount))
        economy.transactions.add_shares(hyperscaler.aid, lab, amount / price, price)
