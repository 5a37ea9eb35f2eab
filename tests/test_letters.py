"""`klachten brief` (SPEC 4.3): the letters of steps 3, 6/7 and 9 as PDF and .docx.

Run as staff run it (the installed command on a register in a temporary folder); the PDF is
read back with pdftotext, the .docx with python-docx, and both must hold the same words.
"""

from __future__ import annotations

import collections
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from conftest import CHROMIUM, CORE_REL, SPEC_COMPLAINT, core_register, edit, require_tool, run_klachten

ORGANISATIE = """start: 2026-01-01
organisatie:
  naam: Werkconnectie BV
  adres: |
    Stationsweg 1
    4200 AA Gorinchem
  telefoon: 0183 000 000
  email: klachten@werkconnectie.example
"""
ADRES = "  klantnummer: K-1042            # optional: the client's dossier (stap 9)\n"
WITH_ADDRESS = edit(SPEC_COMPLAINT, ADRES, ADRES + "  adres: |\n    Dorpsstraat 1\n    4201 AA Gorinchem\n")


def register(root: Path, complaint: str = WITH_ADDRESS, procedure: str = ORGANISATIE, **extra) -> Path:
    return core_register(root, complaint, {"klachten/procedure.yml": procedure, **extra})


def brief(root: Path, *args: str):
    return run_klachten("--root", str(root), "brief", *args)


def pdf_words(path: Path) -> str:
    require_tool(bool(shutil.which("pdftotext")), "pdftotext (apt-get install poppler-utils)")
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


def docx_paragraphs(path: Path) -> list[str]:
    """Every paragraph of the document in order, table cells included."""
    document = docx.Document(str(path))
    found = []
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p"):
            found.append(docx.text.paragraph.Paragraph(element, document).text)
        elif element.tag.endswith("}tbl"):
            table = docx.table.Table(element, document)
            found += [" ".join(cell.text for cell in row.cells) for row in table.rows]
    return [p for p in found if p.strip()]


def docx_words(path: Path) -> str:
    return " ".join(" ".join(docx_paragraphs(path)).split())


def bag(words: str) -> collections.Counter:
    return collections.Counter(w for w in words.split() if w != "•")


def characters(words: str) -> collections.Counter:
    """For text a line may break inside of ('</p><script>'): the characters, not the words."""
    return collections.Counter(ch for ch in words if not ch.isspace() and ch != "•")


# --- the three letters, as PDF and .docx --------------------------------------------------


