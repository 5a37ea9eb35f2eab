"""Issue 13, the validator as staff use it: SPEC 4.1 (choices, template examples, removing '#',
gereed, in beroep) and 4.2 (afspraak, actie and opdrachtgever deadlines, per-deadline
waarschuwing, staff's words, Dutch severities), through the installed `klachten` command."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from conftest import (
    CORE_REL,
    CORE_TODAY,
    NEW_COMPLAINT,
    PRODUCT,
    SPEC_COMPLAINT,
    core_register,
    edit,
    line_of,
    run_klachten,
    write_register,
)

# SPEC's example, still open at step 7: judged on 2026-03-20, the afspraak due 2026-04-01.
JUDGED = SPEC_COMPLAINT.split("voortgang:")[0] + "---\n## Omschrijving\nDe klacht.\n"


def check(root: Path, today: str = CORE_TODAY, *more: str) -> list[dict]:
    ran = run_klachten("check", "--root", str(root), "--today", today, "--format", "json", *more)
    assert ran.returncode in (0, 1), ran.stderr
    return json.loads(ran.stdout)["findings"]


def about(findings: list[dict], code: str | None = None, stap: str | None = None) -> list[dict]:
    return [f for f in findings if (code is None or f["code"] == code) and (stap is None or f.get("stap") == stap)]


# --- SPEC 4.1: choices match whatever the capitals --------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("oordeel: gegrond", "oordeel: Gegrond"),
        ("kanaal: mondeling", "kanaal: Brief"),
        ("directie_betrokken: false", "directie_betrokken: Nee"),
        ("directie_betrokken: false", "directie_betrokken: NEE"),
        ("rol: directie", "rol: Directie"),
        ("categorie: communicatie", "categorie: Communicatie"),
        ("rol: arbeidsdeskundige", "rol: ARBEIDSDESKUNDIGE"),
    ],
)
def test_choices_are_matched_whatever_the_capitals(tmp_path, old, new):
    core_register(tmp_path, edit(SPEC_COMPLAINT, old, new))
    assert check(tmp_path) == []


def test_ja_reads_as_true_and_a_wrong_choice_still_is_an_error(tmp_path):
    source = edit(edit(SPEC_COMPLAINT, "directie_betrokken: false", "directie_betrokken: Ja"),
                  "rol: directie", "rol: onafhankelijke-derde")
    core_register(tmp_path, source)
    assert check(tmp_path) == []
    core_register(tmp_path, edit(SPEC_COMPLAINT, "oordeel: gegrond", "oordeel: Gegrondd"))
    (wrong,) = check(tmp_path)
    assert (wrong["code"], wrong["line"]) == ("veld-ongeldig", line_of(SPEC_COMPLAINT, "oordeel: gegrond"))
    assert "bedoelde je 'gegrond'" in wrong["message"]


# --- SPEC 4.1: an example of the new-complaint template left in ----------------------------------


@pytest.mark.parametrize(
    ("old", "new", "veld"),
    [
        ("naam: M. Smit", "naam: Naam Behandelaar", "behandelaar.naam"),
        ("bevestigd: 2026-03-05", "bevestigd: JJJJ-MM-DD", "bevestigd"),
        ("wat: Wekelijks belcontact met klager", "wat: Omschrijving van de afspraak", "afspraken[0].wat"),
        ("wie: Jan de Vries", "wie: Naam Medewerker", "afspraken[0].wie"),
        ("klantnummer: K-1042", "klantnummer: K-0000", "klager.klantnummer"),
        ("afhandeling: Afspraken nagekomen; klager tevreden.", "afhandeling: Hoe de klacht is afgehandeld.",
         "afhandeling"),
        ("naam: Petra Bakker", "naam: 'Naam Opdrachtgever'", "opdrachtgever.naam"),
        ("notitie: Gesprek met klager gevoerd.", "notitie: Wat er gebeurde.", "voortgang[0].notitie"),
    ],
)
def test_a_template_example_left_in_a_field_is_an_error_on_its_line(tmp_path, old, new, veld):
    source = edit(SPEC_COMPLAINT, old, new)
    core_register(tmp_path, source)
    wrong = [f for f in check(tmp_path) if f["code"] == "veld-ongeldig"]
    assert [(f["line"], f["veld"]) for f in wrong] == [(line_of(source, new), veld)]
    assert "sjabloon" in wrong[0]["message"] and "[0]" not in wrong[0]["message"]


def test_the_examples_come_from_the_registers_own_template(tmp_path):
    """A register with its own templates/klacht.md: its examples count, the product's do not."""
    template = (PRODUCT / "templates/klacht.md").read_text(encoding="utf-8")
    own = edit(template, "#  naam: Naam Behandelaar", "#  naam: Vul Hier De Behandelaar In")
    core_register(tmp_path, edit(SPEC_COMPLAINT, "naam: M. Smit", "naam: Vul hier de behandelaar in"),
                  extra={"templates/klacht.md": own})
    assert [f["veld"] for f in check(tmp_path)] == ["behandelaar.naam"]
    core_register(tmp_path, edit(SPEC_COMPLAINT, "naam: M. Smit", "naam: Naam Behandelaar"))
    assert check(tmp_path) == []


