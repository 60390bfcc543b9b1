"""The history world's opening (September 2025), beyond the common opening balance sheets.

* ``lab_2``: its holders (two hyperscalers and two venture funds; stakes of the shares
  outstanding, ``open_<...>_lab_2_share_other``) and the compute it had: at hyper_3 on that
  hyperscaler's own accelerators and at hyper_2 on chip_custom's (``open_lab_2_*_gw_other``; four
  years at ``contract_price_per_gw_year`` and ``history_custom_price_per_gw_year``).
* ``dc_developer``'s sites under way: the Abilene-like campus leased to the cloud (``history_gw_abilene``,
  eight buildings, ``open_abilene_built_dc_developer`` of it built, the first buildings handed over;
  a construction loan of ``history_loan_abilene`` from the lead bank, ``open_abilene_drawn_dc_developer``
  of it drawn; a 15-year lease, assumption) and the shells leased to the neocloud
  (``history_corz_lease_value`` over 12 years, ``open_corz_built_dc_developer`` built, on the
  developer's equity; handed over site by site, ``history_corz_sites`` phases). What is built so
  far is construction in progress against paid-in capital.
"""

from __future__ import annotations

from ailoop.model.history.book import banks, construction_loans, lease


def open_history(economy) -> None:
    p, tx, led = economy.params, economy.transactions, economy.ledger

    def o(item: str, agent: str) -> float:
        return p[f"open_{item}_{agent}"]

    lab_2 = economy.agent("lab_2")
    links = p["cross_holdings"]
    for h in ("hyper_3", "hyper_2"):
        tx.open_stake(h, lab_2, o(f"{h}_lab_2_share", "other") * lab_2.shares * links)
    for f in ("vc_1", "vc_2"):
        tx.open_stake(f, lab_2, o("vc_lab_2_share", "other") * lab_2.shares)
    sign = tx.sign_capacity_contract
    sign("lab_2", "hyper_3", gw=o("lab_2_aws_gw", "other"), price_per_gw_year=p["contract_price_per_gw_year"],
         term_months=48, start_month=0, chip_vendor="custom_silicon", name="lab_2-hyper_3 (existing)", announce=False)
    sign("lab_2", "hyper_2", gw=o("lab_2_gcp_gw", "other"), price_per_gw_year=p["history_custom_price_per_gw_year"],
         term_months=48, start_month=0, chip_vendor="chip_custom", name="lab_2-hyper_2 (existing)", announce=False)

    dev = economy.agent("dc_developer")
    gw = p["history_gw_abilene"]
    build = int(p["developer_build_months"])
    abilene = dev.start_site(gw, "Abilene", build_months=build, financed=True, tranche_gw=gw / 8.0, first_months=build // 2,
                             spent_share=o("abilene_built", "dc_developer"))
    _open_built(economy, dev, abilene)
    limit = p["history_loan_abilene"]
    drawn = min(limit * o("abilene_drawn", "dc_developer"), abilene.shell_spent)
    loans = construction_loans(economy, dev, abilene, limit, banks(economy, 1), "cloud", "Abilene", drawn=drawn,
                               issued_month=-12)
    dev.finance_site(abilene, loans)
    left = int(round(build * (1.0 - o("abilene_built", "dc_developer"))))
    lease(economy, "cloud", dev, abilene, gw=gw, term_months=180, name="Abilene", build_months=left)

    rent = p["dc_lease_rent_per_gw_year"]
    gw = p["history_corz_lease_value"] / (rent * 12.0)
    if gw > 1e-6:
        corz = dev.start_site(gw, "Core Scientific sites", build_months=int(p["build_months"]), financed=True,
                              tranche_gw=gw / int(p["history_corz_sites"]), spent_share=o("corz_built", "dc_developer"))
        _open_built(economy, dev, corz)
        left = int(round(int(p["build_months"]) * (1.0 - o("corz_built", "dc_developer"))))
        lease(economy, "neocloud", dev, corz, gw=gw, term_months=144, name="Core Scientific sites", build_months=left)


def _open_built(economy, dev, site) -> None:
    """What is built of ``site`` at the opening: construction in progress, or plant if it is finished."""
    if site.shell_spent <= 0:
        return
    if site.shell_done:
        economy.ledger.open_position(dev.aid, "dc_plant", site.shell_spent)
        dev.fleet.plant_book += site.shell_spent
    else:
        economy.ledger.open_position(dev.aid, "construction", site.shell_spent)
