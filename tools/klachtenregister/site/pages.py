"""The site's pages as plain Markdown: register + history + today -> {path: text}.

Pure apart from looking at attachment files: nothing is written here (`build.py` does that).
Every value from a complaint file reaches the page through an autoescaping Jinja2 template
and inside HTML (never Markdown syntax), so `|`, `[x](javascript:...)` or `{: onclick }`
stay text; the body goes through `sanitize.body_html`. Each template is loaded once and
rendered per page, so the work grows linearly with the register.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote

from .. import model
from ..check import CheckResult
from ..deadlines import NADERT, TE_LAAT, VERLOPEN, DeadlineBook
from ..findings import SEVERITY, SEVERITY_NL
from ..model import Complaint
from ..register import Register
from ..rules import RULES, bijlage
from . import period_pages, urls
from .duties import complaint_duties, next_duty, pressing
from .fieldhistory import VersionReader, top
from .history import History
from .recorded import changed_values, recorded_notes
from .sanitize import body_html
from .timeline import alerts, complaint_steps
from .urls import complaint_slugs

# Attachments are served from the site's own origin: anything a browser would run or render
# as a page (html, svg, md, js, ...) is published as a download instead.
SAFE_SUFFIXES = {
    ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff", ".heic", ".txt", ".eml", ".msg",
    ".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx", ".ods", ".csv", ".zip",
}  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Output:
    pages: dict[str, str] = field(default_factory=dict)  # path in the docs dir -> Markdown
    copies: dict[str, Path] = field(default_factory=dict)  # path in the docs dir -> file to copy


@dataclass(frozen=True)
class Link:
    name: str
    href: str
    exists: bool = True


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class FieldRow:
    label: str
    text: str | None = None
    table: Table | None = None
    recorded: str | None = None  # "vastgelegd op … door …" (site/recorded.py)
    backdated: tuple[str, ...] = ()  # the messages of its terugdatering findings


def generate(register: Register, result: CheckResult, history: History, today: date, env,
             cache: dict | None = None) -> Output:
    """All pages as Markdown. `cache` (kept by `serve` between runs) maps a complaint file to
    its last rendered page and everything that page was made from, so that after one edit
    only that complaint's page is rendered again."""
    out = Output()
    book = DeadlineBook(result.deadlines)  # exactly what check reports
    slugs = complaint_slugs(register.complaints)
    run = _Run(register, history, book, today, env.get_template("site/klacht.md.j2"), _backdated(result),
               {doc.rel: doc.text for doc in register.documents} if history.dirty else {})
    for c in register.complaints:
        out.pages[urls.complaint_page(slugs[c.rel])] = _complaint_page(c, slugs[c.rel], run, out, cache)
    out.pages["index.md"] = env.get_template("site/index.md.j2").render(
        **index_view(register, result, book, history, slugs, today)
    )
    out.pages["velden.md"] = env.get_template("site/velden.md.j2").render(groups=field_reference(register))
    out.pages["regels.md"] = env.get_template("site/regels.md.j2").render(rules=rule_reference())
    out.pages.update(period_pages.report_pages(register, today, book))
    return out


@dataclass(frozen=True)
class _Run:
    """What every complaint page of one generation is made from."""

    register: Register
    history: History
    book: DeadlineBook
    today: date
    page: object  # the template
    backdated: dict[str, tuple]  # file -> its terugdatering findings (`_backdated`)
    texts: dict[str, str]  # file -> its text, when the working tree has uncommitted changes

    @functools.cached_property
    def shared(self) -> tuple:
        """Everything every page depends on, for the cache key."""
        page, register = self.page, self.register
        return (self.today, Path(page.filename).stat().st_mtime_ns if page.filename else 0, repr(register.procedure),
                repr(register.evaluations), repr(register.overviews), self.history.available, self.history.note)


def _complaint_page(c: Complaint, slug: str, run: _Run, out: Output, cache: dict | None) -> str:
    history = run.history
    links = _attachments(c, run.register.root, slug, out.copies)
    warnings = run.backdated.get(c.rel, ())
    key = (run.shared, slug, repr(c), repr(links), tuple(history.of(c.rel)), c.rel in history.dirty, warnings)
    hit = cache.get(c.rel) if cache is not None else None
    if hit is None or hit[0] != key:
        working = _working(c, run.texts, history)
        view = complaint_view(c, slug, links, run.register, run.book, history, run.today, warnings, working)
        hit = key, run.page.render(**view)
        if cache is not None:
            cache[c.rel] = hit
    return hit[1]


# --- the complaint page ------------------------------------------------------------------


