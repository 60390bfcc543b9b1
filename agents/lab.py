"""AI labs: ``lab`` (OpenAI-like), ``lab_spv`` (xAI-like, whose GPUs an SPV buys and leases to it) and,
in the history world, ``lab_2`` (Anthropic-like).

Each month a lab's end-user demand ($B a month of what users would spend) is served as far as its
compute allows: revenue = min(demand, GW served × revenue per GW). It pays its compute bills
(capacity contracts, leases, compute bought from vendors outside the model), a revenue share to
its hyperscaler partner and its other operating costs. When its cash covers fewer months of net
burn than ``runway_trigger_months`` it raises a round from venture funds and strategic investors;
chip_leader's staged investment arrives as it deploys GW. When demand outgrows its contracted
capacity it signs new capacity contracts. In the history world ``lab`` and ``lab_2`` compete for
one pool of end-user demand (``model/demand.py``).

**Decisions and the deal book.** Until ``decides_from`` (a model month; 0 in the baseline) the
lab's financing and contracting are what the deal book says it did (``model/history/``): it raises
no round and signs nothing on its own. From then on it decides: rounds, new contracts, and the
letters of intent it holds — each signed once its definitive contract starts within
``intent_lead_months`` if the lab can fund its next year, let lapse once its start has passed
unsigned. **The compute plan** (:meth:`AILab.cut_compute_plan`): told to keep what it will pay for
compute through a date within a budget, the lab lets lapse the intents it holds, latest start
first, until the plan fits; binding contracts it keeps (cancelling them would cost their fees).
"""

from __future__ import annotations

import math

from ailoop.agents.base import Firm
from ailoop.model.contracts import Contract, pay_or_owe


