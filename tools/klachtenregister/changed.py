"""`klachten check --sinds REF`: which register files a pull request changes (SPEC 4.3).

A file changed is one under `klachten/` that differs between the merge base of REF and HEAD,
or between HEAD and the working tree (tracked or not): what the pull request brings, plus
what is being edited and not yet committed. Three git commands, whatever the history's size.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import UsageError
from .register import DATA_DIR


def changed_files(root: Path, ref: str) -> frozenset[str]:
    """Paths relative to `root` of the files under klachten/ changed since `ref`."""
    _require_repository(root)
    base = _merge_base(root, _commit(root, ref, f"--sinds: onbekende Git-referentie '{ref}'"))
    committed = _git(root, "diff", "--name-only", "-z", "--relative", "--no-renames", base, "HEAD", "--", DATA_DIR)
    edited = _git(root, "diff", "--name-only", "-z", "--relative", "--no-renames", "HEAD", "--", DATA_DIR)
    untracked = _git(root, "ls-files", "-z", "--others", "--", DATA_DIR)
    return frozenset(name for out in (committed, edited, untracked) for name in out.split("\0") if name)


def _require_repository(root: Path) -> None:
    try:
        inside = _run(root, "rev-parse", "--is-inside-work-tree")
    except FileNotFoundError:
        raise UsageError("--sinds: git is niet geïnstalleerd (of niet te vinden)") from None
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise UsageError(f"--sinds: {root} is geen Git-repository (of staat er niet in); --sinds vergelijkt met Git")
    _commit(root, "HEAD", "--sinds: de repository heeft nog geen commit om mee te vergelijken")


def _commit(root: Path, ref: str, unknown: str) -> str:
    if ref.startswith("-") or not ref.strip():  # never an option of git's own
        raise UsageError(unknown)
    found = _run(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if found.returncode != 0:
        raise UsageError(unknown)
    return found.stdout.strip()


def _merge_base(root: Path, commit: str) -> str:
    found = _run(root, "merge-base", commit, "HEAD")
    if found.returncode != 0:
        raise UsageError("--sinds: deze referentie en HEAD hebben geen gemeenschappelijke geschiedenis")
    return found.stdout.strip()


def _git(root: Path, *args: str) -> str:
    done = _run(root, *args)
    if done.returncode != 0:
        raise UsageError(f"--sinds: git {args[0]} is mislukt: {done.stderr.strip()}")
    return done.stdout


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    # core.quotePath off: names come back as they are (with -z they are never quoted anyway).
    command = ["git", "-c", "core.quotePath=false", *args]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, encoding="utf-8", errors="surrogateescape")
