"""When the music stops: clearing of dues, collateral calls, defaults and the unwinding of estates.

Monthly, after the month's bills have been paid as far as cash allowed (the rest booked as
arrears), :meth:`DefaultEngine.clear` settles all arrears between agents at once with the
Eisenberg–Noe clearing vector (``model.clearing``): pro rata to creditors, limited liability,
greatest clearing vector. After financing, :meth:`DefaultEngine.margin_calls` marks pooled
GPU-backed loans to the used-GPU price (an LTV breach forces cash paydown or GPU fire sales, whose
price impact lowers the used-GPU price for everyone) and the levered fund's margin loan to its
whole book (a breach forces share sales). :meth:`DefaultEngine.covenants` tests the covenants of
contract-backed loans and enforces events of default:

* a facility whose backing contract was cancelled, or whose LTV (collateral at the used-GPU
  price) or debt-service coverage (the backing contract's collected cash flow) breaks its limit
  and cannot be cured by prepaying from cash, is **accelerated**: its GPUs are repossessed and
  sold into the used market, the borrower's cash is swept to its lenders, and what is still owed
  becomes arrears — a payment default;
* a payment default on debt that lasts beyond ``cross_default_cure_months`` triggers
  **cross-default**: every other debt of the borrower is accelerated the same way (secured
  facilities enforced, the rest due at once), and lenders stop lending to it.

:meth:`DefaultEngine.resolve` then declares defaults:

* **illiquid**: arrears left unpaid for ``default_grace_months`` months after clearing, selling
  listed stakes and trying to borrow (the months are counted once a month, whatever happens
  elsewhere that month);
* **insolvent**: a borrower whose assets, with GPUs at the used-GPU price, fall short of its
  liabilities.

A defaulted firm's contracts unwind by their own terms (:meth:`Contract.unwind`: capacity
contracts cancelled with their cancellation fee becoming a claim on the estate, leases rejected
with the lessor's damages a claim, chip orders cancelled with the prepayment forfeited, staged
investments and credits lapsing), its assets are liquidated (GPUs into the used market with price
impact, plant and other assets at recovery rates, stakes and claims sold:
:meth:`Contract.liquidate`), the proceeds go to secured lenders first (GPU collateral), then pro
rata to all other claims (:meth:`Contract.claim`); unpaid claims are written off on the creditors'
books. What is left after the creditors goes to all shareholders pro rata — the modelled holders
and the outside float — at the recovery per share, and the holders mark their shares to it. The
contracts backed by the defaulter's cancelled contracts are then in default themselves (their
lenders enforce at once), so one default can lead to the next through balance sheets. No
scenario writes a default or a price: they follow from balance sheets.
"""

from __future__ import annotations

import numpy as np

from ailoop.model.clearing import eisenberg_noe, liquidation_proceeds
from ailoop.model.contracts import LIQUIDATION_BUYER, Contract, TradeCredit, facility_covenants, pay, pay_or_owe


