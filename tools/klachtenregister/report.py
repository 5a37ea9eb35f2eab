"""`klachten report`: the annual overview for UWV as a PDF, the year's complaints as CSV.

The PDF is the annual page of the site (`site.period_pages.annual_html`, a standalone page with inline
CSS and SVG) printed by headless Chromium; the CSV is for the quality manager's spreadsheet.
Neither is ever written into klachten/ or docs/, and a file is replaced only once the new one
is complete.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import jinja2

from .deadlines import DeadlineBook
from .errors import JobFailed, UsageError
from .files import write_beside
from .model import STAP_BEVESTIGING, STAP_OORDEEL
from .oserrors import os_problem, os_reason, short_path
from .periods import year_bounds
from .register import Register, load_register
from .site import figures
from .site.period_pages import annual_html
from .site.templateerrors import reported_as

PROTECTED = ("klachten", "docs")  # sources: a report never lands in them


def make_report(
    root: Path, year: int, today: date, pdf: Path | None, csv_file: Path | None, with_names: bool = False
) -> list[str]:
    """`klachten report`: check the options, then write what was asked; returns lines for staff."""
    _check_options(root, pdf, csv_file, with_names)
    register = load_register(root)
    done = []
    if csv_file:
        done.append(_csv_report(register, year, today, csv_file, with_names))
    if pdf:
        done.append(_pdf_report(register, year, today, pdf))
    unreadable = {f.file for f in register.findings if f.severity == "error"}
    if unreadable:
        done.append(
            f"let op: {len(unreadable)} bestand(en) met fouten; draai 'klachten check' (telt mogelijk niet mee)"
        )
    return done


def _check_options(root: Path, pdf: Path | None, csv_file: Path | None, with_names: bool) -> None:
    if pdf is None and csv_file is None:
        raise UsageError("geef --pdf BESTAND en/of --csv BESTAND")
    if with_names and csv_file is None:
        raise UsageError("--met-namen geldt alleen voor --csv")
    if pdf and csv_file and pdf.resolve() == csv_file.resolve():
        raise UsageError("--pdf en --csv wijzen naar hetzelfde bestand")
    for target in (t for t in (pdf, csv_file) if t):
        check_target(root, target)


def _csv_report(register: Register, year: int, today: date, csv_file: Path, with_names: bool) -> str:
    with _writing(csv_file):
        write_csv(register, year, today, csv_file, with_names)
    count = len(figures.received_in(register.complaints, *year_bounds(year)))
    names = " met namen (vertrouwelijk: niet doorsturen)" if with_names else ", zonder namen"
    return f"{csv_file}: {count} klacht(en) van {year}{names}"


def _pdf_report(register: Register, year: int, today: date, pdf: Path) -> str:
    with reported_as(JobFailed), _writing(pdf):  # a broken templates/report/ override, in Dutch
        write_pdf(register, year, today, pdf)
    draft = " (concept: het jaar loopt nog)" if year_bounds(year)[1] >= today else ""
    return f"{pdf}: jaaroverzicht {year}{draft}"


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


def check_target(root: Path, target: Path) -> None:
    """Refuse an output file inside klachten/ or docs/ (it would become part of the register
    or site), a folder, or a place that cannot hold a file."""
    try:
        _check_place(root, target)
    except OSError as exc:  # a name too long, a link loop
        raise UsageError(f"{short_path(target)} kan niet geschreven worden ({os_reason(exc)})") from None


def _check_place(root: Path, target: Path) -> None:
    resolved = target.resolve()
    for name in PROTECTED:
        folder = (root / name).resolve()
        if resolved == folder or folder in resolved.parents:
            raise UsageError(
                f"{target} ligt in {name}/: schrijf het rapport buiten het register, bijvoorbeeld in /tmp"
            )
    if resolved.is_dir():
        raise UsageError(f"{target} is een map; geef een bestandsnaam")
    existing = next((p for p in resolved.parents if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise UsageError(f"{existing} is een bestand, geen map: kies een andere plek voor {target.name}")


CSV_COLUMNS = (
    "volgnummer", "ontvangen", "kanaal", "categorie", "status", "oordeel",
    "dagen_tot_bevestiging", "dagen_tot_oordeel", "termijn_bevestiging", "termijn_oordeel",
    "afgehandeld", "beroep",
)  # fmt: skip
CSV_NAME_COLUMNS = ("klager", "ontvangen_door", "behandelaar")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_text(register: Register, year: int, today: date, with_names: bool = False) -> str:
    """The year's complaints, one row each, for a Dutch spreadsheet (`;`-separated).

    Without `with_names` there is no name and no free text in it, by construction.
    """
    first, last = year_bounds(year)
    book = DeadlineBook.of_register(register, today)  # what check reports
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS + (CSV_NAME_COLUMNS if with_names else ()))
    for c in figures.received_in(register.complaints, first, last):
        r = figures.complaint_row(c, book, register.procedure.waarschuwing, today)
        cells = [
            r.volgnummer, r.ontvangen.isoformat(), r.kanaal, r.categorie, r.status, c.oordeel,
            _cell(r.dagen_bevestiging), _cell(r.dagen_oordeel),
            r.termijnen.get(STAP_BEVESTIGING, ""), r.termijnen.get(STAP_OORDEEL, ""),
            _cell(r.afgehandeld), "ja" if r.beroep else "nee",
        ]  # fmt: skip
        if with_names:
            cells += [
                c.klager.naam if c.klager else "",
                c.ontvangen_door or "",
                c.behandelaar.naam if c.behandelaar else "",
            ]
        writer.writerow([_no_formula(str(v or "")) for v in cells])
    return out.getvalue()


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
    html = annual_html(register, year, today)
    with tempfile.TemporaryDirectory(prefix="klachten-pdf-") as tmp:
        page, pdf = Path(tmp) / "jaaroverzicht.html", Path(tmp) / "jaaroverzicht.pdf"
        page.write_text(html, encoding="utf-8")
        print_to_pdf(page, pdf, Path(tmp) / "profiel")
        _replace(target, pdf.read_bytes())


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_TIMEOUT = 120  # seconds


def chromium_path() -> str:
    """KLACHTEN_CHROMIUM, else the first Chromium on PATH."""
    own = os.environ.get("KLACHTEN_CHROMIUM")
    if own:
        return own
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise JobFailed("Chromium niet gevonden: installeer het (apt-get install chromium) of zet KLACHTEN_CHROMIUM")


def print_to_pdf(page: Path, pdf: Path, profile: Path) -> None:
    """Headless Chromium's print-to-PDF: the page has no external references, no script."""
    command = [
        chromium_path(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
        page.resolve().as_uri(),
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise JobFailed(f"Chromium kon de PDF niet maken: na {CHROMIUM_TIMEOUT} s nog niet klaar") from None
    except OSError as exc:
        raise JobFailed(f"Chromium kon de PDF niet maken: {os_problem(exc, command[0])}") from None
    if done.returncode != 0 or not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
        # Chromium's own last lines (English) help whoever maintains the machine, not staff.
        tail = " ".join(done.stderr.strip().splitlines()[-3:])
        raise JobFailed(f"Chromium kon de PDF niet maken (exitcode {done.returncode}); melding van Chromium: {tail}")


def _replace(target: Path, data: bytes) -> None:
    """A half-written report never takes the place of the last one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    write_beside(target, data)
