"""volgorde: datums staan in de verkeerde volgorde of liggen in de toekomst.

Elke datum van een klacht ligt op of na `ontvangen`; `afgehandeld` op of na
`oordeel_gemeld`; de datums van stap 9 op of na `afgehandeld`; `beroep.ingesteld` op of na
`oordeel_gemeld`. Geen vastgelegde datum ligt na vandaag; geplande datums (`uiterlijk`) wel.

Goed:   ontvangen: 2026-03-02, bevestigd: 2026-03-05
Fout:   ontvangen: 2026-03-02, bevestigd: 2026-02-27
"""

from __future__ import annotations

from ..findings import Finding
from ..model import EVALUATION_FIELDS, OVERVIEW_FIELDS, dated_values, spoken

CODE = "volgorde"

# (later field, earlier field): the later one must be on or after the earlier one.
ORDER = (
    ("afgehandeld", "oordeel_gemeld"),
    ("klantdossier_bijgewerkt", "afgehandeld"),
    ("opdrachtgever_geinformeerd", "afgehandeld"),
    ("beroep.ingesteld", "oordeel_gemeld"),
)


def check(ctx):
    for c in ctx.register.complaints:
        if c.readable:
            yield from _complaint(c, ctx.today)
    for records, fields in ((ctx.register.evaluations, EVALUATION_FIELDS), (ctx.register.overviews, OVERVIEW_FIELDS)):
        for record in records:
            yield from _future(record, dict(_dates(record, fields)), ctx.today)


def _dates(record, fields=None):
    return ((path, (value, planned)) for path, value, planned in dated_values(record, fields))


def _complaint(c, today):
    dates = dict(_dates(c))
    if c.ontvangen:
        for path, (value, _planned) in dates.items():
            if value < c.ontvangen and path != "ontvangen":
                yield _finding(c, path, f"{spoken(path)} ({value}) ligt vóór ontvangen ({c.ontvangen})")
    for later, earlier in ORDER:
        if later in dates and earlier in dates and dates[later][0] < dates[earlier][0]:
            yield _finding(c, later, f"{later} ({dates[later][0]}) ligt vóór {earlier} ({dates[earlier][0]})")
    yield from _future(c, dates, today)


def _future(record, dates, today):
    for path, (value, planned) in dates.items():
        if not planned and value > today:
            yield _finding(record, path, f"{spoken(path)} ({value}) ligt in de toekomst (vandaag is {today})")


def _finding(record, path: str, message: str) -> Finding:
    return Finding(CODE, message, record.rel, record.lines.get(path, 1), getattr(record, "volgnummer", None), veld=path)
