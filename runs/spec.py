"""Sweep specs: parse and validate a TOML spec, derive the run seeds, and build the design.

A spec (see ``docs/sweeps.md``) names the model and scenario, the run length in years, fixed
parameters, varied parameters (lists or ranges), the design, the replications per design point,
a base seed and the outputs to keep. :func:`load_spec` turns it into a :class:`SweepSpec` or raises
:class:`SpecError` with a one-line message naming the offending key or value; nothing else is done
before a spec is valid. :func:`build_design` turns a spec into a :class:`Design`: the list of
design points (in SALib sample-matrix order for the sampled designs), each run's id and seed.

Run ids are ``p<point>-r<replication>`` (zero-padded) and run seeds come from
``numpy.random.SeedSequence(seed, spawn_key=(point, replication))``, so both depend only on the
spec, never on which engine ran what, in which order.

Besides the model's parameters, two run settings can be varied: ``scenario`` (a list of scenario
names) and ``years`` (a list, or a range). :func:`check_design` then checks the whole design
before any run: every scenario and run length, every series name against the columns the
model records (read from an economy built with the point's settings), and every design point
against the model's joint constraints (``model/constraints.py``).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import tomllib
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from ailoop.model.params import Param
from ailoop.runs.limits import MAX_YEARS, MIN_YEARS, check_years
from ailoop.runs.toy_models import ModelDef, get_model

DESIGNS = ("grid", "random", "lhs", "sobol", "morris")
SAMPLED = ("random", "lhs", "sobol", "morris")
SEED_MODES = ("independent", "common")
_TOP_KEYS = (
    "name", "description", "model", "scenario", "years", "seed", "replications", "design", "samples",
    "seeds", "fixed", "vary", "outputs", "options",
)
_OUTPUT_KEYS = ("series", "every", "summary")
#: run settings that can be varied like parameters (they are columns of the runs table)
RUN_FACTORS = ("scenario", "years")
_YEARS_PARAM = Param("years", 1.0, "years", MIN_YEARS, MAX_YEARS, "run setting", "run length", float)
_OPTION_KEYS = ("second_order", "levels")
_RANGE_KEYS = ("min", "max", "num", "log")
# spawn key of the random design's generator; run seeds use keys of length 1 or 2, so no overlap
_DESIGN_KEY = (2**32 - 1, 2**32 - 1, 0)


class SpecError(ValueError):
    """A bad sweep spec (or sweep setup); the message is one line and names the problem."""


@dataclass(frozen=True)
class Factor:
    """One varied parameter: a discrete list of ``values`` or a range ``[lo, hi]``.

    A range is sampled uniformly (log-uniformly when ``log``) by the sampled designs and split into
    ``num`` points (``numpy.linspace`` / ``geomspace``) by the grid. A list is used as is by the grid
    and as a discrete factor (each value equally likely) by the sampled designs, whose sample
    coordinate for it runs over [0, 1].
    """

    name: str
    param: Param | None = field(repr=False, compare=False)
    values: tuple | None = None
    lo: float | None = None
    hi: float | None = None
    num: int | None = None
    log: bool = False

    @property
    def kind(self) -> type:
        """The type of the factor's values: the parameter's kind, ``str`` for ``scenario``."""
        return str if self.param is None else self.param.kind

    def sample_bounds(self) -> list[float]:
        """The bounds of this factor's column in the sample matrix (SALib ``problem["bounds"]``)."""
        if self.values is not None:
            return [0.0, 1.0]
        if self.log:
            return [math.log(self.lo), math.log(self.hi)]
        return [float(self.lo), float(self.hi)]

    def grid_values(self) -> tuple:
        """The values the grid design takes for this factor."""
        if self.values is not None:
            return self.values
        n = int(self.num)
        xs = np.geomspace(self.lo, self.hi, n) if self.log else np.linspace(self.lo, self.hi, n)
        return tuple(dict.fromkeys(self.from_sample(float(x), log_space=False) for x in xs))

    def from_sample(self, x: float, log_space: bool = True) -> Any:
        """The parameter value for sample-matrix coordinate ``x`` (clipped to the allowed range)."""
        if self.values is not None:
            n = len(self.values)
            return self.values[min(max(int(math.floor(x * n)), 0), n - 1)]
        v = math.exp(x) if (self.log and log_space) else x
        v = min(max(v, self.lo), self.hi)
        if self.param.kind is int:
            v = int(round(v))
        return self.param.coerce(v)

    def to_dict(self) -> dict[str, Any]:
        if self.values is not None:
            return {"values": list(self.values)}
        d: dict[str, Any] = {"min": self.lo, "max": self.hi, "log": self.log}
        if self.num is not None:
            d["num"] = self.num
        return d


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep spec. See ``docs/sweeps.md`` for every key."""

    model: str
    scenario: str
    years: float
    seed: int
    replications: int
    design: str
    samples: int | None
    fixed: dict[str, Any]
    factors: tuple[Factor, ...]
    series: tuple[str, ...] = ()
    every: int = 1
    summary: tuple[str, ...] | None = None
    second_order: bool = False
    levels: int = 4
    seeds: str = "independent"
    name: str = ""
    description: str = ""
    source: str | None = field(default=None, compare=False)
    text: str | None = field(default=None, compare=False, repr=False)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.factors]

    @property
    def param_factors(self) -> tuple[Factor, ...]:
        """The varied model parameters (not the run settings ``scenario`` and ``years``)."""
        return tuple(f for f in self.factors if f.name not in RUN_FACTORS)

    def scenarios(self) -> tuple[str, ...]:
        """Every scenario the sweep runs."""
        f = next((f for f in self.factors if f.name == "scenario"), None)
        return (self.scenario,) if f is None else f.values

    def years_values(self) -> tuple[float, ...]:
        """Every run length the sweep uses (the bounds, for a range)."""
        f = next((f for f in self.factors if f.name == "years"), None)
        if f is None:
            return (float(self.years),)
        return tuple(float(v) for v in f.values) if f.values is not None else (f.lo, f.hi)

    def to_dict(self) -> dict[str, Any]:
        """The normalized spec (JSON-able); what the manifest stores and the spec hash covers."""
        return {
            "name": self.name, "description": self.description, "model": self.model,
            "scenario": self.scenario, "years": self.years, "seed": self.seed,
            "replications": self.replications, "design": self.design, "samples": self.samples,
            "seeds": self.seeds, "fixed": dict(self.fixed),
            "vary": {f.name: f.to_dict() for f in self.factors},
            "outputs": {"series": list(self.series), "every": self.every,
                        "summary": None if self.summary is None else list(self.summary)},
            "options": {"second_order": self.second_order, "levels": self.levels},
        }

    def hash(self) -> str:
        """A short hash of :meth:`to_dict`; ``--resume`` refuses a directory made by another spec."""
        return _hash(json.dumps(self.to_dict(), sort_keys=True, default=str))


def _hash(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()[:16]


# --- parsing -------------------------------------------------------------------------------------


def load_spec(path: str | Path) -> SweepSpec:
    """Read and validate the TOML spec at ``path``; :class:`SpecError` (one line) if it is bad."""
    from ailoop.runs.limits import check_path_text

    try:
        p = check_path_text(path, "spec")
    except ValueError as e:
        raise SpecError(str(e)) from None
    try:
        data = p.read_bytes()
    except OSError as e:
        raise SpecError(f"cannot read spec {str(p)!r}: {e.strerror or e}") from None
    return parse_spec(decode_spec(data, str(p)), source=str(p))


def decode_spec(data: bytes, where: str = "spec") -> str:
    """The text of a spec file: UTF-8 (TOML's encoding; a UTF-8 byte-order mark is allowed), else
    :class:`SpecError` naming the encoding it looks like and what to do."""
    fix = "save it as UTF-8 (TOML files are UTF-8)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) > 1 and b"\x00" in data[:64]):
        raise SpecError(f"spec {where!r} is UTF-16 text, not UTF-8; {fix}")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = data[e.start:e.start + 1]
        raise SpecError(f"spec {where!r} is not UTF-8 (byte 0x{bad.hex()} at offset {e.start}; Latin-1 or "
                        f"Windows-1252 text?); {fix}") from None


def parse_spec(text: str | Mapping[str, Any], source: str | None = None) -> SweepSpec:
    """Validate a spec given as TOML text or as an already-parsed mapping."""
    if isinstance(text, str):
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise SpecError(f"malformed TOML: {_one_line(e)}") from None
    else:
        data = dict(text)
    try:
        return _parse(data, source, text if isinstance(text, str) else None)
    except SpecError:
        raise
    except ValueError as e:  # ParameterError, ScenarioError, unknown model: already one line
        raise SpecError(_one_line(e)) from None


def _one_line(e: BaseException | str) -> str:
    return " ".join(str(e).split())


def _unknown(keys, allowed, where: str) -> None:
    for k in keys:
        if k not in allowed:
            raise SpecError(f"unknown key {k!r} in {where}; allowed: {', '.join(allowed)}")


def _int(data, key, default, lo=None, where="spec") -> int:
    v = data.get(key, default)
    if isinstance(v, bool) or not isinstance(v, int):
        raise SpecError(f"{where} {key!r} must be an integer, got {v!r}")
    if lo is not None and v < lo:
        raise SpecError(f"{where} {key!r} must be >= {lo}, got {v}")
    return v


def _str(data, key, default, allowed=None) -> str:
    v = data.get(key, default)
    if not isinstance(v, str):
        raise SpecError(f"spec {key!r} must be a string, got {v!r}")
    if allowed is not None and v not in allowed:
        raise SpecError(f"unknown {key} {v!r}; allowed: {', '.join(allowed)}")
    return v


def _table(data, key) -> dict:
    v = data.get(key, {})
    if not isinstance(v, dict):
        raise SpecError(f"spec {key!r} must be a table ([{key}]), got {v!r}")
    return v


def _parse(data: dict, source: str | None, text: str | None = None) -> SweepSpec:
    _unknown(data, _TOP_KEYS, "the spec")
    mdef = get_model(_str(data, "model", "ailoop"))
    scenario = _str(data, "scenario", "baseline")
    mdef.check_scenario(scenario)
    years = data.get("years", 1)
    try:
        check_years(years, "spec 'years'")
    except ValueError as e:
        raise SpecError(str(e)) from None
    seed = _int(data, "seed", 0, lo=0)
    replications = _int(data, "replications", 1, lo=1)
    design = _str(data, "design", "grid", DESIGNS)
    seeds = _str(data, "seeds", "independent", SEED_MODES)
    samples = None
    if design in SAMPLED:
        if "samples" not in data:
            raise SpecError(f"design {design!r} needs 'samples'")
        samples = _int(data, "samples", None, lo=1)
        if design == "sobol" and samples & (samples - 1):
            raise SpecError(f"design 'sobol' needs 'samples' to be a power of 2, got {samples}")
    elif "samples" in data:
        _int(data, "samples", None, lo=1)  # type-checked, unused by the grid

    options = _table(data, "options")
    _unknown(options, _OPTION_KEYS, "[options]")
    second_order = options.get("second_order", False)
    if not isinstance(second_order, bool):
        raise SpecError(f"[options] 'second_order' must be true or false, got {second_order!r}")
    levels = _int(options, "levels", 4, lo=2, where="[options]")

    fixed_raw = _table(data, "fixed")
    try:
        fixed = mdef.validate(fixed_raw)
    except ValueError as e:
        raise SpecError(f"[fixed] {_one_line(e)}") from None

    vary = _table(data, "vary")
    factors = []
    for name, value in vary.items():
        if name in fixed:
            raise SpecError(f"parameter {name!r} is both in [fixed] and in [vary]")
        if name in RUN_FACTORS and name in data:
            raise SpecError(f"{name!r} is both a top-level setting and in [vary]; give it in one place")
        factors.append(_run_factor(mdef, name, value, design) if name in RUN_FACTORS
                       else _factor(mdef, name, value, design))
    if design in ("sobol", "morris") and not factors:
        raise SpecError(f"design {design!r} needs at least one parameter in [vary]")

    outputs = _table(data, "outputs")
    _unknown(outputs, _OUTPUT_KEYS, "[outputs]")
    series = outputs.get("series", [])
    if not isinstance(series, list) or not all(isinstance(s, str) for s in series):
        raise SpecError(f"[outputs] 'series' must be a list of column names, got {series!r}")
    if len(set(series)) != len(series):
        raise SpecError(f"[outputs] 'series' names a column twice: {series!r}")
    if mdef.series_columns is not None:
        for s in series:
            if s not in mdef.series_columns:
                raise SpecError(
                    f"[outputs] unknown series column {s!r} for model {mdef.name!r}; "
                    f"allowed: {', '.join(mdef.series_columns)}"
                )
    every = _int(outputs, "every", 1, lo=1, where="[outputs]")
    summary = outputs.get("summary")
    if summary is not None and (not isinstance(summary, list) or not all(isinstance(s, str) for s in summary)):
        raise SpecError(f"[outputs] 'summary' must be a list of output names, got {summary!r}")

    return SweepSpec(
        model=mdef.name, scenario=scenario, years=years, seed=seed, replications=replications,
        design=design, samples=samples, fixed=fixed, factors=tuple(factors), series=tuple(series),
        every=every, summary=None if summary is None else tuple(summary), second_order=second_order,
        levels=levels, seeds=seeds, name=str(data.get("name", "")),
        description=str(data.get("description", "")), source=source, text=text,
    )


def _run_factor(mdef: ModelDef, name: str, value: Any, design: str) -> Factor:
    """``scenario`` (a list of names) or ``years`` (a list, or a range) as a factor."""
    if name == "scenario":
        values = value if isinstance(value, list) else [value]
        if not values or not all(isinstance(v, str) for v in values):
            raise SpecError(f"[vary] 'scenario' must be a list of scenario names, got {value!r}")
        for v in values:
            mdef.check_scenario(v)
        return Factor(name, None, values=tuple(dict.fromkeys(values)))

    def years(v):
        try:
            return check_years(v, "[vary] 'years'")
        except ValueError as e:
            raise SpecError(str(e)) from None

    if isinstance(value, dict):
        return _factor(mdef, name, value, design, param=_YEARS_PARAM, coerce_with=years)
    values = value if isinstance(value, list) else [value]
    if not values:
        raise SpecError("[vary] 'years': the list of values is empty")
    return Factor(name, _YEARS_PARAM, values=tuple(dict.fromkeys(years(v) for v in values)))


def _factor(mdef: ModelDef, name: str, value: Any, design: str, param: Param | None = None,
            coerce_with=None) -> Factor:
    if param is None:
        table = mdef.params()
        if name not in table:
            try:
                mdef.validate({name: None})  # the model's own "unknown parameter" message
            except ValueError as e:
                raise SpecError(f"[vary] {_one_line(e)}") from None
        param = table[name]

    def coerce(v):
        if coerce_with is not None:
            return coerce_with(v)
        try:
            return param.coerce(v)
        except ValueError as e:
            raise SpecError(f"[vary] {_one_line(e)}") from None

    if isinstance(value, list):
        if not value:
            raise SpecError(f"[vary] {name!r}: the list of values is empty")
        values = tuple(dict.fromkeys(coerce(v) for v in value))
        return Factor(name, param, values=values)
    if isinstance(value, dict):
        _unknown(value, _RANGE_KEYS, f"[vary] {name!r}")
        if "min" not in value or "max" not in value:
            raise SpecError(f"[vary] {name!r}: a range needs both 'min' and 'max'")
        if param.kind is bool:
            raise SpecError(f"[vary] {name!r} is true/false; give a list [true, false], not a range")
        lo, hi = coerce(value["min"]), coerce(value["max"])
        if not lo < hi:
            raise SpecError(f"[vary] {name!r}: 'min' ({lo}) must be below 'max' ({hi})")
        log = value.get("log", False)
        if not isinstance(log, bool):
            raise SpecError(f"[vary] {name!r}: 'log' must be true or false, got {log!r}")
        if log and lo <= 0:
            raise SpecError(f"[vary] {name!r}: a log range needs 'min' > 0, got {lo}")
        num = None
        if design == "grid":
            if "num" not in value:
                raise SpecError(f"[vary] {name!r}: a range needs 'num' (number of points) for the grid design")
            num = _int(value, "num", None, lo=1, where=f"[vary] {name!r}")
        return Factor(name, param, lo=float(lo), hi=float(hi), num=num, log=log)
    # a single value: a one-point factor (handy to keep a column in the table)
    return Factor(name, param, values=(coerce(value),))


# --- design --------------------------------------------------------------------------------------


@dataclass
class Design:
    """The design points of a spec and the runs (point x replication) they expand to.

    For the sampled designs ``raw`` is the sample matrix (``n_points x k``, SALib order, in the
    coordinates of ``problem["bounds"]``) and row ``i`` is design point ``i``. For the grid,
    points are the Cartesian product of the factors' values, last factor varying fastest.
    """

    spec: SweepSpec
    n_points: int
    raw: np.ndarray | None = None
    problem: dict | None = None
    _grid: list[tuple] | None = None

    @property
    def names(self) -> list[str]:
        return self.spec.names

    @property
    def replications(self) -> int:
        return self.spec.replications

    @property
    def n_runs(self) -> int:
        return self.n_points * self.spec.replications

    def point(self, i: int) -> dict[str, Any]:
        """The varied parameter values of design point ``i``."""
        if self.raw is not None:
            return {f.name: f.from_sample(float(x)) for f, x in zip(self.spec.factors, self.raw[i])}
        values, out = self._grid, {}
        for f, vals in zip(reversed(self.spec.factors), reversed(values)):
            i, r = divmod(i, len(vals))
            out[f.name] = vals[r]
        return {n: out[n] for n in self.names}

    def run_id(self, point: int, rep: int) -> str:
        return f"p{point:06d}-r{rep:03d}"

    def seed(self, point: int, rep: int) -> int:
        """The run's seed: 63 bits from ``SeedSequence(seed, spawn_key=(point, rep))``.

        With ``seeds = "common"`` the key is ``(rep,)``: every point shares the same seeds
        (common random numbers), which sharpens comparisons between points.
        """
        key = (rep,) if self.spec.seeds == "common" else (point, rep)
        state = np.random.SeedSequence(self.spec.seed, spawn_key=key).generate_state(1, np.uint64)[0]
        return int(state >> np.uint64(1))

    def hash(self) -> str:
        """A hash of the design points; ``--resume`` checks the design is rebuilt identically."""
        h = hashlib.sha256(json.dumps([self.names, self.n_points, self.replications]).encode())
        if self.raw is not None:
            h.update(np.ascontiguousarray(self.raw, dtype=np.float64).tobytes())
        else:
            h.update(json.dumps(self._grid, default=str).encode())
        return h.hexdigest()[:16]

    def info(self) -> dict[str, Any]:
        """What the manifest records about the design."""
        return {
            "kind": self.spec.design, "names": self.names, "n_points": self.n_points,
            "replications": self.replications, "n_runs": self.n_runs, "problem": self.problem,
            "second_order": self.spec.second_order, "levels": self.spec.levels,
            "samples": self.spec.samples, "hash": self.hash(),
            "order": "grid: Cartesian product, last factor fastest" if self.raw is None
            else "point i = row i of the SALib sample matrix (design.parquet)",
        }


def build_design(spec: SweepSpec) -> Design:
    """Expand ``spec`` into its design points (deterministic given the spec)."""
    if spec.design == "grid":
        grid = [f.grid_values() for f in spec.factors]
        return Design(spec, n_points=math.prod(len(v) for v in grid), _grid=grid)
    k = len(spec.factors)
    problem = {"num_vars": k, "names": spec.names, "bounds": [f.sample_bounds() for f in spec.factors]}
    n = spec.samples
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            raw = _sample(spec, problem, k, n)
        except Exception as e:  # SALib's own checks, e.g. too few levels
            raise SpecError(f"cannot build the {spec.design} design: {_one_line(e)}") from None
    return Design(spec, n_points=int(raw.shape[0]), raw=np.asarray(raw, dtype=np.float64), problem=problem)


def _sample(spec: SweepSpec, problem: dict, k: int, n: int) -> np.ndarray:
    if k == 0:
        return np.zeros((n, 0))
    if spec.design == "random":
        rng = np.random.default_rng(np.random.SeedSequence(spec.seed, spawn_key=_DESIGN_KEY))
        b = np.array(problem["bounds"])
        return b[:, 0] + rng.random((n, k)) * (b[:, 1] - b[:, 0])
    if spec.design == "lhs":
        from SALib.sample import latin

        return latin.sample(problem, n, seed=spec.seed)
    if spec.design == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, n, calc_second_order=spec.second_order, scramble=True, seed=spec.seed)
    if spec.design == "morris":
        from SALib.sample import morris

        return morris.sample(problem, n, num_levels=spec.levels, seed=spec.seed)
    raise SpecError(f"unknown design {spec.design!r}")  # pragma: no cover


def iter_points(design: Design):
    """Yield ``(point index, values)`` for every design point, lazily."""
    for i in range(design.n_points):
        yield i, design.point(i)


def run_settings(spec: SweepSpec, point: Mapping[str, Any]) -> tuple[str, float, dict[str, Any]]:
    """``(scenario, years, parameters)`` of a design point: the run settings split from the
    model's parameters (the fixed ones, then the point's)."""
    params = {**spec.fixed}
    scenario, years = spec.scenario, float(spec.years)
    for k, v in point.items():
        if k == "scenario":
            scenario = v
        elif k == "years":
            years = float(v)
        else:
            params[k] = v
    return scenario, years, params


@dataclass
class DesignCheck:
    """What :func:`check_design` found: ``infeasible`` (sorted point indices that break a joint
    constraint) and the reason of the first one."""

    n_points: int
    infeasible: list[int]
    first_reason: str = ""

    @property
    def share(self) -> float:
        return len(self.infeasible) / self.n_points if self.n_points else 0.0

    def describe(self, design: Design) -> str:
        """One line: how many points are infeasible, and the first with its reason."""
        if not self.infeasible:
            return f"all {self.n_points} design points meet the joint constraints"
        i = self.infeasible[0]
        shown = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in design.point(i).items())
        return (f"{len(self.infeasible)} of {self.n_points} design points ({100 * self.share:.1f}%) break a joint "
                f"constraint; first: point {i} ({shown}): {self.first_reason}")


def check_design(spec: SweepSpec, design: Design, allow_infeasible: bool = False) -> DesignCheck:
    """Check every design point before any run (:class:`SpecError`, one line, if one fails).

    * the series columns, against the columns the model records with each scenario's settings
      (read from a model built with the fixed parameters and the first point's values);
    * every point against the model's joint constraints. A grid point that breaks one is refused
      (a grid names its points: fix the grid); for a sampled design the share of infeasible
      points is reported and the sweep refused unless ``allow_infeasible`` (those runs are then
      recorded with ``status = "infeasible"``, without running).
    """
    mdef = get_model(spec.model)
    if spec.series and mdef.series_columns is None and mdef.columns_for is not None:
        first = design.point(0) if design.n_points else {}
        for scenario in spec.scenarios():
            _, _, params = run_settings(spec, {**first, "scenario": scenario})
            try:
                allowed = mdef.series_for(scenario, params)
            except ValueError as e:  # the point itself is refused: reported below
                if mdef.check_point is None:
                    raise
                break
            for name in spec.series:
                if name not in allowed:
                    close = difflib.get_close_matches(name, allowed, n=4, cutoff=0.6)
                    hint = f" (similar: {', '.join(close)})" if close else ""
                    raise SpecError(f"[outputs] unknown series column {name!r} for scenario {scenario!r}{hint}; "
                                    "allowed: a per-step column of docs/outputs.md (e.g. market_value_total, "
                                    "price.cloud)")
    infeasible: list[int] = []
    first_reason = ""
    if mdef.check_point is not None:
        checker = mdef.check_point()
        for i in range(design.n_points):
            scenario, _, params = run_settings(spec, design.point(i))
            why = checker(scenario, params)
            if why is not None:
                if not infeasible:
                    first_reason = _one_line(why)
                infeasible.append(i)
    found = DesignCheck(design.n_points, infeasible, first_reason)
    if infeasible:
        if spec.design == "grid":
            raise SpecError(f"grid: {found.describe(design)}; change the grid or [fixed]")
        if not allow_infeasible:
            raise SpecError(f"{spec.design} design: {found.describe(design)}; narrow the ranges, or pass "
                            "--allow-infeasible to record those runs as infeasible")
    return found


__all__ = ["SpecError", "SweepSpec", "Factor", "Design", "DesignCheck", "load_spec", "parse_spec", "build_design",
           "check_design", "run_settings", "iter_points", "DESIGNS", "RUN_FACTORS"]
