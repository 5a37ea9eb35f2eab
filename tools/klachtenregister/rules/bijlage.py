"""bijlage: een bijlage ontbreekt, kan niet gelezen worden of ligt buiten de map van de klacht.

Een bijlage is een gewoon bestand in die map: een koppeling (symbolische link) die naar
buiten de map leidt, of een map, FIFO of apparaat, wordt gemeld en nooit gepubliceerd.

Bijlagen staan in de map naast het klachtbestand: klachten/2026/2026-007/brief.pdf hoort bij
klachten/2026/2026-007.md en heet onder `bijlagen` gewoon `brief.pdf`. Is de klacht per brief
binnengekomen (kanaal: brief), dan hoort de brief erbij (stap 3).

Goed:   bijlagen: [brief.pdf]        en het bestand klachten/2026/2026-007/brief.pdf bestaat
Fout:   bijlagen: [../geheim.pdf]    of een bijlage die niet in de map staat
"""

from __future__ import annotations

import errno
import os
from pathlib import Path, PurePosixPath

from .. import safefiles
from ..findings import Finding
from ..oserrors import os_reason

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
            found = problem(root, folder, name)
            if found:
                yield _finding(c, f"bijlagen[{index}]", f"bijlagen[{index}]", found)


def problem(root: Path, folder: str, name: str) -> str | None:
    """Why attachment `name` of the complaint whose folder is `folder` (relative to `root`)
    cannot be published, in Dutch; None when it can. The site publishes exactly the
    attachments for which this says nothing."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or ":" in name or "\0" in name:
        return f"bijlage '{name}' wijst buiten de map {folder}/: noem alleen de bestandsnaam"
    if not safefiles.is_inside(root / folder, root):  # the folder itself a link to /etc, say
        return f"de map {folder}/ van bijlage '{name}' {safefiles.OUTSIDE}"
    try:
        os.close(safefiles.open_regular(root / folder / path, root / folder, limit=None))
    except safefiles.Refused as exc:
        if str(exc) == safefiles.OUTSIDE:
            return f"bijlage '{name}' wijst buiten de map {folder}/ en wordt niet gepubliceerd"
        return f"bijlage '{name}' {exc}"
    except PermissionError:
        return f"bijlage '{name}' kan niet gelezen worden (geen toegang): controleer de rechten"
    except OSError as exc:  # not there, or not a possible file name
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return f"bijlage '{name}' bestaat niet: zet het bestand in {folder}/"
        return f"bijlage '{name}' kan niet gelezen worden ({os_reason(exc)})"
    return None


def _finding(c, line_path: str, veld: str, message: str) -> Finding:
    return Finding(CODE, message, c.rel, c.line(line_path), c.volgnummer, veld=veld)
