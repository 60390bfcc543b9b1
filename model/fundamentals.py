"""Each firm's earnings, month by month: what an analyst reads from its income statement.

At the close of every month (``Fundamentals.close_month``) each firm's monthly flows become one
line of a profit-and-loss record, $B for the month:

* **revenue** — AI revenue (capacity billed, spot rentals, GPUs delivered, end-user and own AI
  services) and other revenue (non-AI business, the hyperscalers' non-AI operating cash flow);
* **EBITDA** — revenue less cash operating costs: operating costs (power and operations of
  capacity online, idle or not; staff; non-AI costs), cost of goods (chipmakers), compute bought
  from others and revenue shared with a partner;
* **depreciation** — of the GPU fleet over ``gpu_life_months`` (the useful-life dial: the booked six
  years, or the economic three to four) and of plant: an idle GPU earns nothing and still
  depreciates;
* **EBIT** = EBITDA − depreciation; **interest** on debt; **earnings** = EBIT − interest (no tax);
* the depreciation of the GPUs **in service** (in capacity online, idle or not): what the market
  sets against today's revenue in the operating margin it reads (``Fundamentals.margin``).

It also keeps, for each capacity owner, its **utilisation**: the share of its online GW that earns
(delivered under contracts, used by the owner itself or rented on the spot market) at the month's
end. The exchange reads the operating margin (EBIT over revenue, trailing ``valuation_margin_months``)
into valuations, the rating agency the trailing twelve months into its grid, and capex decisions the
utilisation. Nothing here posts to the ledger: it reads what the month's postings recorded.
"""

from __future__ import annotations

#: the flows that are cash operating costs (``EconomicAgent.add_flow`` names)
COSTS = ("opex", "cogs", "compute_cost", "revenue_share", "backstop_cost")
#: the lines of a month's record
LINES = ("revenue", "ebitda", "depreciation", "ebit", "interest", "earnings")


class Fundamentals:
    """The firms' monthly profit-and-loss records (one per economy: ``economy.fundamentals``)."""

    def __init__(self, economy):
        self.economy = economy
        self.ids = [f.aid for f in economy.loop_firms]
        self.history: dict[str, list[dict[str, float]]] = {a: [] for a in self.ids}
        self.utilisation: dict[str, float] = {o.aid: 1.0 for o in economy.capacity_owners}

    def close_month(self) -> None:
        """Record the month's line for every firm (a defaulted one records nothing more)."""
        economy = self.economy
        for aid in self.ids:
            firm = economy.agent(aid)
            if firm.defaulted:
                continue
            f = firm.flow
            revenue = f.get("revenue_ai", 0.0) + f.get("revenue_other", 0.0)
            ebitda = revenue - sum(f.get(k, 0.0) for k in COSTS)
            dep = f.get("depreciation", 0.0)
            interest = f.get("interest", 0.0)
            in_service = dep * self.in_service_share(firm)
            self.history[aid].append(dict(revenue=revenue, ebitda=ebitda, depreciation=dep, ebit=ebitda - dep,
                                          interest=interest, earnings=ebitda - dep - interest,
                                          ebit_in_service=ebitda - in_service))
        for o in economy.capacity_owners:
            if not o.defaulted:
                online = o.online_gw
                self.utilisation[o.aid] = (online - o.free_gw) / online if online > 1e-12 else 1.0

    def in_service_share(self, firm) -> float:
        """Share of ``firm``'s GPUs in capacity online (in service; the rest are installed in
        campuses still being built, whose value the market counts in the backlog they are for)."""
        if not firm.owns_capacity:
            return 1.0
        units = firm.fleet.units()
        if units <= 1e-12:
            return 1.0
        return min(1.0, firm.online_gw * self.economy.params["gpus_per_gw"] / units)

    # ------------------------------------------------------------------ reading
    def last(self, aid: str, line: str) -> float:
        """``line`` of ``aid``'s last recorded month, $B (0 before any)."""
        h = self.history.get(aid)
        return h[-1][line] if h else 0.0

    def trailing(self, aid: str, line: str, months: int = 12) -> float:
        """``line`` over the last ``months`` months, annualised to a year when fewer have been
        recorded ($B a year; 0 before any month)."""
        h = self.history.get(aid) or []
        rows = h[-months:]
        if not rows:
            return 0.0
        return sum(r[line] for r in rows) * 12.0 / len(rows)

    def margin(self, aid: str, months: int) -> float:
        """Operating margin of the capacity in service over the last ``months`` months: EBITDA less
        the depreciation of the GPUs in service (idle ones included), over revenue (0 without
        revenue). GPUs installed in campuses still being built are investment the market counts
        against the backlog they will serve, not a cost of today's revenue."""
        h = (self.history.get(aid) or [])[-months:]
        revenue = sum(r["revenue"] for r in h)
        return sum(r["ebit_in_service"] for r in h) / revenue if revenue > 1e-12 else 0.0

    def months(self, aid: str) -> int:
        """How many months of ``aid`` have been recorded."""
        return len(self.history.get(aid) or [])
