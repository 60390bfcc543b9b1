"""The classroom's charts as ECharts options, built from a :class:`~ailoop.model.classroom.session.Snapshot`.

Each function returns a plain dict (an ECharts ``option``) that ``solara.FigureEcharts`` draws in
the browser, so a tick costs the server only the data, not the drawing. Every axis carries its
unit: money in $B, GPU prices in $ thousand per GPU, rent in $ per GPU-hour, capacity in GW,
sentiment as an index in (-1, 1), wealth amplification in $ of market value per $ paid.

* Firms keep their palette colour (``model/classroom/palette.py``) whatever their rank.
* Shocks are marked on the time axes by dotted purple lines and defaults by red ones; their names
  show when a line is hovered, so marks of one month never overprint each other.
* The counterfactual (the same economy without the buttons' shocks, or the last run) is drawn
  faded and dashed beside the run.
* Each chart has a "save as PNG" button (ECharts' own, drawn in the browser at twice the size).
* Two-panel charts stack their panels on a narrow screen (an ECharts ``media`` query).
* Who paid explains its signs: a loss is positive (red), a gain negative (green).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ailoop.model.classroom.palette import COMMITTED, GAIN, LOSS, PAID, SENTIMENT, SHOCK, TOTAL, DEFAULT
from ailoop.model.economy import START

SOURCE_LABELS = {
    "opening": "opening cash", "end_user": "end users", "lp_capital": "venture LPs", "debt": "borrowing",
    "household": "households", "chipmaker_investment": "chipmakers' own investment",
    "hyperscaler_ocf": "hyperscalers' cash flow", "non_ai_income": "non-AI income", "asset_sales": "asset sales",
}
CLASS_LABELS = {
    "venture_funds": "venture funds", "bond_buyers": "bond buyers", "chipmakers": "chipmakers",
    "hyperscalers": "hyperscalers", "retail": "retail ETF holders", "traders": "institutional traders",
    "other": "labs' other shareholders",
}
FONT = 13  # axis labels and legends, px: readable on a projector
TITLE = 15
TEXT = {"fontSize": FONT}
FADED = "#9e9e9e"
#: narrow screens (phones): below this chart width, two panels stack
NARROW = 640


def _ms(d: dt.date) -> int:
    return int(dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone.utc).timestamp() * 1000)


def _times(frame: pd.DataFrame) -> np.ndarray:
    if not len(frame):
        return np.array([], dtype=np.int64)
    return pd.to_datetime(frame["date"]).to_numpy(dtype="datetime64[ms]").astype(np.int64)


def _series(frame: pd.DataFrame, column: str, digits: int = 2, scale: float = 1.0) -> list[list[float]]:
    if frame is None or column not in frame.columns or not len(frame):
        return []
    v = np.round(frame[column].to_numpy(dtype=float) * scale, digits)
    return [[int(t), float(x)] for t, x in zip(_times(frame), v)]


def _time_axis(snap, grid: int = 0, name: bool = True) -> dict:
    end = START + dt.timedelta(days=int(snap.horizon / 252 * 365.25))
    return {"type": "time", "gridIndex": grid, "min": _ms(START), "max": _ms(end),
            "name": "date" if name else "", "nameLocation": "middle", "nameGap": 28, "nameTextStyle": TEXT,
            "splitNumber": 6, "axisLabel": {"fontSize": FONT, "hideOverlap": True, "formatter": "{yyyy}"}}


def _value_axis(name: str, grid: int = 0, **kw) -> dict:
    return {"type": "value", "gridIndex": grid, "name": name, "nameLocation": "middle", "nameGap": 56,
            "nameTextStyle": TEXT, "scale": False, "axisLabel": {"fontSize": FONT, "hideOverlap": True}, **kw}


def _markers(snap) -> dict:
    """Vertical lines at shocks (purple) and defaults (red), for a line series' ``markLine``; the
    name shows when the line is hovered."""
    data = []
    for ev in snap.events:
        if ev["event"] in ("shock", "default"):
            colour = SHOCK if ev["event"] == "shock" else DEFAULT
            label = (ev["cause"].split(":")[0] if ev["event"] == "shock" else f"{ev['agent']} defaults") + f" ({ev['date']})"
            data.append({"xAxis": _ms(dt.date.fromisoformat(ev["date"])), "lineStyle": {"color": colour, "type": "dotted",
                                                                                         "width": 1.5},
                         "label": {"show": False, "formatter": label},
                         "emphasis": {"label": {"show": True, "formatter": label, "fontSize": FONT, "color": colour,
                                                "backgroundColor": "rgba(255,255,255,0.9)"}}})
    return {"symbol": "none", "silent": False, "data": data}


def _toolbox(name: str) -> dict:
    return {"feature": {"saveAsImage": {"title": "save as PNG", "pixelRatio": 2, "name": f"ailoop-{name}"}},
            "right": 8, "top": 0, "itemSize": 18}


def _base(name: str, title: str, subtitle: str = "", **kw) -> dict:
    return {"animation": False,
            "title": {"text": title, "subtext": subtitle, "textStyle": {"fontSize": TITLE, "lineHeight": 20},
                      "left": "center", "top": 2, "subtextStyle": {"fontSize": 12, "lineHeight": 16}, "itemGap": 6},
            "tooltip": {"trigger": "axis", "confine": True, "textStyle": {"fontSize": FONT}},
            "toolbox": _toolbox(name), **kw}


def _line(name, data, **kw) -> dict:
    return {"type": "line", "name": name, "data": data, "showSymbol": False, "lineStyle": {"width": 2}, **kw}


def _faded(name, data, **kw) -> dict:
    return _line(name, data, lineStyle={"width": 2, "type": "dashed", "color": FADED, "opacity": 0.8},
                 itemStyle={"color": FADED}, z=1, **kw)


def _compare(snap, compare: str | None, last_run: pd.DataFrame | None) -> tuple[pd.DataFrame | None, str]:
    """The frame drawn faded and its name: the run without the shocks, the last run, or none."""
    if compare == "shocks" and snap.counterfactual is not None:
        return snap.counterfactual, "without the shocks"
    if compare == "last" and last_run is not None and len(last_run):
        return last_run, "last run"
    return None, ""


def _two_panels(option: dict) -> dict:
    """``option`` with two grids side by side, stacked on a narrow screen."""
    wide = [{"left": 78, "right": "56%", "top": 92, "bottom": 52}, {"left": "56%", "right": 36, "top": 92, "bottom": 52}]
    narrow = [{"left": 64, "right": 56, "top": 104, "height": "30%"}, {"left": 64, "right": 56, "bottom": 44, "height": "30%"}]
    option["grid"] = wide
    return {"baseOption": option,
            "media": [{"query": {"maxWidth": NARROW}, "option": {"grid": narrow, "legend": {"top": 48, "textStyle": {"fontSize": 11}}}}]}


def market_value(snap, compare: str | None = "shocks", last_run: pd.DataFrame | None = None) -> dict:
    """Market value of the loop's firms stacked by firm ($B), the total, and AI sentiment (index)."""
    f = snap.frame
    series = [_line(a, _series(f, f"mcap.{a}", 1), stack="mv", areaStyle={"opacity": 0.75, "color": snap.colours.get(a)},
                    lineStyle={"width": 0.5, "color": snap.colours.get(a)}, itemStyle={"color": snap.colours.get(a)})
              for a in snap.firms]
    series.append(_line("total", _series(f, "market_value_total", 1), lineStyle={"width": 2, "color": TOTAL},
                        itemStyle={"color": TOTAL}, markLine=_markers(snap)))
    other, label = _compare(snap, compare, last_run)
    if other is not None:
        series.append(_faded(f"total, {label}", _series(other, "market_value_total", 1)))
    series.append(_line("sentiment", _series(f, "sentiment", 3), yAxisIndex=1,
                        lineStyle={"width": 1.5, "color": SENTIMENT}, itemStyle={"color": SENTIMENT}))
    return _base("market-value", "Market value by firm (stacked) and in total, with AI sentiment",
                 "dotted lines: purple a shock, red a default (hover for the name)" +
                 (f"; grey dashes: total {label}" if other is not None else ""),
                 legend={"top": 46, "type": "scroll", "textStyle": TEXT},
                 grid={"left": 84, "right": 84, "top": 96, "bottom": 52},
                 xAxis=_time_axis(snap),
                 yAxis=[_value_axis("market value ($B)", nameGap=64),
                        _value_axis("AI sentiment (−1 panic … +1 euphoria)", min=-1, max=1, nameGap=40,
                                    splitLine={"show": False})],
                 series=series)


