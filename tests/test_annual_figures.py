"""The annual figures of step 12 (SPEC 4.3): `klachten report --json`, and the same figures on
the site's annual page and in the PDF for UWV (one function, `site.yearfigures.year_figures`).

Every expected value is counted BY HAND from the files and written here as a literal; each
register says how. Terms: bevestiging 7 days, oordeel 21 days after `ontvangen`.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import EXAMPLE_TODAY, PRODUCT, run_klachten, write_register
from klachtenregister.register import load_register
from klachtenregister.site.period_pages import annual_html, report_pages
from test_reports import cells, text

CATEGORIEEN = ("bejegening", "communicatie", "dienstverlening", "planning", "privacy", "facturatie", "overig")


def zeros(keys) -> dict:
    return dict.fromkeys(keys, 0)


def categories(**counts) -> dict:
    return zeros(CATEGORIEEN) | counts


# --- the example register (klachten/ of the product; the table in test_reports.py) -----------

# 2025: 001-007. Afgehandeld: all but 005 (withdrawn) = 6, 007's afgehandeld lies in 2026 but
# counts (as the files say). Open on 31 December 2025: 007 (closed 2026-02-03). Opdrachtgever:
# arbeidsdeskundige 001, 003, 006; klantmanager 002, 004, 007; none for 005. Days to
# afhandeling: 32, 17, 44, 39, 18, 56 -> sorted 17 18 32 39 44 56 -> median 35.5, longest 56.
# Appeal: 002, with its outcome. 2025 is the year of `start`: no previous year.
EXAMPLE_2025 = {
    "jaar": 2025,
    "ontvangen": 7,
    "afgehandeld": 6,
    "ingetrokken": 1,
    "open_op_31_december": 1,
    "per_categorie": categories(bejegening=1, communicatie=1, dienstverlening=2, planning=1, privacy=1, facturatie=1),
    "per_kanaal": {"mondeling": 2, "schriftelijk": 4, "brief": 1},
    "per_oordeel": {"gegrond": 2, "deels-gegrond": 2, "ongegrond": 2},
    "per_opdrachtgever": {"arbeidsdeskundige": 3, "klantmanager": 3, "onbekend": 1},
    "op_tijd": {"bevestiging": [6, 7], "oordeel": [6, 6]},
    "doorlooptijd_dagen": {
        "bevestiging": {"mediaan": 2, "max": 10},
        "oordeel": {"mediaan": 17, "max": 18},
        "afhandeling": {"mediaan": 35.5, "max": 56},
    },
    "beroep": {"ingesteld": 1, "met_uitkomst": 1},
    "vorig_jaar": None,
}
# 2026 on 2026-11-20: 001-006. Afgehandeld 001-003; open 004-006. Opdrachtgever: 001, 003
# arbeidsdeskundige, 002 klantmanager, the rest none. Oordeel deadlines of 005 and 006 still
# run: not owed yet. Afhandeling: 32 (01-19 -> 02-20), 56 (03-09 -> 05-04), 17 (06-15 -> 07-02).
EXAMPLE_2026 = {
    "jaar": 2026,
    "ontvangen": 6,
    "afgehandeld": 3,
    "ingetrokken": 0,
    "open_op_31_december": 3,
    "per_categorie": categories(bejegening=1, communicatie=1, dienstverlening=1, planning=1, privacy=1, overig=1),
    "per_kanaal": {"mondeling": 2, "schriftelijk": 3, "brief": 1},
    "per_oordeel": {"gegrond": 2, "deels-gegrond": 1, "ongegrond": 1},
    "per_opdrachtgever": {"arbeidsdeskundige": 2, "klantmanager": 1, "onbekend": 3},
    "op_tijd": {"bevestiging": [6, 6], "oordeel": [4, 4]},
    "doorlooptijd_dagen": {
        "bevestiging": {"mediaan": 2, "max": 4},
        "oordeel": {"mediaan": 17.5, "max": 18},
        "afhandeling": {"mediaan": 32, "max": 56},
    },
    "beroep": {"ingesteld": 1, "met_uitkomst": 1},
    "vorig_jaar": {"jaar": 2025, "ontvangen": 7, "afgehandeld": 6},
}


def report_json(root: Path, year: int, today: str, tmp_path: Path) -> dict:
    out = tmp_path / f"cijfers-{year}.json"
    result = run_klachten("--root", str(root), "report", "--jaar", str(year), "--json", str(out), "--today", today)
    assert result.returncode == 0, result.stderr
    assert f"{out}: cijfers van {year}" in result.stdout
    assert out.stat().st_mode & 0o777 == 0o600
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("year, expected", [(2025, EXAMPLE_2025), (2026, EXAMPLE_2026)])
def test_json_of_the_example_register(tmp_path, year, expected):
    assert report_json(PRODUCT, year, EXAMPLE_TODAY.isoformat(), tmp_path) == expected


def test_json_keys_are_spec_s(tmp_path):
    data = report_json(PRODUCT, 2026, EXAMPLE_TODAY.isoformat(), tmp_path)
    assert list(data) == [
        "jaar", "ontvangen", "afgehandeld", "ingetrokken", "open_op_31_december", "per_categorie", "per_kanaal",
        "per_oordeel", "per_opdrachtgever", "op_tijd", "doorlooptijd_dagen", "beroep", "vorig_jaar",
    ]  # fmt: skip
    assert list(data["doorlooptijd_dagen"]) == ["bevestiging", "oordeel", "afhandeling"]
    assert list(data["vorig_jaar"]) == ["jaar", "ontvangen", "afgehandeld"]
    assert isinstance(data["doorlooptijd_dagen"]["oordeel"]["max"], int)
    assert isinstance(data["doorlooptijd_dagen"]["afhandeling"]["mediaan"], int)  # 32, not 32.0


# --- a small register written for the rules ------------------------------------------------

PROCEDURE = "start: 2024-01-01\n"
TODAY = "2025-12-01"  # 2025 still runs


def complaint(volgnummer: str, **fields: str) -> str:
    lines = [f"volgnummer: {volgnummer}", "onderwerp: Een klacht", "ontvangen_door: Jan de Vries",
             "klager:\n  naam: Anna Jansen"]  # fmt: skip
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\nTekst.\n"


JUDGED = {"directie_geinformeerd": "{d}", "directie_betrokken": "false",
          "behandelaar": "\n  rol: directie\n  naam: M. Smit"}  # fmt: skip


def judged(day: str) -> dict:
    return {k: v.format(d=day) for k, v in JUDGED.items()}


SMALL = {
    "klachten/procedure.yml": PROCEDURE,
    # A: ontvangen 02-01, bevestigd in 4 days, ongegrond in 19, afgehandeld in 24 (02-25), closed;
    # klantmanager; an appeal with its outcome.
    "klachten/2024/2024-001.md": complaint(
        "2024-001", ontvangen="2024-02-01", kanaal="schriftelijk", categorie="planning", bevestigd="2024-02-05",
        **judged("2024-02-01"), oordeel="ongegrond", oordeel_gemeld="2024-02-20", afgehandeld="2024-02-25",
        afhandeling="Uitgelegd.", opdrachtgever="\n  rol: klantmanager\n  naam: K. Manager",
        klantdossier_bijgewerkt="2024-02-26", opdrachtgever_geinformeerd="2024-02-26",
        beroep="\n  ingesteld: 2024-03-01\n  bij: klantmanager UWV\n  uitkomst: Oordeel bevestigd.",
    ),
    # B: ontvangen 12-20, bevestigd 2025-01-02 (13 days: late), gegrond in 19 days, afgehandeld
    # 2025-01-20 (31 days: in the next year, still 2024's), closed 2025-01-21: open on 2024-12-31.
    "klachten/2024/2024-002.md": complaint(
        "2024-002", ontvangen="2024-12-20", kanaal="mondeling", categorie="communicatie", bevestigd="2025-01-02",
        **judged("2024-12-20"), oordeel="gegrond", oordeel_gemeld="2025-01-08",
        afspraken="\n  - wat: Terugbellen\n    wie: Jan de Vries", afgehandeld="2025-01-20", afhandeling="Gebeld.",
        opdrachtgever="\n  rol: arbeidsdeskundige\n  naam: A. Deskundige",
        klantdossier_bijgewerkt="2025-01-21", opdrachtgever_geinformeerd="2025-01-21",
    ),
    # C: ontvangen 06-03, bevestigd next day, withdrawn 07-01: after its oordeel deadline
    # (06-24) passed undone, so that deadline was owed and missed; no judgement, no opdrachtgever.
    "klachten/2024/2024-003.md": complaint(
        "2024-003", ontvangen="2024-06-03", kanaal="schriftelijk", categorie="bejegening", bevestigd="2024-06-04",
        ingetrokken="2024-07-01",
    ),
    # D: ontvangen 2025-03-03, bevestigd in 1 day, deels gegrond in 17, afgehandeld in 29
    # (04-01); an appeal without outcome yet; step 9 not done: open, opdrachtgever unknown.
    "klachten/2025/2025-001.md": complaint(
        "2025-001", ontvangen="2025-03-03", kanaal="mondeling", categorie="overig", bevestigd="2025-03-04",
        **judged("2025-03-03"), oordeel="deels-gegrond", oordeel_gemeld="2025-03-20",
        afspraken="\n  - wat: Nieuwe afspraak\n    wie: Jan de Vries", afgehandeld="2025-04-01", afhandeling="Gedaan.",
        beroep="\n  ingesteld: 2025-04-10\n  bij: klantmanager UWV",
    ),
    # E: ontvangen 2025-11-25, nothing done yet: both deadlines still run (not owed on 12-01).
    "klachten/2025/2025-002.md": complaint("2025-002", ontvangen="2025-11-25", kanaal="schriftelijk",
                                           categorie="planning"),  # fmt: skip
}  # fmt: skip

SMALL_2024 = {
    "jaar": 2024,
    "ontvangen": 3,
    "afgehandeld": 2,
    "ingetrokken": 1,
    "open_op_31_december": 1,
    "per_categorie": categories(bejegening=1, communicatie=1, planning=1),
    "per_kanaal": {"mondeling": 1, "schriftelijk": 2, "brief": 0},
    "per_oordeel": {"gegrond": 1, "deels-gegrond": 0, "ongegrond": 1},
    "per_opdrachtgever": {"arbeidsdeskundige": 1, "klantmanager": 1, "onbekend": 1},
    "op_tijd": {"bevestiging": [2, 3], "oordeel": [2, 3]},
    "doorlooptijd_dagen": {
        "bevestiging": {"mediaan": 4, "max": 13},
        "oordeel": {"mediaan": 19, "max": 19},
        "afhandeling": {"mediaan": 27.5, "max": 31},
    },
    "beroep": {"ingesteld": 1, "met_uitkomst": 1},
    "vorig_jaar": None,  # 2023 lies before the register's first year (start 2024-01-01)
}
SMALL_2025 = {
    "jaar": 2025,
    "ontvangen": 2,
    "afgehandeld": 1,
    "ingetrokken": 0,
    "open_op_31_december": 2,  # the year runs: open today
    "per_categorie": categories(planning=1, overig=1),
    "per_kanaal": {"mondeling": 1, "schriftelijk": 1, "brief": 0},
    "per_oordeel": {"gegrond": 0, "deels-gegrond": 1, "ongegrond": 0},
    "per_opdrachtgever": {"arbeidsdeskundige": 0, "klantmanager": 0, "onbekend": 2},
    "op_tijd": {"bevestiging": [1, 1], "oordeel": [1, 1]},
    "doorlooptijd_dagen": {
        "bevestiging": {"mediaan": 1, "max": 1},
        "oordeel": {"mediaan": 17, "max": 17},
        "afhandeling": {"mediaan": 29, "max": 29},
    },
    "beroep": {"ingesteld": 1, "met_uitkomst": 0},
    "vorig_jaar": {"jaar": 2024, "ontvangen": 3, "afgehandeld": 2},
}
NOTHING = {
    "ontvangen": 0,
    "afgehandeld": 0,
    "ingetrokken": 0,
    "open_op_31_december": 0,
    "per_categorie": categories(),
    "per_kanaal": {"mondeling": 0, "schriftelijk": 0, "brief": 0},
    "per_oordeel": {"gegrond": 0, "deels-gegrond": 0, "ongegrond": 0},
    "per_opdrachtgever": {"arbeidsdeskundige": 0, "klantmanager": 0, "onbekend": 0},
    "op_tijd": {"bevestiging": [0, 0], "oordeel": [0, 0]},
    "doorlooptijd_dagen": {"bevestiging": None, "oordeel": None, "afhandeling": None},
    "beroep": {"ingesteld": 0, "met_uitkomst": 0},
}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return write_register(tmp_path_factory.mktemp("klein"), SMALL)


@pytest.mark.parametrize(
    "year, expected",
    [
        (2024, SMALL_2024),
        (2025, SMALL_2025),
        (2023, {"jaar": 2023, **NOTHING, "vorig_jaar": None}),  # before the register: nothing, no previous
        (2026, {"jaar": 2026, **NOTHING, "vorig_jaar": {"jaar": 2025, "ontvangen": 2, "afgehandeld": 1}}),
    ],
)
def test_json_of_a_hand_counted_register(small, tmp_path, year, expected):
    assert report_json(small, year, TODAY, tmp_path) == expected


def test_a_complaint_from_before_start_makes_its_year_the_first(tmp_path):
    files = dict(SMALL)
    files["klachten/2023/2023-001.md"] = complaint("2023-001", ontvangen="2023-11-06", kanaal="mondeling",
                                                   categorie="overig")  # fmt: skip
    root = write_register(tmp_path / "r", files)
    assert report_json(root, 2024, TODAY, tmp_path)["vorig_jaar"] == {"jaar": 2023, "ontvangen": 1, "afgehandeld": 0}
    assert report_json(root, 2023, TODAY, tmp_path)["vorig_jaar"] is None


# --- one function: the site page and the PDF show what the JSON says ----------------------


def shown(page: str, year: int, today: date) -> dict:
    """The JSON's figures as read back from the tables of an annual page (site or PDF)."""
    as_of = min(date(year, 12, 31), today)
    open_label = f"Nog open op {text_of_date(as_of)}"

    def count(label: str, column: int = 1) -> int:
        return int(cells(page, label)[column])

    def pair(label: str) -> list[int]:
        found = re.match(r"(\d+) van (\d+)", cells(page, label)[1])
        return [int(found[1]), int(found[2])] if found else [0, 0]

    roles = {"arbeidsdeskundige": "arbeidsdeskundige", "klantmanager": "klantmanager",
             "onbekend": "nog niet vastgelegd"}  # fmt: skip
    return {
        "ontvangen": count("Ontvangen klachten"),
        "afgehandeld": count("Daarvan afgehandeld"),
        "ingetrokken": count("Daarvan ingetrokken"),
        "open_op_31_december": count(open_label),
        "per_categorie": {c: count(c) for c in CATEGORIEEN},
        "per_kanaal": {k: count(k) for k in ("mondeling", "schriftelijk", "brief")},
        "per_oordeel": {o: count(o.replace("-", " ")) for o in ("gegrond", "deels-gegrond", "ongegrond")},
        "per_opdrachtgever": {role: count(label) for role, label in roles.items()},
        "op_tijd": {"bevestiging": pair("Ontvangst op tijd bevestigd (stap 3)"),
                    "oordeel": pair("Oordeel op tijd gemeld (stap 7)")},  # fmt: skip
        "doorlooptijd_dagen": {
            stap: _duration(cells(page, f"{stap} (stap {n})"))
            for stap, n in (("bevestiging", 3), ("oordeel", 7), ("afhandeling", 8))
        },
        "beroep_ingesteld": count("Beroep ingesteld bij UWV (stap 10)"),
    }


