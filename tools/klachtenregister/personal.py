"""Personal data the register must not hold: BSN, IBAN, birth date. Found, and masked.

`find` is what the `privacy` rule reports; `mask` is the one masking function every writer
applies at its output boundary (check's messages in every format and the job summary, the
site's pages and so its findings and search index, the PDF, the CSV, error messages), so a
number that is reported on its own line is never repeated whole by another message about the
same value ("'111222333' is geen datum") or on a page.

Every pattern runs in linear time: bounded repetitions, and possessive quantifiers where a
run of spaces could otherwise be tried at every split (`geboortedatum` followed by 100,000
spaces took 63 s with `\\s*:?\\s*`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

PATTERNS = ("bsn", "iban", "geboortedatum")

# A BSN: nine digits, also in groups 123-456-789, 123.456.789, 123 456 789 or 1234.56.789,
# not part of a longer number. The first digit is matched before the look-behind (instead of a
# leading look-behind or \b), so that `re` can skip ahead to candidates.
_BSN = re.compile(
    r"\d(?<![\d.]\d)(?:\d{8}|\d{2}([-. ])\d{3}\1\d{3}|\d{3}([-. ])\d{2}\2\d{3})(?!\d)"
)
# An IBAN: two capitals starting a word, two check digits, groups of four.
_IBAN = re.compile(r"([A-Z](?<!\w[A-Z])[A-Z]\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?)\b")
_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|maa|apr|jun|jul|aug|sept|sep|okt|nov|dec"
)
_DATE = rf"\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[-/. ]\d{{1,2}}[-/. ]\d{{2,4}}|\d{{1,2}}\s++(?:{_MONTHS})\.?\s++\d{{4}}"
# "geboren op 3 mei 1980", "geboortedatum: 03-05-1980", "geb. 3-5-1980", "geboren 1980-05-03".
# The literal `geb` first, the word boundary checked behind it: `re` skips ahead to candidates.
_BIRTH = re.compile(
    rf"geb(?<![^\W\d_]geb)(?:oren(?:\s++(?:op|in))?|oortedatum|\.)?(?:\s*+[:=])?\s*+(?P<date>{_DATE})(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Found:
    kind: str  # one of PATTERNS
    start: int
    end: int
    shown: str  # the value masked, for messages


def elfproef(digits: str) -> bool:
    if len(digits) != 9 or not digits.isdigit() or digits == "0" * 9:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def iban_valid(text: str) -> bool:
    compact = text.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def find(text: str, patterns: Iterable[str] = PATTERNS) -> Iterator[Found]:
    """Every BSN (passing the elfproef), IBAN (valid check digits) and birth date in `text`,
    for the enabled `patterns`, in the order of the patterns."""
    if "bsn" in patterns:
        for match in _BSN.finditer(text):
            digits = re.sub(r"\D", "", match.group())
            if elfproef(digits):
                yield Found("bsn", match.start(), match.end(), mask_value(digits))
    if "iban" in patterns:
        for match in _IBAN.finditer(text):
            if iban_valid(match.group(1)):
                yield Found("iban", match.start(1), match.end(1), mask_value(match.group(1).replace(" ", "")))
    if "geboortedatum" in patterns:
        for match in _BIRTH.finditer(text):
            yield Found("geboortedatum", match.start("date"), match.end("date"), _blank(match.group("date")))


def mask_value(value: str, star: str = "*") -> str:
    """'111222333' -> '11*****33': enough to recognise it in the file, not to use it."""
    return value[:2] + star * (len(value) - 4) + value[-2:]


def _blank(value: str, star: str = "*") -> str:
    return "".join(star if ch.isalnum() else ch for ch in value)


def mask(text: str, patterns: Iterable[str] = PATTERNS, star: str = "*") -> str:
    """`text` with every BSN, IBAN and birth date masked. star: what stands for a hidden
    character (on a Markdown page "&#42;", which no Markdown reads as emphasis)."""
    if not text:
        return text
    found = sorted(find(text, tuple(patterns)), key=lambda f: f.start)
    if not found:
        return text
    out, done = [], 0
    for item in found:
        if item.start < done:  # overlaps one already masked
            continue
        value = text[item.start : item.end]
        hidden = _blank(value, star) if item.kind == "geboortedatum" else mask_value(_compact(value), star)
        out += [text[done : item.start], hidden]
        done = item.end
    return "".join(out) + text[done:]


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value)


def mask_page(text: str, patterns: Iterable[str] = PATTERNS) -> str:
    """`mask` for a generated Markdown/HTML page: the star as an entity."""
    return mask(text, patterns, star="&#42;")
