"""`klachten build --offline` (SPEC 4.3): a site that works opened from disk, as the director
opens the daily artifact: unzipped, index.html double-clicked (file://, no web server).

The example register is built with the real command, then read as files (every link leads to
a file) and opened in headless Chromium from file://: a click on a complaint opens its page,
the search finds a dossier by the complainant's name, and no request leaves the folder.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import EXAMPLE_TODAY, PRODUCT, git, require_tool, run_klachten

VENDORED = PRODUCT / "tools" / "klachtenregister" / "vendor" / "iframe-worker"
LOCKED = PRODUCT / "tests" / "iframe-worker"


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> Path:
    """The example register in a Git repository, built with `klachten build --offline`."""
    root = tmp_path_factory.mktemp("offline")
    shutil.copytree(PRODUCT / "klachten", root / "klachten")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Voorbeeldregister")
    ran = run_klachten("build", "--offline", "--today", EXAMPLE_TODAY.isoformat(), "--root", str(root))
    assert ran.returncode == 0, ran.stderr
    assert "site gebouwd" in ran.stdout
    return root / "site"


# ---------------------------------------------------------------- the vendored shim


def test_the_vendored_shim_is_the_locked_npm_package():
    """The file shipped with the package equals the one npm installs from the lock file
    (`npm ci --prefix tests/iframe-worker`, as .ci/run does): updating means bumping the
    version there and copying its shim/index.js here."""
    installed = LOCKED / "node_modules" / "iframe-worker"
    require_tool(installed.is_dir(), "tests/iframe-worker/node_modules (npm ci --prefix tests/iframe-worker)")
    lock = json.loads((LOCKED / "package-lock.json").read_text(encoding="utf-8"))
    pinned = json.loads((LOCKED / "package.json").read_text(encoding="utf-8"))["dependencies"]["iframe-worker"]
    assert lock["packages"]["node_modules/iframe-worker"]["version"] == pinned
    assert json.loads((installed / "package.json").read_text(encoding="utf-8"))["version"] == pinned
    assert (VENDORED / "shim.js").read_bytes() == (installed / "shim" / "index.js").read_bytes()
    assert (VENDORED / "LICENSE").read_bytes() == (installed / "LICENSE").read_bytes()


# ---------------------------------------------------------------- the files


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


_URL = re.compile(r'\s(?:href|src)="([^"]*)"')


def local_targets(page: Path) -> list[tuple[str, Path]]:
    """(url, file it names) of every relative link and source on `page`."""
    found = []
    for url in _URL.findall(page.read_text(encoding="utf-8")):
        parts = urlsplit(url)
        if parts.scheme or url.startswith(("/", "#")) or not parts.path:
            continue
        found.append((url, (page.parent / unquote(parts.path)).resolve()))
    return found


def test_every_link_leads_to_a_file(offline_site):
    pages = html_pages(offline_site)
    assert len(pages) > 20
    checked, broken = 0, []
    for page in pages:
        for url, target in local_targets(page):
            checked += 1
            if not target.is_file() or not target.is_relative_to(offline_site.resolve()):
                broken.append(f"{page.relative_to(offline_site)}: {url}")
    assert broken == []
    assert checked > 500


def test_nothing_is_loaded_from_outside(offline_site):
    for page in html_pages(offline_site):
        text = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in text, page
        assert not re.search(r'\ssrc="(?:https?:)?//', text), page
        assert not re.search(r'<link[^>]+href="(?:https?:)?//', text), page
    assert (offline_site / "assets/javascripts/iframe-worker-shim.js").is_file()
    assert (offline_site / "search/search_index.js").is_file()  # the index as a script, for file://


def test_an_ordinary_build_keeps_folder_urls_and_no_shim(example_site):
    index = (example_site / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="klachten/2026-001/"' in index
    assert "iframe-worker" not in index


def test_links_to_folders_name_their_index_file(offline_site):
    index = (offline_site / "index.html").read_text(encoding="utf-8")
    assert 'href="klachten/2026-001/index.html"' in index
    assert 'href="klachten/2026-001/"' not in index


def test_search_results_lead_to_files(offline_site):
    script = (offline_site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = ")
    docs = json.loads(script.removeprefix("var __index = "))["docs"]
    assert docs
    for doc in docs:
        page = doc["location"].partition("#")[0]
        assert (offline_site / unquote(page)).is_file(), doc["location"]


# ---------------------------------------------------------------- in the browser, from disk


@pytest.fixture
def from_disk(chromium, offline_site):
    """A fresh page; records every request, and every console error."""
    context = chromium.new_context()
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def inside(url: str, site: Path) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    parts = urlsplit(url)
    return parts.scheme == "file" and Path(unquote(parts.path)).resolve().is_relative_to(site.resolve())


def test_opened_from_disk_it_works_and_stays_in_its_folder(offline_site, from_disk):
    page = from_disk
    page.goto((offline_site / "index.html").as_uri())
    page.wait_for_load_state("load")

    # A click on a complaint opens its page (a file, not a folder listing).
    page.locator("article a", has_text="2026-001").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/klachten/2026-001/index.html")
    assert "2026-001" in page.locator("h1").first.inner_text()
    assert "Index of" not in page.content()

    # The search finds a dossier by the complainant's name.
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.press_sequentially("Testman", delay=20)  # Material searches on key events
    hit = page.locator(".md-search-result__list > li:first-child a[href*='2025-002']").first
    hit.wait_for(timeout=15_000)
    hit.click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path.endswith("/klachten/2025-002/index.html")  # ?h=testman: highlight
    assert "Testman" in page.locator("article").inner_text()

    # The menu leads to files too.
    page.locator("nav a", has_text="Evaluaties").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/evaluaties/index.html")

    assert len(page.requests) > 10
    assert [url for url in page.requests if not inside(url, offline_site)] == []
    assert page.errors == []
