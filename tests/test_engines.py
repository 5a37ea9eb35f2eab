"""`klachten build --engine mkdocs|zensical` (SPEC 4.3): the example register built by both
engines, each checked the same way: every href and src of every page resolves to a file of
the site (attachments included, served from a sub-path), every page is noindex, no outside
URL in any src, href or CSS url(), no request leaving the site in Chromium, and nothing left
beside the register's tracked files."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import (
    EXAMPLE_TODAY,
    GIT_TODAY,
    PRODUCT,
    basic_fields,
    build,
    git,
    run_klachten,
    serve_directory,
    write_complaint,
)

ENGINES = ("mkdocs", "zensical")
SUB_PATH = "/register/"  # the site as a web server under a folder would serve it
NOT_A_REQUEST = re.compile(r"^(#|mailto:|tel:|data:)")
OUTSIDE = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)  # a scheme, or another host
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""")


def require_zensical() -> None:
    """Skip without Zensical on a developer's machine; in CI (.ci/run installs the extra and
    sets KLACHTEN_REQUIRE_ZENSICAL) fail instead."""
    if importlib.util.find_spec("zensical"):
        return
    if os.environ.get("KLACHTEN_REQUIRE_ZENSICAL"):
        pytest.fail('Zensical ontbreekt (pip install -e ".[zensical]") en KLACHTEN_REQUIRE_ZENSICAL is gezet')
    pytest.skip('Zensical ontbreekt (pip install -e ".[zensical]")')


@pytest.fixture(scope="session", params=ENGINES)
def engine_site(request, tmp_path_factory) -> tuple[str, Path]:
    """The example register as a Git repository with the product's .gitignore, built once per
    engine by the installed command; (engine, register root)."""
    engine = request.param
    if engine == "zensical":
        require_zensical()
    root = tmp_path_factory.mktemp(f"voorbeeld-{engine}")
    shutil.copytree(PRODUCT / "klachten", root / "klachten")
    shutil.copy(PRODUCT / ".gitignore", root / ".gitignore")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Voorbeeldregister")
    ran = run_klachten("build", "--engine", engine, "--root", str(root), "--today", EXAMPLE_TODAY.isoformat())
    assert ran.returncode == 0, ran.stderr
    assert "site gebouwd" in ran.stdout
    return engine, root


# --- the links of the built site ---------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.found += [value for name, value in attrs if name in ("href", "src") and value is not None]


