"""Complainants' names and klantnummers never reach evaluation or annual pages (SPEC section 3).

Two layers: the redactor on its own, table-driven over the name forms staff actually type, and
a real register built with the installed `klachten` command, whose built HTML, search index,
CSV and PDF are searched for the leaks an audit found.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CHROMIUM, require_tool, run_klachten, write_register
from klachtenregister.register import load_register
from klachtenregister.site.redact import KLANTNUMMER_WEG, NAAM_WEG, Redactor, name_parts

N, K = NAAM_WEG, KLANTNUMMER_WEG


def redacted(names: list[str], text: str, numbers: tuple[str, ...] = (), keep: tuple[str, ...] = ()) -> str:
    return Redactor(names, numbers, keep).redact(text)[0]


# --- name forms --------------------------------------------------------------------------

NAME_CASES = [
    # (complainant, text, expected)
    ("Zwaantje Klaagstra", "Gesprek met Zwaantje Klaagstra.", f"Gesprek met {N}."),
    ("Zwaantje Klaagstra", "Mevrouw Klaagstra terugbellen", f"Mevrouw {N} terugbellen"),
    ("Zwaantje Klaagstra", "de klacht van mevrouw KLAAGSTRA", f"de klacht van mevrouw {N}"),
    ("Zwaantje Klaagstra", "en Zwaantje.", f"en {N}."),
    ("Zwaantje Klaagstra", "gebeld met Zwaantje\n   Klaagstra over", f"gebeld met {N} over"),  # wraps
    ("Zwaantje Klaagstra", "Klaagstra's brief, **Klaagstra** en _Klaagstra_", f"{N}'s brief, **{N}** en _{N}_"),
    ("Zwaantje Klaagstra", "Klaagstradossier en Zwaantjesbloem blijven", "Klaagstradossier en Zwaantjesbloem blijven"),
    ("Zwaantje Klaagstra", "Zwaantjes klacht en Klaagstras brief", f"{N} klacht en {N} brief"),  # possessives
    ("Klaagstra, Zwaantje", "brief van Zwaantje Klaagstra", f"brief van {N}"),  # surname first
    ("Gerrit de Boer", "dhr. de Boer belde; De Boer en Boer", f"dhr. {N} belde; {N} en {N}"),
    ("Gerrit de Boer", "de klacht ging over de boerderij", "de klacht ging over de boerderij"),
    ("G. de Boer", "G. de Boer, G.de Boer en bijlage G.", f"{N}, {N} en bijlage G."),
    ("Jan van der Berg", "van der Berg, Van der berg en Berg", f"{N}, {N} en {N}"),
    ("Jan van der Berg", "van der straat naar de berghut", "van der straat naar de berghut"),
    ("Anna Jansen-de Vries", "Jansen-de Vries; Jansen; de Vries; Vries", f"{N}; {N}; {N}; {N}"),
    ("Kees van 't Hek", "meneer van 't Hek en 't Hek, het hek", f"meneer {N} en {N}, het {N}"),
    ("Li Wu", "Li Wu belde; li en wu blijven", f"{N} belde; li en wu blijven"),  # short parts: only whole
    ("Zoë Çelik", "ZOE CELIK en zoë çelik", f"{N} en {N}"),  # accents and case ignored
    ("Mohammed el Amrani", "el Amrani en El-Amrani en el", f"{N} en {N} en el"),
    (
        "T. Onpartijdig (externe klachtbehandelaar)",
        "een externe klachtbehandelaar: Onpartijdig",
        f"een externe klachtbehandelaar: {N}",
    ),  # an aside in brackets is no name  # fmt: skip
]


@pytest.mark.parametrize(("name", "text", "expected"), NAME_CASES)
def test_every_distinctive_part_of_a_name_is_removed(name, text, expected):
    assert redacted([name], text) == expected


def test_tussenvoegsels_initials_and_short_parts_are_never_a_part_on_their_own():
    parts = name_parts("G. van der Berg-ten Hove")
    singles = {p[0] for p in parts.phrases if len(p) == 1}
    assert singles == {"berg", "hove", "bergs", "hoves"}  # each also as a possessive
    assert ("van", "der", "berg") in parts.phrases and ("ten", "hove") in parts.phrases
    assert parts.family == {"berg", "hove"}


KLANTNUMMER_CASES = [
    ("K-9876", "klantnr K9876 / k-5555 / k 9876 / K.9876", f"klantnr {K} / k-5555 / {K} / {K}"),
    ("K-9876", "dossier 9876 en K – 9876", f"dossier {K} en {K}"),  # digits alone, en dash
    ("K-9876", "98765 en 19876 blijven", "98765 en 19876 blijven"),  # part of another number
    ("K-2026", "2026-001 tot 2026-003, op 1.2.2026", "2026-001 tot 2026-003, op 1.2.2026"),  # volgnummers, dates
    ("K-2026", "in 2026 gesproken", f"in {K} gesproken"),  # ambiguous: privacy wins
    ("K-12", "K12 en punt 12", f"{K} en punt 12"),  # fewer than 4 digits: only in full
    ("KL-2024-0042", "kl 2024 0042 en 2024-0042", f"{K} en {K}"),
    ("2026", "nummer 2026, niet 2026-001", f"nummer {K}, niet 2026-001"),  # digits only
    ("123456", "klant 123456", f"klant {K}"),
]


@pytest.mark.parametrize(("number", "text", "expected"), KLANTNUMMER_CASES)
def test_klantnummers_in_any_spelling(number, text, expected):
    assert redacted([], text, numbers=(number,)) == expected


def test_staff_names_stay_unless_they_name_a_complainant():
    staff = ("Jan de Vries", "R. Directeur", "mevrouw Klaagstra")
    text = "Jan de Vries belt Jan terug; R. Directeur spreekt mevrouw Klaagstra en Zwaantje."
    got = redacted(["Jan Klaagstra", "Zwaantje Pieters"], text, keep=staff)
    # A staff member's full name wins over a complainant's first name inside it; a "staff"
    # entry holding a complainant's surname is no protection.
    assert got == f"Jan de Vries belt {N} terug; R. Directeur spreekt mevrouw {N} en {N}."


def test_a_complainant_with_a_staff_members_name_is_still_removed():
    assert redacted(["Jan de Vries"], "Jan de Vries belde", keep=("Jan de Vries",)) == f"{N} belde"


def test_the_count_of_removals_tells_staff_why():
    text, removed = Redactor(["Zwaantje Klaagstra"], ["K-9876"]).redact("Zwaantje Klaagstra (K9876), Klaagstra")
    assert (text, removed) == (f"{N} ({K}), {N}", 3)


def test_many_complainants_share_one_lookup():
    """10,000 complainants: the same answers as with one (the lookup is per word, not per name)."""
    pairs = zip(letters("Anne"), letters("Vos"), strict=True)
    names = [f"{given} {surname}" for given, surname in pairs] + ["Zwaantje Klaagstra"]
    numbers = [f"K-{10_000 + i}" for i in range(10_000)]
    redactor = Redactor(names, numbers)
    text = "Mevrouw Klaagstra en Vosjjj (K-19999); annefff belde over k 10005 met de directie.\n" * 200
    got, removed = redactor.redact(text)
    assert got == f"Mevrouw {N} en {N} ({K}); {N} belde over {K} met de directie.\n" * 200
    assert removed == 5 * 200


def letters(stem: str, count: int = 10_000) -> list[str]:
    """`count` distinct names: the stem and three letters (Anneaaa, Anneaab, ...)."""
    abc = "abcdefghijklmnopqrstuvwxyz"
    return [stem + abc[i // 676 % 26] + abc[i // 26 % 26] + abc[i % 26] for i in range(count)]


MISTAKES = {
    "scalar klager": "klager: Zwaantje Klaagstra\nklantnummer: K-9876\n",
    "misspelt group": "klagr:\n  naam: Zwaantje Klaagstra\n  klantnr: K-9876\n",
    "misspelt field": "klager:\n  name: Zwaantje Klaagstra\n  klantnummer: K-9876\n",
    "broken yaml": "klager:\n  naam: Zwaantje Klaagstra\n  klantnummer: K-9876\nonderwerp: [kapot\n",
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_a_mistake_in_the_klager_field_does_not_hide_the_complainant(tmp_path, mistake):
    source = f"---\nvolgnummer: 2026-001\nontvangen: 2026-02-02\n{MISTAKES[mistake]}---\nTekst.\n"
    register = load_register(write_register(tmp_path, {"klachten/2026/2026-001.md": source}))
    assert register.findings  # the mistake is reported by the check, and meanwhile:
    got = Redactor.for_evaluations(register).redact("Mevrouw Klaagstra en Zwaantje (K9876); Jan de Vries blijft.")
    assert got[0] == f"Mevrouw {N} en {N} ({K}); Jan de Vries blijft."


# --- a real register, built --------------------------------------------------------------

TODAY = "2026-11-20"
STAFF = ("Jan de Vries", "Rianne Directeur", "Sietske Secretariaat")


def complaint(volgnummer: str, ontvangen: str, naam: str, klantnummer: str) -> str:
    return f"""---
