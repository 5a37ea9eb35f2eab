"""Every row of SPEC's finding table, and the required-fields table with its status rule.

Table-driven: a register (usually SPEC's own example complaint with one change) and the
findings it must give, exactly, as (file, code, line, veld, stap). Lines are looked up in the
source text. The deadline codes are covered at their boundaries in test_deadlines.py.
"""

from __future__ import annotations

import os
from datetime import date

import pytest

from conftest import (
    CORE_REL,
    CORE_TODAY,
    NEW_COMPLAINT,
    SPEC_COMPLAINT,
    check_json,
    core_register,
    edit,
    line_of,
    write_register,
)
from klachtenregister.findings import SEVERITY
from klachtenregister.model import Behandelaar, Complaint
from klachtenregister.rules.privacy import elfproef

EVALUATION_REL = "klachten/evaluaties/2026-H1.md"
OVERVIEW_REL = "klachten/jaaroverzichten/2025.md"


def drop(text: str, *starts: str) -> str:
    """`text` without the lines that start with any of `starts` (after indentation)."""
    return "".join(line for line in text.splitlines(True) if not line.lstrip().startswith(starts))


def found(root, today: str = CORE_TODAY) -> set[tuple]:
    return {(f["file"], f["code"], f["line"], f.get("veld"), f.get("stap")) for f in check_json(root, today)}


def at(source: str, needle: str | None, code: str, veld: str | None = None, stap: str | None = None, rel=CORE_REL):
    return (rel, code, line_of(source, needle) if needle else 1, veld, stap)


# --- yaml, veld-ongeldig: a sample here, every variant in test_loader.py ------------------


def test_yaml_and_veld_ongeldig_rows(tmp_path):
    broken = SPEC_COMPLAINT.replace("kanaal: mondeling", "kanaal: mondeling\nkanaal: brief", 1)
    core_register(tmp_path, broken)
    assert found(tmp_path) == {at(broken, "kanaal: brief", "yaml")}
    typo = edit(SPEC_COMPLAINT, "oordeel: gegrond", "oordeel: gegrnd")
    core_register(tmp_path, typo)
    assert found(tmp_path) == {at(typo, "gegrnd", "veld-ongeldig", "oordeel")}


# --- veld-ontbreekt: always required -------------------------------------------------------

ALWAYS = ["volgnummer", "onderwerp", "ontvangen", "kanaal", "ontvangen_door", "categorie"]


@pytest.mark.parametrize("name", ALWAYS)
def test_each_always_required_field_missing_is_reported_on_line_1(tmp_path, name):
    core_register(tmp_path, drop(NEW_COMPLAINT, f"{name}:"))
    assert found(tmp_path) == {(CORE_REL, "veld-ontbreekt", 1, name, None)}


def test_klager_naam_missing(tmp_path):
    core_register(tmp_path, drop(NEW_COMPLAINT, "klager:", "naam:"))
    assert found(tmp_path) == {(CORE_REL, "veld-ontbreekt", 1, "klager.naam", None)}
    only_number = edit(NEW_COMPLAINT, "  naam: Anna Jansen", "  klantnummer: K-1042")
    core_register(tmp_path, only_number)
    assert found(tmp_path) == {at(only_number, "klager:", "veld-ontbreekt", "klager.naam")}


@pytest.mark.parametrize("blank", ['""', "''", '"   "', ""])
@pytest.mark.parametrize("name", ["volgnummer", "onderwerp", "ontvangen_door", "categorie"])
def test_an_always_required_field_left_blank_is_missing_on_its_own_line(tmp_path, name, blank):
    source = "".join(
        f"{name}: {blank}\n" if line.startswith(f"{name}:") else line for line in NEW_COMPLAINT.splitlines(True)
    )
    core_register(tmp_path, source)
    assert found(tmp_path) == {at(source, f"{name}:", "veld-ontbreekt", name)}
    [finding] = check_json(tmp_path, CORE_TODAY)
    assert "is leeg" in finding["message"] and finding["volgnummer"] == "2026-007"