@pytest.fixture(scope="module")
def letters(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Each kind of letter for SPEC's example complaint, dated 20 March 2026."""
    require_tool(CHROMIUM.exists(), f"{CHROMIUM} (apt-get install chromium)")
    root = register(tmp_path_factory.mktemp("brieven"))
    out = tmp_path_factory.mktemp("uit")
    made = {}
    for kind in ("ontvangst", "oordeel", "opdrachtgever"):
        pdf, word = out / f"{kind}.pdf", out / f"{kind}.docx"
        result = brief(root, "2026-007", kind, "--pdf", str(pdf), "--docx", str(word), "--datum", "2026-03-20")
        assert result.returncode == 0, result.stderr
        assert f"{pdf}: brief '{kind}' voor klacht 2026-007" in result.stdout
        made[kind] = (pdf, word)
    return made


LETTERHEAD = (
    "Werkconnectie BV Stationsweg 1 4200 AA Gorinchem Telefoon 0183 000 000 E-mail klachten@werkconnectie.example"
)


def test_ontvangst_letter(letters):
    words = docx_words(letters["ontvangst"][1])
    assert words.startswith(LETTERHEAD + " Anna Jansen Dorpsstraat 1 4201 AA Gorinchem Datum 20 maart 2026")
    assert "Ons kenmerk klacht 2026-007 Betreft Ontvangstbevestiging van uw klacht Geachte Anna Jansen," in words
    assert "Op 2 maart 2026 hebben wij uw klacht ontvangen." in words
    assert "Uw klacht gaat over: “Terugkoppeling na intake bleef uit”." in words
    assert "geregistreerd onder nummer 2026-007" in words
    assert "Uw klacht wordt behandeld door M. Smit van de directie van Werkconnectie BV." in words
    assert "Uiterlijk 23 maart 2026 laten wij u weten wat ons oordeel is." in words  # 2 maart + 21 dagen
    assert words.endswith("Met vriendelijke groet, Jan de Vries Werkconnectie BV")


def test_oordeel_letter_names_every_agreement_and_the_appeal(letters):
    words = docx_words(letters["oordeel"][1])
    assert "Betreft Ons oordeel over uw klacht" in words
    assert "Wij vinden uw klacht gegrond" in words
    assert "Dit hebben wij met u afgesproken: Wekelijks belcontact met klager (uiterlijk 1 april 2026)" in words
    assert "in beroep gaan bij de arbeidsdeskundige of de klantmanager van UWV die uw traject begeleidt." in words
    assert "Voor u is dat uw arbeidsdeskundige van UWV, Petra Bakker." in words
    assert words.endswith("Met vriendelijke groet, M. Smit Directie Werkconnectie BV")


def test_opdrachtgever_letter(letters):
    words = docx_words(letters["opdrachtgever"][1])
    assert words.startswith(LETTERHEAD + " Petra Bakker Arbeidsdeskundige UWV Datum 20 maart 2026")
    assert "Betreft Klacht van uw klant Anna Jansen Geachte Petra Bakker," in words
    assert "een klacht van uw klant Anna Jansen (klantnummer K-1042)" in words
    assert "Oordeel gegrond, aan de klant gemeld op 20 maart 2026" in words
    assert "Afgehandeld op 2 april 2026" in words
    assert "De klacht is als volgt afgehandeld: Afspraken nagekomen; klager tevreden." in words
    assert "beroep ingesteld bij klantmanager UWV. Uitkomst: Klacht alsnog gegrond verklaard." in words


@pytest.mark.parametrize("kind", ["ontvangst", "oordeel", "opdrachtgever"])
def test_pdf_and_docx_hold_the_same_text(letters, kind):
    pdf, word = letters[kind]
    assert pdf.read_bytes().startswith(b"%PDF")
    assert bag(pdf_words(pdf)) == bag(docx_words(word))
    assert len(docx_paragraphs(word)) > 10


def test_docx_is_an_a4_dutch_document(letters):
    document = docx.Document(str(letters["oordeel"][1]))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.core_properties.title == "Ons oordeel over uw klacht"
    assert document.core_properties.author == "Werkconnectie BV"
    assert document.core_properties.language == "nl-NL"
    assert 'w:val="nl-NL"' in document.styles.element.xml
    assert [p.style.name for p in document.paragraphs if p.text.startswith("Wekelijks")] == ["List Bullet"]


def test_pdf_is_one_page(letters):
    for kind, (pdf, _word) in letters.items():
        pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert re.search(r"Pages:\s+1\n", pages), kind


# --- the judgement in its three kinds ------------------------------------------------------


def html_letter(root: Path, kind: str = "oordeel") -> str:
    from datetime import date

    from klachtenregister.letters import letter_view, read_one, refuse_missing, render_letter
    from klachtenregister.procedure import load_procedure

    c = read_one(root, "2026-007")
    refuse_missing(c, kind)
    return render_letter(root, kind, letter_view(c, load_procedure(root)[0], kind, date(2026, 3, 20)))


def visible(html: str) -> str:
    import html as html_module

    body = html[html.index("<body>") :]
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_an_unfounded_complaint_is_not_taken_further(tmp_path):
    complaint = edit(WITH_ADDRESS, "oordeel: gegrond", "oordeel: ongegrond")
    words = visible(html_letter(register(tmp_path, complaint)))
    assert "Wij vinden uw klacht ongegrond. Dat betekent dat wij uw klacht niet verder in behandeling nemen." in words
    assert "afgesproken" not in words
    assert "in beroep gaan" in words


def test_partly_founded_and_no_opdrachtgever_yet(tmp_path):
    complaint = edit(WITH_ADDRESS, "oordeel: gegrond", "oordeel: deels-gegrond")
    complaint = complaint[: complaint.index("afgehandeld:")] + "---\nTekst.\n"  # only up to the judgement
    complaint = edit(complaint, "    uiterlijk: 2026-04-01\n", "    uiterlijk: 2026-04-01\n  - wat: Excuses\n"
                     "    wie: M. Smit\n")  # fmt: skip
    words = visible(html_letter(register(tmp_path, complaint)))
    assert "Wij vinden uw klacht deels gegrond" in words
    assert "Wekelijks belcontact met klager (uiterlijk 1 april 2026) Excuses Wij houden u op de hoogte" in words
    assert "bij de arbeidsdeskundige of de klantmanager van UWV die uw traject begeleidt" in words


def test_ontvangst_before_anyone_handles_it(tmp_path):
    complaint = SPEC_COMPLAINT[: SPEC_COMPLAINT.index("bevestigd:")] + "---\nTekst.\n"
    root = register(tmp_path, complaint, procedure="start: 2026-01-01\n")  # no organisatie either
    result = brief(root, "2026-007", "ontvangst", "--docx", str(tmp_path / "b.docx"))
    assert result.returncode == 0, result.stderr
    words = docx_words(tmp_path / "b.docx")
    assert "De directie neemt uw klacht in behandeling." in words
    assert words.startswith("Anna Jansen Datum ")  # no letterhead without procedure.yml organisatie
    assert "klager.adres ontbreekt" in result.stderr


# --- refusals ------------------------------------------------------------------------------


def cut(text: str, *fields: str) -> str:
    """`text` without the lines of `fields` (and a group's indented lines)."""
    lines, skipping = [], False
    for line in text.splitlines(keepends=True):
        if any(line.startswith(f"{f}:") for f in fields):
            skipping = True
            continue
        if skipping and line.startswith(" "):
            continue
        skipping = False
        lines.append(line)
    return "".join(lines)


@pytest.mark.parametrize(
    "kind, fields, named",
    [
        ("oordeel", ("oordeel",), "- oordeel ontbreekt"),
        ("opdrachtgever", ("opdrachtgever",), "- opdrachtgever.naam ontbreekt (opdrachtgever is niet ingevuld)"),
        ("opdrachtgever", ("afgehandeld",), "- afgehandeld ontbreekt"),
        ("oordeel", ("afspraken",), "- afspraken ontbreekt: bij een gegrond oordeel noemt de brief elke afspraak"),
    ],
)
def test_a_letter_without_its_facts_is_refused(tmp_path, kind, fields, named):
    root = register(tmp_path / "r", cut(WITH_ADDRESS, *fields))
    before = sorted(tmp_path.rglob("*"))
    result = brief(root, "2026-007", kind, "--pdf", str(tmp_path / "b.pdf"), "--docx", str(tmp_path / "b.docx"))
    assert result.returncode == 1, result
    assert f"geen brief '{kind}' gemaakt: in {CORE_REL}" in result.stderr and named in result.stderr
    assert sorted(tmp_path.rglob("*")) == before  # no file


def test_an_invalid_fact_is_named_with_its_line(tmp_path):
    root = register(tmp_path / "r", edit(WITH_ADDRESS, "oordeel: gegrond", "oordeel: goed"))
    result = brief(root, "2026-007", "oordeel", "--docx", str(tmp_path / "b.docx"))
    assert result.returncode == 1 and "- oordeel is ongeldig (regel 23)" in result.stderr
    assert not (tmp_path / "b.docx").exists()


def test_an_existing_file_is_never_overwritten(tmp_path):
    root = register(tmp_path / "r")
    existing = tmp_path / "b.docx"
    existing.write_bytes(b"van een collega")
    result = brief(root, "2026-007", "ontvangst", "--pdf", str(tmp_path / "b.pdf"), "--docx", str(existing))
    assert result.returncode == 1 and "b.docx bestaat al; een brief wordt nooit overschreven" in result.stderr
    assert existing.read_bytes() == b"van een collega" and not (tmp_path / "b.pdf").exists()


@pytest.mark.parametrize(
    "target, message",
    [
        ("klachten/2026/brief.docx", "ligt in klachten/: schrijf de brief in de map van de klacht"),
        ("klachten/2026/2026-008/brief.docx", "ligt in klachten/"),
        ("klachten/2026/2026-007.md", "ligt in klachten/"),
        ("docs/brief.docx", "ligt in docs/"),
    ],
)
def test_places_in_the_register_are_refused(tmp_path, target, message):
    root = register(tmp_path)
    (root / "docs").mkdir()
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = brief(root, "2026-007", "ontvangst", "--docx", str(root / target))
    assert result.returncode == 2 and message in result.stderr, result
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_the_complaints_own_folder_takes_the_sent_copy(tmp_path):
    root = register(tmp_path)
    target = root / "klachten/2026/2026-007/ontvangstbevestiging.docx"
    result = brief(root, "2026-007", "ontvangst", "--docx", str(target))
    assert result.returncode == 0, result.stderr
    assert target.is_file() and target.stat().st_mode & 0o644 == 0o644  # a register file, like the scan
    assert f"zet na verzending onder bijlagen: in {CORE_REL}: ontvangstbevestiging.docx" in result.stdout
    assert run_klachten("--root", str(root), "check", "--today", "2026-04-30").returncode == 0


def test_a_new_folder_of_its_own_is_made(tmp_path):
    complaint = cut(WITH_ADDRESS, "bijlagen")
    root = core_register(tmp_path, complaint, {"klachten/procedure.yml": ORGANISATIE})
    shutil.rmtree(root / "klachten/2026/2026-007")
    target = root / "klachten/2026/2026-007/brieven/ontvangst.docx"
    assert brief(root, "2026-007", "ontvangst", "--docx", str(target)).returncode == 0
    assert target.is_file()


def test_elsewhere_the_letter_is_private(tmp_path):
    root = register(tmp_path / "r")
    assert brief(root, "2026-007", "ontvangst", "--docx", str(tmp_path / "uit/b.docx")).returncode == 0
    assert (tmp_path / "uit/b.docx").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["2026-007", "ontvangst"], 2, "geef --pdf BESTAND en/of --docx BESTAND"),
        (["2026-007", "bedankje", "--docx", "x.docx"], 2, "ongeldige keuze"),
        (["26-7", "ontvangst", "--docx", "x.docx"], 2, "'26-7' is geen volgnummer"),
        (["2026-099", "ontvangst", "--docx", "x.docx"], 1, "klacht 2026-099 niet gevonden"),
        (["2026-007", "ontvangst", "--docx", "x.docx", "--datum", "20-03-2026"], 2, "ongeldige datum"),
        (["2026-007", "ontvangst", "--docx", "x.docx", "--docx", "./x.docx"], 2, "x.docx is twee keer genoemd"),
    ],
)
def test_usage(tmp_path, args, code, message):
    root = register(tmp_path / "r")
    result = run_klachten("--root", str(root), "brief", *args, cwd=tmp_path)
    assert result.returncode == code and message in result.stderr, result
    assert not (tmp_path / "x.docx").exists()