def promises(snap, compare: str | None = "shocks", last_run: pd.DataFrame | None = None) -> dict:
    """Committed outstanding against cumulative cash paid ($B), and wealth amplification ($/$)."""
    f = snap.frame
    other, label = _compare(snap, compare, last_run)
    series = [
        _line("promised, not yet paid (committed_outstanding, $B)", _series(f, "committed_outstanding", 1),
              lineStyle={"width": 2.5, "type": "dashed", "color": COMMITTED}, itemStyle={"color": COMMITTED},
              markLine=_markers(snap)),
        _line("cash paid between firms, cumulative ($B)", _series(f, "cash_paid_cumulative", 1),
              lineStyle={"width": 2.5, "color": PAID}, itemStyle={"color": PAID}),
        _line("wealth amplification ($/$)", _series(f, "wealth_amplification", 2),
              xAxisIndex=1, yAxisIndex=1, lineStyle={"width": 2, "color": TOTAL}, itemStyle={"color": TOTAL}),
    ]
    if other is not None:
        series += [_faded(f"promised, {label}", _series(other, "committed_outstanding", 1)),
                   _faded(f"amplification, {label}", _series(other, "wealth_amplification", 2), xAxisIndex=1, yAxisIndex=1)]
    return _two_panels(_base("promises", "Promised vs paid, and market value created per $ paid",
                             "left: $B promised under the contracts and not yet paid, against cash actually paid; "
                             "right: change in market value per $ paid",
                             legend={"top": 50, "type": "scroll", "textStyle": TEXT},
                             xAxis=[_time_axis(snap, 0), _time_axis(snap, 1)],
                             yAxis=[_value_axis("$B", 0), _value_axis("$ of market value per $ paid", 1, nameGap=44)],
                             series=series))


