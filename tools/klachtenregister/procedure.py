"""The procedure's numbers, in one place: `klachten/procedure.yml` and its defaults.

Every deadline, category and start date the product uses comes from `Procedure`.
Errors in procedure.yml name the option and its line, and the default stays in force.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import yaml

from . import safefiles
from .findings import Finding
from .oserrors import os_reason
from .yamlsource import is_null, parse_yaml_text, scalar_date, scalar_text

PROCEDURE_FILE = "klachten/procedure.yml"

DEFAULT_CATEGORIEEN = (
    "bejegening",
    "communicatie",
    "dienstverlening",
    "planning",
    "privacy",
    "facturatie",
    "overig",
)


@dataclass(frozen=True)
class Termijnen:
    """Deadlines in days (klachtenregeling steps 3, 6/7, 11 and 12)."""

    bevestiging: int = 7  # step 3: "binnen 1 week" after ontvangen
    oordeel: int = 21  # steps 6/7: "binnen 3 weken" after ontvangen
    evaluatie: int = 90  # step 11: after the half-year ends
    jaaroverzicht: int = 90  # step 12: after the year ends
    opdrachtgever: int | None = None  # step 9: after afgehandeld; None: no deadline (SPEC 4.1)


@dataclass(frozen=True)
class Waarschuwing:
    """Days before a deadline that `termijn-nadert` appears, per deadline (SPEC 4.1): a
    meeting due in 90 days needs more notice than a letter due in a week."""

    bevestiging: int = 2
    oordeel: int = 2
    afspraak: int = 2
    opdrachtgever: int = 2
    evaluatie: int = 2
    actie: int = 2
    jaaroverzicht: int = 2

    @classmethod
    def uniform(cls, days: int) -> Waarschuwing:
        """`waarschuwing: 5`: the same number for every deadline."""
        return cls(**dict.fromkeys(_WAARSCHUWING_KEYS, days))

    def days(self, stap: str) -> int:
        return getattr(self, stap, 2)


PRIVACY_PATTERNS = ("bsn", "iban", "geboortedatum")


@dataclass(frozen=True)
class Organisatie:
    """The sender of letters and of the annual overview (SPEC 4.1)."""

    naam: str
    adres: str | None = None  # multi-line
    telefoon: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Uwv:
    """The addressee of the annual overview (step 12): UWV's accountmanager re-integratie."""

    naam: str
    functie: str | None = None


@dataclass(frozen=True)
class Procedure:
    start: date = date(2023, 1, 1)
    termijnen: Termijnen = field(default_factory=Termijnen)
    waarschuwing: Waarschuwing = field(default_factory=Waarschuwing)
    categorieen: tuple[str, ...] = DEFAULT_CATEGORIEEN
    bewaartermijn: int | None = None  # years after closing; None: not checked
    privacy: frozenset[str] = frozenset(PRIVACY_PATTERNS)  # personal-data patterns searched for
    organisatie: Organisatie | None = None  # None: letters carry no letterhead
    uwv: Uwv | None = None  # None: the annual overview's `aan`, else a general addressee
    terugdatering: int = 7  # days a step's date may reach the main line of Git after the date it claims


# Upper bounds keep the date arithmetic in the calendar; no procedure needs more.
MAX_DAYS = 3660  # ten years, for termijnen and waarschuwing
MAX_YEARS = 100  # bewaartermijn

_TOP_KEYS = ("start", "termijnen", "waarschuwing", "categorieen", "bewaartermijn", "privacy", "organisatie", "uwv",
             "terugdatering")
_CONTACTS = {"organisatie": Organisatie, "uwv": Uwv}
_BOOLEANS = {"true": True, "ja": True, "false": False, "nee": False}
_TERMIJN_KEYS = tuple(Termijnen.__dataclass_fields__)
_WAARSCHUWING_KEYS = tuple(Waarschuwing.__dataclass_fields__)


