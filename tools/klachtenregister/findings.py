"""Findings: what `klachten check` reports, with the severity fixed per code (SPEC section 2)."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITY: dict[str, str] = {
    "yaml": "error",
    "veld-ontbreekt": "error",
    "veld-ongeldig": "error",
    "volgnummer": "error",
    "volgorde": "error",
    "onafhankelijkheid": "error",
    "bijlage": "error",
    "privacy": "error",
    "bewaartermijn": "info",
    "termijn-verlopen": "error",
    "termijn-overschreden": "warning",
    "termijn-nadert": "info",
    "terugdatering": "warning",
}

SEVERITY_NL = {"error": "fout", "warning": "waarschuwing", "info": "melding"}


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    volgnummer: str | None = None
    stap: str | None = None
    veld: str | None = None

    @property
    def severity(self) -> str:
        return SEVERITY[self.code]

    def sort_key(self) -> tuple:
        # Register-wide findings (no file) come last; then by file and line.
        return (self.file is None, self.file or "", self.line or 0, self.code, self.message)

    def to_json(self) -> dict:
        data: dict = {
            "file": self.file,
            "line": self.line,
            "volgnummer": self.volgnummer,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }
        if self.stap is not None:
            data["stap"] = self.stap
        if self.veld is not None:
            data["veld"] = self.veld
        return data
