"""Hand-built situations for the threshold tests: an economy at its opening (September 2025, before
any month has run), then manipulated through public names — a fleet, a GPU price, a loan's face,
an agent's cash — so that the quantity a rule compares with its limit is a round number a test can
compute by hand.

Everything a test sets up goes through these helpers, so that adapting the tests to a change of
the model's internals is one place. Amounts in $B, GPUs in millions, prices in $ thousand per GPU.
"""

from __future__ import annotations

from ailoop.model import Economy
from ailoop.model.capacity import Cohort
from ailoop.model.contracts import owe

#: months since installation of every GPU in the opening fleets (``open_gpu_age_months_other``)
OPENING_GPU_AGE = 12


def opening_economy(**params) -> Economy:
    """Seed 1 at its opening, checks off (tests call the one service they exercise)."""
    return Economy(seed=1, checks=False, **params)


def set_gpu_prices(eco: Economy, new_price: float) -> float:
    """Set chip_leader's new-GPU price to ``new_price``, the spot rent to its reference (so rent
    does not cut used prices) and remove any fire-sale impact: a GPU of age ``a`` months is then
    worth the new price x (1 - a / life) used. The market's used-GPU price (at which fire sales
    are struck) is set to that of a GPU of the opening fleets (``OPENING_GPU_AGE`` months old),
    which is returned."""
    market = eco.gpu_market
    eco.agent("chip_leader").gpu_price = new_price
    market.rent = eco.params["rent_ref"]
    market.fire_sale_impact = 1.0
    market.used_price = market.used_price_at(OPENING_GPU_AGE)
    return market.used_price


def set_fleet(eco: Economy, aid: str, units: float, age: int = OPENING_GPU_AGE) -> None:
    """Replace ``aid``'s GPUs by one cohort of ``units`` million GPUs installed ``age`` months ago,
    at the book value its ledger shows (so the books still reconcile)."""
    fleet = eco.agent(aid).fleet
    book = eco.ledger.get(aid, "gpus")
    fleet.cohorts = [Cohort(units=units, cost=book, month=eco.month - age, life=int(eco.params["gpu_life_months"]))]


def set_total_face(eco: Economy, loans: list, total: float) -> None:
    """Bring the face of ``loans`` to ``total`` $B, pro rata to their faces, by further draws
    (each lender funds its part from its outside investors) or repayments from the borrower's cash."""
    face = sum(c.face for c in loans)
    for c in loans:
        d = total * c.face / face - c.face
        if d > 0:
            eco.agent(c.holder).fund(d)
            c.draw(eco.ledger, d, "debt issue (test)")
        elif d < 0:
            c.repay(eco.ledger, -d, "principal (test)", close=False)
    assert abs(sum(c.face for c in loans) - total) < 1e-12


def set_cash(eco: Economy, aid: str, cash: float) -> None:
    """``aid`` spends all its cash on operating costs, then earns ``cash`` $B of outside income."""
    led = eco.ledger
    led.pay_external(aid, "operating_costs", led.cash(aid), "retained", "capacity operations (test)")
    if cash > 0:
        led.receive_external(aid, "non_ai_business", cash, "retained", "non-AI business (test)")
    assert abs(led.cash(aid) - cash) < 1e-12


def owe_bill(eco: Economy, payer: str, payee: str, amount: float, memo: str = "interest") -> None:
    """``payer`` owes ``payee`` ``amount`` $B it was billed and did not pay (arrears)."""
    owe(eco.ledger, eco.book, payer, payee, amount, "retained", "retained", memo)


def debts(eco: Economy, aid: str, kind: str | None = None) -> list:
    """The active debt contracts ``aid`` issued (of ``kind`` if given), in registry order."""
    return [c for c in eco.book.issued_by(aid, kind) if c.is_debt]


def events(eco: Economy, event: str, agent: str | None = None) -> list[dict]:
    """The events named ``event`` (of ``agent`` if given), oldest first."""
    return [e for e in eco.events if e["event"] == event and (agent is None or e["agent"] == agent)]


def the_event(eco: Economy, event: str, agent: str) -> dict:
    """The one event named ``event`` of ``agent`` (fails, saying how many there were, otherwise)."""
    found = events(eco, event, agent)
    assert len(found) == 1, f"expected one {event!r} event of {agent}, found {len(found)}"
    return found[0]
