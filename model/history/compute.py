"""The deal book's compute and chip deals (section 1 of the book, and the second lab's).

* The lab's contracts with the cloud ($300B, 4.5 GW), the neocloud (the $6.5B expansion of its
  $22.4B) and hyper_4's with the neocloud ($14.2B), as in the baseline (``model/deals.py``).
* chip_challenger's 6 GW with warrants: the first 1 GW a binding capacity contract (through the
  cloud, from October 2026); the other five tranches letters of intent the lab signs, or lets
  lapse, a year before each starts (the baseline signs them on a date if the lab can fund them).
* chip_custom's 10 GW term sheet: a letter of intent for capacity built on its accelerators through
  the cloud, from the second half of 2026 to the end of 2029 (a definitive agreement was never
  reported).
* hyper_1's Azure commitment ($250B) and hyper_3's AWS contract ($38B over 7 years, taken up to the
  end of 2026) and its expansion ($100B over 8 years, ~2 GW on its own accelerators, from 2027):
  capacity contracts delivered from the hyperscalers' fleets, taken up gradually.
* compute from a vendor outside the model (>$10B, up to 750 MW staged 2026-2028).
* lab_2: TPU capacity at hyper_2 on chip_custom's accelerators (>1 GW in 2026; the $21B of racks
  ordered, in the model by hyper_2, which runs them) and $30B of Azure (up to 1 GW).

Start dates, ramps and terms not in the book are assumptions stated where they are set.
"""

from __future__ import annotations

import datetime as dt

from ailoop.model import deals as base
from ailoop.model.contracts import CapacityContract, Contract, LetterOfIntent, OutsideCompute
from ailoop.model.history.book import contract_named, event, month_of


def _capacity(economy, buyer: str, provider: str, *, gw: float, price: float, term: int, start: int, vendor: str,
              name: str, ramp: int = 0) -> CapacityContract:
    """A capacity contract on the table's take-or-pay share and cancellation fee (not registered)."""
    p = economy.params
    return CapacityContract(holder=buyer, issuer=provider, gw=gw, price_per_gw_year=price, term_months=term,
                            start_month=start, take_or_pay=p["take_or_pay"], cancel_fee_share=p["cancel_fee_share"],
                            chip_vendor=vendor, name=name, ramp_months=ramp)


def _azure(economy, buyer: str, *, gw: float, value: float, start: int, name: str, ramp: int) -> float:
    """``buyer`` commits ``value`` $B to hyper_1's cloud (Azure) on chip_leader's GPUs: ``gw`` GW at
    the going ``contract_price_per_gw_year`` ($B per GW-year) for as many months as the value buys
    (value / (GW x price) years, rounded to a month, at least one), from model month ``start``,
    taken up over ``ramp`` months. Returns the contract's value ($B)."""
    price = economy.params["contract_price_per_gw_year"]
    term = max(1, int(round(value / (gw * price) * 12.0)))
    c = economy.transactions.sign_capacity_contract(buyer, "hyper_1", gw=gw, price_per_gw_year=price, term_months=term,
                                                    start_month=start, chip_vendor="chip_leader", name=name,
                                                    announce=False, ramp_months=ramp)
    return c.total_value


def amd_deal(economy) -> float:
    """6 GW of chip_challenger GPUs for the lab with warrants for 160M shares at $0.01: tranche 1
    binding (1 GW through the cloud from October 2026, 5 years), tranches 2-6 letters of intent
    starting half a year apart (assumption as in the baseline), the warrant as in the baseline."""
    price = economy.params["challenger_price_per_gw_year"]
    tranches = base.challenger_tranches(economy)
    for k, start, gw in tranches:
        c = _capacity(economy, "lab", "cloud", gw=gw, price=price, term=60, start=start,
                      vendor="chip_challenger", name=f"lab-challenger tranche {k}")
        if k == 1:
            economy.book.add(c)
        else:
            economy.book.add(LetterOfIntent(holder="lab", issuer="cloud", definitive=c, name=c.name,
                                            announced=c.total_value, signed_month=economy.month,
                                            expires_month=start - 1))
    return base.challenger_warrant(economy, len(tranches))


