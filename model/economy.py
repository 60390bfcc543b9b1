"""The economy: a Mesa model of the AI circular-financing loop.

One step is one trading day (21 a month, 252 a year) from 1 September 2025. On the first trading
day of each month the real economy runs (demand, chip deliveries, construction, capacity
billing, revenue and costs, debt service, staged investments, financing and capex decisions,
payouts, depreciation, GPU prices); dated deals fire on their day; every step is recorded and,
with ``checks`` on, the books are checked.

Usage::

    from ailoop.model import Economy
    eco = Economy(scenario="baseline", seed=1, real_demand_growth=0.3)
    eco.run(years=1)
    eco.check_books()
    df = eco.datacollector.get_model_vars_dataframe()
"""

from __future__ import annotations

import calendar
import datetime as dt

import mesa
import numpy as np

from ailoop.agents.bond_buyer import BondBuyer
from ailoop.agents.chipmaker import Chipmaker
from ailoop.agents.cloud import CloudProvider
from ailoop.agents.households import RetailSector
from ailoop.agents.institutions import InstitutionalSector
from ailoop.agents.hyperscaler import Hyperscaler
from ailoop.agents.lab import AILab
from ailoop.agents.neocloud import Neocloud
from ailoop.agents.spv import GpuSpv
from ailoop.agents.venture import VentureFund
from ailoop.model.contracts import (
    CONTRACT_ACCOUNTS,
    pay_or_owe,
    Bond,
    CapacityContract,
    CloudCredits,
    ContractBook,
    EquityStake,
    GpuLoan,
    settle_arrears,
)
from ailoop.model.credit import CreditMarket
from ailoop.model.deals import BASELINE_DEALS
from ailoop.model.defaults import DefaultEngine
from ailoop.model.demand import DemandProcess
from ailoop.model.exchange import Exchange
from ailoop.model.markets.sentiment import round_appetite
from ailoop.model.ledger import AccountingError, Ledger
from ailoop.model.metrics import EconomyCollector
from ailoop.model.params import resolve
from ailoop.model.rounds import RoundMaker
from ailoop.model.scenarios import get_scenario
from ailoop.model.shocks import Shock

STEPS_PER_MONTH = 21
STEPS_PER_YEAR = 252
START = dt.date(2025, 9, 1)
HYPERS = ("hyper_1", "hyper_2", "hyper_3", "hyper_4")
#: firms whose payments to each other count as cash paid in loop deals
LOOP_FIRMS = ("lab", "lab_spv", "cloud", "neocloud", "chip_leader", "chip_challenger", *HYPERS, "spv")


