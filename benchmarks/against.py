"""Run a benchmark's measurements on two versions of the code, alternately, in fresh processes.

:func:`trees` yields, for this working tree and (with a git revision) for that revision checked
out in a temporary worktree (``git worktree add --detach``, removed at the end), a *shim*: a
temporary directory holding one symlink, ``ailoop -> <tree root>`` (the repository root is the
``ailoop`` package). A child process started with :func:`child_env` has the shim first on its
``PYTHONPATH``, so ``import ailoop`` there loads that tree's code, whatever is installed;
:func:`check_tree` makes the child verify it.

Used by ``bench_baseline.py --against REV`` and ``bench_retail_million.py --against REV``.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
THIS = "this tree"


def resolve_rev(rev: str) -> str:
    """The commit ``rev`` names in this repository; exits with a one-line error if none."""
    out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"--against: {rev!r} is not a commit of this repository (give a branch, tag or commit hash)")
    return out.stdout.strip()


@contextlib.contextmanager
def trees(rev: str | None):
    """Yield ``{label: (tree root, shim dir)}``: this tree, and ``rev`` checked out in a temporary
    worktree if given (its label is ``rev`` and the short hash). Everything is removed on exit."""
    sha = resolve_rev(rev) if rev else None
    with tempfile.TemporaryDirectory(prefix="ailoop-bench-") as tmp:
        tmp = pathlib.Path(tmp)
        out = {THIS: (ROOT, _shim(tmp / "this", ROOT))}
        if sha is None:
            yield out
            return
        tree = tmp / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(tree), sha],
                       check=True, capture_output=True)
        try:
            out[f"{rev} ({sha[:7]})"] = (tree, _shim(tmp / "other", tree))
            yield out
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           check=False, capture_output=True)


def _shim(d: pathlib.Path, tree: pathlib.Path) -> pathlib.Path:
    d.mkdir()
    (d / "ailoop").symlink_to(tree, target_is_directory=True)
    return d


def child_env(shim: pathlib.Path) -> dict:
    """The environment of a child that must import ``ailoop`` from ``shim``'s tree."""
    env = os.environ.copy()
    env["PYTHONPATH"] = os.pathsep.join([str(shim)] + [p for p in [env.get("PYTHONPATH")] if p])
    return env


def check_tree(tree: str) -> None:
    """In a child: stop unless ``ailoop`` was imported from ``tree``."""
    import ailoop

    got = pathlib.Path(ailoop.__file__).resolve().parent
    if got != pathlib.Path(tree).resolve():
        sys.exit(f"ailoop imported from {got}, not from {tree}")
