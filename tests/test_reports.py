"""Steps 11 and 12: evaluation pages, annual overviews for UWV, `klachten report` (PDF, CSV).

The expected figures of the example register (klachten/ of the product, "today" 2026-11-20)
are derived BY HAND from the files and written here as literals; each block says how. Terms:
bevestiging 7 days, oordeel 21 days after `ontvangen` (klachten/procedure.yml).

Per complaint (ontvangen, kanaal, categorie, uitkomst, days to bevestigd / oordeel_gemeld,
closed = later of the two step-9 dates or ingetrokken, beroep):
  2025-001  02-10 mondeling    bejegening       gegrond        2 / 14   closed 2025-03-17
  2025-002  03-17 brief        facturatie       ongegrond      2 / 17   closed 2025-04-04  beroep
  2025-003  04-14 schriftelijk planning         deels-gegrond  2 / 18   closed 2025-05-30
  2025-004  06-02 schriftelijk communicatie     gegrond       10 / 18   closed 2025-07-14  (bevestigd late: due 06-09)
  2025-005  08-11 schriftelijk dienstverlening  ingetrokken    2 / -    withdrawn 2025-08-20 (oordeel: vervallen)
  2025-006  10-06 mondeling    privacy          ongegrond      2 / 17   closed 2025-10-27
  2025-007  12-08 schriftelijk dienstverlening  deels-gegrond  2 / 14   closed 2026-02-03
  2026-001  01-19 brief        planning         gegrond        3 / 17   closed 2026-02-23
  2026-002  03-09 mondeling    dienstverlening  deels-gegrond  2 / 18   closed 2026-05-06  beroep
  2026-003  06-15 schriftelijk overig           ongegrond      1 / 17   closed 2026-07-03
  2026-004  10-05 schriftelijk bejegening       gegrond        2 / 18   open
  2026-005  11-04 mondeling    communicatie     (geen oordeel) 2 / -    open (oordeel due 11-25: open)
  2026-006  11-16 schriftelijk privacy          (geen oordeel) 4 / -    open (oordeel due 12-07: open)
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import CHROMIUM, EXAMPLE_TODAY, PRODUCT, require_tool, serve_directory
from klachtenregister.deadlines import DeadlineBook
from klachtenregister.periods import half_year_bounds, year_bounds
from klachtenregister.register import load_register
from klachtenregister.report import CSV_COLUMNS, csv_text
from klachtenregister.site import charts, figures
from klachtenregister.site.period_pages import annual_html, report_pages, report_periods

# --- hand-derived figures ------------------------------------------------------------------

# Per period: received; per month (in period order); per kanaal (mondeling, schriftelijk, brief);
# per uitkomst (gegrond, deels-gegrond, ongegrond, ingetrokken, nog geen oordeel); days to
# bevestiging (median, longest) and to oordeel; deadlines met / decided per step; open at the
# end of the period (every complaint received by then and not closed by then); appeals.
EXPECTED = {
    # 2025-H1: 001-004. Months jan..jun: feb, mar, apr, jun one each. Bevestiging 2,2,2,10 ->
    # median 2, longest 10, 3 of 4 on time (004 late). Oordeel 14,17,18,18 -> median 17,5,
    # longest 18, all 4 within 21. Open on 2025-06-30: only 004 (closed 07-14). Beroep: 002.
    "2025-H1": {
        "ontvangen": 4,
        "maanden": [0, 1, 1, 1, 0, 1],
        "kanaal": [1, 2, 1],
        "uitkomst": [2, 1, 1, 0, 0],
        "bevestiging": (2, 10),
        "oordeel": (17.5, 18),
        "termijn_bevestiging": (3, 4),
        "termijn_oordeel": (4, 4),
        "open": ["2025-004"],
        "beroep": ["2025-002"],
        "afgehandeld": 4,
    },
    # 2025-H2: 005-007. Months jul..dec: aug, oct, dec. Bevestiging 2,2,2. Oordeel 17 (006),
    # 14 (007) -> median 15,5; 005 withdrawn before a judgement: its oordeel deadline is
    # "vervallen" and not counted. Open on 2025-12-31: 007 (closed 2026-02-03). No appeal.
    "2025-H2": {
        "ontvangen": 3,
        "maanden": [0, 1, 0, 1, 0, 1],
        "kanaal": [1, 2, 0],
        "uitkomst": [0, 1, 1, 1, 0],
        "bevestiging": (2, 2),
        "oordeel": (15.5, 17),
        "termijn_bevestiging": (3, 3),
        "termijn_oordeel": (2, 2),
        "open": ["2025-007"],
        "beroep": [],
        "afgehandeld": 2,
    },
    # 2026-H1: 2026-001..003. Months: jan, mar, jun. Bevestiging 3,2,1 -> median 2, longest 3.
    # Oordeel 17,18,17 -> median 17. Open on 2026-06-30: 003 (closed 07-03). Beroep: 002.
    "2026-H1": {
        "ontvangen": 3,
        "maanden": [1, 0, 1, 0, 0, 1],
        "kanaal": [1, 1, 1],
        "uitkomst": [1, 1, 1, 0, 0],
        "bevestiging": (2, 3),
        "oordeel": (17, 18),
        "termijn_bevestiging": (3, 3),
        "termijn_oordeel": (3, 3),
        "open": ["2026-003"],
        "beroep": ["2026-002"],
        "afgehandeld": 3,
    },
    # 2026-H2 (runs until 12-31; figures up to today 2026-11-20): 004-006. Months: oct 1, nov 2.
    # Bevestiging 2,2,4 -> median 2, longest 4. Oordeel only 004: 18. Oordeel deadlines of 005
    # and 006 are still open and not counted. Open on 2026-11-20: 004, 005, 006.
    "2026-H2": {
        "ontvangen": 3,
        "maanden": [0, 0, 0, 1, 2, 0],
        "kanaal": [1, 2, 0],
        "uitkomst": [1, 0, 0, 0, 2],
        "bevestiging": (2, 4),
        "oordeel": (18, 18),
        "termijn_bevestiging": (3, 3),
        "termijn_oordeel": (1, 1),
        "open": ["2026-004", "2026-005", "2026-006"],
        "beroep": [],
        "afgehandeld": 0,
    },
    # 2025: the two halves together. Bevestiging 2,2,2,10,2,2,2 -> median 2, longest 10, 6 of 7.
    # Oordeel 14,17,18,18,17,14 -> sorted 14,14,17,17,18,18 -> median 17, longest 18, 6 of 6.
    # Open on 2025-12-31: 2025-007.
    "2025": {
        "ontvangen": 7,
        "maanden": [0, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1],
        "kanaal": [2, 4, 1],
        "uitkomst": [2, 2, 2, 1, 0],
        "bevestiging": (2, 10),
        "oordeel": (17, 18),
        "termijn_bevestiging": (6, 7),
        "termijn_oordeel": (6, 6),
        "open": ["2025-007"],
        "beroep": ["2025-002"],
        "afgehandeld": 6,
    },
    # 2026 (concept): bevestiging 3,2,1,2,2,4 -> sorted 1,2,2,2,3,4 -> median 2, longest 4.
    # Oordeel 17,18,17,18 -> median 17,5, longest 18.
    "2026": {
        "ontvangen": 6,
        "maanden": [1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 2, 0],
        "kanaal": [2, 3, 1],
        "uitkomst": [2, 1, 1, 0, 2],
        "bevestiging": (2, 4),
        "oordeel": (17.5, 18),
        "termijn_bevestiging": (6, 6),
        "termijn_oordeel": (4, 4),
        "open": ["2026-004", "2026-005", "2026-006"],
        "beroep": ["2026-002"],
        "afgehandeld": 3,
    },
}
# Per category in procedure.yml order (bejegening, communicatie, dienstverlening, planning,
# privacy, facturatie, overig), counted from the table above.
CATEGORIES = {
    "2025-H1": [1, 1, 0, 1, 0, 1, 0],
    "2025-H2": [0, 0, 2, 0, 1, 0, 0],
    "2026-H1": [0, 0, 1, 1, 0, 0, 1],
    "2026-H2": [1, 1, 0, 0, 1, 0, 0],
    "2025": [1, 1, 2, 1, 1, 1, 0],
    "2026": [1, 1, 1, 1, 1, 0, 1],
}
UITKOMSTEN = ["gegrond", "deels gegrond", "ongegrond", "ingetrokken", "nog geen oordeel"]
KANALEN = ["mondeling", "schriftelijk", "brief"]
CATEGORIEEN = ["bejegening", "communicatie", "dienstverlening", "planning", "privacy", "facturatie", "overig"]


@pytest.fixture(scope="module")
def example():
    return load_register(PRODUCT)


@pytest.fixture(scope="module")
def pages(example) -> dict[str, str]:
    return dict(report_pages(example, EXAMPLE_TODAY))


def text(fragment: str) -> str:
    """Visible text of HTML (SVG titles and labels included), whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def cells(fragment: str, first: str) -> list[str]:
    """The cells (visible text) of the first table row whose first cell reads `first`."""
    for tr in re.findall(r"<tr\b.*?</tr>", fragment, re.S):
        found = [text(c) for c in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", tr, re.S)]
        if found and found[0] == first:
            return found
    raise AssertionError(f"geen rij '{first}'")


def nl(value: float) -> str:
    return charts.getal(value)


def period_key(name: str) -> tuple[date, date]:
    return half_year_bounds(name) if "-H" in name else year_bounds(int(name))


# --- the figures themselves ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_period_stats_match_the_hand_derived_figures(example, name):
    e = EXPECTED[name]
    first, last = period_key(name)
    book = DeadlineBook.of_register(example, EXAMPLE_TODAY)
    s = figures.period_stats(example.complaints, example.procedure, first, last, EXAMPLE_TODAY, book)
    assert s.ontvangen == e["ontvangen"]
    assert [n for _m, n in s.per_maand] == e["maanden"]
    assert list(s.per_kanaal.values()) == e["kanaal"] and list(s.per_kanaal) == KANALEN
    assert list(s.per_categorie.values()) == CATEGORIES[name] and list(s.per_categorie) == CATEGORIEEN
    assert list(s.per_uitkomst.values()) == e["uitkomst"]
    assert (s.tijden["bevestiging"].mediaan, s.tijden["bevestiging"].langste) == e["bevestiging"]
    assert (s.tijden["oordeel"].mediaan, s.tijden["oordeel"].langste) == e["oordeel"]
    assert (s.termijnen["bevestiging"].op_tijd, s.termijnen["bevestiging"].beoordeeld) == e["termijn_bevestiging"]
    assert (s.termijnen["oordeel"].op_tijd, s.termijnen["oordeel"].beoordeeld) == e["termijn_oordeel"]
    assert list(s.open_einde) == e["open"]
    assert list(s.beroep) == e["beroep"]
    assert s.afgehandeld == e["afgehandeld"]


def test_which_periods_get_a_page(example, pages):
    assert report_periods(example) == (["2025-H1", "2025-H2", "2026-H1", "2026-H2"], [2025, 2026])
    assert sorted(pages) == [
        "evaluaties/2025-h1/index.md",
        "evaluaties/2025-h2/index.md",
        "evaluaties/2026-h1/index.md",
        "evaluaties/2026-h2/index.md",
        "evaluaties/index.md",
        "jaaroverzichten/2025/index.md",
        "jaaroverzichten/2026/index.md",
        "jaaroverzichten/index.md",
    ]


def assert_figures_on(page: str, name: str) -> None:
    """The hand-derived figures of `name` in the tables of a rendered page (Markdown or HTML)."""
    e = EXPECTED[name]
    first, last = period_key(name)
    as_of = min(last, EXAMPLE_TODAY)
    assert cells(page, "Ontvangen klachten")[1] == str(e["ontvangen"])
    assert cells(page, "Daarvan afgehandeld")[1] == str(e["afgehandeld"])
    assert cells(page, "Beroep ingesteld bij UWV (stap 10)")[1] == str(len(e["beroep"]))
    annual = "-H" not in name  # the year's own complaints still open; a half-year: all the register's
    open_label = f"Open op {as_of.day} {text_month(as_of)} {as_of.year} (alle klachten van het register)"
    if annual:
        open_label = f"Nog open op {as_of.day} {text_month(as_of)} {as_of.year}"
    assert cells(page, open_label)[1] == str(len(e["open"]))
    for stap, label in (
        ("bevestiging", "Ontvangst op tijd bevestigd (stap 3)"),
        ("oordeel", "Oordeel op tijd gemeld (stap 7)"),
    ):
        met, decided = e[f"termijn_{stap}"]
        assert cells(page, label)[1] == f"{met} van {decided} ({round(100 * met / decided)}%)"
    months = [cells(page, f"{text_month(date(first.year, m, 1))} {first.year}")[1] for m in month_numbers(first, last)]
    assert months == [str(n) for n in e["maanden"]]
    assert cells(page, "Totaal")[1] == str(e["ontvangen"])
    for label, count in zip(KANALEN, e["kanaal"], strict=True):
        assert cells(page, label)[1] == str(count)
    for label, count in zip(CATEGORIEEN, CATEGORIES[name], strict=True):
        assert cells(page, label)[1] == str(count)
    for label, count in zip(UITKOMSTEN, e["uitkomst"], strict=True):
        share = f"{round(100 * count / e['ontvangen'])}%"
        assert cells(page, label)[1:3] == [str(count), share]
    for stap, label, term in (("bevestiging", "bevestiging (stap 3)", 7), ("oordeel", "oordeel (stap 7)", 21)):
        median, longest = e[stap]
        row = cells(page, label)
        assert row[1] == f"{term} d" and row[3] == f"{nl(median)} d" and row[4] == f"{longest} d", row


def text_month(d: date) -> str:
    return ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
            "november", "december"][d.month - 1]  # fmt: skip


