"""termijn-verlopen, termijn-overschreden, termijn-nadert: de termijnen van de procedure.

- Stap 3: de ontvangst binnen 7 dagen schriftelijk bevestigen (`bevestigd`).
- Stap 6/7: binnen 3 weken het oordeel melden (`oordeel_gemeld`).
- Stap 7: elke afspraak met de klager uiterlijk op haar datum nakomen (`gereed` bij de
  afspraak); een afspraak die nog open is als de klacht is afgehandeld of ingetrokken, telt niet meer.
- Stap 9: als procedure.yml `termijnen.opdrachtgever` noemt, binnen zoveel dagen na `afgehandeld`
  het klantdossier bijwerken en de opdrachtgever informeren.
- Stap 11: elk halfjaar evalueren, vastgelegd in klachten/evaluaties/JJJJ-Hn.md, en elke actie
  van een evaluatie uiterlijk op haar datum afronden (`gereed` bij de actie).
- Stap 12: elk jaar het overzicht naar UWV, vastgelegd in klachten/jaaroverzichten/JJJJ.md.

Een stap die "binnen N dagen" na datum D moet, is op tijd tot en met D + N en verlopen vanaf
D + N + 1. Niet gedaan en verlopen: fout (termijn-verlopen). Te laat gedaan, of niet gedaan
toen de klacht na de termijn werd ingetrokken: waarschuwing (termijn-overschreden). Binnen
`waarschuwing` dagen te doen: melding (termijn-nadert); procedure.yml kan dat aantal dagen per
termijn geven.

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
    dagen,
)
from ..findings import Finding

CODES = {VERLOPEN: "termijn-verlopen", TE_LAAT: "termijn-overschreden", NADERT: "termijn-nadert"}

WHAT = {
    "bevestiging": "de schriftelijke bevestiging van de ontvangst",
    "oordeel": "het melden van het oordeel aan de klager",
    "afspraak": "afspraak {item}",
    "opdrachtgever": "het bijwerken van het klantdossier en informeren van de opdrachtgever",
    "evaluatie": "de halfjaarlijkse evaluatie {subject}",
    "actie": "actie {item} van de evaluatie {subject}",
    "jaaroverzicht": "het jaaroverzicht aan UWV over {subject}",
}
DONE = {"afspraak": "nagekomen", "actie": "afgerond"}  # else "gedaan"
# What to do about an overdue step, where the field to fill in is not obvious.
TODO = {
    "bevestiging": "; is de bevestiging verstuurd, vul dan bevestigd in met die datum",
    "oordeel": "; is het oordeel gemeld, vul dan oordeel_gemeld in met die datum",
    "afspraak": "; is de afspraak nagekomen, vul dan bij de afspraak gereed in met die datum",
    "actie": "; is de actie afgerond, vul dan bij de actie gereed in met die datum",
    "opdrachtgever": "; vul klantdossier_bijgewerkt en opdrachtgever_geinformeerd in zodra dat gedaan is",
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
    unreadable |= {(r.rel, path) for r in [*register.evaluations, *register.overviews] for path in r.invalid}
    for deadline in deadlines:
        state = deadline.state(today, warning)
        if state in CODES and (deadline.file, deadline.veld) not in unreadable:
            yield deadline, state


def what(d: Deadline) -> str:
    """The duty in staff's words: 'afspraak 1', 'de halfjaarlijkse evaluatie 2026-H1'."""
    return WHAT[d.stap].format(item=d.item, subject=d.subject)


def message(d: Deadline, state: str, today) -> str:
    step, duty, verb = f"stap {STAP_NUMMER[d.stap]}", what(d), DONE.get(d.stap, "gedaan")
    if state == TE_LAAT and d.done is None:
        return (f"{step}: {duty} is niet {verb} voordat de klacht werd ingetrokken op {d.withdrawn}; de termijn "
                f"verliep op {d.due}")
    if state == TE_LAAT:
        return f"{step}: {duty} is {dagen((d.done - d.due).days)} te laat {verb} ({d.done}; termijn tot en met {d.due})"
    if state == VERLOPEN:
        ago = dagen((today - d.due).days)
        return f"{step}: {duty} is niet {verb}; de termijn verliep op {d.due} ({ago} geleden){_todo(d)}"
    left = d.days_left(today)
    when = "vandaag is de laatste dag" if left == 0 else f"nog {dagen(left)}"
    return f"{step}: {duty} moet uiterlijk {d.due} {verb} zijn ({when})"


def _todo(d: Deadline) -> str:
    if d.stap in TODO:
        return TODO[d.stap]
    if d.volgnummer is None and not d.file:
        return f"; leg hem vast in {_record_path(d)}"
    return ""
def _record_path(d: Deadline) -> str:
    folder = "evaluaties" if d.stap == "evaluatie" else "jaaroverzichten"
    return f"klachten/{folder}/{d.subject}.md"
