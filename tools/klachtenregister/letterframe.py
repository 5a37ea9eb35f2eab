"""What every letter has around its text: sender, addressee, date, reference, subject, greeting.

Shared by `klachten brief` (letters.py) and the first page of the annual overview for UWV
(site/period_pages.py), so both look like one office wrote them. Pure data: the templates
in `templates/brieven/` lay it out (`brieven/brief.html.j2`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .procedure import Organisatie, Procedure

_ASIDE = re.compile(r"\s*\([^)]*\)")  # "W. Accountmanager (accountmanager re-integratie UWV)"


@dataclass(frozen=True)
class Frame:
    afzender: Organisatie | None  # procedure.yml `organisatie`; None: no letterhead
    aan: tuple[str, ...]  # the address block, a line each
    datum: date
    kenmerk: str
    betreft: str
    aanhef: str  # "Geachte Anna Jansen,"
    groet: tuple[str, ...]  # who signs: name, role, organisation
    concept: bool = False  # a draft (the annual overview of a year that still runs)

    @property
    def afzender_regels(self) -> tuple[str, ...]:
        """The letterhead's small print under the name: address, telephone, e-mail."""
        a = self.afzender
        if a is None:
            return ()
        lines = lines_of(a.adres)
        lines += (f"Telefoon {a.telefoon}",) if a.telefoon else ()
        return lines + ((f"E-mail {a.email}",) if a.email else ())


def lines_of(text: str | None) -> tuple[str, ...]:
    """A multi-line value (an address) as its non-blank lines, each stripped."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def salutation(name: str | None) -> str:
    """Dutch business style when the gender is not known: the full name, no title."""
    name = _ASIDE.sub("", name or "").strip()
    return f"Geachte {name}," if name else "Geachte heer, mevrouw,"


def sender_name(procedure: Procedure) -> str | None:
    return procedure.organisatie.naam if procedure.organisatie else None


def contact_text(procedure: Procedure) -> str | None:
    """'0183 000 000 of klachten@example.nl': how the reader reaches us, when known."""
    a = procedure.organisatie
    ways = [w for w in ((a.telefoon, a.email) if a else ()) if w]
    return " of ".join(ways) if ways else None
