"""The contract registry of an economy: every contract, indexed by its parties and by the parts of
the protocol it implements.

Agents and services ask for contracts by what they *do*, never by what kind they are:
``book.issued_by("cloud", Contract.backlog)`` is every active contract the cloud owes capacity
or a service under, whatever its class. Look-ups return active contracts in the order they were
added; :meth:`ContractBook.total` sums a protocol method over contracts class by class (in
:attr:`Contract.rank` order), so a total does not depend on the order in which kinds appeared.
"""

from __future__ import annotations

import operator
from typing import Callable, Iterable

import numpy as np

from ailoop.model.contracts.base import SETTLE_PHASES, Contract, ContractError, aspect_name


def _lay_out(block: tuple[list, list, list], shape: tuple[int, int]) -> np.ndarray | None:
    """A class's booked lines ``(rows, columns, $B)`` added up into a ledger-shaped array, line by
    line in order (None if there are none)."""
    rows, cols, vals = block
    if not vals:
        return None
    out = np.zeros(shape)
    if len(vals) > 64:
        np.add.at(out, (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)), np.array(vals, dtype=float))
        return out
    cells: dict[tuple[int, int], float] = {}
    for cell in zip(rows, cols, vals):
        key = cell[:2]
        cells[key] = cells.get(key, 0.0) + cell[2]
    for (i, j), x in cells.items():
        out[i, j] = x
    return out


