"""The site (SPEC section 3): generated pages, the strict MkDocs build, the Git audit trail."""

from __future__ import annotations

import contextlib
import html
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE_TODAY, GIT_TODAY, PRODUCT, basic_fields, build, git, write_complaint
from klachtenregister import model
from klachtenregister.site.build import generate_docs
from klachtenregister.site.history import complaint_key, parse_log, parse_status
from klachtenregister.site.sanitize import body_html
from klachtenregister.site.timeline import TITLES


def page(root: Path, url: str) -> str:
    """The built HTML of a site URL such as '/' or '/klachten/2026-001/'."""
    return (root / "site" / url.strip("/") / "index.html").read_text(encoding="utf-8")


def text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def row(fragment: str, needle: str) -> str:
    """The table row (<tr>...</tr>) that contains `needle`."""
    rows = [r for r in re.findall(r"<tr\b.*?</tr>", fragment, re.S) if needle in r]
    assert rows, f"geen rij met {needle}"
    return rows[0]


def timeline(fragment: str) -> dict[int, str]:
    """Step number -> the state word of the complaint page's timeline."""
    steps_list = fragment[fragment.index('class="kr-tijdlijn"') :]
    steps_list = steps_list[: steps_list.index("</ol>")]
    steps = {}
    for item in re.findall(r"<li\b.*?</li>", steps_list, re.S):
        state = re.search(r'<span class="kr-state[^"]*">(.*?)</span>', item).group(1)
        number = re.search(r"<strong>(\d+)\.", item).group(1)
        steps[int(number)] = text(state)
    return steps


# --- the example register ----------------------------------------------------------------


def test_example_index_lists_every_complaint_per_year(example_site):
    index = page(example_site, "/")
    for path in sorted((PRODUCT / "klachten").glob("20*/*.md")):
        assert f'href="klachten/{path.stem}/"' in index
    assert index.index('<h2 id="2026">') < index.index('<h2 id="2025">')
    late = text(row(index, 'href="klachten/2025-004/"'))
    assert "te laat" in late and "communicatie" in late and "gesloten" in late and "R. Directeur" in late
    assert "3 open" in text(index) and "0 met een verlopen termijn" in text(index)


def test_example_index_shows_next_deadline_and_days_left(example_site):
    open_case = text(row(page(example_site, "/"), 'href="klachten/2026-005/"'))
    assert "oordeel (stap 7): 2026-11-25" in open_case and "nog 5 dagen" in open_case


def test_example_index_shows_findings(example_site):
    controle = text(page(example_site, "/").split('class="kr-controle"')[1])
    assert "termijn-overschreden" in controle and "klachten/2025/2025-004.md:12" in controle


def test_example_complaint_page_fields_timeline_body_attachments(example_site):
    klacht = page(example_site, "/klachten/2025-004/")
    visible = text(klacht)
    for spec in model.COMPLAINT_FIELDS:  # a row of its own, or named among the empty ones
        assert html.escape(spec.label, quote=False) in klacht
    for title in TITLES.values():
        assert html.escape(title, quote=False) in klacht
    assert timeline(klacht) == {
        1: "gedaan", 2: "gedaan", 3: "te laat", 4: "gedaan", 5: "gedaan", 6: "gedaan",
        7: "op tijd", 8: "gedaan", 9: "gedaan", 10: "n.v.t.", 11: "op tijd", 12: "op tijd",
    }  # fmt: skip
    assert "uiterlijk 2025-06-09" in visible  # the step-3 deadline
    assert "Klager schreef per e-mail" in visible  # the body


def test_example_attachments_are_copied_and_linked(example_site):
    klacht = page(example_site, "/klachten/2026-001/")
    assert '<a href="brief.pdf">brief.pdf</a>' in klacht
    assert (example_site / "site/klachten/2026-001/brief.pdf").read_bytes() == (
        PRODUCT / "klachten/2026/2026-001/brief.pdf"
    ).read_bytes()


