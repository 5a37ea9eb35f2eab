"""Errors in a Jinja template, in Dutch, naming the template and its line.

Jinja words its errors in English ("'x' is undefined", "Encountered unknown tag 'y'.");
the shapes its parser, lexer, compiler and runtime use are told in Dutch here. A template can
also fail with a plain Python error (`{{ 1 / 0 }}`); Jinja then leaves the template's own
frames in the traceback, which give the template and line. Anything not matched still gets a
Dutch message with the template line as written.
"""

from __future__ import annotations

import contextlib
import re
import traceback
from collections.abc import Callable, Iterator

import jinja2

# Jinja's names for tokens (lexer._describe_token_type), as they appear in its messages.
_TOKENS = {
    "begin of comment": "begin van commentaar {#",
    "end of comment": "einde van commentaar #}",
    "comment": "commentaar",
    "begin of statement block": "begin van een opdracht {%",
    "end of statement block": "einde van de opdracht %}",
    "begin of print statement": "begin van een uitdrukking {{",
    "end of print statement": "einde van de uitdrukking }}",
    "begin of line statement": "begin van een regelopdracht",
    "end of line statement": "einde van de regelopdracht",
    "template data / text": "gewone tekst",
    "end of template": "het einde van het sjabloon",
    "name": "een naam",
    "integer": "een getal",
    "float": "een getal",
    "string": "een tekst tussen aanhalingstekens",
}


def _token(text: str) -> str:
    return _TOKENS.get(text, f"'{text}'")


def _tags(text: str) -> str:
    return text.replace("' or '", "' of '")


# (pattern on Jinja's message, Dutch built from its groups), first match wins.
_RULES: tuple[tuple[str, Callable[[re.Match], str]], ...] = (
    (r"^'(.+)' is undefined$", lambda m: f"'{m[1]}' is onbekend in dit sjabloon (een tikfout?)"),
    (r"^'?(.+?) object'? has no attribute '(.+)'$", lambda m: f"een {m[1]}-waarde heeft geen attribuut '{m[2]}'"),
    (r"^'?(.+?) object'? has no element (.+)$", lambda m: f"een {m[1]}-waarde heeft geen element {m[2]}"),
    (r"^Encountered unknown tag '(.+?)'\.(?: Jinja was looking for the following tags: (.+?)\.)?",
     lambda m: f"onbekende opdracht '{m[1]}'" + (f" (hier verwacht: {_tags(m[2])})" if m[2] else "")),
    (r"^Unexpected end of template\. Jinja was looking for the following tags: (.+?)\."
     r"(?: The innermost block that needs to be closed is '(.+)'\.)?",
     lambda m: f"het sjabloon houdt op terwijl een blok nog open is (verwacht: {_tags(m[1])})"),
    (r"^unexpected end of template, expected '(.+)'\.$",
     lambda m: f"het sjabloon houdt onverwacht op (verwacht: {_token(m[1])})"),
    (r"^expected token '(.+)', got '(.+)'$", lambda m: f"verwacht {_token(m[1])}, maar hier staat {_token(m[2])}"),
    (r"^Expected an expression, got '(.+)'$", lambda m: f"hier hoort een uitdrukking, maar er staat {_token(m[1])}"),
    (r"^unexpected '(.+)', expected '(.+)'$", lambda m: f"onverwacht '{m[1]}' (verwacht '{m[2]}')"),
    (r"^unexpected char '(.+)' at \d+$", lambda m: f"onverwacht teken '{m[1]}'"),
    (r"^unexpected '(.+)'$", lambda m: f"onverwacht {_token(m[1])}"),
    (r"^No filter named '(.+?)'", lambda m: f"onbekend filter '{m[1]}'"),
    (r"^No test named '(.+?)'", lambda m: f"onbekende test '{m[1]}'"),
    (r"^block '(.+)' defined twice$", lambda m: f"blok '{m[1]}' staat twee keer in het sjabloon"),
    (r"^tag name expected$", lambda m: "na {% hoort de naam van een opdracht"),
    (r"^missing end of comment tag$", lambda m: "commentaar {# wordt niet gesloten met #}"),
    (r"^missing end of raw directive$", lambda m: "{% raw %} wordt niet gesloten met {% endraw %}"),
    (r"^can't assign to '(.+)'$", lambda m: f"aan een {m[1]} kan niets worden toegekend"),
)
_COMPILED = tuple((re.compile(pattern, re.IGNORECASE), dutch) for pattern, dutch in _RULES)