volgnummer: {volgnummer}
onderwerp: Terugkoppeling bleef uit
ontvangen: {ontvangen}
kanaal: mondeling
ontvangen_door: Jan de Vries
klager:
  naam: {naam}
  klantnummer: {klantnummer}
categorie: communicatie
---
## Omschrijving
Tekst.
"""


AUDIT_REGISTER = {
    "klachten/procedure.yml": "start: 2026-01-01\n",
    "klachten/2026/2026-001.md": complaint("2026-001", "2026-02-02", "Zwaantje Klaagstra", "K-9876"),
    "klachten/2026/2026-002.md": complaint("2026-002", "2026-03-03", "Bartholomeus Mopperman", "K-5555"),
    # A file with a YAML error still names its complainant: the page must not.
    "klachten/2026/2026-003.md": "---\nvolgnummer: 2026-003\nklager:\n  naam: Gertrude Brokkenpiloot\n"
    "  klantnummer: K-4321\nonderwerp: [kapot\n---\nTekst.\n",
    "klachten/evaluaties/2026-H1.md": """---
periode: 2026-H1
datum: 2026-07-10
deelnemers:
  - Rianne Directeur
  - Jan de Vries
acties:
  - wat: Mevrouw Klaagstra terugbellen
    wie: Sietske Secretariaat
    uiterlijk: 2026-08-01
  - wat: Werkinstructie terugbellen aanpassen
    wie: Jan de Vries
    uiterlijk: 2026-09-01
