"""`klachten new`: the next number, the file from templates/klacht.md, never overwriting.

End to end through the installed command; the new file must pass `klachten check --today
<ontvangen>` without a single finding on it.
"""

from __future__ import annotations

import errno
import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from conftest import check_json, klachten_command, no_access, run_klachten, run_klachten_as_staff, write_register
from klachtenregister import newcomplaint
from klachtenregister.errors import JobFailed
from klachtenregister.newcomplaint import NewComplaint, create
from klachtenregister.procedure import Procedure
from klachtenregister.register import load_register

RECENT = {"klachten/procedure.yml": "start: 2026-01-01\n"}


def new(root: Path, *extra: str, ontvangen: str = "2026-03-02", kanaal: str = "mondeling", cwd: Path | None = None):
    args = [
        "new",
        "--ontvangen",
        ontvangen,
        "--kanaal",
        kanaal,
        "--onderwerp",
        "Terugkoppeling bleef uit",
        "--klager",
        "Anna Jansen",
        "--ontvangen-door",
        "Jan de Vries",
        *extra,
    ]
    return run_klachten(*args, *([] if cwd else ["--root", str(root)]), cwd=cwd)


def test_first_complaint_of_a_year(tmp_path):
    write_register(tmp_path, RECENT)
    ran = new(tmp_path)
    assert ran.returncode == 0 and ran.stderr == ""
    path = tmp_path / "klachten/2026/2026-001.md"
    assert ran.stdout.strip() == str(path)
    assert "volgnummer: 2026-001\n" in path.read_text(encoding="utf-8")


def test_max_plus_one_gaps_never_reused(tmp_path):
    write_register(
        tmp_path,
        {
            **RECENT,
            "klachten/2026/2026-001.md": "x",
            "klachten/2026/2026-005.md": "x",
            "klachten/2025/2025-017.md": "x",
        },
    )
    assert new(tmp_path).stdout.strip().endswith("klachten/2026/2026-006.md")
    assert new(tmp_path).stdout.strip().endswith("klachten/2026/2026-007.md")
    assert new(tmp_path, ontvangen="2025-12-31").stdout.strip().endswith("klachten/2025/2025-018.md")
    assert new(tmp_path, "--today", "2027-01-01", ontvangen="2027-01-01").stdout.strip().endswith(
        "klachten/2027/2027-001.md"
    )


def test_an_attachment_folder_left_behind_still_counts(tmp_path):
    write_register(tmp_path, {**RECENT, "klachten/2026/2026-009/brief.pdf": b"%PDF"})
    assert new(tmp_path).stdout.strip().endswith("2026-010.md")


def test_numbers_beyond_999_keep_counting(tmp_path):
    write_register(tmp_path, {**RECENT, "klachten/2026/2026-999.md": "x"})
    assert new(tmp_path).stdout.strip().endswith("2026-1000.md")


def test_the_new_file_passes_check_on_its_day(tmp_path):
    write_register(tmp_path, RECENT)
    new(tmp_path)
    ran = run_klachten("check", "--root", str(tmp_path), "--today", "2026-03-02", "--format", "json")
    assert ran.returncode == 0
    assert json.loads(ran.stdout) == {"findings": [], "errors": 0, "warnings": 0}


def test_the_new_file_has_no_findings_with_the_default_procedure(tmp_path):
    write_register(tmp_path, {})
    path = Path(new(tmp_path).stdout.strip())
    rel = path.relative_to(tmp_path).as_posix()
    findings = check_json(tmp_path, "2026-03-02")
    assert findings  # the default start (2023-01-01) owes evaluations nobody recorded here ...
    assert [f for f in findings if f["file"] == rel] == []  # ... but the new file itself is clean
    assert all(f["file"] is None for f in findings)


def test_the_new_file_reads_back_as_given(tmp_path):
    write_register(tmp_path, RECENT)
    onderwerp = 'Klacht: "wachttijd" # 3 weken, 100% ontevreden \\ échte ergernis'
    ran = run_klachten(
        "new",
        "--root",
        str(tmp_path),
        "--ontvangen",
        "2026-03-02",
        "--kanaal",
        "schriftelijk",
        "--onderwerp",
        onderwerp,
        "--klager",
        "Ĳsbrand 'de' Vries",
        "--ontvangen-door",
        "Jan: de Vries",
        "--categorie",
        "planning",
    )
    assert ran.returncode == 0
    (complaint,) = load_register(tmp_path).complaints
    assert (complaint.onderwerp, complaint.klager.naam, complaint.ontvangen_door) == (
        onderwerp,
        "Ĳsbrand 'de' Vries",
        "Jan: de Vries",
    )
    assert (complaint.kanaal, complaint.categorie, str(complaint.ontvangen)) == (
        "schriftelijk",
        "planning",
        "2026-03-02",
    )
    assert check_json(tmp_path, "2026-03-02") == []


