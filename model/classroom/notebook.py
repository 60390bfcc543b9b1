"""Small helpers the teaching notebooks share: claims over seeds with their spread, a decision
rule swapped for a lesson, the model's one-line errors, and an honest run time.

A claim in a lesson is computed over the notebook's seeds and printed with its spread, never read
off one run: :func:`spread` writes ``mean ± sd (min … max) over n seeds``, :func:`paired` the
difference of two settings run on the same seeds (common random numbers) with its 95% interval;
:func:`run_seeds` runs the seeds on the machine's cores.
:func:`rule` swaps a method of an agent class (a decision rule) for the length of a ``with``
block, so a student can change how an agent decides and put it back.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing as mp
import time
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

#: two-sided 97.5% quantiles of Student's t for n - 1 = 1 … 30 degrees of freedom (n seeds), from
#: the distribution's tables; 1.96 beyond
T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042)


def t975(dof: int) -> float:
    return T975[dof - 1] if 1 <= dof <= len(T975) else 1.96


def spread(values: Iterable[float], unit: str = "", digits: int = 1) -> str:
    """``mean ± sd (min … max) over n seeds`` of ``values`` (NaN left out), with ``unit``."""
    v = np.asarray([x for x in values if x is not None and not (isinstance(x, float) and math.isnan(x))], dtype=float)
    if not len(v):
        return "no value"
    u = f" {unit}" if unit else ""
    sd = v.std(ddof=1) if len(v) > 1 else 0.0
    return f"{v.mean():,.{digits}f} ± {sd:,.{digits}f}{u} ({v.min():,.{digits}f} … {v.max():,.{digits}f}) over {len(v)} seeds"


@dataclass(frozen=True)
class Paired:
    """The difference ``a - b`` of two settings on the same seeds."""

    mean: float
    sd: float
    n: int
    positive: int  # seeds with a > b
    low: float  # 95% interval of the mean difference (Student's t)
    high: float

    def text(self, unit: str = "", digits: int = 1) -> str:
        u = f" {unit}" if unit else ""
        return (f"{self.mean:+,.{digits}f}{u} on average (95% interval {self.low:+,.{digits}f} … {self.high:+,.{digits}f}), "
                f"higher in {self.positive} of {self.n} seeds")


def paired(a: Iterable[float], b: Iterable[float]) -> Paired:
    """The difference of two settings run on the same seeds, seed by seed."""
    d = np.asarray(list(a), dtype=float) - np.asarray(list(b), dtype=float)
    n = len(d)
    sd = d.std(ddof=1) if n > 1 else 0.0
    half = t975(n - 1) * sd / math.sqrt(n) if n > 1 else float("inf")
    return Paired(float(d.mean()), float(sd), n, int((d > 0).sum()), float(d.mean() - half), float(d.mean() + half))


@contextlib.contextmanager
def rule(cls: type, name: str, new: Callable):
    """Swap ``cls.name`` (an agent's decision rule) for ``new`` inside the ``with`` block; the
    original comes back afterwards, even after an error."""
    old = cls.__dict__[name]
    setattr(cls, name, new)
    try:
        yield
    finally:
        setattr(cls, name, old)


def one_line_errors(*errors: type) -> None:
    """Show the model's input errors (bad scenario, bad parameter) in a notebook as one line,
    without a traceback."""
    for error in errors:  # IPython's hook for how an exception is shown (a protocol, not a private member)
        setattr(error, "_render_traceback_", lambda self: [f"{type(self).__name__}: {self}"])


def run_seeds(fn: Callable, seeds: list[int], workers: int = 2) -> list:
    """``[fn(seed) for seed in seeds]``, on ``workers`` processes where the platform can fork them
    (the children inherit the notebook's functions and any rule swapped with :func:`rule`), else
    one after the other. ``fn`` returns plain data (numbers, tables)."""
    if workers <= 1 or len(seeds) <= 1 or "fork" not in mp.get_all_start_methods():
        return [fn(seed) for seed in seeds]
    global _TASK
    _TASK = fn
    with mp.get_context("fork").Pool(min(workers, len(seeds))) as pool:
        return pool.map(_call, seeds)


_TASK: Callable | None = None


def _call(seed):
    return _TASK(seed)


class Clock:
    """The notebook's own run time, from its setup cell to :meth:`report`."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()

    def seconds(self) -> float:
        return time.perf_counter() - self.t0

    def report(self, class_mode: bool, seeds: list[int]) -> str:
        s = self.seconds()
        return (f"This notebook ran in {s:,.0f} s ({s / 60:.1f} minutes) with CLASS_MODE = {class_mode} and seeds "
                f"{seeds[0]}…{seeds[-1]} ({len(seeds)} seeds).")
