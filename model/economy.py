"""The economy: a Mesa model of the AI circular-financing loop.

One step is one trading day (21 a month, 252 a year) from 1 September 2025. On the first trading
day of each month the real economy runs (``model/schedule.py``: demand, chip deliveries,
construction, capacity billing, revenue and costs, debt service, staged investments, financing
and capex decisions, defaults, payouts, depreciation, GPU prices); dated deals and shocks fire on
their day; the equity market trades every day; every step is recorded and, with ``checks`` on,
the books are checked.

The model is its services, built in dependency order: the ledger, the contract registry and the
event log (model core); the agents (``model/roster.py``); sentiment, credit, funding rounds, the
GPU market, transactions and defaults; the opening balance sheets (``model/opening_books.py``);
the exchange; demand, the deal calendar, and the data collector.

Usage::

    from ailoop.model import Economy
    economy = Economy(scenario="baseline", seed=1, real_demand_growth=0.3)
    economy.run(years=1)
    economy.check_books()
    df = economy.datacollector.get_model_vars_dataframe()
"""

from __future__ import annotations

import calendar
import datetime as dt
import secrets

import mesa

from ailoop.agents.base import EconomicAgent, Firm
from ailoop.agents.capacity_owner import CapacityOwner
from ailoop.agents.chipmaker import Chipmaker
from ailoop.agents.cloud import CloudProvider
from ailoop.agents.bond_buyer import BondBuyer
from ailoop.agents.hyperscaler import Hyperscaler
from ailoop.agents.lab import AILab
from ailoop.agents.spv import GpuSpv
from ailoop.agents.venture import VentureFund
from ailoop.model.books import BooksCheck
from ailoop.model.contracts import ContractBook
from ailoop.model.credit import CreditMarket
from ailoop.model.deals import DealEvent
from ailoop.model.defaults import DefaultEngine
from ailoop.model.demand import DemandProcess
from ailoop.model.economy_context import EconomyContext
from ailoop.model.equity_desk import EquityDesk
from ailoop.model.fundamentals import Fundamentals
from ailoop.model.ratings import RatingAgency
from ailoop.model.events import EventLog
from ailoop.model.exchange import Exchange
from ailoop.model.gpu_market import GpuMarket
from ailoop.model.ledger import Ledger
from ailoop.model.markets.sentiment import Sentiment, SentimentParams
from ailoop.model.opening_books import open_books
from ailoop.model.params import resolve
from ailoop.model.roster import agent_ids, bond_buyer_ids, build_agents
from ailoop.model.rounds import RoundMaker
from ailoop.model.scenarios import get_scenario
from ailoop.model.schedule import PLAN, run_month
from ailoop.model.shocks import Shock
from ailoop.model.transactions import Transactions
from ailoop.model.worlds import world

STEPS_PER_MONTH = 21
STEPS_PER_YEAR = 252
START = dt.date(2025, 9, 1)


