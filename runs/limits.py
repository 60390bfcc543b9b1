"""The checks every command applies to its inputs before any work: run lengths, numbers, paths and
scheduler addresses. Each raises ``ValueError`` with one line naming the input, the value and what
is allowed; the commands print it and exit with code 2, having written nothing.
"""

from __future__ import annotations

import math
import os
import socket
from pathlib import Path
from urllib.parse import urlsplit

#: the longest run, in years (``ailoop run --years`` and a spec's ``years``)
MAX_YEARS = 30.0
#: the shortest run: one trading day (the model has 252 a year)
MIN_YEARS = 1.0 / 252.0
#: Dask scheduler address schemes
SCHEMES = ("tcp", "tls", "ws", "wss", "inproc", "ucx")


def _show(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g}"
    return repr(value)


def check_years(value, what: str = "--years") -> float:
    """A run length in years: a finite number from one trading day to :data:`MAX_YEARS`."""
    allowed = f"allowed: from one trading day (1/252 = {MIN_YEARS:.5f} years) to {MAX_YEARS:g} years"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} {value!r} is not a number; {allowed}")
    v = float(value)
    if not math.isfinite(v) or v < MIN_YEARS - 1e-12 or v > MAX_YEARS:
        raise ValueError(f"{what} {_show(value)} is out of range; {allowed}")
    return v


def check_number(value, what: str, *, lo: float | None = None, hi: float | None = None,
                 lo_open: bool = False, hi_open: bool = False, integer: bool = False):
    """``value`` as a finite number within the given bounds (open or closed), else ValueError."""
    lo_s = "" if lo is None else f"{'(' if lo_open else '['}{lo:g}"
    hi_s = "" if hi is None else f"{hi:g}{')' if hi_open else ']'}"
    kind = "an integer" if integer else "a number"
    if lo is not None and hi is not None:
        allowed = f"{kind} in {lo_s}, {hi_s}"
    elif lo is not None:
        allowed = f"{kind} {'>' if lo_open else '>='} {lo:g}"
    elif hi is not None:
        allowed = f"{kind} {'<' if hi_open else '<='} {hi:g}"
    else:
        allowed = kind
    bad = isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value))
    if not bad and integer and float(value) != int(value):
        bad = True
    if not bad:
        v = float(value)
        bad = ((lo is not None and (v <= lo if lo_open else v < lo))
               or (hi is not None and (v >= hi if hi_open else v > hi)))
    if bad:
        raise ValueError(f"{what} {_show(value)} is out of range; allowed: {allowed}")
    return int(value) if integer else float(value)


def check_path_text(path, what: str) -> Path:
    """A path that can be written into JSON, Parquet metadata and SQL: valid UTF-8 text."""
    p = Path(path)
    try:
        os.fspath(p).encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(p).decode("utf-8", "backslashreplace")
        raise ValueError(f"{what} '{shown}': the path is not valid UTF-8; allowed: a path in UTF-8") from None
    return p


def check_scheduler(address: str, timeout: float) -> str:
    """A Dask scheduler address that can be tried: a known scheme, a host that resolves and a port.

    Checked in well under a second, so that a typo fails before the connection timeout."""
    check_number(timeout, "--scheduler-timeout", lo=0.0, lo_open=True, hi=3600.0)
    allowed = f"allowed: SCHEME://HOST:PORT with SCHEME one of {', '.join(SCHEMES)} (e.g. tcp://127.0.0.1:8786)"
    try:
        parts = urlsplit(address)
        port = parts.port
    except ValueError:
        raise ValueError(f"--scheduler {address!r} is not a scheduler address; {allowed}") from None
    if parts.scheme == "inproc":
        return address
    if parts.scheme not in SCHEMES or not parts.hostname or port is None:
        raise ValueError(f"--scheduler {address!r} is not a scheduler address; {allowed}")
    try:
        socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise ValueError(f"--scheduler {address!r}: host {parts.hostname!r} is unknown "
                         f"({getattr(e, 'strerror', None) or e}); {allowed}") from None
    return address


def effective_workers(requested: int | None, n_runs: int, force: bool = False) -> tuple[int, str | None]:
    """The local worker processes to start, and a warning if the request was cut.

    Default: every core. More than the cores is capped to the cores unless ``force`` (more
    processes than cores only share them, and each holds a model in memory); never more than
    the runs to do."""
    cores = os.cpu_count() or 1
    n = cores if requested is None else int(requested)
    warning = None
    if n > cores and not force:
        warning = (f"--workers {n} is more than the {cores} cores of this machine; using {cores} "
                   "(--force-workers to start them all anyway)")
        n = cores
    if n_runs and n > n_runs:
        n = n_runs
    return max(1, n), warning
