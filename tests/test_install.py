"""`pip install .` (not editable) gives a complete tool: templates, docs, mkdocs.yml and the
theme travel inside the wheel, and a register that holds only klachten/ works with them."""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import CHROMIUM, EXAMPLE_TODAY, PRODUCT, require_tool

# What a source distribution holds (MANIFEST.in and pyproject.toml): the wheel is built from it.
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "tools", "templates", "docs", "mkdocs.yml")


def copy_sources(target: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".*")
    target.mkdir()
    for name in SOURCES:
        source = PRODUCT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    return target


def run(*command, cwd: Path, ok: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=300)
    if ok:
        assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed; its bin/ folder.

    The wheel's dependencies are this environment's own (a .pth file names our site-packages
    after the fresh one's), so the test needs no download beyond pip's build requirements;
    klachtenregister itself is only the one from the wheel."""
    work = tmp_path_factory.mktemp("wheel")
    sources = copy_sources(work / "bron")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", work / "dist", sources, cwd=work)
    wheel = next((work / "dist").glob("klachtenregister-*.whl"))
    env = work / "venv"
    venv.create(env, with_pip=False)
    fresh = next((env / "lib").glob("python3*/site-packages"))
    (fresh / "zz-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    run(sys.executable, "-m", "pip", "--python", env / "bin" / "python", "install", "-q", "--no-deps", wheel, cwd=work)
    return env / "bin"


def test_the_wheel_carries_the_product_files(installed):
    asked = "from klachtenregister import paths; print(paths.PRODUCT_DIR)"
    where = run(installed / "python", "-c", asked, cwd=installed)
    product = Path(where.stdout.strip())
    assert product.name == "_product" and installed.parent in product.parents, product
    for name in ("mkdocs.yml", "templates/klacht.md", "templates/site/index.md.j2", "templates/theme/main.html",
                 "templates/report/jaaroverzicht.html.j2", "templates/brieven/brief.html.j2", "docs/procedure.md"):
        assert (product / name).is_file(), name


def test_new_check_build_and_report_work_in_a_register_of_only_klachten(installed, tmp_path):
    root = tmp_path / "register"
    shutil.copytree(PRODUCT / "klachten", root / "klachten")
    klachten, today = installed / "klachten", ["--today", EXAMPLE_TODAY.isoformat()]

    checked = run(klachten, "check", *today, cwd=root)
    assert "register in orde" in checked.stdout

    built = run(klachten, "build", *today, cwd=root)
    assert "site gebouwd" in built.stdout
    assert "Klachtenregeling" in (root / "site" / "procedure" / "index.html").read_text(encoding="utf-8")
    assert (root / "site" / "stylesheets" / "klachten.css").is_file()  # the theme under templates/
    run(klachten, "build", "--offline", *today, cwd=root)  # the vendored Web Worker shim travels too
    assert (root / "site" / "assets" / "javascripts" / "iframe-worker-shim.js").is_file()

    run(klachten, "report", "--jaar", "2025", "--csv", "2025.csv", *today, cwd=root)
    assert (root / "2025.csv").read_text(encoding="utf-8-sig").startswith("Volgnummer;Ontvangen op;")
    require_tool(CHROMIUM.exists(), f"{CHROMIUM} (apt-get install chromium)")
    run(klachten, "report", "--jaar", "2025", "--pdf", "2025.pdf", *today, cwd=root)
    assert (root / "2025.pdf").read_bytes().startswith(b"%PDF")
    run(klachten, "brief", "2026-004", "oordeel", "--pdf", "oordeel.pdf", "--docx", "oordeel.docx", cwd=root)
    assert (root / "oordeel.pdf").read_bytes().startswith(b"%PDF")
    assert (root / "oordeel.docx").read_bytes().startswith(b"PK")  # python-docx came with the package

    made = run(klachten, "new", "--ontvangen", EXAMPLE_TODAY.isoformat(), "--kanaal", "mondeling",
               "--onderwerp", "Afspraak verzet", "--klager", "Test Klager", "--ontvangen-door", "Jan de Vries",
               cwd=root)
    written = root / made.stdout.strip()
    assert written.is_file() and "volgnummer: 2026-" in written.read_text(encoding="utf-8")
    assert not (root / "templates").exists() and not (root / "docs").exists() and not (root / "mkdocs.yml").exists()
