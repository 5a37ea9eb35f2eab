"""The complaint model, declared once.

Every front-matter field of SPEC section 1: its type, the procedure step it belongs to, the
row of the required-fields table, and its Dutch label and help text. Validation
(`records.py`, `rules/velden.py`), the JSON Schema (`schema.py`), the staff guide's field
reference and the site's labels are all derived from these declarations.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum

MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
VOLGNUMMER = re.compile(r"([0-9]{4})-([0-9]{3,})")  # JJJJ-NNN: NNN zero-padded to at least 3 digits


def parse_volgnummer(text: str | None) -> tuple[int, int] | None:
    """(year, number) of a volgnummer of the form JJJJ-NNN (ASCII digits only), else None."""
    match = VOLGNUMMER.fullmatch(text or "")
    return (int(match[1]), int(match[2])) if match else None


def volgnummer(year: int, number: int) -> str:
    """The volgnummer as `klachten new` writes it: 2026-007, 2026-1000."""
    return f"{year}-{number:03d}"


class Row(IntEnum):
    """Rows of SPEC's required-fields table, in procedure order."""

    ALTIJD = 0
    BEOORDEELD = 1
    AFGEHANDELD = 2
    GESLOTEN = 3


ROW_LABEL = {
    Row.ALTIJD: "altijd",
    Row.BEOORDEELD: "beoordeeld",
    Row.AFGEHANDELD: "afgehandeld",
    Row.GESLOTEN: "gesloten",
}

KANALEN = ("mondeling", "schriftelijk", "brief")
OORDELEN = ("gegrond", "deels-gegrond", "ongegrond")
BEHANDELAAR_ROLLEN = ("directie", "onafhankelijke-derde")
OPDRACHTGEVER_ROLLEN = ("arbeidsdeskundige", "klantmanager")
CATEGORIE = "categorie"  # its choices come from procedure.yml


@dataclass(frozen=True)
class Field:
    """One front-matter key.

    kind: tekst | datum | ja/nee | keuze | groep | lijst (of tekst, or of groep when `children`)
    row: the required-fields row; `required` says whether it is required once that row is
         reached. For optional fields the row still counts: filling in a field of a later
         row means every required field of the earlier rows must be there.
    planned: a date that may lie in the future (afspraken.uiterlijk).
    """

    name: str
    label: str
    kind: str
    help: str
    stap: int | None = None
    row: Row = Row.ALTIJD
    required: bool = False
    choices: tuple[str, ...] = ()
    children: tuple[Field, ...] = ()
    planned: bool = False
    example: str = ""


def _f(name, label, kind, help, **kw) -> Field:
    return Field(name, label, kind, help, **kw)


