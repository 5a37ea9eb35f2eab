"""The 12 steps of the klachtenregeling for one complaint: date, deadline and state per step.

Every deadline shown is one that `klachten check` reports (a `DeadlineBook` of
`CheckResult.deadlines`), so the site says exactly what check says. Steps 11 and 12 are per
period: the complaint counts in the half-year and the year it was received, and is evaluated
and reported with them; a period that still runs, or ended before the register's start, has
no deadline (yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..deadlines import OPEN, TE_LAAT, VERLOPEN, VERVALLEN, Deadline, DeadlineBook
from ..model import (
    CLOSING,
    STAP_AFSPRAAK,
    STAP_BEVESTIGING,
    STAP_EVALUATIE,
    STAP_JAAROVERZICHT,
    STAP_OORDEEL,
    STAP_OPDRACHTGEVER,
    Behandelaar,
    Complaint,
)
from ..periods import half_year_bounds, half_year_of, year_bounds
from ..register import Register
from .templating import long_date

GEDAAN = "gedaan"
NIET_NODIG = "n.v.t."

TITLES = {
    1: "Klacht ontvangen en geregistreerd",
    2: "Volgnummer en digitaal dossier",
    3: "Ontvangst schriftelijk bevestigd",
    4: "Klacht bij de directie",
    5: "Directie betrokken? Dan een onafhankelijke derde",
    6: "Onderzoek naar de aard van de klacht",
    7: "Oordeel gemeld, oplossing gezocht",
    8: "Afhandeling en voortgangsformulier",
    9: "Klantdossier bijgewerkt, opdrachtgever geïnformeerd",
    10: "Beroep bij UWV",
    11: "Halfjaarlijkse evaluatie",
    12: "Jaaroverzicht aan UWV",
}

# States that call for attention, shown with a colour and always with the word itself.
ALERT = {VERLOPEN, TE_LAAT}


@dataclass(frozen=True)
class Step:
    nummer: int
    titel: str
    datum: date | None  # when it was done
    termijn: date | None  # last day on time, for steps with a deadline
    state: str  # op tijd | te laat | verlopen | nadert | open | vervallen | gedaan | n.v.t.
    note: str = ""


def complaint_steps(c: Complaint, register: Register, book: DeadlineBook, today: date) -> list[Step]:
    warning = register.procedure.waarschuwing
    due = {d.stap: d for d in book.of(c)}

    def plain(nummer: int, datum: date | None, done: bool, note: str = "") -> Step:
        state = GEDAAN if done else VERVALLEN if c.ingetrokken else OPEN
        return Step(nummer, TITLES[nummer], datum, None, state, note)

    def timed(nummer: int, stap: str, note: str = "") -> Step:
        d = due.get(stap)
        if d is None:  # no date received: nothing to count from
            return Step(nummer, TITLES[nummer], None, None, OPEN, note)
        return Step(nummer, TITLES[nummer], d.done, d.due, d.state(today, warning), note)

    handler = c.behandelaar or Behandelaar()
    return [
        plain(1, c.ontvangen, c.ontvangen is not None),
        plain(2, c.ontvangen, c.volgnummer is not None, c.volgnummer or ""),
        timed(3, STAP_BEVESTIGING),
        plain(4, c.directie_geinformeerd, c.directie_geinformeerd is not None),
        plain(5, None, c.directie_betrokken is not None and handler.rol is not None, _independence(c)),
        plain(6, None, c.oordeel is not None, _investigation(c)),
        timed(7, STAP_OORDEEL, _agreements(c, book, warning, today)),
        plain(8, c.afgehandeld, c.afgehandeld is not None, c.afhandeling or ""),
        timed(9, STAP_OPDRACHTGEVER) if STAP_OPDRACHTGEVER in due else plain(9, *_closing(c)),
        _appeal(c),
        _period_duty(11, c, register, book, today),
        _period_duty(12, c, register, book, today),
    ]


def _closing(c: Complaint) -> tuple[date | None, bool]:
    """Step 9 without a deadline: (the later of its two dates, done), done once both are set."""
    closed = all(c.filled(name) for name in CLOSING)
    return (max(getattr(c, n) for n in CLOSING) if closed else None), closed


def _agreements(c: Complaint, book: DeadlineBook, warning, today: date) -> str:
    """Step 7's afspraken with how each stands: 'afspraak 1: gereed 2026-03-30; afspraak 2: uiterlijk
    2026-04-15 (verlopen)'."""
    states = {d.item: d.state(today, warning) for d in book.of(c) if d.stap == STAP_AFSPRAAK}
    return "; ".join(_agreement(n, a, states.get(n)) for n, a in enumerate(c.afspraken or [], 1))


