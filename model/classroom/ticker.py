"""The event ticker: the model's event log, newest first, grouped so that one row says one thing.

Events come from the snapshot (``Economy.events``: ``step, date, event, agent, cause, size``, size
in $B unless the event says otherwise, each with the acting agent's network ``group``: a firm's own
id, or its family for the investors, e.g. ``bond_buyer``). Events of one day, one kind and one
group form one row: thirty bond buyers writing off their claims on the same borrower become "30
bond buyers · write-off · $X B in all", a firm's four covenant tests of a month one row with the
four causes under it. Every kind is shown — deals, contracts signed and cancelled, rounds (failed,
down), margin calls, fire sales, defaults, write-offs, shocks — coloured by how bad it is; the
page can hide the routine kinds (:data:`ROUTINE`) to keep the story in view. The ticker is one
HTML element (cheaper to send each tick than a widget per row).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

#: event -> colour of its tag (anything else is grey)
COLOURS = {
    "default": "#d62728", "failed round": "#e6550d", "down round": "#fd8d3c", "margin call": "#e6550d",
    "GPU fire sale": "#d62728", "write-off": "#a50f15", "stake written off": "#a50f15",
    "contract cancelled": "#d62728", "chip order cancelled": "#d62728", "shock": "#7b3294",
    "deal announced": "#2171b5", "contract signed": "#2171b5", "round": "#31a354", "event of default": "#d62728",
    "cross-default": "#d62728", "lease rejected": "#a50f15", "rescue": "#31a354", "rescue declined": "#e6550d",
}
#: routine kinds the page can hide ("key events only"): bookkeeping of the credit channel and the
#: staged deals, never a loss, a default or a shock
ROUTINE = ("covenant breach", "tranche not signed", "staged investment paid", "facility signed", "warrants vested",
           "warrant shares sold", "revolver draw", "idle GPUs sold", "liquidating distribution")
#: most rows the ticker shows (the whole log is in the events table the page downloads)
MAX_ROWS = 400
#: how the ticker names a group of investors
GROUP_LABELS = {"bond_buyer": "bond buyers", "venture": "venture funds"}


@dataclass
class Row:
    """One line of the ticker: events of one day, one kind and one group."""

    step: int
    date: str
    event: str
    group: str
    agents: list[str] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)
    size: float = 0.0  # $B, summed

    @property
    def n(self) -> int:
        return len(self.causes)

    def who(self) -> str:
        """"lab", "neocloud" (several events: counted in :meth:`headline`) or "30 bond buyers"."""
        distinct = list(dict.fromkeys(self.agents))
        if len(distinct) > 1:
            return f"{len(distinct)} {GROUP_LABELS.get(self.group, self.group)}"
        return distinct[0] if distinct else ""

    def headline(self) -> str:
        """The event, with a count when the row holds several from one agent."""
        distinct = set(self.agents)
        return f"{self.event} ×{self.n}" if self.n > 1 and len(distinct) == 1 else self.event


def group_events(events: list[dict]) -> list[Row]:
    """Consecutive events of one step, one kind and one group merged into rows, oldest first."""
    rows: list[Row] = []
    for ev in events:
        group = ev.get("group") or ev.get("agent") or ""
        last = rows[-1] if rows else None
        if last is not None and (last.step, last.event, last.group) == (ev["step"], ev["event"], group):
            row = last
        else:
            row = Row(ev["step"], ev["date"], ev["event"], group)
            rows.append(row)
        row.agents.append(ev.get("agent") or "")
        row.causes.append(ev.get("cause") or "")
        row.size += float(ev.get("size") or 0.0)
    return rows


def ticker_rows(events: list[dict], key_only: bool = False, limit: int = MAX_ROWS) -> list[Row]:
    """The newest ``limit`` rows, newest first (routine kinds left out with ``key_only``)."""
    rows = [r for r in group_events(events) if not (key_only and r.event in ROUTINE)]
    return list(reversed(rows[-limit:]))


def _slug(event: str) -> str:
    return "ev-" + "-".join(event.lower().split())


def _row_html(r: Row) -> str:
    colour = COLOURS.get(r.event, "#636363")
    size = f" · {r.size:,.1f} $B" + (" in all" if r.n > 1 else "") if r.size else ""
    causes = list(dict.fromkeys(r.causes))
    if len(causes) == 1:
        body = f'<div class="cause">{html.escape(causes[0])}</div>'
    else:
        items = "".join(f"<li>{html.escape(a)}: {html.escape(c)}</li>" if len(set(r.agents)) > 1 else
                        f"<li>{html.escape(c)}</li>" for a, c in zip(r.agents, r.causes))
        body = (f'<details class="cause"><summary>{len(r.causes)} events: show each</summary>'
                f'<ul style="margin:2px 0 2px 16px;padding:0">{items}</ul></details>')
    return (f'<div class="ticker-row {_slug(r.event)}" data-n="{r.n}" style="padding:4px 0;border-bottom:1px solid #eee">'
            f'<span style="color:#555">{html.escape(r.date)}</span> '
            f'<span class="tag" style="background:{colour};color:white;border-radius:4px;padding:0 5px">'
            f'{html.escape(r.headline())}</span> <b class="who">{html.escape(r.who())}</b>{size}{body}</div>')


def ticker_html(events: list[dict], key_only: bool = False, limit: int = MAX_ROWS) -> str:
    """The ticker as HTML, one block per row (date, tag, who, $B, then the cause or the causes);
    each block has the classes ``ticker-row ev-<event>`` (e.g. ``ev-failed-round``) and a
    ``data-n`` attribute (events in the row), the agent the class ``who``, the cause ``cause``."""
    rows = ticker_rows(events, key_only, limit)
    hidden = len(group_events(events)) - len(rows)
    body = "".join(_row_html(r) for r in rows) or '<div style="color:grey">nothing yet: press Step or Play</div>'
    more = (f'<div style="color:#555;padding:4px 0">{hidden} more rows '
            f'{"are routine (show all events to see them)" if key_only else "are older"}; '
            'the events table (Downloads) has every event</div>') if hidden > 0 else ""
    return f'<div class="ailoop-ticker">{body}{more}</div>'
