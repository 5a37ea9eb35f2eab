"""From front-matter nodes to typed records, driven by the declarations in `model.py`.

Wrong types, unknown choices and unknown keys become `veld-ongeldig` findings on their line
(with a suggestion for a likely typo); the value is then left out (None) so that later rules
work on what could be read. Missing fields are the business of `rules/velden.py`.
"""

from __future__ import annotations

import difflib
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
)
from .yamlsource import Document, is_null, scalar_date, scalar_text

_BOOLEANS = {"true": True, "ja": True, "false": False, "nee": False}


class _Reader:
    def __init__(self, doc: Document, categories: Sequence[str]) -> None:
        self.doc = doc
        self.categories = tuple(categories)
        self.lines: dict[str, int] = {}
        self.findings: list[Finding] = []

    def invalid(self, node: yaml.Node, path: str, message: str) -> None:
        self.findings.append(Finding("veld-ongeldig", message, self.doc.rel, self.doc.line_of(node), veld=path))

    def mapping(self, node: yaml.MappingNode, fields: Sequence[Field], prefix: str = "") -> dict:
        values: dict = {}
        known = [f.name for f in fields]
        for key, value in node.value:
            path = prefix + key.value
            self.lines[path] = self.doc.line_of(key)
            spec = next((f for f in fields if f.name == key.value), None)
            if spec is None:
                self.invalid(key, path, _unknown_field(key.value, known, prefix))
            elif not is_null(value):
                values[key.value] = self.value(value, spec, path)
        return values

    def value(self, node: yaml.Node, spec: Field, path: str):
        if spec.kind == "groep":
            return self.group(node, spec, path)
        if spec.kind == "lijst":
            return self.sequence(node, spec, path)
        text = scalar_text(node)
        if text is None:
            self.invalid(node, path, f"{path} moet één waarde zijn, geen lijst of groep")
            return None
        if spec.kind == "datum":
            value, problem = scalar_date(node)
            if problem:
                self.invalid(node, path, f"{path}: {problem}")
            return value
        if spec.kind == "ja/nee":
            if text.lower() not in _BOOLEANS:
                self.invalid(node, path, f"{path} moet true/false (of ja/nee) zijn, niet '{text}'")
                return None
            return _BOOLEANS[text.lower()]
        if spec.kind == "keuze":
            return self.choice(node, spec, path, text)
        return text

    def choice(self, node: yaml.Node, spec: Field, path: str, text: str) -> str | None:
        choices = self.categories if spec.name == CATEGORIE else spec.choices
        if text in choices:
            return text
        close = difflib.get_close_matches(text.lower(), choices, n=1, cutoff=0.6)
        hint = f"bedoelde je '{close[0]}'?" if close else f"kies uit: {', '.join(choices)}"
        self.invalid(node, path, f"{path}: '{text}' is geen geldige waarde; {hint}")
        return None

    def group(self, node: yaml.Node, spec: Field, path: str):
        if not isinstance(node, yaml.MappingNode):
            names = ", ".join(c.name for c in spec.children)
            self.invalid(node, path, f"{path} moet velden hebben ({names}), elk op een eigen regel")
            return None
        return GROUP_TYPES[spec.name](**self.mapping(node, spec.children, path + "."))

    def sequence(self, node: yaml.Node, spec: Field, path: str):
        if not isinstance(node, yaml.SequenceNode):
            self.invalid(node, path, f"{path} moet een lijst zijn (regels die beginnen met '- ')")
            return None
        items = []
        for index, item in enumerate(node.value):
            item_path = f"{path}[{index}]"
            self.lines[item_path] = self.doc.line_of(item)
            if spec.children:
                value = self.group(item, spec, item_path)
            else:
                value = scalar_text(item)
                if value is None:
                    self.invalid(item, item_path, f"{item_path} moet een bestandsnaam zijn")
            if value is not None:
                items.append(value)
        return items


def _unknown_field(name: str, known: list[str], prefix: str) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    where = f" in {prefix[:-1]}" if prefix else ""
    if close:
        return f"onbekend veld '{name}'{where}: bedoelde je '{close[0]}'?"
    return f"onbekend veld '{name}'{where}; bekende velden: {', '.join(known)}"


def _read(doc: Document, fields, categories=()) -> tuple[dict, _Reader]:
    reader = _Reader(doc, categories)
    if doc.node is None:
        return {"readable": False}, reader
    values = reader.mapping(doc.node, fields)
    present = frozenset(key.value for key, value in doc.node.value if not is_null(value))
    invalid = frozenset(f.veld for f in reader.findings if f.veld)
    return {**values, "present": present, "invalid": invalid}, reader


def read_complaint(doc: Document, categories: Sequence[str]) -> tuple[Complaint, list[Finding]]:
    values, reader = _read(doc, COMPLAINT_FIELDS, categories)
    complaint = Complaint(doc.rel, doc.body, doc.body_line, reader.lines, **values)
    return complaint, reader.findings


def read_evaluation(doc: Document) -> tuple[Evaluation, list[Finding]]:
    values, reader = _read(doc, EVALUATION_FIELDS)
    return Evaluation(doc.rel, doc.body, reader.lines, **values), reader.findings


def read_overview(doc: Document) -> tuple[Overview, list[Finding]]:
    values, reader = _read(doc, OVERVIEW_FIELDS)
    return Overview(doc.rel, doc.body, reader.lines, **values), reader.findings
