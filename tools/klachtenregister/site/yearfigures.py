"""The annual figures of step 12 (SPEC 4.3), computed once for all three of their readers.

`year_figures` is the one function behind the site's annual page, the PDF for UWV and
`klachten report --json`: they cannot disagree. It builds on the period figures of
`figures.py` (the deadlines `klachten check` reports) and adds what the annual overview
needs besides: withdrawn and still-open complaints of the year, the judgement per
opdrachtgever, the time to afhandeling, the appeals, and last year's figures beside them.

Counts are of complaints *received* in the year, as their files say on `today`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..deadlines import DeadlineBook
from ..model import OORDELEN, OPDRACHTGEVER_ROLLEN, STAP_BEVESTIGING, STAP_OORDEEL, Complaint
from ..periods import year_bounds
from ..register import Register
from . import figures

AFHANDELING = "afhandeling"
DOORLOOPTIJDEN = (STAP_BEVESTIGING, STAP_OORDEEL, AFHANDELING)
ONBEKEND = "onbekend"  # no opdrachtgever recorded (yet)
OPDRACHTGEVERS = (*OPDRACHTGEVER_ROLLEN, ONBEKEND)


@dataclass(frozen=True)
class Appeal:
    """One appeal (step 10) of the year's complaints, in figures only: its outcome is free
    text from a complaint file and is never shown on an anonymous page, only whether it is known."""

    volgnummer: str
    categorie: str
    uitkomst: str  # the complaint's outcome (gegrond, ..., ingetrokken)
    ingesteld: date | None
    met_uitkomst: bool


@dataclass(frozen=True)
class YearFigures:
    jaar: int
    s: figures.PeriodStats  # the period's figures (months, channels, categories, deadlines met)
    ingetrokken: int
    open_eind: int  # of the year's complaints, open on 31 December (today, while the year runs)
    per_opdrachtgever: dict[str, dict[str, int]]  # role (or onbekend) -> uitkomst -> count
    doorlooptijd: dict[str, figures.Duration]  # bevestiging, oordeel, afhandeling
    beroepen: tuple[Appeal, ...]
    vorig: YearFigures | None  # last year's, or None before the register's first year

    @property
    def per_oordeel(self) -> dict[str, int]:
        return {key: self.s.per_uitkomst[key] for key in OORDELEN}

    @property
    def per_opdrachtgever_totaal(self) -> dict[str, int]:
        return {role: sum(counts.values()) for role, counts in self.per_opdrachtgever.items()}

    @property
    def met_uitkomst(self) -> int:
        return sum(1 for a in self.beroepen if a.met_uitkomst)

    def to_json(self) -> dict:
        """The figures exactly as SPEC 4.3's example of `klachten report --json`."""
        s = self.s
        return {
            "jaar": self.jaar,
            "ontvangen": s.ontvangen,
            "afgehandeld": s.afgehandeld,
            "ingetrokken": self.ingetrokken,
            "open_op_31_december": self.open_eind,
            "per_categorie": dict(s.per_categorie),
            "per_kanaal": dict(s.per_kanaal),
            "per_oordeel": self.per_oordeel,
            "per_opdrachtgever": self.per_opdrachtgever_totaal,
            "op_tijd": {stap: [s.termijnen[stap].op_tijd, s.termijnen[stap].beoordeeld] for stap in figures.STAPPEN},
            "doorlooptijd_dagen": {stap: _duration_json(self.doorlooptijd[stap]) for stap in DOORLOOPTIJDEN},
            "beroep": {"ingesteld": len(self.beroepen), "met_uitkomst": self.met_uitkomst},
            "vorig_jaar": _previous_json(self.vorig),
        }


def year_figures(register: Register, year: int, today: date, book: DeadlineBook | None = None) -> YearFigures:
    """The figures of `year`, with last year's beside them (from the register's first year on)."""
    book = book or DeadlineBook.of_register(register, today)
    previous = _one_year(register, year - 1, today, book, None) if year - 1 >= first_year(register) else None
    return _one_year(register, year, today, book, previous)


def first_year(register: Register) -> int:
    """The register's first year: that of `start`, or of an earlier complaint (kept from before)."""
    received = [c.ontvangen.year for c in register.complaints if c.ontvangen]
    return min([register.procedure.start.year, *received])


def _one_year(register: Register, year: int, today: date, book: DeadlineBook, previous) -> YearFigures:
    first, last = year_bounds(year)
    s = figures.period_stats(register.complaints, register.procedure, first, last, today, book)
    own = figures.received_in(register.complaints, first, last)
    return YearFigures(
        jaar=year,
        s=s,
        ingetrokken=s.per_uitkomst[figures.INGETROKKEN],
        open_eind=sum(1 for c in own if c.gesloten is None or c.gesloten > s.as_of),
        per_opdrachtgever=_per_opdrachtgever(own),
        doorlooptijd={
            **s.tijden,
            AFHANDELING: figures.duration(figures.days_between(c.ontvangen, c.afgehandeld) for c in own),
        },
        beroepen=tuple(_appeal(c) for c in own if c.beroep is not None),
        vorig=previous,
    )


def _per_opdrachtgever(own: list[Complaint]) -> dict[str, dict[str, int]]:
    table = {role: dict.fromkeys(figures.UITKOMSTEN, 0) for role in OPDRACHTGEVERS}
    for c in own:
        role = c.opdrachtgever.rol if c.opdrachtgever and c.opdrachtgever.rol else ONBEKEND
        table[role][figures.uitkomst(c)] += 1
    return table


def _appeal(c: Complaint) -> Appeal:
    beroep = c.beroep
    assert beroep is not None
    outcome = bool(beroep.uitkomst)
    return Appeal(figures.report_label(c), c.categorie or "", figures.uitkomst(c), beroep.ingesteld, outcome)


def _duration_json(d: figures.Duration) -> dict | None:
    if not d.aantal:
        return None
    median = d.mediaan
    return {"mediaan": int(median) if median is not None and median == int(median) else median, "max": d.langste}


def _previous_json(previous: YearFigures | None) -> dict | None:
    if previous is None:
        return None
    return {"jaar": previous.jaar, "ontvangen": previous.s.ontvangen, "afgehandeld": previous.s.afgehandeld}