COMPLAINT_FIELDS: tuple[Field, ...] = (
    _f(
        "volgnummer",
        "Volgnummer",
        "tekst",
        "JJJJ-NNN, uniek; gelijk aan de bestandsnaam",
        stap=2,
        required=True,
        example="2026-007",
    ),
    _f("onderwerp", "Onderwerp", "tekst", "korte omschrijving van de klacht", stap=1, required=True),
    _f("ontvangen", "Ontvangen op", "datum", "datum waarop de klacht binnenkwam", stap=1, required=True),
    _f("kanaal", "Kanaal", "keuze", "hoe de klacht binnenkwam", stap=1, required=True, choices=KANALEN),
    _f("ontvangen_door", "Ontvangen door", "tekst", "medewerker die de klacht ontving", stap=4, required=True),
    _f(
        "klager",
        "Klager",
        "groep",
        "wie klaagt",
        stap=1,
        required=True,
        children=(
            _f("naam", "Naam", "tekst", "naam van de klager", required=True),
            _f("klantnummer", "Klantnummer", "tekst", "dossier van de klant (stap 9)"),
            _f("adres", "Adres", "tekst", "postadres voor brieven, over meer regels (adres: |)"),
        ),
    ),
    _f("categorie", "Categorie", "keuze", "soort klacht (zie procedure.yml)", stap=1, required=True),
    _f("bijlagen", "Bijlagen", "lijst", "bestanden in de map van de klacht; verplicht bij een brief", stap=3),
    _f(
        "bevestigd",
        "Ontvangst bevestigd",
        "datum",
        "schriftelijke bevestiging verstuurd",
        stap=3,
        row=Row.BEOORDEELD,
        required=True,
    ),
    _f(
        "directie_geinformeerd",
        "Directie geïnformeerd",
        "datum",
        "datum waarop de klacht bij de directie kwam",
        stap=4,
        row=Row.BEOORDEELD,
        required=True,
    ),
    _f(
        "directie_betrokken",
        "Directie betrokken",
        "ja/nee",
        "is de directie betrokken of onderwerp van de klacht?",
        stap=5,
        row=Row.BEOORDEELD,
        required=True,
    ),
    _f(
        "behandelaar",
        "Behandelaar",
        "groep",
        "wie de klacht onderzoekt",
        stap=6,
        row=Row.BEOORDEELD,
        required=True,
        children=(
            _f("rol", "Rol", "keuze", "directie of onafhankelijke derde", required=True, choices=BEHANDELAAR_ROLLEN),
            _f("naam", "Naam", "tekst", "naam van de behandelaar", required=True),
        ),
    ),
    _f(
        "oordeel",
        "Oordeel",
        "keuze",
        "uitkomst van het onderzoek",
        stap=6,
        row=Row.BEOORDEELD,
        required=True,
        choices=OORDELEN,
    ),
    _f(
        "oordeel_gemeld",
        "Oordeel gemeld",
        "datum",
        "klager op de hoogte gesteld / zoeken naar oplossing gestart",
        stap=7,
        row=Row.BEOORDEELD,
        required=True,
    ),
    _f(
        "afspraken",
        "Afspraken",
        "lijst",
        "acties en afspraken met de klager (verplicht bij (deels) gegrond voordat de klacht is afgehandeld)",
        stap=7,
        row=Row.AFGEHANDELD,
        children=(
            _f("wat", "Wat", "tekst", "de afspraak", required=True),
            _f("wie", "Wie", "tekst", "wie de afspraak uitvoert", required=True),
            _f("uiterlijk", "Uiterlijk", "datum", "de dag waarop de afspraak uiterlijk nagekomen is", planned=True),
            _f("gereed", "Gereed", "datum", "de dag waarop de afspraak is nagekomen"),
        ),
    ),
    _f(
        "voortgang",
        "Voortgang",
        "lijst",
        "het voortgangsformulier: gedateerde notities",
        stap=8,
        children=(
            _f("datum", "Datum", "datum", "datum van de notitie", required=True),
            _f("notitie", "Notitie", "tekst", "wat er gebeurde", required=True),
        ),
    ),
    _f("afgehandeld", "Afgehandeld op", "datum", "datum van afhandeling", stap=8, row=Row.AFGEHANDELD, required=True),
    _f(
        "afhandeling",
        "Afhandeling",
        "tekst",
        "hoe de klacht is afgehandeld",
        stap=8,
        row=Row.AFGEHANDELD,
        required=True,
    ),
    _f(
        "opdrachtgever",
        "Opdrachtgever",
        "groep",
        "aan wie gerapporteerd is",
        stap=9,
        row=Row.GESLOTEN,
        required=True,
        children=(
            _f("rol", "Rol", "keuze", "arbeidsdeskundige of klantmanager", required=True, choices=OPDRACHTGEVER_ROLLEN),
            _f("naam", "Naam", "tekst", "naam van de opdrachtgever", required=True),
            _f("organisatie", "Organisatie", "tekst", "bijvoorbeeld UWV"),
        ),
    ),
    _f(
        "klantdossier_bijgewerkt",
        "Klantdossier bijgewerkt",
        "datum",
        "klacht en afhandeling toegevoegd aan het dossier van de klant",
        stap=9,
        row=Row.GESLOTEN,
        required=True,
    ),
    _f(
        "opdrachtgever_geinformeerd",
        "Opdrachtgever geïnformeerd",
        "datum",
        "klacht en afhandeling gerapporteerd aan de opdrachtgever",
        stap=9,
        row=Row.GESLOTEN,
        required=True,
    ),
    _f(
        "beroep",
        "Beroep",
        "groep",
        "beroep bij de arbeidsdeskundige of klantmanager van UWV",
        stap=10,
        row=Row.AFGEHANDELD,
        children=(
            _f("ingesteld", "Ingesteld op", "datum", "datum van het beroep", required=True),
            _f("bij", "Bij", "tekst", "bij wie het beroep is ingesteld", required=True),
            _f("uitkomst", "Uitkomst", "tekst", "uitkomst van het beroep"),
        ),
    ),
    _f("ingetrokken", "Ingetrokken op", "datum", "datum waarop de klager de klacht introk; sluit de klacht", stap=8),
)