def test_the_templates_body_text_is_an_error_once_the_complaint_is_judged(tmp_path):
    example = "De klacht in de woorden van de klager."
    fresh = NEW_COMPLAINT.replace("De klager hoorde niets na de intake.", example)
    core_register(tmp_path, fresh)
    assert check(tmp_path) == []  # a file just made by `klachten new` passes
    judged = JUDGED.replace("De klacht.", example)
    core_register(tmp_path, judged)
    wrong = [f for f in check(tmp_path) if f["code"] == "veld-ongeldig"]
    assert [f["line"] for f in wrong] == [line_of(judged, example)]
    assert "voorbeeldtekst" in wrong[0]["message"]


# --- SPEC 4.1: removing only the '#' gives valid YAML ------------------------------------------

# A commented field: '#veld: waarde' at the margin, '#  kind: waarde' or '#  - kind: waarde' under
# a group or list. '# ' (hash, one space) starts an explanation.
FIELD = re.compile(r"^#(?: {2,}(?:- )?)?([a-z_]+):")


def new_file(root: Path, *extra: str) -> Path:
    write_register(root, {"klachten/procedure.yml": "start: 2026-01-01\n"})
    ran = run_klachten("new", "--root", str(root), "--ontvangen", "2026-03-02", "--onderwerp", "Geen terugbelactie",
                       "--klager", "Anna Jansen", "--ontvangen-door", "Jan de Vries", *extra)
    assert ran.returncode == 0, ran.stderr
    return Path(ran.stdout.strip())


def uncomment(lines: list[str], indices: list[int]) -> list[str]:
    """Exactly what the staff guide says: remove the '#' at the start of each line, nothing else."""
    return [line[1:] if i in indices else line for i, line in enumerate(lines)]


def yaml_findings(root: Path) -> list[dict]:
    return [f for f in check(root, "2026-03-02") if f["code"] == "yaml"]


@pytest.mark.parametrize("kanaal", ["mondeling", "brief"])
def test_removing_only_the_hash_of_every_commented_field_gives_valid_yaml(tmp_path, kanaal):
    path = new_file(tmp_path, "--kanaal", kanaal)
    lines = path.read_text(encoding="utf-8").split("\n")
    fields = [i for i, line in enumerate(lines) if FIELD.match(line)]
    names = {FIELD.match(lines[i])[1] for i in fields}
    assert names >= {"bevestigd", "rol", "wat", "gereed", "klantnummer", "ingesteld", "ingetrokken", "notitie"}
    for index in fields:  # one field at a time, a group's child too
        path.write_text("\n".join(uncomment(lines, [index])), encoding="utf-8")
        assert yaml_findings(tmp_path) == [], lines[index]
    groups = [i for i, line in enumerate(lines) if re.match(r"^[a-z_]+:$", line) and lines[i + 1].startswith("#  ")]
    assert {lines[i] for i in groups} >= {"behandelaar:", "afspraken:", "opdrachtgever:", "beroep:", "voortgang:"}
    for header in groups:  # a whole group or list: every line below its name
        children = list(itertools.takewhile(lambda j: lines[j].startswith("#  "), range(header + 1, len(lines))))
        path.write_text("\n".join(uncomment(lines, children)), encoding="utf-8")
        assert yaml_findings(tmp_path) == [], lines[header]
    path.write_text("\n".join(uncomment(lines, fields)), encoding="utf-8")  # everything at once
    assert yaml_findings(tmp_path) == []


