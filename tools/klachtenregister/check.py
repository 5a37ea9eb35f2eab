"""`klachten check`: load the register, run every rule, sort the findings."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .deadlines import NADERT, OPEN, VERLOPEN, Deadline
from .findings import Finding
from .model import parse_volgnummer
from .register import Register, load_register, no_gc
from .rules import Context, run_rules
from .rules.termijnen import reported


@dataclass
class CheckResult:
    register: Register
    today: date
    findings: list[Finding]
    deadlines: list[Deadline]
    # `check --sinds`: the register files the pull request changes. Only an error on one of
    # them blocks (exit 1); None: the whole register is judged, every error blocks.
    changed: frozenset[str] | None = None

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def blocks(self, finding: Finding) -> bool:
        return finding.severity == "error" and (self.changed is None or finding.file in self.changed)

    def blocking(self) -> int:
        return sum(1 for f in self.findings if self.blocks(f))

    def upcoming(self, days: int = 7) -> list[Deadline]:
        """Open deadlines that are overdue or fall due within `days` days, soonest first."""
        warning = self.register.procedure.waarschuwing
        due = [
            d
            for d in self.deadlines
            if d.state(self.today, warning) in (VERLOPEN, NADERT, OPEN) and d.days_left(self.today) <= days
        ]
        return sorted(due, key=lambda d: (d.due, d.subject))

    def pressing(self) -> list[tuple[Deadline, str]]:
        """(deadline, state) of every deadline that `check` reports as overdue or nearing."""
        states = reported(self.register, self.deadlines, self.today)
        return [(d, state) for d, state in states if state in (VERLOPEN, NADERT)]


def check_register(register: Register, today: date, changed: frozenset[str] | None = None, *,
                   history=None) -> CheckResult:
    """history: the Git history (`site.history.History`) when `terugdatering` is checked."""
    ctx = Context(register, today, history)
    findings = _name_complaints(register, [*register.findings, *run_rules(ctx)])
    findings.sort(key=Finding.sort_key)
    return CheckResult(register, today, findings, ctx.deadlines, changed)


def _name_complaints(register: Register, findings: list[Finding]) -> list[Finding]:
    """Every finding on a complaint file names its volgnummer: the one in the file, or, when
    that could not be read (broken YAML, field missing), the file's name if it has the form."""
    numbers = {}
    for c in register.complaints:
        stem = c.rel.rsplit("/", 1)[-1].removesuffix(".md")
        numbers[c.rel] = c.volgnummer or (stem if parse_volgnummer(stem) else None)
    return [
        dataclasses.replace(f, volgnummer=numbers[f.file]) if f.volgnummer is None and numbers.get(f.file) else f
        for f in findings
    ]


def check_root(root: Path, today: date, changed: frozenset[str] | None = None, *, history=None) -> CheckResult:
    # A short-lived command: the cyclic garbage collector would only re-scan the freshly loaded
    # register (about a million objects for 10,000 complaints) a few times, for nothing.
    with no_gc():
        return check_register(load_register(root), today, changed, history=history)
