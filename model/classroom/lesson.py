"""The lesson inside the app: an Info panel, a glossary, the scenarios and shocks described, a tour.

The Info panel follows NetLogo's (what it is, how it works, how to use it, things to notice, things
to try, extending the model, references). The scenarios and the shocks are described from the
model's own presets (``model/scenarios.py``: their descriptions and the shocks' terms), with a
note on what to look for where the lesson has one, so a preset added to the model appears with
its own words. The guided tour walks the up-loop, the announcement day, "Stop the music" and who
paid, step by step; every number it quotes is read from the running economy's snapshot when the
step is shown, never typed in, and each step can do its action for the student.

The real market moves the tour sets beside the model's are sourced in ``docs/calibration.md``
(:data:`REAL_MOVES`; a test checks they match that page).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable

from ailoop.model.classroom.recipe import Recipe, trading_date
from ailoop.model.classroom.settings import EVENT_BUTTONS, STRIDES, dial_values
from ailoop.model.scenarios import SCENARIOS


@dataclass(frozen=True)
class RealMove:
    """A listed firm's move on a 2025 announcement day, as reported (``docs/calibration.md#deals``)."""

    firm: str  # the model's id of the firm
    deal: str  # the model's name of the deal (``model/deals.py``)
    company: str
    date: str  # the US trading day
    move: float  # the day's return
    value_change: float  # $B, about


REAL_MOVES = (
    RealMove("cloud", "lab-cloud contract", "Oracle", "2025-09-10", 0.36, 250.0),
    RealMove("chip_leader", "chip_leader staged investment in lab", "NVIDIA", "2025-09-22", 0.04, 170.0),
)

INFO = """
### What is it?

An agent-based model of the 2025 AI financing loop. An AI lab signed a five-year compute contract
of about $300B with a cloud provider; the cloud buys the GPUs from a chipmaker; the chipmaker said
it would invest up to $100B back into the lab, $10B for each gigawatt deployed. Every firm here is
an agent with a double-entry balance sheet, and every dollar carries the source it came from, so
the model can answer literally: **who paid for the chips?**

### How it works

One step is one trading day (21 a month) from 1 September 2025. The deals of autumn 2025 fire on
their dates and sign contracts; nothing sets a price. Institutional traders and retail ETF savers
read the news and the filings — revenue, growth, operating margin, the cost of capital, and the
backlog of promised revenue, weighted by *backlog pricing* and by the odds that each customer
pays — and trade; their orders set the prices. Once a month the real economy runs:
end users pay the labs, contracts are billed, data centres come online, debts are served, labs
raise rounds when their cash runs short, firms build or defer capacity by its expected return,
loans are tested against their covenants, bills due are cleared, a stakeholder may rescue a firm
behind on its bills, and firms that cannot pay default. A shock only changes conditions (demand, GPU
supply, credit); prices, failed rounds and defaults come out of the agents' decisions.

### How to use it

* **Step** runs one stride (a day, a week or a month); **Play** runs stride after stride at the
  chosen speed, **Pause** stops before the next trading day.
* The **event buttons** apply a shock now, between two trading days. Once one is pressed, the same
  economy without it is drawn faded beside the run (grey dashes): the counterfactual.
* **Next economy** sets the scenario, the seed and the dials; **Reset** builds it. A refused value
  blocks Reset until it is fixed.
* The page's address keeps the settings, the seed, the shocks' dates and the day reached: a reload
  or a copied link rebuilds the same run, bit for bit.
* **Downloads** give the run's tables (CSV or Parquet); each chart saves itself as a PNG (the icon
  at its top right).

### Things to notice

* On the announcement day of the $300B contract the cloud's market value jumps although nothing
  has been paid: the market prices promises.
* The orange dashes (promised, not yet paid) dwarf the blue line (cash paid) for months.
* *Value created per $ paid* (wealth amplification) can be many dollars per dollar on the way up.
* After "Stop the music" nothing falls at once. Watch the lab's **cash runway**, then the ticker:
  failed rounds, cancelled contracts, defaults — each with its cause.
* In **Who paid**, a negative bar is a gain: some classes gain on paper while others lose.

### Things to try

* Stop the music at different dates (early, late). When does the lab fail, if at all?
* Set backlog pricing to 0 (markets price cash, not promises) and compare the announcement day.
* Turn cross-holdings off: who still pays when the links between balance sheets are cut?
* Compare `market_creation` with `vendor_financing_2000` on the same seed.
* Change the seed only. Which outcomes stay, which move? (One run is an anecdote: the notebooks
  compute every claim over many seeds.)

### Extending the model

A new kind of deal is a new contract class (`model/contracts/`); a new shock a new `Shock`
(`model/shocks.py`); a new preset a line in `model/scenarios.py` — it appears in this app's
scenario list and, if it only applies a shock, as an event button. The notebooks open an agent's
decision rule and change it.

### References

Eisenberg & Noe (2001) on clearing unpaid bills; Allen & Gale (2000) and Acemoglu, Ozdaglar &
Tahbaz-Salehi (2015) on contagion in networks; Shleifer & Vishny (1992, 2011) on fire sales;
Brunnermeier & Pedersen (2009) on margin spirals; Minsky on financial fragility; Franke &
Westerhoff (2012) on the traders. Full citations: `docs/teaching.md`. The 2025 figures and their
public sources: `docs/calibration.md`.
"""

