"""The one Jinja2 environment of the site and the report, and the filters its templates use.

Templates are looked up in the register's own `templates/` first and the product's second,
file by file (`template_loader`); they are named by their path in it
(`site/klacht.md.j2`, `report/jaaroverzicht.html.j2`). Strict (`StrictUndefined`: a typo
fails the build instead of rendering blank) and autoescaping: every value from a register
file is HTML-escaped.

Filters, one name per meaning:

- `iso`: a date as JJJJ-MM-DD, `datum`: as "2 maart 2026"; both "—" for no date;
- `css`: the stylesheet class of a state word (the word itself is always shown as well);
- `stap`, `uitkomst`, `maand`: Dutch labels; `getal`, `procent`: numbers in Dutch notation;
- `aantal(enkelvoud, meervoud)`: a count with its noun ("1 klacht", "2 klachten");
- `cel`: text for a Markdown table cell (trusted text only: the reference pages);
- `letterlijk`: any text (from procedure.yml, say) exactly as written on a Markdown page;
- `tekst`: trusted prose (rule docstrings) as Markdown.

(`klachten new` writes YAML, not HTML, and has an environment of its own in newcomplaint.py.)
"""

from __future__ import annotations

import functools
import os
from datetime import date
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import safefiles
from ..model import MAANDEN, STAP_BEVESTIGING, STAP_OORDEEL
from ..oserrors import os_reason
from ..paths import PRODUCT_DIR, TEMPLATE_DIR
from .charts import getal
from .templateerrors import UnreadableTemplate

STAP_LABEL = {STAP_BEVESTIGING: "bevestiging (stap 3)", STAP_OORDEEL: "oordeel (stap 7)"}
UITKOMST_LABEL = {"deels-gegrond": "deels gegrond"}
# States of the evaluation and annual pages beside those of deadlines.py.
GEREED = "gereed"
LOOPT = "loopt nog"
CONCEPT = "concept"
_OWN_CLASS = {GEREED: "kr-gedaan", LOOPT: "kr-open", CONCEPT: "kr-nadert"}


def template_env(root: Path) -> jinja2.Environment:
    env = strict_env(root, autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(
        iso=iso_date,
        datum=long_date,
        css=state_class,
        stap=lambda key: STAP_LABEL.get(key, key),
        uitkomst=lambda key: UITKOMST_LABEL.get(key, key),
        maand=lambda month: MAANDEN[month - 1],
        getal=getal,
        procent=lambda part, whole: f"{round(100 * part / whole)}%" if whole else "—",
        cel=lambda text: str(text).replace("|", "\\|").replace("\n", " "),
        aantal=count_of,
        letterlijk=literal_text,
        tekst=markdown_text,
    )
    return env


def count_of(n: int, one: str, many: str) -> str:
    """'1 klacht', '2 klachten', '0 klachten': never 'klacht(en)'."""
    return f"{n} {one if n == 1 else many}"


def iso_date(d: date | None) -> str:
    return d.isoformat() if d else "—"


def long_date(d: date | None) -> str:
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}" if d else "—"


@functools.cache
def state_class(state: str) -> str:
    """The site stylesheet's class for a state word: 'te laat' -> 'kr-te-laat'."""
    return _OWN_CLASS.get(state) or "kr-" + state.replace(" ", "-").replace(".", "")


# Every ASCII character Markdown or one of the site's extensions (attr_list's `{: }`, tables'
# `|`, links, emphasis, entities, HTML) could read as syntax; letters, digits and spaces are not.
_SYNTAX = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def literal_text(value: object) -> Markup:
    """`value` shown exactly as written on a Markdown page, never read as Markdown or HTML:
    every syntax character written as an HTML entity, line breaks as spaces."""
    text = " ".join(str(value).splitlines())
    return Markup("".join(f"&#{ord(ch)};" if ch in _SYNTAX else ch for ch in text))  # noqa: S704 - all escaped


def markdown_text(text: str) -> Markup:
    """Trusted prose (rule docstrings) as Markdown: `<name>` outside code spans stays visible."""
    parts = text.split("`")
    return Markup("`".join(p if i % 2 else p.replace("<", "&lt;") for i, p in enumerate(parts)))


# --- finding templates: the register's own first, the product's second -----------------


def template_loader(root: Path) -> jinja2.BaseLoader:
    """`root/templates/` first, the product's `templates/` second, per file."""
    folders = [root / TEMPLATE_DIR, PRODUCT_DIR / TEMPLATE_DIR]
    unique = list(dict.fromkeys(str(f) for f in folders if f.is_dir()))
    return _Loader(unique, root)


def strict_env(root: Path, **options) -> jinja2.Environment:
    """A Jinja environment over `template_loader(root)` in which an unknown name is an error
    (a typo fails instead of rendering blank); `options`: escaping and whitespace per use."""
    return jinja2.Environment(
        loader=template_loader(root), undefined=jinja2.StrictUndefined, keep_trailing_newline=True, **options
    )


class _Loader(jinja2.FileSystemLoader):
    """Jinja's file loader, but a template that cannot be read is a Dutch error on that file
    (with the line of a byte that is not UTF-8), not an OSError or UnicodeDecodeError; and a
    template of the register's own that is a link out of the register, or not a regular file,
    is passed over (`klachten check` reports it): the product's takes its place."""

    def __init__(self, searchpath: list[str], root: Path) -> None:
        super().__init__(searchpath)
        self.root = root
        self.own = str(root / TEMPLATE_DIR)

    def get_source(self, environment: jinja2.Environment, template: str):
        pieces = jinja2.loaders.split_template_path(template)
        for folder in self.searchpath:
            path = os.path.join(folder, *pieces)
            if not os.path.lexists(path):
                continue
            if folder == self.own and safefiles.problem(path, self.root) is not None:
                continue  # a link out of the register, a FIFO, a folder: never read
            return self._read(path), os.path.normpath(path), _uptodate(path)
        raise jinja2.TemplateNotFound(template)

    def _read(self, path: str) -> str:
        try:
            return safefiles.read_bytes(path, None).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnreadableTemplate(
                "het sjabloon is geen UTF-8-tekst; sla het op als UTF-8", path, _line_of_byte(path, exc.start)
            ) from None
        except safefiles.Refused as exc:
            raise UnreadableTemplate(f"het sjabloon {exc}", path) from None
        except OSError as exc:
            raise UnreadableTemplate(f"het sjabloon kan niet gelezen worden ({os_reason(exc)})", path) from None


def _uptodate(path: str):
    try:
        mtime = os.path.getmtime(path)
    except OSError:
        mtime = None

    def uptodate() -> bool:
        try:
            return os.path.getmtime(path) == mtime
        except OSError:
            return False

    return uptodate


def _line_of_byte(path: str, offset: int) -> int | None:
    try:
        with open(path, "rb") as handle:
            return handle.read(offset).count(b"\n") + 1
    except OSError:
        return None
