"""Where the product's own files are: templates/, docs/ and mkdocs.yml.

A register repository may carry its own `templates/`, `docs/` and `mkdocs.yml`; a register
with only `klachten/` works with the product's (SPEC section 1). The register's own always
win (templates file by file: `site.templating.template_loader`). The product's are package
data of an installed package (`klachtenregister/_product/`, copied there by setup.py when
the package is built) and the checkout itself in an editable install.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

DATA_DIR = "klachten"  # the register itself (register.py reads it)
TEMPLATE_DIR = "templates"
CONFIG = "mkdocs.yml"
BUILD_DIR = "build"  # generated: the pages, the site being built, files on their way in (never tracked)
SITE_DIR = "site"


def tracked_files(root: Path, name: str) -> list[str]:
    """The files (or link) Git tracks at `name` in the register root; [] without Git."""
    import subprocess

    try:
        done = subprocess.run(["git", "ls-files", "-z", "--", name], cwd=root, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return []
    if done.returncode != 0:  # not a Git repository
        return []
    return [os.fsdecode(p) for p in done.stdout.split(b"\0") if p]


def _product_dir() -> Path:
    shipped = Path(str(resources.files("klachtenregister") / "_product"))
    if (shipped / CONFIG).is_file():
        return shipped
    # tools/klachtenregister/paths.py -> the checkout (editable install)
    return Path(__file__).resolve().parents[2]


PRODUCT_DIR = _product_dir()
