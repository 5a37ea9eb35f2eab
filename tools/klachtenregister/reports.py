"""Pages of steps 11 and 12: half-year evaluations and annual overviews for UWV.

`report_pages` returns (path, markdown) pairs relative to the generated docs folder; the
site generator writes them. Annual pages are anonymous by construction: they are rendered
from figures only, never from complaint records.
"""

from __future__ import annotations

from datetime import date

from .register import Register


def report_periods(register: Register, today: date) -> tuple[list[str], list[int]]:
    """Half-years with complaints or a record, and years with complaints (the running one too)."""
    periods = {e.periode for e in register.evaluations if e.periode}
    years = set()
    for c in register.complaints:
        if c.ontvangen:
            periods.add(f"{c.ontvangen.year}-H{1 if c.ontvangen.month <= 6 else 2}")
            years.add(c.ontvangen.year)
    return sorted(periods), sorted(years)