def month_numbers(first: date, last: date) -> range:
    return range(first.month, last.month + 1)


@pytest.mark.parametrize("name", ["2025-H1", "2025-H2", "2026-H1", "2026-H2"])
def test_evaluation_page_shows_the_figures(pages, name):
    assert_figures_on(pages[f"evaluaties/{name.lower()}/index.md"], name)


@pytest.mark.parametrize("year", ["2025", "2026"])
def test_annual_page_shows_the_figures(pages, year):
    assert_figures_on(pages[f"jaaroverzichten/{year}/index.md"], year)


def test_charts_carry_the_same_figures(pages):
    page = pages["jaaroverzichten/2025/index.md"]
    assert 'aria-label="Ontvangen klachten per maand: jan 0, feb 1, mrt 1, apr 1, mei 0, jun 1, jul 0, aug 1' in page
    assert (
        "Uitkomst van de klachten: gegrond 2 (29%), deels gegrond 2 (29%), ongegrond 2 (29%), ingetrokken 1 (14%)"
        in page
    )
    assert "bevestiging (stap 3): mediaan 2 dagen, langste 10 dagen, termijn 7 dagen" in page
    assert "oordeel (stap 7): mediaan 17 dagen, langste 18 dagen, termijn 21 dagen" in page


# --- evaluation pages: the meeting, its actions, earlier open actions ----------------------


