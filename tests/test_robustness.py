"""A user's mistake never gives an 'interne fout' or a traceback: unreadable files and
folders, a file where a folder should be, very long values, a --root that is a file.

Each case runs the installed command and expects a Dutch message naming the path, the right
exit code (2: usage, 1: the job failed), and none of the operating system's English.
Permission cases run as staff do: without root's override (see conftest.run_klachten_as_staff).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from conftest import (
    CORE_PROCEDURE,
    CORE_REL,
    CORE_TODAY,
    NEW_COMPLAINT,
    core_register,
    edit,
    no_access,
    run_klachten,
    run_klachten_as_staff,
    write_register,
)

OS_ENGLISH = ("Permission denied", "No such file", "Not a directory", "File exists", "File name too long",
              "Is a directory", "Errno", "codec can't decode", "interne fout")
NEW = ["new", "--ontvangen", "2026-04-28", "--kanaal", "mondeling", "--onderwerp", "x", "--klager", "y",
       "--ontvangen-door", "z"]


def assert_dutch(ran, returncode: int, *needles: str) -> None:
    assert ran.returncode == returncode, (ran.returncode, ran.stdout, ran.stderr)
    output = ran.stdout + ran.stderr
    for needle in needles:
        assert needle in output, output
    leaked = [e for e in OS_ENGLISH if e in output]
    assert not leaked, f"{leaked}\n{output}"


def findings(ran) -> list[dict]:
    return json.loads(ran.stdout)["findings"]


def snapshot(root: Path) -> dict[str, bytes | None]:
    return {p.relative_to(root).as_posix(): None if p.is_dir() else p.read_bytes()
            for p in sorted(root.rglob("*")) if "build" not in p.parts and "site" not in p.parts}


# --- the register root -------------------------------------------------------------------

COMMANDS = {
    "check": ["check"],
    "new": NEW,
    "build": ["build"],
    "report": ["report", "--jaar", "2025", "--csv", "uit.csv"],
    "renumber": ["renumber", "2026-007"],
}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_root_that_is_a_file_is_a_usage_error(tmp_path, command):
    root = tmp_path / "register.txt"
    root.write_text("geen map\n", encoding="utf-8")
    ran = run_klachten(*command, "--root", str(root), cwd=tmp_path)
    assert_dutch(ran, 2, f"geen register gevonden: {root} is een bestand, geen map")


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_root_that_does_not_exist_or_holds_klachten_as_a_file(tmp_path, command):
    ran = run_klachten(*command, "--root", str(tmp_path / "weg"), cwd=tmp_path)
    assert_dutch(ran, 2, "geen register gevonden", "bestaat niet")
    (tmp_path / "klachten").write_text("", encoding="utf-8")
    ran = run_klachten(*command, "--root", str(tmp_path), cwd=tmp_path)
    assert_dutch(ran, 2, f"{tmp_path / 'klachten'} is een bestand, geen map")


def test_an_unreadable_klachten_folder_is_a_usage_error(tmp_path):
    core_register(tmp_path)
    with no_access(tmp_path / "klachten"):
        for command in COMMANDS.values():
            ran = run_klachten_as_staff(*command, "--root", str(tmp_path), cwd=tmp_path)
            assert_dutch(ran, 2, f"de map {tmp_path / 'klachten'} kan niet gelezen worden")


# --- check: unreadable files and folders are findings, the rest is still checked ---------


def test_an_unreadable_complaint_file_is_a_finding_on_it(tmp_path):
    core_register(tmp_path)
    with no_access(tmp_path / CORE_REL):
        ran = run_klachten_as_staff("check", "--root", str(tmp_path), "--today", CORE_TODAY, "--format", "json")
    assert_dutch(ran, 1)
    (finding,) = findings(ran)
    assert (finding["file"], finding["line"], finding["code"]) == (CORE_REL, 1, "yaml")
    assert "kan niet gelezen worden (geen toegang" in finding["message"]


def test_an_unreadable_year_folder_is_a_finding_and_the_other_years_are_checked(tmp_path):
    other = edit(edit(NEW_COMPLAINT, "2026-007", "2025-003"), "2026-04-28", "2025-12-30")
    core_register(tmp_path, extra={"klachten/procedure.yml": "start: 2026-01-01\n",
                                   "klachten/2025/2025-003.md": edit(other, "kanaal: mondeling", "kanaal: fax")})
    with no_access(tmp_path / "klachten/2026"):
        ran = run_klachten_as_staff("check", "--root", str(tmp_path), "--today", CORE_TODAY, "--format", "json")
        text = run_klachten_as_staff("check", "--root", str(tmp_path), "--today", CORE_TODAY, cwd=tmp_path)
    assert_dutch(ran, 1)
    found = {(f["file"], f["code"]) for f in findings(ran)}
    assert ("klachten/2026", "yaml") in found  # the year that could not be read ...
    assert ("klachten/2025/2025-003.md", "veld-ongeldig") in found  # ... and the one that could
    (folder,) = [f for f in findings(ran) if f["file"] == "klachten/2026"]
    assert folder["line"] is None and "niet gecontroleerd" in folder["message"]
    assert "klachten/2026: fout yaml de map klachten/2026/ kan niet gelezen worden" in text.stdout


@pytest.mark.parametrize("kind", ["onleesbaar", "map"])
def test_a_procedure_yml_that_cannot_be_read_is_a_finding_and_the_defaults_hold(tmp_path, kind):
    core_register(tmp_path)
    procedure = tmp_path / "klachten/procedure.yml"
    if kind == "map":
        procedure.unlink()
        procedure.mkdir()
        ran = run_klachten("check", "--root", str(tmp_path), "--today", CORE_TODAY, "--format", "json")
    else:
        with no_access(procedure):
            ran = run_klachten_as_staff("check", "--root", str(tmp_path), "--today", CORE_TODAY, "--format", "json")
    assert_dutch(ran, 1)
    (finding,) = [f for f in findings(ran) if f["file"] == "klachten/procedure.yml"]
    assert finding["code"] == "yaml" and "procedure.yml kan niet gelezen worden" in finding["message"]
    assert "standaardwaarden" in finding["message"]


def test_new_says_when_procedure_yml_cannot_be_read_and_goes_on(tmp_path):
    write_register(tmp_path, {"klachten/procedure.yml": CORE_PROCEDURE})
    with no_access(tmp_path / "klachten/procedure.yml"):
        ran = run_klachten_as_staff(*NEW, "--root", str(tmp_path))
    assert_dutch(ran, 0, "let op: klachten/procedure.yml:1: procedure.yml kan niet gelezen worden")
    assert Path(ran.stdout.strip()).is_file()


def test_an_unreadable_attachment_is_a_bijlage_finding_and_the_site_still_builds(tmp_path):
    core_register(tmp_path)
    letter = tmp_path / "klachten/2026/2026-007/brief.pdf"
    with no_access(letter):
        ran = run_klachten_as_staff("check", "--root", str(tmp_path), "--today", CORE_TODAY, "--format", "json")
        built = run_klachten_as_staff("build", "--root", str(tmp_path), "--today", CORE_TODAY)
    assert_dutch(ran, 1)
    (finding,) = findings(ran)
    assert finding["code"] == "bijlage" and "kan niet gelezen worden" in finding["message"]
    assert_dutch(built, 0, "site gebouwd")


# --- new ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ontvangen", "said"),
    [("9999-12-31", "--ontvangen 9999-12-31: te ver in de toekomst"),
     ("0999-03-02", "ongeldige datum '0999-03-02': het jaar moet vier cijfers hebben")],  # as every date option
)
def test_new_refuses_a_date_it_cannot_number_or_reckon_with(tmp_path, ontvangen, said):
    write_register(tmp_path, {})
    # "Today" is that day itself: a date after today is refused before either of these.
    ran = run_klachten(*edit_args(NEW, "2026-04-28", ontvangen), "--root", str(tmp_path), "--today", ontvangen)
    assert_dutch(ran, 2, said)
    assert list((tmp_path / "klachten").iterdir()) == []


def edit_args(args: list[str], old: str, new: str) -> list[str]:
    return [new if a == old else a for a in args]


def test_new_takes_a_very_long_value_and_the_file_passes_check(tmp_path):
    write_register(tmp_path, {"klachten/procedure.yml": CORE_PROCEDURE})
    onderwerp = "lang " * 20_000
    ran = run_klachten(*edit_args(NEW, "x", onderwerp), "--root", str(tmp_path))
    assert_dutch(ran, 0)
    check = run_klachten("check", "--root", str(tmp_path), "--today", "2026-04-28", "--format", "json")
    assert findings(check) == []


def test_a_new_complaint_file_is_as_readable_as_any_file_staff_write(tmp_path):
    write_register(tmp_path, {})
    path = Path(run_klachten(*NEW, "--root", str(tmp_path)).stdout.strip())
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~_umask()


def test_a_renumbered_file_keeps_its_rights(tmp_path):
    core_register(tmp_path)
    (tmp_path / CORE_REL).chmod(0o640)
    assert_dutch(run_klachten("renumber", "2026-007", "--root", str(tmp_path)), 0)
    assert stat.S_IMODE((tmp_path / "klachten/2026/2026-008.md").stat().st_mode) == 0o640


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# --- renumber ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["x"], "'x' is geen volgnummer: schrijf JJJJ-NNN"),
        (["2026-007", "--naar", "2026-0008"], "moet de vorm 2026-NNN hebben"),
        (["2026-007", "--naar", "2025-008"], "moet de vorm 2026-NNN hebben"),
    ],
)
def test_renumber_with_a_malformed_number_is_a_usage_error(tmp_path, args, said):
    core_register(tmp_path)
    before = snapshot(tmp_path)
    assert_dutch(run_klachten("renumber", *args, "--root", str(tmp_path)), 2, said)
    assert snapshot(tmp_path) == before


def test_renumber_in_a_folder_it_cannot_write_changes_nothing(tmp_path):
    core_register(tmp_path)
    before = snapshot(tmp_path)
    year = tmp_path / "klachten/2026"
    year.chmod(0o555)
    try:
        ran = run_klachten_as_staff("renumber", "2026-007", "--root", str(tmp_path))
    finally:
        year.chmod(0o755)
    assert_dutch(ran, 1, "2026-007 is niet hernummerd", f"{year}: geen toegang")
    assert snapshot(tmp_path) == before


def test_renumber_a_file_that_is_not_utf8(tmp_path):
    core_register(tmp_path, NEW_COMPLAINT.replace("Anna Jansen", "Ana\xefs").encode("latin-1"))
    before = snapshot(tmp_path)
    assert_dutch(run_klachten("renumber", "2026-007", "--root", str(tmp_path)), 1, "is geen UTF-8-tekst")
    assert snapshot(tmp_path) == before


# --- report ------------------------------------------------------------------------------


def test_report_year_0000_is_a_usage_error(tmp_path):
    core_register(tmp_path)
    ran = run_klachten("report", "--jaar", "0000", "--csv", str(tmp_path / "uit.csv"), "--root", str(tmp_path))
    assert_dutch(ran, 2, "ongeldig jaar '0000'")


def test_report_into_a_folder_that_is_a_file_is_a_usage_error(tmp_path):
    core_register(tmp_path)
    (tmp_path / "uit").write_text("", encoding="utf-8")
    ran = run_klachten("report", "--jaar", "2026", "--csv", str(tmp_path / "uit/x/o.csv"), "--root", str(tmp_path))
    assert_dutch(ran, 2, f"{tmp_path / 'uit'} is een bestand, geen map")


def test_report_that_cannot_be_written_is_a_dutch_error(tmp_path):
    core_register(tmp_path)
    out = tmp_path / "uit"
    out.mkdir()
    long_name = out / ("x" * 300 + ".csv")
    ran = run_klachten("report", "--jaar", "2026", "--csv", str(long_name), "--root", str(tmp_path))
    assert_dutch(ran, 2, "kan niet geschreven worden (de naam is te lang)")
    out.chmod(0o555)
    try:
        ran = run_klachten_as_staff("report", "--jaar", "2026", "--csv", str(out / "o.csv"), "--root", str(tmp_path))
    finally:
        out.chmod(0o755)
    assert_dutch(ran, 1, f"{out / 'o.csv'} kan niet geschreven worden (geen toegang")
    assert list(out.iterdir()) == []


# --- build -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "said"),
    [
        ({"site": ""}, "site is een bestand, geen map"),
        ({"build": ""}, "build is een bestand, geen map"),
        ({"mkdocs.yml": "site_name: Klachten\nnav: [\n"}, "mkdocs.yml, regel 2: ongeldige YAML"),
        ({"mkdocs.yml": "site_name: Klachten\ntheme:\n\tname: material\n"}, "regel 3: ongeldige YAML: een tab-teken"),
        ({"mkdocs.yml/leeg.txt": ""}, "mkdocs.yml is geen bestand"),
        ({"docs/gids.md": b"# Gids\ncaf\xe9\n"}, "gids.md, regel 2: de pagina is geen UTF-8-tekst"),
    ],
    ids=["site-is-bestand", "build-is-bestand", "mkdocs-yaml", "mkdocs-tab", "mkdocs-is-map", "docs-geen-utf8"],
)
def test_a_build_that_cannot_be_done_says_why_in_dutch(tmp_path, files, said):
    core_register(tmp_path, extra=files)
    ran = run_klachten("build", "--root", str(tmp_path), "--today", CORE_TODAY)
    assert_dutch(ran, 1, "de site is niet gebouwd", said)
    english = ("while parsing", "found a tab", "expected <block end>", "did not find")
    assert not [e for e in english if e in ran.stderr], ran.stderr


# --- names that are not UTF-8 (copied from another system) -------------------------------


def test_a_file_name_that_is_not_utf8_is_a_finding_and_check_and_build_go_on(tmp_path):
    core_register(tmp_path)
    odd = os.fsdecode(b"2026-008\xff.md")
    (tmp_path / "klachten/2026" / odd).write_text(NEW_COMPLAINT, encoding="utf-8")
    ran = run_klachten("check", "--root", str(tmp_path), "--today", CORE_TODAY, "--format", "json")
    assert_dutch(ran, 1)
    (finding,) = findings(ran)
    assert finding["file"] == "klachten/2026/2026-008\ufffd.md" and "geen UTF-8-tekst" in finding["message"]
    text = run_klachten("check", "--root", str(tmp_path), "--today", CORE_TODAY)
    github = run_klachten("check", "--root", str(tmp_path), "--today", CORE_TODAY, "--format", "github")
    assert_dutch(text, 1, "hernoem het")
    assert_dutch(github, 1, "::error file=klachten/2026/2026-008\ufffd.md::yaml")
    assert_dutch(run_klachten("build", "--root", str(tmp_path), "--today", CORE_TODAY), 0, "site gebouwd")


def test_a_docs_page_whose_name_is_not_utf8_stops_the_build_in_dutch(tmp_path):
    core_register(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / os.fsdecode(b"gids\xff.md")).write_text("# Gids\n", encoding="utf-8")
    ran = run_klachten("build", "--root", str(tmp_path), "--today", CORE_TODAY)
    assert_dutch(ran, 1, "gids\ufffd.md is geen UTF-8-tekst: hernoem het bestand")


def test_a_job_summary_that_cannot_be_written_leaves_the_annotations(tmp_path):
    core_register(tmp_path, extra={"klachten/2026/2026-008.md": "geen front matter\n"})
    ran = run_klachten("check", "--root", str(tmp_path), "--today", CORE_TODAY, "--format", "github",
                       env={"GITHUB_STEP_SUMMARY": str(tmp_path)})
    assert_dutch(ran, 1, "::error file=klachten/2026/2026-008.md,line=1::yaml",
                 "let op: de samenvatting kan niet geschreven worden", "is een map, geen bestand")


# --- dates at the edge of the calendar ---------------------------------------------------


def test_a_complaint_received_in_december_9999_gives_findings_not_a_crash(tmp_path):
    late = edit(edit(NEW_COMPLAINT, "2026-007", "9999-001"), "2026-04-28", "9999-12-01")
    write_register(tmp_path, {"klachten/procedure.yml": "start: 9999-01-01\n", "klachten/9999/9999-001.md": late})
    today = "9999-12-30"
    assert_dutch(run_klachten("check", "--root", str(tmp_path), "--today", today), 1, "termijn-verlopen")
    assert_dutch(run_klachten("build", "--root", str(tmp_path), "--today", today), 0, "site gebouwd")
    csv = tmp_path / "uit.csv"
    ran = run_klachten("report", "--root", str(tmp_path), "--jaar", "9999", "--csv", str(csv), "--today", today)
    assert_dutch(ran, 0, "1 klacht van 9999")
