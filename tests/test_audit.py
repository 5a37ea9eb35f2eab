"""Issue 16: the history of every field from Git, `terugdatering`, `check --historie`.

Real Git repositories in tmp_path with commits dated as staff would make them: two authors,
a step recorded weeks after the date it claims, a pull request merged later than it was
written (the merge date counts), a complaint renumbered with `klachten renumber`, and an old
version with broken YAML. The installed `klachten` command, and real MkDocs builds.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from conftest import PRODUCT, build, git, klachten_command, run_klachten, serve_directory, write_register
from test_accessibility import DESKTOP, PHONE, axe_violations, open_page
from test_accessibility import axe_source as axe_source  # a fixture, shared

TODAY = "2026-04-30"
PROCEDURE = "start: 2026-01-01\n"
REL = "klachten/2026/2026-001.md"

BASE = {
    "volgnummer": "2026-001",
    "onderwerp": "Wachttijd intake",
    "ontvangen": "2026-03-02",
    "kanaal": "mondeling",
    "ontvangen_door": "Jan de Vries",
    "klager": "\n  naam: Anna Jansen",
    "categorie": "planning",
}
JUDGED = {
    "directie_geinformeerd": "2026-03-03",
    "directie_betrokken": "false",
    "behandelaar": "\n  rol: directie\n  naam: M. Smit",
    "oordeel": "ongegrond",
}


def complaint_text(**fields: str) -> str:
    values = {**BASE, **fields}
    lines = "".join(f"{key}: {value}\n" for key, value in values.items() if value is not None)
    return "---\n" + lines + "---\nTekst.\n"


def save(root: Path, text: str, rel: str = REL) -> None:
    write_register(root, {"klachten/procedure.yml": PROCEDURE, rel: text})


def commit(root: Path, message: str, author: str, when: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, author=author, when=when)
    return git(root, "rev-parse", "HEAD").strip()


def findings(root: Path, *args: str) -> tuple[int, list[dict]]:
    done = run_klachten("check", "--root", str(root), "--today", TODAY, "--format", "json", *args)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)["findings"]


def backdated(root: Path, *args: str) -> list[dict]:
    return [f for f in findings(root, "--historie", *args)[1] if f["code"] == "terugdatering"]


@pytest.fixture
def repo(tmp_path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    save(tmp_path, complaint_text())
    commit(tmp_path, "2026-001 geregistreerd", "Anna Beheer", "2026-03-02T10:00:00+01:00")
    return tmp_path


# --- terugdatering through `klachten check --historie` ------------------------------------


def test_a_step_recorded_weeks_after_its_date_is_a_warning_naming_both_dates_and_the_commit(repo):
    save(repo, complaint_text(bevestigd="2026-03-05"))
    sha = commit(repo, "2026-001 bevestigd", "Bert Achteraf", "2026-04-10T16:00:00+02:00")
    [finding] = backdated(repo)
    assert finding["severity"] == "warning"
    assert finding["veld"] == "bevestigd" and finding["file"] == REL and finding["volgnummer"] == "2026-001"
    assert finding["line"] == (repo / REL).read_text().splitlines().index("bevestigd: 2026-03-05") + 1
    message = finding["message"]
    assert "2026-03-05" in message and "2026-04-10" in message and sha in message and "Bert Achteraf" in message
    assert "36 dagen later, meer dan 7 dagen" in message
    assert not [f for f in findings(repo)[1] if f["code"] == "terugdatering"], "only with --historie"


def test_a_step_recorded_within_the_threshold_is_not_backdated(repo):
    save(repo, complaint_text(bevestigd="2026-03-05"))
    commit(repo, "2026-001 bevestigd", "Bert Achteraf", "2026-03-12T23:30:00+01:00")  # 7 days: the limit
    assert backdated(repo) == []
    (repo / "klachten/procedure.yml").write_text(PROCEDURE + "terugdatering: 6\n")
    commit(repo, "strenger", "Anna Beheer", "2026-03-13T10:00:00+01:00")
    assert [f["veld"] for f in backdated(repo)] == ["bevestigd"]  # the threshold from procedure.yml


def test_the_recorded_date_is_the_committer_date_in_amsterdam(repo):
    """SPEC 4.3: the committer date of the commit, not the author date a rebase keeps."""
    save(repo, complaint_text(bevestigd="2026-03-05"))
    git(repo, "add", "-A")
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-03-05T10:00:00+01:00", "GIT_COMMITTER_DATE": "2026-03-12T23:30:00Z"}
    subprocess.run(["git", "-c", "user.name=Bert", "-c", "user.email=b@example.invalid", "commit", "-qm", "x"],
                   cwd=repo, env=env, check=True)
    [finding] = backdated(repo)  # 23:30 UTC is 00:30 on 13 March in Amsterdam: 8 days
    assert "2026-03-13" in finding["message"] and "8 dagen later" in finding["message"]


def test_a_merged_pull_request_records_its_values_at_the_merge(repo):
    git(repo, "checkout", "-q", "-b", "stap-3")
    save(repo, complaint_text(bevestigd="2026-03-04"))
    branch = commit(repo, "2026-001 bevestigd", "Carla Consulent", "2026-03-04T11:00:00+01:00")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge pull request #3", "stap-3", author="Dirk Directie",
        when="2026-03-20T09:00:00+01:00")
    merge = git(repo, "rev-parse", "HEAD").strip()
    [finding] = backdated(repo)
    assert merge in finding["message"] and "Dirk Directie" in finding["message"]
    assert branch not in finding["message"] and "2026-03-20" in finding["message"]


def test_the_history_follows_klachten_renumber(repo):
    save(repo, complaint_text(bevestigd="2026-03-05"))
    commit(repo, "2026-001 bevestigd", "Bert Achteraf", "2026-04-10T10:00:00+02:00")
    done = run_klachten("renumber", "2026-001", "--naar", "2026-005", "--root", str(repo))
    assert done.returncode == 0, done.stderr
    commit(repo, "2026-001 wordt 2026-005", "Anna Beheer", "2026-04-11T10:00:00+02:00")
    [finding] = backdated(repo)
    assert finding["file"] == "klachten/2026/2026-005.md" and "2026-04-10" in finding["message"]

    from klachtenregister.site.history import read_history

    trails = read_history(repo).fields_of("klachten/2026/2026-005.md")
    assert [(v.text, v.commit.author) for v in trails["volgnummer"]] == [
        ("2026-001", "Anna Beheer"), ("2026-005", "Anna Beheer")]
    assert [v.day for v in trails["ontvangen"]] == [date(2026, 3, 2)]  # from before the rename


def test_an_old_version_with_broken_yaml_is_skipped(repo):
    save(repo, complaint_text(bevestigd="2026-03-05"))
    commit(repo, "bevestigd", "Bert Achteraf", "2026-03-06T10:00:00+01:00")
    save(repo, complaint_text(bevestigd="[2026-03-05", onderwerp="'kapot"))
    commit(repo, "kapot", "Bert Achteraf", "2026-04-20T10:00:00+02:00")
    save(repo, complaint_text(bevestigd="2026-03-05"))
    commit(repo, "hersteld", "Anna Beheer", "2026-04-21T10:00:00+02:00")
    assert backdated(repo) == []  # the value never changed in a version that can be read

    from klachtenregister.site.history import read_history

    trails = read_history(repo).fields_of(REL)
    assert [v.commit.message for v in trails["bevestigd"]] == ["bevestigd"]


def test_a_register_in_a_subfolder_walks_its_own_main_line(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    root = tmp_path / "register"
    save(root, complaint_text())
    (tmp_path / "elders.txt").write_text("iets anders\n")
    commit(tmp_path, "register", "Anna Beheer", "2026-03-02T10:00:00+01:00")
    git(tmp_path, "checkout", "-q", "-b", "pr")
    save(root, complaint_text(bevestigd="2026-03-04"))
    commit(tmp_path, "bevestigd", "Carla Consulent", "2026-03-04T10:00:00+01:00")
    git(tmp_path, "checkout", "-q", "main")
    (tmp_path / "elders.txt").write_text("nog iets\n")
    commit(tmp_path, "elders", "Anna Beheer", "2026-03-05T10:00:00+01:00")
    git(tmp_path, "merge", "-q", "--no-ff", "-m", "Merge pr", "pr", author="Dirk Directie",
        when="2026-03-20T10:00:00+01:00")
    [finding] = backdated(root)
    assert "2026-03-20" in finding["message"] and "Dirk Directie" in finding["message"]


def test_evaluation_records_are_checked_too(repo):
    write_register(repo, {"klachten/evaluaties/2026-H1.md": "---\nperiode: 2026-H1\ndatum: 2026-03-01\n"
                                                            "deelnemers:\n  - R. Directeur\n---\nNotulen.\n"})
    commit(repo, "evaluatie", "Anna Beheer", "2026-03-30T10:00:00+02:00")
    [finding] = backdated(repo)
    assert finding["file"] == "klachten/evaluaties/2026-H1.md" and finding["veld"] == "datum"


def test_historie_without_git_is_a_usage_error(tmp_path):
    save(tmp_path, complaint_text())
    done = run_klachten("check", "--historie", "--root", str(tmp_path), "--today", TODAY)
    assert done.returncode == 2 and done.stdout == ""
    assert "--historie kan niet: geen Git-geschiedenis" in done.stderr and "Git-repository" in done.stderr


def test_historie_on_a_shallow_clone_is_a_usage_error(repo, tmp_path_factory):
    save(repo, complaint_text(bevestigd="2026-03-05"))
    commit(repo, "bevestigd", "Bert Achteraf", "2026-04-10T10:00:00+02:00")
    clone = tmp_path_factory.mktemp("ondiep") / "kloon"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    done = run_klachten("check", "--historie", "--root", str(clone), "--today", TODAY)
    assert done.returncode == 2 and "onvolledig" in done.stderr and "fetch-depth: 0" in done.stderr


def test_a_bad_threshold_in_procedure_yml_is_reported_and_the_default_holds(repo):
    save(repo, complaint_text(bevestigd="2026-03-05"))
    (repo / "klachten/procedure.yml").write_text(PROCEDURE + "terugdatering: veel\n")
    commit(repo, "bevestigd", "Bert Achteraf", "2026-03-13T10:00:00+01:00")  # 8 days
    _code, found = findings(repo, "--historie")
    [bad] = [f for f in found if f["file"] == "klachten/procedure.yml"]
    assert bad["code"] == "veld-ongeldig" and bad["veld"] == "terugdatering" and bad["line"] == 2
    assert [f["veld"] for f in found if f["code"] == "terugdatering"] == ["bevestigd"]


def test_the_field_history_is_read_in_the_same_pass(repo, monkeypatch):
    """One `git log` and one `git cat-file --batch`, however many files and commits."""
    import git as gitpython

    from klachtenregister.site import history

    for day in range(3, 9):
        save(repo, complaint_text(bevestigd=f"2026-03-0{day}"))
        save(repo, complaint_text(volgnummer="2026-002"), "klachten/2026/2026-002.md")
        commit(repo, f"dag {day}", "Bert Achteraf", f"2026-03-0{day}T10:00:00+01:00")
    calls, runs = [], []
    original, popen = gitpython.Git._call_process, subprocess.Popen
    spy = lambda self, method, *a, **k: calls.append(method) or original(self, method, *a, **k)  # noqa: E731
    monkeypatch.setattr(gitpython.Git, "_call_process", spy)
    monkeypatch.setattr(history.subprocess, "Popen", lambda command, **k: runs.append(command) or popen(command, **k))
    trails = history.read_history(repo).fields_of(REL)
    assert calls.count("log") == 1 and [c[1:] for c in runs] == [["cat-file", "--batch"]]
    assert [v.text for v in trails["bevestigd"]] == [f"2026-03-0{day}" for day in range(3, 9)]


def test_the_daily_workflow_shows_backdating_in_its_job_summary(repo, tmp_path_factory):
    """The step of termijnen.yml, run as GitHub runs it, on a full-history checkout."""
    import yaml

    workflow = yaml.safe_load((PRODUCT / ".github/workflows/termijnen.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    [checkout] = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    [script] = [s["run"] for s in steps if "klachten check" in s.get("run", "")]
    assert checkout["with"]["fetch-depth"] == 0 and "--historie" in script
    save(repo, complaint_text(bevestigd="2026-03-05"))
    commit(repo, "2026-001 bevestigd", "Bert Achteraf", "2026-04-10T10:00:00+02:00")
    summary = tmp_path_factory.mktemp("summary") / "summary.md"
    env = {**os.environ, "KLACHTEN_TODAY": TODAY, "GITHUB_STEP_SUMMARY": str(summary),
           "PATH": f"{Path(klachten_command()).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=repo, env=env,
                          capture_output=True, text=True)
    assert "::warning file=klachten/2026/2026-001.md" in done.stdout and "terugdatering" in done.stdout
    table = summary.read_text(encoding="utf-8")
    assert "| waarschuwing | terugdatering |" in table and "2026-04-10" in table


# --- reading versions field by field ------------------------------------------------------


def _whole(text: str):
    from klachtenregister.site import fieldhistory

    front = fieldhistory._front_matter(text)
    fields = None if front is None else fieldhistory._read_whole(front)
    return None if fields is None else {path: value for _t, parts in fields.values() for path, value in parts}


TRICKY = [
    "---\n# kop\n\nvolgnummer: 2026-001\nonderwerp: 'a: b # c'\nklager:\n  naam: X  # toelichting\n---\n",
    "---\nafspraken:\n- wat: zonder inspringen\n  wie: Y\nbijlagen: [a.pdf, b.pdf]\n---\n",
    "---\nafhandeling: |\n  regel 1\n\n  regel 2\nontvangen: null\nbevestigd: ~\nkanaal: brief\n---\n",
    "---\nonderwerp: \"twee\n  regels\"\nbehandelaar: {rol: directie, naam: Z}\n---\n",
    "---\nvolgnummer: 2026-001\nvolgnummer: 2026-002\n---\n",  # a duplicate: cannot be read
    "---\n  ingesprongen: ja\nkanaal: brief\n---\n",
    "---\nkanaal: brief\nbevestigd: [2026-03-05\n---\n",
    "---\n\ufeffgeen: afsluiting\n",
    "---\nanker: &a x\nverwijzing: *a\n---\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_reading_a_version_by_its_fields_equals_composing_it_whole(text):
    from klachtenregister.site.fieldhistory import VersionReader

    assert VersionReader().leaves(text) == _whole(text)


def test_every_version_of_the_example_and_synthetic_registers_reads_as_whole():
    from klachtenregister import synthetic
    from klachtenregister.site.fieldhistory import VersionReader, split_fields

    texts = [p.read_text(encoding="utf-8") for p in (PRODUCT / "klachten").rglob("*.md")]
    texts += [v for c in synthetic.build(60, seed=3).complaints for v in c.versions]
    reader = VersionReader()
    for text in texts:
        assert reader.leaves(text) == _whole(text)
    from klachtenregister.site.fieldhistory import _front_matter

    assert all(split_fields(_front_matter(t)) for t in texts), "the fast cut applies to ordinary files"
    assert len(reader.blocks) < sum(t.count("\n") for t in texts) / 4, "fields repeated across versions read once"


# --- the site ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def audited_site(tmp_path_factory) -> Path:
    """2026-001: registered by Anna (an onderwerp with a BSN and a script, corrected later),
    confirmed by Bert five weeks late, one broken version, then judged on a pull request by
    Carla that Dirk merged a week later."""
    root = tmp_path_factory.mktemp("audit")
    git(root, "init", "-q", "-b", "main")
    first = "'Wachttijd <script>window.__pwned=1</script> BSN 111222333'"
    save(root, complaint_text(onderwerp=first))
    commit(root, "2026-001 geregistreerd", "Anna Beheer", "2026-03-02T10:00:00+01:00")
    save(root, complaint_text(bevestigd="2026-03-05"))
    commit(root, "2026-001 bevestigd", "Bert Achteraf", "2026-04-10T10:00:00+02:00")
    save(root, complaint_text(bevestigd="2026-03-05", oordeel="[kapot"))
    commit(root, "per ongeluk kapot", "Bert Achteraf", "2026-04-11T10:00:00+02:00")
    git(root, "checkout", "-q", "-b", "oordeel")
    save(root, complaint_text(bevestigd="2026-03-05", **JUDGED, oordeel_gemeld="2026-03-20"))
    commit(root, "2026-001 beoordeeld", "Carla Consulent", "2026-04-12T10:00:00+02:00")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge pull request #7", "oordeel", author="Dirk Directie",
        when="2026-04-14T10:00:00+02:00")
    assert build(root, date.fromisoformat(TODAY)) == 0
    return root


def _page(root: Path, url: str) -> str:
    return (root / "site" / url.strip("/") / "index.html").read_text(encoding="utf-8")


def _field(page: str, label: str) -> str:
    start = page.index(f"<dt>{label}</dt>")
    return page[start : page.index("</dd>", start)]


def test_the_complaint_page_says_when_and_by_whom_each_field_was_recorded(audited_site):
    page = _page(audited_site, "/klachten/2026-001/")
    assert "vastgelegd op 2026-03-02 door Anna Beheer" in _field(page, "Ontvangen op")
    assert "vastgelegd op 2026-04-10 door Bert Achteraf" in _field(page, "Onderwerp")
    assert "vastgelegd op 2026-04-14 door Dirk Directie" in _field(page, "Oordeel gemeld")  # the merge
    assert "vastgelegd op 2026-04-14 door Dirk Directie" in _field(page, "Behandelaar")


def test_the_backdated_field_carries_its_warning_and_the_index_lists_it(audited_site):
    page = _page(audited_site, "/klachten/2026-001/")
    confirmed = _field(page, "Ontvangst bevestigd")
    assert "terugdatering" in confirmed and "2026-03-05" in confirmed and "2026-04-10" in confirmed
    assert "terugdatering" not in _field(page, "Ontvangen op")
    assert "terugdatering" in _field(page, "Oordeel gemeld")  # 20 March, merged 14 April
    index = _page(audited_site, "/")
    assert index.count("terugdatering") >= 2 and "36 dagen later" in index


def test_earlier_values_are_listed_oldest_first_escaped_and_masked(audited_site):
    page = _page(audited_site, "/klachten/2026-001/")
    history = page[page.index('class="kr-waarden"') :]
    item = history[history.index("<strong>Onderwerp</strong>") : history.index("</li>")]
    assert item.index("Anna Beheer") < item.index("Bert Achteraf")  # oldest first
    assert "&lt;script&gt;" in item and "11*****33" in item
    assert "111222333" not in page and "<script>window" not in page
    labels = re.findall(r"<li><strong>([^<]+)</strong>", history[: history.index("</ul>")])
    assert labels == ["Onderwerp"]  # the fields that only ever had one value are not listed


def test_an_uncommitted_value_is_not_recorded_yet(audited_site, tmp_path):
    import shutil

    root = tmp_path / "kopie"
    shutil.copytree(audited_site, root, ignore=shutil.ignore_patterns("site", "build"))
    path = root / REL
    path.write_text(path.read_text().replace("oordeel: ongegrond", "oordeel: gegrond"))
    assert build(root, date.fromisoformat(TODAY)) == 0
    page = _page(root, "/klachten/2026-001/")
    assert "nog niet vastgelegd" in _field(page, "Oordeel")
    assert "vastgelegd op 2026-03-02 door Anna Beheer" in _field(page, "Ontvangen op")


def test_a_site_without_git_still_says_so(tmp_path, capsys):
    save(tmp_path, complaint_text(bevestigd="2026-03-05"))
    assert build(tmp_path, date.fromisoformat(TODAY)) == 0
    assert "geen Git-geschiedenis" in capsys.readouterr().err
    page = _page(tmp_path, "/klachten/2026-001/")
    assert "geen Git-geschiedenis" in page and "vastgelegd op" not in page


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "telefoon"])
def test_the_recorded_fields_and_earlier_values_meet_wcag_aa_in_chromium(chromium, axe_source, audited_site,  # noqa: F811
                                                                          viewport):
    """The page with every part of the field history (notes, warnings, earlier values), in the
    browser: readable contrast, and no page-wide sideways scrolling on a phone."""
    context = chromium.new_context()
    try:
        tab = context.new_page()
        with serve_directory(audited_site / "site") as base:
            open_page(tab, f"{base}/klachten/2026-001/", viewport)
            assert tab.locator(".kr-vastgelegd").first.is_visible()
            assert tab.locator(".kr-waarden li").count() == 1
            assert axe_violations(tab, axe_source) == []
            assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