def test_blank_klager_naam_and_blank_afhandeling(tmp_path):
    blank_name = edit(NEW_COMPLAINT, "  naam: Anna Jansen", '  naam: "  "')
    core_register(tmp_path, blank_name)
    assert found(tmp_path) == {at(blank_name, '  naam: "  "', "veld-ontbreekt", "klager.naam")}
    # A blank afhandeling is not a step done: it does not make the beoordeeld fields required.
    core_register(tmp_path, edit(NEW_COMPLAINT, "categorie: communicatie", "categorie: communicatie\nafhandeling: ''"))
    assert found(tmp_path) == set()


def test_a_blank_attachment_name_is_invalid(tmp_path):
    source = edit(NEW_COMPLAINT, "categorie: communicatie", 'categorie: communicatie\nbijlagen:\n  - ""')
    core_register(tmp_path, source)
    assert found(tmp_path) == {at(source, '  - ""', "veld-ongeldig", "bijlagen[0]")}


def test_a_newly_registered_complaint_needs_nothing_more(tmp_path):
    core_register(tmp_path, NEW_COMPLAINT)
    assert found(tmp_path) == set()


# --- veld-ontbreekt: the status rule -------------------------------------------------------

BEOORDEELD = ["bevestigd", "directie_geinformeerd", "directie_betrokken", "oordeel", "oordeel_gemeld"]
BEOORDEELD_ALL = [*BEOORDEELD, "behandelaar.rol", "behandelaar.naam"]


def test_afgehandeld_without_oordeel_gemeld_requires_every_beoordeeld_field(tmp_path):
    source = edit(
        NEW_COMPLAINT,
        "categorie: communicatie\n",
        "categorie: communicatie\nafgehandeld: 2026-04-29\nafhandeling: Gesprek gevoerd.\n",
    )
    core_register(tmp_path, source)
    expected = {at(source, "afgehandeld:", "veld-ontbreekt", name) for name in BEOORDEELD_ALL}
    assert found(tmp_path) == expected
    message = next(f["message"] for f in check_json(tmp_path, CORE_TODAY) if f.get("veld") == "oordeel_gemeld")
    assert "beoordeeld" in message and "afgehandeld" in message


def test_oordeel_gemeld_reaches_beoordeeld(tmp_path):
    source = edit(NEW_COMPLAINT, "categorie: communicatie\n", "categorie: communicatie\noordeel_gemeld: 2026-04-29\n")
    core_register(tmp_path, source)
    names = [n for n in BEOORDEELD_ALL if n != "oordeel_gemeld"]
    assert found(tmp_path) == {at(source, "oordeel_gemeld", "veld-ontbreekt", name) for name in names}


def test_afgehandeld_requires_afhandeling(tmp_path):
    source = drop(
        SPEC_COMPLAINT,
        "afhandeling:",
        "opdrachtgever",
        "rol: arbeids",
        "naam: Petra",
        "organisatie:",
        "klantdossier",
        "beroep:",
        "ingesteld:",
        "bij:",
        "uitkomst:",
    )
    core_register(tmp_path, source)
    assert found(tmp_path) == {at(source, "afgehandeld:", "veld-ontbreekt", "afhandeling")}


@pytest.mark.parametrize("oordeel", ["gegrond", "deels-gegrond"])
def test_upheld_and_afgehandeld_without_afspraken(tmp_path, oordeel):
    source = drop(
        edit(SPEC_COMPLAINT, "oordeel: gegrond", f"oordeel: {oordeel}"), "afspraken:", "- wat:", "wie:", "uiterlijk:"
    )
    core_register(tmp_path, source)
    assert found(tmp_path) == {at(source, "afgehandeld:", "veld-ontbreekt", "afspraken")}


def test_ongegrond_needs_no_afspraken_and_upheld_needs_them_only_once_handled(tmp_path):
    source = drop(
        edit(SPEC_COMPLAINT, "oordeel: gegrond", "oordeel: ongegrond"), "afspraken:", "- wat:", "wie:", "uiterlijk:"
    )
    core_register(tmp_path, source)
    assert found(tmp_path) == set()
    judged = SPEC_COMPLAINT.split("afspraken:")[0] + "---\n"  # beoordeeld, gegrond, no afspraken yet
    core_register(tmp_path, judged)
    assert found(tmp_path) == set()