def test_categorie_defaults_to_overig(tmp_path):
    write_register(tmp_path, RECENT)
    new(tmp_path)
    assert load_register(tmp_path).complaints[0].categorie == "overig"


def test_a_category_from_procedure_yml_with_any_text(tmp_path):
    write_register(tmp_path, {"klachten/procedure.yml": "start: 2026-01-01\ncategorieen: ['wachttijd: lang', ja]\n"})
    for categorie in ("wachttijd: lang", "ja"):
        assert new(tmp_path, "--categorie", categorie).returncode == 0
    assert [c.categorie for c in load_register(tmp_path).complaints] == ["wachttijd: lang", "ja"]
    assert check_json(tmp_path, "2026-03-02") == []


@pytest.mark.parametrize(
    "extra",
    [
        ["--categorie", "onbekend"],
        ["--ontvangen", "02-03-2026"],
        ["--kanaal", "fax"],
        ["--onderwerp", "a\nb"],
        ["--onderwerp", "a\x07b"],
        ["--klager", "  "],
        ["--bijlage", "bestaat-niet.pdf"],
    ],
    ids=["categorie", "datum", "kanaal", "regeleinde", "besturingsteken", "leeg", "bijlage"],
)
def test_usage_errors_exit_2_and_write_nothing(tmp_path, extra):
    write_register(tmp_path, RECENT)
    ran = new(tmp_path, *extra)
    assert ran.returncode == 2 and ran.stdout == ""
    assert "fout" in ran.stderr
    assert not (tmp_path / "klachten/2026").exists()


def test_bad_categorie_names_the_choices(tmp_path):
    write_register(tmp_path, RECENT)
    ran = new(tmp_path, "--categorie", "wachttijd")
    assert "wachttijd" in ran.stderr and "overig" in ran.stderr and "communicatie" in ran.stderr


def test_letter_with_bijlage_and_without(tmp_path):
    write_register(tmp_path, RECENT)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 brief")
    ran = new(tmp_path, "--bijlage", str(scan), kanaal="brief")
    assert ran.returncode == 0 and ran.stderr == ""
    assert (tmp_path / "klachten/2026/2026-001/scan.pdf").read_bytes() == b"%PDF-1.4 brief"
    assert check_json(tmp_path, "2026-03-02") == []
    ran = new(tmp_path, kanaal="brief")
    assert ran.returncode == 0 and "brief" in ran.stderr  # reminded to add the letter
    assert [(f["file"], f["code"]) for f in check_json(tmp_path, "2026-03-02")] == [
        ("klachten/2026/2026-002.md", "bijlage")
    ]


def test_never_overwrites_a_file_that_appears_meanwhile(tmp_path, monkeypatch):
    write_register(tmp_path, RECENT)
    taken = tmp_path / "klachten/2026/2026-001.md"
    taken.parent.mkdir(parents=True)
    taken.write_text("van een collega\n", encoding="utf-8")
    answers = iter([1, 2])  # the first answer is stale: 2026-001 was just taken
    monkeypatch.setattr(newcomplaint, "next_number", lambda folder, year: next(answers))
    complaint = NewComplaint(date(2026, 3, 2), "mondeling", "x", "y", "z")
    path = create(tmp_path, complaint, Procedure())
    assert path.name == "2026-002.md"
    assert taken.read_text(encoding="utf-8") == "van een collega\n"
    assert not list(taken.parent.glob(".nieuw-*"))  # no temporary files left behind


def test_concurrent_new_get_different_numbers(tmp_path):
    write_register(tmp_path, RECENT)
    args = [
        klachten_command(),
        "new",
        "--root",
        str(tmp_path),
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
    ]
    processes = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = [p.communicate(timeout=60) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], outputs
    paths = sorted(out.strip() for out, _err in outputs)
    assert paths == [str(tmp_path / f"klachten/2026/2026-00{n}.md") for n in range(1, 5)]
    numbers = sorted(c.volgnummer for c in load_register(tmp_path).complaints)
    assert numbers == ["2026-001", "2026-002", "2026-003", "2026-004"]


