"""veld-ontbreekt: een verplicht veld van de bereikte stap ontbreekt.

Welke velden verplicht zijn hangt af van hoe ver de klacht is (de tabel 'verplichte velden
per stap'). Wie een veld van een latere stap invult, moet ook alle verplichte velden van de
eerdere stappen hebben ingevuld.

Goed:   afgehandeld: 2026-04-02   met daarboven oordeel_gemeld, behandelaar, ... ingevuld
Fout:   afgehandeld: 2026-04-02   terwijl oordeel_gemeld ontbreekt
"""

from __future__ import annotations

import re

from ..findings import Finding
from ..model import (
    COMPLAINT_FIELDS,
    EVALUATION_FIELDS,
    OVERVIEW_FIELDS,
    ROW_LABEL,
    Complaint,
    Field,
    Row,
    reached_row,
    spoken,
)

CODE = "veld-ontbreekt"

def check(ctx):
    register = ctx.register
    for c in register.complaints:
        if c.readable:
            yield from _complaint(c)
    for record, fields in [(e, EVALUATION_FIELDS) for e in register.evaluations] + [
        (o, OVERVIEW_FIELDS) for o in register.overviews
    ]:
        if record.readable:
            yield from _missing(record, fields, lambda spec: spec.required, None)


def _complaint(c: Complaint):
    row, trigger = reached_row(c.present)

    def required(spec: Field) -> bool:
        return spec.row <= row and spec.required

    yield from _missing(c, COMPLAINT_FIELDS, required, trigger or "")
    needs_afspraken = row >= Row.AFGEHANDELD and c.oordeel in ("gegrond", "deels-gegrond")
    if needs_afspraken and not c.afspraken and "afspraken" not in c.invalid:
        yield _finding(
            c,
            "afspraken",
            c.line("afgehandeld"),
            f"afspraken ontbreken: bij een {c.oordeel} oordeel horen afspraken "
            "met de klager (stap 7) voordat de klacht is afgehandeld",
        )


def _missing(record, fields, required, context):
    """Missing leaves of `fields`; groups and list items must be complete when written."""
    for spec in fields:
        value = getattr(record, spec.name)
        written = spec.name in record.present
        if spec.kind == "groep":
            # Required by the step reached: say which step; written before then: it must be complete.
            why = context if required(spec) else None
            if value is not None or required(spec):
                for child in spec.children:
                    if child.required and getattr(value, child.name, None) is None:
                        yield from _report(record, f"{spec.name}.{child.name}", child, why, record.lines.get(spec.name))
        elif spec.children and value:
            for index, item in enumerate(value):
                for child in spec.children:
                    if child.required and getattr(item, child.name) is None:
                        path = f"{spec.name}[{index}].{child.name}"
                        yield from _report(record, path, child, None, record.lines.get(f"{spec.name}[{index}]"))
        elif required(spec) and (value is None or value == []) and not (written and value):
            yield from _report(record, spec.name, spec, context, None)


def _report(record, path, spec, trigger: str | None, line: int | None):
    """`trigger`: None for records without stages, else the field that made `path` required."""
    if record.invalid and any(part in record.invalid for part in _paths_to(path)):
        return  # the field, or the group or list it is in, is already reported as veld-ongeldig
    row = _row_of(path)
    written = record.lines.get(path)  # the key is there, without a value (or only blanks)
    missing = "is leeg" if written else "ontbreekt"
    name = _named(path, spec)
    if trigger is None or row == Row.ALTIJD:
        message = f"verplicht veld {name} {missing}"
    else:
        why = f" (want {trigger} is ingevuld)" if trigger else ""
        message = f"veld {name} {missing}: verplicht zodra de klacht {ROW_LABEL[row]} is{why}"
    yield _finding(record, path, written or line or record.lines.get(trigger or "", 1), message)


def _named(path: str, spec) -> str:
    """The field as staff find it in the file, with its Dutch label only where that says more:
    'ontvangen (ontvangen op)', but 'onderwerp', 'behandelaar.naam', 'wie van afspraak 1'."""
    label, words = spec.label.lower(), re.split(r"[._\[\] ]+", path.lower())
    return spoken(path) if label in words or label == path.replace("_", " ") else f"{spoken(path)} ({label})"


def _paths_to(path: str) -> list[str]:
    """'voortgang[0].notitie' -> ['voortgang', 'voortgang[0]', 'voortgang[0].notitie']."""
    parts = re.split(r"(?=[.\[])", path)
    return ["".join(parts[: i + 1]).lstrip(".") for i in range(len(parts))]


def _row_of(path: str) -> Row:
    top = path.split(".")[0].split("[")[0]
    return next((f.row for f in COMPLAINT_FIELDS if f.name == top), Row.ALTIJD)


def _finding(record, path: str, line: int, message: str) -> Finding:
    return Finding(CODE, message, record.rel, line, getattr(record, "volgnummer", None), veld=path)
