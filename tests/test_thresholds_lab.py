"""The lab's funding triggers on both sides, with numbers computed by hand on the opening economy
(``tests/handbuilt.py``): the runway that makes it raise a round, the share of a round below which
the round has failed, and the conditional commitments that stop a round from closing."""

from __future__ import annotations

import pytest

from handbuilt import events, opening_economy

OPENING_CASH_LAB = 17.5  # $B (open_cash_lab)
# the lab's signed contracts at the opening, a month at full delivery: 1.2 GW x 8 + 0.3 GW x 10
# (a year, /12) + the neocloud's 15.9 $B over 60 months
COMMITTED_MONTHLY = 1.2 * 8 / 12 + 0.3 * 10 / 12 + 15.9 / 60  # = 1.315 $B


# ---------------------------------------------------------------------------- runway trigger
def lab_burning(burn: float):
    """The lab at its opening, having burnt ``burn`` $B in each of the last three months."""
    eco = opening_economy()
    lab = eco.agent("lab")
    assert lab.cash == pytest.approx(OPENING_CASH_LAB) and eco.params["runway_trigger_months"] == 12
    assert lab.committed_monthly() == pytest.approx(COMMITTED_MONTHLY)
    lab.burn_history = [burn, burn, burn]
    return eco, lab


def test_a_lab_with_just_over_a_years_runway_raises_nothing():
    eco, lab = lab_burning(1.45)  # 17.5 / 1.45 = 12.07 months
    lab.raise_if_short()
    assert not eco.rounds.history
    assert not [e for e in eco.events if e["agent"] == "lab" and "round" in e["event"]]


def test_a_lab_with_just_under_a_years_runway_asks_for_two_years_of_burn():
    """17.5 / 1.47 = 11.9 months of runway: a round of 24 months of burn (1.47 > the 1.315 $B a
    month its contracts will cost) less its cash: 24 x 1.47 - 17.5 = 17.78 $B."""
    eco, lab = lab_burning(1.47)
    lab.raise_if_short()
    (r,) = eco.rounds.history
    assert r["lab"] == "lab" and r["size"] == pytest.approx(24 * 1.47 - 17.5, rel=1e-12)


# ---------------------------------------------------------------------------- failed rounds
def round_offers(ticket: float):
    """A round of 100 $B for the lab with each of the three venture funds offering ``ticket`` $B
    (their largest ticket; each could offer more: half of what it has available, at least 15 $B,
    and the market's appetite multiplier is capped at 1) and the lab's partner hyper_1 its
    strategic 10% (10 $B): ``3 x ticket + 10`` $B offered."""
    eco = opening_economy()
    lab = eco.agent("lab")
    assert eco.rounds.appetite(lab) >= 1.0 and eco.params["strategic_round_share"] == 0.1
    for f in eco.venture_funds:
        assert f.appetite * f.available() >= 15.0
        f.max_ticket = ticket
    assert eco.agent("hyper_1").cash > 10.0
    return eco, lab


@pytest.mark.parametrize("ticket, kind", [(13.0, "failed round"), (13.7, "closed")])
def test_a_round_that_raises_less_than_half_its_size_has_failed(ticket, kind):
    """3 x 13.0 + 10 = 49 $B raised of 100 < 50%: a failed round; 3 x 13.7 + 10 = 51.1 $B: a
    round (up or down). Either way the money offered is raised (no minimum)."""
    eco, lab = round_offers(ticket)
    raised = eco.rounds.raise_round(lab, 100.0)
    assert raised == pytest.approx(3 * ticket + 10.0, rel=1e-12)
    (e,) = [e for e in eco.events if e["agent"] == "lab" and "round" in e["event"]]
    if kind == "failed round":
        assert e["event"] == "failed round"
    else:
        assert e["event"] in ("round", "down round")


@pytest.mark.parametrize("minimum, closes", [(48.9, True), (49.1, False)])
def test_a_round_closes_only_if_the_offers_reach_its_minimum(minimum, closes):
    """49 $B offered (tickets of 13.0): a minimum of 48.9 lets it close; with 49.1 it does not and
    no money moves."""
    eco, lab = round_offers(13.0)
    cash = eco.ledger.cash("lab")
    raised = eco.rounds.raise_round(lab, 100.0, minimum)
    if closes:
        assert raised == pytest.approx(49.0, rel=1e-12)
        assert eco.ledger.cash("lab") - cash == pytest.approx(49.0 - 5.0, rel=1e-12)  # 5 $B of it in cloud credits
    else:
        assert raised == 0.0 and eco.ledger.cash("lab") == cash
        (e,) = events(eco, "failed round", "lab")
        assert "did not close" in e["cause"]
