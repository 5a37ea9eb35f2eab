"""Reading staff-written files strictly, with exact line numbers.

python-frontmatter strips text before parsing (shifting YAML error lines) and returns `{}`
for a list or an unterminated block, so the front matter is split here by hand and composed
with libyaml into nodes that keep their marks. Nothing in this module raises for a user's
mistake: every problem comes back as a `yaml` finding on the file and line where it is.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from . import safefiles
from .findings import Finding
from .model import MAANDEN
from .oserrors import os_reason
from .yamlerrors import dutch_problem, dutch_reader_problem, problem_line

try:  # libyaml's C loader is about 7x faster; fall back when PyYAML was built without it.
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader

Y = "tag:yaml.org,2002:"
NULL_TAG = Y + "null"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_SPECIAL_KEYS = {"<<": Y + "merge", "=": Y + "value"}  # refused below as not plain text


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Resolves plain scalars to null or str only.

    Nothing here reads YAML's implicit int/bool/timestamp types (values are read from their
    text, strictly, in `records`), and PyYAML's regex-per-scalar resolver is the largest cost
    of composing after libyaml itself (a third of `klachten check` on a large register).
    """

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if implicit[0]:
                if value in _NULLS:
                    return NULL_TAG
                return _SPECIAL_KEYS.get(value, Y + "str")
            return Y + "str"
        return Y + "seq" if kind is yaml.SequenceNode else Y + "map"

    def descend_resolver(self, current_node, current_index):  # no path resolvers: skip the call's work
        pass

    def ascend_resolver(self):
        pass

# Tags the implicit resolver assigns to plain scalars, plus explicit !!str; anything else
# (!!python/object, !!binary, custom !tags, merge keys) is refused.
ALLOWED_TAGS = {Y + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}

MIN_YEAR = 1000
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


# libyaml numbers lines from 0, and the front matter starts on line 2, after the opening '---'.
LINE_OFFSET = 2


@dataclass
class Document:
    """One Markdown file with YAML front matter, as read from disk."""

    rel: str  # path relative to the register root, with forward slashes
    text: str  # decoded text, BOM removed, line endings normalised to \n
    node: yaml.MappingNode | None  # the front matter; None when unreadable, or once read into a record
    body: str = ""
    body_line: int = 1  # line number (1-based) of the first body line
    problems: list[Finding] = field(default_factory=list)

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + LINE_OFFSET


