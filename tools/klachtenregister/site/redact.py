"""Removing people from the free text of evaluation and annual pages (SPEC section 3).

Staff write the minutes and actions of an evaluation, and may name a complainant out of
habit: "mevrouw Klaagstra", "dhr. Mopperman (klantnr K9876)", "en Zwaantje". Every
distinctive part of a known name is therefore removed on its own as well as the whole name:
first names and surnames (with and without tussenvoegsel), never a tussenvoegsel alone, an
initial or a part shorter than three letters. Klantnummers are recognised in any spelling
(case and separators ignored: K-9876, K9876, k 9876, K.9876) and by their digits alone
when there are at least four.

Matching works on words, not on one regex per name: the text is cut into words (runs of
letters or of digits), each folded (case, accents), and from every word a trie of the known
phrases (one dictionary per word position) is followed as far as the text's words go. The
longest phrase whose words follow each other with only spaces, line breaks, dots, hyphens or
apostrophes between them wins. A register of 10,000 complaints costs one trie, and a text
about one dictionary lookup per word, however many names share a first name.

Staff names are kept on evaluation pages: a staff member's full name, as written in the
register, is a phrase that wins over the complainant's name parts inside it ("Jan de Vries"
stays when a complainant is called Jan), unless it contains a complainant's surname or is a
complainant's name itself; then the complainant's privacy wins.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Complaint
from ..register import Register

NAAM_WEG = "[naam weggelaten]"
KLANTNUMMER_WEG = "[klantnummer weggelaten]"
MIN_PART = 3  # shorter name parts ("Li", "Wu") would match ordinary words; the whole name still counts
MIN_BARE_DIGITS = 4  # "K-12" is only removed in full; "9876" also on its own
# Folded, as the tokenizer cuts them: "'t" and "d'" are the words "t" and "d".
TUSSENVOEGSELS = frozenset({
    "de", "der", "den", "het", "t", "s", "van", "von", "vom", "ten", "ter", "te", "in", "op", "aan",
    "bij", "onder", "over", "uit", "voor", "tot", "la", "le", "les", "du", "da", "dos", "das", "del",
    "della", "di", "des", "el", "zu", "zum", "zur", "d", "l",
})  # fmt: skip

NAME, NUMBER, BARE_NUMBER, KEEP = "naam", "klantnummer", "cijfers", "houden"
REPLACEMENT = {NAME: NAAM_WEG, NUMBER: KLANTNUMMER_WEG, BARE_NUMBER: KLANTNUMMER_WEG}

# Invisible characters (soft hyphen, zero-width space and joiners, word joiner, BOM: Unicode's
# format characters) may sit inside a name ("Klaag\u00adstra") without a reader seeing them.
_INVISIBLE = "".join(
    chr(c) for c in (*range(0x80, 0x10000), *range(0xE0000, 0xE0080)) if unicodedata.category(chr(c)) == "Cf"
)
_WORD = re.compile(rf"[^\W\d_](?:[^\W\d_]|[{_INVISIBLE}])*+|\d(?:\d|[{_INVISIBLE}])*+")  # "K9876": two words
_GAP = re.compile(rf"[\s'’‘.\-–_/#:{_INVISIBLE}]*")  # what may stand between the words of one name or number
_ASIDE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")  # "T. Onpartijdig (externe klachtbehandelaar)"
_APOSTROPHES = "'’‘"

Phrase = tuple[str, ...]
_KIND = ""  # the trie's key for "a phrase ends here" (no word is empty)


def fold(word: str) -> str:
    """Case and accents ignored: "Zoë", "ZOE" and "zoe" are one word."""
    decomposed = unicodedata.normalize("NFKD", word)
    kept = (ch for ch in decomposed if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf")
    return "".join(kept).casefold()


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) of every word of `text`."""
    return [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]


# --- what to look for --------------------------------------------------------------------


@dataclass(frozen=True)
class NameParts:
    """The phrases that identify one person, and the words of their surname."""

    phrases: frozenset[Phrase]
    family: frozenset[str]


def name_parts(name: str) -> NameParts:
    """Whole name, surname with its tussenvoegsels, and every distinctive word on its own."""
    text = _ASIDE.sub(" ", unicodedata.normalize("NFC", name))
    if "," in text:  # "Klaagstra, Zwaantje": surname first
        family_text, _, given_text = text.partition(",")
        text = f"{given_text} {family_text}"
    parts = words(text)
    tokens = tuple(w for _, _, w in parts)
    family = _family(text)
    phrases = {p for p in (tokens, family) if sum(map(len, p)) >= MIN_PART}
    for index, (_, end, word) in enumerate(parts):
        if _distinctive(word, text[end : end + 1]):
            phrases |= _with_tussenvoegsels(tokens, index)
    phrases |= {p[:-1] + (p[-1] + "s",) for p in phrases}  # the possessive: "Jansens klacht"
    return NameParts(frozenset(phrases), frozenset(family) - TUSSENVOEGSELS)


