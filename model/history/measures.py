"""The history world's extra columns: what its actors owe and guarantee off their balance sheets,
the labs' commitments and intents, each lab's demand, and the private-credit fund's losses.

Appended to the model table (one row per trading day) after the columns every run has, each
computed from the contract protocol (a new kind of contract that implements the method is counted
with no change here):

* ``lease_commitments.<id>`` — rent a capacity owner still owes under the data-centre leases it
  holds, commenced or not (``Contract.lease_commitment``), $B;
* ``rvg_exposure.<id>`` — the most its residual-value guarantees could cost it now
  (``Contract.guarantee_exposure``), $B;
* ``jv_debt.<id>`` — its share of the debt of the vehicles it owns jointly
  (``Contract.look_through_debt``), $B; for capacity owners and ``private_credit``;
* ``commitments.<lab>`` — what each lab has promised and not paid (``Contract.commitment`` of the
  contracts it holds), $B; ``intents.<lab>`` — what the letters of intent it holds would add if
  signed (``Contract.intended``), $B;
* ``demand.<lab>`` — each lab's end-user demand this month, $B/month; ``lab_share.lab_2`` — lab_2's
  share of the demand the labs compete for;
* ``loss.private_credit`` — the fund's cumulative losses (+) or gains (-): marks on its loans,
  bonds and stakes and its write-offs, $B.
"""

from __future__ import annotations

import numpy as np

from ailoop.model.contracts import Contract
from ailoop.model.ledger import ACCOUNT_INDEX
from ailoop.model.metrics import EconomyCollector


class HistoryCollector(EconomyCollector):
    """The data collector with the history world's columns appended."""

    def __init__(self, economy):
        super().__init__(economy)
        self.owner_ids = [o.aid for o in economy.capacity_owners]
        self.jv_ids = [*self.owner_ids, "private_credit"]
        self.lab_ids = [lab.aid for lab in economy.labs]
        extra = [f"lease_commitments.{a}" for a in self.owner_ids] + [f"rvg_exposure.{a}" for a in self.owner_ids]
        extra += [f"jv_debt.{a}" for a in self.jv_ids]
        extra += [f"commitments.{a}" for a in self.lab_ids] + [f"intents.{a}" for a in self.lab_ids]
        extra += [f"demand.{a}" for a in self.lab_ids] + ["lab_share.lab_2", "loss.private_credit"]
        self.extra_columns = extra
        self._n_base = len(self.columns)
        self.columns = [*self.columns, *extra]  # the parent's row has room for them: filled here
        self._extra_version = -1
        self._extra = np.zeros(len(extra))

    def collect(self, model) -> None:
        super().collect(model)
        economy = self.economy
        if self._extra_version != economy.version:
            self._extra = np.array(self.extra_values(), dtype=float)
            self._extra_version = economy.version
        self.rows[-1][self._n_base:] = self._extra

    def extra_values(self) -> list[float]:
        economy = self.economy
        book, ctx = economy.book, economy.ctx

        def held(aid: str, method) -> float:
            return book.total(book.held_by(aid, method), method)

        out = [held(a, Contract.lease_commitment) for a in self.owner_ids]
        out += [held(a, Contract.guarantee_exposure) for a in self.owner_ids]
        out += [sum(c.look_through_debt(ctx) for c in book.held_by(a, Contract.look_through_debt)) for a in self.jv_ids]
        out += [held(a, Contract.commitment) for a in self.lab_ids]
        out += [held(a, Contract.intended) for a in self.lab_ids]
        out += [economy.agent(a).demand() for a in self.lab_ids]
        out.append(economy.demand.lab_share("lab_2"))
        led = economy.ledger
        reval = led.get("private_credit", "revaluation")
        out.append(-reval + economy.defaults.writeoffs.get("private_credit", 0.0))
        return out