class AILab(Firm):
    family = "lab"
    public = False

    def __init__(self, model, aid: str, shares: float, price: float, *, demand_0: float, revenue_per_gw: float,
                 opex_0: float, opex_growth: float, partner: str | None, revenue_share: float,
                 contracting: bool):
        super().__init__(model, aid, shares, price)
        self.demand_0 = demand_0  # $B per month of end-user demand at the start
        self.revenue_per_gw_0 = revenue_per_gw  # $B per GW-year
        self.opex_0 = opex_0  # $B per month
        self.opex_growth = opex_growth  # per year
        self.partner = partner
        self.revenue_share = revenue_share
        self.contracting = contracting
        self.burn_history: list[float] = []  # monthly net burn ($B), newest last
        self.revenue_history: list[float] = []
        self.demand_history: list[float] = []  # end-user demand ($B/month): usage the market can see
        self.last_round_month = -10**6
        self.served_gw = 0.0
        self.used_gw = 0.0
        self.needed_gw = 0.0
        self.rounds_raised = 0
        self.round_shortfall = 0.0  # $B asked in rounds and not filled, cumulative
        self.decides_from = 0  # model month from which it decides its rounds, contracts and intents
        self.external_gw = 0.0  # GW it was served this month from capacity outside the model

    # ---------------------------------------------------------------- demand and capacity
    def demand(self) -> float:
        return self.demand_0 * self.ctx.demand_index(self.aid)

    def revenue_per_gw(self) -> float:
        return self.revenue_per_gw_0 * (1.0 + self.params["revenue_per_gw_growth"]) ** (self.ctx.month / 12.0)

    def compute_contracts(self) -> list[Contract]:
        """Every contract under which this lab is delivered compute (capacity contracts, leases)."""
        return self.book.held_by(self.aid, Contract.delivered_gw)

    def leased_gw(self) -> float:
        """GW of GPU fleets leased whole to this lab."""
        month = self.ctx.month
        return self.book.total(self.book.held_by(self.aid, Contract.leased_fleet_gw), lambda c: c.leased_fleet_gw(month))

    def deployed_gw(self, vendor: str | None = None) -> float:
        """GW online serving this lab (optionally only capacity built on ``vendor``'s chips)."""
        month = self.ctx.month
        return self.book.total(self.compute_contracts(), lambda c: c.delivered_gw(month, vendor))

    def use_capacity(self) -> None:
        """Decide how much of the served GW to use; record the use per contract for billing.
        ``used_gw`` is the GW it uses of modelled capacity (what the GPU market sees); GW from
        vendors outside the model are used in the same share."""
        self.served_gw = self.deployed_gw()
        per_gw_month = self.revenue_per_gw() / 12.0
        self.needed_gw = self.demand() / per_gw_month
        used = min(self.served_gw, self.needed_gw)
        share = used / self.served_gw if self.served_gw > 0 else 0.0
        outside = self.book.held_by(self.aid, Contract.external_gw)
        if outside:
            m = self.ctx.month
            self.external_gw = self.book.total(outside, lambda c: c.external_gw(m))
            self.used_gw = share * (self.served_gw - self.external_gw)
        else:
            self.used_gw = used
        for c in self.book.held_by(self.aid, Contract.record_use):
            c.record_use(self.ctx.month, share)

    def earn(self) -> None:
        """End-user revenue, the partner's revenue share, and non-compute operating costs."""
        revenue = min(self.demand(), self.served_gw * self.revenue_per_gw() / 12.0)
        self.ledger.receive_external(self.aid, "end_users", revenue, "retained", "end-user revenue")
        self.add_flow("revenue_ai", revenue)
        self.revenue_history.append(revenue)
        self.demand_history.append(self.demand())
        if self.partner and revenue > 0:
            share = self.revenue_share * revenue
            pay_or_owe(self.ledger, self.book, self.aid, self.partner, share, "retained", "retained", "revenue share")
            self.add_flow("revenue_share", share)
            self.ctx.agent(self.partner).add_flow("revenue_ai", share)
        opex = self.opex_0 * (1.0 + self.opex_growth) ** (self.ctx.month / 12.0)
        self.pay_opex(opex, "lab operating costs")

    def close_month(self) -> None:
        """Record the month's net burn (costs less revenue, $B; positive = burning cash)."""
        f = self.flow
        costs = f.get("compute_cost", 0.0) - f.get("credits_used", 0.0) + f.get("opex", 0.0) + f.get("revenue_share", 0.0)
        self.burn_history.append(costs - f.get("revenue_ai", 0.0))

    def trailing_burn(self, months: int = 3) -> float:
        h = self.burn_history[-months:]
        return sum(h) / len(h) if h else 0.0

    def runway_months(self) -> float:
        burn = self.trailing_burn()
        return self.cash / burn if burn > 1e-9 else float("inf")

    # ---------------------------------------------------------------- financing
    def decides(self) -> bool:
        """Does the lab take its own financing and contracting decisions this month (the deal
        book's period is over for it)?"""
        return self.ctx.month >= self.decides_from

    def raise_if_short(self) -> None:
        """Raise a round when the runway is short: size = projected burn over the target months."""
        p = self.params
        if not self.decides():
            return
        self.consider_intents()
        if self.runway_months() >= p["runway_trigger_months"]:
            return
        self.sell_warrants()
        if self.runway_months() >= p["runway_trigger_months"]:
            return
        if self.ctx.month - self.last_round_month < p["round_interval_months"]:
            return  # investors will not see the lab again so soon
        self.last_round_month = self.ctx.month
        burn = max(self.trailing_burn(), 0.0)
        committed = self.committed_monthly()
        target = max(burn, committed) * p["round_target_months"] - self.cash
        if target > 0.5:
            minimum = min(target, self.funding_gap(int(p["round_min_runway_months"])))
            raised = self.ctx.raise_round(self, target, minimum)
            self.rounds_raised += 1
            self.round_shortfall += max(0.0, target - raised)
            if raised < p["failed_round_share"] * target and p["renegotiation"]:
                self.renegotiate()

    def sell_warrants(self) -> None:
        """Short of cash, the lab exercises its vested warrants (paying the strike to the issuer)
        and sells the shares in the market: the sale weighs on the issuer's price."""
        ctx = self.ctx
        for w in self.book.held_by(self.aid, Contract.exercisable):
            n = w.exercise(ctx)
            if n <= 0:
                continue
            issuer = ctx.agent(w.issuer)
            raised = ctx.sell_shares(self.aid, issuer, n, reason="lab sells warrant shares")
            ctx.record_event("warrant shares sold", self.aid, f"{n * 1e3:,.0f}M {issuer.aid} shares", raised)

    def renegotiate(self) -> None:
        """The round fell short: cancel commitments not yet online, latest start first, paying
        each contract's cancellation fee, until the next 24 months are funded."""
        m = self.ctx.month
        pending = [(c, c.walk_away(m)) for c in self.book.held_by(self.aid, Contract.walk_away)]
        pending = sorted([(c, terms) for c, terms in pending if terms is not None], key=lambda ct: -ct[1][1])
        for c, (fee, _) in pending:
            if self.funding_gap(24) <= 0:
                break
            self.ctx.cancel_capacity_contract(c, f"{self.aid} cannot fund it (round fell short)", fee_claim=fee)

    def funding_gap(self, months: int = 12) -> float:
        """$B the lab lacks to pay its next ``months`` months: projected costs of its contracts
        as they come online, operating costs, revenue share and arrears, less projected revenue
        (at today's level, capped by capacity) and cash. Positive = a hole to fill."""
        m = self.ctx.month
        compute = self.book.total(self.book.held_by(self.aid, Contract.payments_ahead),
                                  lambda c: c.payments_ahead(m, months))
        opex = self.opex_0 * (1.0 + self.opex_growth) ** (m / 12.0) * months
        revenue = (self.revenue_history[-1] if self.revenue_history else 0.0) * months
        credits = sum(k.prepaid_compute() for k in self.book.held_by(self.aid, Contract.prepaid_compute))
        costs = compute + opex + self.revenue_share * revenue + self.balance("payables")
        return max(0.0, costs - revenue - self.cash - credits)

    def investable(self) -> float:
        """$B venture funds could still put into this lab at today's appetite (their available
        capital x ``vc_appetite`` x the round appetite, capped at 1)."""
        ctx = self.ctx
        return sum(f.available() for f in ctx.venture_funds()) * self.params["vc_appetite"] \
            * min(1.0, ctx.round_appetite(self))

    def payment_odds(self) -> float:
        """How much of what this lab has promised its providers the market believes it will pay,
        in [0, 1]: the share of its funding gap over the next ``credit_view_months`` months that
        the venture money in sight covers (1 when there is no gap, 0 once it has defaulted).
        Analysts discount a customer's backlog by it: the promises that lifted the providers'
        prices on the way up are marked down when the customer's funding dries up."""
        if self.defaulted:
            return 0.0
        gap = self.funding_gap(int(self.params["credit_view_months"]))
        if gap <= 1e-9:
            return 1.0
        return min(1.0, self.investable() / gap)

    def committed_monthly(self) -> float:
        """$B a month the lab's signed capacity contracts will cost once fully online."""
        return sum(c.run_rate_cost() / 12.0 for c in self.book.held_by(self.aid, Contract.run_rate_cost))

    def sign_for_growth(self) -> None:
        """Quarterly: if demand two years out would exceed contracted GW, contract the gap.

        Projected need = today's demand grown at the trailing revenue growth (capped), in GW at the
        projected revenue per GW. New contracts go to a provider that can finance them, at the
        going price per GW-year (``Economy.capacity_price``: capex recovered over the term).
        """
        ctx, p = self.ctx, self.params
        if not self.contracting or ctx.month % 3 != 0 or ctx.month < 3 or not self.decides():
            return
        contracted = self.book.total(self.book.held_by(self.aid, Contract.planned_gw), Contract.planned_gw)
        g = min(max(self.trailing_growth(), 0.0), p["lab_max_planning_growth"])
        horizon_years = 2.0
        future_rev_per_gw = self.revenue_per_gw() * (1.0 + p["revenue_per_gw_growth"]) ** horizon_years
        need = self.demand() * 12.0 * (1.0 + g) ** horizon_years / future_rev_per_gw
        gap = need - contracted
        gw = min(gap, p["lab_max_contract_gw"])
        # prudence: the next three years, with the new contract, must be fundable from cash, revenue
        # and the venture money investors could still put in at today's appetite
        new_cost = gw * ctx.capacity_price(int(p["contract_term_months"])) * (36 - int(p["build_months"])) / 12.0
        solvent = (self.funding_gap(36) + new_cost <= self.investable() and self.ctx.overdue(self.aid) <= 1e-9)
        providers = [x for x in ctx.providers() if x.can_finance(gw)]
        if gap > p["lab_min_contract_gw"] and solvent and providers:
            term = int(p["contract_term_months"])
            provider = min(providers, key=lambda x: ctx.capacity_price(term, x))  # the cheapest offer
            ctx.sign_capacity_contract(self.aid, provider.aid, gw=gw, price_per_gw_year=ctx.capacity_price(term, provider),
                                       term_months=term, start_month=ctx.month + int(p["build_months"]),
                                       chip_vendor="chip_leader", name="organic growth")

    # ---------------------------------------------------------------- intents and the compute plan
    def intents(self) -> list[Contract]:
        """The letters of intent that would commit this lab if signed (``Contract.intended``)."""
        return [c for c in self.book.held_by(self.aid, Contract.intended) if c.intended() > 0]

    def consider_intents(self) -> None:
        """Sign each intent whose definitive contract starts within ``intent_lead_months`` if the
        lab's next year is funded (no funding gap, no arrears); let lapse those whose start has
        passed unsigned."""
        m = self.ctx.month
        lead = int(self.params["intent_lead_months"])
        for c in self.intents():
            start = c.definitive.start_month if hasattr(c.definitive, "start_month") else m
            if start < m:
                c.lapse(self.ctx, f"{self.aid} did not sign it before it was due to start")
            elif start <= m + lead and self.funding_gap(12) <= 0 and self.balance("payables") <= 1e-9:
                c.sign(self.ctx)

    def compute_plan(self, until_month: int) -> float:
        """$B the lab plans to pay for compute from now through ``until_month``: its contracts'
        payments and what its intents' definitive contracts would add."""
        m = self.ctx.month
        n = max(0, until_month - m + 1)
        binding = self.book.total(self.book.held_by(self.aid, Contract.payments_ahead),
                                  lambda c: c.payments_ahead(m, n))
        return binding + sum(c.definitive.payments_ahead(m, n) for c in self.intents())

    def cut_compute_plan(self, budget: float, until_month: int) -> float:
        """Keep the compute the lab plans to pay for through ``until_month`` within ``budget`` $B:
        let lapse its intents, latest start first, until the plan fits (binding contracts stay).
        Returns the plan after the cut, $B."""
        before = self.compute_plan(until_month)
        lapsed = 0
        for c in sorted(self.intents(), key=lambda c: -getattr(c.definitive, "start_month", 0)):
            if self.compute_plan(until_month) <= budget:
                break
            c.lapse(self.ctx, f"{self.aid} cuts its compute plan to {budget:,.0f} $B")
            lapsed += 1
        after = self.compute_plan(until_month)
        self.ctx.record_event("compute plan cut", self.aid, f"payments planned through month {until_month}: "
                              f"{before:,.0f} -> {after:,.0f} $B (budget {budget:,.0f} $B; {lapsed} intents "
                              f"lapsed, binding contracts kept)", before - after)
        return after

    def trailing_growth(self) -> float:
        """Yearly log growth of revenue over the last six months."""
        return _six_month_growth(self.revenue_history)

    def demand_growth(self) -> float:
        """Yearly log growth of end-user demand (usage) over the last six months."""
        return _six_month_growth(self.demand_history)

    def demand_growth_year(self) -> float:
        """Log growth of end-user demand (usage) over the last twelve months."""
        h = self.demand_history
        if len(h) < 13 or h[-13] <= 0 or h[-1] <= 0:
            return 0.0
        return math.log(h[-1] / h[-13])


def _six_month_growth(h: list[float]) -> float:
    if len(h) < 7 or h[-7] <= 0 or h[-1] <= 0:
        return 0.0
    return 2.0 * math.log(h[-1] / h[-7])