---
## Verslag over Mopperman en de wachttijd

Besproken: de klacht van mevrouw Klaagstra en van dhr. Mopperman (klantnr K9876 / k-5555).
Rianne Directeur belt Zwaantje
Klaagstra terug, en Zwaantje. Ook Brokkenpiloot (4321) kwam ter sprake.
""",
}
LEAKS = ("klaagstra", "mopperman", "zwaantje", "bartholomeus", "brokkenpiloot", "gertrude", "9876", "5555", "4321")


@pytest.fixture(scope="module")
def audited(tmp_path_factory) -> Path:
    root = write_register(tmp_path_factory.mktemp("audit"), AUDIT_REGISTER)
    result = run_klachten("build", "--today", TODAY, "--root", str(root))
    assert result.returncode == 0, result.stderr
    return root


def found(text: str, words: tuple[str, ...]) -> list[str]:
    lower = text.lower()
    return [w for w in words if w in lower]


def report_files(root: Path) -> dict[str, str]:
    site = root / "site"
    pages = [*site.glob("evaluaties/**/index.html"), *site.glob("jaaroverzichten/**/index.html")]
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in pages}


def test_built_report_pages_hold_no_complainant(audited):
    pages = report_files(audited)
    assert {"evaluaties/2026-h1/index.html", "jaaroverzichten/2026/index.html"} <= set(pages)
    for path, page in pages.items():
        assert found(page, LEAKS) == [], path
    # The leak is in the source, so the test would see it if redaction failed.
    assert "Mopperman" in (audited / "klachten/evaluaties/2026-H1.md").read_text(encoding="utf-8")


def test_search_index_entries_of_report_pages_hold_no_complainant(audited):
    index = json.loads((audited / "site/search/search_index.json").read_text(encoding="utf-8"))
    entries = [d for d in index["docs"] if d["location"].startswith(("evaluaties/", "jaaroverzichten/"))]
    minutes = next(d for d in entries if d["location"] == "evaluaties/2026-h1/#evaluatieoverleg")
    assert f"Verslag over {N} en de wachttijd" in minutes["text"]  # the minutes are indexed
    for entry in entries:
        assert found(entry["title"] + " " + entry["text"], LEAKS) == [], entry["location"]


def test_evaluation_page_keeps_staff_and_ordinary_words(audited):
    page = (audited / "site/evaluaties/2026-h1/index.html").read_text(encoding="utf-8")
    assert "<td>Rianne Directeur, Jan de Vries</td>" in page  # participants
    assert "<td>Sietske Secretariaat</td>" in page and "<td>Jan de Vries</td>" in page  # action holders
    assert f"<td>Mevrouw {N} terugbellen</td>" in page and "<td>Werkinstructie terugbellen aanpassen</td>" in page
    assert f"Besproken: de klacht van mevrouw {N} en van dhr. {N} (klantnr {K} / {K})." in page
    assert f"Rianne Directeur belt {N} terug, en {N}. Ook {N} ({K}) kwam ter sprake." in page
    assert f"Verslag over {N} en de wachttijd" in page
    assert "noemde 9 keer de naam of het klantnummer" in page


def test_annual_page_names_nobody(audited):
    page = (audited / "site/jaaroverzichten/2026/index.html").read_text(encoding="utf-8")
    article = page[page.index("<article") : page.index("</article>")]
    assert f"<td>Mevrouw {N} terugbellen</td>" in article
    assert "<td>Werkinstructie terugbellen aanpassen</td>" in article
    assert found(article, ("directeur", "secretariaat", "vries", "rianne", "sietske")) == []


def test_annual_actions_carry_no_names_even_for_a_template_that_shows_them(audited):
    """A register may override the annual template: the view it gets already names nobody."""
    from datetime import date

    from klachtenregister.site.period_pages import _Context

    view = _Context(load_register(audited), date.fromisoformat(TODAY)).year(2026)
    assert [a.wie for a in view["acties"]] == [NAAM_WEG, NAAM_WEG]  # Sietske Secretariaat, Jan de Vries


def test_csv_and_pdf_without_names_hold_no_complainant(audited, tmp_path):
    csv_file = tmp_path / "klachten.csv"
    result = run_klachten("report", "--root", str(audited), "--today", TODAY, "--jaar", "2026", "--csv", str(csv_file))
    assert result.returncode == 0, result.stderr
    text = csv_file.read_text(encoding="utf-8-sig")
    assert "2026-001" in text and found(text, LEAKS + ("vries",)) == []
    require_tool(CHROMIUM.exists() and bool(shutil.which("pdftotext")), "chromium of pdftotext")
    pdf = tmp_path / "jaaroverzicht.pdf"
    result = run_klachten("report", "--root", str(audited), "--today", TODAY, "--jaar", "2026", "--pdf", str(pdf))
    assert result.returncode == 0, result.stderr
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "terugbellen" in words and found(words, LEAKS + ("directeur", "secretariaat")) == []


# --- issue 17: what the second audit found on report pages, in the PDF and the CSV -------------

HIDDEN_FORMS = [
    ("Zwaantje Klaagstra", "Klaagstras klacht en Zwaantjes brief"),  # possessives
    ("Zwaantje Klaagstra", "mevrouw Klaag\u00adstra belde"),  # soft hyphen
    ("Zwaantje Klaagstra", "mevrouw Klaag\u200bstra belde"),  # zero-width space
    ("Zwaantje Klaagstra", "mevrouw Klaag\u2060stra en Zwaan\ufeffje"),  # word joiner, BOM
    ("Zwaantje Klaagstra", "mevrouw Klaag**stra** belde"),  # Markdown inside the name
    ("Zwaantje Klaagstra", "mevrouw Klaag&#115;tra en Klaag&#x73;tra"),  # entities
    ("Zwaantje Klaagstra", "mevrouw Klaag<b>stra</b> en K`laagstra`"),  # tags and code marks
]


@pytest.mark.parametrize(("name", "text"), HIDDEN_FORMS)
def test_a_name_hidden_by_invisible_characters_or_markup_is_removed(name, text):
    out = redacted([name], text)
    assert N in out
    seen = out.replace("\u00ad", "").replace("\u200b", "").replace("\u2060", "").replace("\ufeff", "")
    for marks in ("**", "&#115;", "&#x73;", "<b>", "</b>", "`"):
        seen = seen.replace(marks, "")
    assert "klaagstra" not in seen.lower() and "zwaantje" not in seen.lower(), out


def test_names_in_a_broken_file_that_span_lines_are_found():
    from klachtenregister.site.redact import loose_values

    text = 'klager:\n  naam: "Berta\n    Brokkenpiloot"\n  klantnr: K-\n    7788\nonderwerp: [x\n'
    assert ("naam", "Berta Brokkenpiloot") in loose_values(text)
    assert ("klantnr", "K- 7788") in loose_values(text)


def test_the_contact_of_an_appeal_is_no_role_word():
    from klachtenregister.site.redact import contact_in

    assert contact_in("klantmanager UWV P. de Wit") == "P. de Wit"
    assert contact_in("arbeidsdeskundige mevrouw Klaasje van Vliet (UWV Gorinchem)") == "Klaasje van Vliet"
    assert contact_in("bij de klantmanager van UWV") == ""


AUDIT_TWO = {
    "klachten/procedure.yml": "start: 2026-01-01\n",
    "klachten/2026/2026-001.md": """---