_PYTHON = {
    ZeroDivisionError: "deling door nul",
    TypeError: "een bewerking op een waarde van het verkeerde soort",
    ValueError: "een ongeldige waarde",
    KeyError: "een sleutel ontbreekt",
    IndexError: "een lijst is te kort",
    AttributeError: "een waarde heeft dat attribuut niet",
    RecursionError: "het sjabloon roept zichzelf eindeloos aan",
}
_TEMPLATE_FRAMES = ("top-level template code", "template")


class UnreadableTemplate(jinja2.TemplateError):
    """A template file that cannot be read (no permission, not UTF-8); message in Dutch."""

    def __init__(self, message: str, filename: str, lineno: int | None = None) -> None:
        super().__init__(message)
        self.filename, self.lineno = filename, lineno


@contextlib.contextmanager
def reported_as(error: type[Exception]) -> Iterator[None]:
    """Turn a template's failure into `error` with the Dutch message; other errors pass."""
    try:
        yield
    except Exception as exc:
        if not is_template_error(exc):
            raise
        raise error(template_problem(exc)) from None


def is_template_error(exc: BaseException) -> bool:
    """A Jinja error, or a Python error raised by a template's own code."""
    return isinstance(exc, jinja2.TemplateError) or _template_frame(exc) is not None


def template_problem(exc: BaseException) -> str:
    """'fout in sjabloon <file>, regel <n>: <what, in Dutch>'."""
    filename, lineno = _where(exc)
    place = f"sjabloon {filename}" if filename else "sjabloon"
    if lineno:
        place += f", regel {lineno}"
    return f"fout in {place}: {dutch_template_message(exc)}"


def _where(exc: BaseException) -> tuple[str | None, int | None]:
    filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename is None and isinstance(exc, jinja2.TemplateSyntaxError):
        filename = exc.name  # the lexer leaves out the path
    if filename is None:
        frame = _template_frame(exc)
        if frame is not None:
            filename, lineno = frame.filename, frame.lineno
    return filename, lineno


def dutch_template_message(exc: BaseException) -> str:
    if isinstance(exc, UnreadableTemplate):
        return str(exc)
    if isinstance(exc, jinja2.TemplatesNotFound):
        return f"sjabloon niet gevonden: {', '.join(map(str, exc.templates))}"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"sjabloon '{exc.name}' niet gevonden"
    if isinstance(exc, jinja2.TemplateError):
        message = exc.message or ""
        for pattern, dutch in _COMPILED:
            match = pattern.search(message)
            if match:
                return dutch(match)
        return _unknown(exc)
    kind = next((nl for cls, nl in _PYTHON.items() if isinstance(exc, cls)), "een fout bij het invullen")
    return f"{kind} bij het invullen van het sjabloon"


def _unknown(exc: jinja2.TemplateError) -> str:
    """Jinja's text is not shown (English); the template line as written says where."""
    source, lineno = getattr(exc, "source", None), getattr(exc, "lineno", None)
    if isinstance(exc, jinja2.TemplateSyntaxError) and source and lineno:
        lines = source.splitlines()
        if 0 < lineno <= len(lines):
            return f"deze sjabloonregel is ongeldig: {lines[lineno - 1].strip()[:120]}"
    return "het sjabloon is ongeldig of kan niet worden ingevuld"


def _template_frame(exc: BaseException) -> traceback.FrameSummary | None:
    """The innermost frame of template code (Jinja names them so) in the traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f.name in _TEMPLATE_FRAMES or f.name.startswith("block ")]
    return ours[-1] if ours else None
