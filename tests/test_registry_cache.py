"""What the registries keep between calls always equals what they would compute from scratch.

The contract registry keeps each class's booked lines until one of its contracts assigns an
attribute, every issuer's shares held until a stake changes, and leaves pruned contracts in its
look-up indexes until they are rebuilt; fleets keep their unfinished projects; the economy keeps
each group's live agents. Each test compares the kept result with one computed here by hand from
the contracts, projects and agents themselves, after the changes that must move it - and checks
that a contract changed behind the books' back after a check is still caught by the next one.
"""

from __future__ import annotations

import numpy as np
import pytest

from ailoop.model import AccountingError, Economy
from ailoop.model.capacity import Fleet, Project
from ailoop.model.contracts import ASPECTS, ContractBook
from ailoop.model.ledger import ACCOUNT_INDEX, Ledger


@pytest.fixture(scope="module")
def run():
    """Seed 3 over two years, checks off: many contracts added, settled and pruned."""
    eco = Economy(seed=3, checks=False)
    eco.run(years=2)
    return eco


def booked_by_hand(eco: Economy) -> np.ndarray:
    """Every active-or-booked contract's ``booked()`` lines added up cell by cell."""
    led = eco.ledger
    out = np.zeros(led.balances.shape)
    for c in eco.book.contracts:
        for agent, account, amount in c.booked():
            if agent in led.index:
                out[led.index[agent], ACCOUNT_INDEX[account]] += amount
    return out


def test_kept_lines_follow_every_assignment(run):
    eco = run
    led = eco.ledger
    book = eco.book
    first = book.booked_array(led.index, ACCOUNT_INDEX, led.balances.shape)
    assert np.allclose(first, booked_by_hand(eco), rtol=1e-12, atol=1e-9)
    bond = next(c for c in book.contracts if c.kind == "bond" and c.active)
    stake = next(c for c in book.contracts if c.kind == "equity" and c.active and c.holder in led.index)
    i, j = led.index[bond.holder], led.index[stake.holder]
    bond.face += 2.0  # kept lines must not hide it
    stake.shares += 1.0
    second = book.booked_array(led.index, ACCOUNT_INDEX, led.balances.shape)
    assert second[i, ACCOUNT_INDEX["bonds_held"]] - first[i, ACCOUNT_INDEX["bonds_held"]] == pytest.approx(2.0)
    assert second[j, ACCOUNT_INDEX["equity_stakes"]] - first[j, ACCOUNT_INDEX["equity_stakes"]] == pytest.approx(
        stake.mark)
    assert np.allclose(second, booked_by_hand(eco), rtol=1e-12, atol=1e-9)
    bond.face -= 2.0
    stake.shares -= 1.0
    assert np.allclose(book.booked_array(led.index, ACCOUNT_INDEX, led.balances.shape), first, rtol=1e-12, atol=1e-9)


#: one attribute per class with balance-sheet lines that moves what it books ($B or shares)
TAMPER = {"bond": "face", "equity": "shares", "chip_order": "prepaid", "margin_loan": "amount",
          "contract_loan": "face", "revolver": "face", "term_loan": "face", "warrant": "vested_shares"}


@pytest.mark.parametrize("kind", sorted(TAMPER))
def test_a_contract_changed_without_a_posting_after_a_check_is_caught(kind):
    """The full check passes (and lays out every class's lines); one contract's booked value then
    changes with no posting: the next check names its party and the account."""
    eco = Economy(seed=3, check_every=21)
    eco.run(years=1)  # ends with a full check
    led = eco.ledger
    c = next(c for c in eco.book.contracts if c.kind == kind and c.booked()
             and all(agent in led.index for agent, _, _ in c.booked()))
    setattr(c, TAMPER[kind], getattr(c, TAMPER[kind]) + 0.5)
    parties = "|".join(sorted({agent for agent, _, _ in c.booked()}))
    with pytest.raises(AccountingError, match=rf"({parties}) books \w+ at .* but its contracts say"):
        eco.check_books()


