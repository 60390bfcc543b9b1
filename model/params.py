"""The parameter table: every tunable number of the model, with unit, allowed range and source.

Each :class:`Param` names its default, its unit, the closed interval of values the model accepts,
and where the default comes from: a sourced figure of ``docs/calibration.md`` ("calibration: ..."
naming its entry and section), arithmetic on such figures ("derived: ..."), or "assumption". ``docs/parameters.md`` is generated
from this table (``python -m ailoop.model.params``) and a test keeps the two in step.

Money is in $ billions, capacity in GW, time in months unless the unit says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar, Mapping


class ParameterError(ValueError):
    """An unknown parameter, a value of the wrong type, or a value outside the allowed range."""


@dataclass(frozen=True)
class Param:
    """One model parameter.

    ``kind`` is ``float``, ``int`` or ``bool``; ``lo``/``hi`` bound the accepted values (inclusive).
    """

    name: str
    default: float | int | bool
    unit: str
    lo: float
    hi: float
    source: str
    doc: str
    kind: type = float

    def allowed(self) -> str:
        """The allowed values, as the one-line error messages print them."""
        if self.kind is bool:
            return "true or false"
        return f"{self.kind.__name__} in [{self.lo:g}, {self.hi:g}] {self.unit}"

    def coerce(self, value: Any) -> float | int | bool:
        """Return ``value`` as this parameter's type, or raise :class:`ParameterError`."""
        if isinstance(value, str):
            value = _parse_text(value)
        if self.kind is bool:
            if isinstance(value, bool):
                return value
            raise ParameterError(f"parameter {self.name!r}: {value!r} is not allowed; allowed: {self.allowed()}")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParameterError(f"parameter {self.name!r}: {value!r} is not a number; allowed: {self.allowed()}")
        if self.kind is int:
            if float(value) != int(value):
                raise ParameterError(f"parameter {self.name!r}: {value!r} is not an integer; allowed: {self.allowed()}")
            value = int(value)
        else:
            value = float(value)
        if not (self.lo <= value <= self.hi) or value != value:
            raise ParameterError(f"parameter {self.name!r}: {value!r} is out of range; allowed: {self.allowed()}")
        return value


def _parse_text(text: str) -> Any:
    t = text.strip()
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    try:
        return int(t)
    except ValueError:
        pass
    try:
        return float(t)
    except ValueError:
        return t