class Economy(mesa.Model):
    """The AI-loop economy.

    The headline dials are named keyword arguments (``None`` = the scenario's value, else the
    parameter table's default); any other parameter of the table (``ailoop params``) may be
    passed as a keyword argument. Every value is checked against the table before anything runs:
    a bad one raises :class:`~ailoop.model.params.ParameterError` naming it and what is allowed.
    ``seed`` ``None`` draws a fresh seed (kept in :attr:`seed`, so the run can be repeated).
    """

    def __init__(self, scenario: str = "baseline", seed: int | None = None, *, base: str | None = None,
                 shock_date=None, real_demand_growth: float | None = None, backlog_pricing: float | None = None,
                 cross_holdings: bool | None = None, retail_holders: int | None = None,
                 n_traders: int | None = None, checks: bool | None = None, **kwargs):
        dials = dict(real_demand_growth=real_demand_growth, backlog_pricing=backlog_pricing,
                     cross_holdings=cross_holdings, retail_holders=retail_holders, n_traders=n_traders, checks=checks)
        params = {**kwargs, **{k: v for k, v in dials.items() if v is not None}}
        self.scenario = get_scenario(scenario)
        self.base = self.scenario.on(base)  # the world the scenario applies on top of
        self.shocks = self.scenario.shocks_at(shock_date)
        self.world = world(self.base)
        self.params = resolve(params, self.scenario.settings(self.base))
        self.seed = secrets.randbits(32) if seed is None else seed
        super().__init__(seed=self.seed)
        self.start, self.month, self.day = START, 0, 0
        self._months: dict[int, tuple[dt.date, int]] = {}  # first day and length of each month (date_of_month)
        self._date = self.date_of_month(0, 0)
        self.version = 0  # bumped whenever contracts or capacity change (caches key on it)
        self._live_sets: dict[int, tuple] = {}  # live agents of each group (see _live)
        self._build_core()
        self._build_services()
        open_books(self)
        self.world.open(self)
        self.exchange = Exchange(self)
        self.gpu_market.open()
        for owner in self.capacity_owners:  # builds under way in September 2025
            owner.open_pipeline(int(self.params["opening_pipeline_months"]))
        self._build_calendar()
        for phase in PLAN:  # orders and builds already under way in September 2025
            phase.run(self)
        self.datacollector = self.world.collector(self)

    # ================================================================ construction
    def _build_core(self) -> None:
        p = self.params
        n_bb = int(p["n_bond_buyers"])
        self.ledger = Ledger(agent_ids(n_bb, self.world.roster), groups={b: "bond_buyers" for b in bond_buyer_ids(n_bb)})
        self.book = ContractBook()
        self.event_log = EventLog()
        self.ctx = EconomyContext(self)  # what agents and contracts see of the economy
        build_agents(self, self.world.roster)
        self._by_id = {a.aid: a for a in self.agents.select(agent_type=EconomicAgent)}
        select = self.agents.select
        self.everyone = select(agent_type=EconomicAgent)
        self.labs = select(agent_type=AILab)
        self.providers = select(agent_type=CloudProvider)
        self.capacity_owners = select(agent_type=CapacityOwner)
        self.chipmakers = select(agent_type=Chipmaker)
        self.hyperscalers = select(agent_type=Hyperscaler)
        self.spvs = select(agent_type=GpuSpv)
        self.venture_funds = select(agent_type=VentureFund)
        self.bond_buyers = select(agent_type=BondBuyer)
        self.firms = select(lambda a: isinstance(a, Firm) and a.in_loop_value)
        self.public_firms = self.firms.select(lambda a: a.public)
        self.loop_firms = select(agent_type=Firm)
        self.chipmaker_ids = self.ctx.chipmaker_ids = frozenset(a.aid for a in self.chipmakers)
        self._defaultable = select(lambda a: a.can_default)

    def _build_services(self) -> None:
        self.sentiment = Sentiment(SentimentParams.from_table(self.params))
        self.fundamentals = Fundamentals(self)
        self.ratings = RatingAgency(self)
        self.credit = CreditMarket(self)
        self.rounds = RoundMaker(self)
        self.transactions = Transactions(self)
        self.defaults = DefaultEngine(self)
        self.equity_desk = EquityDesk(self)
        self.gpu_market = GpuMarket(self)
        self.books = BooksCheck(self)

    def _build_calendar(self) -> None:
        p = self.params
        self.demand = DemandProcess(self.rng, self.world.demand_streams(p), p["real_demand_growth"],
                                    p["demand_volatility"], p["demand_idio_volatility"])
        self.world.setup(self)
        self.pending_deals: list[DealEvent] = sorted(self.world.deals(self), key=lambda d: d.date)
        self.pending_shocks: list[Shock] = []
        for shock in self.shocks:
            self.apply_shock(shock)

    # ================================================================ look-ups
    def agent(self, aid: str):
        """The agent with id ``aid`` (KeyError if none)."""
        return self._by_id[aid]

    def agent_or_none(self, aid: str):
        """The agent with id ``aid``, or None for an external party (e.g. ``intel``)."""
        return self._by_id.get(aid)

    def live(self, agents) -> mesa.agent.AgentSet:
        """The agents of ``agents`` (an AgentSet) that have not defaulted."""
        return self._live(agents)[1]

    def live_members(self, agents) -> list:
        """:meth:`live` as a list, in the group's order."""
        return self._live(agents)[0]

    def _live(self, agents) -> tuple[list, mesa.agent.AgentSet]:
        """(list, AgentSet) of the live agents of ``agents``, kept until one of the group defaults
        (every call compares the group's default flags with those the selection was made on)."""
        kept = self._live_sets.get(id(agents))
        if kept is not None and kept[0] is agents and len(agents) == len(kept[1]) \
                and [a.defaulted for a in kept[1]] == kept[2]:
            return kept[3], kept[4]
        members = list(agents)
        flags = [a.defaulted for a in members]
        alive = [a for a, out in zip(members, flags) if not out]
        selected = mesa.agent.AgentSet(alive, agents.random)
        self._live_sets[id(agents)] = (agents, members, flags, alive, selected)
        return alive, selected

    def defaultable(self) -> mesa.agent.AgentSet:
        """Agents that can default and have not: the labs, firms, the SPV and the levered fund."""
        return self.live(self._defaultable)

    @property
    def events(self) -> list[dict]:
        """Every event so far: ``step``, ``date``, ``event``, ``agent``, ``cause``, ``size`` ($B)."""
        return self.event_log.records

    def record_event(self, event: str, agent: str, cause: str, size: float = 0.0) -> None:
        """Log an event of today's date (the exchange hears announcements as news)."""
        self.event_log.record(self.steps, self.date.isoformat(), event, agent, cause, size)

    # ================================================================ calendar
    def date_of_month(self, month: int, day: int = 0) -> dt.date:
        """Calendar date of trading day ``day`` of model month ``month``."""
        first, ndays = self._months.get(month) or self._month_of(month)
        return first + dt.timedelta(days=int(day * ndays / STEPS_PER_MONTH))

    def _month_of(self, month: int) -> tuple[dt.date, int]:
        """(first calendar day, days) of model month ``month``, kept."""
        m = self.start.month - 1 + month
        y, mo = self.start.year + m // 12, m % 12 + 1
        out = self._months[month] = (dt.date(y, mo, 1), calendar.monthrange(y, mo)[1])
        return out

    @property
    def date(self) -> dt.date:
        """Calendar date of the current step (trading days spread evenly over the month)."""
        return self._date

    def schedule_deal(self, deal: DealEvent) -> None:
        """Add a dated deal event (fires on the first trading day on or after its date)."""
        self.pending_deals.append(deal)
        self.pending_deals.sort(key=lambda d: d.date)

    # ================================================================ the step
    def step(self) -> None:
        """One trading day: the month's real economy on its first day, dated deals and shocks, the
        equity market, the record, and the books check."""
        t = self.steps - 1
        self.ledger.step = self.steps
        self.month, self.day = divmod(t, STEPS_PER_MONTH)
        self._date = self.date_of_month(self.month, self.day)
        if self.day == 0:
            run_month(self)
            self.version += 1
        self._fire_deals()
        self.exchange.trade_day()
        self.datacollector.collect(self)
        if self.params["checks"]:
            self.books.check(full=self.steps % self.params["check_every"] == 0)

    def run(self, years: float = 1.0) -> None:
        """Run ``years`` years of trading days (252 steps a year); with ``checks`` on, the books get a
        full check at the end."""
        for _ in range(int(round(years * STEPS_PER_YEAR))):
            self.step()
        if self.params["checks"]:
            self.books.check(full=True)

    def check_books(self, full: bool = True) -> None:
        """Raise :class:`~ailoop.model.ledger.AccountingError` if any accounting identity is broken
        (``model/books.py``)."""
        self.books.check(full)

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
        """Change parameters mid-run (values already validated; shocks use this)."""
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
                self.record_event(deal.event, firm, deal.name, size)
