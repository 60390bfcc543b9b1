"""The sweep store: Parquet part files, a JSON manifest, resume bookkeeping and DuckDB queries.

Layout of a sweep directory ``DIR``::

    manifest.json              spec, package versions, design, seed rule, sessions, counts, status
    manifest-runs.jsonl        one JSON line per finished run: id, point, replication, seed, status,
                               attempt, timing, error and traceback, part file
    design.parquet             sampled designs only: the sample matrix, one row per design point
                               (column ``point`` = row of the SALib sample matrix)
    runs/part-NNNNNN.parquet   one row per finished run (see "runs columns" below)
    series/part-NNNNNN.parquet per-step rows (run_id, point, rep, step, chosen columns) of the runs
                               in the runs part with the same number
    agents/part-NNNNNN.parquet with ``--keep agents``: the month-end agent rows of those runs
    events/part-NNNNNN.parquet with ``--keep events``: the event log of those runs
    .lock                      held while a sweep writes the directory (``runs/guard.py``)

Runs columns: ``run_id, point, rep, seed, scenario, years, status, attempt`` (2 when retried after
a worker crash; status ``ok``, ``failed``, ``timeout`` or ``infeasible``), the varied
parameters, the fixed parameters, the model's summary outputs (float64; a summary key that
collides with one of these names is stored as ``out_<key>``), then ``elapsed_s, cpu_s`` (seconds
in the worker), ``worker`` (host:pid), ``error`` (one line) and ``traceback``.

Every part file carries the key ``ailoop`` in its Parquet metadata (JSON): the format, the spec
hash, the ailoop version and git commit, the time it was written, and ``base_params``: for each
scenario of the sweep, every parameter of the model with that scenario's settings. A run's full
parameter set is its scenario's ``base_params`` updated with its fixed and varied columns
(:meth:`SweepStore.run_params`).

Results are buffered and written as one part per batch (every ``flush_every`` runs, every
``flush_seconds`` seconds, or when the buffered series reach ``max_series_rows`` rows), so memory
does not grow with the number of runs. Each part is written to a hidden temporary file, fsynced and
renamed into place (``os.replace``): a part file is either complete or absent, whenever the sweep
is stopped. The series part of a batch is committed before its runs part; a run counts as done
when its row is in a runs part, and ``--resume`` deletes series parts without a runs part.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

MANIFEST = "manifest.json"
RUNLOG = "manifest-runs.jsonl"
DESIGN = "design.parquet"
FORMAT = "ailoop-sweep/2"
#: the Parquet metadata key of the store's own description
META_KEY = b"ailoop"
#: the extra tables a sweep can keep, each in its own folder of part files
KEPT = ("agents", "events")
HEAD = ("run_id", "point", "rep", "seed", "scenario", "years", "status", "attempt")
TAIL = ("elapsed_s", "cpu_s", "worker", "error", "traceback")
_TYPES = {
    "run_id": pa.string(), "point": pa.int64(), "rep": pa.int64(), "seed": pa.int64(),
    "scenario": pa.string(), "years": pa.float64(), "status": pa.string(), "attempt": pa.int64(), "elapsed_s": pa.float64(), "cpu_s": pa.float64(),
    "worker": pa.string(), "error": pa.string(), "traceback": pa.string(),
}
_KIND_TYPES = {float: pa.float64(), int: pa.int64(), bool: pa.bool_(), str: pa.string()}


class StoreError(ValueError):
    """A sweep directory that cannot be used as it is (one-line message naming the file and why)."""


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def git_commit() -> str:
    """The commit of the ailoop source tree (``+dirty`` with uncommitted changes), or ``unknown``
    (an installed copy outside git)."""
    repo = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True,
                                text=True, timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "") if commit else "unknown"


def ailoop_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("ailoop")
    except metadata.PackageNotFoundError:
        return "unknown"


def provenance() -> dict[str, str]:
    """What made a result: ``version`` (of ailoop), ``commit`` (git) and ``time`` (UTC, ISO 8601)."""
    return {"version": ailoop_version(), "commit": git_commit(), "time": now_iso()}


def package_versions() -> dict[str, str]:
    """Versions of Python, the platform, the packages that shape results, and the git commit."""
    from importlib import metadata

    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for pkg in ("ailoop", "mesa", "numpy", "pandas", "pyarrow", "duckdb", "SALib", "dask", "distributed", "tqdm"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    out["git_commit"] = git_commit()
    return out


def _atomic_write_bytes(path: Path, write) -> None:
    """Write via ``write(tmp_path)`` to a hidden temporary file, fsync, then rename into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_table_atomic(table: pa.Table, path: Path, metadata: Mapping[bytes, bytes] | None = None) -> None:
    """Write ``table`` as Parquet at ``path`` atomically (temporary file + ``os.replace``);
    ``metadata``: key-value metadata to keep (e.g. of the table it was read from)."""
    if metadata:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **metadata})
    _atomic_write_bytes(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))


