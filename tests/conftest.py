"""Shared fixtures. Several engineers add fixtures here: only add, keep each one independent."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import NamedTuple

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
    """`klachten build` in this process: its exit code (messages on stderr, for capsys)."""
    from klachtenregister.cli import main

    return main(["build", "--root", str(root), "--today", today.isoformat()])


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


def require_tool(present: bool, missing: str) -> None:
    """Skip a test whose outside tool is missing, on a developer's machine; in CI (.ci/run sets
    KLACHTEN_REQUIRE_BROWSER, and installs chromium, pdftotext and shellcheck) fail instead."""
    if present:
        return
    if os.environ.get("KLACHTEN_REQUIRE_BROWSER"):
        pytest.fail(f"{missing} ontbreekt en KLACHTEN_REQUIRE_BROWSER is gezet")
    pytest.skip(f"{missing} ontbreekt")


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian chromium through Playwright (never a downloaded browser)."""
    require_tool(CHROMIUM.exists(), f"{CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --- register core: registers from text, the installed command (test_loader, test_rules, ...) ---
# Shared by everyone: write_register() writes a register from {relative path: text or bytes},
# run_klachten() runs the installed `klachten` as staff and CI do.


class Ran(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


def klachten_command() -> str:
    """The installed console script: the one next to this Python first (the test's venv)."""
    beside = Path(sys.executable).with_name("klachten")
    found = str(beside) if beside.exists() else shutil.which("klachten")
    assert found, "het commando klachten is niet geïnstalleerd (pip install -e .)"
    return found


def run_klachten(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 120) -> Ran:
    """Run `klachten *args`; never a traceback. GITHUB_STEP_SUMMARY and KLACHTEN_DEBUG are
    left out of the environment unless given in `env` (a test must not write CI's summary)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_STEP_SUMMARY", "KLACHTEN_DEBUG")}
    environment.update(env or {})
    done = subprocess.run(
        [klachten_command(), *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return Ran(done.returncode, done.stdout, done.stderr)


def write_register(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a register into `root`: always klachten/, then each file as given (text is written
    as UTF-8 without newline translation, so CRLF and BOM tests get exactly their bytes)."""
    (root / "klachten").mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def check_json(root: Path, today: str) -> list[dict]:
    """The findings of `klachten check --today` (in-process), as in the JSON output."""
    from klachtenregister.check import check_root

    return [f.to_json() for f in check_root(root, date.fromisoformat(today)).findings]


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the `occurrence`-th line containing `needle`."""
    hits = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} staat niet {occurrence}x in de tekst"
    return hits[occurrence - 1]


def edit(text: str, old: str, new: str) -> str:
    """Replace `old`, which must occur exactly once, by `new`."""
    assert text.count(old) == 1, f"{old!r} komt {text.count(old)}x voor"
    return text.replace(old, new)


CORE_TODAY = "2026-04-30"
# Periodic duties (steps 11, 12) start after the test complaints, so they do not interfere.
CORE_PROCEDURE = "start: 2026-01-01\n"
CORE_REL = "klachten/2026/2026-007.md"

# SPEC's example complaint (section 1), closed, with its letter; valid on CORE_TODAY.
SPEC_COMPLAINT = """---
volgnummer: 2026-007
onderwerp: Terugkoppeling na intake bleef uit
ontvangen: 2026-03-02            # stap 1: date received
kanaal: mondeling                # mondeling | schriftelijk | brief
ontvangen_door: Jan de Vries     # employee who received it
klager:
  naam: Anna Jansen
  klantnummer: K-1042            # optional: the client's dossier (stap 9)
categorie: communicatie          # one of procedure.yml categorieen
bijlagen:                        # files in klachten/2026/2026-007/; required when kanaal is brief
  - brief.pdf

bevestigd: 2026-03-05            # stap 3: written confirmation sent (deadline)
directie_geinformeerd: 2026-03-03   # stap 4
directie_betrokken: false        # stap 5
behandelaar:                     # stap 5/6
  rol: directie                  # directie | onafhankelijke-derde
  naam: M. Smit
oordeel: gegrond                 # stap 6/7: gegrond | deels-gegrond | ongegrond
oordeel_gemeld: 2026-03-20       # complainant told the outcome / solution search started (deadline)
afspraken:                       # stap 7: required before afgehandeld when (deels-)gegrond
  - wat: Wekelijks belcontact met klager
    wie: Jan de Vries
    uiterlijk: 2026-04-01
voortgang:                       # stap 8: the progress form, dated entries (optional list)
  - datum: 2026-03-10
    notitie: Gesprek met klager gevoerd.
afgehandeld: 2026-04-02          # stap 8: handling date
afhandeling: Afspraken nagekomen; klager tevreden.   # stap 8: how it was handled
opdrachtgever:                   # stap 9
  rol: arbeidsdeskundige         # arbeidsdeskundige | klantmanager
  naam: Petra Bakker
  organisatie: UWV
klantdossier_bijgewerkt: 2026-04-03     # stap 9
opdrachtgever_geinformeerd: 2026-04-03  # stap 9
beroep:                          # stap 10, optional
  ingesteld: 2026-04-20
  bij: klantmanager UWV
  uitkomst: Klacht alsnog gegrond verklaard.
ingetrokken: null                # date the complainant withdrew; closes the case
---
## Omschrijving
Free Markdown: the complaint in the complainant's words, investigation notes, ...
"""

# Only what is always required: a complaint just registered (ontvangen 2026-04-28).
NEW_COMPLAINT = """---
volgnummer: 2026-007
onderwerp: Terugkoppeling na intake bleef uit
ontvangen: 2026-04-28
kanaal: mondeling
ontvangen_door: Jan de Vries
klager:
  naam: Anna Jansen
categorie: communicatie
---
## Omschrijving
De klager hoorde niets na de intake.
"""


def core_register(root: Path, complaint: str | bytes = SPEC_COMPLAINT, extra: dict | None = None) -> Path:
    """A register with CORE_PROCEDURE, one complaint at CORE_REL (with its brief.pdf), and the
    `extra` files ({relative path: text or bytes}; they may replace the others)."""
    files: dict[str, str | bytes] = {
        "klachten/procedure.yml": CORE_PROCEDURE,
        CORE_REL: complaint,
        "klachten/2026/2026-007/brief.pdf": b"%PDF-1.4\n",
    }
    files.update(extra or {})
    return write_register(root, files)


# --- file permissions, also when the tests run as root (test_new, test_robustness) -------

SETPRIV = shutil.which("setpriv")


def run_klachten_as_staff(*args: str, cwd: Path | None = None) -> Ran:
    """Run `klachten *args` so that file permissions apply. As root, it runs without the
    capabilities that bypass them (setpriv drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH);
    skips when that is not possible."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if not SETPRIV:
            pytest.skip("als root zijn bestandsrechten niet te testen zonder setpriv")
        prefix = [SETPRIV, "--bounding-set=-dac_override,-dac_read_search"]
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_STEP_SUMMARY", "KLACHTEN_DEBUG")}
    done = subprocess.run(
        [*prefix, klachten_command(), *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in done.stderr, done.stderr
    return Ran(done.returncode, done.stdout, done.stderr)


@contextlib.contextmanager
def no_access(*paths: Path):
    """Take every permission away from `paths` for the duration (restored afterwards)."""
    modes = [(path, path.stat().st_mode) for path in paths]
    for path, _mode in modes:
        path.chmod(0)
    try:
        yield
    finally:
        for path, mode in modes:
            path.chmod(mode)
