"""Double-entry balance sheets with cash provenance.

Every agent of the economy has one row of account balances ($ billions). Accounts are assets (A),
liabilities (L) or equity (E); a posting is a set of signed *debits* that sum to zero for every
agent it touches, so that assets = liabilities + equity holds after every posting. Money moves
only by :meth:`Ledger.transfer` (between two agents) or by :meth:`Ledger.receive_external` /
:meth:`Ledger.pay_external` (between an agent and a named external sector: end-user AI spending,
LP capital, household savings, ...).

Cash carries **provenance**: each agent's cash is a vector of amounts by original *source*
(``SOURCES``). A payment takes the payer's mix pro rata, so the share of any receipt that traces
back to, say, end-user spending is known. Per source, the cash held across the economy equals
what entered from outside minus what left, plus net re-tagging (``retag``: an equity investment by
a chipmaker re-labels the cash it pays as ``chipmaker_investment``, recording the mix it retired).

``check`` verifies the identities independently of the posting code: per-agent trial balance,
cash account vs provenance vector, per-source conservation, the economy-wide cash total, and (via
callbacks registered by the economy) that booked positions equal the contract registry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from ailoop.model.journal import Journal, JournalError


class AccountingError(RuntimeError):
    """An accounting identity is broken; the message names the step, agent and imbalance."""


class InsufficientCash(AccountingError):
    """A payer tried to pay more cash than it holds."""


#: Chart of accounts: name -> kind ("A" asset, "L" liability, "E" equity).
ACCOUNTS: dict[str, str] = {
    # assets
    "cash": "A",
    "receivables": "A",  # amounts billed and not yet paid (trade credit, arrears)
    "prepaid": "A",  # prepayments on chip orders and capacity; unused cloud credits
    "gpus": "A",  # GPU fleet at book value (cost less depreciation)
    "dc_plant": "A",  # data-centre shell, power and cooling at book value
    "construction": "A",  # capex in progress (not yet online)
    "equity_stakes": "A",  # shares in other firms, public at market, private at last round
    "warrants": "A",  # vested warrants at intrinsic value
    "bonds_held": "A",  # bonds and loans held (at face)
    "bond_valuation": "A",  # market value of bonds held less their face (mark-to-market adjustment)
    "other_assets": "A",  # opening non-AI operating assets (software, property, ...)
    # liabilities
    "payables": "L",  # amounts billed to the agent and not yet paid
    "deferred_revenue": "L",  # customer prepayments; cloud credits issued and not yet used
    "debt": "L",  # bonds, term loans and GPU-backed loans issued (at face)
    # equity
    "paid_in": "E",  # contributed capital (share issues less buybacks)
    "retained": "E",  # cumulative profit and loss
    "revaluation": "E",  # unrealised marks on stakes and warrants
}
ACCOUNT_INDEX = {name: i for i, name in enumerate(ACCOUNTS)}
_SIGN = np.array([1.0 if k == "A" else -1.0 for k in ACCOUNTS.values()])  # debit sign per account
_SIGNS = tuple(float(x) for x in _SIGN)  # the same, as Python floats (scalar arithmetic is faster)
_ADD = np.add.reduce


def _pairwise9(a) -> float:
    """NumPy's sum of nine floats (``np.add.reduce`` of a length-9 array: eight accumulators,
    combined pairwise, then the ninth), in Python on a list - faster for one small vector."""
    return (((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]))) + a[8]


def _choose_source_sum():
    """The sum of a cash-by-source vector: :func:`_pairwise9` if it is checked (here, at import)
    to give NumPy's result bit for bit, else NumPy's own."""
    if len(SOURCES) != 9:
        return _ADD
    rng = np.random.default_rng(20251)
    x = np.abs(rng.standard_normal((2000, 9)) * np.exp(6.0 * rng.standard_normal((2000, 9))))
    x[rng.random(x.shape) < 0.4] = 0.0
    if all(_ADD(row) == _pairwise9(row.tolist()) for row in x):
        return lambda v: _pairwise9(v.tolist())
    return _ADD
_KINDS = np.array(list(ACCOUNTS.values()))
_IS_A, _IS_L, _IS_E = (_KINDS == "A"), (_KINDS == "L"), (_KINDS == "E")  # account masks by kind

#: Original sources of cash (provenance dimensions).
SOURCES: tuple[str, ...] = (
    "opening",  # cash on the opening balance sheets (origin unknown)
    "end_user",  # end-user spending on AI (consumers, enterprises, unmodelled AI buyers)
    "lp_capital",  # limited partners' capital called by venture funds
    "debt",  # principal lent by bond buyers, banks and private credit
    "household",  # household savings contributed to the ETF
    "chipmaker_investment",  # cash a chipmaker invested in its customers
    "hyperscaler_ocf",  # hyperscalers' operating cash from non-AI business
    "non_ai_income",  # other firms' non-AI business income (databases, gaming chips, ...)
    "asset_sales",  # outside buyers' money paid for liquidated assets
)
SOURCE_INDEX = {name: i for i, name in enumerate(SOURCES)}

#: External sectors (no balance sheet) and the provenance source their money carries when it
#: enters the economy. Sectors that only receive money map to None.
EXTERNAL_SECTORS: dict[str, str | None] = {
    "end_users": "end_user",  # users and enterprises paying for AI products
    "rest_of_market": "end_user",  # unmodelled GPU buyers (sovereigns, enterprises, other clouds)
    "lp_investors": "lp_capital",
    "credit_investors": "debt",  # outside lenders funding bond buyers
    "households": "household",
    "non_ai_business": "non_ai_income",
    "hyperscaler_business": "hyperscaler_ocf",
    "operating_costs": None,  # wages, power, software: the lab's and firms' non-capex spending
    "construction": None,  # builders and power equipment (non-GPU data-centre capex)
    "suppliers": None,  # foundry, memory and parts behind the chipmakers' cost of goods
    "custom_silicon": None,  # hyperscalers' in-house chip vendors (unmodelled)
    "other_shareholders": "household",  # outside holders trading shares with modelled agents
    "other_companies": None,  # unmodelled firms the agents invest in (e.g. Intel)
    "distressed_buyers": "asset_sales",  # outside buyers of liquidated GPUs, plant and claims
    "insurers": "debt",  # insurers' money lent through the private-credit fund
    "compute_vendors": None,  # compute bought from vendors outside the model (their own data centres)
}

TOLERANCE = 1e-9  # $B tolerance of a cash payment (one thousand dollars)
_EPS = TOLERANCE
_sum_sources = _choose_source_sum()
_PAIRWISE9 = _sum_sources is not _ADD  # the payer's total in Python (inline in _move_cash)


@dataclass(frozen=True)
class Posting:
    """One line of a journal entry: ``debit`` $B to ``account`` of ``agent`` (credit if < 0)."""

    agent: str
    account: str
    debit: float


class Ledger:
    """Balance sheets, cash provenance and cumulative payment records of the economy.

    Parameters
    ----------
    agent_ids:
        Stable string ids of the agents with balance sheets.
    groups:
        Optional map agent id -> reporting group (e.g. every bond buyer -> ``"bond_buyers"``)
        used for the ``paid`` matrix, so that its columns stay few and stable.
    """

    def __init__(self, agent_ids: Sequence[str], groups: dict[str, str] | None = None):
        self.agent_ids = list(agent_ids)
        if len(set(self.agent_ids)) != len(self.agent_ids):
            raise ValueError("agent ids must be unique")
        self.index = {a: i for i, a in enumerate(self.agent_ids)}
        n, k, s = len(self.agent_ids), len(ACCOUNTS), len(SOURCES)
        self.balances = np.zeros((n, k))
        self.cash_by_source = np.zeros((n, s))
        self.external_in = np.zeros(s)  # cumulative $B entered, by source
        self.external_out = np.zeros(s)  # cumulative $B left to external sectors, by source
        self.retag_net = np.zeros(s)  # cumulative net re-tagging, by source (sums to zero)
        groups = groups or {}
        parties = []
        for a in self.agent_ids:
            g = groups.get(a, a)
            if g not in parties:
                parties.append(g)
        parties += [x for x in EXTERNAL_SECTORS if x not in parties]
        self.parties = parties
        self.party_index = {p: i for i, p in enumerate(parties)}
        self._agent_party = [self.party_index[groups.get(a, a)] for a in self.agent_ids]  # party of each row
        m = len(parties)
        self.paid = np.zeros((m, m))  # cumulative cash paid, payer party -> payee party
        self.received_by_source = np.zeros((m, s))  # cumulative cash received, by source
        # views of each row of the provenance stores, made once (a payment updates two of them)
        self._cbs_rows = list(self.cash_by_source)
        self._rbs_rows = list(self.received_by_source)
        self.step = 0  # set by the economy so errors can name the step
        self._reconcilers: list = []
        self.sector_code = {x: n + k for k, x in enumerate(EXTERNAL_SECTORS)}  # journal party codes of sectors
        self.journal = Journal(n, list(ACCOUNTS), _SIGN)
        self._record = self.journal.lines.extend  # a journal line: (entry, row, column, change)

    # --------------------------------------------------------------------- reading
    def get(self, agent: str, account: str) -> float:
        return self.balances.item(self.index[agent], ACCOUNT_INDEX[account])

    def cash(self, agent: str) -> float:
        return self.balances.item(self.index[agent], 0)

    def totals(self, agent: str) -> tuple[float, float, float]:
        """(assets, liabilities, equity) of ``agent`` in $B."""
        row = self.balances[self.index[agent]]
        return (float(row[_IS_A].sum()), float(row[_IS_L].sum()), float(row[_IS_E].sum()))

    def provenance_shares(self, agent: str) -> np.ndarray:
        """Shares of ``agent``'s cash by source (sums to 1; zeros if it has no cash)."""
        v = self.cash_by_source[self.index[agent]]
        tot = v.sum()
        return v / tot if tot > _EPS else np.zeros_like(v)

    # --------------------------------------------------------------------- posting
    def post(self, lines: Iterable[Posting | tuple[str, str, float]], memo: str = "", ref=None) -> None:
        """Post a journal entry; each agent's debits must sum to zero (A = L + E preserved).

        Cash may not be posted here: cash moves only with :meth:`transfer` and the external
        methods, which keep provenance in step. ``memo`` names the transaction type
        (:mod:`ailoop.model.postings`); ``ref`` is the contract the entry is made under.
        """
        per_agent: dict[str, float] = {}
        rows = []
        index, isfinite = self.index, math.isfinite
        for line in lines:
            agent, account, debit = line if isinstance(line, tuple) else (line.agent, line.account, line.debit)
            if account == "cash":
                raise AccountingError(f"step {self.step}: {memo or 'posting'} for {agent} posts cash directly")
            if not isfinite(debit):
                raise AccountingError(f"step {self.step}: {memo or 'posting'} for {agent}: non-finite amount {debit}")
            per_agent[agent] = per_agent.get(agent, 0.0) + debit  # debits = credits per agent
            rows.append((index[agent], ACCOUNT_INDEX[account], debit))
        for agent, net in per_agent.items():
            # net debits = change in (assets - liabilities - equity); must be zero
            if abs(net) > _EPS:
                raise AccountingError(
                    f"step {self.step}: entry '{memo}' leaves {agent} out of balance by {net:+.9f} $B"
                )
        e = self.journal.entry(memo, -1, -1, ref)
        record = self._record
        balances = self.balances
        for i, j, debit in rows:
            delta = debit * _SIGNS[j]
            balances[i, j] += delta
            record((e, i, j, delta))

    def _move_cash(self, i: int, amount: float, memo: str, e: int) -> tuple[np.ndarray, float]:
        """Take ``amount`` of cash from agent row ``i`` pro rata by source (journal entry ``e``).

        Returns the vector taken (by source) and the amount (clamped to the cash held when it
        exceeds it by less than the tolerance).
        """
        if amount < -_EPS:
            raise AccountingError(f"step {self.step}: negative payment {amount} ({memo})")
        balances = self.balances
        have = balances.item(i, 0)
        if amount > have + _EPS:
            raise InsufficientCash(
                f"step {self.step}: {self.agent_ids[i]} cannot pay {amount:.6f} $B for {memo}: has {have:.6f} $B"
            )
        if amount > have:
            amount = have
        if amount <= 0.0:
            return np.zeros(len(SOURCES)), 0.0
        vec = self._cbs_rows[i]  # a view of the agent's row
        if _PAIRWISE9:
            a = vec.tolist()
            tot = (((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]))) + a[8]
        else:
            tot = _ADD(vec)
        share = min(1.0, amount / tot) if tot > 0 else 0.0
        out = vec * share
        vec -= out
        new = have - amount
        if new < _EPS:  # pay-out of all cash: clear rounding dust on both stores
            new = 0.0
            vec.fill(0.0)
        balances[i, 0] = new
        self._record((e, i, 0, new - have))
        return out, amount

    def transfer(
        self,
        payer: str,
        payee: str,
        amount: float,
        payer_debit: str,
        payee_credit: str,
        memo: str = "",
        retag: str | None = None,
        ref=None,
    ) -> None:
        """Pay ``amount`` $B of cash from ``payer`` to ``payee``.

        The payer credits cash and debits ``payer_debit`` (e.g. ``retained`` for an expense,
        ``debt`` for a repayment, ``equity_stakes`` for an investment); the payee debits cash and
        credits ``payee_credit`` (``retained`` for revenue, ``debt`` for borrowing, ``paid_in``
        for a share issue, ``receivables`` for a collected bill, ...). With ``retag`` the cash
        arrives relabelled to that source (e.g. ``chipmaker_investment``). ``ref``: the contract
        the payment is made under (the books check verifies the parties).
        """
        if amount == 0.0:
            return
        index = self.index
        i, j = index[payer], index[payee]
        e = self.journal.entry(memo, i, j, ref)
        vec, amount = self._move_cash(i, amount, memo, e)
        if retag is not None:
            k = SOURCE_INDEX[retag]
            self.retag_net -= vec
            self.retag_net[k] += vec.sum()
            vec = np.zeros_like(vec)
            vec[k] = amount
        self._cbs_rows[j] += vec
        balances, record = self.balances, self._record
        balances[j, 0] += amount
        record((e, j, 0, amount))
        # the counter-entries (as _book_counter): the payer debits, the payee credits
        a, b = ACCOUNT_INDEX[payer_debit], ACCOUNT_INDEX[payee_credit]
        if a == 0 or b == 0:
            raise AccountingError(f"step {self.step}: {memo}: the counter-entry of a cash move cannot be cash")
        delta = amount * _SIGNS[a]
        balances[i, a] += delta
        record((e, i, a, delta))
        delta = -amount * _SIGNS[b]
        balances[j, b] += delta
        record((e, j, b, delta))
        pj = self._agent_party[j]
        self.paid[self._agent_party[i], pj] += amount
        self._rbs_rows[pj] += vec

    def receive_external(self, agent: str, sector: str, amount: float, credit: str, memo: str = "", ref=None) -> None:
        """``agent`` receives ``amount`` $B from external ``sector``; credits account ``credit``."""
        if amount <= 0.0:
            if amount < -_EPS:
                raise AccountingError(f"step {self.step}: negative receipt {amount} from {sector} ({memo})")
            return
        src = EXTERNAL_SECTORS[sector]
        if src is None:
            raise AccountingError(f"step {self.step}: sector {sector!r} cannot be a source of cash")
        i, k = self.index[agent], SOURCE_INDEX[src]
        e = self.journal.entry(memo, self.sector_code[sector], i, ref)
        self.cash_by_source[i, k] += amount
        self.balances[i, 0] += amount
        self._record((e, i, 0, amount))
        self.external_in[k] += amount
        self._book_counter(i, credit, amount, False, memo, e)
        self.paid[self.party_index[sector], self._agent_party[i]] += amount
        self.received_by_source[self._agent_party[i], k] += amount

    def pay_external(self, agent: str, sector: str, amount: float, debit: str, memo: str = "", ref=None) -> None:
        """``agent`` pays ``amount`` $B to external ``sector``; debits account ``debit``."""
        if amount == 0.0:
            return
        if sector not in EXTERNAL_SECTORS:
            raise AccountingError(f"step {self.step}: unknown external sector {sector!r}")
        i = self.index[agent]
        e = self.journal.entry(memo, i, self.sector_code[sector], ref)
        vec, amount = self._move_cash(i, amount, memo, e)
        self.external_out += vec
        a = ACCOUNT_INDEX[debit]  # the counter-entry (as _book_counter)
        if a == 0:
            raise AccountingError(f"step {self.step}: {memo}: the counter-entry of a cash move cannot be cash")
        delta = amount * _SIGNS[a]
        self.balances[i, a] += delta
        self._record((e, i, a, delta))
        p = self.party_index[sector]
        self.paid[self._agent_party[i], p] += amount
        self._rbs_rows[p] += vec

    def _book_counter(self, i: int, account: str, amount: float, debit: bool, memo: str, e: int) -> None:
        j = ACCOUNT_INDEX[account]
        if j == 0:
            raise AccountingError(f"step {self.step}: {memo}: the counter-entry of a cash move cannot be cash")
        delta = (amount if debit else -amount) * _SIGNS[j]
        self.balances[i, j] += delta
        self._record((e, i, j, delta))

    def settle_simultaneous(self, payments: dict[tuple[str, str], float], payer_debit: str = "payables",
                            payee_credit: str = "receivables", memo: str = "clearing of arrears") -> None:
        """Execute a set of payments at once, as a clearing house does (e.g. an Eisenberg–Noe vector).

        ``payments[(payer, payee)]`` is $B; a payee may be an external sector. Each payer may pay
        more than its cash as long as its receipts cover the difference (which clearing
        guarantees). Provenance: what a payer pays out of its own cash leaves with its own mix;
        everything paid in the round is pooled, and each agent's net receipts (and what goes to
        external sectors) carry the pool's mix. Per-source conservation holds exactly.
        """
        if not payments:
            return
        n = len(self.agent_ids)
        out, inn = np.zeros(n), np.zeros(n)
        ext: dict[str, float] = {}
        for (a, b), x in payments.items():
            if x < 0:
                raise AccountingError(f"step {self.step}: {memo}: negative payment {a} -> {b}")
            out[self.index[a]] += x
            if b in self.index:
                inn[self.index[b]] += x
            else:
                ext[b] = ext.get(b, 0.0) + x
        cash = self.balances[:, 0]
        short = np.flatnonzero(out > cash + inn + _EPS * (1 + out))
        if short.size:
            i = short[0]
            raise InsufficientCash(f"step {self.step}: {memo}: {self.agent_ids[i]} pays {out[i]:.6f} $B "
                                   f"with {cash[i]:.6f} cash and {inn[i]:.6f} receipts")
        own = np.minimum(out, np.maximum(cash, 0.0))
        frac = np.divide(own, cash, out=np.zeros(n), where=cash > 0)
        take = self.cash_by_source * np.minimum(frac, 1.0)[:, None]
        pool = take.sum(axis=0)
        total = pool.sum()
        mix = pool / total if total > 0 else np.zeros_like(pool)
        net_receipts = np.maximum(inn - (out - own), 0.0)
        self.cash_by_source += -take + net_receipts[:, None] * mix[None, :]
        e = self.journal.entry(memo)
        before = self.balances[:, 0].copy()
        self.balances[:, 0] += inn - out
        for i in np.flatnonzero(self.balances[:, 0] != before):
            self._record((e, int(i), 0, float(self.balances[i, 0] - before[i])))
        for (a, b), x in payments.items():
            i = self.index[a]
            self._book_counter(i, payer_debit, x, True, memo, e)
            pi = self._agent_party[i]
            if b in self.index:
                j = self.index[b]
                self._book_counter(j, payee_credit, x, False, memo, e)
                pj = self._agent_party[j]
            else:
                pj = self.party_index[b]
            self.paid[pi, pj] += x
            self.received_by_source[pj] += x * mix
        for b, x in ext.items():
            self.external_out += x * mix

    def open_position(self, agent: str, account: str, amount: float, memo: str = "opening balance") -> None:
        """Opening balance sheets: put ``amount`` on ``account`` against ``paid_in``.

        Cash opened this way is tagged ``opening`` and counted as an external inflow of that source.
        """
        i = self.index[agent]
        if account == "cash":
            k = SOURCE_INDEX["opening"]
            e = self.journal.entry(memo, -1, i)
            self.cash_by_source[i, k] += amount
            self.balances[i, 0] += amount
            self._record((e, i, 0, amount))
            self.external_in[k] += amount
            self._book_counter(i, "paid_in", amount, False, memo, e)
        else:
            kind = ACCOUNTS[account]
            self.post([(agent, account, amount if kind == "A" else -amount), (agent, "paid_in", -amount if kind == "A" else amount)], memo)

    # --------------------------------------------------------------------- checking
    def add_reconciler(self, fn) -> None:
        """Register ``fn() -> (registry, columns)``: a balances-shaped array of what the registries
        say the ``columns`` should hold, compared with the books in :meth:`check`."""
        self._reconcilers.append(fn)

    def check(self, tol: float = 1e-6, reconcile: bool = True) -> None:
        """Raise :class:`AccountingError` naming the step, agent and imbalance if an identity fails.

        ``tol`` is in $B; it is scaled up by the size of the balance sheet (relative 1e-12).
        ``reconcile=False`` checks only the identities above; with ``reconcile`` the journal is
        replayed and checked entry by entry, and the books are compared with the registries.
        """
        b = self.balances
        scale = max(1.0, float(np.abs(b).max())) * 1e-12
        tol = tol + scale
        self._check_identities(tol)
        if reconcile:
            self._check_journal_and_registries(tol)

    def _check_identities(self, tol: float) -> None:
        """Trial balance per agent, cash against provenance, per-source conservation.

        Every step: first one pass that can only prove all of them hold (any failure or NaN
        sends it on), then, if it could not, the checks one by one, which name what is broken."""
        b, cbs, n = self.balances, self.cash_by_source, len(self.agent_ids)
        cash = b[:, 0]
        if (np.abs(b @ _SIGN).max() <= tol and np.abs(cash - cbs.sum(axis=1)).max() <= tol
                and cash.min() >= -tol and cbs.min() >= -tol
                and np.abs(cbs.sum(axis=0) - (self.external_in - self.external_out + self.retag_net)).max() <= tol * n
                and abs(self.retag_net.sum()) <= tol * n):
            return
        self._find_broken_identity(tol)

    def _find_broken_identity(self, tol: float) -> None:
        b = self.balances
        # 1. A = L + E for each agent
        gap = b @ _SIGN  # assets - liabilities - equity
        bad = np.flatnonzero(np.abs(gap) > tol)
        if bad.size:
            i = bad[0]
            a, l, e = self.totals(self.agent_ids[i])
            raise AccountingError(
                f"step {self.step}: {self.agent_ids[i]} assets {a:.6f} != liabilities {l:.6f} + equity {e:.6f} "
                f"(imbalance {gap[i]:+.9f} $B)"
            )
        # 2. cash account equals the provenance vector, and is never negative
        diff = b[:, 0] - self.cash_by_source.sum(axis=1)
        bad = np.flatnonzero(np.abs(diff) > tol)
        if bad.size:
            i = bad[0]
            raise AccountingError(
                f"step {self.step}: {self.agent_ids[i]} cash {b[i, 0]:.6f} != provenance total "
                f"{self.cash_by_source[i].sum():.6f} (imbalance {diff[i]:+.9f} $B)"
            )
        neg = np.flatnonzero((b[:, 0] < -tol) | (self.cash_by_source < -tol).any(axis=1))
        if neg.size:
            i = neg[0]
            raise AccountingError(f"step {self.step}: {self.agent_ids[i]} holds negative cash {self.cash_by_source[i]}")
        # 3. per-source conservation across the economy
        held = self.cash_by_source.sum(axis=0)
        expect = self.external_in - self.external_out + self.retag_net
        bad = np.flatnonzero(np.abs(held - expect) > tol * len(self.agent_ids))
        if bad.size:
            k = bad[0]
            raise AccountingError(
                f"step {self.step}: source {SOURCES[k]!r} not conserved: held {held[k]:.6f} $B, "
                f"in - out + retag = {expect[k]:.6f} $B (imbalance {held[k] - expect[k]:+.9f} $B; agent: economy)"
            )
        if abs(self.retag_net.sum()) > tol * len(self.agent_ids):
            raise AccountingError(f"step {self.step}: re-tagging created {self.retag_net.sum():+.9f} $B (agent: economy)")

    def _check_journal_and_registries(self, tol: float) -> None:
        b = self.balances
        # 4. the live balances equal the replayed journal; each entry balances, touches only the
        # accounts its transaction type may touch, and pays the parties of its contract
        try:
            self.journal.verify(self.balances, self.agent_ids, self.contract_parties, tol)
        except JournalError as err:
            raise AccountingError(f"step {self.step}: {err}") from None
        # 5. booked positions equal the registries (contracts, fleets, stakes, marks)
        for fn in self._reconcilers:
            registry, cols = fn()
            gap = b[:, cols] - registry[:, cols]
            off = np.abs(gap) > tol + 1e-9 * np.abs(registry[:, cols])
            if off.any():
                i, c = np.argwhere(off)[0]
                account = list(ACCOUNTS)[cols[c]]
                raise AccountingError(
                    f"step {self.step}: {self.agent_ids[i]} books {account} at {b[i, cols[c]]:.6f} $B but its "
                    f"contracts say {registry[i, cols[c]]:.6f} $B (imbalance {gap[i, c]:+.9f} $B)"
                )

    def contract_parties(self, contract) -> set[int] | None:
        """Journal party codes of a contract's holder and issuer (None if one is outside the model
        and no named sector)."""
        codes = set()
        for name in (contract.holder, contract.issuer):
            if name in self.index:
                codes.add(self.index[name])
            elif name in self.sector_code:
                codes.add(self.sector_code[name])
            else:
                return None
        return codes

    # --------------------------------------------------------------------- reporting
    def paid_between(self, payer: str, payee: str) -> float:
        """Cumulative cash actually paid from party ``payer`` to party ``payee`` ($B)."""
        return float(self.paid[self.party_index[payer], self.party_index[payee]])

    def paid_by_shares(self, recipient: str) -> np.ndarray:
        """Shares of all cash ``recipient`` (a party) has received, by original source."""
        v = self.received_by_source[self.party_index[recipient]]
        tot = v.sum()
        return v / tot if tot > _EPS else np.zeros_like(v)