def test_gesloten_requires_opdrachtgever(tmp_path):
    source = drop(SPEC_COMPLAINT, "opdrachtgever:", "rol: arbeids", "naam: Petra", "organisatie:")
    core_register(tmp_path, source)
    trigger = "opdrachtgever_geinformeerd"
    assert found(tmp_path) == {
        at(source, trigger, "veld-ontbreekt", "opdrachtgever.rol"),
        at(source, trigger, "veld-ontbreekt", "opdrachtgever.naam"),
    }


def test_one_step_9_date_requires_the_afgehandeld_row_but_not_the_other_date(tmp_path):
    source = NEW_COMPLAINT.replace("---\n## Omschrijving", "klantdossier_bijgewerkt: 2026-04-29\n---\n## Omschrijving")
    core_register(tmp_path, source)
    expected = {
        at(source, "klantdossier", "veld-ontbreekt", name) for name in [*BEOORDEELD_ALL, "afgehandeld", "afhandeling"]
    }
    assert found(tmp_path) == expected


def test_beroep_is_optional_but_complete_when_written(tmp_path):
    core_register(tmp_path, drop(SPEC_COMPLAINT, "beroep:", "ingesteld:", "bij:", "uitkomst:"))
    assert found(tmp_path) == set()
    partial = drop(SPEC_COMPLAINT, "bij: klantmanager")
    core_register(tmp_path, partial)
    assert found(tmp_path) == {at(partial, "beroep:", "veld-ontbreekt", "beroep.bij")}


def test_beroep_implies_the_complaint_was_judged(tmp_path):
    source = NEW_COMPLAINT.replace("---\n## Omschrijving", "beroep:\n  ingesteld: 2026-04-29\n  bij: UWV\n---\n## Om")
    core_register(tmp_path, source)
    assert found(tmp_path) == {at(source, "beroep:", "veld-ontbreekt", name) for name in BEOORDEELD_ALL}


def test_a_group_of_a_later_step_written_partly(tmp_path):
    source = NEW_COMPLAINT.replace("---\n## Omschrijving", "behandelaar:\n  rol: directie\n---\n## Omschrijving")
    core_register(tmp_path, source)
    assert found(tmp_path) == {at(source, "behandelaar:", "veld-ontbreekt", "behandelaar.naam")}
    [finding] = check_json(tmp_path, CORE_TODAY)
    assert "zodra" not in finding["message"]  # not required by a step reached: the group is incomplete


def test_withdrawn_complaint_needs_nothing_more(tmp_path):
    source = NEW_COMPLAINT.replace("---\n## Omschrijving", "ingetrokken: 2026-04-29\n---\n## Omschrijving")
    core_register(tmp_path, source)
    assert found(tmp_path, "2026-06-30") == set()


def test_evaluation_and_overview_required_fields(tmp_path):
    core_register(
        tmp_path,
        extra={
            EVALUATION_REL: "---\nperiode: 2026-H1\ndeelnemers: [R. Directeur]\n---\nVerslag.\n",
            OVERVIEW_REL: "---\njaar: 2025\nverzonden: 2026-02-01\n---\n",
        },
    )
    assert found(tmp_path) == {
        (EVALUATION_REL, "veld-ontbreekt", 1, "datum", None),
        (OVERVIEW_REL, "veld-ontbreekt", 1, "aan", None),
    }


def test_missing_finding_is_not_repeated_for_an_unreadable_group(tmp_path):
    source = edit(NEW_COMPLAINT, "klager:\n  naam: Anna Jansen", "klager: Anna Jansen")
    core_register(tmp_path, source)
    assert found(tmp_path) == {at(source, "klager:", "veld-ongeldig", "klager")}


# --- status (derived, never stored) --------------------------------------------------------

STATUS_CASES = [
    ({}, "ontvangen"),
    ({"bevestigd": "2026-03-05"}, "bevestigd"),
    ({"bevestigd": "2026-03-05", "behandelaar": "x"}, "in behandeling"),
    ({"behandelaar": "x", "oordeel_gemeld": "2026-03-20"}, "beoordeeld"),
    ({"oordeel_gemeld": "2026-03-20", "afgehandeld": "2026-04-02"}, "afgehandeld"),
    ({"afgehandeld": "2026-04-02", "klantdossier_bijgewerkt": "2026-04-03"}, "afgehandeld"),
    ({"klantdossier_bijgewerkt": "2026-04-03", "opdrachtgever_geinformeerd": "2026-04-03"}, "gesloten"),
    ({"afgehandeld": "2026-04-02", "ingetrokken": "2026-03-10"}, "ingetrokken"),
]


