"""Run a teaching notebook of ``notebooks/`` in a Jupyter kernel, the way papermill would.

:func:`execute` reads the notebook, injects a cell with the given parameters right after the cell
tagged ``parameters`` (so the notebook runs in reduced form, or with a bad value), and executes
every cell top to bottom in a fresh kernel of the interpreter running the tests, with the
notebook's folder as the working directory. It returns the executed notebook; a cell that raises
stops the run with :class:`nbclient.exceptions.CellExecutionError`, with the notebook as executed
so far (outputs included) attached as its ``nb`` attribute.
"""

from __future__ import annotations

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
    return nb


def stdout_of(nb, tag: str) -> list[str]:
    """The printed output of every cell tagged ``tag``, one string per cell."""
    out = []
    for cell in nb.cells:
        if cell.cell_type == "code" and tag in cell.get("metadata", {}).get("tags", []):
            out.append("".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream"))
    return out
