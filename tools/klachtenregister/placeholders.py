"""The example values of the new-complaint template, so that one left in a file is caught.

`klachten new` writes every later step's fields as commented lines with an example value
(`#  naam: Naam Behandelaar`, `#bevestigd: JJJJ-MM-DD`) and example paragraphs in the body.
Staff remove the `#` and fill in the value; a value still equal to the template's example is
a `veld-ongeldig` finding (SPEC 4.1). The examples are read from the template itself,
rendered as `klachten new` renders it (the register's own `templates/klacht.md` first), so
the list can never drift from what staff see.

Which values are examples: the value of every commented field line of a `tekst` or `datum`
field (choices such as `rol: directie` and `false` are real answers, and attachment names are
checked against the folder by the `bijlage` rule), and every paragraph of the body. An
evaluation record (`klachten evaluatie`) has examples in its commented `acties` lines too.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .model import COMPLAINT_FIELDS, EVALUATION_FIELDS, Field

_SENTINEL = "\x00klachten-new\x00"  # an option's value in the rendered template: not an example
# A commented field line as the template writes it: '#key: value', '#  key: value', '#  - key: value'.
_FIELD_LINE = re.compile(r"#( *)(- +)?([a-z_]+):[ \t]*(.*?)(?:[ \t]+#.*)?$")
_WRITTEN_KEY = re.compile(r"([a-z_]+):")
_INDEX = re.compile(r"\[[0-9]+\]")


@dataclass(frozen=True)
class Placeholders:
    """The template's example values: per field path without list indices ('afspraken.wat')."""

    fields: dict[str, frozenset[str]] = field(default_factory=dict)
    dates: frozenset[str] = frozenset()  # examples of any date field (JJJJ-MM-DD), for every date
    body: tuple[str, ...] = ()  # example paragraphs of the body, as written

    def example(self, path: str, kind: str, text: str) -> bool:
        """`text` in field `path` (of kind tekst or datum) is the template's example."""
        folded = text.casefold()
        return folded in self.fields.get(_INDEX.sub("", path), ()) or (kind == "datum" and folded in self.dates)

    def body_lines(self, body: str) -> list[int]:
        """0-based lines of `body` that are an example paragraph left in."""
        examples = set(self.body)
        return [i for i, line in enumerate(body.split("\n")) if line.strip() in examples]


NONE = Placeholders()


def load(root: Path) -> Placeholders:
    """The examples of the template `klachten new` would use in `root`; none when it cannot be
    rendered (a broken template is `klachten new`'s error to report, not check's)."""
    from .errors import KlachtenError

    try:
        return _cached(*_template_key(root, COMPLAINT_TEMPLATE))
    except (KlachtenError, OSError, ValueError):
        return NONE


def load_evaluation(root: Path) -> Placeholders:
    """The examples of the field lines of `templates/evaluatie.md` (`klachten evaluatie`): its
    commented `acties` lines. Read from the template's text (its front matter has no other
    Jinja than names); the body is the meeting's agenda and minutes, never an example."""
    from .errors import KlachtenError

    try:
        root_text, filename, mtime = _template_key(root, EVALUATION_TEMPLATE)
        return _cached_evaluation(root_text, filename, mtime)
    except (KlachtenError, OSError, ValueError):
        return NONE


COMPLAINT_TEMPLATE, EVALUATION_TEMPLATE = "klacht.md", "evaluatie.md"


@dataclass(frozen=True)
class TemplateExamples:
    """The examples of both templates staff fill in: a complaint's and an evaluation record's."""

    klacht: Placeholders = NONE
    evaluatie: Placeholders = NONE


def load_all(root: Path) -> TemplateExamples:
    return TemplateExamples(load(root), load_evaluation(root))


def _template_key(root: Path, name: str) -> tuple[str, str, int]:
    """The template's file and its modification time: `serve` keeps one process while staff edit."""
    from .site.templating import template_loader

    _source, filename, _uptodate = template_loader(root).get_source(None, name)  # type: ignore[arg-type]
    return str(root), filename, Path(filename).stat().st_mtime_ns


@functools.lru_cache(maxsize=8)
def _cached(root: str, _filename: str, _mtime: int) -> Placeholders:
    return parse(_rendered(Path(root)))


@functools.lru_cache(maxsize=8)
def _cached_evaluation(_root: str, filename: str, _mtime: int) -> Placeholders:
    text = Path(filename).read_text(encoding="utf-8")
    front = _front_matter(text)
    examples = parse(front + "\n---\n", EVALUATION_FIELDS)
    return Placeholders(examples.fields, examples.dates, ())


def _front_matter(text: str) -> str:
    """The lines between the first two '---' lines (a template may start with a Jinja comment)."""
    lines = text.split("\n")
    marks = [i for i, line in enumerate(lines) if line.rstrip() == "---"][:2]
    return "\n".join(lines[marks[0] + 1 : marks[1]]) if len(marks) == 2 else ""


def _rendered(root: Path) -> str:
    from .newcomplaint import NewComplaint, render
    from .procedure import Procedure

    sample = NewComplaint(date(2000, 1, 3), "mondeling", _SENTINEL, _SENTINEL, _SENTINEL, _SENTINEL)
    return render(root, sample, "2000-001", Procedure(categorieen=(_SENTINEL,)))


def parse(text: str, declared: tuple[Field, ...] = COMPLAINT_FIELDS) -> Placeholders:
    """The examples in a rendered new file (the fields `declared` say which are text or dates)."""
    head, _sep, body = text.partition("\n---\n")
    fields: dict[str, set[str]] = {}
    for path, value in _commented_fields(head.split("\n")):
        if _SENTINEL not in value and value and "{" not in value:
            fields.setdefault(path, set()).add(value)
    kinds = _kinds(declared)
    kept = {path: values for path, values in fields.items() if kinds.get(path) in ("tekst", "datum")}
    dates = {v.casefold() for path, values in kept.items() if kinds[path] == "datum" for v in values}
    paragraphs = (line.strip() for line in body.split("\n"))
    examples = tuple(p for p in paragraphs if p and not p.startswith("#") and _SENTINEL not in p)
    return Placeholders(
        {path: frozenset(v.casefold() for v in values) for path, values in kept.items()}, frozenset(dates), examples
    )


def _commented_fields(lines: list[str]):
    """(field path, example value) of every commented field line, children under their group."""
    parent = ""
    for line in lines:
        match = _FIELD_LINE.match(line)
        if match is None:
            written = _WRITTEN_KEY.match(line)  # a field already filled in, such as klager:
            parent = written[1] if written else parent
            continue
        indent, _dash, key, value = match.groups()
        if len(indent) == 1:  # '# ' starts a line of explanation, not a field
            continue
        if not indent:
            parent = key
            yield key, _unquoted(value)
        else:
            yield f"{parent}.{key}", _unquoted(value)


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


@functools.cache
def _kinds(declared: tuple[Field, ...]) -> dict[str, str]:
    kinds = {}

    def walk(fields: tuple[Field, ...], prefix: str) -> None:
        for spec in fields:
            kinds[prefix + spec.name] = spec.kind
            walk(spec.children, f"{prefix}{spec.name}.")

    walk(declared, "")
    return kinds
