"""The parameter table: complete, in range, sourced, and documented."""

from __future__ import annotations

from pathlib import Path

from ailoop.model.params import PARAMETERS, defaults, markdown_table, validate_params


def test_every_default_is_allowed_and_sourced():
    for p in PARAMETERS.values():
        assert p.coerce(p.default) == p.default, p.name
        assert p.source.strip(), f"{p.name} names no source"
        assert p.source.startswith(("calibration", "derived", "assumption")), f"{p.name}: {p.source}"
        assert p.unit.strip(), f"{p.name} has no unit"


def test_defaults_validate():
    assert validate_params(defaults()) == defaults()


def test_docs_table_is_current():
    doc = Path(__file__).resolve().parents[1] / "docs" / "parameters.md"
    assert doc.read_text() == markdown_table(), "run: python -m ailoop.model.params > docs/parameters.md"