def test_pruned_registry_answers_every_lookup_as_a_fresh_one(run):
    """Look-ups of the running registry (pruned contracts left in its indexes) return the same
    contracts in the same order as a registry rebuilt from its live contracts."""
    eco = run
    book = eco.book
    fresh = ContractBook()
    fresh.contracts = list(book.contracts)
    fresh.reindex()
    assert book._dead > 0 or book.generation > 0  # (prunes happened)
    agents = sorted({c.holder for c in book.contracts} | {c.issuer for c in book.contracts})
    for name in ASPECTS:
        method = getattr(type(book.contracts[0]), name)
        assert book.implementing(method) == fresh.implementing(method), name
        for a in agents:
            assert book.issued_by(a, method) == fresh.issued_by(a, method), (a, name)
            assert book.held_by(a, method) == fresh.held_by(a, method), (a, name)
    for a in agents:
        assert book.issued_by(a) == fresh.issued_by(a) and book.held_by(a) == fresh.held_by(a)
    for phase in ("billing", "investments", "warrants"):
        assert book.in_phase(phase) == fresh.in_phase(phase)
    assert [g for g in book.by_rank() if g] == [g for g in fresh.by_rank() if g]  # (a class pruned empty yields [])
    assert book.debts() == fresh.debts()


def test_shares_held_are_the_active_stakes_summed(run):
    eco = run
    by_hand: dict[str, float] = {}
    for c in eco.book.contracts:
        if c.kind == "equity" and c.active:
            by_hand[c.issuer] = by_hand.get(c.issuer, 0.0) + c.shares
    held = eco.book.held_shares()
    assert set(held) == set(by_hand)
    for issuer, shares in by_hand.items():
        assert held[issuer] == pytest.approx(shares, rel=1e-12)
    stake = next(c for c in eco.book.contracts if c.kind == "equity" and c.active)
    stake.shares += 0.25  # a stake changes: the kept sums follow
    assert eco.book.shares_held(stake.issuer) == pytest.approx(by_hand[stake.issuer] + 0.25, rel=1e-12)
    stake.active = False  # a stake closed: it no longer counts
    assert eco.book.shares_held(stake.issuer) == pytest.approx(by_hand[stake.issuer] - (stake.shares - 0.25),
                                                                rel=1e-9, abs=1e-12)
    stake.active = True
    stake.shares -= 0.25


def test_a_fleets_unfinished_projects_follow_every_change():
    led = Ledger(["x"])
    led.open_position("x", "cash", 1000.0)
    f = Fleet("x")
    f.projects.append(Project("x", 1.0, 0, 4, 8.0, 1.0, "v"))
    f.projects.append(Project("x", 1.0, 0, 2, 2.0, 1.0, "v"))
    f.projects.append(Project("x", 1.0, 0, 0, 0.0, 1.0, "v", purpose="opening"))  # finished from the start

    def unfinished() -> list:
        return [p for p in f.projects if p.shell_spent < p.shell_cost - 1e-12]

    assert f.building() == unfinished() == f.projects[:2]
    f.pay_shells(led, 1000.0)
    f.pay_shells(led, 1000.0)  # the 2-month shell is finished: $1B a month
    assert f.building() == unfinished() == f.projects[:1]
    f.projects[1].shell_spent = 1.0  # (not in the model) a finished shell reopened
    assert f.building() == unfinished() == f.projects[:2]
    f.projects.insert(0, Project("x", 1.0, 0, 5, 5.0, 1.0, "v"))
    assert f.building() == unfinished() == f.projects[:3]
    f.projects = [p for p in f.projects if p.build_months != 4]  # a list replaced
    assert f.building() == unfinished()
    spent = led.get("x", "construction")
    f.pay_shells(led, 1000.0)  # one month: $1B + $1B (the reopened shell's last) ...
    assert led.get("x", "construction") + led.get("x", "dc_plant") == pytest.approx(spent + 2.0 + 2.0)
    assert f.building() == unfinished()


def test_live_groups_follow_defaults(run):
    eco = Economy(seed=3, checks=False)
    group = eco.providers
    before = list(group)
    assert eco.live_members(group) == before and list(eco.live(group)) == before
    victim = before[0]
    victim.defaulted = True  # whoever sets it
    try:
        assert eco.live_members(group) == before[1:] and list(eco.live(group)) == before[1:]
    finally:
        victim.defaulted = False
    assert eco.live_members(group) == before


def test_small_sums_are_numpys():
    from ailoop.model.metrics import _small_sum

    rng = np.random.default_rng(7)
    for n in range(1, 8):
        for _ in range(200):
            x = rng.standard_normal(n) * np.exp(5.0 * rng.standard_normal(n))
            a, b = _small_sum(x.tolist()), float(np.sum(x))
            assert a == b and np.signbit(a) == np.signbit(b)
