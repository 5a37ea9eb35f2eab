"""`klachten evaluatie JJJJ-Hn` and `klachten jaaroverzicht JJJJ`: start the record of a period.

Steps 11 and 12 are recorded in klachten/evaluaties/JJJJ-Hn.md and
klachten/jaaroverzichten/JJJJ.md. These commands write that record from
`templates/evaluatie.md` or `templates/jaaroverzicht.md` (the register's own first), filled in
as far as the register knows it: the evaluation as an agenda for the meeting (the period's
figures, the open actions of earlier evaluations, the period's complaints by volgnummer and
category, never a complainant's name), the annual overview with `aan` from procedure.yml's
`uwv`. Only the dates are left to fill in (`JJJJ-MM-DD`); with them the record passes
`klachten check`. An existing record is never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .deadlines import OP_TIJD, DeadlineBook, plus_days
from .errors import JobFailed, UsageError
from .files import write_beside
from .model import Complaint, Evaluation
from .newcomplaint import template_env
from .oserrors import os_problem
from .periods import half_year_bounds, half_year_label, year_bounds
from .register import DATA_DIR, EVALUATION_DIR, OVERVIEW_DIR, Register, load_register
from .site.templateerrors import reported_as
from .site.templating import long_date

EVALUATION_TEMPLATE = "evaluatie.md"
OVERVIEW_TEMPLATE = "jaaroverzicht.md"


@dataclass(frozen=True)
class OpenAction:
    """An action of an earlier evaluation that is not yet gereed."""

    periode: str
    nummer: int
    wat: str
    wie: str
    uiterlijk: date | None
    stand: str  # open | nadert | verlopen
    bestand: str


def start_evaluation(root: Path, period: str, today: date) -> Path:
    """Write klachten/evaluaties/<period>.md; JobFailed when it exists."""
    first, last = half_year_bounds(period)
    _not_in_future(first, today, f"het halfjaar {period}")
    register = load_register(root)
    view = _evaluation_view(register, period, first, last, today)
    return _write(root, EVALUATION_DIR, f"{period}.md", EVALUATION_TEMPLATE, view, today)


def start_overview(root: Path, year: int, today: date) -> Path:
    """Write klachten/jaaroverzichten/<year>.md; JobFailed when it exists."""
    first, last = year_bounds(year)
    _not_in_future(first, today, f"het jaar {year}")
    register = load_register(root)
    view = {
        "jaar": year,
        "aan": addressee(register),
        "uiterlijk": plus_days(last, register.procedure.termijnen.jaaroverzicht),
        "f": _figures(register, first, last, today),
        "evaluaties": sorted(e.periode for e in register.evaluations if e.periode and e.periode[:4] == str(year)),
    }
    return _write(root, OVERVIEW_DIR, f"{year}.md", OVERVIEW_TEMPLATE, view, today)


def _not_in_future(first: date, today: date, what: str) -> None:
    if first > today:
        raise UsageError(f"{what} is nog niet begonnen (vandaag is {today}): er is nog niets vast te leggen")


def addressee(register: Register) -> str:
    """`aan`: procedure.yml's `uwv` (name, function) when set, else the function step 12 names."""
    uwv = getattr(register.procedure, "uwv", None)
    parts = [getattr(uwv, "naam", None), getattr(uwv, "functie", None)] if uwv else []
    return ", ".join(p for p in parts if p) or "accountmanager re-integratie UWV"


def _evaluation_view(register: Register, period: str, first: date, last: date, today: date) -> dict:
    from .site.redact import Redactor

    redactor = Redactor.for_evaluations(register)
    own = [c for c in register.complaints if c.ontvangen and first <= c.ontvangen <= last]
    return {
        "periode": period,
        "titel": half_year_label(period),
        "uiterlijk": plus_days(last, register.procedure.termijnen.evaluatie),
        "deelnemers": participants(register, period, own),
        "f": _figures(register, first, last, today),
        "klachten": [_row(c) for c in own],
        "acties": open_actions(register, period, today, redactor),
    }


def participants(register: Register, period: str, own: list[Complaint]) -> list[str]:
    """Who probably takes part: those of the latest earlier evaluation, else the staff who
    received or handled the period's complaints, else the management (step 11)."""
    earlier = [e for e in register.evaluations if e.periode and e.periode < period and e.deelnemers]
    if earlier:
        return list(max(earlier, key=lambda e: e.periode or "").deelnemers or [])
    staff = [c.ontvangen_door for c in own] + [c.behandelaar.naam for c in own if c.behandelaar]
    complainants = {c.klager.naam for c in register.complaints if c.klager and c.klager.naam}
    found = [name for name in dict.fromkeys(staff) if name and name not in complainants]
    return found or ["directie"]


def open_actions(register: Register, period: str, today: date, redactor) -> list[OpenAction]:
    """The actions of earlier evaluations that are not gereed, with where they stand."""
    from .deadlines import action_deadlines

    warning = register.procedure.waarschuwing
    found = []
    for e in sorted(register.evaluations, key=lambda e: e.periode or ""):
        if not e.periode or e.periode >= period:
            continue
        states = {d.item: d.state(today, warning) for d in action_deadlines(e)}
        found += [_open_action(e, n, a, states.get(n, "open"), redactor) for n, a in _undone(e)]
    return found


def _undone(e: Evaluation):
    return [(n, a) for n, a in enumerate(e.acties or [], 1) if a.gereed is None]


def _open_action(e: Evaluation, number: int, a, state: str, redactor) -> OpenAction:
    wat, wie = (redactor.redact(text or "")[0] for text in (a.wat, a.wie))
    return OpenAction(e.periode or "", number, wat, wie, a.uiterlijk, state, e.rel)


def _row(c: Complaint) -> dict:
    """A complaint on the agenda: no name, no onderwerp (it may hold one), no free text."""
    return {"volgnummer": c.volgnummer or c.rel, "categorie": c.categorie or "—", "status": c.status,
            "oordeel": c.oordeel or "—"}


def _figures(register: Register, first: date, last: date, today: date) -> dict:
    from .site import figures

    book = DeadlineBook.of_register(register, today)
    s = figures.period_stats(register.complaints, register.procedure, first, last, today, book)
    return {"s": s, "termijnen": register.procedure.termijnen, "op_tijd": OP_TIJD}


def _write(root: Path, folder: str, name: str, template: str, view: dict, today: date) -> Path:
    target_dir = root / DATA_DIR / folder
    target = target_dir / name
    rel = f"{DATA_DIR}/{folder}/{name}"
    if target.exists() or target.is_symlink():
        raise JobFailed(f"{rel} bestaat al; een vastgelegd verslag wordt nooit overschreven")
    env = template_env(root)
    env.filters["datum"] = long_date
    with reported_as(JobFailed):
        text = env.get_template(template).render(**view, vandaag=today)
    try:
        target_dir.mkdir(exist_ok=True)
        written = write_beside(target, text.encode("utf-8"), shared=True, exclusive=True)
    except OSError as exc:
        raise JobFailed(f"{rel} is niet geschreven: {os_problem(exc)}") from None
    if not written:
        raise JobFailed(f"{rel} bestaat al; een vastgelegd verslag wordt nooit overschreven")
    return target
