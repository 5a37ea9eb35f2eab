"""When each field of a complaint was recorded, as its page shows it (SPEC 4.4).

Beside every field: "vastgelegd op <dag> door <wie>", the commit on the main line that gave
the field its present value (for a group or a list: the last of its parts to change), or
"nog niet vastgelegd" when the working tree differs from it. In the history section: every
field that had an earlier value, its values oldest first, each with its day and author.
Values shown there are masked like the findings mask them: a BSN removed from a file is
still in Git, and must not reach the site from there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import model
from ..rules.privacy import mask_personal_data
from ..rules.terugdatering import field_name
from .fieldhistory import Trails, Value, top

_PATH_PART = re.compile(r"(\d+)")
_ORDER = {spec.name: index for index, spec in enumerate(model.COMPLAINT_FIELDS)}
_SPECS = {spec.name: spec for spec in model.COMPLAINT_FIELDS}
_SINGULAR = {"afspraken": "afspraak", "bijlagen": "bijlage", "voortgang": "voortgang"}
NOT_RECORDED = "nog niet vastgelegd"


@dataclass(frozen=True)
class Shown:
    """One value of a field as the page lists it."""

    text: str
    day: str
    author: str
    commit: str


def recorded_notes(trails: Trails, working: dict[str, str] | None) -> dict[str, str]:
    """Per top-level field with a value: when (and by whom) it was recorded.

    working: the fields of the file in the working tree when it has uncommitted changes."""
    parts: dict[str, dict[str, tuple[Value, ...]]] = {}
    for path, trail in trails.items():
        parts.setdefault(top(path), {})[path] = trail
    notes = {name: _note(own) for name, own in parts.items() if any(t[-1].text for t in own.values())}
    for name in {top(path) for path in working or {}}:
        now = {p: t for p, t in (working or {}).items() if top(p) == name}
        held = {p: t[-1].text for p, t in parts.get(name, {}).items() if t[-1].text is not None}
        if now != held:
            notes[name] = NOT_RECORDED
    return notes


def _note(own: dict[str, tuple[Value, ...]]) -> str:
    last = max((trail[-1] for trail in own.values()), key=lambda v: v.commit.recorded)
    return f"vastgelegd op {last.day.isoformat()} door {last.commit.author}"


def changed_values(trails: Trails) -> list[tuple[str, list[Shown]]]:
    """Every field that had an earlier value (or lost its value): its label and its values,
    oldest first; the last is the present one."""
    changed = [path for path, trail in trails.items() if len(trail) > 1]
    return [(field_label(path), [_shown(v) for v in trails[path]]) for path in sorted(changed, key=_path_order)]


def _shown(value: Value) -> Shown:
    text = mask_personal_data(value.text) if value.text is not None else "(leeg)"
    return Shown(text, value.day.isoformat(), value.commit.author, value.commit.sha[:8])


def _path_order(path: str) -> tuple:
    pieces = tuple(int(p) if p.isdigit() else p for p in _PATH_PART.split(path))
    return (_ORDER.get(top(path), len(_ORDER)), tuple((isinstance(p, str), p) for p in pieces))


def field_label(path: str) -> str:
    """The Dutch label of a field path: 'Klager, naam', 'Afspraak 1, uiterlijk', 'Bijlage 2'."""
    spec = _SPECS.get(top(path))
    rest = path[len(top(path)) :]
    if spec is None:
        return field_name(path)
    label = spec.label
    index = re.match(r"\[(\d+)\]", rest)
    if index:
        label = f"{_SINGULAR.get(spec.name, spec.label).capitalize()} {int(index[1]) + 1}"
        rest = rest[index.end() :]
    child = next((c for c in spec.children if rest == f".{c.name}"), None)
    if child is not None:
        return f"{label}, {child.label.lower()}"
    return f"{label}{rest}" if rest else label
