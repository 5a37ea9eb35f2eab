"""Pages of steps 11 and 12: half-year evaluations and annual overviews for UWV.

`report_pages` returns (path, markdown) pairs relative to the generated docs folder; the
site generator writes them. `annual_html` is the same annual overview as one standalone page,
which `report.py` prints to PDF for `klachten report`. The figures come from `figures.py`,
the charts from `charts.py`, all presentation from templates/site/ and templates/report/.

Privacy by construction: annual pages and the PDF are rendered from figures, categories and
the organisational actions of evaluation records only, never from a complaint record; the
only free text on them (an action's `wat`) goes through `Redactor.for_annual`, which removes
every person the register names. On evaluation pages every text from the record (minutes,
participants, actions' `wat` and `wie`) goes through `Redactor.for_evaluations`: no
complainant, UWV contact or klantnummer, while staff keep their names (see redact.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from ..deadlines import NADERT, OPEN, TE_LAAT, VERLOPEN, Deadline, DeadlineBook
from ..letterframe import Frame, contact_text, salutation, sender_name
from ..model import STAP_BEVESTIGING, STAP_EVALUATIE, STAP_JAAROVERZICHT, STAP_OORDEEL, Actie, Evaluation
from ..periods import half_year_bounds, half_year_label, half_year_of, half_years_of, is_half_year, year_bounds
from ..register import Register
from . import charts, figures, urls
from .redact import Redactor
from .sanitize import body_html
from .templating import CONCEPT, GEREED, LOOPT, STAP_LABEL, UITKOMST_LABEL, long_date, template_env
from .urls import complaint_slugs
from .yearfigures import year_figures

# --- which pages -------------------------------------------------------------------------


def report_periods(register: Register) -> tuple[list[str], list[int]]:
    """The periods with a page (SPEC): half-years with complaints or a record, years with
    complaints. (The index pages also list the owed and running periods: `owed_periods`.)"""
    periods = {e.periode for e in register.evaluations if e.periode and is_half_year(e.periode)}
    years = set()
    for c in register.complaints:
        if c.ontvangen:
            periods.add(half_year_of(c.ontvangen))
            years.add(c.ontvangen.year)
    return sorted(periods), sorted(years)


def owed_periods(register: Register, today: date, due: list[Deadline]) -> tuple[set[str], set[int]]:
    """Half-years and years a duty is owed for (the deadlines of steps 11 and 12, from
    `start`), plus the running ones from `start` on: the index pages list them all, so a
    quiet period with an overdue evaluation shows as overdue, not as missing."""
    halves = {d.subject for d in due if d.stap == STAP_EVALUATIE}
    years = {int(d.subject) for d in due if d.stap == STAP_JAAROVERZICHT}
    running = half_year_of(today)
    if half_year_bounds(running)[1] >= register.procedure.start:
        halves.add(running)
    if year_bounds(today.year)[1] >= register.procedure.start:
        years.add(today.year)
    return halves, years


def report_pages(register: Register, today: date, book: DeadlineBook | None = None) -> list[tuple[str, str]]:
    """book: the deadlines check reported (made from the register when not given)."""
    env = template_env(register.root)
    ctx = _Context(register, today, book)
    halves, years = report_periods(register)
    owed_halves, owed_years = owed_periods(register, today, list(ctx.book.by_period.values()))

    def render(name: str, view: dict, **more) -> str:
        return env.get_template(f"site/{name}.md.j2").render(**view, **more)

    half_index = ctx.half_index(sorted(owed_halves | set(halves)), set(halves))
    year_index = ctx.year_index(sorted(owed_years | set(years)), set(years))
    pages = [(f"{urls.EVALUATIONS}/index.md", render("evaluaties-index", half_index))]
    pages += [(urls.evaluation_page(p), render("evaluatie", ctx.half_year(p))) for p in halves]
    pages.append((f"{urls.OVERVIEWS}/index.md", render("jaaroverzichten-index", year_index)))
    pages += [(urls.overview_page(y), render("jaaroverzicht", ctx.year(y), markdown=True)) for y in years]
    return pages


def annual_html(register: Register, year: int, today: date, book: DeadlineBook | None = None) -> str:
    """The annual overview as the document sent to UWV: one standalone HTML page (inline CSS
    and SVG) for the PDF, a first page like a letter and then the figures."""
    env = template_env(register.root)
    view = _Context(register, today, book).year(year)
    return env.get_template("report/jaaroverzicht.html.j2").render(
        **view, brief=annual_letter(register, year, today, view["concept"]), markdown=False,
        organisatie=sender_name(register.procedure), contact=contact_text(register.procedure),
    )  # fmt: skip


def annual_letter(register: Register, year: int, today: date, draft: bool) -> Frame:
    """The annual overview's first page: from the organisation to UWV's accountmanager."""
    procedure = register.procedure
    org = sender_name(procedure)
    return Frame(procedure.organisatie, annual_addressee(register, year), today, f"jaaroverzicht klachten {year}",
                 f"Jaaroverzicht klachten {year}", salutation(_addressee_name(register, year)),
                 ("De directie", *((org,) if org else ())), concept=draft)  # fmt: skip


def annual_addressee(register: Register, year: int) -> tuple[str, ...]:
    """procedure.yml `uwv`; else whom the year's overview (or the latest one) was sent to
    (the record's `aan`); else UWV's accountmanager re-integratie by function."""
    uwv = register.procedure.uwv
    if uwv:
        return (uwv.naam, *((uwv.functie,) if uwv.functie else ()), "UWV")
    name = _addressee_name(register, year)
    return (name, "UWV") if name else ("De accountmanager re-integratie", "UWV")


def _addressee_name(register: Register, year: int) -> str | None:
    if register.procedure.uwv:
        return register.procedure.uwv.naam
    sent = {o.jaar: o.aan for o in register.overviews if o.jaar and o.aan}
    return sent.get(str(year)) or (sent[max(sent)] if sent else None)


# --- view models -------------------------------------------------------------------------


@dataclass(frozen=True)
class Stand:
    """Where a step-11 or step-12 duty stands: a state word for the badge and a sentence."""

    woord: str
    tekst: str


@dataclass(frozen=True)
class ActionView:
    periode: str
    wat: str
    wie: str
    uiterlijk: date | None
    gereed: date | None
    stand: str


@dataclass(frozen=True)
class Figures:
    """A period's figures with the charts that picture them (shared by both page kinds)."""

    s: figures.PeriodStats
    termijn: dict[str, int]
    maanden: Markup
    uitkomst: Markup
    categorie: Markup
    tijden: Markup


class _Context:
    """Everything the report pages share, computed once per generation."""

    def __init__(self, register: Register, today: date, book: DeadlineBook | None = None) -> None:
        self.register, self.today = register, today
        self.procedure = register.procedure
        self.book = book or DeadlineBook.of_register(register, today)
        self.evaluations = {e.periode: e for e in register.evaluations if e.periode}
        self.sent = {o.jaar: o for o in register.overviews if o.jaar}

    @functools.cached_property
    def complainants(self) -> Redactor:
        """For evaluation pages: complainants and UWV contacts out, staff kept."""
        return Redactor.for_evaluations(self.register)

    @functools.cached_property
    def everyone(self) -> Redactor:
        """For annual pages (and the PDF for UWV): everyone the register names out."""
        return Redactor.for_annual(self.register)

    # evaluation pages

    def half_year(self, period: str) -> dict:
        first, last = half_year_bounds(period)
        record = self.evaluations.get(period)
        minutes, removed = self.complainants.redact(record.body) if record else ("", 0)
        return {
            "periode": period,
            "titel": half_year_label(period),
            "today": self.today,
            "f": self.figures(period.lower(), first, last),
            "rows": self.complaint_rows(first, last),
            "links": self.links,
            # Of the record only what is not free text: the rest reaches the page redacted.
            "record": {"datum": record.datum, "rel": record.rel} if record else None,
            "deelnemers": [self.complainants.redact(str(n))[0] for n in record.deelnemers or []] if record else [],
            "verslag": body_html(minutes) if minutes.strip() else None,
            "weggelaten": removed,
            "stand": self.evaluation_stand(period, last, record),
            "acties": self.actions(record) if record else [],
            "eerdere": [a for e in self._earlier(period) for a in self.actions(e) if a.gereed is None],
        }

    def half_index(self, halves: list[str], with_page: set[str]) -> dict:
        """A row per half-year, newest first; `with_page`: those that have a page of their own."""
        rows = []
        for period in reversed(halves):
            first, last = half_year_bounds(period)
            record = self.evaluations.get(period)
            actions = self.actions(record) if record else []
            rows.append(
                {
                    "periode": period,
                    "slug": period.lower(),
                    "pagina": period in with_page,
                    "titel": half_year_label(period),
                    "klachten": len(figures.received_in(self.register.complaints, first, last)),
                    "stand": self.evaluation_stand(period, last, record),
                    "open_acties": sum(1 for a in actions if a.gereed is None),
                }
            )
        return self._index(rows, "periode", self.procedure.termijnen.evaluatie)

    def _index(self, rows: list[dict], key: str, term: int) -> dict:
        overdue = [r[key] for r in reversed(rows) if r["stand"].woord == VERLOPEN]
        return {"rows": rows, "verlopen": overdue, "today": self.today, "termijn": term, "start": self.procedure.start}

    def _earlier(self, period: str) -> list[Evaluation]:
        return [e for key, e in sorted(self.evaluations.items()) if is_half_year(key) and key < period]

    def evaluation_stand(self, period: str, last: date, record: Evaluation | None) -> Stand:
        due = self.book.period(STAP_EVALUATIE, period)
        held = record.datum if record else None
        if held and due:
            return self._owed(due, f"overleg gehouden op {long_date(held)}; termijn tot en met {long_date(due.due)}")
        if held:
            return Stand(GEREED, f"overleg gehouden op {long_date(held)}")
        if last >= self.today:
            return Stand(LOOPT, f"het halfjaar loopt tot en met {long_date(last)}; daarna volgt het overleg")
        if due:
            return self._owed(due, f"nog geen verslag vastgelegd; uiterlijk {long_date(due.due)}")
        return Stand("n.v.t.", "niet verplicht: de periode ligt voor de start van het register")

    def actions(self, record: Evaluation, redactor: Redactor | None = None) -> list[ActionView]:
        """The record's actions; `wat` and `wie` redacted (of complainants, or of everyone on
        annual pages: a register's own annual template that shows `wie` still names nobody)."""
        redactor = redactor or self.complainants
        warn = self.procedure.waarschuwing
        return [
            ActionView(
                record.periode or "",
                redactor.redact(a.wat or "")[0],
                redactor.redact(a.wie or "")[0],
                a.uiterlijk,
                a.gereed,
                action_state(a, self.today, warn),
            )
            for a in record.acties or []
        ]

    # annual pages

    def year(self, year: int) -> dict:
        """The annual page and the PDF: every figure from `year_figures`, as the JSON has them."""
        first, last = year_bounds(year)
        y = year_figures(self.register, year, self.today, self.book)
        periods = half_years_of(year)
        actions = [
            a for p in periods if p in self.evaluations for a in self.actions(self.evaluations[p], self.everyone)
        ]
        return {
            "jaar": year,
            "today": self.today,
            "concept": last >= self.today,
            "y": y,
            "f": self.figures(str(year), first, last, y.s),
            "acties": actions,
            "evaluaties": [p for p in periods if p in self.evaluations],
            "stand": self.annual_stand(year, last),
            "termijn_jaaroverzicht": self.procedure.termijnen.jaaroverzicht,
        }

    def year_index(self, years: list[int], with_page: set[int]) -> dict:
        """A row per year, newest first; `with_page`: the years with complaints (a page each)."""
        rows = []
        for year in reversed(years):
            first, last = year_bounds(year)
            rows.append(
                {
                    "jaar": year,
                    "pagina": year in with_page,
                    "klachten": len(figures.received_in(self.register.complaints, first, last)),
                    "stand": self.annual_stand(year, last),
                }
            )
        return self._index(rows, "jaar", self.procedure.termijnen.jaaroverzicht)

    def annual_stand(self, year: int, last: date) -> Stand:
        record = self.sent.get(str(year))
        due = self.book.period(STAP_JAAROVERZICHT, str(year))
        if record and record.verzonden:
            tail = f"; termijn tot en met {long_date(due.due)}" if due else ""
            state = due.state(self.today, self.procedure.waarschuwing) if due else GEREED
            return Stand(state, f"verzonden op {long_date(record.verzonden)}{tail}")
        if last >= self.today:
            return Stand(CONCEPT, f"het jaar loopt nog; cijfers tot en met {long_date(self.today)}; nog niet verzonden")
        if due:
            return self._owed(due, f"nog niet verzonden; uiterlijk {long_date(due.due)}")
        return Stand("n.v.t.", "niet verplicht: het jaar ligt voor de start van het register")

    def _owed(self, due: Deadline, text: str) -> Stand:
        """A duty check reports a deadline for: its state today."""
        return Stand(due.state(self.today, self.procedure.waarschuwing), text)

    # shared

    def figures(self, key: str, first: date, last: date, s: figures.PeriodStats | None = None) -> Figures:
        """The period's figures (`s`: already computed) and the charts that picture them."""
        s = s or figures.period_stats(self.register.complaints, self.procedure, first, last, self.today, self.book)
        days = self.procedure.termijnen
        termijn = {STAP_BEVESTIGING: days.bevestiging, STAP_OORDEEL: days.oordeel}
        return Figures(
            s=s,
            termijn=termijn,
            maanden=charts.month_bars(
                f"{key}-maanden",
                "Ontvangen klachten per maand",
                [(charts.month_label(m.month), n) for m, n in s.per_maand],
            ),
            uitkomst=charts.bar_chart(
                f"{key}-uitkomst",
                "Uitkomst van de klachten",
                _share_bars(s.per_uitkomst, s.ontvangen, UITKOMST_LABEL, patterned=True),
                scale=s.ontvangen or 1,
            ),
            categorie=charts.bar_chart(
                f"{key}-categorie",
                "Klachten per categorie",
                _share_bars(s.per_categorie, s.ontvangen, {}),
                scale=s.ontvangen or 1,
            ),
            tijden=charts.timing_chart(
                f"{key}-tijden",
                "Dagen van ontvangst tot bevestiging en tot oordeel",
                [
                    charts.Timing(STAP_LABEL[stap], s.tijden[stap].mediaan, s.tijden[stap].langste, termijn[stap])
                    for stap in figures.STAPPEN
                ],
            ),
        )

    def complaint_rows(self, first: date, last: date) -> list[figures.ComplaintRow]:
        own = figures.received_in(self.register.complaints, first, last)
        return [figures.complaint_row(c, self.book, self.procedure.waarschuwing, self.today) for c in own]

    @functools.cached_property
    def links(self) -> dict[str, str]:
        """volgnummer -> the complaint page, relative to a report page (only where the page's
        name is that volgnummer)."""
        slugs = complaint_slugs(self.register.complaints)
        return {  # a page whose name is not a volgnummer (Anna-Jansen) is not linked: its URL names
            label: urls.link_from_period_page(slugs[c.rel])
            for c in self.register.complaints
            if (label := figures.report_label(c)) == slugs[c.rel]
        }


def _share_bars(counts: dict[str, int], total: int, labels: dict[str, str], patterned: bool = False):
    return [
        charts.Bar(
            labels.get(key, key), n, f"{n} ({round(100 * n / total)}%)" if total else "0", index if patterned else 0
        )
        for index, (key, n) in enumerate(counts.items())
    ]


def action_state(a: Actie, today: date, warning_days) -> str:
    """gereed, te laat (done after its planned date), verlopen, nadert or open."""
    if a.gereed:
        return TE_LAAT if a.uiterlijk and a.gereed > a.uiterlijk else GEREED
    if a.uiterlijk and a.uiterlijk < today:
        return VERLOPEN
    days = warning_days if isinstance(warning_days, int) else warning_days.days("actie")
    if a.uiterlijk and (a.uiterlijk - today).days <= days:
        return NADERT
    return OPEN
