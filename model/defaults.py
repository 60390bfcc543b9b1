"""When the music stops: clearing of dues, collateral calls, defaults and the unwinding of estates.

Monthly, after the month's bills have been paid as far as cash allowed (the rest booked as
arrears), :meth:`DefaultEngine.clear` settles all arrears between agents at once with the
Eisenberg–Noe clearing vector (``model.clearing``): pro rata to creditors, limited liability,
greatest clearing vector. After financing, :meth:`DefaultEngine.margin_calls` marks GPU-backed
loans to the used-GPU price (an LTV breach forces cash paydown or GPU fire sales, whose price
impact lowers the used-GPU price for everyone) and the levered fund's margin loan to its listed
holdings (a breach forces share sales). :meth:`DefaultEngine.resolve` then declares defaults:

* **illiquid**: arrears left unpaid for ``default_grace_months`` months after clearing, selling
  listed stakes and trying to borrow;
* **insolvent**: a borrower whose assets, with GPUs at the used-GPU price, fall short of its
  liabilities.

A defaulted firm's contracts unwind by their terms (capacity contracts cancelled with their
cancellation fee becoming a creditor claim, chip orders cancelled with the prepayment forfeited,
staged investments and credits lapsing), its assets are liquidated (GPUs into the used market
with price impact, plant and other assets at recovery rates, stakes sold), the proceeds go to
secured lenders first (GPU collateral), then pro rata to all other creditors; unpaid claims are
written off on the creditors' books, and its shares become worthless because nothing is left
for them. No scenario writes a default or a price: they follow from balance sheets.
"""

from __future__ import annotations

import numpy as np

from ailoop.model.clearing import eisenberg_noe, liquidation_proceeds

LIQUIDATION_BUYER = "distressed_buyers"


