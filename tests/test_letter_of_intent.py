"""Letters of intent bind nobody until the parties sign; a class's strength is one of three."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytest

from ailoop.model import Economy
from ailoop.model.contracts import Contract, ContractError, LetterOfIntent, StagedInvestment


def intent(eco, cap: float = 100.0) -> LetterOfIntent:
    lab = eco.agent("lab")
    staged = StagedInvestment(holder="chip_leader", issuer="lab", per_gw=10.0, cap=cap,
                              gw_base=lab.deployed_gw("chip_leader"), name="chip_leader-lab")
    return eco.book.add(LetterOfIntent(holder="chip_leader", issuer="lab", definitive=staged, name="LOI",
                                       announced=cap, expires_month=eco.month + 6))


@pytest.fixture
def eco():
    return Economy(seed=1, checks=False)


def test_an_intent_commits_nothing_until_signed_then_its_definitive_terms_bind(eco):
    before = eco.book.commitments()
    loi = intent(eco, cap=80.0)
    assert eco.book.commitments() == pytest.approx(before, abs=1e-12)  # nothing binding yet
    c = loi.sign(eco.ctx)
    assert c is loi.definitive and c.active and not loi.active
    assert eco.book.commitments() - before == pytest.approx(80.0, rel=1e-12)  # the cap, now committed
    assert [e["event"] for e in eco.events][-1] == "letter of intent signed"
    assert loi.sign(eco.ctx) is None  # signed once


def test_the_market_reads_the_intended_pipeline_as_the_definitive_deal_would_promise_it(eco):
    ex, chip = eco.exchange, eco.agent("chip_leader")
    odds = {"lab": 1.0}
    base = ex.pipeline(chip, odds)
    loi = intent(eco)
    with_intent = ex.pipeline(chip, odds)
    # by hand: the framework's 100 $B / 10 $B per GW = 10 GW, at 0.45 M GPUs per GW and today's price
    expected = 10.0 * eco.params["gpus_per_gw"] * chip.gpu_price
    assert base == 0.0  # at the opening no deal promises chip_leader anything not yet ordered
    assert with_intent == pytest.approx(expected, rel=1e-9)
    loi.lapse(eco.ctx, "test")
    assert ex.pipeline(chip, odds) == pytest.approx(base, rel=1e-12)


def test_a_lapse_pays_nothing_and_is_news(eco):
    loi = intent(eco)
    cash = eco.ledger.cash("chip_leader"), eco.ledger.cash("lab")
    loi.lapse(eco.ctx, "the parties could not agree")
    assert not loi.active and (eco.ledger.cash("chip_leader"), eco.ledger.cash("lab")) == cash
    e = eco.events[-1]
    assert e["event"] == "letter of intent lapsed" and e["size"] == 100.0 and "could not agree" in e["cause"]


def test_a_partys_default_lapses_the_intent(eco):
    loi = intent(eco)
    eco.defaults.default(eco.agent("lab"), "test")
    assert not loi.active and any(e["event"] == "letter of intent lapsed" for e in eco.events)


def test_a_strength_outside_the_three_is_refused_in_one_line():
    with pytest.raises(ContractError, match=r"^Soft: strength 'maybe' is not allowed; allowed: binding, cancellable, intent$"):
        @dataclass(eq=False)
        class Soft(Contract):  # noqa: F841 - defining it is the test
            strength: ClassVar[str] = "maybe"
