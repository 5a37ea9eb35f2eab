"""`klachten check` end to end: the installed command on registers written into tmp_path.

Output formats exactly as SPEC says (text lines + summary, JSON shape, GitHub workflow
commands and step summary), exit codes 0/1/2, `--root` on every command, Dutch messages and
never a traceback.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import (
    CORE_REL,
    NEW_COMPLAINT,
    PRODUCT,
    SPEC_COMPLAINT,
    core_register,
    edit,
    line_of,
    run_klachten,
    write_register,
)
from klachtenregister.cli import build_parser

# One error, one warning, one info, and one register-wide error (no file):
#   2026-007 (SPEC's example) confirmed late -> warning; an unknown field -> error;
#   2026-008 received 2026-04-28, not confirmed, today 2026-05-03 -> info (2 days left);
#   start 2025-07-01 -> the evaluation of 2025-H2 (due 2026-03-31) is missing -> error, file null.
MIXED = edit(
    edit(SPEC_COMPLAINT, "bevestigd: 2026-03-05 ", "bevestigd: 2026-03-12 "),
    "ingetrokken: null",
    "ingetrokken: null\nbevestigt: 2026-03-05",
)
SECOND_REL = "klachten/2026/2026-008.md"
SECOND = edit(NEW_COMPLAINT, "volgnummer: 2026-007", "volgnummer: 2026-008")
TODAY = "2026-05-03"
OVERVIEW_2025 = "---\njaar: 2025\nverzonden: 2026-01-15\naan: W. Accountmanager\n---\n"
LINE = re.compile(
    r"^(?P<file>\S+):(?P<line>\d+): (?P<severity>fout|waarschuwing|melding) (?P<code>[a-z-]+) (?P<message>.+)$"
)
DUTCH = {"error": "fout", "warning": "waarschuwing", "info": "melding"}  # text writes severities in Dutch (SPEC 4.2)


@pytest.fixture
def mixed(tmp_path) -> Path:
    return core_register(
        tmp_path,
        MIXED,
        extra={
            "klachten/procedure.yml": "start: 2025-07-01\n",
            SECOND_REL: SECOND,
            "klachten/jaaroverzichten/2025.md": OVERVIEW_2025,
        },
    )


def check(root: Path, *args: str, env: dict | None = None):
    return run_klachten("check", "--root", str(root), "--today", TODAY, *args, env=env)


# --- json ---------------------------------------------------------------------------------------


def test_json_has_exactly_specs_shape(mixed):
    ran = check(mixed, "--format", "json")
    assert ran.returncode == 1 and ran.stderr == ""
    data = json.loads(ran.stdout)
    assert set(data) == {"findings", "errors", "warnings"}
    findings = data["findings"]
    assert (data["errors"], data["warnings"]) == (2, 1)
    base = {"file", "line", "volgnummer", "code", "severity", "message"}
    for f in findings:
        assert base <= set(f) <= base | {"stap", "veld"}
        assert ("stap" in f) == f["code"].startswith("termijn-")
    summary = sorted(
        (f["file"] or "", f["line"] or 0, f["code"], f["severity"], f.get("stap"), f.get("veld"), f["volgnummer"])
        for f in findings
    )
    assert summary == sorted(
        [
            (
                CORE_REL,
                line_of(MIXED, "bevestigd:"),
                "termijn-overschreden",
                "warning",
                "bevestiging",
                "bevestigd",
                "2026-007",
            ),
            (CORE_REL, line_of(MIXED, "bevestigt:"), "veld-ongeldig", "error", None, "bevestigt", "2026-007"),
            (
                SECOND_REL,
                line_of(SECOND, "ontvangen:"),
                "termijn-nadert",
                "info",
                "bevestiging",
                "bevestigd",
                "2026-008",
            ),
            ("", 0, "termijn-verlopen", "error", "evaluatie", "datum", None),
        ]
    )
    register_wide = next(f for f in findings if f["file"] is None)
    assert register_wide["line"] is None and "klachten/evaluaties/2025-H2.md" in register_wide["message"]


def test_json_file_is_relative_to_the_root_with_forward_slashes(mixed, tmp_path):
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    data = json.loads(run_klachten("check", "--root", "..", "--today", TODAY, "--format", "json", cwd=elsewhere).stdout)
    files = {f["file"] for f in data["findings"]}
    assert files == {CORE_REL, SECOND_REL, None}


def test_json_of_a_clean_register(tmp_path):
    core_register(tmp_path)
    ran = check(tmp_path, "--format", "json")
    assert ran.returncode == 0
    assert json.loads(ran.stdout) == {"findings": [], "errors": 0, "warnings": 0}


# --- text -----------------------------------------------------------------------------------------


def test_text_is_one_line_per_finding_then_a_summary(mixed):
    ran = check(mixed)
    assert ran.returncode == 1 and ran.stderr == ""
    lines = ran.stdout.splitlines()
    data = json.loads(check(mixed, "--format", "json").stdout)
    assert len(lines) == len(data["findings"]) + 1
    for line, finding in zip(lines, data["findings"], strict=False):
        if finding["file"] is None:
            assert line.startswith(f"klachten: fout {finding['code']} ")
            continue
        match = LINE.match(line)
        assert match, line
        assert (match["file"], int(match["line"]), match["severity"], match["code"], match["message"]) == (
            finding["file"],
            finding["line"],
            DUTCH[finding["severity"]],
            finding["code"],
            finding["message"],
        )
    assert "2 fouten, 1 waarschuwing, 1 melding" in lines[-1]
    assert "niet in orde" in lines[-1]


def test_a_line_break_in_a_value_does_not_start_a_line_of_its_own(tmp_path):
    fake = "klachten/2026/2026-009.md:1: error yaml nep"
    core_register(tmp_path, edit(SPEC_COMPLAINT, "kanaal: mondeling", f'kanaal: "mail\\n{fake}"'))
    lines = check(tmp_path).stdout.splitlines()
    assert len(lines) == 2 and "veld-ongeldig" in lines[0] and "mail\\nklachten/2026/2026-009.md" in lines[0]
    assert not any(line.startswith(fake) for line in lines)


def test_text_findings_are_sorted_by_file_and_line(mixed):
    lines = check(mixed).stdout.splitlines()[:-1]
    keys = [(m["file"], int(m["line"])) for m in map(LINE.match, lines) if m]
    assert keys == sorted(keys) and len(keys) == 3


# --- github ---------------------------------------------------------------------------------------


def test_github_workflow_commands(mixed):
    ran = check(mixed, "--format", "github")
    assert ran.returncode == 1 and ran.stderr == ""
    out = ran.stdout
    assert f"::error file={CORE_REL},line={line_of(MIXED, 'bevestigt:')}::veld-ongeldig: onbekend veld" in out
    assert f"::warning file={CORE_REL},line={line_of(MIXED, 'bevestigd:')}::termijn-overschreden: " in out
    assert f"::notice file={SECOND_REL},line={line_of(SECOND, 'ontvangen:')}::termijn-nadert: " in out
    assert "::error::termijn-verlopen: stap 11" in out
    assert len([line for line in out.splitlines() if line.startswith("::")]) == 4


def test_github_step_summary_is_appended_with_findings_and_deadlines(mixed, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("# Eerder\n", encoding="utf-8")
    ran = check(mixed, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert ran.returncode == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Eerder\n")
    assert "| Ernst | Code | Bestand | Melding |" in text
    assert f"| fout | veld-ongeldig | {CORE_REL}:{line_of(MIXED, 'bevestigt:')} |" in text
    assert "| Uiterlijk | Stap | Klacht of periode | Dagen |" in text
    assert "| 2026-05-05 | 3 (bevestiging) | 2026-008 | 2 |" in text
    assert "| 2026-03-31 | 11 (evaluatie) | 2025-H2 | -33 |" in text


def test_github_without_step_summary_writes_no_file(mixed, tmp_path, monkeypatch):
    before = set(tmp_path.rglob("*"))
    check(mixed, "--format", "github")
    assert set(tmp_path.rglob("*")) == before


def test_github_escapes_percent_and_newlines(tmp_path):
    source = NEW_COMPLAINT.replace("---\n## Omschrijving", '"100%\\nx": 1\n---\n## Omschrijving')
    core_register(tmp_path, source)
    out = check(tmp_path, "--format", "github").stdout
    line = next(line for line in out.splitlines() if line.startswith("::error"))
    assert "100%25%0Ax" in line and "\n" not in line.split("::", 2)[2]


# --- exit codes -------------------------------------------------------------------------------------


def test_exit_0_with_only_warnings_and_infos(tmp_path):
    late = edit(SPEC_COMPLAINT, "bevestigd: 2026-03-05 ", "bevestigd: 2026-03-12 ")
    core_register(tmp_path, late, extra={SECOND_REL: SECOND})
    for fmt in ("text", "json", "github"):
        ran = check(tmp_path, "--format", fmt)
        assert ran.returncode == 0, ran.stdout
        assert "termijn-overschreden" in ran.stdout and "termijn-nadert" in ran.stdout


def test_exit_1_with_an_error_in_every_format(mixed):
    for fmt in ("text", "json", "github"):
        assert check(mixed, "--format", fmt).returncode == 1


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--today", "2026-13-01"],
        ["check", "--today", "02-03-2026"],
        ["check", "--today", "2026-W10-1"],
        ["check", "--today", "20260302"],
        ["check", "--format", "xml"],
        ["check", "--bestaat-niet"],
        ["controleer"],
        [],
    ],
    ids=["maand-13", "nederlandse-datum", "weekdatum", "zonder-streepjes", "formaat", "optie", "opdracht", "niets"],
)
def test_exit_2_for_usage_errors_in_dutch(tmp_path, args):
    core_register(tmp_path)
    ran = run_klachten(*args, cwd=tmp_path)
    assert ran.returncode == 2 and ran.stdout == ""
    assert "fout" in ran.stderr and ("gebruik:" in ran.stderr or "klachten" in ran.stderr)
    assert "usage" not in ran.stderr and "error:" not in ran.stderr


def test_bad_today_names_the_date_and_the_form(tmp_path):
    core_register(tmp_path)
    ran = run_klachten("check", "--today", "02-03-2026", cwd=tmp_path)
    assert "02-03-2026" in ran.stderr and "JJJJ-MM-DD" in ran.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        [
            "new",
            *[
                "--ontvangen",
                "2026-03-02",
                "--kanaal",
                "mondeling",
                "--onderwerp",
                "x",
                "--klager",
                "y",
                "--ontvangen-door",
                "z",
            ],
        ],
    ],
)
def test_exit_2_without_a_register(tmp_path, command):
    ran = run_klachten(*command, "--root", str(tmp_path))
    assert ran.returncode == 2
    assert "geen register gevonden" in ran.stderr and "klachten" in ran.stderr
    assert not (tmp_path / "klachten").exists()


def test_a_register_with_only_klachten_works_with_the_defaults(tmp_path):
    write_register(tmp_path, {})
    ran = run_klachten("check", "--today", "2023-06-30", cwd=tmp_path)
    assert ran.returncode == 0 and "0 fouten" in ran.stdout
    ran = run_klachten("check", "--today", "2023-09-29", "--format", "json", cwd=tmp_path)
    assert ran.returncode == 1  # default start 2023-01-01: the 2023-H1 evaluation is overdue
    assert [f["stap"] for f in json.loads(ran.stdout)["findings"]] == ["evaluatie"]


# --- --root on every command ----------------------------------------------------------------------


def test_root_is_accepted_by_every_command_before_or_after_it(tmp_path):
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # every subcommand, also those added later
    required = {
        "new": [
            "--ontvangen",
            "2026-03-02",
            "--kanaal",
            "brief",
            "--onderwerp",
            "x",
            "--klager",
            "y",
            "--ontvangen-door",
            "z",
        ],
        "renumber": ["2026-001"],
        "evaluatie": ["2026-H1"],
        "jaaroverzicht": ["2025"],
        "report": ["--jaar", "2025"],
        "brief": ["2026-001", "ontvangst"],
    }
    for name in commands:
        extra = required.get(name, [])
        assert parser.parse_args([name, "--root", str(tmp_path), *extra]).root == tmp_path
        assert parser.parse_args(["--root", str(tmp_path), name, *extra]).root == tmp_path
        assert parser.parse_args([name, *extra]).root == Path(".")


def test_root_works_from_any_directory(mixed, tmp_path):
    elsewhere = tmp_path.parent / (tmp_path.name + "-elders")
    elsewhere.mkdir()
    after = run_klachten("check", "--root", str(mixed), "--today", TODAY, "--format", "json", cwd=elsewhere)
    before = run_klachten("--root", str(mixed), "check", "--today", TODAY, "--format", "json", cwd=elsewhere)
    here = run_klachten("check", "--today", TODAY, "--format", "json", cwd=mixed)
    assert after.stdout == before.stdout == here.stdout
    assert json.loads(here.stdout)["errors"] == 2


def test_check_needs_no_git_repository(tmp_path):
    core_register(tmp_path)
    assert not (tmp_path / ".git").exists()
    ran = run_klachten("check", "--today", "2026-04-30", cwd=tmp_path)
    assert ran.returncode == 0 and "0 fouten" in ran.stdout


# --- the example register -------------------------------------------------------------------------


def test_example_register_passes(tmp_path):
    shutil.copytree(PRODUCT / "klachten", tmp_path / "klachten")
    ran = run_klachten("check", "--today", "2026-11-20", "--format", "json", cwd=tmp_path)
    data = json.loads(ran.stdout)
    assert ran.returncode == 0 and data["errors"] == 0, ran.stdout
    text = run_klachten("check", "--root", str(PRODUCT), "--today", "2026-11-20")
    assert text.returncode == 0 and "0 fouten" in text.stdout


def test_example_register_newest_recorded_date_is_the_check_day():
    ran = run_klachten("check", "--root", str(PRODUCT), "--today", "2026-11-19", "--format", "json")
    future = [f for f in json.loads(ran.stdout)["findings"] if f["code"] == "volgorde"]
    assert future and all("2026-11-20" in f["message"] for f in future)
