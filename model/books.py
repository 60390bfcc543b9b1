"""The books check: every accounting identity, verified independently of the posting code.

:meth:`BooksCheck.check` verifies each agent's trial balance, cash against provenance and
per-source conservation (``Ledger.check``); with ``full`` it also reconciles every
contract-backed account with the contract registry (each contract's ``booked()`` lines) and the
fleet registry (GPUs, plant, construction), and checks that no firm has more shares held than
outstanding. A broken identity raises :class:`~ailoop.model.ledger.AccountingError` naming the
step, the agent and the imbalance.
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
        self.checked_version = (-1, -1)  # (contracts version, marks version) at the last full check
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
        return [(agent, account, led.get(agent, account), booked.get((agent, account), 0.0))
                for agent in led.agent_ids for account in (*CONTRACT_ACCOUNTS, *FLEET_ACCOUNTS)]

    def due(self) -> bool:
        """Whether a full check is due after this step (contracts or marks changed since the last)."""
        economy = self.economy
        return (economy.version, economy.marks_version) != self.checked_version

    def check(self, full: bool = True) -> None:
        """Raise :class:`AccountingError` if any identity is broken (see the module docstring)."""
        economy = self.economy
        economy.ledger.check(reconcile=full)
        if not full:
            return
        self.checked_version = (economy.version, economy.marks_version)
        for firm in economy.firms:
            held = economy.book.shares_held(firm.aid)
            if held > firm.shares * (1 + 1e-9) + 1e-12:
                raise AccountingError(f"step {economy.steps}: {firm.aid}: holders have {held:.6f}bn shares "
                                      f"but only {firm.shares:.6f}bn are outstanding (agent: {firm.aid})")
