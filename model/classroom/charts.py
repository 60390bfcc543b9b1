"""The classroom's charts as ECharts options, built from a :class:`~ailoop.model.classroom.session.Snapshot`.

Each function returns a plain dict (an ECharts ``option``) that ``solara.FigureEcharts`` draws in
the browser, so a tick costs the server only the data, not the drawing. Every axis carries its
unit: money in $B, GPU prices in $ thousand per GPU, rent in $ per GPU-hour, capacity in GW,
sentiment as an index in (-1, 1), wealth amplification in $ of market value per $ paid. Shocks are
marked on the time axes by dotted purple lines and defaults by red ones.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

#: most points a time series sends to the browser (the rows are thinned evenly, the last kept)
MAX_POINTS = 320
START = dt.date(2025, 9, 1)
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
TEXT = {"fontSize": 11}
#: two charts side by side (their axis labels inside each grid)
TWO_PANELS = [{"left": 70, "right": "59%", "top": 62, "bottom": 46},
              {"left": "56%", "right": 30, "top": 62, "bottom": 46}]


def _ms(d: dt.date) -> int:
    return int(dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone.utc).timestamp() * 1000)


def _thin(snap) -> tuple[np.ndarray, np.ndarray]:
    """(row indices to send, their dates in ms since 1970)."""
    n = len(snap.frame)
    k = max(1, -(-n // MAX_POINTS))
    idx = np.unique(np.r_[np.arange(0, n, k), n - 1]) if n else np.array([], dtype=int)
    ms = snap.frame["date"].to_numpy(dtype="datetime64[ms]").astype(np.int64)[idx] if n else idx
    return idx, ms


def _series(snap, column: str, idx, ms, digits: int = 2) -> list[list[float]]:
    v = np.round(snap.frame[column].to_numpy(dtype=float)[idx], digits)
    return [[int(t), float(x)] for t, x in zip(ms, v)]


def _time_axis(snap, grid: int = 0) -> dict:
    end = START + dt.timedelta(days=int(snap.horizon / 252 * 365.25))
    return {"type": "time", "gridIndex": grid, "min": _ms(START), "max": _ms(end),
            "name": "date", "nameLocation": "middle", "nameGap": 24, "nameTextStyle": TEXT,
            "splitNumber": 6, "axisLabel": {"fontSize": 10, "hideOverlap": True, "formatter": "{MMM} {yyyy}"}}


def _value_axis(name: str, grid: int = 0, **kw) -> dict:
    return {"type": "value", "gridIndex": grid, "name": name, "nameLocation": "middle", "nameGap": 52,
            "nameTextStyle": TEXT, "scale": False, "axisLabel": {"fontSize": 10}, **kw}


def _markers(snap, labels: bool = False) -> dict:
    """Vertical lines at shocks (purple) and defaults (red), for a line series' ``markLine``;
    ``labels`` names them (on one chart only: they crowd a narrow one)."""
    data = []
    for ev in snap.events:
        if ev["event"] in ("shock", "default"):
            color = "#7b3294" if ev["event"] == "shock" else "#d62728"
            label = ev["cause"].split(":")[0] if ev["event"] == "shock" else f"{ev['agent']} defaults"
            data.append({"xAxis": _ms(dt.date.fromisoformat(ev["date"])), "lineStyle": {"color": color, "type": "dotted"},
                         "label": {"show": labels, "formatter": label, "fontSize": 9, "color": color}})
    return {"symbol": "none", "silent": True, "data": data}


def _base(title: str, **kw) -> dict:
    return {"animation": False, "title": {"text": title, "textStyle": {"fontSize": 13}, "left": "center"},
            "tooltip": {"trigger": "axis"}, **kw}


def _line(name, data, **kw) -> dict:
    return {"type": "line", "name": name, "data": data, "showSymbol": False, "lineStyle": {"width": 1.6}, **kw}


def market_value(snap) -> dict:
    """Market value of the loop's firms stacked by firm ($B), the total, and AI sentiment (index)."""
    idx, ms = _thin(snap)
    firms = sorted(snap.firms, key=lambda a: -float(snap.frame[f"mcap.{a}"].iloc[-1])) if len(idx) else snap.firms
    series = [_line(a, _series(snap, f"mcap.{a}", idx, ms, 1), stack="mv", areaStyle={"opacity": 0.6},
                    lineStyle={"width": 0.5}) for a in firms]
    series.append(_line("total", _series(snap, "market_value_total", idx, ms, 1), lineStyle={"width": 1.5, "color": "#000"},
                        itemStyle={"color": "#000"}, markLine=_markers(snap, labels=True)))
    series.append(_line("sentiment", _series(snap, "sentiment", idx, ms, 3), yAxisIndex=1,
                        lineStyle={"width": 1.5, "color": "#c2185b"}, itemStyle={"color": "#c2185b"}))
    return _base("Market value by firm (stacked) and in total, with AI sentiment",
                 legend={"top": 22, "type": "scroll", "textStyle": {"fontSize": 10}},
                 grid={"left": 80, "right": 80, "top": 62, "bottom": 46},
                 xAxis=_time_axis(snap),
                 yAxis=[_value_axis("market value ($B)"),
                        _value_axis("AI sentiment index (−1 panic … +1 euphoria)", min=-1, max=1, nameGap=34,
                                    splitLine={"show": False})],
                 series=series)