class DefaultEngine:
    """Clearing, collateral calls and defaults (one per economy: ``economy.defaults``)."""

    def __init__(self, economy):
        self.economy = economy
        self.defaulted: dict[str, int] = {}  # agent id -> month of default
        self.arrears_months: dict[str, int] = {}
        self.counted_month = -1  # the month whose arrears have been counted
        self.writeoffs: dict[str, float] = {}  # creditor id -> cumulative $B written off
        self.debt_arrears_months: dict[str, int] = {}  # months a borrower has owed its lenders arrears
        self.accelerated: dict[str, int] = {}  # borrower -> month its debt was accelerated (cross-default)
        self.recovery: dict[str, float] = {}  # defaulted firm -> $ per share paid to its shareholders
        self.clearing_gap = 0.0  # cumulative $B by which clearing paid more than each paying what it had

    def record_loss(self, agent: str, amount: float) -> None:
        """``agent`` lost ``amount`` $B on a claim written off or lapsed (the who-paid columns)."""
        self.writeoffs[agent] = self.writeoffs.get(agent, 0.0) + amount

    # ------------------------------------------------------------------ clearing
    def clear(self) -> float:
        """Settle the bills falling due this month (on trade terms) and all arrears, at once, with
        the Eisenberg–Noe clearing vector; returns $B paid.

        A payer whose cash covers everything it owes now pays its bills outright (cash moves with
        its own provenance), and what it pays may make its creditors able to pay theirs (repeated
        until no one else can): those payers pay in full in the greatest clearing vector anyway.
        The bills and arrears of the rest are cleared together (pro rata to creditors, limited
        liability, greatest clearing vector). What a due bill is not paid becomes arrears. The
        ``clearing_gap`` records by how much the payments differ from each paying, out of its
        cash before the clearing, as much of what it owes as it can."""
        economy, led = self.economy, self.economy.ledger
        month = economy.month
        book = economy.book
        credits = [c for c in book.implementing(Contract.arrears) if c.arrears() > 1e-12]
        bills = [c for c in book.implementing(Contract.payable_due) if c.payable_due(month) > 1e-12]
        if not credits and not bills:
            return 0.0
        owes: dict[str, float] = {}
        for c in credits:
            owes[c.issuer] = owes.get(c.issuer, 0.0) + c.arrears()
        for c in bills:
            owes[c.issuer] = owes.get(c.issuer, 0.0) + c.payable_due(month)
        cash0 = {a: max(0.0, led.cash(a)) for a in owes}
        paid: dict[str, float] = {}
        outright = 0.0
        progress = True
        while progress:  # payers who can pay everything they owe, out of their own cash
            progress = False
            for aid in sorted(owes, key=led.index.__getitem__):
                mine = [c for c in bills if c.issuer == aid and c.active and c.amount > 1e-12]
                if not mine or led.cash(aid) < owes[aid] - paid.get(aid, 0.0) - 1e-12:
                    continue
                for c in mine:
                    x = c.amount
                    pay(led, aid, c.holder, x, "payables", "receivables", "invoice paid", ref=c)
                    c.amount, c.active = 0.0, False
                    paid[aid] = paid.get(aid, 0.0) + x
                    outright += x
                    progress = True
        bills = [c for c in bills if c.active and c.amount > 1e-12]
        cleared = self._clear_network(credits, bills, month, paid)
        gap = sum(abs(paid.get(a, 0.0) - min(owes[a], cash0[a])) for a in owes)
        self.clearing_gap += gap
        overdue: dict[str, float] = {}
        for c in bills:  # what is still unpaid of a bill due is overdue: arrears
            if c.amount > 1e-12:
                tc = book.arrears(c.holder, c.issuer)
                if tc is None:
                    book.add(TradeCredit(holder=c.holder, issuer=c.issuer, amount=c.amount, what=c.what))
                else:
                    tc.amount += c.amount
                overdue[c.issuer] = overdue.get(c.issuer, 0.0) + c.amount
            c.amount, c.active = 0.0, False
        for aid in sorted(overdue):
            if overdue[aid] > economy.params["default_arrears_tolerance"]:
                economy.record_event("bills overdue", aid, f"{overdue[aid]:,.2f} $B of bills due not paid", overdue[aid])
        return outright + cleared

    def _clear_network(self, credits: list, bills: list, month: int, paid: dict) -> float:
        """Clear ``credits`` (arrears) and ``bills`` (due on terms) at once with the greatest
        Eisenberg–Noe vector; adds each payer's payments to ``paid``; returns $B paid."""
        economy, led = self.economy, self.economy.ledger
        items = [c for c in credits if c.arrears() > 1e-12] + bills
        if not items:
            return 0.0
        nodes = list(led.agent_ids)
        nodes += sorted({c.holder for c in items if c.holder not in led.index})
        pos = {a: i for i, a in enumerate(nodes)}
        n = len(nodes)
        L = np.zeros((n, n))
        for c in items:
            L[pos[c.issuer], pos[c.holder]] += c.amount
        e = np.zeros(n)
        e[: len(led.agent_ids)] = np.maximum(led.balances[:, 0], 0.0)
        p = eisenberg_noe(L, e)
        pbar = L.sum(axis=1)
        ratio = np.divide(p, pbar, out=np.zeros(n), where=pbar > 0)
        payments: dict[tuple[str, str], float] = {}
        for c in items:
            x = c.amount * ratio[pos[c.issuer]]
            if x > 1e-12:
                payments[(c.issuer, c.holder)] = payments.get((c.issuer, c.holder), 0.0) + x
                paid[c.issuer] = paid.get(c.issuer, 0.0) + x
                c.amount -= x
                if c.amount <= 1e-12:
                    c.amount, c.active = 0.0, False
        led.settle_simultaneous(payments, memo="clearing of arrears")
        return float(sum(payments.values()))

    # ------------------------------------------------------------------ collateral
    def margin_calls(self) -> None:
        """Enforce the LTV limits of GPU-backed loans and of the levered fund's margin loan."""
        self._gpu_margin_calls()
        self._fund_margin_calls()

    def _gpu_margin_calls(self) -> None:
        """A borrower's pooled GPU loans are tested against its whole fleet: the call is for the
        excess of the loans over ``ltv_limit`` times the fleet's value at used-GPU prices, met
        from cash, then by selling GPUs."""
        economy, market = self.economy, self.economy.gpu_market
        by_borrower: dict[str, list] = {}
        for loan in economy.book.debts():
            if loan.pooled_gpu_collateral and loan.issuer not in self.defaulted:
                by_borrower.setdefault(loan.issuer, []).append(loan)
        for aid in sorted(by_borrower):
            loans = by_borrower[aid]
            borrower = economy.agent(aid)
            value = market.collateral_value(borrower)
            face = sum(c.face for c in loans)
            limit = loans[0].ltv_limit * value
            if face <= limit + 1e-9:
                continue
            need = face - limit
            price, p0 = market.used_price, market.used_price_0
            change = f" ({price / p0 - 1:+.0%} since start)" if p0 > 0 else ""
            economy.record_event("margin call", aid,
                                 f"GPU loans {face:,.1f} $B at LTV {face / max(value, 1e-9):.0%} > "
                                 f"{loans[0].ltv_limit:.0%}: used-GPU price ${price:,.1f}k{change}", need)
            paid = min(need, max(0.0, borrower.cash))
            if paid > 0:
                self._repay(borrower, loans, paid, "margin call paydown")
                need -= paid
            if need > 1e-9:
                self.fire_sale_gpus(borrower, need, loans)

    def _fund_margin_calls(self) -> None:
        """The levered fund's margin loans against ``margin_call_ltv`` of its whole book (its
        stakes at their marks and its holdings outside the loop: the loan-to-value its lenders
        test): a breach forces sales of listed shares (``margin_call_cushion`` beyond the call, to
        restore a cushion)."""
        economy = self.economy
        for fund in economy.venture_funds:
            if fund.aid in self.defaulted or fund.margin_ltv <= 0:
                continue
            loans = [c for c in economy.book.issued_by(fund.aid) if c.is_debt]
            owed = sum(b.face for b in loans)
            book = fund.collateral_value()
            limit = economy.params["margin_call_ltv"] * book
            if owed > limit + 1e-9:
                economy.record_event("margin call", fund.aid,
                                     f"margin loan {owed:,.1f} > {limit:,.1f} $B ({economy.params['margin_call_ltv']:.0%} "
                                     f"of its book of {book:,.1f} $B)", owed - limit)
                self.sell_listed_stakes(fund, (owed - limit) * (1.0 + economy.params["margin_call_cushion"]),
                                        repay=loans)

    def _repay(self, borrower, loans: list, amount: float, memo: str) -> float:
        """Repay ``amount`` $B across ``loans`` pro rata to face; returns what was repaid."""
        amount = min(amount, borrower.cash, sum(c.face for c in loans))
        face = sum(c.face for c in loans)
        for c in loans:
            x = amount * c.face / face if face > 0 else 0.0
            if x > 0:
                c.repay(self.economy.ledger, x, memo)
        return amount

    def fire_sale_gpus(self, owner, need: float, loans=None) -> float:
        """Sell GPUs from ``owner``'s fleet into the used market to raise ``need`` $B.

        Proceeds follow exponential price impact on the used-GPU market (depth
        ``used_gpu_market_depth`` million GPUs); the impact lowers the used-GPU price for all.
        Returns $B raised (paid to the holders of ``loans`` if given)."""
        economy = self.economy
        price = economy.gpu_market.used_price
        units_held = owner.fleet.units()
        if price <= 0 or units_held <= 0:
            return 0.0
        depth = economy.params["used_gpu_market_depth"]
        # units q such that proceeds(q) = need, capped by the fleet
        target = min(need, liquidation_proceeds(price, units_held, depth))
        ratio = min(0.999999, target / (price * depth))
        q = min(units_held, -depth * np.log1p(-ratio))
        proceeds = self.sell_gpus(owner, q)
        if loans and proceeds > 0:
            self._repay(owner, loans, proceeds, "repay from collateral sale")
        return proceeds

    def sell_gpus(self, owner, units: float, why: str = "") -> float:
        """Sell ``units`` million of ``owner``'s GPUs (oldest first) into the used market at the
        used-GPU price with exponential price impact; returns the $B raised."""
        economy = self.economy
        price = economy.gpu_market.used_price
        q = min(units, owner.fleet.units())
        if price <= 0 or q <= 0:
            return 0.0
        proceeds = float(liquidation_proceeds(price, q, economy.params["used_gpu_market_depth"]))
        if proceeds <= 0:
            return 0.0
        book_sold = owner.fleet.remove_units(q)
        economy.ledger.receive_external(owner.aid, LIQUIDATION_BUYER, proceeds, "gpus", "GPU fire sale")
        economy.ledger.post([(owner.aid, "gpus", proceeds - book_sold),
                             (owner.aid, "retained", -(proceeds - book_sold))], "loss on GPU fire sale")
        economy.gpu_market.fire_sale(q)
        economy.record_event("GPU fire sale", owner.aid, f"{q * 1e3:,.0f}k GPUs sold at ${proceeds / q:,.1f}k"
                             + (f" ({why})" if why else ""), proceeds)
        return proceeds

    def sell_listed_stakes(self, holder, need: float, repay=None) -> float:
        """Sell ``holder``'s listed stakes to outside holders for ``need`` $B (largest first), then
        repay ``repay`` loans from the cash."""
        economy = self.economy
        raised = 0.0
        for s in sorted(economy.book.held_by(holder.aid, Contract.shares_of_issuer), key=lambda s: -s.holder_value()):
            issuer = economy.agent_or_none(s.issuer)
            if raised >= need or issuer is None or not issuer.public or issuer.price <= 0:
                continue
            x = min(need - raised, s.holder_value())
            economy.transactions.sell_shares(holder.aid, issuer, x / issuer.price, reason="forced sale")
            raised += x
        for b in repay or ():
            y = min(b.face, holder.cash)
            if y > 0:
                b.repay(economy.ledger, y, "margin loan paydown")
        return raised

    # ------------------------------------------------------------------ defaults
    def count_arrears(self) -> None:
        """Count, once a month, how many months each live agent has been behind on its bills
        (arrears above ``default_arrears_tolerance``)."""
        economy, tol = self.economy, self.economy.params["default_arrears_tolerance"]
        if self.counted_month == economy.month:
            return
        self.counted_month = economy.month
        for a in economy.defaultable():
            if self.overdue(a.aid) > tol:
                self.arrears_months[a.aid] = self.arrears_months.get(a.aid, 0) + 1
            else:
                self.arrears_months[a.aid] = 0

    def candidates(self) -> list:
        """Agents to declare in default now, with the cause (arrears counted by :meth:`count_arrears`)."""
        economy, p = self.economy, self.economy.params
        out = []
        for a in economy.defaultable():
            if a.aid in self.defaulted:
                continue
            arrears = self.overdue(a.aid)
            months = self.arrears_months.get(a.aid, 0) if arrears > p["default_arrears_tolerance"] else 0
            if months > p["default_grace_months"]:
                out.append((a, f"illiquid: {arrears:,.1f} $B unpaid for {months} months"))
            elif self.insolvent(a):
                out.append((a, "insolvent: liabilities exceed assets with GPUs at the used price"))
        return out

    def insolvent(self, a) -> bool:
        """GPU-collateralised borrowers only: assets, with GPUs marked to the used-GPU price, below
        liabilities (their lenders look through to the collateral; other firms default only when
        they cannot pay)."""
        economy = self.economy
        led = economy.ledger
        if not any(c.secured_by_gpus for c in economy.book.issued_by(a.aid)):
            return False
        assets, liabilities, _ = led.totals(a.aid)
        assets += economy.gpu_market.collateral_value(a) - led.get(a.aid, "gpus")
        return assets < liabilities * (1.0 - 1e-9)

    def resolve(self) -> list[str]:
        """Declare and unwind this month's defaults (repeating while one default causes another:
        the loans backed by a defaulter's cancelled contracts are enforced at once)."""
        self.count_arrears()
        new = []
        for _ in range(10):
            batch = self.candidates()
            if not batch:
                break
            for agent, cause in batch:
                self.default(agent, cause)
                new.append(agent.aid)
            self.enforce_events_of_default()
        return new

    # ------------------------------------------------------------------ covenants and acceleration
    def debt_arrears(self, aid: str) -> float:
        """$B ``aid`` owes its lenders (the bond buyers) in arrears: debt service it did not pay."""
        economy = self.economy
        return sum(c.arrears() for c in economy.book.issued_by(aid, Contract.arrears)
                   if (a := economy.agent_or_none(c.holder)) is not None and a.family == "bond_buyer")

    def overdue(self, aid: str) -> float:
        """$B of bills ``aid`` owes past their due date (arrears of every kind)."""
        return sum(c.arrears() for c in self.economy.book.issued_by(aid, Contract.arrears))

    def in_event_of_default(self, aid: str) -> bool:
        """Has ``aid``'s debt been accelerated and is it still unpaid (lenders lend it nothing more)?"""
        if aid not in self.accelerated:
            return False
        if self.debt_arrears(aid) > self.economy.params["default_arrears_tolerance"]:
            return True
        del self.accelerated[aid]  # paid: back in good standing
        return False

    def covenants(self) -> None:
        """This month's covenant tests and their consequences, borrower by borrower (sorted):
        payment defaults on debt older than ``cross_default_cure_months`` trigger cross-default;
        each contract-backed facility in an event of default (backing contract cancelled) or in
        breach of a covenant it cannot cure from cash is enforced."""
        economy, p = self.economy, self.economy.params
        tol = p["default_arrears_tolerance"]
        for a in economy.defaultable():
            owed = self.debt_arrears(a.aid)
            self.debt_arrears_months[a.aid] = self.debt_arrears_months.get(a.aid, 0) + 1 if owed > tol else 0
            if (self.debt_arrears_months[a.aid] > p["cross_default_cure_months"] and a.aid not in self.accelerated):
                self.cross_default(a, f"{owed:,.2f} $B of debt service unpaid for "
                                      f"{self.debt_arrears_months[a.aid]} months")
        for loans in self._facilities():
            why = loans[0].event_of_default(economy.ctx)
            if why is not None:
                self.enforce_facility(loans, why)
                continue
            breach = facility_covenants(loans, economy.ctx)
            if breach is None:
                continue
            cure, why = breach
            borrower = economy.agent(loans[0].issuer)
            if borrower.cash >= cure:
                self._repay(borrower, loans, cure, "covenant cure")
                economy.record_event("covenant breach", borrower.aid, f"{why}: cured by prepaying {cure:,.2f} $B of the "
                                     f"loan against {loans[0].backing.name or 'capacity'}", cure)
            else:
                self.enforce_facility(loans, f"covenant breach not cured ({why}; cure {cure:,.2f} $B, "
                                             f"cash {borrower.cash:,.2f} $B)")

    def enforce_events_of_default(self) -> None:
        """Enforce every facility whose own terms put it in default now (its contract was
        cancelled by a defaulting customer): no cure."""
        for loans in self._facilities():
            why = loans[0].event_of_default(self.economy.ctx)
            if why is not None:
                self.enforce_facility(loans, why)

    def _facilities(self) -> list[list]:
        """Contract-backed facilities of live borrowers with something drawn: lists of lender
        shares, in the order the facilities were opened."""
        groups: dict[tuple[str, int], list] = {}
        for c in self.economy.book.implementing(Contract.facility_key):
            if c.face <= 1e-12 and c.undrawn() <= 1e-12:
                c.active = False  # repaid, and nothing more to draw: the facility is over
            elif c.issuer not in self.defaulted and c.face > 1e-12:
                groups.setdefault(c.facility_key(), []).append(c)
        return [groups[k] for k in sorted(groups, key=lambda k: k[1])]

    def enforce_facility(self, loans: list, why: str, units: float | None = None) -> float:
        """An event of default on one facility: acceleration, repossession of its GPUs (sold into
        the used market, proceeds to its lenders), a sweep of the borrower's cash; what is still
        owed becomes arrears (a payment default). ``units``: the GPUs securing it (default: the
        facility's collateral). Returns the $B left unpaid."""
        economy = self.economy
        borrower = economy.agent(loans[0].issuer)
        face = sum(c.face for c in loans)
        backing = getattr(loans[0], "backing", None)
        if units is None:
            units = sum(c.collateral_units for c in loans)
        units = min(units, borrower.fleet.units()) if borrower.owns_capacity else 0.0
        proceeds = 0.0
        if units > 0:  # the lenders sell as many of the GPUs securing the loan as repay it
            price, depth = economy.gpu_market.used_price, economy.params["used_gpu_market_depth"]
            if price > 0:
                ratio = min(0.999999, face / (price * depth))
                units = min(units, -depth * float(np.log1p(-ratio)))
                proceeds = self.sell_gpus(borrower, units, f"repossessed by {borrower.aid}'s lenders")
        if proceeds > 0:
            self._repay(borrower, loans, min(proceeds, face), "repay from collateral sale")
        swept = min(max(0.0, borrower.cash), sum(c.face for c in loans))
        if swept > 1e-12:
            self._repay(borrower, loans, swept, "cash sweep")
        unpaid = self._accelerate(borrower, loans)
        for c in loans:
            if backing is not None:
                c.limit, c.collateral_units = c.drawn, 0.0
        what = f"loan against {backing.name or 'capacity'} with {backing.holder}" if backing is not None \
            else "GPU-backed loans"
        economy.record_event("event of default", borrower.aid, f"{what}: {why}; "
                             f"{face:,.2f} $B accelerated, {proceeds:,.2f} from {units * 1e3:,.0f}k GPUs repossessed, "
                             f"{swept:,.2f} swept, {unpaid:,.2f} unpaid", face)
        economy.version += 1
        return unpaid

    def cross_default(self, borrower, why: str) -> None:
        """A payment default on one debt accelerates all the others: secured facilities are
        enforced (repossession, sweep), the rest falls due at once; lenders lend no more."""
        economy = self.economy
        self.accelerated[borrower.aid] = economy.month
        before = economy.ledger.get(borrower.aid, "debt")
        for loans in [f for f in self._facilities() if f[0].issuer == borrower.aid]:
            self.enforce_facility(loans, "cross-default")
        pooled = [c for c in economy.book.issued_by(borrower.aid) if c.pooled_gpu_collateral and c.face > 1e-12]
        if pooled:  # lenders secured by the whole fleet foreclose on it
            self.enforce_facility(pooled, "cross-default", units=borrower.fleet.units())
        rest = [c for c in economy.book.issued_by(borrower.aid) if c.is_debt and c.face > 1e-12]
        self._accelerate(borrower, rest)
        for c in economy.book.issued_by(borrower.aid, Contract.line_room):
            c.freeze()
        economy.record_event("cross-default", borrower.aid, f"{why}: {before:,.2f} $B of debt accelerated", before)
        economy.version += 1

    def _accelerate(self, borrower, loans: list) -> float:
        """All of ``loans`` falls due now: paid from cash as far as it goes, the rest owed as
        arrears to each lender. Returns the $B left unpaid."""
        economy = self.economy
        unpaid = 0.0
        for c in loans:
            x = c.face
            if x <= 1e-12:
                continue
            paid = pay_or_owe(economy.ledger, economy.book, borrower.aid, c.holder, x, "debt", "bonds_held",
                              "principal (accelerated)", ref=c)
            unpaid += x - paid
            c.face = 0.0
            c.active = False
        return unpaid

    def default(self, firm, cause: str) -> None:
        """Unwind ``firm``: contracts by their terms, assets liquidated, creditors paid (secured
        first, then pro rata), the rest to its shareholders pro rata."""
        economy, led = self.economy, self.economy.ledger
        self.defaulted[firm.aid] = economy.month
        firm.defaulted = True
        economy.record_event("default", firm.aid, cause, led.get(firm.aid, "payables") + led.get(firm.aid, "debt"))
        self._unwind_contracts(firm.aid)
        secured = self._liquidate(firm)
        self._pay_creditors(firm.aid, secured)
        self._pay_owners(firm)
        economy.version += 1

    def _unwind_contracts(self, aid: str) -> None:
        """Every contract the defaulter is party to unwinds by its own terms, in the contracts'
        :attr:`~Contract.unwind_order` (holder side before issuer side at equal order)."""
        book = self.economy.book
        todo = [(c.unwind_order[0], 0, i, c) for i, c in enumerate(book.held_by(aid)) if c.unwind_order[0] is not None]
        todo += [(c.unwind_order[1], 1, i, c) for i, c in enumerate(book.issued_by(aid)) if c.unwind_order[1] is not None]
        for *_, c in sorted(todo, key=lambda t: t[:3]):
            if c.active:
                c.unwind(self.economy.ctx, aid)

    def _liquidate(self, firm) -> float:
        """Turn the estate into cash; returns the $B raised from GPU collateral (for secured lenders)."""
        economy, led, p = self.economy, self.economy.ledger, self.economy.params
        aid = firm.aid
        secured = self._liquidate_fleet(firm) if firm.owns_capacity else 0.0
        held = [c for c in economy.book.held_by(aid) if c.liquidation_order is not None]
        for c in sorted(held, key=lambda c: c.liquidation_order):
            c.liquidate(economy.ctx)
        for acct, rate in (("other_assets", p["other_asset_recovery"]), ("prepaid", 0.0)):
            v = led.get(aid, acct)
            if v > 0:
                rate *= economy.equity_desk.distressed_sale(v * rate, 0.0) if rate > 0 else 0.0
                if rate > 0:
                    led.receive_external(aid, LIQUIDATION_BUYER, rate * v, acct, f"asset sold ({acct})")
                led.post([(aid, acct, -(1 - rate) * v), (aid, "retained", (1 - rate) * v)], f"asset written down ({acct})")
        return secured

    def _liquidate_fleet(self, owner) -> float:
        """GPUs fire-sold, plant and construction sold at ``plant_recovery`` of book."""
        economy, led, p = self.economy, self.economy.ledger, self.economy.params
        aid = owner.aid
        secured = self.fire_sale_gpus(owner, float("inf")) if owner.fleet.units() > 0 else 0.0
        rest = led.get(aid, "gpus")  # any GPUs the sale left (rounding) are written off
        if abs(rest) > 0:
            led.post([(aid, "gpus", -rest), (aid, "retained", rest)], "GPU remainder written off")
        for acct, rate in (("dc_plant", p["plant_recovery"]), ("construction", p["plant_recovery"])):
            v = led.get(aid, acct)
            if v > 0:
                rate *= economy.equity_desk.distressed_sale(v * rate, 0.0)
                led.receive_external(aid, LIQUIDATION_BUYER, rate * v, acct, f"asset sold ({acct})")
                led.post([(aid, acct, -(1 - rate) * v), (aid, "retained", (1 - rate) * v)], f"asset written down ({acct})")
        owner.close_fleet()
        return secured

    def _pay_creditors(self, aid: str, secured: float) -> None:
        """Estate cash to creditors: GPU lenders first from collateral, then all claims pro rata
        (customer prepayments and unused credits included); the unpaid rest is written off."""
        economy, led = self.economy, self.economy.ledger
        loans = [c for c in economy.book.issued_by(aid) if c.secured_by_gpus]
        owed = sum(c.face for c in loans)
        pot = min(secured, led.cash(aid), owed)
        for c in loans:
            x = pot * c.face / owed if owed > 0 else 0.0
            if x > 0:
                c.repay(led, x, "secured recovery", close=False)
        claims = [c for c in economy.book.issued_by(aid) if c.claim_accounts is not None]
        total = sum(c.claim() for c in claims)
        deferred = led.get(aid, "deferred_revenue")  # customer prepayments and unused credits: claims too
        total_all = total + deferred
        rate = min(1.0, led.cash(aid) / total_all) if total_all > 0 else 0.0
        for c in claims:
            self._settle_claim(aid, c, rate)
        if deferred > 0:
            led.post([(aid, "deferred_revenue", deferred), (aid, "retained", -deferred)], "customer claims extinguished")

    def _settle_claim(self, aid: str, c, rate: float) -> None:
        """Pay ``rate`` of claim ``c`` on defaulter ``aid``; the creditor writes the rest off."""
        economy, led = self.economy, self.economy.ledger
        face = c.claim()
        paid = face * rate
        holder_acct, debtor_acct = c.claim_accounts
        if paid > 0:
            if c.holder in led.index:
                led.transfer(aid, c.holder, paid, debtor_acct, holder_acct, "recovery to creditors", ref=c)
            else:
                led.pay_external(aid, c.holder, paid, debtor_acct, "recovery to creditors", ref=c)
        lost = face - paid
        if lost > 0:
            led.post([(aid, debtor_acct, lost), (aid, "retained", -lost)], "debt extinguished")
            if c.holder in led.index:
                led.post([(c.holder, holder_acct, -lost), (c.holder, "retained", lost)], "write-off")
                self.record_loss(c.holder, lost)
                economy.record_event("write-off", c.holder, f"claim on {aid}", lost)
        c.extinguish()

    def _pay_owners(self, firm) -> None:
        """What is left after the creditors goes to the defaulter's owners: its shareholders pro
        rata, or - for an agent without shares, whose owners are an outside sector (a venture
        fund's limited partners) - that sector. Then its price is nil and the contracts it issued
        learn of its default."""
        economy = self.economy
        self._pay_preferred(firm)
        if firm.owners_sector is None:
            self._pay_shareholders(firm)
        else:
            left = max(0.0, economy.ledger.cash(firm.aid))
            if left > 1e-12:
                economy.ledger.pay_external(firm.aid, firm.owners_sector, left, "paid_in", "liquidating distribution")
                economy.record_event("liquidating distribution", firm.aid,
                                     f"{left:,.2f} $B to its owners ({firm.owners_sector})", left)
        firm.price = 0.0
        for c in economy.book.ranked(economy.book.issued_by(firm.aid)):
            c.on_issuer_default(economy.ctx)

    def _pay_preferred(self, firm) -> None:
        """Preferred stock comes before the common shares: what is left after the creditors pays
        each preferred holder's liquidation preference (:meth:`Contract.preference`), pro rata
        if it does not cover them all; the rest of their claim is lost."""
        economy, led = self.economy, self.economy.ledger
        preferred = economy.book.issued_by(firm.aid, Contract.preference)
        owed = sum(c.preference() for c in preferred)
        if owed <= 1e-12:
            return
        rate = min(1.0, max(0.0, led.cash(firm.aid)) / owed)
        for c in preferred:
            c.recover(economy.ctx, c.preference() * rate)
        economy.record_event("preferred paid", firm.aid, f"{rate:.0%} of {owed:,.2f} $B of preferred stock", owed * rate)

    def _pay_shareholders(self, firm) -> None:
        """What is left after the creditors belongs to all the shareholders, pro rata to their
        shares: each modelled holder is marked to the recovery per share and paid it (a
        liquidating distribution), the outside float's part goes to outside holders; then the
        shares are worth nothing more and the holders' remaining claims are written down."""
        economy, led = self.economy, self.economy.ledger
        left = max(0.0, led.cash(firm.aid))
        shares = firm.shares
        r = left / shares if left > 1e-9 and shares > 0 else 0.0
        self.recovery[firm.aid] = r
        firm.recovery_per_share = r
        if r > 0:
            paid = 0.0
            for s in economy.book.issued_by(firm.aid, Contract.shares_of_issuer):
                if s.shares <= 0:
                    continue
                value = s.shares * s.mark
                s.remark(led, r)
                x = min(s.shares * r, led.cash(firm.aid))
                if s.holder in led.index:
                    led.transfer(firm.aid, s.holder, x, "paid_in", "equity_stakes", "liquidating distribution", ref=s)
                    s.mark = 0.0  # the stake's value left as cash
                    economy.agent(s.holder).receive_distribution(firm.aid, x)
                else:
                    led.pay_external(firm.aid, s.holder, x, "paid_in", "liquidating distribution", ref=s)
                paid += x
                if value > x + 1e-9:
                    economy.record_event("stake written off", s.holder,
                                         f"{firm.aid} recovered ${r:,.2f} per share", value - x)
            rest = led.cash(firm.aid)
            if rest > 1e-12:  # the outside float's part
                led.pay_external(firm.aid, "other_shareholders", rest, "paid_in", "liquidation surplus")
            economy.record_event("liquidating distribution", firm.aid,
                                 f"{left:,.2f} $B to shareholders at ${r:,.2f} per share "
                                 f"({paid:,.2f} to modelled holders)", left)
