"""The GitHub issue "Termijnen", kept current by the daily workflow (termijnen.yml).

`python -m klachtenregister.deadline_issue [--root MAP] [--today JJJJ-MM-DD]` checks the
register and, through the `gh` CLI (GH_TOKEN in the environment):

- opens the issue when something is overdue or nearing and none is open, mentioning the
  owners that CODEOWNERS names for `klachten/` (a mention notifies them; an edit would not);
- otherwise rewrites its body, and comments (mentioning them again) when a duty became
  overdue since the last run;
- closes it with a comment once everything is on time again.

The issue holds only volgnummers, steps, due dates and days: never a name or an onderwerp
(issues are read by everyone with access to the repository, and mailed to whoever watches).
"""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .check import CheckResult, check_root
from .deadlines import NADERT, STAP_NUMMER, VERLOPEN, Deadline
from .errors import JobFailed
from .model import parse_volgnummer

TITLE = "Termijnen"
NOT_KEPT = "het issue Termijnen is niet bijgewerkt"
CODEOWNERS_PLACES = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")  # GitHub's order
REGISTER_PATH = "klachten/2026/2026-001.md"  # a file of the register, to match rules against
_OVERDUE_MARK = re.compile(r"<!-- verlopen: ([^>]*) -->")

Gh = Callable[[Sequence[str]], str]


@dataclass(frozen=True)
class Item:
    """One duty that is overdue or nearing, as the issue shows it."""

    subject: str  # volgnummer, or the period of an evaluation or annual overview
    stap: str
    due: date
    days_left: int

    @property
    def key(self) -> str:
        return f"{self.subject}/{self.stap}"


class GhError(JobFailed):
    """`gh` failed; the message says what it was doing, in Dutch, with gh's own words."""


# --- what the issue says ------------------------------------------------------------------


def pressing_items(result: CheckResult) -> list[Item]:
    """Every deadline that is overdue or nearing, the most overdue first."""
    complaint_files = {c.rel for c in result.register.complaints}
    return sorted(
        (_item(d, result.today, complaint_files) for d, state in result.pressing() if state in (VERLOPEN, NADERT)),
        key=lambda i: (i.due, i.subject, i.stap),
    )


def _item(d: Deadline, today: date, complaint_files: set[str]) -> Item:
    if parse_volgnummer(d.volgnummer):
        subject = d.volgnummer
    elif d.file in complaint_files:
        # Without a readable volgnummer a complaint is named by its file, whose name may be
        # a person's (Anna-Jansen.md): the issue then says only that there is one.
        subject = "klacht zonder geldig volgnummer"
    else:  # an evaluation or annual overview: its period
        subject = f"{d.stap} {d.subject}" if d.item is None else f"{d.stap} {d.item} van {d.subject}"
    if d.item is not None and d.stap == "afspraak":  # each afspraak of a complaint is a duty of its own
        subject = f"{subject} afspraak {d.item}"
    return Item(subject, d.stap, d.due, d.days_left(today))


def days_text(days_left: int) -> str:
    if days_left == 0:
        return "vandaag"
    count = abs(days_left)
    days = f"{count} {'dag' if count == 1 else 'dagen'}"
    return f"nog {days}" if days_left > 0 else f"{days} over de termijn"


def _step(stap: str) -> str:
    number = STAP_NUMMER.get(stap)
    return f"stap {number} ({stap})" if number else stap


def _table(items: list[Item]) -> list[str]:
    rows = ["| Klacht of periode | Stap | Uiterlijk | Dagen |", "|---|---|---|---|"]
    return rows + [f"| {i.subject} | {_step(i.stap)} | {i.due.isoformat()} | {days_text(i.days_left)} |" for i in items]


def issue_body(items: list[Item], today: date, owners: list[str]) -> str:
    overdue = [i for i in items if i.days_left < 0]
    nearing = [i for i in items if i.days_left >= 0]
    lines = [f"{_mention(owners)}Stand op {today.isoformat()}: {_counts(overdue, nearing)}.", ""]
    if overdue:
        lines += ["### Verlopen", "", *_table(overdue), ""]
    if nearing:
        lines += ["### Loopt binnenkort af", "", *_table(nearing), ""]
    lines += [
        "Leg de stap vast in het klachtbestand (of het verslag) met een pull request. Dit issue wordt elke "
        "ochtend bijgewerkt door de workflow Termijnen en sluit vanzelf zodra alles op tijd is; de details "
        "staan in de samenvatting van de laatste run (Actions → Termijnen).",
        "",
        f"<!-- verlopen: {' '.join(i.key for i in overdue)} -->",
    ]
    return "\n".join(lines) + "\n"


def _mention(owners: list[str]) -> str:
    return f"Voor {' '.join(owners)}. " if owners else ""


