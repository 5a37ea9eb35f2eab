"""`klachten check --sinds REF` (SPEC 4.3), and the pull-request gate of controle.yml that uses it.

The gate's own shell step runs in a clone of a bare origin, on a pull-request branch, as
GitHub runs it (`GITHUB_BASE_REF` set, the base branch fetched as origin/<base>).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import run_klachten
from gha import (
    GOOD_COMPLAINT,
    TODAY,
    UNCONFIRMED_COMPLAINT,
    base_env,
    bash_step,
    git,
    overdue_register,
    run,
    run_script,
)

BROKEN = GOOD_COMPLAINT.replace("kanaal: mondeling\n", "")  # veld-ontbreekt: kanaal


def gate_script() -> str:
    return run_script("controle.yml", "check", "klachten check")


def pull_request(tmp_path: Path, files: dict[str, str], elsewhere: int = 1) -> Path:
    """A clone on branch `wijziging` that changes `files`, made from an origin whose main has
    2026-001 (fine) and `elsewhere` overdue complaints of other colleagues."""
    seed = overdue_register(tmp_path / "seed")
    for n in range(3, 3 + elsewhere - 1):
        late = UNCONFIRMED_COMPLAINT.format(volgnummer=f"2026-{n:03d}", ontvangen="2026-02-01")
        (seed / "klachten" / "2026" / f"2026-{n:03d}.md").write_text(late, encoding="utf-8")
    git("add", "-A", cwd=seed)
    git("commit", "-q", "--allow-empty", "-m", "Meer", cwd=seed)
    origin = tmp_path / "origin.git"
    git("clone", "-q", "--bare", str(seed), str(origin), cwd=tmp_path)
    work = tmp_path / "work"
    git("clone", "-q", str(origin), str(work), cwd=tmp_path)
    git("switch", "-q", "-c", "wijziging", cwd=work)
    for rel, text in files.items():
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_text(text, encoding="utf-8")
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "Wijziging", cwd=work)
    return work


def run_gate(work: Path, tmp_path: Path):
    summary = tmp_path / "summary.md"
    env = base_env(KLACHTEN_TODAY=TODAY, GITHUB_BASE_REF="main", GITHUB_STEP_SUMMARY=str(summary))
    result = bash_step(gate_script(), work, env)
    return result, summary.read_text(encoding="utf-8") if summary.exists() else ""


def annotations(stdout: str) -> list[tuple[str, str]]:
    """(level, file) of every workflow command, in order."""
    return [(m[1], m[2]) for m in re.finditer(r"^::(\w+)(?: file=([^,:]+))?", stdout, re.M)]


NEW_GOOD = GOOD_COMPLAINT.format(volgnummer="2026-010", ontvangen="2026-03-09", bevestigd="2026-03-09")


def test_someone_elses_overdue_case_does_not_block_a_new_complaint(tmp_path):
    work = pull_request(tmp_path, {"klachten/2026/2026-010.md": NEW_GOOD})
    result, summary = run_gate(work, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("error", "klachten/2026/2026-002.md") not in annotations(result.stdout)
    assert ("warning", "klachten/2026/2026-002.md") in annotations(result.stdout)
    # The summary says what the pull request must fix (nothing) apart from what is late elsewhere.
    own, elsewhere = summary.split("### Elders in het register")
    assert "Niets: de gewijzigde bestanden zijn in orde" in own and "2026-002" not in own
    assert "termijn-verlopen" in elsewhere and "2026-002" in elsewhere
    assert "1 gewijzigd bestand: in orde" in result.stdout


def test_an_error_in_the_pull_requests_own_file_blocks_and_comes_first(tmp_path):
    """GitHub shows 10 error annotations per step: twelve late cases elsewhere sort before the
    new file by name, yet the new file's error is the first annotation and the only error."""
    work = pull_request(tmp_path, {"klachten/2026/2026-099.md": BROKEN.format(
        volgnummer="2026-099", ontvangen="2026-03-09", bevestigd="2026-03-09")}, elsewhere=12)
    result, summary = run_gate(work, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    found = annotations(result.stdout)
    assert found[0] == ("error", "klachten/2026/2026-099.md")
    assert {f for level, f in found if level == "error"} == {"klachten/2026/2026-099.md"}
    own = summary.split("### Elders in het register")[0]
    assert "veld-ontbreekt" in own and "2026-099" in own


def test_touching_a_late_case_makes_it_the_pull_requests_to_fix(tmp_path):
    late = UNCONFIRMED_COMPLAINT.format(volgnummer="2026-002", ontvangen="2026-02-01")
    work = pull_request(tmp_path, {"klachten/2026/2026-002.md": late.replace("twee keer", "drie keer")})
    result, _summary = run_gate(work, tmp_path)
    assert result.returncode == 1
    assert annotations(result.stdout)[0] == ("error", "klachten/2026/2026-002.md")


def test_summary_cells_are_plain_text(tmp_path):
    """A value staff typed is shown, never rendered: no image (a request to another site), no
    link, no @mention that notifies a team, no bare address turned into a link."""
    hostile = NEW_GOOD.replace(
        "kanaal: mondeling",
        "kanaal: '![p](https://evil.example/p.png) [klik](https://evil.example) @werkconnectie/directie "
        "zie www.evil.example en #12 <img src=x> a|b'",
    )
    work = pull_request(tmp_path, {"klachten/2026/2026-010.md": hostile})
    result, summary = run_gate(work, tmp_path)
    assert result.returncode == 1
    rows = [line for line in summary.splitlines() if "evil" in line]
    assert rows, summary
    for rendered in ("![", "](", "[klik]", "@werkconnectie", "https://", "www.evil", "#12", "<img"):
        assert rendered not in summary, rendered
    assert rows and all(line.count("|") - line.count("\\|") == 5 for line in rows), "the table keeps its 4 columns"


# ---------------------------------------------------------------- the command itself


def git_register(tmp_path: Path) -> Path:
    root = overdue_register(tmp_path / "register")  # main: 2026-001 fine, 2026-002 overdue
    git("switch", "-q", "-c", "wijziging", cwd=root)
    return root


def check_json(root: Path, *args: str):
    ran = run_klachten("check", "--root", str(root), "--today", TODAY, "--format", "json", *args)
    return ran, json.loads(ran.stdout) if ran.stdout else None


def test_json_marks_what_blocks(tmp_path):
    root = git_register(tmp_path)
    broken = BROKEN.format(volgnummer="2026-003", ontvangen="2026-03-09", bevestigd="2026-03-09")
    (root / "klachten/2026/2026-003.md").write_text(broken, encoding="utf-8")  # untracked: counts
    ran, data = check_json(root, "--sinds", "main")
    assert ran.returncode == 1
    blocking = {(f["file"], f["code"]) for f in data["findings"] if f["blokkeert"]}
    assert blocking == {("klachten/2026/2026-003.md", "veld-ontbreekt")}
    assert data["blokkerend"] == 1
    assert all(isinstance(f["blokkeert"], bool) for f in data["findings"])
    assert any(f["file"] == "klachten/2026/2026-002.md" and not f["blokkeert"] for f in data["findings"])
    assert data["errors"] > data["blokkerend"]


def test_without_sinds_json_has_no_blocking_keys(tmp_path):
    ran, data = check_json(git_register(tmp_path))
    assert ran.returncode == 1
    assert "blokkerend" not in data and all("blokkeert" not in f for f in data["findings"])


@pytest.mark.parametrize("how", ["committed", "staged", "edited"])
def test_every_way_of_changing_a_file_counts(tmp_path, how):
    root = git_register(tmp_path)
    path = root / "klachten/2026/2026-002.md"
    path.write_text(path.read_text(encoding="utf-8") + "Nog een regel.\n", encoding="utf-8")
    if how in ("committed", "staged"):
        git("add", "-A", cwd=root)
    if how == "committed":
        git("commit", "-q", "-m", "Regel", cwd=root)
    ran, data = check_json(root, "--sinds", "main")
    assert ran.returncode == 1 and data["blokkerend"] >= 1


def test_nothing_changed_is_green_whatever_is_late(tmp_path):
    ran, data = check_json(git_register(tmp_path), "--sinds", "main")
    assert ran.returncode == 0 and data["blokkerend"] == 0 and data["errors"] >= 1


def test_changes_on_the_base_since_the_branch_started_are_not_the_branchs(tmp_path):
    """The merge base, not REF itself: what main got meanwhile is not this pull request's."""
    root = git_register(tmp_path)
    git("switch", "-q", "main", cwd=root)
    broken = BROKEN.format(volgnummer="2026-004", ontvangen="2026-03-09", bevestigd="2026-03-09")
    (root / "klachten/2026/2026-004.md").write_text(broken, encoding="utf-8")
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "Op main", cwd=root)
    git("switch", "-q", "wijziging", cwd=root)
    ran, data = check_json(root, "--sinds", "main")
    assert ran.returncode == 0 and data["blokkerend"] == 0


