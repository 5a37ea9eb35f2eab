"""Writing a file so that no reader ever sees half of it: beside the target, then into place.

The live server reading a page, a spreadsheet opening the CSV, a colleague's `git pull`:
each sees the old file or the new one. Every temporary file starts with TEMPORARY_PREFIX,
so a message about one names its folder instead (`oserrors.os_problem`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMPORARY_PREFIX = ".nieuw-"


def write_beside(
    target: Path, data: bytes, *, shared: bool = False, exclusive: bool = False, scratch: Path | None = None
) -> bool:
    """Write `data` beside `target` (or in `scratch`, a folder on the same file system), then
    put it in place in one step.

    shared: readable as the umask allows (a complaint file), else for its maker only (a report
    with personal data, a generated page). exclusive: never replace an existing file; returns
    False when `target` exists (then nothing was written)."""
    fd, tmp = tempfile.mkstemp(dir=scratch or target.parent, prefix=TEMPORARY_PREFIX, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            if shared:
                os.fchmod(out.fileno(), 0o666 & ~current_umask())  # mkstemp makes it private
            out.write(data)
        return _put_in_place(tmp, target, exclusive)
    finally:
        Path(tmp).unlink(missing_ok=True)  # gone already once renamed; a link leaves it


def _put_in_place(tmp: str, target: Path, exclusive: bool) -> bool:
    if not exclusive:
        os.replace(tmp, target)
        return True
    try:
        os.link(tmp, target)  # atomic, and refuses to replace an existing file
    except FileExistsError:
        return False
    return True


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
