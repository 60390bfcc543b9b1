"""The documentation travels with the repository: nothing a user reads points outside it.

* No file a user reads (the README, ``docs/``, the notebooks, the model, agents, runs and benchmark
  code) names the project's private planning notes (``../shared``, ``shared/CALIBRATION`` and the
  like, or their bare file names ``CALIBRATION.md``, ``DESIGN.md``, ``DEALBOOK.md``): what a user
  needs is in ``docs/``.
* Every parameter source that names a page of ``docs/`` with an anchor points at a page and an
  anchor that exist; a source citing a section of ``docs/calibration.md`` is listed in that
  section's table, under an entry whose name the source repeats; every parameter that page lists
  exists and cites that section; no source cites the old private notes or an issue.
* Every relative link in the README and ``docs/`` resolves to a file, and to an anchor in it.
* No placeholder (``PLACEHOLDER``, ``TODO``, ``TBD``, ``FIXME``, ``XXX``) left in them.
* No commit hash or issue number in the README, ``docs/`` or the notebooks — but for the one
  commit the results page names as its provenance, in the header line ``benchmarks/results.py``
  writes ("Generated on <date> from commit <hash>"): which sources printed its figures.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ailoop.model.params import PARAMETERS

ROOT = Path(__file__).resolve().parents[1]
CALIBRATION = ROOT / "docs" / "calibration.md"

FORBIDDEN = ("../shared", "shared/CALIBRATION", "shared/DESIGN", "shared/DEALBOOK", "shared/seeds",
             "CALIBRATION.md", "DESIGN.md", "DEALBOOK.md", "seed 000", "seed 002")


def user_files() -> list[Path]:
    """The files a user reads."""
    files = [ROOT / "README.md"]
    files += sorted((ROOT / "docs").rglob("*.md"))
    files += sorted((ROOT / "notebooks").glob("*.ipynb"))
    for folder in ("model", "agents", "runs"):
        files += sorted((ROOT / folder).rglob("*.py"))
    files += sorted((ROOT / "benchmarks").glob("*.py"))
    return files


def test_the_user_files_are_found():
    files = {p.relative_to(ROOT).as_posix() for p in user_files()}
    for expected in ("README.md", "docs/odd.md", "docs/calibration.md", "docs/design.md", "model/params.py",
                     "agents/retail.py", "runs/cli.py", "benchmarks/results.py",
                     "notebooks/01_the_up_loop.ipynb"):
        assert expected in files


@pytest.mark.parametrize("path", user_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_pointer_outside_the_repository(path):
    text = path.read_text(encoding="utf-8")
    found = [f for f in FORBIDDEN if f in text]
    assert not found, f"{path.relative_to(ROOT)} names {found}: put what a user needs into docs/"


# --- anchors ---------------------------------------------------------------------------------------

def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`([^`]*)`", r"\1", heading.strip()).lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Explicit ``<a id=...>`` anchors and the GitHub anchors of the headings (duplicates numbered)."""
    text = path.read_text(encoding="utf-8")
    out = set(re.findall(r'<a (?:id|name)="([^"]+)"', text))
    seen: dict[str, int] = {}
    in_code = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        m = None if in_code else re.match(r"#{1,6} (.+)", line)
        if m:
            slug = github_slug(m.group(1))
            n = seen.get(slug, 0)
            out.add(slug if n == 0 else f"{slug}-{n}")
            seen[slug] = n + 1
    return out


def test_github_slug_by_hand():
    assert github_slug("GPUs and data centres") == "gpus-and-data-centres"
    assert github_slug("Market data: the S&P 500 series used for calibration") == \
        "market-data-the-sp-500-series-used-for-calibration"
    assert github_slug("The `ailoop` CLI") == "the-ailoop-cli"


# --- parameter sources -----------------------------------------------------------------------------

DOC_REF = re.compile(r"docs/([\w/.-]+\.md)#([\w-]+)")