def test_without_git_the_pages_say_so(example_site):
    assert "geen Git-geschiedenis" in page(example_site, "/")
    assert "geen Git-geschiedenis" in page(example_site, "/klachten/2026-001/")


def test_every_page_says_noindex_and_loads_nothing_from_outside(example_site):
    pages = list((example_site / "site").rglob("*.html"))
    assert len(pages) > 15
    for path in pages:
        source = path.read_text(encoding="utf-8")
        assert '<meta name="robots" content="noindex, nofollow">' in source, path
        assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", source), path
        assert "fonts.googleapis" not in source and "unpkg" not in source


def test_reference_pages_are_generated_from_the_model_and_rules(example_site):
    velden = text(page(example_site, "/velden/"))
    for name in ("klager.naam", "opdrachtgever_geinformeerd", "periode", "verzonden"):
        assert name in velden
    assert "vanaf afgehandeld" in velden and "bejegening, communicatie" in velden
    regels = text(page(example_site, "/regels/"))
    for code in ("veld-ontbreekt", "onafhankelijkheid", "termijn-verlopen", "privacy", "yaml"):
        assert code in regels
    assert "elfproef" in regels and "klachten/JJJJ/<volgnummer>.md" in regels


def test_report_index_pages_exist(example_site):
    assert "2025-H1" in text(page(example_site, "/evaluaties/"))
    assert "2025" in text(page(example_site, "/jaaroverzichten/"))


def test_generated_files_stay_out_of_the_sources(example_site):
    assert (example_site / "build/docs/klachten/2026-001/index.md").is_file()
    assert not (example_site / "docs").exists()
    ignored = (PRODUCT / ".gitignore").read_text().splitlines()
    assert "/build" in ignored and "/site" in ignored  # folders, and files or links of that name


def test_regeneration_writes_only_what_changed(example_site, tmp_path):
    root = tmp_path / "r"
    shutil.copytree(example_site / "klachten", root / "klachten")
    assert generate_docs(root, EXAMPLE_TODAY).changed > 15
    assert generate_docs(root, EXAMPLE_TODAY).changed == 0
    source = root / "klachten/2026/2026-003.md"
    source.write_text(source.read_text().replace("Geen parkeerplaats", "Geen fietsenstalling"))
    assert generate_docs(root, EXAMPLE_TODAY).changed == 2  # its page and the index
    source.unlink()
    generate_docs(root, EXAMPLE_TODAY)
    assert not (root / "build/docs/klachten/2026-003/index.md").exists()


# --- hand-written pages and configuration ------------------------------------------------


def test_handwritten_docs_never_link_to_a_complaint_or_report_page():
    for path in (PRODUCT / "docs").glob("*.md"):
        for target in re.findall(r"\]\(([^)]+)\)|href=\"([^\"]+)\"", path.read_text()):
            link = "".join(target)
            assert not re.match(r"(\.\./|/)?(klachten|evaluaties|jaaroverzichten)/", link), (path.name, link)