@pytest.mark.parametrize(("fields", "status"), STATUS_CASES)
def test_status_is_derived_from_the_fields(fields, status):
    values = {
        k: (Behandelaar("directie", "M") if k == "behandelaar" else date.fromisoformat(v)) for k, v in fields.items()
    }
    complaint = Complaint("klachten/2026/2026-007.md", "", 1, {}, **values)
    assert complaint.status == status
    assert complaint.is_open == (status not in ("gesloten", "ingetrokken"))


# --- volgnummer -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("volgnummer", "rel", "ontvangen", "why"),
    [
        ("2026-7", "klachten/2026/2026-7.md", "2026-03-02", "vorm"),
        ("2026-007", "klachten/2026/2026-008.md", "2026-03-02", "zet het volgnummer terug op 2026-008"),
        ("2026-007", "klachten/2025/2026-007.md", "2026-03-02", "klachten/2026/"),
        ("2026-007", "klachten/2026/2026-007.md", "2025-12-30", "2025"),
        ("2026-0007", "klachten/2026/2026-0007.md", "2026-03-02", "schrijf 2026-007"),
        ('"2026-00²"', "klachten/2026/2026-007.md", "2026-03-02", "vorm"),  # a digit, but not 0-9
    ],
    ids=["vorm", "bestandsnaam", "map", "jaar", "voorloopnullen", "superscript"],
)
def test_volgnummer_problems(tmp_path, volgnummer, rel, ontvangen, why):
    source = edit(edit(NEW_COMPLAINT, "volgnummer: 2026-007", f"volgnummer: {volgnummer}"), "2026-04-28", ontvangen)
    write_register(tmp_path, {"klachten/procedure.yml": "start: 2026-01-01\n", rel: source})
    findings = [f for f in check_json(tmp_path, CORE_TODAY) if f["code"] == "volgnummer"]
    assert [(f["file"], f["line"], f["veld"]) for f in findings] == [(rel, 2, "volgnummer")]
    assert why in findings[0]["message"]


def test_volgnummer_three_or_more_digits(tmp_path):
    source = edit(NEW_COMPLAINT, "volgnummer: 2026-007", "volgnummer: 2026-1000")
    core_register(tmp_path, NEW_COMPLAINT, extra={"klachten/2026/2026-1000.md": source})
    assert found(tmp_path) == set()


def test_duplicate_volgnummer_on_every_file_naming_the_other(tmp_path):
    other = "klachten/2026/2026-008.md"
    source = NEW_COMPLAINT  # volgnummer 2026-007 in 2026-008.md too
    core_register(tmp_path, NEW_COMPLAINT, extra={other: source})
    dupes = [f for f in check_json(tmp_path, CORE_TODAY) if f["code"] == "volgnummer" and "dubbel" in f["message"]]
    assert sorted((f["file"], f["line"]) for f in dupes) == [(CORE_REL, 2), (other, 2)]
    for f in dupes:
        assert (other if f["file"] == CORE_REL else CORE_REL) in f["message"]


# --- volgorde ------------------------------------------------------------------------------

ORDER_CASES = [
    ("bevestigd: 2026-03-05", "bevestigd: 2026-03-01", "bevestigd"),
    ("datum: 2026-03-10", "datum: 2026-02-10", "voortgang[0].datum"),
    ("afgehandeld: 2026-04-02", "afgehandeld: 2026-03-19", "afgehandeld"),
    ("klantdossier_bijgewerkt: 2026-04-03", "klantdossier_bijgewerkt: 2026-04-01", "klantdossier_bijgewerkt"),
    ("opdrachtgever_geinformeerd: 2026-04-03", "opdrachtgever_geinformeerd: 2026-04-01", "opdrachtgever_geinformeerd"),
    ("ingesteld: 2026-04-20", "ingesteld: 2026-03-19", "beroep.ingesteld"),
    ("ingesteld: 2026-04-20", "ingesteld: 2026-05-01", "beroep.ingesteld"),  # after today
    ("ingetrokken: null", "ingetrokken: 2026-02-01", "ingetrokken"),
]


