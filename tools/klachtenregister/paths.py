"""Where things live: the register's own files first, the product's defaults second.

A register repository may carry its own `templates/`, `docs/` and `mkdocs.yml`; a register
with only `klachten/` works with the ones shipped next to this package (SPEC section 1).
"""

from __future__ import annotations

from pathlib import Path

# tools/klachtenregister/paths.py -> the product's checkout (editable install).
PRODUCT_DIR = Path(__file__).resolve().parents[2]


def resource(root: Path, name: str) -> Path:
    """`root/name` when the register has it, else the product's own `name`."""
    own = root / name
    return own if own.exists() else PRODUCT_DIR / name
