"""`klachten renumber`: resolving two pull requests that took the same volgnummer."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

COMPLAINT = """---
volgnummer: {nummer}   # stap 2
onderwerp: {onderwerp}
ontvangen: 2026-03-02
kanaal: brief
ontvangen_door: Jan de Vries
klager:
  naam: Anna Voorbeeld
categorie: overig
bijlagen:
  - brief.pdf
---
## Omschrijving
Klacht over {nummer}, met een regel die 'volgnummer: {nummer}' noemt.
"""


def klachten(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["klachten", *args, "--root", str(root)], capture_output=True, text=True)


def write(root: Path, name: str, nummer: str, onderwerp: str) -> Path:
    (root / "klachten").mkdir(exist_ok=True)
    (root / "klachten/procedure.yml").write_text("start: 2026-01-01\n", encoding="utf-8")
    path = root / "klachten" / "2026" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(COMPLAINT.format(nummer=nummer, onderwerp=onderwerp), encoding="utf-8")
    folder = path.with_suffix("")
    folder.mkdir(exist_ok=True)
    (folder / "brief.pdf").write_bytes(b"%PDF-1.4 scan " + onderwerp.encode())
    return path


def findings(root: Path) -> list[dict]:
    result = klachten(root, "check", "--today", "2026-03-04", "--format", "json")
    return json.loads(result.stdout)["findings"]


def test_duplicate_number_names_the_other_file_and_how_to_renumber(tmp_path):
    write(tmp_path, "2026-001.md", "2026-001", "Eerste")
    write(tmp_path, "2026-002.md", "2026-001", "Tweede")  # a merge gone wrong
    duplicates = [f for f in findings(tmp_path) if f["code"] == "volgnummer" and "dubbel" in f["message"]]
    assert {f["file"] for f in duplicates} == {"klachten/2026/2026-001.md", "klachten/2026/2026-002.md"}
    first = next(f for f in duplicates if f["file"].endswith("001.md"))
    assert "2026-002.md" in first["message"] and "klachten renumber" in first["message"]
    assert first["line"] == 2


def test_renumber_moves_file_and_attachments_and_changes_only_the_number(tmp_path):
    write(tmp_path, "2026-001.md", "2026-001", "Eerste")
    old = write(tmp_path, "2026-002.md", "2026-002", "Tweede")
    before = old.read_text(encoding="utf-8")

    result = klachten(tmp_path, "renumber", "2026-002")

    assert result.returncode == 0, result.stderr
    new = tmp_path / "klachten/2026/2026-003.md"
    assert not old.exists() and new.is_file()
    assert (tmp_path / "klachten/2026/2026-003/brief.pdf").read_bytes().endswith(b"Tweede")
    assert not (tmp_path / "klachten/2026/2026-002").exists()
    after = new.read_text(encoding="utf-8")
    assert after.splitlines()[1] == "volgnummer: 2026-003   # stap 2"
    # Every other line, including the body that mentions the old number, is untouched.
    assert after.splitlines()[2:] == before.splitlines()[2:]
    assert findings(tmp_path) == []


def test_renumber_refuses_to_overwrite(tmp_path):
    write(tmp_path, "2026-001.md", "2026-001", "Eerste")
    write(tmp_path, "2026-002.md", "2026-002", "Tweede")
    snapshot = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    result = klachten(tmp_path, "renumber", "2026-002", "--naar", "2026-001")

    assert result.returncode == 1
    assert "al in gebruik" in result.stderr and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == snapshot


def test_renumber_unknown_complaint(tmp_path):
    write(tmp_path, "2026-001.md", "2026-001", "Eerste")
    result = klachten(tmp_path, "renumber", "2026-009")
    assert result.returncode == 1 and "niet gevonden" in result.stderr


def git(root: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=Medewerker", "-c", "user.email=m@example.invalid", *args]
    return subprocess.run(command, cwd=root, check=True, capture_output=True, text=True).stdout


def new(root: Path, onderwerp: str) -> str:
    result = klachten(root, "new", "--ontvangen", "2026-03-02", "--kanaal", "mondeling", "--onderwerp", onderwerp,
                      "--klager", "A. Voorbeeld", "--ontvangen-door", "B. Medewerker")
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip()).stem


def test_two_pull_requests_that_took_the_same_number(tmp_path):
    """Both branches got 2026-001 from `klachten new`; the second renumbers against main."""
    (tmp_path / "klachten").mkdir()
    (tmp_path / "klachten/procedure.yml").write_text("start: 2026-01-01\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "Register")
    for branch, onderwerp in (("pr-a", "Eerste"), ("pr-b", "Tweede")):
        git(tmp_path, "checkout", "-q", "-b", branch, "main")
        assert new(tmp_path, onderwerp) == "2026-001"
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-qm", f"Klacht {onderwerp}")
    git(tmp_path, "checkout", "-q", "main")
    git(tmp_path, "merge", "-q", "pr-a")

    # Without a renumber, the second pull request cannot be merged.
    git(tmp_path, "checkout", "-q", "pr-b")
    conflict = subprocess.run(["git", "merge", "main"], cwd=tmp_path, capture_output=True, text=True)
    assert conflict.returncode != 0 and "2026-001.md" in conflict.stdout
    git(tmp_path, "merge", "--abort")

    result = klachten(tmp_path, "renumber", "2026-001", "--tegen", "main")
    assert result.returncode == 0, result.stderr
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "Volgnummer 2026-002")
    git(tmp_path, "checkout", "-q", "main")
    git(tmp_path, "merge", "-q", "pr-b")

    texts = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "klachten/2026").glob("*.md")}
    assert set(texts) == {"2026-001.md", "2026-002.md"}
    assert '"Eerste"' in texts["2026-001.md"] and '"Tweede"' in texts["2026-002.md"]
    assert findings(tmp_path) == []


def test_renumber_against_a_branch_skips_numbers_taken_there(tmp_path):
    write(tmp_path, "2026-001.md", "2026-001", "Eerste")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "Register")
    git(tmp_path, "checkout", "-q", "-b", "andere")
    write(tmp_path, "2026-005.md", "2026-005", "Vijfde")  # taken on main only
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "Vijfde")
    git(tmp_path, "checkout", "-q", "-b", "mijn", "main")
    write(tmp_path, "2026-002.md", "2026-002", "Tweede")

    assert klachten(tmp_path, "renumber", "2026-002", "--naar", "2026-005", "--tegen", "andere").returncode == 1
    result = klachten(tmp_path, "renumber", "2026-002", "--tegen", "andere")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "klachten/2026/2026-006.md").is_file()
    assert klachten(tmp_path, "renumber", "2026-006", "--tegen", "bestaat-niet").returncode == 1
