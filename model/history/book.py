"""Tools the deal book's events share: dates, syndicates, placements, leases.

Every event of the book (``model/history/*.py``) is a :class:`~ailoop.model.deals.DealEvent`
whose ``apply(economy)`` makes the decisions the book reports with the model's own mechanisms —
contracts signed through the registry, money moved through the ledger, GPUs ordered from the
chipmakers — and returns the $B the news is worth. The helpers here do what several events do:
syndicate a construction loan among banks, place a vehicle's bonds, sign a data-centre lease.
Money in $B, capacity in GW, time in months.
"""

from __future__ import annotations

import datetime as dt

from ailoop.model.contracts import ConstructionLoan, Contract, DataCentreLease
from ailoop.model.deals import DealEvent

#: the last day the deal book covers: from it the agents take the decisions it reported
BOOK_END = dt.date(2026, 7, 1)


def month_of(economy, year: int, month: int) -> int:
    """Model month of calendar ``year``-``month`` (0 = September 2025)."""
    return (year - economy.start.year) * 12 + (month - economy.start.month)


def event(date: dt.date, name: str, apply, announced_by: tuple[str, ...] = (), kind: str = "deal announced") -> DealEvent:
    """A dated entry of the book; ``kind`` is the event recorded when it fires (a deal is announced;
    a delay, a lapse or a plan is a ``deal-book event``)."""
    return DealEvent(date, name, apply, announced_by, kind)


def banks(economy, n: int) -> list:
    """The ``n`` bond buyers with the most money to lend now (a syndicate's banks, lead first)."""
    buyers = sorted(economy.bond_buyers, key=lambda b: (-(b.capacity + max(0.0, b.cash)), b.unique_id))
    return buyers[:max(1, n)]


def construction_loans(economy, borrower, site, total: float, lenders: list, tenant: str, name: str,
                       drawn: float = 0.0, issued_month: int | None = None) -> list:
    """Syndicate ``total`` $B of construction loans to ``borrower`` for ``site`` among ``lenders``
    (agents with ``fund``; equal shares), at ``construction_loan_spread`` over the risk-free rate,
    priced against ``tenant``'s credit. ``drawn`` $B already lent (the opening): booked against
    paid-in capital on both sides. Returns the lender shares (registered)."""
    p, led = economy.params, economy.ledger
    spread = p["construction_loan_spread"]
    start = economy.month if issued_month is None else issued_month
    tenant_spread = economy.credit.spread(economy.agent(tenant), sentiment=0.0 if economy.steps == 0 else None)
    out = []
    for lender in lenders:
        share = total / len(lenders)
        face = drawn / len(lenders)
        c = ConstructionLoan(holder=lender.aid, issuer=borrower.aid, face=face, coupon=p["risk_free_rate"] + spread,
                             issued_month=start, maturity_month=start + int(p["construction_loan_months"]),
                             spread=spread, limit=share, drawn=face, site=site, tenant=tenant, tenant_spread=tenant_spread,
                             amort_months=int(p["construction_loan_amort_months"]),
                             extension_months=int(p["construction_loan_extension_months"]),
                             extension_fee=p["construction_loan_extension_fee"], name=name)
        if face > 0:
            led.open_position(borrower.aid, "debt", face)
            led.open_position(lender.aid, "bonds_held", face)
        out.append(economy.book.add(c))
    return out


def place(economy, issuer: str, allocations: list[tuple[str, float]], make) -> float:
    """Sell ``issuer``'s new debt: each ``(holder, $B)`` of ``allocations`` funds its part (as far as
    it can: its cash after drawing its own sources) and gets the contract ``make(holder, face)``.
    Returns the $B raised."""
    led = economy.ledger
    raised = 0.0
    for holder, x in allocations:
        lender = economy.agent(holder)
        lender.fund(x)
        x = min(x, max(0.0, led.cash(holder)))
        if x <= 1e-12:
            continue
        c = make(holder, x)
        led.transfer(holder, issuer, x, "bonds_held", "debt", f"debt issue ({c.kind})", ref=c)
        economy.book.add(c)
        raised += x
    if raised > 0:
        economy.agent(issuer).add_flow("debt_raised", raised)
    return raised


def pro_rata(economy, total: float) -> list[tuple[str, float]]:
    """``total`` $B spread over the bond buyers in proportion to the money each can lend now."""
    room = [(b.aid, b.capacity + max(0.0, b.cash)) for b in economy.bond_buyers]
    whole = sum(x for _, x in room)
    return [(a, total * x / whole) for a, x in room if x > 0] if whole > 0 else []


def lease(economy, lessee: str, lessor, site, *, gw: float, term_months: int, name: str, renewal_months: int = 0,
          rvg_share: float = 0.0, rvg_months: int = 0, build_months: int | None = None) -> DataCentreLease:
    """Sign a lease of ``gw`` GW of ``site`` (the lessor's shell) to ``lessee`` at the table's rent and
    terms; the whole shell is due ``build_months`` (the developer's build time) from now."""
    p = economy.params
    build = int(p["developer_build_months"]) if build_months is None else build_months
    c = DataCentreLease(holder=lessee, issuer=lessor.aid, gw=gw, rent_per_gw_year=p["dc_lease_rent_per_gw_year"],
                        term_months=term_months, renewal_months=renewal_months, site=site,
                        shell_cost=site.shell_cost if site is not None else gw * p["shell_capex_per_gw"],
                        delivery_month=economy.month + build, grace_months=int(p["dc_lease_grace_months"]),
                        late_credit_share=p["dc_late_credit_share"],
                        rate=(p["risk_free_rate"] + p["construction_loan_spread"]) / 12.0,
                        relet_share=p["dc_relet_share"], rvg_share=rvg_share, rvg_months=rvg_months, name=name)
    return economy.book.add(c)


def site_of(economy, owner: str, name: str):
    """The site called ``name`` of developer ``owner`` (None if it has none by that name)."""
    for pr in economy.agent(owner).fleet.projects:
        if pr.purpose == name:
            return pr
    return None


def contract_named(contracts, name: str):
    """The first of ``contracts`` whose ``name`` is ``name`` (None if none)."""
    for c in contracts:
        if getattr(c, "name", "") == name:
            return c
    return None


def lapse_intent(economy, holder: str, name: str, reason: str) -> float:
    """The letter of intent ``name`` that ``holder`` holds lapses, no definitive agreement signed
    (``reason`` in the event log). Returns the $B it had announced (0 if there is none)."""
    c = contract_named(economy.book.held_by(holder, Contract.intended), name)
    if c is None:
        return 0.0
    size = c.announced
    c.lapse(economy.ctx, reason)
    return size
