"""Where a command may write a file the user named (`report --pdf/--csv/--json`, `brief`).

Never into klachten/ or docs/: a report or letter there would become part of the register
or of the site. The one exception is a letter in its own complaint's attachment folder,
where the sent copy belongs (step 2: every document in the dossier). Paths are compared
resolved, so a link into the register is refused like the register itself.
"""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError
from .oserrors import os_reason, short_path

PROTECTED = ("klachten", "docs")  # sources: nothing the user names lands in them


def check_target(root: Path, target: Path, allowed: Path | None = None, what: str = "het rapport") -> None:
    """Refuse (UsageError) a target inside klachten/ or docs/ (except inside `allowed`), a
    folder, or a place that cannot hold a file."""
    try:
        _check_place(root, target, allowed, what)
    except OSError as exc:  # a name too long, a link loop
        raise UsageError(f"{short_path(target)} kan niet geschreven worden ({os_reason(exc)})") from None


def _check_place(root: Path, target: Path, allowed: Path | None, what: str) -> None:
    resolved = target.resolve()
    if allowed is None or not _inside(resolved, allowed.resolve()):
        for name in PROTECTED:
            if _inside(resolved, (root / name).resolve()) or resolved == (root / name).resolve():
                raise UsageError(f"{target} ligt in {name}/: {_elsewhere(what, allowed, root)}")
    if resolved.is_dir():
        raise UsageError(f"{target} is een map; geef een bestandsnaam")
    existing = next((p for p in resolved.parents if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise UsageError(f"{existing} is een bestand, geen map: kies een andere plek voor {target.name}")


def _inside(path: Path, folder: Path) -> bool:
    return folder in path.parents


def _elsewhere(what: str, allowed: Path | None, root: Path) -> str:
    if allowed is None:
        return f"schrijf {what} buiten het register, bijvoorbeeld in /tmp"
    return f"schrijf {what} in de map van de klacht ({_relative(allowed, root)}/) of buiten het register"


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
