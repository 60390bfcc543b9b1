"""The browser tests' recorder counts every page error as a problem of the app but the one
library race it names (``app_harness.LIBRARY_RACES``), which it keeps apart."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_harness import LIBRARY_RACES, Recorder  # noqa: E402


class _Context:
    def route(self, *args) -> None:
        pass

    def on(self, *args) -> None:
        pass


def test_only_the_named_library_race_is_kept_apart():
    rec = Recorder(_Context())
    rec._page_error("Initialize failed: invalid dom.")
    rec._page_error("TypeError: Cannot read properties of undefined (reading 'setOption')")
    rec._page_error("Initialize failed: invalid dom. and more")
    assert LIBRARY_RACES == ("Initialize failed: invalid dom.",)
    assert rec.library_races == ["Initialize failed: invalid dom."]
    assert rec.problems()["page errors"] == [
        "TypeError: Cannot read properties of undefined (reading 'setOption')",
        "Initialize failed: invalid dom. and more"]