def write_json_atomic(obj: Any, path: Path) -> None:
    def write(tmp: Path) -> None:
        tmp.write_text(json.dumps(obj, indent=1, default=_json_default, allow_nan=True) + "\n", encoding="utf-8")

    _atomic_write_bytes(path, write)


def _json_default(o: Any) -> Any:
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    return str(o)


def _sql_str(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class SweepStore:
    """A sweep directory (see the module docstring for its layout)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.runs_dir = self.root / "runs"
        self.series_dir = self.root / "series"
        self.manifest_path = self.root / MANIFEST
        self.log_path = self.root / RUNLOG
        self.design_path = self.root / DESIGN

    def dir_of(self, kind: str) -> Path:
        """The folder of the part files of ``kind``: ``runs``, ``series``, ``agents`` or ``events``."""
        return self.root / kind

    # -- manifest ----------------------------------------------------------------------------------

    def exists(self) -> bool:
        return self.manifest_path.is_file()

    def read_manifest(self) -> dict[str, Any]:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FileNotFoundError(f"{self.root} is not a sweep directory (no {MANIFEST})") from None

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        manifest["updated"] = now_iso()
        write_json_atomic(manifest, self.manifest_path)

    def create(self, manifest: dict[str, Any], design_matrix: np.ndarray | None, names: list[str]) -> None:
        """Make the directory and write the manifest (and ``design.parquet`` for sampled designs)."""
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.series_dir.mkdir(exist_ok=True)
        if design_matrix is not None:
            cols = {"point": pa.array(np.arange(design_matrix.shape[0], dtype=np.int64))}
            for j, n in enumerate(names):
                cols[n] = pa.array(np.ascontiguousarray(design_matrix[:, j], dtype=np.float64))
            write_table_atomic(pa.table(cols), self.design_path)
        self.write_manifest(manifest)

    # -- parts -------------------------------------------------------------------------------------

    def parts(self, kind: str = "runs") -> list[Path]:
        d = self.dir_of(kind)
        return sorted(d.glob("part-*.parquet")) if d.is_dir() else []

    def next_part_index(self) -> int:
        idx = [int(p.stem.split("-")[1]) for k in ("runs", "series", *KEPT) for p in self.parts(k)]
        return max(idx, default=-1) + 1

    def check_parts(self) -> None:
        """Raise :class:`StoreError` naming the first part file that is not a readable Parquet file
        (truncated, overwritten), before a resume or a query trusts it."""
        for kind in ("runs", "series", *KEPT):
            for p in self.parts(kind):
                try:
                    pq.read_metadata(p)
                except (OSError, pa.ArrowException) as e:
                    raise StoreError(f"{p} is damaged ({' '.join(str(e).split())[:120]}); move it away and "
                                     f"resume again (its runs will be run again)") from None

    def check_unique(self) -> None:
        """Raise :class:`StoreError` if a run is recorded in more than one runs part (a copied
        part, or two sweeps that wrote here): a query would count it twice."""
        seen: dict[str, str] = {}
        for p in self.parts("runs"):
            try:
                ids = pq.read_table(p, columns=["run_id"])["run_id"].to_pylist()
            except (OSError, pa.ArrowException) as e:
                raise StoreError(f"{p} is damaged ({' '.join(str(e).split())[:120]})") from None
            for rid in ids:
                if rid in seen:
                    where = f"{seen[rid]} and {p.name}" if seen[rid] != p.name else f"{p.name} (twice)"
                    raise StoreError(f"{self.root}: run {rid} is recorded twice ({where}): the store holds a "
                                     f"duplicated part; remove the copy before querying")
                seen[rid] = p.name

    def recover(self) -> dict[str, int]:
        """Tidy after an interruption: drop temporary files and the series (and kept) parts
        without a runs part."""
        removed = {"tmp": 0, "orphan_series": 0}
        for d in (self.root, *(self.dir_of(k) for k in ("runs", "series", *KEPT))):
            if d.is_dir():
                for tmp in d.glob(".*.tmp"):
                    tmp.unlink()
                    removed["tmp"] += 1
        have = {p.name for p in self.parts("runs")}
        for kind in ("series", *KEPT):
            for p in self.parts(kind):
                if p.name not in have:
                    p.unlink()
                    removed["orphan_series"] += 1
        return removed

    def done_mask(self, n_points: int, replications: int) -> tuple[np.ndarray, int, int]:
        """Which runs (index ``point * replications + rep``) are recorded; and the ok / not-ok counts."""
        mask = np.zeros(n_points * replications, dtype=bool)
        ok = failed = 0
        for p in self.parts("runs"):
            t = pq.read_table(p, columns=["point", "rep", "status"])
            point = t["point"].to_numpy()
            rep = t["rep"].to_numpy()
            status = np.asarray(t["status"].to_pylist(), dtype=object)
            valid = (point < n_points) & (rep < replications)
            mask[point[valid] * replications + rep[valid]] = True
            ok += int((status == "ok").sum())
            failed += int((status != "ok").sum())
        return mask, ok, failed

    def columns(self) -> list[str]:
        """All columns of the runs parts (from the Parquet footers only), in order of first appearance."""
        seen: dict[str, None] = {}
        for p in self.parts("runs"):
            for n in pq.read_schema(p).names:
                seen.setdefault(n, None)
        return list(seen)

    def drop_failed(self) -> int:
        """Remove the rows of failed and timed-out runs from the runs parts (``--retry-failed``);
        return how many."""
        import pyarrow.compute as pc

        dropped = 0
        for p in self.parts("runs"):
            t = pq.read_table(p)
            keep = pc.invert(pc.is_in(t["status"], pa.array(["failed", "timeout"])))
            n_keep = pc.sum(keep).as_py() or 0
            if n_keep == t.num_rows:
                continue
            dropped += t.num_rows - n_keep
            if n_keep:
                write_table_atomic(t.filter(keep), p, metadata=t.schema.metadata)
            else:  # a batch of failed runs only: failed runs have no series rows either
                p.unlink()
                for kind in ("series", *KEPT):
                    other = self.dir_of(kind) / p.name
                    if other.exists():
                        other.unlink()
        return dropped

    def summary_columns(self) -> list[str]:
        """Summary output columns already in the runs parts, in order of first appearance."""
        return [n for n in self.columns() if n not in _TYPES]

    def rebuild_log(self) -> None:
        """Rewrite ``manifest-runs.jsonl`` from the runs parts (used by ``--resume``)."""
        cols = ["run_id", "point", "rep", "seed", "status", "attempt", "elapsed_s", "cpu_s", "worker", "error",
                "traceback"]

        def write(tmp: Path) -> None:
            with open(tmp, "w", encoding="utf-8") as f:
                for p in self.parts("runs"):
                    for row in pq.read_table(p, columns=cols).to_pylist():
                        f.write(_log_line(row, p.name))

        _atomic_write_bytes(self.log_path, write)

    def unify(self) -> int:
        """Give every runs part the same columns (missing summary columns as nulls); return parts rewritten.

        Needed because the summary keys are known only from the runs themselves: a batch of only
        failed runs, or a key that first appears later, leaves a part without some columns, and
        ``pandas.read_parquet(DIR/"runs")`` takes its columns from one part.
        """
        parts = self.parts("runs")
        schemas = [pq.read_schema(p) for p in parts]
        fields: dict[str, pa.Field] = {}
        for s in schemas:
            for f in s:
                fields.setdefault(f.name, f)
        head = [n for n in HEAD if n in fields]
        tail = [n for n in TAIL if n in fields]
        middle = [n for n in fields if n not in HEAD and n not in TAIL]
        order = head + middle + tail
        target = pa.schema([fields[n] for n in order])
        rewritten = 0
        for p, s in zip(parts, schemas):
            if s.names == order:
                continue
            t = pq.read_table(p)
            cols = [t[n] if n in s.names else pa.nulls(len(t), fields[n].type) for n in order]
            write_table_atomic(pa.Table.from_arrays(cols, schema=target), p, metadata=s.metadata)
            rewritten += 1
        return rewritten

    def writer(self, params: list[tuple[str, type]], series: Iterable[str], **kw) -> "PartWriter":
        return PartWriter(self, params, tuple(series), **kw)

    # -- reading and querying ----------------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        """The store's description in the Parquet metadata of its first runs part (see the module
        docstring); empty if there is no part yet."""
        parts = self.parts("runs")
        if not parts:
            return {}
        meta = pq.read_schema(parts[0]).metadata or {}
        return json.loads(meta.get(META_KEY, b"{}"))

    def run_params(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter of the run ``row`` (a runs-table row): its scenario's ``base_params``
        from the metadata, updated with the run's fixed and varied parameter columns."""
        meta = self.metadata()
        base = dict(meta["base_params"][row["scenario"]])
        for name in meta.get("param_columns", []):
            v = row.get(name)
            if v is not None and not (isinstance(v, float) and math.isnan(v)):
                base[name] = v.item() if isinstance(v, np.generic) else v
        return base

    def load_runs(self, columns: list[str] | None = None):
        """All run rows as a pandas DataFrame (``pd.read_parquet(DIR / "runs")`` does the same)."""
        import pandas as pd

        return pd.read_parquet(self.runs_dir, columns=columns)

    def connect(self, check: bool = True):
        """A DuckDB connection with views ``runs``, ``series`` and (if kept) ``agents`` and
        ``events`` over the part files. ``check``: refuse (:class:`StoreError`) a store with a
        damaged part or a run recorded twice."""
        import duckdb

        if check:
            self.check_parts()
            self.check_unique()
        con = duckdb.connect()
        for kind in ("runs", "series", *KEPT):
            if self.parts(kind):
                glob = _sql_str(self.dir_of(kind) / "part-*.parquet")
                con.execute(f"CREATE VIEW {kind} AS SELECT * FROM read_parquet({glob}, union_by_name = true)")
            elif kind in ("runs", "series"):
                con.execute(f"CREATE VIEW {kind} AS SELECT NULL::VARCHAR AS run_id WHERE false")
        return con

    def query(self, sql: str):
        """Run ``sql`` (which may use the tables ``runs``, ``series``, ``agents``, ``events``) and
        return a DataFrame."""
        con = self.connect()
        try:
            return con.sql(sql).df()
        finally:
            con.close()


