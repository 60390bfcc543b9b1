"""A shadow of the ledger's money, kept independently of the ledger's own arrays.

:class:`Shadow` is a plain-Python model of what the ledger should hold after a sequence of cash
movements: every agent's cash by original source (pro-rata mixing, re-tagging, the clearing
pool), the cumulative cash paid between parties, what each party received by source, and what
entered and left the economy by source. It is fed only with the *arguments* of the movements
(who pays whom how much, from or to which sector), never with the ledger's balances, so tests
can compare the ledger's ``balances``, ``cash_by_source``, ``paid``, ``received_by_source``,
``external_in`` and ``external_out`` against it.

:class:`RecordingLedger` is a :class:`~ailoop.model.ledger.Ledger` that forwards every cash
movement to a :class:`Shadow` after the ledger has executed it (results are unchanged: the
recorder only reads the call's arguments). :func:`recorded_economy` builds an ``Economy`` on one.

The source that each external sector's money carries is written out here, from the ledger's
documentation, rather than read from ``EXTERNAL_SECTORS``: a change to that table should fail
the tests until it is made here too.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from ailoop.model.ledger import SOURCES, Ledger

#: the money each external sector pays into the economy carries this source (None: pays nothing in)
SECTOR_SOURCE: dict[str, str | None] = {
    "end_users": "end_user",
    "rest_of_market": "end_user",
    "lp_investors": "lp_capital",
    "credit_investors": "debt",
    "households": "household",
    "non_ai_business": "non_ai_income",
    "hyperscaler_business": "hyperscaler_ocf",
    "operating_costs": None,
    "construction": None,
    "suppliers": None,
    "custom_silicon": None,
    "other_shareholders": "household",
    "other_companies": None,
    "distressed_buyers": "asset_sales",
}
S = len(SOURCES)
K = {s: k for k, s in enumerate(SOURCES)}


class Shadow:
    """Expected cash, provenance and payment records of a set of agents (see the module docstring).

    ``groups`` maps agents to reporting parties as the ledger's ``paid`` matrix does (e.g. every
    bond buyer to ``bond_buyers``). Amounts in $B.
    """

    def __init__(self, agent_ids, groups=None):
        groups = groups or {}
        self.party = {a: groups.get(a, a) for a in agent_ids}
        self.cash: dict[str, np.ndarray] = {a: np.zeros(S) for a in agent_ids}
        self.ext_in = np.zeros(S)
        self.ext_out = np.zeros(S)
        self.paid: dict[tuple[str, str], float] = defaultdict(float)  # party -> party
        self.paid_agents: dict[tuple[str, str], float] = defaultdict(float)  # agent or sector -> agent or sector
        self.received: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(S))  # party -> by source
        self.by_accounts: dict[tuple[str, str, str, str], float] = defaultdict(float)  # payer, payee, debit, credit
        self.retagged: dict[str, float] = defaultdict(float)  # $B paid with a re-tag, by new source
        self.sent: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(S))  # agent -> cash it paid other agents
        # (or into a clearing pool) as it left its hands, by source; re-tagged payments not included
        self.moves = 0

    # ------------------------------------------------------------------ helpers
    def _p(self, x: str) -> str:
        return self.party.get(x, x)  # external sectors are their own party

    def _take(self, agent: str, amount: float) -> tuple[np.ndarray, float]:
        """Take ``amount`` from ``agent``'s cash pro rata to its sources (all of it if it asks
        for more, which the ledger allows only within its rounding tolerance)."""
        vec = self.cash[agent]
        tot = vec.sum()
        if tot <= 0.0:
            return np.zeros(S), 0.0
        if amount >= tot:
            self.cash[agent] = np.zeros(S)
            return vec, float(tot)
        out = vec * (amount / tot)
        self.cash[agent] = vec - out
        return out, amount

    def _record(self, payer: str, payee: str, amount: float, vec: np.ndarray, debit: str, credit: str) -> None:
        self.paid[(self._p(payer), self._p(payee))] += amount
        self.paid_agents[(payer, payee)] += amount
        self.received[self._p(payee)] += vec
        self.by_accounts[(payer, payee, debit, credit)] += amount
        self.moves += 1

    # ------------------------------------------------------------------ movements
    def open_cash(self, agent: str, amount: float) -> None:
        self.cash[agent][K["opening"]] += amount
        self.ext_in[K["opening"]] += amount

    def receive(self, agent: str, sector: str, amount: float, credit: str = "") -> None:
        if amount <= 0.0:
            return
        vec = np.zeros(S)
        vec[K[SECTOR_SOURCE[sector]]] = amount
        self.cash[agent] += vec
        self.ext_in += vec
        self._record(sector, agent, amount, vec, "", credit)

    def pay_out(self, agent: str, sector: str, amount: float, debit: str = "") -> None:
        if amount == 0.0:
            return
        vec, amount = self._take(agent, amount)
        self.ext_out += vec
        self._record(agent, sector, amount, vec, debit, "")

    def transfer(self, payer: str, payee: str, amount: float, debit: str = "", credit: str = "",
                 retag: str | None = None) -> None:
        if amount == 0.0:
            return
        vec, amount = self._take(payer, amount)
        if retag is None:
            self.sent[payer] += vec
        else:
            vec = np.zeros(S)
            vec[K[retag]] = amount
            self.retagged[retag] += amount
        self.cash[payee] += vec
        self._record(payer, payee, amount, vec, debit, credit)

    def clear(self, payments: dict[tuple[str, str], float], debit: str = "payables", credit: str = "receivables") -> None:
        """A clearing round: each payer pays first from its own cash (its own mix), the rest from
        what it receives in the round; all of it is pooled, and net receipts (and what goes to
        external sectors) carry the pool's mix."""
        if not payments:
            return
        out: dict[str, float] = defaultdict(float)
        inn: dict[str, float] = defaultdict(float)
        for (a, b), x in payments.items():
            out[a] += x
            inn[b] += x
        pool = np.zeros(S)
        own: dict[str, float] = {}
        for a, x in out.items():
            have = self.cash[a].sum()
            own[a] = min(x, have)
            vec, _ = self._take(a, own[a])
            pool += vec
            self.sent[a] += vec
        mix = pool / pool.sum() if pool.sum() > 0 else np.zeros(S)
        for b, x in inn.items():
            if b in self.cash:
                net = max(x - (out.get(b, 0.0) - own.get(b, 0.0)), 0.0)
                self.cash[b] += net * mix
            else:
                self.ext_out += x * mix
        for (a, b), x in payments.items():
            self._record(a, b, x, x * mix, debit, credit if b in self.cash else "")

    # ------------------------------------------------------------------ views
    def cash_of(self, agent: str) -> float:
        return float(self.cash[agent].sum())

    def received_share(self, party: str, source: str) -> float:
        v = self.received[party]
        return float(v[K[source]] / v.sum()) if v.sum() > 0 else 0.0