#: the words a student meets in the app, in plain language
GLOSSARY: dict[str, str] = {
    "backlog (RPO)": "revenue a firm has been promised under signed contracts and not yet earned "
                     "(remaining performance obligations). The cloud's backlog jumped by the lab's $300B contract.",
    "backlog pricing": "the share of the backlog that traders value as if it were revenue already earned. "
                       "1: markets believe every promise; 0: they price only cash revenue.",
    "committed outstanding": "everything promised between the agents under their contracts and not yet paid "
                             "(capacity contracts, leases, staged investments, backstops, undelivered chip orders). "
                             "The orange dashes; the network's title quotes the same number.",
    "cash paid": "cash that actually changed hands between the loop's firms since 1 September 2025. The blue line.",
    "wealth amplification": "the change in the loop's market value since the start per dollar of cash paid "
                            "between its firms ($ per $). Above 1: markets add more value than cash moved.",
    "market value": "a listed firm's share price times its shares; a private lab's valuation at its last round.",
    "AI sentiment": "an index from −1 (panic) to +1 (euphoria) that moves valuation multiples, venture appetite "
                    "and credit spreads; it follows returns, news and the lab's usage growth.",
    "cash runway": "how many months a firm's cash covers its net burn (costs less revenue). The lab raises a round "
                   "when it falls below its trigger.",
    "funding round": "a lab sells new shares to venture funds and its strategic partner. A down round prices "
                     "them below the last one; a failed round raises less than it needs, and one whose offers do "
                     "not fund the next months does not close at all (no money moves).",
    "capacity contract": "a take-or-pay promise to buy data-centre compute (GW) for years at a price per GW-year, "
                         "with a fee to cancel what is not yet online.",
    "staged investment": "equity a vendor promises to invest in a customer in steps, here $10B per GW deployed.",
    "warrant": "the right to buy shares at a set price (here a cent) once conditions are met; vests in tranches.",
    "tranche": "one slice of a deal, a loan or a warrant: delivered, drawn or vesting at its own date or condition.",
    "credit spread": "what a borrower pays over government bonds, per year; 100 basis points (bp) = 1%. "
                     "A rated firm pays its rating's spread, widened in a sour mood.",
    "rating": "a letter grade (AAA … D) for a borrower's credit, from its leverage and how well its earnings "
              "cover its interest. Below BBB− a bond is 'junk': lenders who may hold only investment grade sell it.",
    "letter of intent": "a deal announced but not yet binding. chip_leader's $100B for the lab starts as one: "
                        "chip_leader signs the definitive investment if it believes the lab will pay, or lets it lapse.",
    "rescue": "a stakeholder (shareholder, creditor, supplier) buys new shares of a firm behind on its bills so it "
              "can pay them, when what it would lose in the failure is larger than the cost.",
    "LTV (loan-to-value)": "a loan over the value of its collateral (here GPUs at the used-GPU price). Above the "
                           "limit the borrower must pay down the loan or sell collateral: a margin call.",
    "covenant": "a promise in a loan tested every month (here: the loan against its GPUs, and the contract's "
                "cash over the loan's payments, the debt-service coverage). A breach must be cured, or the loan "
                "is in default.",
    "margin call": "the lender asks for cash because the collateral's value fell; paid by selling assets if "
                   "there is no cash.",
    "fire sale": "assets sold in a hurry into a thin market; the price falls for every other holder too.",
    "clearing": "when firms owe each other and some cannot pay in full, how much each actually pays: the "
                "Eisenberg–Noe clearing vector (creditors share pro rata).",
    "default": "a firm leaves bills unpaid past the grace period (illiquid) or owes more than it owns "
               "(insolvent). Its contracts unwind; its creditors are paid by rank and write off the rest.",
    "write-off": "a creditor's loss when a claim will not be paid; a stake written off is worth nothing.",
    "who paid (signs)": "each holder class's cumulative loss since 1 September 2025: + a loss, − a gain. "
                        "Marks on stakes and warrants count: a gain is on paper until sold.",
    "provenance": "every dollar carries its original source (end users, venture LPs, borrowing, households, the "
                  "chipmaker's own investment, …), mixed pro rata when paid on.",
    "counterfactual": "the same economy, same seed, without the buttons' shocks, run alongside: the faded lines.",
    "seed": "the number that fixes the random draws; the same seed and settings give the same run.",
}


