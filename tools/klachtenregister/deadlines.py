"""Deadlines of the procedure, computed once for the validator and the site alike.

Arithmetic (SPEC): a step due "within N days" of date D is on time when done on or before
D + N, and overdue from D + N + 1 on. Evaluations and annual overviews are owed only for
periods (`periods.py`) that end on or after the register's start and before today.

`all_deadlines` is what `klachten check` reports (`CheckResult.deadlines`); the site and the
figures look them up in a `DeadlineBook` rather than computing their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .model import (
    STAP_ACTIE,
    STAP_AFSPRAAK,
    STAP_BEVESTIGING,
    STAP_EVALUATIE,
    STAP_JAAROVERZICHT,
    STAP_OORDEEL,
    STAP_OPDRACHTGEVER,
    Complaint,
    Evaluation,
)
from .periods import half_years, year_bounds, years
from .procedure import Procedure, Waarschuwing

OP_TIJD = "op tijd"
TE_LAAT = "te laat"
VERLOPEN = "verlopen"
NADERT = "nadert"
OPEN = "open"
VERVALLEN = "vervallen"  # withdrawn before the step was due: no longer owed

STAP_NUMMER = {
    STAP_BEVESTIGING: 3,
    STAP_OORDEEL: 7,
    STAP_AFSPRAAK: 7,
    STAP_OPDRACHTGEVER: 9,
    STAP_EVALUATIE: 11,
    STAP_ACTIE: 11,
    STAP_JAAROVERZICHT: 12,
}


def dagen(days: int) -> str:
    """A number of days as staff say it: '1 dag', '2 dagen'."""
    return f"{days} {'dag' if abs(days) == 1 else 'dagen'}"


@dataclass(frozen=True)
class Deadline:
    stap: str  # one of model.STAPPEN
    subject: str  # volgnummer, or the period (2026-H1, 2025)
    due: date  # last day on time
    done: date | None
    withdrawn: date | None = None  # the day the complainant withdrew
    file: str | None = None
    line: int | None = None
    volgnummer: str | None = None
    veld: str | None = None
    item: int | None = None  # afspraak 1, actie 2: the item's number as staff count (from 1)
    owed: bool = True  # False: no longer owed (an afspraak once the complaint is afgehandeld)

    def state(self, today: date, warning: int | Waarschuwing) -> str:
        """`warning`: procedure.yml's `waarschuwing` (per deadline), or a number of days."""
        if self.done is not None:
            return OP_TIJD if self.done <= self.due else TE_LAAT
        if not self.owed:
            return VERVALLEN
        if self.withdrawn is not None:
            # Withdrawn before the step was due, it is no longer owed; withdrawn after the
            # deadline had passed undone, the deadline was missed all the same.
            return TE_LAAT if self.withdrawn > self.due else VERVALLEN
        if today > self.due:
            return VERLOPEN
        days = warning if isinstance(warning, int) else warning.days(self.stap)
        return NADERT if (self.due - today).days <= days else OPEN

    def days_left(self, today: date) -> int:
        return (self.due - today).days


