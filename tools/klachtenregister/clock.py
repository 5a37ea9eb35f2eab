"""Today, in the procedure's own time zone: "today" is the date in Europe/Amsterdam."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def today_in_amsterdam() -> date:
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()