def test_root_and_the_working_directory(tmp_path):
    write_register(tmp_path, RECENT)
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    ran = run_klachten(
        "--root",
        str(tmp_path),
        "new",
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
        cwd=elsewhere,
    )
    assert ran.stdout.strip() == str(tmp_path / "klachten/2026/2026-001.md")
    ran = new(tmp_path, cwd=tmp_path)
    assert ran.stdout.strip() == "klachten/2026/2026-002.md"
    assert (tmp_path / ran.stdout.strip()).is_file()


def test_new_and_check_need_no_git_repository(tmp_path):
    write_register(tmp_path, RECENT)
    assert not (tmp_path / ".git").exists()
    assert new(tmp_path, cwd=tmp_path).returncode == 0
    assert run_klachten("check", "--today", "2026-03-02", cwd=tmp_path).returncode == 0


def test_the_register_may_carry_its_own_template(tmp_path):
    template = "---\nvolgnummer: {{ volgnummer }}\nonderwerp: {{ new.onderwerp | yaml }}\n---\nEigen sjabloon\n"
    write_register(tmp_path, {**RECENT, "templates/klacht.md": template})
    path = Path(new(tmp_path).stdout.strip())
    assert path.read_text(encoding="utf-8").endswith("Eigen sjabloon\n")


def test_a_register_with_only_site_templates_gets_the_products_klacht_md(tmp_path):
    # The README: templates are looked up in the register first, the product second, per file.
    write_register(tmp_path, {**RECENT, "templates/site/index.md.j2": "# Eigen index\n"})
    ran = new(tmp_path)
    assert ran.returncode == 0 and "interne fout" not in ran.stderr, ran.stderr
    path = Path(ran.stdout.strip())
    assert path == tmp_path / "klachten/2026/2026-001.md"
    assert "volgnummer: 2026-001" in path.read_text(encoding="utf-8")
    assert check_json(tmp_path, "2026-03-02") == []


def test_a_register_template_folder_without_templates_still_works(tmp_path):
    write_register(tmp_path, RECENT)
    (tmp_path / "templates").mkdir()
    ran = new(tmp_path)
    assert ran.returncode == 0 and Path(ran.stdout.strip()).is_file()