def calibration_sections() -> dict[str, list[tuple[str, set[str]]]]:
    """Per anchored section of docs/calibration.md: its table rows as (entry, parameters listed)."""
    text = CALIBRATION.read_text(encoding="utf-8")
    parts = re.split(r'<a id="([\w-]+)"></a>', text)
    out: dict[str, list[tuple[str, set[str]]]] = {}
    for key, body in zip(parts[1::2], parts[2::2]):
        rows = []
        for line in body.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
            if len(cells) == 4 and cells[0] not in ("entry", "---"):
                rows.append((cells[0], set(re.findall(r"`(\w+)`", cells[3]))))
        out[key] = rows
    return out


def normalised(text: str) -> str:
    return re.sub(r"\s*[–—-]\s*", "-", text.lower())


def test_sources_cite_existing_pages_and_anchors():
    cited = 0
    for p in PARAMETERS.values():
        for page, anchor in DOC_REF.findall(p.source):
            target = ROOT / "docs" / page
            assert target.is_file(), f"{p.name}: {p.source!r} names docs/{page}, which does not exist"
            assert anchor in anchors(target), f"{p.name}: docs/{page} has no anchor #{anchor}"
            cited += 1
    assert cited >= 60


def test_calibration_sources_are_listed_under_the_entry_they_name():
    sections = calibration_sections()
    for p in PARAMETERS.values():
        for page, anchor in DOC_REF.findall(p.source):
            if page != "calibration.md":
                continue
            rows = [entry for entry, params in sections.get(anchor, []) if p.name in params]
            assert rows, f"{p.name} cites docs/calibration.md#{anchor} but is not listed in that section's table"
            assert any(normalised(e) in normalised(p.source) for e in rows), \
                f"{p.name}: its source {p.source!r} names none of the entries listing it: {rows}"


def test_every_parameter_the_calibration_page_lists_exists_and_cites_it():
    sections = calibration_sections()
    listed = 0
    for anchor, rows in sections.items():
        for entry, params in rows:
            for name in params:
                assert name in PARAMETERS, f"docs/calibration.md#{anchor} ({entry}) lists unknown {name}"
                assert f"docs/calibration.md#{anchor}" in PARAMETERS[name].source, \
                    f"docs/calibration.md#{anchor} lists {name}, whose source does not cite it"
                listed += 1
    assert listed >= 60
    assert {"deals", "companies", "gpus-and-data-centres", "markets-and-holders", "market-data",
            "assumptions"} <= set(sections)


def test_a_calibration_source_names_its_section():
    """Every "calibration:" source says where on the page the figure is; no source cites the old notes."""
    for p in PARAMETERS.values():
        if p.source.startswith("calibration:"):
            assert "docs/calibration.md#" in p.source, p.name
        for stale in (r"seed 00\d", r"CALIBRATION", r"calibration '", r"\(calibration[,)]", r", calibration\)?$",
                      r"\bissues?\s*(?:#?\d|:)"):
            assert not re.search(stale, p.source), f"{p.name}: {p.source!r} matches {stale!r}"


def test_the_listing_check_fails_on_a_wrong_entry():
    """The entry check is not vacuous: a source naming no entry of its row is caught."""
    sections = calibration_sections()
    rows = [e for e, params in sections["deals"] if "lab_cloud_value" in params]
    assert rows == ["AI lab – cloud contract"]
    assert normalised(rows[0]) in normalised("calibration: AI lab-cloud contract, $300B")
    assert not any(normalised(e) in normalised("calibration: $300B (docs/calibration.md#deals)") for e in rows)


# --- links in the README and docs/ ------------------------------------------------------------------

LINK = re.compile(r"\]\(([^)\s]+)\)")


def markdown_pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