def promises(snap) -> dict:
    """Committed outstanding against cumulative cash paid ($B), and wealth amplification ($/$)."""
    idx, ms = _thin(snap)
    return _base("Promised vs paid, and market value created per $ paid",
                 legend={"top": 22, "textStyle": {"fontSize": 10}},
                 grid=TWO_PANELS,
                 xAxis=[_time_axis(snap, 0), _time_axis(snap, 1)],
                 yAxis=[_value_axis("$B", 0), _value_axis("$ of market value per $ paid", 1)],
                 series=[
                     _line("committed outstanding ($B)", _series(snap, "committed_outstanding", idx, ms, 1),
                           lineStyle={"width": 2, "type": "dashed", "color": "#ff7f0e"}, itemStyle={"color": "#ff7f0e"},
                           markLine=_markers(snap)),
                     _line("cash paid between firms, cumulative ($B)", _series(snap, "cash_paid_cumulative", idx, ms, 1),
                           lineStyle={"width": 2, "color": "#1f77b4"}, itemStyle={"color": "#1f77b4"}),
                     _line("wealth amplification ($/$)", _series(snap, "wealth_amplification", idx, ms, 2),
                           xAxisIndex=1, yAxisIndex=1, lineStyle={"width": 1.6, "color": "#000"}, itemStyle={"color": "#000"}),
                 ])


def gpus(snap) -> dict:
    """GPU prices new and used ($k per GPU) with rent ($ per GPU-hour); capacity contracted, built, used (GW)."""
    idx, ms = _thin(snap)
    return _base("GPU prices and rent; capacity",
                 legend={"top": 22, "textStyle": {"fontSize": 10}},
                 grid=TWO_PANELS,
                 xAxis=[_time_axis(snap, 0), _time_axis(snap, 1)],
                 yAxis=[_value_axis("GPU price ($ thousand per GPU)", 0),
                        _value_axis("rent ($ per GPU-hour)", 0, position="right", nameGap=30, splitLine={"show": False}),
                        _value_axis("capacity (GW)", 1)],
                 series=[
                     _line("new GPU ($k)", _series(snap, "gpu_price_new", idx, ms), markLine=_markers(snap)),
                     _line("used GPU ($k)", _series(snap, "gpu_price_used", idx, ms)),
                     _line("rent ($/GPU-hour)", _series(snap, "gpu_rent_per_hour", idx, ms, 3), yAxisIndex=1,
                           lineStyle={"width": 1.6, "type": "dashed"}),
                     _line("contracted (GW)", _series(snap, "capacity_contracted_gw", idx, ms), xAxisIndex=1, yAxisIndex=2),
                     _line("built (GW)", _series(snap, "capacity_built_gw", idx, ms), xAxisIndex=1, yAxisIndex=2),
                     _line("used (GW)", _series(snap, "capacity_used_gw", idx, ms), xAxisIndex=1, yAxisIndex=2),
                 ])


def who_paid(snap) -> dict:
    """Losses (+) and gains (−) by holder class ($B), and the sources of chip_leader's receipts (%)."""
    classes = list(snap.losses)
    losses = [{"value": round(snap.losses[c], 1), "itemStyle": {"color": "#d62728" if snap.losses[c] > 0 else "#2ca02c"}}
              for c in classes]
    items = sorted(snap.provenance.items(), key=lambda kv: -kv[1])
    return {
        "animation": False,
        "title": [{"text": f"Who paid: losses by holder class to {snap.date.isoformat()}", "left": "25%", "textAlign": "center",
                   "textStyle": {"fontSize": 13}},
                  {"text": "Follow the dollar: where chip_leader's cash came from", "left": "77%", "textAlign": "center",
                   "textStyle": {"fontSize": 13}}],
        "tooltip": {"trigger": "item"},
        "grid": [{"left": 30, "right": "54%", "top": 40, "bottom": 46, "containLabel": True},
                 {"left": "56%", "right": 40, "top": 40, "bottom": 46, "containLabel": True}],
        "xAxis": [_value_axis("$B lost (+) or gained (−): marks on stakes and warrants, credit written off", 0,
                              nameGap=28),
                  _value_axis("share of all cash chip_leader has received (%)", 1, nameGap=28, min=0, max=100)],
        "yAxis": [{"type": "category", "gridIndex": 0, "inverse": True, "data": [CLASS_LABELS.get(c, c) for c in classes],
                   "axisLabel": {"fontSize": 10}},
                  {"type": "category", "gridIndex": 1, "inverse": True, "data": [SOURCE_LABELS.get(k, k) for k, _ in items],
                   "axisLabel": {"fontSize": 10}}],
        "series": [
            {"type": "bar", "name": "loss ($B)", "data": losses, "label": {"show": True, "position": "right", "fontSize": 9}},
            {"type": "bar", "name": "share (%)", "xAxisIndex": 1, "yAxisIndex": 1, "itemStyle": {"color": "#6baed6"},
             "data": [round(100 * v, 1) for _, v in items],
             "label": {"show": True, "position": "right", "fontSize": 9, "formatter": "{c}%"}},
        ],
    }
