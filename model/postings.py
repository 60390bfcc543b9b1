"""The chart of transaction types: which balance-sheet accounts each kind of posting may touch.

Every posting to the ledger names its transaction type in its memo (the text before any
" (" — "compute bill (arrears)" is a compute bill owed rather than paid). This table is the
auditor's rule book, written independently of the code that posts: the books check verifies every
journal line against it, so a posting to the wrong account (revenue booked as paid-in capital, a
mark booked as profit) is caught even when each agent's books still balance.
"""

from __future__ import annotations

_SETTLED = ("cash", "receivables", "payables")  # paid in cash or owed as arrears
PNL = (*_SETTLED, "retained")  # revenue and expenses
CAPITAL = ("cash", "paid_in")  # money from or to the owners
DEBT = ("cash", "debt", "bonds_held", *_SETTLED[1:])
MARKS = ("equity_stakes", "warrants", "bond_valuation", "revaluation")
LIQUIDATION = ("cash", "gpus", "dc_plant", "construction", "other_assets", "prepaid", "equity_stakes", "receivables",
               "warrants", "retained")

#: transaction type -> accounts its lines may touch
RULES: dict[str, tuple[str, ...]] = {
    # opening balance sheets: any position against paid-in capital
    "opening balance": ("cash", "receivables", "prepaid", "gpus", "dc_plant", "construction", "equity_stakes",
                        "warrants", "bonds_held", "other_assets", "payables", "deferred_revenue", "debt", "paid_in"),
    "opening cloud credits": ("prepaid", "deferred_revenue", "paid_in"),
    # revenue and costs
    **{k: PNL for k in ("compute bill", "GPU lease", "capacity backstop", "lease rejection damages", "spot rental",
                        "revenue share",
                        "end-user revenue", "own AI services", "non-AI revenue", "non-AI business",
                        "non-AI operating cash flow", "GPU sales to other buyers", "cost of goods", "interest",
                        "cancellation fee", "lab operating costs", "chipmaker operating costs", "capacity operations",
                        "non-AI business costs", "dividend", "margin interest")},
    # capital
    **{k: CAPITAL for k in ("share issue", "share buyback", "LP capital call", "credit fund inflow", "ETF contributions",
                            "ETF redemptions", "ETF distribution", "liquidation surplus")},
    "liquidating distribution": ("cash", "paid_in", "equity_stakes"),
    "shares for cloud credits": ("prepaid", "paid_in"),
    "cloud credits for shares": ("equity_stakes", "deferred_revenue"),
    # equity stakes
    "equity investment": ("cash", "equity_stakes", "paid_in"),
    "warrant strike": ("cash", "equity_stakes", "paid_in"),
    "warrants exercised": ("warrants", "equity_stakes"),
    **{k: ("cash", "equity_stakes") for k in ("shares bought", "shares sold", "Intel stake", "market trades")},
    # marks
    **{k: MARKS for k in ("mark stake", "mark listed stakes", "mark warrant", "mark bonds")},
    # debt
    **{k: DEBT for k in ("debt issue", "principal", "early redemption", "margin call paydown", "margin loan paydown",
                         "repay from collateral sale", "secured recovery", "recovery to creditors", "covenant cure",
                         "cash sweep")},
    **{k: ("cash", "debt") for k in ("broker margin loan", "repay broker margin loan")},
    # capacity and chips
    "data-centre construction": ("cash", "construction"),
    "shell complete": ("construction", "dc_plant"),
    "GPU purchase": ("cash", "gpus", "retained", *_SETTLED[1:]),
    "custom silicon": ("cash", "gpus", *_SETTLED[1:]),
    "chip prepayment": ("cash", "prepaid", "deferred_revenue"),
    "prepaid chips delivered": ("gpus", "prepaid"),
    "chip revenue from prepayment": ("deferred_revenue", "retained"),
    "depreciation": ("gpus", "dc_plant", "retained"),
    "GPUs repossessed": ("gpus", "retained"),
    "abandoned construction written off": ("construction", "retained"),
    **{k: ("prepaid", "deferred_revenue", "retained") for k in ("prepayment forfeited", "prepayment kept",
                                                                 "use cloud credits", "credits recognised",
                                                                 "credits lapse")},
    # arrears and clearing
    **{k: ("cash", *_SETTLED[1:]) for k in ("pay arrears", "clearing of arrears")},
    # default and liquidation
    "debt extinguished": ("debt", "payables", "retained"),
    "write-off": ("bonds_held", "receivables", "retained"),
    "customer claims extinguished": ("deferred_revenue", "retained"),
    **{k: LIQUIDATION for k in ("GPU fire sale", "loss on GPU fire sale", "GPU remainder written off", "asset sold",
                                "asset written down", "private stake sold", "private stake write-down",
                                "receivables sold", "receivables discount", "warrants sold")},
}

TYPES: tuple[str, ...] = tuple(RULES)


def transaction_type(memo: str) -> str:
    """The transaction type a memo names: the text before any " (" detail."""
    return memo.split(" (", 1)[0]
