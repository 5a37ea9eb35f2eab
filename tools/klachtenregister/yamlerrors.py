"""YAML syntax errors in Dutch, for staff.

libyaml (and PyYAML's pure-Python reader, its fallback) describe a problem in English, as a
context ("while scanning a quoted scalar") and a problem ("found unexpected end of stream").
Both wordings of every problem their scanner, parser, composer and reader can raise are
matched here and told in Dutch, with what to do about it. Anything not matched still gets a
Dutch message naming the column and the character there: never libyaml's English.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import yaml

QUOTE = "zet de tekst tussen aanhalingstekens"
TAB = "een tab-teken: spring in met spaties, niet met tabs"
INDENT = "deze regel springt verkeerd in: velden van één groep beginnen even ver (met spaties)"
CHECK_SYNTAX = "controleer de inspringing (spaties), dubbele punten en aanhalingstekens"
ANCHORS = "YAML-ankers en -verwijzingen (& en *) zijn niet toegestaan"

# (pattern on "context: problem", Dutch), first match wins. Each pattern matches libyaml's
# wording and PyYAML's (which adds the character found, e.g. "but found 'x'").
_RULES: tuple[tuple[str, str], ...] = (
    (r"tab character", TAB),
    (r"directive|<document start>|incompatible YAML document|duplicate tag handle",
     f"een regel die met % begint, leest YAML als opdracht (directive); {QUOTE}"),
    (r"(anchor|alias): .*alphabetic", f"na & of * hoort de naam van een YAML-anker; {QUOTE}"),
    (r"block scalar: .*(in the range 1-9|equal to 0)",
     "na | of > mag geen 0 staan: laat het cijfer weg of gebruik 1 tot en met 9"),
    (r"block scalar: ", "na | of > mag op dezelfde regel alleen + of - en commentaar staan: "
     "begin de tekst op de volgende regel, ingesprongen"),
    (r"tag: |tag handle|tag URI|URI escape", f"tekst die met ! begint, leest YAML als tag; {QUOTE}"),
    (r"quoted scalar: found unexpected end of stream",
     "een aanhalingsteken wordt niet gesloten: sluit de tekst af met hetzelfde teken (\" of ')"),
    (r"unexpected end of stream", "niet afgesloten: een aanhalingsteken of haakje wordt niet gesloten"),
    (r"unexpected document (indicator|separator)",
     "een regel '---' of '...' binnen tekst tussen aanhalingstekens: sluit eerst het aanhalingsteken"),
    (r"unknown escape character", "een onbekende \\-code in tekst tussen dubbele aanhalingstekens: "
     "schrijf \\\\ voor een \\, of gebruik enkele aanhalingstekens"),
    (r"hexdecimal number|hexadecimal numbers|Unicode character escape",
     "na \\x, \\u of \\U horen de cijfers van een teken (in tekst tussen dubbele aanhalingstekens): "
     "schrijf \\\\ voor een \\, of gebruik enkele aanhalingstekens"),
    (r"could not find expected ':'", "een regel zonder ':' (schrijf naam: waarde; "
     "loopt tekst door op de volgende regel, zet hem dan tussen aanhalingstekens)"),
    (r"sequence entries are not allowed",
     f"een '- ' waar geen lijst kan beginnen: zet elke lijstregel op een eigen regel onder het veld, of {QUOTE}"),
    (r"mapping keys are not allowed", f"een '? ' waar dat niet kan; {QUOTE}"),
    (r"mapping values are not allowed|unexpected ':'", "een ':' waar dat niet kan; zet tekst met ': ' "
     "tussen aanhalingstekens"),
    (r"node content", "hier ontbreekt een waarde, of ze begint met een teken dat dat niet kan "
     f"(zoals , [ ] {{ }} of -); {QUOTE}"),
    (r"expected key|expected <block end>", INDENT),
    (r"expected '-' indicator", "deze regel springt verkeerd in: lijstregels beginnen met '- ' even ver"),
    (r"',' or '\]'", "een lijst tussen [ ] is niet gesloten of mist een komma"),
    (r"',' or '\}'", "een groep tussen { } is niet gesloten of mist een komma"),
    (r"alias|anchor|second occurrence", ANCHORS),
    (r"another document|single document",
     "een tweede YAML-document (een regel die met '---' begint): de front matter is één blok tussen twee regels '---'"),
)
_COMPILED = tuple((re.compile(pattern), dutch) for pattern, dutch in _RULES)
_NO_TOKEN = re.compile(r"cannot start any token")


def dutch_problem(exc: yaml.MarkedYAMLError, text: str) -> str:
    """What is wrong, in Dutch, for a `yaml` finding on the line of the problem."""
    mark = exc.problem_mark or exc.context_mark
    found = _char_at(text, mark)
    key = f"{exc.context or ''}: {exc.problem or ''}"
    if mark is not None and _unclosed_quote(text.split("\n"), mark.line) is not None:
        return ("het aanhalingsteken aan het begin van de waarde wordt op deze regel niet gesloten, maar pas "
                "verderop: sluit de tekst op deze regel af met hetzelfde teken (\" of ')")
    if mark is not None and _INDENT_PROBLEMS.search(key):
        said = indent_problem(text.split("\n"), problem_line(exc, text))
        if said:
            return said
    if _NO_TOKEN.search(key):
        return TAB if found == "\t" else f"{describe(found)} kan hier geen waarde beginnen; {QUOTE}"
    for pattern, dutch in _COMPILED:
        if pattern.search(key):
            return dutch
    where = f"kolom {mark.column + 1}, bij {describe(found)}" if mark else "onbekende plek"
    return f"de YAML is hier niet te lezen ({where}): {CHECK_SYNTAX}"


def problem_line(exc: yaml.MarkedYAMLError, text: str) -> int:
    """The 0-based line staff must fix, which is not always the line libyaml stopped on."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return 0
    opened = _unclosed_quote(text.split("\n"), mark.line)
    if opened is not None:
        return opened
    if mark.index >= len(text):
        # Found only at the end of the front matter (an unclosed quote or bracket): the line
        # where the unclosed thing starts is the one to fix, else the last line written.
        context = exc.context_mark
        return context.line if context and context.index < len(text) else text.rstrip().count("\n")
    if "document start" in (exc.problem or ""):
        # libyaml stops on the line after a stray '%...' or '...' line: point at that line; without
        # one, the front matter began with an indented line, and ended where the margin came back.
        lines = text.split("\n")[: mark.line + 1]
        stray = next((i for i in range(mark.line, -1, -1) if lines[i].startswith(("%", "..."))), None)
        return stray if stray is not None else _first_field(lines, mark.line)
    return mark.line


