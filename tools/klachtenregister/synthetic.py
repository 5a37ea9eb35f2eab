"""A synthetic register: many valid complaints, for measuring speed and for benchmarks.

`generate(root, n, seed)` writes `n` complaints spread over several years up to `TODAY`,
covering every stage of the procedure (ontvangen ... gesloten, ingetrokken, beroep, brief with
its letter, gegrond with afspraken), plus procedure.yml and the evaluation and annual records,
so that `klachten check --today <TODAY>` finds nothing. The same seed gives the same files.

Each complaint is built step by step: `SyntheticComplaint.versions` holds the file's text after
every step, the way staff would commit it (one pull request per step), for benchmarks that
replay the register's Git history.

    python -m klachtenregister.synthetic DIR N [--seed S]
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

TODAY = date(2026, 11, 20)
YEARS = 4  # complaints are spread over the last four calendar years up to TODAY
LETTER = b"%PDF-1.4\n% synthetische brief\n"

_ONDERWERPEN = (
    "Terugkoppeling na intake bleef uit",
    "Afspraak twee keer verzet",
    "Onvriendelijke bejegening aan de telefoon",
    "Vergoeding reiskosten te laat",
    "Werkervaringsplaats ver buiten de regio",
    "Rapportage bevatte onjuiste gegevens",
)
_NAMEN = ("A. Jansen", "B. de Vries", "C. Bakker", "D. Visser", "E. Smit", "F. Mulder", "G. de Boer")
_MEDEWERKERS = ("L. Consulent", "K. Jobcoach", "S. Secretariaat")
_CATEGORIEEN = ("bejegening", "communicatie", "dienstverlening", "planning", "privacy", "facturatie", "overig")

# Stages in procedure order; `_stage_for` picks the furthest one the complaint's age allows.
STAGES = ("ontvangen", "bevestigd", "in behandeling", "beoordeeld", "afgehandeld", "gesloten")


@dataclass
class SyntheticComplaint:
    volgnummer: str
    ontvangen: date
    versions: list[str] = field(default_factory=list)  # file text after each step; last = final
    attachments: dict[str, bytes] = field(default_factory=dict)

    @property
    def rel(self) -> str:
        return f"klachten/{self.volgnummer[:4]}/{self.volgnummer}.md"


@dataclass
class SyntheticRegister:
    root: Path
    today: date
    complaints: list[SyntheticComplaint]
    records: dict[str, str]  # rel path -> text of procedure.yml, evaluations, annual overviews


def generate(root: Path, n: int, seed: int = 0, today: date = TODAY) -> SyntheticRegister:
    """Write a register of `n` valid complaints into `root`; see the module docstring."""
    register = build(n, seed, today, root)
    for rel, text in register.records.items():
        _write(root / rel, text)
    for c in register.complaints:
        _write(root / c.rel, c.versions[-1])
        for name, data in c.attachments.items():
            target = root / c.rel[: -len(".md")] / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return register


def build(n: int, seed: int = 0, today: date = TODAY, root: Path = Path(".")) -> SyntheticRegister:
    """The register in memory, without writing anything."""
    rng = random.Random(seed)
    start = date(today.year - YEARS + 1, 1, 1)
    span = (today - start).days
    # One complaint in a hundred (at least eight) arrived in the last 18 days, so that the open
    # stages occur however small n is; the rest are spread over the years.
    recent = min(n, max(8, n // 100))
    days = sorted([rng.randrange(span - 18) for _ in range(n - recent)] + [span - i % 19 for i in range(recent)])
    counters: dict[int, int] = {}
    complaints = []
    for index, offset in enumerate(days):
        ontvangen = start + timedelta(days=offset)
        counters[ontvangen.year] = counters.get(ontvangen.year, 0) + 1
        volgnummer = f"{ontvangen.year}-{counters[ontvangen.year]:03d}"
        complaints.append(_complaint(rng, index, volgnummer, ontvangen, today))
    return SyntheticRegister(root, today, complaints, _records(rng, start, today))


def _stage_for(index: int, age: int) -> str:
    """A stage whose deadlines are neither overdue nor within the warning window today (the
    stages take turns, so every one occurs)."""
    if age <= 4:  # bevestiging (7 days) still more than 2 days away
        return STAGES[index % len(STAGES)]
    if age <= 18:  # oordeel (21 days) still more than 2 days away
        return STAGES[1 + index % (len(STAGES) - 1)]
    return STAGES[3 + index % 3] if age < 60 else STAGES[-1]


def _complaint(rng: random.Random, index: int, volgnummer: str, ontvangen: date, today: date) -> SyntheticComplaint:
    c = SyntheticComplaint(volgnummer, ontvangen)
    age = (today - ontvangen).days
    stage = _stage_for(index, age)
    withdrawn = stage == "gesloten" and index % 20 == 7
    kanaal = ("mondeling", "schriftelijk", "brief")[index % 3]

    def day(after: date, most: int) -> date:
        """A date 0..most days after `after`, never after today."""
        return min(after + timedelta(days=rng.randint(0, most)), today)

    lines = [
        "---",
        f"volgnummer: {volgnummer}",
        f"onderwerp: {rng.choice(_ONDERWERPEN)}",
        f"ontvangen: {ontvangen}",
        f"kanaal: {kanaal}",
        f"ontvangen_door: {rng.choice(_MEDEWERKERS)}",
        "klager:",
        f"  naam: {rng.choice(_NAMEN)}",
        f"  klantnummer: K-{rng.randint(1000, 9999)}",
        f"categorie: {rng.choice(_CATEGORIEEN)}",
    ]
    if kanaal == "brief":
        lines += ["bijlagen:", "  - brief.pdf"]
        c.attachments["brief.pdf"] = LETTER
    body = "## Omschrijving\nDe klager vertelt wat er misging.\n"
    c.versions.append(_text(lines, body))
    if withdrawn:
        lines.append(f"ingetrokken: {day(ontvangen, 5)}")
        c.versions.append(_text(lines, body))
        return c
    if stage == "ontvangen":
        return c

    bevestigd = day(ontvangen, 7)
    lines += [f"bevestigd: {bevestigd}", f"directie_geinformeerd: {day(ontvangen, 3)}"]
    c.versions.append(_text(lines, body))
    if stage == "bevestigd":
        return c

    betrokken = index % 10 == 5
    lines += [
        f"directie_betrokken: {'true' if betrokken else 'false'}",
        "behandelaar:",
        f"  rol: {'onafhankelijke-derde' if betrokken else 'directie'}",
        f"  naam: {'M. Derde' if betrokken else 'R. Directeur'}",
    ]
    c.versions.append(_text(lines, body))
    if stage == "in behandeling":
        return c

    oordeel = ("gegrond", "deels-gegrond", "ongegrond")[index // 3 % 3]
    gemeld = day(ontvangen + timedelta(days=7), 14)
    lines += [f"oordeel: {oordeel}", f"oordeel_gemeld: {gemeld}"]
    if oordeel != "ongegrond":
        lines += [
            "afspraken:",
            "  - wat: Vaste contactpersoon en wekelijks belcontact",
            f"    wie: {rng.choice(_MEDEWERKERS)}",
            f"    uiterlijk: {gemeld + timedelta(days=14)}",
        ]
        if (gemeld + timedelta(days=14) - today).days <= 2:  # kept, or its deadline would be near or past
            lines.append(f"    gereed: {min(gemeld + timedelta(days=10), today)}")
    body += "\n## Onderzoek\nGesprekken gevoerd met de betrokken medewerkers.\n"
    c.versions.append(_text(lines, body))
    if stage == "beoordeeld":
        return c

    afgehandeld = day(gemeld, 20)
    lines += [
        "voortgang:",
        f"  - datum: {day(gemeld, 5)}",
        "    notitie: Gesprek met de klager gevoerd.",
        f"afgehandeld: {afgehandeld}",
        "afhandeling: Oplossing met de klager besproken en uitgevoerd.",
    ]
    if index % 10 == 3:
        lines += ["beroep:", f"  ingesteld: {day(gemeld, 10)}", "  bij: klantmanager UWV"]
    c.versions.append(_text(lines, body))
    if stage == "afgehandeld":
        return c

    lines += [
        "opdrachtgever:",
        f"  rol: {rng.choice(('arbeidsdeskundige', 'klantmanager'))}",
        "  naam: P. Opdrachtgever",
        "  organisatie: UWV",
        f"klantdossier_bijgewerkt: {day(afgehandeld, 5)}",
        f"opdrachtgever_geinformeerd: {day(afgehandeld, 5)}",
    ]
    c.versions.append(_text(lines, body))
    return c


def _text(lines: list[str], body: str) -> str:
    return "\n".join(lines) + "\n---\n" + body


def _records(rng: random.Random, start: date, today: date) -> dict[str, str]:
    records = {"klachten/procedure.yml": f"start: {start}\n"}
    for year in range(start.year, today.year + 1):
        for half, end in ((1, date(year, 6, 30)), (2, date(year, 12, 31))):
            if end < today:
                held = min(end + timedelta(days=rng.randint(1, 80)), today)
                records[f"klachten/evaluaties/{year}-H{half}.md"] = (
                    f"---\nperiode: {year}-H{half}\ndatum: {held}\ndeelnemers:\n  - R. Directeur\n"
                    f"  - K. Jobcoach\n---\nVerslag van het evaluatieoverleg.\n"
                )
        if date(year, 12, 31) < today:
            sent = min(date(year, 12, 31) + timedelta(days=rng.randint(1, 80)), today)
            records[f"klachten/jaaroverzichten/{year}.md"] = (
                f"---\njaar: {year}\nverzonden: {sent}\naan: W. Accountmanager\n---\nOverzicht verstuurd.\n"
            )
    return records


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m klachtenregister.synthetic", description=__doc__.split("\n")[0])
    parser.add_argument("map", type=Path, help="map waarin het register komt")
    parser.add_argument("aantal", type=int, help="aantal klachten")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    register = generate(args.map, args.aantal, args.seed)
    print(
        f"{len(register.complaints)} klachten geschreven in {args.map}; "
        f"controleer met: klachten check --root {args.map} --today {register.today}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
