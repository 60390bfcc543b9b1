"""The teacher's link in ``docs/teaching.md`` opens the moment it promises: the run the app's
screenshots show (baseline, seed 1, "Stop the music" after nine months, a month after the lab's
default), found by running that economy here, so the link follows the model when it changes."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from app_screenshots import spiral_recipe  # noqa: E402

from ailoop.model.classroom.recipe import encode  # noqa: E402


def test_the_teachers_link_opens_a_month_after_the_labs_default():
    text = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
    links = re.findall(r"http://127\.0\.0\.1:8765/\?(\S+)", text)
    assert links, "docs/teaching.md: no app link found"
    expected = encode(spiral_recipe(1), {"view": "market-value", "tour": "4"})
    assert links[0] == expected, f"docs/teaching.md's link is ?{links[0]}; the model now gives ?{expected}"
