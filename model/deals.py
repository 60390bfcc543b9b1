"""The 2025 deals of the AI financing loop, as dated events.

Each :class:`DealEvent` fires on the first trading day on or after its date and signs contracts
between agents with their sizes from the parameter table (sources in ``model/params.py``). A
deal only creates contracts and the cash movements their terms call for at signing; prices move
(in the equity-market layer) only through traders reading the news.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from ailoop.model.contracts import CapacityBackstop, EquityStake, Lease, LetterOfIntent, StagedInvestment, Warrant


@dataclass(frozen=True)
class DealEvent:
    date: dt.date
    name: str
    apply: Callable  # apply(economy) -> $B of commitments announced (news size)
    announced_by: tuple[str, ...] = ()  # public firms whose news this is
    event: str = "deal announced"  # the event the economy records when it fires


def _month_of(economy, year: int, month: int) -> int:
    return (year - economy.start.year) * 12 + (month - economy.start.month)


def lab_cloud_contract(economy) -> float:
    """AI lab – cloud: ~$300B over 5 years for 4.5 GW on five campuses (docs/calibration.md#deals), delivered
    as the campuses' phases come online from the second half of 2026 (the first GW of chip_leader's
    10 GW with the lab is announced for then: docs/calibration.md#deals); the contract runs until 4.5 GW x 5 years
    have been delivered (its ramp stretches it)."""
    p = economy.params
    gw = p["lab_cloud_gw"]
    price = p["lab_cloud_value"] / (gw * 5.0)
    economy.transactions.sign_capacity_contract("lab", "cloud", gw=gw, price_per_gw_year=price, term_months=60,
                               start_month=_month_of(economy, 2026, 7), chip_vendor="chip_leader",
                               name="lab-cloud 4.5 GW", announce=False)
    return p["lab_cloud_value"]


def cloud_bond_issue(economy) -> float:
    """The cloud sells $18B of bonds in six tranches, the longest 40 years at Treasuries +165 bp
    (calibration, Bloomberg; equal tranches of 5, 7, 10, 20, 30 and 40 years: assumption), to the
    bond buyers at its spread of the day."""
    cloud = economy.agent("cloud")
    size = economy.params["cloud_bond_issue"]
    raised = 0.0
    for years in (5, 7, 10, 20, 30, 40):
        raised += economy.credit.issue(cloud, size / 6.0, 12 * years)
    return raised


def chip_leader_staged_investment(economy) -> float:
    """chip_leader commits up to $100B of equity into the lab, $10B per GW deployed (docs/calibration.md#deals).

    Announced as a letter of intent (with ``channel_intent``): the definitive staged investment is
    signed or let lapse by chip_leader's own decision (``Chipmaker.decide_intents``); the parties
    gave themselves ``intent_months`` months. Without it, binding from the announcement."""
    p = economy.params
    lab = economy.agent("lab")
    if not p["cross_holdings"]:
        return 0.0
    deal = StagedInvestment(holder="chip_leader", issuer="lab", per_gw=p["staged_per_gw"], cap=p["staged_cap"],
                            gw_base=lab.deployed_gw("chip_leader"), name="chip_leader-lab")
    if p["channel_intent"]:
        economy.book.add(LetterOfIntent(holder="chip_leader", issuer="lab", definitive=deal, name="chip_leader-lab",
                                        announced=p["staged_cap"], signed_month=economy.month,
                                        expires_month=economy.month + int(p["intent_months"])))
    else:
        economy.book.add(deal)
    return p["staged_cap"]


def chip_challenger_warrants(economy) -> float:
    """6 GW of chip_challenger GPUs for the lab, with warrants for 160M shares at $0.01 (docs/calibration.md#deals).

    Deployment through the cloud in six 1-GW tranches half a year apart from October 2026
    (assumption); tranche k vests at k GW deployed and a share price rising linearly to $600
    for the last tranche (calibration: last tranche needs $600/share; earlier thresholds assumption).
    """
    price = economy.params["challenger_price_per_gw_year"]
    tranches = challenger_tranches(economy)
    for k, start, gw in tranches:  # each tranche becomes a firm contract 12 months before it starts
        sign_at = economy.date_of_month(max(economy.month, start - 12))
        economy.schedule_deal(DealEvent(sign_at, f"lab-challenger tranche {k}",
                                    _challenger_tranche(gw, price, start, k), ("cloud",)))
    return challenger_warrant(economy, len(tranches))


def challenger_tranches(economy) -> list[tuple[int, int, float]]:
    """chip_challenger's ``challenger_gw`` GW for the lab in n equal tranches (n: the GW rounded, at
    least one), starting half a year apart from October 2026 (assumption): (tranche number from 1,
    model month it starts, GW) each."""
    gw_total = economy.params["challenger_gw"]
    n = max(1, int(round(gw_total)))
    first = _month_of(economy, 2026, 10)
    return [(k + 1, first + 6 * k, gw_total / n) for k in range(n)]


def challenger_warrant(economy, n: int) -> float:
    """Book the lab's warrant on ``challenger_warrant_shares`` bn chip_challenger shares at $0.01,
    in ``n`` equal tranches: tranche k vests at k/n of ``challenger_gw`` deployed beyond the GW the
    lab runs on chip_challenger's GPUs today, and at a share price rising linearly from today's
    price to $600 for the last (the first has no price condition). Returns the framework's size as
    announced ($B): ``challenger_gw`` x ``challenger_price_per_gw_year`` ($B per GW-year) x 5 years."""
    p = economy.params
    lab = economy.agent("lab")
    gw_total = p["challenger_gw"]
    shares = p["challenger_warrant_shares"]
    p0 = economy.agent("chip_challenger").price
    tranches = [((k + 1) * gw_total / n, p0 + (600.0 - p0) * k / max(1, n - 1) if k else 0.0, shares / n)
                for k in range(n)]
    economy.book.add(Warrant(holder="lab", issuer="chip_challenger", strike=0.01, tranches=tranches,
                             gw_base=lab.deployed_gw("chip_challenger")))
    return gw_total * p["challenger_price_per_gw_year"] * 5.0


def _challenger_tranche(gw: float, price: float, start: int, k: int):
    def sign(economy) -> float:
        lab = economy.agent("lab")
        if lab.defaulted or lab.funding_gap() > 0:  # a stressed lab does not firm up the next tranche
            economy.record_event("tranche not signed", "lab", f"chip_challenger tranche {k}: lab cannot fund it")
            return 0.0
        economy.transactions.sign_capacity_contract("lab", "cloud", gw=gw, price_per_gw_year=price, term_months=60, start_month=start,
                                   chip_vendor="chip_challenger", name=f"lab-challenger tranche {k}", announce=False)
        return gw * price * 5.0
    return sign


def spv_lease(economy) -> float:
    """xAI-style SPV: $20B raise (chip_leader $2B equity), buys GPUs, leases them to lab_spv (docs/calibration.md#deals).

    Equity/debt split $7.5B/$12.5B and the lease yield are assumptions.
    """
    p = economy.params
    spv = economy.agent("spv")
    total, nv = p["spv_size"], p["spv_chip_leader_equity"] * p["cross_holdings"]
    equity_other = max(0.0, p["spv_equity_share"] * total - nv)
    economy.transactions.invest_equity("chip_leader", "spv", min(nv, economy.ledger.cash("chip_leader")), spv.price,
                      retag="chipmaker_investment")
    fund = economy.agent("vc_2")
    fund.raise_cash(equity_other)
    economy.transactions.invest_equity("vc_2", "spv", min(equity_other, fund.cash), spv.price)
    chip = economy.agent("chip_leader")
    gw = total / (chip.gpu_price * p["gpus_per_gw"])
    proj = spv.start_project(gw, "chip_leader", purpose="leased to lab_spv", prepay_share=0.0)
    proj.shell_cost = 0.0  # GPUs go into lab_spv's existing data centre
    r = p["spv_lease_yield"] / 12.0
    monthly = total * r / (1.0 - (1.0 + r) ** -60)
    economy.book.add(Lease(holder="lab_spv", issuer="spv", monthly=monthly, term_months=60, start_month=economy.month,
                           gw=gw, rate=r, fleet=spv.fleet, chip_vendor="chip_leader"))
    return total


def neocloud_lab_expansion(economy) -> float:
    """Neocloud – lab expansion of $6.5B (reporting; part of the $22.4B total)."""
    p = economy.params
    price = p["neocloud_price_per_gw_year"]
    value = p["neocloud_lab_expansion"]
    economy.transactions.sign_capacity_contract("lab", "neocloud", gw=value / (price * 5.0), price_per_gw_year=price, term_months=60,
                               start_month=_month_of(economy, 2026, 1), chip_vendor="chip_leader",
                               name="neocloud-lab expansion", announce=False)
    return value


def neocloud_meta(economy) -> float:
    """Neocloud – hyper_4 (Meta-like) $14.2B contract (reporting)."""
    p = economy.params
    price = p["neocloud_price_per_gw_year"]
    value = p["neocloud_hyper4_value"]
    economy.transactions.sign_capacity_contract("hyper_4", "neocloud", gw=value / (price * 6.0), price_per_gw_year=price,
                               term_months=72, start_month=_month_of(economy, 2026, 3), chip_vendor="chip_leader",
                               name="neocloud-hyper_4", announce=False)
    return value


def neocloud_backstop(economy) -> float:
    """chip_leader buys the neocloud's unsold capacity up to $6.3B through April 2032 (reporting)."""
    p = economy.params
    economy.book.add(CapacityBackstop(holder="chip_leader", issuer="neocloud", cap=p["backstop_value"],
                                  price_per_gw_year=p["neocloud_price_per_gw_year"],
                                  end_month=_month_of(economy, 2032, 4)))
    return p["backstop_value"]


def chip_leader_intel(economy) -> float:
    """chip_leader buys $5B of Intel common stock (docs/calibration.md#deals); Intel is outside the model."""
    x = min(economy.params["intel_stake"], economy.ledger.cash("chip_leader"))
    economy.ledger.pay_external("chip_leader", "other_companies", x, "equity_stakes", "Intel stake")
    economy.book.add(EquityStake(holder="chip_leader", issuer="intel", shares=x / 23.28, mark=23.28))
    return x


def softbank_tranche(economy) -> float:
    """The levered fund pays the rest of its share of the lab's $40B round (calibration: $40B raise;
    $22.5B December tranche size and timing: assumption from reporting)."""
    x = economy.params["vc_levered_tranche"]
    fund = economy.agent("vc_levered")
    fund.raise_cash(x)
    economy.transactions.invest_equity("vc_levered", "lab", min(x, fund.cash), economy.agent("lab").price)
    return x


BASELINE_DEALS: tuple[DealEvent, ...] = (
    DealEvent(dt.date(2025, 9, 10), "lab-cloud contract", lab_cloud_contract, ("cloud",)),
    DealEvent(dt.date(2025, 9, 15), "chip_leader backstop for neocloud", neocloud_backstop, ("neocloud", "chip_leader")),
    DealEvent(dt.date(2025, 9, 18), "chip_leader buys Intel stake", chip_leader_intel, ("chip_leader",)),
    DealEvent(dt.date(2025, 9, 22), "chip_leader staged investment in lab", chip_leader_staged_investment, ("chip_leader",)),
    DealEvent(dt.date(2025, 9, 24), "cloud bond issue", cloud_bond_issue, ()),
    DealEvent(dt.date(2025, 9, 25), "neocloud-lab expansion", neocloud_lab_expansion, ("neocloud",)),
    DealEvent(dt.date(2025, 9, 30), "neocloud-hyper_4 contract", neocloud_meta, ("neocloud",)),
    DealEvent(dt.date(2025, 10, 6), "chip_challenger 6 GW and warrants", chip_challenger_warrants, ("chip_challenger", "cloud")),
    DealEvent(dt.date(2025, 10, 7), "GPU SPV lease to lab_spv", spv_lease, ("chip_leader",)),
    DealEvent(dt.date(2025, 12, 15), "levered fund pays lab round tranche", softbank_tranche, ()),
)