class RecordingLedger(Ledger):
    """A ledger that also feeds every cash movement to :attr:`shadow` (after executing it)."""

    def __init__(self, agent_ids, groups=None):
        super().__init__(agent_ids, groups)
        self.shadow = Shadow(agent_ids, groups)

    def transfer(self, payer, payee, amount, payer_debit, payee_credit, memo="", retag=None, ref=None):
        super().transfer(payer, payee, amount, payer_debit, payee_credit, memo, retag, ref)
        self.shadow.transfer(payer, payee, amount, payer_debit, payee_credit, retag)

    def receive_external(self, agent, sector, amount, credit, memo="", ref=None):
        super().receive_external(agent, sector, amount, credit, memo, ref)
        self.shadow.receive(agent, sector, amount, credit)

    def pay_external(self, agent, sector, amount, debit, memo="", ref=None):
        super().pay_external(agent, sector, amount, debit, memo, ref)
        self.shadow.pay_out(agent, sector, amount, debit)

    def settle_simultaneous(self, payments, payer_debit="payables", payee_credit="receivables",
                            memo="clearing of arrears"):
        super().settle_simultaneous(payments, payer_debit, payee_credit, memo)
        self.shadow.clear(dict(payments), payer_debit, payee_credit)

    def open_position(self, agent, account, amount, memo="opening balance"):
        super().open_position(agent, account, amount, memo)
        if account == "cash":
            self.shadow.open_cash(agent, amount)


def recorded_economy(**kwargs):
    """An ``Economy`` whose ledger is a :class:`RecordingLedger` (from its opening books on)."""
    import ailoop.model.economy as economy_module

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(economy_module, "Ledger", RecordingLedger)
        eco = economy_module.Economy(**kwargs)
    assert isinstance(eco.ledger, RecordingLedger)
    return eco


# ---------------------------------------------------------------------- comparisons
def mismatches(led: Ledger, shadow: Shadow, rel: float = 1e-9, abs_: float = 1e-6) -> list[str]:
    """Every quantity where the ledger and the shadow disagree (empty if none), described."""
    out = []

    def close(a, b):
        return abs(a - b) <= abs_ + rel * max(abs(a), abs(b))

    for a in led.agent_ids:
        i = led.index[a]
        if not close(led.balances[i, 0], shadow.cash_of(a)):
            out.append(f"cash of {a}: ledger {led.balances[i, 0]:.9f}, shadow {shadow.cash_of(a):.9f}")
        for k, s in enumerate(SOURCES):
            if not close(led.cash_by_source[i, k], shadow.cash[a][k]):
                out.append(f"{s} cash of {a}: ledger {led.cash_by_source[i, k]:.9f}, shadow {shadow.cash[a][k]:.9f}")
    for k, s in enumerate(SOURCES):
        if not close(led.external_in[k], shadow.ext_in[k]):
            out.append(f"{s} entered: ledger {led.external_in[k]:.9f}, shadow {shadow.ext_in[k]:.9f}")
        if not close(led.external_out[k], shadow.ext_out[k]):
            out.append(f"{s} left: ledger {led.external_out[k]:.9f}, shadow {shadow.ext_out[k]:.9f}")
    for p in led.parties:
        for q in led.parties:
            if p != q and not close(led.paid_between(p, q), shadow.paid.get((p, q), 0.0)):
                out.append(f"paid {p}->{q}: ledger {led.paid_between(p, q):.9f}, shadow {shadow.paid.get((p, q), 0.0):.9f}")
        got = led.received_by_source[led.party_index[p]]
        want = shadow.received[p] if p in shadow.received else np.zeros(S)
        for k, s in enumerate(SOURCES):
            if not close(got[k], want[k]):
                out.append(f"{s} received by {p}: ledger {got[k]:.9f}, shadow {want[k]:.9f}")
    return out
