"""Where things live: the register's own files first, the product's defaults second.

A register repository may carry its own `templates/`, `docs/` and `mkdocs.yml`; a register
with only `klachten/` works with the ones shipped next to this package (SPEC section 1).
Templates fall back file by file: a register with only `templates/site/index.md.j2` still
gets the product's `templates/klacht.md`.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2

from .oserrors import os_reason
from .templateerrors import UnreadableTemplate

# tools/klachtenregister/paths.py -> the product's checkout (editable install).
PRODUCT_DIR = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = "templates"


def template_loader(root: Path) -> jinja2.BaseLoader:
    """`root/templates/` first, the product's `templates/` second, per file."""
    folders = [root / TEMPLATE_DIR, PRODUCT_DIR / TEMPLATE_DIR]
    unique = list(dict.fromkeys(str(f) for f in folders if f.is_dir()))
    return _Loader(unique)


def strict_env(root: Path, **options) -> jinja2.Environment:
    """A Jinja environment over `template_loader(root)` in which an unknown name is an error
    (a typo fails instead of rendering blank); `options`: escaping and whitespace per use."""
    return jinja2.Environment(
        loader=template_loader(root), undefined=jinja2.StrictUndefined, keep_trailing_newline=True, **options
    )


class _Loader(jinja2.FileSystemLoader):
    """Jinja's file loader, but a template that cannot be read is a Dutch error on that file
    (with the line of a byte that is not UTF-8), not an OSError or UnicodeDecodeError."""

    def get_source(self, environment: jinja2.Environment, template: str):
        try:
            return super().get_source(environment, template)
        except jinja2.TemplateNotFound:
            raise
        except UnicodeDecodeError as exc:
            path = self._path_of(template)
            line = _line_of_byte(path, exc.start)
            raise UnreadableTemplate("het sjabloon is geen UTF-8-tekst; sla het op als UTF-8", path, line) from None
        except OSError as exc:
            path = self._path_of(template)
            raise UnreadableTemplate(f"het sjabloon kan niet gelezen worden ({os_reason(exc)})", path) from None

    def _path_of(self, template: str) -> str:
        pieces = jinja2.loaders.split_template_path(template)
        candidates = [os.path.join(folder, *pieces) for folder in self.searchpath]
        return next((c for c in candidates if os.path.isfile(c)), template)


def _line_of_byte(path: str, offset: int) -> int | None:
    try:
        with open(path, "rb") as handle:
            return handle.read(offset).count(b"\n") + 1
    except OSError:
        return None
