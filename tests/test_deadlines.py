"""Deadlines on both sides of every boundary, and procedure.yml's overrides and errors.

SPEC: a step due "within N days" of date D is on time when done on or before D + N and
overdue from D + N + 1 on; a deadline within `waarschuwing` days is an info; H1 ends on 30 June,
H2 on 31 December; evaluations and annual overviews are owed for periods ending on or after
`start`. Each boundary is tested twice where it applies: the step done on the day, and the step
not done with "today" on the day.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from conftest import NEW_COMPLAINT, PRODUCT, check_json, edit, line_of, write_register
from klachtenregister.deadlines import NADERT, OP_TIJD, OPEN, TE_LAAT, VERLOPEN, Deadline
from klachtenregister.periods import half_year_of, half_years, years
from klachtenregister.procedure import Procedure, Termijnen, Waarschuwing, load_procedure

PROCEDURE = "klachten/procedure.yml"


def complaint(ontvangen: str, *lines: str) -> str:
    """NEW_COMPLAINT received on `ontvangen` (volgnummer of that year), with `lines` added."""
    text = edit(NEW_COMPLAINT, "ontvangen: 2026-04-28", f"ontvangen: {ontvangen}")
    text = edit(text, "volgnummer: 2026-007", f"volgnummer: {ontvangen[:4]}-007")
    return text.replace("---\n## Omschrijving", "".join(f"{line}\n" for line in lines) + "---\n## Omschrijving")


def register(root, source: str, procedure: str = "start: 2026-01-01\n", extra: dict | None = None):
    rel = f"klachten/{source.split('volgnummer: ')[1][:4]}/{source.split('volgnummer: ')[1][:8]}.md"
    write_register(root, {PROCEDURE: procedure, rel: source, **(extra or {})})
    return rel


def termijnen(root, today: str) -> set[tuple]:
    """(file, code, line, stap) of every deadline finding."""
    return {
        (f["file"], f["code"], f["line"], f["stap"])
        for f in check_json(root, today)
        if f["code"].startswith("termijn-")
    }


# --- bevestiging (7 days) and oordeel (21 days) ----------------------------------------------

STEPS = [
    # stap, field, days, extra lines needed before it
    ("bevestiging", "bevestigd", 7, ()),
    ("oordeel", "oordeel_gemeld", 21, ("bevestigd: 2026-03-03",)),
]


@pytest.mark.parametrize(("stap", "field", "days", "before"), STEPS, ids=[s[0] for s in STEPS])
@pytest.mark.parametrize(("done", "late"), [("2026-03-02", False), ("D+N", False), ("D+N+1", True)])
def test_done_on_or_before_the_last_day_is_on_time(tmp_path, stap, field, days, before, done, late):
    due = date(2026, 3, 2).toordinal() + days
    day = {"D+N": date.fromordinal(due), "D+N+1": date.fromordinal(due + 1)}.get(done, date(2026, 3, 2))
    source = complaint("2026-03-02", *before, f"{field}: {day}")
    rel = register(tmp_path, source)
    found = {t for t in termijnen(tmp_path, "2026-06-01") if t[3] == stap}
    assert found == ({(rel, "termijn-overschreden", line_of(source, f"{field}:"), stap)} if late else set())


@pytest.mark.parametrize(("stap", "field", "days", "before"), STEPS, ids=[s[0] for s in STEPS])
@pytest.mark.parametrize(
    ("offset", "code"), [(-3, None), (-2, "termijn-nadert"), (0, "termijn-nadert"), (1, "termijn-verlopen")]
)
def test_not_done_with_today_around_the_last_day(tmp_path, stap, field, days, before, offset, code):
    source = complaint("2026-03-02", *[line for line in before if not line.startswith(field)])
    rel = register(tmp_path, source)
    today = date.fromordinal(date(2026, 3, 2).toordinal() + days + offset).isoformat()
    found = {t for t in termijnen(tmp_path, today) if t[3] == stap}
    assert found == ({(rel, code, line_of(source, "ontvangen:"), stap)} if code else set())


def test_overdue_message_counts_the_days(tmp_path):
    register(tmp_path, complaint("2026-03-02"))
    finding = next(f for f in check_json(tmp_path, "2026-03-12") if f["code"] == "termijn-verlopen")
    assert "2026-03-09" in finding["message"] and "(3 dagen geleden)" in finding["message"]
    assert finding["severity"] == "error" and finding["veld"] == "bevestigd"


def test_leap_day(tmp_path):
    rel = register(tmp_path, complaint("2028-02-22", "bevestigd: 2028-02-29"), "start: 2028-01-01\n")
    assert termijnen(tmp_path, "2028-03-01") == set()
    register(tmp_path, complaint("2028-02-22", "bevestigd: 2028-03-01"), "start: 2028-01-01\n")
    assert {t[1] for t in termijnen(tmp_path, "2028-03-02")} == {"termijn-overschreden"}
    register(tmp_path, complaint("2028-02-22"), "start: 2028-01-01\n")
    assert termijnen(tmp_path, "2028-02-29") == {(rel, "termijn-nadert", 4, "bevestiging")}
    assert termijnen(tmp_path, "2028-03-01") == {(rel, "termijn-verlopen", 4, "bevestiging")}


def test_year_end(tmp_path):
    source = complaint("2026-12-25")
    rel = register(tmp_path, source)
    assert (rel, "termijn-nadert", 4, "bevestiging") in termijnen(tmp_path, "2027-01-01")
    assert (rel, "termijn-verlopen", 4, "bevestiging") in termijnen(tmp_path, "2027-01-02")
    register(tmp_path, complaint("2026-12-25", "bevestigd: 2027-01-01"))
    assert {t for t in termijnen(tmp_path, "2027-01-02") if t[3] == "bevestiging"} == set()


def test_withdrawn_steps_are_no_longer_owed(tmp_path):
    register(tmp_path, complaint("2026-03-02", "ingetrokken: 2026-03-04"))
    assert termijnen(tmp_path, "2026-06-01") == set()


@pytest.mark.parametrize(("ingetrokken", "missed"), [("2026-03-09", set()), ("2026-03-10", {"bevestiging"})])
def test_a_deadline_missed_before_the_withdrawal_stays_missed(tmp_path, ingetrokken, missed):
    """Bevestiging is due on 2026-03-09 (D+7): withdrawn on that day it is no longer owed; withdrawn
    a day later the deadline had passed undone, a warning (the case is closed, CI stays green)."""
    source = complaint("2026-03-02", f"ingetrokken: {ingetrokken}")
    rel = register(tmp_path, source)
    found = termijnen(tmp_path, "2026-06-01")
    assert found == {(rel, "termijn-overschreden", line_of(source, "ontvangen:"), stap) for stap in missed}
    messages = [f["message"] for f in check_json(tmp_path, "2026-06-01") if f["code"] == "termijn-overschreden"]
    assert all("ingetrokken op 2026-03-10" in m and "2026-03-09" in m for m in messages)


# --- evaluatie (half-year end + 90) and jaaroverzicht (year end + 90) --------------------------

# (stap, record file, record field, last day on time) with start 2023-01-01; 2024 is a leap year.
PERIODIC = [
    ("evaluatie", "klachten/evaluaties/2024-H1.md", "datum", "2024-09-28"),  # 30 June + 90
    ("evaluatie", "klachten/evaluaties/2024-H2.md", "datum", "2025-03-31"),  # 31 December + 90
    ("evaluatie", "klachten/evaluaties/2023-H2.md", "datum", "2024-03-30"),  # over 29 February
    ("jaaroverzicht", "klachten/jaaroverzichten/2023.md", "verzonden", "2024-03-30"),  # over 29 February
    ("jaaroverzicht", "klachten/jaaroverzichten/2024.md", "verzonden", "2025-03-31"),
]


def record(rel: str, field: str, day: str) -> str:
    period = rel.rsplit("/", 1)[1][:-3]
    if field == "datum":
        return f"---\nperiode: {period}\ndatum: {day}\ndeelnemers:\n  - R. Directeur\n---\nVerslag.\n"
    return f"---\njaar: {period}\nverzonden: {day}\naan: W. Accountmanager\n---\n"


def about(root, today: str, stap: str, subject: str) -> list[dict]:
    """The findings about period `subject` (2024-H1, 2024) of `stap`."""
    pattern = re.compile(rf"stap \d+: [^;(]* {re.escape(subject)} (is|moet|was) ")
    return [f for f in check_json(root, today) if f.get("stap") == stap and pattern.match(f["message"])]


def periodic(root, today: str, stap: str, subject: str) -> set[tuple]:
    return {(f["file"], f["code"], f["line"]) for f in about(root, today, stap, subject)}


@pytest.mark.parametrize(("stap", "rel", "field", "due"), PERIODIC, ids=[p[1].rsplit("/", 1)[1] for p in PERIODIC])
def test_periodic_record_on_the_last_day_is_on_time_the_day_after_late(tmp_path, stap, rel, field, due):
    subject = rel.rsplit("/", 1)[1][:-3]
    later = "2025-12-31"
    write_register(tmp_path, {PROCEDURE: "start: 2023-01-01\n", rel: record(rel, field, due)})
    assert periodic(tmp_path, later, stap, subject) == set()
    day_after = date.fromordinal(date.fromisoformat(due).toordinal() + 1).isoformat()
    write_register(tmp_path, {rel: record(rel, field, day_after)})
    assert periodic(tmp_path, later, stap, subject) == {(rel, "termijn-overschreden", 3)}


@pytest.mark.parametrize(("stap", "rel", "field", "due"), PERIODIC, ids=[p[1].rsplit("/", 1)[1] for p in PERIODIC])
def test_periodic_record_missing_with_today_around_the_last_day(tmp_path, stap, rel, field, due):
    subject = rel.rsplit("/", 1)[1][:-3]
    write_register(tmp_path, {PROCEDURE: "start: 2023-01-01\n"})
    last = date.fromisoformat(due).toordinal()
    assert periodic(tmp_path, date.fromordinal(last - 3).isoformat(), stap, subject) == set()
    assert periodic(tmp_path, date.fromordinal(last - 2).isoformat(), stap, subject) == {(None, "termijn-nadert", None)}
    assert periodic(tmp_path, due, stap, subject) == {(None, "termijn-nadert", None)}
    overdue = periodic(tmp_path, date.fromordinal(last + 1).isoformat(), stap, subject)
    assert overdue == {(None, "termijn-verlopen", None)}
    (finding,) = about(tmp_path, date.fromordinal(last + 1).isoformat(), stap, subject)
    message = finding["message"]
    assert rel in message  # says which file to create


def test_a_half_year_is_owed_only_once_it_has_ended(tmp_path):
    write_register(tmp_path, {PROCEDURE: "start: 2026-01-01\n"})
    assert termijnen(tmp_path, "2026-06-30") == set()
    assert termijnen(tmp_path, "2026-07-01") == set()  # owed now, due 2026-09-28: not yet near
    assert {t[1] for t in termijnen(tmp_path, "2026-09-26")} == {"termijn-nadert"}


@pytest.mark.parametrize(
    ("start", "owed"),
    [
        ("2026-03-01", {"2026-H1"}),  # 2025-H2 and 2025 ended before start
        ("2025-12-31", {"2025-H2", "2025", "2026-H1"}),  # a period ending on start is owed
        ("2026-07-01", set()),
    ],
)
def test_periods_ending_before_start_are_not_owed(tmp_path, start, owed):
    write_register(tmp_path, {PROCEDURE: f"start: {start}\n"})
    overdue = [f for f in check_json(tmp_path, "2026-12-30") if f["code"] == "termijn-verlopen"]
    subjects = {f["message"].split(" is niet gedaan")[0].rsplit(" ", 1)[1] for f in overdue}
    assert subjects == owed


def test_deadline_arithmetic_functions():
    assert list(half_years(date(2025, 12, 31), date(2026, 7, 1))) == [
        ("2025-H2", date(2025, 7, 1), date(2025, 12, 31)),
        ("2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
    ]
    assert list(years(date(2024, 2, 29), date(2026, 1, 1))) == [2024, 2025]
    d = Deadline("bevestiging", "2026-007", date(2026, 3, 9), None)
    assert [d.state(date(2026, 3, day), 2) for day in (6, 7, 9, 10)] == [OPEN, NADERT, NADERT, VERLOPEN]
    assert (
        Deadline("oordeel", "x", date(2026, 3, 23), date(2026, 3, 23)).state(date(2027, 1, 1), 2)
        == OP_TIJD
    )
    assert (
        Deadline("oordeel", "x", date(2026, 3, 23), date(2026, 3, 24)).state(date(2027, 1, 1), 2)
        == TE_LAAT
    )


def test_dates_at_the_end_of_the_calendar_give_findings_not_overflow(tmp_path):
    source = edit(complaint("2026-03-02"), "ontvangen: 2026-03-02", "ontvangen: 9999-12-30")
    write_register(
        tmp_path,
        {PROCEDURE: "start: 2026-01-01\n", "klachten/9999/9999-007.md": source.replace("2026-007", "9999-007")},
    )
    codes = {(f["code"], f["line"]) for f in check_json(tmp_path, "2026-05-01")}
    assert ("volgorde", 4) in codes


# --- procedure.yml: overrides -------------------------------------------------------------------


def test_termijnen_override(tmp_path):
    procedure = "start: 2026-01-01\ntermijnen:\n  bevestiging: 3\n  oordeel: 10\n"
    rel = register(tmp_path, complaint("2026-03-02", "bevestigd: 2026-03-05"), procedure)
    assert termijnen(tmp_path, "2026-03-12") == {(rel, "termijn-nadert", 4, "oordeel")}
    assert termijnen(tmp_path, "2026-03-13") == {(rel, "termijn-verlopen", 4, "oordeel")}
    register(tmp_path, complaint("2026-03-02", "bevestigd: 2026-03-06"), procedure)
    assert (rel, "termijn-overschreden", 10, "bevestiging") in termijnen(tmp_path, "2026-03-13")


def test_periodic_termijnen_override(tmp_path):
    write_register(tmp_path, {PROCEDURE: "start: 2026-01-01\ntermijnen:\n  evaluatie: 10\n  jaaroverzicht: 5\n"})
    assert {(f["stap"], f["code"]) for f in check_json(tmp_path, "2026-07-11") if f["code"].startswith("termijn")} == {
        ("evaluatie", "termijn-verlopen")
    }
    found = {(f["stap"], f["code"]) for f in check_json(tmp_path, "2027-01-06") if f["code"].startswith("termijn")}
    assert ("jaaroverzicht", "termijn-verlopen") in found


@pytest.mark.parametrize(("today", "code"), [("2026-03-03", None), ("2026-03-04", "termijn-nadert")])
def test_waarschuwing_override(tmp_path, today, code):
    rel = register(tmp_path, complaint("2026-03-02"), "start: 2026-01-01\nwaarschuwing: 5\n")
    found = {t for t in termijnen(tmp_path, today) if t[3] == "bevestiging"}
    assert found == ({(rel, code, 4, "bevestiging")} if code else set())


def test_waarschuwing_zero_warns_only_on_the_last_day(tmp_path):
    rel = register(tmp_path, complaint("2026-03-02"), "start: 2026-01-01\nwaarschuwing: 0\n")
    assert termijnen(tmp_path, "2026-03-08") == set()
    assert termijnen(tmp_path, "2026-03-09") == {(rel, "termijn-nadert", 4, "bevestiging")}


def test_categorieen_override(tmp_path):
    procedure = "start: 2026-01-01\ncategorieen: [wachttijd, bejegening]\n"
    source = edit(complaint("2026-04-28"), "categorie: communicatie", "categorie: wachttijd")
    register(tmp_path, source, procedure)
    assert check_json(tmp_path, "2026-04-30") == []
    register(tmp_path, complaint("2026-04-28"), procedure)
    (finding,) = check_json(tmp_path, "2026-04-30")
    assert (finding["code"], finding["line"], finding["veld"]) == ("veld-ongeldig", 9, "categorie")
    assert "wachttijd" in finding["message"]


# --- procedure.yml: its own errors, on their line; the default stays in force ---------------------

PROCEDURE_ERRORS = [
    ("waarschuwng: 3\n", 1, "waarschuwng", "bedoelde je 'waarschuwing'"),
    ("termijnen:\n  bevestging: 3\n", 2, "termijnen.bevestging", "bedoelde je 'bevestiging'"),
    ("waarschuwing: twee\n", 1, "waarschuwing", "geheel getal"),
    ("termijnen:\n  oordeel: -1\n", 2, "termijnen.oordeel", "geheel getal"),
    ("termijnen:\n  oordeel: 0\n", 2, "termijnen.oordeel", "geheel getal"),
    ("termijnen:\n  oordeel: 99999999999\n", 2, "termijnen.oordeel", "geheel getal"),
    ("waarschuwing: ²\n", 1, "waarschuwing", "geheel getal"),
    ("start: 01-03-2026\n", 1, "start", "2026-03-01"),
    ("start: 2026-02-30\n", 1, "start", "bestaat niet"),
    ("categorieen: overig\n", 1, "categorieen", "lijst"),
    ("termijnen: 7\n", 1, "termijnen", "termijnen"),
    ("bewaartermijn: 0\n", 1, "bewaartermijn", "geheel getal"),
    ("bewaartermijn: 100000\n", 1, "bewaartermijn", "geheel getal"),
]


@pytest.mark.parametrize(
    ("text", "line", "veld", "words"), PROCEDURE_ERRORS, ids=[e[2] + "=" + e[0].split()[-1] for e in PROCEDURE_ERRORS]
)
def test_procedure_errors_name_the_option_on_its_line(tmp_path, text, line, veld, words):
    write_register(tmp_path, {PROCEDURE: text})
    findings = [f for f in check_json(tmp_path, "2023-01-02") if f["file"] == PROCEDURE]
    assert [(f["code"], f["line"], f["veld"]) for f in findings] == [("veld-ongeldig", line, veld)]
    assert words in findings[0]["message"]


def test_procedure_error_keeps_the_default(tmp_path):
    procedure = "start: 2026-01-01\ntermijnen:\n  bevestiging: zeven\n"
    rel = register(tmp_path, complaint("2026-03-02"), procedure)
    codes = termijnen(tmp_path, "2026-03-10")
    assert codes == {(rel, "termijn-verlopen", 4, "bevestiging")}  # 7 days: overdue on D+8
    assert termijnen(tmp_path, "2026-03-06") == set()


@pytest.mark.parametrize(
    ("text", "line"),
    [("- start: 2026-01-01\n", 1), ("start: 2026-01-01\nstart: 2026-02-01\n", 2), ("start: [\n", 1)],
    ids=["lijst", "dubbel", "kapot"],
)
def test_procedure_yaml_errors(tmp_path, text, line):
    write_register(tmp_path, {PROCEDURE: text})
    findings = [f for f in check_json(tmp_path, "2023-01-02") if f["file"] == PROCEDURE]
    assert [(f["code"], f["line"]) for f in findings] == [("yaml", line)]


def test_procedure_defaults_and_full_file(tmp_path):
    write_register(tmp_path, {})
    assert load_procedure(tmp_path) == (Procedure(), [])
    assert Procedure().termijnen == Termijnen(7, 21, 90, 90) and Procedure().waarschuwing == Waarschuwing.uniform(2)
    assert Procedure().start == date(2023, 1, 1) and Procedure().bewaartermijn is None
    write_register(tmp_path, {PROCEDURE: "\ufeffstart: 2024-01-01\r\nwaarschuwing: 4\r\nbewaartermijn: 7\r\n"})
    procedure, problems = load_procedure(tmp_path)
    assert problems == []
    read = (procedure.start, procedure.waarschuwing, procedure.bewaartermijn)
    assert read == (date(2024, 1, 1), Waarschuwing.uniform(4), 7)


def test_example_procedure_is_read_without_problems():
    procedure, problems = load_procedure(PRODUCT)
    assert problems == [] and procedure.start == date(2025, 1, 1)


def test_the_line_numbers_written_out_above():
    source = complaint("2026-03-02", "bevestigd: 2026-03-03", "oordeel_gemeld: 2026-03-20")
    assert line_of(source, "ontvangen:") == 4 and line_of(source, "bevestigd:") == 10


# --- the site shows the deadlines check reports --------------------------------------------


def test_timeline_shows_exactly_the_deadlines_check_reports():
    """Steps 3, 7, 11 and 12 of every complaint's timeline carry the due date and state of
    `CheckResult.deadlines`; a deadline changed in the book changes the page (nothing is
    computed a second time)."""
    import dataclasses

    from conftest import EXAMPLE_TODAY
    from klachtenregister.check import check_root
    from klachtenregister.deadlines import DeadlineBook
    from klachtenregister.site.timeline import complaint_steps

    result = check_root(PRODUCT, EXAMPLE_TODAY)
    register, book = result.register, DeadlineBook(result.deadlines)
    shown, warning = 0, register.procedure.waarschuwing
    for c in register.complaints:
        steps = {s.nummer: s for s in complaint_steps(c, register, book, EXAMPLE_TODAY)}
        owed = [*(d for d in book.of(c) if d.stap in ("bevestiging", "oordeel")),
                book.period("evaluatie", half_year_of(c.ontvangen)),
                book.period("jaaroverzicht", str(c.ontvangen.year))]
        for nummer, d in zip((3, 7, 11, 12), owed, strict=True):
            if d is not None:
                assert (steps[nummer].termijn, steps[nummer].state) == (d.due, d.state(EXAMPLE_TODAY, warning)), c.rel
                shown += 1
    assert shown > 2 * len(register.complaints)
    moved = [dataclasses.replace(d, due=date(2026, 1, 1)) if d.stap == "evaluatie" else d for d in result.deadlines]
    c = next(c for c in register.complaints if book.period("evaluatie", half_year_of(c.ontvangen)))
    assert complaint_steps(c, register, DeadlineBook(moved), EXAMPLE_TODAY)[10].termijn == date(2026, 1, 1)
