"""Evaluations and annual overviews owed in quiet periods show on the site's index pages.

`klachten check` reports a missing evaluation or overview for every period since `start`,
complaints or not; the indexes of /evaluaties/ and /jaaroverzichten/ must list the same
periods with the same state. Detail pages keep SPEC's rule: a half-year with complaints or a
record, a year with complaints. Registers are built with the installed `klachten` command.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import run_klachten, write_register
from klachtenregister.register import load_register
from klachtenregister.site.period_pages import report_pages

TODAY = "2026-11-20"


def built(root: Path) -> Path:
    result = run_klachten("build", "--today", TODAY, "--root", str(root))
    assert result.returncode == 0, result.stderr
    return root


def article(root: Path, url: str) -> str:
    page = (root / "site" / url / "index.html").read_text(encoding="utf-8")
    return page[page.index("<article") : page.index("</article>")]


def plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def table(fragment: str) -> dict[str, list[str]]:
    """Body rows of the index table: first word of the first cell -> every cell's HTML."""
    body = fragment[fragment.index("<tbody>") : fragment.index("</tbody>")]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    return {plain(cells[0]).split()[0]: cells for cells in rows}


def texts(rows: dict[str, list[str]], key: str) -> list[str]:
    return [plain(cell) for cell in rows[key]]


def linked(fragment: str) -> set[str]:
    return set(re.findall(r'<td><a href="([^"]+)/">', fragment))


def overdue_in_check(root: Path) -> dict[str, set[str]]:
    """stap -> periods `klachten check` reports as termijn-verlopen."""
    result = run_klachten("check", "--today", TODAY, "--format", "json", "--root", str(root))
    found: dict[str, set[str]] = {"evaluatie": set(), "jaaroverzicht": set()}
    for f in json.loads(result.stdout)["findings"]:
        if f["code"] == "termijn-verlopen" and f["stap"] in found:
            found[f["stap"]].add(re.search(r" (\d{4}(?:-H[12])?) is niet gedaan", f["message"]).group(1))
    return found


def states(rows: dict[str, list[str]], column: int) -> dict[str, str]:
    """Period -> the state word of its badge in `column`."""
    return {key: plain(re.search(r'<span class="kr-state [^"]+">([^<]+)</span>', cells[column]).group(1))
            for key, cells in rows.items()}  # fmt: skip


# --- a register without any complaint ----------------------------------------------------


@pytest.fixture(scope="module")
def quiet(tmp_path_factory) -> Path:
    return built(write_register(tmp_path_factory.mktemp("stil"), {"klachten/procedure.yml": "start: 2025-01-01\n"}))


def test_quiet_register_lists_every_owed_evaluation(quiet):
    index = article(quiet, "evaluaties")
    rows = table(index)
    assert states(rows, 2) == {
        "2026-H2": "loopt nog",
        "2026-H1": "verlopen",
        "2025-H2": "verlopen",
        "2025-H1": "verlopen",
    }
    assert list(rows) == ["2026-H2", "2026-H1", "2025-H2", "2025-H1"]  # newest first
    assert texts(rows, "2025-H1")[1:] == ["0", "verlopen nog geen verslag vastgelegd; uiterlijk 28 september 2025", "0"]
    assert "Voor 2025-H1, 2025-H2, 2026-H1 is de termijn verstreken" in plain(index)
    assert "Nog geen halfjaren" not in index
    assert linked(index) == set() and not (quiet / "site/evaluaties/2025-h1").exists()  # SPEC's URL rule


def test_quiet_register_lists_every_owed_annual_overview(quiet):
    index = article(quiet, "jaaroverzichten")
    rows = table(index)
    assert states(rows, 2) == {"2026": "concept", "2025": "verlopen"}
    assert texts(rows, "2025")[2] == "verlopen nog niet verzonden; uiterlijk 31 maart 2026"
    assert "Het jaaroverzicht over 2025 is na de termijn nog niet verzonden" in plain(index)
    assert "klachten report --jaar JJJJ --pdf" in plain(index) and linked(index) == set()


def test_quiet_indexes_say_what_check_says(quiet):
    overdue = overdue_in_check(quiet)
    assert overdue["evaluatie"] == {"2025-H1", "2025-H2", "2026-H1"}
    assert {k for k, v in states(table(article(quiet, "evaluaties")), 2).items() if v == "verlopen"} == overdue[
        "evaluatie"
    ]
    assert {k for k, v in states(table(article(quiet, "jaaroverzichten")), 2).items() if v == "verlopen"} == overdue[
        "jaaroverzicht"
    ]


# --- complaints in some periods, records in others ---------------------------------------


