"""The loop as a network: firms sized by market value, contracts as edges, promises against cash.

:func:`network_state` reads the economy into plain data. The nodes are read from the model, not
listed here: one node per firm of the loop (``economy.loop_firms``), and one node per family of
the other agents with a balance sheet (the venture funds, the bond buyers, and any family a new
version of the model adds), the market sectors (retail ETF holders, institutional traders) left
out. One edge joins each pair of nodes with a contract or cash paid between them, carrying

* ``committed`` — $B promised under the pair's contracts and not yet paid
  (:meth:`Contract.commitment`, the measure of the model's ``committed_outstanding`` column);
* ``paid`` — $B of cash actually paid between the two, both ways, since September 2025
  (:meth:`Ledger.paid_between`);
* ``cancelled`` — $B of backlog lost on the pair's contracts cancelled so far (from the event log).

The title quotes the model's own ``committed_outstanding`` — one number for "promised and not yet
paid" on every view — and the caption says how much of it the edges do not show (promises to
parties outside the model, such as the rest of the GPU market, or within one group of investors).

:func:`network_option` turns the state into an ECharts graph on fixed positions (the
lab-cloud-chipmaker triangle in the middle; a node the layout does not know is placed on an outer
ring): cash paid solid blue, commitments dashed orange, cancelled contracts dotted red, firms as
circles in their palette colour whose area grows with their market value, defaulted firms a red
cross. Edge labels show on hover (and on a node's edges when the node is hovered), so they never
overprint each other.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ailoop.model.classroom.palette import COMMITTED, DEFAULT, INVESTOR, PAID, firm_colours
from ailoop.model.ledger import EXTERNAL_SECTORS
from ailoop.model.metrics import cash_paid_cumulative

#: where the layout puts the nodes it knows, (x, y) in layout units; the lab-cloud-chip_leader
#: triangle in the middle. Any other node goes on an outer ring (:func:`positions`).
HINTS: dict[str, tuple[float, float]] = {
    "lab": (-1.0, 0.0), "cloud": (0.0, 1.05), "chip_leader": (1.0, 0.0), "neocloud": (0.0, -0.45),
    "chip_challenger": (1.15, 1.0), "hyper_1": (-1.25, 1.05), "hyper_2": (2.05, 0.65), "hyper_3": (2.05, -0.1),
    "hyper_4": (1.2, -0.95), "lab_spv": (-1.75, -0.85), "spv": (-0.6, -1.15), "venture": (-2.15, 0.25),
    "bond_buyer": (0.45, -1.55),
}
#: how the page names a node
LABELS = {"spv": "GPU SPV", "venture": "venture funds", "bond_buyer": "bond buyers"}
#: families of agents that are markets, not parties to contracts: never drawn
MARKET_FAMILIES = ("retail", "traders")
RING = 2.6  # radius of the outer ring, layout units
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
    members: tuple[str, ...]
    colour: str
    x: float = 0.0
    y: float = 0.0
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
    committed_outstanding: float = 0.0  # $B: the model's committed_outstanding, all contracts
    committed_elsewhere: float = 0.0  # $B of it not on an edge (outside parties, within a group)
    cash_paid: float = 0.0  # $B: the model's cash_paid_cumulative (cash paid among the loop's firms)

    def edge(self, a: str, b: str) -> Edge | None:
        return self.edges.get(tuple(sorted((a, b))))

    @property
    def defaulted(self) -> list[str]:
        return [n.id for n in self.nodes.values() if n.default_date]

    @property
    def committed_on_edges(self) -> float:
        return sum(e.committed for e in self.edges.values())

    def caption(self) -> str:
        """One line for the page: who is in default and which links lost contracts."""
        dead = ", ".join(f"{n.label} ({n.default_date})" for n in self.nodes.values() if n.default_date)
        cut = ", ".join(f"{self.nodes[e.a].label}–{self.nodes[e.b].label} ({e.n_cancelled}, {money(e.cancelled)})"
                        for e in self.edges.values() if e.n_cancelled)
        elsewhere = (f" Of the promises, {money(self.committed_elsewhere)} are with parties outside the picture "
                     f"(the rest of the GPU market, outside firms)." if self.committed_elsewhere >= 0.5 else "")
        return f"In default: {dead or 'none'}. Contracts cancelled: {cut or 'none'}.{elsewhere}"


def node_keys(economy) -> dict[str, str]:
    """Agent id -> the node it belongs to: a firm is its own node, another agent its family's; the
    market sectors are left out (as is any party outside the model, e.g. ``intel``)."""
    firms = {a.aid for a in economy.loop_firms}
    out = {}
    for aid in economy.ledger.agent_ids:
        agent = economy.agent(aid)
        if aid in firms:
            out[aid] = aid
        elif agent.family not in MARKET_FAMILIES:
            out[aid] = agent.family
    return out


def node_key(economy, aid: str) -> str | None:
    """The node an agent id belongs to (:func:`node_keys`), or None."""
    return node_keys(economy).get(aid)


def positions(ids: list[str]) -> dict[str, tuple[float, float]]:
    """(x, y) for each node: its hint, or the free place on the outer ring farthest from every
    node placed so far (in the order given, so the same nodes always land in the same places)."""
    out = {i: HINTS[i] for i in ids if i in HINTS}
    candidates = [(RING * math.cos(2 * math.pi * k / 36), 0.62 * RING * math.sin(2 * math.pi * k / 36)) for k in range(36)]
    for i in ids:
        if i in out:
            continue
        placed = list(out.values())
        out[i] = max(candidates, key=lambda c: min((math.dist(c, p) for p in placed), default=0.0))
    return out


def network_state(economy) -> NetworkState:
    """The network of ``economy`` now (call with the economy not stepping)."""
    firms = [a.aid for a in economy.loop_firms]
    colours = firm_colours(firms)
    keys = node_keys(economy)
    members: dict[str, list[str]] = {f: [f] for f in firms}
    for aid, key in keys.items():
        if key not in colours:
            members.setdefault(key, []).append(aid)
    where = positions(list(members))
    nodes: dict[str, Node] = {}
    for key, ids in members.items():
        investor = key not in colours
        label = LABELS.get(key, key if not investor else f"{key.replace('_', ' ')}s")
        n = Node(key, label, investor, tuple(ids), INVESTOR if investor else colours[key], *where[key])
        agent = economy.agent(ids[0])
        if not investor and hasattr(agent, "market_cap"):
            n.market_value = float(agent.market_cap)
        nodes[key] = n
    for aid, month in economy.defaults.defaulted.items():
        key = keys.get(aid)
        if key in nodes and not nodes[key].investor:
            nodes[key].default_date = economy.date_of_month(month).strftime("%b %Y")
    edges: dict[tuple[str, str], Edge] = {}

    def edge(a: str, b: str) -> Edge:
        key = tuple(sorted((a, b)))
        return edges.setdefault(key, Edge(*key))

    total = float(economy.book.commitments())
    for c in economy.book.contracts:
        owed = c.commitment()
        a, b = keys.get(c.holder), keys.get(c.issuer)
        if a and b and a != b and (owed > 0 or c.active):
            e = edge(a, b)
            e.committed += owed
            e.kinds.add(c.kind)
    led = economy.ledger
    ids = list(nodes)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            paid = sum(led.paid_between(x, y) + led.paid_between(y, x) for x in _parties(nodes[a], led)
                       for y in _parties(nodes[b], led))
            if paid > 1e-9:
                edge(a, b).paid = paid
    for a, b, lost in cancellations(keys, economy.events):
        e = edge(a, b)
        e.cancelled += lost
        e.n_cancelled += 1
    on_edges = sum(e.committed for e in edges.values())
    return NetworkState(economy.date.isoformat(), nodes, edges, committed_outstanding=total,
                        committed_elsewhere=max(0.0, total - on_edges), cash_paid=cash_paid_cumulative(economy))


def _parties(node: Node, ledger) -> list[str]:
    """The ledger's parties of a node: its members, or the reporting group they pay and are paid
    as (the bond buyers are one party, ``bond_buyers``)."""
    groups = [p for p in ledger.parties if p not in ledger.index and p not in EXTERNAL_SECTORS]
    out = []
    for m in node.members:
        p = m if m in ledger.party_index else (groups[0] if len(groups) == 1 else None)
        if p is not None and p not in out:
            out.append(p)
    return out


_HOLDER = re.compile(r"with (\w+):|^(\w+):")


def cancellations(keys: dict[str, str], events) -> list[tuple[str, str, float]]:
    """(node, node, $B of backlog lost) for each contract cancellation in the event log (``keys``:
    agent id -> node, :func:`node_keys`); the issuer is the event's agent, the holder is named in
    its cause ("... with HOLDER: reason" for contracts, "HOLDER: reason" for chip orders)."""
    out = []
    for ev in events:
        if ev["event"] not in CANCEL_EVENTS:
            continue
        m = _HOLDER.search(ev["cause"])
        a, b = keys.get(ev["agent"]), keys.get((m.group(1) or m.group(2)) if m else "")
        if a and b and a != b:
            out.append((a, b, float(ev["size"] or 0.0)))
    return out


# ---------------------------------------------------------------------------------- drawing
#: a cross, the symbol of a firm in default
CROSS = "path://M0,0 L2,0 L5,3 L8,0 L10,0 L6,4 L10,8 L8,8 L5,5 L2,8 L0,8 L4,4 Z"
FONT = 13


def money(x: float) -> str:
    """$B as the views print it: $12B, $1.2T."""
    return f"${x / 1000:.2f}T" if abs(x) >= 1000 else f"${x:.0f}B" if abs(x) >= 10 else f"${x:.1f}B"


def _node(n: Node) -> dict:
    out = {"name": n.id, "value": [round(n.x, 3), round(n.y, 3), round(n.market_value, 1)],
           "tooltip": {"formatter": f"{n.label}: market value {money(n.market_value)}" if not n.investor
                       else f"{n.label} ({len(n.members)})"}}
    if n.investor:
        return {**out, "symbol": "roundRect", "symbolSize": [104, 30], "itemStyle": {"color": INVESTOR},
                "label": {"show": True, "formatter": n.label, "fontSize": FONT}, "z": 3}
    if n.default_date:
        return {**out, "symbol": CROSS, "symbolSize": 34, "itemStyle": {"color": DEFAULT},
                "label": {"show": True, "position": "bottom", "formatter": f"{n.label}\nDEFAULT {n.default_date}",
                          "color": DEFAULT, "fontWeight": "bold", "fontSize": FONT, "lineHeight": FONT + 3}}
    size = 14 + 62 * math.sqrt(min(n.market_value, 4 * SIZE_REF) / SIZE_REF)  # diameter: area ~ market value
    return {**out, "symbol": "circle", "symbolSize": round(size, 1),
            "itemStyle": {"color": n.colour, "borderColor": "#333", "borderWidth": 1},
            "label": {"show": True, "position": "bottom", "formatter": f"{n.label}\n{money(n.market_value)}",
                      "fontSize": FONT, "lineHeight": FONT + 2}}


def _hover(text: str, colour: str) -> dict:
    """An edge label shown only while the edge (or one of its nodes) is hovered."""
    return {"label": {"show": False, "formatter": text, "fontSize": FONT, "color": colour},
            "emphasis": {"label": {"show": True, "formatter": text, "fontSize": FONT, "color": colour,
                                   "backgroundColor": "rgba(255,255,255,0.9)", "padding": 3}}}


def _links(state: NetworkState) -> list[dict]:
    top = max([1.0] + [max(e.committed, e.paid) for e in state.edges.values()])
    width = lambda x: round(0.8 + 11.0 * math.sqrt(x / top), 2)  # noqa: E731 - px, grows like the area
    links = []
    for e in state.edges.values():
        who = f"{state.nodes[e.a].label} – {state.nodes[e.b].label}"
        if e.paid >= SHOW_SHARE * top:
            links.append({"source": e.a, "target": e.b, "value": round(e.paid, 1),
                          "lineStyle": {"color": PAID, "width": width(e.paid), "opacity": 0.55, "curveness": 0},
                          **_hover(f"{money(e.paid)} paid", "#08519c"),
                          "tooltip": {"formatter": f"{who}: {money(e.paid)} of cash paid so far (both ways)"}})
        if e.committed >= SHOW_SHARE * top:
            links.append({"source": e.a, "target": e.b, "value": round(e.committed, 1),
                          "lineStyle": {"color": COMMITTED, "width": width(e.committed), "type": "dashed", "opacity": 0.9,
                                        "curveness": 0.25},
                          **_hover(f"{money(e.committed)} promised", "#a63603"),
                          "tooltip": {"formatter": f"{who}: {money(e.committed)} promised, not yet paid"}})
        if e.n_cancelled:
            links.append({"source": e.a, "target": e.b, "value": round(e.cancelled, 1),
                          "lineStyle": {"color": DEFAULT, "width": 2.5, "type": "dotted", "curveness": -0.25},
                          **_hover(f"✕ {e.n_cancelled} cancelled ({money(e.cancelled)})", DEFAULT),
                          "tooltip": {"formatter": f"{who}: {e.n_cancelled} contract(s) cancelled, "
                                                   f"{money(e.cancelled)} of backlog lost"}})
    return links


def title_text(state: NetworkState) -> str:
    """The model's own two numbers: ``committed_outstanding`` and ``cash_paid_cumulative``."""
    return (f"{money(state.committed_outstanding)} promised, not yet paid · "
            f"{money(state.cash_paid)} paid between firms so far")


