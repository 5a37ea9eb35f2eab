"""The daily workflow Termijnen (.github/workflows/termijnen.yml), its steps run as on GitHub:
the whole-register gate, and the issue "Termijnen" kept through a fake `gh` that records its
calls (klachtenregister.deadline_issue)."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from gha import (
    GITHUB,
    TODAY,
    UNCONFIRMED_COMPLAINT,
    base_env,
    bash_step,
    gh_calls,
    good_register,
    install_fake_gh,
    make_register,
    overdue_register,
    run_script,
)
from klachtenregister import deadline_issue
from klachtenregister.deadline_issue import Item, days_text, newly_overdue

DAILY = "termijnen.yml"
NAMES = ("Anna Jansen", "Piet Pieters", "Jan de Vries")
ONDERWERPEN = ("Terugkoppeling na intake bleef uit", "Afspraak twee keer verzet")


def gate_script() -> str:
    return run_script(DAILY, "check", "klachten check")


def issue_script() -> str:
    return run_script(DAILY, "check", "deadline_issue")


# ---------------------------------------------------------------- the gate


def test_gate_is_green_on_a_valid_register(tmp_path):
    register = good_register(tmp_path / "register")
    env = base_env(KLACHTEN_TODAY=TODAY, GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"))
    result = bash_step(gate_script(), register, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::error" not in result.stdout


def test_gate_is_red_on_an_overdue_case(tmp_path):
    register = overdue_register(tmp_path / "register")
    summary = tmp_path / "summary.md"
    env = base_env(KLACHTEN_TODAY=TODAY, GITHUB_STEP_SUMMARY=str(summary))
    result = bash_step(gate_script(), register, env)
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert any("file=klachten/2026/2026-002.md" in line and "termijn-verlopen" in line for line in errors)
    assert "2026-002" in summary.read_text(encoding="utf-8")


def test_gate_uses_real_today_without_override(tmp_path):
    """Without KLACHTEN_TODAY (a scheduled run) the command passes no --today at all."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    args_file = tmp_path / "args"
    (fake_bin / "klachten").write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{args_file}"\n')
    (fake_bin / "klachten").chmod(0o755)
    env = base_env()
    env["PATH"] = f"{fake_bin}{os.pathsep}{env['PATH']}"
    assert bash_step(gate_script(), tmp_path, env).returncode == 0
    assert args_file.read_text().split() == ["check", "--format", "github", "--historie"]
    bash_step(gate_script(), tmp_path, {**env, "KLACHTEN_TODAY": "2026-03-10"})
    assert args_file.read_text().split() == ["check", "--format", "github", "--historie", "--today", "2026-03-10"]


# ---------------------------------------------------------------- the issue, through gh


def with_codeowners(register: Path) -> Path:
    (register / ".github").mkdir(exist_ok=True)
    shutil.copy(GITHUB / "CODEOWNERS", register / ".github" / "CODEOWNERS")
    return register


def keep_issue(register: Path, tmp_path: Path, today: str = TODAY, open_issues: list | None = None, **env_extra):
    log = install_fake_gh(tmp_path / "bin")
    env = base_env(KLACHTEN_TODAY=today, GH_TOKEN="dummy", FAKE_GH_LOG=str(log), **env_extra)
    env["PATH"] = f"{tmp_path / 'bin'}{os.pathsep}{env['PATH']}"
    if open_issues is not None:
        issues = tmp_path / "issues.json"
        issues.write_text(json.dumps(open_issues), encoding="utf-8")
        env["FAKE_GH_ISSUES"] = str(issues)
    result = bash_step(issue_script(), register, env)
    return result, [c["args"] for c in gh_calls(log)]


def body_of(call: list[str]) -> str:
    return call[call.index("--body") + 1]