def test_an_unreadable_complaint_is_refused(tmp_path):
    root = register(tmp_path / "r", "---\nvolgnummer: [2026-007\n---\n")
    result = brief(root, "2026-007", "ontvangst", "--docx", str(tmp_path / "b.docx"))
    assert result.returncode == 1 and f"{CORE_REL} kan niet gelezen worden (regel" in result.stderr


# --- no injection, no personal data --------------------------------------------------------

HOSTILE = "<b>vet</b> {{ 7*7 }} {% raw %} </p><script>alert(1)</script> &amp; ${x}"


def hostile_register(root: Path) -> Path:
    complaint = SPEC_COMPLAINT
    for old, field in (("onderwerp: Terugkoppeling na intake bleef uit", "onderwerp"),
                       ("  naam: Anna Jansen", "  naam"),
                       ("  - wat: Wekelijks belcontact met klager", "  - wat"),
                       ("afhandeling: Afspraken nagekomen; klager tevreden.", "afhandeling")):  # fmt: skip
        complaint = edit(complaint, old, f"{field}: '{HOSTILE}'")
    complaint = edit(complaint, ADRES, ADRES + "  adres: \"<i>Straat</i> 1\\n{{ 6*6 }}\\v\\x01 Dorp\"\n")
    return register(root, complaint)