def test_a_fresh_file_has_no_prose_line_that_looks_like_a_field(tmp_path):
    """A line of explanation never reads as a commented field: removing its '#' is not an option."""
    lines = new_file(tmp_path, "--kanaal", "mondeling").read_text(encoding="utf-8").split("\n")
    prose = [line for line in lines if re.match(r"# \S", line)]
    assert prose and not any(re.match(r"^#\s*[A-Za-z_]+:", line) for line in prose)


def test_a_commented_child_of_a_written_group_is_uncommented_on_its_own(tmp_path):
    path = new_file(tmp_path, "--kanaal", "mondeling")
    lines = path.read_text(encoding="utf-8").split("\n")
    (child,) = [i for i, line in enumerate(lines) if line.startswith("#  klantnummer:")]
    lines = uncomment(lines, [child])
    lines[child] = lines[child].replace("K-0000", "K-2044")
    path.write_text("\n".join(lines), encoding="utf-8")
    assert check(tmp_path, "2026-03-02") == []


def test_filled_in_as_the_guide_says_the_file_passes(tmp_path):
    """Steps 3 and 4 filled in the way the staff guide says: remove the '#', replace the example."""
    path = new_file(tmp_path, "--kanaal", "mondeling")
    text = path.read_text(encoding="utf-8")
    text = text.replace("#bevestigd: JJJJ-MM-DD", "bevestigd: 2026-03-04")
    text = text.replace("#directie_geinformeerd: JJJJ-MM-DD", "directie_geinformeerd: 2026-03-03")
    path.write_text(text, encoding="utf-8")
    assert check(tmp_path, "2026-03-05") == []
    guide = (PRODUCT / "docs/handleiding.md").read_text(encoding="utf-8")
    assert "Haal **alleen het `#`**" in guide and "`#` en twee spaties" in guide
    assert "haal alleen het '#' aan het begin van de regel" in text  # the template says the same


def test_an_example_left_after_removing_the_hash_is_named(tmp_path):
    path = new_file(tmp_path, "--kanaal", "mondeling")
    text = path.read_text(encoding="utf-8").replace("#bevestigd: JJJJ-MM-DD", "bevestigd: JJJJ-MM-DD")
    path.write_text(text, encoding="utf-8")
    (wrong,) = check(tmp_path, "2026-03-02")
    assert (wrong["code"], wrong["line"]) == ("veld-ongeldig", line_of(text, "bevestigd: JJJJ-MM-DD"))
    assert "vul de datum in" in wrong["message"]


# --- SPEC 4.2: afspraken ------------------------------------------------------------------------


def test_an_overdue_afspraak_is_an_error_on_its_uiterlijk_line(tmp_path):
    core_register(tmp_path, JUDGED)
    (late,) = about(check(tmp_path, "2026-04-03"), stap="afspraak")
    assert (late["code"], late["line"], late["file"]) == ("termijn-verlopen", line_of(JUDGED, "uiterlijk:"), CORE_REL)
    assert late["severity"] == "error" and late["volgnummer"] == "2026-007"
    assert "afspraak 1" in late["message"] and "2 dagen geleden" in late["message"]
    assert "[0]" not in late["message"] and "dag(en)" not in late["message"] and "gereed" in late["message"]


def test_an_afspraak_is_kept_with_gereed(tmp_path):
    kept = edit(JUDGED, "uiterlijk: 2026-04-01", "uiterlijk: 2026-04-01\n    gereed: 2026-03-30")
    core_register(tmp_path, kept)
    assert about(check(tmp_path, "2026-04-20"), stap="afspraak") == []
    late = edit(JUDGED, "uiterlijk: 2026-04-01", "uiterlijk: 2026-04-01\n    gereed: 2026-04-02")
    core_register(tmp_path, late)
    (found,) = about(check(tmp_path, "2026-04-20"), stap="afspraak")
    assert (found["code"], found["line"]) == ("termijn-overschreden", line_of(late, "uiterlijk:"))
    assert "1 dag te laat nagekomen" in found["message"]


