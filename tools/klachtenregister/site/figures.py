"""Figures of a period (steps 11 and 12): pure functions of the loaded complaints.

A period's figures describe the complaints *received* in it (first..last), as the files say
on `today`; "open at the end" counts every complaint in the register that was open on the
period's last day (or today, while the period runs), whenever it was received. Deadlines
are those `klachten check` reports (a `DeadlineBook`), so these figures say what check says.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from ..deadlines import OP_TIJD, TE_LAAT, VERLOPEN, DeadlineBook
from ..model import KANALEN, OORDELEN, STAP_BEVESTIGING, STAP_OORDEEL, Complaint, parse_volgnummer
from ..procedure import Procedure

INGETROKKEN = "ingetrokken"
GEEN_OORDEEL = "nog geen oordeel"
UITKOMSTEN = (*OORDELEN, INGETROKKEN, GEEN_OORDEEL)
STAPPEN = (STAP_BEVESTIGING, STAP_OORDEEL)
# A deadline counts in "share met" once it is decided: done (on time or late) or overdue.
# Open, approaching and withdrawn-before-due deadlines are not decided yet.
DECIDED = (OP_TIJD, TE_LAAT, VERLOPEN)


@dataclass(frozen=True)
class Duration:
    """Days from `ontvangen` to a step, over the complaints where the step is done."""

    aantal: int
    mediaan: float | None
    langste: int | None


@dataclass(frozen=True)
class Share:
    """Deadlines of one step met on time, among those decided."""

    op_tijd: int
    beoordeeld: int

    @property
    def procent(self) -> int | None:
        return round(100 * self.op_tijd / self.beoordeeld) if self.beoordeeld else None


@dataclass(frozen=True)
class ComplaintRow:
    """One complaint in figures only: no names, no free text (the CSV and evaluation tables)."""

    volgnummer: str
    ontvangen: date
    kanaal: str
    categorie: str
    status: str
    uitkomst: str
    dagen_bevestiging: int | None
    dagen_oordeel: int | None
    termijnen: dict[str, str]  # stap -> deadline state (op tijd, te laat, verlopen, open, ...)
    afgehandeld: date | None
    beroep: bool


@dataclass(frozen=True)
class PeriodStats:
    first: date
    last: date
    as_of: date  # the last day, or today while the period runs
    ontvangen: int
    per_maand: tuple[tuple[date, int], ...]  # first day of each month in the period, count
    per_kanaal: dict[str, int]
    per_categorie: dict[str, int]
    per_uitkomst: dict[str, int]
    tijden: dict[str, Duration]  # stap -> days to that step
    termijnen: dict[str, Share]  # stap -> deadlines met
    open_einde: tuple[str, ...]  # volgnummers open on as_of
    beroep: tuple[str, ...]  # volgnummers of the period's complaints with an appeal
    afgehandeld: int  # complaints of the period with a handling date

    @property
    def running(self) -> bool:
        return self.as_of < self.last


ZONDER_VOLGNUMMER = "zonder volgnummer"


def report_label(c: Complaint) -> str:
    """How a complaint is named on the evaluation and annual pages, in the PDF and the CSV:
    its volgnummer when that has the form JJJJ-NNN, else its file's name when that has it,
    else nothing that could name anyone (a volgnummer "2026-002 (Mopperman)" or a file
    Anna-Jansen.md is free text)."""
    for text in (c.volgnummer, PurePosixPath(c.rel).stem):
        if parse_volgnummer(text):
            return text or ZONDER_VOLGNUMMER
    return ZONDER_VOLGNUMMER


def uitkomst(c: Complaint) -> str:
    """The outcome: withdrawn wins over a judgement given earlier."""
    if c.ingetrokken:
        return INGETROKKEN
    return c.oordeel or GEEN_OORDEEL


def days_between(start: date | None, end: date | None) -> int | None:
    return (end - start).days if start and end else None


def complaint_row(c: Complaint, book: DeadlineBook, warning: int, today: date) -> ComplaintRow:
    states = {d.stap: d.state(today, warning) for d in book.of(c)}
    return ComplaintRow(
        volgnummer=report_label(c),
        ontvangen=c.ontvangen,
        kanaal=c.kanaal or "",
        categorie=c.categorie or "",
        status=c.status,
        uitkomst=uitkomst(c),
        dagen_bevestiging=days_between(c.ontvangen, c.bevestigd),
        dagen_oordeel=days_between(c.ontvangen, c.oordeel_gemeld),
        termijnen=states,
        afgehandeld=c.afgehandeld,
        beroep=c.beroep is not None,
    )


def received_in(complaints: Iterable[Complaint], first: date, last: date) -> list[Complaint]:
    return [c for c in complaints if c.ontvangen and first <= c.ontvangen <= last]


def period_stats(
    complaints: list[Complaint], procedure: Procedure, first: date, last: date, today: date, book: DeadlineBook
) -> PeriodStats:
    own = received_in(complaints, first, last)
    rows = [complaint_row(c, book, procedure.waarschuwing, today) for c in own]
    as_of = min(last, today)
    return PeriodStats(
        first=first,
        last=last,
        as_of=as_of,
        ontvangen=len(own),
        per_maand=_per_month(own, first, last),
        per_kanaal=_count(KANALEN, (r.kanaal for r in rows)),
        per_categorie=_count(procedure.categorieen, (r.categorie for r in rows)),
        per_uitkomst=_count(UITKOMSTEN, (r.uitkomst for r in rows)),
        tijden={
            STAP_BEVESTIGING: duration(r.dagen_bevestiging for r in rows),
            STAP_OORDEEL: duration(r.dagen_oordeel for r in rows),
        },
        termijnen={stap: _share(r.termijnen.get(stap) for r in rows) for stap in STAPPEN},
        open_einde=tuple(report_label(c) for c in complaints if _open_on(c, as_of)),
        beroep=tuple(r.volgnummer for r in rows if r.beroep),
        afgehandeld=sum(1 for r in rows if r.afgehandeld),
    )


def _per_month(own: list[Complaint], first: date, last: date) -> tuple[tuple[date, int], ...]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):  # not date(): December 9999 has no next month
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple((m, sum(1 for c in own if (c.ontvangen.year, c.ontvangen.month) == (m.year, m.month))) for m in months)


def _count(known: Iterable[str], values: Iterable[str]) -> dict[str, int]:
    """Every known value (zero included, in their order), then any other value that occurs."""
    counts = dict.fromkeys(known, 0)
    for value in values:
        key = value or "(onbekend)"
        counts[key] = counts.get(key, 0) + 1
    return counts


def duration(days: Iterable[int | None]) -> Duration:
    known = [d for d in days if d is not None]
    if not known:
        return Duration(0, None, None)
    return Duration(len(known), statistics.median(known), max(known))


def _share(states: Iterable[str | None]) -> Share:
    decided = [s for s in states if s in DECIDED]
    return Share(sum(1 for s in decided if s == OP_TIJD), len(decided))


def _open_on(c: Complaint, day: date) -> bool:
    if c.ontvangen is None or c.ontvangen > day:
        return False
    closed = c.gesloten
    return closed is None or closed > day