def _first_field(lines: list[str], default: int) -> int:
    return next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), default)


# A value that opens a quote it does not close on its line: YAML reads on, over the next lines,
# to the next such quote (often the one of a later value), and stops somewhere after it.
_OPENING = re.compile(r"\s*(?:- +)?[^\s#:'\"][^:#]*:[ \t]+([\"'])(.*)$")


def _unclosed_quote(lines: list[str], error_line: int) -> int | None:
    """The line above `error_line` whose value opens a quote that only a later line closes."""
    for i in range(min(error_line, len(lines)) - 1, -1, -1):
        match = _OPENING.match(lines[i])
        if match and not _closes(match[2], match[1]):
            between = "\n".join(lines[i + 1 : error_line])
            # YAML stopped on the line with the next such quote: that one closed this value.
            closed_there = error_line < len(lines) and match[1] in lines[error_line]
            return i if closed_there and match[1] not in between else None
    return None


def _closes(rest: str, quote: str) -> bool:
    """`rest` (after an opening quote) holds its closing quote."""
    if quote == "'":
        return "'" in rest.replace("''", "")
    return re.search(r'(?<!\\)"', rest) is not None


# --- indentation, told as what it is --------------------------------------------------------

_INDENT_PROBLEMS = re.compile(r"expected '-' indicator|mapping values are not allowed|expected key|"
                              r"expected <block end>|document start")
_KEY_LINE = re.compile(r"( *)(- +)?([^\s#:'\"-][^:#]*?):(?:[ \t]+(.*))?$")


@dataclass(frozen=True)
class _KeyLine:
    indent: int  # where the line starts ('- ' included)
    column: int  # where its key starts
    key: str
    value: str  # after the colon, without a comment
    item: bool  # the line starts a list item ('- key: ...')


