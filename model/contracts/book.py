"""The contract registry of an economy: every contract, indexed by kind, issuer, holder and phase."""

from __future__ import annotations

from typing import Iterable

import numpy as np

from ailoop.model.contracts.base import Contract


class ContractBook:
    """All contracts of an economy, indexed by kind, issuer and holder.

    Look-ups return active contracts only, in the order they were added; :meth:`prune` drops
    finished contracts that carry nothing on any balance sheet and rebuilds the indexes.
    """

    def __init__(self) -> None:
        self.contracts: list[Contract] = []
        self.closed_revaluation: dict[str, float] = {}  # marks booked on contracts since pruned, by holder
        self.reindex()

    def reindex(self) -> None:
        self._by_kind: dict[str, list[Contract]] = {}
        self._by_issuer: dict[str, list[Contract]] = {}
        self._by_holder: dict[str, list[Contract]] = {}
        self._by_issuer_kind: dict[tuple[str, str], list[Contract]] = {}
        self._by_holder_kind: dict[tuple[str, str], list[Contract]] = {}
        self._by_phase: dict[str, list[Contract]] = {}
        self._classes: dict[type, list[Contract]] = {}
        self._stakes: dict[tuple[str, str], Contract] = {}
        self._credit: dict[tuple[str, str], Contract] = {}
        for c in self.contracts:
            self._index(c)

    def _index(self, c: Contract) -> None:
        self._by_kind.setdefault(c.kind, []).append(c)
        self._by_issuer.setdefault(c.issuer, []).append(c)
        self._by_holder.setdefault(c.holder, []).append(c)
        self._by_issuer_kind.setdefault((c.issuer, c.kind), []).append(c)
        self._by_holder_kind.setdefault((c.holder, c.kind), []).append(c)
        self._classes.setdefault(type(c), []).append(c)
        if c.settle_phase is not None:
            self._by_phase.setdefault(c.settle_phase, []).append(c)
        if c.kind == "equity" and c.active:
            self._stakes[(c.holder, c.issuer)] = c
        if c.kind == "trade_credit" and c.active:
            self._credit[(c.holder, c.issuer)] = c

    def add(self, c: Contract) -> Contract:
        self.contracts.append(c)
        self._index(c)
        return c

    # ------------------------------------------------------------------ look-ups
    def of_kind(self, kind: str) -> list[Contract]:
        return [c for c in self._by_kind.get(kind, ()) if c.active]

    def issued_by(self, agent: str, kind: str | None = None) -> list[Contract]:
        if kind is None:
            return [c for c in self._by_issuer.get(agent, ()) if c.active]
        return [c for c in self._by_issuer_kind.get((agent, kind), ()) if c.active]

    def held_by(self, agent: str, kind: str | None = None) -> list[Contract]:
        if kind is None:
            return [c for c in self._by_holder.get(agent, ()) if c.active]
        return [c for c in self._by_holder_kind.get((agent, kind), ()) if c.active]

    def by_rank(self) -> Iterable[list[Contract]]:
        """Active contracts grouped by class, classes in :attr:`Contract.rank` order."""
        for cls in sorted(self._classes, key=lambda k: (k.rank, k.__name__)):
            yield [c for c in self._classes[cls] if c.active]

    def ranked(self, contracts: Iterable[Contract]) -> list[Contract]:
        """``contracts`` ordered by class rank, keeping their order within a class."""
        return sorted(contracts, key=lambda c: c.rank)

    def debts(self) -> list[Contract]:
        """Active debt contracts (:attr:`Contract.is_debt`), by class rank, then as added."""
        return [c for group in self.by_rank() for c in group if c.is_debt]

    def in_phase(self, phase: str) -> list[Contract]:
        """Active contracts settled in ``phase``, in the order they were added."""
        return [c for c in self._by_phase.get(phase, ()) if c.active]

    def stake(self, holder: str, issuer: str):
        """``holder``'s active equity stake in ``issuer``, or None."""
        c = self._stakes.get((holder, issuer))
        return c if c is not None and c.active else None

    def arrears(self, creditor: str, debtor: str):
        """``debtor``'s active arrears to ``creditor`` (a TradeCredit), or None."""
        c = self._credit.get((creditor, debtor))
        return c if c is not None and c.active else None

    def shares_held(self, issuer: str) -> float:
        """Billions of ``issuer``'s shares held by modelled agents (the rest is the outside float)."""
        return sum(c.shares for c in self.issued_by(issuer, "equity"))

    def commitments(self) -> float:
        """$B promised and not yet paid under all contracts (sums kind by kind, in rank order)."""
        total = 0.0
        for group in self.by_rank():
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
        """:meth:`booked_totals` as a ledger-shaped array (parties without a balance sheet left out)."""
        rows, cols, vals = [], [], []
        for cls, group in self._classes.items():
            if cls.has_lines:
                r, c, v = cls.booked_block(group, row_of, col_of)
                rows += r
                cols += c
                vals += v
        out = np.zeros(shape)
        np.add.at(out, (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)), np.array(vals, dtype=float))
        return out

    # ------------------------------------------------------------------ upkeep
    def settle(self, economy, phase: str) -> None:
        """Run the monthly settlement of every contract settled in ``phase``."""
        for c in self.in_phase(phase):
            c.settle(economy)

    def revaluation(self) -> dict[str, float]:
        """Cumulative marks booked per holder on stakes and warrants (:attr:`revalued`), pruned ones included."""
        out = dict(self.closed_revaluation)
        for c in self.contracts:
            if c.revalued:
                out[c.holder] = out.get(c.holder, 0.0) + c.revalued
        return out

    def prune(self) -> None:
        """Drop finished contracts that carry nothing on any balance sheet (keeping their marks);
        the indexes keep their order."""
        keep, dropped = [], set()
        for c in self.contracts:
            if c.active or (c.has_lines and c.booked()):
                keep.append(c)
            else:
                dropped.add(id(c))
                if c.revalued:
                    self.closed_revaluation[c.holder] = self.closed_revaluation.get(c.holder, 0.0) + c.revalued
        if not dropped:
            return
        self.contracts = keep
        for index in (self._by_kind, self._by_issuer, self._by_holder, self._by_issuer_kind, self._by_holder_kind,
                      self._by_phase, self._classes):
            for key, group in index.items():
                index[key] = [c for c in group if id(c) not in dropped]
        for pairs in (self._stakes, self._credit):
            for key in [k for k, c in pairs.items() if id(c) in dropped]:
                del pairs[key]