_P = Param
_TABLE: list[Param] = [
    # --- run and calendar -------------------------------------------------------------------
    _P("checks", True, "flag", 0, 1, "assumption",
       "check the books: each agent's trial balance, cash against provenance and per-source conservation after "
       "every step, and the full check (journal replay, transaction types, contract parties, registries) every "
       "check_every steps and at the end of a run", bool),
    _P("check_every", 21, "trading days", 1, 252, "assumption (21: at every month's end; 1: after every step)",
       "trading days between full books checks when checks are on", int),
    # --- end-user demand --------------------------------------------------------------------
    _P("real_demand_growth", 0.55, "1/year (log growth)", -0.5, 2.0,
       "derived: lab revenue $13B (2025) -> ~$200B (2030): AI lab revenue projection, docs/calibration.md#companies",
       "drift of real end-user AI spending: the dial between circular trade (low) and market creation (high)"),
    _P("demand_volatility", 0.06, "1/sqrt(month)", 0.0, 0.5, "assumption",
       "monthly log-volatility of the common end-user demand factor"),
    _P("demand_idio_volatility", 0.03, "1/sqrt(month)", 0.0, 0.5, "assumption",
       "monthly log-volatility specific to each demand stream (lab, lab_spv, hyperscalers, rest of market)"),
    _P("lab_demand_0", 1.25, "$B/month", 0.1, 20.0,
       "derived: AI lab revenue, 2025 target $13B, run-rate >$20B by Oct 2025 (docs/calibration.md#companies); Sept level assumed $1.25B",
       "lab end-user demand (what users would spend on the lab's products) at the start"),
    _P("lab_revenue_per_gw", 8.0, "$B per GW-year", 1.0, 40.0,
       "derived: AI lab revenue ~$13B in 2025 (docs/calibration.md#companies) on ~1.7 GW served (assumption)",
       "revenue the lab can earn per GW of compute it is served (monetisation of capacity)"),
    _P("revenue_per_gw_growth", 0.15, "1/year", 0.0, 1.0, "assumption",
       "yearly growth of revenue per GW (efficiency, pricing)"),
    _P("lab_opex_0", 0.50, "$B/month", 0.0, 10.0,
       "derived: AI lab cash burn $8.5B in 2025 on $13B revenue (docs/calibration.md#companies)",
       "the lab's non-compute operating cost (staff, sales, other) at the start"),
    _P("lab_opex_growth", 0.35, "1/year", 0.0, 2.0, "assumption", "growth of the lab's non-compute operating cost"),
    _P("revenue_share_partner", 0.20, "share of revenue", 0.0, 0.5,
       "calibration: AI lab revenue share to its hyperscaler partner 20% (docs/calibration.md#companies)",
       "share of the lab's revenue paid to hyper_1"),
    _P("runway_trigger_months", 12.0, "months", 1.0, 36.0, "assumption",
       "the lab raises a round when cash covers fewer months of trailing net burn than this"),
    _P("round_interval_months", 6, "months", 1, 36, "assumption", "least time between two rounds of a lab", int),
    _P("round_min_runway_months", 12, "months", 0, 36, "assumption (conditional commitments; 0 = any offer closes)",
       "a round closes only if the offers fund the lab's next this many months (its funding gap)", int),
    _P("credit_view_months", 24, "months", 1, 60, "assumption",
       "horizon over which the market compares a lab's funding gap with the venture money in sight "
       "when it discounts the backlog the lab owes its providers", int),
    _P("round_target_months", 24.0, "months", 3.0, 60.0, "assumption",
       "a round aims to fund this many months of projected net burn"),
    _P("lab_contracting", True, "flag", 0, 1, "assumption",
       "the lab signs new capacity contracts when projected demand outgrows its contracted GW", bool),
    _P("lab_max_planning_growth", 0.8, "1/year", 0.0, 3.0, "assumption",
       "cap on the revenue growth the lab extrapolates when planning capacity"),
    _P("lab_min_contract_gw", 0.5, "GW", 0.05, 10.0, "assumption", "smallest new capacity contract the lab signs"),
    _P("contract_price_per_gw_year", 13.3, "$B per GW-year", 1.0, 40.0,
       "derived: $300B / (4.5 GW x 5 years), AI lab – cloud contract (docs/calibration.md#deals)",
       "price of new capacity contracts"),
    _P("contract_term_months", 60, "months", 12, 120, "calibration: AI lab – cloud contract, 5 years (docs/calibration.md#deals)", "term of new capacity contracts", int),
    _P("take_or_pay", 1.0, "share", 0.0, 1.0, "assumption (terms not disclosed)",
       "share of delivered capacity the buyer pays for even if unused"),
    _P("cancel_fee_share", 0.2, "share of remaining value", 0.0, 1.0, "assumption",
       "fee due on cancelling a capacity contract (used by the renegotiation layer)"),
    _P("lab_spv_demand_0", 0.12, "$B/month", 0.0, 10.0, "assumption", "lab_spv end-user demand at the start"),
    _P("lab_spv_opex_0", 0.6, "$B/month", 0.0, 10.0, "assumption", "lab_spv non-compute operating cost at the start"),
    _P("strategic_round_share", 0.10, "share of round", 0.0, 1.0, "assumption",
       "share of a lab round the hyperscaler partner offers to take"),
    _P("strategic_credit_share", 0.5, "share", 0.0, 1.0,
       "calibration: early hyperscaler investment $13B+, mostly cloud credits (docs/calibration.md#deals); share assumption",
       "share of the partner's round contribution paid in cloud credits rather than cash"),
    # --- the 2025 deals ---------------------------------------------------------------------
    _P("lab_cloud_value", 300.0, "$B", 0.0, 1000.0, "calibration: AI lab – cloud contract, $300B (docs/calibration.md#deals)",
       "value of the lab-cloud capacity contract"),
    _P("lab_cloud_gw", 4.5, "GW", 0.1, 20.0, "calibration: AI lab – cloud contract, 4.5 GW (docs/calibration.md#deals)", "capacity of the lab-cloud contract"),
    _P("staged_per_gw", 10.0, "$B per GW", 0.0, 50.0, "calibration: chipmaker – AI lab staged investment, $10B per GW deployed (docs/calibration.md#deals)",
       "chip_leader equity into the lab per GW deployed"),
    _P("staged_cap", 100.0, "$B", 0.0, 500.0, "calibration: chipmaker – AI lab staged investment, up to $100B (docs/calibration.md#deals)", "cap of chip_leader's staged investment"),
    _P("challenger_gw", 6.0, "GW", 0.0, 20.0, "calibration: AMD deal, 6 GW (docs/calibration.md#deals)", "GW of chip_challenger GPUs for the lab"),
    _P("challenger_price_per_gw_year", 11.0, "$B per GW-year", 1.0, 40.0, "assumption",
       "price of the capacity built on chip_challenger GPUs"),
    _P("challenger_warrant_shares", 0.16, "billion shares", 0.0, 1.0,
       "calibration: AMD deal, warrants for 160M shares at $0.01 (docs/calibration.md#deals)", "chip_challenger warrants held by the lab"),
    _P("spv_size", 20.0, "$B", 0.0, 200.0, "calibration: SPV lease, $20B raise (docs/calibration.md#deals)", "size of the GPU SPV"),
    _P("spv_chip_leader_equity", 2.0, "$B", 0.0, 50.0, "calibration: SPV lease, chipmaker $2B equity (docs/calibration.md#deals)",
       "chip_leader's equity in the SPV"),
    _P("spv_equity_share", 0.375, "share", 0.05, 1.0, "assumption (SPV lease: reported $7.5B equity / $12.5B debt, docs/calibration.md#deals)",
       "share of the SPV funded with equity"),
    _P("spv_lease_yield", 0.12, "1/year", 0.0, 0.5, "assumption", "yield of the SPV's lease to lab_spv"),
    _P("neocloud_price_per_gw_year", 13.3, "$B per GW-year", 1.0, 40.0,
       "assumption (same as the lab-cloud contract price)", "price of the neocloud's capacity contracts"),
    _P("neocloud_lab_expansion", 6.5, "$B", 0.0, 100.0, "calibration: neocloud contracts, AI lab $22.4B in all, the last $6.5B in Sept 2025 (docs/calibration.md#deals)",
       "September 2025 expansion of the lab's neocloud contract"),
    _P("neocloud_hyper4_value", 14.2, "$B", 0.0, 100.0, "calibration: neocloud contracts, Meta $14.2B (docs/calibration.md#deals)",
       "hyper_4's neocloud contract"),
    _P("backstop_value", 6.3, "$B", 0.0, 50.0, "calibration: chipmaker backstop of neocloud, $6.3B for unsold capacity (docs/calibration.md#deals)",
       "chip_leader's backstop of the neocloud's unsold capacity"),
    _P("intel_stake", 5.0, "$B", 0.0, 50.0, "calibration: chipmaker stake in Intel, $5B (docs/calibration.md#deals)", "chip_leader's Intel stake"),
    _P("vc_levered_tranche", 22.5, "$B", 0.0, 100.0,
       "calibration: AI lab raise $40B (March 2025; docs/calibration.md#deals); SoftBank's tranches, the last $22.5B wired "
       "26 Dec 2025 (docs/calibration.md#history-equity; the baseline pays it on 15 Dec)", "December 2025 tranche"),
    # --- GPUs, data centres and the rental market --------------------------------------------
    _P("gpus_per_gw", 0.45, "million GPUs per GW", 0.1, 2.0, "calibration: GPUs per 10 GW, 4–5 million (docs/calibration.md#deals)",
       "GPUs per GW of data-centre capacity"),
    _P("gpu_price_leader", 77.8, "$ thousand per GPU (system level)", 5.0, 500.0,
       "derived: ~$35B of chip_leader hardware per GW / 450k GPUs per GW (capex per GW, docs/calibration.md#gpus-and-data-centres)",
       "chip_leader's new-GPU price at the start, networking and systems included"),
    _P("gpu_price_challenger", 55.0, "$ thousand per GPU (system level)", 5.0, 500.0, "assumption",
       "chip_challenger's new-GPU price at the start"),
    _P("custom_silicon_discount", 0.6, "share of chip_leader price", 0.1, 1.5, "assumption",
       "price of hyperscalers' in-house accelerators relative to chip_leader's"),
    _P("shell_capex_per_gw", 15.0, "$B per GW", 1.0, 60.0,
       "calibration: capex per GW $50–60B, ~$15B other than chipmaker hardware (docs/calibration.md#gpus-and-data-centres)", "non-GPU data-centre capex per GW"),
    _P("build_months", 18, "months", 1, 60, "assumption", "months to build a data-centre shell", int),
    _P("plan_lead_months", 6, "months", 0, 36, "assumption", "months before a build must start that a provider plans it", int),
    _P("shell_tranche_gw", 0.5, "GW", 0.05, 10.0,
       "assumption (a campus is energised building by building; Stargate Abilene: ~1.2 GW in eight buildings, docs/calibration.md#gpus-and-data-centres)",
       "largest phase of a data-centre campus energised at once: a larger campus comes online in phases"),
    _P("shell_first_tranche_months", 12, "months", 1, 60,
       "assumption (Stargate Abilene's first buildings ran about a year after construction began, docs/calibration.md#gpus-and-data-centres; with 18-month "
       "builds this puts the first GW of the chipmaker – AI lab staged investment in the second half of 2026, as announced, docs/calibration.md#deals); "
       "values above build_months act as build_months",
       "months of building before the first phase of a multi-phase campus is energised (the last: build_months)", int),
    _P("chip_prepay_share", 0.2, "share of order", 0.0, 1.0, "assumption", "share of a chip order paid at order"),
    _P("gpu_life_months", 72, "months", 12, 120, "calibration: server useful life 5–6 years (docs/calibration.md#gpus-and-data-centres)",
       "accounting useful life of GPUs (depreciation; also the used-GPU price)", int),
    _P("capacity_opex_per_gw_month", 0.12, "$B per GW-month", 0.0, 2.0, "assumption (power ~ $1B per GW-year plus staff)",
       "operating cost of a GW of online capacity"),
    _P("rent_ref", 3.38, "$ per GPU-hour", 0.5, 20.0,
       "derived: $13.3B per GW-year / (450k GPUs x 8,760 h); cf. H100 rental $2.99 (Oct 2024), docs/calibration.md#gpus-and-data-centres",
       "spot rental price at the reference utilisation"),
    _P("rent_utilisation_ref", 0.85, "share", 0.5, 1.0,
       "assumption; at least 0.5: the rent at full use is (1 / this) ^ rent_elasticity x rent_ref, which below "
       "0.5 explodes (x1,000 and more) and drives runaway revenue and share prices",
       "utilisation at which the spot rent equals rent_ref"),
    _P("rent_elasticity", 2.0, "1", 0.0, 4.0,
       "assumption; at most 4: the rent at full use is then at most 16 x rent_ref (with rent_utilisation_ref "
       "0.5); above, it explodes", "elasticity of the spot rent to utilisation"),
    _P("spot_demand_gw_0", 0.6, "GW", 0.0, 20.0, "assumption",
       "spot rental demand from unmodelled buyers at the start (grows with their demand index)"),
    _P("gpu_outside_supply_gw", 0.0, "GW", 0.0, 500.0, "assumption (0: the modelled owners' capacity is the market)",
       "GPU capacity outside the model competing for the same renters (a glut raises it): it counts in the "
       "rental market's supply and shares the spot demand"),
    _P("chip_backlog_target_months", 4.0, "months", 0.5, 24.0, "assumption",
       "order backlog (months of production) at which chipmakers hold prices"),
    _P("chip_allocation_pro_rata", 1.0, "share", 0.0, 1.0,
       "assumption (a vendor short of supply allocates it among its customers rather than filling one order book "
       "after another; 0: strict first-come delivery)",
       "share of a chipmaker's monthly production shared among its live orders in proportion to what each "
       "awaits; the rest goes to the oldest orders first"),
    _P("chip_delivery_to_shells", False, "flag", 0, 1,
       "assumption (a buyer calls off GPUs as the halls they go into near completion; vendors ship to a delivery "
       "schedule, not all at order; timed deliveries and the pipeline, docs/calibration.md#history-delivery-timing)",
       "chip orders are delivered only as the shells of the project they equip can house them "
       "(chip_delivery_lead_months ahead; a leased shell on its lessor's schedule); off: a buyer takes its "
       "GPUs as soon as they are produced. The history world sets it on (model/scenarios.py, BASE_SETTINGS)", bool),
    _P("chip_delivery_lead_months", 3, "months", 0, 24,
       "assumption (GPUs arrive about a quarter before their hall is energised, to be racked and tested; timed "
       "deliveries and the pipeline, docs/calibration.md#history-delivery-timing)",
       "with chip_delivery_to_shells: months before a shell phase is finished that its GPUs are delivered", int),
    _P("opening_pipeline_months", 0, "months", 0, 60,
       "assumption (0: the opening has no builds under way; values of build_months and more act as "
       "build_months - 1; the history world sets 60, i.e. build_months - 1 (17 at the default): the hyperscalers "
       "had been building at their 2025 rate for longer than a shell takes; timed deliveries and the pipeline, "
       "docs/calibration.md#history-delivery-timing)",
       "hyperscalers' builds under way at the opening: a month of the opening capex budget begun in each of "
       "this many months before it, shells built on schedule so far, GPUs on order. The history world sets 60 "
       "(all: model/scenarios.py, BASE_SETTINGS)", int),
    _P("chip_price_sensitivity", 0.02, "1/month", 0.0, 0.5, "assumption",
       "monthly price change per unit of relative backlog gap"),
    _P("chip_price_max_step", 0.015, "1/month", 0.0, 0.5,
       "assumption (list prices move with product generations: ~20% a year at most; at 3% a month the GPU price "
       "doubles in the 2026-28 order wave and the chipmakers' revenue halves after it)",
       "largest monthly new-GPU price change"),
    _P("chip_backlog_horizon_months", 12.0, "months", 1.0, 60.0,
       "assumption (analysts count a chip order book as revenue over the coming year at least)",
       "the market spreads a chipmaker's order book over its months of production but at least this many"),
    _P("gpu_price_floor_markup", 1.2, "x unit cost", 1.0, 3.0, "assumption (a vendor never sells below cost plus 20%)",
       "a chipmaker's new-GPU price never falls below this multiple of its opening unit cost"),
    # --- chipmakers ---------------------------------------------------------------------------
    _P("leader_capacity", 0.20, "million GPUs/month", 0.01, 5.0,
       "derived: chipmaker quarter revenue $46.7B (docs/calibration.md#companies) at $77.8k per GPU", "chip_leader production at the start"),
    _P("leader_capacity_growth", 0.3, "1/year", -0.5, 2.0, "assumption", "growth of chip_leader's production capacity"),
    _P("leader_gross_margin", 0.72, "share", 0.0, 0.95, "calibration: chipmaker quarter, gross margin 72.4% (docs/calibration.md#companies)",
       "chip_leader gross margin"),
    _P("leader_opex", 1.6, "$B/month", 0.0, 20.0, "assumption", "chip_leader operating costs"),
    _P("leader_non_ai_revenue", 1.5, "$B/month", 0.0, 20.0, "assumption", "chip_leader revenue outside data centres"),
    _P("leader_rest_of_market", 4.0, "$B/month", 0.0, 50.0, "assumption",
       "GPU orders from unmodelled buyers (sovereigns, enterprises, other clouds)"),
    _P("challenger_capacity", 0.04, "million GPUs/month", 0.0, 5.0, "assumption", "chip_challenger production at the start"),
    _P("challenger_capacity_growth", 0.5, "1/year", -0.5, 3.0, "assumption", "growth of chip_challenger's capacity"),
    _P("challenger_gross_margin", 0.5, "share", 0.0, 0.95, "assumption", "chip_challenger gross margin"),
    _P("challenger_opex", 0.9, "$B/month", 0.0, 20.0, "assumption", "chip_challenger operating costs"),
    _P("challenger_non_ai_revenue", 1.8, "$B/month", 0.0, 20.0, "assumption", "chip_challenger CPU and other revenue"),
    _P("challenger_rest_of_market", 0.6, "$B/month", 0.0, 20.0, "assumption", "chip_challenger orders from unmodelled buyers"),
    _P("buyback_spread_days", 21, "trading days", 1, 63,
       "assumption (buyback programmes buy a little every day; bought in one day, each month's buybacks made "
       "the market jump on the first of the month)",
       "a month's buyback reaches the market evenly over this many trading days", int),
    _P("payout_share_of_excess", 0.2, "1/month", 0.0, 1.0, "assumption",
       "share of cash above target that mature firms return to shareholders each month"),
    # --- hyperscalers ---------------------------------------------------------------------------
    _P("hyper_ocf_total", 451.0, "$B/year", 0.0, 2000.0, "calibration: hyperscalers' operating cash flow ~$451B a year (docs/calibration.md#companies)",
       "combined non-AI operating cash flow of the four hyperscalers"),
    _P("hyper_capex_growth", 0.25, "1/year", -0.5, 2.0, "assumption (2026 guidance: capex rising)",
       "yearly growth of hyperscalers' AI capex budgets"),
    _P("hyper_capex_interval_months", 1, "months", 1, 12,
       "assumption (hyperscalers order GPUs all year round; ordered by the quarter, all at once, the chipmakers' "
       "deliveries and revenue came in quarterly waves)", "months between a hyperscaler's capex decisions", int),
    _P("hyper_ai_revenue_per_gw", 11.0, "$B per GW-year", 0.0, 50.0, "assumption",
       "revenue hyperscalers' own AI services earn per GW used"),
    _P("hyper_demand_exposure", 0.6, "1", 0.0, 2.0, "assumption",
       "exposure of hyperscalers' own AI demand (and unmodelled buyers) to the AI demand trend"),
    _P("target_utilisation", 0.85, "share", 0.3, 1.0, "assumption", "utilisation at which hyperscalers hold capex to plan"),
    # --- cloud and neocloud -------------------------------------------------------------------
    _P("cloud_non_ai_income", 3.9, "$B/month", 0.0, 20.0,
       "assumption (Oracle revenue ~$57B a year less ~$10B of cloud infrastructure)",
       "the cloud provider's non-AI revenue (databases, applications)"),
    _P("cloud_non_ai_costs", 2.3, "$B/month", 0.0, 20.0, "assumption (~40% operating margin on non-AI revenue)",
       "costs of the cloud's non-AI business"),
    _P("cloud_dividend", 0.45, "$B/month", 0.0, 5.0, "assumption (~$5.4B/yr dividends)", "the cloud's dividend"),
    _P("min_cash_cloud", 10.0, "$B", 0.0, 100.0, "assumption", "cash the cloud keeps beyond planned needs"),
    _P("neocloud_non_ai_costs", 0.05, "$B/month", 0.0, 5.0, "assumption (corporate overhead outside data centres)",
       "the neocloud's costs outside its data centres"),
    _P("min_cash_neocloud", 1.0, "$B", 0.0, 50.0, "assumption", "cash the neocloud keeps beyond planned needs"),
    _P("funding_horizon_months", 6, "months", 1, 36, "assumption", "months of needs a firm pre-funds with debt", int),
    _P("neocloud_ltv_target", 0.7, "share", 0.0, 1.0,
       "assumption (GPU-backed loan LTV not disclosed: docs/calibration.md#companies)", "share of GPU cost the neocloud borrows against them"),
    _P("neocloud_spec_gw", 0.0, "GW per quarter", 0.0, 5.0, "assumption (off by default: the neocloud builds for contracts; neocloud customers, docs/calibration.md#companies)",
       "speculative capacity the neocloud adds each quarter while spot rents are above their reference"),
    _P("gpu_loan_ltv_limit", 0.8, "share", 0.05, 1.5, "assumption", "LTV limit of GPU-backed loans (margin calls: defaults layer)"),
    _P("gpu_loan_months", 48, "months", 6, 120, "calibration: neocloud customers, ~4-year terms (docs/calibration.md#companies)", "amortisation term of GPU-backed loans", int),
    _P("contract_backed_loans", True, "flag", 0, 1,
       "calibration: neocloud debt includes delayed-draw loans tied to customer contracts (docs/calibration.md#companies)",
       "the neocloud borrows against named customer contracts (delayed-draw loans secured by the GPUs serving each "
       "contract and its receivables, amortising with it, with covenants and cross-default); off: pooled GPU loans "
       "against its whole fleet (the comparison dial)", bool),
    _P("contract_loan_advance", 0.45, "share of contract value", 0.0, 1.0,
       "derived: one 2026 loan ~45% of the contract behind it (GPU-backed loan LTV, docs/calibration.md#companies)",
       "size of a contract-backed facility as a share of the backing contract's total value"),
    _P("contract_loan_spread_ig", 0.0625, "1/year", 0.0, 0.3,
       "calibration: neocloud loan pricing, SOFR +6.0–6.5% on investment-grade contracts (docs/calibration.md#companies)",
       "spread of a contract-backed loan whose customer is investment grade (hyperscalers, chipmakers, the cloud)"),
    _P("contract_loan_spread_other", 0.13, "1/year", 0.0, 0.5,
       "calibration: neocloud loan pricing, SOFR +13% otherwise (docs/calibration.md#companies)",
       "spread of a contract-backed loan whose customer is not investment grade (the labs, others)"),
    _P("contract_loan_min_dscr", 1.2, "1", 0.0, 5.0, "assumption (a common project-finance covenant)",
       "least debt-service coverage of a contract-backed loan: the backing contract's collected cash flow over the "
       "loan's interest and principal; a breach the borrower cannot cure by prepaying is an event of default"),
    _P("neocloud_ddtl_coupon_ig", 0.11, "1/year", 0.0, 0.5,
       "calibration: neocloud debt, delayed-draw loans at 11–15% (Jun 2025, docs/calibration.md#companies): the low end for the hyperscaler-backed loan",
       "coupon of the neocloud's opening delayed-draw loan against its hyperscaler contract"),
    _P("neocloud_ddtl_coupon_other", 0.15, "1/year", 0.0, 0.5,
       "calibration: neocloud debt, delayed-draw loans at 11–15% (Jun 2025, docs/calibration.md#companies): the high end for the lab-backed loan",
       "coupon of the neocloud's opening delayed-draw loan against its contract with the lab"),
    _P("neocloud_notes_coupon", 0.10, "1/year", 0.0, 0.5, "calibration: neocloud debt, senior notes at 9–9.25% rounded to 10% (docs/calibration.md#companies)",
       "coupon of the neocloud's senior notes"),
    _P("neocloud_notes_months", 57, "months", 1, 240,
       "assumption after filings (the neocloud's senior notes fall due in 2030)", "months to the maturity of the "
       "neocloud's senior notes", int),
    _P("vendor_financing_coupon", 0.095, "1/year", 0.0, 0.5,
       "calibration: neocloud debt, vendor financing at 9–10% (Jun 2025, docs/calibration.md#companies)", "coupon of the neocloud's vendor financing"),
    _P("vendor_financing_months", 36, "months", 1, 120, "assumption",
       "months over which the neocloud's vendor financing amortises", int),
    # --- credit ---------------------------------------------------------------------------------
    _P("risk_free_rate", 0.042, "1/year", 0.0, 0.2, "assumption (10-year Treasury, Sept 2025)", "risk-free rate"),
    _P("spread_cloud", 0.0165, "1/year", 0.0, 0.2, "calibration: cloud bond issue, 40-yr tranche at Treasuries +165 bp (docs/calibration.md#companies)",
       "base spread of the cloud's bonds"),
    _P("spread_neocloud", 0.065, "1/year", 0.0, 0.3, "calibration: neocloud loan pricing, SOFR +6.0–6.5% on investment-grade contracts (docs/calibration.md#companies)",
       "base spread of the neocloud's and the SPV's GPU-backed loans"),
    _P("spread_investment_grade", 0.008, "1/year", 0.0, 0.2, "assumption", "spread of AA-rated issuers"),
    _P("spread_margin_loan", 0.03, "1/year", 0.0, 0.3, "assumption", "spread of the levered fund's margin loan"),
    _P("spread_leverage_ref", 0.15, "debt / market equity", 0.0, 5.0, "assumption", "leverage above which spreads widen"),
    _P("spread_leverage_sensitivity", 0.05, "1/year per unit leverage", 0.0, 1.0, "assumption",
       "spread added per unit of leverage above the reference"),
    _P("bond_duration_cap", 7.0, "years", 0.5, 30.0, "assumption",
       "cap on the duration used to mark bonds to market (long bonds' duration is below their life)"),
    _P("min_bond_issue", 2.0, "$B", 0.1, 50.0, "assumption", "smallest bond issue"),
    _P("bond_maturity_months", 120, "months", 12, 480, "assumption", "maturity of new bonds", int),
    _P("debt_ladder_years", 10, "years", 2, 40, "assumption",
       "opening long-term bonds not in long bonds mature in equal tranches every year from year 2 to this year", int),
    _P("long_bond_share", 0.3, "share of long-term debt", 0.0, 1.0,
       "assumption (the cloud's bonds run to 40 years: the longest tranche of its cloud bond issue, Sept 2025, docs/calibration.md#companies)",
       "share of a firm's opening long-term debt in 20-, 30- and 40-year bonds (a third each)"),
    _P("short_debt_share", 0.1, "share of debt", 0.0, 1.0, "assumption",
       "share of a firm's opening debt due within a year (the cloud's is filed: open_short_debt_cloud)"),
    _P("revolver_months", 60, "months", 12, 120, "assumption (five-year revolving credit facilities are usual)",
       "months the opening revolving credit lines stay available", int),
    _P("cross_default_cure_months", 1, "months", 0, 12, "assumption",
       "months a payment default on debt may last before the borrower's other debt accelerates (cross-default)", int),
    _P("cloud_bond_issue", 18.0, "$B", 0.0, 200.0,
       "calibration: cloud bond issue $18B in 6 tranches (Sep 2025, docs/calibration.md#companies)",
       "the cloud's September 2025 bond issue, in six equal tranches of 5, 7, 10, 20, 30 and 40 years (split: assumption)"),
    _P("n_bond_buyers", 30, "agents", 1, 500, "assumption (the design asks for tens: docs/design.md#actors)", "number of bond buyers", int),
    _P("credit_capacity", 1500.0, "$B", 0.0, 20000.0,
       "calibration: data-centre financing gap $1.5T, ~$800B private credit (docs/calibration.md#gpus-and-data-centres)",
       "outside money bond buyers can draw in all"),
    _P("credit_inflow", 40.0, "$B/month", 0.0, 1000.0, "assumption (~$500B a year of new lending to AI "
       "infrastructure at neutral sentiment)", "new money credit investors give the bond buyers each month, "
       "scaled by the round appetite to the power inflow_appetite_power"),
    _P("bond_buyer_concentration", 4.0, "1", 0.1, 1000.0, "assumption",
       "Dirichlet concentration of the bond buyers' capacities (low: a few large lenders; high: equal)"),
    _P("bond_buyer_spread_max", 0.03, "1/year", 0.0, 0.3, "assumption",
       "bond buyers' required spreads are spread evenly from 0 to this"),
    _P("bond_buyer_leverage_min", 0.5, "debt / market equity", 0.0, 50.0, "assumption",
       "leverage limit of the most cautious bond buyer (limits are spread evenly up to the max)"),
    _P("bond_buyer_leverage_max", 3.0, "debt / market equity", 0.0, 50.0, "assumption",
       "leverage limit of the least cautious bond buyer"),
    _P("lab_max_contract_gw", 2.0, "GW", 0.1, 50.0, "assumption", "largest capacity contract the lab signs in a quarter"),
    _P("margin_loan_months", 24, "months", 3, 120, "assumption", "term of the levered fund's margin loans", int),
    _P("cross_holdings", True, "flag", 0, 1, "assumption",
       "firms hold stakes in each other (hyper_1 and chip_leader in the lab, chip_leader in the neocloud and "
       "the SPV, chip_leader's staged investment); off cuts these links", bool),
    # --- defaults, collateral and recovery ------------------------------------------------------
    _P("defaults", True, "flag", 0, 1, "assumption",
       "firms can default (illiquidity after the grace period, or insolvency); off = arrears pile up", bool),
    _P("default_grace_months", 2, "months", 0, 24, "assumption",
       "months a firm may leave bills unpaid before it is declared in default", int),
    _P("default_arrears_tolerance", 0.05, "$B", 0.0, 100.0, "assumption", "arrears below this do not count"),
    _P("used_gpu_market_depth", 2.5, "million GPUs", 0.01, 100.0, "assumption",
       "depth of the used-GPU market: selling this many GPUs at once lowers the price by a factor e"),
    _P("used_price_recovery_months", 6.0, "months", 0.5, 120.0, "assumption",
       "time constant of the used-GPU price's recovery from fire-sale impact"),
    _P("margin_call_ltv", 0.35, "share", 0.01, 1.0, "assumption",
       "margin-loan-to-listed-holdings ratio above which the levered fund must sell shares"),
    _P("margin_call_cushion", 0.1, "share of the call", 0.0, 1.0, "assumption (lenders ask for a cushion)",
       "a margin call on the levered fund sells this much more than the excess, to restore a cushion"),
    _P("plant_recovery", 0.3, "share of book", 0.0, 1.0, "assumption", "recovery on data-centre plant in liquidation"),
    _P("other_asset_recovery", 0.5, "share of book", 0.0, 1.0, "assumption", "recovery on other assets in liquidation"),
    _P("private_stake_recovery", 0.5, "share of mark", 0.0, 1.0, "assumption",
       "price of private stakes sold in liquidation, relative to the last-round mark"),
    _P("receivable_recovery", 0.5, "share", 0.0, 1.0, "assumption", "price of receivables sold in liquidation"),
    _P("rescues", True, "flag", 0, 1, "assumption",
       "any stakeholder (a chipmaker, a hyperscaler, a provider) decides each month whether to rescue a firm behind "
       "on its bills, when its expected loss from the failure exceeds the rescue's cost (a chipmaker that backstops "
       "a customer buys its idle capacity first); off: no rescues (the backstop is never drawn)", bool),
    _P("rescue_margin_share", 0.2, "share of revenue", 0.0, 1.0,
       "assumption (a supplier keeps about a fifth of a customer's remaining contract revenue after its costs "
       "and the capital it ties up)",
       "share of the revenue a firm is still to earn from a customer under contracts that it counts as lost "
       "if the customer fails (rescue decisions)"),
    _P("rescue_horizon_months", 24, "months", 0, 60,
       "assumption (the market's credit view, credit_view_months: a rescue must carry the firm until it can fund "
       "itself, not through a quarter)",
       "a rescue brings the firm current and carries it this many months: its debt service and its operations' "
       "cash shortfall"),
    _P("rescue_cash_share", 0.5, "share of cash", 0.0, 1.0, "assumption",
       "a stakeholder spends at most this share of its cash on a rescue"),
    _P("renegotiation", True, "flag", 0, 1, "assumption",
       "the lab cancels commitments not yet online when it cannot fund them (paying the cancellation fee)", bool),
    # --- venture funds ---------------------------------------------------------------
    _P("vc_levered_dry_powder", 15.0, "$B", 0.0, 500.0, "assumption", "uncalled LP commitments of the levered fund"),
    _P("vc_levered_margin_ltv", 0.25, "share", 0.0, 1.0, "assumption", "margin loan limit of the levered fund"),
    _P("vc_dry_powder", 150.0, "$B", 0.0, 2000.0, "assumption (growth, crossover and sovereign funds)",
       "uncalled LP commitments of the other venture funds together"),
    _P("lp_commitments", 4.0, "$B/month", 0.0, 100.0, "assumption",
       "new LP commitments the venture funds raise each month at neutral sentiment (all funds together; "
       "scaled by the round appetite to the power inflow_appetite_power)"),
    _P("vc_1_share", 0.3, "share", 0.0, 1.0, "assumption",
       "share of the other venture funds' dry powder held by vc_1 (the rest by vc_2)"),
    _P("vc_appetite", 0.5, "share", 0.0, 1.0, "assumption", "share of its available capital a fund puts into one round"),
    _P("vc_max_ticket", 30.0, "$B", 0.0, 500.0, "assumption", "largest single venture cheque"),
    # --- equity market: valuation and price formation (model/markets/equity.py) ---------------
    _P("backlog_pricing", 0.5, "share", 0.0, 1.0, "assumption",
       "share of backlog revenue traders count in forward revenue: markets price promises (1) or cash (0)"),
    _P("pipeline_weight", 0.3, "share", 0.0, 1.0, "assumption",
       "weight traders give GPUs announced in framework deals but not yet ordered, relative to firm orders"),
    _P("growth_elasticity", 0.3, "1 per unit growth", 0.0, 3.0, "assumption",
       "how much a firm's price/sales multiple rises with revenue growth above its opening growth"),
    _P("analyst_growth_clip", 1.0, "1/year (log)", 0.0, 3.0, "assumption",
       "the trailing growth at which analysts move the trailing twelve months' revenue on by the half "
       "year it lags is clipped to +- this (lumpy orders would otherwise swing the run-rate)"),
    _P("analyst_trend_clip", 0.05, "log per month", 0.0, 0.5, "assumption",
       "between months the run-rate moves on day by day at last month's change of it, clipped to +- this"),
    _P("market_growth_clip", 1.0, "1/year", 0.0, 3.0, "assumption",
       "growth above (below) the opening growth counts in multiples up to this much"),
    _P("market_surprise_to_growth", 1.0, "1/year per unit surprise", 0.0, 5.0,
       "assumption (a 5% revenue beat raises the growth the market expects by 5 points)",
       "growth the market adds to its expectation per unit of quarterly revenue surprise"),
    _P("market_news_to_growth", 0.01, "1/year per (news / yearly revenue)", 0.0, 0.2, "assumption",
       "growth the market adds per $ of commitments announced per $ of yearly revenue, beyond the contract itself"),
    _P("market_belief_persistence", 0.9945, "per trading day", 0.9, 1.0, "assumption (half-life ~6 months)",
       "daily persistence of those shifts in expected growth"),
    _P("market_attention_news_scale", 0.002, "share of market cap", 0.0001, 0.1, "assumption",
       "news worth this share of a firm's market cap draws attention 1 - 1/e"),
    _P("market_attention_surprise_scale", 0.02, "share of revenue", 0.001, 0.5, "assumption",
       "a quarterly revenue surprise of this size draws attention 1 - 1/e"),
    _P("market_attention_persistence", 0.5, "per trading day", 0.0, 0.95, "assumption (attention halves every day)",
       "daily persistence of news attention"),
    _P("outside_elasticity", 0.31, "1", 0.05, 3.0,
       "assumption after Gabaix & Koijen (2021), inelastic markets: the aggregate demand elasticity ~0.2; "
       "0.31 x a float of ~64% of the shares gives the opening depth of 0.2 x market cap per unit log return",
       "elasticity of the outside holders' holdings to the price: taking a share q of the float moves the price by "
       "~q / this (depth = this x float x price)"),
    _P("market_min_float", 0.02, "share of shares outstanding", 0.001, 0.5, "assumption",
       "the float that sets the price impact is at least this share of the shares outstanding"),
    _P("market_anchor_rate", 0.008, "per trading day", 0.0, 1.0,
       "assumption (outside holders follow a change of mood over about half a year, 1/126: taken up faster, the "
       "mood's slow swings make daily returns trend)",
       "daily rate at which outside holders' reservation value takes up the AI mood's part of the fair value "
       "(revisions of the fundamentals move it at once)"),
    _P("market_impact_decay", 0.000815, "per trading day", 0.0, 0.5,
       "calibration: MSM fit on the S&P 500 1999-2018 (docs/calibration.md#market-data) exploring with the "
       "per-series bounds as penalties "
       "(benchmarks/calibrate_market.py --penalise-bounds), the lowest-J near-best point meeting every bound on seeds "
       "1-20 (benchmarks/select_calibration.py)",
       "daily rate at which a price returns to the outside holders' reservation value"),
    _P("market_impact_transient_share", 0.025, "share", 0.0, 0.9,
       "calibration: MSM refit on the S&P 500 1999-2018 (docs/calibration.md#market-data) with this share free "
       "and the per-series bounds as penalties (benchmarks/calibrate_market.py --fit --penalise-bounds --maxfev 45 "
       "--fit-seeds 1-8 --set market_signal_phase_in_days=10 --set market_impact_transient_share=0 --set "
       "trader_noise_fundamentalist=0.00506), the lowest-J near-best point meeting every bound on seeds 1-20 "
       "(benchmarks/select_calibration.py --stop-at-first); docs/markets.md#how-prices-form",
       "share of a day's price impact of the net order flow that reverses the next trading day: liquidity "
       "providers unwind what they absorbed (temporary impact; Bouchaud et al. 2004), which makes daily returns "
       "negatively autocorrelated at lag 1"),
    _P("market_signal_phase_in_days", 10, "trading days", 0, 21,
       "calibration: the lowest in-sample MSM J on the S&P 500 1999-2018 (docs/calibration.md#market-data) "
       "of 0, 5 and 10 on seeds 1-20 (5.99, 4.96, 3.81: "
       "benchmarks/calibrate_market.py --seeds 1-20 --set market_signal_phase_in_days=D --set "
       "market_impact_transient_share=0 --set trader_noise_fundamentalist=0.00506), then held in the refit of "
       "market_impact_transient_share; 0: each month's figures reach the market on its first trading day, in one jump",
       "trading days over which the market takes in the surprise in a month's figures - revenue run-rate, "
       "growth, backlog (with the customers' payment odds), net debt: analysts learn them through the month, "
       "not on one day; a firm's news - a deal, a cancellation - still counts at once", int),
    _P("market_price_noise", 0.002, "log per trading day", 0.0, 0.05,
       "assumption (small next to the traders' noise; held fixed in the MSM fit)",
       "daily log-price noise from flows outside the model"),
    _P("market_uncertainty_gain", 0.2, "1", 0.0, 1.0,
       "assumption: the smallest of 0.1, 0.2, 0.3 with which every listed firm's |r| clustered on seeds 1-20 "
       "under an earlier calibration; with this calibration 0.1 meets the clustering bounds too (the cloud "
       "0.188, lag 50 0.093) but leaves the four hyperscalers' GARCH alpha + beta above 0.999, and 0 leaves the "
       "index's and seven firms' above it (benchmarks/economy_stylized_facts.py --set market_uncertainty_gain=0.1, "
       "and =0; docs/results.md#stylized); information arrives in clusters (the "
       "mixture-of-distributions hypothesis: Clark 1973, Andersen 1996)",
       "volatility after news: the disagreement a revision of a firm's fundamentals leaves is a log price "
       "deviation whose daily shocks have sd this x sqrt(U), U the squared log revisions of its fair value before "
       "today, each fading at market_uncertainty_persistence, as the deviation does (0: none)"),
    _P("market_uncertainty_persistence", 0.98, "per trading day", 0.0, 0.99,
       "assumption: a half-life of ~35 trading days, a variance shock's in a GARCH(1,1) with alpha + beta = 0.98 "
       "(the S&P 500 1999-2018: 0.987; docs/calibration.md#market-data)",
       "daily persistence of the uncertainty a revision of a firm's fundamentals leaves, and of the price "
       "deviation the disagreement makes"),
    _P("market_uncertainty_max_revision", 0.693, "log points", 0.05, 5.0,
       "assumption: ln 2, a value halved or doubled, above the revisions of the calibrated announcement days; "
       "without it (5) a firm whose value collapses in a day (a lab's default cancelling the cloud's contract) "
       "keeps a disagreement as large as the collapse (a value cut to a tenth: daily shocks of sd ~0.46); with this "
       "calibration the cap binds in seed 104 of 101-120 (p99 gap between fair value and price 0.55, 0.57 without) and in seed 6 of "
       "history 1-20 (0.92, 1.02 without; benchmarks/market_bounds.py --rows --set "
       "market_uncertainty_max_revision=5, docs/markets.md#how-prices-form)",
       "the uncertainty a firm's revisions leave is at most that of one revision this large (the disagreement's "
       "daily shocks then have sd at most market_uncertainty_gain x this)"),
    _P("market_max_daily_move", 0.5, "log return", 0.05, 1.0, "assumption (no daily move of the S&P 500 1999-2018 "
       "(docs/calibration.md#market-data) exceeded 0.11; single stocks rarely move half their price)",
       "circuit breaker: orders are rationed so that no price moves more than this in a day"),
    # --- institutional traders (agents/traders.py) ------------------------------------------------
    _P("n_traders", 200, "agents", 10, 100000, "assumption (the design asks for 100 or more: docs/design.md#actors)", "number of institutional traders", int),
    _P("trader_wealth_share", 0.2, "share of market cap", 0.01, 0.4, "assumption",
       "institutional traders' wealth as a share of the public firms' market cap"),
    _P("trader_invested_fraction", 0.9, "share of wealth", 0.3, 1.0,
       "assumption (active funds hold a few % cash; the rest is room to buy)",
       "share of their wealth traders hold in stocks at the start and rebalance towards"),
    _P("trader_rebalance_rate", 0.003, "per trading day", 0.0, 0.2,
       "assumption (positions drift back to benchmark over about a year; held fixed in the MSM fit)",
       "daily rate at which a trader brings its positions back to the invested share at benchmark weights"),
    _P("trader_wealth_dispersion", 1.0, "lognormal sigma", 0.0, 2.0, "assumption (a few large managers, many small)",
       "dispersion of wealth across traders"),
    _P("trader_initial_fundamentalist_share", 0.85, "share", 0.0, 1.0,
       "derived: the switching's own level once past the start (benchmarks/trader_shares.py, docs/results.md#opening, seeds 1-8 opened at "
       "0.5): 0.84-0.86 in trading days 20-249, 0.892 over days 250-1,511 (it rises as mispricing builds up "
       "over a run); opened at 0.5, every firm's first week was 3.1-4.2x as volatile as days 250-1,511",
       "share of fundamentalists among the traders who may switch, at the start"),
    _P("trader_fundamentalist_floor", 0.1, "share", 0.0, 1.0,
       "assumption (value and index-tilting managers who never chase trends)",
       "share of traders who are fundamentalists always: some fundamentalists are always present"),
    _P("trader_kappa", 0.001, "per trading day per unit log mispricing", 0.0, 0.1,
       "assumption, after Franke & Westerhoff (2012): mu x phi = 0.0012 (held fixed in the MSM fit)",
       "mean fundamentalist aggressiveness: the share of the log mispricing a fundamentalist trades a day, "
       "as a share of its benchmark allocation"),
    _P("trader_chi", 0.1, "per unit daily trend", 0.0, 2.0, "assumption",
       "mean chartist aggressiveness on the trend (EMA of daily log returns)"),
    _P("trader_trend_cap", 0.01, "log return per day", 0.0001, 0.1, "assumption",
       "the trend chartists act on is capped at +- this daily drift"),
    _P("trader_kappa_attention", 0.0, "per unit value revision", 0.0, 3.0,
       "assumption (outside holders already price revisions at once; traders add nothing by default)",
       "trading on the day's revision of value at full news attention, every trader"),
    _P("trader_aggressiveness_dispersion", 0.5, "lognormal sigma", 0.0, 2.0, "assumption",
       "dispersion of the aggressiveness factor across traders"),
    _P("trader_horizon_min", 5.0, "trading days", 1.0, 250.0, "assumption", "shortest chartist trend horizon"),
    _P("trader_horizon_max", 60.0, "trading days", 1.0, 250.0, "assumption",
       "longest chartist trend horizon (at least the shortest: the horizons are drawn between the two)"),
    _P("trader_noise_fundamentalist", 0.00573, "benchmark allocation per day", 0.0, 0.1,
       "calibration: the refit with market_impact_transient_share free (its source gives the commands); before it, MSM fit on the S&P 500 1999-2018 (docs/calibration.md#market-data) exploring with the per-series bounds as penalties (benchmarks/calibrate_market.py --penalise-bounds), the lowest-J near-best point meeting every bound on seeds 1-20 (benchmarks/select_calibration.py); after Franke & Westerhoff (2012): mu x sigma_f = 0.0076",
       "belief noise of fundamentalists"),
    _P("trader_noise_chartist", 0.165, "benchmark allocation per day", 0.0, 0.2,
       "calibration: MSM fit on the S&P 500 1999-2018 (docs/calibration.md#market-data) exploring with the per-series bounds as penalties (benchmarks/calibrate_market.py --penalise-bounds), the lowest-J near-best point meeting every bound on seeds 1-20 (benchmarks/select_calibration.py); after Franke & Westerhoff (2012): mu x sigma_c = 0.021",
       "belief noise of chartists (larger than fundamentalists': structural stochastic volatility)"),
    _P("trader_noise_common", 0.5, "share of variance", 0.0, 1.0, "assumption",
       "share of a trader's belief-noise variance common to its type (the rest is its own)"),
    _P("trader_noise_market", 0.8, "share of variance", 0.0, 1.0, "assumption",
       "share of the common belief noise that is market-wide rather than firm-specific"),
    _P("trader_perception_dispersion", 0.3, "lognormal sigma", 0.0, 2.0, "assumption",
       "dispersion of the traders' perception of backlog"),
    _P("trader_valuation_dispersion", 0.1, "lognormal sigma", 0.0, 1.0, "assumption",
       "dispersion of each trader's view of each firm's multiple"),
    _P("trader_value_floor", 0.05, "share of enterprise value", 0.0, 1.0, "assumption",
       "equity is worth at least this share of enterprise value (option value)"),
    _P("trader_revision_rate", 0.235, "per trading day", 0.0, 1.0,
       "calibration: MSM fit on the S&P 500 1999-2018 (docs/calibration.md#market-data) exploring with the per-series bounds as penalties (benchmarks/calibrate_market.py --penalise-bounds), the lowest-J near-best point meeting every bound on seeds 1-20 (benchmarks/select_calibration.py); Franke & Westerhoff's flexibility of the switching; 0.2, an assumption, before",
       "probability a trader reconsiders its strategy on a given day"),
    _P("trader_intensity", 1.0, "1", 0.0, 10.0,
       "assumption: a normalisation, as in Franke & Westerhoff (2012) (the weights of the switching rule carry the scale)",
       "intensity of choice of the switching (logit) rule"),
    _P("trader_predisposition", -0.293, "1", -5.0, 5.0,
       "calibration: MSM fit on the S&P 500 1999-2018 (docs/calibration.md#market-data) exploring with the per-series bounds as penalties (benchmarks/calibrate_market.py --penalise-bounds), the lowest-J near-best point meeting every bound on seeds 1-20 (benchmarks/select_calibration.py); Franke & Westerhoff (2012): alpha_0 = -0.327",
       "constant attractiveness of fundamentalism over chartism in the switching rule"),
    _P("trader_herding", 1.88, "1", 0.0, 5.0, "calibration: MSM fit on the S&P 500 1999-2018 (docs/calibration.md#market-data) exploring with the per-series bounds as penalties (benchmarks/calibrate_market.py --penalise-bounds), the lowest-J near-best point meeting every bound on seeds 1-20 (benchmarks/select_calibration.py); Franke & Westerhoff (2012): "
       "alpha_n = 1.79", "herding weight on the majority index (n_F - n_C) in the switching rule"),
    _P("trader_misalignment", 42.3, "per unit squared log mispricing", 0.0, 100.0,
       "calibration: MSM fit on the S&P 500 1999-2018 (docs/calibration.md#market-data) exploring with the per-series bounds as penalties (benchmarks/calibrate_market.py --penalise-bounds), the lowest-J near-best point meeting every bound on seeds 1-20 (benchmarks/select_calibration.py); Franke & Westerhoff (2012): alpha_p = 18.43",
       "weight of the market's squared log mispricing in the switching rule: far from value, traders turn "
       "fundamentalist"),
    _P("trader_max_overweight", 3.0, "x benchmark weight", 1.0, 10.0, "assumption",
       "a position may be at most this multiple of the trader's benchmark allocation"),
    _P("trader_margin_limit", 0.25, "share of wealth", 0.0, 1.0,
       "assumption (Regulation T lets a long portfolio borrow up to half its value; funds use less)",
       "largest broker loan a trader may carry, as a share of its wealth; beyond it, a margin call forces sales"),
    _P("trader_margin_spread", 0.01, "1/year", 0.0, 0.2, "assumption (prime-broker loans ~1% over the risk-free rate)",
       "interest on the traders' broker loans above risk_free_rate"),
    # --- retail ETF holders (agents/retail.py) ---------------------------------------------------
    _P("retail_holders", 10000, "agents", 10, 1000000, "assumption (the design asks for 10,000 or more: docs/design.md#actors)", "number of retail ETF holders", int),
    _P("passive_share", 0.16, "share of market cap", 0.0, 0.4,
       "calibration: passive share, index funds ~16% of US market cap (docs/calibration.md#markets-and-holders)", "share of each public firm the retail ETF holds at the start"),
    _P("retail_contribution_rate", 0.02, "share of initial holdings per year", 0.0, 0.5,
       "assumption (US equity fund/ETF net inflows ~$1T a year on ~$50T)",
       "monthly household contributions into the ETF, as a yearly share of its initial holdings"),
    _P("retail_holdings_dispersion", 1.0, "lognormal sigma", 0.0, 3.0, "assumption", "dispersion of holdings across holders"),
    _P("retail_contribution_dispersion", 1.0, "lognormal sigma", 0.0, 3.0, "assumption",
       "dispersion of monthly contributions across holders"),
    _P("retail_check_rate", 0.1, "per trading day", 0.01, 1.0, "assumption (a look every two weeks)",
       "median daily probability that a holder looks at the market"),
    _P("retail_check_dispersion", 0.5, "lognormal sigma", 0.0, 2.0, "assumption", "dispersion of that rate across holders"),
    _P("retail_fomo_horizon", 21, "trading days", 1, 126, "assumption (a month)",
       "holders watch the ETF's return over one, two or three times this horizon", int),
    _P("retail_fomo_threshold", 0.08, "return over 21 days", 0.0, 1.0, "assumption",
       "median FOMO trigger (scaled by the square root of the horizon / 21)"),
    _P("retail_fomo_dispersion", 0.4, "lognormal sigma", 0.0, 2.0, "assumption", "dispersion of the FOMO trigger"),
    _P("retail_fomo_fraction", 0.02, "share of holdings", 0.0, 0.5,
       "assumption (daily index returns show little momentum: chasing buys are small)",
       "share of its holdings a holder buys on FOMO"),
    _P("retail_fomo_cooldown", 63, "trading days", 1, 504, "assumption (a quarter)", "least time between two FOMO purchases", int),
    _P("retail_fomo_sentiment", 0.5, "1", 0.0, 3.0, "assumption",
       "good mood lowers the FOMO trigger: factor (1 - this x sentiment)"),
    _P("retail_panic_threshold", 0.25, "drawdown from peak", 0.01, 1.0, "assumption", "median panic trigger"),
    _P("retail_panic_dispersion", 0.4, "lognormal sigma", 0.0, 2.0, "assumption", "dispersion of the panic trigger"),
    _P("retail_panic_fraction", 0.1, "share of units", 0.0, 1.0,
       "assumption (US equity mutual funds lost ~6% of their assets to outflows in 2008)",
       "share of its units a panicking holder sells"),
    _P("retail_panic_sentiment", 0.5, "1", 0.0, 3.0, "assumption",
       "bad mood lowers the panic trigger: factor (1 + this x sentiment)"),
    _P("retail_recovery_fraction", 0.5, "share of trigger", 0.0, 1.0, "assumption",
       "a panicked holder calms down when the drawdown is back within this share of its trigger ..."),
    _P("retail_panic_memory", 126, "trading days", 1, 1512, "assumption (half a year)",
       "... or this long after it panicked (until then it stops contributing)", int),
    # --- AI sentiment and what it moves (model/markets/sentiment.py) -------------------------------
    _P("sentiment_0", 0.3, "index in (-1, 1)", -0.95, 0.95, "assumption (the mildly euphoric autumn of 2025)",
       "AI sentiment at the start"),
    _P("sentiment_mean_reversion", 0.02, "per trading day", 0.0, 0.5, "assumption (a mood lasts a season: half-life ~35 days)",
       "daily pull of the sentiment's latent state towards the level the lab's growth justifies"),
    _P("sentiment_returns", True, "flag", 0, 1, "assumption", "the returns channel: the AI basket's returns move sentiment", bool),
    _P("sentiment_return_weight", 0.5, "per unit daily log return", 0.0, 5.0,
       "assumption (a -10% basket day lowers the latent state by 0.05)", "weight of the returns channel"),
    _P("sentiment_news", True, "flag", 0, 1, "assumption",
       "the news channel: commitments announced (cancelled) lift (sour) sentiment", bool),
    _P("sentiment_news_weight", 0.15, "latent units", 0.0, 2.0, "assumption", "weight of the news channel (saturating)"),
    _P("sentiment_news_scale", 100.0, "$B", 1.0, 2000.0, "assumption (the $100B chip deal is big news)",
       "size of announcement that counts as big news"),
    _P("sentiment_lab_growth", True, "flag", 0, 1, "assumption",
       "the lab channel: sentiment reverts to the level the lab's usage growth against expectations justifies", bool),
    _P("sentiment_lab_weight", 1.0, "per unit 1/year", 0.0, 5.0,
       "assumption (usage growing 20 points a year above expectations sustains s = tanh(0.2) ~ 0.2)",
       "weight of the lab's usage growth against expectations in the sentiment's target"),
    _P("sentiment_lab_clip", 0.5, "1/year", 0.0, 3.0, "assumption",
       "the lab's growth surprise counts up to +- this much"),
    _P("sentiment_lab_default", -0.5, "1/year", -3.0, 0.0, "assumption (the worst surprise the clip allows)",
       "the growth surprise a defaulted lab counts as (the floor the sentiment's target falls to)"),
    _P("lab_growth_expected", 0.55, "1/year", -1.0, 3.0,
       "derived: the lab's own projection $13B (2025) -> $200B (2030): AI lab revenue projection, docs/calibration.md#companies",
       "revenue growth the market expects of the lab; growth below it sours sentiment"),
    _P("sentiment_multiple_elasticity", 0.3, "1", 0.0, 2.0,
       "assumption (s from -1 to +1 moves multiples x0.74 to x1.35; the mood swings between about -0.5 and +0.5 "
       "in the baseline, so multiples move by about +-15% with it)",
       "multiples scale with exp(this x sentiment)"),
    _P("round_appetite_elasticity", 0.693, "1", 0.0, 3.0,
       "assumption: ln 2 (venture funding roughly halved from 2021 to 2023)",
       "venture appetite for a round scales with exp(this x sentiment): x0.5 in panic, x2 in euphoria"),
    _P("inflow_appetite_power", 1.0, "1", 0.0, 3.0,
       "assumption (1: LP commitments and credit inflows move with venture appetite, no more; 2 squared it)",
       "LP commitments and credit inflows scale with the round appetite to this power"),
    _P("spread_sentiment_scale", 0.01, "1/year", 0.0, 0.05, "assumption",
       "credit-spread add-on from the mood: this x (exp(-convexity x sentiment) - 1)"),
    _P("spread_sentiment_convexity", 1.386, "1", 0.0, 3.0,
       "assumption: ln 4 (+300 bp in panic, -75 bp in euphoria; high-yield spreads widened several hundred bp in 2020 and 2022)",
       "convexity of the mood's spread add-on"),
    # --- valuation feedback into the real economy --------------------------------------------------
    _P("lab_multiple_growth_years", 1.0, "years", 0.0, 5.0,
       "assumption (a year: the usage growth investors see over a year is noisy, +-0.23 a year in the model)",
       "years of usage growth investors capitalise when pricing a lab round"),
    _P("lab_required_return", 0.2, "1/year", 0.0, 1.0,
       "assumption (venture investors' hurdle rate for late-stage rounds, 15-25% a year)",
       "a lab whose usage grows as expected is valued at the opening valuation grown at this rate "
       "(its multiple on usage compresses at lab_growth_expected minus this)"),
    _P("lab_compute_weight", 0.0, "1", 0.0, 5.0,
       "assumption (0: a compute commitment is a liability of the signer, not an asset; investors price "
       "revenue and growth)",
       "weight of the lab's yearly committed compute spend in its round valuation"),
    _P("private_mark_comparables", 1.0, "1", 0.0, 2.0,
       "assumption (valuation guidelines (IPEV): between rounds, marks move with listed comparables' multiples)",
       "between rounds a private stake is marked at the last round's price x (the listed AI firms' price/sales "
       "multiple now / at the round) to this power; 0 keeps the last round's price"),
    _P("round_growth_sensitivity", 2.0, "1 per unit growth gap", 0.0, 10.0,
       "assumption (a lab whose usage shrinks instead of growing as expected sees offers fall ~70%, "
       "like late-stage venture funding in 2001 and 2022-23)",
       "how strongly venture appetite falls when the lab's growth lags expectations: factor exp(this x gap)"),
    _P("failed_round_share", 0.5, "share of round", 0.0, 1.0, "assumption",
       "a round that raises less than this share of its size has failed (the lab then renegotiates)"),
    _P("capex_price_elasticity", 0.5, "1", 0.0, 3.0, "assumption",
       "hyperscalers' capex budgets scale with (share price / opening price) to this power"),
    _P("capex_price_cap", 1.5, "x plan", 1.0, 5.0, "assumption (boards approve at most half as much again as planned)",
       "most the share price can raise a hyperscaler's capex budget"),
    _P("capex_utilisation_floor", 0.3, "x plan", 0.0, 1.0, "assumption",
       "least share of its capex plan a hyperscaler keeps when its capacity stands idle"),
    _P("capex_utilisation_cap", 1.25, "x plan", 1.0, 3.0, "assumption",
       "most a busy hyperscaler raises its capex plan for utilisation above target"),
    _P("equity_issue_max", 0.03, "share of market cap per month", 0.0, 0.5, "assumption",
       "most new shares a listed cloud provider can sell in a month when debt falls short"),
    # --- the equity desk and convertibles (model/equity_desk.py, model/contracts/convertible.py) ------
    _P("equity_desk_pool", 40.0, "$B/month", 0.0, 1000.0,
       "assumption (of the order of US follow-on equity issuance, a few hundred $B a year)",
       "outside buyers' money for new shares and mandatory convertibles each month at neutral mood, all firms "
       "together (scaled by the round appetite to the power inflow_appetite_power)"),
    _P("equity_desk_firm_share", 0.05, "share of market cap per month", 0.0, 1.0,
       "assumption (an at-the-market programme sells a few per cent of a firm's shares a month at most)",
       "the desk's buyers take at most this share of a firm's market value in new shares a month (the depth of "
       "its placements: selling that much at once raises 1 - 1/e of it)"),
    _P("equity_min_price", 1.0, "$/share", 0.01, 20.0,
       "calibration: minimum share price, the exchanges' continued-listing standard of $1.00 (docs/calibration.md#capital-markets)",
       "the desk's buyers take no new shares or mandatory convertibles of a firm whose share price is below this: "
       "a firm that cannot borrow falls behind on its bills instead of diluting without end"),
    _P("equity_fee_atm", 0.02, "share of gross", 0.0, 0.5,
       "calibration: at-the-market programme commissions, up to 2-3% of gross (docs/calibration.md#capital-markets)",
       "agent's commission on shares sold at the market and on mandatory convertibles"),
    _P("equity_discount_block", 0.03, "share of price", 0.0, 0.5,
       "calibration: seasoned equity offers priced about 2-3% below the last close (docs/calibration.md#capital-markets)",
       "discount of a marketed share offering to the last price (before the volume's own discount)"),
    _P("equity_discount_rescue", 0.15, "share of price", 0.0, 0.9,
       "calibration: private placements priced 13-20% below market (docs/calibration.md#capital-markets)",
       "discount of a placement by a firm in distress (before the volume's own discount)"),
    _P("mandatory_dividend", 0.065, "1/year", 0.0, 0.3,
       "calibration: cloud mandatory convertible preferred, 6.50% (docs/calibration.md#capital-markets)",
       "dividend rate of mandatory convertible preferred stock sold through the desk"),
    _P("mandatory_term_months", 36, "months", 6, 120,
       "calibration: cloud mandatory convertible preferred, about three years to conversion (docs/calibration.md#capital-markets)",
       "months from issue to the mandatory conversion", int),
    _P("mandatory_band", 0.25, "share of the initial price", 0.0, 2.0,
       "calibration: cloud mandatory convertible preferred, 0.2499-0.3124 shares per $50 (docs/calibration.md#capital-markets)",
       "the threshold price above which the holder gets the fewest shares is the initial price (today's) x (1 + this)"),
    _P("convertible_premium", 0.30, "share of the price", 0.0, 2.0,
       "assumption (conversion premiums are usually 20-40%)",
       "a convertible note's conversion price is today's share price x (1 + this)"),
    _P("convertible_volatility", 0.6, "1/sqrt(year)", 0.05, 2.0,
       "assumption (AI stocks' implied volatilities were about 50-70% a year in 2025)",
       "share-price volatility at which lenders value a convertible note's conversion option"),
    _P("distressed_capacity", 50.0, "$B/month", 0.0, 2000.0,
       "assumption (of the order of the distressed-debt and special-situations funds' yearly deployment)",
       "outside buyers' money for distressed assets (bonds sold by forced sellers, a defaulter's plant, stakes "
       "and claims) each month at neutral mood (scaled like the equity desk's pool); the discount grows with the "
       "volume sold against it"),
    # --- contagion channels: each can be switched off (off = the simpler rule it replaces) ---------------
    _P("channel_earnings", True, "flag", 0, 1, "assumption",
       "the market values each listed firm from its operating margin and its cost of capital (risk-free rate, "
       "its own credit spread, the mood), not from revenue alone; off: a price/sales multiple of forward revenue", bool),
    _P("channel_ratings", True, "flag", 0, 1, "assumption",
       "firms are rated from leverage and coverage (model/ratings.py) and borrow at their notch's spread; "
       "investment-grade-only lenders sell fallen angels; off: spreads by family and leverage", bool),
    _P("channel_capex", True, "flag", 0, 1, "assumption",
       "hyperscalers, the cloud and the neocloud defer or cancel chip orders and projects when utilisation or the "
       "expected return on new capacity falls (paying what each contract's terms say); off: they build on plan", bool),
    _P("channel_trade_credit", True, "flag", 0, 1, "assumption",
       "chip deliveries and capacity bills are paid on terms (terms_chips_months, terms_capacity_months) and "
       "cleared together when due; off: paid at once as cash allows", bool),
    _P("channel_intent", True, "flag", 0, 1, "assumption",
       "chip_leader's $100B staged investment in the lab starts as a letter of intent that chip_leader signs or lets "
       "lapse by its own decision; off: a binding contract from the announcement", bool),
    _P("channel_finite_capital", True, "flag", 0, 1, "assumption",
       "share issues, block sales and distressed assets meet a finite pool of outside buyers (discounts growing "
       "with the volume); off: outside holders take any amount at today's price and defaulters' assets sell at "
       "fixed recoveries", bool),
    _P("terms_chips_months", 2, "months", 0, 3,
       "assumption (chipmakers' customers pay about 60 days after delivery; trade terms of 30-90 days are usual)",
       "months after delivery that a GPU purchase falls due (with channel_trade_credit)", int),
    _P("terms_capacity_months", 1, "months", 0, 3,
       "assumption (cloud capacity is billed monthly and paid about 30 days later)",
       "months after the bill that a capacity or lease bill falls due (with channel_trade_credit)", int),
    _P("capex_defer_utilisation", 0.6, "share", 0.0, 1.0, "assumption",
       "below this utilisation an owner defers its builds for no customer (own use, spot capacity)"),
    _P("capex_cancel_utilisation", 0.4, "share", 0.0, 1.0, "assumption",
       "below this utilisation it cancels them (the vendor keeps the prepayment)"),
    _P("capex_return_tolerance", 0.05, "1/year", 0.0, 1.0, "assumption",
       "a fall of the expected excess return on a new GW by more than this since the first review defers "
       "builds for no customer; by twice this cancels them"),
    _P("capex_defer_odds", 0.3, "share", 0.0, 1.0, "assumption",
       "a provider defers (and starts no new) builds for a customer whose payment odds are below this"),
    _P("capex_cancel_odds", 0.1, "share", 0.0, 1.0, "assumption",
       "a provider cancels unfinished builds for a customer whose payment odds are below this"),
    _P("intent_months", 12, "months", 1, 60,
       "assumption (the first GW of the chipmaker - AI lab deal was announced for the second half of 2026)",
       "months the parties of chip_leader's letter of intent give themselves to sign the definitive agreement", int),
    _P("intent_wait_months", 6, "months", 0, 60, "assumption (definitive agreements take months to negotiate)",
       "months after the announcement before chip_leader can sign the definitive agreement", int),
    _P("intent_sign_odds", 0.8, "share", 0.0, 1.0, "assumption",
       "chip_leader signs the definitive agreement only if the lab's payment odds are at least this"),
    _P("intent_lapse_odds", 0.5, "share", 0.0, 1.0, "assumption",
       "chip_leader lets the letter of intent lapse once the lab's payment odds fall below this"),
    # --- valuation from earnings and the cost of capital (model/markets/equity.py) -------------------
    _P("valuation_margin_months", 3, "months", 1, 12, "assumption (analysts extrapolate the last quarter)",
       "months of operating (EBIT) margin the market reads into a firm's value", int),
    _P("valuation_margin_floor", 0.15, "share of revenue", 0.05, 1.0,
       "assumption (a thin-margin firm's value is no more than about 7 times as sensitive to its margin as to its revenue)",
       "least opening margin in the margin factor's denominator: value moves as exp(change in margin / "
       "max(opening margin, this)), the Gordon growth model's price/sales = margin / (k - g) linearised"),
    _P("equity_risk_premium", 0.045, "1/year", 0.0, 0.2,
       "assumption (the S&P 500's implied equity risk premium was about 4-5% in 2024-2025)",
       "premium over the risk-free rate of a firm's assets (of its equity were it unlevered) in its cost of "
       "capital at neutral mood; its debt's share at market values adds the firm's spread"),
    _P("long_run_growth", 0.04, "1/year", 0.0, 0.2, "assumption (long-run nominal growth of earnings)",
       "growth of earnings in perpetuity: value moves with the cost of capital k as (k0 - g) / (k - g)"),
    # --- credit ratings (model/ratings.py) --------------------------------------------------------
    *[_P(f"rating_business_{aid}", v, "1 (excellent) .. 6 (vulnerable)", 1, 6, f"assumption ({why})",
         f"{aid}'s business risk profile in the rating grid (S&P's corporate methodology)", int)
      for aid, v, why in (("hyper_1", 1, "a diversified hyperscaler: excellent"),
                          ("hyper_2", 1, "a diversified hyperscaler: excellent"),
                          ("hyper_3", 1, "a diversified hyperscaler: excellent"),
                          ("hyper_4", 1, "a diversified hyperscaler: excellent"),
                          ("chip_leader", 2, "the leading AI chipmaker, cyclical: strong"),
                          ("chip_challenger", 3, "a second-source chipmaker: satisfactory"),
                          ("cloud", 1, "a large, diversified software firm: excellent (with its leverage the grid "
                                    "gives its BBB)"),
                          ("neocloud", 5, "a young provider with a few customers: weak"),
                          ("spv", 5, "a vehicle with one lessee: weak"))],
    _P("rating_open_cloud", 9, "notch (1 = AAA, 10 = BBB-, 21 = C)", 1, 21,
       "calibration: cloud debt, rated Baa2 = BBB (docs/calibration.md#companies)", "the cloud's rating in Sept 2025", int),
    *[_P(f"rating_open_{aid}", v, "notch (1 = AAA, 10 = BBB-, 21 = C)", 1, 21, f"assumption ({why})",
         f"{aid}'s rating in Sept 2025 (until the first review)", int)
      for aid, v, why in (("hyper_1", 1, "Microsoft is rated AAA"), ("hyper_2", 2, "Alphabet about AA+"),
                          ("hyper_3", 3, "Amazon about AA"), ("hyper_4", 4, "Meta about AA-"),
                          ("chip_leader", 4, "NVIDIA about AA-"), ("chip_challenger", 7, "AMD about A-"),
                          ("neocloud", 13, "CoreWeave about BB-"), ("spv", 14, "a GPU vehicle: about B+"))],
    *[_P(f"rating_spread_{g}", v, "1/year", 0.0, 1.0,
         f"calibration: ICE BofA corporate spreads by rating, {g.upper()} about {v * 1e4:.0f} bp (docs/calibration.md#capital-markets)",
         f"spread of new five-year senior unsecured debt rated {g.upper()}")
      for g, v in (("aaa", 0.0035), ("aa", 0.0045), ("a", 0.0065), ("bbb", 0.0100), ("bb", 0.0180), ("b", 0.0300),
                   ("ccc", 0.0850))],
    _P("rating_spread_c", 0.25, "1/year", 0.0, 2.0,
       "assumption (debt near default trades at a fraction of its face: a spread of 25% a year or more)",
       "spread of debt rated C (the grid interpolates from CCC)"),
    _P("rating_liquidity_less", 1.2, "sources / uses", 1.0, 3.0,
       "calibration: S&P liquidity descriptors, 'less than adequate' below 1.2x (docs/calibration.md#capital-markets)",
       "sources over uses below which a firm's rating is at most BB+ (below 1: weak, at most B-)"),
    _P("rating_backlog_margin", 0.85, "share of revenue", 0.0, 1.0,
       "assumption (contracted compute earns its price less power and operations: ~$1.4B of ~$13B per GW-year)",
       "EBITDA margin an agency projects on contracted capacity revenue that starts within the year"),
    _P("loss_given_default", 0.6, "share of face", 0.05, 1.0,
       "assumption (senior unsecured bonds recover about 40% on average in default)",
       "loss at default the market uses to turn a spread into the odds that a rated buyer pays its backlog"),
    _P("credit_spread_shift", 0.0, "1/year", -0.05, 0.2, "assumption (0: spreads as in Sept 2025)",
       "added to every rated firm's spread (the credit crunch raises it)"),
    _P("ig_restricted_share", 0.5, "share of bond buyers", 0.0, 1.0,
       "assumption (insurers, pension funds and investment-grade funds hold most investment-grade bonds)",
       "the most cautious bond buyers (lowest required spreads) that lend only to investment-grade issuers"),
    _P("fallen_angel_discount", 0.07, "share of the mark", 0.0, 0.5,
       "calibration: fallen angels' forced sales, prices about 7% below fundamental value (docs/calibration.md#capital-markets)",
       "discount at which investment-grade holders sell a fallen angel's bonds (before the volume's own discount)"),
    # --- the 2025-26 deal book (the history world, model/history/) ----------------------------------
    _P("history_lab_demand_0", 1.40, "$B/month", 0.1, 20.0,
       "derived: the lab's revenue path, $13B in 2025 and ~$25B annualised by March 2026 (docs/calibration.md#history-labs): "
       "the September 2025 level of a path growing at history_lab_demand_growth through both (H1 2025: $4.3B, AI lab revenue, "
       "docs/calibration.md#companies)",
       "history world: the lab's end-user demand in September 2025"),
    _P("history_lab_demand_growth", 0.80, "1/year (log growth)", -0.5, 3.0,
       "derived: the lab's revenue path, $13B in 2025 and ~$25B annualised by March 2026 (docs/calibration.md#history-labs)",
       "history world: growth of the labs' end-user demand while the deal book runs (to July 2026); "
       "real_demand_growth afterwards"),
    _P("history_hyper_demand_path", True, "flag", 0, 1,
       "assumption (the hyperscalers said through 2025-26 that AI demand exceeded their capacity; the path is "
       "history_hyper_demand_growth: hyperscalers' own demand in the book, docs/calibration.md#history-delivery-timing)",
       "history world: the hyperscalers' own AI demand grows at history_hyper_demand_growth while the deal book runs "
       "(to July 2026), then as the AI demand trend x hyper_demand_exposure; off: as the trend throughout", bool),
    _P("history_rest_of_market_growth", 0.83, "1/year (log growth)", 0.0, 2.0,
       "derived: chipmaker's data-centre revenue in the book, NVIDIA $41.1B in the quarter to 27 Jul 2025 and "
       "$62.3B in the quarter to 25 Jan 2026 (docs/calibration.md#history-compute): 2 ln(62.3 / 41.1) = 0.83, for "
       "the buyers of GPUs the model does not have as much as for those it has (assumption: NVIDIA reported the "
       "hyperscalers at about half of its data-centre revenue, the other half growing as fast)",
       "history world: growth of the unmodelled AI demand (the rest_of_market stream: the other buyers' GPU orders "
       "from each chipmaker and the renters of idle capacity outside the model) while the deal book runs; "
       "real_demand_growth x hyper_demand_exposure afterwards"),
    _P("history_hyper_demand_growth", 0.59, "1/year (log growth)", 0.0, 2.0,
       "derived: Microsoft's plan to raise its AI capacity by more than 80% in its fiscal year to June 2026 (earnings "
       "call, 29 Oct 2025), while it reported demand above its capacity: ln 1.8 = 0.59 (hyperscalers' own demand in "
       "the book, docs/calibration.md#history-delivery-timing); the same for the four hyperscalers (assumption)",
       "history world, with history_hyper_demand_path: growth of each hyperscaler's own AI demand while the deal "
       "book runs"),
    _P("history_capex_guidance_holds", True, "flag", 0, 1,
       "assumption (boards revise capex guidance at quarterly results, which the deal book records: between them the "
       "published plan stands; guidance that stands, docs/calibration.md#history-delivery-timing)",
       "history world: while the deal book runs, the hyperscalers' published capex guidance stands against the capex "
       "review's return rule (its utilisation rule still applies); the review measures the return's fall from the "
       "book's end; off: from its first review", bool),
    _P("history_lab_revenue_per_gw", 11.5, "$B per GW-year", 1.0, 40.0,
       "derived: AI lab revenue, a run-rate above $20B by October 2025 (docs/calibration.md#companies), over the 1.74 GW "
       "the lab is served at the opening (its contracts in force, model/opening_books.py: 1.2 + 0.3 + 15.9 / (13.3 x 5))",
       "history world: revenue a lab earns per GW of compute it is served (both labs), at the start"),
    _P("lab_2_demand_0", 0.42, "$B/month", 0.01, 10.0,
       "calibration: second lab run-rate above $5B a year (Aug 2025; docs/calibration.md#history-labs): $5B / 12",
       "history world: lab_2's end-user demand in September 2025"),
    _P("lab_2_opex_0", 0.35, "$B/month", 0.0, 10.0, "assumption (the second lab's non-compute costs; not in the filings)",
       "history world: lab_2's non-compute operating cost at the start"),
    _P("lab_2_appeal_drift", 0.0, "1/year", -1.0, 1.0,
       "assumption (no sourced path for the second lab's share: it keeps its opening share in expectation)",
       "history world: drift of lab_2's appeal against lab's (its share of the labs' pooled end-user demand grows "
       "with it)"),
    _P("lab_share_volatility", 0.03, "1/sqrt(month)", 0.0, 0.5, "assumption (as demand_idio_volatility)",
       "history world: monthly volatility of each lab's appeal (what one lab wins of the pooled demand the other loses)"),
    _P("intent_lead_months", 12, "months", 0, 60,
       "assumption (the AMD deal's tranches become firm about a year before they start: model/deals.py)",
       "a lab signs a letter of intent it holds once the definitive contract starts within this many months "
       "(if its next year is funded)", int),
    _P("custom_capacity", 0.05, "million accelerators/month", 0.0, 5.0,
       "derived: custom-accelerator chipmaker AI revenue $5.2B a quarter (docs/calibration.md#history-compute) at "
       "custom_silicon_discount x gpu_price_leader ($46.7k) = 0.037M a month, with room above it (assumption)",
       "history world: chip_custom's production at the start"),
    _P("custom_capacity_growth", 0.6, "1/year", -0.5, 3.0, "assumption", "history world: growth of chip_custom's capacity"),
    _P("history_leader_capacity_growth", 1.30, "1/year", -0.5, 3.0,
       "derived: chipmaker's data-centre revenue in the book, NVIDIA $41.1B in the quarter to 27 Jul 2025 and "
       "$62.3B in the quarter to 25 Jan 2026 (docs/calibration.md#history-compute): (62.3 / 41.1)^2 - 1 = 1.30 a "
       "year, read as the growth of what it ships (assumption: the price of a GPU-equivalent flat over the two "
       "quarters; the model's price moves with its order book); the quarter to 26 Apr 2026 ($75.2B) is left out of "
       "sample",
       "history world: growth of chip_leader's production capacity while the deal book runs (leader_capacity_growth "
       "after it)"),
    _P("custom_gross_margin", 0.65, "share", 0.0, 0.95, "assumption (approximate public filings, 2025)",
       "history world: chip_custom's gross margin"),
    _P("custom_opex", 0.6, "$B/month", 0.0, 20.0, "assumption (approximate public filings, 2025)",
       "history world: chip_custom's operating costs"),
    _P("custom_non_ai_revenue", 3.3, "$B/month", 0.1, 20.0,
       "assumption (approximate public filings: ~$60B a year of revenue, ~$20B of it AI); at least 0.1: the market "
       "prices a listed firm at a multiple of its opening revenue, which must not be nil",
       "history world: chip_custom's revenue outside AI accelerators (software, other chips)"),
    _P("custom_rest_of_market", 1.5, "$B/month", 0.0, 20.0,
       "derived: custom-accelerator chipmaker AI revenue $5.2B a quarter (docs/calibration.md#history-compute), ~$1.7B a month, "
       "mostly hyperscalers' in-house accelerators",
       "history world: chip_custom's orders from buyers outside the model (hyperscalers' own accelerators)"),
    _P("history_azure_value", 250.0, "$B", 0.0, 1000.0,
       "calibration: Azure commitment, $250B (Oct 2025, docs/calibration.md#history-compute)",
       "history world: the lab's Azure commitment to hyper_1"),
    _P("history_azure_gw", 3.0, "GW", 0.1, 20.0,
       "assumption (no GW were given; ~$36B a year at contract_price_per_gw_year over about seven years)",
       "history world: GW of the lab's Azure commitment (term = value / (GW x price))"),
    _P("history_aws_value", 38.0, "$B", 0.0, 500.0, "calibration: AWS contract, $38B over 7 years (Nov 2025, docs/calibration.md#history-compute)",
       "history world: the lab's first AWS contract with hyper_3"),
    _P("history_aws_expansion_value", 100.0, "$B", 0.0, 1000.0,
       "calibration: AWS expansion, $100B over 8 years (Feb 2026, docs/calibration.md#history-compute)",
       "history world: the expansion of the lab's AWS contract"),
    _P("history_aws_expansion_gw", 2.0, "GW", 0.1, 20.0,
       "calibration: AWS expansion, ~2 GW of in-house accelerators (docs/calibration.md#history-compute)",
       "history world: GW of the AWS expansion (on hyper_3's own accelerators)"),
    _P("history_cerebras_value", 10.0, "$B", 0.0, 200.0,
       "calibration: outside inference compute, >$10B (Jan 2026, docs/calibration.md#history-compute)",
       "history world: the lab's compute from a vendor outside the model"),
    _P("history_cerebras_gw", 0.75, "GW", 0.0, 10.0,
       "calibration: outside inference compute, up to 750 MW staged 2026-2028 (docs/calibration.md#history-compute)",
       "history world: GW of that outside compute when fully ramped"),
    _P("history_broadcom_gw", 10.0, "GW", 0.0, 50.0,
       "calibration: custom accelerator term sheet, 10 GW (Oct 2025, docs/calibration.md#history-compute)",
       "history world: GW of the lab's custom-accelerator term sheet with chip_custom (a letter of intent)"),
    _P("history_custom_price_per_gw_year", 10.0, "$B per GW-year", 1.0, 40.0,
       "derived: (shell_capex_per_gw + gpus_per_gw x custom_silicon_discount x gpu_price_leader) = $36B per GW, "
       "recovered over 5 years at the cloud's cost of debt, plus operations",
       "history world: price of capacity built on chip_custom's accelerators"),
    _P("history_lab2_tpu_gw", 1.0, "GW", 0.0, 10.0,
       "calibration: second lab TPU deal, >1 GW in 2026 (Oct 2025, docs/calibration.md#history-compute)",
       "history world: GW of lab_2's capacity contract with hyper_2 on chip_custom's accelerators"),
    _P("history_lab2_tpu_order", 21.0, "$B", 0.0, 200.0,
       "calibration: second lab TPU deal, $21B of accelerator racks ordered (disclosed Dec 2025, docs/calibration.md#history-compute)",
       "history world: accelerators ordered from chip_custom for lab_2's capacity"),
    _P("history_lab2_azure_value", 30.0, "$B", 0.0, 300.0,
       "calibration: second lab Azure commitment, $30B (Nov 2025, docs/calibration.md#history-compute)",
       "history world: lab_2's capacity contract with hyper_1"),
    _P("history_lab2_azure_gw", 1.0, "GW", 0.05, 10.0,
       "calibration: second lab Azure commitment, up to 1 GW (docs/calibration.md#history-compute)",
       "history world: GW of lab_2's Azure contract"),
    _P("history_round_pre", 730.0, "$B", 10.0, 5000.0,
       "calibration: lab round of 2026, $730B pre-money ($852B post with $122B) (docs/calibration.md#history-equity)",
       "history world: pre-money valuation of the lab's 2026 round"),
    _P("history_round_amazon", 15.0, "$B", 0.0, 200.0,
       "calibration: lab round of 2026, Amazon $15B upfront (docs/calibration.md#history-equity)",
       "history world: hyper_3's cash into the lab's 2026 round"),
    _P("history_round_amazon_conditional", 35.0, "$B", 0.0, 200.0,
       "calibration: lab round of 2026, Amazon $35B conditional (docs/calibration.md#history-equity)",
       "history world: hyper_3's commitment conditional on the lab's listing (a commitment the run never pays)"),
    _P("history_round_chip_leader", 30.0, "$B", 0.0, 200.0,
       "calibration: lab round of 2026, chipmaker $30B straight equity (docs/calibration.md#history-equity)",
       "history world: chip_leader's equity in the lab's 2026 round (what replaced its letter of intent)"),
    _P("history_round_softbank", 30.0, "$B", 0.0, 200.0,
       "calibration: lab round of 2026, the levered fund $30B (docs/calibration.md#history-equity)",
       "history world: vc_levered's part of the lab's 2026 round"),
    _P("history_round_others", 12.0, "$B", 0.0, 200.0,
       "derived: lab round of 2026, $122B less Amazon's $50B, the chipmaker's $30B and the levered fund's $30B "
       "(docs/calibration.md#history-equity)",
       "history world: the other investors' part of the lab's 2026 round (vc_1 and vc_2, pro rata to their capital)"),
    _P("history_softbank_bridge", 30.0, "$B", 0.0, 200.0,
       "derived: lab round of 2026, the levered fund's $30B, funded by bridge loans (docs/calibration.md#history-equity)",
       "history world: the levered fund's bridge loan (a one-year revolving line) for its part of the lab's round"),
    _P("history_lab2_chip_leader", 10.0, "$B", 0.0, 100.0,
       "calibration: second lab strategic equity, chipmaker up to $10B (Nov 2025, docs/calibration.md#history-equity)",
       "history world: chip_leader's equity commitment to lab_2"),
    _P("history_lab2_microsoft", 5.0, "$B", 0.0, 100.0,
       "calibration: second lab strategic equity, Microsoft up to $5B (Nov 2025, docs/calibration.md#history-equity)",
       "history world: hyper_1's equity commitment to lab_2"),
    _P("history_lab2_round", 30.0, "$B", 0.0, 300.0,
       "calibration: second lab round of 2026, $30B at $380B post (Feb 2026; a conflicting report says $20B at $350B; "
       "docs/calibration.md#history-equity)",
       "history world: lab_2's 2026 round (the strategic commitments paid in it; venture funds the rest)"),
    _P("history_lab2_round_post", 380.0, "$B", 10.0, 5000.0,
       "calibration: second lab round of 2026, $380B post-money (docs/calibration.md#history-equity)",
       "history world: lab_2's post-money valuation in that round"),
    _P("history_xai_round", 20.0, "$B", 0.0, 200.0,
       "calibration: xAI-like lab round, $20B at ~$230B (Jan 2026, docs/calibration.md#history-equity)",
       "history world: lab_spv's round of January 2026"),
    _P("history_xai_post", 230.0, "$B", 10.0, 5000.0,
       "calibration: xAI-like lab round, ~$230B valuation (docs/calibration.md#history-equity)",
       "history world: lab_spv's post-money valuation in that round"),
    _P("history_leader_neocloud_equity", 2.0, "$B", 0.0, 50.0,
       "calibration: chipmaker equity in the neocloud, $2B (Jan 2026, docs/calibration.md#history-equity)",
       "history world: chip_leader's new shares of the neocloud (at the market price of the day)"),
    _P("dc_lease_rent_per_gw_year", 1.9, "$B per GW-year", 0.1, 20.0,
       "derived: cloud lease commitments, +$148B in a quarter (docs/calibration.md#history-real-estate) over the 4.6 GW "
       "of the four sites leased in it x their terms (15-19 years: 17, Jupiter 18) = 148 / 79.4 GW-years = $1.86B, "
       "rounded",
       "history world: rent of a leased data-centre shell"),
    _P("dc_lease_term_months", 204, "months", 12, 480,
       "calibration: cloud lease commitments, 15-19-year terms: the midpoint (docs/calibration.md#history-real-estate)",
       "history world: term of a data-centre lease whose term was not reported", int),
    _P("dc_lease_grace_months", 3, "months", 0, 36, "assumption (terms not disclosed)",
       "history world: months a lessor may hand a shell over late before it owes the lessee credits", int),
    _P("dc_late_credit_share", 0.5, "share of rent", 0.0, 2.0, "assumption (terms not disclosed)",
       "history world: credits a lessor owes the lessee each month for GW handed over late for reasons of its own "
       "(a construction delay; force majeure - power, weather - costs it nothing), as a share of their rent"),
    _P("dc_relet_share", 0.5, "share", 0.0, 1.0, "assumption",
       "history world: share of a rejected lease's rent (and of a shell's cost, for the residual-value guarantee) "
       "the lessor recovers by re-letting"),
    _P("developer_build_months", 24, "months", 6, 60,
       "assumption (gigawatt campuses take about two years; Stargate Abilene's first buildings ran about a year after "
       "construction began, docs/calibration.md#gpus-and-data-centres)",
       "history world: months to build a developer's site", int),
    _P("developer_min_cash", 0.5, "$B", 0.0, 20.0, "assumption",
       "history world: cash the developer keeps beyond a year of debt service before paying out"),
    _P("history_gw_abilene", 1.2, "GW", 0.1, 10.0, "calibration: Abilene site, ~1.2 GW in 8 buildings (docs/calibration.md#history-real-estate)",
       "history world: the Abilene-like site leased to the cloud (building at the start)"),
    _P("history_gw_shackelford", 1.4, "GW", 0.1, 10.0,
       "calibration: Vantage loans, $23.25B for the 1.4 GW Shackelford site (Oct 2025, docs/calibration.md#history-real-estate)",
       "history world: the Shackelford-like site leased to the cloud"),
    _P("history_gw_port_washington", 1.0, "GW", 0.1, 10.0,
       "calibration: Vantage loans, $14.75B for the ~1 GW Port Washington site (docs/calibration.md#history-real-estate)",
       "history world: the Port Washington-like site leased to the cloud"),
    _P("history_gw_jupiter", 1.2, "GW", 0.1, 10.0,
       "derived: Jupiter loan, ~$18B (docs/calibration.md#history-real-estate) / shell_capex_per_gw",
       "history world: the Jupiter-like site leased to the cloud for 18 years"),
    _P("history_gw_michigan", 1.0, "GW", 0.1, 10.0,
       "calibration: Michigan site, >1 GW, $16B ($14B debt, $2B equity; docs/calibration.md#history-real-estate)",
       "history world: the Michigan-like site leased to the cloud"),
    _P("history_gw_abilene_expansion", 0.6, "GW", 0.0, 10.0,
       "calibration: Abilene site, +600 MW expansion planned, dropped Mar 2026 (docs/calibration.md#history-real-estate)",
       "history world: the planned Abilene expansion (a letter of intent for a lease)"),
    _P("history_gw_microsoft_abilene", 0.8, "GW", 0.0, 10.0,
       "calibration: Abilene site, Microsoft leased ~700-900 MW next to it (Mar 2026, docs/calibration.md#history-real-estate)",
       "history world: the site next to Abilene leased to hyper_1"),
    _P("history_gw_hyperion", 1.6, "GW", 0.1, 10.0,
       "derived: Hyperion vehicle, ~$27B project (docs/calibration.md#history-real-estate), less ~$3B of interest while it "
       "is built (assumption), / shell_capex_per_gw",
       "history world: the jointly owned vehicle's campus leased to hyper_4"),
    _P("history_corz_lease_value", 10.0, "$B", 0.0, 100.0,
       "calibration: neocloud leases, ~$10B of 12-year lease obligations (docs/calibration.md#history-real-estate)",
       "history world: the neocloud's leases of shells being built at the start (12 years; GW = value / (rent x 12))"),
    _P("history_corz_sites", 6, "sites", 1, 20,
       "calibration: neocloud leases, ~500 MW of critical IT at six sites (docs/calibration.md#history-real-estate)",
       "history world: the neocloud's leased shells are handed over site by site, one phase each (the first when "
       "shell_first_tranche_months of build_months is built)", int),
    _P("history_loan_abilene", 7.1, "$B", 0.0, 100.0,
       "calibration: Abilene site, $7.1B construction loan (docs/calibration.md#history-real-estate)",
       "history world: the construction loan of the Abilene-like site"),
    _P("history_loan_shackelford", 23.25, "$B", 0.0, 100.0,
       "calibration: Vantage loans, $23.25B (docs/calibration.md#history-real-estate)", "history world: Shackelford construction loan"),
    _P("history_loan_port_washington", 14.75, "$B", 0.0, 100.0,
       "calibration: Vantage loans, $14.75B (docs/calibration.md#history-real-estate)",
       "history world: Port Washington construction loan"),
    _P("history_loan_jupiter", 18.0, "$B", 0.0, 100.0, "calibration: Jupiter loan, ~$18B from ~20 banks (Nov 2025, docs/calibration.md#history-real-estate)",
       "history world: Jupiter construction loan"),
    _P("history_loan_michigan", 14.0, "$B", 0.0, 100.0,
       "calibration: Michigan site, ~$14B of debt anchored by a private-credit investor (closed Apr 2026, docs/calibration.md#history-real-estate)",
       "history world: the Michigan site's loan, from private_credit"),
    _P("history_equity_michigan", 2.0, "$B", 0.0, 50.0,
       "calibration: Michigan site, ~$2B of equity (docs/calibration.md#history-real-estate)",
       "history world: outside equity the developer raises for the Michigan site"),
    _P("history_hyperion_bonds", 27.3, "$B", 0.0, 200.0,
       "calibration: Hyperion vehicle, $27.3B of bonds due 2049 (Oct 2025, docs/calibration.md#history-real-estate)",
       "history world: the jointly owned vehicle's bonds"),
    _P("history_hyperion_equity", 2.5, "$B", 0.0, 50.0,
       "calibration: Hyperion vehicle, ~$2.5B of equity (docs/calibration.md#history-real-estate)",
       "history world: the jointly owned vehicle's equity"),
    _P("history_hyperion_partner_share", 0.2, "share", 0.0, 1.0,
       "calibration: Hyperion vehicle, 20% hyperscaler / 80% private credit (docs/calibration.md#history-real-estate)",
       "history world: hyper_4's share of the vehicle (private_credit holds the rest)"),
    _P("history_hyperion_private_credit_share", 0.66, "share of the bonds", 0.0, 1.0,
       "derived: Hyperion vehicle, ~$18B of the $27.3B bonds to one investor (docs/calibration.md#history-real-estate)",
       "history world: share of the vehicle's bonds private_credit buys (bond buyers the rest)"),
    _P("history_hyperion_coupon", 0.0658, "1/year", 0.0, 0.3,
       "calibration: Hyperion vehicle, 6.58% yield (docs/calibration.md#history-real-estate)",
       "history world: coupon of the vehicle's bonds"),
    _P("hyperion_initial_term_months", 48, "months", 1, 480,
       "calibration: Hyperion vehicle, 4-year initial lease term (docs/calibration.md#history-real-estate)",
       "history world: initial term of hyper_4's lease of the vehicle's campus", int),
    _P("hyperion_renewal_months", 48, "months", 0, 480, "assumption (renewals as long as the initial term)",
       "history world: length of each renewal of that lease (0: none)", int),
    _P("hyperion_rvg_share", 0.8, "share of the campus' cost", 0.0, 1.0, "assumption (terms not disclosed)",
       "history world: value of the campus hyper_4 guarantees at the first handover (falls to nothing over "
       "hyperion_rvg_months)"),
    _P("hyperion_rvg_months", 192, "months", 1, 480,
       "calibration: Hyperion vehicle, residual-value guarantee over the first 16 years (docs/calibration.md#history-real-estate)",
       "history world: months over which the guarantee runs", int),
    _P("construction_loan_spread", 0.025, "1/year", 0.0, 0.2,
       "calibration: Vantage loans, ~SOFR +250 bp (docs/calibration.md#history-real-estate)",
       "history world: spread of data-centre construction loans over risk_free_rate"),
    _P("construction_loan_months", 48, "months", 6, 240,
       "calibration: Vantage loans, 4 years plus extensions (docs/calibration.md#history-real-estate)",
       "history world: maturity of a construction loan", int),
    _P("construction_loan_extension_months", 24, "months", 0, 120,
       "calibration: Jupiter loan, 4 years + 2 x 1 year (docs/calibration.md#history-real-estate)",
       "history world: months a construction loan's maturity may be extended in all if its shell is late", int),
    _P("construction_loan_extension_fee", 0.0025, "share of balance", 0.0, 0.05, "assumption (terms not disclosed)",
       "history world: fee for each extension"),
    _P("construction_loan_amort_months", 240, "months", 12, 480,
       "assumption (a finished, leased shell's loan is repaid over about the lease's term)",
       "history world: months over which a construction loan amortises once it converts", int),
    _P("private_credit_capacity", 200.0, "$B", 0.0, 5000.0,
       "assumption (one large fund's share of the ~$800B of private credit in the data-centre financing gap, "
       "docs/calibration.md#gpus-and-data-centres)",
       "history world: insurers' money committed to the private-credit fund"),
    _P("history_slip_denton_months", 2, "months", 0, 36,
       "calibration: neocloud site delay, ~60 days (rain; docs/calibration.md#history-real-estate)",
       "history world: the slip of the neocloud's leased site in November 2025 (force majeure)", int),
    _P("history_slip_stargate_months", 9, "months", 0, 48,
       "assumption (sites reported pushed from 2027 to 2028; docs/calibration.md#history-real-estate)",
       "history world: the slip of two of the cloud's leased sites in December 2025 (construction: labour, materials)", int),
    _P("history_capex_hyper_1", 150.0, "$B/year", 0.0, 1000.0,
       "derived: 2026 capex guidance, Microsoft $37.5B in the December 2025 quarter x 4 (docs/calibration.md#history-plans)",
       "history world: hyper_1's 2026 capex budget (from January 2026)"),
    _P("history_capex_hyper_2", 180.0, "$B/year", 0.0, 1000.0,
       "calibration: 2026 capex guidance, Alphabet $175-185B (Feb 2026, docs/calibration.md#history-plans): the midpoint",
       "history world: hyper_2's 2026 capex budget"),
    _P("history_capex_hyper_3", 200.0, "$B/year", 0.0, 1000.0,
       "calibration: 2026 capex guidance, Amazon ~$200B (Feb 2026, docs/calibration.md#history-plans)",
       "history world: hyper_3's 2026 capex budget"),
    _P("history_capex_hyper_4", 125.0, "$B/year", 0.0, 1000.0,
       "calibration: 2026 capex guidance, Meta $115-135B (Jan 2026, docs/calibration.md#history-plans): the midpoint",
       "history world: hyper_4's 2026 capex budget"),
    _P("history_capex_update_hyper_2", 185.0, "$B/year", 0.0, 1000.0,
       "calibration: 2026 capex guidance, Alphabet raised to $180-190B (Apr 2026, docs/calibration.md#history-plans): the midpoint",
       "history world: hyper_2's budget from its April 2026 update"),
    _P("history_capex_update_hyper_4", 135.0, "$B/year", 0.0, 1000.0,
       "calibration: 2026 capex guidance, Meta raised to $125-145B (Apr 2026, docs/calibration.md#history-plans): the midpoint",
       "history world: hyper_4's budget from its April 2026 update"),
    _P("history_capex_neocloud", 32.5, "$B/year", 0.0, 200.0,
       "calibration: neocloud 2026, CoreWeave capex guidance $30-35B (Feb 2026, docs/calibration.md#history-plans): the midpoint",
       "history world: the neocloud's 2026 capex guidance, begun ahead of its contracts from February to December 2026"),
    _P("history_lab_compute_plan", 600.0, "$B", 0.0, 5000.0,
       "calibration: the lab's compute plan, ~$600B through 2030 (Feb 2026, docs/calibration.md#history-plans)",
       "history world: what the lab plans to pay for compute through 2030 after its cut"),
    _P("history_bond_hyper_4", 30.0, "$B", 0.0, 200.0, "calibration: hyperscaler bonds, Meta $30B (Oct 2025, docs/calibration.md#history-credit)",
       "history world: hyper_4's October 2025 bond issue"),
    _P("history_bond_hyper_2", 25.0, "$B", 0.0, 200.0, "calibration: hyperscaler bonds, Alphabet ~$25B (Nov 2025, docs/calibration.md#history-credit)",
       "history world: hyper_2's November 2025 bond issue"),
    _P("history_bond_hyper_3", 15.0, "$B", 0.0, 200.0, "calibration: hyperscaler bonds, Amazon $15B (Nov 2025, docs/calibration.md#history-credit)",
       "history world: hyper_3's November 2025 bond issue"),
    _P("history_bond_hyper_2_2026", 20.0, "$B", 0.0, 200.0,
       "calibration: hyperscaler bonds, Alphabet $20B (Feb 2026, docs/calibration.md#history-credit)",
       "history world: hyper_2's February 2026 bond issue"),
    _P("history_ddtl4", 8.5, "$B", 0.0, 100.0,
       "calibration: neocloud contract-backed loans, $8.5B against a single investment-grade customer (Mar 2026, docs/calibration.md#history-credit)",
       "history world: the neocloud's facility against its hyper_4 contract"),
    _P("history_ddtl5", 3.1, "$B", 0.0, 100.0,
       "calibration: neocloud contract-backed loans, $3.1B against non-investment-grade customers (May 2026, docs/calibration.md#history-credit)",
       "history world: the neocloud's facility against its contract with the lab"),
    _P("history_neocloud_notes_2026", 1.25, "$B", 0.0, 50.0,
       "calibration: neocloud notes, $1.25B due 2031 (Apr 2026, docs/calibration.md#history-credit)",
       "history world: the neocloud's April 2026 senior notes"),
    _P("history_neocloud_convert_2025", 2.25, "$B", 0.0, 50.0,
       "calibration: neocloud convertible notes, $2.25B due December 2031 (Dec 2025, docs/calibration.md#history-credit)",
       "history world: the neocloud's December 2025 convertible notes (coupon and conversion price: the model's)"),
    _P("history_neocloud_convert_2026", 3.0, "$B", 0.0, 50.0,
       "calibration: neocloud convertible notes, $3.0B due 2032 (Apr 2026, docs/calibration.md#history-credit)",
       "history world: the neocloud's April 2026 convertible notes (coupon and conversion price: the model's)"),
    _P("history_neocloud_convert_months", 72, "months", 12, 120,
       "calibration: neocloud convertible notes, due six years after issue (Dec 2025 due Dec 2031; Apr 2026 due 2032, "
       "docs/calibration.md#history-credit)",
       "history world: months from issue to maturity of the neocloud's convertible notes", int),
    _P("history_cloud_bond_2026", 25.0, "$B", 0.0, 200.0,
       "calibration: cloud funding plan, a $25B bond of 3-40 years (Feb 2026, docs/calibration.md#history-credit)",
       "history world: the cloud's February 2026 bond issue (seven equal tranches of 3 to 40 years: the split is an assumption)"),
    _P("history_cloud_mandatory", 5.0, "$B", 0.0, 50.0,
       "calibration: cloud funding plan, $5.0B of 6.50% mandatory convertible preferred (Feb 2026, "
       "docs/calibration.md#history-credit)",
       "history world: face of the mandatory convertible preferred the cloud sells through the equity desk "
       "(dividend, term and band: mandatory_dividend, mandatory_term_months, mandatory_band)"),
    _P("history_cloud_atm", 20.0, "$B", 0.0, 200.0,
       "calibration: cloud funding plan, a $20B at-the-market programme (Feb 2026, docs/calibration.md#history-credit)",
       "history world: new shares the cloud plans to sell through the equity desk at the market"),
    _P("history_cloud_atm_months", 10, "months", 1, 10,
       "assumption (the pace of the sales was not reported, cloud funding plan, docs/calibration.md#history-credit: "
       "evenly over the rest of the calendar year the plan covers, March to December 2026)",
       "history world: monthly sales of the cloud's at-the-market programme, from March 2026", int),
]