def _agreement(number: int, a, state: str | None) -> str:
    if a.gereed:
        when = f"gereed {a.gereed.isoformat()}"
    else:
        when = f"uiterlijk {a.uiterlijk.isoformat()}" if a.uiterlijk else "zonder datum"
    shown = f" ({state})" if state in (VERLOPEN, TE_LAAT, VERVALLEN) else ""
    return f"afspraak {number}: {when}{shown}"


def _independence(c: Complaint) -> str:
    if c.directie_betrokken is None:
        return ""
    rol = c.behandelaar.rol if c.behandelaar and c.behandelaar.rol else "nog geen behandelaar"
    return f"directie betrokken: {'ja' if c.directie_betrokken else 'nee'}; behandelaar: {rol}"


def _investigation(c: Complaint) -> str:
    who = c.behandelaar.naam if c.behandelaar and c.behandelaar.naam else ""
    parts = [p for p in (who and f"door {who}", c.oordeel and f"oordeel: {c.oordeel}") if p]
    return "; ".join(parts)


def _appeal(c: Complaint) -> Step:
    if c.beroep and c.beroep.ingesteld:
        note = f"bij {c.beroep.bij}" if c.beroep.bij else ""
        if c.beroep.uitkomst:
            note = f"{note}; uitkomst: {c.beroep.uitkomst}".lstrip("; ")
            return Step(10, TITLES[10], c.beroep.ingesteld, None, GEDAAN, note)
        # Pending: the complaint is *in beroep* (open) until the outcome is recorded.
        return Step(10, TITLES[10], c.beroep.ingesteld, None, OPEN, f"{note}; de uitkomst volgt".lstrip("; "))
    return Step(10, TITLES[10], None, None, NIET_NODIG, "alleen als de klager in beroep gaat")


def _period_duty(nummer: int, c: Complaint, register: Register, book: DeadlineBook, today: date) -> Step:
    """Step 11/12: the evaluation of the complaint's half-year, the overview of its year."""
    title = TITLES[nummer]
    if c.ontvangen is None:
        return Step(nummer, title, None, None, OPEN)
    stap, subject, last = _period_of(nummer, c.ontvangen)
    d = book.period(stap, subject)
    if d is not None:
        return Step(nummer, title, d.done, d.due, d.state(today, register.procedure.waarschuwing), subject)
    done = _recorded(register, stap, subject)
    if done:
        return Step(nummer, title, done, None, GEDAAN, subject)
    if last >= today:  # owed once the period is over
        return Step(nummer, title, None, None, OPEN, f"{subject}: de periode loopt nog tot en met {long_date(last)}")
    return Step(nummer, title, None, None, NIET_NODIG, f"{subject}: vóór de start van het register")


def _period_of(nummer: int, received: date) -> tuple[str, str, date]:
    """(stap, period, its last day) of step 11 or 12 for a complaint received on `received`."""
    if nummer == 11:
        period = half_year_of(received)
        return STAP_EVALUATIE, period, half_year_bounds(period)[1]
    return STAP_JAAROVERZICHT, str(received.year), year_bounds(received.year)[1]


def _recorded(register: Register, stap: str, subject: str) -> date | None:
    """The date the register records the period's evaluation or overview as done."""
    if stap == STAP_EVALUATIE:
        return next((e.datum for e in register.evaluations if e.periode == subject), None)
    return next((o.verzonden for o in register.overviews if o.jaar == subject), None)


def alerts(c: Complaint, book: DeadlineBook, warning, today: date) -> list[tuple[str, str]]:
    """(what, state) of the complaint's deadlines that are overdue or were met late: 'bevestiging',
    'afspraak 1', 'opdrachtgever'."""
    states = ((_alert_name(d), d.state(today, warning)) for d in book.of(c))
    return [(name, state) for name, state in states if state in ALERT]


def _alert_name(d: Deadline) -> str:
    return f"afspraak {d.item}" if d.stap == STAP_AFSPRAAK else d.stap