def _key_line(line: str) -> _KeyLine | None:
    match = _KEY_LINE.match(line)
    if match is None:
        return None
    indent, dash, key, value = match.groups()
    value = (value or "").split(" #")[0].strip()
    return _KeyLine(len(indent), len(indent) + len(dash or ""), key.strip(), "" if value.startswith("#") else value,
                    bool(dash))


def _previous(lines: list[str], index: int) -> tuple[int, str] | None:
    """The nearest line above `index` with content (not blank, not a comment)."""
    for i in range(index - 1, -1, -1):
        if lines[i].strip() and not lines[i].lstrip().startswith("#"):
            return i, lines[i]
    return None


def _spaces(n: int) -> str:
    return "helemaal links" if n == 0 else f"{n} {'spatie' if n == 1 else 'spaties'} vanaf de kantlijn"


def indent_problem(lines: list[str], index: int) -> str | None:
    """A line that springs in wrongly, said as what it is: which line it should line up with.
    None when the line is no `naam: waarde` line or the indentation is not the problem."""
    cur = _key_line(lines[index]) if 0 <= index < len(lines) else None
    if cur is None:
        return None
    before = _previous(lines, index)
    if before is None:
        spaces = "de spatie" if cur.indent == 1 else f"de {cur.indent} spaties"
        return (f"'{cur.key}' springt in, maar een veld bovenaan begint helemaal links: haal {spaces} aan het begin "
                "van de regel weg") if cur.indent else None
    return _in_list_item(lines, index, cur) or _after_value(cur, _key_line(before[1])) or _beside(cur, before[1])


def _in_list_item(lines: list[str], index: int, cur: _KeyLine) -> str | None:
    """`cur` lies between the '- ' of the list item above and that item's first key."""
    for i in range(index - 1, -1, -1):
        item = _key_line(lines[i])
        if item is None or not lines[i].strip():
            continue
        if item.item and item.indent < cur.column and (cur.item or cur.indent < item.column):
            if cur.item:
                return (f"deze regel springt verkeerd in: een nieuw lijstonderdeel begint met '- ' recht onder de "
                        f"'- ' van het onderdeel erboven ('- {item.key}', {_spaces(item.indent)})")
            return (f"'{cur.key}' springt verkeerd in: hoort het bij het lijstonderdeel erboven ('- {item.key}'), "
                    f"zet het dan recht onder '{item.key}' ({_spaces(item.column)}); begint het een nieuw onderdeel, "
                    f"zet er dan '- ' voor, recht onder de '- ' erboven")
        if item.indent <= cur.indent and not item.item:
            return None
    return None


def _after_value(cur: _KeyLine, above: _KeyLine | None) -> str | None:
    """`cur` springs in further than the line above, which already has a value (no group)."""
    if above is None or not above.value or cur.indent <= above.column:
        return None
    return (f"'{cur.key}' springt verder in dan '{above.key}' op de regel erboven, maar '{above.key}' heeft al een "
            f"waarde: laat '{cur.key}' beginnen waar '{above.key}' begint ({_spaces(above.column)})")


def _beside(cur: _KeyLine, above_line: str) -> str | None:
    """`cur` springs in less than its neighbour above, but not back to a group's margin."""
    above = _key_line(above_line)
    if above is None or above.item or cur.indent == 0 or cur.indent >= above.column:
        return None
    return (f"'{cur.key}' springt minder ver in dan '{above.key}' op de regel erboven: velden van één groep "
            f"beginnen recht onder elkaar (met spaties)")


def dutch_reader_problem(exc: yaml.reader.ReaderError) -> str:
    """A character YAML does not accept (libyaml: 'control characters are not allowed')."""
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return f"onzichtbaar besturingsteken (#x{code:04x}); verwijder het"


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    if mark is None:
        return ""
    lines = text.split("\n")
    if mark.line >= len(lines):
        return ""
    line = lines[mark.line]
    return line[mark.column] if mark.column < len(line) else "\n"


def describe(char: str) -> str:
    """A character as staff can recognise it in a message."""
    names = {"": "het einde van de front matter", "\n": "het regeleinde", "\t": "een tab-teken", " ": "een spatie"}
    if char in names:
        return names[char]
    if unicodedata.category(char)[0] in "CZ":
        return f"het onzichtbare teken U+{ord(char):04X}"
    return f"het teken '{char}'"
