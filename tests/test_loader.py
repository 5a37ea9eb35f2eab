"""Bad input: every way staff (or an attacker) can break a file gives a finding on the right
file and line, never a crash, and never hides the findings of the other files.

Each case writes one complaint file next to a valid procedure.yml and checks the findings of
that file exactly: (code, line, veld). Lines are found in the source text itself.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

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
from klachtenregister import register as loading

HEAD = NEW_COMPLAINT.split("---\n## Omschrijving")[0]  # front matter without its closing line
BODY = "---\n## Omschrijving\nDe klager hoorde niets na de intake.\n"


def with_lines(*lines: str) -> str:
    """NEW_COMPLAINT with `lines` added at the end of its front matter."""
    return HEAD + "".join(line + "\n" for line in lines) + BODY


def findings_of(root: Path, rel: str = CORE_REL, today: str = CORE_TODAY) -> list[dict]:
    return [f for f in check_json(root, today) if f["file"] == rel]


def triples(findings: list[dict]) -> set[tuple]:
    return {(f["code"], f["line"], f.get("veld")) for f in findings}


def one(root: Path, code: str, rel: str = CORE_REL) -> dict:
    found = [f for f in findings_of(root, rel) if f["code"] == code]
    assert len(found) == 1, found
    return found[0]


# --- table: source text -> exactly these findings on the file ----------------------------

CASES = [
    # (id, source, [(code, needle whose line is expected, veld)])
    ("geen-front-matter", "Alleen tekst, geen velden.\n", [("yaml", None, None)]),
    ("leeg-bestand", "", [("yaml", None, None)]),
    ("niet-afgesloten", HEAD, [("yaml", None, None)]),
    ("lijst", "---\n- volgnummer: 2026-007\n- onderwerp: x\n---\n", [("yaml", "- volgnummer", None)]),
    ("losse-tekst", "---\nzomaar wat tekst\n---\n", [("yaml", "zomaar", None)]),
    ("open-aanhalingsteken", with_lines('afhandeling: "nog niet klaar', "voortgang:"), [("yaml", "afhandeling", None)]),
    ("dubbele-punt", with_lines("afhandeling: klaar: of niet"), [("yaml", "afhandeling", None)]),
    ("tab", with_lines("beroep:", "\tbij: x"), [("yaml", "\tbij", None)]),
    ("dubbel-veld", with_lines("kanaal: brief"), [("yaml", "kanaal: brief", None)]),
    (
        "dubbel-in-groep",
        edit(NEW_COMPLAINT, "  naam: Anna Jansen\n", "  naam: Anna Jansen\n  naam: Piet Jansen\n"),
        [("yaml", "naam: Piet", None)],
    ),
    ("python-tag", with_lines("afhandeling: !!python/object/apply:os.system ['true']"), [("yaml", "!!python", None)]),
    ("python-name", with_lines("afhandeling: !!python/name:os.system"), [("yaml", "!!python", None)]),
    ("binary-tag", with_lines("afhandeling: !!binary aGFsbG8="), [("yaml", "!!binary", None)]),
    ("eigen-tag", with_lines("afhandeling: !geheim x"), [("yaml", "!geheim", None)]),
    ("merge-sleutel", with_lines("beroep:", "  <<: {bij: x}"), [("yaml", "<<", None)]),
    ("anker", with_lines("afhandeling: &a tekst", "notitie: *a"), [("yaml", "&a", None)]),
    ("besturingsteken", with_lines("afhandeling: a\x07b"), [("yaml", "\x07", None)]),
    ("onmogelijke-datum", with_lines("bevestigd: 2026-02-30"), [("veld-ongeldig", "bevestigd", "bevestigd")]),
    ("datum-met-tijd", with_lines("bevestigd: 2026-04-29T10:00"), [("veld-ongeldig", "bevestigd", "bevestigd")]),
    ("datum-als-getal", with_lines("bevestigd: 20260429"), [("veld-ongeldig", "bevestigd", "bevestigd")]),
    ("onbekend-veld", with_lines("bevestigt: 2026-04-29"), [("veld-ongeldig", "bevestigt", "bevestigt")]),
    (
        "onbekend-veld-in-groep",
        edit(NEW_COMPLAINT, "  naam: Anna Jansen\n", "  naam: Anna Jansen\n  klantnumer: K-1\n"),
        [("veld-ongeldig", "klantnumer", "klager.klantnumer")],
    ),
    (
        "yes-is-geen-ja",
        with_lines("directie_betrokken: yes"),
        [("veld-ongeldig", "directie_betrokken", "directie_betrokken")],
    ),
    (
        "ja-nee-getal",
        with_lines("directie_betrokken: 1"),
        [("veld-ongeldig", "directie_betrokken", "directie_betrokken")],
    ),
    (
        "kanaal-onbekend",
        edit(NEW_COMPLAINT, "kanaal: mondeling", "kanaal: email"),
        [("veld-ongeldig", "kanaal", "kanaal")],
    ),
    (
        "categorie-tikfout",
        edit(NEW_COMPLAINT, "categorie: communicatie", "categorie: comunicatie"),
        [("veld-ongeldig", "categorie", "categorie")],
    ),
    (
        "groep-als-tekst",
        edit(NEW_COMPLAINT, "klager:\n  naam: Anna Jansen\n", "klager: Anna Jansen\n"),
        [("veld-ongeldig", "klager", "klager")],
    ),
    ("lijst-als-tekst", with_lines("voortgang: belde op 29 april"), [("veld-ongeldig", "voortgang", "voortgang")]),
    ("datum-als-lijst", with_lines("bevestigd: [2026-04-29]"), [("veld-ongeldig", "bevestigd", "bevestigd")]),
    (
        "lijstregel-onvolledig",
        with_lines("voortgang:", "  - datum: 2026-04-29"),
        [("veld-ontbreekt", "- datum", "voortgang[0].notitie")],
    ),
]


@pytest.mark.parametrize(("source", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gives_exactly_its_findings(tmp_path, source, expected):
    core_register(tmp_path, source)
    want = {(code, line_of(source, needle) if needle else 1, veld) for code, needle, veld in expected}
    assert triples(findings_of(tmp_path)) == want


# --- the cases that say more than a line -------------------------------------------------


def test_duplicate_key_is_reported_on_its_second_occurrence_naming_the_first(tmp_path):
    source = with_lines("kanaal: brief")
    core_register(tmp_path, source)
    finding = one(tmp_path, "yaml")
    assert finding["line"] == line_of(source, "kanaal: brief") == 10
    assert "kanaal" in finding["message"] and f"regel {line_of(source, 'kanaal: mondeling')}" in finding["message"]


def test_unsafe_tag_is_refused_and_never_executed(tmp_path):
    marker = tmp_path / "uitgevoerd"
    source = with_lines(f"afhandeling: !!python/object/apply:os.system ['touch {marker}']")
    core_register(tmp_path, source)
    finding = one(tmp_path, "yaml")
    assert "niet toegestaan" in finding["message"]
    assert not marker.exists()


def test_alias_bomb_is_refused_fast(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):  # 9^10 strings once expanded
        prev, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
    source = "---\n" + "\n".join(lines) + "\n---\n"
    core_register(tmp_path, source)
    started = time.perf_counter()
    findings = findings_of(tmp_path)
    assert time.perf_counter() - started < 1.0
    assert triples(findings) == {("yaml", 2, None)}
    assert "&" in findings[0]["message"] and "*" in findings[0]["message"]


def test_not_utf8_is_reported_on_the_line_of_the_bad_byte(tmp_path):
    source = with_lines("afhandeling: caf\xe9 gesproken").encode("latin-1")
    core_register(tmp_path, source)
    finding = one(tmp_path, "yaml")
    assert finding["line"] == 10
    assert "UTF-8" in finding["message"]


def test_a_bom_is_read_normally_with_lines_unchanged(tmp_path):
    source = with_lines("bevestigt: 2026-04-29")
    core_register(tmp_path, "\ufeff" + source)
    assert triples(findings_of(tmp_path)) == {("veld-ongeldig", line_of(source, "bevestigt"), "bevestigt")}
    core_register(tmp_path, "\ufeff" + NEW_COMPLAINT)
    assert findings_of(tmp_path) == []


def test_crlf_line_endings_keep_the_lines_right(tmp_path):
    source = with_lines("bevestigt: 2026-04-29") + "\nBSN van de klager: 111222333\n"
    core_register(tmp_path, source.replace("\n", "\r\n"))
    assert triples(findings_of(tmp_path)) == {
        ("veld-ongeldig", line_of(source, "bevestigt"), "bevestigt"),
        ("privacy", line_of(source, "111222333"), None),
    }
    core_register(tmp_path, NEW_COMPLAINT.replace("\n", "\r\n"))
    assert findings_of(tmp_path) == []


def test_impossible_date_says_it_does_not_exist(tmp_path):
    core_register(tmp_path, with_lines("bevestigd: 2026-02-30"))
    assert "2026-02-30 bestaat niet" in one(tmp_path, "veld-ongeldig")["message"]


@pytest.mark.parametrize("field", ["ontvangen", "bevestigd"])
def test_dutch_date_is_an_error_suggesting_the_iso_date_never_read_as_3_february(tmp_path, field):
    source = (
        with_lines("bevestigd: 02-03-2026")
        if field == "bevestigd"
        else edit(NEW_COMPLAINT, "ontvangen: 2026-04-28", "ontvangen: 02-03-2026")
    )
    core_register(tmp_path, source)
    finding = one(tmp_path, "veld-ongeldig")
    assert finding["line"] == line_of(source, "02-03-2026") and finding["veld"] == field
    assert "2026-03-02" in finding["message"] and "maart" in finding["message"]
    assert "2026-02-03" not in finding["message"]
    # Read as anything, it would have given volgorde or termijn findings: it is not read at all.
    assert {f["code"] for f in findings_of(tmp_path)} == {"veld-ongeldig"}


@pytest.mark.parametrize(
    ("value", "independent_needed"), [("ja", True), ("nee", False), ("true", True), ("false", False)]
)
def test_ja_nee_are_booleans_like_true_false(tmp_path, value, independent_needed):
    source = edit(
        NEW_COMPLAINT,
        "categorie: communicatie\n",
        f"categorie: communicatie\nbevestigd: 2026-04-29\ndirectie_betrokken: {value}\n"
        "behandelaar:\n  rol: directie\n  naam: M. Smit\n",
    )
    core_register(tmp_path, source)
    expected = (
        {("onafhankelijkheid", line_of(source, "rol: directie"), "behandelaar.rol")} if independent_needed else set()
    )
    assert triples(findings_of(tmp_path)) == expected


def test_unknown_field_suggests_the_intended_one(tmp_path):
    core_register(tmp_path, with_lines("bevestigt: 2026-04-29"))
    message = one(tmp_path, "veld-ongeldig")["message"]
    assert "bedoelde je" in message and "'bevestigd'" in message


def test_reading_findings_carry_the_volgnummer(tmp_path):
    core_register(tmp_path, with_lines("bevestigt: 2026-04-29"))
    assert one(tmp_path, "veld-ongeldig")["volgnummer"] == "2026-007"


def test_findings_on_an_unreadable_complaint_carry_the_volgnummer_of_its_file_name(tmp_path):
    core_register(tmp_path, with_lines("kanaal: brief"))  # a duplicate key: the file cannot be read
    assert one(tmp_path, "yaml")["volgnummer"] == "2026-007"
    core_register(tmp_path, "geen front matter\n", extra={"klachten/2026/notitie.md": "ook geen\n"})
    assert one(tmp_path, "yaml")["volgnummer"] == "2026-007"
    assert one(tmp_path, "yaml", "klachten/2026/notitie.md")["volgnummer"] is None  # not a volgnummer


def test_a_readme_in_the_register_is_not_read_as_a_record(tmp_path):
    notes = {"klachten/README.md": "# Uitleg\n", "klachten/2026/Readme.md": "Notities\n"}
    core_register(tmp_path, NEW_COMPLAINT, extra=notes)
    assert check_json(tmp_path, CORE_TODAY) == []


def test_control_character_is_reported_on_its_own_line_after_non_ascii_text(tmp_path):
    source = with_lines("afhandeling: één\x00twee").replace("naam: Anna Jansen", "naam: Ĳsbrandt Éénhoorn")
    core_register(tmp_path, source)
    assert triples(findings_of(tmp_path)) == {("yaml", line_of(source, "\x00"), None)}


def test_unclosed_quote_points_at_where_it_opens(tmp_path):
    source = with_lines('afhandeling: "nog niet klaar', "voortgang:", "  - datum: 2026-04-29")
    core_register(tmp_path, source)
    finding = one(tmp_path, "yaml")
    assert finding["line"] == line_of(source, "afhandeling")
    assert "aanhalingsteken" in finding["message"]  # in Dutch, not libyaml's English


@pytest.mark.parametrize(
    ("source", "needle"),
    [
        ("---\n" + "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 80)) + "---\n", None),
        ("---\na: " + "[" * 5000 + "]" * 5000 + "\n---\n", "a: "),
        ("---\nonderwerp: " + "x" * 2_000_000 + "\n", None),
        ("---\nonderwerp: a\rontvangen: b\n---\n", None),
        ("---\n? [a, b]\n: c\n---\n", "? [a"),
        ("---\n2026-03-02: datum als sleutel\n---\n", None),
    ],
    ids=["diep-ingesprongen", "diep-genest", "enorme-regel", "los-cr", "complexe-sleutel", "datum-als-sleutel"],
)
def test_hostile_yaml_gives_findings_not_crashes(tmp_path, source, needle):
    core_register(tmp_path, source)
    findings = findings_of(tmp_path)
    assert findings and all(f["severity"] == "error" for f in findings)
    if needle:
        assert line_of(source, needle) in {f["line"] for f in findings}


def test_evaluation_and_overview_must_be_for_their_file_name(tmp_path):
    evaluation = "---\nperiode: 2026-h1\ndatum: 2026-04-29\ndeelnemers: [R. Directeur]\n---\n"
    overview = "---\njaar: 2024\nverzonden: 2026-01-20\naan: W. Accountmanager\n---\n"
    core_register(
        tmp_path,
        extra={"klachten/evaluaties/2026-H1.md": evaluation, "klachten/jaaroverzichten/2025.md": overview},
    )
    assert triples(findings_of(tmp_path, "klachten/evaluaties/2026-H1.md")) == {("veld-ongeldig", 2, "periode")}
    finding = one(tmp_path, "veld-ongeldig", "klachten/jaaroverzichten/2025.md")
    assert finding["line"] == 2 and "2024.md" in finding["message"]


# --- one bad file never hides the others -------------------------------------------------

BAD_FILES = {
    "klachten/2026/2026-001.md": "geen front matter\n",
    "klachten/2026/2026-002.md": "---\n- een lijst\n---\n",
    "klachten/2026/2026-003.md": "---\nvolgnummer: 2026-003\nvolgnummer: 2026-003\n---\n",
    "klachten/2026/2026-004.md": b"---\nonderwerp: caf\xe9\n---\n",
    "klachten/2026/2026-005.md": "---\na: !!python/object/apply:os.system ['true']\n---\n",
    "klachten/2026/2026-006.md": '---\nonderwerp: "open\n---\n',
    "klachten/evaluaties/2026-H1.md": "---\n- kapot\n---\n",
    "klachten/jaaroverzichten/2025.md": "---\njaar: [\n---\n",
}


def test_every_bad_file_gets_its_finding_and_the_good_file_still_its_own(tmp_path):
    good = with_lines("bevestigt: 2026-04-29")
    core_register(tmp_path, good, extra=BAD_FILES)
    findings = check_json(tmp_path, CORE_TODAY)
    by_file = {f["file"] for f in findings if f["code"] == "yaml"}
    assert by_file == set(BAD_FILES)
    assert ("veld-ongeldig", line_of(good, "bevestigt"), "bevestigt") in triples(
        [f for f in findings if f["file"] == CORE_REL]
    )


def test_the_spec_example_complaint_is_valid(tmp_path):
    core_register(tmp_path, SPEC_COMPLAINT)
    assert check_json(tmp_path, CORE_TODAY) == []


def test_a_register_of_bad_files_only_still_answers(tmp_path):
    write_register(tmp_path, BAD_FILES)
    findings = check_json(tmp_path, CORE_TODAY)
    assert {f["file"] for f in findings if f["code"] == "yaml"} == set(BAD_FILES)


_READ_FILES = loading._read_files


def _tagged_read_files(*args):
    """register._read_files, noting which process read each file (module level: pickled by name)."""
    results = _READ_FILES(*args)
    for doc, *_rest in results:
        doc.reader = os.getpid()
    return results


def test_reading_in_worker_processes_gives_the_same_register(tmp_path, monkeypatch):
    good = with_lines("bevestigt: 2026-04-29")
    core_register(tmp_path, good, extra=BAD_FILES)

    monkeypatch.setattr(loading, "_read_files", _tagged_read_files)

    def loaded(jobs: int):
        monkeypatch.setattr(loading, "_jobs", lambda count: jobs)
        reg = loading.load_register(tmp_path)
        readers.append({d.reader for d in reg.documents})
        return (
            [(f.file, f.line, f.code, f.message, f.volgnummer) for f in reg.findings],
            [(c.rel, c.volgnummer, c.ontvangen, c.lines, c.present, c.invalid, c.readable) for c in reg.complaints],
            [(d.rel, d.text) for d in reg.documents],
            [(e.rel, e.periode) for e in reg.evaluations] + [(o.rel, o.jaar) for o in reg.overviews],
        )

    readers: list[set[int]] = []
    serial, shared = loaded(1), loaded(3)
    assert serial == shared
    # This process and the workers: a busy machine may give both chunks to one worker.
    assert readers[0] == {os.getpid()} and os.getpid() in readers[1] and len(readers[1]) >= 2
    assert len(serial[2]) == len(BAD_FILES) + 1
