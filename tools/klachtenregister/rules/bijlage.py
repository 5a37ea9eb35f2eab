"""bijlage: een bijlage ontbreekt, kan niet gelezen worden of ligt buiten de map van de klacht.

Bijlagen staan in de map naast het klachtbestand: klachten/2026/2026-007/brief.pdf hoort bij
klachten/2026/2026-007.md en heet onder `bijlagen` gewoon `brief.pdf`. Is de klacht per brief
binnengekomen (kanaal: brief), dan hoort de brief erbij (stap 3).

Goed:   bijlagen: [brief.pdf]        en het bestand klachten/2026/2026-007/brief.pdf bestaat
Fout:   bijlagen: [../geheim.pdf]    of een bijlage die niet in de map staat
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

from ..findings import Finding

CODE = "bijlage"


def check(ctx):
    root = ctx.register.root
    for c in ctx.register.complaints:
        if not c.readable:
            continue
        folder = c.rel.removesuffix(".md")
        if c.kanaal == "brief" and not c.bijlagen and "bijlagen" not in c.invalid:
            yield _finding(
                c,
                "kanaal",
                "bijlagen",
                (f"de klacht kwam per brief: zet de brief in {folder}/ en noem hem onder bijlagen (stap 3)"),
            )
        for index, name in enumerate(c.bijlagen or []):
            problem = _problem(root, folder, name)
            if problem:
                yield _finding(c, f"bijlagen[{index}]", f"bijlagen[{index}]", problem)


def _problem(root: Path, folder: str, name: str) -> str | None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or ":" in name:
        return f"bijlage '{name}' wijst buiten de map {folder}/: noem alleen de bestandsnaam"
    target = root / folder / path
    missing = f"bijlage '{name}' bestaat niet: zet het bestand in {folder}/"
    unreadable = f"bijlage '{name}' kan niet gelezen worden (geen toegang): controleer de rechten"
    try:
        mode = os.lstat(target).st_mode
    except PermissionError:  # the folder may not be looked into
        return unreadable
    except (OSError, ValueError):  # not there, or not a possible file name (a NUL byte)
        return missing
    if len(path.parts) > 1 or stat.S_ISLNK(mode):
        # A link, or a sub-folder that may be one, can lead out of the folder: resolve it.
        # (A plain regular file needs no resolving, which keeps this rule fast.)
        try:
            inside = target.resolve().is_relative_to((root / folder).resolve())
        except (OSError, RuntimeError):
            inside = False
        if not inside:
            return f"bijlage '{name}' wijst buiten de map {folder}/"
        return None if target.is_file() else missing
    if not stat.S_ISREG(mode):
        return missing
    return None if os.access(target, os.R_OK) else unreadable


def _finding(c, line_path: str, veld: str, message: str) -> Finding:
    return Finding(CODE, message, c.rel, c.line(line_path), c.volgnummer, veld=veld)