def broadcom_term_sheet(economy) -> float:
    """10 GW of capacity on chip_custom's accelerators for the lab, deployed from the second half
    of 2026 to the end of 2029 (ramp over 42 months) through the cloud, 5 years at
    ``history_custom_price_per_gw_year``: a term sheet, so a letter of intent (it binds nobody)."""
    p = economy.params
    gw = p["history_broadcom_gw"]
    if gw <= 0:
        return 0.0
    start = month_of(economy, 2026, 7)
    c = _capacity(economy, "lab", "cloud", gw=gw, price=p["history_custom_price_per_gw_year"], term=60, start=start,
                  vendor="chip_custom", name="lab-chip_custom 10 GW", ramp=42)
    economy.book.add(LetterOfIntent(holder="lab", issuer="chip_custom", definitive=c, name=c.name,
                                    announced=c.total_value, signed_month=economy.month, expires_month=start))
    return c.total_value


def azure(economy) -> float:
    """The lab buys $250B of Azure: ``history_azure_gw`` GW from hyper_1 at the going contract price
    (term: value / (GW x price)), from January 2026, taken up over three years (assumption)."""
    p = economy.params
    return _azure(economy, "lab", gw=p["history_azure_gw"], value=p["history_azure_value"],
                  start=month_of(economy, 2026, 1), name="lab-hyper_1 Azure", ramp=36)


def aws(economy) -> float:
    """$38B over 7 years from hyper_3 on chip_leader's GPUs: used from November 2025, all of it by
    the end of 2026 (GW = value / (7 years x price))."""
    p = economy.params
    price = p["contract_price_per_gw_year"]
    gw = p["history_aws_value"] / (7.0 * price)
    c = economy.transactions.sign_capacity_contract("lab", "hyper_3", gw=gw, price_per_gw_year=price, term_months=84,
                                                    start_month=economy.month, chip_vendor="chip_leader",
                                                    name="lab-hyper_3 AWS", announce=False, ramp_months=14)
    return c.total_value


def aws_expansion(economy) -> float:
    """$100B more over 8 years, ~2 GW on hyper_3's own accelerators, from 2027 (taken up over two
    years: assumption)."""
    p = economy.params
    gw = p["history_aws_expansion_gw"]
    price = p["history_aws_expansion_value"] / (gw * 8.0)
    c = economy.transactions.sign_capacity_contract("lab", "hyper_3", gw=gw, price_per_gw_year=price, term_months=96,
                                                    start_month=month_of(economy, 2027, 1), chip_vendor="custom_silicon",
                                                    name="lab-hyper_3 AWS expansion", announce=False, ramp_months=24)
    return c.total_value


def outside_compute(economy) -> float:
    """>$10B of inference compute from a vendor outside the model, up to 750 MW staged from April
    2026 over 30 months (assumption within 2026-2028), at the going contract price."""
    p = economy.params
    value, gw = p["history_cerebras_value"], p["history_cerebras_gw"]
    if value <= 0 or gw <= 0:
        return 0.0
    economy.book.add(OutsideCompute(holder="lab", issuer="compute_vendors", gw=gw,
                                    price_per_gw_year=p["contract_price_per_gw_year"], value=value,
                                    start_month=month_of(economy, 2026, 4), ramp_months=30,
                                    take_or_pay=p["take_or_pay"], cancel_fee_share=p["cancel_fee_share"],
                                    name="lab-outside inference compute"))
    return value


def lab2_tpus(economy) -> float:
    """lab_2's TPU capacity at hyper_2 on chip_custom's accelerators: ``history_lab2_tpu_gw`` GW for
    5 years (assumption) at ``history_custom_price_per_gw_year``, from January 2026, taken up over
    the year."""
    p = economy.params
    gw = p["history_lab2_tpu_gw"]
    c = economy.transactions.sign_capacity_contract("lab_2", "hyper_2", gw=gw,
                                                    price_per_gw_year=p["history_custom_price_per_gw_year"],
                                                    term_months=60, start_month=month_of(economy, 2026, 1),
                                                    chip_vendor="chip_custom", name="lab_2-hyper_2 TPUs",
                                                    announce=False, ramp_months=12)
    return c.total_value