def test_hostile_values_stay_text_in_the_html(tmp_path):
    root = hostile_register(tmp_path)
    for kind in ("ontvangst", "oordeel", "opdrachtgever"):
        html = html_letter(root, kind)
        assert "<script" not in html and "<b>vet" not in html and "<i>Straat" not in html
        assert "49" not in visible(html) and "36" not in visible(html)
        assert "\x01" not in html and "\x0b" not in html  # control characters: neither PDF nor Word shows them
        assert "&lt;b&gt;vet&lt;/b&gt; {{ 7*7 }} {% raw %} &lt;/p&gt;&lt;script&gt;" in html


def test_hostile_values_stay_text_in_pdf_and_docx(tmp_path):
    require_tool(CHROMIUM.exists(), f"{CHROMIUM} (apt-get install chromium)")
    root = hostile_register(tmp_path / "r")
    for kind in ("oordeel", "opdrachtgever"):
        pdf, word = tmp_path / f"{kind}.pdf", tmp_path / f"{kind}.docx"
        result = brief(root, "2026-007", kind, "--pdf", str(pdf), "--docx", str(word))
        assert result.returncode == 0, result.stderr
        for words in (pdf_words(pdf), docx_words(word)):
            assert words.count(HOSTILE) >= 2, kind  # the name and the onderwerp or an afspraak, verbatim
            assert "<i>Straat</i> 1" in words or kind == "opdrachtgever"
        assert characters(pdf_words(pdf)) == characters(docx_words(word))
        assert "\x01" not in pdf_words(pdf) and "\x0b" not in pdf_words(pdf)