def scenario_notes() -> dict[str, str]:
    """What to look for in each preset the lesson knows (the model's description comes first)."""
    return {
        "baseline": "No shock is scheduled: apply one with the event buttons, at the date you choose.",
        "music_stops": "The demand shock is scheduled by the scenario: watch the lab's runway after June 2026.",
        "lab_disappoints": "The narrow shock: does the lab's failure reach the rest of the loop?",
        "market_creation": "Strong real demand: do the promises turn into cash?",
        "vendor_financing_2000": "The Lucent pattern: vendor money without end users.",
    }


def scenario_text(name: str) -> str:
    """A preset in words: the model's description, the parameters it changes, what to look for."""
    s = SCENARIOS[name]
    changes = ", ".join(f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}" for k, v in s.params.items())
    shocks = "; ".join(f"from {sh.date.isoformat() if sh.date else 'the start'}: {describe_shock(sh)}" for sh in s.shocks)
    parts = [s.description[:1].upper() + s.description[1:]]
    if changes:
        parts.append(f"Changes: {changes}.")
    if shocks:
        parts.append(f"Shock {shocks}.")
    note = scenario_notes().get(name)
    if note:
        parts.append(note)
    return " ".join(parts)


def shock_terms(shock) -> str:
    """A shock's name, date and terms, read from its fields (e.g. ``AI demand disappoints from
    2026-06-01: growth -0.1, level 0.75, streams all``)."""
    fields = [f for f in dataclasses.fields(shock) if f.name not in ("date", "name")]
    terms = ", ".join(f"{f.name} {'all' if getattr(shock, f.name) is None else getattr(shock, f.name)}" for f in fields)
    when = f" from {shock.date.isoformat()}" if shock.date else ""
    return f"{shock.name}{when}: {terms}"


def describe_shock(shock) -> str:
    """What a shock does from the moment it is applied, in words, its numbers read from its terms
    (the three kinds the model has; any other kind by its terms)."""
    from ailoop.model.shocks import CreditCrunch, DemandShock, GpuGlut

    if isinstance(shock, DemandShock):
        who = ("all end-user AI demand (the labs', and the hyperscalers' own AI services and the other GPU buyers' "
               "by their exposure to the AI trend)" if shock.streams is None else f"the end-user demand of {', '.join(shock.streams)}")
        then = (f"shrinks {-100 * shock.growth:.0f}% a year" if shock.growth < 0 else f"grows {100 * shock.growth:.0f}% a year")
        return (f"{who[:1].upper() + who[1:]} falls {100 * (1 - shock.level):.0f}% below its trend at once, then "
                f"{then}; the contracts signed stand")
    if isinstance(shock, GpuGlut):
        return (f"Outside GPU capacity worth {100 * shock.supply_share:.0f}% of the capacity built so far enters the "
                f"rental market and the other buyers' spot demand falls to {100 * shock.demand_factor:.0f}% of its "
                "level: rents and used-GPU prices fall as the market clears at a lower utilisation")
    if isinstance(shock, CreditCrunch):
        return (f"Credit spreads rise by {1e4 * shock.spread_add:,.0f} bp and lenders accept "
                f"{100 * shock.leverage_factor:.0f}% of the leverage they accepted before")
    return shock_terms(shock)


