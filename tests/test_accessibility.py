"""Every page type of the site for every reader, measured with tools nobody here wrote:
WCAG 2.1 A/AA by axe-core (no violations, on a desktop and on a phone), no page-wide sideways
scrolling on a 390 px phone (the index shows volgnummer, status and next deadline without a
swipe), and a print layout that keeps every column on A4 and every heading with what follows.

Debian's chromium through Playwright; axe-core from npm, pinned by tests/axe/package-lock.json
(`npm ci --prefix tests/axe`, as .ci/run does). Without axe-core the axe tests skip, unless
KLACHTEN_REQUIRE_AXE is set (.ci/run sets it): then they fail."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLE_TODAY, PRODUCT, basic_fields, build, git, require_tool, serve_directory, write_complaint

AXE = Path(__file__).parent / "axe/node_modules/axe-core/axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Print layout width: A4 (210 mm) less the print stylesheet's @page margins (2 x 12 mm), in CSS px.
A4_WIDTH = round((210 - 2 * 12) / 25.4 * 96)

# One page of every type; the complaint pages together show every state a step can have.
PAGES = {
    "index": "/",
    "klacht-verlopen": "/klachten/2026-007/",
    "klacht-te-laat": "/klachten/2025-004/",
    "klacht-ingetrokken": "/klachten/2025-005/",
    "klacht-beroep": "/klachten/2025-002/",
    "klacht-nieuw": "/klachten/2026-006/",
    "evaluaties": "/evaluaties/",
    "evaluatie": "/evaluaties/2026-h1/",
    "evaluatie-lopend": "/evaluaties/2026-h2/",
    "jaaroverzichten": "/jaaroverzichten/",
    "jaaroverzicht": "/jaaroverzichten/2025/",
    "jaaroverzicht-concept": "/jaaroverzichten/2026/",
    "procedure": "/procedure/",
    "handleiding": "/handleiding/",
    "github": "/github/",
    "privacy": "/privacy/",
    "velden": "/velden/",
    "regels": "/regels/",
}
STEP_STATES = {"op-tijd", "te-laat", "verlopen", "nadert", "open", "vervallen", "gedaan", "nvt"}
INDEX_COLUMNS = [
    "Volgnummer",
    "Onderwerp",
    "Categorie",
    "Status",
    "Behandelaar",
    "Volgende termijn",
    "Dagen",
    "Signalen",
]

# A complaint received by letter on 1 November: on 20 November its confirmation is overdue and
# its judgement nearly due; one attachment is shown in the text, one is missing.
LATE_LETTER = """## Omschrijving
Klager schreef een brief over een [afspraak](https://example.invalid/afspraak) die niet doorging.

![Scan van de brief](2026-007/scan.png)

| Datum | Wat |
|---|---|
| 2026-10-28 | Afspraak afgezegd |
"""
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e7b0e9f90000000049454e44ae426082"
)
# A field shown as a table that is wider than a phone (it must scroll in its own box).
AGREEMENT = "\n  - wat: Nieuwe afspraak maken\n    wie: Klachtencoördinatiemedewerker\n    uiterlijk: 2026-11-30"
MINUTES_LINK = "\nZie ook [de klachtenregeling](https://example.invalid/klachtenregeling) van het bedrijf.\n"


def write_full_register(root: Path) -> None:
    """The example register in Git, plus a late letter with attachments and a link in the
    minutes of 2026-H1, and one uncommitted change: every page type and every state."""
    shutil.copytree(PRODUCT / "klachten", root / "klachten")
    minutes = root / "klachten/evaluaties/2026-H1.md"
    minutes.write_text(minutes.read_text(encoding="utf-8") + MINUTES_LINK, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Voorbeeldregister", when="2026-11-02T10:00:00+01:00")
    fields = basic_fields("2026-11-01", "Brief over een afgezegde afspraak", kanaal="brief", afspraken=AGREEMENT)
    write_complaint(root, "2026-007", body=LATE_LETTER, bijlagen="\n  - brief.pdf\n  - scan.png\n  - weg.pdf", **fields)
    (root / "klachten/2026/2026-007").mkdir()
    (root / "klachten/2026/2026-007/brief.pdf").write_bytes(b"%PDF-1.4\n")
    (root / "klachten/2026/2026-007/scan.png").write_bytes(PNG)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Klacht 2026-007 geregistreerd", author="Jan de Vries")
    dirty = root / "klachten/2026/2026-006.md"
    dirty.write_text(dirty.read_text(encoding="utf-8") + "\nNog niet vastgelegd.\n", encoding="utf-8")


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("toegankelijk")
    write_full_register(root)
    assert build(root, EXAMPLE_TODAY) == 0
    with serve_directory(root / "site") as base:
        yield base


@pytest.fixture(scope="module")
def tab(chromium):
    context = chromium.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    if AXE.exists():
        return AXE.read_text(encoding="utf-8")
    if os.environ.get("KLACHTEN_REQUIRE_AXE"):
        pytest.fail(f"{AXE} ontbreekt en KLACHTEN_REQUIRE_AXE is gezet (npm ci --prefix tests/axe)")
    pytest.skip("axe-core ontbreekt: npm ci --prefix tests/axe")


def open_page(tab, url: str, viewport: dict, media: str = "screen") -> None:
    tab.set_viewport_size(viewport)
    tab.emulate_media(media=media)
    tab.goto(url)  # waits for the load event: Material has wrapped the tables, the theme marked them


def axe_violations(tab, source: str) -> list[str]:
    """axe-core's WCAG 2.0/2.1 A and AA violations of the open page, one line per rule."""
    if not tab.evaluate("typeof axe !== 'undefined'"):
        tab.add_script_tag(content=source)
    options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
    result = tab.evaluate("options => axe.run(document, options)", options)
    return [f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']][:5]})" for v in result["violations"]]


# --- WCAG 2.1 AA --------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "telefoon"])
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_wcag_aa_violations(tab, site_url, axe_source, path, viewport):
    open_page(tab, site_url + path, viewport)
    assert axe_violations(tab, axe_source) == []


def test_the_complaint_pages_checked_show_every_step_state(tab, site_url):
    seen = set()
    for path in (p for p in PAGES.values() if p.startswith("/klachten/")):
        open_page(tab, site_url + path, DESKTOP)
        seen |= set(tab.eval_on_selector_all("ol.kr-tijdlijn > li", "items => items.map(li => li.className)"))
    assert {name.removeprefix("kr-stap-") for name in seen} == STEP_STATES
    open_page(tab, site_url + "/klachten/2026-007/", DESKTOP)
    assert tab.locator(".kr-bijlagen a").count() == 2 and "weg.pdf ontbreekt" in tab.inner_text(".kr-bijlagen")
    assert tab.locator(".kr-tekst img[alt='Scan van de brief']").count() == 1
    assert tab.locator(".kr-geschiedenis tbody tr").count() == 1


def test_links_in_running_text_are_underlined(tab, site_url):
    open_page(tab, site_url + "/evaluaties/2026-h1/", DESKTOP)
    links = tab.eval_on_selector_all(
        ".kr-volgnummers a, .kr-verslag a", "links => links.map(a => getComputedStyle(a).textDecorationLine)"
    )
    assert len(links) >= 3 and set(links) == {"underline"}


# --- phone --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_page_wide_sideways_scrolling_on_a_phone(tab, site_url, path):
    open_page(tab, site_url + path, PHONE)
    width, inner = tab.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width <= inner


INDEX_CELLS = """names => [...document.querySelectorAll('.kr-index table')].flatMap(table => {
  const headers = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
  return [...table.querySelectorAll('tbody tr')].slice(0, 3).flatMap(tr => names.map(name => {
    const cell = tr.children[headers.indexOf(name)], box = cell.getBoundingClientRect();
    return {name, text: cell.textContent, left: box.left, right: box.right, width: box.width,
            visible: cell.checkVisibility({visibilityProperty: true})};
  }));
})"""


def test_the_index_shows_volgnummer_status_and_next_deadline_on_a_phone(tab, site_url):
    open_page(tab, site_url + "/", PHONE)
    cells = tab.evaluate(INDEX_CELLS, ["Volgnummer", "Status", "Volgende termijn"])
    assert len(cells) >= 3 * 3 * 3  # the open dossiers and two years, three rows each
    assert any(c["name"] == "Volgende termijn" and "2026-11-08" in c["text"] for c in cells)
    for cell in cells:
        assert cell["visible"] and cell["width"] > 0, cell
        assert cell["left"] >= 0 and cell["right"] <= PHONE["width"], cell


def test_every_value_on_the_phone_index_is_labelled_with_its_column(tab, site_url):
    """The phone layout's labels live in klachten.css by column position: they must stay the
    template's column headers."""
    open_page(tab, site_url + "/", PHONE)
    headers = tab.eval_on_selector(".kr-index thead tr", "tr => [...tr.children].map(th => th.textContent.trim())")
    assert headers == INDEX_COLUMNS
    labels = tab.eval_on_selector(
        ".kr-index tbody tr", "tr => [...tr.children].map(td => getComputedStyle(td, '::before').content)"
    )
    assert labels == ["none"] + [f'"{name}"' for name in INDEX_COLUMNS[1:]]


# --- print --------------------------------------------------------------------------------

CUT_CELLS = """width => [...document.querySelectorAll('article th, article td')]
  .filter(cell => !cell.checkVisibility({visibilityProperty: true}) || cell.getBoundingClientRect().right > width + 0.5)
  .map(cell => cell.textContent.trim().slice(0, 40))"""


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_print_cuts_no_table_column(tab, site_url, path):
    open_page(tab, site_url + path, {"width": A4_WIDTH, "height": 1100}, media="print")
    assert tab.evaluate(CUT_CELLS, A4_WIDTH) == []
    assert tab.evaluate("document.documentElement.scrollWidth") <= A4_WIDTH


def test_print_shows_every_index_column(tab, site_url):
    open_page(tab, site_url + "/", {"width": A4_WIDTH, "height": 1100}, media="print")
    headers = tab.eval_on_selector_all(
        ".kr-index thead th", "ths => ths.filter(th => th.checkVisibility()).map(th => th.textContent.trim())"
    )
    assert headers == INDEX_COLUMNS * (len(headers) // len(INDEX_COLUMNS)) and len(headers) >= 3 * 8


@pytest.mark.parametrize(
    ("path", "charts"),
    [("/", 0), ("/klachten/2026-007/", 0), ("/evaluaties/2026-h1/", 4), ("/jaaroverzichten/2025/", 4)],
)
def test_print_keeps_headings_with_what_follows_and_charts_whole(tab, site_url, path, charts):
    open_page(tab, site_url + path, {"width": A4_WIDTH, "height": 1100}, media="print")
    headings = tab.eval_on_selector_all(
        "article :is(h1, h2, h3, h4, h5, h6)", "hs => hs.map(h => getComputedStyle(h).breakAfter)"
    )
    assert len(headings) >= 3 and set(headings) == {"avoid"}
    blocks = tab.eval_on_selector_all(
        ".kr-grafiek, article figure", "els => els.map(e => getComputedStyle(e).breakInside)"
    )
    assert len(blocks) >= charts and set(blocks) <= {"avoid"}


def printed_pages(tab, pdf: Path) -> list[str]:
    """Print the open page as Chromium does (the stylesheet's A4 @page); the text of each page."""
    tab.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")[:-1]


def test_printed_annual_page_ends_no_page_with_a_heading(tab, site_url, tmp_path):
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (apt-get install poppler-utils)")
    open_page(tab, site_url + "/jaaroverzichten/2025/", DESKTOP, media="print")
    texts = tab.eval_on_selector_all("article :is(h2, h3)", "hs => hs.map(h => h.textContent)")
    headings = {text.removesuffix("¶").strip() for text in texts}  # without Material's permalink sign
    pages = printed_pages(tab, tmp_path / "jaaroverzicht.pdf")
    last_lines = [next(line for line in reversed(page.splitlines()) if line.strip()).strip() for page in pages]
    assert len(pages) >= 2 and headings
    assert [line for line in last_lines if line in headings] == []
