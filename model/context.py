"""The narrow interface agents and contracts act through: what they may see of the economy and ask of it.

Agents and contracts never hold the economy. They receive a :class:`Context` — this explicit,
small interface of the model core — and call only what it declares: the ledger and the contract
registry (model core), the parameter table's values, the clock, the event log, the agents by id,
the prices and conditions a firm can read (GPU and capacity prices, the spot rent, the mood, the
demand indices), and the few services a decision may ask for (borrowing, share dealings,
contract signing and cancelling, a funding round, selling GPUs into the used market). The
economy supplies the implementation (:class:`ailoop.model.economy_context.EconomyContext`),
which forwards each call to the service that owns it; a hand-built test economy may supply
another. ``tests/test_layout.py`` checks at run time that agents and contracts reach the economy
through nothing else.

Money in $B, GPUs in millions, prices in $ thousand per GPU, rent in $ per GPU-hour, time in months.
"""

from __future__ import annotations

import datetime as dt


class Context:
    """The interface: every member an agent or a contract may use. Subclasses implement it."""

    #: the ledger (balance sheets, cash provenance) and the contract registry
    ledger = None
    book = None
    #: the parameter table's values, checked once (name -> value)
    params: dict = {}
    #: ids of the chipmakers (vendors whose chips are ordered under contracts)
    chipmaker_ids: frozenset = frozenset()

    # ------------------------------------------------------------------ clock and log
    @property
    def month(self) -> int:
        """Model month (0 = September 2025)."""
        raise NotImplementedError

    @property
    def date(self) -> dt.date:
        """Calendar date of the current step."""
        raise NotImplementedError

    def record_event(self, event: str, agent: str, cause: str, size: float = 0.0) -> None:
        """Log an event of today (``size`` in $B unless the event says otherwise)."""
        raise NotImplementedError

    def changed(self) -> None:
        """Contracts or capacity changed outside the month's phases (caches keyed on the state refresh)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ agents
    def agent(self, aid: str):
        """The agent with id ``aid`` (KeyError if none)."""
        raise NotImplementedError

    def agent_or_none(self, aid: str):
        """The agent with id ``aid``, or None for a party outside the model (e.g. ``intel``)."""
        raise NotImplementedError

    def venture_funds(self) -> list:
        """The venture funds that have not defaulted, in roster order."""
        raise NotImplementedError

    @property
    def n_venture_funds(self) -> int:
        """How many venture funds the economy has (LP commitments are shared among them)."""
        raise NotImplementedError

    @property
    def n_bond_buyers(self) -> int:
        """How many bond buyers the economy has (credit inflows are shared among them)."""
        raise NotImplementedError

    def providers(self) -> list:
        """The cloud providers (cloud, neocloud) that have not defaulted, in roster order."""
        raise NotImplementedError

    # ------------------------------------------------------------------ what a firm can read
    @property
    def sentiment(self) -> float:
        """The AI-sentiment index today."""
        raise NotImplementedError

    def demand_index(self, stream: str) -> float:
        """End-user demand of ``stream`` relative to its opening level."""
        raise NotImplementedError

    @property
    def rent(self) -> float:
        """Spot rent, $ per GPU-hour."""
        raise NotImplementedError

    def rent_per_gw_month(self) -> float:
        """Spot rent, $B per GW-month."""
        raise NotImplementedError

    def capex_per_gw(self) -> float:
        """All-in $B per GW of new capacity at today's GPU price."""
        raise NotImplementedError

    def capacity_price(self, term_months: int, provider=None) -> float:
        """$B per GW-year ``provider`` asks for new capacity over ``term_months``."""
        raise NotImplementedError

    def custom_silicon_price(self) -> float:
        """$ thousand per in-house accelerator."""
        raise NotImplementedError

    def used_price_at(self, age_months: float) -> float:
        """$ thousand per used GPU of ``age_months``."""
        raise NotImplementedError

    # ------------------------------------------------------------------ credit
    def issue_debt(self, issuer, amount: float, months: int, collateral_units: float = 0.0) -> float:
        """Sell ``amount`` $B of debt maturing in ``months`` (GPU-secured if ``collateral_units``
        million GPUs secure it); returns the $B raised."""
        raise NotImplementedError

    def draw_line(self, issuer, amount: float) -> float:
        """Draw up to ``amount`` $B on ``issuer``'s committed lines; returns $B drawn."""
        raise NotImplementedError

    def redeem(self, issuer, amount: float) -> float:
        """Repay up to ``amount`` $B of ``issuer``'s redeemable debt early; returns $B repaid."""
        raise NotImplementedError

    def debt_due(self, aid: str, months: int) -> float:
        """Principal and interest ``aid`` owes over the next ``months`` months, $B."""
        raise NotImplementedError

    def credit_spread(self, aid: str, sentiment: float | None = None) -> float:
        """The spread the credit market asks of ``aid`` on new debt now, per year (``sentiment``
        overrides today's mood)."""
        raise NotImplementedError

    def contract_spread(self, customer: str, sentiment: float | None = None) -> float:
        """Spread of a loan against a contract with ``customer``, per year."""
        raise NotImplementedError

    def facility(self, borrower: str, backing) -> list:
        """The lender shares of ``borrower``'s facility against contract ``backing``."""
        raise NotImplementedError

    def open_facility(self, borrower, backing, limit: float) -> list:
        """Syndicate a facility of ``limit`` $B against ``backing``; returns its lender shares."""
        raise NotImplementedError

    def draw_facility(self, loans: list, amount: float, units: float) -> float:
        """Draw up to ``amount`` $B on a facility against ``units`` million GPUs; returns $B drawn."""
        raise NotImplementedError

    # ------------------------------------------------------------------ shares and contracts
    def invest_equity(self, investor: str, issuer: str, amount: float, price: float, retag: str | None = None,
                      ref=None) -> None:
        """``investor`` buys ``amount`` $B of newly issued ``issuer`` shares at ``price``."""
        raise NotImplementedError

    def add_shares(self, holder: str, issuer, shares: float, price: float, new_issue: bool = True) -> None:
        """Register ``shares`` of ``issuer`` with ``holder`` (the asset booked by the caller)."""
        raise NotImplementedError

    def sell_shares(self, holder: str, issuer, shares: float, reason: str = "sale") -> float:
        """``holder`` sells ``shares`` of listed ``issuer`` to outside holders; returns $B raised."""
        raise NotImplementedError

    def outside_shares(self, firm) -> float:
        """Billions of ``firm``'s shares held outside the model."""
        raise NotImplementedError

    def buy_back(self, firm, dollars: float, days: int) -> None:
        """``firm`` buys back ``dollars`` $B of its shares from the outside float over ``days``
        trading days: each day's part is bought at the day's pre-trade price and retired at once."""
        raise NotImplementedError

    def order_flow(self, aid: str, dollars: float, days: int = 1) -> None:
        """$B of net buying (< 0: selling) of ``aid``'s shares reaching the market over ``days``."""
        raise NotImplementedError

    def issue_equity(self, firm, amount: float, how: str) -> float:
        """``firm`` raises ``amount`` $B from the equity desk's finite pool of outside buyers:
        ``how`` is ``"atm"`` (an at-the-market programme), ``"block"`` (a marketed offering),
        ``"rescue"`` (a distressed placement) or ``"mandatory"`` (mandatory convertible preferred);
        new shares are sold at a discount that grows with the volume (``model/equity_desk.py``).
        Returns the $B raised (less than asked when the pool is short)."""
        raise NotImplementedError

    def equity_capacity(self, firm, how: str) -> float:
        """The most ``firm`` could raise from the equity desk this month selling ``how``, $B."""
        raise NotImplementedError

    def issue_convertible(self, issuer, amount: float, months: int) -> float:
        """Sell ``amount`` $B of convertible notes maturing in ``months`` to the bond buyers who bid
        at ``issuer``'s spread (coupon lowered by the conversion option's value); returns $B raised."""
        raise NotImplementedError

    def sign_capacity_contract(self, buyer: str, provider: str, **terms):
        """``buyer`` contracts capacity from ``provider`` (terms as ``Transactions.sign_capacity_contract``)."""
        raise NotImplementedError

    def cancel_capacity_contract(self, c, reason: str, fee_claim: float = 0.0, in_default: bool = False) -> None:
        """End a capacity contract; the buyer owes ``fee_claim`` $B."""
        raise NotImplementedError

    def cancel_chip_order(self, order, reason: str) -> None:
        """Cancel the undelivered part of a chip order; the vendor keeps the prepayment."""
        raise NotImplementedError

    # ------------------------------------------------------------------ funding rounds
    def raise_round(self, lab, size: float, minimum: float = 0.0) -> float:
        """Run a funding round of ``size`` $B for ``lab``; returns $B raised."""
        raise NotImplementedError

    def equity_value(self, firm) -> float:
        """$ per share a buyer of new shares of ``firm`` would pay now: a listed firm's price, a
        lab's round price, another private firm's mark."""
        raise NotImplementedError

    def buy_new_shares(self, investor: str, firm, amount: float) -> float:
        """``investor`` buys ``amount`` $B of new shares of ``firm`` outside the market (a rescue) at
        :meth:`equity_value` (for a lab, a priced round: the new mark of its stakes); returns the
        $ per share paid (0: nothing bought)."""
        raise NotImplementedError

    def round_appetite(self, lab) -> float:
        """Multiplier on venture offers to ``lab`` now."""
        raise NotImplementedError

    def round_price(self, lab) -> float:
        """$ per share of a new round of ``lab`` now."""
        raise NotImplementedError

    # ------------------------------------------------------------------ distress
    def sell_gpus(self, owner, units: float, why: str = "") -> float:
        """Sell ``units`` million of ``owner``'s GPUs into the used market; returns $B raised."""
        raise NotImplementedError

    def payment_odds(self, aid: str) -> float:
        """The market's odds that ``aid`` pays what it has promised (a lab: its funding in sight; a
        rated firm: its spread's; others 1; 0 once defaulted), in [0, 1]."""
        raise NotImplementedError

    def rating(self, aid: str) -> int | None:
        """``aid``'s credit rating now, a notch (1 = AAA … 10 = BBB- … 21 = C), or None if unrated."""
        raise NotImplementedError

    def cost_of_capital(self, firm) -> float:
        """``firm``'s cost of capital, per year: the risk-free rate plus the equity premium on its
        equity and its credit spread on its debt, weighted at market values."""
        raise NotImplementedError

    def trailing(self, aid: str, line: str, months: int = 12) -> float:
        """Firm ``aid``'s ``line`` of its income statement (``revenue``, ``ebitda``, ``ebit``,
        ``interest``, ``earnings``) over its last ``months`` months, $B a year (``model/fundamentals.py``)."""
        raise NotImplementedError

    def distressed_firms(self) -> list:
        """The firms (labs, providers, chipmakers, hyperscalers, vehicles) that have not defaulted and
        are behind on their bills (overdue beyond ``default_arrears_tolerance``), in roster order."""
        raise NotImplementedError

    def distressed_sale(self, value: float, discount: float) -> float:
        """Assets worth ``value`` $B at their marks are sold to the finite pool of distressed buyers:
        the share of the mark they fetch (``1 - discount`` less the volume's own discount)."""
        raise NotImplementedError

    def overdue(self, aid: str) -> float:
        """$B of bills ``aid`` has not paid when due (arrears; bills still within their terms are not)."""
        raise NotImplementedError

    def record_loss(self, agent: str, amount: float) -> None:
        """``agent`` lost ``amount`` $B on a claim written off or lapsed."""
        raise NotImplementedError


#: the members of the interface (what ``tests/test_layout.py`` allows agents and contracts to use)
MEMBERS: frozenset[str] = frozenset(n for n in vars(Context) if not n.startswith("_"))
