"""`klachten build --offline`: a site that works opened from disk (file://), e.g. the daily
artifact a director downloads, unzips and opens with a double click on index.html.

On disk a browser shows a folder listing for a link to a folder (`klachten/2026-001/`), may
not fetch the search index, and may not start the search's Web Worker. So, after the normal
strict build:

- every link to a folder in every page is pointed at that folder's `index.html` (the pages
  keep MkDocs' folder URLs, so every link the templates and MkDocs write resolves the same
  way as on a web server), and so is every location in the search index;
- the search index is also written as a script (`search/search_index.js`), which Material's
  search loads when the page is a file, as its `offline` plugin does;
- the Web Worker shim the `offline` plugin would load from unpkg.com (no request may leave the
  site) is copied into the site from `../vendor/iframe-worker/` (vendored from npm, pinned by
  tests/iframe-worker's lock file), and `extra.polyfills` loads it from there.

Material's `offline` plugin itself is not used: it turns folder URLs off, which breaks every
link the templates write relative to a page's folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

SHIM_DIR = Path(__file__).resolve().parents[1] / "vendor" / "iframe-worker"
SHIM_URL = "assets/javascripts/iframe-worker-shim.js"  # relative to the site's root
SHIM_FILES = {"shim.js": SHIM_URL, "LICENSE": "assets/javascripts/iframe-worker-LICENSE.txt"}
SEARCH_INDEX = "search/search_index.json"
_URL_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"#?]*)([^"]*")')
_NOT_A_PATH = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|$)")  # a scheme, an absolute path, or empty


def enable(config) -> None:
    """Load the vendored shim before Material's scripts (a loaded MkDocs configuration)."""
    config.extra["polyfills"] = [SHIM_URL, *(config.extra.get("polyfills") or [])]


def finish(site: Path) -> None:
    """After the build: the shim into the site, links to folders made links to files, the
    search index as a script."""
    for name, rel in SHIM_FILES.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHIM_DIR / name, site / rel)
    for folder, _dirs, files in os.walk(site):
        for name in files:
            if name.endswith(".html"):
                _rewrite_links(Path(folder) / name)
    _search_index_as_script(site)


def _rewrite_links(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    fixed = _URL_ATTRIBUTE.sub(lambda m: m.group(1) + file_link(page.parent, m.group(2)) + m.group(3), text)
    if fixed != text:
        page.write_text(fixed, encoding="utf-8")


def file_link(folder: Path, href: str) -> str:
    """`href` (relative to `folder`) naming the folder's index.html when it names a folder."""
    if _NOT_A_PATH.match(href) or not (folder / unquote(href) / "index.html").is_file():
        return href
    return href + ("index.html" if href.endswith("/") else "/index.html")


def _search_index_as_script(site: Path) -> None:
    path = site / SEARCH_INDEX
    if not path.is_file():  # a configuration without the search plugin
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    for doc in index.get("docs", []):
        doc["location"] = _file_location(doc.get("location", ""))
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    path.write_text(data, encoding="utf-8")
    path.with_suffix(".js").write_text(f"var __index = {data}", encoding="utf-8")


def _file_location(location: str) -> str:
    """A search result's location (relative to the site root): its page as a file."""
    page, hash_, anchor = location.partition("#")
    if page == "" or page.endswith("/"):
        page += "index.html"
    return page + hash_ + anchor
