"""Data-centre developers (``dc_developer``) and the vehicles a hyperscaler owns with a fund (``dc_spv``).

A developer builds powered shells (building, power, cooling; no GPUs) on its sites and leases
them to clouds and hyperscalers for 15-19 years (``DataCentreLease``): the lessee equips the
shell with its own GPUs as it is handed over, phase by phase. A site is paid for with
construction loans drawn as it is built (``ConstructionLoan``, from banks or a private-credit
fund) and the developer's own equity; a site whose financing has not closed waits on hold. Once
a shell is finished its loan converts to a term loan repaid from the rent. Each month the
developer draws what its sites' construction needs this month, pays the builders, collects the
rent (the leases bill it) and services its loans (the credit market), and pays out the cash
beyond what the next year's debt service and its own share of construction need, pro rata to its
shareholders. Whether it survives a tenant's default follows from its balance sheet: the rent
stops, the loans do not.

The Hyperion-style vehicle is the same kind of agent: it builds one campus with the money from its
bonds (``ProjectBond``) and its two partners' equity (``JointVentureStake``) and leases it to the
partner that uses it, with a residual-value guarantee.

Units: GW, $B, months.
"""

from __future__ import annotations

from ailoop.agents.capacity_owner import CapacityOwner
from ailoop.model.capacity import Project
from ailoop.model.contracts import Contract

#: months a site whose financing has not closed stays on hold (lifted by :meth:`DcDeveloper.finance_site`)
UNTIL_FINANCED = 10**6


class DcDeveloper(CapacityOwner):
    family = "developer"
    public = False
    in_loop_value = False  # a private developer without a market price

    def __init__(self, model, aid: str, shares: float, price: float, *, min_cash: float = 0.5,
                 payout_share: float = 0.2):
        super().__init__(model, aid, shares, price)
        self.min_cash = min_cash  # $B kept beyond the year's debt service
        self.payout_share = payout_share  # share of the surplus paid out each month
        self.site_loans: dict = {}  # site (Project) -> its construction loans

    # ---------------------------------------------------------------- sites
    def start_site(self, gw: float, name: str, *, build_months: int, financed: bool, cost_per_gw: float | None = None,
                   first_months: int | None = None, tranche_gw: float | None = None, spent_share: float = 0.0) -> Project:
        """A site of ``gw`` GW of shell (no GPUs), built over ``build_months`` in phases; on hold
        until its financing closes unless ``financed``. ``spent_share`` of it already built (the
        opening; booked by the caller)."""
        p = self.params
        cost = gw * (p["shell_capex_per_gw"] if cost_per_gw is None else cost_per_gw)
        proj = Project(self.aid, gw, self.ctx.month, build_months, cost, 0.0, "", purpose=name,
                       tranche_gw=p["shell_tranche_gw"] if tranche_gw is None else tranche_gw,
                       first_months=int(p["shell_first_tranche_months"] if first_months is None else first_months))
        proj.shell_spent = spent_share * cost
        if not financed:
            proj.slip(UNTIL_FINANCED, "financing")
        self.fleet.projects.append(proj)
        return proj

    def finance_site(self, site: Project, loans: list) -> None:
        """The site's financing has closed: ``loans`` fund it as it is built; construction starts."""
        self.site_loans.setdefault(site, []).extend(loans)
        if site.delay_cause == "financing":
            site.resume()

    # ---------------------------------------------------------------- the month
    def construct(self) -> None:
        """Pay out last month's surplus, draw what this month's construction needs on each site's
        loans, then pay the builders."""
        self.pay_out()
        self.draw_for_sites()
        super().construct()

    def draw_for_sites(self) -> float:
        """Draw on each site's construction loans this month's shell payment (pro rata to what each
        lender has still to lend, as far as the lenders can fund it). Returns $B drawn."""
        month, ctx = self.ctx.month, self.ctx
        drawn = 0.0
        for site, loans in self.site_loans.items():
            if site.hold_months > 0 or site.shell_done:
                continue
            live = [c for c in loans if c.active]
            room = sum(c.line_room(month) for c in live)
            need = min(site.monthly_shell_payment(), room)
            if need <= 1e-12:
                continue
            for c in live:
                x = need * c.line_room(month) / room
                if x <= 1e-12:
                    continue
                lender = ctx.agent(c.holder)
                lender.fund(x)
                x = min(x, max(0.0, lender.cash))
                if x > 1e-12:
                    c.draw(self.ledger, x, "debt issue (construction loan)")
                    drawn += x
        if drawn > 0:
            self.add_flow("debt_raised", drawn)
        return drawn

    def own_construction_ahead(self) -> float:
        """$B of construction its sites still need beyond what their loans will lend."""
        month = self.ctx.month
        left = 0.0
        for pr in self.fleet.projects:
            if pr.shell_done:
                continue
            room = sum(c.line_room(month) for c in self.site_loans.get(pr, ()) if c.active)
            left += max(0.0, pr.shell_cost - pr.shell_spent - room)
        return left

    def pay_out(self) -> float:
        """Pay ``payout_share`` of the cash beyond a year's debt service, the construction its own
        equity still has to pay and ``min_cash`` to its shareholders, pro rata to their shares
        (the outside holders' part to the outside). Returns $B paid."""
        reserve = self.ctx.debt_due(self.aid, 12) + self.own_construction_ahead() + self.min_cash
        surplus = self.cash - reserve
        if surplus <= 1e-9 or self.shares <= 0 or self.payout_share <= 0:
            return 0.0
        total = surplus * self.payout_share
        paid = 0.0
        for s in self.book.issued_by(self.aid, Contract.shares_of_issuer):
            x = total * s.shares_of_issuer() / self.shares
            if x > 1e-12 and s.holder in self.ledger.index:
                self.ledger.transfer(self.aid, s.holder, x, "retained", "retained", "dividend", ref=s)
                self.ctx.agent(s.holder).add_flow("dividends_received", x)
                paid += x
        rest = total - paid
        if rest > 1e-12:
            self.ledger.pay_external(self.aid, "other_shareholders", rest, "retained", "dividend")
        self.add_flow("dividend", total)
        return total

    def lease_backlog(self) -> float:
        """$B of rent its leases still have to bring in."""
        return self.backlog()