def _backdated(result: CheckResult) -> dict[str, tuple]:
    """The terugdatering findings per file, each with its field (shown beside it)."""
    found: dict[str, tuple] = {}
    for f in result.findings:
        if f.code == "terugdatering" and f.file and f.veld:
            found[f.file] = (*found.get(f.file, ()), (top(f.veld), f.message))
    return found


def complaint_view(
    c: Complaint, slug: str, links: list[Link], register, book: DeadlineBook, history: History, today: date,
    backdated: tuple = (), working: dict[str, str] | None = None,
) -> dict:
    """working: the fields of the file when it has uncommitted changes (`_working`)."""
    trails = history.fields_of(c.rel) if c.readable else {}
    rows = field_rows(c, recorded_notes(trails, working), backdated)
    owed = complaint_duties(c, book, register.procedure.waarschuwing, today)
    overdue = [d for d in owed if d.state == VERLOPEN]
    return {
        "slug": slug,
        "k": c,
        "status": status_text(c),
        "today": today,
        # Above the fields (SPEC 4.4): every overdue duty, or else the next one.
        "verlopen": overdue,
        "volgende": None if overdue or not owed else owed[0],
        "rows": [row for row in rows if row.table or row.text is not None],
        "empty": [row.label for row in rows if row.table is None and row.text is None],
        "steps": complaint_steps(c, register, book, today),
        "body": body_html(_CONTROL.sub("", c.body), Path(c.rel).stem),
        "links": links,
        "history": history,
        "commits": history.of(c.rel),
        "changes": changed_values(trails),
        "dirty": c.rel in history.dirty,
    }


def _working(c: Complaint, texts: dict[str, str], history: History) -> dict[str, str] | None:
    """The fields of a complaint file with uncommitted changes, read as its history is."""
    if c.rel not in history.dirty:
        return None
    return VersionReader().leaves(texts.get(c.rel)) or {}


def field_rows(c: Complaint, recorded: dict[str, str] | None = None, backdated: tuple = ()) -> list[FieldRow]:
    """Every field of the model with its Dutch label (the attachments have their own section),
    with when it was recorded and its terugdatering warnings."""
    rows = []
    for spec in model.COMPLAINT_FIELDS:
        if spec.name == "bijlagen":
            continue  # the page has a section of its own for them, with the links
        row = _field_row(spec, getattr(c, spec.name, None))
        if row.text is not None or row.table is not None:
            warnings = tuple(message for name, message in backdated if name == spec.name)
            row = dataclasses.replace(row, recorded=(recorded or {}).get(spec.name), backdated=warnings)
        rows.append(row)
    return rows


def _field_row(spec: model.Field, value) -> FieldRow:
    if value is None or value == []:
        return FieldRow(spec.label)
    if spec.children and isinstance(value, list):
        headers = [child.label for child in spec.children]
        return FieldRow(spec.label, table=Table(headers, [[_text(getattr(item, ch.name)) for ch in spec.children]
                                                         for item in value]))
    if spec.children:
        return FieldRow(spec.label, text="\n".join(f"{ch.label}: {_text(getattr(value, ch.name))}"
                                                   for ch in spec.children))
    return FieldRow(spec.label, text=_text(value))


def _text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _attachments(c: Complaint, root: Path, slug: str, copies: dict[str, Path]) -> list[Link]:
    """Links to the listed attachments, copied next to the page (klachten/<slug>/<name>):
    exactly those the `bijlage` rule finds nothing wrong with (it reports the others)."""
    folder = c.rel.removesuffix(".md")
    links = []
    for name in c.bijlagen or []:
        if bijlage.problem(root, folder, name) is not None:
            links.append(Link(name, "", exists=False))
            continue
        published = name if Path(name).suffix.lower() in SAFE_SUFFIXES else f"{name}.bin"
        copies[urls.attachment_file(slug, published)] = root / folder / name
        links.append(Link(name, quote(published)))
    return links


# --- the dossier index -------------------------------------------------------------------


def index_view(register: Register, result: CheckResult, book: DeadlineBook, history: History, slugs: dict[str, str],
               today) -> dict:
    rows = [index_row(c, register, book, slugs[c.rel], today, c.rel in history.dirty) for c in register.complaints]
    te_doen = pressing(register, result.deadlines, today, slugs)
    years: dict[str, list[dict]] = {}
    for row in sorted(rows, key=lambda r: r["sort"], reverse=True):
        years.setdefault(row["jaar"], []).append(row)
    # Open cases first, the nearest deadline on top (overdue ones have passed it: they lead).
    open_rows = sorted((r for r in rows if r["open"]), key=lambda r: (r["termijn"] or date.max, r["sort"]))
    return {
        "today": today,
        "te_doen": te_doen,
        "open_rows": open_rows,
        "years": years,
        "counts": {
            "totaal": len(rows),
            "open": sum(1 for r in rows if r["open"]),
            "verlopen": sum(1 for r in rows if any(s == VERLOPEN for _, s in r["alerts"])),
            "te_laat": sum(1 for r in rows if any(s == TE_LAAT for _, s in r["alerts"])),
            "fouten": result.count("error"),
            "waarschuwingen": result.count("warning"),
        },
        "findings": [finding_view(f, slugs) for f in result.findings],
        "history": history,
        "dirty": len(history.dirty),
    }


