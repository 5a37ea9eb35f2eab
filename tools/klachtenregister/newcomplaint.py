"""`klachten new`: write the next complaint file from templates/klacht.md, never overwriting.

The number is max + 1 within the year of `ontvangen` (gaps are never re-used: an attachment
folder left behind still counts). Creation is atomic and exclusive: the file is written to a
temporary name and hard-linked into place, which fails instead of overwriting when another
`klachten new` took the same number at the same moment; then the next number is tried.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import jinja2

from .paths import template_loader
from .procedure import Procedure
from .register import DATA_DIR
from .templateerrors import reported_as

TEMPLATE = "klacht.md"


class NewComplaintError(Exception):
    """`klachten new` could not do its job; the message is in Dutch for staff."""


@dataclass(frozen=True)
class NewComplaint:
    ontvangen: date
    kanaal: str
    onderwerp: str
    klager: str
    ontvangen_door: str
    categorie: str = "overig"
    bijlagen: tuple[Path, ...] = ()


def next_number(year_dir: Path, year: int, also: Iterable[str] = ()) -> int:
    """max + 1 over the file and folder names in `year_dir` and the names in `also`."""
    pattern = re.compile(rf"{year}-(\d+)(?:\.md)?")
    names = [*_names(year_dir), *also]
    numbers = [int(m.group(1)) for name in names if (m := pattern.fullmatch(name))]
    return max(numbers, default=0) + 1


def _names(folder: Path) -> list[str]:
    return os.listdir(folder) if folder.is_dir() else []


def yaml_string(value: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML): safe for any staff text."""
    return json.dumps(value, ensure_ascii=False)


_PLAIN = re.compile(r"[^\W\d_][\w-]*")
_YAML_WORDS = {"null", "true", "false", "yes", "no", "on", "off", "y", "n"}


def yaml_plain(value: str) -> str:
    """A plain word as it is (`categorie: overig`, as staff write it); anything else quoted
    (a category from procedure.yml may be any text)."""
    if _PLAIN.fullmatch(value) and value.lower() not in _YAML_WORDS:
        return value
    return yaml_string(value)


def template_env(root: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=template_loader(root),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["yaml"] = yaml_string
    env.filters["yaml_plain"] = yaml_plain
    return env


def render(root: Path, new: NewComplaint, volgnummer: str, procedure: Procedure) -> str:
    """The new file's text; a broken template is a NewComplaintError naming its line."""
    days = procedure.termijnen
    with reported_as(NewComplaintError):
        return template_env(root).get_template(TEMPLATE).render(
            volgnummer=volgnummer,
            new=new,
            bijlagen=[p.name for p in new.bijlagen],
            uiterlijk_bevestiging=new.ontvangen + timedelta(days=days.bevestiging),
            uiterlijk_oordeel=new.ontvangen + timedelta(days=days.oordeel),
            termijnen=days,
            categorieen=procedure.categorieen,
        )


def create(root: Path, new: NewComplaint, procedure: Procedure) -> Path:
    """Write the file and copy its attachments; return the new file's path."""
    year = new.ontvangen.year
    year_dir = root / DATA_DIR / str(year)
    render(root, new, f"{year}-001", procedure)  # a broken template fails before anything is written
    year_dir.mkdir(parents=True, exist_ok=True)
    for _attempt in range(100):
        volgnummer = f"{year}-{next_number(year_dir, year):03d}"
        target = year_dir / f"{volgnummer}.md"
        if _create_exclusive(target, render(root, new, volgnummer, procedure)):
            _copy_attachments(year_dir / volgnummer, new.bijlagen)
            return target
    raise FileExistsError(f"geen vrij volgnummer gevonden in {year_dir}")


def _create_exclusive(target: Path, text: str) -> bool:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".nieuw-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.link(tmp, target)  # atomic, and refuses to replace an existing file
        return True
    except FileExistsError:
        return False
    finally:
        os.unlink(tmp)


def _copy_attachments(folder: Path, files: tuple[Path, ...]) -> None:
    if not files:
        return
    folder.mkdir(exist_ok=True)
    for source in files:
        target = folder / source.name
        if target.exists():
            raise FileExistsError(f"{target} bestaat al")
        shutil.copyfile(source, target)