def plus_days(day: date, days: int) -> date:
    """`day` + `days`; the last day of the calendar when that lies beyond year 9999 (a typo such
    as ontvangen: 9999-12-30 must give a finding, not an OverflowError)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max


def complaint_deadlines(c: Complaint, procedure: Procedure) -> list[Deadline]:
    if c.ontvangen is None:
        return []
    days = procedure.termijnen

    def deadline(stap: str, term: int, done: date | None, veld: str) -> Deadline:
        line = c.line(veld) if done else c.line("ontvangen")
        return Deadline(
            stap,
            c.volgnummer or c.rel,
            plus_days(c.ontvangen, term),
            done,
            withdrawn=c.ingetrokken,
            file=c.rel,
            line=line,
            volgnummer=c.volgnummer,
            veld=veld,
        )

    found = [
        deadline(STAP_BEVESTIGING, days.bevestiging, c.bevestigd, "bevestigd"),
        deadline(STAP_OORDEEL, days.oordeel, c.oordeel_gemeld, "oordeel_gemeld"),
        *_agreements(c),
        *_client_report(c, days.opdrachtgever),
    ]
    if not c.readable:  # salvaged from a broken file: a step whose line could not be read is unknown
        found = [d for d in found if d.veld not in c.invalid and _top(d.veld) not in c.invalid]
    return found


def _top(path: str | None) -> str:
    """'afspraken[0].gereed' -> 'afspraken'."""
    return (path or "").split(".")[0].split("[")[0]


def _agreements(c: Complaint) -> list[Deadline]:
    """Stap 7: each afspraak by its `uiterlijk`, kept when `gereed`; no longer owed once the
    complaint is afgehandeld or ingetrokken (what became of it is in the afhandeling)."""
    owed = not (c.afgehandeld or c.ingetrokken)
    return [
        Deadline(
            STAP_AFSPRAAK,
            c.volgnummer or c.rel,
            a.uiterlijk,
            a.gereed,
            file=c.rel,
            line=c.line(f"afspraken[{i}].uiterlijk"),
            volgnummer=c.volgnummer,
            veld=f"afspraken[{i}].gereed",
            item=i + 1,
            owed=owed,
        )
        for i, a in enumerate(c.afspraken or [])
        if a.uiterlijk is not None
    ]


def _client_report(c: Complaint, term: int | None) -> list[Deadline]:
    """Stap 9 within `termijnen.opdrachtgever` days of afgehandeld (only when that is set)."""
    if term is None or c.afgehandeld is None:
        return []
    closing = (c.klantdossier_bijgewerkt, c.opdrachtgever_geinformeerd)
    done = max(closing) if all(closing) else None
    return [
        Deadline(
            STAP_OPDRACHTGEVER,
            c.volgnummer or c.rel,
            plus_days(c.afgehandeld, term),
            done,
            withdrawn=c.ingetrokken,
            file=c.rel,
            line=c.line("afgehandeld"),
            volgnummer=c.volgnummer,
            veld="opdrachtgever_geinformeerd",
        )
    ]


def action_deadlines(e: Evaluation) -> list[Deadline]:
    """Stap 11: each action of an evaluation record by its `uiterlijk`, done when `gereed`."""
    subject = e.periode or e.rel.rsplit("/", 1)[-1].removesuffix(".md")
    return [
        Deadline(
            STAP_ACTIE,
            subject,
            a.uiterlijk,
            a.gereed,
            file=e.rel,
            line=e.lines.get(f"acties[{i}]"),
            veld=f"acties[{i}].gereed",
            item=i + 1,
        )
        for i, a in enumerate(e.acties or [])
        if a.uiterlijk is not None
    ]


def all_deadlines(register, today: date) -> list[Deadline]:
    """Every deadline of the register: those of each complaint (also one salvaged from a broken
    file: its duties do not vanish with a typo), of each evaluation's actions, then steps 11, 12."""
    result = []
    for c in register.complaints:
        if c.readable or c.salvaged:
            result.extend(complaint_deadlines(c, register.procedure))
    for e in register.evaluations:
        result.extend(action_deadlines(e))
    return result + periodic_deadlines(register, today)


def periodic_deadlines(register, today: date) -> list[Deadline]:
    """Step 11 (evaluation per half-year) and step 12 (annual overview to UWV)."""
    procedure = register.procedure
    evaluations = {e.periode: e for e in register.evaluations if e.periode}
    overviews = {o.jaar: o for o in register.overviews if o.jaar}
    result = []
    for period, _first, last in half_years(procedure.start, today):
        record = evaluations.get(period)
        result.append(_periodic(STAP_EVALUATIE, period, last, procedure.termijnen.evaluatie, record, "datum"))
    for year in years(procedure.start, today):
        record = overviews.get(str(year))
        result.append(
            _periodic(
                STAP_JAAROVERZICHT,
                str(year),
                year_bounds(year)[1],
                procedure.termijnen.jaaroverzicht,
                record,
                "verzonden",
            )
        )
    return result


def _periodic(stap, subject, end, term, record, veld) -> Deadline:
    done = getattr(record, veld, None) if record else None
    return Deadline(
        stap,
        subject,
        plus_days(end, term),
        done,
        file=record.rel if record else None,
        line=record.lines.get(veld, 1) if record else None,
        veld=veld,
    )


PERIODIC = (STAP_EVALUATIE, STAP_JAAROVERZICHT)


class DeadlineBook:
    """The deadlines `klachten check` reports, looked up per complaint file and per period."""

    def __init__(self, deadlines: Iterable[Deadline]) -> None:
        self.by_file: dict[str | None, list[Deadline]] = {}
        self.by_period: dict[tuple[str, str], Deadline] = {}
        for d in deadlines:
            if d.stap in PERIODIC:
                self.by_period[(d.stap, d.subject)] = d
            else:
                self.by_file.setdefault(d.file, []).append(d)

    @classmethod
    def of_register(cls, register, today: date) -> DeadlineBook:
        return cls(all_deadlines(register, today))

    def of(self, c: Complaint) -> list[Deadline]:
        """The complaint's deadlines: steps 3 and 7, its afspraken, step 9 (none without a
        date of receipt)."""
        return self.by_file.get(c.rel, [])

    def of_file(self, rel: str) -> list[Deadline]:
        """The deadlines reported on a file (a complaint, or an evaluation record's actions)."""
        return self.by_file.get(rel, [])

    def period(self, stap: str, subject: str) -> Deadline | None:
        """Step 11 of a half-year or 12 of a year; None when it is not owed (yet)."""
        return self.by_period.get((stap, subject))