def read_document(path: Path, rel: str, root: Path) -> Document:
    """The file at `path` (`rel` inside the register `root`): a link out of the register, a
    FIFO or device, or a file too large is a finding, never read (see safefiles)."""
    try:
        raw = safefiles.read_bytes(path, root)
    except safefiles.Refused as exc:
        return Document(rel, "", None, problems=[Finding("yaml", f"het bestand {exc}", rel, 1)])
    except OSError as exc:  # no permission, or vanished while reading: a finding, not a crash
        message = f"het bestand kan niet gelezen worden ({os_reason(exc)})"
        return Document(rel, "", None, problems=[Finding("yaml", message, rel, 1)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"het bestand is geen UTF-8-tekst (byte {raw[exc.start]:#04x}); sla het op als UTF-8"
        return Document(rel, "", None, problems=[Finding("yaml", message, rel, line)])
    return parse_document(text, rel)


def parse_document(text: str, rel: str) -> Document:
    text = normalized(text)
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        message = "geen front matter: het bestand moet beginnen met een regel '---'"
        return Document(rel, text, None, text, 1, [Finding("yaml", message, rel, 1)])
    end = front_matter_end(lines)
    if end is None:
        message = "front matter niet afgesloten: zet een regel '---' onder de laatste veldregel"
        return Document(rel, text, None, "", 1, [Finding("yaml", message, rel, 1)])
    node, problems = parse_yaml_text("\n".join(lines[1:end]), rel, offset=2)
    body = "\n".join(lines[end + 1 :])
    return Document(rel, text, node, body, end + 2, problems)


def normalized(text: str) -> str:
    """A file's text as staff wrote it, read the same on every system: no BOM, \n line ends."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the line that closes the front matter opened on line 0, or None."""
    return next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)


_CLOSING = re.compile(r"^(?:---|\.\.\.)\s*$", re.MULTILINE)  # a line that rstrip()s to --- or ...


def front_matter_text(text: str) -> str | None:
    """The front matter of a normalized text, found as `parse_document` finds it (without
    splitting the whole file into lines: the field history reads thousands of versions)."""
    first = text.find("\n")
    if first < 0 or text[:first].rstrip() != "---":
        return None
    closing = _CLOSING.search(text, first + 1)
    return text[first + 1 : closing.start()] if closing else None


def parse_yaml_text(text: str, rel: str, offset: int) -> tuple[yaml.MappingNode | None, list[Finding]]:
    """Compose one YAML mapping; `offset` turns libyaml's 0-based lines into file lines."""

    def problem(line: int, message: str) -> tuple[None, list[Finding]]:
        return None, [Finding("yaml", message, rel, line + offset)]

    # Cheap pre-filters; only then walk the events. Anchors and aliases are refused (an alias
    # bomb expands exponentially), and so is deep nesting, which overflows libyaml's
    # recursive composer (a segfault, not an exception).
    if "&" in text or "*" in text or _maybe_deep(text):
        found = _scan_events(text)
        if found is not None:
            return problem(*found)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return problem(problem_line(exc, text), f"ongeldige YAML: {dutch_problem(exc, text)}")
    except yaml.reader.ReaderError as exc:  # a control character: no mark, only a position
        encoded = text.encode("utf-8", "surrogatepass") if _BaseLoader is not yaml.SafeLoader else text
        line = encoded[: exc.position].count(b"\n" if isinstance(encoded, bytes) else "\n")
        return problem(line, f"ongeldige YAML: {dutch_reader_problem(exc)}")
    except yaml.YAMLError:  # pragma: no cover - libyaml marks its other errors
        return problem(0, "ongeldige YAML: de front matter is niet te lezen")
    if node is None:
        return yaml.MappingNode(Y + "map", []), []
    if not isinstance(node, yaml.MappingNode):
        return problem(
            node.start_mark.line, "de front matter moet velden bevatten (naam: waarde), geen lijst of losse tekst"
        )
    problems = [Finding("yaml", msg, rel, line + offset) for line, msg in _structure_problems(node, offset)]
    return (None if problems else node), problems


MAX_DEPTH = 32  # the model nests 3 deep; staff never need more


def _maybe_deep(text: str) -> bool:
    return text.count("[") + text.count("{") > MAX_DEPTH or _DEEP_INDENT.search(text) is not None


_DEEP_INDENT = re.compile(rf"^ {{{2 * MAX_DEPTH},}}\S", re.MULTILINE)


def _scan_events(text: str) -> tuple[int, str] | None:
    """(line, message) for the first anchor, alias or too-deep nesting; libyaml's parser is
    iterative, so this walk is safe where composing is not."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return event.start_mark.line, "YAML-ankers en -verwijzingen (& en *) zijn niet toegestaan"
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line, f"de YAML is dieper genest dan {MAX_DEPTH} niveaus"
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # compose reports the syntax error with its line
    return None


def _structure_problems(root: yaml.Node, offset: int):
    """Duplicate keys (PyYAML would silently keep the last value), complex keys, unsafe tags."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag not in ALLOWED_TAGS:
            yield node.start_mark.line, f"YAML-tag {node.tag!r} is niet toegestaan"
            continue
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag not in ALLOWED_TAGS:
                    yield key.start_mark.line, "een veldnaam moet gewone tekst zijn"
                    continue
                line = key.start_mark.line
                if key.value in seen:
                    yield (
                        line,
                        (
                            f"veld '{key.value}' staat dubbel (eerder op regel {seen[key.value] + offset}); "
                            "YAML bewaart alleen de laatste waarde: voeg ze samen"
                        ),
                    )
                else:
                    seen[key.value] = line
                stack.append(value)


def scalar_text(node: yaml.Node) -> str | None:
    """The text of a scalar; None for null/empty or for a list or mapping."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == NULL_TAG:
        return None
    return node.value.strip()


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG


def scalar_date(node: yaml.Node) -> tuple[date | None, str | None]:
    """Read an ISO date strictly: (date, None) or (None, Dutch problem)."""
    text = scalar_text(node)
    if text is None:
        return None, "moet een datum zijn (JJJJ-MM-DD)"
    return parse_date(text)


@functools.lru_cache(maxsize=8192)  # a register repeats the same few thousand days
def parse_date(text: str) -> tuple[date | None, str | None]:
    """`scalar_date` for a scalar's text."""
    if _ISO_DATE.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return None, f"de datum {text} bestaat niet"
        if day.year < MIN_YEAR:  # a typo (0226 for 2026); periods and volgnummers need four digits
            return None, f"de datum {text} ligt voor het jaar {MIN_YEAR}: schrijf het jaar in vier cijfers"
        return day, None
    dutch = _DUTCH_DATE.fullmatch(text)
    if dutch:
        day, month, year = (int(g) for g in dutch.groups())
        try:
            meant = date(year, month, day)
        except ValueError:
            return None, f"'{text}' is geen geldige datum; schrijf datums als JJJJ-MM-DD"
        name = MAANDEN[month - 1]
        return None, (f"schrijf datums als JJJJ-MM-DD: bedoel je {meant.isoformat()} ({day} {name} {year})?")
    if text.upper() == "JJJJ-MM-DD":  # the example of a template, left in
        return None, "vul de datum in: JJJJ-MM-DD staat er nog als voorbeeld (schrijf bijvoorbeeld 2026-03-05)"
    return None, f"'{text}' is geen datum; schrijf datums als JJJJ-MM-DD"