EVALUATION_FIELDS: tuple[Field, ...] = (
    _f("periode", "Periode", "tekst", "JJJJ-H1 of JJJJ-H2, gelijk aan de bestandsnaam", stap=11, required=True),
    _f("datum", "Datum overleg", "datum", "datum van het evaluatieoverleg", stap=11, required=True),
    _f("deelnemers", "Deelnemers", "lijst", "directie en medewerkers die deelnamen", stap=11, required=True),
    _f(
        "acties",
        "Acties",
        "lijst",
        "afgesproken acties",
        stap=11,
        children=(
            _f("wat", "Wat", "tekst", "de actie", required=True),
            _f("wie", "Wie", "tekst", "wie de actie uitvoert", required=True),
            _f("uiterlijk", "Uiterlijk", "datum", "geplande datum", planned=True),
            _f("gereed", "Gereed", "datum", "datum waarop de actie klaar was"),
        ),
    ),
)

OVERVIEW_FIELDS: tuple[Field, ...] = (
    _f("jaar", "Jaar", "tekst", "het jaar van het overzicht, gelijk aan de bestandsnaam", stap=12, required=True),
    _f("verzonden", "Verzonden op", "datum", "datum waarop het overzicht naar UWV ging", stap=12, required=True),
    _f("aan", "Aan", "tekst", "accountmanager re-integratie van UWV", stap=12, required=True),
)


# --- the derived status and the rows it reaches (SPEC "Status", "Verplichte velden") -----


@dataclass(frozen=True)
class Status:
    """A status a complaint reaches once every one of its `markers` is filled in; `row`: the
    row of the required-fields table that status makes required (its own fields included)."""

    name: str
    markers: tuple[str, ...]
    row: Row | None = None


ONTVANGEN = "ontvangen"  # the status before any marker
IN_BEROEP = "in beroep"  # an appeal lodged and not yet decided (SPEC 4.1): open, whatever else is filled in
STATUSES = (  # latest first: a complaint has the first one it reached
    Status("ingetrokken", ("ingetrokken",)),
    Status("gesloten", ("klantdossier_bijgewerkt", "opdrachtgever_geinformeerd"), Row.GESLOTEN),
    Status("afgehandeld", ("afgehandeld",), Row.AFGEHANDELD),
    Status("beoordeeld", ("oordeel_gemeld",), Row.BEOORDEELD),
    Status("in behandeling", ("behandelaar",)),
    Status("bevestigd", ("bevestigd",)),
)
CLOSED = ("gesloten", "ingetrokken")
CLOSING = next(s.markers for s in STATUSES if s.name == "gesloten")  # step 9's two dates

# Status markers in procedure order: when these are filled in, the row itself is reached.
MARKERS = tuple((s.row, s.markers) for s in reversed(STATUSES) if s.row is not None)

# A field of row N makes the fields of row N-1 required; fields of the first two rows imply
# nothing beyond what is always required (precomputed: this runs for every complaint).
IMPLIES = tuple((spec.name, Row(spec.row - 1)) for spec in COMPLAINT_FIELDS if spec.row - 1 > Row.ALTIJD)