def gpus(snap, compare: str | None = "shocks", last_run: pd.DataFrame | None = None) -> dict:
    """GPU prices new and used ($k per GPU) with rent ($ per GPU-hour); capacity contracted, built, used (GW)."""
    f = snap.frame
    other, label = _compare(snap, compare, last_run)
    series = [
        _line("new GPU ($k)", _series(f, "gpu_price_new"), markLine=_markers(snap), itemStyle={"color": "#4E79A7"},
              lineStyle={"width": 2, "color": "#4E79A7"}),
        _line("used GPU ($k)", _series(f, "gpu_price_used"), itemStyle={"color": "#F28E2B"},
              lineStyle={"width": 2, "color": "#F28E2B"}),
        _line("rent ($/GPU-hour)", _series(f, "gpu_rent_per_hour", 3), yAxisIndex=1, itemStyle={"color": "#59A14F"},
              lineStyle={"width": 2, "type": "dashed", "color": "#59A14F"}),
        _line("contracted (GW)", _series(f, "capacity_contracted_gw"), xAxisIndex=1, yAxisIndex=2,
              itemStyle={"color": "#B07AA1"}, lineStyle={"width": 2, "color": "#B07AA1"}),
        _line("built (GW)", _series(f, "capacity_built_gw"), xAxisIndex=1, yAxisIndex=2,
              itemStyle={"color": "#9C755F"}, lineStyle={"width": 2, "color": "#9C755F"}),
        _line("used (GW)", _series(f, "capacity_used_gw"), xAxisIndex=1, yAxisIndex=2,
              itemStyle={"color": "#E15759"}, lineStyle={"width": 2, "color": "#E15759"}),
    ]
    if other is not None:
        series.append(_faded(f"used GPU, {label}", _series(other, "gpu_price_used")))
    return _two_panels(_base("gpus", "GPU prices and rent; capacity",
                             "left: prices of a GPU new and used ($ thousand) and its rent ($ per hour); "
                             "right: data-centre capacity (GW)",
                             legend={"top": 50, "type": "scroll", "textStyle": TEXT},
                             xAxis=[_time_axis(snap, 0), _time_axis(snap, 1)],
                             yAxis=[_value_axis("GPU price ($ thousand per GPU)", 0),
                                    _value_axis("rent ($ per GPU-hour)", 0, position="right", nameGap=40,
                                                splitLine={"show": False}),
                                    _value_axis("capacity (GW)", 1, nameGap=40)],
                             series=series))


