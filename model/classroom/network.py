"""The loop as a network: firms sized by market value, contracts as edges, promises against cash.

:func:`network_state` reads the economy into plain data: one node per firm of the loop (plus the
GPU SPV and two investor groups, the venture funds and the bond buyers), and one edge per pair of
nodes with a contract between them or cash paid between them, carrying

* ``committed`` — $B promised under the pair's active contracts and not yet paid
  (:meth:`Contract.commitment`: capacity contracts, leases, staged investments, backstops,
  undelivered chip orders);
* ``paid`` — $B of cash actually paid between the two, both ways, since September 2025
  (:meth:`Ledger.paid_between`);
* ``cancelled`` — $B of backlog lost on the pair's contracts cancelled so far (from the event log).

:func:`network_option` turns it into an ECharts graph on fixed positions (the lab-cloud-chip_leader
triangle in the middle): cash paid solid blue, commitments dashed orange, cancelled contracts dotted
red, firms as circles whose area grows with their market value, defaulted firms a red cross.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field


#: node id -> (label, x, y); the lab-cloud-chip_leader triangle in the middle
LAYOUT: dict[str, tuple[str, float, float]] = {
    "lab": ("lab", -1.0, 0.0),
    "cloud": ("cloud", 0.0, 1.05),
    "chip_leader": ("chip_leader", 1.0, 0.0),
    "neocloud": ("neocloud", 0.0, -0.45),
    "chip_challenger": ("chip_challenger", 1.15, 1.0),
    "hyper_1": ("hyper_1", -1.25, 1.05),
    "hyper_2": ("hyper_2", 2.05, 0.65),
    "hyper_3": ("hyper_3", 2.05, -0.1),
    "hyper_4": ("hyper_4", 1.2, -0.95),
    "lab_spv": ("lab_spv", -1.75, -0.85),
    "spv": ("GPU SPV", -0.6, -1.15),
    "venture": ("venture funds", -2.15, 0.25),
    "bond_buyers": ("bond buyers", 0.45, -1.55),
}
INVESTORS = {"venture": ("vc_levered", "vc_1", "vc_2"), "bond_buyers": ("bond_buyers",)}
#: market value drawn at the largest node size, $B (nodes grow past it only in a bubble)
SIZE_REF = 5000.0
CANCEL_EVENTS = ("contract cancelled", "chip order cancelled")
#: links smaller than this share of the largest are left out of the picture (coupons, small stakes)
SHOW_SHARE = 0.01


@dataclass
class Node:
    id: str
    label: str
    investor: bool
    market_value: float = 0.0  # $B (0 for the investor groups)
    default_date: str | None = None


@dataclass
class Edge:
    a: str
    b: str
    committed: float = 0.0  # $B promised, not yet paid
    paid: float = 0.0  # $B cash paid both ways so far
    cancelled: float = 0.0  # $B of backlog lost on cancelled contracts
    n_cancelled: int = 0  # contracts cancelled
    kinds: set[str] = field(default_factory=set)


@dataclass
class NetworkState:
    date: str
    nodes: dict[str, Node]
    edges: dict[tuple[str, str], Edge]

    def edge(self, a: str, b: str) -> Edge | None:
        return self.edges.get(tuple(sorted((a, b))))

    @property
    def defaulted(self) -> list[str]:
        return [n.id for n in self.nodes.values() if n.default_date]

    def caption(self) -> str:
        """One line for the page: who is in default and which links lost contracts."""
        dead = ", ".join(f"{n.label} ({n.default_date})" for n in self.nodes.values() if n.default_date)
        cut = ", ".join(f"{e.a}–{e.b} ({e.n_cancelled}, {money(e.cancelled)})"
                        for e in self.edges.values() if e.n_cancelled)
        return f"In default: {dead or 'none'}. Contracts cancelled: {cut or 'none'}."


def node_of(agent: str) -> str | None:
    """The node an agent id belongs to (bond buyers and venture funds grouped), or None."""
    if agent.startswith("bond_"):
        return "bond_buyers"
    if agent.startswith("vc_"):
        return "venture"
    return agent if agent in LAYOUT else None


def _members(node: str) -> tuple[str, ...]:
    return INVESTORS.get(node, (node,))


def network_state(economy) -> NetworkState:
    """The network of ``economy`` now (call with the economy not stepping)."""
    nodes = {}
    for nid, (label, _, _) in LAYOUT.items():
        nodes[nid] = Node(nid, label, investor=nid in INVESTORS)
        agent = economy.agent_or_none(nid)
        if agent is not None and hasattr(agent, "market_cap"):
            nodes[nid].market_value = float(agent.market_cap)
    for aid, month in economy.defaults.defaulted.items():
        nid = node_of(aid)
        if nid in nodes and nid not in INVESTORS:
            nodes[nid].default_date = economy.date_of_month(month).strftime("%b %Y")
    edges: dict[tuple[str, str], Edge] = {}

    def edge(a: str, b: str) -> Edge:
        key = tuple(sorted((a, b)))
        return edges.setdefault(key, Edge(*key))

    for c in economy.book.contracts:
        a, b = node_of(c.holder), node_of(c.issuer)
        if c.active and a and b and a != b:
            e = edge(a, b)
            e.committed += c.commitment()
            e.kinds.add(c.kind)
    ids = list(LAYOUT)
    led = economy.ledger
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            paid = sum(led.paid_between(x, y) + led.paid_between(y, x) for x in _members(a) for y in _members(b))
            if paid > 1e-9:
                edge(a, b).paid = paid
    for a, b, lost in cancellations(economy.events):
        e = edge(a, b)
        e.cancelled += lost
        e.n_cancelled += 1
    return NetworkState(economy.date.isoformat(), nodes, edges)


_HOLDER = re.compile(r"with (\w+):|^(\w+):")


def cancellations(events) -> list[tuple[str, str, float]]:
    """(node, node, $B of backlog lost) for each contract cancellation in the event log; the
    issuer is the event's agent, the holder is named in its cause ("... with HOLDER: reason" for
    contracts, "HOLDER: reason" for chip orders)."""
    out = []
    for ev in events:
        if ev["event"] not in CANCEL_EVENTS:
            continue
        m = _HOLDER.search(ev["cause"])
        a, b = node_of(ev["agent"]), node_of((m.group(1) or m.group(2)) if m else "")
        if a and b and a != b:
            out.append((a, b, float(ev["size"] or 0.0)))
    return out


# ---------------------------------------------------------------------------------- drawing
PAID = "#1f77b4"
COMMITTED = "#ff7f0e"
CANCELLED = "#d62728"
FIRM = "#9ecae1"
INVESTOR = "#bdbdbd"
#: a cross, the symbol of a firm in default
CROSS = "path://M0,0 L2,0 L5,3 L8,0 L10,0 L6,4 L10,8 L8,8 L5,5 L2,8 L0,8 L4,4 Z"


def money(x: float) -> str:
    """$B as the views print it: $12B, $1.2T."""
    return f"${x / 1000:.1f}T" if abs(x) >= 1000 else f"${x:.0f}B"


def _node(n: Node) -> dict:
    x, y = LAYOUT[n.id][1:]
    out = {"name": n.id, "x": x * 100, "y": -y * 100, "value": round(n.market_value, 1)}
    if n.investor:
        return {**out, "symbol": "roundRect", "symbolSize": [86, 26], "itemStyle": {"color": INVESTOR},
                "label": {"show": True, "formatter": n.label, "fontSize": 11}, "z": 3}
    if n.default_date:
        return {**out, "symbol": CROSS, "symbolSize": 34, "itemStyle": {"color": CANCELLED},
                "label": {"show": True, "position": "bottom", "formatter": f"{n.label}\nDEFAULT {n.default_date}",
                          "color": CANCELLED, "fontWeight": "bold", "fontSize": 12, "lineHeight": 14}}
    size = 14 + 62 * math.sqrt(min(n.market_value, 4 * SIZE_REF) / SIZE_REF)  # diameter: area ~ market value
    return {**out, "symbol": "circle", "symbolSize": round(size, 1),
            "itemStyle": {"color": FIRM, "borderColor": "#08519c", "borderWidth": 1},
            "label": {"show": True, "position": "bottom", "formatter": f"{n.label}\n{money(n.market_value)}",
                      "fontSize": 11, "lineHeight": 13}}


def _links(state: NetworkState) -> list[dict]:
    top = max([1.0] + [max(e.committed, e.paid) for e in state.edges.values()])
    width = lambda x: round(0.8 + 11.0 * math.sqrt(x / top), 2)  # noqa: E731 - px, grows like the area
    links = []
    for e in state.edges.values():
        big = max(e.committed, e.paid) >= 0.08 * top
        if e.paid >= SHOW_SHARE * top:
            links.append({"source": e.a, "target": e.b, "value": round(e.paid, 1),
                          "lineStyle": {"color": PAID, "width": width(e.paid), "opacity": 0.55, "curveness": 0},
                          "label": {"show": big, "formatter": f"{money(e.paid)} paid", "fontSize": 10, "color": PAID}})
        if e.committed >= SHOW_SHARE * top:
            links.append({"source": e.a, "target": e.b, "value": round(e.committed, 1),
                          "lineStyle": {"color": COMMITTED, "width": width(e.committed), "type": "dashed", "opacity": 0.9,
                                        "curveness": 0.25},
                          "label": {"show": big, "formatter": f"{money(e.committed)} promised", "fontSize": 10,
                                    "color": "#a63603"}})
        if e.n_cancelled:
            links.append({"source": e.a, "target": e.b, "value": round(e.cancelled, 1),
                          "lineStyle": {"color": CANCELLED, "width": 2.5, "type": "dotted", "curveness": -0.25},
                          "symbol": ["none", "none"],
                          "label": {"show": True, "formatter": f"✕ {e.n_cancelled} cancelled ({money(e.cancelled)})", "fontSize": 10,
                                    "color": CANCELLED}})
    return links


def network_option(state: NetworkState) -> dict:
    """The network as an ECharts option (a ``graph`` series on fixed positions)."""
    committed = sum(e.committed for e in state.edges.values())
    paid = sum(e.paid for e in state.edges.values() if not ({e.a, e.b} & set(INVESTORS)))
    return {
        "animation": False,
        "title": {"text": f"The loop on {state.date}: {money(committed)} promised and not yet paid, "
                          f"{money(paid)} paid between firms so far",
                  "subtext": "blue line: cash paid ($B, both ways)    orange dashes: committed, not yet paid ($B)\n"
                             "red dots ✕: contracts cancelled    circle area ∝ market value ($B)    red ✕: firm in default",
                  "left": "center", "itemGap": 6, "textStyle": {"fontSize": 13},
                  "subtextStyle": {"fontSize": 11, "lineHeight": 15}},
        "tooltip": {"formatter": "{b}: {c} $B"},
        "series": [{
            "type": "graph", "layout": "none", "roam": False, "top": 84, "bottom": 40, "left": 60, "right": 60,
            "edgeSymbol": ["none", "none"], "edgeLabel": {"fontSize": 10},
            "data": [_node(n) for n in state.nodes.values()],
            "links": _links(state),
            "emphasis": {"focus": "adjacency"},
        }],
    }
