"""The deal book's data-centre real estate (sections 3 and 4): sites, leases, construction loans,
the jointly owned vehicle, and the delays.

* September 2025: the Stargate sites — the cloud leases three more campuses from the developer
  (Shackelford-, Doña Ana/Jupiter- and Port Washington-like; 15-19-year leases), on hold until
  their construction loans close; the planned +600 MW at Abilene is a letter of intent for a lease.
* October 2025: the Hyperion-like vehicle — hyper_4 and the private-credit fund own it 20/80, it
  sells $27.3B of bonds due 2049 (two thirds to the fund, the rest to the bond buyers), builds the
  campus and leases it to hyper_4 for four years, renewable, with a residual-value guarantee over
  its first sixteen. Vantage-like loans of $23.25B and $14.75B (seven banks) start Shackelford and
  Port Washington; the Michigan-like campus is leased (on hold: financing).
* November 2025: the Jupiter-like loan (~$18B, twenty banks); the neocloud's leased site slips ~60
  days (rain: force majeure). December 2025: two of the cloud's sites slip into the next year
  (labour and materials: the developer's risk, so its lease credits apply); the Michigan equity
  partner walks away (financing still pending).
* 2026: the Abilene expansion is dropped (the letter of intent lapses) and hyper_1 leases a site
  next to it instead (March); Michigan's financing closes (April: $14B from the private-credit
  fund, $2B of outside equity).

Which sites slipped was not reported (the two whose loans closed last: an assumption); the
developer's build time, a vehicle's build time (36 months) and the sites' leases' terms other than
Jupiter's are assumptions. Construction loans are syndicated in equal shares among the bond
buyers with the most to lend (the banks).
"""

from __future__ import annotations

import datetime as dt

from ailoop.model.contracts import DataCentreLease, JointVentureStake, LetterOfIntent, ProjectBond
from ailoop.model.history.book import (banks, construction_loans, event, lapse_intent, lease, month_of, place, pro_rata,
                                       site_of)

DEV = "dc_developer"
#: the cloud's September 2025 sites: (name, GW parameter, lease term in months; None: dc_lease_term_months)
STARGATE = (("Shackelford", "history_gw_shackelford", None), ("Jupiter", "history_gw_jupiter", 216),
            ("Port Washington", "history_gw_port_washington", None))
HYPERION_BUILD_MONTHS = 36


def _developer(economy):
    return economy.agent(DEV)


def stargate_sites(economy) -> float:
    """The cloud leases three campuses from the developer, each on hold until its loan closes, and
    states its intent to lease the Abilene expansion. Returns the rent committed, $B."""
    p = economy.params
    dev = _developer(economy)
    build = int(p["developer_build_months"])
    total = 0.0
    for name, gw_param, term in STARGATE:
        gw = p[gw_param]
        site = dev.start_site(gw, name, build_months=build, financed=False)
        c = lease(economy, "cloud", dev, site, gw=gw, term_months=term or int(p["dc_lease_term_months"]), name=name)
        total += c.remaining_rent()
    gw = p["history_gw_abilene_expansion"]
    if gw > 0:
        template = DataCentreLease(holder="cloud", issuer=DEV, gw=gw, rent_per_gw_year=p["dc_lease_rent_per_gw_year"],
                                   term_months=int(p["dc_lease_term_months"]), shell_cost=gw * p["shell_capex_per_gw"],
                                   name="Abilene expansion")
        economy.book.add(LetterOfIntent(holder="cloud", issuer=DEV, definitive=template, name="Abilene expansion",
                                        announced=template.remaining_rent(), signed_month=economy.month,
                                        expires_month=economy.month + 12))
    return total


def _finance(economy, name: str, total: float, lenders: list) -> float:
    dev = _developer(economy)
    site = site_of(economy, DEV, name)
    if site is None or dev.defaulted or total <= 0:
        return 0.0
    loans = construction_loans(economy, dev, site, total, lenders, "cloud", name)
    dev.finance_site(site, loans)
    return total


def vantage_loans(economy) -> float:
    """Two construction loans from seven banks: Shackelford and Port Washington start."""
    p = economy.params
    lenders = banks(economy, 7)
    return (_finance(economy, "Shackelford", p["history_loan_shackelford"], lenders)
            + _finance(economy, "Port Washington", p["history_loan_port_washington"], lenders))


