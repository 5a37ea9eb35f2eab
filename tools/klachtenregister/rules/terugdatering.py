"""terugdatering: de datum van een stap is veel later vastgelegd dan de datum die er staat.

Alleen met `klachten check --historie` en op de site: dan leest de controle de
Git-geschiedenis. De dag waarop een datum is vastgelegd, is de dag van de commit op de
hoofdlijn (main) die de waarde binnenbracht; bij een pull request is dat de merge. Ligt die
meer dan `terugdatering` dagen (procedure.yml, standaard 7) na de datum in het bestand, dan
volgt een waarschuwing met beide datums en de commit. Geplande datums (`uiterlijk`) tellen
niet mee. Leg een stap dus vast (en laat de pull request mergen) zodra hij gedaan is.

Goed:   bevestigd: 2026-03-05, vastgelegd op 2026-03-06
Waarschuwing: bevestigd: 2026-03-05, pas vastgelegd op 2026-04-10 (36 dagen later)
"""

from __future__ import annotations

import re

from ..findings import Finding
from ..model import COMPLAINT_FIELDS, EVALUATION_FIELDS, OVERVIEW_FIELDS, dated_values
from ..yamlsource import parse_date

CODE = "terugdatering"

# A list's items are named as staff name them: "afspraak 1", never afspraken[0].
_ITEM = {"afspraken": "afspraak", "voortgang": "voortgang", "acties": "actie"}
_INDEXED = re.compile(r"(\w+)\[(\d+)\]\.(\w+)")


def check(ctx):
    history = getattr(ctx, "history", None)
    if history is None or not history.available or history.shallow:
        return  # without the whole history the recorded dates would be wrong
    register = ctx.register
    records = (
        *((c, COMPLAINT_FIELDS) for c in register.complaints),
        *((e, EVALUATION_FIELDS) for e in register.evaluations),
        *((o, OVERVIEW_FIELDS) for o in register.overviews),
    )
    for record, fields in records:
        trails = history.fields_of(record.rel) if record.readable else None
        if trails:
            yield from _record(record, fields, trails, register.procedure.terugdatering)


def _record(record, fields, trails, threshold: int):
    for path, claimed, planned in dated_values(record, fields):
        trail = trails.get(path)
        landed = trail[-1] if trail and not planned else None
        if landed is None or landed.text is None or parse_date(landed.text)[0] != claimed:
            continue  # planned, or not recorded as it is now (an uncommitted change)
        late = (landed.day - claimed).days
        if late > threshold:
            yield Finding(CODE, _message(path, claimed, landed, late, threshold), record.rel,
                          record.lines.get(path, 1), getattr(record, "volgnummer", None), veld=path)


def _message(path: str, claimed, landed, late: int, threshold: int) -> str:
    commit = landed.commit
    return (
        f"{field_name(path)}: {claimed.isoformat()}, maar pas op {landed.day.isoformat()} vastgelegd "
        f"({_days(late)} later, meer dan {_days(threshold)}) in commit {commit.sha} van {commit.author}; "
        "leg een stap vast zodra hij gedaan is"
    )


def field_name(path: str) -> str:
    """`afspraken[0].gereed` -> 'afspraak 1 (gereed)'; other paths as they are written."""
    match = _INDEXED.fullmatch(path)
    if match is None:
        return path
    return f"{_ITEM.get(match[1], match[1])} {int(match[2]) + 1} ({match[3]})"


def _days(count: int) -> str:
    return f"{count} {'dag' if count == 1 else 'dagen'}"
