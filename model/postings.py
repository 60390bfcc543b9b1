"""The chart of transaction types: which balance-sheet accounts each kind of posting may touch.

Every posting to the ledger names its transaction type in its memo (the text before any
" (" — "compute bill (arrears)" is a compute bill owed rather than paid). The chart is the
auditor's rule book, written independently of the code that posts: the books check verifies every
journal line against it, so a posting to the wrong account (revenue booked as paid-in capital, a
mark booked as profit) is caught even when each agent's books still balance.

The chart is the union of two parts: the agents' and services' own transaction types, listed
here (:data:`BASE`), and the types each contract class posts under its rules, declared next to its
code (``Contract.postings``) and added here when the class is defined (:func:`declare`). A type
declared twice must name the same accounts.
"""

from __future__ import annotations

_SETTLED = ("cash", "receivables", "payables")  # paid in cash or owed as arrears
PNL = (*_SETTLED, "retained")  # revenue and expenses
CAPITAL = ("cash", "paid_in")  # money from or to the owners
DEBT = ("cash", "debt", "bonds_held", *_SETTLED[1:])
MARKS = ("equity_stakes", "warrants", "bond_valuation", "revaluation")
PREPAID = ("prepaid", "deferred_revenue", "retained")
LIQUIDATION = ("cash", "gpus", "dc_plant", "construction", "other_assets", "prepaid", "equity_stakes", "receivables",
               "warrants", "retained")

#: the agents' and services' own transaction types -> accounts their lines may touch
BASE: dict[str, tuple[str, ...]] = {
    # opening balance sheets: any position against paid-in capital
    "opening balance": ("cash", "receivables", "prepaid", "gpus", "dc_plant", "construction", "equity_stakes",
                        "warrants", "bonds_held", "other_assets", "payables", "deferred_revenue", "debt", "paid_in"),
    # revenue and costs
    **{k: PNL for k in ("spot rental", "revenue share", "end-user revenue", "own AI services", "non-AI revenue",
                        "non-AI business", "non-AI operating cash flow", "cost of goods", "lab operating costs",
                        "chipmaker operating costs", "capacity operations", "non-AI business costs", "dividend")},
    # capital
    **{k: CAPITAL for k in ("share issue", "share buyback", "LP capital call", "credit fund inflow", "ETF contributions",
                            "ETF redemptions", "ETF distribution", "liquidation surplus",
                            "insurer capital")},
    # capacity
    "data-centre construction": ("cash", "construction"),
    "shell complete": ("construction", "dc_plant"),
    "custom silicon": ("cash", "gpus", *_SETTLED[1:]),
    "depreciation": ("gpus", "dc_plant", "retained"),
    "abandoned construction written off": ("construction", "retained"),
    # default and liquidation: claims of every kind
    "recovery to creditors": DEBT,
    "debt extinguished": ("debt", "payables", "retained"),
    "write-off": ("bonds_held", "receivables", "retained"),
    "customer claims extinguished": ("deferred_revenue", "retained"),
    **{k: LIQUIDATION for k in ("GPU fire sale", "loss on GPU fire sale", "GPU remainder written off", "asset sold",
                                "asset written down")},
}

#: transaction type -> accounts its lines may touch (BASE and every contract class's declarations)
RULES: dict[str, tuple[str, ...]] = dict(BASE)
#: transaction type -> who declared it (``"chart"`` for BASE, else the contract class)
DECLARED_BY: dict[str, str] = {k: "chart" for k in BASE}


def declare(owner: str, types: dict[str, tuple[str, ...]]) -> None:
    """Add the transaction types ``owner`` (a contract class) posts to the chart. A type already in
    the chart must name the same accounts (ValueError, one line, otherwise)."""
    for name, accounts in types.items():
        accounts = tuple(accounts)
        if name in RULES and RULES[name] != accounts:
            raise ValueError(f"{owner}: transaction type {name!r} is declared by {DECLARED_BY[name]} with accounts "
                             f"{', '.join(RULES[name])}; {owner} may not redeclare it with {', '.join(accounts)}")
        RULES.setdefault(name, accounts)
        DECLARED_BY.setdefault(name, owner)


def transaction_type(memo: str) -> str:
    """The transaction type a memo names: the text before any " (" detail."""
    return memo.split(" (", 1)[0]