def test_evaluation_page_shows_the_meeting_record(pages):
    page = pages["evaluaties/2025-h1/index.md"]
    assert "overleg gehouden op 10 september 2025; termijn tot en met 28 september 2025" in page
    assert cells(page, "Deelnemers")[1] == "R. Directeur, K. Jobcoach, L. Consulent, S. Secretariaat"
    assert "Verslag evaluatieoverleg eerste halfjaar 2025</h3>" in page  # the minutes, as HTML
    row = cells(page, "Afzegbeleid (minstens 48 uur vooraf, behalve bij ziekte) opnemen in de werkinstructie")
    assert row[1:] == ["R. Directeur", "2025-10-31", "2025-10-20", "gereed"]
    assert 'href="../../klachten/2025-004/"' in page  # open at the end of the period


def test_open_actions_of_earlier_evaluations(pages):
    # 2026-H1's "Netwerk ... uitbreiden" (uiterlijk 2027-03-31, no gereed) is the only open action.
    running = pages["evaluaties/2026-h2/index.md"]
    assert "Het halfjaar loopt nog" in running and "volgt na afloop van het halfjaar" in running
    earlier = running[running.index("Openstaande acties van eerdere evaluaties") :]
    row = cells(earlier, "2026-H1")
    assert row[1:] == ["Netwerk van werkgevers voor werkervaringsplaatsen in de regio uitbreiden", "K. Jobcoach",
                       "2027-03-31", "—", "open"]  # fmt: skip
    h1 = pages["evaluaties/2026-h1/index.md"]
    assert "Alle acties van eerdere evaluaties zijn gereed." in h1


def test_evaluation_index(pages):
    index = pages["evaluaties/index.md"]
    assert cells(index, "2026-H2 tweede halfjaar 2026")[1:3] == [
        "3",
        "loopt nog het halfjaar loopt tot en met 31 december 2026; daarna volgt het overleg",
    ]
    assert cells(index, "2026-H1 eerste halfjaar 2026")[3] == "1"  # one open action
    assert cells(index, "2025-H1 eerste halfjaar 2025")[1] == "4"
    assert 'href="2025-h1/"' in index


def test_a_missing_evaluation_is_overdue(tmp_path):
    shutil.copytree(PRODUCT / "klachten", tmp_path / "klachten")
    (tmp_path / "klachten/evaluaties/2026-H1.md").unlink()
    register = load_register(tmp_path)
    page = dict(report_pages(register, EXAMPLE_TODAY))["evaluaties/2026-h1/index.md"]
    # 2026-H1 ends 06-30; 90 days -> due 2026-09-28; today 2026-11-20 is later.
    assert '<span class="kr-state kr-verlopen">verlopen</span>' in page
    assert "nog geen verslag vastgelegd; uiterlijk 28 september 2026" in page


