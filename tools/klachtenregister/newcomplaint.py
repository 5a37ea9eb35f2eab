"""`klachten new`: write the next complaint file from templates/klacht.md, never overwriting.

The number is max + 1 within the year of `ontvangen` (gaps are never re-used: an attachment
folder left behind still counts). Creation is atomic and exclusive: the file is written to a
temporary name and hard-linked into place, which fails instead of overwriting when another
`klachten new` took the same number at the same moment; then the next number is tried.

Every option is checked before anything is written (`newoptions.py`), and a failure while writing
leaves no half-made complaint: attachments are copied into a hidden folder first, which
becomes the complaint's folder only once the file has its number.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2

from .deadlines import plus_days
from .errors import JobFailed
from .files import write_beside
from .oserrors import os_problem
from .paths import DATA_DIR
from .procedure import Procedure
from .scratch import scratch_folder
from .site.templateerrors import reported_as
from .site.templating import strict_env

TEMPLATE = "klacht.md"


@dataclass(frozen=True)
class NewComplaint:
    ontvangen: date
    kanaal: str
    onderwerp: str
    klager: str
    ontvangen_door: str
    categorie: str = "overig"
    bijlagen: tuple[Path, ...] = ()
    klantnummer: str | None = None
    omschrijving: str | None = None  # the body's first section; the template's example text when None


def letter_reminder(path: Path) -> str:
    """A complaint by letter needs the letter (step 3): say where it goes, before check does."""
    folder = path.with_suffix("")
    return (
        f"klachten: let op: deze klacht kwam per brief, maar de brief is er nog niet bij. Zet de brief in "
        f"{folder}/ en noem hem in {path} onder 'bijlagen:' (of geef de brief mee met --bijlage BESTAND); "
        "tot dan meldt 'klachten check' een fout (bijlage, stap 3)"
    )


def next_number(year_dir: Path, year: int, also: Iterable[str] = ()) -> int:
    """max + 1 over the file and folder names in `year_dir` and the names in `also`."""
    pattern = re.compile(rf"{year}-([0-9]+)(?:\.md)?")
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
    env = strict_env(root, autoescape=False)  # it writes YAML, not HTML
    env.filters["yaml"] = yaml_string
    env.filters["yaml_plain"] = yaml_plain
    return env


def render(root: Path, new: NewComplaint, volgnummer: str, procedure: Procedure) -> str:
    """The new file's text; a broken template is a JobFailed naming its line."""
    days = procedure.termijnen
    with reported_as(JobFailed):
        return template_env(root).get_template(TEMPLATE).render(
            volgnummer=volgnummer,
            new=new,
            bijlagen=[p.name for p in new.bijlagen],
            uiterlijk_bevestiging=plus_days(new.ontvangen, days.bevestiging),
            uiterlijk_oordeel=plus_days(new.ontvangen, days.oordeel),
            termijnen=days,
            categorieen=procedure.categorieen,
        )


def create(root: Path, new: NewComplaint, procedure: Procedure) -> Path:
    """Write the file and copy its attachments; return the new file's path.

    Raises JobFailed (in Dutch) when it cannot; then nothing new is left behind."""
    year = new.ontvangen.year
    year_dir = root / DATA_DIR / str(year)
    render(root, new, f"{year}-001", procedure)  # a broken template fails before anything is written
    made_year_dir = staged = None
    try:
        made_year_dir = _make_year_dir(year_dir)
        with scratch_folder(root, year_dir) as scratch:  # under build/: never staged by git add -A
            staged = _stage_attachments(scratch, new.bijlagen)
            return _write_numbered(root, year_dir, new, procedure, staged, scratch)
    except OSError as exc:
        _clean_up(staged, year_dir if made_year_dir else None)
        raise JobFailed(f"de klacht is niet aangemaakt: {os_problem(exc)}") from None
    except BaseException:
        _clean_up(staged, year_dir if made_year_dir else None)
        raise


def _make_year_dir(year_dir: Path) -> bool:
    """Create klachten/<jaar>/ when missing; True when it was created here."""
    if year_dir.is_dir():
        return False
    if year_dir.exists() or year_dir.is_symlink():
        raise JobFailed(f"{year_dir} is een bestand, geen map: hernoem of verplaats het eerst")
    try:
        year_dir.mkdir()
    except FileExistsError:  # another `klachten new` made it just now
        if year_dir.is_dir():
            return False
        raise
    return True


def _stage_attachments(scratch: Path, files: tuple[Path, ...]) -> Path | None:
    """Copy the attachments into a new folder in `scratch` (see scratch.py)."""
    if not files:
        return None
    staged = scratch / "bijlagen"
    staged.mkdir()
    for source in files:
        try:
            shutil.copyfile(source, staged / source.name)
        except OSError as exc:
            shutil.rmtree(staged, ignore_errors=True)
            raise JobFailed(f"de klacht is niet aangemaakt: bijlage {os_problem(exc, source)}") from None
    return staged


def _write_numbered(
    root: Path, year_dir: Path, new: NewComplaint, procedure: Procedure, staged: Path | None, scratch: Path
) -> Path:
    year = new.ontvangen.year
    for _attempt in range(100):
        volgnummer = f"{year}-{next_number(year_dir, year):03d}"
        target = year_dir / f"{volgnummer}.md"
        text = render(root, new, volgnummer, procedure).encode()
        if write_beside(target, text, shared=True, exclusive=True, scratch=scratch):
            if staged is not None:
                _move_in(staged, year_dir / volgnummer, target)
            return target
    raise JobFailed(f"geen vrij volgnummer gevonden in {year_dir}")


def _move_in(staged: Path, folder: Path, target: Path) -> None:
    """The staged attachments become the complaint's folder; if not, the new file goes too."""
    try:
        if folder.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(folder))
        os.rename(staged, folder)
    except OSError:
        target.unlink()
        raise


def _clean_up(staged: Path | None, made_year_dir: Path | None) -> None:
    """Remove only what this run made: the staged copies, and the year folder if still empty."""
    if staged is not None:
        shutil.rmtree(staged, ignore_errors=True)
    if made_year_dir is not None:
        with contextlib.suppress(OSError):  # not empty: another new complaint is in it by now
            made_year_dir.rmdir()
