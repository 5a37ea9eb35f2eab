"""The validator's rules: one module per finding code (SPEC section 2).

Each module has a Dutch docstring (its user documentation, shown in the staff guide) and a
`check(ctx)` generator yielding `Finding`s; the severity comes from the code. Reading
problems (`yaml`, `veld-ongeldig`) are found while loading, in `yamlsource` and `records`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from ..deadlines import Deadline, all_deadlines
from ..findings import Finding
from ..register import Register
from . import (
    bewaartermijn,
    bijlage,
    onafhankelijkheid,
    privacy,
    termijnen,
    terugdatering,
    velden,
    volgnummer,
    volgorde,
)


@dataclass(frozen=True)
class Context:
    register: Register
    today: date
    history: object | None = None  # site.history.History, for `check --historie` and the site

    @functools.cached_property
    def deadlines(self) -> list[Deadline]:
        """Every deadline, computed once for the termijn rule and for the report."""
        return all_deadlines(self.register, self.today)


RULES = (velden, volgnummer, volgorde, onafhankelijkheid, bijlage, privacy, termijnen, bewaartermijn, terugdatering)


def run_rules(ctx: Context) -> Iterator[Finding]:
    for rule in RULES:
        yield from rule.check(ctx)
