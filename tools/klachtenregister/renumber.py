"""`klachten renumber`: give a complaint the next free volgnummer of its year.

Needed when two pull requests each took the same next number (`klachten new` counts max + 1
on its own branch). Moves the file and its attachment folder and changes only the value on
the `volgnummer:` line; everything else staff wrote stays byte for byte. It refuses rather
than overwrites, and checks everything before it moves anything.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .newcomplaint import _create_exclusive, next_number
from .register import DATA_DIR


class RenumberError(Exception):
    pass


@dataclass(frozen=True)
class Renumbered:
    old: Path
    new: Path
    moved_folder: bool


def renumber(root: Path, old: str, new: str | None = None, against: str | None = None) -> Renumbered:
    """Renumber `old` to `new`, or to max + 1 over this tree and, if given, Git ref `against`
    (e.g. origin/main: the number must be free where the pull request will be merged)."""
    year = old[:4]
    year_dir = root / DATA_DIR / year
    source = year_dir / f"{old}.md"
    if not re.fullmatch(r"\d{4}-\d{3,}", old) or not source.is_file():
        raise RenumberError(f"klacht {old} niet gevonden (verwacht: {source})")
    taken = _names_in_ref(root, against, f"{DATA_DIR}/{year}/") if against else []
    new = new or f"{year}-{next_number(year_dir, int(year), taken):03d}"
    if new in {PurePosixPath(name).stem for name in taken}:
        raise RenumberError(f"{new} is al in gebruik in {against}; kies een ander nummer")
    if not re.fullmatch(rf"{year}-\d{{3,}}", new):
        raise RenumberError(f"nieuw volgnummer {new} moet de vorm {year}-NNN hebben (zelfde jaar)")
    target, folder, new_folder = year_dir / f"{new}.md", year_dir / old, year_dir / new
    if target.exists() or new_folder.exists():
        raise RenumberError(f"{new} is al in gebruik; kies een ander nummer")
    raw = source.read_bytes()
    text = _replace_volgnummer(raw.decode("utf-8"), old, new)
    if not _create_exclusive(target, text):
        raise RenumberError(f"{new} is al in gebruik; kies een ander nummer")
    moved = folder.is_dir()
    if moved:
        os.rename(folder, new_folder)
    source.unlink()
    return Renumbered(source, target, moved)


def _names_in_ref(root: Path, ref: str, folder: str) -> list[str]:
    """File and folder names directly under `folder` in the tree of Git ref `ref`."""
    result = subprocess.run(["git", "ls-tree", "--name-only", ref, "--", folder], cwd=root,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RenumberError(f"Git kent '{ref}' niet: {result.stderr.strip()}")
    return [PurePosixPath(line).name for line in result.stdout.splitlines()]


_LINE = re.compile(r"^(volgnummer:[ \t]*)([\"']?){old}\2([ \t]*(#.*)?)$", re.MULTILINE)


def _replace_volgnummer(text: str, old: str, new: str) -> str:
    front_end = _front_matter_end(text)
    pattern = re.compile(_LINE.pattern.replace("{old}", re.escape(old)), re.MULTILINE)
    match = pattern.search(text, 0, front_end)
    if match is None:
        raise RenumberError(f"de regel 'volgnummer: {old}' staat niet in de front matter")
    start, end = match.span(0)
    line = f"{match.group(1)}{match.group(2)}{new}{match.group(2)}{match.group(3)}"
    return text[:start] + line + text[end:]


def _front_matter_end(text: str) -> int:
    closing = re.search(r"^(---|\.\.\.)[ \t]*\r?$", text[4:], re.MULTILINE)
    return 4 + closing.start() if closing else len(text)

