"""Where things live: the register's own files first, the product's defaults second.

A register repository may carry its own `templates/`, `docs/` and `mkdocs.yml`; a register
with only `klachten/` works with the ones shipped next to this package (SPEC section 1).
Templates fall back file by file: a register with only `templates/site/index.md.j2` still
gets the product's `templates/klacht.md`.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

# tools/klachtenregister/paths.py -> the product's checkout (editable install).
PRODUCT_DIR = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = "templates"


def template_loader(root: Path, sub: str = "") -> jinja2.BaseLoader:
    """`root/templates/<sub>` first, the product's `templates/<sub>` second, per file."""
    folders = [root / TEMPLATE_DIR / sub, PRODUCT_DIR / TEMPLATE_DIR / sub]
    unique = list(dict.fromkeys(str(f) for f in folders if f.is_dir()))
    return jinja2.FileSystemLoader(unique)