# --- annual pages --------------------------------------------------------------------------


def test_annual_pages_state_draft_and_sending(pages):
    y2025, y2026 = pages["jaaroverzichten/2025/index.md"], pages["jaaroverzichten/2026/index.md"]
    assert "(concept)" not in y2025 and "verzonden op 16 maart 2026; termijn tot en met 31 maart 2026" in y2025
    assert y2026.startswith("# Jaaroverzicht klachten 2026 (concept)") and "Concept" in y2026
    assert "nog niet verzonden" in y2026
    index = pages["jaaroverzichten/index.md"]
    assert cells(index, "2025")[1] == "7" and cells(index, "2026")[1] == "6"
    # The recipient is not named on the page (decision: only the date it was sent).
    assert "Accountmanager" not in y2025 and "W. Accountmanager" not in index


def test_annual_page_lists_the_years_actions_without_who(pages):
    page = pages["jaaroverzichten/2025/index.md"]
    # 2025-H1 and 2025-H2 evaluations hold 2 actions each, all done.
    for wat in (
        "Bij afwezigheid wordt de mailbox overgedragen aan een vervanger, zodat ontvangstbevestigingen op tijd",
        "Afzegbeleid (minstens 48 uur vooraf, behalve bij ziekte) opnemen in de werkinstructie",
        "Toestemming voor het delen van het cv bij de intake ook mondeling toelichten",
        "Sollicitatietraining standaard aanbieden in elk trajectplan",
    ):
        assert wat in page
    assert "<th>Wie</th>" not in page
    assert "Wachttijd tussen aanmelding" in pages["jaaroverzichten/2026/index.md"]


def test_an_unsent_finished_year_is_overdue(tmp_path):
    shutil.copytree(PRODUCT / "klachten", tmp_path / "klachten")
    (tmp_path / "klachten/jaaroverzichten/2025.md").unlink()
    page = dict(report_pages(load_register(tmp_path), EXAMPLE_TODAY))["jaaroverzichten/2025/index.md"]
    assert "nog niet verzonden; uiterlijk 31 maart 2026" in page and "kr-verlopen" in page


# --- charts --------------------------------------------------------------------------------


