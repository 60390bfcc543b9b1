"""The opening balance sheets (September 2025) and the contracts already in force.

Figures come from the parameter table (``open_<item>_<agent>``, sources in ``model/opening.py``):
cash and other assets, capacity online with its GPUs and plant, debt spread over the bond buyers
(GPU-backed loans for the neocloud, a margin loan for the levered fund), equity stakes, unused
cloud credits, and the capacity contracts signed before the model starts (assumptions, see
``docs/model.md``). Every position is opened against paid-in capital.
"""

from __future__ import annotations

from ailoop.model.contracts import Bond, CloudCredits, GpuLoan

#: each firm's opening debt is split into this many bonds (a venture fund's margin loan is one)
OPENING_TRANCHES = 10
#: the opening base spread of each issuer (others: investment grade)
OPENING_SPREAD = {"cloud": "spread_cloud", "neocloud": "spread_neocloud", "vc_levered": "spread_margin_loan"}


def open_books(economy) -> None:
    """Post the opening balance sheets and register the contracts in force."""
    _open_assets(economy)
    _open_debt(economy)
    _open_stakes(economy)
    _open_contracts(economy)


def _opening(economy, item: str, agent: str) -> float:
    return economy.params[f"open_{item}_{agent}"]


def _open_assets(economy) -> None:
    p, led = economy.params, economy.ledger
    for aid in led.agent_ids:
        for item in ("cash", "other_assets"):
            key = f"open_{item}_{aid}"
            if key in p and p[key] > 0:
                led.open_position(aid, item, p[key])
    life = int(p["gpu_life_months"])
    for owner in economy.capacity_owners:
        key = f"open_online_gw_{owner.aid}"
        if key in p and p[key] > 0:
            gw = p[key]
            owner.fleet.open_existing(led, gw, p["gpus_per_gw"], gw * _opening(economy, "gpu_book_per_gw", "other"),
                                      gw * _opening(economy, "plant_book_per_gw", "other"), 0, life,
                                      int(_opening(economy, "gpu_age_months", "other")), "chip_leader")


def _open_debt(economy) -> None:
    """Opening debt in tranches spread over the bond buyers, priced at today's spread without the
    sentiment add-on: bonds maturing a year apart, GPU-backed loans (the neocloud) with 36 of 48
    months left, the levered fund's margin loan due in two years."""
    p, led, book = economy.params, economy.ledger, economy.book
    rf = p["risk_free_rate"]
    buyers = list(economy.bond_buyers)
    for aid in led.agent_ids:
        key = f"open_debt_{aid}"
        if key not in p or p[key] <= 0:
            continue
        a = economy.agent(aid)
        total = p[key]
        spread = p[OPENING_SPREAD.get(aid, "spread_investment_grade")]
        led.open_position(aid, "debt", total)
        n_tr = OPENING_TRANCHES if a.family != "venture" else 1
        for k in range(n_tr):
            face_tr = total / n_tr
            buyer = buyers[(k * 7 + len(aid)) % len(buyers)]
            led.open_position(buyer.aid, "bonds_held", face_tr)
            common = dict(holder=buyer.aid, issuer=aid, face=face_tr, coupon=rf + spread, spread=spread)
            if aid == "neocloud":
                units = _opening(economy, "online_gw", "neocloud") * p["gpus_per_gw"] / n_tr
                c = GpuLoan(**common, issued_month=-12, maturity_month=36, ltv_limit=p["gpu_loan_ltv_limit"],
                            collateral_units=units, amort_months=36)  # 36 of 48 months left
            elif a.family == "venture":
                c = Bond(**common, issued_month=-12, maturity_month=24)
            else:
                c = Bond(**common, issued_month=-60, maturity_month=6 + 12 * k)
            c.spread = economy.credit.spread(a, sentiment=0.0)
            book.add(c)


def _open_stakes(economy) -> None:
    """Equity stakes (shares as a share of shares outstanding, unless stated in shares) and the
    lab's unused cloud credits from its partner."""
    tx, o = economy.transactions, lambda item, agent: _opening(economy, item, agent)
    lab, lab_spv, neocloud = economy.agent("lab"), economy.agent("lab_spv"), economy.agent("neocloud")
    links = economy.params["cross_holdings"]
    tx.open_stake(lab.partner, lab, o("hyper_1_lab_share", "other") * lab.shares * links)
    for f in ("vc_levered", "vc_1", "vc_2"):
        tx.open_stake(f, lab, o("lab_share", f) * lab.shares)
    for f in ("vc_1", "vc_2"):
        tx.open_stake(f, lab_spv, o("lab_spv_share", f) * lab_spv.shares)
    tx.open_stake("chip_leader", neocloud, o("leader_neocloud_share", "other") * neocloud.shares * links)
    tx.open_stake("vc_levered", economy.agent("chip_leader"), o("leader_shares", "vc_levered"))
    credits = o("credits_unused", "other")
    if credits > 0:
        led = economy.ledger
        led.post([("lab", "prepaid", credits), ("lab", "paid_in", -credits)], "opening cloud credits")
        led.post([(lab.partner, "deferred_revenue", -credits), (lab.partner, "paid_in", credits)], "opening cloud credits")
        economy.book.add(CloudCredits(holder="lab", issuer=lab.partner, unused=credits, granted=credits))


def _open_contracts(economy) -> None:
    """Capacity contracts in force in September 2025 (assumptions, see docs/model.md)."""
    p, sign = economy.params, economy.transactions.sign_capacity_contract
    sign("lab", "hyper_1", gw=1.2, price_per_gw_year=8.0, term_months=48, start_month=0,
         name="lab-hyper_1 (existing)", announce=False)
    sign("lab", "cloud", gw=0.3, price_per_gw_year=10.0, term_months=48, start_month=0,
         name="lab-cloud (existing)", announce=False)
    sign("lab", "neocloud", gw=15.9 / (p["neocloud_price_per_gw_year"] * 5.0),
         price_per_gw_year=p["neocloud_price_per_gw_year"], term_months=60, start_month=0,
         name="lab-neocloud (existing $15.9B)", announce=False)
    sign("lab_spv", "cloud", gw=0.2, price_per_gw_year=12.0, term_months=48, start_month=0,
         name="lab_spv-cloud (existing)", announce=False)
    sign("hyper_1", "neocloud", gw=0.3, price_per_gw_year=p["contract_price_per_gw_year"], term_months=48,
         start_month=0, name="hyper_1-neocloud (existing)", announce=False)
    other = _opening(economy, "cloud_other_rpo", "other")
    sign("rest_of_market", "cloud", gw=other / (12.0 * 5.0), price_per_gw_year=12.0, term_months=60, start_month=6,
         name="cloud other customers", announce=False)