def links_of(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


def page_url(site: Path, page: Path, prefix: str) -> str:
    """The URL a web server gives `page` when the site is served at `prefix`."""
    rel = page.relative_to(site).as_posix()
    return "http://example.invalid" + prefix + rel.removesuffix("index.html")


def target_of(site: Path, base: str, link: str, prefix: str) -> Path | None:
    """The file of the site `link` on the page at `base` leads to; None when it leaves the site."""
    path = urlsplit(urljoin(base, link)).path
    if not path.startswith(prefix):
        return None
    target = site / unquote(path[len(prefix) :])
    return target / "index.html" if path.endswith("/") else target


def broken_links(site: Path) -> tuple[int, list[tuple[str, str]], set[Path]]:
    """(links checked, [(page, link) that does not resolve], files reached). 404.html is
    served for any missing URL, so both engines give it links from the root ("/assets/..."):
    it is checked at the root, every other page under a sub-path."""
    checked, broken, reached = 0, [], set()
    for page in sorted(site.rglob("*.html")):
        prefix = "/" if page == site / "404.html" else SUB_PATH
        base = page_url(site, page, prefix)
        for link in links_of(page):
            if NOT_A_REQUEST.match(link) or OUTSIDE.match(link):
                continue  # outside URLs: test_no_outside_url_in_any_page_or_stylesheet
            checked += 1
            target = target_of(site, base, link, prefix)
            if target is None or not target.is_file():
                broken.append((page.relative_to(site).as_posix(), link))
            else:
                reached.add(target.relative_to(site))
    return checked, broken, reached


def test_every_link_and_attachment_resolves_under_a_sub_path(engine_site):
    engine, root = engine_site
    checked, broken, reached = broken_links(root / "site")
    assert broken == [], f"{engine}: {broken[:10]}"
    assert checked > 400
    # attachments (a letter on two complaint pages), complaint pages reached from an
    # evaluation page, the theme's own assets
    assert Path("klachten/2026-001/brief.pdf") in reached and Path("klachten/2025-002/brief.pdf") in reached
    evaluation = root / "site/evaluaties/2025-h1/index.html"
    base = page_url(root / "site", evaluation, SUB_PATH)
    complaints = {target_of(root / "site", base, link, SUB_PATH) for link in links_of(evaluation)}
    assert root / "site/klachten/2025-004/index.html" in complaints
    assert any(p.suffix == ".css" for p in reached) and any(p.suffix == ".js" for p in reached)


def test_the_link_check_finds_a_broken_link(tmp_path):
    """The checker above can fail: the link forms Zensical 0.0.73 made of raw HTML in a page
    not in the folder of its URL (one `../` too many, an attachment beside the folder)."""
    page = tmp_path / "klachten/2026-001/index.html"
    page.parent.mkdir(parents=True)
    (page.parent / "brief.pdf").write_bytes(b"%PDF")
    (tmp_path / "evaluaties/2026-h1").mkdir(parents=True)
    page.write_text('<a href="brief.pdf">ok</a><a href="../brief.pdf">x</a>')
    (tmp_path / "evaluaties/2026-h1/index.html").write_text('<a href="../../../klachten/2026-001/">x</a>')
    checked, broken, _ = broken_links(tmp_path)
    assert checked == 3
    assert broken == [("evaluaties/2026-h1/index.html", "../../../klachten/2026-001/"),
                      ("klachten/2026-001/index.html", "../brief.pdf")]  # fmt: skip


# --- privacy -----------------------------------------------------------------------------


def outside_in_css(text: str) -> list[str]:
    return [url for _quote, url in CSS_URL.findall(text) if OUTSIDE.match(url) and not NOT_A_REQUEST.match(url)]


def test_the_privacy_check_finds_an_outside_url():
    css = "a{background:url('https://cdn.example/x.png')} b{x:url(data:image/png;base64,AA)} c{x:url(i.svg)}"
    assert outside_in_css(css) == ["https://cdn.example/x.png"]
    assert OUTSIDE.match("//fonts.example/f.css") and not OUTSIDE.match("../assets/x.js")


def test_every_page_is_noindex(engine_site):
    _engine, root = engine_site
    pages = list((root / "site").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        source = page.read_text(encoding="utf-8")
        assert re.search(r'<meta name="robots" content="noindex, nofollow"\s*/?>', source), page


def test_no_outside_url_in_any_page_or_stylesheet(engine_site):
    engine, root = engine_site
    outside = []
    for page in (root / "site").rglob("*.html"):
        links = [link for link in links_of(page) if not NOT_A_REQUEST.match(link)]
        outside += [(page.name, link) for link in links if OUTSIDE.match(link)]
    for sheet in (root / "site").rglob("*.css"):
        outside += [(sheet.name, url) for url in outside_in_css(sheet.read_text(encoding="utf-8"))]
    assert outside == [], f"{engine}: {outside[:10]}"


def test_nothing_is_left_beside_the_tracked_files(engine_site):
    """Zensical writes .cache/ beside its configuration: that is build/, never the root."""
    _engine, root = engine_site
    status = git(root, "status", "--porcelain", "--ignored", "--untracked-files=all")
    outside_build = [line for line in status.splitlines() if not line[3:].startswith(("build/", "site/"))]
    assert outside_build == []
    assert sorted(p.name for p in root.iterdir()) == [".git", ".gitignore", "build", "klachten", "site"]


# --- in Chromium, as a reader uses it --------------------------------------------------------


@pytest.fixture
def reader(chromium):
    """A fresh browser page that records every request and every failed response."""
    context = chromium.new_context()
    page = context.new_page()
    page.requests, page.failed = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("response", lambda response: response.status >= 400 and page.failed.append(response.url))
    yield page
    context.close()


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def click(page, selector: str) -> None:
    page.locator(selector).first.click()
    page.wait_for_load_state("networkidle")


def search(page, engine: str, query: str, expect: str) -> None:
    """Type into the engine's search box and wait for `expect` among the first result's link."""
    if engine == "zensical":  # its search dialog (a shadow root, which Playwright's CSS pierces)
        page.locator("button.md-search__button").click()
        box, first = page.locator("input[role=combobox]"), "[role=listbox] > li:first-child a"
    else:
        page.locator("label.md-search__icon, .md-search__input").first.click()
        box, first = page.locator("input.md-search__input"), ".md-search-result__list > li:first-child a"
    box.press_sequentially(query, delay=20)  # both search on key events
    page.locator(f"{first}[href*='{expect}']").first.wait_for(timeout=15_000)


def test_a_reader_clicks_through_and_searches_without_a_request_leaving_the_site(engine_site, reader, tmp_path):
    engine, root = engine_site
    (tmp_path / SUB_PATH.strip("/")).symlink_to(root / "site")
    with serve_directory(tmp_path) as host:
        base = host + SUB_PATH
        open_page(reader, base)
        click(reader, "article a[href='klachten/2026-001/']")  # index -> complaint
        assert reader.url == base + "klachten/2026-001/" and "Klacht 2026-001" in reader.title()
        letter = reader.locator("article a[href$='brief.pdf']").first.evaluate("a => a.href")
        assert letter == base + "klachten/2026-001/brief.pdf"
        assert reader.request.get(letter).body().startswith(b"%PDF")
        open_page(reader, base + "evaluaties/")
        click(reader, "article a[href='2025-h1/']")  # evaluation index -> evaluation
        click(reader, "article a[href*='klachten/2025-004/']")  # evaluation -> complaint
        assert reader.url == base + "klachten/2025-004/" and "Klacht 2025-004" in reader.title()
        search(reader, engine, "parkeerplaats", "klachten/2026-003/")
    assert len(reader.requests) > 10
    assert [url for url in reader.requests if not url.startswith(base)] == []
    assert reader.failed == []


# --- Zensical: missing, failing, a linked site folder ---------------------------------------


def test_without_zensical_the_build_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    write_complaint(tmp_path, "2026-001", **basic_fields("2026-01-02"))
    monkeypatch.setitem(sys.modules, "zensical", None)  # as if it were not installed
    from klachtenregister.cli import main

    assert main(["build", "--engine", "zensical", "--root", str(tmp_path), "--today", GIT_TODAY.isoformat()]) == 1
    err = capsys.readouterr().err
    assert "Zensical is niet geïnstalleerd" in err and '"klachtenregister[zensical]"' in err
    assert "--engine mkdocs" in err
    assert not (tmp_path / "build").exists() and not (tmp_path / "site").exists()  # nothing generated


def test_an_unknown_engine_is_a_usage_error(tmp_path):
    (tmp_path / "klachten").mkdir()
    ran = run_klachten("build", "--engine", "hugo", "--root", str(tmp_path))
    assert ran.returncode == 2 and "ongeldige keuze" in ran.stderr and "zensical" in ran.stderr


def test_a_zensical_warning_stops_the_build_and_keeps_the_last_good_site(tmp_path, capsys):
    require_zensical()
    (tmp_path / "klachten").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/handleiding.md").write_text("# Handleiding\n\nGoede versie.\n")
    assert zensical_build(tmp_path) == 0
    (tmp_path / "docs/handleiding.md").write_text("# Handleiding\n\n[weg](bestaat-niet.md)\n")
    assert zensical_build(tmp_path) == 1
    err = capsys.readouterr().err
    assert "Zensical kon de site niet bouwen" in err and "handleiding.md" in err and "page does not exist" in err
    assert "Traceback" not in err and "\x1b[" not in err  # its traceback and colours left out
    assert "Goede versie" in (tmp_path / "site/handleiding/index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "docs", "klachten", "site"]


def test_zensical_fills_a_site_folder_that_is_a_link(tmp_path):
    """As with MkDocs (publish.py): built in build/, then copied into the linked folder."""
    require_zensical()
    write_complaint(tmp_path, "2026-001", **basic_fields("2026-01-02", "Eerste onderwerp"))
    served = tmp_path / "webserver"
    served.mkdir()
    (tmp_path / "site").symlink_to(served)
    for subject in ("Eerste onderwerp", "Tweede onderwerp"):
        source = tmp_path / "klachten/2026/2026-001.md"
        source.write_text(source.read_text().replace("Eerste onderwerp", subject))
        assert zensical_build(tmp_path) == 0
        assert (tmp_path / "site").is_symlink()
        assert subject in (served / "klachten/2026-001/index.html").read_text(encoding="utf-8")
    assert (tmp_path / "build/.cache").is_dir() and (tmp_path / "build/zensical.yml").is_file()
    assert not [p.name for p in (tmp_path / "build").iterdir() if p.name.startswith("site")]


def test_offline_is_for_mkdocs_only(tmp_path):
    (tmp_path / "klachten").mkdir()
    ran = run_klachten("build", "--engine", "zensical", "--offline", "--root", str(tmp_path))
    assert ran.returncode == 2 and "--offline werkt alleen met --engine mkdocs" in ran.stderr
    assert not (tmp_path / "build").exists()


def test_zensical_messages_are_readable():
    from klachtenregister.site.zensical import zensical_messages

    output = ("Build started\n\x1b[33mWarning:\x1b[0m page does not exist\n   ╭─[ handleiding.md:3:10 ]\n"
              "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n    cli()\n"
              "RuntimeError: Aborted because --strict flag is set\n")  # fmt: skip
    assert zensical_messages(output) == [
        "Warning: page does not exist",
        "   ╭─[ handleiding.md:3:10 ]",
        "RuntimeError: Aborted because --strict flag is set",
    ]


def zensical_build(root: Path) -> int:
    from klachtenregister.cli import main

    return main(["build", "--engine", "zensical", "--root", str(root), "--today", GIT_TODAY.isoformat()])


def test_the_mkdocs_build_is_the_default(tmp_path):
    (tmp_path / "klachten").mkdir()
    assert build(tmp_path, GIT_TODAY) == 0
    assert "assets/javascripts/lunr" in "\n".join(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.js"))
    assert not (tmp_path / "build/zensical.yml").exists()