def svgs(page: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", page, re.S)


def test_every_chart_is_accessible_and_self_contained(pages):
    for path, page in pages.items():
        for svg in svgs(page):
            assert re.match(r'<svg [^>]*role="img"[^>]*aria-label="[^"]+"', svg), path
            assert re.match(r"<svg[^>]*><title>[^<]+</title>", svg), path
            assert "<script" not in svg and "href" not in svg.replace("url(#", "")
            assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", svg)
        if "evaluaties/2" in path or "jaaroverzichten/2" in path:
            assert len(svgs(page)) == 4, path
            assert page.count('class="kr-grafiek"') == 4  # each chart with its table beside it


def test_outcome_bars_differ_by_pattern_not_only_colour(pages):
    svg = next(s for s in svgs(pages["jaaroverzichten/2025/index.md"]) if "Uitkomst" in s)
    fills = re.findall(r'<rect x="116\.0"[^>]*fill="([^"]+)"', svg)
    assert len(fills) == 4 and len(set(fills)) == 4  # four outcomes with complaints, four looks
    ids = re.findall(r'id="([^"]+)"', "".join(pages["jaaroverzichten/2025/index.md"]))
    assert len(ids) == len(set(ids))  # pattern ids unique on the page


def test_chart_text_is_escaped():
    svg = charts.bar_chart("x", "<b>titel</b>", [charts.Bar('<script>alert(1)</script>"', 1, "1 (100%)")])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg


# --- privacy -------------------------------------------------------------------------------


def personal_data(register) -> tuple[set[str], set[str]]:
    """(names and numbers of complainants and UWV contacts, names of staff) from the files."""
    outside, staff = set(), set()
    for c in register.complaints:
        if c.klager:
            outside |= {c.klager.naam, c.klager.klantnummer}
        if c.opdrachtgever:
            outside.add(c.opdrachtgever.naam)
        staff |= {c.ontvangen_door, c.behandelaar.naam if c.behandelaar else None}
        staff |= {a.wie for a in c.afspraken or []}
    for e in register.evaluations:
        staff |= set(e.deelnemers or []) | {a.wie for a in e.acties or []}
    staff |= {o.aan for o in register.overviews}
    return {v for v in outside if v}, {v for v in staff if v}


def free_text(register) -> set[str]:
    """Sentences (of some length) of every complaint's body and free-text fields."""
    found = set()
    for c in register.complaints:
        parts = [c.body, c.onderwerp or "", c.afhandeling or "", c.beroep.uitkomst if c.beroep else ""]
        parts += [a.wat or "" for a in c.afspraken or []] + [v.notitie or "" for v in c.voortgang or []]
        for part in parts:
            for sentence in re.split(r"(?<=[.!?:;])\s+|\n#+ ", " ".join(part.split())):
                sentence = sentence.strip("# ")
                if len(sentence) >= 25:
                    found.add(sentence)
    return found


def allowed_on_evaluations(register) -> set[str]:
    """Staff named in an evaluation record may appear on evaluation pages."""
    return {n for e in register.evaluations for n in (e.deelnemers or [])} | {
        a.wie for e in register.evaluations for a in e.acties or [] if a.wie
    }


def leaks(document: str, values: set[str]) -> list[str]:
    plain = " ".join(html.unescape(document).split()).lower()
    visible = text(document).lower()
    return sorted(v for v in values if v.lower() in plain or " ".join(v.split()).lower() in visible)


MARKER = {
    "klager": "Zwanhilde Markeerling",
    "klantnummer": "K-918273",
    "ontvangen_door": "Quirijn Ontvangmans",
    "behandelaar": "Plimbo Behandelaarsma",
    "opdrachtgever": "Vrondel Opdrachtgeefster",
    "sentence": "De klager Zwanhilde schreef dat de Snorkelwortel-afspraak nooit is nagekomen.",
}


@pytest.fixture(scope="module")
def marked(tmp_path_factory) -> Path:
    """The example register plus a complaint with unique marker data, named in an evaluation."""
    root = tmp_path_factory.mktemp("gemarkeerd")
    shutil.copytree(PRODUCT / "klachten", root / "klachten")
    m = MARKER
    (root / "klachten/2026/2026-007.md").write_text(
        f"""---
volgnummer: 2026-007
onderwerp: Marker-onderwerp Snorkelwortel over de intake
ontvangen: 2026-11-18
kanaal: mondeling
ontvangen_door: {m["ontvangen_door"]}
klager:
  naam: {m["klager"]}
  klantnummer: {m["klantnummer"]}
categorie: planning
bevestigd: 2026-11-19
directie_geinformeerd: 2026-11-18
directie_betrokken: false
behandelaar:
  rol: directie
  naam: {m["behandelaar"]}
oordeel: gegrond
oordeel_gemeld: 2026-11-19
afspraken:
  - wat: Marker-afspraak Snorkelwortel nakomen
    wie: {m["behandelaar"]}
afgehandeld: 2026-11-19
afhandeling: Marker-afhandeling Snorkelwortel met excuses.
opdrachtgever:
  rol: klantmanager
  naam: {m["opdrachtgever"]}
klantdossier_bijgewerkt: 2026-11-20
opdrachtgever_geinformeerd: 2026-11-20
---
## Omschrijving
{m["sentence"]}
""",
        encoding="utf-8",
    )
    # Staff mention the complainant by name in the minutes and in an action: redacted on pages.
    record = root / "klachten/evaluaties/2026-H1.md"
    source = record.read_text(encoding="utf-8")
    source = source.replace(
        "    uiterlijk: 2027-03-31\n",
        f"    uiterlijk: 2027-03-31\n  - wat: Terugbellen met {m['klager']} ({m['klantnummer']})\n"
        "    wie: S. Secretariaat\n    uiterlijk: 2026-12-01\n",
    )
    injection = "<script>alert(1)</script> [x](javascript:alert(1))"
    source += f"\nBesproken met {m['klager'].upper()} ({m['klantnummer']}); {injection}\n"
    record.write_text(source, encoding="utf-8")
    return root


def test_example_pages_hold_no_personal_data(example, pages):
    outside, staff = personal_data(example)
    assert {"A. Voorbeeld", "K-0001", "Petra Proef", "T. Onpartijdig (externe klachtbehandelaar)"} <= outside | staff
    sentences = free_text(example)
    assert len(sentences) > 40
    for path, page in pages.items():
        allowed = allowed_on_evaluations(example) if path.startswith("evaluaties/") else set()
        assert leaks(page, outside | (staff - allowed) | sentences) == [], path


def test_marker_data_never_reaches_a_report(marked):
    register = load_register(marked)
    outside, staff = personal_data(register)
    assert MARKER["klager"] in outside and MARKER["behandelaar"] in staff
    forbidden = outside | {MARKER["behandelaar"], MARKER["ontvangen_door"], MARKER["sentence"], "Snorkelwortel"}
    pages = dict(report_pages(register, EXAMPLE_TODAY))
    for path, page in pages.items():
        assert leaks(page, forbidden) == [], path
        if path.startswith("jaaroverzichten/"):
            assert leaks(page, staff) == [], path
    h1 = pages["evaluaties/2026-h1/index.md"]
    # Minutes and action each named the complainant (upper case in the minutes) and klantnummer.
    assert h1.count("[klantnummer weggelaten]") == 2 and h1.count("Terugbellen met [naam weggelaten]") == 1
    assert "Besproken met [naam weggelaten]" in h1
    assert "noemde 2 keer de naam of het klantnummer" in h1  # staff are told why (in the minutes)
    assert "<script>alert" not in h1 and 'href="javascript:' not in h1  # shown as text, never a link
    assert "2026-007" in pages["evaluaties/2026-h2/index.md"]  # counted, by volgnummer only
    annual = annual_html(register, 2026, EXAMPLE_TODAY)
    assert leaks(annual, forbidden | staff) == []
    plain = csv_text(register, 2026, EXAMPLE_TODAY)
    # The onderwerp is the CSV's one free text, redacted of every name: it says no more than that.
    assert leaks(plain, forbidden - {"Snorkelwortel"} | staff) == []
    assert "Marker-onderwerp Snorkelwortel over de intake" in plain
    with_names = csv_text(register, 2026, EXAMPLE_TODAY, with_names=True)
    assert MARKER["klager"] in with_names and MARKER["behandelaar"] in with_names


# --- klachten report: CSV ------------------------------------------------------------------


def run_report(*args: str, root: Path = PRODUCT) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "klachtenregister.cli", "report", "--root", str(root), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_of_2025(tmp_path):
    out = tmp_path / "klachten-2025.csv"
    result = run_report("--today", "2026-11-20", "--jaar", "2025", "--csv", str(out))
    assert result.returncode == 0, result.stderr
    assert "7 klachten van 2025" in result.stdout
    assert read_csv(out)[0] == list(CSV_COLUMNS)
    assert read_csv(out)[0] == [
        "Volgnummer", "Ontvangen op", "Onderwerp", "Kanaal", "Categorie", "Status", "Oordeel", "Behandelaar (rol)",
        "Opdrachtgever (rol)", "Dagen tot bevestiging", "Termijn bevestiging (stap 3)", "Dagen tot oordeel",
        "Termijn oordeel (stap 7)", "Afgehandeld op", "Dagen tot afhandeling", "Beroep (stap 10)",
        "Beroep ingesteld op",
    ]  # fmt: skip
    # Days to afhandeling counted by hand: 02-10 -> 03-14 is 32, 03-17 -> 04-03 is 17, 04-14 -> 05-28 is 44,
    # 06-02 -> 07-11 is 39, 10-06 -> 10-24 is 18, 12-08 -> 2026-02-02 is 56. The onderwerp of 2025-003
    # named the consulent: redacted, as on the annual page.
    assert out.read_bytes().decode("utf-8-sig").split("\r\n")[1:] == [
        "2025-001;2025-02-10;Onvriendelijke bejegening tijdens coachgesprek;mondeling;bejegening;gesloten;gegrond;"
        "directie;arbeidsdeskundige;2;op tijd;14;op tijd;2025-03-14;32;nee;",
        "2025-002;2025-03-17;Reiskostenvergoeding lager dan verwacht;brief;facturatie;gesloten;ongegrond;directie;"
        "klantmanager;2;op tijd;17;op tijd;2025-04-03;17;ja, uitkomst bekend;2025-04-22",
        "2025-003;2025-04-14;Evaluatiegesprek met [naam weggelaten] drie keer kort van tevoren afgezegd;schriftelijk;"
        "planning;gesloten;deels gegrond;onafhankelijke derde;arbeidsdeskundige;2;op tijd;18;op tijd;2025-05-28;44;"
        "nee;",
        "2025-004;2025-06-02;Geen antwoord op vragen over het trajectplan;schriftelijk;communicatie;gesloten;gegrond;"
        "directie;klantmanager;10;te laat;18;op tijd;2025-07-11;39;nee;",
        "2025-005;2025-08-11;Ontevreden over aangeboden vacatures;schriftelijk;dienstverlening;ingetrokken;;directie;;"
        "2;op tijd;;vervallen;;;nee;",
        "2025-006;2025-10-06;Cv zonder toestemming gedeeld met werkgever;mondeling;privacy;gesloten;ongegrond;"
        "directie;arbeidsdeskundige;2;op tijd;17;op tijd;2025-10-24;18;nee;",
        "2025-007;2025-12-08;Te weinig begeleiding bij het solliciteren;schriftelijk;dienstverlening;gesloten;"
        "deels gegrond;directie;klantmanager;2;op tijd;14;op tijd;2026-02-02;56;nee;",
        "",
    ]
    assert out.read_bytes().count(b"\r\n") == 8


def test_csv_with_names_and_without(tmp_path, example):
    outside, staff = personal_data(example)
    plain, named = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run_report("--today", "2026-11-20", "--jaar", "2026", "--csv", str(plain)).returncode == 0
    sentences = {t for t in free_text(example) if t not in {c.onderwerp for c in example.complaints}}
    assert leaks(plain.read_text(encoding="utf-8-sig"), outside | staff | sentences) == []
    assert run_report("--today", "2026-11-20", "--jaar", "2026", "--csv", str(named), "--met-namen").returncode == 0
    rows = read_csv(named)
    assert rows[0][-5:] == ["Naam klager", "Klantnummer", "Ontvangen door", "Naam behandelaar", "Naam opdrachtgever"]
    assert rows[1][0] == "2026-001" and rows[1][-5:-1] == ["G. Testpersoon", "K-0008", "L. Consulent", "R. Directeur"]
    assert rows[6][0] == "2026-006" and rows[6][-2:] == ["", ""]  # no behandelaar, no opdrachtgever yet
    assert len(rows) == 7
    assert {plain.stat().st_mode & 0o777, named.stat().st_mode & 0o777} == {0o600}  # personal data: private


def test_csv_cells_never_become_formulas(tmp_path):
    shutil.copytree(PRODUCT / "klachten", tmp_path / "klachten")
    path = tmp_path / "klachten/2026/2026-006.md"
    path.write_text(path.read_text(encoding="utf-8").replace("naam: M. Exempel", "naam: '=HYPERLINK(\"x\")'"))
    rows = list(csv.reader(io.StringIO(csv_text(load_register(tmp_path), 2026, EXAMPLE_TODAY, True)), delimiter=";"))
    assert rows[6][-5] == '\'=HYPERLINK("x")'


def test_a_year_without_complaints_gives_an_empty_report(tmp_path):
    out = tmp_path / "leeg.csv"
    result = run_report("--today", "2026-11-20", "--jaar", "2019", "--csv", str(out))
    assert result.returncode == 0, result.stderr
    assert read_csv(out) == [list(CSV_COLUMNS)]
    page = annual_html(load_register(PRODUCT), 2019, EXAMPLE_TODAY)
    assert cells(page, "Ontvangen klachten")[1:] == ["0"]  # no column for 2018: before the register
    assert "In 2019 ontvingen wij 0 klachten." in text(page) and "niet verplicht" not in page


# --- klachten report: usage ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["--jaar", "2025"], "geef --pdf BESTAND, --json BESTAND en/of --csv BESTAND"),
        (["--jaar", "2025", "--json", "{tmp}/x", "--csv", "{tmp}/x"], "--csv en --json wijzen naar hetzelfde bestand"),
        (["--jaar", "2025", "--json", "{root}/klachten/x.json"], "ligt in klachten/"),
        (["--jaar", "25", "--csv", "x.csv"], "ongeldig jaar '25'"),
        (["--csv", "x.csv"], "--jaar"),
        (["--jaar", "2025", "--pdf", "{tmp}/x.pdf", "--met-namen"], "--met-namen geldt alleen voor --csv"),
        (["--jaar", "2025", "--csv", "{root}/klachten/x.csv"], "ligt in klachten/"),
        (["--jaar", "2025", "--csv", "{root}/klachten/2025/2025-001.md"], "ligt in klachten/"),
        (["--jaar", "2025", "--pdf", "{root}/docs/jaar.pdf"], "ligt in docs/"),
        (["--jaar", "2025", "--csv", "{tmp}/../{name}/klachten/x.csv"], "ligt in klachten/"),
        (["--jaar", "2025", "--csv", "{tmp}"], "is een map"),
    ],
)
def test_report_usage_errors_exit_2(tmp_path, args, message):
    root = tmp_path / "r"
    shutil.copytree(PRODUCT / "klachten", root / "klachten")
    before = sorted(p for p in root.rglob("*"))
    args = [a.format(root=root, tmp=tmp_path, name=tmp_path.name + "/r") for a in args]
    result = run_report(*args, root=root)
    assert result.returncode == 2, result
    assert message in result.stderr and "Traceback" not in result.stderr
    assert sorted(p for p in root.rglob("*")) == before  # nothing written


