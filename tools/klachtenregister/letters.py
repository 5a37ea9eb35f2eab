"""`klachten brief`: the letters of steps 3, 6/7 and 9, as PDF and/or .docx (SPEC 4.3).

A letter is a template in `templates/brieven/` (the register's own first), rendered with
the autoescaping environment of the site: a value from a complaint file is text, never
markup or template code. The same HTML is printed by headless Chromium (pdf.py) and turned
into a Word document paragraph by paragraph (worddoc.py), so both hold the same text.

Nothing is written unless everything can be: the facts the letter needs, the places of
the targets (never in klachten/ or docs/, except the complaint's own attachment folder,
where the sent copy belongs) and that no target exists yet (a letter is never overwritten).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .deadlines import plus_days
from .errors import JobFailed, UsageError
from .files import write_beside
from .letterframe import Frame, contact_text, lines_of, salutation, sender_name
from .model import Complaint, parse_volgnummer
from .oserrors import os_reason, short_path
from .procedure import Procedure, load_procedure
from .records import read_complaint
from .register import DATA_DIR, require_register
from .rules.privacy import masked
from .site.templateerrors import reported_as
from .site.templating import template_env
from .targets import check_target
from .yamlsource import read_document

ONTVANGST, OORDEEL, OPDRACHTGEVER = "ontvangst", "oordeel", "opdrachtgever"
SOORTEN = (ONTVANGST, OORDEEL, OPDRACHTGEVER)
BETREFT = {
    ONTVANGST: "Ontvangstbevestiging van uw klacht",
    OORDEEL: "Ons oordeel over uw klacht",
}
ALWAYS = ("volgnummer", "onderwerp", "ontvangen", "klager.naam")
NEEDS = {  # the facts each letter states; a letter without one of them is refused
    ONTVANGST: ALWAYS,
    OORDEEL: (*ALWAYS, "oordeel"),
    OPDRACHTGEVER: (*ALWAYS, "opdrachtgever.rol", "opdrachtgever.naam", "oordeel", "afgehandeld", "afhandeling"),
}
FOUNDED = ("gegrond", "deels-gegrond")  # the oordeel letter then names every afspraak
ROL_TEKST = {
    "directie": "directie",
    "onafhankelijke-derde": "onafhankelijk klachtbehandelaar",
    "arbeidsdeskundige": "arbeidsdeskundige",
    "klantmanager": "klantmanager",
}
OORDEEL_TEKST = {"gegrond": "gegrond", "deels-gegrond": "deels gegrond", "ongegrond": "ongegrond"}


@dataclass(frozen=True)
class LetterRequest:
    volgnummer: str
    soort: str
    pdf: tuple[Path, ...] = ()
    docx: tuple[Path, ...] = ()
    datum: date | None = None  # None: today


def make_letter(root: Path, request: LetterRequest, today: date) -> tuple[list[str], list[str]]:
    """Write the letter to every target; returns what was done and what to look out for."""
    require_register(root)
    c = read_one(root, request.volgnummer)
    procedure, _problems = load_procedure(root)
    folder = attachment_folder(root, request.volgnummer)
    targets = [*request.pdf, *request.docx]
    check_targets(root, targets, folder)
    refuse_missing(c, request.soort)
    html = render_letter(root, request.soort, letter_view(c, procedure, request.soort, request.datum or today))
    for target, data in list(_documents(html, request)):  # both made before either is written
        write_letter(target, data, shared=_inside(target, folder))
    return _report(c, request, folder), _notes(c, request)


# --- the complaint -----------------------------------------------------------------------


def attachment_folder(root: Path, volgnummer: str) -> Path:
    return root / DATA_DIR / volgnummer[:4] / volgnummer


def read_one(root: Path, volgnummer: str) -> Complaint:
    """The complaint file of `volgnummer`, read as `klachten check` reads it."""
    if parse_volgnummer(volgnummer) is None:
        raise UsageError(f"'{volgnummer}' is geen volgnummer: schrijf JJJJ-NNN, bijvoorbeeld 2026-007")
    rel = f"{DATA_DIR}/{volgnummer[:4]}/{volgnummer}.md"
    path = root / rel
    if not path.is_file():
        raise JobFailed(f"klacht {volgnummer} niet gevonden (verwacht: {rel})")
    doc = read_document(path, rel, root)  # a link out of the register is refused, as check refuses it
    complaint, _problems = read_complaint(doc, load_procedure(root)[0].categorieen)
    if doc.problems or not complaint.readable:
        first = doc.problems[0] if doc.problems else None
        where = f" (regel {first.line}: {first.message})" if first else ""
        raise JobFailed(f"{rel} kan niet gelezen worden{where}; herstel het bestand eerst ('klachten check')")
    return complaint


def refuse_missing(c: Complaint, soort: str) -> None:
    """A letter whose facts are missing is refused, naming each missing field (SPEC 4.3)."""
    missing = [_why(c, path) for path in NEEDS[soort] if not _value(c, path)]
    if soort == OORDEEL and c.oordeel in FOUNDED and not c.afspraken:
        missing.append(f"afspraken ontbreekt: bij een {OORDEEL_TEKST[c.oordeel]} oordeel noemt de brief elke afspraak")
    if missing:
        lines = "\n".join(f"- {m}" for m in missing)
        raise JobFailed(f"geen brief '{soort}' gemaakt: in {c.rel}\n{lines}")


def _value(c: Complaint, path: str):
    value = c
    for part in path.split("."):
        value = getattr(value, part, None) if value is not None else None
    return value


def _why(c: Complaint, path: str) -> str:
    if path in c.invalid:
        return f"{path} is ongeldig (regel {c.line(path)}); 'klachten check' zegt waarom"
    group = path.split(".")[0]
    if "." in path and _value(c, group) is None:
        return f"{path} ontbreekt ({group} is niet ingevuld)"
    return f"{path} ontbreekt"


# --- what the letter says ----------------------------------------------------------------


def letter_view(c: Complaint, procedure: Procedure, soort: str, datum: date) -> dict:
    """Everything a letter template may show; every text masked (BSN, IBAN, birth date)."""
    facts = _facts(c, procedure)
    return {
        "brief": _frame(facts, procedure, soort, datum),
        "klacht": facts,
        "soort": soort,
        "organisatie": sender_name(procedure),
        "contact": contact_text(procedure),
        "oordeel_uiterlijk": plus_days(c.ontvangen, procedure.termijnen.oordeel) if c.ontvangen else None,
        "termijnen": procedure.termijnen,
    }


def _facts(c: Complaint, procedure: Procedure) -> dict:
    def text(value):
        return masked(_CONTROL.sub("", value), procedure.privacy) if isinstance(value, str) else value

    def group(value) -> dict | None:
        if value is None:
            return None
        fields = {f.name: text(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return fields | ({"rol_tekst": ROL_TEKST.get(fields["rol"] or "", "")} if "rol" in fields else {})

    facts = {f.name: text(getattr(c, f.name)) for f in dataclasses.fields(c) if f.name not in _INTERNAL}
    for name in ("klager", "behandelaar", "opdrachtgever", "beroep"):
        facts[name] = group(getattr(c, name))
    facts["afspraken"] = [group(a) for a in c.afspraken or []]
    facts["oordeel_tekst"] = OORDEEL_TEKST.get(c.oordeel or "", "")
    return facts


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # no letter shows them (a box in the PDF, none in Word)
_INTERNAL = ("rel", "body", "body_line", "lines", "present", "invalid", "readable", "voortgang")


def _frame(k: dict, procedure: Procedure, soort: str, datum: date) -> Frame:
    org = sender_name(procedure)
    if soort == OPDRACHTGEVER:
        o = k["opdrachtgever"]
        aan = (o["naam"], o["rol_tekst"].capitalize(), *((o["organisatie"],) if o["organisatie"] else ()))
        betreft, greeting = f"Klacht van uw klant {k['klager']['naam']}", o["naam"]
    else:
        aan = (k["klager"]["naam"], *lines_of(k["klager"]["adres"]))
        betreft, greeting = BETREFT[soort], k["klager"]["naam"]
    return Frame(procedure.organisatie, aan, datum, f"klacht {k['volgnummer']}", betreft, salutation(greeting),
                 _signature(k, soort, org))  # fmt: skip


def _signature(k: dict, soort: str, org: str | None) -> tuple[str, ...]:
    """The receiver confirms receipt; whoever judged the complaint signs the rest."""
    b = k["behandelaar"]
    if soort == ONTVANGST and k["ontvangen_door"]:
        lines: tuple[str, ...] = (k["ontvangen_door"],)
    elif b and b["naam"]:
        lines = (b["naam"], b["rol_tekst"].capitalize())
    else:
        lines = ("De directie",)
    return lines + ((org,) if org else ())


def render_letter(root: Path, soort: str, view: dict) -> str:
    with reported_as(JobFailed):  # a broken templates/brieven/ override, in Dutch
        return template_env(root).get_template(f"brieven/{soort}.html.j2").render(**view)


# --- writing -----------------------------------------------------------------------------


def check_targets(root: Path, targets: list[Path], folder: Path) -> None:
    """Every target in a place a letter may go, none twice, none existing: before anything is made."""
    if not targets:
        raise UsageError("geef --pdf BESTAND en/of --docx BESTAND")
    seen: set[Path] = set()
    for target in targets:
        check_target(root, target, allowed=folder, what="de brief")
        if target.resolve() in seen:
            raise UsageError(f"{target} is twee keer genoemd")
        seen.add(target.resolve())
        if target.exists() or target.is_symlink():
            raise JobFailed(f"{target} bestaat al; een brief wordt nooit overschreven: kies een andere naam")


def _documents(html: str, request: LetterRequest):
    """(target, bytes) for every target; Chromium runs once, however many PDFs were asked."""
    if request.pdf:
        from .pdf import html_to_pdf

        data = html_to_pdf(html, "brief")
        yield from ((target, data) for target in request.pdf)
    if request.docx:
        from .worddoc import html_to_docx

        data = html_to_docx(html)
        yield from ((target, data) for target in request.docx)


def write_letter(target: Path, data: bytes, shared: bool) -> None:
    """Exclusively: a file that appeared meanwhile is not overwritten either. In the dossier
    a letter gets the rights of any register file; elsewhere it is private (personal data)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        written = write_beside(target, data, shared=shared, exclusive=True)
    except OSError as exc:
        raise JobFailed(f"{short_path(target)} kan niet geschreven worden ({os_reason(exc)})") from None
    if not written:
        raise JobFailed(f"{target} bestaat al; een brief wordt nooit overschreven: kies een andere naam")


def _inside(target: Path, folder: Path) -> bool:
    return folder.resolve() in target.resolve().parents


def _report(c: Complaint, request: LetterRequest, folder: Path) -> list[str]:
    done = [f"{target}: brief '{request.soort}' voor klacht {request.volgnummer}" for target in (*request.pdf,
            *request.docx)]  # fmt: skip
    in_dossier = [t for t in (*request.pdf, *request.docx) if _inside(t, folder)]
    if in_dossier:
        names = ", ".join(t.resolve().relative_to(folder.resolve()).as_posix() for t in in_dossier)
        done.append(f"zet na verzending onder bijlagen: in {c.rel}: {names}")
    return done


def _notes(c: Complaint, request: LetterRequest) -> list[str]:
    if request.soort != OPDRACHTGEVER and c.klager and not c.klager.adres:
        return [f"klager.adres ontbreekt in {c.rel}; de brief heeft alleen de naam als adres"]
    return []