def _duration(row: list[str]) -> dict | None:
    if row[2] == "0":
        return None
    median = float(row[3].removesuffix(" d").replace(",", "."))
    return {"mediaan": int(median) if median.is_integer() else median, "max": int(row[4].removesuffix(" d"))}


def text_of_date(d: date) -> str:
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
              "oktober", "november", "december"]  # fmt: skip
    return f"{d.day} {months[d.month - 1]} {d.year}"


def from_json(data: dict) -> dict:
    keys = ("ontvangen", "afgehandeld", "ingetrokken", "open_op_31_december", "per_categorie", "per_kanaal",
            "per_oordeel", "per_opdrachtgever", "op_tijd", "doorlooptijd_dagen")  # fmt: skip
    return {key: data[key] for key in keys} | {"beroep_ingesteld": data["beroep"]["ingesteld"]}


@pytest.mark.parametrize(
    "which, year, expected",
    [("example", 2025, EXAMPLE_2025), ("example", 2026, EXAMPLE_2026), ("small", 2024, SMALL_2024),
     ("small", 2025, SMALL_2025)],
)  # fmt: skip
def test_site_page_and_pdf_show_the_json_figures(small, which, year, expected):
    root, today = (PRODUCT, EXAMPLE_TODAY) if which == "example" else (small, date.fromisoformat(TODAY))
    register = load_register(root)
    site = dict(report_pages(register, today))[f"jaaroverzichten/{year}/index.md"]
    pdf = annual_html(register, year, today)
    assert shown(site, year, today) == from_json(expected)
    assert shown(pdf, year, today) == from_json(expected)
    previous = expected["vorig_jaar"]
    for page in (site, pdf):
        row = cells(page, "Ontvangen klachten")
        assert row[2:] == ([str(previous["ontvangen"])] if previous else [])  # last year beside, when there is one
        if previous:
            assert cells(page, "Daarvan afgehandeld")[2] == str(previous["afgehandeld"])


def test_the_letter_page_sums_up_the_same_figures(small):
    register = load_register(small)
    words = text(annual_html(register, 2024, date.fromisoformat(TODAY)))
    assert "In 2024 ontvingen wij 3 klachten. Daarvan zijn er 2 afgehandeld en 1 ingetrokken;" in words
    assert "1 klacht was op 31 december 2024 nog in behandeling. Er ging 1 klager in beroep bij UWV." in words
    assert "Geachte heer, mevrouw," in words  # no uwv in procedure.yml and no record: no name to use
    assert "De accountmanager re-integratie UWV" in words
