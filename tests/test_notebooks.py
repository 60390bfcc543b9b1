"""The teaching notebooks: stored without outputs, run top to bottom in reduced form, and each
lesson's key claim holds (its hidden check cells pass and print their result).

Each notebook runs in a fresh Jupyter kernel with reduced parameters injected after its
``parameters`` cell (``tests/notebook_runner.py``); results go to a temporary folder. A bad
scenario in the parameters must stop the notebook with the model's one-line error, not a
traceback.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from notebook_runner import NOTEBOOKS, execute, parameters_index, stdout_of

#: reduced parameters: the same lessons, fewer seeds, shorter runs, smaller designs
REDUCED = {
    "01_the_up_loop": dict(SEEDS=[1, 2], YEARS=1),
    "02_when_the_music_stops": dict(YEARS=3.25),
    "03_market_creation_vs_circular_trade": dict(SEEDS=[1, 2], YEARS=2, GRID_GROWTH=[0.0, 0.9],
                                                 GRID_VENDOR=[10.0, 40.0], GRID_REPLICATIONS=1, GRID_YEARS=1),
    "04_research_workflow": dict(YEARS=0.25, GROWTH=[0.1, 0.5], RUNWAY=[6.0, 12.0], SOBOL_SAMPLES=4,
                                 MORRIS_TRAJECTORIES=2),
}
WRITES_FILES = {"03_market_creation_vs_circular_trade", "04_research_workflow"}  # take an OUT_DIR
#: what the key claim of each lesson is about, as its check cells print it
CLAIMS = {
    "01_the_up_loop": ["committed >", "wealth amplification"],
    "02_when_the_music_stops": ["hand clearing vector"],
    "03_market_creation_vs_circular_trade": ["market_creation", "< vendor_financing_2000"],
    "04_research_workflow": ["resumed sweep = uninterrupted sweep", "Sobol indices", "gave the local pool's table"],
}
#: the parameter holding the scenario(s), and a bad value for it
BAD_SCENARIO = {
    "01_the_up_loop": ("SCENARIO", "no_such_scenario"),
    "02_when_the_music_stops": ("SCENARIO", "no_such_scenario"),
    "03_market_creation_vs_circular_trade": ("SCENARIOS", ["no_such_scenario"]),
    "04_research_workflow": ("SCENARIO", "no_such_scenario"),
}


def read(name: str):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def test_the_four_lessons_are_there():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(REDUCED)


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_notebooks_are_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: cell {i} has outputs"


@pytest.mark.parametrize("name", sorted(REDUCED))
def test_each_lesson_has_parameters_checks_and_answered_exercises(name):
    nb = read(name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in tags(code[0]), "the first code cell holds the parameters"
    assert sum("parameters" in tags(c) for c in nb.cells) == 1
    assert nb.cells[0].cell_type == "markdown", "prose before code"
    first_code = nb.cells.index(code[0])
    assert nb.cells[parameters_index(nb)] is code[0] and first_code > 0
    checks = [c for c in code if "check" in tags(c)]
    assert checks and all(c.metadata["jupyter"]["source_hidden"] for c in checks)
    assert all("assert " in c.source for c in checks)
    answers = [c for c in nb.cells if "answer" in tags(c)]
    assert sum(c.cell_type == "code" for c in answers) >= 2, "2-3 exercises, with answers"
    assert all(c.metadata["jupyter"]["source_hidden"] for c in answers), "answers are collapsed"
    reduced = REDUCED[name]
    params = {}
    exec(code[0].source, {}, params)  # the parameter cell is plain assignments
    assert set(reduced) <= set(params), f"reduced parameters must exist in {name}"


@pytest.mark.parametrize("name", sorted(REDUCED))
def test_every_figure_labels_both_axes_with_units(name):
    """A cell that draws a figure sets an x and a y label, and the money axes say which unit."""
    drawing = [c.source for c in read(name).cells if c.cell_type == "code"
               and any(k in c.source for k in ("plt.subplots", ".plot.", ".plot(", "imshow"))]
    assert drawing
    for source in drawing:
        assert "set_xlabel" in source and "set_ylabel" in source, source[:200]
    labels = re.findall(r"set_[xy]label\((f?\"[^\"]*\")", "\n".join(drawing))
    money = [label for label in labels if "$" in label or "billion" in label or "trillion" in label]
    assert money and all(("$" in label or "dollar" in label) for label in money), money


@pytest.mark.parametrize("name", sorted(REDUCED))
def test_notebook_runs_top_to_bottom_and_its_claim_holds(name, tmp_path):
    params = dict(REDUCED[name])
    if name in WRITES_FILES:
        params["OUT_DIR"] = str(tmp_path)
    nb = execute(name, params)
    printed = stdout_of(nb, "check")
    assert printed and all(p.startswith("✓ check:") for p in printed), printed
    text = "\n".join(printed)
    for claim in CLAIMS[name]:
        assert claim in text, (claim, text)


@pytest.mark.parametrize("name", sorted(REDUCED))
def test_an_unknown_scenario_gives_the_models_one_line_error(name, tmp_path):
    key, bad = BAD_SCENARIO[name]
    params = {key: bad}
    if name in WRITES_FILES:
        params["OUT_DIR"] = str(tmp_path)
    with pytest.raises(CellExecutionError) as info:
        execute(name, params)
    errors = [o for c in info.value.nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert len(errors) == 1
    error = errors[0]
    assert error.ename in ("ScenarioError", "SpecError")
    assert error.evalue.startswith("unknown scenario 'no_such_scenario'; allowed: baseline, ")
    assert error.traceback == [f"{error.ename}: {error.evalue}"], "one line, no traceback"
