"""The calendar of the economy: what happens on a trading day and on the first day of a month.

A month is a table of phases run in order. A phase is either an agent group and the method every
live (not defaulted) agent of the group runs — in the order of the group's Mesa ``AgentSet``
(the roster order, and so reproducibility; ``Economy.live_members``) — or a service of the economy and its method, or
the monthly settlement of the contracts of a phase (:meth:`ContractBook.settle`: issuer by issuer
in roster order). The contract phases are a closed set, :data:`~ailoop.model.contracts.SETTLE_PHASES`,
each run once a month here in that order; a contract class naming any other phase is refused
when it is defined. See ``docs/model.md`` for the economics of each step.
"""

from __future__ import annotations

from dataclasses import dataclass

from ailoop.model.contracts import SETTLE_PHASES


@dataclass(frozen=True)
class Phase:
    """One step of the month: ``who`` is an agent group (``agents:<group>``), a service
    (``service:<attribute>``) or a contract phase (``contracts:<phase>``); ``what`` the method."""

    who: str
    what: str = ""
    when: str = ""  # a parameter flag that must be on for the phase to run ("" = always)

    def run(self, economy) -> None:
        if self.when and not economy.params[self.when]:
            return
        kind, name = self.who.split(":", 1)
        if kind == "agents":
            for agent in economy.live_members(getattr(economy, name)):  # (as AgentSet.do, in the group's order)
                getattr(agent, self.what)()
        elif kind == "service":
            getattr(getattr(economy, name), self.what)()
        else:
            economy.book.settle(economy.ctx, name, economy.ledger.index)


MONTH: tuple[Phase, ...] = (
    # the new month: flows reset, demand moves, fire-sale impact fades, new money for funds and lenders
    Phase("agents:everyone", "new_month"),
    Phase("service:demand", "new_month"),
    Phase("service:gpu_market", "recover"),
    Phase("agents:venture_funds", "raise_lp_commitments"),
    Phase("agents:bond_buyers", "draw_inflow"),
    # supply: chips, construction, capacity online
    Phase("agents:chipmakers", "supply"),
    Phase("agents:capacity_owners", "construct"),
    # use and billing of capacity
    Phase("agents:labs", "use_capacity"),
    Phase("contracts:billing"),
    Phase("agents:spvs", "wind_down"),
    Phase("agents:hyperscalers", "earn"),
    Phase("agents:providers", "earn"),
    Phase("service:gpu_market", "spot_market"),
    Phase("agents:capacity_owners", "pay_capacity_opex"),
    Phase("agents:labs", "earn"),
    Phase("agents:chipmakers", "operate"),
    # finance: conversions and preferred dividends, debt service, staged investments, warrants,
    # clearing of dues, new money
    Phase("contracts:conversions"),
    Phase("service:credit", "service"),
    Phase("contracts:investments"),
    Phase("contracts:warrants"),
    Phase("service:defaults", "clear"),
    Phase("agents:labs", "raise_if_short"),
    Phase("agents:providers", "finance"),
    Phase("agents:hyperscalers", "finance"),
    Phase("agents:everyone", "settle_arrears"),
    # collateral and defaults
    Phase("service:gpu_market", "update"),
    Phase("service:defaults", "margin_calls"),
    Phase("agents:chipmakers", "decide_intents"),
    Phase("agents:chipmakers", "consider_rescues", when="rescues"),
    Phase("agents:hyperscalers", "consider_rescues", when="rescues"),
    Phase("agents:providers", "consider_rescues", when="rescues"),
    Phase("service:defaults", "covenants", when="defaults"),
    Phase("service:defaults", "resolve", when="defaults"),
    # plans: capacity, capex, new contracts
    Phase("agents:providers", "plan_capacity"),
    Phase("agents:hyperscalers", "invest"),
    Phase("agents:labs", "sign_for_growth"),
    Phase("agents:capacity_owners", "review_capex"),
    # payouts, depreciation, prices
    Phase("agents:chipmakers", "buy_back"),
    Phase("agents:hyperscalers", "buy_back"),
    Phase("agents:providers", "pay_dividend"),
    Phase("agents:capacity_owners", "depreciate"),
    Phase("agents:chipmakers", "reprice"),
    Phase("service:gpu_market", "update"),
    Phase("service:rounds", "mark_to_comparables"),
    Phase("service:transactions", "mark_all"),
    Phase("service:credit", "mark_debt"),
    Phase("agents:labs", "close_month"),
    Phase("service:fundamentals", "close_month"),
    Phase("service:ratings", "review"),
    Phase("service:exchange", "close_month"),
    Phase("service:book", "prune"),
)

#: the plans run once at the start too: orders and builds already under way in September 2025
PLAN: tuple[Phase, ...] = MONTH[MONTH.index(Phase("agents:providers", "plan_capacity")):][:3]


#: the contract phases of the month, in the order the month runs them: exactly the closed set
CONTRACT_PHASES: tuple[str, ...] = tuple(p.who.split(":", 1)[1] for p in MONTH if p.who.startswith("contracts:"))
if CONTRACT_PHASES != SETTLE_PHASES:  # pragma: no cover - a programming error caught at import
    raise RuntimeError(f"the month runs contract phases {CONTRACT_PHASES}; the protocol allows {SETTLE_PHASES}")


def run_month(economy) -> None:
    """Run every phase of the month, in order."""
    for phase in MONTH:
        phase.run(economy)