def jupiter_loan(economy) -> float:
    """The Jupiter campus's loan from twenty banks: it starts."""
    return _finance(economy, "Jupiter", economy.params["history_loan_jupiter"], banks(economy, 20))


def michigan_lease(economy) -> float:
    """The cloud leases the Michigan campus (on hold: its financing is not yet arranged)."""
    p = economy.params
    dev = _developer(economy)
    gw = p["history_gw_michigan"]
    site = dev.start_site(gw, "Michigan", build_months=int(p["developer_build_months"]), financed=False)
    return lease(economy, "cloud", dev, site, gw=gw, term_months=int(p["dc_lease_term_months"]), name="Michigan").remaining_rent()


def michigan_financing(economy) -> float:
    """Michigan's financing closes: the developer raises outside equity and the private-credit fund
    lends the rest; construction starts."""
    p = economy.params
    dev = _developer(economy)
    site = site_of(economy, DEV, "Michigan")
    if site is None or dev.defaulted:
        return 0.0
    equity = p["history_equity_michigan"]
    if equity > 0:
        economy.ledger.receive_external(DEV, "other_shareholders", equity, "paid_in", "share issue")
        dev.shares += equity / dev.price
        dev.add_flow("equity_raised", equity)
    loans = construction_loans(economy, dev, site, p["history_loan_michigan"], [economy.agent("private_credit")],
                               "cloud", "Michigan")
    dev.finance_site(site, loans)
    return equity + p["history_loan_michigan"]


def hyperion(economy) -> float:
    """The jointly owned vehicle: partners' equity, bonds, the campus, and hyper_4's lease with a
    residual-value guarantee."""
    p = economy.params
    spv = economy.agent("dc_spv")
    share = p["history_hyperion_partner_share"]
    equity = p["history_hyperion_equity"]
    for holder, part in (("hyper_4", share), ("private_credit", 1.0 - share)):
        if equity * part > 1e-9:
            economy.book.add(JointVentureStake(holder=holder, issuer="dc_spv", shares=0.0, mark=spv.price))
            partner = economy.agent(holder)
            if hasattr(partner, "fund"):  # the fund draws its insurers' money
                partner.fund(equity * part)
            x = min(equity * part, max(0.0, partner.cash))
            economy.transactions.invest_equity(holder, "dc_spv", x, spv.price)
    coupon = p["history_hyperion_coupon"]
    spread = max(0.0, coupon - p["risk_free_rate"])
    tenant_spread = economy.credit.spread(economy.agent("hyper_4"))
    maturity = month_of(economy, 2049, 10)
    bonds = p["history_hyperion_bonds"]
    pc = p["history_hyperion_private_credit_share"]

    def bond(holder: str, face: float) -> ProjectBond:
        return ProjectBond(holder=holder, issuer="dc_spv", face=face, coupon=coupon, issued_month=economy.month,
                           maturity_month=maturity, spread=spread, tenant="hyper_4", tenant_spread=tenant_spread)

    raised = place(economy, "dc_spv", [("private_credit", bonds * pc), *pro_rata(economy, bonds * (1.0 - pc))], bond)
    gw = p["history_gw_hyperion"]
    site = spv.start_site(gw, "Hyperion", build_months=HYPERION_BUILD_MONTHS, financed=True)
    lease(economy, "hyper_4", spv, site, gw=gw, term_months=int(p["hyperion_initial_term_months"]), name="Hyperion",
          renewal_months=int(p["hyperion_renewal_months"]), rvg_share=p["hyperion_rvg_share"],
          rvg_months=int(p["hyperion_rvg_months"]), build_months=HYPERION_BUILD_MONTHS)
    return raised + equity


def slip(economy, names: tuple[str, ...], months: int, cause: str, owner: str = DEV) -> float:
    """The named sites of ``owner`` stop being built for ``months`` months (``cause``)."""
    for name in names:
        site = site_of(economy, owner, name)
        if site is not None and not site.shell_done and months > 0:
            site.slip(months, cause)
            economy.record_event("site delayed", owner, f"{name}: {months} months ({cause})", float(months))
    economy.version += 1
    return 0.0