def who_paid(snap, compare: str | None = "shocks", last_run_losses: dict | None = None) -> dict:
    """Losses (+) and gains (−) by holder class ($B), and the sources of the lead chipmaker's receipts (%)."""
    classes = list(snap.losses)
    bars = [{"value": round(snap.losses[c], 1), "itemStyle": {"color": LOSS if snap.losses[c] > 0 else GAIN}}
            for c in classes]
    items = sorted(snap.provenance.items(), key=lambda kv: -kv[1])
    other, label = None, ""
    if compare == "shocks" and snap.counterfactual_losses is not None:
        other, label = snap.counterfactual_losses, "without the shocks"
    elif compare == "last" and last_run_losses:
        other, label = last_run_losses, "last run"
    series = [{"type": "bar", "name": "this run: loss (red, +) or gain (green, −), $B", "data": bars, "itemStyle": {"color": LOSS},
               "label": {"show": True, "position": "right", "fontSize": 12, "formatter": "{c}"}}]
    if other is not None:
        series.append({"type": "bar", "name": label, "data": [round(other.get(c, 0.0), 1) for c in classes],
                       "itemStyle": {"color": FADED, "opacity": 0.55}, "barGap": "10%"})
    series.append({"type": "bar", "name": "share (%)", "xAxisIndex": 1, "yAxisIndex": 1, "itemStyle": {"color": "#6baed6"},
                   "data": [round(100 * v, 1) for _, v in items],
                   "label": {"show": True, "position": "right", "fontSize": 12, "formatter": "{c}%"}})
    gains = [CLASS_LABELS.get(c, c) for c in classes if snap.losses[c] < -0.05]
    sign_note = ("Signs: + a loss (red), − a gain (green), since 1 September 2025: marks on stakes and warrants "
                 "plus credit written off." + (f" Gained: {', '.join(gains)} — they hold shares or claims worth more "
                                                "than at the start (a gain on paper until sold)." if gains else ""))
    option = {
        "animation": False,
        "title": [{"id": "who", "text": f"Who paid: losses by holder class to {snap.date.isoformat()}", "left": "center",
                   "top": 2, "textStyle": {"fontSize": TITLE, "lineHeight": 20}, "subtext": sign_note, "itemGap": 6,
                   "subtextStyle": {"fontSize": 12, "width": 900, "overflow": "break", "lineHeight": 16}},
                  {"id": "source", "text": f"Where {snap.chipmaker}'s cash came from", "left": "77%", "top": 64,
                   "textAlign": "center", "textStyle": {"fontSize": 14}}],
        "tooltip": {"trigger": "item", "confine": True, "textStyle": {"fontSize": FONT}},
        "toolbox": _toolbox("who-paid"),
        "legend": {"top": 64, "left": 10, "data": [s["name"] for s in series[:2]], "textStyle": TEXT},
        "grid": [{"left": 30, "right": "54%", "top": 96, "bottom": 52, "containLabel": True},
                 {"left": "58%", "right": 50, "top": 96, "bottom": 52, "containLabel": True}],
        "xAxis": [_value_axis("$B: loss (+) or gain (−)", 0, nameGap=30),
                  _value_axis("share of all cash it has received (%)", 1, nameGap=30, min=0, max=100)],
        "yAxis": [{"type": "category", "gridIndex": 0, "inverse": True, "data": [CLASS_LABELS.get(c, c) for c in classes],
                   "axisLabel": {"fontSize": FONT}},
                  {"type": "category", "gridIndex": 1, "inverse": True, "data": [SOURCE_LABELS.get(k, k) for k, _ in items],
                   "axisLabel": {"fontSize": FONT}}],
        "series": series,
    }
    narrow = {"grid": [{"left": 10, "right": 40, "top": 178, "height": "27%", "containLabel": True},
                       {"left": 10, "right": 40, "top": "74%", "bottom": 30, "containLabel": True}],
              "title": [{"id": "who", "subtextStyle": {"width": 340}},
                        {"id": "source", "left": "center", "top": "68%", "textAlign": "left", "textStyle": {"fontSize": 13}}],
              "xAxis": [{"splitNumber": 3}, {"splitNumber": 4}],
              "legend": {"top": 118, "orient": "vertical"}}
    return {"baseOption": option, "media": [{"query": {"maxWidth": NARROW}, "option": narrow}]}


VIEWS = {"market-value": market_value, "promises": promises, "gpus": gpus}