@pytest.mark.parametrize(("today", "words"), [("2026-04-01", "vandaag"), ("2026-03-31", "nog 1 dag"),
                                              ("2026-03-30", "nog 2 dagen")])
def test_a_nearing_afspraak_counts_in_staffs_words(tmp_path, today, words):
    core_register(tmp_path, JUDGED)
    (near,) = about(check(tmp_path, today), stap="afspraak")
    assert near["code"] == "termijn-nadert" and words in near["message"]


def test_an_afspraak_is_not_owed_once_the_complaint_is_handled_or_withdrawn(tmp_path):
    core_register(tmp_path, SPEC_COMPLAINT)  # afgehandeld 2026-04-02, afspraak without gereed
    assert about(check(tmp_path, "2026-04-30"), stap="afspraak") == []
    withdrawn = edit(JUDGED, "---\n## Omschrijving", "ingetrokken: 2026-03-25\n---\n## Omschrijving")
    core_register(tmp_path, withdrawn)
    assert about(check(tmp_path, "2026-04-30"), stap="afspraak") == []


def test_a_second_afspraak_is_afspraak_2(tmp_path):
    two = edit(JUDGED, "    uiterlijk: 2026-04-01\n",
               "    uiterlijk: 2026-04-01\n    gereed: 2026-03-31\n  - wat: Excuses\n    wie: M. Smit\n"
               "    uiterlijk: 2026-04-10\n")
    core_register(tmp_path, two)
    (late,) = about(check(tmp_path, "2026-04-12"), stap="afspraak")
    assert "afspraak 2" in late["message"] and late["line"] == line_of(two, "uiterlijk: 2026-04-10")


def test_gereed_may_not_lie_in_the_future(tmp_path):
    core_register(tmp_path, edit(JUDGED, "uiterlijk: 2026-04-01", "uiterlijk: 2026-04-01\n    gereed: 2026-05-01"))
    (wrong,) = about(check(tmp_path, "2026-04-30"), "volgorde")
    assert "gereed van afspraak 1" in wrong["message"]


# --- SPEC 4.2: evaluation actions and step 9 -----------------------------------------------------

EVALUATION = """---
periode: 2026-H1
datum: 2026-07-10
deelnemers:
  - R. Directeur
acties:
  - wat: Wachttijd bewaken
    wie: R. Directeur
    uiterlijk: 2026-08-31
  - wat: Werkgeversnetwerk uitbreiden
    wie: K. Jobcoach
    uiterlijk: 2026-09-30
    gereed: 2026-09-01
---
Verslag.
"""


def test_an_overdue_evaluation_action_is_an_error_on_the_actions_line(tmp_path):
    rel = "klachten/evaluaties/2026-H1.md"
    core_register(tmp_path, extra={rel: EVALUATION})
    (late,) = about(check(tmp_path, "2026-09-05"), stap="actie")
    assert (late["code"], late["file"], late["line"]) == ("termijn-verlopen", rel, line_of(EVALUATION, "- wat: Wacht"))
    assert "actie 1 van de evaluatie 2026-H1" in late["message"] and "5 dagen geleden" in late["message"]
    assert about(check(tmp_path, "2026-08-30"), stap="actie")[0]["code"] == "termijn-nadert"


def test_step_9_has_a_deadline_only_when_procedure_yml_sets_one(tmp_path):
    handled = SPEC_COMPLAINT.split("opdrachtgever:")[0] + "---\n## Omschrijving\nTekst.\n"
    core_register(tmp_path, handled)
    assert about(check(tmp_path, "2026-05-30"), stap="opdrachtgever") == []
    core_register(tmp_path, handled, extra={"klachten/procedure.yml": "start: 2026-01-01\ntermijnen:\n"
                                            "  opdrachtgever: 10\n"})
    (late,) = about(check(tmp_path, "2026-04-15"), stap="opdrachtgever")
    assert (late["code"], late["line"]) == ("termijn-verlopen", line_of(handled, "afgehandeld:"))
    assert "stap 9" in late["message"] and "3 dagen geleden" in late["message"]
    core_register(tmp_path, SPEC_COMPLAINT, extra={"klachten/procedure.yml": "start: 2026-01-01\ntermijnen:\n"
                                                   "  opdrachtgever: 10\n  bevestiging: 7\n"})
    assert about(check(tmp_path, "2026-04-30"), stap="opdrachtgever") == []  # both dates within 10 days


