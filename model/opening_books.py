"""The opening balance sheets (September 2025) and the contracts already in force.

Figures come from the parameter table (``open_<item>_<agent>``, sources in ``model/opening.py``):
cash and other assets, capacity online with its GPUs and plant, the capacity contracts signed
before the model starts (assumptions, see ``docs/model.md``), equity stakes, unused cloud credits,
and debt as a schedule of tranches held by the bond buyers:

* the cloud, the chipmakers and the hyperscalers: what falls due within a year in four quarterly
  tranches (the cloud's is filed: its debt less its long-term debt), the rest of their long-term
  debt a ladder of bonds maturing every year from year 2 to ``debt_ladder_years`` and
  ``long_bond_share`` of it in 20-, 30- and 40-year bonds; a revolving credit line where
  ``open_revolver_<firm>`` gives one;
* the neocloud as filed: senior notes, vendor financing, and delayed-draw loans against its
  contracts with the lab and with hyper_1 (or, with ``contract_backed_loans`` off, the same
  amount as pooled GPU loans against its fleet), and its revolving credit line;
* the levered fund's margin loan.

Every position is opened against paid-in capital.
"""

from __future__ import annotations

from ailoop.model.contracts import Bond, CloudCredits, Contract, ContractLoan, GpuLoan, Revolver, TermLoan

#: the opening base spread of each issuer (others: investment grade)
OPENING_SPREAD = {"cloud": "spread_cloud", "neocloud": "spread_neocloud", "vc_levered": "spread_margin_loan"}
#: months to maturity of the long bonds of the opening ladders
LONG_BONDS = (240, 360, 480)


def open_books(economy) -> None:
    """Post the opening balance sheets and register the contracts in force."""
    _open_assets(economy)
    _open_contracts(economy)
    _open_stakes(economy)
    _open_debt(economy)


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
    """Opening debt, firm by firm in roster order, as a schedule of tranches priced at the
    issuer's spread without the sentiment add-on (see the module docstring)."""
    p = economy.params
    for aid in economy.ledger.agent_ids:
        total = p.get(f"open_debt_{aid}", 0.0)
        a = economy.agent(aid)
        if total > 0:
            if aid == "neocloud":
                _open_neocloud_debt(economy, a, total)
            elif a.family == "venture":  # its margin loan: drawn on its margin facility
                spread = p[OPENING_SPREAD.get(aid, "spread_investment_grade")]
                limit = max(total, p.get(f"open_margin_facility_{aid}", total))
                _book(economy, a, Revolver(holder=_lead_bank(economy), issuer=aid, face=total,
                                           coupon=p["risk_free_rate"] + spread, issued_month=-12,
                                           maturity_month=int(p["margin_loan_months"]), spread=spread, limit=limit,
                                           tenor=int(p["margin_loan_months"])))
            else:
                _open_ladder(economy, a, total)
        limit = p.get(f"open_revolver_{aid}", 0.0)
        if limit > 0:
            spread = p[OPENING_SPREAD.get(aid, "spread_investment_grade")]
            _book(economy, a, Revolver(holder=_lead_bank(economy), issuer=aid, face=0.0, coupon=p["risk_free_rate"] + spread,
                                       issued_month=0, maturity_month=int(p["revolver_months"]), spread=spread, limit=limit,
                                       tenor=int(p["revolver_months"])))


def _buyer(economy, aid: str, k: int) -> str:
    """The bond buyer holding tranche ``k`` of ``aid``'s opening debt (spread over them)."""
    buyers = list(economy.bond_buyers)
    return buyers[(k * 7 + len(aid)) % len(buyers)].aid


def _lead_bank(economy) -> str:
    """The bond buyer with the most lending capacity: the bank of the revolving lines."""
    return max(economy.bond_buyers, key=lambda b: (b.capacity, -b.unique_id)).aid


def _book(economy, a, c) -> None:
    """Open debt contract ``c`` of ``a`` (its face against paid-in capital on both sides)."""
    led = economy.ledger
    if c.face > 0:
        led.open_position(a.aid, "debt", c.face)
        led.open_position(c.holder, "bonds_held", c.face)
    now = c.spread_now(economy.ctx, sentiment=0.0)  # marked against the spread at the opening
    c.spread = economy.credit.spread(a, sentiment=0.0) if now is None else now
    economy.book.add(c)


