"""The journal: an append-only record of every line posted to the ledger, checked independently.

Each posting (an *entry*) appends its lines ``(entry, agent row, account column, change of the
stored balance in $B)`` - four numbers a line, kept in one flat list (``lines.extend``), which
turns into an array at a check several times faster than a list of tuples - and one record of the
entry ``(transaction type, parties, contract)``.
:meth:`Journal.verify` replays the lines since the last check onto the previous checkpoint and
compares the result with the live balances, then checks each entry on its own:

* the live balances equal the replayed journal (nothing changed a balance without a posting);
* each entry's debits equal its credits for every agent it touches;
* each line touches only accounts its transaction type may touch (:mod:`ailoop.model.postings`);
* a payment made under a contract moves cash between that contract's holder and issuer.

Memory stays bounded: verified (or, with checks off, simply replayed) lines are folded into the
checkpoint and dropped; :attr:`Journal.total_lines` counts every line ever posted.
"""

from __future__ import annotations

import numpy as np

from ailoop.model.postings import RULES, transaction_type

#: lines kept before they are folded into the checkpoint even when no check asks for it
FOLD_AT = 200_000
#: contracts whose parties the checks keep (at most four times as many before the oldest are dropped)
_KNOWN_CONTRACTS = 5_000
#: numbers per line in :attr:`Journal.lines`: entry, agent row, account column, change ($B)
LINE = 4
_FOLD_NUMBERS = FOLD_AT * LINE


class JournalError(RuntimeError):
    """Raised (as an AccountingError by the ledger) when the journal and the books disagree."""


