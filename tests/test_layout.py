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


# ------------------------------------------------------------------ the contract protocol and the narrow context
#: methods of the contract registry that select contracts
SELECTORS = ("of_kind", "issued_by", "held_by", "implementing", "in_phase")


def contract_kinds() -> set[str]:
    import ailoop.model.contracts as contracts

    kinds, todo = set(), [contracts.Contract]
    while todo:
        cls = todo.pop()
        kinds.add(cls.kind)
        todo += cls.__subclasses__()
    return kinds - {"contract"}


def production_files(root: Path = ROOT) -> list[Path]:
    return [f for folder in ("model", "agents", "runs") for f in sorted((root / folder).rglob("*.py"))
            if "contracts" not in f.relative_to(root).parts]


def kind_selections(root: Path = ROOT) -> list[str]:
    """Places outside model/contracts/ that pick contracts by kind string or by class: a kind
    string passed to a registry look-up or as ``kind=``, a comparison of a ``.kind`` with a kind
    string, an ``isinstance`` test against a contract class."""
    import ailoop.model.contracts as contracts

    kinds = contract_kinds()
    classes = {n for n in dir(contracts) if isinstance(getattr(contracts, n), type)
               and issubclass(getattr(contracts, n), contracts.Contract)}

    def is_kind(node) -> bool:
        items = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else [node]
        return any(isinstance(x, ast.Constant) and x.value in kinds for x in items)

    out = []
    for f in production_files(root):
        for node in ast.walk(ast.parse(f.read_text())):
            where = f"{f.relative_to(root)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                fn = node.func
                name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
                if name in SELECTORS:
                    out += [where for a in node.args if is_kind(a)]
                out += [where for k in node.keywords if k.arg == "kind" and is_kind(k.value)]
                if name == "isinstance" and len(node.args) == 2:
                    types = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
                    out += [where for t in types if getattr(t, "id", getattr(t, "attr", "")) in classes]
            elif isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(isinstance(x, ast.Attribute) and x.attr == "kind" for x in sides) and any(map(is_kind, sides)):
                    out.append(where)
    return out


def test_no_selection_by_kind_string_or_class_outside_the_contracts():
    assert kind_selections() == []


def test_the_kind_counter_sees_a_selection_by_kind(tmp_path):
    """The counter is not blind: each pattern it looks for is found in a file that has it."""
    bad = tmp_path / "model" / "bad.py"
    bad.parent.mkdir()
    bad.write_text("def f(book, c, x, credit):\n    a = book.issued_by('cloud', 'capacity')\n"
                   "    b = c.kind == 'lease'\n    d = isinstance(x, CapacityContract)\n"
                   "    e = c.kind in ('bond', 'gpu_loan')\n    return credit.issue(x, 1, 2, kind='gpu_loan')\n")
    assert len(kind_selections(tmp_path)) == 5


def test_agents_and_contracts_never_name_the_economy():
    """Statically: no attribute of ``economy``, ``self.economy`` or ``self.model`` is read in
    agents/ or model/contracts/ (the agents' base takes ``model.ctx`` once, from Mesa's model)."""
    offenders = []
    files = [*(ROOT / "agents").rglob("*.py"), *(ROOT / "model" / "contracts").rglob("*.py")]
    for f in files:
        if "reference" in f.relative_to(ROOT).parts:
            continue
        for node in ast.walk(ast.parse(f.read_text())):
            if not isinstance(node, ast.Attribute):
                continue
            v = node.value
            named = (isinstance(v, ast.Name) and v.id in ("economy", "model")) or (
                isinstance(v, ast.Attribute) and isinstance(v.value, ast.Name) and v.value.id == "self"
                and v.attr in ("economy", "model"))
            if named and not (f.name == "base.py" and isinstance(v, ast.Name) and v.id == "model" and node.attr == "ctx"):
                offenders.append(f"{f.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def watch(economy, roots: tuple[str, ...]) -> tuple[set, set]:
    """Record, from now on, every attribute of ``economy`` read by code in a file under ``roots``
    (the agents' base reading ``ctx`` aside) and every member of its context they use that the
    interface does not declare. Returns the two (live) sets."""
    import sys

    from ailoop.model.context import MEMBERS

    reached, undeclared = set(), set()

    def caller() -> str | None:
        name = sys._getframe(2).f_code.co_filename
        return name if name.startswith(roots) and "reference" not in name else None

    class WatchedEconomy(type(economy)):
        def __getattribute__(self, name):
            who = caller()
            if who is not None and not (who.endswith("agents/base.py") and name == "ctx"):
                reached.add((who.removeprefix(str(ROOT) + "/"), name))
            return object.__getattribute__(self, name)

    class WatchedContext(type(economy.ctx)):
        def __getattribute__(self, name):
            if caller() is not None and name not in MEMBERS:
                undeclared.add(name)
            return object.__getattribute__(self, name)

    economy.__class__ = WatchedEconomy
    economy.ctx.__class__ = WatchedContext
    return reached, undeclared


def test_at_run_time_agents_and_contracts_reach_the_economy_only_through_the_context():
    """Dynamically, over a year with a shock, funding rounds and debt service: every attribute of
    the economy read from code in agents/ or model/contracts/ is recorded (there must be none),
    and every member of the context they use must be one the interface declares."""
    from ailoop.model import Economy

    economy = Economy(scenario="music_stops", seed=1, checks=False)
    reached, undeclared = watch(economy, (str(ROOT / "agents"), str(ROOT / "model" / "contracts")))
    economy.run(years=1.0)
    assert any(e["event"] in ("round", "failed round", "down round") for e in economy.events)
    assert economy.credit.issues  # debt was issued: the agents asked the credit market through the context
    assert reached == set()
    assert undeclared == set()


def test_the_run_time_watch_sees_a_reach_through():
    """The watch is not blind: code in a watched file that reads an economy service is recorded."""
    from ailoop.model import Economy

    economy = Economy(scenario="baseline", seed=1, checks=False)
    reached, undeclared = watch(economy, (str(Path(__file__).resolve()),))
    economy.gpu_market.rent  # noqa: B018 - this file is watched: a reach-through
    economy.ctx._e  # noqa: B018 - and an undeclared member of the context
    assert (str(Path(__file__).resolve().relative_to(ROOT)), "gpu_market") in reached
    assert "_e" in undeclared
