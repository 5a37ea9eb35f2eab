"""Personal data (issue 17 items 5 and 7, issue 13 item 8): a BSN, IBAN or birth date is
found in every way staff write it, and masked wherever the product writes it: every message of
check in every format, the job summary, the site's pages, findings and search index, the PDF,
the CSV and the error messages of the commands."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import GIT_TODAY, basic_fields, require_tool, run_klachten, write_complaint

BSN = "111222333"  # passes the elfproef
OTHER_BSN = "123456782"  # so does this one
IBAN = "NL91ABNA0417164300"
TODAY = "2026-01-07"


def findings(root: Path, *more: str) -> list[dict]:
    ran = run_klachten("check", "--root", str(root), "--today", TODAY, "--format", "json", *more)
    return json.loads(ran.stdout)["findings"]


def privacy_messages(root: Path, body: str) -> list[str]:
    write_complaint(root, "2026-001", body=f"## Omschrijving\n{body}\n", **basic_fields("2026-01-05"))
    return [f["message"] for f in findings(root) if f["code"] == "privacy"]


@pytest.mark.parametrize("written", ["111222333", "111-222-333", "111.222.333", "111 222 333", "1112.22.333"])
def test_a_bsn_in_groups_is_recognised(tmp_path, written):
    (message,) = privacy_messages(tmp_path, f"Het BSN van klager is {written}.")
    assert "BSN" in message and "11*****33" in message and "222" not in message


@pytest.mark.parametrize("written", ["K-111222334", "2026-001", "tel. 0183 222 333", "1112223330", "111-222-3330"])
def test_what_is_no_bsn_is_not_flagged(tmp_path, written):
    assert privacy_messages(tmp_path, f"Zie {written}.") == []


@pytest.mark.parametrize(
    "written",
    ["geboren op 3 mei 1980", "geboortedatum 3 mei 1980", "geb. 03-05-1980", "Geboren: 1980-05-03",
     "geboortedatum: 3-5-80", "geboren op 12 sept. 1975"],
)
def test_a_birth_date_in_words_or_digits_is_a_privacy_error(tmp_path, written):
    (message,) = privacy_messages(tmp_path, f"Klager ({written}) belde.")
    assert "geboortedatum" in message and "1980" not in message and "1975" not in message


@pytest.mark.parametrize("written", ["het gebouw 12-03-2020", "geboren en getogen in Gorinchem", "geb. in mei"])
def test_what_is_no_birth_date_is_not_flagged(tmp_path, written):
    assert privacy_messages(tmp_path, written) == []


def test_a_long_run_of_spaces_after_geboortedatum_is_checked_at_once(tmp_path):
    (tmp_path / "klachten").mkdir()
    (tmp_path / "klachten/procedure.yml").write_text("start: 2026-01-01\n", encoding="utf-8")
    body = "geboortedatum" + " " * 100_000 + "onbekend\nnaam:" + " " * 100_000 + "x\n" + "111 " * 25_000
    write_complaint(tmp_path, "2026-001", body=body, **basic_fields("2026-01-05"))
    ran = run_klachten("check", "--root", str(tmp_path), "--today", TODAY, timeout=60)  # was 63 s
    assert ran.returncode == 0, ran.stdout[-300:]


# --- masked wherever the product writes it -----------------------------------------------------

LEAKY = {  # a BSN in places where other rules than privacy quote it
    "ontvangen": BSN,
    BSN: "onbekend veld",
    "klager": f"\n  naam: Piet {BSN}\n  klantnummer: {IBAN}",
    "onderwerp": f"Terugbellen {BSN} geboren op 3 mei 1980",
}


def leaky_register(root: Path) -> None:
    (root / "klachten").mkdir(parents=True)
    (root / "klachten/procedure.yml").write_text("start: 2026-01-01\n", encoding="utf-8")
    fields = basic_fields("2026-01-05") | LEAKY
    write_complaint(root, "2026-001", body=f"Rekening {IBAN}, BSN {BSN}.\n", **fields)
    write_complaint(root, "2026-002", **basic_fields("2026-01-05", klager=f"\n  naam: Piet {BSN}"))
    (root / "klachten/evaluaties").mkdir()
    (root / "klachten/evaluaties/2026-H1.md").write_text(
        f"---\nperiode: 2026-H1\ndatum: 2026-01-06\ndeelnemers: [Jan]\nacties:\n  - wat: Bel {OTHER_BSN} terug\n"
        f"    wie: Jan\n    uiterlijk: 2026-02-01\n---\nBesproken: {BSN}, geboren op 3 mei 1980.\n",
        encoding="utf-8",
    )


SECRETS = (BSN, "111 222 333", OTHER_BSN, IBAN, "3 mei 1980", "0417")


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def test_check_masks_the_number_in_every_message_and_format(tmp_path):
    leaky_register(tmp_path)
    found = findings(tmp_path)
    assert {f["code"] for f in found} >= {"privacy", "veld-ongeldig"}
    assert any("is geen datum" in f["message"] for f in found)  # the message that quoted it whole
    summary = tmp_path / "samenvatting.md"
    for fmt in ("text", "json", "github"):
        ran = run_klachten("check", "--root", str(tmp_path), "--today", TODAY, "--format", fmt,
                           env={"GITHUB_STEP_SUMMARY": str(summary)})
        assert ran.returncode == 1 and "11*****33" in ran.stdout
        assert leaks(ran.stdout + ran.stderr) == [], fmt
    assert "11\\*\\*\\*\\*\\*33" in summary.read_text(encoding="utf-8")
    assert leaks(summary.read_text(encoding="utf-8")) == []


def test_usage_errors_mask_what_was_typed(tmp_path):
    ran = run_klachten("check", "--root", str(tmp_path), "--today", BSN)
    assert ran.returncode == 2 and leaks(ran.stderr) == []
    ran = run_klachten("report", "--root", str(tmp_path), "--jaar", BSN, "--csv", str(tmp_path / "x.csv"))
    assert ran.returncode == 2 and leaks(ran.stderr) == []


def test_the_site_masks_it_on_pages_findings_and_search_index(tmp_path):
    leaky_register(tmp_path)
    ran = run_klachten("build", "--root", str(tmp_path), "--today", GIT_TODAY.isoformat(), timeout=300)
    assert ran.returncode == 0, ran.stderr
    for folder in ("site", "build/docs"):
        for path in (tmp_path / folder).rglob("*"):
            if path.is_file() and path.suffix in (".html", ".md", ".json", ".js", ".xml"):
                assert leaks(path.read_text(encoding="utf-8", errors="replace")) == [], path
    index = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert "11*****33" in index  # the findings table still says which number
    search = (tmp_path / "site/search/search_index.json").read_text(encoding="utf-8")
    assert "Terugbellen 11*****33" in search


def test_the_pdf_and_the_csv_mask_it(tmp_path):
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (apt-get install poppler-utils)")
    leaky_register(tmp_path)
    csv_file, pdf = tmp_path / "jaar.csv", tmp_path / "jaar.pdf"
    ran = run_klachten("report", "--root", str(tmp_path), "--jaar", "2026", "--today", "2026-12-01",
                       "--csv", str(csv_file), "--met-namen", "--pdf", str(pdf), timeout=300)
    assert ran.returncode == 0, ran.stderr
    rows = csv_file.read_text(encoding="utf-8-sig")
    assert "Piet 11*****33" in rows and leaks(rows) == []
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "12*****82" in text and leaks(text) == []  # the action of the evaluation
