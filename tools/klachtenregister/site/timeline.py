"""The 12 steps of the klachtenregeling for one complaint: date, deadline and state per step.

Deadlines come from `deadlines.py` (steps 3 and 7) so the site says exactly what `klachten
check` says. Steps 11 and 12 are per period: the complaint counts in the half-year and the
year it was received, and is evaluated and reported with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..deadlines import OPEN, TE_LAAT, VERLOPEN, VERVALLEN, Deadline, complaint_deadlines, plus_days
from ..model import STAP_BEVESTIGING, STAP_EVALUATIE, STAP_JAAROVERZICHT, STAP_OORDEEL, Behandelaar, Complaint
from ..register import Register

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


def complaint_steps(c: Complaint, register: Register, today: date) -> list[Step]:
    warning = register.procedure.waarschuwing
    due = {d.stap: d for d in complaint_deadlines(c, register.procedure)}

    def plain(nummer: int, datum: date | None, done: bool, note: str = "") -> Step:
        state = GEDAAN if done else VERVALLEN if c.ingetrokken else OPEN
        return Step(nummer, TITLES[nummer], datum, None, state, note)

    def timed(nummer: int, stap: str) -> Step:
        d = due.get(stap)
        if d is None:  # no date received: nothing to count from
            return Step(nummer, TITLES[nummer], None, None, OPEN)
        return Step(nummer, TITLES[nummer], d.done, d.due, d.state(today, warning))

    handler = c.behandelaar or Behandelaar()
    return [
        plain(1, c.ontvangen, c.ontvangen is not None),
        plain(2, c.ontvangen, c.volgnummer is not None, c.volgnummer or ""),
        timed(3, STAP_BEVESTIGING),
        plain(4, c.directie_geinformeerd, c.directie_geinformeerd is not None),
        plain(5, None, c.directie_betrokken is not None and handler.rol is not None, _independence(c)),
        plain(6, None, c.oordeel is not None, _investigation(c)),
        timed(7, STAP_OORDEEL),
        plain(8, c.afgehandeld, c.afgehandeld is not None, c.afhandeling or ""),
        plain(9, c.gesloten, c.status == "gesloten"),
        _appeal(c),
        _period_step(11, c, register, today),
        _period_step(12, c, register, today),
    ]


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
    return Step(10, TITLES[10], None, None, NIET_NODIG, "alleen als de klager in beroep gaat")


def _period_step(nummer: int, c: Complaint, register: Register, today: date) -> Step:
    """Step 11/12: the evaluation of the complaint's half-year, the overview of its year."""
    if c.ontvangen is None:
        return Step(nummer, TITLES[nummer], None, None, OPEN)
    year, terms = c.ontvangen.year, register.procedure.termijnen
    if nummer == 11:
        first_half = c.ontvangen.month <= 6
        subject = f"{year}-H{1 if first_half else 2}"
        stap, end, term = STAP_EVALUATIE, date(year, 6, 30) if first_half else date(year, 12, 31), terms.evaluatie
        record = next((e for e in register.evaluations if e.periode == subject), None)
        done = record.datum if record else None
    else:
        subject, stap, end, term = str(year), STAP_JAAROVERZICHT, date(year, 12, 31), terms.jaaroverzicht
        record = next((o for o in register.overviews if o.jaar == subject), None)
        done = record.verzonden if record else None
    if end < register.procedure.start:  # the register did not owe it yet (SPEC: from `start` on)
        state, note = (GEDAAN, subject) if done else (NIET_NODIG, f"{subject}: vóór de start van het register")
        return Step(nummer, TITLES[nummer], done, None, state, note)
    d = Deadline(stap, subject, end, plus_days(end, term), done)  # ontvangen: 9999-12-01 is a finding, not a crash
    state = d.state(today, register.procedure.waarschuwing)
    if state == OPEN and today <= end:
        return Step(nummer, TITLES[nummer], None, d.due, OPEN, f"{subject}: de periode loopt nog")
    return Step(nummer, TITLES[nummer], done, d.due, state, subject)


def next_deadline(c: Complaint, register: Register) -> Deadline | None:
    """The first step-3/7 deadline still owed, or None."""
    owed = [d for d in complaint_deadlines(c, register.procedure) if d.done is None and d.withdrawn is None]
    return min(owed, key=lambda d: d.due, default=None)


def alerts(c: Complaint, register: Register, today: date) -> list[tuple[str, str]]:
    """(stap, state) of the complaint's deadlines that are overdue or were met late."""
    warning = register.procedure.waarschuwing
    result = []
    for d in complaint_deadlines(c, register.procedure):
        state = d.state(today, warning)
        if state in ALERT:
            result.append((d.stap, state))
    return result