@pytest.mark.parametrize(("old", "new", "veld"), ORDER_CASES, ids=[c[2] + "-" + c[1][-5:] for c in ORDER_CASES])
def test_volgorde(tmp_path, old, new, veld):
    source = edit(SPEC_COMPLAINT, old, new)
    core_register(tmp_path, source)
    volgorde = {f for f in found(tmp_path) if f[1] == "volgorde"}
    assert volgorde == {at(source, new, "volgorde", veld)}


def test_planned_dates_may_lie_in_the_future_recorded_ones_not(tmp_path):
    source = edit(SPEC_COMPLAINT, "uiterlijk: 2026-04-01", "uiterlijk: 2027-01-01")
    core_register(tmp_path, source)
    assert found(tmp_path) == set()
    evaluation = "---\nperiode: 2026-H1\ndatum: 2026-05-02\ndeelnemers: [R. Directeur]\n---\n"
    core_register(tmp_path, extra={EVALUATION_REL: evaluation})
    assert found(tmp_path) == {(EVALUATION_REL, "volgorde", 3, "datum", None)}


def test_recorded_today_is_not_in_the_future(tmp_path):
    core_register(tmp_path, edit(SPEC_COMPLAINT, "ingesteld: 2026-04-20", f"ingesteld: {CORE_TODAY}"))
    assert found(tmp_path) == set()


# --- onafhankelijkheid ---------------------------------------------------------------------


def test_onafhankelijkheid(tmp_path):
    source = edit(SPEC_COMPLAINT, "directie_betrokken: false", "directie_betrokken: true")
    core_register(tmp_path, source)
    assert found(tmp_path) == {at(source, "rol: directie", "onafhankelijkheid", "behandelaar.rol")}
    fixed = edit(source, "rol: directie ", "rol: onafhankelijke-derde ")
    core_register(tmp_path, fixed)
    assert found(tmp_path) == set()


# --- bijlage ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("ontbreekt.pdf", "bestaat niet"),
        ("../2026-008/brief.pdf", "buiten"),
        ("/etc/passwd", "buiten"),
        ("..\\..\\geheim.pdf", "buiten"),
        ("C:/brief.pdf", "buiten"),
    ],
    ids=["ontbreekt", "ouder", "absoluut", "backslash", "schijf"],
)
def test_attachment_missing_or_outside_its_folder(tmp_path, name, words):
    source = edit(SPEC_COMPLAINT, "  - brief.pdf", f"  - {name}")
    core_register(tmp_path, source, extra={"klachten/2026/2026-008/brief.pdf": b"x"})
    findings = [f for f in check_json(tmp_path, CORE_TODAY) if f["file"] == CORE_REL]
    assert [(f["code"], f["line"], f["veld"]) for f in findings] == [("bijlage", 12, "bijlagen[0]")]
    assert words in findings[0]["message"]


def test_attachment_through_a_link_out_of_the_folder(tmp_path):
    core_register(tmp_path)
    letter = tmp_path / "klachten/2026/2026-007/brief.pdf"
    letter.unlink()
    os.symlink(tmp_path / "klachten/procedure.yml", letter)
    assert found(tmp_path) == {at(SPEC_COMPLAINT, "- brief.pdf", "bijlage", "bijlagen[0]")}


def test_letter_missing_for_kanaal_brief(tmp_path):
    source = drop(edit(SPEC_COMPLAINT, "kanaal: mondeling", "kanaal: brief"), "bijlagen:", "- brief.pdf")
    core_register(tmp_path, source)
    assert found(tmp_path) == {at(source, "kanaal: brief", "bijlage", "bijlagen")}
    empty = edit(source, "categorie: communicatie", "categorie: communicatie\nbijlagen: []")
    core_register(tmp_path, empty)
    assert found(tmp_path) == {at(empty, "kanaal: brief", "bijlage", "bijlagen")}
    with_letter = edit(SPEC_COMPLAINT, "kanaal: mondeling", "kanaal: brief")
    core_register(tmp_path, with_letter)
    assert found(tmp_path) == set()


