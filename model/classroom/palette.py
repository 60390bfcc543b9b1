"""One palette for every view: a firm keeps its colour on every chart, every day, in every run.

A firm's colour is the palette entry at its place in the model's roster (``economy.loop_firms``:
the order of the ledger's rows, the same in every run of a model version), never its rank by
market value, so colours do not swap as firms overtake each other. :data:`PALETTE` has 16
colours (Tableau's ten, then six chosen for the largest smallest difference to the others in
CIE L*a*b*); black, grey, red and purple stay free for totals, investors, defaults and shocks. A
roster longer than the palette reuses it from the start, and the test of this module fails first.
"""

from __future__ import annotations

PALETTE: tuple[str, ...] = (
    "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7",
    "#9C755F", "#E7298A", "#6B3D9A", "#8DB600", "#FFBE7D", "#2B3D26", "#882D17", "#A1CAF1",
)
#: colours with a fixed meaning on every view
TOTAL = "#000000"
INVESTOR = "#BAB0AC"
DEFAULT = "#D62728"
SHOCK = "#7B3294"
PAID = "#1F77B4"
COMMITTED = "#FF7F0E"
SENTIMENT = "#C2185B"
GAIN = "#2CA02C"
LOSS = "#D62728"


def firm_colours(roster: list[str]) -> dict[str, str]:
    """Firm id -> colour, by the firm's place in ``roster`` (the model's order of its firms)."""
    return {aid: PALETTE[k % len(PALETTE)] for k, aid in enumerate(roster)}