def shock_texts() -> dict[str, str]:
    """Each event button in words: what it does from the day it is pressed."""
    return {b.key: describe_shock(b.preset) for b in EVENT_BUTTONS}


# ------------------------------------------------------------------------------------ the tour
@dataclass(frozen=True)
class Action:
    """What "Do it for me" does: reset to a recipe, play at a stride until a condition holds,
    press an event button, or open a view."""

    kind: str  # "reset", "play", "press", "view"
    recipe: Recipe | None = None
    stride: str = "month"
    until: Callable | None = None  # snapshot -> bool, for "play"
    to_day: int | None = None  # for "play": stop exactly on this trading day
    key: str = ""  # event button, for "press"
    view: str = ""  # view name, for "view"
    label: str = "Do it for me"


@dataclass(frozen=True)
class TourStep:
    title: str
    text: Callable  # snapshot -> Markdown, its numbers read from the snapshot
    action: Action | None = None
    view: str = ""  # the view the step is about (opened with the step)


def _deal_step(snap, deal: str) -> int | None:
    for ev in snap.events:
        if ev["event"] == "deal announced" and ev["cause"] == deal:
            return ev["step"]
    return None


def _move(snap, firm: str, deal: str) -> dict | None:
    for row in snap.announcements:
        if row["firm"] == firm and row["deal"] == deal:
            return row
    return None


def _money(x: float) -> str:
    return f"${x / 1000:,.2f}T" if abs(x) >= 1000 else f"${x:,.0f}B"


def _monitor(snap, key: str):
    return next((m for m in snap.monitors if m.key == key), None)


def _start(snap) -> str:
    return (f"The economy opens on **1 September 2025** with balance sheets sized from the firms' filings. "
            f"Look at the network: each circle is a firm, its area its market value; the grey boxes are investors. "
            f"Today {_money(_monitor_value(snap, 'committed_outstanding'))} is promised between the agents and not yet "
            f"paid (the monitors above the views), and nothing has been paid between the firms yet."
            if snap.steps == 0 else
            f"This economy is on **{snap.date}**. Press *Do it for me* to start afresh: baseline, seed "
            f"{snap.recipe.seed}, 1 September 2025.")


def _monitor_value(snap, key: str) -> float:
    m = _monitor(snap, key)
    return m.value if m is not None and m.value is not None else 0.0


def _announcement(snap) -> str:
    real = REAL_MOVES[0]
    row = _move(snap, real.firm, real.deal)
    if row is None:
        return ("The lab–cloud contract of about $300B is announced on 10 September 2025 (the model's trading day "
                "dated 11 September: its calendar spreads 21 trading days evenly over the month). Press *Do it for "
                "me* to play day by day until it is signed, then look at the cloud's circle and the orange dashes.")
    return (f"**{row['date']}**: the contract is signed. In this run the cloud's market value moved "
            f"**{100 * row['firm_return']:+.0f}%** ({_money(row['firm_mcap_change'])}) on the day, while the firms had "
            f"paid each other {_money(row['cash_paid_so_far'])} in all and nothing under the contract. On the real day, "
            f"{real.date}, {real.company} rose **{100 * real.move:+.0f}%** (about {_money(real.value_change)}; "
            f"docs/calibration.md). The model was never fitted to this day: it is an out-of-sample check, and its "
            f"size varies from seed to seed. Why does a promise move a price? Traders count a share of the backlog "
            f"(*backlog pricing*: {snap.recipe.dials.get('backlog_pricing', 0):g} here) as if it were revenue.")


def _up_loop(snap) -> str:
    c, p = _monitor_value(snap, "committed_outstanding"), _monitor_value(snap, "cash_paid_cumulative")
    a = _monitor_value(snap, "wealth_amplification")
    ratio = f"{c / p:,.1f} $ promised for every $ paid" if p > 0 else "nothing paid yet"
    return (f"Play a month at a time to {trading_date(MUSIC_DAY):%d %B %Y}. Now, on {snap.date}: **{_money(c)}** promised and not "
            f"yet paid against **{_money(p)}** paid between the firms ({ratio}); the loop's market value has "
            f"changed by **{a:,.1f} $ per $ paid** (wealth amplification). Open *Promised vs paid*: the orange "
            f"dashes are promises, the blue line cash.")