volgnummer: 2026-001
onderwerp: Bejegening bij intake
ontvangen: 2026-01-05
kanaal: mondeling
ontvangen_door: Jan de Vries
klager:
  naam: Zwaantje Klaagstra
categorie: bejegening
bevestigd: 2026-01-06
directie_geinformeerd: 2026-01-06
directie_betrokken: false
behandelaar:
  rol: directie
  naam: M. Smit
oordeel: ongegrond
oordeel_gemeld: 2026-01-20
afgehandeld: 2026-01-21
afhandeling: Uitgelegd.
beroep:
  ingesteld: 2026-01-25
  bij: klantmanager UWV Petronella Wisselvallig
  uitkomst: Ongegrond, aldus Wisselvallig.
---
Tekst.
""",
    "klachten/2026/2026-002.md": """---
volgnummer: 2026-002 (Mopperman)
onderwerp: Planning
ontvangen: 2026-01-06
kanaal: mondeling
ontvangen_door: Jan de Vries
klager:
  naam: Dirk Mopperman
categorie: planning
bevestigd: 2026-01-07
directie_geinformeerd: 2026-01-07
directie_betrokken: false
behandelaar:
  rol: directie
  naam: M. Smit
oordeel: ongegrond
oordeel_gemeld: 2026-01-20
beroep:
  ingesteld: 2026-01-25
  bij: klantmanager UWV
