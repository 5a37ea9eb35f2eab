"""The one Jinja2 environment of the site and the report, and the filters its templates use.

Templates are looked up in the register's own `templates/` first and the product's second,
file by file (`paths.template_loader`); they are named by their path in it
(`site/klacht.md.j2`, `report/jaaroverzicht.html.j2`). Strict (`StrictUndefined`: a typo
fails the build instead of rendering blank) and autoescaping: every value from a register
file is HTML-escaped.

Filters, one name per meaning:

- `iso`: a date as JJJJ-MM-DD, `datum`: as "2 maart 2026"; both "—" for no date;
- `css`: the stylesheet class of a state word (the word itself is always shown as well);
- `stap`, `uitkomst`, `maand`: Dutch labels; `getal`, `procent`: numbers in Dutch notation;
- `cel`: text for a Markdown table cell (trusted text only: the reference pages);
- `tekst`: trusted prose (rule docstrings) as Markdown.

(`klachten new` writes YAML, not HTML, and has an environment of its own in newcomplaint.py.)
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import jinja2
from markupsafe import Markup

from .charts import getal
from .model import MAANDEN, STAP_BEVESTIGING, STAP_OORDEEL
from .paths import strict_env

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
        tekst=markdown_text,
    )
    return env


def iso_date(d: date | None) -> str:
    return d.isoformat() if d else "—"


def long_date(d: date | None) -> str:
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}" if d else "—"


@functools.cache
def state_class(state: str) -> str:
    """The site stylesheet's class for a state word: 'te laat' -> 'kr-te-laat'."""
    return _OWN_CLASS.get(state) or "kr-" + state.replace(" ", "-").replace(".", "")


def markdown_text(text: str) -> Markup:
    """Trusted prose (rule docstrings) as Markdown: `<name>` outside code spans stays visible."""
    parts = text.split("`")
    return Markup("`".join(p if i % 2 else p.replace("<", "&lt;") for i, p in enumerate(parts)))