def whole_phrases(name: str) -> set[Phrase]:
    """A name as written, and without its aside in brackets."""
    name = unicodedata.normalize("NFC", name)
    found = {tuple(w for _, _, w in words(name)), tuple(w for _, _, w in words(_ASIDE.sub(" ", name)))}
    return found - {()}


def _distinctive(word: str, after: str) -> bool:
    """Not an initial ("G."), not a tussenvoegsel, not shorter than MIN_PART."""
    return len(word) >= MIN_PART and word not in TUSSENVOEGSELS and after != "." and not word.isdigit()


def _with_tussenvoegsels(tokens: Phrase, index: int) -> set[Phrase]:
    """The word alone and with the tussenvoegsels before it: "Berg", "der Berg", "van der Berg"."""
    found = {tokens[index : index + 1]}
    first = index
    while first > 0 and tokens[first - 1] in TUSSENVOEGSELS:
        first -= 1
        found.add(tokens[first : index + 1])
    return found


def _family(text: str) -> Phrase:
    """The surname: from the first later word that is a tussenvoegsel or hyphenated ("Anna
    Jansen-de Vries", "Jan van der Berg"), else the last word."""
    chunks = text.split()
    start = len(chunks) - 1
    for index, chunk in enumerate(chunks[1:], start=1):
        if "-" in chunk or fold(chunk.strip(_APOSTROPHES)) in TUSSENVOEGSELS:
            start = index
            break
    return tuple(w for _, _, w in words(" ".join(chunks[max(start, 0) :])))


def number_phrases(klantnummer: str) -> dict[Phrase, str]:
    """The number in any spelling, and its digits alone when there are at least four."""
    tokens = tuple(w for _, _, w in words(klantnummer))
    digits = tuple(w for w in tokens if w.isdigit())
    result: dict[Phrase, str] = {}
    if sum(map(len, digits)) >= MIN_BARE_DIGITS:
        result[digits] = BARE_NUMBER
    if sum(map(len, tokens)) >= MIN_PART and tokens != digits:
        result[tokens] = NUMBER
    elif tokens == digits and len(digits) and sum(map(len, digits)) >= MIN_PART:
        result[digits] = BARE_NUMBER  # digits only: a date or volgnummer around it is not the number
    return result


# --- the redactor ------------------------------------------------------------------------


class Redactor:
    """Replaces complainants' (and on annual pages also staff's) names and klantnummers."""

    def __init__(self, names: Iterable[str], numbers: Iterable[str], keep: Iterable[str] = ()) -> None:
        self._trie: dict = {}  # word -> {next word -> ..., _KIND: the kind of the phrase ending here}
        for phrase, kind in _phrases(names, numbers, keep).items():
            node = self._trie
            for word in phrase:
                node = node.setdefault(word, {})
            node[_KIND] = kind

    @classmethod
    def for_evaluations(cls, register: Register) -> Redactor:
        """Complainants and UWV contacts removed; staff named in the register kept."""
        names, numbers = complainants(register)
        return cls(names, numbers, keep=staff(register))

    @classmethod
    def for_annual(cls, register: Register) -> Redactor:
        """Everyone the register names removed, staff included: the page goes to UWV."""
        names, numbers = complainants(register)
        return cls(names | staff(register), numbers)

    def redact(self, text: str) -> tuple[str, int]:
        """The text with every match replaced, and how many were replaced.

        Names are looked for in the text as written and in the text as a reader sees it once
        Markdown and HTML are rendered (`visible`): `Klaag**stra**`, `Klaag&#115;tra` or
        `Klaag<b>stra</b>` read "Klaagstra". What either finds is removed from the text."""
        text = unicodedata.normalize("NFC", text)
        spans = self._spans(text)
        shown, starts, ends = visible(text)
        if shown != text:
            spans += [(starts[a], ends[b - 1], kind) for a, b, kind in self._spans(shown)]
        out, done, removed = [], 0, 0
        for start, end, kind in _merged(spans):
            out += [text[done:start], REPLACEMENT[kind]]
            done, removed = end, removed + 1
        return "".join(out) + text[done:], removed

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, kind) of every phrase to remove; a staff name kept is skipped whole."""
        found = words(text)
        spans, index = [], 0
        while index < len(found):
            hit = self._match(text, found, index)
            if hit is None:
                index += 1
                continue
            length, kind = hit
            if kind != KEEP:
                spans.append((*self._span(text, found, index, length), kind))
            index += length
        return spans

    def _match(self, text: str, found: list[tuple[int, int, str]], index: int) -> tuple[int, str] | None:
        """The longest known phrase starting at word `index`: (its length in words, its kind)."""
        best, node, at = None, self._trie, index
        while at < len(found) and found[at][2] in node:
            if at > index and not _GAP.fullmatch(text, found[at - 1][1], found[at][0]):
                break
            node = node[found[at][2]]
            kind = node.get(_KIND)
            if kind and not (kind == BARE_NUMBER and _inside_other_number(text, found[index][0], found[at][1])):
                best = at - index + 1, kind
            at += 1
        return best

    @staticmethod
    def _span(text: str, found: list[tuple[int, int, str]], index: int, length: int) -> tuple[int, int]:
        start, end = found[index][0], found[index + length - 1][1]
        if start and text[start - 1] in _APOSTROPHES and found[index][2] in ("t", "s"):
            start -= 1  # "'t Hart" goes as a whole
        return start, end


def _merged(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping spans as one (a name wins over a number), in text order."""
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(spans):
        if merged and start < merged[-1][1]:
            first, last, was = merged[-1]
            merged[-1] = (first, max(last, end), NAME if NAME in (was, kind) else was)
        else:
            merged.append((start, end, kind))
    return merged


