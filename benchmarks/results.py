"""Write the results page, ``docs/results.md``, whole: every figure on it printed by this run.

Each section runs its benchmark scripts (or ``ailoop`` commands) in a fresh interpreter, from the
repository's root, and copies what they print to standard output into the page verbatim —
Markdown tables as tables, everything else in a text block; trailing spaces dropped and the
scratch folder's path shown as ``DIR``, as in the command — under the exact command, its seeds
and its wall time. Each section opens with a fixed explanation that holds no figure (a test
checks that it holds no digit other than the S&P 500's name): every number on the page comes from
the run. The full page takes tens of minutes on two cores; run it under ``nice`` on a shared
machine::

    python benchmarks/results.py                              # all sections, full seeds: docs/results.md
    python benchmarks/results.py --quick --only bounds --out outputs/results_quick.md
    python benchmarks/results.py --list                       # the sections and their commands
    python benchmarks/results.py --resume                     # after a failure: reuse the sections it finished

Each finished section is kept in ``outputs/results_cache/`` under a key made of the section's
commands and a fingerprint of everything its figures depend on (the package's and the benchmarks'
files, the interpreter's and the libraries' versions). ``--resume`` reuses a kept section whose
key matches, so a run that failed in its last section need not redo the others; the speed section
is never reused (its timings are this run's), and the page says how many sections were reused.

``--quick`` (fewer seeds and repeats, a smoke test) and ``--only`` (a comma-separated list of
sections) write a partial page, so they need ``--out`` other than ``docs/results.md`` (``-`` for
standard output). Figures (the spiral's timeline, the cascade map) go to ``img/`` beside the
page, none with ``--out -``. If a command fails, the script names it and exits with status 1;
nothing is written.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import itertools
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "results.md"
#: finished sections of a run, for ``--resume`` (``outputs/`` is not tracked)
CACHE = Path(os.environ.get("AILOOP_RESULTS_CACHE", ROOT / "outputs" / "results_cache"))
#: the folders whose files the page's figures depend on
FINGERPRINTED = ("agents", "model", "runs", "benchmarks")
#: libraries whose versions enter the fingerprint (numerics, the model's framework, the analyses)
LIBRARIES = ("numpy", "pandas", "scipy", "mesa", "arch", "ema_workbench", "SALib", "pyarrow", "duckdb")
#: the one line that says the page is generated (the test of the committed page looks for it)
HEADER = ("This page is generated, whole, by `python benchmarks/results.py` and must not be edited by "
          "hand: change a script or the model, then run the command again.")


@dataclass(frozen=True)
class Command:
    """One command of a section, as a user would type it from the repository's root.

    ``argv`` starts with ``python`` (this interpreter runs it) or ``ailoop`` (the CLI); ``DIR``
    stands for a fresh temporary directory. ``quick`` replaces ``argv`` under ``--quick`` (``()``:
    not run then); ``seeds`` and ``quick_seeds`` say which seeds the command uses. ``figure``
    copies a file the command wrote (a path under ``DIR``) to the page's ``img/`` folder.
    """

    argv: tuple[str, ...]
    seeds: str
    quick: tuple[str, ...] | None = None
    quick_seeds: str | None = None
    figure: tuple[str, str] | None = None  # (path under DIR, name under img/)
    show_output: bool = True
    requires: tuple[str, ...] = ()  # what the command needs beyond the project (see ``missing``)

    def args(self, quick: bool) -> tuple[str, ...]:
        return self.quick if quick and self.quick is not None else self.argv

    def seeds_text(self, quick: bool) -> str:
        return self.quick_seeds if quick and self.quick_seeds is not None else self.seeds


@dataclass(frozen=True)
class Section:
    """A section of the page: its key (``--only``, the anchor), title, explanation and commands."""

    key: str
    title: str
    explanation: str
    commands: tuple[Command, ...]
    requires: tuple[str, ...] = field(default=())  # what every command of the section needs
    reusable: bool = True  # False: never taken from the cache (wall times that must be this run's)


def py(*args: str) -> tuple[str, ...]:
    return ("python", *args)


def cli(*args: str) -> tuple[str, ...]:
    return ("ailoop", *args)


SECTIONS: tuple[Section, ...] = (
    Section(
        "calibration", "Daily returns against the S&P 500 (the market's calibration)",
        "The market engine's free parameters (the belief noise of the two trader types, herding, "
        "misalignment, predisposition, the impact decay and how often a trader reconsiders its strategy; "
        "source `calibration` in [the parameter table](parameters.md)) were fitted by the method of simulated "
        "moments on the daily S&P 500 series bundled with the `arch` package, and on nothing else "
        "([the data](calibration.md#market-data)). The model's series is the AI loop's daily market value in "
        "the baseline. The first run's seeds include the fit's own, so it is in sample; the second run's seeds "
        "are fresh, so it is out of sample. `t` is the model's distance from the data in the data's own "
        "standard deviations over windows of the run's length; `fitted` marks the moments the fit targeted, "
        "and J is the fit's objective over them.",
        (Command(py("benchmarks/calibrate_market.py", "--seeds", "1-20"), "seeds 1–20 (in sample)",
                 py("benchmarks/calibrate_market.py", "--seeds", "1-2"), "seeds 1–2"),
         Command(py("benchmarks/calibrate_market.py", "--seeds", "101-120"), "seeds 101–120 (out of sample)",
                 ())),
        requires=("arch",)),
    Section(
        "stylized", "Stylized facts per listed firm",
        "The same measures for the loop's index and each listed firm, medians over seeds, beside the S&P 500 "
        "measured the same way (over windows of the run's length), the S&P 500 with one announcement-size jump "
        "added, and independent normal series. A star marks a figure outside its bound; the script prints the "
        "bounds. At this sample length the per-run mean absolute autocorrelation of returns sits at its noise "
        "floor (the column beside it, the same run's absolute returns with random signs) for the model and for "
        "the data alike, so the pooled figure is the one that shows whether returns trend. The first run is on "
        "the seeds that checked the calibration, the second on fresh seeds. The third switches the volatility "
        "after news off (`market_uncertainty_gain`), the fourth sets it lower than its default (the values are "
        "in the commands). The last four fit a GARCH to each run whole and to each half, count the runs "
        "whose α+β exceeds the bound and print the highest over the lowest yearly volatility, beside the S&P "
        "500's windows: on the seeds above, with the traders' strategy mix frozen at its opening, and with the "
        "three sentiment channels off ([what they show](markets.md#how-prices-form)).",
        (Command(py("benchmarks/economy_stylized_facts.py", "--seeds", "1-20"), "seeds 1–20",
                 py("benchmarks/economy_stylized_facts.py", "--seeds", "1-2"), "seeds 1–2"),
         Command(py("benchmarks/economy_stylized_facts.py", "--seeds", "101-120"), "seeds 101–120", ()),
         Command(py("benchmarks/economy_stylized_facts.py", "--seeds", "1-20", "--set",
                    "market_uncertainty_gain=0"), "seeds 1–20", ()),
         Command(py("benchmarks/economy_stylized_facts.py", "--seeds", "1-20", "--set",
                    "market_uncertainty_gain=0.1"), "seeds 1–20", ()),
         Command(py("benchmarks/garch_halves.py", "--seeds", "1-20"), "seeds 1–20",
                 py("benchmarks/garch_halves.py", "--seeds", "1-2"), "seeds 1–2"),
         Command(py("benchmarks/garch_halves.py", "--seeds", "101-120"), "seeds 101–120", ()),
         Command(py("benchmarks/garch_halves.py", "--seeds", "1-20", "--set", "trader_revision_rate=0"),
                 "seeds 1–20", ()),
         Command(py("benchmarks/garch_halves.py", "--seeds", "1-20", "--set", "sentiment_returns=false",
                    "--set", "sentiment_news=false", "--set", "sentiment_lab_growth=false"),
                 "seeds 1–20", ())),
        requires=("arch",)),
    Section(
        "bounds", "Is the baseline's market bounded?",
        "One row per seed of the baseline: the peak of the loop's market value over its opening value and its "
        "date, the largest fall from a running peak within the first four years (the loop's and chip_leader's), "
        "the days on which the circuit breaker bound (all of them, and those in the autumn announcement "
        "window), a high percentile over days and firms of the gap between consensus fair value and price "
        "(in logs), and the value at the end over the opening value; then the medians over seeds against the "
        "bounds the calibration was chosen to keep. The first run's seeds checked the calibration against "
        "these bounds (in sample); the second run's are fresh.",
        (Command(py("benchmarks/market_bounds.py", "--seeds", "1-20", "--rows"), "seeds 1–20 (in sample)",
                 py("benchmarks/market_bounds.py", "--seeds", "1-2", "--rows"), "seeds 1–2"),
         Command(py("benchmarks/market_bounds.py", "--seeds", "101-120", "--rows"),
                 "seeds 101–120 (out of sample)", ()))),
    Section(
        "opening", "The opening and the drift of the market over a run",
        "How the traders' strategy mix settles from the opening, and how the market changes over a run. The "
        "first table follows the fundamentalist share among the free traders and each firm's daily volatility "
        "(the day's move less the outside holders' revision of value) over windows of trading days, against "
        "its long run; the second goes year by year: the mispricing, the hyperscalers' volatility, the "
        "traders' wealth against the listed firms' value and the hyperscalers' order flow from the float. The "
        "second run opens the strategy mix where earlier versions of the model did; the third pulls prices "
        "back to value faster (`market_impact_decay`; the values are in the commands).",
        (Command(py("benchmarks/trader_shares.py", "--seeds", "1-8"), "seeds 1–8",
                 py("benchmarks/trader_shares.py", "--seeds", "1-2"), "seeds 1–2"),
         Command(py("benchmarks/trader_shares.py", "--seeds", "1-8", "--set",
                    "trader_initial_fundamentalist_share=0.5"), "seeds 1–8", ()),
         Command(py("benchmarks/trader_shares.py", "--seeds", "1-8", "--set", "market_impact_decay=0.004"),
                 "seeds 1–8", ()))),
    Section(
        "announcements", "Announcement days and wealth amplification",
        "The autumn announcement days are out of sample: no return is an input and no announcement day was a "
        "calibration target; the deals move prices only through the outside holders and the traders reading "
        "the news and the backlog. The `real` column is the public reporting of the day "
        "([sources](calibration.md#deals)). The second table splits each day's log return into the outside "
        "holders' revision of the firm's value and the rest (the day's orders against the float and its "
        "noise), beside the room the revision leaves to the circuit breaker. The last line is the wealth "
        "amplification after the first two months: the change in the loop's market value per dollar actually "
        "paid between its firms, with the backlog priced at `backlog_pricing` and with it at zero. The further "
        "runs: fresh seeds; the backlog priced lower (the dial is an assumption: choosing it from the "
        "announcement day would make the day a calibration target); the opening strategy mix of earlier "
        "versions of the model.",
        (Command(py("benchmarks/announcement_returns.py", "--seeds", "20"), "seeds 1–20",
                 py("benchmarks/announcement_returns.py", "--seeds", "2"), "seeds 1–2"),
         Command(py("benchmarks/announcement_returns.py", "--seeds", "20", "--first-seed", "101"),
                 "seeds 101–120", ()),
         Command(py("benchmarks/announcement_returns.py", "--seeds", "20", "--set", "backlog_pricing=0.3"),
                 "seeds 1–20", ()),
         Command(py("benchmarks/announcement_returns.py", "--seeds", "20", "--set",
                    "trader_initial_fundamentalist_share=0.5"), "seeds 1–20", ()))),
    Section(
        "history", "The world as it happened: the first year against the filings",
        "The default run, `history`: the deal book of the autumn and the following spring as dated events "
        "and decisions, then the agents' own decisions ([sources](calibration.md#history)). The first table "
        "sets the opening and the first year of the model against the figures filed or reported for the "
        "real firms, with each source's quality; rows marked input are figures the model was given. The lab's "
        "commitments are what it signed as binding and what its letters of intent would add, at their peak, "
        "and what it plans to pay for compute to the end of the decade after its cut. The second run goes six "
        "years with the books checked and counts the seeds whose books stayed balanced. The next two apply "
        "the market's bounds and the stylized facts of daily returns, as for the baseline above, to the "
        "history runs. The last two take each seed's largest fall apart, in the history world and in the "
        "baseline: how far the consensus fair value, what the firms' earnings, backlog and cost of capital "
        "are worth, fell between the same two dates as the price. A fall the fair value carries is one the "
        "economy made; one it does not is the market's own swing.",
        (Command(py("benchmarks/history_table.py", "--seeds", "1-20"), "seeds 1–20",
                 py("benchmarks/history_table.py", "--seeds", "1-2"), "seeds 1–2"),
         Command(py("benchmarks/history_table.py", "--seeds", "1-20", "--years", "6", "--checks"), "seeds 1–20", ()),
         Command(py("benchmarks/market_bounds.py", "--seeds", "1-20", "--scenario", "history"), "seeds 1–20", ()),
         Command(py("benchmarks/economy_stylized_facts.py", "--seeds", "1-20", "--scenario", "history"), "seeds 1–20",
                 (), requires=("arch",)),
         Command(py("benchmarks/fall_anatomy.py", "--seeds", "1-20", "--scenario", "history"), "seeds 1–20",
                 py("benchmarks/fall_anatomy.py", "--seeds", "1-2", "--scenario", "history"), "seeds 1–2"),
         Command(py("benchmarks/fall_anatomy.py", "--seeds", "1-20", "--scenario", "baseline"), "seeds 1–20",
                 py("benchmarks/fall_anatomy.py", "--seeds", "1-2", "--scenario", "baseline"), "seeds 1–2"))),
    Section(
        "scenarios", "Scenarios: defaults, drawdowns and who paid",
        "Every preset and the baseline on the same seeds: a scenario and the baseline share a seed's path until "
        "the shock (common random numbers), so the paired measures isolate the shock. Drawdown is the largest "
        "fall of the loop's market value after the shock date from its earlier peak; the fall is from its "
        "value on the shock date to its low after it; value over baseline is the loop's market value some "
        "months after the shock, and at the end, over the same seed's baseline. Losses are cumulative marks and "
        "write-offs by holder class at the end, in $ billions (negative: gains). The line after the table "
        "gives the ratio of the shocked drawdown to the baseline's with its bootstrap interval over seeds.",
        (Command(py("benchmarks/scenario_stats.py", "--seeds", "20"), "seeds 1–20",
                 py("benchmarks/scenario_stats.py", "--seeds", "2"), "seeds 1–2"),
         Command(py("benchmarks/scenario_stats.py", "--seeds", "20", "--first-seed", "101"), "seeds 101–120",
                 ()))),
    Section(
        "spiral", "The spiral, taken apart",
        "The baseline and four shocked scenarios (`music_stops`: all AI end-user demand disappoints; "
        "`lab_disappoints`: the labs' demand alone; `gpu_glut`: outside GPU supply and weaker spot demand; "
        "`credit_crunch`: wider spreads and tighter leverage limits) on the same seeds. The extra fall is a "
        "scenario's drawdown after the shock less the same seed's baseline drawdown. Each channel is switched "
        "off in the baseline and the scenario alike (leave one out): valuation from earnings and the cost of "
        "capital, ratings and refinancing, capex that answers to returns, trade credit on terms, the letter of "
        "intent, finite outside capital, rescues, the three sentiment channels and the balance-sheet links. A "
        "channel's share is one less the mean extra fall without it over the mean extra fall with everything on "
        "(near one: it carries the fall; negative: it dampens it); shares need not add up to one, as channels "
        "interact. A share is printed only when the extra fall is distinguishable from zero (its interval "
        "excludes zero); each line also gives the extra fall without the channel and the change its removal makes, "
        "which are defined in every case. Intervals are percentile bootstrap intervals over seeds (runs paired by seed). The second run's "
        "seeds are fresh. This is a finding as it comes out, not a target. The last command draws one "
        "spiral's timeline and prints its summary.",
        (Command(py("benchmarks/spiral_decomposition.py", "--seeds", "20"), "seeds 1–20",
                 py("benchmarks/spiral_decomposition.py", "--seeds", "2"), "seeds 1–2"),
         Command(py("benchmarks/spiral_decomposition.py", "--seeds", "20", "--first-seed", "101"), "seeds 101–120",
                 ()),
         Command(cli("run", "--scenario", "music_stops", "--base", "baseline", "--seed", "2", "--years", "6", "--out",
                     "DIR"), "seed 2",
                 figure=("DIR/timeline.png", "spiral_music_stops_seed2.png")))),
    Section(
        "credit", "The credit channel, seed by seed",
        "For each seed, the first event of each kind that marks distress for a firm beyond the labs (a covenant "
        "breach, an event of default, a cross-default, a rescue, a default, a rejected lease) with its date, "
        "size in $ billions and cause, and the labs' default dates; first with the neocloud's loans drawn "
        "against named customer contracts (as in its filings, the default), then on the same seeds with pooled "
        "loans against its whole fleet (`contract_backed_loans` off). Runs: the broad demand shock, the labs' "
        "shock alone, the credit crunch and the baseline.",
        (Command(py("benchmarks/credit_channel.py", "--seeds", "20"), "seeds 1–20",
                 py("benchmarks/credit_channel.py", "--seeds", "2"), "seeds 1–2"),
         Command(py("benchmarks/credit_channel.py", "--scenario", "lab_disappoints", "--seeds", "20"),
                 "seeds 1–20", ()),
         Command(py("benchmarks/credit_channel.py", "--scenario", "credit_crunch", "--seeds", "20"),
                 "seeds 1–20", ()),
         Command(py("benchmarks/credit_channel.py", "--scenario", "baseline", "--seeds", "20"),
                 "seeds 1–20", ()))),
    Section(
        "cascade", "Where the music stops: the cascade map",
        "A sweep over real end-user demand growth (per year, log) and the venture money available to the lab "
        "($ billions), with replications at each point (`runs/specs/cascade_map.toml`; seeds derived from the "
        "spec's base seed, the same at every point). The query prints, per point, the share of runs in which "
        "the lab defaulted within the run and the mean number of defaults beyond the labs; the map draws the "
        "first.",
        (Command(cli("sweep", "runs/specs/cascade_map.toml", "--out", "DIR", "--no-progress", "--strict"),
                 "replications of the spec's base seed", ()),
         Command(cli("query", "DIR", "SELECT real_demand_growth, vc_dry_powder, count(*) AS runs, "
                     "round(avg(lab_defaulted), 2) AS lab_default_share, round(avg(defaults_beyond_labs), 2) "
                     "AS defaults_beyond_labs FROM runs GROUP BY 1, 2 ORDER BY 1, 2", "--max-rows", "100"),
                 "as above", ()),
         Command(cli("plot-phase", "DIR", "--x", "real_demand_growth", "--y", "vc_dry_powder", "--output",
                     "lab_defaulted", "--png", "DIR/cascade_map_lab_default.png"), "as above", (),
                 figure=("DIR/cascade_map_lab_default.png", "cascade_map_lab_default.png"),
                 show_output=False))),
    Section(
        "discovery", "Scenario discovery over the demand, backlog-pricing and leverage dials",
        "A Latin hypercube of runs of `music_stops` over real end-user demand growth, "
        "the share of backlog the traders price, the traders' margin limit and the levered fund's margin loan "
        "limit ([the spec](../runs/specs/discovery.toml)); PRIM boxes (EMA workbench) and CART leaves "
        "(scikit-learn) for two yes/no outcomes, with each box's coverage (share of the cases inside it) and "
        "density (share of its runs that are cases); the envelope of the loop's market value by backlog "
        "pricing; the Sobol indices of the largest fall over three dials and their convergence over the base "
        "sample N ([the spec](../runs/specs/sobol_dials.toml)). How to read them: [discovery](discovery.md).",
        (Command(cli("sweep", "runs/specs/discovery.toml", "--out", "DIR", "--no-progress", "--strict"),
                 "LHS seed 20251201, run seeds derived from it", (), show_output=False),
         Command(cli("discover", "DIR", "--outcome", '"defaulted.spv" = 1', "--png", "DIR/discover_spv.png"),
                 "as above", (), figure=("DIR/discover_spv.png", "discover_spv_default.png")),
         Command(cli("discover", "DIR", "--outcome", "max_drawdown > 0.5", "--threshold", "0.6"), "as above", ()),
         Command(cli("envelope", "DIR", "--series", "market_value_total", "--by", "backlog_pricing", "--bins", "3",
                     "--png", "DIR/envelope.png"), "as above", (),
                 figure=("DIR/envelope.png", "envelope_market_value_by_backlog_pricing.png")),
         Command(cli("sweep", "runs/specs/sobol_dials.toml", "--out", "DIR/sobol", "--no-progress", "--strict"),
                 "Sobol' sequence seed 20251202, common run seeds", (), show_output=False),
         Command(cli("sensitivity", "DIR/sobol", "--output", "max_drawdown", "--convergence"), "as above", (),
                 figure=("DIR/sobol/sensitivity_max_drawdown_convergence.png", "sobol_convergence_max_drawdown.png")))),
    Section(
        "speed", "Speed",
        "Wall times on the machine that generated this page (its processor count is in the header); other "
        "work on the machine slows them, so they are a measure of this run, not a promise. The baseline with "
        "the books unchecked, with the default checks and with the full check after every step; the economy "
        "with a million retail holders (time and peak memory); one trading day of the vectorised trader and "
        "retail populations against their per-agent reference implementations; the sweep layer's overhead "
        "and its speed-up from one worker to two; the classroom app in a headless browser.",
        (Command(py("benchmarks/bench_baseline.py", "5"), "seeds 1–5",
                 py("benchmarks/bench_baseline.py", "1"), "seed 1"),
         Command(py("benchmarks/bench_retail_million.py", "--repeats", "3"), "seed 1",
                 py("benchmarks/bench_retail_million.py", "--repeats", "1", "--years", "0.25"), "seed 1"),
         Command(py("benchmarks/bench_populations.py"), "market sandbox seeds 0 and 100–104",
                 py("benchmarks/bench_populations.py", "10", "1"), "market sandbox seeds 0 and 100"),
         Command(py("benchmarks/bench_sweep.py"), "toy runs, no model seeds",
                 py("benchmarks/bench_sweep.py", "--quick"), "toy runs, no model seeds"),
         Command(py("benchmarks/bench_app.py"), "the app's default settings", (), requires=("app",))),
        reusable=False),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)


class ResultsError(RuntimeError):
    """A command failed or a requirement is missing: the message is the one line to print."""


def fingerprint() -> str:
    """A digest of everything the page's figures depend on: every file under the package's and
    the benchmarks' folders (caches aside), ``pyproject.toml``, the interpreter's version and the
    versions of the libraries in ``LIBRARIES`` that are installed."""
    h = hashlib.sha256()
    for top in FINGERPRINTED:
        for f in sorted((ROOT / top).rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc":
                h.update(f.relative_to(ROOT).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    h.update((ROOT / "pyproject.toml").read_bytes())
    h.update(platform.python_version().encode())
    for name in LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            continue
    return h.hexdigest()


def section_key(section: Section, quick: bool, digest: str) -> str:
    """The key a finished section is kept under: its text and commands, the mode, the fingerprint."""
    return hashlib.sha256(f"{digest}\0{quick}\0{section!r}".encode()).hexdigest()[:24]


def commit() -> str:
    """The commit the page is generated from, and whether tracked files differ from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "an unknown commit (not a git checkout)"
    return f"commit {head}" + (" with uncommitted changes" if dirty else "")