def test_a_register_in_a_subfolder_of_the_repository(tmp_path):
    repo = tmp_path / "repo"
    overdue_register(repo / "register")
    run(["rm", "-rf", str(repo / "register" / ".git")], cwd=tmp_path, check=True)
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "Register in een map", cwd=repo)
    late = repo / "register/klachten/2026/2026-002.md"
    late.write_text(late.read_text(encoding="utf-8") + "x\n", encoding="utf-8")
    ran, data = check_json(repo / "register", "--sinds", "HEAD")
    assert ran.returncode == 1
    assert {f["file"] for f in data["findings"] if f["blokkeert"]} == {"klachten/2026/2026-002.md"}


def test_text_format_says_what_the_pull_request_must_fix(tmp_path):
    ran = run_klachten("check", "--root", str(git_register(tmp_path)), "--today", TODAY, "--sinds", "main")
    assert ran.returncode == 0
    assert "0 gewijzigde bestanden: in orde" in ran.stdout


def test_outside_git_is_a_usage_error(tmp_path):
    root = overdue_register(tmp_path / "register")
    run(["rm", "-rf", str(root / ".git")], cwd=tmp_path, check=True)
    ran = run_klachten("check", "--root", str(root), "--sinds", "main")
    assert ran.returncode == 2 and ran.stdout == ""
    assert "geen Git-repository" in ran.stderr and "Traceback" not in ran.stderr


@pytest.mark.parametrize("ref", ["bestaat-niet", "main~5", "-h", "--output=uit.txt", ""])
def test_an_unknown_ref_is_a_usage_error(tmp_path, ref):
    root = git_register(tmp_path)
    ran = run_klachten("check", "--root", str(root), f"--sinds={ref}")
    assert ran.returncode == 2 and ran.stdout == ""
    assert "onbekende Git-referentie" in ran.stderr
    assert not (root / "uit.txt").exists()
