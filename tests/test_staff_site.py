"""Issue 13 on the site: SPEC 4.4's first two bullets (what must be done first) and item 7 (the next
duty of an afgehandeld case, *in beroep*, a broken file that keeps what can be read)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import SPEC_COMPLAINT, build, edit, serve_directory, write_register

TODAY = date(2026, 7, 20)
HEAD = SPEC_COMPLAINT.split("\nbevestigd:")[0]  # registered only; a letter with its brief.pdf
BODY = "---\n## Omschrijving\nDe klacht.\n"


def numbered(source: str, volgnummer: str, ontvangen: str) -> str:
    return edit(edit(source, "volgnummer: 2026-007", f"volgnummer: {volgnummer}"), "ontvangen: 2026-03-02",
                f"ontvangen: {ontvangen}").replace("klachten/2026/2026-007/", f"klachten/2026/{volgnummer}/")


def letter(volgnummer: str) -> dict:
    return {f"klachten/2026/{volgnummer}/brief.pdf": b"%PDF-1.4\n"}


JUDGED = SPEC_COMPLAINT.split("voortgang:")[0]
HANDLED = SPEC_COMPLAINT.split("opdrachtgever:")[0]
APPEAL = SPEC_COMPLAINT.replace("  uitkomst: Klacht alsnog gegrond verklaard.\n", "")
REGISTER = {
    "klachten/procedure.yml": "start: 2025-01-01\n",
    # bevestiging overdue (due 2026-07-08), oordeel due 2026-07-22: nearing
    "klachten/2026/2026-001.md": numbered(HEAD, "2026-001", "2026-07-01") + "\n" + BODY,
    # judged; its afspraak was due 2026-07-10
    "klachten/2026/2026-002.md": numbered(edit(JUDGED, "2026-04-01", "2026-07-10"), "2026-002", "2026-03-02") + BODY,
    # afgehandeld, step 9 still open (no deadline in procedure.yml)
    "klachten/2026/2026-003.md": numbered(HANDLED, "2026-003", "2026-03-02") + BODY,
    # closed, then an appeal without its outcome
    "klachten/2026/2026-004.md": numbered(APPEAL, "2026-004", "2026-03-02"),
    # broken YAML on the onderwerp line, not confirmed: due 2026-07-09
    "klachten/2026/2026-005.md": numbered(edit(HEAD, "onderwerp: Terugkoppeling na intake bleef uit",
                                               'onderwerp: "Terugkoppeling na intake'), "2026-005", "2026-07-02")
    + "\n" + BODY,
    # 2025-H1 evaluated, its action due 2026-06-30 not done; 2025-H2 and the 2025 overview missing
    "klachten/evaluaties/2025-H1.md": "---\nperiode: 2025-H1\ndatum: 2025-08-01\ndeelnemers:\n  - R. Directeur\n"
    "acties:\n  - wat: Wachttijd bewaken\n    wie: R. Directeur\n    uiterlijk: 2026-06-30\n---\nVerslag.\n",
    **letter("2026-001"), **letter("2026-002"), **letter("2026-003"), **letter("2026-004"), **letter("2026-005"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("staff-site")
    write_register(root, REGISTER)
    assert build(root, TODAY) == 0
    return root


def page(root: Path, url: str) -> str:
    return (root / "site" / url.strip("/") / "index.html").read_text(encoding="utf-8")


def section(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def plain(html: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_index_starts_with_every_overdue_or_nearing_duty(site):
    index = page(site, "/")
    todo = section(index, 'id="te-doen"', "<table")
    assert index.index('id="te-doen"') < index.index("<table")  # above the tables
    import re

    assert re.findall(r'<h2 id="([^"]+)"', index)[0] == "te-doen"  # the page starts with it
    items = [plain(li) for li in todo.split("<li")[1:]]
    expected = [
        ("verlopen", "evaluatie 2025-H2", "stap 11"),
        ("verlopen", "jaaroverzicht 2025", "stap 12"),
        ("verlopen", "evaluatie 2025-H1", "actie 1"),
        ("verlopen", "klacht 2026-005", "stap 3"),  # a broken file keeps its deadlines
        ("verlopen", "klacht 2026-001", "stap 3"),
        ("verlopen", "klacht 2026-002", "afspraak 1"),
        ("nadert", "klacht 2026-001", "stap 7"),
    ]
    for words in expected:
        assert any(all(w in item for w in words) for item in items), (words, items)
    assert len(items) == len(expected)
    assert items.index(next(i for i in items if "nadert" in i)) == len(items) - 1  # overdue ones first
    assert any("nog 2 dagen" in i for i in items) and any("10 dagen over de termijn" in i for i in items)
    assert 'href="klachten/2026-002/"' in todo and 'href="evaluaties/2025-h1/"' in todo


def test_an_afgehandeld_case_shows_step_9_as_its_next_duty(site):
    index = page(site, "/")
    row = next(r for r in index.split("<tr")[1:] if "klachten/2026-003/" in r)
    assert "opdrachtgever (stap 9): zonder termijn" in plain(row)
    complaint = page(site, "/klachten/2026-003/")
    box = section(complaint, "Volgende stap", "</div>")
    assert "stap 9" in plain(box) and "zonder termijn" in plain(box)
    assert complaint.index("Volgende stap") < complaint.index('id="gegevens"')


def test_a_pending_appeal_is_in_beroep_and_open(site):
    index = page(site, "/")
    open_section = section(index, 'id="open-dossiers"', 'id="2026"')
    row = next(r for r in open_section.split("<tr")[1:] if "klachten/2026-004/" in r)
    assert "in beroep" in plain(row) and "gesloten" not in plain(row)
    assert "beroep (stap 10): zonder termijn" in plain(row)  # the outcome is still to be recorded
    complaint = page(site, "/klachten/2026-004/")
    assert "Status: in beroep" in plain(complaint)
    assert "zodra UWV over het beroep heeft beslist" in plain(section(complaint, "Volgende stap", "</div>"))


def test_a_complaint_page_says_its_overdue_duties_above_its_fields(site):
    complaint = page(site, "/klachten/2026-001/")
    box = plain(section(complaint, "Termijn verlopen", "</div>"))
    assert "stap 3" in box and "12 dagen over de termijn" in box
    assert complaint.index("Termijn verlopen") < complaint.index('id="gegevens"')
    judged = page(site, "/klachten/2026-002/")
    assert "afspraak 1" in plain(section(judged, "Termijn verlopen", "</div>"))
    assert "afspraak 1: uiterlijk 2026-07-10 (verlopen)" in plain(section(judged, "kr-tijdlijn", "</ol>"))


def test_a_file_with_a_yaml_error_keeps_on_the_index_what_can_be_read(site):
    index = page(site, "/")
    row = plain(next(r for r in index.split("<tr")[1:] if "klachten/2026-005/" in r))
    assert "onleesbaar" in row and "ontvangen" in row  # the status that could be read, marked
    assert "bevestiging (stap 3): 2026-07-09" in row and "11 dagen over de termijn" in row
    complaint = plain(page(site, "/klachten/2026-005/"))
    assert "Dit bestand is onleesbaar" in complaint and "Anna Jansen" in complaint  # klager.naam was readable


def test_in_the_browser_the_duties_come_before_the_tables(site, chromium):
    with serve_directory(site / "site") as base:
        browser_page = chromium.new_page(viewport={"width": 1280, "height": 800})
        browser_page.goto(f"{base}/")
        todo = browser_page.locator("#te-doen").bounding_box()
        table = browser_page.locator("table").first.bounding_box()
        assert todo is not None and table is not None and todo["y"] < table["y"]
        assert todo["y"] < 800  # visible without scrolling
        browser_page.goto(f"{base}/klachten/2026-001/")
        alert = browser_page.locator(".kr-termijn").bounding_box()
        fields = browser_page.locator("#gegevens").bounding_box()
        assert alert is not None and fields is not None and alert["y"] < fields["y"] and alert["y"] < 800
        browser_page.close()