@pytest.mark.parametrize("page", markdown_pages(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_resolve(page):
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    for target in LINK.findall(text):
        if re.match(r"(https?|mailto):", target):
            continue
        path, _, anchor = target.partition("#")
        dest = page if not path else (page.parent / path).resolve()
        assert dest.exists(), f"{page.relative_to(ROOT)}: link to {target} has no file"
        if anchor and dest.suffix == ".md":
            assert anchor in anchors(dest), f"{page.relative_to(ROOT)}: link to {target}: no such anchor"


# --- no commit hashes or issue numbers -----------------------------------------------------------

HASH = re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b")
ISSUE = re.compile(r"\b[Ii]ssues?\s*#?\d+|(?<![\w&])#\d+\b")


def user_text() -> list[tuple[str, str]]:
    out = [(p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8")) for p in markdown_pages()]
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        out.append((nb.relative_to(ROOT).as_posix(), "\n".join("".join(c["source"]) for c in cells)))
    return out


#: the results page's provenance: the commit named in the header line results.py writes (the
#: first line that begins "Generated on"), the one hash a user text may hold
PROVENANCE = re.compile(r"^(Generated on \S+ from commit )[0-9a-f]{7,40}\b", re.M)


def without_provenance(name: str, text: str) -> str:
    return PROVENANCE.sub(r"\1(its commit)", text, count=1) if name == "docs/results.md" else text


@pytest.mark.parametrize("name,text", user_text(), ids=[n for n, _ in user_text()])
def test_no_commit_hash_or_issue_number(name, text):
    text = without_provenance(name, text)
    assert not HASH.findall(text), f"{name}: commit hashes {HASH.findall(text)[:5]}"
    assert not ISSUE.findall(text), f"{name}: issue numbers {ISSUE.findall(text)[:5]}"


#: words that mark text left to be written: a page a user reads holds none of them
UNFINISHED = re.compile(r"\b(?:\w*_?PLACEHOLDER\w*|TODO|TBD|FIXME|XXX)\b")


@pytest.mark.parametrize("name,text", user_text(), ids=[n for n, _ in user_text()])
def test_no_placeholder_left_in_what_a_user_reads(name, text):
    assert not UNFINISHED.findall(text), f"{name}: left to be written: {UNFINISHED.findall(text)[:5]}"


def test_placeholder_pattern_by_hand():
    assert UNFINISHED.findall("ends with\nRESULTS_PLACEHOLDER\n; TODO: the table; TBD") == [
        "RESULTS_PLACEHOLDER", "TODO", "TBD"]
    assert not UNFINISHED.findall("a placeholder value; todo lists; XXL; the TBDs of 2026")


def test_only_the_results_pages_header_may_name_a_commit():
    page = "# Results\n\nGenerated on 2026-12-06 from commit 50e2e1aa8095 in 48.5 minutes\n\nfixed in 880c680\n"
    assert HASH.findall(without_provenance("docs/results.md", page)) == ["880c680"]
    assert HASH.findall(without_provenance("docs/model.md", page)) == ["50e2e1aa8095", "880c680"]
    second = page + "Generated on 2026-12-07 from commit 4254d21abcde\n"  # only the first such line
    assert HASH.findall(without_provenance("docs/results.md", second)) == ["880c680", "4254d21abcde"]


def test_hash_and_issue_patterns_by_hand():
    assert HASH.findall("with commit dc35917 and 880c680") == ["dc35917", "880c680"]
    assert not HASH.findall("seeds 1-20, 2025-09-10, 1512 days, 0.000815, decade, facade")
    assert ISSUE.findall("as issue 10 found; see #12") == ["issue 10", "#12"]
    assert not ISSUE.findall("the S&P 500; results.md#speed; tissue 3")


def test_the_readme_is_short_and_results_live_on_their_page():
    """The README stays an entry point: short, with the results on docs/results.md, not in it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 220
    assert "(docs/results.md)" in text and "python benchmarks/results.py" in text
    assert "## Results" not in text and "## Speed" not in text
