"""Issue 13 item 10: `klachten evaluatie JJJJ-Hn` and `klachten jaaroverzicht JJJJ` start the
record of a period from a template; filled in with its dates, the record passes check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import PRODUCT, run_klachten, write_register

TODAY = "2026-11-20"  # the example register's day


@pytest.fixture
def example(tmp_path) -> Path:
    """The example register without its 2026-H1 evaluation and its 2025 overview."""
    shutil.copytree(PRODUCT / "klachten", tmp_path / "klachten")
    (tmp_path / "klachten/evaluaties/2026-H1.md").unlink()
    (tmp_path / "klachten/jaaroverzichten/2025.md").unlink()
    return tmp_path


def klachten(root: Path, *args: str):
    return run_klachten(*args, "--root", str(root), "--today", TODAY)


def findings_on(root: Path, rel: str) -> list[dict]:
    ran = klachten(root, "check", "--format", "json")
    return [f for f in json.loads(ran.stdout)["findings"] if f["file"] == rel]


def complainants(root: Path) -> set[str]:
    from klachtenregister.register import load_register

    register = load_register(root)
    names = {c.klager.naam for c in register.complaints if c.klager and c.klager.naam}
    return names | {c.klager.klantnummer for c in register.complaints if c.klager and c.klager.klantnummer}


def test_an_evaluation_record_is_written_as_an_agenda(example):
    ran = klachten(example, "evaluatie", "2026-H1")
    assert ran.returncode == 0, ran.stderr
    path = example / "klachten/evaluaties/2026-H1.md"
    assert Path(ran.stdout.strip()).resolve() == path.resolve()
    text = path.read_text(encoding="utf-8")
    assert "periode: 2026-H1\n" in text and "datum: JJJJ-MM-DD" in text
    assert "- Ontvangen: 3 klachten" in text  # the period's figures
    assert "| 2026-001 | planning | gesloten | gegrond |" in text  # complaints by volgnummer and category
    assert "## 2. Openstaande acties van eerdere evaluaties" in text
    assert not any(name in text for name in complainants(example))  # no complainant's name or number
    assert "  - \"R. Directeur\"" in text  # the participants of the last evaluation, to adjust


def test_the_agenda_lists_the_open_actions_of_earlier_evaluations(example):
    record = example / "klachten/evaluaties/2025-H2.md"
    text = record.read_text(encoding="utf-8")
    gereed = [line for line in text.splitlines() if line.strip().startswith("gereed:")]
    record.write_text(text.replace(gereed[0] + "\n", "", 1), encoding="utf-8")  # one action not done
    assert klachten(example, "evaluatie", "2026-H2").returncode == 0
    agenda = (example / "klachten/evaluaties/2026-H2.md").read_text(encoding="utf-8")
    item = next(line for line in agenda.splitlines() if line.startswith("- 2025-H2, actie"))
    assert "klachten/evaluaties/2025-H2.md" in item and "gereed" in item


def test_filled_in_with_its_dates_the_records_pass_check(example):
    assert klachten(example, "evaluatie", "2026-H1").returncode == 0
    assert klachten(example, "jaaroverzicht", "2025").returncode == 0
    evaluation, overview = "klachten/evaluaties/2026-H1.md", "klachten/jaaroverzichten/2025.md"
    assert {f["code"] for f in findings_on(example, evaluation)} == {"veld-ongeldig"}  # the date is still to come
    for rel, field, day in ((evaluation, "datum", "2026-09-08"), (overview, "verzonden", "2026-03-16")):
        path = example / rel
        path.write_text(path.read_text(encoding="utf-8").replace(f"{field}: JJJJ-MM-DD", f"{field}: {day}"),
                        encoding="utf-8")
        assert findings_on(example, rel) == []
    ran = klachten(example, "check")
    assert ran.returncode == 0, ran.stdout


def test_the_annual_record_is_addressed_from_procedure_yml(example):
    procedure = example / "klachten/procedure.yml"
    text = procedure.read_text(encoding="utf-8")
    assert "uwv:\n  naam: W. Accountmanager\n" in text
    procedure.write_text(text.replace("  naam: W. Accountmanager", "  naam: A. Accountmanager"), encoding="utf-8")
    assert klachten(example, "jaaroverzicht", "2025").returncode == 0
    text = (example / "klachten/jaaroverzichten/2025.md").read_text(encoding="utf-8")
    assert 'aan: "A. Accountmanager, accountmanager re-integratie"' in text
    assert "jaar: 2025\n" in text and "- Ontvangen: 7 klachten" in text
    assert not any(name in text for name in complainants(example))
    procedure.write_text(text.split("uwv:")[0], encoding="utf-8")  # without uwv: the function step 12 names
    (example / "klachten/jaaroverzichten/2025.md").unlink()
    assert klachten(example, "jaaroverzicht", "2025").returncode == 0
    assert 'aan: "accountmanager re-integratie UWV"' in (example / "klachten/jaaroverzichten/2025.md").read_text()


def test_an_existing_record_is_never_overwritten(example):
    rel = "klachten/evaluaties/2025-H2.md"
    before = (example / rel).read_bytes()
    ran = klachten(example, "evaluatie", "2025-H2")
    assert ran.returncode == 1 and "bestaat al" in ran.stderr and "nooit overschreven" in ran.stderr
    assert (example / rel).read_bytes() == before
    assert klachten(example, "jaaroverzicht", "2025").returncode == 0
    again = klachten(example, "jaaroverzicht", "2025")
    assert again.returncode == 1 and "bestaat al" in again.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("evaluatie", "2026-H3"), "ongeldig halfjaar '2026-H3'"),
        (("evaluatie", "2026"), "ongeldig halfjaar"),
        (("jaaroverzicht", "25"), "ongeldig jaar"),
        (("evaluatie", "2027-H1"), "nog niet begonnen"),
        (("jaaroverzicht", "2027"), "nog niet begonnen"),
    ],
)
def test_a_wrong_period_is_a_usage_error_and_writes_nothing(example, args, words):
    ran = klachten(example, *args)
    assert ran.returncode == 2 and words in ran.stderr
    assert sorted(p.name for p in (example / "klachten/evaluaties").iterdir()) == ["2025-H1.md", "2025-H2.md"]


def test_a_quiet_half_year_in_an_empty_register(tmp_path):
    write_register(tmp_path, {"klachten/procedure.yml": "start: 2026-01-01\n"})
    assert klachten(tmp_path, "evaluatie", "2026-h1").returncode == 0  # lower case is read as meant
    text = (tmp_path / "klachten/evaluaties/2026-H1.md").read_text(encoding="utf-8")
    assert "In dit halfjaar zijn geen klachten ontvangen." in text and '  - "directie"' in text
    path = tmp_path / "klachten/evaluaties/2026-H1.md"
    path.write_text(text.replace("datum: JJJJ-MM-DD", "datum: 2026-07-14"), encoding="utf-8")
    assert klachten(tmp_path, "check").returncode == 0


def test_the_help_is_dutch():
    for command in ("evaluatie", "jaaroverzicht"):
        ran = run_klachten(command, "--help")
        assert ran.returncode == 0 and "gebruik: klachten" in ran.stdout and "nooit overschreven" in ran.stdout