def complaint(volgnummer: str, ontvangen: str) -> str:
    return (
        f"---\nvolgnummer: {volgnummer}\nonderwerp: Wachttijd\nontvangen: {ontvangen}\nkanaal: mondeling\n"
        "ontvangen_door: Jan de Vries\nklager:\n  naam: Anna Jansen\ncategorie: planning\n---\nTekst.\n"
    )


def evaluation(periode: str, datum: str) -> str:
    return f"---\nperiode: {periode}\ndatum: {datum}\ndeelnemers:\n  - R. Directeur\n---\nVerslag.\n"


MIXED = {
    "klachten/procedure.yml": "start: 2025-01-01\n",
    "klachten/2024/2024-001.md": complaint("2024-001", "2024-11-05"),  # before start: not owed
    "klachten/2026/2026-001.md": complaint("2026-001", "2026-02-02"),
    "klachten/evaluaties/2025-H1.md": evaluation("2025-H1", "2025-10-15"),  # due 2025-09-28: late
    "klachten/evaluaties/2025-H2.md": evaluation("2025-H2", "2026-03-01"),  # due 2026-03-31: on time
    "klachten/jaaroverzichten/2025.md": "---\njaar: 2025\nverzonden: 2026-03-01\naan: W. Accountmanager\n---\n",
}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    return built(write_register(tmp_path_factory.mktemp("gemengd"), MIXED))


def test_mixed_register_evaluation_index(mixed):
    index = article(mixed, "evaluaties")
    rows = table(index)
    assert states(rows, 2) == {
        "2026-H2": "loopt nog",  # running, no complaints: listed, no page
        "2026-H1": "verlopen",  # a complaint, no record
        "2025-H2": "op tijd",  # held on time
        "2025-H1": "te laat",  # held after the term
        "2024-H2": "n.v.t.",  # before start, but it has a complaint
    }
    held = "overleg gehouden op 15 oktober 2025; termijn tot en met 28 september 2025"
    assert texts(rows, "2025-H1")[2].endswith(held)
    # A page for a half-year with complaints or a record; every link resolves.
    assert linked(index) == {"2026-h1", "2025-h2", "2025-h1", "2024-h2"}
    for slug in linked(index):
        assert (mixed / "site/evaluaties" / slug / "index.html").is_file()
    assert not (mixed / "site/evaluaties/2026-h2").exists()
    assert "Voor 2026-H1 is de termijn verstreken" in plain(index)


def test_mixed_register_annual_index(mixed):
    index = article(mixed, "jaaroverzichten")
    rows = table(index)
    assert states(rows, 2) == {"2026": "concept", "2025": "op tijd", "2024": "n.v.t."}
    assert texts(rows, "2025")[1:] == ["0", "op tijd verzonden op 1 maart 2026; termijn tot en met 31 maart 2026"]
    assert linked(index) == {"2026", "2024"}  # a page per year with complaints
    assert not (mixed / "site/jaaroverzichten/2025").exists()
    assert "verlopen" not in plain(index)
    assert overdue_in_check(mixed) == {"evaluatie": {"2026-H1"}, "jaaroverzicht": set()}


# --- boundaries ----------------------------------------------------------------------------


def index_rows(tmp_path: Path, start: str, today: date) -> tuple[dict, dict, str]:
    write_register(tmp_path, {"klachten/procedure.yml": f"start: {start}\n"})
    pages = dict(report_pages(load_register(tmp_path), today))
    evaluations = pages["evaluaties/index.md"]
    rows = table(evaluations) if "<tbody>" in evaluations else {}
    years = table(pages["jaaroverzichten/index.md"]) if "<tbody>" in pages["jaaroverzichten/index.md"] else {}
    return rows, years, evaluations


@pytest.mark.parametrize(
    ("today", "halves", "years"),
    [
        (date(2026, 6, 30), {"2026-H1": "loopt nog"}, {"2026": "concept"}),  # H1's last day: still running
        (date(2026, 7, 1), {"2026-H2": "loopt nog", "2026-H1": "open"}, {"2026": "concept"}),
        (date(2026, 9, 29), {"2026-H2": "loopt nog", "2026-H1": "verlopen"}, {"2026": "concept"}),  # due 09-28
        (date(2027, 1, 1), {"2027-H1": "loopt nog", "2026-H2": "open", "2026-H1": "verlopen"},
         {"2027": "concept", "2026": "open"}),
    ],
)  # fmt: skip
def test_running_and_owed_periods_at_the_boundaries(tmp_path, today, halves, years):
    rows, year_rows, _ = index_rows(tmp_path, "2026-01-01", today)
    assert states(rows, 2) == halves and states(year_rows, 2) == years


def test_nothing_is_owed_before_the_register_starts(tmp_path):
    rows, years, page = index_rows(tmp_path, "2027-01-01", date(2026, 11, 20))
    assert rows == {} and years == {}
    assert "Nog geen halfjaren: het register start op 1 januari 2027" in plain(page)
