"""bewaartermijn: een gesloten klacht is langer bewaard dan de bewaartermijn.

Alleen als procedure.yml een `bewaartermijn` (in jaren na sluiten) noemt. Een gesloten of
ingetrokken klacht waarvan de termijn voorbij is, geeft een melding: verwijder het dossier
(ook uit de Git-geschiedenis, zie de README).

Goed:   bewaartermijn: 2, klacht gesloten op 2025-04-03, vandaag 2026-11-24
Melding: bewaartermijn: 2, klacht gesloten op 2023-04-03, vandaag 2026-11-24
"""

from __future__ import annotations

from datetime import date

from ..findings import Finding

CODE = "bewaartermijn"


def add_years(day: date, years: int) -> date:
    if day.year + years > date.max.year:
        return date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def check(ctx):
    years = ctx.register.procedure.bewaartermijn
    if not years:
        return
    for c in ctx.register.complaints:
        closed = c.gesloten if c.readable else None
        if closed and ctx.today > add_years(closed, years):
            yield Finding(
                CODE,
                f"gesloten op {closed}: de bewaartermijn van {years} jaar is op "
                f"{add_years(closed, years)} verstreken; verwijder het dossier",
                c.rel,
                c.line("volgnummer"),
                c.volgnummer,
            )
