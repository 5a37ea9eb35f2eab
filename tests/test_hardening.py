"""Hardening: nothing staff wrote is ever changed or lost, and hostile or huge complaint
files still give a site that builds, shows them as text and runs no script."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from conftest import GIT_TODAY, PRODUCT, basic_fields, build, git, serve_directory, write_complaint


def snapshot(root: Path, *folders: str) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
    }


def klachten(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["klachten", *args, "--root", str(root)], capture_output=True, text=True)


def test_no_command_changes_or_deletes_what_staff_wrote(tmp_path):
    root = tmp_path / "register"
    for name in ("klachten", "docs", "templates"):
        shutil.copytree(PRODUCT / name, root / name)
    shutil.copy(PRODUCT / "mkdocs.yml", root / "mkdocs.yml")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Register")
    before = snapshot(root, "klachten", "docs", "templates")

    for args in (
        ("check", "--today", "2026-11-20"),
        ("check", "--today", "2026-11-20", "--format", "json"),
        ("check", "--today", "2026-11-20", "--format", "github"),
        ("build", "--today", "2026-11-20"),
        ("build", "--today", "2026-11-20"),  # a rebuild over an existing build
        ("report", "--jaar", "2025", "--today", "2026-11-20", "--csv", str(tmp_path / "j.csv")),
    ):
        result = klachten(root, *args)
        assert result.returncode == 0, (args, result.stdout[-500:], result.stderr[-500:])
        assert snapshot(root, "klachten", "docs", "templates") == before, args

    # Generated output lands only in build/ and site/, which Git ignores in a real register.
    status = git(root, "status", "--porcelain", "--untracked-files=all")
    assert {line[3:].split("/")[0] for line in status.splitlines()} <= {"build", "site"}

    result = klachten(root, "new", "--ontvangen", "2026-11-20", "--kanaal", "mondeling",
                      "--onderwerp", "Nieuw", "--klager", "A. Nieuw", "--ontvangen-door", "B. Medewerker")
    assert result.returncode == 0, result.stderr
    after = snapshot(root, "klachten", "docs", "templates")
    assert {k: v for k, v in after.items() if k in before} == before  # nothing changed
    assert set(after) - set(before) == {"klachten/2026/2026-007.md"}  # one file added


HOSTILE_BODY = """## Omschrijving
[referentie][1] en [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
<javascript:window.__pwned=1>
[entiteit](&#106;avascript:window.__pwned=1)
[spatie]( javascript:window.__pwned=1)
[hoofdletters](JaVaScRiPt:window.__pwned=1)
<a href="javascript:window.__pwned=1">html-link</a>
<style>body{display:none}</style>
<object data="x.swf"></object><embed src="x.swf">
<form action="https://evil.example/"><input name=q></form>
<meta http-equiv="refresh" content="0;url=https://evil.example/">

[1]: javascript:window.__pwned=1
"""


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.urls += [value or "" for name, value in attrs if name in ("href", "src", "action", "data")]


def url_attributes(html: str) -> list[str]:
    """Every URL-bearing attribute of real tags (escaped text is not a tag)."""
    parser = _Attributes()
    parser.feed(html)
    return parser.urls


def test_markdown_link_tricks_render_as_harmless_text(tmp_path, chromium):
    write_complaint(tmp_path, "2026-001", body=HOSTILE_BODY,
                    **basic_fields("2026-01-05", "'[x](javascript:window.__pwned=1) &#60;b&#62;'"))
    assert build(tmp_path, GIT_TODAY) == 0
    html = (tmp_path / "site/klachten/2026-001/index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"): html.index("</article>")]
    hrefs = url_attributes(article)
    assert hrefs, "the page has links at all"
    for href in hrefs:
        assert not re.match(r"\s*(javascript|data|vbscript):", href, re.IGNORECASE), href
        assert "evil.example" not in href
    for tag in ("<style", "<object", "<embed", "<form", "<meta http-equiv", "<script"):
        assert tag not in article.lower()

    with serve_directory(tmp_path / "site") as base:
        page = chromium.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(base + "/klachten/2026-001/")
        for link in page.locator("article a").all():
            href = link.get_attribute("href") or ""
            if href.startswith("#") or not href:
                continue
            assert href.startswith(("http", "/", ".", "mailto:")) or "/" in href, href
        assert page.evaluate("window.__pwned") is None and dialogs == []
        assert "[x](javascript:window.__pwned=1) &#60;b&#62;" in page.inner_text("article")
        assert page.is_visible("article")  # the <style> did not hide the page
        page.close()


def test_very_long_lines_and_a_huge_file_still_build(tmp_path):
    long_line = "woord " * 20_000  # one line of 120,000 characters
    body = "## Omschrijving\n" + long_line + "\n\n" + ("Alinea met tekst van de klager.\n\n" * 20_000)
    path = write_complaint(tmp_path, "2026-001", body=body,
                           **basic_fields("2026-01-05", "'" + "lang onderwerp " * 2_000 + "'"))
    assert path.stat().st_size > 700_000
    assert build(tmp_path, GIT_TODAY) == 0
    html = (tmp_path / "site/klachten/2026-001/index.html").read_text(encoding="utf-8")
    assert html.count("Alinea met tekst van de klager.") == 20_000
    assert "lang onderwerp lang onderwerp" in html
    result = klachten(tmp_path, "check", "--today", GIT_TODAY.isoformat(), "--format", "json")
    assert '"code": "yaml"' not in result.stdout and "Traceback" not in result.stderr


PRIVACY_BODY = """## Omschrijving
Mijn BSN is 111222333.
Rekening NL91 ABNA 0417 1643 00 graag.
Ik ben geboren op 12-03-1980.
"""


def privacy_lines(root: Path, procedure: str) -> dict[int, str]:
    (root / "klachten").mkdir(parents=True, exist_ok=True)
    (root / "klachten/procedure.yml").write_text(procedure, encoding="utf-8")
    write_complaint(root, "2026-001", body=PRIVACY_BODY, **basic_fields("2026-01-05"))
    result = klachten(root, "check", "--today", "2026-01-06", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    return {f["line"]: f["message"] for f in findings if f["code"] == "privacy"}


def test_privacy_patterns_are_flagged_and_masked(tmp_path):
    lines = privacy_lines(tmp_path, "start: 2026-01-01\n")
    # The front matter has 8 lines + 2 separators; the body starts on line 11.
    assert set(lines) == {12, 13, 14}
    assert "BSN" in lines[12] and "111222333" not in lines[12] and "11*****33" in lines[12]
    assert "IBAN" in lines[13] and "0417" not in lines[13]
    assert "geboortedatum" in lines[14]


def test_privacy_patterns_are_configurable_in_procedure_yml(tmp_path):
    lines = privacy_lines(tmp_path, "start: 2026-01-01\nprivacy:\n  iban: false\n  geboortedatum: nee\n")
    assert set(lines) == {12}


def test_bad_privacy_option_names_the_option_and_line(tmp_path):
    (tmp_path / "klachten").mkdir()
    (tmp_path / "klachten/procedure.yml").write_text("privacy:\n  ibn: false\n  bsn: misschien\n", encoding="utf-8")
    result = klachten(tmp_path, "check", "--today", "2026-01-06", "--format", "json")
    findings = {(f["line"], f["veld"]): f["message"] for f in json.loads(result.stdout)["findings"]
                if f["file"] == "klachten/procedure.yml"}
    assert "bedoelde je 'iban'" in findings[(2, "privacy.ibn")]
    assert "true of false" in findings[(3, "privacy.bsn")]