def abilene_expansion_dropped(economy) -> float:
    """The cloud and the lab drop the Abilene expansion: the intent to lease it lapses."""
    return lapse_intent(economy, "cloud", "Abilene expansion", "dropped (financing, the lab's demand forecasts)")


def microsoft_abilene(economy) -> float:
    """hyper_1 leases a site next to Abilene from the developer, financed by a construction loan on
    the Vantage loans' terms (assumption)."""
    p = economy.params
    gw = p["history_gw_microsoft_abilene"]
    dev = _developer(economy)
    if gw <= 0 or dev.defaulted:
        return 0.0
    site = dev.start_site(gw, "Abilene next door", build_months=int(p["developer_build_months"]), financed=False)
    c = lease(economy, "hyper_1", dev, site, gw=gw, term_months=int(p["dc_lease_term_months"]), name="Abilene next door")
    loans = construction_loans(economy, dev, site, gw * p["shell_capex_per_gw"], banks(economy, 7), "hyper_1",
                               "Abilene next door")
    dev.finance_site(site, loans)
    return c.remaining_rent()


def record(_economy) -> float:
    return 0.0


def deals(economy) -> list:
    p = economy.params
    book = "deal-book event"
    rent = p["dc_lease_rent_per_gw_year"]
    gw = sum(p[g] for _, g, _ in STARGATE)
    return [
        event(dt.date(2025, 9, 23), f"cloud leases {gw:.1f} GW on three Stargate sites from the developer "
              f"(${rent:.1f}B per GW-year, 15-19 years) and intends to lease the Abilene expansion "
              f"({p['history_gw_abilene_expansion'] * 1e3:,.0f} MW)", stargate_sites, ("cloud",)),
        event(dt.date(2025, 10, 16), f"jointly owned vehicle: ${p['history_hyperion_bonds']:,.1f}B of bonds due 2049 at "
              f"{p['history_hyperion_coupon']:.2%}, ${p['history_hyperion_equity']:,.1f}B of equity "
              f"(hyper_4 {p['history_hyperion_partner_share']:.0%}, private credit the rest); campus leased to hyper_4 "
              "with a residual-value guarantee", hyperion, ("hyper_4",)),
        event(dt.date(2025, 10, 23), f"developer's construction loans for Shackelford and Port Washington: "
              f"${p['history_loan_shackelford']:,.2f}B and ${p['history_loan_port_washington']:,.2f}B at "
              f"+{p['construction_loan_spread'] * 1e4:,.0f} bp", vantage_loans, ()),
        event(dt.date(2025, 10, 30), f"cloud leases the Michigan campus ({p['history_gw_michigan']:.1f} GW; financing "
              "pending)", michigan_lease, ("cloud",)),
        event(dt.date(2025, 10, 30), "neocloud keeps its ~$10B of leases after its takeover of the lessor is rejected",
              record, (), book),
        event(dt.date(2025, 11, 7), f"Jupiter campus loan: ${p['history_loan_jupiter']:,.0f}B from ~20 banks",
              jupiter_loan, ()),
        event(dt.date(2025, 11, 10), f"neocloud's leased site slips {p['history_slip_denton_months']} months (rain)",
              lambda e: slip(e, ("Core Scientific sites",), int(p["history_slip_denton_months"]), "weather"), (), book),
        event(dt.date(2025, 12, 12), f"two of the cloud's sites slip {p['history_slip_stargate_months']} months "
              "(labour, materials)", lambda e: slip(e, ("Jupiter", "Port Washington"),
                                                    int(p["history_slip_stargate_months"]), "construction"), (), book),
        event(dt.date(2025, 12, 17), "Michigan equity partner walks away (financing pending)", record, (), book),
        event(dt.date(2026, 3, 6), "Abilene expansion dropped", abilene_expansion_dropped, (), book),
        event(dt.date(2026, 3, 27), f"hyper_1 leases {p['history_gw_microsoft_abilene'] * 1e3:,.0f} MW next to Abilene",
              microsoft_abilene, ("hyper_1",)),
        event(dt.date(2026, 4, 24), f"Michigan financing closes: ${p['history_loan_michigan']:,.0f}B from private credit, "
              f"${p['history_equity_michigan']:,.0f}B of equity", michigan_financing, ()),
    ]