def lab2_tpu_order(economy) -> float:
    """$21B of chip_custom's accelerator racks for lab_2's TPU capacity, ordered (in the model by
    hyper_2, which runs them) for a project built for that contract."""
    p = economy.params
    chip = economy.agent("chip_custom")
    units = p["history_lab2_tpu_order"] / chip.gpu_price
    gw = units / p["gpus_per_gw"]
    if gw <= 1e-9:
        return 0.0
    contract = contract_named(economy.book.issued_by("hyper_2", Contract.gw_due), "lab_2-hyper_2 TPUs")
    economy.agent("hyper_2").start_project(gw, "chip_custom", purpose="lab_2 TPUs", contract=contract)
    return units * chip.gpu_price


def lab2_azure(economy) -> float:
    """lab_2 buys $30B of Azure: ``history_lab2_azure_gw`` GW on chip_leader's GPUs from July 2026
    (the next generation, second half of 2026), taken up over the year (term: value / (GW x price))."""
    p = economy.params
    return _azure(economy, "lab_2", gw=p["history_lab2_azure_gw"], value=p["history_lab2_azure_value"],
                  start=month_of(economy, 2026, 7), name="lab_2-hyper_1 Azure", ramp=12)


def deals(economy) -> list:
    p = economy.params
    return [
        event(dt.date(2025, 9, 10), f"lab-cloud contract: ${p['lab_cloud_value']:,.0f}B for {p['lab_cloud_gw']:.1f} GW "
              "over 5 years from July 2026", base.lab_cloud_contract, ("cloud",)),
        event(dt.date(2025, 9, 25), f"neocloud-lab expansion: ${p['neocloud_lab_expansion']:,.1f}B (the lab's $22.4B in all)",
              base.neocloud_lab_expansion, ("neocloud",)),
        event(dt.date(2025, 9, 30), f"neocloud-hyper_4 contract: ${p['neocloud_hyper4_value']:,.1f}B through 2031",
              base.neocloud_meta, ("neocloud",)),
        event(dt.date(2025, 10, 6), f"chip_challenger {p['challenger_gw']:.0f} GW and warrants for "
              f"{p['challenger_warrant_shares'] * 1e3:,.0f}M shares at $0.01: 1 GW binding from Oct 2026, the rest "
              "letters of intent", amd_deal, ("chip_challenger", "cloud")),
        event(dt.date(2025, 10, 7), "GPU SPV lease to lab_spv", base.spv_lease, ("chip_leader",)),
        event(dt.date(2025, 10, 13), f"chip_custom term sheet: {p['history_broadcom_gw']:.0f} GW of custom accelerators "
              "for the lab, 2H26 to 2029 (letter of intent)", broadcom_term_sheet, ("chip_custom",)),
        event(dt.date(2025, 10, 23), f"lab_2-hyper_2 TPUs: {p['history_lab2_tpu_gw']:.1f} GW on chip_custom accelerators "
              "from 2026", lab2_tpus, ("hyper_2",)),
        event(dt.date(2025, 10, 28), f"lab-hyper_1 Azure commitment: ${p['history_azure_value']:,.0f}B "
              f"({p['history_azure_gw']:.1f} GW from Jan 2026)", azure, ("hyper_1",)),
        event(dt.date(2025, 11, 3), f"lab-hyper_3 AWS contract: ${p['history_aws_value']:,.0f}B over 7 years",
              aws, ("hyper_3",)),
        event(dt.date(2025, 11, 18), f"lab_2-hyper_1 Azure commitment: ${p['history_lab2_azure_value']:,.0f}B, up to "
              f"{p['history_lab2_azure_gw']:.1f} GW", lab2_azure, ("hyper_1",)),
        event(dt.date(2025, 12, 11), f"lab_2 accelerator racks ordered from chip_custom: "
              f"${p['history_lab2_tpu_order']:,.0f}B", lab2_tpu_order, ("chip_custom",)),
        event(dt.date(2026, 1, 14), f"lab-outside inference compute: ${p['history_cerebras_value']:,.0f}B, up to "
              f"{p['history_cerebras_gw'] * 1e3:,.0f} MW 2026-2028", outside_compute, ()),
        event(dt.date(2026, 2, 27), f"lab-hyper_3 AWS expansion: ${p['history_aws_expansion_value']:,.0f}B over 8 years, "
              f"{p['history_aws_expansion_gw']:.1f} GW from 2027", aws_expansion, ("hyper_3",)),
    ]
