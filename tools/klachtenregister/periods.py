"""The procedure's periods: half-years (step 11, named `JJJJ-Hn`) and years (step 12).

A half-year runs 1 January-30 June (H1) or 1 July-31 December (H2). Every module that
needs the period of a date, its first and last day or its Dutch name asks here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

HALF_YEAR_FORM = "JJJJ-H1 of JJJJ-H2, bijvoorbeeld 2026-H1"  # for messages to staff
_HALF_YEAR = re.compile(r"^([0-9]{4})-H([12])$")


def is_half_year(text: str) -> bool:
    """`text` has the form JJJJ-H1 or JJJJ-H2."""
    return bool(_HALF_YEAR.match(text))


def half_year_of(day: date) -> str:
    """2026-03-02 -> '2026-H1'."""
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


def half_years_of(year: int) -> list[str]:
    return [f"{year}-H1", f"{year}-H2"]


def half_year_bounds(period: str) -> tuple[date, date]:
    """'2026-H1' -> (2026-01-01, 2026-06-30); ValueError for anything else."""
    match = _HALF_YEAR.match(period)
    if not match:
        raise ValueError(f"geen halfjaar: {period!r}")
    year, half = int(match.group(1)), int(match.group(2))
    return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def half_year_label(period: str) -> str:
    """'2026-H1' -> 'eerste halfjaar 2026'."""
    year, half = period.split("-H")
    return f"{'eerste' if half == '1' else 'tweede'} halfjaar {year}"


def half_years(start: date, today: date) -> Iterator[tuple[str, date, date]]:
    """(period, first day, last day) of every half-year that ends on/after start and before today."""
    for year in range(start.year, today.year + 1):
        for period in half_years_of(year):
            first, last = half_year_bounds(period)
            if start <= last < today:
                yield period, first, last


def years(start: date, today: date) -> Iterator[int]:
    """Every year that ends on/after start and before today."""
    for year in range(start.year, today.year):
        if year_bounds(year)[1] >= start:
            yield year