# --- every option is checked before anything is written ----------------------------------


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under klachten/ with its content (None for a folder), hidden ones too."""
    return {
        p.relative_to(root).as_posix(): (None if p.is_dir() else p.read_bytes())
        for p in sorted((root / "klachten").rglob("*"))
    }


@pytest.fixture
def letter(tmp_path) -> Path:
    scan = tmp_path / "post/brief.pdf"
    scan.parent.mkdir()
    scan.write_bytes(b"%PDF-1.4 brief")
    return scan


def test_two_attachments_with_the_same_name_are_refused_before_anything_is_written(tmp_path, letter):
    write_register(tmp_path, RECENT)
    other = tmp_path / "andere/brief.pdf"
    other.parent.mkdir()
    other.write_bytes(b"%PDF-1.4 andere")
    for twice in ([letter, letter], [letter, other]):
        ran = new(tmp_path, *[a for path in twice for a in ("--bijlage", str(path))], kanaal="brief")
        assert ran.returncode == 2 and ran.stdout == "", ran.stderr
        assert "twee bijlagen heten 'brief.pdf'" in ran.stderr and "interne fout" not in ran.stderr
        assert tree(tmp_path) == {"klachten/procedure.yml": b"start: 2026-01-01\n"}


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda d: d / "weg.pdf", "bestaat niet"),
        (lambda d: d, "is een map, geen bestand"),
        (lambda d: Path("/dev/null"), "is geen gewoon bestand"),
        (lambda d: d / ("x" * 300 + ".pdf"), "de naam is te lang"),
        (lambda d: d / "brief.pdf" / "x.pdf", "een deel van het pad is een bestand"),
        (lambda d: Path(""), "geef de naam van een bestand"),
        (lambda d: d / "scan:1.pdf", "mag geen :"),
    ],
    ids=["ontbreekt", "map", "apparaat", "te-lange-naam", "bestand-als-map", "leeg", "dubbele-punt"],
)
def test_a_bad_attachment_is_a_dutch_usage_error_and_nothing_is_written(tmp_path, letter, make, said):
    write_register(tmp_path, RECENT)
    (letter.parent / "scan:1.pdf").write_bytes(b"%PDF")
    ran = new(tmp_path, "--bijlage", str(letter), "--bijlage", str(make(letter.parent)), kanaal="brief")
    assert ran.returncode == 2 and ran.stdout == ""
    assert said in ran.stderr and "interne fout" not in ran.stderr, ran.stderr
    assert ran.stderr.startswith("klachten: fout: ")
    assert tree(tmp_path) == {"klachten/procedure.yml": b"start: 2026-01-01\n"}


def test_an_unreadable_attachment_is_refused_before_anything_is_written(tmp_path, letter):
    write_register(tmp_path, RECENT)
    with no_access(letter):
        ran = run_klachten_as_staff("new", "--root", str(tmp_path), "--ontvangen", "2026-03-02", "--kanaal",
                                    "brief", "--onderwerp", "x", "--klager", "y", "--ontvangen-door", "z",
                                    "--bijlage", str(letter))
    assert ran.returncode == 2 and "brief.pdf: geen toegang" in ran.stderr, ran.stderr
    assert tree(tmp_path) == {"klachten/procedure.yml": b"start: 2026-01-01\n"}


def test_every_problem_is_named_at_once(tmp_path):
    write_register(tmp_path, RECENT)
    ran = new(tmp_path, "--categorie", "onbekend", "--bijlage", str(tmp_path / "weg.pdf"))
    assert ran.returncode == 2
    lines = ran.stderr.splitlines()
    assert any("onbekende categorie" in line for line in lines) and any("weg.pdf" in line for line in lines)
    assert all(line.startswith("klachten: fout: ") for line in lines)


def test_a_year_folder_that_cannot_be_written_is_a_dutch_error_and_leaves_nothing(tmp_path, letter):
    write_register(tmp_path, {**RECENT, "klachten/2026/2026-001.md": "van een collega\n"})
    before = tree(tmp_path)
    (tmp_path / "klachten/2026").chmod(0o555)
    try:
        ran = run_klachten_as_staff("new", "--root", str(tmp_path), "--ontvangen", "2026-03-02", "--kanaal",
                                    "brief", "--onderwerp", "x", "--klager", "y", "--ontvangen-door", "z",
                                    "--bijlage", str(letter))
    finally:
        (tmp_path / "klachten/2026").chmod(0o755)
    assert ran.returncode == 1 and ran.stdout == ""
    assert "de klacht is niet aangemaakt" in ran.stderr and "geen toegang" in ran.stderr, ran.stderr
    assert "interne fout" not in ran.stderr and "Permission denied" not in ran.stderr
    assert tree(tmp_path) == before


def test_a_year_that_is_a_file_is_a_dutch_error(tmp_path):
    write_register(tmp_path, {**RECENT, "klachten/2026": "geen map\n"})
    ran = new(tmp_path)
    assert ran.returncode == 1 and "klachten/2026 is een bestand, geen map" in ran.stderr
    assert (tmp_path / "klachten/2026").read_text(encoding="utf-8") == "geen map\n"


@pytest.mark.parametrize("failing", ["copy", "move"])
def test_a_failure_while_copying_leaves_no_half_made_complaint(tmp_path, monkeypatch, failing):
    """The disk filling up halfway is hard to arrange for the real command: the copy (or the
    move of the copied attachments into place) fails here on purpose."""
    write_register(tmp_path, {**RECENT, "klachten/2026/2026-001.md": "van een collega\n",
                              "klachten/2026/2026-001/brief.pdf": b"%PDF collega"})
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    first.write_bytes(b"%PDF a")
    second.write_bytes(b"%PDF b")
    before = tree(tmp_path)
    real_copy, real_rename = newcomplaint.shutil.copyfile, newcomplaint.os.rename

    def copy(source, target):
        if Path(source) == second:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real_copy(source, target)

    def rename(source, target):
        raise OSError(errno.EXDEV, "Invalid cross-device link", str(source))

    monkeypatch.setattr(newcomplaint.shutil, "copyfile", copy if failing == "copy" else real_copy)
    monkeypatch.setattr(newcomplaint.os, "rename", rename if failing == "move" else real_rename)
    complaint = NewComplaint(date(2026, 3, 2), "brief", "x", "y", "z", bijlagen=(first, second))
    with pytest.raises(JobFailed) as raised:
        create(tmp_path, complaint, Procedure())
    assert "niet aangemaakt" in str(raised.value)
    assert ("de schijf is vol" if failing == "copy" else "ligt op een andere schijf") in str(raised.value)
    assert tree(tmp_path) == before  # no new file, no folder, no hidden copies; the colleague's intact


def test_attachments_arrive_whole_in_the_complaints_folder(tmp_path, letter):
    write_register(tmp_path, RECENT)
    other = tmp_path / "mail.eml"
    other.write_bytes(b"From: klager\n")
    ran = new(tmp_path, "--bijlage", str(letter), "--bijlage", str(other), kanaal="brief")
    assert ran.returncode == 0 and ran.stderr == ""
    assert {k: v for k, v in tree(tmp_path).items() if "2026/" in k} == {
        "klachten/2026/2026-001": None,
        "klachten/2026/2026-001/brief.pdf": b"%PDF-1.4 brief",
        "klachten/2026/2026-001/mail.eml": b"From: klager\n",
        "klachten/2026/2026-001.md": (tmp_path / "klachten/2026/2026-001.md").read_bytes(),
    }
    assert check_json(tmp_path, "2026-03-02") == []


def test_a_letter_without_bijlage_says_where_the_letter_goes(tmp_path):
    write_register(tmp_path, RECENT)
    ran = new(tmp_path, kanaal="brief")
    assert ran.returncode == 0 and ran.stdout.strip() == str(tmp_path / "klachten/2026/2026-001.md")
    assert ran.stderr.startswith("klachten: let op: deze klacht kwam per brief")
    assert f"{tmp_path / 'klachten/2026/2026-001'}/" in ran.stderr
    assert "'bijlagen:'" in ran.stderr and "--bijlage" in ran.stderr and "klachten check" in ran.stderr
    # The rule stays: until the letter is there, check reports it, on the kanaal line.
    findings = check_json(tmp_path, "2026-03-02")
    assert [(f["code"], f["veld"]) for f in findings] == [("bijlage", "bijlagen")]
    # Following the note makes the complaint pass.
    (tmp_path / "klachten/2026/2026-001").mkdir()
    (tmp_path / "klachten/2026/2026-001/brief.pdf").write_bytes(b"%PDF")
    path = tmp_path / "klachten/2026/2026-001.md"
    text = path.read_text(encoding="utf-8")
    assert "\nbijlagen:\n#  - brief.pdf\n" in text
    path.write_text(text.replace("#  - brief.pdf", "  - brief.pdf", 1), encoding="utf-8")  # only the '#' goes
    assert check_json(tmp_path, "2026-03-02") == []


def test_no_letter_note_for_other_channels_or_with_the_letter(tmp_path, letter):
    write_register(tmp_path, RECENT)
    assert new(tmp_path, kanaal="schriftelijk").stderr == ""
    assert new(tmp_path, "--bijlage", str(letter), kanaal="brief").stderr == ""


# --- SPEC 4.3: klantnummer, omschrijving, and what check would reject -----------------------

BSN = "111222333"  # passes the elfproef
IBAN = "NL91ABNA0417164300"  # valid check digits


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in (root / "klachten").rglob("*")}


def test_klantnummer_and_omschrijving_are_written(tmp_path):
    write_register(tmp_path, RECENT)
    text = "Klager kreeg na de intake geen bericht.\n\nZij belde twee keer; niemand belde terug."
    ran = new(tmp_path, "--klantnummer", "K-1042", "--omschrijving", text)
    assert ran.returncode == 0, ran.stderr
    written = (tmp_path / "klachten/2026/2026-001.md").read_text(encoding="utf-8")
    front, body = written.split("\n---\n", 1)
    assert "\n  klantnummer: K-1042 " in front
    assert body.startswith(f"## Omschrijving\n\n{text}\n\n## Onderzoek")
    assert "De klacht in de woorden van de klager" not in body
    assert check_json(tmp_path, "2026-03-02") == []
    (complaint,) = load_register(tmp_path).complaints
    assert complaint.klager.klantnummer == "K-1042"


def test_without_them_the_examples_stay(tmp_path):
    write_register(tmp_path, RECENT)
    assert new(tmp_path).returncode == 0
    written = (tmp_path / "klachten/2026/2026-001.md").read_text(encoding="utf-8")
    assert "\n#  klantnummer: K-0000" in written
    assert "## Omschrijving\n\nDe klacht in de woorden van de klager.\n" in written


def test_spaces_around_a_value_are_ignored(tmp_path):
    write_register(tmp_path, RECENT)
    ran = new(
        tmp_path, "--categorie", " Facturatie ", "--klantnummer", "  K-7 ", "--today", "2026-12-01",
        ontvangen=" 2026-11-30 ", kanaal=" Schriftelijk ",
    )
    assert ran.returncode == 0, ran.stderr
    written = (tmp_path / "klachten/2026/2026-001.md").read_text(encoding="utf-8")
    for line in ("ontvangen: 2026-11-30\n", "kanaal: schriftelijk\n", "categorie: facturatie ", "klantnummer: K-7 "):
        assert line in written, line
    assert [f for f in check_json(tmp_path, "2026-11-30") if f["file"]] == []  # 2026-H1's evaluation is owed


def refused(tmp_path: Path, *extra: str, **options: str):
    """Run `new` that must be refused: exit 2, a Dutch message, and nothing written."""
    write_register(tmp_path, RECENT)
    before = files_under(tmp_path)
    ran = new(tmp_path, *extra, **options)
    assert ran.returncode == 2, ran.stdout + ran.stderr
    assert ran.stdout == "" and "Traceback" not in ran.stderr
    assert files_under(tmp_path) == before
    return ran


def test_a_date_after_today_is_refused(tmp_path):
    ran = refused(tmp_path, "--today", "2026-03-01", ontvangen="2026-03-02")
    assert "--ontvangen 2026-03-02 ligt na vandaag (2026-03-01)" in ran.stderr


def test_today_itself_is_fine(tmp_path):
    write_register(tmp_path, RECENT)
    assert new(tmp_path, "--today", "2026-03-02", ontvangen="2026-03-02").returncode == 0


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_a_blank_onderwerp_is_refused_as_empty(tmp_path, blank):
    write_register(tmp_path, RECENT)
    args = ["new", "--root", str(tmp_path), "--ontvangen", "2026-03-02", "--kanaal", "brief", "--onderwerp", blank,
            "--klager", "A", "--ontvangen-door", "B"]
    ran = run_klachten(*args)
    assert ran.returncode == 2 and "--onderwerp is leeg" in ran.stderr
    assert not (tmp_path / "klachten/2026").exists()


OPTIONS_WITH_TEXT = ["--onderwerp", "--klager", "--ontvangen-door", "--klantnummer", "--categorie", "--omschrijving"]


@pytest.mark.parametrize("option", [*OPTIONS_WITH_TEXT, "--ontvangen", "--kanaal", "--bijlage"])
def test_a_bsn_in_any_option_is_refused_masked(tmp_path, option):
    value = f"zie {BSN}" if option not in ("--ontvangen", "--kanaal") else BSN
    if option == "--bijlage":
        value = str(tmp_path / f"scan-{BSN}.pdf")
        (tmp_path / f"scan-{BSN}.pdf").write_bytes(b"%PDF-1.4\n")
    ran = refused(tmp_path / "register", option, value)
    assert BSN not in ran.stderr, ran.stderr
    assert "11*****33" in ran.stderr and "BSN" in ran.stderr
    assert option in ran.stderr or option in ("--ontvangen", "--kanaal")


@pytest.mark.parametrize(
    ("text", "said", "secret"),
    [
        (f"Terugbetalen op {IBAN}", "IBAN", IBAN),
        (f"Terugbetalen op {IBAN[:4]} {IBAN[4:8]} {IBAN[8:12]} {IBAN[12:16]} {IBAN[16:]}", "IBAN", IBAN[4:8]),
        ("Klager, geboren op 12-03-1980, belde", "geboortedatum", "12-03-1980"),
        ("geboortedatum: 1980-03-12", "geboortedatum", "1980-03-12"),
    ],
)
def test_an_iban_or_birth_date_is_refused(tmp_path, text, said, secret):
    ran = refused(tmp_path, "--omschrijving", text)
    assert "--omschrijving: " in ran.stderr and said in ran.stderr
    assert secret not in ran.stderr


def test_the_register_decides_which_personal_data_is_searched_for(tmp_path):
    """`new` uses the privacy rule's own detection and settings: what check accepts, it accepts."""
    write_register(tmp_path, {"klachten/procedure.yml": "start: 2026-01-01\nprivacy:\n  iban: false\n"})
    ran = new(tmp_path, "--omschrijving", f"Terugbetalen op {IBAN}")
    assert ran.returncode == 0, ran.stderr
    assert check_json(tmp_path, "2026-03-02") == []


def test_every_refusal_is_said_at_once(tmp_path):
    ran = refused(tmp_path, "--today", "2026-03-01", "--categorie", "onbekend", "--klantnummer", "K-1\u0007")
    for said in ("ligt na vandaag", "onbekende categorie 'onbekend'", "--klantnummer moet één regel"):
        assert said in ran.stderr, said