def shown(argv: tuple[str, ...]) -> str:
    """The command as the page shows it."""
    return shlex.join(argv)


def executable(argv: tuple[str, ...], workdir: str) -> list[str]:
    """The command as this run executes it: this interpreter, ``DIR`` replaced by ``workdir``."""
    args = [workdir + a[len("DIR"):] if a == "DIR" or a.startswith("DIR/") else a for a in argv[1:]]
    if argv[0] == "python":
        return [sys.executable, *args]
    if argv[0] == "ailoop":
        return [sys.executable, "-m", "ailoop.runs.cli", *args]
    raise ValueError(f"a command starts with python or ailoop, not {argv[0]!r}")


def missing(needs: tuple[str, ...]) -> str | None:
    """Why something that ``needs`` these cannot run here, or None."""
    for need in needs:
        if need == "arch":
            try:
                import arch  # noqa: F401
            except ImportError:
                return "the `arch` package is not installed (pip install -e '.[validation]')"
        elif need == "app":
            if shutil.which("chromium") is None:
                return "Chromium is not installed (apt-get install chromium), which the app's benchmark needs"
        else:
            raise ValueError(f"unknown requirement {need!r}")
    return None


def blocks(text: str) -> list[str]:
    """The output as Markdown: runs of table lines as tables, everything else in text blocks."""
    out = []
    lines = [line.rstrip() for line in text.split("\n")]
    for is_table, group in itertools.groupby(lines, key=lambda line: line.startswith("|")):
        chunk = "\n".join(group).strip("\n")
        if chunk:
            out.append(chunk if is_table else f"```text\n{chunk}\n```")
    return out