class DefaultEngine:
    def __init__(self, economy):
        self.eco = economy
        self.defaulted: dict[str, int] = {}  # agent id -> month of default
        self.arrears_months: dict[str, int] = {}
        self.writeoffs: dict[str, float] = {}  # creditor id -> cumulative $B written off
        self.used_price_impact = 1.0  # multiplier on the used-GPU price from fire sales (recovers)

    # ------------------------------------------------------------------ clearing
    def clear(self) -> float:
        """Settle all arrears at once with the Eisenberg–Noe clearing vector; returns $B paid."""
        eco, led = self.eco, self.eco.ledger
        credits = [c for c in eco.book.of_kind("trade_credit") if c.amount > 1e-12]
        if not credits:
            return 0.0
        nodes = list(led.agent_ids)
        ext = sorted({c.holder for c in credits if c.holder not in led.index})
        nodes += ext
        pos = {a: i for i, a in enumerate(nodes)}
        n = len(nodes)
        L = np.zeros((n, n))
        for c in credits:
            L[pos[c.issuer], pos[c.holder]] += c.amount
        e = np.zeros(n)
        e[: len(led.agent_ids)] = np.maximum(led.balances[:, 0], 0.0)
        p = eisenberg_noe(L, e)
        pbar = L.sum(axis=1)
        ratio = np.divide(p, pbar, out=np.zeros(n), where=pbar > 0)
        payments: dict[tuple[str, str], float] = {}
        for c in credits:
            x = c.amount * ratio[pos[c.issuer]]
            if x > 1e-12:
                payments[(c.issuer, c.holder)] = payments.get((c.issuer, c.holder), 0.0) + x
                c.amount -= x
                if c.amount <= 1e-12:
                    c.amount, c.active = 0.0, False
        led.settle_simultaneous(payments, memo="clearing of arrears")
        return float(sum(payments.values()))

    # ------------------------------------------------------------------ collateral
    def recover_used_price(self) -> None:
        """Fire-sale impact on the used-GPU price fades with time constant ``used_price_recovery_months``."""
        k = np.exp(-1.0 / self.eco.params["used_price_recovery_months"])
        self.used_price_impact = 1.0 - (1.0 - self.used_price_impact) * k

    def used_price(self) -> float:
        return self.eco.gpu_price_used

    def collateral_value(self, owner) -> float:
        """$B value of ``owner``'s GPUs at the used-GPU price for their age (the lenders' mark)."""
        return sum(c.units * self.eco.used_gpu_price_at(c.age(self.eco.month)) for c in owner.fleet.cohorts)

    def margin_calls(self) -> None:
        """Mark GPU-backed loans and margin loans; enforce LTV limits (cash, then forced sales).

        A borrower's GPU loans are pooled against its whole fleet: the call is for the excess of
        the loans over ``ltv_limit`` times the fleet's value at used-GPU prices."""
        eco = self.eco
        by_borrower: dict[str, list] = {}
        for loan in eco.book.of_kind("gpu_loan"):
            if loan.issuer not in self.defaulted:
                by_borrower.setdefault(loan.issuer, []).append(loan)
        for aid in sorted(by_borrower):
            loans = by_borrower[aid]
            borrower = eco.agent(aid)
            value = self.collateral_value(borrower)
            face = sum(c.face for c in loans)
            limit = loans[0].ltv_limit * value
            if face <= limit + 1e-9:
                continue
            need = face - limit
            price, p0 = eco.gpu_price_used, eco.gpu_price_used_0
            change = f" ({price / p0 - 1:+.0%} since start)" if p0 > 0 else ""
            eco.record_event("margin call", aid,
                             f"GPU loans {face:,.1f} $B at LTV {face / max(value, 1e-9):.0%} > {loans[0].ltv_limit:.0%}: "
                             f"used-GPU price ${price:,.1f}k{change}", need)
            paid = min(need, max(0.0, borrower.cash))
            if paid > 0:
                self._repay(borrower, loans, paid, "margin call paydown")
                need -= paid
            if need > 1e-9:
                self.fire_sale_gpus(borrower, need, loans)
        for fund in eco.venture_funds:
            if fund.aid in self.defaulted or fund.margin_ltv <= 0:
                continue
            loans = eco.book.issued_by(fund.aid, "bond")
            owed = sum(b.face for b in loans)
            holdings = fund.listed_holdings()
            limit = eco.params["margin_call_ltv"] * holdings
            if owed > limit + 1e-9:
                eco.record_event("margin call", fund.aid, f"margin loan {owed:,.1f} > {limit:,.1f} $B of listed holdings",
                                 owed - limit)
                self.sell_listed_stakes(fund, (owed - limit) * 1.1, repay=loans)

    def _repay(self, borrower, loans: list, amount: float, memo: str) -> float:
        """Repay ``amount`` $B across ``loans`` pro rata to face; returns what was repaid."""
        amount = min(amount, borrower.cash, sum(c.face for c in loans))
        face = sum(c.face for c in loans)
        for c in loans:
            x = amount * c.face / face if face > 0 else 0.0
            if x > 0:
                self.eco.ledger.transfer(borrower.aid, c.holder, x, "debt", "bonds_held", memo)
                c.face -= x
                if c.face <= 1e-12:
                    c.face, c.active = 0.0, False
        return amount

    def fire_sale_gpus(self, owner, need: float, loans=None) -> float:
        """Sell GPUs from ``owner``'s fleet into the used market to raise ``need`` $B.

        Proceeds follow exponential price impact on the used-GPU market (depth
        ``used_gpu_market_depth`` million GPUs); the impact lowers the used-GPU price for all.
        Returns $B raised (paid to the holders of ``loans`` if given)."""
        eco, p = self.eco, self.eco.params
        price = self.used_price()
        units_held = owner.fleet.units()
        if price <= 0 or units_held <= 0:
            return 0.0
        depth = p["used_gpu_market_depth"]
        # units q such that proceeds(q) = need, capped by the fleet
        target = min(need, liquidation_proceeds(price, units_held, depth))
        ratio = min(0.999999, target / (price * depth))
        q = min(units_held, -depth * np.log1p(-ratio))
        proceeds = float(liquidation_proceeds(price, q, depth))
        if q <= 0 or proceeds <= 0:
            return 0.0
        book_sold = owner.fleet.remove_units(q)
        eco.ledger.receive_external(owner.aid, LIQUIDATION_BUYER, proceeds, "gpus", "GPU fire sale")
        eco.ledger.post([(owner.aid, "gpus", proceeds - book_sold), (owner.aid, "retained", -(proceeds - book_sold))],
                        "loss on GPU fire sale")
        self.used_price_impact *= float(np.exp(-q / depth))
        eco.gpu_price_used = eco._used_gpu_price()
        eco.record_event("GPU fire sale", owner.aid, f"{q * 1e3:,.0f}k GPUs sold at ${proceeds / q:,.1f}k", proceeds)
        if loans:
            self._repay(owner, loans, proceeds, "repay from collateral sale")
        return proceeds

    def sell_listed_stakes(self, holder, need: float, repay=None) -> float:
        """Sell ``holder``'s listed stakes to outside holders for ``need`` $B (largest first)."""
        eco = self.eco
        raised = 0.0
        for s in sorted(eco.book.held_by(holder.aid, "equity"), key=lambda s: -s.holder_value()):
            issuer = eco.agents_by_id.get(s.issuer)
            if raised >= need or issuer is None or not issuer.public or issuer.price <= 0:
                continue
            x = min(need - raised, s.holder_value())
            n = x / issuer.price
            eco.sell_shares(holder.aid, issuer, n, reason="forced sale")
            raised += x
        for b in repay or ():
            y = min(b.face, holder.cash)
            if y > 0:
                eco.ledger.transfer(holder.aid, b.holder, y, "debt", "bonds_held", "margin loan paydown")
                b.face -= y
                if b.face <= 1e-12:
                    b.face, b.active = 0.0, False
        return raised

    # ------------------------------------------------------------------ defaults
    def candidates(self) -> list:
        eco, p = self.eco, self.eco.params
        out = []
        for a in eco.defaultable():
            if a.aid in self.defaulted:
                continue
            arrears = eco.ledger.get(a.aid, "payables")
            if arrears > p["default_arrears_tolerance"]:
                self.arrears_months[a.aid] = self.arrears_months.get(a.aid, 0) + 1
            else:
                self.arrears_months[a.aid] = 0
            if self.arrears_months[a.aid] > p["default_grace_months"]:
                out.append((a, f"illiquid: {arrears:,.1f} $B unpaid for {self.arrears_months[a.aid]} months"))
            elif self.insolvent(a):
                out.append((a, "insolvent: liabilities exceed assets with GPUs at the used price"))
        return out

    def insolvent(self, a) -> bool:
        """GPU-collateralised borrowers only: assets, with GPUs marked to the used-GPU price, below
        liabilities (their lenders look through to the collateral; other firms default only when
        they cannot pay)."""
        led = self.eco.ledger
        if not self.eco.book.issued_by(a.aid, "gpu_loan"):
            return False
        assets, liabilities, _ = led.totals(a.aid)
        assets += self.collateral_value(a) - led.get(a.aid, "gpus")
        return assets < liabilities * (1.0 - 1e-9)

    def resolve(self) -> list[str]:
        """Declare and unwind this month's defaults (repeating while one default causes another)."""
        new = []
        for _ in range(10):
            batch = self.candidates()
            if not batch:
                break
            for agent, cause in batch:
                self.default(agent, cause)
                new.append(agent.aid)
        return new

    def default(self, firm, cause: str) -> None:
        """Unwind ``firm``: contracts by their terms, assets liquidated, creditors paid pro rata."""
        eco, led = self.eco, self.eco.ledger
        self.defaulted[firm.aid] = eco.month
        firm.defaulted = True
        eco.record_event("default", firm.aid, cause, led.get(firm.aid, "payables") + led.get(firm.aid, "debt"))
        self._unwind_contracts(firm)
        secured = self._liquidate(firm)
        self._pay_creditors(firm, secured)
        self._wipe_equity(firm)
        eco.version += 1

    def _unwind_contracts(self, firm) -> None:
        eco, led = self.eco, self.eco.ledger
        aid = firm.aid
        for c in list(eco.book.held_by(aid, "capacity")):  # the defaulter was the buyer
            fee = c.cancel_fee_share * c.remaining_value()
            eco.cancel_capacity_contract(c, f"{aid} defaulted", fee_claim=fee)
        for c in list(eco.book.issued_by(aid, "capacity")):  # the defaulter was the provider
            eco.cancel_capacity_contract(c, f"provider {aid} defaulted", fee_claim=0.0)
        for kind in ("lease", "backstop", "staged_investment"):
            for c in list(eco.book.held_by(aid, kind)) + list(eco.book.issued_by(aid, kind)):
                c.active = False
                eco.record_event("contract cancelled", c.issuer, f"{kind} with {c.holder}: {aid} defaulted")
        for o in list(eco.book.held_by(aid, "chip_order")):
            eco.cancel_chip_order(o, f"buyer {aid} defaulted")
        for k in list(eco.book.held_by(aid, "cloud_credits")) + list(eco.book.issued_by(aid, "cloud_credits")):
            x = k.unused
            if x > 0:
                led.post([(k.holder, "prepaid", -x), (k.holder, "retained", x)], "credits lapse")
                led.post([(k.issuer, "deferred_revenue", x), (k.issuer, "retained", -x)], "credits lapse")
                self._loss(k.holder, x)
            k.unused, k.active = 0.0, False
        for w in list(eco.book.held_by(aid, "warrant")):  # vested warrants sold at intrinsic value
            v = w.holder_value()
            if v > 0:
                led.receive_external(aid, LIQUIDATION_BUYER, v, "warrants", "warrants sold")
            w.active = False
        for o in [o for o in eco.book.of_kind("chip_order") if o.issuer == aid]:
            eco.cancel_chip_order(o, f"vendor {aid} defaulted")

    def _liquidate(self, firm) -> float:
        """Turn the estate into cash; returns the $B raised from GPU collateral (for secured lenders)."""
        eco, led, p = self.eco, self.eco.ledger, self.eco.params
        aid = firm.aid
        secured = 0.0
        if hasattr(firm, "fleet"):
            if firm.fleet.units() > 0:
                secured = self.fire_sale_gpus(firm, float("inf"))
            rest = led.get(aid, "gpus")  # any GPUs the sale left (rounding) are written off
            if abs(rest) > 0:
                led.post([(aid, "gpus", -rest), (aid, "retained", rest)], "GPU remainder written off")
            for acct, rate in (("dc_plant", p["plant_recovery"]), ("construction", p["plant_recovery"])):
                v = led.get(aid, acct)
                if v > 0:
                    led.receive_external(aid, LIQUIDATION_BUYER, rate * v, acct, f"{acct} sold")
                    led.post([(aid, acct, -(1 - rate) * v), (aid, "retained", (1 - rate) * v)], f"{acct} write-down")
            firm.fleet.write_off_all()
        for s in list(eco.book.held_by(aid, "equity")):
            issuer = eco.agents_by_id.get(s.issuer)
            value = s.holder_value()
            if issuer is not None and issuer.public and issuer.price > 0:
                eco.sell_shares(aid, issuer, s.shares, reason="liquidation")
            elif value > 0:
                led.receive_external(aid, LIQUIDATION_BUYER, value * p["private_stake_recovery"], "equity_stakes",
                                     "private stake sold")
                led.post([(aid, "equity_stakes", -value * (1 - p["private_stake_recovery"])),
                          (aid, "retained", value * (1 - p["private_stake_recovery"]))], "private stake write-down")
                s.shares, s.active = 0.0, False
        sold_claims = False
        for tc in list(eco.book.held_by(aid, "trade_credit")):  # receivables sold at a discount
            v = tc.amount * p["receivable_recovery"]
            led.receive_external(aid, LIQUIDATION_BUYER, v, "receivables", "receivables sold")
            led.post([(aid, "receivables", -(tc.amount - v)), (aid, "retained", tc.amount - v)], "receivables discount")
            tc.holder = LIQUIDATION_BUYER  # the debtor now owes the buyer of the claim
            sold_claims = True
        if sold_claims:
            eco.book.reindex()
        for acct, rate in (("other_assets", p["other_asset_recovery"]), ("prepaid", 0.0)):
            v = led.get(aid, acct)
            if v > 0:
                if rate > 0:
                    led.receive_external(aid, LIQUIDATION_BUYER, rate * v, acct, f"{acct} sold")
                led.post([(aid, acct, -(1 - rate) * v), (aid, "retained", (1 - rate) * v)], f"{acct} written off")
        return secured

    def _pay_creditors(self, firm, secured: float) -> None:
        """Estate cash to creditors: GPU lenders first from collateral, then all pro rata; write off the rest."""
        eco, led = self.eco, self.eco.ledger
        aid = firm.aid
        loans = eco.book.issued_by(aid, "gpu_loan")
        owed = sum(c.face for c in loans)
        pot = min(secured, led.cash(aid), owed)
        for c in loans:
            x = pot * c.face / owed if owed > 0 else 0.0
            if x > 0:
                led.transfer(aid, c.holder, x, "debt", "bonds_held", "secured recovery")
                c.face -= x
        claims = [c for c in eco.book.issued_by(aid) if c.kind in ("bond", "gpu_loan", "trade_credit")]
        total = sum(c.face if c.kind != "trade_credit" else c.amount for c in claims)
        deferred = led.get(aid, "deferred_revenue")  # customer prepayments and unused credits: claims too
        total_all = total + deferred
        cash = led.cash(aid)
        rate = min(1.0, cash / total_all) if total_all > 0 else 0.0
        for c in claims:
            face = c.face if c.kind != "trade_credit" else c.amount
            paid = face * rate
            holder_acct = "bonds_held" if c.kind != "trade_credit" else "receivables"
            debtor_acct = "debt" if c.kind != "trade_credit" else "payables"
            if paid > 0:
                if c.holder in led.index:
                    led.transfer(aid, c.holder, paid, debtor_acct, holder_acct, "recovery to creditors")
                else:
                    led.pay_external(aid, c.holder, paid, debtor_acct, "recovery to creditors")
            lost = face - paid
            if lost > 0:
                led.post([(aid, debtor_acct, lost), (aid, "retained", -lost)], "debt extinguished")
                if c.holder in led.index:
                    led.post([(c.holder, holder_acct, -lost), (c.holder, "retained", lost)], "write-off")
                    self._loss(c.holder, lost)
                    eco.record_event("write-off", c.holder, f"claim on {aid}", lost)
            if c.kind == "trade_credit":
                c.amount = 0.0
            else:
                c.face = 0.0
            c.active = False
        if deferred > 0:
            led.post([(aid, "deferred_revenue", deferred), (aid, "retained", -deferred)], "customer claims extinguished")

    def _wipe_equity(self, firm) -> None:
        """Nothing is left for shareholders: the shares are worth zero; holders mark them down."""
        eco, led = self.eco, self.eco.ledger
        left = led.cash(firm.aid)
        if left > 1e-9:  # a surplus after creditors goes to outside shareholders (and holders pro rata)
            led.pay_external(firm.aid, "other_shareholders", left, "paid_in", "liquidation surplus")
        if hasattr(firm, "price"):
            firm.price = 0.0
        for s in [s for s in eco.book.of_kind("equity") if s.issuer == firm.aid]:
            v = s.holder_value()
            s.remark(led, 0.0)
            if v > 0:
                eco.record_event("stake written off", s.holder, f"{firm.aid} shares worthless", v)
        for w in [w for w in eco.book.of_kind("warrant") if w.issuer == firm.aid]:
            w.remark(led, 0.0)
            w.active = False

    def _loss(self, agent: str, amount: float) -> None:
        self.writeoffs[agent] = self.writeoffs.get(agent, 0.0) + amount
