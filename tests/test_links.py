"""Nothing outside the register is read or published (issue 17, items 1 and 2).

Git stores symbolic links and a checkout restores them: a register file, an attachment
folder, a docs page, a template, procedure.yml or mkdocs.yml may be a link out of the
register, or a FIFO or device. Each is a finding on it and never published; no read can hang
or exhaust memory. `build/` and `site/` that are tracked, or links to the wrong place, are
refused in Dutch and nothing outside is touched; hidden files in site/ survive every build.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import PRODUCT, basic_fields, git, klachten_command, run_klachten, write_complaint

TODAY = "2026-02-01"
SECRET = "GEHEIM-BUITEN-HET-REGISTER"


def register(tmp_path: Path, **fields) -> Path:
    root = tmp_path / "register"
    (root / "klachten").mkdir(parents=True)
    (root / "klachten/procedure.yml").write_text("start: 2026-01-01\n", encoding="utf-8")
    write_complaint(root, "2026-001", **basic_fields("2026-01-05", **fields))
    return root


def outside_file(tmp_path: Path, name: str = "buiten.md", text: str | None = None) -> Path:
    folder = tmp_path / "elders"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text or f"---\nvolgnummer: 2026-002\n---\n{SECRET}\n", encoding="utf-8")
    return path


def check(root: Path) -> tuple[int, list[dict]]:
    ran = run_klachten("check", "--root", str(root), "--today", TODAY, "--format", "json", timeout=60)
    return ran.returncode, json.loads(ran.stdout)["findings"]


def build(root: Path):
    return run_klachten("build", "--root", str(root), "--today", TODAY, timeout=300)


def published(root: Path, needle: str) -> list[str]:
    """Every file under site/ and build/ holding `needle`."""
    hits = []
    for folder in ("site", "build"):
        for path in (root / folder).rglob("*"):
            if path.is_file() and not path.is_symlink() and needle.encode() in path.read_bytes():
                hits.append(str(path.relative_to(root)))
    return hits


def on(findings: list[dict], rel: str) -> list[dict]:
    """The findings on `rel`, deadlines left out (the test complaint is a few days old)."""
    return [f for f in findings if f["file"] == rel and not f["code"].startswith("termijn")]


# --- item 1: register files, attachments, docs, templates, procedure.yml ----------------------


def test_an_attachment_folder_linked_to_etc_is_a_finding_and_nothing_is_published(tmp_path):
    root = register(tmp_path, kanaal="brief", bijlagen="[passwd]")
    (root / "klachten/2026/2026-001").symlink_to("/etc")
    code, findings = check(root)
    assert code == 1
    (finding,) = on(findings, "klachten/2026/2026-001.md")
    assert finding["code"] == "bijlage" and "buiten het register" in finding["message"]
    assert build(root).returncode == 0
    assert published(root, "root:x:0:0") == []
    assert not (root / "site/klachten/2026-001/passwd").exists()


def test_an_attachment_linked_out_of_its_folder_is_not_published(tmp_path):
    root = register(tmp_path, bijlagen="[brief.pdf]")
    (root / "klachten/2026/2026-001").mkdir()
    (root / "klachten/2026/2026-001/brief.pdf").symlink_to(outside_file(tmp_path, "brief.pdf"))
    _code, findings = check(root)
    (finding,) = on(findings, "klachten/2026/2026-001.md")
    assert finding["code"] == "bijlage" and "wijst buiten de map" in finding["message"]
    assert build(root).returncode == 0 and published(root, SECRET) == []


@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ", "outside-md"])
def test_a_complaint_file_that_is_a_link_out_of_the_register_is_never_read(tmp_path, target):
    root = register(tmp_path)
    link = root / "klachten/2026/2026-002.md"
    link.symlink_to(outside_file(tmp_path) if target == "outside-md" else target)
    code, findings = check(root)
    (finding,) = on(findings, "klachten/2026/2026-002.md")
    assert code == 1 and finding["code"] == "yaml" and "koppeling naar buiten het register" in finding["message"]
    env = {"KLACHTEN_TEST_TOKEN": "ghp_" + SECRET}  # what /proc/self/environ would give away
    ran = run_klachten("build", "--root", str(root), "--today", TODAY, env=env, timeout=300)
    assert ran.returncode == 0, ran.stderr
    for needle in ("root:x:0:0", SECRET):
        assert published(root, needle) == []


def test_a_link_inside_the_register_is_followed(tmp_path):
    root = register(tmp_path)
    (root / "klachten/2026/2026-001.md").rename(root / "klachten/echt.txt")
    (root / "klachten/2026/2026-001.md").symlink_to("../echt.txt")
    code, findings = check(root)
    assert on(findings, "klachten/2026/2026-001.md") == []


def test_a_fifo_and_dev_zero_neither_hang_nor_exhaust_a_command(tmp_path):
    root = register(tmp_path)
    os.mkfifo(root / "klachten/2026/2026-002.md")  # no writer: a plain read would block for ever
    (root / "klachten/procedure.yml").unlink()
    (root / "klachten/procedure.yml").symlink_to("/dev/zero")
    code, findings = check(root)  # run_klachten's timeout fails the test if it hangs
    assert code == 1
    (fifo,) = on(findings, "klachten/2026/2026-002.md")
    assert "FIFO" in fifo["message"]
    (procedure,) = on(findings, "klachten/procedure.yml")
    assert procedure["code"] == "yaml" and "standaardwaarden" in procedure["message"]
    assert build(root).returncode == 0


def test_a_device_inside_the_register_and_a_huge_file_are_findings(tmp_path):
    root = register(tmp_path)
    with open(root / "klachten/2026/2026-002.md", "wb") as big:
        big.truncate(11 * 1024 * 1024)  # sparse: costs no disk
    _code, findings = check(root)
    (finding,) = on(findings, "klachten/2026/2026-002.md")
    assert "groter dan 10 MB" in finding["message"]


def test_a_docs_page_linked_out_of_the_register_is_a_finding_and_not_published(tmp_path):
    root = register(tmp_path)
    (root / "docs").mkdir()
    (root / "docs/geheim.md").symlink_to(outside_file(tmp_path, "geheim.md", f"# Geheim\n{SECRET}\n"))
    (root / "docs/eigen.md").write_text("# Eigen pagina\nGewone tekst.\n", encoding="utf-8")
    _code, findings = check(root)
    (finding,) = on(findings, "docs/geheim.md")
    assert finding["code"] == "yaml" and "niet gelezen of gepubliceerd" in finding["message"]
    ran = build(root)
    assert ran.returncode == 0, ran.stderr
    assert published(root, SECRET) == []
    assert (root / "site/eigen/index.html").is_file()


def test_a_template_linked_out_of_the_register_is_passed_over(tmp_path):
    root = register(tmp_path)
    (root / "templates/site").mkdir(parents=True)
    outside = outside_file(tmp_path, "klacht.md.j2", f"{SECRET}\n")
    (root / "templates/site/klacht.md.j2").symlink_to(outside)
    _code, findings = check(root)
    assert [f["code"] for f in on(findings, "templates/site/klacht.md.j2")] == ["yaml"]
    assert build(root).returncode == 0
    assert published(root, SECRET) == []
    assert "Terugkoppeling bleef uit" in (root / "site/klachten/2026-001/index.html").read_text(encoding="utf-8")


def test_an_mkdocs_yml_linked_out_of_the_register_stops_the_build_in_dutch(tmp_path):
    root = register(tmp_path)
    (root / "mkdocs.yml").symlink_to(outside_file(tmp_path, "mkdocs.yml", f"site_name: {SECRET}\n"))
    ran = build(root)
    assert ran.returncode == 1 and "koppeling naar buiten het register" in ran.stderr
    assert not (root / "site").exists()


# --- item 2: build/ and site/ ----------------------------------------------------------------


def repository(tmp_path: Path) -> Path:
    root = register(tmp_path)
    git(root, "init", "-q")
    return root


def commit_all(root: Path, *paths: str) -> None:
    git(root, "add", *(paths or ["-A"]))
    git(root, "commit", "-qm", "Register")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_committed_build_link_to_the_register_is_refused_and_docs_stay_as_they_are(tmp_path):
    root = repository(tmp_path)
    (root / "docs").mkdir()
    (root / "docs/eigen.md").write_text("# Eigen\n", encoding="utf-8")
    (root / "build").symlink_to(".")
    commit_all(root)
    before = snapshot(root / "docs")
    ran = build(root)
    assert ran.returncode == 1 and "build is een koppeling" in ran.stderr and "de site is niet gebouwd" in ran.stderr
    assert snapshot(root / "docs") == before and not (root / "site").exists()
    assert git(root, "status", "--porcelain") == ""


def test_a_build_link_out_of_the_register_is_refused_and_nothing_there_is_touched(tmp_path):
    root = repository(tmp_path)
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    (elsewhere / "bewaren.txt").write_text("van iemand anders\n", encoding="utf-8")
    (root / "build").symlink_to(elsewhere)
    ran = build(root)
    assert ran.returncode == 1 and "build is een koppeling" in ran.stderr
    assert sorted(os.listdir(elsewhere)) == ["bewaren.txt"]


@pytest.mark.parametrize("name", ["site", "build"])
def test_a_tracked_site_or_build_is_refused_in_dutch(tmp_path, name):
    root = repository(tmp_path)
    (root / name).mkdir()
    (root / name / "oud.html").write_text("oud\n", encoding="utf-8")
    commit_all(root)
    ran = build(root)
    assert ran.returncode == 1
    assert f"{name}/ staat in Git" in ran.stderr and f"git rm -r --cached {name}" in ran.stderr
    assert (root / name / "oud.html").read_text(encoding="utf-8") == "oud\n"


def test_a_committed_site_link_to_a_folder_with_files_is_refused_and_nothing_is_deleted(tmp_path):
    root = repository(tmp_path)
    elsewhere = tmp_path / "thuis"
    elsewhere.mkdir()
    (elsewhere / "foto.jpg").write_bytes(b"jpg")
    (root / "site").symlink_to(elsewhere)
    ran = build(root)  # untracked: refused because the folder holds files no build made
    assert ran.returncode == 1 and "waarin al bestanden staan" in ran.stderr
    commit_all(root, "site", "klachten")
    ran = build(root)
    assert ran.returncode == 1 and "site/ staat in Git" in ran.stderr
    assert os.listdir(elsewhere) == ["foto.jpg"]


@pytest.mark.parametrize("target", [".", "docs", "klachten", ".."])
def test_a_site_link_into_the_register_or_above_it_is_refused(tmp_path, target):
    root = repository(tmp_path)
    (root / "docs").mkdir()
    (root / "site").symlink_to(target)
    ran = build(root)
    assert ran.returncode == 1 and "Laat site/ naar een eigen, lege map wijzen" in ran.stderr


def test_an_untracked_link_to_a_web_root_is_built_into_and_keeps_its_hidden_files(tmp_path):
    root = repository(tmp_path)
    webroot = tmp_path / "www"
    webroot.mkdir()
    (webroot / ".htaccess").write_text("Require valid-user\n", encoding="utf-8")
    (root / "site").symlink_to(webroot)
    for _ in range(2):
        ran = build(root)
        assert ran.returncode == 0, ran.stderr
    assert (webroot / ".htaccess").read_text(encoding="utf-8") == "Require valid-user\n"
    assert (webroot / "klachten/2026-001/index.html").is_file()
    (root / "klachten/2026/2026-001.md").unlink()
    assert build(root).returncode == 0
    assert not (webroot / "klachten/2026-001").exists()  # a page that went is removed ...
    assert (webroot / ".htaccess").is_file()  # ... a hidden file never


def test_hidden_files_in_site_survive_every_build(tmp_path):
    root = repository(tmp_path)
    assert build(root).returncode == 0
    (root / "site/.htaccess").write_text("Require valid-user\n", encoding="utf-8")
    (root / "site/.well-known").mkdir()
    (root / "site/.well-known/security.txt").write_text("Contact: x\n", encoding="utf-8")
    (root / "site/klachten/.htpasswd").write_text("anna:x\n", encoding="utf-8")
    for _ in range(2):
        assert build(root).returncode == 0
    assert (root / "site/.htaccess").read_text(encoding="utf-8") == "Require valid-user\n"
    assert (root / "site/.well-known/security.txt").is_file()
    assert (root / "site/klachten/.htpasswd").is_file()
    assert (root / "site/index.html").is_file()


def test_gitignore_covers_site_and_build_as_files_and_links_too(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / ".gitignore").write_text((PRODUCT / ".gitignore").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "site").symlink_to("/var/www")
    (root / "build").write_text("", encoding="utf-8")
    done = subprocess.run(["git", "check-ignore", "site", "build"], cwd=root, capture_output=True, text=True)
    assert done.stdout.split() == ["site", "build"]


def test_two_builds_at_once_both_succeed_and_the_site_is_whole(tmp_path):
    root = repository(tmp_path)
    for number in range(2, 40):
        write_complaint(root, f"2026-{number:03d}", **basic_fields("2026-01-05"))
    results = []
    threads = [threading.Thread(target=lambda: results.append(build(root))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    pages = {p.parent.name for p in (root / "site/klachten").glob("*/index.html")}
    assert pages == {f"2026-{n:03d}" for n in range(1, 40)}
    assert [p.name for p in (root / "build").iterdir() if p.name.startswith("site-")] == []


def test_a_second_build_waits_for_the_first_and_says_so(tmp_path):
    root = repository(tmp_path)
    (root / "build").mkdir()
    with open(root / "build/.klachten-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a build in progress
        waiting = subprocess.Popen([klachten_command(), "build", "--root", str(root), "--today", TODAY],
                                   stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        first_line = waiting.stderr.readline()
        assert "er loopt al een build van dit register; deze wacht" in first_line
        assert waiting.poll() is None and not (root / "site").exists()
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert (root / "site/klachten/2026-001/index.html").is_file()


def test_a_theme_file_of_the_registers_own_linked_out_of_the_register_stops_the_build(tmp_path):
    root = register(tmp_path)
    (root / "mkdocs.yml").write_text((PRODUCT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "templates/theme").mkdir(parents=True)
    (root / "templates/theme/main.html").symlink_to(outside_file(tmp_path, "main.html", f"{SECRET}\n"))
    _code, findings = check(root)
    assert [f["code"] for f in on(findings, "templates/theme/main.html")] == ["yaml"]
    ran = build(root)
    assert ran.returncode == 1 and "templates/theme/main.html" in ran.stderr and "thema" in ran.stderr
    assert not (root / "site").exists() and published(root, SECRET) == []