class Economy(mesa.Model):
    """The AI-loop economy. Keyword arguments other than ``scenario`` and ``seed`` are parameters."""

    def __init__(self, scenario: str = "baseline", seed: int | None = None, **params):
        sc = get_scenario(scenario)
        self.params = resolve(params, sc.params)
        super().__init__(seed=seed)
        self.scenario = sc
        self.start = START
        self.month = 0
        self.day = 0
        self.book = ContractBook()
        self.contract_use: dict[int, float] = {}
        self.events: list[dict] = []  # announcements and other dated events (date, event, agent, size)
        self.version = 0  # bumped whenever contracts or capacity change (caches key on it)
        self.marks_version = 0  # bumped when stakes are re-marked or traded (the daily market)
        self._checked_version = (-1, -1)
        self._build_agents()
        self.credit = CreditMarket(self)
        self.rounds = RoundMaker(self)
        self._open_books()
        self.exchange = Exchange(self)
        self.exchange.open_positions()
        p = self.params
        streams = {"lab": 1.0, "lab_spv": 1.0, "rest_of_market": p["hyper_demand_exposure"]}
        streams.update({h: p["hyper_demand_exposure"] for h in HYPERS})
        self.demand = DemandProcess(self.rng, streams, p["real_demand_growth"], p["demand_volatility"],
                                    p["demand_idio_volatility"])
        self.pending_deals = sorted(BASELINE_DEALS, key=lambda d: d.date)
        self.pending_shocks: list[Shock] = []
        self.defaults = DefaultEngine(self)
        self.utilisation = p["rent_utilisation_ref"]
        self.gpu_rent = p["rent_ref"]
        self.gpu_price_used = self._used_gpu_price()
        self.gpu_price_used_0 = self.gpu_price_used
        for shock in sc.shocks:
            self.apply_shock(shock)
        self.ledger.add_reconciler(self._reconcile)
        self._plan()  # orders and builds already under way in September 2025
        self.datacollector = EconomyCollector(self)

    # ================================================================ construction
    def _build_agents(self) -> None:
        p, o = self.params, self._open
        n_bb = int(p["n_bond_buyers"])
        bond_ids = [f"bond_{k:02d}" for k in range(n_bb)]
        ids = ["lab", "lab_spv", "cloud", "neocloud", "chip_leader", "chip_challenger", *HYPERS, "spv",
               "vc_levered", "vc_1", "vc_2", *bond_ids, "retail", "traders"]
        self.ledger = Ledger(ids, groups={b: "bond_buyers" for b in bond_ids})
        mk = {}
        mk["lab"] = AILab(self, "lab", o("shares", "lab"), o("price", "lab"), demand_0=p["lab_demand_0"],
                          revenue_per_gw=p["lab_revenue_per_gw"], opex_0=p["lab_opex_0"],
                          opex_growth=p["lab_opex_growth"], partner="hyper_1",
                          revenue_share=p["revenue_share_partner"], contracting=p["lab_contracting"])
        mk["lab_spv"] = AILab(self, "lab_spv", o("shares", "lab_spv"), o("price", "lab_spv"),
                              demand_0=p["lab_spv_demand_0"], revenue_per_gw=p["lab_revenue_per_gw"],
                              opex_0=p["lab_spv_opex_0"], opex_growth=p["lab_opex_growth"], partner=None,
                              revenue_share=0.0, contracting=False)
        cloud_kw = dict(non_ai_income=p["cloud_non_ai_income"], non_ai_costs=p["cloud_non_ai_costs"],
                        dividend=p["cloud_dividend"])
        mk["cloud"] = CloudProvider(self, "cloud", o("shares", "cloud"), o("price", "cloud"), **cloud_kw)
        mk["neocloud"] = Neocloud(self, "neocloud", o("shares", "neocloud"), o("price", "neocloud"),
                                  non_ai_income=0.0, non_ai_costs=0.05, dividend=0.0)
        for aid, pre in (("chip_leader", "leader"), ("chip_challenger", "challenger")):
            mk[aid] = Chipmaker(self, aid, o("shares", aid), o("price", aid), gpu_price=p[f"gpu_price_{pre}"],
                                capacity=p[f"{pre}_capacity"], capacity_growth=p[f"{pre}_capacity_growth"],
                                gross_margin=p[f"{pre}_gross_margin"], opex=p[f"{pre}_opex"],
                                non_ai_revenue=p[f"{pre}_non_ai_revenue"],
                                rest_of_market_demand=p[f"{pre}_rest_of_market"], cash_target=o("cash", aid))
        for h in HYPERS:
            shares = {"chip_leader": o("leader_share", h), "chip_challenger": o("challenger_share", h)}
            mk[h] = Hyperscaler(self, h, o("shares", h), o("price", h), ocf=p["hyper_ocf_total"] * o("ocf_share", h) / 12.0,
                                capex_annual=o("capex", h), vendor_shares=shares,
                                own_demand_gw=o("own_demand_gw", h), cash_target=o("cash", h))
        mk["spv"] = GpuSpv(self, "spv", 0.0, 1.0)
        mk["vc_levered"] = VentureFund(self, "vc_levered", dry_powder=p["vc_levered_dry_powder"],
                                       appetite=p["vc_appetite"], max_ticket=p["vc_max_ticket"],
                                       margin_ltv=p["vc_levered_margin_ltv"])
        mk["vc_1"] = VentureFund(self, "vc_1", dry_powder=p["vc_dry_powder"] * 0.3, appetite=p["vc_appetite"],
                                 max_ticket=p["vc_max_ticket"])
        mk["vc_2"] = VentureFund(self, "vc_2", dry_powder=p["vc_dry_powder"] * 0.7, appetite=p["vc_appetite"],
                                 max_ticket=p["vc_max_ticket"])
        caps = self.rng.dirichlet(np.full(n_bb, 4.0)) * p["credit_capacity"]
        for k, b in enumerate(bond_ids):
            frac = k / max(1, n_bb - 1)
            mk[b] = BondBuyer(self, b, capacity=float(caps[k]), required_spread=p["bond_buyer_spread_max"] * frac,
                              max_leverage=p["bond_buyer_leverage_min"]
                              + (p["bond_buyer_leverage_max"] - p["bond_buyer_leverage_min"]) * (1.0 - frac))
        mk["retail"] = RetailSector(self, "retail")
        mk["traders"] = InstitutionalSector(self, "traders")
        self.agents_by_id = mk
        self.chipmakers = {a: mk[a] for a in ("chip_leader", "chip_challenger")}
        self.labs = [mk["lab"], mk["lab_spv"]]
        self.hyperscalers = [mk[h] for h in HYPERS]
        self.providers = [mk["cloud"], mk["neocloud"]]
        self.capacity_owners = [mk["cloud"], mk["neocloud"], *self.hyperscalers, mk["spv"]]
        self.venture_funds = [mk["vc_levered"], mk["vc_1"], mk["vc_2"]]
        self.bond_buyers = [mk[b] for b in bond_ids]
        self.firms = [a for a in mk.values() if hasattr(a, "shares") and a.aid != "spv"]
        self.public_firms = [a for a in self.firms if a.public]

    def _open(self, item: str, agent: str) -> float:
        return self.params[f"open_{item}_{agent}"]

    def _open_books(self) -> None:
        """Opening balance sheets (September 2025) and the contracts already in force."""
        p, o, L = self.params, self._open, self.ledger
        for a in self.agents_by_id.values():
            for item in ("cash", "other_assets"):
                key = f"open_{item}_{a.aid}"
                if key in p and p[key] > 0:
                    L.open_position(a.aid, item, p[key])
        life = int(p["gpu_life_months"])
        for owner in self.capacity_owners:
            key = f"open_online_gw_{owner.aid}"
            if key in p and p[key] > 0:
                gw = p[key]
                owner.fleet.open_existing(L, gw, p["gpus_per_gw"], gw * o("gpu_book_per_gw", "other"),
                                          gw * o("plant_book_per_gw", "other"), 0, life,
                                          int(o("gpu_age_months", "other")), "chip_leader")
        # opening debt: bonds (GPU-backed loans for the neocloud) spread over the bond buyers
        rf = p["risk_free_rate"]
        for a in self.agents_by_id.values():
            key = f"open_debt_{a.aid}"
            if key not in p or p[key] <= 0:
                continue
            total = p[key]
            spread = p[{"cloud": "spread_cloud", "neocloud": "spread_neocloud", "vc_levered": "spread_margin_loan"}.get(
                a.aid, "spread_investment_grade")]
            L.open_position(a.aid, "debt", total)
            n_tr = 10 if a.family != "venture" else 1
            for k in range(n_tr):
                face_tr = total / n_tr
                buyer = self.bond_buyers[(k * 7 + len(a.aid)) % len(self.bond_buyers)]
                L.open_position(buyer.aid, "bonds_held", face_tr)
                common = dict(holder=buyer.aid, issuer=a.aid, face=face_tr, coupon=rf + spread, spread=spread)
                if a.aid == "neocloud":
                    units = o("online_gw", "neocloud") * p["gpus_per_gw"] / n_tr
                    c = GpuLoan(**common, issued_month=-12, maturity_month=36, ltv_limit=p["gpu_loan_ltv_limit"],
                                collateral_units=units, amort_months=36)  # 36 of 48 months left
                elif a.family == "venture":
                    c = Bond(**common, issued_month=-12, maturity_month=24)
                else:
                    c = Bond(**common, issued_month=-60, maturity_month=6 + 12 * k)
                c.spread = self.credit.spread(a)  # opening bonds are priced at today's spread
                self.book.add(c)
        # opening equity stakes
        lab, lab_spv = self.agents_by_id["lab"], self.agents_by_id["lab_spv"]
        links = p["cross_holdings"]
        self._open_stake("hyper_1", lab, o("hyper_1_lab_share", "other") * lab.shares * links)
        for f in ("vc_levered", "vc_1", "vc_2"):
            self._open_stake(f, lab, o("lab_share", f) * lab.shares)
        for f in ("vc_1", "vc_2"):
            self._open_stake(f, lab_spv, o("lab_spv_share", f) * lab_spv.shares)
        self._open_stake("chip_leader", self.agents_by_id["neocloud"],
                         o("leader_neocloud_share", "other") * self.agents_by_id["neocloud"].shares * links)
        self._open_stake("vc_levered", self.chipmakers["chip_leader"], o("leader_shares", "vc_levered"))
        credits = o("credits_unused", "other")
        if credits > 0:
            L.post([("lab", "prepaid", credits), ("lab", "paid_in", -credits)], "opening cloud credits")
            L.post([("hyper_1", "deferred_revenue", -credits), ("hyper_1", "paid_in", credits)], "opening cloud credits")
            self.book.add(CloudCredits(holder="lab", issuer="hyper_1", unused=credits, granted=credits))
        # capacity contracts in force in September 2025 (assumptions, see docs/model.md)
        cp = p["contract_price_per_gw_year"]
        self.sign_capacity_contract("lab", "hyper_1", gw=1.2, price_per_gw_year=8.0, term_months=48, start_month=0,
                                    name="lab-hyper_1 (existing)", announce=False)
        self.sign_capacity_contract("lab", "cloud", gw=0.3, price_per_gw_year=10.0, term_months=48, start_month=0,
                                    name="lab-cloud (existing)", announce=False)
        self.sign_capacity_contract("lab", "neocloud", gw=15.9 / (p["neocloud_price_per_gw_year"] * 5.0),
                                    price_per_gw_year=p["neocloud_price_per_gw_year"], term_months=60, start_month=0,
                                    name="lab-neocloud (existing $15.9B)", announce=False)
        self.sign_capacity_contract("lab_spv", "cloud", gw=0.2, price_per_gw_year=12.0, term_months=48, start_month=0,
                                    name="lab_spv-cloud (existing)", announce=False)
        self.sign_capacity_contract("hyper_1", "neocloud", gw=0.3, price_per_gw_year=cp, term_months=48, start_month=0,
                                    name="hyper_1-neocloud (existing)", announce=False)
        other = o("cloud_other_rpo", "other")
        self.sign_capacity_contract("rest_of_market", "cloud", gw=other / (12.0 * 5.0), price_per_gw_year=12.0,
                                    term_months=60, start_month=6, name="cloud other customers", announce=False)

    def _open_stake(self, holder: str, issuer, shares: float) -> None:
        if shares <= 0:
            return
        value = shares * issuer.price
        self.ledger.open_position(holder, "equity_stakes", value)
        self.book.add(EquityStake(holder=holder, issuer=issuer.aid, shares=shares, mark=issuer.price))

    # ================================================================ services for agents
    def agent(self, aid: str):
        return self.agents_by_id[aid]

    def date_of_month(self, month: int, day: int = 0) -> dt.date:
        """Calendar date of trading day ``day`` of model month ``month``."""
        m = self.start.month - 1 + month
        y = self.start.year + m // 12
        mo = m % 12 + 1
        ndays = calendar.monthrange(y, mo)[1]
        return dt.date(y, mo, 1) + dt.timedelta(days=int(day * ndays / STEPS_PER_MONTH))

    def schedule_deal(self, deal) -> None:
        """Add a dated deal event (fires on the first trading day on or after its date)."""
        self.pending_deals.append(deal)
        self.pending_deals.sort(key=lambda d: d.date)

    @property
    def date(self) -> dt.date:
        """Calendar date of the current step (trading days spread evenly over the month)."""
        return self.date_of_month(self.month, self.day)

    def capex_per_gw(self) -> float:
        """All-in $B per GW at current chip_leader prices."""
        p = self.params
        return p["shell_capex_per_gw"] + p["gpus_per_gw"] * self.chipmakers["chip_leader"].gpu_price

    def capacity_price(self, term_months: int, provider=None) -> float:
        """$B per GW-year a provider asks for new capacity: today's all-in capex per GW recovered
        over the term at the provider's cost of debt (an annuity), plus operating cost. For the
        cloud at the opening GPU price this gives ~$13.3B per GW-year, the lab-cloud contract's
        price (derived)."""
        p = self.params
        spread = self.credit.spread(provider) if provider is not None else p["spread_cloud"]
        r = p["risk_free_rate"] + spread
        n = term_months / 12.0
        crf = r / (1.0 - (1.0 + r) ** -n) if r > 0 else 1.0 / n
        return self.capex_per_gw() * crf + 12.0 * p["capacity_opex_per_gw_month"]

    def custom_silicon_price(self) -> float:
        return self.params["custom_silicon_discount"] * self.chipmakers["chip_leader"].gpu_price

    def rent_per_gw_month(self) -> float:
        """Spot rent in $B per GW-month ($/GPU-hour x GPUs per GW x 730 hours)."""
        return self.gpu_rent * self.params["gpus_per_gw"] * 1e6 * 730.0 / 1e9

    def providers_for_new_contracts(self) -> list:
        return self.live(self.providers)

    def sign_capacity_contract(self, buyer: str, provider: str, *, gw: float, price_per_gw_year: float,
                               term_months: int, start_month: int, chip_vendor: str = "chip_leader",
                               name: str = "", announce: bool = True) -> CapacityContract:
        p = self.params
        c = CapacityContract(holder=buyer, issuer=provider, gw=gw, price_per_gw_year=price_per_gw_year,
                             term_months=term_months, start_month=start_month, take_or_pay=p["take_or_pay"],
                             cancel_fee_share=p["cancel_fee_share"], chip_vendor=chip_vendor, name=name)
        self.book.add(c)
        if announce:
            self.record_event("contract signed", provider, f"{name}: {gw:.2f} GW with {buyer}", c.total_value)
        return c

    def add_shares(self, holder: str, issuer, shares: float, price: float, new_issue: bool = True) -> None:
        """Register ``shares`` (billions) of ``issuer`` with ``holder`` (the asset is booked by the caller)."""
        stake = self.book.stake(holder, issuer.aid)
        if stake is None:
            stake = self.book.add(EquityStake(holder=holder, issuer=issuer.aid, shares=0.0, mark=price))
        else:
            stake.remark(self.ledger, price)
        stake.shares += shares
        if new_issue:
            issuer.shares += shares

    def outside_shares(self, firm) -> float:
        """Billions of ``firm``'s shares held outside the model (the float agents can buy from)."""
        held = sum(c.shares for c in self.book.issued_by(firm.aid, "equity"))
        return max(0.0, firm.shares - held)

    def invest_equity(self, investor: str, issuer: str, amount: float, price: float, retag: str | None = None) -> None:
        """``investor`` buys ``amount`` $B of newly issued ``issuer`` shares at ``price`` $/share."""
        target = self.agents_by_id[issuer]
        if target.shares <= 0:  # a new vehicle: first shares at its par price
            price = target.price
        if amount <= 1e-12 or target.defaulted or not price > 0:
            return  # nobody invests in a defaulted or worthless firm
        self.ledger.transfer(investor, issuer, amount, "equity_stakes", "paid_in", "equity investment", retag=retag)
        self.add_shares(investor, target, amount / price, price)
        self.agents_by_id[investor].add_flow("equity_invested", amount)

    def defaultable(self) -> list:
        """Agents that can default: the labs, firms, the SPV and the levered fund."""
        return [a for a in (*self.labs, *self.providers, *self.chipmakers.values(), *self.hyperscalers,
                            self.agents_by_id["spv"], self.agents_by_id["vc_levered"]) if not a.defaulted]

    def cancel_capacity_contract(self, c: CapacityContract, reason: str, fee_claim: float = 0.0) -> None:
        """End a capacity contract; the buyer owes ``fee_claim`` $B (cash or arrears); the
        provider loses the backlog and the capacity becomes free."""
        lost = c.remaining_value()
        c.active = False
        c.online_gw = 0.0
        if fee_claim > 0 and c.holder in self.ledger.index:
            pay_or_owe(self.ledger, self.book, c.holder, c.issuer, fee_claim, "retained", "retained",
                       "cancellation fee")
        self.record_event("contract cancelled", c.issuer, f"{c.name or 'capacity'} with {c.holder}: {reason}; "
                          f"backlog lost {lost:,.1f} $B, fee {fee_claim:,.1f} $B", lost)
        self.version += 1

    def cancel_chip_order(self, o, reason: str) -> None:
        """Cancel the undelivered part of a chip order; the vendor keeps the prepayment."""
        if o.prepaid > 0:
            x = o.prepaid
            if o.holder in self.ledger.index:
                self.ledger.post([(o.holder, "prepaid", -x), (o.holder, "retained", x)], "prepayment forfeited")
            self.ledger.post([(o.issuer, "deferred_revenue", x), (o.issuer, "retained", -x)], "prepayment kept")
            o.prepaid = 0.0
        lost = o.undelivered_value()
        o.active = False
        vendor = self.agents_by_id.get(o.issuer)
        if vendor is not None and hasattr(vendor, "queue"):
            vendor.queue = [q for q in vendor.queue if q is not o]
        proj = o.project
        if proj is not None and proj.units_needed > 0:
            proj.gw *= proj.units_installed / proj.units_needed
            proj.units_needed = proj.units_installed
        self.record_event("chip order cancelled", o.issuer, f"{o.holder}: {reason}", lost)

    def sell_shares(self, holder: str, issuer, shares: float, reason: str = "sale") -> float:
        """``holder`` sells ``shares`` (billions) of listed ``issuer`` to outside holders at the
        current price; returns the $B raised."""
        stake = self.book.stake(holder, issuer.aid)
        if stake is None or shares <= 0:
            return 0.0
        stake.remark(self.ledger, issuer.price)
        n = min(shares, stake.shares)
        x = n * issuer.price
        self.ledger.receive_external(holder, "other_shareholders", x, "equity_stakes", f"shares sold ({reason})")
        self.exchange.add_flow(issuer.aid, -x)
        stake.shares -= n
        if stake.shares <= 1e-15:
            stake.shares, stake.active = 0.0, False
        self.agents_by_id[holder].add_flow("shares_sold", x)
        return x

    def record_event(self, event: str, agent: str, cause: str, size: float = 0.0) -> None:
        if hasattr(self, "exchange"):
            self.exchange.add_news(agent, event, size)
        self.events.append(dict(step=self.steps, date=self.date.isoformat(), event=event, agent=agent, cause=cause,
                                size=size))

    # ================================================================ the step
    def step(self) -> None:
        t = self.steps - 1
        self.ledger.step = self.steps
        self.month, self.day = divmod(t, STEPS_PER_MONTH)
        if self.day == 0:
            self._run_month()
            self.version += 1
        self._fire_deals()
        self.exchange.trade_day()
        self.datacollector.collect(self)
        if self.params["checks"]:
            self.check_books(full=(self.version, self.marks_version) != self._checked_version)

    def run(self, years: float = 1.0) -> None:
        """Run ``years`` years of trading days (252 steps a year)."""
        for _ in range(int(round(years * STEPS_PER_YEAR))):
            self.step()

    def apply_shock(self, shock: Shock) -> None:
        """Apply ``shock`` now if it has no date or its date has come, else schedule it."""
        if shock.date is None or shock.date <= self.date and self.steps > 0:
            shock.apply(self)
            self.version += 1
            self.record_event("shock", "", shock.describe())
        else:
            self.pending_shocks.append(shock)
            self.pending_shocks.sort(key=lambda s: s.date)

    def set_params(self, changes: dict) -> None:
        """Change parameters mid-run (validated values; shocks use this)."""
        self.params = {**self.params, **changes}

    def _fire_deals(self) -> None:
        today = self.date
        while self.pending_shocks and self.pending_shocks[0].date <= today:
            self.apply_shock(self.pending_shocks.pop(0))
        while self.pending_deals and self.pending_deals[0].date <= today:
            deal = self.pending_deals.pop(0)
            size = deal.apply(self)
            self.version += 1
            for firm in deal.announced_by or ("",):
                self.record_event("deal announced", firm, deal.name, size)

    def live(self, agents) -> list:
        """The agents of ``agents`` that have not defaulted."""
        return [a for a in agents if not a.defaulted]

    def _run_month(self) -> None:
        eco_agents = self.live(self.agents_by_id.values())
        for a in eco_agents:
            a.new_month()
        self.contract_use.clear()
        if self.month > 0:
            self.demand.advance()
        self.defaults.recover_used_price()
        mood = round_appetite(self.exchange.sentiment.value) ** 2  # LPs commit far less in bad times
        for f in self.live(self.venture_funds):
            f.raise_commitments(self.params["lp_commitments"] * mood / len(self.venture_funds))
        for b in self.bond_buyers:  # so do the credit funds' own investors
            b.capacity += self.params["credit_inflow"] * mood / len(self.bond_buyers)
        chips = self.live(self.chipmakers.values())
        owners = self.live(self.capacity_owners)
        labs = self.live(self.labs)
        providers = self.live(self.providers)
        hypers = self.live(self.hyperscalers)
        # supply: chips, construction, capacity online
        for chip in chips:
            chip.take_outside_orders(self.demand.index("rest_of_market"))
            chip.produce_and_deliver()
        for owner in owners:
            owner.build_shells()
            owner.allocate(self.month)
        # use and billing of capacity
        for lab in labs:
            lab.use_capacity()
        for owner in owners:
            owner.bill_contracts()
        if not self.agents_by_id["spv"].defaulted:
            self.agents_by_id["spv"].collect_lease()
        for h in hypers:
            h.earn()
        for c in providers:
            c.earn()
        self._spot_market()
        for owner in owners:
            owner.pay_capacity_opex()
        for lab in labs:
            lab.earn()
        for chip in chips:
            chip.operate()
        # finance: debt service, investments, clearing of dues, new money
        self.credit.service()
        self._staged_investments()
        self._vest_warrants()
        self.defaults.clear()
        for lab in labs:
            lab.raise_if_short()
        for c in providers:
            c.finance()
        for h in hypers:
            h.finance()
        for a in eco_agents:
            settle_arrears(self.ledger, self.book, a.aid)
        # collateral and defaults
        self._update_gpu_market()
        self.defaults.margin_calls()
        if self.params["defaults"]:
            self.defaults.resolve()
        self._plan()
        # payouts, depreciation, prices, households
        for f in self.live([*chips, *hypers]):
            f.buy_back()
        for c in self.live(providers):
            c.pay_dividend()
        for owner in self.live(owners):
            owner.depreciate()
        for chip in self.live(chips):
            chip.reprice()
        self._update_gpu_market()
        self._mark_to_market()
        self.credit.mark_bonds()
        for lab in self.live(labs):
            lab.close_month()
        self.exchange.close_month()
        self.book.prune()

    def _plan(self) -> None:
        """Capacity plans (providers, hyperscalers) and the labs' new contracts."""
        for c in self.live(self.providers):
            c.plan_capacity()
        for h in self.live(self.hyperscalers):
            h.invest()
        for lab in self.live(self.labs):
            lab.sign_for_growth()

    # ---------------------------------------------------------------- monthly mechanisms
    def _spot_market(self) -> None:
        """Unmodelled buyers rent idle capacity, pro rata to each provider's idle GW."""
        demand = self.params["spot_demand_gw_0"] * self.demand.index("rest_of_market")
        sellers = [o for o in self.capacity_owners if o.free_gw > 0]
        free = sum(o.free_gw for o in sellers)
        for o in self.capacity_owners:
            o.spot_gw = 0.0
        if free <= 0:
            return
        for o in sellers:
            o.sell_spot(min(1.0, demand / free) * o.free_gw)

    def capacity_used_gw(self) -> float:
        used = sum(lab.used_gw for lab in self.labs)
        used += self.agents_by_id["spv"].online_gw if self.agents_by_id["lab_spv"].used_gw > 0 else 0.0
        used -= min(used, self.agents_by_id["lab_spv"].leased_gw())  # leased GW are inside lab_spv's use
        for o in self.capacity_owners:
            used += o.self_used_gw + o.spot_gw
            used += sum(c.online_gw for c in o.contracts_sold() if c.holder not in ("lab", "lab_spv"))
        return used

    def capacity_built_gw(self) -> float:
        return sum(o.online_gw for o in self.capacity_owners)

    def _update_gpu_market(self) -> None:
        """Spot rent from utilisation; used-GPU price from the new price, age and rent."""
        p = self.params
        built = self.capacity_built_gw()
        self.utilisation = min(1.0, self.capacity_used_gw() / built) if built > 0 else p["rent_utilisation_ref"]
        self.gpu_rent = p["rent_ref"] * (max(self.utilisation, 0.05) / p["rent_utilisation_ref"]) ** p["rent_elasticity"]
        self.gpu_price_used = self._used_gpu_price()

    def used_gpu_price_at(self, age_months: float) -> float:
        """$ thousand per used GPU of ``age_months``: new price x remaining life share x rent
        relative to reference (capped at 1) x the lingering fire-sale impact."""
        p = self.params
        life_left = max(0.0, 1.0 - age_months / p["gpu_life_months"])
        impact = self.defaults.used_price_impact if hasattr(self, "defaults") else 1.0
        return self.chipmakers["chip_leader"].gpu_price * life_left * min(1.0, self.gpu_rent / p["rent_ref"]) * impact

    def _used_gpu_price(self) -> float:
        """$ thousand per used GPU of the fleet's average age (the ``gpu_price_used`` output)."""
        units = sum(o.fleet.units() for o in self.capacity_owners)
        age = sum(o.fleet.units() * o.fleet.mean_age(self.month) for o in self.capacity_owners) / units if units else 0.0
        return self.used_gpu_price_at(age)

    def _staged_investments(self) -> None:
        for s in self.book.of_kind("staged_investment"):
            lab = self.agents_by_id[s.issuer]
            due = s.due(lab.deployed_gw(s.holder))
            investor = self.agents_by_id[s.holder]
            x = min(due, max(0.0, investor.cash))
            if x > 1e-9:
                self.invest_equity(s.holder, s.issuer, x, self.rounds.round_price(lab), retag="chipmaker_investment")
                s.invested += x
                self.record_event("staged investment paid", s.holder,
                                  f"{lab.deployed_gw(s.holder) - s.gw_base:.1f} GW deployed", x)

    def _vest_warrants(self) -> None:
        for w in self.book.of_kind("warrant"):
            holder = self.agents_by_id[w.holder]
            new = w.vest(self.ledger, holder.deployed_gw(w.issuer), self.agents_by_id[w.issuer].price)
            if new > 0:
                self.record_event("warrants vested", w.holder, f"{new * 1000:.0f}M {w.issuer} shares", new)

    def trade_with_outside(self, holder: str, firm, shares: float, price: float) -> None:
        """``holder`` buys (``shares`` > 0) or sells listed ``firm``'s shares from/to outside holders
        at ``price`` $/share; the stake must already be marked at ``price``."""
        x = abs(shares) * price
        if x <= 0:
            return
        if shares > 0:
            self.ledger.pay_external(holder, "other_shareholders", x, "equity_stakes", "shares bought")
            self.add_shares(holder, firm, shares, price, new_issue=False)
        else:
            stake = self.book.stake(holder, firm.aid)
            if stake is None:  # nothing left to sell (a rounding remainder in the population)
                return
            n = min(-shares, stake.shares)
            self.ledger.receive_external(holder, "other_shareholders", n * price, "equity_stakes", "shares sold")
            stake.shares -= n
            if stake.shares <= 1e-15:
                stake.shares, stake.active = 0.0, False

    def mark_private(self, firm) -> None:
        """Mark every stake in private ``firm`` to its last round's price."""
        for s in self.book.issued_by(firm.aid, "equity"):
            if s.mark != firm.price:
                s.remark(self.ledger, firm.price)

    def mark_listed(self) -> None:
        """Mark every stake in a listed firm, and every warrant, to today's price (one journal
        entry per holder)."""
        delta: dict[str, float] = {}
        for s in self.book.of_kind("equity"):
            issuer = self.agents_by_id.get(s.issuer)
            if issuer is not None and issuer.public and s.mark != issuer.price:
                delta[s.holder] = delta.get(s.holder, 0.0) + s.shares * (issuer.price - s.mark)
                s.mark = issuer.price
        for holder, d in delta.items():
            self.ledger.post([(holder, "equity_stakes", d), (holder, "revaluation", -d)], "mark listed stakes")
        for w in self.book.of_kind("warrant"):
            w.remark(self.ledger, self.agents_by_id[w.issuer].price)

    def _mark_to_market(self) -> None:
        for s in self.book.of_kind("equity"):
            issuer = self.agents_by_id.get(s.issuer)
            if issuer is not None and s.mark != issuer.price:
                s.remark(self.ledger, issuer.price)
        for w in self.book.of_kind("warrant"):
            w.remark(self.ledger, self.agents_by_id[w.issuer].price)

    # ================================================================ checks
    def _reconcile(self) -> list[tuple[str, str, float, float]]:
        booked = self.book.booked_totals()
        for owner in self.capacity_owners:
            for agent, account, value in owner.fleet.reconcile():
                booked[(agent, account)] = booked.get((agent, account), 0.0) + value
        out = []
        for agent in self.ledger.agent_ids:
            for account in (*CONTRACT_ACCOUNTS, "gpus", "dc_plant", "construction"):
                out.append((agent, account, self.ledger.get(agent, account), booked.get((agent, account), 0.0)))
        return out

    def check_books(self, full: bool = True) -> None:
        """Raise :class:`~model.ledger.AccountingError` if any accounting identity is broken.

        Every call checks each agent's trial balance, cash against provenance and per-source
        conservation; ``full`` also reconciles the books with the contract and fleet registries and
        checks that no firm has more shares held than outstanding.
        """
        self.ledger.check(reconcile=full)
        if not full:
            return
        self._checked_version = (self.version, self.marks_version)
        held: dict[str, float] = {}
        for s in self.book.of_kind("equity"):
            held[s.issuer] = held.get(s.issuer, 0.0) + s.shares
        for firm in self.firms:
            if held.get(firm.aid, 0.0) > firm.shares * (1 + 1e-9) + 1e-12:
                raise AccountingError(f"step {self.steps}: {firm.aid}: holders have {held[firm.aid]:.6f}bn shares "
                                      f"but only {firm.shares:.6f}bn are outstanding (agent: {firm.aid})")