class Journal:
    """Append-only lines and entries of one ledger, with a checkpoint of the balances they imply."""

    def __init__(self, n_agents: int, accounts: list[str], sign: np.ndarray):
        self.n_agents = n_agents
        self.accounts = accounts
        self.sign = sign  # debit sign per account (+1 assets, -1 liabilities and equity)
        self.checkpoint = np.zeros((n_agents, len(accounts)))
        self.lines: list[float] = []  # flat: LINE numbers per line
        self.entries: list[tuple[int, int, int, int, object]] = []  # (entry, type code, payer, payee, contract)
        self.n_entries = 0
        self.total_lines = 0
        self._codes: dict[str, int] = {}
        self._types: list[str] = []
        self._allowed = np.zeros((0, len(accounts)), dtype=bool)
        self._parties: dict[int, tuple] = {}  # id(contract) -> (contract, the party codes it may pay between)

    # ------------------------------------------------------------------ recording
    def type_code(self, memo: str) -> int:
        """The code of the transaction type ``memo`` names (interned on first sight)."""
        code = self._codes.get(memo)
        if code is None:
            name = transaction_type(memo)
            if name in self._types:
                code = self._types.index(name)
            else:
                code = len(self._types)
                self._types.append(name)
                row = np.zeros((1, len(self.accounts)), dtype=bool)
                for acct in RULES.get(name, ()):
                    row[0, self.accounts.index(acct)] = True
                self._allowed = np.vstack([self._allowed, row])
            self._codes[memo] = code
        return code

    def entry(self, memo: str, payer: int = -1, payee: int = -1, contract=None) -> int:
        """Open an entry; returns its number. ``payer``/``payee`` are party codes (agent rows, or
        ``n_agents + k`` for external sector k), ``contract`` the contract the payment is made under."""
        if len(self.lines) > _FOLD_NUMBERS:
            self.fold()
        e = self.n_entries
        self.n_entries = e + 1
        code = self._codes.get(memo)
        self.entries.append((e, self.type_code(memo) if code is None else code, payer, payee, contract))
        return e

    # ------------------------------------------------------------------ folding and checking
    def _arrays(self):
        a = np.array(self.lines, dtype=np.float64).reshape(-1, LINE)
        return a[:, 0].astype(np.int64), a[:, 1].astype(np.int64), a[:, 2].astype(np.int64), a[:, 3]

    def fold(self) -> None:
        """Replay the pending lines onto the checkpoint and drop them (no checks)."""
        if self.lines:
            _, ag, ac, d = self._arrays()
            np.add.at(self.checkpoint, (ag, ac), d)
            self.total_lines += len(self.lines) // LINE
        self.lines.clear()
        self.entries.clear()

    def verify(self, balances: np.ndarray, names: list[str], parties, tol: float) -> None:
        """Check the pending entries and the live ``balances`` against the journal, then fold.

        ``names`` are the agent ids by row; ``parties(contract)`` returns the set of party codes
        allowed to exchange cash under a contract (or None if it cannot be checked). Raises
        :class:`JournalError` with one line naming the entry, agent, account and amounts."""
        if self.lines:
            ent, ag, ac, d = self._arrays()
            self._check_entries(ent, ag, ac, d, names, tol)
            self._check_accounts(ent, ag, ac, names)
            np.add.at(self.checkpoint, (ag, ac), d)
            self.total_lines += len(self.lines) // LINE
        self._check_contracts(parties, names)
        off = np.abs(balances - self.checkpoint) > tol * (1.0 + np.abs(balances))
        self.lines.clear()
        self.entries.clear()
        if off.any():
            i, j = np.argwhere(off)[0]
            raise JournalError(f"{names[i]} {self.accounts[j]} is {balances[i, j]:.9f} $B in the ledger but "
                               f"{self.checkpoint[i, j]:.9f} $B in the journal (a balance changed without a posting)")

    def _check_entries(self, ent, ag, ac, d, names, tol) -> None:
        """Every entry's debits equal its credits, agent by agent."""
        base = ent.min()
        key = (ent - base) * self.n_agents + ag
        net = np.bincount(key, weights=d * self.sign[ac])
        if np.abs(net).max() <= tol:  # (the common case: no need to look for the first bad one)
            return
        bad = np.flatnonzero(np.abs(net) > tol)
        if bad.size:
            e, i = divmod(int(bad[0]), self.n_agents)
            raise JournalError(f"entry {e + base} ('{self._type_of(e + base)}') leaves {names[i]} out of balance "
                               f"by {net[bad[0]]:+.9f} $B")

    def _check_accounts(self, ent, ag, ac, names) -> None:
        """Every line touches an account its transaction type may touch."""
        first = self.entries[0][0]  # (entries are numbered consecutively from it)
        codes = np.array([entry[1] for entry in self.entries], dtype=np.int64)
        ok = self._allowed[codes[ent - first], ac]
        if ok.all():
            return
        bad = np.flatnonzero(~ok)
        if bad.size:
            k = bad[0]
            name = self._type_of(int(ent[k]))
            allowed = ", ".join(RULES[name]) if name in RULES else "none: not in the chart of transaction types"
            raise JournalError(f"entry {int(ent[k])} ('{name}') posts to {names[ag[k]]} {self.accounts[ac[k]]}; "
                               f"allowed: {allowed}")

    def _check_contracts(self, parties, names) -> None:
        """Cash paid under a contract moves between that contract's two parties (each contract's
        parties looked up once: a contract's parties are fixed when it is made)."""
        known = self._parties
        for e, code, payer, payee, contract in self.entries:
            if contract is None or payer < 0 or payee < 0:  # no cash changed hands (an accrual)
                continue
            kept = known.get(id(contract))
            if kept is None or kept[0] is not contract:
                kept = known[id(contract)] = (contract, parties(contract))
            allowed = kept[1]
            if allowed is not None and not {payer, payee} <= allowed:
                who = [names[p] if 0 <= p < self.n_agents else f"sector {p - self.n_agents}" for p in (payer, payee)]
                raise JournalError(f"entry {e} ('{self._types[code]}') pays {who[0]} -> {who[1]} under a "
                                   f"{contract.kind} contract between {contract.holder} and {contract.issuer}")
        if len(known) > 4 * _KNOWN_CONTRACTS:  # (bounded: those of the latest checks are kept)
            for key in list(known)[:len(known) - _KNOWN_CONTRACTS]:
                del known[key]

    def _type_of(self, e: int) -> str:
        for entry, code, *_ in self.entries:
            if entry == e:
                return self._types[code]
        return "?"
