"""The register's own site sources: docs/ pages, templates/ and mkdocs.yml (SPEC section 1).

Like the register's files (safefiles.py), a page, template or configuration that is a link
leading out of the register, or is not a regular file (a FIFO, a device), is never read or
published: `klachten check` reports it as a `yaml` finding on it, and the build leaves it
out (a page or template of the product's own takes its place where there is one).
"""

from __future__ import annotations

import os
from pathlib import Path

from . import safefiles
from .findings import Finding

FOLDERS = ("docs", "templates")
CONFIG = "mkdocs.yml"
TEXT_SUFFIXES = (".md", ".j2", ".html", ".yml", ".yaml", ".css", ".js", ".txt")


def limit_for(name: str) -> int | None:
    """Text is read, so it is bounded; an image or PDF in docs/ is copied, whatever its size."""
    return safefiles.MAX_TEXT_BYTES if name.lower().endswith(TEXT_SUFFIXES) else None


def walk(root: Path, folder: str) -> tuple[dict[str, Path], list[Finding]]:
    """The usable files of `root/folder` by path relative to it (hidden ones left out), and a
    finding for each file or folder that may not be used. Links to folders inside the register
    are followed, each folder once."""
    files: dict[str, Path] = {}
    problems: list[Finding] = []
    top = root / folder
    if top.is_dir() and _folder_ok(root, top, folder, problems):
        _walk(root, top, "", folder, files, problems, {os.path.realpath(top)})
    return files, problems


def _walk(root: Path, top: Path, rel: str, folder: str, files: dict, problems: list, seen: set) -> None:
    try:
        entries = sorted(os.scandir(top / rel if rel else top), key=lambda e: e.name)
    except OSError:
        return  # the build says so when it copies; check has nothing to add
    for entry in (e for e in entries if not e.name.startswith(".")):
        sub = f"{rel}/{entry.name}" if rel else entry.name
        shown = f"{folder}/{sub}"
        if entry.is_dir():
            real = os.path.realpath(entry.path)
            if real not in seen and _folder_ok(root, Path(entry.path), shown, problems):
                _walk(root, top, sub, folder, files, problems, seen | {real})
        else:
            reason = safefiles.problem(entry.path, root, limit_for(entry.name))
            if reason:
                problems.append(Finding("yaml", f"{shown} {reason}", shown))
            else:
                files[sub] = Path(entry.path)


def _folder_ok(root: Path, path: Path, shown: str, problems: list[Finding]) -> bool:
    if safefiles.is_inside(path, root):
        return True
    problems.append(Finding("yaml", f"de map {shown}/ {safefiles.OUTSIDE}", shown))
    return False


def config_problem(root: Path) -> str | None:
    """Why the register's own mkdocs.yml may not be used (Dutch, to follow its name), None
    when it may or when there is none."""
    path = root / CONFIG
    if not (path.exists() or path.is_symlink()):
        return None
    return safefiles.problem(path, root)


def problems(root: Path) -> list[Finding]:
    """Every finding on the register's own docs/, templates/ and mkdocs.yml."""
    found = [f for folder in FOLDERS for f in walk(root, folder)[1]]
    config = config_problem(root)
    if config:
        found.append(Finding("yaml", f"{CONFIG} {config}", CONFIG, 1))
    return found