def _music(snap) -> str:
    when = snap.shocks.get("music")
    if when:
        runway = _monitor(snap, "runway.lab")
        return (f"The music stopped on **{when}**: {shock_texts()['music'][:1].lower() + shock_texts()['music'][1:]}. "
                f"So nothing falls at once. From then on the grey dashes show the same economy without the shock — "
                f"the counterfactual. Watch the lab's cash runway (now: {runway.text if runway else 'n/a'}) and the "
                f"ticker as you play on.")
    why = snap.refused.get("music")
    return ("Press **Stop the music** (or *Do it for me*). " + (f"Here it cannot be pressed: {why}." if why else
            "It applies the `music_stops` preset's demand shock today."))


def _down_loop(snap) -> str:
    kinds = [ev for ev in snap.events if ev["event"] in ("failed round", "contract cancelled", "default")]
    counts = {k: sum(ev["event"] == k for ev in kinds) for k in ("failed round", "contract cancelled", "default")}
    dead = [ev["agent"] for ev in snap.events if ev["event"] == "default"]
    return (f"Play on and read the ticker (newest first). So far, on {snap.date}: {counts['failed round']} failed "
            f"round(s), {counts['contract cancelled']} contract(s) cancelled, {counts['default']} default(s)"
            + (f" ({', '.join(dead)})" if dead else "") +
            ". A lab whose round falls short cancels compute not yet online; its providers cancel chip orders; "
            "loans against the lab's contracts breach their covenants; unpaid bills are cleared and, after the "
            "grace months, the lab defaults — unless a stakeholder finds a rescue worth its cost (the ticker says who "
            "declined and why). *Do it for me* plays until the lab defaults or the run ends.")


def _who_paid(snap) -> str:
    from ailoop.model.classroom.charts import CLASS_LABELS

    losses = sorted(snap.losses.items(), key=lambda kv: -kv[1])
    worst = ", ".join(f"{CLASS_LABELS.get(k, k)} {_money(v)}" for k, v in losses[:2] if v > 0) or "nobody yet"
    gains = ", ".join(f"{CLASS_LABELS.get(k, k)} {_money(-v)}" for k, v in losses if v < 0) or "nobody"
    return (f"Open **Who paid**. On {snap.date} the largest losses: {worst}. Gains (negative bars): {gains}. "
            f"A gain is a mark on paper: shares or claims worth more than on 1 September 2025. With the counterfactual "
            f"on, the grey bars show the same classes without the shocks: the difference is what the shocks cost "
            f"each of them. On the right: where {snap.chipmaker}'s cash came from, source by source.")


def _your_turn(snap) -> str:
    return ("Reset with other settings and play again: stop the music earlier or later, set backlog pricing to 0, "
            "cut the cross-holdings, or try another seed. The Info tab lists more things to try. The page's address "
            "now holds this run: copy it to share it.")


#: the trading day the tour stops the music on: nine months in, before the scenarios' June 2026
MUSIC_DAY = 9 * STRIDES["month"]


def tour() -> tuple[TourStep, ...]:
    """The guided tour, in order."""
    base = Recipe("baseline", 1, dial_values("baseline"))
    deal = "lab-cloud contract"
    return (
        TourStep("1. The loop on 1 September 2025", _start, Action("reset", recipe=base, label="Start afresh: baseline, seed 1"),
                 view="network"),
        TourStep("2. The announcement day", _announcement,
                 Action("play", stride="day", until=lambda s: _deal_step(s, deal) is not None or s.finished,
                        label="Play day by day until the contract is signed"), view="market-value"),
        TourStep("3. The up-loop", _up_loop,
                 Action("play", stride="month", to_day=MUSIC_DAY, label=f"Play to {trading_date(MUSIC_DAY):%d %B %Y}"),
                 view="promises"),
        TourStep("4. Stop the music", _music, Action("press", key="music", label="Press Stop the music"),
                 view="market-value"),
        TourStep("5. The down-loop", _down_loop,
                 Action("play", stride="month", until=lambda s: any(e["event"] == "default" and e["agent"] == "lab"
                                                                    for e in s.events) or s.finished,
                        label="Play until the lab defaults"), view="network"),
        TourStep("6. Who paid", _who_paid, Action("view", view="who-paid", label="Open Who paid"), view="who-paid"),
        TourStep("7. Your turn", _your_turn),
    )