#: opening figures whose range is narrower than the rule in ``_opening_table``: (lo, hi, why).
#: Stakes are narrowed so that a firm's opening holders rarely hold more than all its shares (the
#: joint rule is checked in ``model/constraints.py``).
_OPENING_RANGES: dict[str, tuple[float, float, str]] = {
    "open_hyper_1_lab_share_other": (0.0, 0.5, "a minority stake: the model has no controlling holder of the lab"),
    **{f"open_lab_share_{f}": (0.0, 0.2, "one venture fund's stake, at most a fifth of the lab")
       for f in ("vc_levered", "vc_1", "vc_2")},
    **{f"open_lab_spv_share_{f}": (0.0, 0.5, "a minority stake (the two funds together hold at most all of lab_spv)")
       for f in ("vc_1", "vc_2")},
    **{f"open_{item}_neocloud": (0.0, 0.5, "with the other at most 0.5 the notes and the vendor financing never sum "
                                           "above the neocloud's debt (the rest is its secured loans)")
       for item in ("notes_share", "vendor_financing_share")},
    **{f"open_{h}_lab_2_share_other": (0.0, 0.3, "a minority stake; with vc_lab_2_share <= 0.2 (held by two funds) "
                                                   "the opening holders never hold more than all of lab_2")
       for h in ("hyper_2", "hyper_3")},
    "open_vc_lab_2_share_other": (0.0, 0.2, "each of two funds; with the two hyperscalers' stakes <= 0.3 the opening "
                                            "holders never hold more than all of lab_2"),
    "open_leader_neocloud_share_other": (0.0, 0.2, "a minority stake that leaves room for the retail ETF "
                                                   "(passive_share <= 0.4) and the traders (<= 0.36)"),
    **{f"open_leader_share_{h}": (0.0, 0.9, "with open_challenger_share <= 0.1 the two chipmakers' shares of "
                                             "the hyperscaler's GPUs never sum above 1 (the rest is custom silicon)")
       for h in ("hyper_1", "hyper_2", "hyper_3", "hyper_4")},
    **{f"open_challenger_share_{h}": (0.0, 0.1, "chip_challenger's data-centre GPU share is ~5% (2025); with "
                                                 "open_leader_share <= 0.9 the two never sum above 1")
       for h in ("hyper_1", "hyper_2", "hyper_3", "hyper_4")},
}


