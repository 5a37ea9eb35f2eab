"""`klachten renumber`: give a complaint the next free volgnummer of its year.

Needed when two pull requests each took the same next number (`klachten new` counts max + 1
on its own branch). Moves the file and its attachment folder and changes only the value on
the `volgnummer:` line and the number in the `# Klacht 2026-009.` comment `klachten new` puts
on top; everything else staff wrote stays byte for byte. It refuses rather
than overwrites, and checks everything before it moves anything.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import safefiles
from .errors import JobFailed, UsageError
from .files import write_beside
from .model import parse_volgnummer, volgnummer
from .newcomplaint import next_number
from .oserrors import os_problem, os_reason
from .register import DATA_DIR, require_register
from .scratch import scratch_folder


@dataclass(frozen=True)
class Renumbered:
    old: Path
    new: Path
    moved_folder: bool


def renumber(root: Path, old: str, new: str | None = None, against: str | None = None) -> Renumbered:
    """Renumber `old` to `new`, or to max + 1 over this tree and, if given, Git ref `against`
    (e.g. origin/main: the number must be free where the pull request will be merged)."""
    require_register(root)
    if parse_volgnummer(old) is None:
        raise UsageError(f"'{old}' is geen volgnummer: schrijf JJJJ-NNN, bijvoorbeeld 2026-007")
    year = old[:4]
    year_dir = root / DATA_DIR / year
    source = year_dir / f"{old}.md"
    if not source.is_file():
        raise JobFailed(f"klacht {old} niet gevonden (verwacht: {source})")
    taken = _names_in_ref(root, against, f"{DATA_DIR}/{year}/") if against else []
    new = new or volgnummer(int(year), next_number(year_dir, int(year), taken))
    if new in {PurePosixPath(name).stem for name in taken}:
        raise JobFailed(f"{new} is al in gebruik in {against}; kies een ander nummer")
    parsed = parse_volgnummer(new)
    if not (parsed and volgnummer(*parsed) == new and parsed[0] == int(year)):  # as `klachten new` writes it
        raise UsageError(f"nieuw volgnummer {new} moet de vorm {year}-NNN hebben (zelfde jaar, zoals 007 of 1000)")
    try:
        moved = _move(source, year_dir, old, new)
    except OSError as exc:
        raise JobFailed(f"{old} is niet hernummerd: {os_problem(exc)}") from None
    return Renumbered(source, year_dir / f"{new}.md", moved)


def _move(source: Path, year_dir: Path, old: str, new: str) -> bool:
    """Write the new file, move the attachment folder, remove the old file; undone when a
    step fails, so the complaint is never there twice or half-moved."""
    target, folder, new_folder = year_dir / f"{new}.md", year_dir / old, year_dir / new
    if target.exists() or new_folder.exists():
        raise JobFailed(f"{new} is al in gebruik; kies een ander nummer")
    _write_renumbered(target, _read_text(source, year_dir.parent.parent), old, new)
    moved = False
    try:
        shutil.copymode(source, target)  # the same file under a new name: the same rights
        if folder.is_dir():
            os.rename(folder, new_folder)
            moved = True
        source.unlink()
    except OSError:
        with contextlib.suppress(OSError):
            if moved:
                os.rename(new_folder, folder)
            target.unlink()
        raise
    return moved


def _read_text(source: Path, root: Path) -> str:
    try:
        return safefiles.read_bytes(source, root).decode("utf-8")
    except UnicodeDecodeError:
        raise JobFailed(f"{source} is geen UTF-8-tekst; sla het op als UTF-8") from None
    except safefiles.Refused as exc:  # a link to /etc/passwd would become a complaint file
        raise JobFailed(f"{source} {exc}") from None


def _write_renumbered(target: Path, text: str, old: str, new: str) -> None:
    """The new file, prepared under build/ (never a stray file in klachten/), linked into place."""
    year_dir = target.parent
    with scratch_folder(year_dir.parent.parent, year_dir) as scratch:
        written = write_beside(target, _replace_volgnummer(text, old, new).encode(), shared=True, exclusive=True,
                               scratch=scratch)
    if not written:
        raise JobFailed(f"{new} is al in gebruik; kies een ander nummer")


def _names_in_ref(root: Path, ref: str, folder: str) -> list[str]:
    """File and folder names directly under `folder` in the tree of Git ref `ref`."""
    try:
        result = subprocess.run(["git", "ls-tree", "--name-only", ref, "--", folder], cwd=root,
                                capture_output=True, text=True)
    except OSError as exc:
        raise JobFailed(f"git kan niet gestart worden ({os_reason(exc)}); is Git geïnstalleerd?") from None
    if result.returncode != 0:
        raise JobFailed(f"Git kent '{ref}' niet (of {root} is geen Git-repository)")
    return [PurePosixPath(line).name for line in result.stdout.splitlines()]


# The line as written, CRLF included: the \r stays where it was (a file saved on Windows).
_LINE = re.compile(r"^(volgnummer:[ \t]*)([\"']?){old}\2([ \t]*(?:#[^\r\n]*)?)(?=\r?$)", re.MULTILINE)


def _replace_volgnummer(text: str, old: str, new: str) -> str:
    front_end = _front_matter_end(text)
    pattern = re.compile(_LINE.pattern.replace("{old}", re.escape(old)), re.MULTILINE)
    match = pattern.search(text, 0, front_end)
    if match is None:
        raise JobFailed(f"de regel 'volgnummer: {old}' staat niet in de front matter")
    start, end = match.span(0)
    line = f"{match.group(1)}{match.group(2)}{new}{match.group(2)}{match.group(3)}"
    return _replace_heading(text[:start] + line + text[end:], old, new)


def _replace_heading(text: str, old: str, new: str) -> str:
    """The comment `klachten new` writes on top, `# Klacht 2026-009. Vul de velden ...`, names
    the number too: change it there as well, and nowhere else (staff text stays as written)."""
    pattern = re.compile(rf"^(#[ \t]*Klacht[ \t]+){re.escape(old)}(?![0-9])", re.MULTILINE)
    match = pattern.search(text, 0, _front_matter_end(text))
    if match is None:
        return text
    return text[: match.start()] + match.group(1) + new + text[match.end() :]


def _front_matter_end(text: str) -> int:
    closing = re.search(r"^(---|\.\.\.)[ \t]*\r?$", text[4:], re.MULTILINE)
    return 4 + closing.start() if closing else len(text)

