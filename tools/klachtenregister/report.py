"""`klachten report`: the annual overview for UWV as a PDF, its figures as JSON, the year's
complaints as CSV.

The PDF is the document sent to UWV (`site.period_pages.annual_html`: a first page like a
letter, then the figures; a standalone page with inline CSS and SVG) printed by headless
Chromium; the JSON holds the same figures (`site.yearfigures`) for other programs; the CSV is
for the quality manager's spreadsheet. None is ever written into klachten/ or docs/, and a
file is replaced only once the new one is complete.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2

from .deadlines import DeadlineBook
from .errors import JobFailed, UsageError
from .files import write_beside
from .model import STAP_BEVESTIGING, STAP_OORDEEL, Complaint
from .oserrors import os_reason, short_path
from .pdf import html_to_pdf
from .periods import year_bounds
from .personal import mask
from .register import Register, load_register
from .site import figures
from .site.period_pages import annual_html
from .site.redact import Redactor
from .site.templateerrors import reported_as
from .site.yearfigures import year_figures
from .targets import check_target


@dataclass(frozen=True)
class Outputs:
    """The files `klachten report` was asked for (None: not asked)."""

    pdf: Path | None = None
    csv: Path | None = None
    json: Path | None = None

    def given(self) -> list[tuple[str, Path]]:
        return [(name, path) for name, path in vars(self).items() if path is not None]


def make_report(root: Path, year: int, today: date, outputs: Outputs, with_names: bool = False) -> list[str]:
    """`klachten report`: check the options, then write what was asked; returns lines for staff."""
    _check_options(root, outputs, with_names)
    register = load_register(root)
    done = []
    if outputs.csv:
        done.append(_csv_report(register, year, today, outputs.csv, with_names))
    if outputs.json:
        done.append(_json_report(register, year, today, outputs.json))
    if outputs.pdf:
        done.append(_pdf_report(register, year, today, outputs.pdf))
    unreadable = {f.file for f in register.findings if f.severity == "error"}
    if unreadable:
        files = "1 bestand" if len(unreadable) == 1 else f"{len(unreadable)} bestanden"
        done.append(f"let op: {files} met fouten; draai 'klachten check' (telt mogelijk niet mee)")
    return done


def _check_options(root: Path, outputs: Outputs, with_names: bool) -> None:
    given = outputs.given()
    if not given:
        raise UsageError("geef --pdf BESTAND, --json BESTAND en/of --csv BESTAND")
    if with_names and outputs.csv is None:
        raise UsageError("--met-namen geldt alleen voor --csv")
    for index, (name, path) in enumerate(given):
        for other, other_path in given[index + 1 :]:
            if path.resolve() == other_path.resolve():
                raise UsageError(f"--{name} en --{other} wijzen naar hetzelfde bestand")
    for _name, target in given:
        check_target(root, target)


def _csv_report(register: Register, year: int, today: date, csv_file: Path, with_names: bool) -> str:
    with _writing(csv_file):
        write_csv(register, year, today, csv_file, with_names)
    count = len(figures.received_in(register.complaints, *year_bounds(year)))
    names = " met namen (vertrouwelijk: niet doorsturen)" if with_names else ", zonder namen"
    return f"{csv_file}: {_complaints(count)} van {year}{names}"


def _json_report(register: Register, year: int, today: date, json_file: Path) -> str:
    with _writing(json_file):
        _replace(json_file, json_text(register, year, today).encode("utf-8"))
    return f"{json_file}: cijfers van {year}{_draft(year, today)}"


def _pdf_report(register: Register, year: int, today: date, pdf: Path) -> str:
    with reported_as(JobFailed), _writing(pdf):  # a broken templates/report/ override, in Dutch
        write_pdf(register, year, today, pdf)
    return f"{pdf}: jaaroverzicht {year}{_draft(year, today)}"


def _draft(year: int, today: date) -> str:
    return " (concept: het jaar loopt nog)" if year_bounds(year)[1] >= today else ""


def _complaints(count: int) -> str:
    return "1 klacht" if count == 1 else f"{count} klachten"


@contextlib.contextmanager
def _writing(target: Path) -> Iterator[None]:
    """A file that cannot be written (its folder is a file, no permission, disk full) is a
    JobFailed naming it, in Dutch."""
    try:
        yield
    except jinja2.TemplateNotFound:  # an OSError too, but a template's: reported_as says it
        raise
    except OSError as exc:
        raise JobFailed(f"{short_path(target)} kan niet geschreven worden ({os_reason(exc)})") from None


def json_text(register: Register, year: int, today: date) -> str:
    """The year's figures as SPEC 4.3's JSON: anonymous (counts only)."""
    return json.dumps(year_figures(register, year, today).to_json(), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    "Volgnummer", "Ontvangen op", "Onderwerp", "Kanaal", "Categorie", "Status", "Oordeel",
    "Behandelaar (rol)", "Opdrachtgever (rol)",
    "Dagen tot bevestiging", "Termijn bevestiging (stap 3)", "Dagen tot oordeel", "Termijn oordeel (stap 7)",
    "Afgehandeld op", "Dagen tot afhandeling", "Beroep (stap 10)", "Beroep ingesteld op",
)  # fmt: skip
CSV_NAME_COLUMNS = ("Naam klager", "Klantnummer", "Ontvangen door", "Naam behandelaar", "Naam opdrachtgever")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_LABEL = {"deels-gegrond": "deels gegrond", "onafhankelijke-derde": "onafhankelijke derde"}


def csv_text(register: Register, year: int, today: date, with_names: bool = False) -> str:
    """The year's complaints, one row each, for a Dutch spreadsheet (`;`-separated).

    Without `with_names` it names nobody: no name column, and the onderwerp (the only free
    text) redacted as on the annual page (every person the register names, every klantnummer).
    """
    first, last = year_bounds(year)
    book = DeadlineBook.of_register(register, today)  # what check reports
    redactor = None if with_names else Redactor.for_annual(register)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS + (CSV_NAME_COLUMNS if with_names else ()))
    for c in figures.received_in(register.complaints, first, last):
        cells = _csv_cells(c, figures.complaint_row(c, book, register.procedure.waarschuwing, today), redactor)
        if with_names:
            cells += _name_cells(c)
        writer.writerow([_no_formula(mask(str(v or ""), register.procedure.privacy)) for v in cells])
    return out.getvalue()


def _csv_cells(c: Complaint, r: figures.ComplaintRow, redactor: Redactor | None) -> list:
    onderwerp = c.onderwerp or ""
    return [
        r.volgnummer, r.ontvangen.isoformat(), redactor.redact(onderwerp)[0] if redactor else onderwerp,
        r.kanaal, r.categorie, r.status, _label(c.oordeel),
        _label(c.behandelaar.rol if c.behandelaar else None), c.opdrachtgever.rol if c.opdrachtgever else "",
        _cell(r.dagen_bevestiging), r.termijnen.get(STAP_BEVESTIGING, ""),
        _cell(r.dagen_oordeel), r.termijnen.get(STAP_OORDEEL, ""),
        _cell(r.afgehandeld), _cell(figures.days_between(c.ontvangen, c.afgehandeld)),
        _appeal_cell(c), _cell(c.beroep.ingesteld if c.beroep else None),
    ]  # fmt: skip


def _name_cells(c: Complaint) -> list:
    return [
        c.klager.naam if c.klager else "",
        c.klager.klantnummer if c.klager else "",
        c.ontvangen_door or "",
        c.behandelaar.naam if c.behandelaar else "",
        c.opdrachtgever.naam if c.opdrachtgever else "",
    ]


def _label(value: str | None) -> str:
    return _LABEL.get(value or "", value or "")


def _appeal_cell(c: Complaint) -> str:
    if c.beroep is None:
        return "nee"
    return "ja, uitkomst bekend" if c.beroep.uitkomst else "ja, nog geen uitkomst"


def _cell(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _no_formula(value: str) -> str:
    """A spreadsheet runs a cell that starts with = + - @ as a formula: make it text."""
    return "'" + value if value.startswith(_FORMULA) else value


def write_csv(register: Register, year: int, today: date, target: Path, with_names: bool = False) -> None:
    # UTF-8 with a byte-order mark: Excel reads UTF-8 only with it, and takes `;` as the
    # separator in the Dutch locale.
    _replace(target, csv_text(register, year, today, with_names).encode("utf-8-sig"))


def write_pdf(register: Register, year: int, today: date, target: Path) -> None:
    html = mask(annual_html(register, year, today), register.procedure.privacy)  # the PDF's output boundary
    _replace(target, html_to_pdf(html, "jaaroverzicht"))


def _replace(target: Path, data: bytes) -> None:
    """A half-written report never takes the place of the last one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    write_beside(target, data)