def reached_row(present: frozenset[str]) -> tuple[Row, str | None]:
    """The last row whose required fields must all be present (given the keys that have a
    value), and the field that says so."""
    row, trigger = Row.ALTIJD, None
    for name, implied in IMPLIES:
        if implied > row and name in present:
            row, trigger = implied, name
    for marker_row, names in MARKERS:
        if marker_row > row and all(n in present for n in names):
            row, trigger = marker_row, names[-1]
    return row, trigger

# The deadline-bearing steps, as named in findings (`stap`) and in procedure.yml's `waarschuwing`.
STAP_BEVESTIGING = "bevestiging"
STAP_OORDEEL = "oordeel"
STAP_AFSPRAAK = "afspraak"  # each afspraak's uiterlijk (stap 7)
STAP_OPDRACHTGEVER = "opdrachtgever"  # step 9, when procedure.yml sets termijnen.opdrachtgever
STAP_EVALUATIE = "evaluatie"
STAP_ACTIE = "actie"  # each evaluation action's uiterlijk (stap 11)
STAP_JAAROVERZICHT = "jaaroverzicht"
STAPPEN = (
    STAP_BEVESTIGING, STAP_OORDEEL, STAP_AFSPRAAK, STAP_OPDRACHTGEVER, STAP_EVALUATIE, STAP_ACTIE, STAP_JAAROVERZICHT,
)  # fmt: skip

# How staff name one item of a list: "afspraak 1", never afspraken[0].
ITEM_NAMES = {
    "afspraken": "afspraak",
    "voortgang": "voortgangsnotitie",
    "bijlagen": "bijlage",
    "acties": "actie",
    "deelnemers": "deelnemer",
}
_ITEM = re.compile(r"([a-z_]+)\[([0-9]+)\]")


def spoken(path: str) -> str:
    """A field path as staff say it: 'afspraken[0].uiterlijk' -> 'uiterlijk van afspraak 1',
    'afspraken[1]' -> 'afspraak 2'; a path without a list item stays as written
    ('behandelaar.naam'), since that is how it reads in the file."""
    match = _ITEM.search(path)
    if match is None:
        return path
    item = f"{ITEM_NAMES.get(match[1], match[1])} {int(match[2]) + 1}"
    rest = path[match.end() :].lstrip(".")
    return f"{spoken(rest)} van {item}" if rest else item


# --- typed records -----------------------------------------------------------------------


@dataclass(frozen=True)
class Klager:
    naam: str | None = None
    klantnummer: str | None = None
    adres: str | None = None  # multi-line postal address, for letters (SPEC 4.1)


@dataclass(frozen=True)
class Behandelaar:
    rol: str | None = None
    naam: str | None = None


@dataclass(frozen=True)
class Afspraak:
    wat: str | None = None
    wie: str | None = None
    uiterlijk: date | None = None
    gereed: date | None = None


@dataclass(frozen=True)
class Voortgang:
    datum: date | None = None
    notitie: str | None = None


@dataclass(frozen=True)
class Opdrachtgever:
    rol: str | None = None
    naam: str | None = None
    organisatie: str | None = None


@dataclass(frozen=True)
class Beroep:
    ingesteld: date | None = None
    bij: str | None = None
    uitkomst: str | None = None


@dataclass(frozen=True)
class Actie:
    wat: str | None = None
    wie: str | None = None
    uiterlijk: date | None = None
    gereed: date | None = None


GROUP_TYPES = {
    "klager": Klager,
    "behandelaar": Behandelaar,
    "afspraken": Afspraak,
    "voortgang": Voortgang,
    "opdrachtgever": Opdrachtgever,
    "beroep": Beroep,
    "acties": Actie,
}


