"""The event ticker: the model's event log, newest first, each event with its cause.

Events come from ``Economy.events`` (``step, date, event, agent, cause, size``; size in $B unless
the event says otherwise). The ticker shows every kind — deals, contracts signed and cancelled,
rounds (failed, down), margin calls, GPU fire sales, defaults, write-offs, shocks — coloured by
how bad it is, as one HTML element (cheaper to send each tick than a widget per row).
"""

from __future__ import annotations

import html

#: event -> colour of its tag (anything else is grey)
COLOURS = {
    "default": "#d62728", "failed round": "#e6550d", "down round": "#fd8d3c", "margin call": "#e6550d",
    "GPU fire sale": "#d62728", "write-off": "#a50f15", "stake written off": "#a50f15",
    "contract cancelled": "#d62728", "chip order cancelled": "#d62728", "shock": "#7b3294",
    "deal announced": "#2171b5", "contract signed": "#2171b5", "round": "#31a354",
}
MAX_ROWS = 150


def ticker_rows(events: list[dict], limit: int = MAX_ROWS) -> list[dict]:
    """The newest ``limit`` events, newest first."""
    return list(reversed(events[-limit:]))


def _slug(event: str) -> str:
    return "ev-" + "-".join(event.lower().split())


def ticker_html(events: list[dict], limit: int = MAX_ROWS) -> str:
    """The ticker as HTML, one block per event (date, tag, who, $B, then the cause); each block has
    the classes ``ticker-row ev-<event>`` (e.g. ``ev-failed-round``), the agent the class ``who``
    and the cause the class ``cause``."""
    rows = []
    for ev in ticker_rows(events, limit):
        colour = COLOURS.get(ev["event"], "#636363")
        size = f" · {ev['size']:,.1f} $B" if ev.get("size") else ""
        rows.append(
            f'<div class="ticker-row {_slug(ev["event"])}" style="padding:3px 0;border-bottom:1px solid #eee">'
            f'<span style="color:#555">{html.escape(ev["date"])}</span> '
            f'<span style="background:{colour};color:white;border-radius:4px;padding:0 5px">{html.escape(ev["event"])}</span> '
            f'<b class="who">{html.escape(ev["agent"] or "")}</b>{size}'
            f'<div class="cause" style="color:#333">{html.escape(ev["cause"])}</div></div>')
    body = "".join(rows) or '<div style="color:grey">nothing yet: press Step or Play</div>'
    return f'<div class="ailoop-ticker" style="font-size:12px;line-height:1.35">{body}</div>'