def _opening_table() -> list[Param]:
    """Opening figures: [0, 1] for shares of something, else [0, 10 x the figure] (at least [0, 1]);
    shares outstanding and share prices from a tenth to ten times the figure (a firm needs shares
    and a positive price); narrower where ``_OPENING_RANGES`` says why."""
    from ailoop.model.opening import opening_params

    out = []
    for name, value, unit, source in opening_params():
        lo, hi = 0.0, 1.0 if unit.startswith("share") else max(10.0 * abs(value), 1.0)
        if unit in ("billion shares", "$ per share") and name.startswith(("open_shares_", "open_price_")):
            lo, hi = value / 10.0, value * 10.0
            source = f"{source}; range a tenth to ten times: a firm needs shares and a positive price"
        if name in _OPENING_RANGES:
            lo, hi, why = _OPENING_RANGES[name]
            source = f"{source}; range: {why}"
        out.append(Param(name, value, unit, lo, hi, source, "opening balance sheet (Sept 2025), see model/opening.py"))
    return out


_TABLE += _opening_table()
PARAMETERS: dict[str, Param] = {p.name: p for p in _TABLE}


def defaults() -> dict[str, Any]:
    """All parameters at their default values."""
    return {p.name: p.default for p in _TABLE}


def validate_params(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Check ``overrides`` against the table and return them coerced to each parameter's type.

    Raises :class:`ParameterError` with a one-line message naming the first offending parameter
    and what is allowed.
    """
    out: dict[str, Any] = {}
    for name, value in overrides.items():
        p = PARAMETERS.get(name)
        if p is None:
            close = sorted(n for n in PARAMETERS if n.split("_")[0] == str(name).split("_")[0])[:5]
            hint = f" (similar: {', '.join(close)})" if close else ""
            raise ParameterError(f"unknown parameter {name!r}{hint}; see `ailoop params` for the list")
        out[name] = p.coerce(value)
    return out


def resolve(overrides: Mapping[str, Any] | None = None, base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then ``base`` (a scenario's settings), then ``overrides``; all validated, each
    against its range and together against the joint constraints (``model/constraints.py``)."""
    from ailoop.model.constraints import check_constraints

    params = defaults()
    params.update(validate_params(base or {}))
    params.update(validate_params(overrides or {}))
    check_constraints(params)
    return params


class ParamGroup:
    """A typed view of part of the parameter table, for a component that takes many parameters.

    A subclass is a dataclass whose fields are parameters of the table, each named exactly as in
    the table (the one name a parameter has: in the table, on the command line, in sweeps, in
    the code). Values come only from the table: :meth:`from_table` takes them from a resolved
    table (the economy's, already validated once against the ranges and the joint constraints),
    :meth:`of` from the defaults with some changed (validated the same way). Quantities made of
    several parameters are properties of the group. ``extra`` names fields that are not
    parameters (inputs of a standalone market, such as given price/sales multiples); they keep
    their dataclass defaults.
    """

    extra: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The table parameters the group holds."""
        return tuple(f.name for f in fields(cls) if f.name not in cls.extra)

    @classmethod
    def from_table(cls, table: Mapping[str, Any], **extra):
        """The group's values from a resolved parameter table (``Economy.params``)."""
        return cls(**{name: table[name] for name in cls.names()}, **extra)

    @classmethod
    def of(cls, **values):
        """The table's defaults with ``values`` changed, each checked against its range and all
        against the joint constraints (ParameterError, one line, otherwise); fields in ``extra``
        are passed through."""
        extra = {k: values.pop(k) for k in list(values) if k in cls.extra}
        unknown = [k for k in values if k not in cls.names()]
        if unknown:
            raise ParameterError(f"parameter {unknown[0]!r} is not one of {cls.__name__}'s; allowed: "
                                 f"{', '.join(cls.names())}")
        return cls.from_table(resolve(values), **extra)


def markdown_table() -> str:
    """The parameter table as Markdown (the content of ``docs/parameters.md``)."""
    lines = [
        "# Parameters",
        "",
        "Generated by `python -m ailoop.model.params` from `model/params.py`; do not edit by hand.",
        "Money in $ billions, capacity in GW, time in months unless the unit says otherwise.",
        "",
        "| name | default | unit | allowed | source | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for p in _TABLE:
        allowed = "true/false" if p.kind is bool else f"[{p.lo:g}, {p.hi:g}]"
        lines.append(f"| `{p.name}` | {p.default} | {p.unit} | {allowed} | {p.source} | {p.doc} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(markdown_table(), end="")
