"""termijn-verlopen, termijn-overschreden, termijn-nadert: de termijnen van de procedure.

- Stap 3: de ontvangst binnen 7 dagen schriftelijk bevestigen (`bevestigd`).
- Stap 6/7: binnen 3 weken het oordeel melden (`oordeel_gemeld`).
- Stap 11: elk halfjaar evalueren, vastgelegd in klachten/evaluaties/JJJJ-Hn.md.
- Stap 12: elk jaar het overzicht naar UWV, vastgelegd in klachten/jaaroverzichten/JJJJ.md.

Een stap die "binnen N dagen" na datum D moet, is op tijd tot en met D + N en verlopen vanaf
D + N + 1. Niet gedaan en verlopen: fout (termijn-verlopen). Te laat gedaan, of niet gedaan
toen de klacht na de termijn werd ingetrokken: waarschuwing (termijn-overschreden). Binnen
`waarschuwing` dagen te doen: melding (termijn-nadert).

Goed:   ontvangen: 2026-03-02, bevestigd: 2026-03-09
Fout:   ontvangen: 2026-03-02, geen bevestigd, vandaag 2026-03-10
"""

from __future__ import annotations

from ..deadlines import (
    NADERT,
    STAP_NUMMER,
    TE_LAAT,
    VERLOPEN,
    Deadline,
)
from ..findings import Finding

CODES = {VERLOPEN: "termijn-verlopen", TE_LAAT: "termijn-overschreden", NADERT: "termijn-nadert"}

WHAT = {
    "bevestiging": "de schriftelijke bevestiging van de ontvangst",
    "oordeel": "het melden van het oordeel aan de klager",
    "evaluatie": "de halfjaarlijkse evaluatie",
    "jaaroverzicht": "het jaaroverzicht aan UWV",
}


def check(ctx):
    for deadline, state in reported(ctx.register, ctx.deadlines, ctx.today):
        yield Finding(
            CODES[state],
            message(deadline, state, ctx.today),
            deadline.file,
            deadline.line,
            deadline.volgnummer,
            stap=deadline.stap,
            veld=deadline.veld,
        )


def reported(register, deadlines, today):
    """(deadline, state) of every deadline this rule reports on (also the issue Termijnen)."""
    warning = register.procedure.waarschuwing
    # A date that could not be read is already a veld-ongeldig error on its line; calling the
    # step "not done" as well would send staff looking for the wrong problem.
    unreadable = {(c.rel, path) for c in register.complaints for path in c.invalid}
    for deadline in deadlines:
        state = deadline.state(today, warning)
        if state in CODES and (deadline.file, deadline.veld) not in unreadable:
            yield deadline, state


def message(d: Deadline, state: str, today) -> str:
    step = f"stap {STAP_NUMMER[d.stap]}"
    what = WHAT[d.stap]
    subject = d.subject if d.volgnummer is None else ""
    what = f"{what} {subject}".rstrip()
    if state == TE_LAAT and d.done is None:
        return (f"{step}: {what} is niet gedaan voordat de klacht werd ingetrokken op {d.withdrawn}; de termijn "
                f"verliep op {d.due}")
    if state == TE_LAAT:
        late = (d.done - d.due).days
        return f"{step}: {what} was {late} dag(en) te laat ({d.done}; termijn tot en met {d.due})"
    if state == VERLOPEN:
        late = (today - d.due).days
        todo = f"; leg hem vast in {_record_path(d)}" if d.volgnummer is None and not d.file else ""
        return f"{step}: {what} is niet gedaan; de termijn verliep op {d.due} ({late} dag(en) geleden){todo}"
    left = d.days_left(today)
    return f"{step}: {what} moet uiterlijk {d.due} gedaan zijn (nog {left} dag(en))"


def _record_path(d: Deadline) -> str:
    folder = "evaluaties" if d.stap == "evaluatie" else "jaaroverzichten"
    return f"klachten/{folder}/{d.subject}.md"
