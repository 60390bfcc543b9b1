"""Opening balance sheets (September 2025), one row per figure, each with its source.

Every figure here becomes a parameter named ``open_<item>_<agent>`` (e.g. ``open_cash_cloud``),
so it can be overridden with ``--set`` and appears in the parameter table. Book values of GPUs and
plant are per GW of capacity online; book equity is what is left when liabilities are taken from
assets. Shares in billions, prices in $ per share, money in $B, capacity in GW.
"""

from __future__ import annotations

A = "assumption"
A_PUB = "assumption (approximate public filings / market data, Sept 2025)"

#: agent -> item -> (value, unit, source)
OPENING: dict[str, dict[str, tuple[float, str, str]]] = {
    "lab": {
        "shares": (1.0, "billion shares", A),
        "price": (500.0, "$ per share", "calibration: AI lab valuation ~$500B (docs/calibration.md#deals)"),
        "cash": (17.5, "$B", "calibration: AI lab cash $17.5B (Jun 2025, docs/calibration.md#companies)"),
        "other_assets": (5.0, "$B", A),
    },
    "lab_spv": {
        "shares": (1.0, "billion shares", A),
        "price": (200.0, "$ per share", A),
        "cash": (8.0, "$B", A),
        "other_assets": (10.0, "$B", A),
    },
    "cloud": {
        "growth": (0.1, "1/year", "assumption (Oracle revenue growth ~10% y/y, 2025)"),
        "shares": (2.81, "billion shares", A_PUB),
        "price": (243.0, "$ per share", "derived: cloud's announcement day, market cap $933B after +~$250B on 2025-09-10 (docs/calibration.md#deals)"),
        "cash": (11.0, "$B", A_PUB),
        "debt": (105.0, "$B", "calibration: cloud debt $105B (Aug 2025, docs/calibration.md#companies)"),
        "short_debt_share": (9.0 / 105.0, "share of debt", "derived: (cloud debt $105B less long-term $96B) / $105B "
                             "(docs/calibration.md#companies): due within a year"),
        "revolver": (6.0, "$B", "assumption (a committed revolving credit line; its size is not among the sourced figures)"),
        "other_assets": (125.0, "$B", A_PUB),
        "online_gw": (0.8, "GW", A),
    },
    "neocloud": {
        "growth": (0.83, "1/year", "assumption (CoreWeave revenue growth, 2025)"),
        "shares": (0.49, "billion shares", A_PUB),
        "price": (120.0, "$ per share", A_PUB),
        "cash": (2.0, "$B", A_PUB),
        "debt": (11.2, "$B", "calibration: neocloud debt $11.2B (Jun 2025, docs/calibration.md#companies)"),
        "notes_share": (2.0 / 11.2, "share of debt", "assumption after filings (the neocloud's ~$2B senior notes of May "
                        "2025 in its $11.2B debt: neocloud debt, docs/calibration.md#companies)"),
        "vendor_financing_share": (1.0 / 11.2, "share of debt", "assumption (vendor financing at 9–10% is part of the "
                                   "$11.2B of neocloud debt, docs/calibration.md#companies; $1B assumed)"),
        "revolver": (1.5, "$B", "assumption (reported $1.5B revolving credit facility, 2024)"),
        "other_assets": (3.0, "$B", A),
        "online_gw": (0.6, "GW", A),
    },
    "chip_leader": {
        "growth": (0.445, "1/year", "derived: chipmaker quarter +56% y/y (docs/calibration.md#companies): log(1.56)"),
        "shares": (24.3, "billion shares", A_PUB),
        "price": (176.5, "$ per share", "derived: chipmaker's announcement day, market cap > $4.46T after +~$170B on 2025-09-22 (docs/calibration.md#deals)"),
        "cash": (57.0, "$B", A_PUB),
        "debt": (8.5, "$B", A_PUB),
        "other_assets": (70.0, "$B", A_PUB),
    },
    "chip_challenger": {
        "growth": (0.27, "1/year", "assumption (AMD revenue growth, 2025)"),
        "shares": (1.62, "billion shares", A_PUB),
        "price": (160.0, "$ per share", A_PUB),
        "cash": (6.0, "$B", A_PUB),
        "debt": (3.2, "$B", A_PUB),
        "other_assets": (65.0, "$B", A_PUB),
    },
    "hyper_1": {
        "growth": (0.15, "1/year", "assumption"),
        "shares": (7.43, "billion shares", A_PUB), "price": (505.0, "$ per share", A_PUB),
        "cash": (95.0, "$B", A_PUB), "debt": (43.0, "$B", A_PUB), "other_assets": (400.0, "$B", A_PUB),
        "online_gw": (2.7, "GW", A), "capex": (89.0, "$B/year", "calibration: hyperscaler 2025 capex, Microsoft ~$89B (docs/calibration.md#companies)"),
        "ocf_share": (0.30, "share", "assumption (split of the $451B total)"),
        "own_demand_gw": (1.2, "GW", A), "leader_share": (0.85, "share of GPUs", A),
        "challenger_share": (0.05, "share of GPUs", A),
    },
    "hyper_2": {
        "growth": (0.13, "1/year", "assumption"),
        "shares": (12.1, "billion shares", A_PUB), "price": (235.0, "$ per share", A_PUB),
        "cash": (95.0, "$B", A_PUB), "debt": (24.0, "$B", A_PUB), "other_assets": (350.0, "$B", A_PUB),
        "online_gw": (2.5, "GW", A), "capex": (92.0, "$B/year", "calibration: hyperscaler 2025 capex, Alphabet ~$92B (docs/calibration.md#companies)"),
        "ocf_share": (0.27, "share", "assumption (split of the $451B total)"),
        "own_demand_gw": (2.2, "GW", A), "leader_share": (0.35, "share of GPUs", A),
        "challenger_share": (0.0, "share of GPUs", A),
    },
    "hyper_3": {
        "growth": (0.11, "1/year", "assumption"),
        "shares": (10.7, "billion shares", A_PUB), "price": (228.0, "$ per share", A_PUB),
        "cash": (93.0, "$B", A_PUB), "debt": (58.0, "$B", A_PUB), "other_assets": (450.0, "$B", A_PUB),
        "online_gw": (3.0, "GW", A), "capex": (125.0, "$B/year", "calibration: hyperscaler 2025 capex, Amazon ~$125B (docs/calibration.md#companies)"),
        "ocf_share": (0.27, "share", "assumption (split of the $451B total)"),
        "own_demand_gw": (2.6, "GW", A), "leader_share": (0.45, "share of GPUs", A),
        "challenger_share": (0.02, "share of GPUs", A),
    },
    "hyper_4": {
        "growth": (0.2, "1/year", "assumption"),
        "shares": (2.51, "billion shares", A_PUB), "price": (750.0, "$ per share", A_PUB),
        "cash": (47.0, "$B", A_PUB), "debt": (29.0, "$B", A_PUB), "other_assets": (250.0, "$B", A_PUB),
        "online_gw": (1.5, "GW", A), "capex": (71.0, "$B/year", "calibration: hyperscaler 2025 capex, Meta ~$71B (docs/calibration.md#companies)"),
        "ocf_share": (0.16, "share", "assumption (split of the $451B total)"),
        "own_demand_gw": (1.3, "GW", A), "leader_share": (0.8, "share of GPUs", A),
        "challenger_share": (0.05, "share of GPUs", A),
    },
    # --- the history world's new actors (model/roster.py); unused by the baseline -------------------------
    "lab_2": {
        "shares": (1.0, "billion shares", A),
        "price": (183.0, "$ per share", "calibration: second lab round of 2025, $183B post-money (Sept 2025, docs/calibration.md#history-equity)"),
        "cash": (15.0, "$B", "assumption (after its $13B round of Sept 2025: second lab round of 2025, docs/calibration.md#history-equity)"),
        "other_assets": (3.0, "$B", A),
    },
    "chip_custom": {
        "growth": (0.22, "1/year", "assumption (approximate public filings: Broadcom revenue growth, 2025)"),
        "shares": (4.7, "billion shares", A_PUB),
        "price": (335.0, "$ per share", A_PUB),
        "cash": (10.0, "$B", A_PUB),
        "debt": (65.0, "$B", A_PUB),
        "other_assets": (150.0, "$B", A_PUB),
    },
    "dc_developer": {
        "shares": (1.0, "billion shares", A),
        "price": (10.0, "$ per share", "assumption (its book equity at the start)"),
        "cash": (8.0, "$B", "assumption (equity committed by the developers' owners to the sites under way)"),
        "abilene_built": (0.6, "share of the site", "assumption (the first buildings were running in Sept 2025: Abilene site, docs/calibration.md#history-real-estate)"),
        "abilene_drawn": (0.56, "share of the loan", "assumption ($4B of the Abilene site's $7.1B loan: docs/calibration.md#history-real-estate)"),
        "corz_built": (0.5, "share of the site", A),
    },
    "vc_levered": {
        "cash": (5.0, "$B", A), "other_assets": (150.0, "$B", "assumption (holdings outside the loop)"),
        "debt": (10.0, "$B", "assumption (margin loan on its holdings; reported: $8.5B drawn on a loan secured by its "
                               "listed holdings outside the loop, Nov 2025)"),
        "margin_facility": (20.0, "$B", "assumption (reported: its margin loan facility secured by listed holdings "
                                        "outside the loop is up to $20B, Nov 2025)"),
        "lab_share": (0.04, "share of lab", "assumption (stake before the December tranche)"),
        "leader_shares": (0.03, "billion chip_leader shares", "assumption (~$5B stake)"),
    },
    "vc_1": {"cash": (2.0, "$B", A), "lab_share": (0.05, "share of lab", A), "lab_spv_share": (0.10, "share of lab_spv", A)},
    "vc_2": {"cash": (3.0, "$B", A), "lab_share": (0.05, "share of lab", A), "lab_spv_share": (0.20, "share of lab_spv", A)},
    "other": {
        "hyper_1_lab_share": (0.27, "share of lab", "assumption (reported stake after restructuring)"),
        "leader_neocloud_share": (0.07, "share of neocloud", "calibration: chipmaker stake in neocloud ~7% (docs/calibration.md#deals)"),
        "credits_unused": (1.0, "$B", "assumption (unused part of the early hyperscaler investment, $13B+ mostly in credits: docs/calibration.md#deals)"),
        "gpu_book_per_gw": (20.0, "$B per GW", "assumption (GPU book value net of depreciation)"),
        "plant_book_per_gw": (12.0, "$B per GW", "assumption"),
        "gpu_age_months": (12.0, "months", "assumption (average age of the opening fleet)"),
        "cloud_other_rpo": (155.0, "$B", "derived: cloud backlog (RPO) $455B (Aug 2025) less the $300B lab contract (docs/calibration.md#companies)"),
        "hyper_3_lab_2_share": (0.15, "share of lab_2", "assumption (its hyperscaler investors: $8B invested by Amazon, reported)"),
        "hyper_2_lab_2_share": (0.14, "share of lab_2", "assumption (reported ~14% held by Alphabet)"),
        "vc_lab_2_share": (0.05, "share of lab_2", "assumption (each of vc_1 and vc_2)"),
        "lab_2_aws_gw": (0.4, "GW", "assumption (the second lab's compute at hyper_3 in Sept 2025, on its own accelerators)"),
        "lab_2_gcp_gw": (0.3, "GW", "assumption (the second lab's compute at hyper_2 in Sept 2025, on chip_custom's accelerators)"),
    },
}


def opening_params() -> list[tuple[str, float, str, str]]:
    """(name, value, unit, source) for every opening figure."""
    out = []
    for agent, items in OPENING.items():
        for item, (value, unit, source) in items.items():
            out.append((f"open_{item}_{agent}", value, unit, source))
    return out