def _counts(overdue: list[Item], nearing: list[Item]) -> str:
    parts = []
    if overdue:
        parts.append(f"{len(overdue)} {'termijn' if len(overdue) == 1 else 'termijnen'} verlopen")
    if nearing:
        parts.append(f"{len(nearing)} {'loopt' if len(nearing) == 1 else 'lopen'} binnenkort af")
    return " en ".join(parts)


def newly_overdue(items: list[Item], previous_body: str) -> list[Item]:
    """Overdue items the previous body did not list as overdue."""
    mark = _OVERDUE_MARK.search(previous_body or "")
    before = set(mark.group(1).split()) if mark else set()
    return [i for i in items if i.days_left < 0 and i.key not in before]


def overdue_comment(items: list[Item], owners: list[str]) -> str:
    listed = ", ".join(f"{i.subject} {_step(i.stap)}" for i in items)
    return f"{_mention(owners)}Nieuw verlopen: {listed}.\n"


# --- who is told: CODEOWNERS ----------------------------------------------------------------


def register_owners(root: Path) -> list[str]:
    """The owners of the last CODEOWNERS rule matching a register file (last match wins)."""
    for place in CODEOWNERS_PLACES:
        path = root / place
        if path.is_file():
            return _owners_for(path.read_text(encoding="utf-8", errors="replace"), REGISTER_PATH)
    return []


def _owners_for(text: str, target: str) -> list[str]:
    owners: list[str] = []
    for line in text.splitlines():
        pattern, *names = line.split("#", 1)[0].split() or [""]
        if names and _matches(pattern, target):
            owners = [n for n in names if n.startswith("@")]
    return owners


def _matches(pattern: str, path: str) -> bool:
    """gitignore-style matching, as CODEOWNERS uses it, for the usual forms of a rule."""
    anchored = pattern.startswith("/") or "/" in pattern.rstrip("/")
    pattern = pattern.strip("/") if pattern != "/" else "*"
    pattern = pattern.removesuffix("/**")
    parts = path.split("/")
    prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    if anchored:
        return any(fnmatch.fnmatchcase(p, pattern) for p in prefixes)
    return any(fnmatch.fnmatchcase(part, pattern) for part in parts)


# --- keeping the issue through gh ----------------------------------------------------------


def run_gh(args: Sequence[str]) -> str:
    try:
        done = subprocess.run(["gh", *args], capture_output=True, text=True, check=False)
    except OSError as exc:
        raise GhError(f"{NOT_KEPT}: de GitHub-CLI gh kan niet starten ({exc.strerror})") from None
    if done.returncode != 0:
        raise GhError(f"{NOT_KEPT}: gh {args[0]} {args[1]} is mislukt: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def open_issue(gh: Gh) -> dict | None:
    """The open issue titled exactly "Termijnen" (the oldest, if someone made a second)."""
    listed = json.loads(gh(["issue", "list", "--state", "open", "--limit", "500", "--json", "number,title,body"]))
    mine = [i for i in listed if i.get("title") == TITLE]
    return min(mine, key=lambda i: i["number"]) if mine else None


def keep_issue(gh: Gh, items: list[Item], today: date, owners: list[str]) -> str:
    """Bring the issue in line with `items`; returns what was done, in Dutch."""
    current = open_issue(gh)
    if not items:
        if current is None:
            return "alles op tijd; er staat geen issue Termijnen open"
        gh(["issue", "close", str(current["number"]), "--comment", f"Alles is weer op tijd (stand op {today})."])
        return f"alles op tijd; issue #{current['number']} gesloten"
    body = issue_body(items, today, owners)
    if current is None:
        url = gh(["issue", "create", "--title", TITLE, "--body", body]).strip()
        return f"issue Termijnen geopend: {url}"
    number = str(current["number"])
    fresh = newly_overdue(items, current.get("body", ""))
    if current.get("body", "").strip() != body.strip():
        gh(["issue", "edit", number, "--body", body])
    if fresh:
        gh(["issue", "comment", number, "--body", overdue_comment(fresh, owners)])
    return f"issue #{number} bijgewerkt"


def main(argv: list[str] | None = None, gh: Gh = run_gh) -> int:
    from .cli import _Parser, iso_date
    from .clock import today_in_amsterdam
    from .errors import KlachtenError
    from .register import require_register

    parser = _Parser(prog="python -m klachtenregister.deadline_issue", description="Houdt het issue Termijnen bij.")
    parser.add_argument("--root", type=Path, default=Path("."), metavar="MAP")
    parser.add_argument("--today", type=iso_date, metavar="JJJJ-MM-DD")
    args = parser.parse_args(argv)
    try:
        require_register(args.root)
        result = check_root(args.root, args.today or today_in_amsterdam())
        print(f"klachten: {keep_issue(gh, pressing_items(result), result.today, register_owners(args.root))}")
    except KlachtenError as exc:
        print(f"klachten: fout: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