# --- SPEC 4.2: waarschuwing per deadline --------------------------------------------------------


def test_waarschuwing_per_deadline(tmp_path):
    procedure = "start: 2026-01-01\nwaarschuwing: {oordeel: 5, afspraak: 0}\n"
    core_register(tmp_path, NEW_COMPLAINT, extra={"klachten/procedure.yml": procedure})  # ontvangen 2026-04-28
    # bevestiging due 2026-05-05 (default 2 days), oordeel due 2026-05-19 (5 days)
    assert {f["stap"] for f in check(tmp_path, "2026-05-02")} == set()
    assert {f["stap"] for f in check(tmp_path, "2026-05-03")} == {"bevestiging"}
    assert {f["stap"] for f in about(check(tmp_path, "2026-05-14"), "termijn-nadert")} == {"oordeel"}


def test_an_unknown_deadline_name_in_waarschuwing_is_named(tmp_path):
    procedure = "start: 2026-01-01\nwaarschuwing:\n  oordel: 5\n  evaluatie: veel\n"
    core_register(tmp_path, extra={"klachten/procedure.yml": procedure})
    wrong = about(check(tmp_path), "veld-ongeldig")
    assert [(f["file"], f["line"], f["veld"]) for f in wrong] == [
        ("klachten/procedure.yml", 3, "waarschuwing.oordel"), ("klachten/procedure.yml", 4, "waarschuwing.evaluatie")]
    assert "bedoelde je 'oordeel'" in wrong[0]["message"] and "geheel getal" in wrong[1]["message"]


# --- SPEC 4.2 and item 2: words as staff speak them -----------------------------------------------


def test_text_output_speaks_dutch_and_json_keeps_the_codes(tmp_path):
    core_register(tmp_path, JUDGED)
    text = run_klachten("check", "--root", str(tmp_path), "--today", "2026-03-31").stdout
    assert f"{CORE_REL}:{line_of(JUDGED, 'uiterlijk:')}: melding termijn-nadert stap 7: afspraak 1" in text
    assert " info " not in text and " error " not in text
    assert "0 fouten, 0 waarschuwingen, 1 melding" in text
    assert check(tmp_path, "2026-03-31")[0]["severity"] == "info"
    late = run_klachten("check", "--root", str(tmp_path), "--today", "2026-04-02")
    assert ": fout termijn-verlopen stap 7: afspraak 1 is niet nagekomen" in late.stdout and late.returncode == 1
    assert "1 fout," in late.stdout
    github = run_klachten("check", "--root", str(tmp_path), "--today", "2026-04-02", "--format", "github").stdout
    assert github.startswith(f"::error file={CORE_REL},line={line_of(JUDGED, 'uiterlijk:')}::termijn-verlopen")


def test_no_programmers_words_in_messages(tmp_path):
    source = edit(edit(NEW_COMPLAINT, "onderwerp: Terugkoppeling na intake bleef uit\n", ""),
                  "categorie: communicatie", "categorie: communicatie\nvoortgang:\n  - datum: 2026-04-29")
    core_register(tmp_path, source)
    messages = [f["message"] for f in check(tmp_path, "2026-04-30")]
    assert "verplicht veld onderwerp ontbreekt" in messages
    assert any("notitie van voortgangsnotitie 1" in m for m in messages)
    assert not any(re.search(r"\[\d+\]|\(onderwerp\)|dag\(en\)", m) for m in messages)


def test_a_misindented_key_inside_a_list_item_is_said_as_what_it_is(tmp_path):
    source = edit(JUDGED, "    wie: Jan de Vries", "   wie: Jan de Vries")
    core_register(tmp_path, source)
    (wrong,) = check(tmp_path)
    assert (wrong["code"], wrong["line"]) == ("yaml", line_of(source, "   wie: Jan"))
    assert "lijstonderdeel erboven ('- wat')" in wrong["message"] and "recht onder 'wat'" in wrong["message"]
    deeper = edit(JUDGED, "    wie: Jan de Vries", "      wie: Jan de Vries")
    core_register(tmp_path, deeper)
    (wrong,) = check(tmp_path)
    assert "'wie' springt verder in dan 'wat'" in wrong["message"]


