"""The built site in headless Chromium: private (no request leaves the site), no script from
complaint files runs, and the site search finds a complaint."""

from __future__ import annotations

import pytest

from conftest import PAYLOAD, serve_directory


@pytest.fixture
def browse(chromium):
    """Open site pages in a fresh browser page; records requests and dialogs."""
    context = chromium.new_context()
    page = context.new_page()
    page.requests, page.dialogs = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def visit(page, base: str, path: str) -> None:
    page.goto(base + path)
    page.wait_for_load_state("networkidle")


def outside(page, base: str) -> list[str]:
    return [url for url in page.requests if not url.startswith(base + "/")]


def test_no_request_leaves_the_site(example_site, browse):
    with serve_directory(example_site / "site") as base:
        for path in ("/", "/klachten/2026-001/", "/velden/", "/handleiding/", "/evaluaties/", "/procedure/"):
            visit(browse, base, path)
        search(browse, "parkeerplaats", "/klachten/2026-003/")
        assert len(browse.requests) > 10
        assert outside(browse, base) == []


def test_no_script_from_a_complaint_runs(injection_site, browse):
    with serve_directory(injection_site / "site") as base:
        for path in ("/", "/klachten/2026-001/"):
            visit(browse, base, path)
            browse.mouse.move(400, 400)  # hover handlers, if any had slipped through
            for text in browse.locator("a").all_inner_texts():
                assert "javascript" not in text
            assert browse.evaluate("window.__pwned") is None
            assert browse.dialogs == []
        visible = browse.inner_text("article")
        assert PAYLOAD in visible  # shown as text, in the fields and the body
        assert "Piet | <iframe src=javascript:window.__pwned=1></iframe>" in visible
        assert "<svg onload=window.__pwned=1> | [y](javascript:window.__pwned=1)" in visible
        for link in browse.locator("article a").all():
            assert not (link.get_attribute("href") or "").startswith("javascript:")
        search(browse, "pipe", "/klachten/2026-001/")  # the results show the payload too
        assert browse.evaluate("window.__pwned") is None and browse.dialogs == []
        assert outside(browse, base) == []


def test_search_finds_a_complaint_by_volgnummer_onderwerp_and_complainant(example_site, browse):
    with serve_directory(example_site / "site") as base:
        visit(browse, base, "/")
        assert "/klachten/2026-003/" in search(browse, "2026-003", "/klachten/2026-003/")
        assert "/klachten/2025-002/" in search(browse, "reiskostenvergoeding", "/klachten/2025-002/")
        assert "/klachten/2025-002/" in search(browse, "Testman", "/klachten/2025-002/")  # the complainant


def search(page, query: str, expect: str) -> str:
    """Type into Material's search box; the href of the first result (containing `expect`)."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press_sequentially(query, delay=20)  # Material searches on key events, not on fill()
    # The list re-renders while results stream in: wait for the expected first hit.
    first = page.locator(f".md-search-result__list > li:first-child a[href*='{expect}']").first
    first.wait_for(timeout=15_000)
    return first.get_attribute("href") or ""