---
Tekst.
""",
    "klachten/2026/Anna-Jansen.md": """---
onderwerp: Factuur
ontvangen: 2026-01-07
kanaal: mondeling
ontvangen_door: Jan de Vries
klager:
  naam: Anna Jansen
categorie: facturatie
bevestigd: 2026-01-08
directie_geinformeerd: 2026-01-08
directie_betrokken: false
behandelaar:
  rol: directie
  naam: M. Smit
oordeel: ongegrond
oordeel_gemeld: 2026-01-20
beroep:
  ingesteld: 2026-01-26
  bij: klantmanager UWV
---
Tekst.
""",
    "klachten/2026/2026-004.md": """---
volgnummer: 2026-004
onderwerp: Communicatie
ontvangen: 2026-01-08
kanaal: mondeling
ontvangen_door: Jan de Vries
klager:
  naam: "Berta
    Brokkenpiloot"
categorie: [communicatie
---
Tekst.
""",
    "klachten/evaluaties/2026-H1.md": """---
periode: 2026-H1
datum: 2026-01-30
deelnemers: [Jan de Vries, M. Smit]
acties:
  - wat: Klaagstras klacht nabellen, en Klaag\u00adstra zelf
    wie: Jan de Vries
    uiterlijk: 2026-12-01
---
Besproken: Klaag**stra**, Klaag&#115;tra, Klaag\u200bstra, 2026-002 (Mopperman), Anna-Jansen.md,
de klacht van Berta Brokkenpiloot en het beroep bij Petronella Wisselvallig.
""",
}
AUDIT_TWO_NAMES = ("klaagstra", "zwaantje", "mopperman", "anna", "jansen", "brokkenpiloot", "berta", "wisselvallig",
                   "petronella")


def readable(text: str) -> str:
    """What a reader of the page, PDF or CSV sees: tags, entities, marks and invisibles gone."""
    import html
    import re

    seen = html.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"[*_`\u00ad\u200b-\u200d\u2060\ufeff]", "", seen).lower()


def test_report_pages_pdf_and_csv_name_nobody_in_any_of_these_ways(tmp_path):
    root = write_register(tmp_path / "register", AUDIT_TWO)
    ran = run_klachten("build", "--root", str(root), "--today", "2026-02-01", timeout=300)
    assert ran.returncode == 0, ran.stderr
    for page in ("evaluaties/2026-h1", "jaaroverzichten/2026", "evaluaties", "jaaroverzichten"):
        shown = readable((root / "site" / page / "index.html").read_text(encoding="utf-8"))
        assert [n for n in AUDIT_TWO_NAMES if n in shown] == [], page
    evaluation = readable((root / "site/evaluaties/2026-h1/index.html").read_text(encoding="utf-8"))
    assert "zonder volgnummer" in evaluation and "2026-001" in evaluation
    assert "jan de vries" in evaluation  # staff keep their names on evaluation pages
    csv_file = tmp_path / "jaar.csv"
    ran = run_klachten("report", "--root", str(root), "--jaar", "2026", "--today", "2026-02-01",
                       "--csv", str(csv_file), timeout=300)
    assert ran.returncode == 0, ran.stderr
    rows = readable(csv_file.read_text(encoding="utf-8-sig"))
    assert [n for n in AUDIT_TWO_NAMES if n in rows] == [] and "zonder volgnummer" in rows
    require_tool(CHROMIUM.exists() and shutil.which("pdftotext") is not None, "chromium en pdftotext")
    pdf = tmp_path / "jaar.pdf"
    ran = run_klachten("report", "--root", str(root), "--jaar", "2026", "--today", "2026-02-01",
                       "--pdf", str(pdf), timeout=300)
    assert ran.returncode == 0, ran.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert [n for n in AUDIT_TWO_NAMES if n in readable(text)] == []