def test_a_symlink_into_the_register_is_refused(tmp_path):
    root = tmp_path / "r"
    shutil.copytree(PRODUCT / "klachten", root / "klachten")
    (tmp_path / "uit").symlink_to(root / "klachten")
    result = run_report("--jaar", "2025", "--csv", str(tmp_path / "uit/x.csv"), root=root)
    assert result.returncode == 2 and "ligt in klachten/" in result.stderr
    assert not (root / "klachten/x.csv").exists()


def test_report_without_register_exits_2(tmp_path):
    result = run_report("--jaar", "2025", "--csv", str(tmp_path / "x.csv"), root=tmp_path)
    assert result.returncode == 2 and "geen register gevonden" in result.stderr


def test_report_fails_in_dutch_without_chromium(tmp_path, monkeypatch):
    from klachtenregister.errors import JobFailed
    from klachtenregister.report import write_pdf

    monkeypatch.setenv("KLACHTEN_CHROMIUM", str(tmp_path / "geen-chromium"))
    with pytest.raises(JobFailed, match="Chromium kon de PDF niet maken"):
        write_pdf(load_register(PRODUCT), 2025, EXAMPLE_TODAY, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


# --- klachten report: PDF ------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    require_tool(bool(shutil.which("pdftotext")), "pdftotext (apt-get install poppler-utils)")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, marked) -> dict[str, Path]:
    require_tool(CHROMIUM.exists(), f"{CHROMIUM} (apt-get install chromium)")
    out = tmp_path_factory.mktemp("pdf")
    made = {}
    for name, root, year in (("2025", PRODUCT, "2025"), ("2026", PRODUCT, "2026"), ("marked", marked, "2026")):
        made[name] = out / f"{name}.pdf"
        result = run_report("--today", "2026-11-20", "--jaar", year, "--pdf", str(made[name]), root=root)
        assert result.returncode == 0, result.stderr
        assert made[name].read_bytes().startswith(b"%PDF")
    return made


def squeeze(layout: str) -> str:
    """pdftotext's words on one line; it sometimes drops the narrow space in "7 d"."""
    return re.sub(r"\b(\d+)d\b", r"\1 d", " ".join(layout.split()))


def test_pdf_of_2025_holds_the_figures(pdfs):
    words = squeeze(pdf_text(pdfs["2025"]))
    # First page: a letter from the organisation (procedure.yml) to UWV's accountmanager.
    assert words.startswith("Werkconnectie BV Stationsweg 1 4200 AA Gorinchem Telefoon 0183 000 000")
    assert "W. Accountmanager accountmanager re-integratie UWV" in words
    assert "Datum 20 november 2026 Ons kenmerk jaaroverzicht klachten 2025 Betreft Jaaroverzicht klachten 2025" in words
    assert "Geachte W. Accountmanager, Hierbij ontvangt u het jaaroverzicht" in words
    assert "In 2025 ontvingen wij 7 klachten. Daarvan zijn er 6 afgehandeld en 1 ingetrokken;" in words
    assert "Met vriendelijke groet, De directie Werkconnectie BV" in words
    # Then the figures; 2025 is the register's first year: no column for 2024.
    assert "Jaaroverzicht klachten 2025 Bijlage bij de brief van 20 november 2026" in words
    assert "(concept)" not in words and "CONCEPT" not in words and "2024" not in words
    e = EXPECTED["2025"]
    assert f"Ontvangen klachten {e['ontvangen']}" in words
    assert "Ontvangst op tijd bevestigd (stap 3) 6 van 7 (86%)" in words
    assert "Oordeel op tijd gemeld (stap 7) 6 van 6 (100%)" in words
    assert "Nog open op 31 december 2025 1" in words
    assert "bevestiging (stap 3) 7 d 7 2 d 10 d 6 van 7 (86%)" in words
    assert "oordeel (stap 7) 21 d 6 17 d 18 d 6 van 6 (100%)" in words
    assert "afhandeling (stap 8) — 6 35,5 d 56 d —" in words
    for number, count in enumerate(e["maanden"], start=1):
        assert f"{text_month(date(2025, number, 1))} 2025 {count}" in words
    for label, count in zip(UITKOMSTEN, e["uitkomst"], strict=True):
        assert f"{label} {count} {round(100 * count / 7)}%" in words
    assert "arbeidsdeskundige 3 1 1 1 0 0 klantmanager 3 1 1 1 0 0 nog niet vastgelegd 1 0 0 0 1 0" in words
    assert "In 2025 ging 1 klager in beroep" in words and "facturatie ongegrond 22 april 2025 bekend" in words
    assert "Sollicitatietraining standaard aanbieden in elk trajectplan" in words
    assert "pagina 1 van" in words


def test_pdf_of_the_running_year_is_a_draft(pdfs):
    words = squeeze(pdf_text(pdfs["2026"]))
    assert "Jaaroverzicht klachten 2026 (concept)" in words and words.count("CONCEPT") >= 2
    assert "Dit is een concept: het jaar 2026 loopt nog." in words
    assert "Ontvangen klachten 6 7" in words  # beside 2025's
    assert "In 2026 ontvingen wij 6 klachten (2025: 7)." in words


def test_pdf_carries_no_internal_state(tmp_path, pdfs):
    """Not sent, overdue, the state of actions: the site's business, never the document's."""
    for name in ("2025", "2026"):
        words = squeeze(pdf_text(pdfs[name])).lower()
        for state in ("verzonden", "verlopen", "stand:", "nadert", "termijn tot en met"):
            assert state not in words, (name, state)
    # Also for a year whose overview is overdue and whose actions are overdue.
    shutil.copytree(PRODUCT / "klachten", tmp_path / "klachten")
    (tmp_path / "klachten/jaaroverzichten/2025.md").unlink()
    record = tmp_path / "klachten/evaluaties/2025-H2.md"
    record.write_text(re.sub(r"\n    gereed: [0-9-]+", "", record.read_text(encoding="utf-8")), encoding="utf-8")
    register = load_register(tmp_path)
    site = dict(report_pages(register, EXAMPLE_TODAY))["jaaroverzichten/2025/index.md"]
    assert "nog niet verzonden" in site and "kr-verlopen" in site  # the site says so
    page = text(annual_html(register, 2025, EXAMPLE_TODAY)).lower()
    assert "verzonden" not in page and "verlopen" not in page and "in uitvoering" in page


def test_pdf_holds_no_personal_data(pdfs, example, marked):
    outside, staff = personal_data(example)
    assert leaks(pdf_text(pdfs["2025"]), outside | staff | free_text(example)) == []
    register = load_register(marked)
    outside, staff = personal_data(register)
    words = pdf_text(pdfs["marked"])
    assert leaks(words, outside | staff | free_text(register) | {"Snorkelwortel"}) == []
    assert "Ontvangen klachten 7" in squeeze(words)  # the marker complaint is counted


def test_pdf_page_is_standalone(example):
    page = annual_html(example, 2025, EXAMPLE_TODAY)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert '<meta name="robots" content="noindex, nofollow">' in page


# --- the built site ------------------------------------------------------------------------


def site_page(root: Path, url: str) -> str:
    return (root / "site" / url.strip("/") / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["2025-H1", "2025-H2", "2026-H1", "2026-H2"])
def test_built_evaluation_pages_show_the_figures(example_site, name):
    page = site_page(example_site, f"/evaluaties/{name.lower()}/")
    assert_figures_on(page, name)
    assert page.count('role="img"') == 4


@pytest.mark.parametrize("year", ["2025", "2026"])
def test_built_annual_pages_show_the_figures(example_site, year, example):
    page = site_page(example_site, f"/jaaroverzichten/{year}/")
    assert_figures_on(page, year)
    outside, staff = personal_data(example)
    assert leaks(page[page.index("<article") : page.index("</article>")], outside | staff | free_text(example)) == []


def test_built_report_pages_link_to_existing_complaint_pages(example_site):
    page = site_page(example_site, "/evaluaties/2025-h1/")
    for href in re.findall(r'href="(\.\./\.\./klachten/[^"]+)"', page):
        target = (example_site / "site/evaluaties/2025-h1" / href / "index.html").resolve()
        assert target.is_file(), href
    index = site_page(example_site, "/evaluaties/")
    assert 'href="2025-h1/"' in index and (example_site / "site/evaluaties/2025-h1/index.html").is_file()


# --- injection -----------------------------------------------------------------------------

PAYLOAD = "<script>window.__pwned=1</script>"


def test_values_from_files_cannot_inject_html(tmp_path):
    """Categories (procedure.yml), participants, actions and minutes are staff text: escaped."""
    (tmp_path / "klachten/2026").mkdir(parents=True)
    (tmp_path / "klachten/evaluaties").mkdir()
    (tmp_path / "klachten/procedure.yml").write_text(f"categorieen: ['{PAYLOAD}', overig]\n")
    (tmp_path / "klachten/2026/2026-001.md").write_text(
        "---\nvolgnummer: 2026-001\nonderwerp: x\nontvangen: 2026-01-05\nkanaal: mondeling\n"
        f"ontvangen_door: Jan Jansen\nklager:\n  naam: Piet Klager\ncategorie: '{PAYLOAD}'\n---\nTekst.\n"
    )
    (tmp_path / "klachten/evaluaties/2026-H1.md").write_text(
        f"---\nperiode: 2026-H1\ndatum: 2026-07-10\ndeelnemers: ['<img src=x onerror=alert(1)>']\n"
        f"acties:\n  - wat: '{PAYLOAD} | [x](javascript:alert(1))'\n    wie: '<b onmouseover=alert(1)>w</b>'\n---\n"
        f"## Verslag\n{PAYLOAD}\n<iframe src=javascript:alert(1)></iframe>\n[klik](javascript:alert(1))\n"
        "![spoor](https://tracker.example/p.png)\n"
    )
    register = load_register(tmp_path)
    made = dict(report_pages(register, date(2026, 11, 20)))
    made["pdf"] = annual_html(register, 2026, date(2026, 11, 20))
    for path, page in made.items():
        assert "<script>window" not in page and "<img src=x" not in page and "<b onmouseover" not in page, path
        assert "<iframe" not in page and 'href="javascript' not in page and 'tracker.example/p.png"' not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in made["evaluaties/2026-h1/index.md"]


# --- in the browser ------------------------------------------------------------------------


def test_report_pages_in_the_browser(example_site, chromium):
    """Nothing leaves the site, no script errors, and each chart has its table beside it."""
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    with serve_directory(example_site / "site") as base:
        for path in ("/evaluaties/", "/evaluaties/2025-h1/", "/jaaroverzichten/", "/jaaroverzichten/2025/"):
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
        charts_ = page.locator("svg[role=img]")
        assert charts_.count() == 4
        month_chart = page.locator(".kr-grafiek").first
        chart_box = month_chart.locator("svg").bounding_box()
        table_box = month_chart.locator("table").bounding_box()
        assert table_box["x"] > chart_box["x"] + chart_box["width"] - 1  # beside, not below
        assert page.get_by_role("img", name=re.compile("^Ontvangen klachten per maand: jan 0, feb 1")).count() == 1
    context.close()
    assert [url for url in requests if not url.startswith(base + "/")] == []
    assert errors == []

