"""What must be done: the duties the site puts first (SPEC 4.4).

The index starts with every overdue or nearing duty of the register (the deadlines `klachten
check` reports as `termijn-verlopen` or `termijn-nadert`: complaints' steps, afspraken, step 9,
evaluations, annual overviews, evaluation actions); a complaint page starts with its overdue
duties or, when none is, its next one. Step 9 has a deadline only when procedure.yml sets
`termijnen.opdrachtgever`; without one, an afgehandeld complaint still shows step 9 as its
next duty, without a date, until both step-9 dates are filled in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..deadlines import NADERT, OPEN, STAP_NUMMER, VERLOPEN, Deadline, DeadlineBook, dagen
from ..model import CLOSING, STAP_OPDRACHTGEVER, Complaint
from ..register import Register
from ..rules.termijnen import reported, what
from . import urls

OWED = (VERLOPEN, NADERT, OPEN)


@dataclass(frozen=True)
class Duty:
    """One thing still to do, in staff's words."""

    stap: str  # as in findings: bevestiging, afspraak, ...
    nummer: int  # the procedure step
    wat: str  # 'de schriftelijke bevestiging van de ontvangst', 'afspraak 1'
    due: date | None  # last day on time; None: no deadline (step 9 without termijnen.opdrachtgever)
    state: str  # verlopen | nadert | open
    dagen: str  # '3 dagen over de termijn', 'nog 2 dagen', 'vandaag', '—'
    wie: str = ""  # 'klacht 2026-003', 'evaluatie 2026-H1', 'jaaroverzicht 2025'
    link: str = ""  # the page, relative to the index
    wanneer: str = "zonder termijn; doe het zo snel mogelijk"  # said instead of a date when there is none

    @property
    def kort(self) -> str:
        """The duty in a table cell: 'afspraak 1 (stap 7)'."""
        return f"{short(self.stap, self.wat)} (stap {self.nummer})"


def short(stap: str, wat: str) -> str:
    """'afspraak 1' as it is; a step by its name: 'bevestiging', 'opdrachtgever'."""
    return wat if stap in ("afspraak", "actie") else stap


def days_text(due: date | None, today: date) -> str:
    if due is None:
        return "—"
    left = (due - today).days
    if left == 0:
        return "vandaag"
    return f"{dagen(-left)} over de termijn" if left < 0 else f"nog {dagen(left)}"


def duty(d: Deadline, state: str, today: date, wie: str = "", link: str = "") -> Duty:
    """`wie` given (the index's list), the duty need not name its period again."""
    wat = _without_period(d) if wie and d.volgnummer is None else what(d)
    return Duty(d.stap, STAP_NUMMER[d.stap], wat, d.due, state, days_text(d.due, today), wie, link)


def _without_period(d: Deadline) -> str:
    """'actie 1', 'de halfjaarlijkse evaluatie', 'het jaaroverzicht aan UWV'."""
    if d.stap == "actie":
        return f"actie {d.item}"
    return what(d).replace(f" {d.subject}", "").replace(" over", "")


def complaint_duties(c: Complaint, book: DeadlineBook, warning, today: date) -> list[Duty]:
    """The complaint's owed duties, soonest first, step 9 without a deadline last."""
    owed = [(d, d.state(today, warning)) for d in book.of(c)]
    found = sorted((duty(d, s, today) for d, s in owed if s in OWED), key=lambda x: x.due or date.max)
    if _step_9_open(c) and not any(x.stap == STAP_OPDRACHTGEVER for x in found):
        found.append(Duty(STAP_OPDRACHTGEVER, 9, what_9(), None, OPEN, "—"))
    if c.appeal_pending:  # no deadline: UWV decides; the outcome is still to be recorded
        found.append(Duty("beroep", 10, "de uitkomst van het beroep vastleggen (beroep.uitkomst)", None, OPEN, "—",
                          wanneer="zodra UWV over het beroep heeft beslist"))
    return found


def what_9() -> str:
    return "het bijwerken van het klantdossier en informeren van de opdrachtgever"


def _step_9_open(c: Complaint) -> bool:
    """Afgehandeld, not withdrawn, and a step-9 date still missing (with an appeal too)."""
    return bool(c.afgehandeld) and not c.ingetrokken and not all(c.filled(name) for name in CLOSING)


def next_duty(c: Complaint, book: DeadlineBook, warning, today: date) -> Duty | None:
    duties = complaint_duties(c, book, warning, today)
    return duties[0] if duties else None


def pressing(register: Register, deadlines: list[Deadline], today: date, slugs: dict[str, str]) -> list[Duty]:
    """Every duty of the register that check reports as overdue or nearing: overdue first (the
    longest overdue on top), then the nearing ones by date."""
    found = [
        duty(d, state, today, *_where(d, slugs))
        for d, state in reported(register, deadlines, today)
        if state in (VERLOPEN, NADERT)
    ]
    return sorted(found, key=lambda x: (x.state != VERLOPEN, x.due, x.wie))


def _where(d: Deadline, slugs: dict[str, str]) -> tuple[str, str]:
    """(whose duty, the page that shows it), as linked from the index."""
    if d.stap == "evaluatie":
        return f"evaluatie {d.subject}", f"{urls.EVALUATIONS}/"
    if d.stap == "jaaroverzicht":
        return f"jaaroverzicht {d.subject}", f"{urls.OVERVIEWS}/"
    if d.stap == "actie":
        return f"evaluatie {d.subject}", f"{urls.EVALUATIONS}/{d.subject.lower()}/"
    slug = slugs.get(d.file or "")
    return f"klacht {d.volgnummer or slug}", f"{urls.COMPLAINTS}/{slug}/" if slug else ""