# What a reader does not see of Markdown and HTML: emphasis and code marks, backslash escapes,
# tags (shown as text by the site, but read past by the eye), invisible characters; entities
# are read as the character they stand for.
_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,31});"
_MARKUP = re.compile(rf"[*_~`\\{_INVISIBLE}]+|<[^<>\n]{{0,200}}>|{_ENTITY}")


def visible(text: str) -> tuple[str, list[int], list[int]]:
    """The text as a reader sees it, and for each of its characters where it starts and ends
    in `text` (an entity's character spans the whole entity)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    done = 0
    for match in _MARKUP.finditer(text):
        _keep(text, done, match.start(), out, starts, ends)
        piece = match.group()
        if piece.startswith("&"):
            char = html.unescape(piece)
            if char != piece:
                out.append(char)
                starts += [match.start()] * len(char)
                ends += [match.end()] * len(char)
            else:  # not an entity after all: kept as written
                _keep(text, match.start(), match.end(), out, starts, ends)
        done = match.end()
    _keep(text, done, len(text), out, starts, ends)
    return "".join(out), starts, ends


def _keep(text: str, start: int, end: int, out: list[str], starts: list[int], ends: list[int]) -> None:
    out.append(text[start:end])
    starts += range(start, end)
    ends += range(start + 1, end + 1)


def _phrases(names: Iterable[str], numbers: Iterable[str], keep: Iterable[str]) -> dict[Phrase, str]:
    """Every phrase to look for, with its kind. A complainant's name wins over a number and
    over a staff name; a staff name holding a complainant's surname is not kept."""
    kinds: dict[Phrase, str] = {}
    family: set[str] = set()
    for name in names:
        parts = name_parts(name)
        kinds.update(dict.fromkeys(parts.phrases, NAME))
        family |= parts.family
    for number in numbers:
        for phrase, kind in number_phrases(number).items():
            kinds.setdefault(phrase, kind)
    for phrase in {p for name in keep for p in whole_phrases(name)}:
        if phrase not in kinds and not family & set(phrase):
            kinds[phrase] = KEEP
    return kinds


def _inside_other_number(text: str, start: int, end: int) -> bool:
    """Digits glued to more digits by - or . are a volgnummer or a date (2026-001, 1.2.2026)."""
    return bool(re.search(r"\d[-.]$", text[max(0, start - 2) : start]) or re.match(r"[-.]\d", text[end : end + 2]))


# --- who the register names --------------------------------------------------------------

# "klager", "klantnummer" and their typos ("klagr", "klantnr"), "naam" and "name": key, value.
# Possessive quantifiers and one line at a time: linear, however long the line.
_LOOSE = re.compile(r"([ \t-]*+)(kla\w*+|naam|name)[ \t]*+:(.*)", re.IGNORECASE)
_KEY_LINE = re.compile(r"[ \t-]*+[\w.-]++[ \t]*+:(?:[ \t]|$)")
MAX_CONTINUATION = 5  # lines a broken value may run on ("naam: 'Anna" / "  Jansen'")