class Runner:
    """Runs commands in one scratch folder: ``DIR`` is a fresh empty folder per section, shared by the
    section's commands (a sweep, then its query and its plot); figures are staged in ``img``."""

    def __init__(self, scratch: Path, quick: bool, with_figures: bool):
        self.scratch, self.quick = scratch, quick
        self.img = scratch / "img" if with_figures else None
        self.dirs: dict[str, str] = {}

    def run(self, section: Section, cmd: Command) -> str:
        """Run one command and return its part of the page."""
        argv = cmd.args(self.quick)
        workdir = self.dirs.setdefault(section.key, tempfile.mkdtemp(prefix=f"{section.key}-", dir=self.scratch))
        t0 = time.perf_counter()
        proc = subprocess.run(executable(argv, workdir), cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
            raise ResultsError(f"section {section.key!r}: `{shown(argv)}` exited with status {proc.returncode}: "
                               f"{last}")
        parts = [f"`{shown(argv)}` — {cmd.seeds_text(self.quick)}; ran in {seconds:.1f} s."]
        if cmd.show_output:
            parts += blocks(proc.stdout.replace(workdir, "DIR")) or ["(no output)"]
        if cmd.figure is not None and self.img is not None:
            src = Path(executable(("python", cmd.figure[0]), workdir)[1])
            if not src.is_file():
                raise ResultsError(f"section {section.key!r}: `{shown(argv)}` wrote no {cmd.figure[0]}")
            self.img.mkdir(exist_ok=True)
            shutil.copyfile(src, self.img / cmd.figure[1])
            parts.append(f"![{section.title}: {cmd.figure[1]}](img/{cmd.figure[1]})")
        return "\n\n".join(parts)


def page(sections: list[Section], runner: Runner, argv_line: str, log, cache: Path | None = None,
         resume: bool = False) -> str:
    """The whole page, as Markdown. Each section run in full is kept in ``cache`` (if given); with
    ``resume`` a reusable section kept there under the same key is taken from it instead."""
    started = time.perf_counter()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    digest = fingerprint() if cache is not None else ""
    body, reused = [], 0
    for s in sections:
        log(f"[{s.key}] ...")
        head = f'<a id="{s.key}"></a>\n## {s.title}\n\n{s.explanation}'
        why = missing(s.requires)
        if why:
            body.append(f"{head}\n\nNot run here: {why}.")
            log(f"[{s.key}] not run: {why}")
            continue
        kept = cache / section_key(s, runner.quick, digest) if cache is not None else None
        if resume and s.reusable and kept is not None and (kept / "section.md").is_file():
            body.append((kept / "section.md").read_text(encoding="utf-8"))
            if runner.img is not None and (kept / "img").is_dir():
                runner.img.mkdir(exist_ok=True)
                for f in sorted((kept / "img").iterdir()):
                    shutil.copyfile(f, runner.img / f.name)
            reused += 1
            log(f"[{s.key}] reused from {kept}")
            continue
        parts = [head]
        for cmd in s.commands:
            if runner.quick and cmd.quick == ():
                parts.append(f"`{shown(cmd.argv)}` — not run with `--quick`.")
                continue
            why = missing(cmd.requires)
            if why:
                parts.append(f"`{shown(cmd.argv)}` — not run here: {why}.")
                log(f"[{s.key}] not run: {why}")
                continue
            log(f"[{s.key}] {shown(cmd.args(runner.quick))}")
            parts.append(runner.run(s, cmd))
        body.append("\n\n".join(parts))
        if kept is not None:  # kept for a later --resume, with the figures its commands staged
            tmp = kept.with_name(kept.name + ".tmp")
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            (tmp / "section.md").write_text(body[-1], encoding="utf-8")
            figures = [c.figure[1] for c in s.commands if c.figure is not None]
            if runner.img is not None and figures:
                (tmp / "img").mkdir()
                for name in figures:
                    if (runner.img / name).is_file():
                        shutil.copyfile(runner.img / name, tmp / "img" / name)
            shutil.rmtree(kept, ignore_errors=True)
            os.replace(tmp, kept)
    minutes = (time.perf_counter() - started) / 60.0
    try:
        version = metadata.version("ailoop")
    except metadata.PackageNotFoundError:
        version = "not installed"
    partial = runner.quick or len(sections) < len(SECTIONS)
    head = ["# Results", "", HEADER, ""]
    if partial:
        head += [f"A partial page (`{argv_line}`): not the project's results page.", ""]
    resumed = (f" {reused} of {len(sections)} sections were reused from an earlier run of the same sources "
               f"(`--resume`); the minutes count this run only." if reused else "")
    head += [f"Generated on {datetime.date.today().isoformat()} from {commit()} in {minutes:.1f} minutes on a "
             f"machine with {os.cpu_count()} processors (load average at the start {load:.2f}), Python "
             f"{platform.python_version()}, ailoop {version}. Runs are reproducible: the same command gives the "
             f"same model figures (the wall times in [Speed](#speed) aside). Each section states its commands "
             f"and seeds; every figure in it is what those commands printed in this run.{resumed}", ""]
    head += ["Sections: " + " · ".join(f"[{s.title}](#{s.key})" for s in sections), ""]
    return "\n".join(head) + "\n" + "\n\n".join(body) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write docs/results.md whole from the benchmark scripts.")
    ap.add_argument("--out", default=None, help="where to write the page (default docs/results.md; - for stdout)")
    ap.add_argument("--quick", action="store_true", help="fewer seeds and repeats (a smoke test; a partial page)")
    ap.add_argument("--only", default=None, help="comma-separated sections (a partial page): " + ",".join(SECTION_KEYS))
    ap.add_argument("--list", action="store_true", help="print the sections and their commands, run nothing")
    ap.add_argument("--resume", action="store_true",
                    help="reuse the sections an earlier run of the same sources finished (kept in outputs/results_cache)")
    a = ap.parse_args(argv)
    chosen = list(SECTIONS)
    if a.only is not None:
        keys = [k.strip() for k in a.only.split(",") if k.strip()]
        unknown = [k for k in keys if k not in SECTION_KEYS]
        if unknown or not keys:
            ap.error(f"--only: unknown section {', '.join(unknown) or '(none given)'}; "
                     f"allowed: {','.join(SECTION_KEYS)}")
        chosen = [s for s in SECTIONS if s.key in keys]
    if a.list:
        for s in chosen:
            print(f"{s.key}: {s.title}")
            for c in s.commands:
                print(f"    {shown(c.argv)}    [{c.seeds}]")
        return 0
    partial = a.quick or len(chosen) < len(SECTIONS)
    out = PAGE if a.out is None else (None if a.out == "-" else Path(a.out).resolve())
    if partial and out == PAGE:
        ap.error("--quick and --only write a partial page: give --out elsewhere than docs/results.md (- for stdout); "
                 "docs/results.md is written whole")
    if out is not None and not out.parent.is_dir():
        ap.error(f"--out: the folder {out.parent} does not exist")
    argv_line = shlex.join(["python", "benchmarks/results.py", *(sys.argv[1:] if argv is None else argv)])

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="ailoop-results-") as scratch:
        runner = Runner(Path(scratch), a.quick, with_figures=out is not None)
        try:
            text = page(chosen, runner, argv_line, log, cache=CACHE, resume=a.resume)
        except ResultsError as err:
            print(f"results.py: {err}; nothing written", file=sys.stderr)
            return 1
        if out is None:
            sys.stdout.write(text)
            return 0
        # the figures and the page only once every command has succeeded
        if runner.img is not None and runner.img.is_dir():
            (out.parent / "img").mkdir(exist_ok=True)
            for f in sorted(runner.img.iterdir()):
                shutil.copyfile(f, out.parent / "img" / f.name)
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