@dataclass
class Complaint:
    """A complaint as read from its file. Values that could not be read are None."""

    rel: str  # klachten/2026/2026-007.md
    body: str
    body_line: int
    lines: dict[str, int]  # dotted field path -> line in the file
    volgnummer: str | None = None
    onderwerp: str | None = None
    ontvangen: date | None = None
    kanaal: str | None = None
    ontvangen_door: str | None = None
    klager: Klager | None = None
    categorie: str | None = None
    bijlagen: list[str] | None = None
    bevestigd: date | None = None
    directie_geinformeerd: date | None = None
    directie_betrokken: bool | None = None
    behandelaar: Behandelaar | None = None
    oordeel: str | None = None
    oordeel_gemeld: date | None = None
    afspraken: list[Afspraak] | None = None
    voortgang: list[Voortgang] | None = None
    afgehandeld: date | None = None
    afhandeling: str | None = None
    opdrachtgever: Opdrachtgever | None = None
    klantdossier_bijgewerkt: date | None = None
    opdrachtgever_geinformeerd: date | None = None
    beroep: Beroep | None = None
    ingetrokken: date | None = None
    present: frozenset[str] = field(default_factory=frozenset)  # top-level keys with a value
    invalid: frozenset[str] = field(default_factory=frozenset)  # paths that could not be read
    readable: bool = True  # False when the front matter itself could not be read
    salvaged: bool = False  # unreadable, but the lines that could be read are in the fields (see salvage.py)

    @property
    def gesloten(self) -> date | None:
        """The day the case closed: both step-9 dates set (the later one), or withdrawn; None
        while an appeal is pending (the case is open again until the appeal is decided)."""
        if self.appeal_pending:
            return None
        if all(self.filled(name) for name in CLOSING):
            return max(getattr(self, name) for name in CLOSING)
        return self.ingetrokken

    @property
    def appeal_pending(self) -> bool:
        return bool(self.beroep and self.beroep.ingesteld and not self.beroep.uitkomst)

    @property
    def status(self) -> str:
        """Derived, never stored (SPEC section 1): *in beroep* while an appeal is pending,
        else the first of STATUSES reached."""
        if self.appeal_pending:
            return IN_BEROEP
        reached = (s.name for s in STATUSES if all(self.filled(m) for m in s.markers))
        return next(reached, ONTVANGEN)

    def filled(self, name: str) -> bool:
        """The field has a value that was read (a group: any of its own fields)."""
        value = getattr(self, name)
        if dataclasses.is_dataclass(value):
            return any(getattr(value, f.name) for f in dataclasses.fields(value))
        return bool(value)

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED

    def line(self, path: str, default: int = 1) -> int:
        return self.lines.get(path, default)

    @property
    def sort_key(self) -> tuple:
        """Register order: by year, then by number as a number (2026-999 before 2026-1000),
        then by file; a volgnummer that is not JJJJ-NNN comes after the well-formed ones."""
        parsed = parse_volgnummer(self.volgnummer)
        if parsed:
            return (0, *parsed, self.rel)
        return (1, self.volgnummer or "", 0, self.rel)


@dataclass
class Evaluation:
    rel: str
    body: str
    lines: dict[str, int]
    periode: str | None = None
    datum: date | None = None
    deelnemers: list[str] | None = None
    acties: list[Actie] | None = None
    present: frozenset[str] = field(default_factory=frozenset)
    invalid: frozenset[str] = field(default_factory=frozenset)
    readable: bool = True


@dataclass
class Overview:
    rel: str
    body: str
    lines: dict[str, int]
    jaar: str | None = None
    verzonden: date | None = None
    aan: str | None = None
    present: frozenset[str] = field(default_factory=frozenset)
    invalid: frozenset[str] = field(default_factory=frozenset)
    readable: bool = True


def dated_values(record, fields: tuple[Field, ...] | None = None):
    """Yield (path, date, planned) for every date in a record, nested ones included."""
    for spec in fields if fields is not None else COMPLAINT_FIELDS:
        value = getattr(record, spec.name, None)
        if value is None:
            continue
        if spec.kind == "datum":
            yield spec.name, value, spec.planned
        elif spec.children:
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                prefix = f"{spec.name}[{index}]" if isinstance(value, list) else spec.name
                for child in spec.children:
                    child_value = getattr(item, child.name)
                    if child.kind == "datum" and child_value is not None:
                        yield f"{prefix}.{child.name}", child_value, child.planned