def test_staff_guide_example_file_passes_check(tmp_path):
    guide = (PRODUCT / "docs/handleiding.md").read_text()
    example = re.search(r"```yaml\n(---\n.*?)```", guide, re.S).group(1)
    (tmp_path / "klachten/2026").mkdir(parents=True)
    (tmp_path / "klachten/procedure.yml").write_text("start: 2026-01-01\n")
    (tmp_path / "klachten/2026/2026-007.md").write_text(example)
    result = subprocess.run(
        [sys.executable, "-m", "klachtenregister.cli", "check", "--root", str(tmp_path), "--today", "2026-04-10"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_mkdocs_config_is_private_by_construction():
    config = yaml.safe_load((PRODUCT / "mkdocs.yml").read_text())
    assert config["theme"]["font"] is False and config["theme"]["language"] == "nl"
    assert "repo_url" not in config and "extra_javascript" not in config
    assert config["plugins"] == [{"search": {"lang": "nl"}}]  # no `offline`: it loads a polyfill from unpkg
    assert config["docs_dir"] == "build/docs" and config["site_dir"] == "site"
    nav_files = [next(iter(entry.values())) for entry in config["nav"]]
    assert not any(f.startswith("klachten/") for f in nav_files)
    assert "/klachten/" in config["not_in_nav"]


def test_empty_register_builds(tmp_path, capsys):
    (tmp_path / "klachten").mkdir()
    assert build(tmp_path, GIT_TODAY) == 0
    assert "nog geen klachten" in page(tmp_path, "/")
    assert "geen Git-geschiedenis" in capsys.readouterr().err


def test_findings_do_not_stop_the_build(tmp_path):
    write_complaint(tmp_path, "2026-001", **basic_fields("02-01-2026"))
    assert build(tmp_path, GIT_TODAY) == 0
    assert "veld-ongeldig" in page(tmp_path, "/")


def test_a_broken_template_stops_the_build_with_a_dutch_message(tmp_path, capsys):
    write_complaint(tmp_path, "2026-001", **basic_fields("2026-01-02"))
    templates = tmp_path / "templates/site"
    templates.mkdir(parents=True)
    (templates / "klacht.md.j2").write_text("# {{ slug }}\n\n{{ niet_bestaand }}\n")
    assert build(tmp_path, GIT_TODAY) == 1
    err = capsys.readouterr().err
    assert "de site is niet gebouwd" in err and "klacht.md.j2, regel 3" in err and "niet_bestaand" in err
    assert "Traceback" not in err


def test_a_strict_mkdocs_warning_stops_the_build_and_keeps_the_last_good_site(tmp_path, capsys):
    (tmp_path / "klachten").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/handleiding.md").write_text("# Handleiding\n\nGoede versie.\n")
    assert build(tmp_path, GIT_TODAY) == 0
    (tmp_path / "docs/handleiding.md").write_text("# Handleiding\n\n[weg](bestaat-niet.md)\n")
    assert build(tmp_path, GIT_TODAY) == 1
    err = capsys.readouterr().err
    assert "bestaat-niet.md" in err and "strikte modus" in err and "Traceback" not in err
    assert "Goede versie" in page(tmp_path, "/handleiding/")  # the last good build is still there
    assert not (tmp_path / "build/site").exists() and sorted(p.name for p in tmp_path.iterdir()) == [
        "build", "docs", "klachten", "site"]


def test_cli_build_end_to_end(tmp_path):
    write_complaint(tmp_path, "2026-001", **basic_fields("2026-01-02"))
    result = subprocess.run(
        ["klachten", "build", "--root", str(tmp_path), "--today", "2026-02-01"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "geen Git-geschiedenis" in result.stderr and "site gebouwd" in result.stdout
    assert (tmp_path / "site/klachten/2026-001/index.html").is_file()


# --- a register in Git: states and the audit trail ---------------------------------------


@pytest.fixture(scope="module")
def git_site(tmp_path_factory) -> Path:
    """A register with history: two authors, a file moved to another folder, an attachment."""
    root = tmp_path_factory.mktemp("git-register")
    git(root, "init", "-q", "-b", "main")
    (root / "klachten").mkdir()
    (root / "klachten/procedure.yml").write_text("start: 2026-01-01\n")
    late = basic_fields("2026-01-05", "Bevestiging kwam te laat", bevestigd="2026-01-20")
    write_complaint(root, "2026-001", **basic_fields("2026-01-05", "Bevestiging kwam te laat"))
    misplaced = write_complaint(root, "2026-002", **basic_fields("2026-01-06", "Verkeerde map"))
    misplaced.rename(root / "klachten/2025-fout.md")
    (root / "klachten/2025").mkdir()
    (root / "klachten/2025-fout.md").rename(root / "klachten/2025/2026-002.md")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Klachten 2026-001 en 2026-002 geregistreerd", when="2026-01-06T10:00:00+01:00")
    write_complaint(root, "2026-001", **late)
    bert = "Bert Behandelaar"
    git(root, "commit", "-q", "-am", "Bevestiging 2026-001 vastgelegd", author=bert, when="2026-01-20T09:30:00+01:00")
    (root / "klachten/2026").mkdir(exist_ok=True)
    git(root, "mv", "klachten/2025/2026-002.md", "klachten/2026/2026-002.md")
    git(root, "commit", "-q", "-m", "2026-002 naar de map van 2026", when="2026-01-21T11:00:00+01:00")
    (root / "klachten/2026/2026-001").mkdir()
    (root / "klachten/2026/2026-001/mail.eml").write_text("Van: klager\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Mail van de klager bij 2026-001", author=bert, when="2026-01-22T08:00:00+01:00")
    write_complaint(root, "2026-003", **basic_fields("2026-01-02", "Nooit bevestigd"))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Klacht 2026-003 geregistreerd", when="2026-01-23T08:00:00+01:00")
    # An edit that is not committed yet.
    edited = root / "klachten/2026/2026-002.md"
    edited.write_text(edited.read_text().replace("Verkeerde map", "Verkeerde map (bijgewerkt)"))
    assert build(root, GIT_TODAY) == 0
    return root


def test_index_marks_overdue_and_late_rows_by_word(git_site):
    index = page(git_site, "/")
    overdue = row(index, 'href="klachten/2026-003/"')
    assert "kr-rij-verlopen" in overdue and "bevestiging verlopen" in text(overdue)
    assert "oordeel verlopen" in text(overdue) and "over de termijn" in text(overdue)
    late = text(row(index, 'href="klachten/2026-001/"'))
    assert "bevestiging te laat" in late and "oordeel verlopen" in late
    assert "3 open" in text(index) and "3 met een verlopen termijn" in text(index)


def test_timeline_states_of_a_git_register(git_site):
    steps = timeline(page(git_site, "/klachten/2026-001/"))
    assert steps[3] == "te laat" and steps[7] == "verlopen" and steps[4] == "open"
    assert steps[11] == "open" and steps[12] == "open"  # the period is still running
    assert timeline(page(git_site, "/klachten/2026-003/"))[3] == "verlopen"


def test_audit_trail_has_both_authors_messages_and_the_attachment(git_site):
    trail = text(page(git_site, "/klachten/2026-001/").split('class="kr-geschiedenis"')[1])
    assert "Anna Beheer" in trail and "Bert Behandelaar" in trail
    assert "Bevestiging 2026-001 vastgelegd" in trail and "Mail van de klager bij 2026-001" in trail
    assert "Klachten 2026-001 en 2026-002 geregistreerd" in trail
    assert trail.index("Mail van de klager") < trail.index("Bevestiging 2026-001")  # newest first
    assert "2026-01-20 09:30" in trail
    assert "2026-003 geregistreerd" not in trail


def test_audit_trail_follows_a_moved_file(git_site):
    trail = text(page(git_site, "/klachten/2026-002/").split('class="kr-geschiedenis"')[1])
    assert "2026-002 naar de map van 2026" in trail
    assert "Klachten 2026-001 en 2026-002 geregistreerd" in trail  # from before the move


def test_uncommitted_changes_are_shown(git_site):
    assert "niet vastgelegde wijzigingen" in page(git_site, "/klachten/2026-002/")
    assert "niet vastgelegde wijzigingen" not in page(git_site, "/klachten/2026-001/")
    assert "niet vastgelegd" in text(row(page(git_site, "/"), 'href="klachten/2026-002/"'))


def test_history_is_read_with_one_git_log_call(git_site, monkeypatch):
    import git as gitpython

    calls = []
    original = gitpython.Git._call_process

    def spy(self, method, *args, **kwargs):
        calls.append(method)
        return original(self, method, *args, **kwargs)

    monkeypatch.setattr(gitpython.Git, "_call_process", spy)
    from klachtenregister.site.history import read_history

    history = read_history(git_site)
    assert calls.count("log") == 1 and calls.count("status") == 1
    assert len(history.of("klachten/2026/2026-001.md")) == 3


def test_history_read_in_slices_equals_one_pass(tmp_path, monkeypatch):
    """A long history is read by several git processes; joined, they give the same trail,
    with a file renamed on a merged branch and commits from both sides of the merge."""
    from klachtenregister.site import history

    git(tmp_path, "init", "-q", "-b", "main")
    for n in range(1, 4):
        write_complaint(tmp_path, f"2026-00{n}", **basic_fields(f"2026-01-0{n}"))
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-q", "-m", f"Klacht {n}", when=f"2026-01-0{n}T10:00:00+01:00")
    git(tmp_path, "checkout", "-q", "-b", "hernummeren")
    git(tmp_path, "mv", "klachten/2026/2026-003.md", "klachten/2026/2026-004.md")
    git(tmp_path, "commit", "-q", "-m", "2026-003 wordt 2026-004", author="Bert", when="2026-01-05T10:00:00+01:00")
    git(tmp_path, "checkout", "-q", "main")
    write_complaint(tmp_path, "2026-001", **basic_fields("2026-01-01", "Bijgewerkt"))
    git(tmp_path, "commit", "-q", "-am", "2026-001 bijgewerkt", when="2026-01-06T10:00:00+01:00")
    git(tmp_path, "merge", "-q", "--no-ff", "-m", "Merge hernummeren", "hernummeren", when="2026-01-07T10:00:00+01:00")

    import git as gitpython

    one_pass = history.read_history(tmp_path).commits
    calls = []
    original = gitpython.Git._call_process
    spy = lambda self, method, *a, **k: calls.append(method) or original(self, method, *a, **k)  # noqa: E731
    monkeypatch.setattr(gitpython.Git, "_call_process", spy)
    monkeypatch.setattr(history, "SLICE", 1)
    monkeypatch.setattr(history.os, "cpu_count", lambda: 3)
    sliced = history.read_history(tmp_path).commits
    assert calls.count("log") == 3 and sliced == one_pass
    renumbered = ["Merge hernummeren", "2026-003 wordt 2026-004", "Klacht 3"]  # the merge landed it
    assert [c.message for c in one_pass["klachten/2026/2026-004.md"]] == renumbered
    assert [c.message for c in one_pass["klachten/2026/2026-001.md"]] == ["2026-001 bijgewerkt", "Klacht 1"]


# --- history and sanitising, unit level --------------------------------------------------


def _log(*commits) -> str:
    """`git log -z --raw` output; changes given as name-status (a status, then its paths)."""
    out = []
    for sha, author, message, changes in commits:
        stamp = "2026-01-02T10:00:00+01:00"
        header = "\0".join([sha, "", stamp, stamp, author, message])
        raw = [f":100644 100644 {'0' * 40} {'ab' * 20} {c}" if c[:1].isupper() and "/" not in c else c
               for c in changes]
        out.append("\0" + header + "\0\n" + "\0".join(raw) + "\0")  # as git log -z writes it
    return "".join(out)


def test_parse_log_follows_renames_and_groups_attachments():
    log = _log(
        ("c4" * 20, "M\x1fN", "\x1e\x1f M", ["M", "klachten/2026/c.md"]),  # the old separators are text
        ("c3" * 20, "B", "hernoemd", ["R100", "klachten/2026/b.md", "klachten/2026/c.md"]),
        ("c2" * 20, "A", "bijlage", ["A", "klachten/2026/b/brief.pdf", "M", "klachten/2026/b.md"]),
        ("c1" * 20, "A", "nieuw", ["R090", "klachten/2025/a.md", "klachten/2026/b.md"]),
        ("c0" * 20, "A", "eerste", ["A", "klachten/2025/a.md", "A", "klachten/procedure.yml"]),
    )
    commits = parse_log(log)
    messages = [c.message for c in commits["klachten/2026/c.md"]]
    assert messages == ["\x1e\x1f M", "hernoemd", "bijlage", "nieuw", "eerste"]
    assert commits["klachten/2026/c.md"][0].author == "M\x1fN"
    assert [c.message for c in commits["klachten/2026/b.md"]] == ["bijlage"]  # the folder kept its old name
    assert "klachten/procedure.yml" not in commits


def test_complaint_key_and_status():
    assert complaint_key("klachten/2026/2026-001.md") == "klachten/2026/2026-001.md"
    assert complaint_key("klachten/2026/2026-001/scan/brief.pdf") == "klachten/2026/2026-001.md"
    assert complaint_key("klachten/evaluaties/2026-H1.md") == "klachten/evaluaties/2026-H1.md"
    assert complaint_key("klachten/procedure.yml") is None
    status = " M klachten/2026/a.md\0R  klachten/2026/c.md\0klachten/2026/b.md\0?? klachten/2026/d/x.pdf\0"
    assert parse_status(status) == {"klachten/2026/a.md", "klachten/2026/c.md", "klachten/2026/d.md"}
    assert parse_status(" M sub/klachten/2026/a.md\0", "sub/") == {"klachten/2026/a.md"}


@pytest.mark.parametrize(
    "source, forbidden",
    [
        ("<script>window.__pwned=1</script>", "<script"),
        ('<img src=x onerror="window.__pwned=1">', "<img"),
        ('<iframe src="https://example.org"></iframe>', "<iframe"),
        ("[x](javascript:alert(1))", "javascript:"),
        ("[x](data:text/html,hoi)", "data:"),
        ("![t](https://tracker.example/p.png)", "tracker.example"),
        ('{: onclick="window.__pwned=1" }\n', "onclick="),
        ("<style>body{}</style>", "<style"),
        ("<object data=x></object><embed src=x>", "<object"),
    ],
)
def test_body_html_is_sanitised(source, forbidden):
    assert not re.search("<[^>]*" + re.escape(forbidden), body_html(source))  # in no tag or attribute


def test_body_html_keeps_markdown_and_safe_links():
    result = body_html("## Kop\n\n**vet** [site](https://example.org) ![scan](2026-001/foto.jpg)", "2026-001")
    assert "<h3>Kop</h3>" in result and "<strong>vet</strong>" in result
    assert '<a href="https://example.org" rel="noopener noreferrer">site</a>' in result
    assert 'src="foto.jpg"' in result


# --- injection through a complaint file --------------------------------------------------


def test_complaint_values_cannot_inject_html(injection_site):
    for url in ("/", "/klachten/2026-001/"):
        source = page(injection_site, url)
        main = source[source.index('<article class="md-content__inner') : source.index("</article>")]
        assert not re.search(r"<(script|iframe|svg onload|img src=x|b on)", main)
        assert not re.search(r"<[^>]*\son\w+=", main), "an event handler attribute"
        assert 'href="javascript:' not in main and "tracker.example" not in main
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in main  # shown as text
    search = (injection_site / "site/search/search_index.json").read_text()
    assert "<script>" not in search


# --- serve -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _poll(url: str, needle: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = _fetch(url)
        if needle in body:
            return body
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} niet op {url} binnen {timeout} s")


@contextlib.contextmanager
def _serving(root: Path):
    """`klachten serve` on a free port; yields its base URL."""
    port = _free_port()
    command = ["klachten", "serve", "--root", str(root), "--today", "2026-02-01", "--dev-addr", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_serve_regenerates_after_an_edit(tmp_path):
    source = write_complaint(tmp_path, "2026-001", **basic_fields("2026-01-02", "Eerste onderwerp"))
    with _serving(tmp_path) as url:
        _poll(url, "Eerste onderwerp")
        source.write_text(source.read_text().replace("Eerste onderwerp", "Gewijzigd onderwerp"))
        _poll(url, "Gewijzigd onderwerp")
        _poll(url + "klachten/2026-001/", "Gewijzigd onderwerp")


def test_serve_watches_a_docs_folder_made_while_serving(tmp_path):
    write_complaint(tmp_path, "2026-001", **basic_fields("2026-01-02", "Eerste onderwerp"))
    with _serving(tmp_path) as url:
        _poll(url, "Eerste onderwerp")
        (tmp_path / "docs").mkdir()
        (tmp_path / "docs/nieuw.md").write_text("# Nieuwe pagina\n\nEerste versie.\n")
        _poll(url + "nieuw/", "Eerste versie")
        (tmp_path / "docs/nieuw.md").write_text("# Nieuwe pagina\n\nTweede versie.\n")
        _poll(url + "nieuw/", "Tweede versie")  # and changes in it are followed


def test_attachments_that_a_browser_would_run_are_published_as_downloads(tmp_path):
    folder = tmp_path / "klachten/2026/2026-001"
    folder.mkdir(parents=True)
    (folder / "evil.html").write_text("<script>window.__pwned=1</script>")
    (folder / "scan brief.pdf").write_bytes(b"%PDF")
    (tmp_path / "klachten/2026/2026-002.md").write_text("geheim")
    bijlagen = "\n  - evil.html\n  - ../2026-002.md\n  - scan brief.pdf\n  - weg.pdf"
    write_complaint(tmp_path, "2026-001", **basic_fields("2026-01-02", bijlagen=bijlagen))
    assert build(tmp_path, GIT_TODAY) == 0
    published = sorted(p.name for p in (tmp_path / "site/klachten/2026-001").iterdir())
    assert published == ["evil.html.bin", "index.html", "scan brief.pdf"]
    klacht = page(tmp_path, "/klachten/2026-001/")
    assert '<a href="evil.html.bin">evil.html</a>' in klacht and 'href="scan%20brief.pdf"' in klacht
    assert "weg.pdf ontbreekt" in text(klacht) and "../2026-002.md ontbreekt" in text(klacht)


def test_a_duplicated_number_keeps_its_url_for_the_file_in_its_own_year(tmp_path):
    write_complaint(tmp_path, "2026-001", **basic_fields("2026-01-02", "In de goede map"))
    stray = tmp_path / "klachten/2025/2026-001.md"
    stray.parent.mkdir(parents=True)
    stray.write_text((tmp_path / "klachten/2026/2026-001.md").read_text().replace("goede", "verkeerde"))
    assert build(tmp_path, GIT_TODAY) == 0
    assert "In de goede map" in page(tmp_path, "/klachten/2026-001/")
    assert "In de verkeerde map" in page(tmp_path, "/klachten/2026-001-2/")


def test_history_of_a_register_in_a_subfolder_of_a_repository(tmp_path):
    from klachtenregister.site.history import read_history

    git(tmp_path, "init", "-q", "-b", "main")
    root = tmp_path / "register"
    write_complaint(root, "2026-001", **basic_fields("2026-01-02"))
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "Klacht in een submap", author="Carla Submap")
    (root / "klachten/2026/2026-001.md").write_text("gewijzigd")
    history = read_history(root)
    assert [c.author for c in history.of("klachten/2026/2026-001.md")] == ["Carla Submap"]
    assert history.dirty == {"klachten/2026/2026-001.md"}


def test_search_indexes_only_the_summary_of_a_complaint(example_site):
    """Every complaint is findable by volgnummer, onderwerp, categorie and the complainant (staff
    look a dossier up by name), and nothing else of it is indexed: the index must stay small
    enough for a browser at 10,000 complaints."""
    import json

    from klachtenregister.register import load_register

    index = json.loads((example_site / "site/search/search_index.json").read_text(encoding="utf-8"))
    entries = [d for d in index["docs"] if d["location"].startswith("klachten/")]
    register = load_register(example_site)
    assert len(entries) == len(register.complaints)  # one entry per complaint, no sections
    for complaint in register.complaints:
        entry = next(d for d in entries if d["location"] == f"klachten/{complaint.volgnummer}/")
        assert complaint.volgnummer in entry["title"]
        assert complaint.onderwerp in entry["text"] and complaint.categorie in entry["text"]
        assert complaint.klager.naam in entry["text"]
        assert complaint.ontvangen_door not in entry["text"]  # fields, body and history stay out
        assert all(commit not in entry["text"] for commit in ("Geschiedenis", "Omschrijving"))
        assert len(json.dumps(entry)) < 500


def test_the_product_benchmark_page_is_not_published(example_site):
    assert (PRODUCT / "docs/benchmark.md").is_file()  # kept with the product's documents
    assert not (example_site / "site/benchmark").exists()
    assert "benchmark" not in (example_site / "site/sitemap.xml").read_text(encoding="utf-8")


def test_numbers_past_999_sort_as_numbers(tmp_path):
    from klachtenregister.register import load_register

    for number in ("2026-1000", "2026-999", "2026-010"):
        write_complaint(tmp_path, number, **basic_fields("2026-01-02"))
    assert [c.volgnummer for c in load_register(tmp_path).complaints] == ["2026-010", "2026-999", "2026-1000"]
    assert build(tmp_path, GIT_TODAY) == 0
    year = page(tmp_path, "/").split('id="2026"')[1]
    assert year.index(">2026-1000<") < year.index(">2026-999<") < year.index(">2026-010<")  # newest first


def test_index_lists_open_dossiers_first_nearest_deadline_on_top(example_site):
    from klachtenregister.register import load_register

    index = page(example_site, "/")
    section = index.split('id="open-dossiers"')[1].split("<h2")[0]
    listed = re.findall(r'href="klachten/([^/]+)/"', section)
    open_ones = {c.volgnummer for c in load_register(example_site).complaints if c.is_open}
    assert set(listed) == open_ones and len(open_ones) >= 3
    assert listed == ["2026-005", "2026-004", "2026-006"]  # due 25 Nov, afspraak 2 due 4 Dec, due 7 Dec
    for number in listed:  # and each still in its year below
        assert index.split('id="2026"')[1].count(f'href="klachten/{number}/"') == 1


def test_a_site_folder_that_is_a_link_is_built_in_place(tmp_path):
    """A web server's folder linked in as site/ keeps being the link, and is rebuilt each time."""
    write_complaint(tmp_path, "2026-001", **basic_fields("2026-01-02", "Eerste onderwerp"))
    served = tmp_path / "webserver"
    served.mkdir()
    (tmp_path / "site").symlink_to(served)
    for subject in ("Eerste onderwerp", "Tweede onderwerp"):
        source = tmp_path / "klachten/2026/2026-001.md"
        source.write_text(source.read_text().replace("Eerste onderwerp", subject))
        assert build(tmp_path, GIT_TODAY) == 0
        assert (tmp_path / "site").is_symlink()
        assert subject in (served / "klachten/2026-001/index.html").read_text(encoding="utf-8")
    assert not any(p.name.startswith(".site") for p in tmp_path.iterdir())


def test_steps_11_and_12_before_the_start_of_the_register_are_not_owed(tmp_path):
    """check owes no evaluation or overview for periods before `start`; the timeline agrees."""
    write_complaint(tmp_path, "2024-001", **basic_fields("2024-03-04", bevestigd="2024-03-05"))
    (tmp_path / "klachten/procedure.yml").write_text("start: 2025-01-01\n")
    assert build(tmp_path, GIT_TODAY) == 0
    steps = timeline(page(tmp_path, "/klachten/2024-001/"))
    assert steps[11] == "n.v.t." and steps[12] == "n.v.t."
    assert "vóór de start van het register" in page(tmp_path, "/klachten/2024-001/")
