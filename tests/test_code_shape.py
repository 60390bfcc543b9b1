"""Code a newcomer can read: the economy module stays a model and its step, and no function in
``model/`` or ``agents/`` (the per-agent reference implementations aside) runs over 60 lines."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_FUNCTION_LINES = 60
MAX_ECONOMY_LINES = 300


def long_functions() -> list[str]:
    out = []
    for folder in ("model", "agents"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "reference" in path.relative_to(ROOT).parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    n = node.end_lineno - node.lineno + 1
                    if n > MAX_FUNCTION_LINES:
                        out.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({n} lines)")
    return out


def test_no_function_in_model_or_agents_is_over_60_lines():
    assert long_functions() == []


def test_the_economy_module_is_the_model_and_its_step():
    n = len((ROOT / "model" / "economy.py").read_text().splitlines())
    assert n <= MAX_ECONOMY_LINES, f"model/economy.py has {n} lines"