def test_a_bsn_in_a_value_is_masked_in_the_letter(tmp_path):
    complaint = edit(WITH_ADDRESS, "afhandeling: Afspraken nagekomen; klager tevreden.",
                     "afhandeling: 'Gebeld over BSN 111222333 en IBAN NL91ABNA0417164300.'")  # fmt: skip
    words = visible(html_letter(register(tmp_path, complaint), "opdrachtgever"))
    assert "111222333" not in words and "11*****33" in words
    assert "NL91ABNA0417164300" not in words and "NL**************00" in words


def test_the_registers_own_template_wins(tmp_path):
    own = '{% extends "brieven/brief.html.j2" %}{% block tekst %}<p>Eigen tekst over {{ klacht.onderwerp }}.</p>' \
          "{% endblock %}"  # fmt: skip
    root = register(tmp_path / "r", **{"templates/brieven/ontvangst.html.j2": own})
    result = brief(root, "2026-007", "ontvangst", "--docx", str(tmp_path / "b.docx"))
    assert result.returncode == 0, result.stderr
    words = docx_words(tmp_path / "b.docx")
    assert "Eigen tekst over Terugkoppeling na intake bleef uit." in words and "Uiterlijk" not in words
    assert words.startswith(LETTERHEAD)  # the product's layout around it


def test_a_broken_template_is_a_dutch_error(tmp_path):
    root = register(tmp_path / "r", **{"templates/brieven/oordeel.html.j2": "{% if %}\n"})
    result = brief(root, "2026-007", "oordeel", "--docx", str(tmp_path / "b.docx"))
    assert result.returncode == 1 and "oordeel.html.j2" in result.stderr and "regel 1" in result.stderr
    assert not (tmp_path / "b.docx").exists()


def test_a_complaint_that_links_out_of_the_register_is_not_read(tmp_path):
    outside = tmp_path / "elders.md"
    outside.write_text(WITH_ADDRESS, encoding="utf-8")
    root = register(tmp_path / "r")
    (root / CORE_REL).unlink()
    (root / CORE_REL).symlink_to(outside)
    result = brief(root, "2026-007", "ontvangst", "--docx", str(tmp_path / "b.docx"))
    assert result.returncode == 1 and f"{CORE_REL} kan niet gelezen worden" in result.stderr
    assert not (tmp_path / "b.docx").exists()
