"""The history of every field: which value each version on the main line held, and since when.

The main line is the first-parent line of HEAD: a value reached it in the commit that brought
it in, which for a merged pull request is its merge. The one pass over the history
(`history.py`) names, for each commit, the blob of every record file it wrote; those blobs are
read with one `git cat-file --batch` and compared version after version, oldest first.

Reading thousands of versions must stay cheap: a version is cut into its top-level fields
(each a line `naam:` at the start of a line, with the lines below it), and each field's text
is composed once: the next version of a file repeats most of them word for word. A version
whose shape is unusual is composed whole; one that cannot be read (broken YAML in an old
commit) is left out, and the versions around it still count.

Values are compared as their text (`klager.naam`, `afspraken[0].uiterlijk`, the same paths
as the records' lines); an empty field counts as not filled in, as everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

import yaml

from ..yamlsource import front_matter_text, normalized, parse_yaml_text, scalar_text

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
RECORD_FILE = re.compile(r"klachten/[^/]+/[^/]+\.md")
_KEY_LINE = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.-]*)[ \t]*:(?:[ \t\n]|$)")
_SIMPLE = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_-]*):[ \t]+(\w[\w .,/()+-]*?)\s*")
# A line at the start of the front matter's lines that is not blank, a comment or a list item
# ("- "): the start of a top-level field.
_FIELD_START = re.compile(r"^(?:[^ \t\n#-]|-[^ \t\n])", re.MULTILINE)
_ONLY_COMMENTS = re.compile(r"(?:[ \t]*(?:#[^\n]*)?(?:\n|$))*")
_NULLS = frozenset(("null", "Null", "NULL"))  # the words yamlsource reads as empty
_TOP = re.compile(r"[^.\[]+")


class Recorded(Protocol):
    """What the field history needs of a commit (`history.Commit`)."""

    sha: str
    author: str
    recorded: datetime | None


@dataclass(frozen=True, slots=True)
class Value:
    """A field's value as it reached the main line; text None: emptied or removed."""

    text: str | None
    commit: Recorded

    @property
    def day(self) -> date | None:
        """The day it was recorded (the committer date), in Europe/Amsterdam like "today"."""
        stamp = self.commit.recorded
        return stamp.astimezone(AMSTERDAM).date() if stamp else None


Trails = dict[str, tuple[Value, ...]]  # field path -> its values, oldest first; the last is HEAD's
Version = tuple[Recorded, str]  # a commit of the main line and the blob it wrote


class LoggedCommit(Protocol):
    """A commit of the log with the files it changed (`history.Entry`)."""

    commit: Recorded
    changes: tuple[tuple[str, str, str, str | None], ...]


def is_record(rel: str) -> bool:
    """A complaint, evaluation or annual record file (README.md files are notes)."""
    return RECORD_FILE.fullmatch(rel) is not None and not rel.lower().endswith("/readme.md")


def record_versions(main_line: Iterable[LoggedCommit], prefix: str = "") -> dict[str, list[Version]]:
    """Every version of every record file that exists at HEAD, oldest first, following renames.

    main_line: the commits of the first-parent line, newest first, each with the files it
    changed against its first parent. Walking back, a rename `old -> new` makes the older
    versions of `old` count for the file's present name; once a file's creation is passed,
    older versions under that name belonged to another file."""
    current: dict[str, str] = {}  # an older path -> its name at HEAD
    closed: set[str] = set()  # files whose creation (or deletion) has been passed
    versions: dict[str, list[Version]] = {}
    for entry in main_line:
        for status, blob, path, old in entry.changes:
            name = current.get(path, path)
            if old is not None and status[0] == "R":
                current[old] = name
            if name in closed or not name.startswith(prefix) or not is_record(name[len(prefix) :]):
                continue
            if status[0] != "D" and blob.strip("0"):
                versions.setdefault(name[len(prefix) :], []).append((entry.commit, blob))
            if status[0] in "ADC":
                closed.add(name)
    for found in versions.values():
        found.reverse()
    return versions


def field_trails(versions: dict[str, list[Version]], contents: Iterable[bytes | None]) -> dict[str, Trails]:
    """The trails of every record file. `contents`: the blob of every version, in the order of
    `versions` (files, then versions oldest first), read as git sends them: one file's
    versions at a time are held, never all of them."""
    reader = VersionReader()
    stream = iter(contents)
    return {rel: trails((commit, reader.fields(next(stream, None))) for commit, _blob in found)
            for rel, found in versions.items()}


Parts = tuple[tuple[str, str], ...]  # (path, text) of one top-level field
Fields = dict[str, tuple["str | None", Parts]]  # top-level name -> (its text in the file, or None; its parts)