def test_overdue_opens_the_issue_for_the_register_owners(tmp_path):
    register = with_codeowners(overdue_register(tmp_path / "register"))
    result, calls = keep_issue(register, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert calls[0][:2] == ["issue", "list"]
    (create,) = [c for c in calls if c[:2] == ["issue", "create"]]
    assert create[create.index("--title") + 1] == "Termijnen"
    body = body_of(create)
    assert "@werkconnectie/directie" in body  # CODEOWNERS' team for klachten/
    assert "| 2026-002 | stap 3 (bevestiging) | 2026-02-08 | 30 dagen over de termijn |" in body
    assert "Stand op 2026-03-10" in body
    assert "| 2026-002 | stap 7 (oordeel) | 2026-02-22 | 16 dagen over de termijn |" in body
    for private in NAMES + ONDERWERPEN:
        assert private not in body, private
    assert "2026-001" not in body  # confirmed on time, judgement not yet near
    assert "geopend" in result.stdout


def test_a_nearing_deadline_also_opens_it(tmp_path):
    soon = UNCONFIRMED_COMPLAINT.format(volgnummer="2026-001", ontvangen="2026-03-05")
    register = with_codeowners(make_register(tmp_path / "register", {"2026-001": soon}, start="2026-01-01"))
    _result, calls = keep_issue(register, tmp_path)
    (create,) = [c for c in calls if c[:2] == ["issue", "create"]]
    body = body_of(create)
    assert "Loopt binnenkort af" in body and "Verlopen" not in body
    assert "| 2026-001 | stap 3 (bevestiging) | 2026-03-12 | nog 2 dagen |" in body


def test_an_open_issue_is_updated_and_the_team_told_what_is_newly_overdue(tmp_path):
    register = with_codeowners(overdue_register(tmp_path / "register"))
    earlier = {"number": 5, "title": "Termijnen", "body": "oud\n<!-- verlopen:  -->\n"}
    other = {"number": 3, "title": "Termijnen bespreken", "body": ""}
    _result, calls = keep_issue(register, tmp_path, open_issues=[other, earlier])
    assert [c[:3] for c in calls[1:]] == [["issue", "edit", "5"], ["issue", "comment", "5"]]
    comment = body_of(calls[2])
    assert "@werkconnectie/directie" in comment and "2026-002 stap 3 (bevestiging)" in comment


def test_an_unchanged_issue_is_left_alone(tmp_path):
    register = with_codeowners(overdue_register(tmp_path / "register"))
    _result, first = keep_issue(register, tmp_path)
    body = body_of(first[-1])
    (tmp_path / "again").mkdir()
    same = [{"number": 5, "title": "Termijnen", "body": body}]
    _result, calls = keep_issue(register, tmp_path / "again", open_issues=same)
    assert [c[:2] for c in calls] == [["issue", "list"]]


def test_all_clear_closes_the_issue(tmp_path):
    register = with_codeowners(good_register(tmp_path / "register"))
    result, calls = keep_issue(register, tmp_path, open_issues=[{"number": 5, "title": "Termijnen", "body": "x"}])
    assert result.returncode == 0, result.stderr
    (close,) = calls[1:]
    assert close[:3] == ["issue", "close", "5"]
    assert "op tijd" in close[close.index("--comment") + 1]


def test_all_clear_without_an_issue_does_nothing(tmp_path):
    register = good_register(tmp_path / "register")
    result, calls = keep_issue(register, tmp_path)
    assert result.returncode == 0
    assert [c[:2] for c in calls] == [["issue", "list"]]


def test_periodic_duties_and_files_without_a_volgnummer_are_listed_anonymously(tmp_path):
    nameless = UNCONFIRMED_COMPLAINT.replace("volgnummer: {volgnummer}\n", "").format(ontvangen="2025-09-01")
    register = make_register(tmp_path / "register", {}, start="2025-01-01")
    (register / "klachten" / "2025").mkdir()
    (register / "klachten" / "2025" / "Piet-Pieters.md").write_text(nameless, encoding="utf-8")
    _result, calls = keep_issue(register, tmp_path, today="2025-10-10")
    body = body_of(calls[-1])
    assert "| evaluatie 2025-H1 | stap 11 (evaluatie) | 2025-09-28 | 12 dagen over de termijn |" in body
    assert "klacht zonder geldig volgnummer" in body
    assert "Piet" not in body and "Pieters" not in body
    assert "@" not in body.split("Stand op")[0], "no CODEOWNERS: nobody to mention"


def test_a_period_with_a_record_but_no_date_is_named_by_its_period(tmp_path):
    register = make_register(tmp_path / "register", {}, start="2025-01-01")
    (register / "klachten" / "evaluaties").mkdir()
    (register / "klachten" / "evaluaties" / "2025-H1.md").write_text("---\nperiode: 2025-H1\n---\n", encoding="utf-8")
    _result, calls = keep_issue(register, tmp_path, today="2025-10-10")
    body = body_of(calls[-1])
    assert "| evaluatie 2025-H1 | stap 11 (evaluatie) | 2025-09-28 | 12 dagen over de termijn |" in body
    assert "zonder geldig volgnummer" not in body


def test_a_failing_gh_fails_the_step_in_dutch(tmp_path):
    register = overdue_register(tmp_path / "register")
    result, _calls = keep_issue(register, tmp_path, FAKE_GH_FAIL="issue list")
    assert result.returncode == 1
    assert "het issue Termijnen is niet bijgewerkt" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- the parts


@pytest.mark.parametrize(
    ("days", "text"), [(0, "vandaag"), (1, "nog 1 dag"), (2, "nog 2 dagen"), (-1, "1 dag over de termijn")]
)
def test_days_are_said_as_staff_say_them(days, text):
    assert days_text(days) == text


CODEOWNERS = """\
# comment
*            @iedereen
*.md         @schrijvers   # trailing comment
/klachten/   @directie @kwaliteit
/docs/       @docs
klachten/archief/ @archief
"""


def test_the_owners_are_those_of_the_last_rule_matching_a_register_file():
    assert deadline_issue._owners_for(CODEOWNERS, "klachten/2026/2026-001.md") == ["@directie", "@kwaliteit"]
    assert deadline_issue._owners_for(CODEOWNERS, "docs/x.md") == ["@docs"]
    assert deadline_issue._owners_for(CODEOWNERS, "README.md") == ["@schrijvers"]
    assert deadline_issue._owners_for("*  @a\n/klachten/** @b\n", "klachten/2026/2026-001.md") == ["@b"]
    assert deadline_issue._owners_for("/tools/ @a\n", "klachten/2026/2026-001.md") == []


def test_newly_overdue_compares_with_the_mark_of_the_last_body():
    old = Item("2026-001", "bevestiging", date(2026, 3, 1), -3)
    new = Item("2026-002", "oordeel", date(2026, 3, 2), -2)
    near = Item("2026-003", "oordeel", date(2026, 3, 9), 1)
    body = "...\n<!-- verlopen: 2026-001/bevestiging -->\n"
    assert newly_overdue([old, new, near], body) == [new]
    assert newly_overdue([old], "") == [old]


def test_the_daily_site_is_built_for_opening_from_disk(tmp_path):
    """The step the artifact is made from: `klachten build --offline` into site/."""
    register = overdue_register(tmp_path / "register")
    script = run_script(DAILY, "check", "klachten build")
    result = bash_step(script, register, base_env(KLACHTEN_TODAY=TODAY))
    assert result.returncode == 0, result.stdout + result.stderr
    index = (register / "site" / "index.html").read_text(encoding="utf-8")
    assert "iframe-worker-shim.js" in index and 'href="klachten/2026-002/index.html"' in index
    assert (register / "site" / "search" / "search_index.js").is_file()
    assert "Stand op <strong>2026-03-10</strong>" in index  # "today" of the run
