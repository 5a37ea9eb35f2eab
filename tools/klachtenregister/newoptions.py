"""What `klachten new` was given: the options as typed, checked before anything is written.

`klachten new` refuses (exit 2) what `klachten check` would reject in the new file: a date
after today, a blank onderwerp, klager or ontvangen_door, a category procedure.yml does not
know, and personal data (a BSN, IBAN or birth date) in any option, found by the `privacy`
rule's own detection and masked in the message. Personal data is reported alone: every other
message quotes what was typed, and must not quote that. Spaces around a value are ignored.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .deadlines import plus_days
from .errors import UsageError
from .model import KANALEN
from .newcomplaint import NewComplaint
from .oserrors import os_reason, short_path
from .procedure import Procedure
from .rules.privacy import scan
from .yamlsource import parse_date


@dataclass(frozen=True)
class Given:
    """The options as typed on the command line (or in the form), nothing checked yet."""

    ontvangen: str
    kanaal: str
    onderwerp: str
    klager: str
    ontvangen_door: str
    categorie: str = "overig"
    klantnummer: str | None = None
    omschrijving: str | None = None
    bijlagen: tuple[Path, ...] = ()


def read_options(given: Given, procedure: Procedure, today: date) -> NewComplaint:
    """The new complaint the options describe; raises UsageError naming every problem."""
    wrong = privacy_problems(given, procedure) or problems(given, procedure, today)
    if wrong:
        raise UsageError("\n".join(wrong))
    return NewComplaint(
        _received(given.ontvangen),  # type: ignore[arg-type] - a problem if None, raised above
        given.kanaal.strip().lower(),
        given.onderwerp.strip(),
        given.klager.strip(),
        given.ontvangen_door.strip(),
        _category(given.categorie, procedure) or given.categorie.strip(),
        given.bijlagen,
        klantnummer=_optional(given.klantnummer),
        omschrijving=_body(given.omschrijving),
    )


def _options(given: Given) -> list[tuple[str, str | None]]:
    """(option, value) of every text option; attachments by their names."""
    return [
        ("--ontvangen", given.ontvangen),
        ("--kanaal", given.kanaal),
        ("--onderwerp", given.onderwerp),
        ("--klager", given.klager),
        ("--ontvangen-door", given.ontvangen_door),
        ("--categorie", given.categorie),
        ("--klantnummer", given.klantnummer),
        ("--omschrijving", given.omschrijving),
        *(("--bijlage", str(path)) for path in given.bijlagen),
    ]


def privacy_problems(given: Given, procedure: Procedure) -> list[str]:
    """Personal data in any option, as the `privacy` rule words it (the number masked)."""
    return [
        f"{option}: {message}"
        for option, value in _options(given)
        if value
        for _line, message in scan(value, procedure.privacy)
    ]


def problems(given: Given, procedure: Procedure, today: date) -> list[str]:
    """Everything else that is wrong with the options, in Dutch (empty: all is well)."""
    found = [_date_problem(given.ontvangen, procedure, today)]
    if given.kanaal.strip().lower() not in KANALEN:
        found.append(f"--kanaal '{given.kanaal.strip()}' bestaat niet; kies uit: {', '.join(KANALEN)}")
    found += [_line_problem(value, option) for option, value in _required(given)]
    if given.klantnummer and given.klantnummer.strip():
        found.append(_line_problem(given.klantnummer, "--klantnummer"))
    found.append(_body_problem(given.omschrijving))
    if _category(given.categorie, procedure) is None:
        found.append(
            f"onbekende categorie '{given.categorie.strip()}'; kies uit: {', '.join(procedure.categorieen)}"
        )
    found += _attachment_problems(given.bijlagen)
    return [p for p in found if p]


def _required(given: Given) -> list[tuple[str, str]]:
    return [("--onderwerp", given.onderwerp), ("--klager", given.klager), ("--ontvangen-door", given.ontvangen_door)]


def _received(text: str) -> date | None:
    return parse_date(text.strip())[0]


def _date_problem(text: str, procedure: Procedure, today: date) -> str | None:
    ontvangen, problem = parse_date(text.strip())
    if ontvangen is None:  # a Dutch 02-03-2026 gets the ISO date it means suggested
        return f"--ontvangen: {problem}"
    if ontvangen > today:
        return (
            f"--ontvangen {ontvangen.isoformat()} ligt na vandaag ({today.isoformat()}): "
            "vul de dag in waarop de klacht binnenkwam"
        )
    if ontvangen.year < 1000:  # the volgnummer starts with the year in four digits
        return f"--ontvangen {ontvangen.isoformat()}: het jaar moet vier cijfers hebben"
    days = max(procedure.termijnen.bevestiging, procedure.termijnen.oordeel)
    if plus_days(ontvangen, days) == date.max:
        return f"--ontvangen {ontvangen.isoformat()}: te ver in de toekomst om de termijnen te berekenen"
    return None


def _category(text: str, procedure: Procedure) -> str | None:
    """The category as procedure.yml spells it (matched case-insensitively), or None."""
    wanted = text.strip().casefold()
    return next((c for c in procedure.categorieen if c.casefold() == wanted), None)


def _control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp")


def _line_problem(value: str, option: str) -> str | None:
    if not value.strip():
        return f"{option} is leeg: vul het in"
    if any(_control(ch) for ch in value):
        return f"{option} moet één regel gewone tekst zijn (geen regeleinden of besturingstekens)"
    return None


def _body_problem(value: str | None) -> str | None:
    """The complaint text may have lines and tabs, nothing else invisible."""
    if value and any(_control(ch) and ch not in "\n\r\t" for ch in value):
        return "--omschrijving mag geen besturingstekens bevatten (regeleinden mogen wel)"
    return None


def _optional(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def _body(value: str | None) -> str | None:
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def _attachment_problems(files: tuple[Path, ...]) -> list[str]:
    found = [p for path in files if (p := _attachment_problem(path))]
    names = [path.name for path in files]
    found += [f"twee bijlagen heten '{name}': hernoem er een" for name in sorted(set(names)) if names.count(name) > 1]
    return found


def _attachment_problem(path: Path) -> str | None:
    """Why `path` cannot be copied in as an attachment, or None."""
    shown = f"bijlage {short_path(path)}"
    if not path.name:
        return "--bijlage: geef de naam van een bestand"
    if ":" in path.name or "\\" in path.name or any(_control(ch) for ch in path.name) or path.name.startswith("."):
        return f"{shown}: een bijlage mag geen :, \\, regeleinde of besturingsteken bevatten of met . beginnen"
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISREG(mode):
            with open(path, "rb"):  # readable by us, not just there
                return None
    except OSError as exc:
        return f"{shown}: {os_reason(exc)}"
    return f"{shown}: is een map, geen bestand" if stat.S_ISDIR(mode) else f"{shown}: is geen gewoon bestand"
