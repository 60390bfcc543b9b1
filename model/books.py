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
* checks that no firm has more shares held than outstanding;
* reconciles the two market sectors with their populations: the ``traders`` sector's cash less
  its broker loan is the sum of the traders' own cash, and its stake in each firm the sum of
  their holdings; the ``retail`` sector's cash and stakes are what the holders' ETF units are
  worth at the NAV, and its stake in each firm the ETF's basket.

Paid-in capital and retained earnings are then pinned as well: every asset and liability and the
revaluation reserve are reconciled, A = L + E holds, and the chart keeps capital postings and
profit-and-loss postings apart. A broken identity raises
:class:`~ailoop.model.ledger.AccountingError` naming the step, the agent and the imbalance.
"""

from __future__ import annotations

import numpy as np

from ailoop.model.contracts import CONTRACT_ACCOUNTS
from ailoop.model.ledger import ACCOUNT_INDEX, AccountingError

#: accounts fully explained by a capacity owner's fleet
FLEET_ACCOUNTS = ("gpus", "dc_plant", "construction")
#: every account a registry explains
RECONCILED = (*CONTRACT_ACCOUNTS, *FLEET_ACCOUNTS, "revaluation", "other_assets")


class BooksCheck:
    """Checks the economy's books (one per economy: ``economy.books``)."""

    def __init__(self, economy):
        self.economy = economy
        led = economy.ledger
        self._cols = np.array([ACCOUNT_INDEX[a] for a in RECONCILED])
        p = economy.params
        self._other_assets = np.array([p.get(f"open_other_assets_{a}", 0.0) for a in led.agent_ids])
        self._agents = [economy.agent(a) for a in led.agent_ids]  # (in ledger order)
        self._alive: tuple[list, np.ndarray | None] = ([], None)  # who had not defaulted, and their other assets
        self._owners = [(led.index[o.aid], o) for o in economy.capacity_owners]
        self._fleet_lines: tuple = (None, None, np.zeros(0))  # (fleets and their changes, cells, $B)
        self._sector_stakes: dict[str, tuple] = {}  # a market sector's stakes in the listed firms
        led.add_reconciler(self.registry)

    def registry(self) -> tuple[np.ndarray, np.ndarray]:
        """What the registries say every reconciled account should hold: a ledger-shaped array of
        $B and the columns it covers. Contract-backed accounts from each contract's ``booked()``
        lines; GPUs, plant and construction from the fleets; the revaluation reserve from the marks
        booked by stakes and warrants plus the bond marks; other assets from the opening balance
        sheets (nothing left after a default)."""
        economy = self.economy
        led = economy.ledger
        reg = economy.book.booked_array(led.index, ACCOUNT_INDEX, led.balances.shape)
        changes = [(o.fleet, o.fleet.changes) for _, o in self._owners]
        if changes != self._fleet_lines[0]:  # (kept until a fleet changes: Fleet.changes)
            rows, cols, vals = [], [], []  # (one line per owner and account: no cell twice)
            for i, owner in self._owners:
                for _, account, value in owner.fleet.reconcile():
                    rows.append(i)
                    cols.append(ACCOUNT_INDEX[account])
                    vals.append(value)
            self._fleet_lines = (changes, (np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)),
                                 np.array(vals, dtype=float))
        if len(self._fleet_lines[2]):
            reg[self._fleet_lines[1]] += self._fleet_lines[2]
        col = ACCOUNT_INDEX["revaluation"]
        reg[:, col] = led.balances[:, ACCOUNT_INDEX["bond_valuation"]]
        for holder, marks in economy.book.revaluation().items():
            i = led.index.get(holder)
            if i is not None:
                reg[i, col] += marks
        alive = [not a.defaulted for a in self._agents]
        if alive != self._alive[0]:
            self._alive = (alive, self._other_assets * np.array(alive))
        reg[:, ACCOUNT_INDEX["other_assets"]] = self._alive[1]
        return reg, self._cols

    def check(self, full: bool = True) -> None:
        """Raise :class:`AccountingError` if any identity is broken (see the module docstring)."""
        economy = self.economy
        economy.ledger.check(reconcile=full)
        if not full:
            return
        shares_held = economy.book.held_shares()
        for firm in economy.firms:
            held = shares_held.get(firm.aid, 0)
            if held > firm.shares * (1 + 1e-9) + 1e-12:
                raise AccountingError(f"step {economy.steps}: {firm.aid}: holders have {held:.6f}bn shares "
                                      f"but only {firm.shares:.6f}bn are outstanding (agent: {firm.aid})")
        self.check_populations()

    def check_populations(self) -> None:
        """The market sectors' books against their populations (independent quantities: the
        ledger and the contract registry on one side, each trader's and holder's own state on the
        other). Raises :class:`AccountingError` naming the sector, the quantity and the gap."""
        economy = self.economy
        ex = getattr(economy, "exchange", None)
        if ex is None:
            return
        led, book = economy.ledger, economy.book
        ids = [f.aid for f in ex.firms]

        def same(what: str, books: float, pop: float, aid: str) -> None:
            if abs(books - pop) > 1e-6 + 1e-9 * max(abs(books), abs(pop)):
                raise AccountingError(f"step {economy.steps}: {aid}: {what} is {books:.9f} in the books but "
                                      f"{pop:.9f} in the population (imbalance {books - pop:+.9f}; agent: {aid})")

        def same_shares(holder: str, pop: np.ndarray) -> None:
            """Each firm's shares in ``holder``'s stake against the population's, firm by firm."""
            kept = self._sector_stakes.get(holder)
            if kept is None or kept[0] != book.generation:  # (a stake is filed under its parties once)
                kept = self._sector_stakes[holder] = (book.generation, [book.stake(holder, aid) for aid in ids])
            for aid, s, p in zip(ids, kept[1], pop.tolist()):
                b = s.shares if s is not None and s.active else 0.0  # (a new stake moves the generation)
                if abs(b - p) > 1e-6 + 1e-9 * max(abs(b), abs(p)):
                    same(f"{aid} shares (bn)", b, p, holder)

        t = ex.traders
        same("cash less broker loan ($B)", led.cash("traders") - led.get("traders", "debt"), float(np.sum(t.cash)),
             "traders")
        same_shares("traders", np.ascontiguousarray(t.holdings.T).sum(axis=1))
        r = ex.retail
        basket = ex.market.retail_shares_held
        # a firm that defaulted since the last close is written off in the books at once, in the
        # ETF's NAV at the next close, when the market halts it (from then on the NAV counts it at
        # nothing: ``EquityMarket.etf_value``). Which firms the NAV has written off is the market's
        # halted set, not a price test: a halted firm's price is HALT_PRICE only up to rounding
        # (P x exp(log(HALT_PRICE / P)) lands an ulp above it about half the time).
        # the NAV's own value of one share of each firm: nothing for a firm it has written off
        unit = np.eye(len(ids))
        written_off = np.array([ex.market.etf_value(unit[j]) == 0.0 for j in range(len(ids))])
        pending = sum(basket[j] * ex.market.prices[j] for j, f in enumerate(ex.firms)
                      if f.defaulted and not written_off[j])
        same("cash and stakes ($B)", led.cash("retail") + led.get("retail", "equity_stakes"),
             r.holdings_value() - pending, "retail")
        same_shares("retail", np.asarray(basket, dtype=float))