def _extent(state: NetworkState) -> dict:
    xs = [n.x for n in state.nodes.values()] or [0.0]
    ys = [n.y for n in state.nodes.values()] or [0.0]
    pad = 0.25
    return {"x": (min(xs) - pad, max(xs) + pad), "y": (min(ys) - pad, max(ys) + pad)}


def network_option(state: NetworkState) -> dict:
    """The network as an ECharts option: a ``graph`` series on hidden axes (fixed positions; the
    nodes keep their round shape whatever the chart's shape)."""
    ext = _extent(state)
    axis = lambda lo_hi: {"type": "value", "show": False, "min": round(lo_hi[0], 3), "max": round(lo_hi[1], 3),  # noqa: E731
                          "splitLine": {"show": False}}
    return {
        "baseOption": {
            "animation": False,
            "title": {"text": title_text(state),
                      "subtext": "blue: cash paid · orange dashes: promised, not yet paid · red dots: cancelled\n"
                                 "circle area ∝ market value · red ✕: in default · hover for amounts",
                      "left": "center", "itemGap": 4, "textStyle": {"fontSize": 15},
                      "subtextStyle": {"fontSize": 12, "lineHeight": 16}},
            "tooltip": {"confine": True, "textStyle": {"fontSize": FONT}},
            "toolbox": {"feature": {"saveAsImage": {"title": "save as PNG", "pixelRatio": 2,
                                                    "name": f"ailoop-network-{state.date}"}}, "right": 4, "top": 40},
            "grid": {"top": 100, "bottom": 50, "left": 70, "right": 70},
            "xAxis": axis(ext["x"]), "yAxis": axis(ext["y"]),
            "series": [{
                "type": "graph", "layout": "none", "coordinateSystem": "cartesian2d",
                "edgeSymbol": ["none", "none"],
                "data": [_node(n) for n in state.nodes.values()],
                "links": _links(state),
                "emphasis": {"focus": "adjacency"},
                "labelLayout": {"hideOverlap": True},
            }],
        },
        # a tall, narrow chart (a phone): the graph in a band of the layout's own shape, smaller words
        "media": [{"query": {"maxAspectRatio": 1.0},
                   "option": {"title": {"textStyle": {"fontSize": 13}, "subtextStyle": {"fontSize": 11}},
                              "grid": {"top": "22%", "bottom": "24%", "left": 36, "right": 36}}}],
    }
