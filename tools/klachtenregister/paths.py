"""Where things live: the register's own files first, the product's defaults second.

A register repository may carry its own `templates/`, `docs/` and `mkdocs.yml`; a register
with only `klachten/` works with the ones shipped next to this package (SPEC section 1).
Templates fall back file by file: a register with only `templates/site/index.md.j2` still
gets the product's `templates/klacht.md`.
"""

from __future__ import annotations

from pathlib import Path

# tools/klachtenregister/paths.py -> the product's checkout (editable install).
PRODUCT_DIR = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = "templates"
