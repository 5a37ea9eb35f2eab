"""Today, in the procedure's own time zone: "today" is the date in Europe/Amsterdam."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # fromisoformat alone also takes 2026-W10-1


def today_in_amsterdam() -> date:
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def parse_iso_date(text: str) -> date | None:
    """The date written JJJJ-MM-DD (spaces around it ignored), or None; a year before 1000
    is no date either (periods and volgnummers need four digits, as the files do)."""
    text = text.strip()
    if not _ISO_DATE.fullmatch(text) or text < "1000":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
