"""Run a teaching notebook of ``notebooks/`` in a Jupyter kernel, the way papermill would.

:func:`execute` reads the notebook, injects a cell with the given parameters right after the cell
tagged ``parameters`` (so the notebook runs in class mode, or with a bad value), and executes
every cell top to bottom in a fresh kernel of the interpreter running the tests, with the
notebook's folder as the working directory. It returns the executed notebook; a cell that raises
stops the run with :class:`nbclient.exceptions.CellExecutionError`, with the notebook as executed
so far (outputs included) attached as its ``nb`` attribute. :func:`seconds` reads the executed
notebook's cell timings: the whole run, and the run without the cells tagged ``answer`` — what
"Run all" costs a student, whose answers do not run.

As a command it prints the run times of the lessons (the table of ``docs/teaching.md``)::

    python tests/notebook_runner.py [--class-mode] [--answers] [NAME ...]    # default: lessons 01-03
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def parameters_index(nb) -> int:
    """Index of the cell tagged ``parameters`` (ValueError if there is none)."""
    for i, cell in enumerate(nb.cells):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            return i
    raise ValueError("no cell tagged 'parameters'")


def inject(nb, params: dict) -> None:
    """Insert a cell assigning ``params`` after the parameters cell (papermill's convention)."""
    source = "\n".join(f"{name} = {value!r}" for name, value in params.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(parameters_index(nb) + 1, cell)


def execute(name: str, params: dict, timeout: int = 600):
    """Execute ``notebooks/<name>.ipynb`` with ``params`` injected; return the executed notebook."""
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    inject(nb, params)
    # kernel_dirs=[]: always the interpreter running the tests, never a kernel installed elsewhere
    km = KernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))
    client = NotebookClient(nb, km=km, timeout=timeout, resources={"metadata": {"path": str(NOTEBOOKS)}})
    try:
        client.execute()
    except CellExecutionError as e:
        e.nb = nb
        raise
    finally:  # a kernel manager handed to the client is ours to stop: nbclient stops only its own
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    return nb


def stdout_of(nb, tag: str) -> list[str]:
    """The printed output of every cell tagged ``tag``, one string per cell."""
    out = []
    for cell in nb.cells:
        if cell.cell_type == "code" and tag in cell.get("metadata", {}).get("tags", []):
            out.append("".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream"))
    return out


def seconds(nb) -> tuple[float, float]:
    """(all cells, all cells but the answers) in seconds of wall-clock time, from the executed
    notebook's cell timings (``metadata.execution``)."""
    total = answers = 0.0
    for cell in nb.cells:
        t = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in t and "shell.execute_reply" in t:
            start = dt.datetime.fromisoformat(t["iopub.execute_input"].replace("Z", "+00:00"))
            end = dt.datetime.fromisoformat(t["shell.execute_reply"].replace("Z", "+00:00"))
            d = (end - start).total_seconds()
            total += d
            if "answer" in cell.get("metadata", {}).get("tags", []):
                answers += d
    return total, total - answers


LESSONS = ("01_the_up_loop", "02_when_the_music_stops", "03_market_creation_vs_circular_trade")


def main(argv: list[str]) -> int:
    import argparse
    import os
    import tempfile

    ap = argparse.ArgumentParser(description="print the teaching notebooks' run times")
    ap.add_argument("names", nargs="*", default=list(LESSONS), help="notebooks (default: lessons 01-03)")
    ap.add_argument("--class-mode", action="store_true", help="run with CLASS_MODE = True")
    ap.add_argument("--answers", action="store_true", help="also run the exercises' answers (RUN_ANSWERS = True)")
    a = ap.parse_args(argv)
    known = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    for name in a.names:
        if name not in known:
            ap.error(f"no notebook {name!r}; allowed: {', '.join(known)}")
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the start; "
          f"CLASS_MODE = {a.class_mode}, RUN_ANSWERS = {a.answers}; the notebooks' default seeds")
    for name in a.names:
        params = {"CLASS_MODE": a.class_mode, "RUN_ANSWERS": a.answers}
        with tempfile.TemporaryDirectory() as tmp:
            if name.startswith(("03", "04")):
                params["OUT_DIR"] = tmp
            if name.startswith("04"):
                params = {"OUT_DIR": tmp}
            t = time.perf_counter()
            nb = execute(name, params, timeout=3600)
            wall = time.perf_counter() - t
        total, run_all = seconds(nb)
        print(f"{name}: {wall:6.1f} s with the kernel's start; cells {total:6.1f} s, of which the answers "
              f"{total - run_all:5.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
