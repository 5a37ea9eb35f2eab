"""Shared fixtures. Several engineers add fixtures here: only add, keep each one independent."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import threading
from datetime import date
from pathlib import Path

import pytest

PRODUCT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EXAMPLE_TODAY = date(2026, 11, 20)  # the example register passes `klachten check` on this day
GIT_TODAY = date(2026, 2, 1)  # "today" of the small registers the site tests write


# --- site: registers and builds ----------------------------------------------------------


def git(root: Path, *args: str, author: str = "Anna Beheer", when: str | None = None) -> str:
    """Run git in `root` as `author` (e-mail derived from the name); `when`: ISO commit date."""
    email = author.lower().replace(" ", ".") + "@example.invalid"
    env = dict(os.environ)
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    command = ["git", "-c", f"user.name={author}", "-c", f"user.email={email}", "-c", "commit.gpgsign=false", *args]
    return subprocess.run(command, cwd=root, env=env, check=True, capture_output=True, text=True).stdout


def write_complaint(root: Path, volgnummer: str, body: str = "## Omschrijving\nTekst.\n", **fields) -> Path:
    """Write klachten/<jaar>/<volgnummer>.md; `fields` are YAML lines (values written as given)."""
    lines = [f"volgnummer: {volgnummer}"] + [f"{key}: {value}" for key, value in fields.items()]
    path = root / "klachten" / volgnummer[:4] / f"{volgnummer}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")
    return path


def basic_fields(ontvangen: str, onderwerp: str = "Terugkoppeling bleef uit", **more) -> dict:
    fields = {
        "onderwerp": onderwerp,
        "ontvangen": ontvangen,
        "kanaal": "mondeling",
        "ontvangen_door": "Jan de Vries",
        "klager": "\n  naam: Anna Jansen",
        "categorie": "communicatie",
    }
    fields.update(more)
    return fields


def build(root: Path, today: date) -> int:
    from klachtenregister.site import build_site

    return build_site(root, today)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example register (klachten/ of the product), copied out and built once per session.

    The copy has no Git repository: it also shows how the site looks without history.
    """
    root = tmp_path_factory.mktemp("voorbeeld")
    shutil.copytree(PRODUCT / "klachten", root / "klachten")
    assert build(root, EXAMPLE_TODAY) == 0
    return root


# A complaint whose every text field and body try to inject HTML or script.
PAYLOAD = "<script>window.__pwned=1</script>"
INJECTION_BODY = f"""## Omschrijving
{PAYLOAD} a | b
<img src=x onerror="window.__pwned=1">
<iframe src="javascript:window.__pwned=1"></iframe>
[klik hier](javascript:window.__pwned=1)
{{: onclick="window.__pwned=1" }}
![spoor](https://tracker.example/p.png)

| kolom | <b onmouseover="window.__pwned=1">x</b> |
|---|---|
| 1 | 2 |
"""


def write_injection_register(root: Path) -> None:
    fields = basic_fields(
        "2026-01-05",
        f"'{PAYLOAD} | pipe [x](javascript:window.__pwned=1) {{: onclick=\"window.__pwned=1\" }}'",
        ontvangen_door="'<img src=x onerror=window.__pwned=1>'",
        klager="\n  naam: 'Piet | <iframe src=javascript:window.__pwned=1></iframe>'",
        categorie=f"'{PAYLOAD}'",
        afhandeling="'<svg onload=window.__pwned=1> | [y](javascript:window.__pwned=1)'",
    )
    write_complaint(root, "2026-001", body=INJECTION_BODY, **fields)


@pytest.fixture(scope="session")
def injection_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("injectie")
    write_injection_register(root)
    assert build(root, GIT_TODAY) == 0
    return root


# --- browser -----------------------------------------------------------------------------


@contextlib.contextmanager
def serve_directory(directory: Path):
    """Serve `directory` on 127.0.0.1 at a random port in a thread; yields the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian chromium through Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        if os.environ.get("KLACHTEN_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} ontbreekt en KLACHTEN_REQUIRE_BROWSER is gezet")
        pytest.skip(f"{CHROMIUM} ontbreekt (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
