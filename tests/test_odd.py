"""docs/odd.md, the ODD + D description of the model, stays true to the code: it covers every
element of the protocol, every module it names exists, every parameter it names is in the
parameter table and links to it, and its month is the schedule's month, phase by phase."""

from __future__ import annotations

import re
from pathlib import Path

from ailoop.model.params import PARAMETERS
from ailoop.model.schedule import MONTH

ROOT = Path(__file__).resolve().parents[1]
ODD = ROOT / "docs" / "odd.md"
TEXT = ODD.read_text()
CODE = re.compile(r"`([^`\n]+)`")
LINKED = re.compile(r"\[`([^`\n]+)`\]\(parameters\.md\)")
PATH = re.compile(r"^(model|agents|runs|tests|benchmarks|notebooks|docs)/[\w./-]*$")

#: Grimm et al. (2020): the seven elements and the design concepts; Müller et al. (2013): the +D additions
ELEMENTS = ["Purpose and patterns", "Entities, state variables, and scales", "Process overview and scheduling",
            "Design concepts", "Initialisation", "Input data", "Submodels"]
CONCEPTS = ["Basic principles", "Emergence", "Adaptation", "Objectives", "Learning", "Prediction", "Sensing",
            "Interaction", "Stochasticity", "Collectives", "Observation"]
PLUS_D = ["Theoretical and empirical background", "Individual decision-making", "Heterogeneity",
          "Implementation details"]


def headings() -> list[str]:
    return [line.lstrip("#").strip() for line in TEXT.splitlines() if line.startswith("#")]


def section(title: str) -> str:
    """The text under the heading containing ``title`` (to the next heading of the same level)."""
    lines = TEXT.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("#") and title in line)
    level = len(lines[start]) - len(lines[start].lstrip("#"))
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].startswith("#") and len(lines[i]) - len(lines[i].lstrip("#")) <= level), len(lines))
    return "\n".join(lines[start:end])


def test_every_odd_element_and_design_concept_has_its_section():
    found = [h.lower() for h in headings()]
    for title in ELEMENTS + CONCEPTS + PLUS_D:
        assert any(title.lower() in h for h in found), f"docs/odd.md has no section on {title!r}"
    for title in ELEMENTS:  # in the protocol's order
        assert [t for t in ELEMENTS if any(t.lower() in h for h in found)] == ELEMENTS


def test_every_module_it_names_exists():
    named = {span for span in CODE.findall(TEXT) if PATH.match(span)}
    assert len(named) > 30
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert not missing, f"docs/odd.md names modules that do not exist: {missing}"


def test_every_submodel_names_its_module():
    submodels = [h for h in headings() if re.match(r"7\.\d+ ", h)]
    assert len(submodels) >= 10
    for h in submodels:
        modules = [s for s in CODE.findall(h) if PATH.match(s)]
        assert modules and all((ROOT / m).exists() for m in modules), f"submodel {h!r} names no existing module"


def test_every_parameter_it_names_is_in_the_table_and_links_to_it():
    linked = LINKED.findall(TEXT)
    assert len(linked) > 50
    unknown = sorted({name for name in linked if name not in PARAMETERS})
    assert not unknown, f"links to parameters.md for names not in the parameter table: {unknown}"
    unlinked = sorted({m.group(1) for m in CODE.finditer(TEXT) if m.group(1) in PARAMETERS
                       and not (TEXT[m.start() - 1:m.start()] == "[" and TEXT.startswith("](parameters.md)", m.end()))})
    assert not unlinked, f"parameters named without a link to the table: {unlinked}"
    assert (ODD.parent / "parameters.md").exists()
    table = (ODD.parent / "parameters.md").read_text()
    assert all(f"| `{name}` |" in table for name in set(linked))


def test_the_month_it_describes_is_the_schedule():
    rows = [line for line in section("Process overview and scheduling").splitlines() if re.match(r"\| \d+ \|", line)]
    described = [CODE.findall(row)[0] for row in rows]
    actual = [f"{p.who}.{p.what}" if p.what else p.who for p in MONTH]
    assert described == actual, ("docs/odd.md, element 3, lists the month's phases differently from "
                                 f"model/schedule.py MONTH:\n odd: {described}\n code: {actual}")