def _tranche(economy, a, k: int, cls, **terms) -> None:
    p = economy.params
    spread = p[OPENING_SPREAD.get(a.aid, "spread_investment_grade")]
    terms.setdefault("coupon", p["risk_free_rate"] + spread)
    _book(economy, a, cls(holder=_buyer(economy, a.aid, k), issuer=a.aid, spread=spread, **terms))


def _open_ladder(economy, a, total: float) -> None:
    """Short-term debt in four quarterly tranches; long-term debt in yearly bonds from year 2 to
    ``debt_ladder_years`` and in 20-, 30- and 40-year bonds."""
    p = economy.params
    short = total * p.get(f"open_short_debt_share_{a.aid}", p["short_debt_share"])
    long_bonds = (total - short) * p["long_bond_share"]
    ladder = total - short - long_bonds
    years = range(2, int(p["debt_ladder_years"]) + 1)
    schedule = [(3 * (q + 1), short / 4.0) for q in range(4)]
    schedule += [(12 * y, ladder / len(years)) for y in years]
    schedule += [(m, long_bonds / len(LONG_BONDS)) for m in LONG_BONDS]
    for k, (months, face) in enumerate(schedule):
        if face > 1e-12:
            _tranche(economy, a, k, Bond, face=face, issued_month=-60, maturity_month=months)


def _open_neocloud_debt(economy, a, total: float) -> None:
    """The neocloud's $11.2B as filed: senior notes, vendor financing, and the rest as
    delayed-draw loans against its contracts with the lab and with hyper_1, split in proportion to
    the GPUs serving each (fully drawn: those GPUs are in service), each in ten lender shares —
    or, with ``contract_backed_loans`` off, as pooled GPU loans against its fleet."""
    p = economy.params
    notes = total * p["open_notes_share_neocloud"]
    vendor = total * p["open_vendor_financing_share_neocloud"]
    secured = total - notes - vendor
    _tranche(economy, a, 0, Bond, face=notes, coupon=p["neocloud_notes_coupon"], issued_month=-4,
             maturity_month=int(p["neocloud_notes_months"]))
    _tranche(economy, a, 1, TermLoan, face=vendor, coupon=p["vendor_financing_coupon"], issued_month=0,
             maturity_month=int(p["vendor_financing_months"]), amort_months=int(p["vendor_financing_months"]))
    contracts = [c for c in economy.book.issued_by("neocloud", Contract.build_order) if c.holder in ("lab", "hyper_1")]
    gpw = p["gpus_per_gw"]
    units = {id(c): c.gw * gpw for c in contracts}
    if not p["contract_backed_loans"] or sum(units.values()) <= 0:
        units_all = _opening(economy, "online_gw", "neocloud") * gpw
        for k in range(10):
            _tranche(economy, a, 2 + k, GpuLoan, face=secured / 10, issued_month=-12, maturity_month=36,
                     ltv_limit=p["gpu_loan_ltv_limit"], collateral_units=units_all / 10, amort_months=36)
        return
    all_units = sum(units.values())
    age = int(_opening(economy, "gpu_age_months", "other"))
    for c in contracts:
        a.financed[c] = units[id(c)]
        face = secured * units[id(c)] / all_units
        ig = c.holder != "lab"
        coupon = p["neocloud_ddtl_coupon_ig"] if ig else p["neocloud_ddtl_coupon_other"]
        economy.credit.facilities += 1
        end = c.start_month + c.term_months
        for k in range(10):
            _tranche(economy, a, 2 + k, ContractLoan, face=face / 10, coupon=coupon, issued_month=-age, maturity_month=end,
                     backing=c, limit=face / 10, drawn=face / 10, collateral_units=units[id(c)] / 10,
                     collateral_month=-age, ltv_limit=p["gpu_loan_ltv_limit"], min_dscr=p["contract_loan_min_dscr"],
                     facility=economy.credit.facilities)


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