# --- privacy ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bsn", ["111222333", "1112.22.333", "111 222 333", "123456782"])
def test_bsn_anywhere_in_the_file(tmp_path, bsn):
    assert elfproef(bsn.replace(".", "").replace(" ", ""))
    in_front = edit(SPEC_COMPLAINT, "klantnummer: K-1042", f"klantnummer: {bsn}")
    core_register(tmp_path, in_front)
    assert found(tmp_path) == {at(in_front, bsn, "privacy")}
    in_body = SPEC_COMPLAINT + f"\nDe klager noemde haar BSN {bsn} aan de telefoon.\n"
    core_register(tmp_path, in_body)
    assert found(tmp_path) == {at(in_body, bsn, "privacy")}
    message = check_json(tmp_path, CORE_TODAY)[0]["message"]
    assert "BSN" in message and bsn not in message  # masked: never copied into CI logs


@pytest.mark.parametrize("number", ["111222334", "123456789", "000000000", "1112223330", "K-11122233"])
def test_numbers_that_are_no_bsn_are_not_flagged(tmp_path, number):
    core_register(tmp_path, SPEC_COMPLAINT + f"\nDossiernummer {number}.\n")
    assert found(tmp_path) == set()


def test_bsn_in_an_evaluation_record(tmp_path):
    evaluation = (
        "---\nperiode: 2026-H1\ndatum: 2026-04-29\ndeelnemers: [R. Directeur]\n---\nKlant 111222333 besproken.\n"
    )
    core_register(tmp_path, extra={EVALUATION_REL: evaluation})
    assert found(tmp_path) == {(EVALUATION_REL, "privacy", 6, None, None)}


# --- bewaartermijn -----------------------------------------------------------------------------


@pytest.mark.parametrize(("today", "expected"), [("2027-04-03", False), ("2027-04-04", True)])
def test_bewaartermijn_after_closing(tmp_path, today, expected):
    core_register(tmp_path, extra={"klachten/procedure.yml": "start: 2026-01-01\nbewaartermijn: 1\n"})
    codes = {f for f in found(tmp_path, today) if f[0] == CORE_REL}
    assert codes == ({(CORE_REL, "bewaartermijn", 2, None, None)} if expected else set())


def test_bewaartermijn_only_when_procedure_sets_one(tmp_path):
    core_register(tmp_path)
    assert {f for f in found(tmp_path, "2040-01-01") if f[0] == CORE_REL} == set()


def test_bewaartermijn_counts_from_withdrawal(tmp_path):
    source = NEW_COMPLAINT.replace("---\n## Omschrijving", "ingetrokken: 2026-04-29\n---\n## Omschrijving")
    core_register(tmp_path, source, extra={"klachten/procedure.yml": "start: 2026-01-01\nbewaartermijn: 2\n"})
    assert {f for f in found(tmp_path, "2028-04-30") if f[0] == CORE_REL} == {
        (CORE_REL, "bewaartermijn", 2, None, None)
    }


# --- termijn codes: one of each here, the boundaries in test_deadlines.py ----------------------


def test_termijn_rows(tmp_path):
    late = edit(SPEC_COMPLAINT, "bevestigd: 2026-03-05", "bevestigd: 2026-03-10")
    core_register(tmp_path, late)
    assert found(tmp_path) == {at(late, "bevestigd:", "termijn-overschreden", "bevestigd", "bevestiging")}
    core_register(tmp_path, NEW_COMPLAINT)
    assert found(tmp_path, "2026-05-03") == {
        at(NEW_COMPLAINT, "ontvangen:", "termijn-nadert", "bevestigd", "bevestiging")
    }
    assert found(tmp_path, "2026-05-06") == {
        at(NEW_COMPLAINT, "ontvangen:", "termijn-verlopen", "bevestigd", "bevestiging")
    }


def test_every_code_of_the_finding_table_has_its_severity():
    assert SEVERITY == {
        "yaml": "error",
        "veld-ontbreekt": "error",
        "veld-ongeldig": "error",
        "volgnummer": "error",
        "volgorde": "error",
        "onafhankelijkheid": "error",
        "bijlage": "error",
        "privacy": "error",
        "bewaartermijn": "info",
        "termijn-verlopen": "error",
        "termijn-overschreden": "warning",
        "termijn-nadert": "info",
        "terugdatering": "warning",  # SPEC 4.2
    }