def trails(versions: Iterable[tuple[Recorded, Fields | None]]) -> Trails:
    """Per field, each value with the commit that brought it in; unreadable versions skipped.
    A top-level field whose text did not change since the previous version is not looked into."""
    last: dict[str, str | None] = {}
    found: dict[str, list[Value]] = {}
    before: Fields = {}
    for commit, fields in versions:
        if fields is None:
            continue
        for name, (text, parts) in fields.items():
            old = before.get(name)
            if old is None or text is None or old[0] is not text:  # the reader shares a text once read
                _compare(parts, old[1] if old else (), last, found, commit)
        for name in before.keys() - fields.keys():
            _compare((), before[name][1], last, found, commit)
        before = fields
    return {path: tuple(values) for path, values in found.items()}


def _compare(parts: Parts, old: Parts, last: dict, found: dict, commit: Recorded) -> None:
    for path, text in parts:
        if last.get(path) != text:
            found.setdefault(path, []).append(Value(text, commit))
            last[path] = text
    present = {path for path, _text in parts}
    for path, _text in old:
        if path not in present and last.get(path) is not None:
            found[path].append(Value(None, commit))
            last[path] = None


class VersionReader:
    """Reads versions of record files, composing each distinct top-level field once (see the
    module's docstring)."""

    def __init__(self) -> None:
        self.blocks: dict[str, tuple[str, Parts | None]] = {}

    def fields(self, data: bytes | str | None) -> Fields | None:
        """The top-level fields of one version; None when it cannot be read."""
        text = _front_matter(data)
        if text is None:
            return None
        blocks = split_fields(text)
        if blocks is None:
            return _read_whole(text)
        fields: Fields = {}
        for name, block in blocks:
            entry = self.blocks.get(block)
            if entry is None:
                entry = self.blocks[block] = (block, _read(block))
            if entry[1] is None:  # this field alone does not compose: let the whole version decide
                return _read_whole(text)
            fields[name] = entry  # one object per distinct text: compared by identity, held once
        return fields

    def leaves(self, data: bytes | str | None) -> dict[str, str] | None:
        """{field path: text} of one version; None when it cannot be read."""
        fields = self.fields(data)
        return None if fields is None else {path: text for _t, parts in fields.values() for path, text in parts}


def _front_matter(data: bytes | str | None) -> str | None:
    if data is None:
        return None
    try:
        return front_matter_text(normalized(data.decode("utf-8") if isinstance(data, bytes) else data))
    except UnicodeDecodeError:
        return None


def split_fields(text: str) -> list[tuple[str, str]] | None:
    """(name, text) of each top-level field (its line and the lines below it), or None when the
    front matter has a shape this simple cut may not read as YAML would (compose it whole)."""
    starts = [match.start() for match in _FIELD_START.finditer(text)]
    if not _ONLY_COMMENTS.fullmatch(text, 0, starts[0] if starts else len(text)):
        return None  # content before the first field
    names = []
    for start in starts:
        match = _KEY_LINE.match(text, start)
        if match is None:
            return None  # not a plain field name
        names.append(match[1])
    if len(set(names)) < len(names):
        return None  # a duplicate field: refused when composed whole
    ends = [*starts[1:], len(text)]
    return [(name, text[start:end]) for name, start, end in zip(names, starts, ends, strict=True)]


def _read(text: str) -> Parts | None:
    """The parts of one field's text; a plain one-line value is read without YAML (the same
    text YAML would give: no quotes, comment, colon or special character in it)."""
    simple = _SIMPLE.fullmatch(text)
    if simple:
        return () if simple[2] in _NULLS else ((simple[1], simple[2]),)
    node, _problems = parse_yaml_text(text, "", 0)
    return None if node is None else tuple(flatten(node))


def _read_whole(text: str) -> Fields | None:
    node, _problems = parse_yaml_text(text, "", 0)
    if node is None:
        return None
    fields: dict[str, list[tuple[str, str]]] = {}
    for path, text in flatten(node):
        fields.setdefault(top(path), []).append((path, text))
    return {name: (None, tuple(parts)) for name, parts in fields.items()}


def top(path: str) -> str:
    """The top-level field of a path: `klager` for `klager.naam`, `afspraken` for `afspraken[0].wat`."""
    return _TOP.match(path)[0] if _TOP.match(path) else path


def flatten(node: yaml.Node, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) for every filled-in value: `klager.naam`, `afspraken[0].wat`, `bijlagen[1]`."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from flatten(value, f"{path}.{key.value}" if path else key.value)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from flatten(item, f"{path}[{index}]")
    else:
        text = scalar_text(node)
        if text:
            yield path, text


def current(trail: tuple[Value, ...] | None) -> Value | None:
    """The value at HEAD and the commit that brought it in, or None when empty there."""
    return trail[-1] if trail and trail[-1].text is not None else None