class ContractBook:
    """All contracts of an economy, indexed by holder, issuer, protocol method and phase.

    Look-ups return active contracts only, in the order they were added; :meth:`prune` drops
    finished contracts that carry nothing on any balance sheet. A contract's parties are fixed
    when it is added (the indexes file it under them); what a contract says may change at any
    time, and every sum the registry keeps is recomputed when it may have (:meth:`_state`).
    """

    def __init__(self) -> None:
        self.contracts: list[Contract] = []
        self.closed_revaluation: dict[str, float] = {}  # marks booked on contracts since pruned, by holder
        self.reindex()

    def reindex(self) -> None:
        """Rebuild every index from :attr:`contracts` (the order they were added in)."""
        self._classes: dict[type, list[Contract]] = {}
        self._ranked: list[type] = []  # the classes of :attr:`_classes` in rank order
        self._stakes: dict[tuple[str, str], Contract] = {}
        self._credit: dict[tuple[str, str], Contract] = {}
        self._revaluing: list[Contract] = []  # contracts of classes that book marks (``revalued``), as added
        self._aspect_classes: dict[str, list[type]] = {}  # classes implementing each aspect
        self._structure = 0  # moves whenever a contract is added or pruned
        self._lines: dict[type, tuple[int, np.ndarray]] = {}  # each class's booked lines, at its change count
        self._lines_for: tuple | None = None  # (row_of, col_of, shape) the lines are laid out for
        self._held: tuple | None = None  # (state, {issuer: shares held})
        self._stakes_of: tuple | None = None  # (generation, {issuer: its stakes, as added})
        self._build_index()
        for c in self.contracts:
            self._register(c)

    def _build_index(self) -> None:
        self._index_of: dict[tuple, list[Contract]] = {}
        self._dead = 0  # pruned contracts still listed in _index_of (look-ups skip them: they are inactive)
        for c in self.contracts:
            self._index(c)

    def _index(self, c: Contract) -> None:
        idx = self._index_of
        keys = [("holder", c.holder), ("issuer", c.issuer), ("kind", c.kind), ("issuer_kind", c.issuer, c.kind),
                ("holder_kind", c.holder, c.kind)]
        for a in c.aspects:
            keys += [("aspect", a), ("holder_aspect", c.holder, a), ("issuer_aspect", c.issuer, a)]
        if c.settle_phase is not None:
            keys.append(("phase", c.settle_phase))
        for k in keys:
            idx.setdefault(k, []).append(c)

    def _register(self, c: Contract) -> None:
        cls = type(c)
        group = self._classes.get(cls)
        if group is None:
            group = self._classes[cls] = []
            self._ranked = sorted(self._classes, key=lambda k: (k.rank, k.__name__))
            for a in cls.aspects:
                self._aspect_classes.setdefault(a, []).append(cls)
        group.append(c)
        self._lines.pop(cls, None)
        self._structure += 1
        if "revalued" in getattr(cls, "__dataclass_fields__", ()) or "mark_to" in cls.aspects:
            self._revaluing.append(c)
        if c.active and "shares_of_issuer" in c.aspects:
            self._stakes[(c.holder, c.issuer)] = c
        if c.active and "arrears" in c.aspects:
            self._credit[(c.holder, c.issuer)] = c

    def add(self, c: Contract) -> Contract:
        """Register ``c``; a contract whose settlement phase is not a phase of the month is refused."""
        if c.settle_phase is not None and c.settle_phase not in SETTLE_PHASES:
            raise ContractError(f"{type(c).__name__}: settle_phase {c.settle_phase!r} is not a phase of the month; "
                                f"allowed: {', '.join(SETTLE_PHASES)} or None")
        self.contracts.append(c)
        self._index(c)
        self._register(c)
        return c

    @property
    def generation(self) -> int:
        """A number that moves whenever a contract is added or pruned (what callers key lists of
        contracts on; a contract's own changes they check themselves, e.g. ``active``)."""
        return self._structure

    def _state(self, aspect: str) -> tuple:
        """A key that moves whenever a contract implementing ``aspect`` may have changed: a contract
        added or pruned, or an attribute of one assigned (:attr:`Contract._changes`)."""
        return (self._structure, *[cls._changes[0] for cls in self._aspect_classes.get(aspect, ())])

    def _active(self, key: tuple) -> list[Contract]:
        return [c for c in self._index_of.get(key, ()) if c.active]

    # ------------------------------------------------------------------ look-ups by protocol
    def implementing(self, method: Callable) -> list[Contract]:
        """Active contracts whose class implements the protocol method ``method`` (e.g. ``Contract.backlog``)."""
        return self._active(("aspect", aspect_name(method)))

    def issued_by(self, agent: str, method: Callable | str | None = None) -> list[Contract]:
        """Active contracts ``agent`` issued (owes), or only those implementing ``method`` (a
        protocol method; a kind string is accepted for inspection and tests — the model itself
        never selects by kind, ``tests/test_layout.py`` counts)."""
        if method is None:
            return self._active(("issuer", agent))
        if isinstance(method, str):
            return self._active(("issuer_kind", agent, method))
        return self._active(("issuer_aspect", agent, aspect_name(method)))

    def held_by(self, agent: str, method: Callable | str | None = None) -> list[Contract]:
        """Active contracts ``agent`` holds, or only those implementing ``method`` (as :meth:`issued_by`)."""
        if method is None:
            return self._active(("holder", agent))
        if isinstance(method, str):
            return self._active(("holder_kind", agent, method))
        return self._active(("holder_aspect", agent, aspect_name(method)))

    def total(self, contracts: Iterable[Contract], value: Callable[[Contract], float]) -> float:
        """Sum of ``value(c)`` over ``contracts``, class by class in :attr:`Contract.rank` order (each
        class's contracts in the order given): a total that does not depend on which kind came first.
        ``value`` may be a protocol method (``Contract.backlog``): each contract's own is called."""
        if getattr(value, "__qualname__", "").startswith("Contract."):
            value = operator.methodcaller(aspect_name(value))  # the contract's own method
        groups: dict[type, list[Contract]] = {}
        for c in contracts:
            groups.setdefault(type(c), []).append(c)
        total = 0.0
        if len(groups) == 1:  # (one class: nothing to order)
            for group in groups.values():
                total += sum(map(value, group))
            return total
        for cls in sorted(groups, key=lambda k: (k.rank, k.__name__)):
            total += sum(map(value, groups[cls]))
        return total

    # ------------------------------------------------------------------ look-ups by kind (inspection and tests)
    def of_kind(self, kind: str) -> list[Contract]:
        """Active contracts of ``kind`` (for inspection and tests; the model selects by protocol)."""
        return self._active(("kind", kind))

    def by_rank(self, method: Callable | None = None) -> Iterable[list[Contract]]:
        """Active contracts grouped by class, classes in :attr:`Contract.rank` order; with ``method``
        (a protocol method) only the classes that implement it."""
        classes = self._classes
        name = None if method is None else aspect_name(method)
        for cls in self._ranked:
            if name is None or name in cls.aspects:
                yield [c for c in classes[cls] if c.active]

    def ranked(self, contracts: Iterable[Contract]) -> list[Contract]:
        """``contracts`` ordered by class rank, keeping their order within a class."""
        return sorted(contracts, key=lambda c: c.rank)

    def debts(self) -> list[Contract]:
        """Active debt contracts (:attr:`Contract.is_debt`), by class rank, then as added."""
        classes = self._classes
        return [c for cls in self._ranked if cls.is_debt for c in classes[cls] if c.active]

    def in_phase(self, phase: str) -> list[Contract]:
        """Active contracts settled in ``phase``, in the order they were added."""
        return self._active(("phase", phase))

    def stake(self, holder: str, issuer: str):
        """``holder``'s active equity stake in ``issuer``, or None."""
        c = self._stakes.get((holder, issuer))
        return c if c is not None and c.active else None

    def arrears(self, creditor: str, debtor: str):
        """``debtor``'s active arrears to ``creditor`` (a TradeCredit), or None."""
        c = self._credit.get((creditor, debtor))
        return c if c is not None and c.active else None

    def shares_held(self, issuer: str) -> float:
        """Billions of ``issuer``'s shares held by modelled agents (the rest is the outside float):
        the sum over its active stakes, as added (see :meth:`held_shares`)."""
        return self.held_shares().get(issuer, 0)

    def held_shares(self) -> dict[str, float]:
        """:meth:`shares_held` of every issuer with a stake (a dict not to be changed): computed at
        once and kept until a contract implementing ``shares_of_issuer`` changes (:meth:`_state`)."""
        state = self._state("shares_of_issuer")
        if self._held is None or self._held[0] != state:
            if self._stakes_of is None or self._stakes_of[0] != self._structure:  # each issuer's stakes, as added
                groups: dict[str, list[Contract]] = {}
                for c in self._index_of.get(("aspect", "shares_of_issuer"), ()):
                    groups.setdefault(c.issuer, []).append(c)
                self._stakes_of = (self._structure, groups)
            held = {}
            for issuer, stakes in self._stakes_of[1].items():
                shares = [c.shares_of_issuer() for c in stakes if c.active]
                if shares:
                    held[issuer] = sum(shares)
            self._held = (state, held)
        return self._held[1]

    def commitments(self) -> float:
        """$B promised and not yet paid under all contracts (sums kind by kind, in rank order; a
        class that does not implement ``commitment`` adds nothing)."""
        total = 0.0
        for group in self.by_rank(Contract.commitment):
            total += sum(c.commitment() for c in group)
        return total

    def booked_totals(self) -> dict[tuple[str, str], float]:
        """Sum of ``booked()`` lines per (agent, account) over the contracts on balance sheets."""
        out: dict[tuple[str, str], float] = {}
        for cls, group in self._classes.items():
            if not cls.has_lines:
                continue
            for c in group:
                for agent, account, amount in c.booked():
                    out[(agent, account)] = out.get((agent, account), 0.0) + amount
        return out

    def booked_array(self, row_of: dict, col_of: dict, shape: tuple[int, int]) -> np.ndarray:
        """:meth:`booked_totals` as a ledger-shaped array (parties without a balance sheet left out).

        Each class's lines are laid out once and kept until one of its contracts assigns an
        attribute or the class gains or loses a contract (:attr:`Contract._changes`; a class with
        :attr:`Contract.cache_lines` False is laid out every time); the classes' arrays are then
        added up. ``row_of`` and ``col_of`` must not change between calls with the same objects."""
        if self._lines_for is None or self._lines_for[0] is not row_of or self._lines_for[1] is not col_of \
                or self._lines_for[2] != shape:
            self._lines, self._lines_for = {}, (row_of, col_of, shape)
        out = np.zeros(shape)
        lines = self._lines
        for cls, group in self._classes.items():
            if not cls.has_lines:
                continue
            n = cls._changes[0]
            kept = lines.get(cls)
            if kept is None or kept[0] != n or not cls.cache_lines:
                kept = lines[cls] = (n, _lay_out(cls.booked_block(group, row_of, col_of), shape))
            if kept[1] is not None:
                out += kept[1]
        return out

    # ------------------------------------------------------------------ upkeep
    def settle(self, ctx, phase: str, order: dict[str, int]) -> None:
        """Run the monthly settlement of every contract settled in ``phase``: issuer by issuer in
        ``order`` (agent id -> position; parties outside it last), each issuer's contracts in the
        order they were signed."""
        last = len(order)
        for c in sorted(self.in_phase(phase), key=lambda c: order.get(c.issuer, last)):
            c.settle(ctx)

    def revaluation(self) -> dict[str, float]:
        """Cumulative marks booked per holder on stakes and warrants (:attr:`revalued`), pruned ones included."""
        out = dict(self.closed_revaluation)
        for c in self._revaluing:
            if c.revalued:
                out[c.holder] = out.get(c.holder, 0.0) + c.revalued
        return out

    def prune(self) -> None:
        """Drop finished contracts that carry nothing on any balance sheet (keeping their marks).

        The look-ups by party, kind, protocol and phase already skip them (they are inactive, and a
        finished contract is never active again): they leave those indexes when pruned contracts
        make up more than a quarter of the live ones, all at once (the order stays as added)."""
        keep, dropped = [], []
        for c in self.contracts:
            if c.active or (c.has_lines and c.booked()):
                keep.append(c)
            else:
                dropped.append(c)
                if c.revalued:
                    self.closed_revaluation[c.holder] = self.closed_revaluation.get(c.holder, 0.0) + c.revalued
        if not dropped:
            return
        self.contracts = keep
        gone = {id(c) for c in dropped}
        for cls in {type(c) for c in dropped}:
            self._classes[cls] = [c for c in self._classes[cls] if id(c) not in gone]
            self._lines.pop(cls, None)
        self._revaluing = [c for c in self._revaluing if id(c) not in gone]
        for pairs in (self._stakes, self._credit):
            for key in [k for k, c in pairs.items() if id(c) in gone]:
                del pairs[key]
        self._structure += 1
        self._dead += len(dropped)
        if 4 * self._dead > len(keep):
            self._build_index()