def loose_values(text: str) -> list[tuple[str, str]]:
    """(key, value) of every line that looks like `klager:`, `naam:` or `klantnummer:` (or a
    typo of them), with the more-indented lines after it that are no field of their own: a
    quoted or block value that spans lines, in a file YAML cannot read."""
    lines = text.split("\n")
    found = []
    for index, line in enumerate(lines):
        match = _LOOSE.match(line)
        if not match:
            continue
        indent = len(match.group(1))
        parts = [match.group(3)]
        for following in lines[index + 1 : index + 1 + MAX_CONTINUATION]:
            depth = len(following) - len(following.lstrip(" \t"))
            if not following.strip() or depth <= indent or _KEY_LINE.match(following):
                break
            parts.append(following)
        found.append((match.group(2), _loose_value(" ".join(parts))))
    return found


def _loose_value(text: str) -> str:
    """A value as written, without comment, quotes or block-scalar sign."""
    text = re.sub(r"(?:^|[ \t])#.*", "", text)  # a comment (the whole value when it starts with #)
    text = " ".join(text.split())
    if text[:1] in ("|", ">"):  # a block scalar: its sign, chomping and indentation digits
        text = text[1:].lstrip("+-0123456789 ")
    return text.strip("'\" ")


def complainants(register: Register) -> tuple[set[str], set[str]]:
    """Names of complainants and UWV contacts, and klantnummers.

    A complaint without a readable `klager.naam` (front matter or `klager` group unreadable,
    a misspelt key) still names its complainant somewhere: its `naam`, `klager` and
    `klantnummer` lines, typos included, are read loosely, so a mistake in the file never
    puts the name on a page. (Until it is fixed, a `behandelaar.naam` in it is removed too.)
    """
    names: set[str] = set()
    numbers: set[str] = set()
    for c in register.complaints:
        if c.klager:
            names.add(c.klager.naam or "")
            numbers.add(c.klager.klantnummer or "")
        if c.opdrachtgever:
            names.add(c.opdrachtgever.naam or "")
        if c.beroep:  # "klantmanager UWV P. de Wit": the UWV contact the appeal went to
            names.add(contact_in(c.beroep.bij or ""))
    loose_names, loose_numbers = _loose_people(register)
    return (names | loose_names) - {""}, (numbers | loose_numbers) - {""}


# Words of a `beroep.bij` that say where, not who.
_ROLE_WORDS = frozenset({
    "klantmanager", "arbeidsdeskundige", "accountmanager", "uwv", "re", "integratie", "reintegratie",
    "een", "via", "en", "of", "mevrouw", "meneer", "heer", "mw", "dhr", "kantoor", "afdeling", "team",
    "vestiging",
})  # fmt: skip


def contact_in(text: str) -> str:
    """The person an appeal went to, from `beroep.bij` ("klantmanager UWV P. de Wit" ->
    "P. de Wit"): what remains once the words for a role or an office are left out."""
    kept = [m.group() for m in re.finditer(r"[^\s()]+", _ASIDE.sub(" ", text))
            if fold(m.group().strip(".,;:")) not in _ROLE_WORDS and not m.group().strip(".").isdigit()]
    while kept and fold(kept[0]) in TUSSENVOEGSELS:  # "bij de ...", "... van"
        kept.pop(0)
    while kept and fold(kept[-1]) in TUSSENVOEGSELS:
        kept.pop()
    return " ".join(kept) if any(_distinctive(fold(w.strip(".,;:")), "") for w in kept) else ""


def _loose_people(register: Register) -> tuple[set[str], set[str]]:
    broken = {c.rel for c in register.complaints if _klager_unread(c)}
    names: set[str] = set()
    numbers: set[str] = set()
    for doc in register.documents:
        if doc.rel in broken:
            for key, value in loose_values(doc.text):
                (numbers if key.lower().startswith("klantn") else names).add(value)
    return names, numbers


def _klager_unread(c: Complaint) -> bool:
    return not (c.readable and c.klager and c.klager.naam) or any(p.startswith("klager") for p in c.invalid)


def staff(register: Register) -> set[str]:
    """Every member of staff the register names (and the UWV accountmanager of step 12)."""
    names: set[str] = set()
    for c in register.complaints:
        names |= {c.ontvangen_door or "", c.behandelaar.naam or "" if c.behandelaar else ""}
        names |= {a.wie or "" for a in c.afspraken or []}
    for e in register.evaluations:
        names |= {str(n) for n in e.deelnemers or []} | {a.wie or "" for a in e.acties or []}
    return (names | {o.aan or "" for o in register.overviews}) - {""}
