"""Headless Chromium's print-to-PDF: the one way the product makes a PDF (reports, letters).

Chromium rather than WeasyPrint: Chromium is already needed for the browser tests, while
WeasyPrint needs Pango system libraries. The page printed is a standalone HTML file with
inline CSS and no script; Chromium gets a fresh profile and no network work to do.
`KLACHTEN_CHROMIUM` selects another binary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import JobFailed
from .oserrors import os_problem


def html_to_pdf(html: str, name: str = "document") -> bytes:
    """The PDF of a standalone HTML page, as bytes (nothing is written where the user looks)."""
    with tempfile.TemporaryDirectory(prefix="klachten-pdf-") as tmp:
        page, pdf = Path(tmp) / f"{name}.html", Path(tmp) / f"{name}.pdf"
        page.write_text(html, encoding="utf-8")
        print_to_pdf(page, pdf, Path(tmp) / "profiel")
        return pdf.read_bytes()


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_TIMEOUT = 120  # seconds


def chromium_path() -> str:
    """KLACHTEN_CHROMIUM, else the first Chromium on PATH."""
    own = os.environ.get("KLACHTEN_CHROMIUM")
    if own:
        return own
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise JobFailed("Chromium niet gevonden: installeer het (apt-get install chromium) of zet KLACHTEN_CHROMIUM")


def print_to_pdf(page: Path, pdf: Path, profile: Path) -> None:
    """Headless Chromium's print-to-PDF: the page has no external references, no script."""
    command = [
        chromium_path(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
        page.resolve().as_uri(),
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise JobFailed(f"Chromium kon de PDF niet maken: na {CHROMIUM_TIMEOUT} s nog niet klaar") from None
    except OSError as exc:
        raise JobFailed(f"Chromium kon de PDF niet maken: {os_problem(exc, command[0])}") from None
    if done.returncode != 0 or not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
        # Chromium's own last lines (English) help whoever maintains the machine, not staff.
        tail = " ".join(done.stderr.strip().splitlines()[-3:])
        raise JobFailed(f"Chromium kon de PDF niet maken (exitcode {done.returncode}); melding van Chromium: {tail}")


