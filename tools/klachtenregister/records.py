"""From front-matter nodes to typed records, driven by the declarations in `model.py`.

Wrong types, unknown choices and unknown keys become `veld-ongeldig` findings on their line
(with a suggestion for a likely typo); the value is then left out (None) so that later rules
work on what could be read. Missing fields are the business of `rules/velden.py`.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence

import yaml

from .findings import Finding
from .model import (
    CATEGORIE,
    COMPLAINT_FIELDS,
    EVALUATION_FIELDS,
    GROUP_TYPES,
    OVERVIEW_FIELDS,
    Complaint,
    Evaluation,
    Field,
    Overview,
    Row,
    reached_row,
    spoken,
)
from .periods import HALF_YEAR_FORM, is_half_year
from .placeholders import NONE, Placeholders
from .yamlsource import LINE_OFFSET, Document, is_null, parse_date, scalar_text

_BOOLEANS = {"true": True, "ja": True, "false": False, "nee": False}


def _empty(node: yaml.Node) -> bool:
    """Not filled in: null (`veld:`) or only blanks (`veld: ""`). A blank onderwerp or naam is
    no more an answer than a missing one, and must not count as a step done."""
    return is_null(node) or (isinstance(node, yaml.ScalarNode) and not node.value.strip())


class _Reader:
    """Walks one front matter. Written for speed as well as clarity: it runs once per file, and a
    register of 10,000 complaints has some 300,000 values to read."""

    def __init__(self, doc: Document, categories: Sequence[str], examples: Placeholders = NONE) -> None:
        self.doc = doc
        self.categories = tuple(categories)
        self.examples = examples
        self.lines: dict[str, int] = {}
        self.findings: list[Finding] = []

    def invalid(self, node: yaml.Node, path: str, message: str) -> None:
        self.findings.append(Finding("veld-ongeldig", message, self.doc.rel, self.doc.line_of(node), veld=path))

    def mapping(self, node: yaml.MappingNode, fields: Sequence[Field], prefix: str = "") -> dict:
        values: dict = {}
        specs = _by_name(fields)
        lines = self.lines
        for key, value in node.value:
            name = key.value
            path = prefix + name
            lines[path] = key.start_mark.line + LINE_OFFSET
            spec = specs.get(name)
            if spec is None:
                self.invalid(key, path, _unknown_field(name, list(specs), prefix))
            elif not _empty(value):
                values[name] = self.value(value, spec, path)
        return values

    def value(self, node: yaml.Node, spec: Field, path: str):
        kind = spec.kind
        if kind == "groep":
            return self.group(node, spec, path)
        if kind == "lijst":
            return self.sequence(node, spec, path)
        text = scalar_text(node)
        if text is None:
            self.invalid(node, path, f"{spoken(path)} moet één waarde zijn, geen lijst of groep")
            return None
        if kind in ("tekst", "datum") and self.examples.example(path, kind, text):
            self.invalid(node, path, _example_left(path, spec, text))
            return None
        if kind == "tekst":
            return text
        if kind == "datum":
            value, problem = parse_date(text)
            if problem:
                self.invalid(node, path, f"{spoken(path)}: {problem}")
            return value
        if kind == "ja/nee":
            if text.lower() not in _BOOLEANS:
                self.invalid(node, path, f"{spoken(path)} moet true/false (of ja/nee) zijn, niet '{text}'")
                return None
            return _BOOLEANS[text.lower()]
        return self.choice(node, spec, path, text)  # keuze

    def choice(self, node: yaml.Node, spec: Field, path: str, text: str) -> str | None:
        """A choice matched without regard to capitals (`Gegrond`, `Brief`), as `ja/nee` are;
        the value read is the choice as declared."""
        choices = self.categories if spec.name == CATEGORIE else spec.choices
        found = _folded(choices).get(text.casefold())
        if found is not None:
            return found
        close = difflib.get_close_matches(text.lower(), choices, n=1, cutoff=0.6)
        hint = f"bedoelde je '{close[0]}'?" if close else f"kies uit: {', '.join(choices)}"
        self.invalid(node, path, f"{spoken(path)}: '{text}' is geen geldige waarde; {hint}")
        return None

    def group(self, node: yaml.Node, spec: Field, path: str):
        if not isinstance(node, yaml.MappingNode):
            names = ", ".join(c.name for c in spec.children)
            self.invalid(node, path, f"{spoken(path)} moet velden hebben ({names}), elk op een eigen regel")
            return None
        return GROUP_TYPES[spec.name](**self.mapping(node, spec.children, path + "."))

    def sequence(self, node: yaml.Node, spec: Field, path: str):
        if not isinstance(node, yaml.SequenceNode):
            self.invalid(node, path, f"{spoken(path)} moet een lijst zijn (regels die beginnen met '- ')")
            return None
        items = []
        for index, item in enumerate(node.value):
            item_path = f"{path}[{index}]"
            self.lines[item_path] = item.start_mark.line + LINE_OFFSET
            if spec.children:
                value = self.group(item, spec, item_path)
            else:
                value = scalar_text(item)
                if value is None or not value.strip():
                    self.invalid(item, item_path, f"{spoken(item_path)} moet een bestandsnaam zijn")
                    value = None
            if value is not None:
                items.append(value)
        return items


_INDEX: dict[int, tuple[Sequence[Field], dict[str, Field]]] = {}


@functools.lru_cache(maxsize=64)
def _folded(choices: tuple[str, ...]) -> dict[str, str]:
    return {choice.casefold(): choice for choice in choices}


def _example_left(path: str, spec: Field, text: str) -> str:
    """The message for a template example left in: what to fill in instead."""
    if spec.kind == "datum":
        return (f"{spoken(path)}: vul de datum in ({text} is het voorbeeld uit het sjabloon; "
                "schrijf bijvoorbeeld 2026-03-05)")
    return f"{spoken(path)}: '{text}' is de voorbeeldtekst uit het sjabloon; vul de echte waarde in ({spec.help})"


def _by_name(fields: Sequence[Field]) -> dict[str, Field]:
    """{name: declaration}, built once per declaration tuple (a linear search per key was a
    noticeable part of reading a large register)."""
    entry = _INDEX.get(id(fields))
    if entry is None or entry[0] is not fields:
        entry = _INDEX[id(fields)] = (fields, {f.name: f for f in fields})
    return entry[1]


def _unknown_field(name: str, known: list[str], prefix: str) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    where = f" in {spoken(prefix[:-1])}" if prefix else ""
    if close:
        return f"onbekend veld '{name}'{where}: bedoelde je '{close[0]}'?"
    return f"onbekend veld '{name}'{where}; bekende velden: {', '.join(known)}"


def _read(doc: Document, fields, categories=(), examples: Placeholders = NONE) -> tuple[dict, _Reader]:
    reader = _Reader(doc, categories, examples)
    if doc.node is None:
        return {"readable": False}, reader
    values = reader.mapping(doc.node, fields)
    present = frozenset(key.value for key, value in doc.node.value if not _empty(value))
    invalid = frozenset(f.veld for f in reader.findings if f.veld)
    return {**values, "present": present, "invalid": invalid}, reader


def read_complaint(
    doc: Document, categories: Sequence[str], examples: Placeholders = NONE
) -> tuple[Complaint, list[Finding]]:
    """`examples`: the new-complaint template's example values (placeholders.py)."""
    values, reader = _read(doc, COMPLAINT_FIELDS, categories, examples)
    complaint = Complaint(doc.rel, doc.body, doc.body_line, reader.lines, **values)
    return complaint, reader.findings + _example_text_left(complaint, examples)


