"""Hostile text (issue 17, items 3 and 4): URLs as a browser reads them, configuration values
as text, and no file (deep nesting, years below 1000, any commit message, patterns that are
slow for a backtracking regex) that stops the site. Through the real build and Chromium."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

from conftest import GIT_TODAY, basic_fields, build, git, run_klachten, serve_directory, write_complaint

# Each would make a browser fetch from evil.example, or from outside the complaint's folder,
# if judged as written instead of as the browser reads it.
IMAGE_TRICKS = """## Omschrijving
![tab](&#9;/\\evil.example/a.png)
![spatie]( /\\evil.example/b.png)
![ff](&#12;/\\evil.example/c.png)
![nl](&#10;//evil.example/d.png)
![ref][r]
![schuin](//evil.example/e.png)
![http](http://evil.example/f.png)
![omhoog](../../../any/path.png)
![omhoog2](%2e%2e/%2e%2e/any/path2.png)
![absoluut](/any/path3.png)
[link](&#9;javascript:window.__pwned=1)
[link2](java&#9;script:window.__pwned=1)
![eigen](foto.png)

[r]: &#9;/\\evil.example/g.png
"""

EVALUATION = """---
periode: 2026-H1
datum: 2026-01-20
deelnemers: [Jan de Vries]
---
{body}
"""


def hostile_register(root: Path) -> None:
    write_complaint(root, "2026-001", body=IMAGE_TRICKS, **basic_fields("2026-01-05", bijlagen="[foto.png]"))
    (root / "klachten/2026/2026-001").mkdir()
    (root / "klachten/2026/2026-001/foto.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "klachten/evaluaties").mkdir()
    (root / "klachten/evaluaties/2026-H1.md").write_text(EVALUATION.format(body=IMAGE_TRICKS), encoding="utf-8")


def test_image_and_link_urls_are_judged_as_the_browser_reads_them(tmp_path, chromium):
    hostile_register(tmp_path)
    assert build(tmp_path, GIT_TODAY) == 0
    context = chromium.new_context()
    tab = context.new_page()
    requests, dialogs = [], []
    tab.on("request", lambda request: requests.append(request.url))
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve_directory(tmp_path / "site") as base:
        for path in ("/klachten/2026-001/", "/evaluaties/2026-h1/"):
            tab.goto(base + path)
            tab.wait_for_load_state("networkidle")
            hrefs = tab.evaluate("[...document.querySelectorAll('article a')].map(a => a.href)")
            assert not [h for h in hrefs if h.lower().startswith(("javascript", "data"))], path
        assert tab.evaluate("window.__pwned") is None and dialogs == []
        sources = tab.evaluate("[...document.querySelectorAll('article img')].map(i => i.getAttribute('src'))")
    context.close()
    assert [r for r in requests if not r.startswith(base + "/")] == []
    assert not [r for r in requests if "evil.example" in r or "/any/" in r]
    assert f"{base}/klachten/2026-001/foto.png" in requests  # the complaint's own image still shows
    assert all(s is None or s == "foto.png" for s in sources), sources
    page = (tmp_path / "site/klachten/2026-001/index.html").read_text(encoding="utf-8")
    for source in re.findall(r'<img[^>]*src="([^"]*)"', page):
        assert "evil" not in source and ".." not in source


CATEGORY_PAYLOADS = [
    "![p](x.png){: onerror=window.__pwned=1 }",
    "[klik](javascript:window.__pwned=1)",
    "[zie](ontbreekt.md)",
    "<img src=x onerror=window.__pwned=1>",
    "**vet** _schuin_ | pijp",
]


def test_configuration_values_are_text_on_every_page(tmp_path, chromium):
    names = ", ".join(json.dumps(p) for p in CATEGORY_PAYLOADS)
    (tmp_path / "klachten").mkdir()
    (tmp_path / "klachten/procedure.yml").write_text(f"start: 2026-01-01\ncategorieen: [{names}]\n", encoding="utf-8")
    write_complaint(tmp_path, "2026-001", **basic_fields("2026-01-05", categorie=json.dumps(CATEGORY_PAYLOADS[0])))
    write_complaint(tmp_path, "2026-002", **basic_fields("2026-01-06", categorie=json.dumps(CATEGORY_PAYLOADS[2])))
    ran = run_klachten("check", "--root", str(tmp_path), "--today", "2026-01-07", "--format", "json")
    assert [f for f in json.loads(ran.stdout)["findings"] if f["code"] != "termijn-nadert"] == []
    assert build(tmp_path, GIT_TODAY) == 0  # the strict build: [zie](ontbreekt.md) is no link
    context = chromium.new_context()
    tab = context.new_page()
    dialogs = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve_directory(tmp_path / "site") as base:
        for path in ("/velden/", "/", "/klachten/2026-001/", "/evaluaties/2026-h1/", "/jaaroverzichten/2026/"):
            tab.goto(base + path)
            tab.wait_for_load_state("networkidle")
            tab.mouse.move(300, 300)
            assert tab.evaluate("window.__pwned") is None and dialogs == [], path
            hrefs = tab.evaluate("[...document.querySelectorAll('article a')].map(a => a.getAttribute('href'))")
            assert not [h for h in hrefs if h and ("javascript" in h or "ontbreekt" in h)], path
            if path == "/velden/":
                shown = tab.inner_text("article")
                for payload in CATEGORY_PAYLOADS:
                    assert payload in shown
    context.close()


def test_a_category_with_a_line_break_is_refused(tmp_path):
    (tmp_path / "klachten").mkdir()
    (tmp_path / "klachten/procedure.yml").write_text('categorieen: [overig, "a\\n\\n[x](y)"]\n', encoding="utf-8")
    ran = run_klachten("check", "--root", str(tmp_path), "--today", "2026-01-07", "--format", "json")
    (finding,) = [f for f in json.loads(ran.stdout)["findings"] if f["file"] == "klachten/procedure.yml"]
    assert finding["code"] == "veld-ongeldig" and "één regel" in finding["message"]


# --- item 4: no file stops the site -------------------------------------------------------

DEEP_LIST = "".join("  " * level + "- niveau\n" for level in range(249))
HOSTILE_BODIES = {
    "streepjes": "- " * 1000 + "tekst",
    "geneste-lijst": DEEP_LIST,
    "citaten": "> " * 1000 + "tekst",
    "haken": "[" * 24_000,
    "links": "[a](" * 25_000,
    "nadruk": "*a " * 30_000,
}


def test_no_body_or_minutes_stops_the_site(tmp_path):
    for number, (name, body) in enumerate(HOSTILE_BODIES.items(), start=1):
        write_complaint(tmp_path, f"2026-{number:03d}", body=f"{body}\n\nEinde {name}.\n", **basic_fields("2026-01-05"))
    (tmp_path / "klachten/evaluaties").mkdir()
    minutes = EVALUATION.format(body=DEEP_LIST + "\n" + "[" * 24_000 + "\n\nEinde verslag.")
    (tmp_path / "klachten/evaluaties/2026-H1.md").write_text(minutes, encoding="utf-8")
    ran = run_klachten("build", "--root", str(tmp_path), "--today", GIT_TODAY.isoformat(), timeout=300)
    assert ran.returncode == 0 and "interne fout" not in ran.stderr, ran.stderr
    for number, name in enumerate(HOSTILE_BODIES, start=1):
        page = (tmp_path / f"site/klachten/2026-{number:03d}/index.html").read_text(encoding="utf-8")
        assert f"Einde {name}." in page  # nothing of the text is lost
    deep = (tmp_path / "site/klachten/2026-002/index.html").read_text(encoding="utf-8")
    assert "te diep genest" in deep and deep.count("- niveau") == 249  # as plain text, whole
    evaluation = (tmp_path / "site/evaluaties/2026-h1/index.html").read_text(encoding="utf-8")
    assert "Einde verslag." in evaluation and "te diep genest" in evaluation


def test_years_below_1000_are_findings_and_the_site_builds(tmp_path):
    (tmp_path / "klachten").mkdir()
    (tmp_path / "klachten/procedure.yml").write_text("start: 0001-01-01\n", encoding="utf-8")
    write_complaint(tmp_path, "2026-001", **basic_fields("0226-03-02", bevestigd="0001-01-01"))
    (tmp_path / "klachten/evaluaties").mkdir()
    (tmp_path / "klachten/evaluaties/0226-H1.md").write_text(
        "---\nperiode: 0226-H1\ndatum: 0226-07-01\ndeelnemers: [Jan]\n---\n", encoding="utf-8")
    ran = run_klachten("check", "--root", str(tmp_path), "--today", "2026-01-07", "--format", "json")
    findings = {(f["file"], f["line"]): f for f in json.loads(ran.stdout)["findings"]}
    assert "voor het jaar 1000" in findings[("klachten/procedure.yml", 1)]["message"]
    assert findings[("klachten/2026/2026-001.md", 4)]["code"] == "veld-ongeldig"
    ran = run_klachten("build", "--root", str(tmp_path), "--today", "2026-01-07", timeout=300)
    assert ran.returncode == 0 and "interne fout" not in ran.stderr, ran.stderr
    assert (tmp_path / "site/klachten/2026-001/index.html").is_file()
    assert run_klachten("check", "--root", str(tmp_path), "--today", "0226-01-01").returncode == 2


HOSTILE_MESSAGES = [
    "Bericht met \x1e scheiding \x1f en meer",
    "\x1f\x1f\x1e",
    "STX \x02wzxhzdk:0\x03 ETX",
    "Regel\n\nmet lege regel\x1e",
]


def commit(root: Path, message: bytes, author: str) -> None:
    git(root, "add", "-A")
    subprocess.run(["git", "-c", f"user.name={author}", "-c", "user.email=x@example.invalid", "commit", "-q",
                    "--allow-empty-message", "-F", "-"], cwd=root, input=message, check=True, capture_output=True)


def test_any_commit_message_or_author_keeps_the_audit_trail_right(tmp_path):
    path = write_complaint(tmp_path, "2026-001", **basic_fields("2026-01-05"))
    git(tmp_path, "init", "-q")
    authors = ["Anna\x1fBeheer", "Bert \x1e Beheer", "Carla Beheer", "Dirk Beheer", "Fons Beheer"]
    messages = [m.encode() for m in HOSTILE_MESSAGES] + [b"niet-UTF-8 \xff\xfe bytes"]
    for index, (message, author) in enumerate(zip(messages, authors, strict=True)):
        path.write_text(path.read_text(encoding="utf-8") + f"\nStap {index}.\n", encoding="utf-8")
        commit(tmp_path, message, author)
    for _ in range(2):  # a later build is not broken by an earlier one
        ran = run_klachten("build", "--root", str(tmp_path), "--today", GIT_TODAY.isoformat(), timeout=300)
        assert ran.returncode == 0 and "interne fout" not in ran.stderr, ran.stderr
    page = (tmp_path / "site/klachten/2026-001/index.html").read_text(encoding="utf-8")
    section = page[page.index('class="kr-geschiedenis"'):]
    trail = html.unescape(section[section.index("<tbody>"):section.index("</tbody>")])  # the commits' table
    shown = [a.replace("\x1f", "").replace("\x1e", "") for a in authors]
    positions = [trail.index(name) for name in reversed(shown)]
    assert positions == sorted(positions)  # newest first, each commit under its own author
    assert "Bericht met  scheiding  en meer" in trail and "STX wzxhzdk:0 ETX" in trail
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", page)
