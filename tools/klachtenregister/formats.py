"""Output formats of `klachten check`: text, json, github. One function per format."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
from pathlib import Path

from .check import CheckResult
from .deadlines import STAP_NUMMER
from .findings import SEVERITY_NL, Finding
from .oserrors import os_problem
from .personal import mask


def summary_line(result: CheckResult) -> str:
    errors, warnings, infos = (result.count(s) for s in ("error", "warning", "info"))
    files = len(result.register.documents)
    line = (
        f"{counted(files, 'bestand', 'bestanden')} gecontroleerd op {result.today}: "
        f"{counted(errors, 'fout', 'fouten')}, "
        f"{counted(warnings, 'waarschuwing', 'waarschuwingen')}, {counted(infos, 'melding', 'meldingen')} — "
    )
    if result.changed is None:
        return line + f"register {'in orde' if errors == 0 else 'niet in orde'}"
    changed = len(result.changed)
    blocking = result.blocking()
    return line + (
        f"{changed} gewijzigd{'' if changed == 1 else 'e'} {'bestand' if changed == 1 else 'bestanden'}: "
        + ("in orde" if blocking == 0 else f"{counted(blocking, 'fout', 'fouten')} te herstellen")
    )


def counted(n: int, one: str, more: str) -> str:
    """'1 fout', '2 fouten', '0 fouten': as staff write it, never 'fout(en)'."""
    return f"{n} {one if n == 1 else more}"


def masked(result: CheckResult) -> CheckResult:
    """The result as every format writes it: a BSN, IBAN or birth date in any message masked
    (not only in its privacy finding: "'111222333' is geen datum" quotes it too)."""
    patterns = result.register.procedure.privacy
    findings = [
        dataclasses.replace(f, message=mask(f.message, patterns), veld=f.veld and mask(f.veld, patterns))
        for f in result.findings
    ]
    return dataclasses.replace(result, findings=findings)


def _location(f: Finding) -> str:
    if f.file is None:
        return "klachten"
    return f"{f.file}:{f.line}" if f.line is not None else f.file


def format_text(result: CheckResult) -> str:
    """One line per finding, its severity in Dutch (fout, waarschuwing, melding; SPEC 4.2). A value
    quoted in a message may hold a line break, which must not
    start a line of its own (it could pass for a finding of another file)."""
    result = masked(result)
    lines = [
        _one_line(f"{_location(f)}: {SEVERITY_NL[f.severity]} {f.code} {f.message}") for f in result.findings
    ]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


# Everything str.splitlines() breaks on, shown as its escape.
_LINE_BREAKS = str.maketrans({ch: ascii(ch)[1:-1] for ch in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"})


def _one_line(text: str) -> str:
    return text.translate(_LINE_BREAKS)


def format_json(result: CheckResult) -> str:
    result = masked(result)
    data = {  # exactly SPEC's shape: infos are in the list, not counted separately
        "findings": [_json_finding(result, f) for f in result.findings],
        "errors": result.count("error"),
        "warnings": result.count("warning"),
    }
    if result.changed is not None:
        data["blokkerend"] = result.blocking()
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _json_finding(result: CheckResult, f: Finding) -> dict:
    data = f.to_json()
    if result.changed is not None:
        data["blokkeert"] = result.blocks(f)
    return data


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(result: CheckResult) -> str:
    """GitHub Actions workflow commands (the job summary is `write_step_summary`).

    With --sinds the blocking findings come first and an error that does not block is a
    warning: GitHub shows at most 10 error annotations per step, and they must be the pull
    request's own."""
    result = masked(result)
    ordered = sorted(result.findings, key=lambda f: not result.blocks(f))  # stable: file order stays
    lines = [_command(f, result.blocks(f)) for f in ordered]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def _command(f: Finding, blocks: bool) -> str:
    # SPEC's form `::error file=…,line=…::…`; the code leads the message (no title property,
    # so the command reads exactly as documented).
    level = _GITHUB_LEVEL[f.severity] if blocks or f.severity != "error" else "warning"
    props = ""
    if f.file:
        props = f" file={_escape_property(f.file)}" + (f",line={f.line}" if f.line else "")
    return f"::{level}{props}::{_escape_data(f'{f.code}: {f.message}')}"


def write_step_summary(result: CheckResult) -> None:
    """Append the job summary to the file GitHub Actions names in GITHUB_STEP_SUMMARY. It is
    extra: when it cannot be written, the annotations still go out."""
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary_file:
        return
    path, text = Path(summary_file), step_summary(result)
    try:
        with path.open("a", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        print(f"klachten: let op: de samenvatting kan niet geschreven worden: {os_problem(exc, path)}", file=sys.stderr)


# A cell of the job summary is plain text: the summary is Markdown, and a value in a finding is
# whatever staff typed. Markdown's punctuation is escaped (no image, link or emphasis), and a
# zero-width space breaks what GitHub turns into links or notifications on its own: @mentions,
# #references and bare addresses.
_MARKDOWN = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"} | {ch: "\\" + ch for ch in "\\`*_{}[]()#+!|~"})
_AUTOLINKS = re.compile(r"(@|#|://|(?<![\w.])www\.)")
_ZERO_WIDTH = "&#8203;"


def _cell(text: object) -> str:
    plain = " ".join(str(text).split()).translate(_MARKDOWN)
    return _AUTOLINKS.sub(lambda m: m.group(1)[:1] + _ZERO_WIDTH + m.group(1)[1:], plain)


def _rows(result: CheckResult, findings: list[Finding]) -> list[str]:
    rows = ["| Ernst | Code | Bestand | Melding |", "|---|---|---|---|"]
    return rows + [
        f"| {SEVERITY_NL[f.severity]} | {f.code} | {_cell(_location(f))} | {_cell(f.message)} |" for f in findings
    ]


def _findings_sections(result: CheckResult) -> list[str]:
    if not result.findings:
        return []
    if result.changed is None:
        return [*_rows(result, result.findings), ""]
    own = [f for f in result.findings if result.blocks(f)]
    elsewhere = [f for f in result.findings if not result.blocks(f)]
    out = ["### Te herstellen in deze pull request", ""]
    out += [*_rows(result, own), ""] if own else ["Niets: de gewijzigde bestanden zijn in orde.", ""]
    if elsewhere:
        out += ["### Elders in het register", "", "Dit houdt deze pull request niet tegen; de dagelijkse "
                "controle Termijnen bewaakt het.", "", *_rows(result, elsewhere), ""]
    return out


def step_summary(result: CheckResult) -> str:
    result = masked(result)
    out = ["## Klachtenregister", "", summary_line(result), "", *_findings_sections(result)]
    upcoming = result.upcoming(7)
    out += ["### Termijnen: verlopen en de komende 7 dagen", ""]
    if upcoming:
        out += ["| Uiterlijk | Stap | Klacht of periode | Dagen |", "|---|---|---|---|"]
        out += [
            f"| {d.due} | {STAP_NUMMER[d.stap]} ({d.stap}) | {_cell(d.subject)} | {d.days_left(result.today)} |"
            for d in upcoming
        ]
    else:
        out.append("Geen termijnen die verlopen zijn of binnen 7 dagen vallen.")
    return "\n".join(out) + "\n\n"


FORMATS = {"text": format_text, "json": format_json, "github": format_github}
