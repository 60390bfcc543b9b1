"""Imports point one way: runs -> model -> agents -> ledger/contracts."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOW_LEVEL = {"model.ledger", "model.contracts", "model.capacity", "model.params", "model.opening"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_agents_import_only_low_level_model_modules():
    for f in (ROOT / "agents").glob("*.py"):
        for mod in imports_of(f):
            if mod.startswith("model"):
                assert mod in LOW_LEVEL or mod.startswith("model.markets"), f"{f.name} imports {mod}"
            assert not mod.startswith("runs"), f"{f.name} imports {mod}"


def test_model_never_imports_runs():
    for f in (ROOT / "model").rglob("*.py"):
        assert not any(m.startswith("runs") for m in imports_of(f)), f"{f} imports runs"


def test_low_level_modules_do_not_import_agents():
    for name in LOW_LEVEL:
        f = ROOT / (name.replace(".", "/") + ".py")
        mods = imports_of(f)
        assert not any(m.startswith("agents") for m in mods), f"{name} imports agents"
        assert not any(m.startswith("model.economy") for m in mods), f"{name} imports the economy"
