"""One palette for every view: a firm keeps its colour on every chart, every day, in every run.

A firm's colour is the palette entry at its place in :data:`ALL_FIRMS` (the baseline world's firms
in the model's roster order, then the ones only the history world has), never its rank by market
value, so colours do not swap as firms overtake each other, and a firm has the same colour in
both worlds. :data:`PALETTE` has 16
colours (Tableau's ten, then six chosen for the largest smallest difference to the others in
CIE L*a*b*); black, grey, red and purple stay free for totals, investors, defaults and shocks. A
roster longer than the palette reuses it from the start, and the test of this module fails first.
"""

from __future__ import annotations

from ailoop.model.roster import FIRM_IDS, HISTORY_FIRM_IDS

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


#: every firm a world can have, in the order colours are given: the baseline's, then history's own
ALL_FIRMS: tuple[str, ...] = (*FIRM_IDS, *(a for a in HISTORY_FIRM_IDS if a not in FIRM_IDS))


def firm_colours(roster: list[str]) -> dict[str, str]:
    """Firm id -> colour for the firms of ``roster``, by each firm's place in :data:`ALL_FIRMS` (a
    firm no world lists comes after them, in ``roster``'s order)."""
    place = {aid: k for k, aid in enumerate(ALL_FIRMS)}
    extra = iter(range(len(ALL_FIRMS), len(ALL_FIRMS) + len(roster)))
    return {aid: PALETTE[(place[aid] if aid in place else next(extra)) % len(PALETTE)] for aid in roster}
