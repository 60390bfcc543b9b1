"""The roster: which agents the economy has, in what order, with what opening parameters.

Agents are created in a fixed order (the order of the ledger's rows and of every phase of the
month): the labs, the cloud and the neocloud, the chipmakers, the hyperscalers, the GPU SPV, the
venture funds, the bond buyers, and the two market sectors (``retail``, ``traders``). Groups of
agents (labs, providers, capacity owners, ...) are Mesa ``AgentSet`` selections by class.

Two rosters, one per base world (``model/scenarios.py``): ``baseline`` (the 2025 loop as it was
first modelled) and ``history`` (the 2025-26 deal book), which adds the actors the book needs, each
in its family's place in the order: a second lab ``lab_2`` (Anthropic-like, an :class:`AILab`), a
custom-accelerator chipmaker ``chip_custom`` (Broadcom-like, a :class:`Chipmaker`), a data-centre
developer ``dc_developer`` and a jointly owned data-centre vehicle ``dc_spv`` (Hyperion-like; both
:class:`DcDeveloper`), and a private-credit fund ``private_credit`` lending insurers' money.
"""

from __future__ import annotations

import numpy as np

from ailoop.agents.bond_buyer import BondBuyer
from ailoop.agents.chipmaker import Chipmaker
from ailoop.agents.cloud import CloudProvider
from ailoop.agents.developer import DcDeveloper
from ailoop.agents.hyperscaler import Hyperscaler
from ailoop.agents.lab import AILab
from ailoop.agents.neocloud import Neocloud
from ailoop.agents.private_credit import PrivateCreditFund
from ailoop.agents.retail import RetailSector
from ailoop.agents.spv import GpuSpv
from ailoop.agents.traders import TraderSector
from ailoop.agents.venture import VentureFund

HYPERS = ("hyper_1", "hyper_2", "hyper_3", "hyper_4")
FIRM_IDS = ("lab", "lab_spv", "cloud", "neocloud", "chip_leader", "chip_challenger", *HYPERS, "spv")
FUND_IDS = ("vc_levered", "vc_1", "vc_2")
#: firms whose payments to each other count as cash paid in loop deals
LOOP_FIRMS = FIRM_IDS
#: the hyperscaler partner of the lab (revenue share, strategic rounds, cloud credits)
LAB_PARTNER = "hyper_1"


#: the history world's firms and funds (the baseline's, with the deal book's new actors in place)
HISTORY_FIRM_IDS = ("lab", "lab_spv", "lab_2", "cloud", "neocloud", "chip_leader", "chip_challenger", "chip_custom",
                    *HYPERS, "spv", "dc_developer", "dc_spv")
HISTORY_FUND_IDS = (*FUND_IDS, "private_credit")
ROSTERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "baseline": (FIRM_IDS, FUND_IDS),
    "history": (HISTORY_FIRM_IDS, HISTORY_FUND_IDS),
}
#: the actors only the history roster has
HISTORY_ONLY = tuple(a for a in (*HISTORY_FIRM_IDS, *HISTORY_FUND_IDS) if a not in (*FIRM_IDS, *FUND_IDS))


def agent_ids(n_bond_buyers: int, roster: str = "baseline") -> list[str]:
    """Every agent id with a balance sheet, in roster order (``roster``: ``baseline`` or ``history``)."""
    firms, funds = ROSTERS[roster]
    return [*firms, *funds, *bond_buyer_ids(n_bond_buyers), "retail", "traders"]


def bond_buyer_ids(n: int) -> list[str]:
    return [f"bond_{k:02d}" for k in range(n)]


