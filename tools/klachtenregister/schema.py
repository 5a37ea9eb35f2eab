"""JSON Schema (draft 2020-12) of a complaint's front matter, derived from `model.py`.

Editors that know JSON Schema (VS Code with the YAML extension, for instance) can then check a
complaint file while staff type. Everything comes from the field declarations: a property per
field with its Dutch label and help text, the type per kind, the choices, the fields that are
always required, and which later fields make which earlier ones required (the same tables
`rules/velden.py` checks). The committed copy is `schema/klacht.schema.json`; `klachten schema`
prints it, and a test keeps the two equal.

What a schema cannot say is left to `klachten check`: a date that does not exist in the
calendar is caught by `format: date` only when the validator checks formats, file names,
deadlines, the order of dates, attachments and privacy are the checker's alone, and YAML turns
`yes`/`no` into booleans before any schema sees them (the checker refuses them).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from .model import COMPLAINT_FIELDS, IMPLIES, MARKERS, VOLGNUMMER, Field, Row
from .procedure import DEFAULT_CATEGORIEEN

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:klachtenregister:schema:klacht"
ISO_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def complaint_schema(categories: Sequence[str] | None = None) -> dict:
    """The schema; `categories` are procedure.yml's `categorieen` (the defaults when None)."""
    choices = tuple(categories) if categories is not None else DEFAULT_CATEGORIEEN
    always = [f.name for f in COMPLAINT_FIELDS if f.row == Row.ALTIJD and f.required]
    schema = {
        "$schema": SCHEMA_URI,
        "$id": SCHEMA_ID,
        "title": "Klachtbestand",
        "description": (
            "De velden bovenin een klachtbestand (klachten/JJJJ/JJJJ-NNN.md), tussen de regels '---'. "
            "Afgeleid van het model van het klachtenregister; 'klachten check' controleert daarnaast "
            "termijnen, volgorde van datums, bijlagen en privacy."
        ),
        "type": "object",
        "properties": {f.name: _property(f, choices, top=True) for f in COMPLAINT_FIELDS},
        "required": always,
        "additionalProperties": False,
        "dependentRequired": _dependent_required(),
        "allOf": [_letter_rule(), _agreements_rule(), _closed_rule()],
    }
    return schema


def schema_text(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def _property(spec: Field, categories: tuple[str, ...], top: bool = False) -> dict:
    # Only what is required from the start may not be empty; a later field may stand there
    # empty (`ingetrokken: null`), which the checker reads as not filled in.
    nullable = not (spec.required and (spec.row == Row.ALTIJD or not top))
    stap = f" (stap {spec.stap})" if spec.stap else ""
    prop: dict = {"title": spec.label, "description": spec.help + stap}
    prop.update(_type(spec, categories))
    if spec.name == "volgnummer" and top:
        prop["pattern"] = f"^{VOLGNUMMER.pattern}$"
    if spec.example:
        prop["examples"] = [spec.example]
    return _nullable(prop) if nullable else prop


def _type(spec: Field, categories: tuple[str, ...]) -> dict:
    if spec.kind == "datum":
        return {"type": "string", "format": "date", "pattern": ISO_DATE}
    if spec.kind == "ja/nee":
        return {"anyOf": [{"type": "boolean"}, {"enum": ["ja", "nee"]}]}
    if spec.kind == "keuze":
        return {"type": "string", "enum": list(categories if spec.name == "categorie" else spec.choices)}
    if spec.kind == "groep":
        return _object(spec, categories)
    if spec.kind == "lijst":
        items = _object(spec, categories) if spec.children else {"type": "string", "minLength": 1}
        return {"type": "array", "items": items}
    return {"type": "string", "minLength": 1}


def _object(spec: Field, categories: tuple[str, ...]) -> dict:
    return {
        "type": "object",
        "properties": {c.name: _property(c, categories) for c in spec.children},
        "required": [c.name for c in spec.children if c.required],
        "additionalProperties": False,
    }


def _nullable(prop: dict) -> dict:
    if "type" in prop:
        prop["type"] = [prop["type"], "null"]
        if "enum" in prop:
            prop["enum"] = [*prop["enum"], None]
    else:
        prop["anyOf"] = [*prop["anyOf"], {"type": "null"}]
    return prop


def _required_up_to(row: Row) -> list[str]:
    return [f.name for f in COMPLAINT_FIELDS if f.required and Row.ALTIJD < f.row <= row]


def _dependent_required() -> dict[str, list[str]]:
    """A field of a later step requires the required fields of the earlier steps (SPEC)."""
    result = {name: _required_up_to(row) for name, row in IMPLIES}
    for row, names in MARKERS:
        if len(names) == 1:  # reaching a status makes its own row required too
            result[names[0]] = [n for n in _required_up_to(row) if n != names[0]]
    return result


def _letter_rule() -> dict:
    """A complaint by letter keeps the letter: bijlagen with at least one file."""
    return {
        "if": {"properties": {"kanaal": {"const": "brief"}}, "required": ["kanaal"]},
        "then": {"required": ["bijlagen"], "properties": {"bijlagen": {"type": "array", "minItems": 1}}},
    }


def _agreements_rule() -> dict:
    """A (partly) upheld complaint is handled only with agreements made with the complainant."""
    upheld = {"oordeel": {"enum": ["gegrond", "deels-gegrond"]}}
    return {
        "if": {"properties": upheld, "required": ["oordeel", "afgehandeld"]},
        "then": {"required": ["afspraken"], "properties": {"afspraken": {"type": "array", "minItems": 1}}},
    }


def _closed_rule() -> dict:
    """Both step-9 dates set: the complaint is closed, so every required field is there."""
    names = next(names for row, names in MARKERS if row == Row.GESLOTEN)
    return {"if": {"required": list(names)}, "then": {"required": _required_up_to(Row.GESLOTEN)}}