def load_procedure(root: Path) -> tuple[Procedure, list[Finding]]:
    """Read procedure.yml when present; every problem becomes a finding naming the option."""
    path = root / PROCEDURE_FILE
    if not path.exists() and not path.is_symlink():
        return Procedure(), []
    try:
        text = safefiles.read_bytes(path, root).decode("utf-8-sig")
    except safefiles.Refused as exc:  # a link out of the register, /dev/zero, a FIFO: never read
        message = f"procedure.yml kan niet gelezen worden: het bestand {exc}; de standaardwaarden gelden"
        return Procedure(), [Finding("yaml", message, PROCEDURE_FILE, 1)]
    except UnicodeDecodeError:
        return Procedure(), [Finding("yaml", "procedure.yml is geen UTF-8-tekst", PROCEDURE_FILE, 1)]
    except OSError as exc:  # a folder, no permission, a broken link: said, and the defaults hold
        message = f"procedure.yml kan niet gelezen worden ({os_reason(exc)}); de standaardwaarden gelden"
        return Procedure(), [Finding("yaml", message, PROCEDURE_FILE, 1)]
    node, problems = parse_yaml_text(text.replace("\r\n", "\n"), PROCEDURE_FILE, offset=1)
    if node is None:
        return Procedure(), problems
    reader = _OptionReader()
    proc = reader.read(node)
    return proc, problems + reader.findings