def build_agents(economy, roster: str = "baseline") -> None:
    """Create every agent of ``economy`` from its parameters, in the order of ``roster``."""
    p = economy.params
    history = roster == "history"

    def o(item: str, agent: str) -> float:
        return p[f"open_{item}_{agent}"]

    _build_labs(economy, p, o, history)
    cloud_kw = dict(non_ai_income=p["cloud_non_ai_income"], non_ai_costs=p["cloud_non_ai_costs"],
                    dividend=p["cloud_dividend"])
    CloudProvider(economy, "cloud", o("shares", "cloud"), o("price", "cloud"), **cloud_kw)
    Neocloud(economy, "neocloud", o("shares", "neocloud"), o("price", "neocloud"),
             non_ai_income=0.0, non_ai_costs=p["neocloud_non_ai_costs"], dividend=0.0)
    for aid, pre in (("chip_leader", "leader"), ("chip_challenger", "challenger")):
        Chipmaker(economy, aid, o("shares", aid), o("price", aid), gpu_price=p[f"gpu_price_{pre}"],
                  capacity=p[f"{pre}_capacity"], capacity_growth=p[f"{pre}_capacity_growth"],
                  gross_margin=p[f"{pre}_gross_margin"], opex=p[f"{pre}_opex"],
                  non_ai_revenue=p[f"{pre}_non_ai_revenue"], rest_of_market_demand=p[f"{pre}_rest_of_market"],
                  cash_target=o("cash", aid))
    if history:
        Chipmaker(economy, "chip_custom", o("shares", "chip_custom"), o("price", "chip_custom"),
                  gpu_price=p["custom_silicon_discount"] * p["gpu_price_leader"], capacity=p["custom_capacity"],
                  capacity_growth=p["custom_capacity_growth"], gross_margin=p["custom_gross_margin"],
                  opex=p["custom_opex"], non_ai_revenue=p["custom_non_ai_revenue"],
                  rest_of_market_demand=p["custom_rest_of_market"], cash_target=o("cash", "chip_custom"))
    for h in HYPERS:
        shares = {"chip_leader": o("leader_share", h), "chip_challenger": o("challenger_share", h)}
        Hyperscaler(economy, h, o("shares", h), o("price", h), ocf=p["hyper_ocf_total"] * o("ocf_share", h) / 12.0,
                    capex_annual=o("capex", h), vendor_shares=shares, own_demand_gw=o("own_demand_gw", h),
                    cash_target=o("cash", h))
    GpuSpv(economy, "spv", 0.0, 1.0)
    if history:
        DcDeveloper(economy, "dc_developer", o("shares", "dc_developer"), o("price", "dc_developer"),
                    min_cash=p["developer_min_cash"], payout_share=p["payout_share_of_excess"])
        DcDeveloper(economy, "dc_spv", 0.0, 1.0, min_cash=0.0, payout_share=p["payout_share_of_excess"])
    _build_funds(economy, p, history)
    RetailSector(economy, "retail")
    TraderSector(economy, "traders")


def _build_labs(economy, p, o, history: bool = False) -> None:
    AILab(economy, "lab", o("shares", "lab"), o("price", "lab"),
          demand_0=p["history_lab_demand_0"] if history else p["lab_demand_0"],
          revenue_per_gw=p["history_lab_revenue_per_gw"] if history else p["lab_revenue_per_gw"], opex_0=p["lab_opex_0"], opex_growth=p["lab_opex_growth"],
          partner=LAB_PARTNER, revenue_share=p["revenue_share_partner"], contracting=p["lab_contracting"])
    AILab(economy, "lab_spv", o("shares", "lab_spv"), o("price", "lab_spv"), demand_0=p["lab_spv_demand_0"],
          revenue_per_gw=p["lab_revenue_per_gw"], opex_0=p["lab_spv_opex_0"], opex_growth=p["lab_opex_growth"],
          partner=None, revenue_share=0.0, contracting=False)
    if history:
        AILab(economy, "lab_2", o("shares", "lab_2"), o("price", "lab_2"), demand_0=p["lab_2_demand_0"],
              revenue_per_gw=p["history_lab_revenue_per_gw"], opex_0=p["lab_2_opex_0"], opex_growth=p["lab_opex_growth"],
              partner=None, revenue_share=0.0, contracting=p["lab_contracting"])


def _build_funds(economy, p, history: bool = False) -> None:
    """Venture funds, then bond buyers with capacities drawn from a Dirichlet and required spreads
    and leverage limits spread evenly across them."""
    VentureFund(economy, "vc_levered", dry_powder=p["vc_levered_dry_powder"], appetite=p["vc_appetite"],
                max_ticket=p["vc_max_ticket"], margin_ltv=p["vc_levered_margin_ltv"], levered=True,
                margin_facility=p["open_margin_facility_vc_levered"])
    VentureFund(economy, "vc_1", dry_powder=p["vc_dry_powder"] * p["vc_1_share"], appetite=p["vc_appetite"],
                max_ticket=p["vc_max_ticket"])
    VentureFund(economy, "vc_2", dry_powder=p["vc_dry_powder"] * (1.0 - p["vc_1_share"]), appetite=p["vc_appetite"],
                max_ticket=p["vc_max_ticket"])
    if history:
        PrivateCreditFund(economy, "private_credit", capacity=p["private_credit_capacity"])
    n_bb = int(p["n_bond_buyers"])
    caps = economy.rng.dirichlet(np.full(n_bb, p["bond_buyer_concentration"])) * p["credit_capacity"]
    for k, b in enumerate(bond_buyer_ids(n_bb)):
        frac = k / max(1, n_bb - 1)
        BondBuyer(economy, b, capacity=float(caps[k]), required_spread=p["bond_buyer_spread_max"] * frac,
                  max_leverage=p["bond_buyer_leverage_min"]
                  + (p["bond_buyer_leverage_max"] - p["bond_buyer_leverage_min"]) * (1.0 - frac))