def _log_line(row: dict[str, Any], part: str) -> str:
    rec = {k: row.get(k) for k in ("run_id", "point", "rep", "seed", "status", "attempt", "elapsed_s", "cpu_s",
                                   "worker", "error", "traceback")}
    for k in ("elapsed_s", "cpu_s"):
        if isinstance(rec[k], float) and math.isnan(rec[k]):
            rec[k] = None
    rec["part"] = part
    return json.dumps(rec, default=_json_default) + "\n"


class PartWriter:
    """Buffers finished runs and writes them as one runs part (+ one series part, + one part of
    each kept table) per batch.

    ``params``: the parameter columns (name, kind) - the varied ones, then the fixed ones;
    ``meta``: the store's description, written into every part's Parquet metadata;
    ``keep``: the kept tables. A batch is written when it holds ``flush_every`` runs, every
    ``flush_seconds`` seconds, or when its series or kept rows reach ``max_series_rows``, so
    memory stays bounded however long the runs."""

    def __init__(self, store: SweepStore, params: list[tuple[str, type]], series: tuple[str, ...],
                 flush_every: int = 200, flush_seconds: float = 30.0, max_series_rows: int = 500_000,
                 meta: Mapping[str, Any] | None = None, keep: tuple[str, ...] = ()):
        self.store = store
        self.params = list(params)
        self.series = series
        self.keep = tuple(keep)
        self.flush_every = max(1, int(flush_every))
        self.flush_seconds = float(flush_seconds)
        self.max_series_rows = int(max_series_rows)
        self._meta = {META_KEY: json.dumps(dict(meta or {}), default=_json_default).encode()}
        self._buf: list[dict] = []
        self._series_rows = 0
        self._next = store.next_part_index()
        self._reserved = set(HEAD) | set(TAIL) | {n for n, _ in self.params}
        self._summary: dict[str, None] = dict.fromkeys(n for n in store.summary_columns() if n not in self._reserved)
        self._last = time.monotonic()
        self.parts_written = 0

    def add(self, result: dict[str, Any]) -> None:
        self._buf.append(result)
        if result.get("series"):
            self._series_rows += len(result["series"]["step"])
        for t in (result.get("tables") or {}).values():
            self._series_rows += len(t)
        if len(self._buf) >= self.flush_every or self._series_rows >= self.max_series_rows:
            self.flush()

    def tick(self) -> None:
        """Flush if the oldest buffered run has waited ``flush_seconds``."""
        if self._buf and time.monotonic() - self._last >= self.flush_seconds:
            self.flush()

    def _key(self, k: str) -> str:
        return f"out_{k}" if k in self._reserved else k

    def _with_meta(self, table: pa.Table) -> pa.Table:
        return table.replace_schema_metadata({**(table.schema.metadata or {}), **self._meta})

    def flush(self) -> None:
        """Write the buffered runs (no-op when empty). The buffer is kept if writing fails."""
        if not self._buf:
            self._last = time.monotonic()
            return
        name = f"part-{self._next:06d}.parquet"
        buf = self._buf
        if self.series:
            series = self._series_table(buf)
            if series is not None:
                write_table_atomic(self._with_meta(series), self.store.series_dir / name)
        for kind in self.keep:
            kept = self._kept_table(buf, kind)
            if kept is not None:
                d = self.store.dir_of(kind)
                d.mkdir(exist_ok=True)
                write_table_atomic(self._with_meta(kept), d / name)
        write_table_atomic(self._with_meta(self._runs_table(buf)), self.store.runs_dir / name)
        with open(self.store.log_path, "a", encoding="utf-8") as f:
            for r in buf:
                f.write(_log_line(r, name))
        self._next += 1
        self.parts_written += 1
        self._buf, self._series_rows, self._last = [], 0, time.monotonic()

    def _runs_table(self, buf: list[dict]) -> pa.Table:
        for r in buf:
            for k in r["summary"] or ():
                self._summary.setdefault(self._key(k), None)
        cols: dict[str, pa.Array] = {}
        for n in HEAD:
            cols[n] = pa.array([r.get(n) for r in buf], _TYPES[n])
        for n, kind in self.params:
            cols[n] = pa.array([(r.get("params") or {}).get(n) for r in buf], _KIND_TYPES.get(kind, pa.float64()))
        renamed = [{self._key(k): v for k, v in (r["summary"] or {}).items()} for r in buf]
        for n in self._summary:
            cols[n] = pa.array([s.get(n) for s in renamed], pa.float64())
        for n in TAIL:
            cols[n] = pa.array([r.get(n) for r in buf], _TYPES[n])
        return pa.table(cols)

    def _series_table(self, buf: list[dict]) -> pa.Table | None:
        chunks = [r for r in buf if r.get("series")]
        if not chunks:
            return None
        lens = [len(r["series"]["step"]) for r in chunks]
        cols = {
            "run_id": pa.array(np.repeat(np.array([r["run_id"] for r in chunks], dtype=object), lens), pa.string()),
            "point": pa.array(np.repeat(np.array([r["point"] for r in chunks], dtype=np.int64), lens)),
            "rep": pa.array(np.repeat(np.array([r["rep"] for r in chunks], dtype=np.int64), lens)),
            "step": pa.array(np.concatenate([r["series"]["step"] for r in chunks]).astype(np.int64)),
        }
        for c in self.series:
            cols[c] = pa.array(np.concatenate([r["series"][c] for r in chunks]).astype(np.float64))
        return pa.table(cols)

    def _kept_table(self, buf: list[dict], kind: str) -> pa.Table | None:
        """The rows of the kept table ``kind`` of the buffered runs, each row keyed by its run
        (``run_id, point, rep``) ahead of the model's own columns."""
        import pandas as pd

        frames = []
        for r in buf:
            t = (r.get("tables") or {}).get(kind)
            if t is None or not len(t):
                continue
            t = t.reset_index(drop=True)
            key = pd.DataFrame({"run_id": r["run_id"], "point": r["point"], "rep": r["rep"]}, index=t.index)
            frames.append(pd.concat([key, t.drop(columns=[c for c in ("run_id", "point", "rep") if c in t])], axis=1))
        if not frames:
            return None
        df = pd.concat(frames, ignore_index=True)
        for c in df.columns:  # dates and other objects as text: one type for every part
            if df[c].dtype == object or str(df[c].dtype).startswith(("datetime", "str", "string")):
                df[c] = df[c].astype(str)
        return pa.Table.from_pandas(df, preserve_index=False)