class _OptionReader:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def error(self, node: yaml.Node, option: str, message: str) -> None:
        line = node.start_mark.line + 1
        self.findings.append(Finding("veld-ongeldig", message, PROCEDURE_FILE, line, veld=option))

    def read(self, node: yaml.MappingNode) -> Procedure:
        proc = Procedure()
        for key, value in node.value:
            name = key.value
            if name not in _TOP_KEYS:
                self.error(key, name, _unknown(name, _TOP_KEYS, "optie"))
            elif value.tag == "tag:yaml.org,2002:null":
                continue
            elif name == "start":
                proc = replace(proc, start=self._date(value, name) or proc.start)
            elif name == "waarschuwing":
                proc = replace(proc, waarschuwing=self._waarschuwing(value))
            elif name == "terugdatering":
                proc = replace(proc, terugdatering=self._days(value, name, proc.terugdatering))
            elif name == "bewaartermijn":
                proc = replace(proc, bewaartermijn=self._days(value, name, None, minimum=1, maximum=MAX_YEARS))
            elif name == "categorieen":
                proc = replace(proc, categorieen=self._categories(value) or proc.categorieen)
            elif name == "privacy":
                proc = replace(proc, privacy=self._privacy(value, proc.privacy))
            elif name in _CONTACTS:
                proc = replace(proc, **{name: self._contact(value, name)})
            else:
                proc = replace(proc, termijnen=self._termijnen(value))
        return proc

    def _date(self, node: yaml.Node, option: str) -> date | None:
        value, problem = scalar_date(node)
        if problem:
            self.error(node, option, f"{option}: {problem}")
        return value

    def _days(self, node: yaml.Node, option: str, default, minimum: int = 0, maximum: int = MAX_DAYS):
        text = scalar_text(node)
        # isascii: str.isdigit() also accepts digits such as '²' that int() refuses.
        if text is None or not (text.isascii() and text.isdigit()) or not minimum <= int(text) <= maximum:
            self.error(node, option, f"{option} moet een geheel getal van {minimum} tot en met {maximum} zijn")
            return default
        return int(text)

    def _categories(self, node: yaml.Node) -> tuple[str, ...] | None:
        items = node.value if isinstance(node, yaml.SequenceNode) else None
        names = [scalar_text(item) for item in items or []]
        if not names or any(not name for name in names):
            self.error(node, "categorieen", "categorieen moet een lijst van namen zijn")
            return None
        odd = [item for item, name in zip(items or [], names, strict=True) if not _one_line(name or "")]
        if odd:  # a name is shown on every page and in every file: one line of plain text
            message = "een categorie moet één regel tekst zijn, zonder regeleinden of besturingstekens"
            self.error(odd[0], "categorieen", message)
            return None
        return tuple(names)  # type: ignore[arg-type]

    def _privacy(self, node: yaml.Node, enabled: frozenset[str]) -> frozenset[str]:
        """`privacy: {bsn: true, iban: true, geboortedatum: false}`: which patterns to flag."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, "privacy", "privacy moet een lijst van patroon: true/false zijn")
            return enabled
        for key, value in node.value:
            option = f"privacy.{key.value}"
            flag = _BOOLEANS.get((scalar_text(value) or "").lower())
            if key.value not in PRIVACY_PATTERNS:
                self.error(key, option, _unknown(key.value, PRIVACY_PATTERNS, "privacy-controle"))
            elif flag is None:
                self.error(value, option, f"{option} moet true of false (ja of nee) zijn")
            else:
                enabled = enabled | {key.value} if flag else enabled - {key.value}
        return enabled

    def _contact(self, node: yaml.Node, option: str):
        """`organisatie` or `uwv`: a group of texts, of which `naam` is required."""
        kind = _CONTACTS[option]
        keys = tuple(kind.__dataclass_fields__)
        if not isinstance(node, yaml.MappingNode):
            self.error(node, option, f"{option} moet velden hebben ({', '.join(keys)}), elk op een eigen regel")
            return None
        values = {}
        for key, value in node.value:
            if key.value not in keys:
                dotted = f"{option}.{key.value}"
                self.error(key, dotted, _unknown(dotted, tuple(f"{option}.{k}" for k in keys), "optie"))
            elif not is_null(value):
                values[key.value] = self._text(value, f"{option}.{key.value}")
        return self._complete(node, option, kind, {k: v for k, v in values.items() if v})

    def _text(self, node: yaml.Node, option: str) -> str | None:
        text = scalar_text(node)
        if text is None:
            self.error(node, option, f"{option} moet een tekst zijn, geen lijst of groep")
            return None
        text = text.strip()
        if option.endswith(".email") and text and not _EMAIL.fullmatch(text):
            self.error(node, option, f"{option}: '{text}' is geen e-mailadres (zoals klachten@voorbeeld.nl)")
            return None
        return text

    def _complete(self, node: yaml.Node, option: str, kind, values: dict):
        if "naam" not in values:
            self.error(node, f"{option}.naam", f"{option}.naam ontbreekt: {_NAME_FOR[option]}")
            return None
        return kind(**values)

    def _waarschuwing(self, node: yaml.Node) -> Waarschuwing:
        """`waarschuwing: 2` for every deadline, or `waarschuwing: {oordeel: 5, evaluatie: 21}`
        per deadline (the others keep 2)."""
        if not isinstance(node, yaml.MappingNode):
            return Waarschuwing.uniform(self._days(node, "waarschuwing", 2))
        warning = Waarschuwing()
        for key, value in node.value:
            option = f"waarschuwing.{key.value}"
            if key.value not in _WAARSCHUWING_KEYS:
                self.error(key, option, _unknown(key.value, _WAARSCHUWING_KEYS, "termijn"))
            elif value.tag != "tag:yaml.org,2002:null":
                warning = replace(warning, **{key.value: self._days(value, option, warning.days(key.value))})
        return warning

    def _termijnen(self, node: yaml.Node) -> Termijnen:
        termijnen = Termijnen()
        if not isinstance(node, yaml.MappingNode):
            self.error(node, "termijnen", "termijnen moet een lijst van naam: dagen zijn")
            return termijnen
        for key, value in node.value:
            option = f"termijnen.{key.value}"
            if key.value not in _TERMIJN_KEYS:
                self.error(key, option, _unknown(key.value, _TERMIJN_KEYS, "termijn"))
                continue
            if value.tag == "tag:yaml.org,2002:null":  # opdrachtgever: null is its default, no deadline
                continue
            days = self._days(value, option, getattr(termijnen, key.value), minimum=1)
            termijnen = replace(termijnen, **{key.value: days})
        return termijnen


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_NAME_FOR = {
    "organisatie": "de naam van de organisatie staat boven elke brief en onder het jaaroverzicht",
    "uwv": "de naam van de accountmanager re-integratie aan wie het jaaroverzicht gaat",
}


def _one_line(text: str) -> bool:
    return not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text)


def _unknown(name: str, known: tuple[str, ...], what: str) -> str:
    message = f"onbekende {what} '{name}'"
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"{message}: bedoelde je '{close[0]}'?"
    return f"{message}; bekend zijn: {', '.join(known)}"
