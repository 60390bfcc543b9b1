"""The parameter table: every tunable number of the model, with unit, allowed range and source.

Each :class:`Param` names its default, its unit, the closed interval of values the model accepts,
and where the default comes from: a line of ``shared/CALIBRATION.md`` ("calibration: ..."),
arithmetic on such lines ("derived: ..."), or "assumption". ``docs/parameters.md`` is generated
from this table (``python -m model.params``) and a test keeps the two in step.

Money is in $ billions, capacity in GW, time in months unless the unit says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping


class ParameterError(ValueError):
    """An unknown parameter, a value of the wrong type, or a value outside the allowed range."""


@dataclass(frozen=True)
class Param:
    """One model parameter.

    ``kind`` is ``float``, ``int`` or ``bool``; ``lo``/``hi`` bound the accepted values (inclusive).
    """

    name: str
    default: float | int | bool
    unit: str
    lo: float
    hi: float
    source: str
    doc: str
    kind: type = float

    def allowed(self) -> str:
        """The allowed values, as the one-line error messages print them."""
        if self.kind is bool:
            return "true or false"
        return f"{self.kind.__name__} in [{self.lo:g}, {self.hi:g}] {self.unit}"

    def coerce(self, value: Any) -> float | int | bool:
        """Return ``value`` as this parameter's type, or raise :class:`ParameterError`."""
        if isinstance(value, str):
            value = _parse_text(value)
        if self.kind is bool:
            if isinstance(value, bool):
                return value
            raise ParameterError(f"parameter {self.name!r}: {value!r} is not allowed; allowed: {self.allowed()}")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParameterError(f"parameter {self.name!r}: {value!r} is not a number; allowed: {self.allowed()}")
        if self.kind is int:
            if float(value) != int(value):
                raise ParameterError(f"parameter {self.name!r}: {value!r} is not an integer; allowed: {self.allowed()}")
            value = int(value)
        else:
            value = float(value)
        if not (self.lo <= value <= self.hi) or value != value:
            raise ParameterError(f"parameter {self.name!r}: {value!r} is out of range; allowed: {self.allowed()}")
        return value


def _parse_text(text: str) -> Any:
    t = text.strip()
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    try:
        return int(t)
    except ValueError:
        pass
    try:
        return float(t)
    except ValueError:
        return t


_P = Param
_TABLE: list[Param] = [
    # --- run and calendar -------------------------------------------------------------------
    _P("checks", True, "flag", 0, 1, "assumption", "check the books (accounting identities) after every step", bool),
    # --- end-user demand --------------------------------------------------------------------
    _P("real_demand_growth", 0.60, "1/year (log growth)", -0.5, 2.0,
       "derived: lab revenue $13B (2025) -> ~$100B (2029), calibration 'AI lab revenue projection'",
       "drift of real end-user AI spending: the dial between circular trade (low) and market creation (high)"),
    _P("demand_volatility", 0.06, "1/sqrt(month)", 0.0, 0.5, "assumption",
       "monthly log-volatility of the common end-user demand factor"),
    _P("demand_idio_volatility", 0.03, "1/sqrt(month)", 0.0, 0.5, "assumption",
       "monthly log-volatility specific to each demand stream (lab, lab_spv, hyperscalers, rest of market)"),
    _P("lab_demand_0", 1.40, "$B/month", 0.1, 20.0,
       "derived: 2025 revenue run-rate >$20B (Oct 2025) / 12 ≈ $1.7B; Sept level assumed $1.4B",
       "lab end-user demand (what users would spend on the lab's products) at the start"),
    _P("lab_revenue_per_gw", 8.0, "$B per GW-year", 1.0, 40.0,
       "derived: ~$13B 2025 revenue on ~1.7 GW served (assumption)",
       "revenue the lab can earn per GW of compute it is served (monetisation of capacity)"),
    _P("revenue_per_gw_growth", 0.15, "1/year", 0.0, 1.0, "assumption",
       "yearly growth of revenue per GW (efficiency, pricing)"),
    _P("lab_opex_0", 0.50, "$B/month", 0.0, 10.0,
       "derived: 2025 burn $8.5B on $13B revenue, calibration 'AI lab cash burn'",
       "the lab's non-compute operating cost (staff, sales, other) at the start"),
    _P("lab_opex_growth", 0.35, "1/year", 0.0, 2.0, "assumption", "growth of the lab's non-compute operating cost"),
    _P("revenue_share_partner", 0.20, "share of revenue", 0.0, 0.5,
       "calibration: AI lab revenue share to its hyperscaler partner 20% (FT)",
       "share of the lab's revenue paid to hyper_1"),
    _P("runway_trigger_months", 12.0, "months", 1.0, 36.0, "assumption",
       "the lab raises a round when cash covers fewer months of trailing net burn than this"),
    _P("round_target_months", 24.0, "months", 3.0, 60.0, "assumption",
       "a round aims to fund this many months of projected net burn"),
]

PARAMETERS: dict[str, Param] = {p.name: p for p in _TABLE}


def defaults() -> dict[str, Any]:
    """All parameters at their default values."""
    return {p.name: p.default for p in _TABLE}


def validate_params(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Check ``overrides`` against the table and return them coerced to each parameter's type.

    Raises :class:`ParameterError` with a one-line message naming the first offending parameter
    and what is allowed.
    """
    out: dict[str, Any] = {}
    for name, value in overrides.items():
        p = PARAMETERS.get(name)
        if p is None:
            close = sorted(n for n in PARAMETERS if n.split("_")[0] == str(name).split("_")[0])[:5]
            hint = f" (similar: {', '.join(close)})" if close else ""
            raise ParameterError(f"unknown parameter {name!r}{hint}; see `ailoop params` for the list")
        out[name] = p.coerce(value)
    return out


def resolve(overrides: Mapping[str, Any] | None = None, base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then ``base`` (a scenario's settings), then ``overrides``; all validated."""
    params = defaults()
    params.update(validate_params(base or {}))
    params.update(validate_params(overrides or {}))
    return params


def markdown_table() -> str:
    """The parameter table as Markdown (the content of ``docs/parameters.md``)."""
    lines = [
        "# Parameters",
        "",
        "Generated by `python -m model.params` from `model/params.py`; do not edit by hand.",
        "Money in $ billions, capacity in GW, time in months unless the unit says otherwise.",
        "",
        "| name | default | unit | allowed | source | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for p in _TABLE:
        allowed = "true/false" if p.kind is bool else f"[{p.lo:g}, {p.hi:g}]"
        lines.append(f"| `{p.name}` | {p.default} | {p.unit} | {allowed} | {p.source} | {p.doc} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(markdown_table(), end="")
