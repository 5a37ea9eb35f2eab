"""The model is declared once: the field table and the record types say the same thing."""

from __future__ import annotations

import dataclasses
import typing
from datetime import date

import pytest

from klachtenregister import model

# Bookkeeping of a record that is not a front-matter field.
BOOKKEEPING = {"rel", "body", "body_line", "lines", "present", "invalid", "readable", "salvaged"}
KIND_TYPE = {"tekst": str, "keuze": str, "datum": date, "ja/nee": bool}
RECORDS = [
    (model.Complaint, model.COMPLAINT_FIELDS),
    (model.Evaluation, model.EVALUATION_FIELDS),
    (model.Overview, model.OVERVIEW_FIELDS),
]


def declared_type(spec: model.Field) -> object:
    """The Python type a field of this kind and shape is read into."""
    if spec.kind == "groep":
        return model.GROUP_TYPES[spec.name]
    if spec.kind == "lijst":
        return list[model.GROUP_TYPES[spec.name]] if spec.children else list[str]
    return KIND_TYPE[spec.kind]


def record_fields(cls) -> dict[str, object]:
    """name -> type of a record dataclass, `X | None` unwrapped."""
    hints = typing.get_type_hints(cls)
    out = {}
    for f in dataclasses.fields(cls):
        if f.name in BOOKKEEPING:
            continue
        args = [a for a in typing.get_args(hints[f.name]) if a is not type(None)]
        out[f.name] = args[0] if len(args) == 1 else hints[f.name]
    return out


@pytest.mark.parametrize(("cls", "fields"), RECORDS, ids=lambda x: getattr(x, "__name__", ""))
def test_the_field_table_and_the_record_agree_field_for_field(cls, fields):
    assert list(record_fields(cls)) == [spec.name for spec in fields]
    assert record_fields(cls) == {spec.name: declared_type(spec) for spec in fields}


@pytest.mark.parametrize("spec", [s for _c, fs in RECORDS for s in fs if s.children], ids=lambda s: s.name)
def test_every_group_type_has_exactly_its_declared_children(spec):
    assert record_fields(model.GROUP_TYPES[spec.name]) == {c.name: declared_type(c) for c in spec.children}


def test_every_status_marker_and_implied_row_names_a_declared_field():
    names = {spec.name for spec in model.COMPLAINT_FIELDS}
    assert {m for s in model.STATUSES for m in s.markers} <= names
    assert [row for row, _names in model.MARKERS] == sorted(row for row, _names in model.MARKERS)


@pytest.mark.parametrize(
    ("filled", "status"),
    [
        ({}, "ontvangen"),
        ({"bevestigd": date(2026, 3, 3)}, "bevestigd"),
        ({"behandelaar": model.Behandelaar(naam="Piet")}, "in behandeling"),
        ({"behandelaar": model.Behandelaar()}, "ontvangen"),
        ({"oordeel_gemeld": date(2026, 3, 9)}, "beoordeeld"),
        ({"afgehandeld": date(2026, 3, 9)}, "afgehandeld"),
        ({"klantdossier_bijgewerkt": date(2026, 3, 9)}, "ontvangen"),
        ({"klantdossier_bijgewerkt": date(2026, 3, 9), "opdrachtgever_geinformeerd": date(2026, 3, 10)}, "gesloten"),
        ({"afgehandeld": date(2026, 3, 9), "ingetrokken": date(2026, 3, 10)}, "ingetrokken"),
    ],
)
def test_the_status_is_the_latest_reached(filled, status):
    c = model.Complaint("klachten/2026/2026-001.md", "", 1, {}, **filled)
    assert c.status == status
    assert c.is_open == (status not in ("gesloten", "ingetrokken"))