def test_a_field_that_springs_in_after_removing_hash_and_space_says_so(tmp_path):
    source = edit(NEW_COMPLAINT, "categorie: communicatie", "categorie: communicatie\n bevestigd: 2026-04-29")
    core_register(tmp_path, source)
    (wrong,) = check(tmp_path)
    assert wrong["line"] == line_of(source, " bevestigd:")
    assert "'bevestigd' springt verder in dan 'categorie'" in wrong["message"] and "helemaal links" in wrong["message"]


def test_an_edited_volgnummer_is_told_to_be_put_back(tmp_path):
    core_register(tmp_path, edit(SPEC_COMPLAINT, "volgnummer: 2026-007", "volgnummer: 2026-017"))
    (wrong,) = check(tmp_path)
    assert wrong["code"] == "volgnummer"
    assert "zet het volgnummer terug op 2026-007" in wrong["message"] and "klachten renumber" in wrong["message"]
    assert "hernoem het bestand" not in wrong["message"]


def test_renumber_changes_the_comment_on_top_and_the_volgnummer_only(tmp_path):
    path = new_file(tmp_path, "--kanaal", "mondeling")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n# Klacht 2026-001. ")
    text = text.replace("## Onderzoek", "Zie ook klacht 2026-001 en # Klacht 2026-001.\n\n## Onderzoek")
    path.write_text(text, encoding="utf-8")
    ran = run_klachten("renumber", "2026-001", "--naar", "2026-009", "--root", str(tmp_path))
    assert ran.returncode == 0, ran.stderr
    moved = (tmp_path / "klachten/2026/2026-009.md").read_text(encoding="utf-8")
    expected = text.replace("# Klacht 2026-001. ", "# Klacht 2026-009. ", 1).replace(
        "volgnummer: 2026-001", "volgnummer: 2026-009")
    assert moved == expected and "Zie ook klacht 2026-001 en # Klacht 2026-001." in moved


def test_a_quote_left_open_is_named_on_its_own_line(tmp_path):
    source = edit(SPEC_COMPLAINT, "onderwerp: Terugkoppeling na intake bleef uit",
                  'onderwerp: "Terugkoppeling na intake bleef uit')
    source = edit(source, "ontvangen_door: Jan de Vries ", 'ontvangen_door: "Jan de Vries"')
    core_register(tmp_path, source)
    (wrong,) = [f for f in check(tmp_path) if f["code"] == "yaml"]
    assert wrong["line"] == line_of(source, 'onderwerp: "Terugkoppeling')
    assert "aanhalingsteken" in wrong["message"] and "niet gesloten" in wrong["message"]


def test_each_overdue_afspraak_is_an_item_of_its_own_in_the_issue_termijnen(tmp_path):
    from datetime import date

    from klachtenregister.check import check_root
    from klachtenregister.deadline_issue import pressing_items

    two = edit(JUDGED, "    uiterlijk: 2026-04-01\n",
               "    uiterlijk: 2026-04-01\n  - wat: Excuses\n    wie: M. Smit\n    uiterlijk: 2026-04-02\n")
    core_register(tmp_path, two)
    items = [i for i in pressing_items(check_root(tmp_path, date(2026, 4, 10))) if i.stap == "afspraak"]
    assert sorted(i.subject for i in items) == ["2026-007 afspraak 1", "2026-007 afspraak 2"]
    assert len({i.key for i in items}) == 2


def test_schriftelijk_and_brief_are_explained_where_staff_choose(tmp_path):
    path = new_file(tmp_path, "--kanaal", "schriftelijk")
    text = path.read_text(encoding="utf-8")
    comment = text[: text.index("\nkanaal: schriftelijk")].rsplit("# Stap 1", 1)[1]
    assert "schriftelijk (e-mail" in comment and "brief (een brief" in comment
    guide = (PRODUCT / "docs/handleiding.md").read_text(encoding="utf-8")
    table = guide.split("### Mondeling, schriftelijk of brief?")[1].split("##")[0]
    assert "| `schriftelijk` | een e-mail" in table and "bewaar het bericht als bijlage" in table
    assert "**verplicht**" in table.split("| `brief` |")[1]