def index_row(c: Complaint, register: Register, book: DeadlineBook, slug: str, today: date, dirty: bool) -> dict:
    warning = register.procedure.waarschuwing
    nxt = next_duty(c, book, warning, today)
    return {
        "slug": slug,
        "volgnummer": c.volgnummer or slug,
        "jaar": str(c.ontvangen.year) if c.ontvangen else "zonder datum",
        "sort": c.sort_key,
        "onderwerp": c.onderwerp or "—",
        "categorie": c.categorie or "—",
        "status": status_text(c),
        "onleesbaar": not c.readable,
        "open": c.is_open,
        "behandelaar": (c.behandelaar.naam if c.behandelaar else None) or "—",
        "volgende": nxt.kort if nxt else None,
        "termijn": nxt.due if nxt else None,
        "dagen": nxt.dagen if nxt else "—",
        "dagen_state": nxt.state if nxt and nxt.state in (VERLOPEN, NADERT) else "",
        "alerts": alerts(c, book, warning, today),
        "dirty": dirty,
    }


def status_text(c: Complaint) -> str:
    """The derived status; of a broken file what could still be read of it (marked unreadable
    beside it), or 'onleesbaar' when nothing could."""
    return c.status if c.readable or c.salvaged else "onleesbaar"


def finding_view(f, slugs: dict[str, str]) -> dict:
    return {
        "plaats": f"{f.file}:{f.line}" if f.file and f.line else f.file or "register",
        "slug": slugs.get(f.file or ""),
        "ernst": SEVERITY_NL[f.severity],
        "severity": f.severity,
        "code": f.code,
        "bericht": f.message,
    }


# --- reference pages ---------------------------------------------------------------------


def field_reference(register: Register) -> list[dict]:
    groups = [
        ("Klachtbestand", "klachten/JJJJ/JJJJ-NNN.md", model.COMPLAINT_FIELDS),
        ("Evaluatie (stap 11)", "klachten/evaluaties/JJJJ-Hn.md", model.EVALUATION_FIELDS),
        ("Jaaroverzicht (stap 12)", "klachten/jaaroverzichten/JJJJ.md", model.OVERVIEW_FIELDS),
    ]
    categories = register.procedure.categorieen
    return [{"titel": t, "bestand": f, "velden": list(_field_entries(fs, "", categories))} for t, f, fs in groups]


def _field_entries(fields, prefix: str, categories):
    for spec in fields:
        choices = categories if spec.name == model.CATEGORIE and not prefix else spec.choices
        yield {
            "naam": prefix + spec.name,
            "label": spec.label,
            "soort": spec.kind,
            "stap": spec.stap or "",
            "verplicht": _required_text(spec, prefix),
            "keuzes": ", ".join(choices),
            "uitleg": spec.help,
        }
        yield from _field_entries(spec.children, f"{prefix}{spec.name}.", categories)


def _required_text(spec: model.Field, prefix: str) -> str:
    if prefix:
        return "verplicht in de groep" if spec.required else "optioneel"
    if not spec.required:
        return "optioneel"
    return "altijd" if spec.row == model.Row.ALTIJD else f"vanaf {model.ROW_LABEL[spec.row]}"


def rule_reference() -> list[dict]:
    """One entry per rule module: codes and severity, explanation, good and bad examples."""
    entries = []
    for rule in RULES:
        head, _, rest = (rule.__doc__ or "").strip().partition("\n")
        codes_text, _, summary = head.partition(":")
        codes = [code.strip() for code in codes_text.split(",")]
        text, examples = [], []
        for line in rest.strip().splitlines():
            is_example = re.match(r"^(Goed|Fout|Melding|Waarschuwing):", line)
            (examples if is_example else text).append(line)
        entries.append(
            {
                "codes": [(code, SEVERITY_NL[SEVERITY[code]]) for code in codes if code in SEVERITY],
                "samenvatting": summary.strip(),
                "uitleg": "\n".join(text).strip(),
                "voorbeelden": examples,
            }
        )
    return entries
