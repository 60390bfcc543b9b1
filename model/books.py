"""The books check: every accounting identity, verified independently of the posting code.

:meth:`BooksCheck.check` verifies each agent's trial balance, cash against provenance and
per-source conservation (``Ledger.check``). With ``full`` it also

* replays the journal and compares it with the live balances, entry by entry: debits equal
  credits, every line touches an account its transaction type may touch (the chart in
  ``model/postings.py``), and cash paid under a contract goes between its two parties;
* reconciles every balance a registry explains: the contract-backed accounts with each contract's
  ``booked()`` lines, GPUs, plant and construction with the fleets, the revaluation reserve with
  the marks each stake and warrant has booked (plus the bond marks), other assets with the
  opening balance sheet;
* checks that no firm has more shares held than outstanding.

Paid-in capital and retained earnings are then pinned as well: every asset and liability and the
revaluation reserve are reconciled, A = L + E holds, and the chart keeps capital postings and
profit-and-loss postings apart. A broken identity raises
:class:`~ailoop.model.ledger.AccountingError` naming the step, the agent and the imbalance.
"""

from __future__ import annotations

from ailoop.model.contracts import CONTRACT_ACCOUNTS
from ailoop.model.ledger import AccountingError

#: accounts fully explained by a capacity owner's fleet
FLEET_ACCOUNTS = ("gpus", "dc_plant", "construction")


class BooksCheck:
    """Checks the economy's books (one per economy: ``economy.books``)."""

    def __init__(self, economy):
        self.economy = economy
        economy.ledger.add_reconciler(self.registry_positions)

    def registry_positions(self) -> list[tuple[str, str, float, float]]:
        """(agent, account, booked in the ledger, according to the registries) for every account
        the contract and fleet registries explain."""
        economy = self.economy
        booked = economy.book.booked_totals()
        for owner in economy.capacity_owners:
            for agent, account, value in owner.fleet.reconcile():
                booked[(agent, account)] = booked.get((agent, account), 0.0) + value
        led = economy.ledger
        out = [(agent, account, led.get(agent, account), booked.get((agent, account), 0.0))
               for agent in led.agent_ids for account in (*CONTRACT_ACCOUNTS, *FLEET_ACCOUNTS)]
        marks = economy.book.revaluation()
        p = economy.params
        for agent in led.agent_ids:
            # the reserve holds the marks booked by stakes and warrants and by bonds
            out.append((agent, "revaluation", led.get(agent, "revaluation"),
                        marks.get(agent, 0.0) + led.get(agent, "bond_valuation")))
            opening = 0.0 if economy.agent(agent).defaulted else p.get(f"open_other_assets_{agent}", 0.0)
            out.append((agent, "other_assets", led.get(agent, "other_assets"), opening))
        return out

    def check(self, full: bool = True) -> None:
        """Raise :class:`AccountingError` if any identity is broken (see the module docstring)."""
        economy = self.economy
        economy.ledger.check(reconcile=full)
        if not full:
            return
        for firm in economy.firms:
            held = economy.book.shares_held(firm.aid)
            if held > firm.shares * (1 + 1e-9) + 1e-12:
                raise AccountingError(f"step {economy.steps}: {firm.aid}: holders have {held:.6f}bn shares "
                                      f"but only {firm.shares:.6f}bn are outstanding (agent: {firm.aid})")
