"""Accounting identities at every step: the baseline and >= 50 random parameter draws.

``checks=True`` (the default) makes the economy call ``check_books`` after every step: each
agent's trial balance, cash vs provenance, per-source conservation, the books vs the contract and
fleet registries, and share counts. A broken identity raises ``AccountingError`` and fails the test.
"""

from __future__ import annotations

import numpy as np
import pytest

from ailoop.model import AccountingError, Economy
from ailoop.model.params import PARAMETERS

# economic dials drawn at random (opening balances and population sizes stay at their defaults)
DRAWN = sorted(n for n, p in PARAMETERS.items()
               if p.kind is float and not n.startswith("open_") and n not in ("retail_holders", "n_bond_buyers"))


def random_params(rng: np.random.Generator) -> dict:
    out = {}
    for name in DRAWN:
        p = PARAMETERS[name]
        out[name] = float(rng.uniform(p.lo, p.hi))
    for name in ("build_months", "gpu_life_months", "contract_term_months", "funding_horizon_months"):
        p = PARAMETERS[name]
        out[name] = int(rng.integers(p.lo, p.hi + 1))
    out["lab_contracting"] = bool(rng.integers(0, 2))
    return out


def test_baseline_books_balance_every_step(baseline_run):
    eco = baseline_run
    assert eco.steps == 6 * 252
    eco.check_books()
    led = eco.ledger
    # conservation restated: all cash held = all cash that entered minus all that left (to $1,000:
    # the ledger's tolerance for float rounding over ~10^6 postings)
    assert led.balances[:, 0].sum() == pytest.approx((led.external_in - led.external_out).sum(), abs=1e-6)
    # every financial claim is someone's liability: bonds held == debt issued to bond buyers
    bonds_held = sum(led.get(b.aid, "bonds_held") for b in eco.bond_buyers)
    debt = sum(c.face for c in eco.book.contracts if c.kind in ("bond", "gpu_loan") and c.active)
    assert bonds_held == pytest.approx(debt, rel=1e-9)


@pytest.mark.parametrize("draw", range(50))
def test_random_draws_books_balance_every_step(draw):
    rng = np.random.default_rng(1000 + draw)
    params = random_params(rng)
    eco = Economy(scenario="baseline", seed=draw, **params)
    eco.run(years=1.75)  # through the 2027 contract starts would need more; deals, builds and rounds all fire
    eco.check_books()


def test_tampering_with_a_contract_is_caught():
    eco = Economy(seed=3)
    eco.run(years=0.25)
    bond = next(c for c in eco.book.contracts if c.kind == "bond" and c.active)
    bond.face += 1.0  # a bond grows without any posting
    pattern = rf"({bond.holder} books bonds_held|{bond.issuer} books debt) .* \(imbalance [+-]1\.0+ \$B\)"
    with pytest.raises(AccountingError, match=pattern):
        eco.check_books()