def _example_text_left(c: Complaint, examples: Placeholders) -> list[Finding]:
    """The template's example paragraphs in the body. A file just made by `klachten new` has
    them (and passes check); by the time the judgement is reported (beoordeeld) the complaint's
    own text and the investigation notes are written, so from then on they are an error."""
    if not examples.body or not c.readable or reached_row(c.present)[0] < Row.BEOORDEELD:
        return []
    return [
        Finding("veld-ongeldig", f"de klachttekst bevat nog de voorbeeldtekst uit het sjabloon "
                f"('{c.body.split(chr(10))[i].strip()}'): vervang hem door de eigen tekst", c.rel, c.body_line + i)
        for i in examples.body_lines(c.body)
    ]


def read_evaluation(doc: Document, examples: Placeholders = NONE) -> tuple[Evaluation, list[Finding]]:
    values, reader = _read(doc, EVALUATION_FIELDS, examples=examples)
    _name_matches(doc, values, reader, "periode", is_half_year, HALF_YEAR_FORM)
    return Evaluation(doc.rel, doc.body, reader.lines, **values), reader.findings


def read_overview(doc: Document) -> tuple[Overview, list[Finding]]:
    values, reader = _read(doc, OVERVIEW_FIELDS)
    _name_matches(doc, values, reader, "jaar", _JAAR.fullmatch, "JJJJ, bijvoorbeeld 2025")
    return Overview(doc.rel, doc.body, reader.lines, **values), reader.findings


_JAAR = re.compile(r"[0-9]{4}")


def _name_matches(doc: Document, values: dict, reader: _Reader, name: str, has_form, form: str) -> None:
    """The period a record is for must have its form and be the file's name: the deadline of
    step 11/12 is found by it, so a typo would silently leave the duty undone."""
    value = values.get(name)
    if value is None:
        return
    stem = doc.rel.rsplit("/", 1)[-1].removesuffix(".md")
    if not has_form(value):
        message = f"{name} '{value}' heeft niet de vorm {form}"
    elif value != stem:
        message = f"{name} is {value}, maar het bestand heet {stem}.md: hernoem het bestand naar {value}.md"
    else:
        return
    line = reader.lines.get(name, 1)
    reader.findings.append(Finding("veld-ongeldig", message, doc.rel, line, veld=name))
    values[name] = None
    values["invalid"] = values["invalid"] | {name}
