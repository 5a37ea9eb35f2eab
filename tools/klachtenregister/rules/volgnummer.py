"""volgnummer: het volgnummer klopt niet of is niet uniek.

Een volgnummer is JJJJ-NNN (NNN met voorloopnullen tot 3 cijfers: 007, 042, 1234), JJJJ is
het jaar van `ontvangen`, en het bestand heet klachten/JJJJ/<volgnummer>.md.

Goed:   klachten/2026/2026-007.md met volgnummer: 2026-007 en ontvangen: 2026-03-02
Fout:   klachten/2026/2026-07.md, volgnummer: 2026-0007, of volgnummer: 2026-007 in het bestand 2026-008.md
"""

from __future__ import annotations

from collections import defaultdict

from ..findings import Finding
from ..model import parse_volgnummer, volgnummer

CODE = "volgnummer"


def check(ctx):
    complaints = [c for c in ctx.register.complaints if c.readable and c.volgnummer]
    for c in complaints:
        yield from _one(c)
    by_number = defaultdict(list)
    for c in complaints:
        by_number[c.volgnummer].append(c)
    for number, holders in by_number.items():
        for c in holders if len(holders) > 1 else ():
            others = ", ".join(o.rel for o in holders if o is not c)
            yield _finding(
                c,
                f"volgnummer {number} is dubbel: staat ook in {others}; geef een van beide het "
                f"volgende vrije nummer met 'klachten renumber {number} --tegen origin/main' (in de branch van "
                "die klacht)",
            )


def _one(c):
    number = c.volgnummer
    parts = c.rel.split("/")  # klachten/<jaar>/<volgnummer>.md (string work: fast on 10,000 files)
    parsed = parse_volgnummer(number)
    if parsed is None:
        yield _finding(c, f"volgnummer '{number}' heeft niet de vorm JJJJ-NNN (bijvoorbeeld 2026-007)")
        return
    year, short = number[:4], volgnummer(*parsed)
    if number != short:  # leading zeros beyond three digits
        yield _finding(c, f"volgnummer {number} heeft te veel voorloopnullen: schrijf {short} (anders kan {short} "
                       "er nog eens naast komen te staan)")
        return
    stem = parts[-1].removesuffix(".md")
    if stem != number:
        yield _finding(c, _mismatch(parts[-1], stem, number))
    if len(parts) != 3 or parts[1] != year:
        yield _finding(c, f"het bestand hoort in de map klachten/{year}/ te staan")
    if c.ontvangen and str(c.ontvangen.year) != year:
        yield _finding(c, f"volgnummer {number} begint met {year}, maar de klacht is ontvangen in {c.ontvangen.year}")


def _mismatch(name: str, stem: str, number: str) -> str:
    """A volgnummer is never changed (the staff guide): the advice is to put it back, and to
    renumber only with `klachten renumber`, which moves the file and its folder too."""
    if parse_volgnummer(stem) is None:
        return (f"het bestand heet {name}, maar het volgnummer is {number}: een klachtbestand heet naar zijn "
                f"volgnummer ({number}.md); hernoem het bestand in dezelfde pull request")
    return (f"het bestand heet {name}, maar het volgnummer is {number}: zet het volgnummer terug op {stem} "
            f"(een volgnummer verander je nooit); moet de klacht echt een ander nummer krijgen, gebruik dan "
            f"'klachten renumber {stem}'")


def _finding(c, message: str) -> Finding:
    return Finding(CODE, message, c.rel, c.line("volgnummer"), c.volgnummer, veld="volgnummer")
