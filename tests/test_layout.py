"""The package's layering: imports point one way — runs -> model services -> agents -> model core
(ledger, contracts, parameters, markets) — and no object reaches into another's private parts."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: the model core: what agents may import (modules, or packages by prefix)
CORE = ("ailoop.model.ledger", "ailoop.model.journal", "ailoop.model.postings", "ailoop.model.contracts",
        "ailoop.model.capacity", "ailoop.model.params", "ailoop.model.constraints", "ailoop.model.opening",
        "ailoop.model.events", "ailoop.model.clearing", "ailoop.model.markets")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def is_core(module: str) -> bool:
    return any(module == c or module.startswith(c + ".") for c in CORE)


def core_files() -> list[Path]:
    out = []
    for c in CORE:
        rel = c.removeprefix("ailoop.").replace(".", "/")
        out += [ROOT / (rel + ".py")] if (ROOT / (rel + ".py")).exists() else sorted((ROOT / rel).rglob("*.py"))
    return out


def test_agents_import_only_the_model_core():
    for f in (ROOT / "agents").rglob("*.py"):
        for mod in imports_of(f):
            if mod.startswith("ailoop.model"):
                assert is_core(mod), f"{f.name} imports the model service {mod}"
            assert not mod.startswith("ailoop.runs"), f"{f.name} imports {mod}"


def test_model_never_imports_runs():
    for f in (ROOT / "model").rglob("*.py"):
        assert not any(m.startswith("ailoop.runs") for m in imports_of(f)), f"{f} imports runs"


def test_the_core_imports_neither_agents_nor_services():
    files = core_files()
    assert len(files) >= 10
    for f in files:
        if f.name == "sandbox.py":  # the standalone market world wires populations for tests and demos
            continue
        for m in imports_of(f):
            assert not m.startswith("ailoop.agents"), f"{f} imports agents ({m})"
            assert not m.startswith("ailoop.model") or is_core(m), f"{f} imports the model service {m}"


def test_no_call_reaches_into_another_objects_private_members():
    """``other._name`` is private to ``other``'s class: services talk through public methods."""
    offenders = []
    for f in [*(ROOT / "model").rglob("*.py"), *(ROOT / "agents").rglob("*.py")]:
        for node in ast.walk(ast.parse(f.read_text())):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))):
                offenders.append(f"{f.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert not offenders, offenders
