"""Property-based tests: `klachten check` survives anything staff can type.

For arbitrary bytes, arbitrary YAML documents and mutations of a valid complaint: no
traceback ever, a file with a problem gets at least one finding on it, the exit code is 1
exactly when an error is found, and each file is checked in bounded time. Inputs that ever
broke the checker are kept in tests/fuzz_corpus/ and replayed as regression tests.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from klachtenregister.cli import main

CORPUS = Path(__file__).parent / "fuzz_corpus"
TODAY = "2026-03-20"
REL = "klachten/2026/2026-001.md"

VALID = """---
volgnummer: 2026-001
onderwerp: Terugkoppeling na intake bleef uit
ontvangen: 2026-03-02
kanaal: mondeling
ontvangen_door: Jan de Vries
klager:
  naam: Anna Jansen
  klantnummer: K-1042
categorie: communicatie
bevestigd: 2026-03-05
directie_geinformeerd: 2026-03-03
directie_betrokken: false
behandelaar:
  rol: directie
  naam: M. Smit
oordeel: ongegrond
oordeel_gemeld: 2026-03-12
voortgang:
  - datum: 2026-03-10
    notitie: Gesprek met klager gevoerd.
---
## Omschrijving
De klager hoorde niets na de intake.
"""

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=3000,  # bounded time per file (ms), generous for a loaded CI machine
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def run_check(content: bytes) -> tuple[int, dict]:
    """Write one complaint file into a fresh register and run the real CLI entry point."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "klachten").mkdir()
        (root / "klachten/procedure.yml").write_text("start: 2026-01-01\n", encoding="utf-8")
        path = root / REL
        path.parent.mkdir(parents=True)
        path.write_bytes(content)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--root", tmp, "--today", TODAY, "--format", "json"])
    assert "interne fout" not in err.getvalue(), err.getvalue()
    return code, json.loads(out.getvalue())


def assert_consistent(code: int, report: dict) -> None:
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert report["errors"] == len(errors)
    assert code == (1 if errors else 0)
    for finding in report["findings"]:
        assert finding["file"] in (REL, None)
        assert finding["line"] is None or finding["line"] >= 1
        assert finding["message"]


def test_the_valid_complaint_is_valid():
    code, report = run_check(VALID.encode())
    assert (code, report["findings"]) == (0, [])


@FUZZ
@given(st.binary(max_size=2000))
@example(b"---\n")
@example(b"---\n---\n")
@example(b"\xff\xfe---\n")
@example(b"---\n- a\n- b\n---\n")
def test_arbitrary_bytes(content: bytes):
    code, report = run_check(content)
    assert_consistent(code, report)
    assert any(f["file"] == REL and f["severity"] == "error" for f in report["findings"])


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
)
keys = st.one_of(st.sampled_from(["volgnummer", "ontvangen", "klager", "naam", "bijlagen",
                                  "behandelaar", "afspraken", "beroep"]), st.text(max_size=12))
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=6)), max_leaves=20)


@FUZZ
@given(documents)
def test_arbitrary_yaml_documents(document):
    text = "---\n" + yaml.safe_dump(document, allow_unicode=True) + "---\nTekst.\n"
    code, report = run_check(text.encode("utf-8"))
    assert_consistent(code, report)
    assert any(f["file"] == REL and f["severity"] == "error" for f in report["findings"])


mutations = st.lists(
    st.tuples(st.sampled_from(["delete", "duplicate", "insert", "replace"]),
              st.integers(min_value=0, max_value=10_000), st.text(max_size=12)),
    min_size=1, max_size=4,
)


def mutate(text: str, steps) -> str:
    lines = text.split("\n")
    for action, position, fragment in steps:
        index = position % len(lines)
        if action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "insert":
            line = lines[index]
            cut = position % (len(line) + 1)
            lines[index] = line[:cut] + fragment + line[cut:]
        else:
            lines[index] = fragment
    return "\n".join(lines)


@FUZZ
@given(mutations)
def test_mutations_of_a_valid_complaint(steps):
    code, report = run_check(mutate(VALID, steps).encode("utf-8"))
    assert_consistent(code, report)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*")), ids=lambda p: p.name)
def test_regression_corpus(path: Path):
    """Inputs that once broke the checker: they must give findings, never a crash."""
    code, report = run_check(path.read_bytes())
    assert_consistent(code, report)
    assert report["errors"] >= 1


# --- the build: bodies, minutes and commit messages (issue 17) -----------------------------------
# One file stopped the whole site: `- ` x 1000 (RecursionError), `[` x 24,000 (minutes of work),
# a commit message holding \x1e. Page generation (everything `klachten build` does before MkDocs:
# reading, checking, history, sanitising, redacting, masking, templates) must survive anything
# staff can write or commit; the MkDocs step itself is exercised by tests/test_hostile.py.

MARKDOWN_PIECES = st.sampled_from([
    "- ", "  ", "> ", "* ", "1. ", "[", "]", "(", ")", "![", "](", "**", "_", "`", "```", "~~", "|", "\n", "\n\n",
    "#", "<", ">", "&", "&#9;", "&#115;", "\\", "\t", "\f", "\x0b", "javascript:", "//", "../", "http://x/",
    "{: onclick=x }", "<script>", "\u00ad", "\u200b", "111222333", "geboren op 3 mei 1980", "Klaagstra", "wzxhzdk:0",
    "\x02", "\x03", "\r", "\u2028", "a", "Jan", " ",
])  # fmt: skip
bodies = st.one_of(
    st.lists(MARKDOWN_PIECES, max_size=200).map("".join),
    st.tuples(MARKDOWN_PIECES, st.integers(min_value=1, max_value=3000)).map(lambda p: p[0] * p[1]),
    st.text(max_size=500),
)


def generate_pages(root: Path) -> dict[str, str]:
    """`klachten build` up to MkDocs, in this process: every generated page."""
    from klachtenregister.site.build import OUT_DIR, generate_docs

    generate_docs(root, date.fromisoformat(TODAY))
    return {str(p.relative_to(root / OUT_DIR)): p.read_text(encoding="utf-8") for p in (root / OUT_DIR).rglob("*.md")}


def complaint_with(body: str) -> str:
    return VALID.split("---\n## Omschrijving")[0] + "---\n" + body


EVALUATION_RECORD = """---
periode: 2026-H1
datum: 2026-03-19
deelnemers: [Jan de Vries]
---
"""


@FUZZ
@given(bodies, bodies)
def test_any_body_and_minutes_give_pages(body: str, minutes: str):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "klachten/2026").mkdir(parents=True)
        (root / "klachten/evaluaties").mkdir()
        (root / "klachten/procedure.yml").write_text("start: 2026-01-01\n", encoding="utf-8")
        (root / REL).write_text(complaint_with(body), encoding="utf-8", newline="")
        (root / "klachten/evaluaties/2026-H1.md").write_text(EVALUATION_RECORD + minutes, encoding="utf-8",
                                                              newline="")
        pages = generate_pages(root)
    assert "klachten/2026-001/index.md" in pages and "evaluaties/2026-h1/index.md" in pages
    from klachtenregister.personal import find

    for page in pages.values():
        assert list(find(page)) == [] and "<script>" not in page  # nothing left to mask, no tag made
        assert not any(ch in page for ch in "\x00\x02\x03\x1e\x1f")


messages = st.binary(max_size=300).map(lambda b: b.replace(b"\0", b""))
authors = st.text(st.characters(blacklist_characters="\0\n<>", blacklist_categories=("Cs",)), min_size=1, max_size=30)


@settings(FUZZ, max_examples=max(10, FUZZ.max_examples // 3))
@given(st.lists(st.tuples(messages, authors), min_size=1, max_size=3))
def test_any_commit_message_or_author_gives_the_audit_trail(commits):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "klachten/2026").mkdir(parents=True)
        (root / "klachten/procedure.yml").write_text("start: 2026-01-01\n", encoding="utf-8")
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        for number, (message, author) in enumerate(commits):
            (root / REL).write_text(VALID + f"\nStap {number}.\n", encoding="utf-8")
            subprocess.run(["git", "add", "-A"], cwd=root, check=True)
            done = subprocess.run(
                ["git", "-c", f"user.name={author}", "-c", "user.email=f@example.invalid", "-c", "commit.gpgsign=false",
                 "commit", "-q", "--allow-empty-message", "-F", "-"],
                cwd=root, input=message, capture_output=True,
            )
            assume(done.returncode == 0)  # git refuses some names (only spaces or dots, say)
        pages = generate_pages(root)
        from klachtenregister.site.history import read_history

        trail = read_history(root).of(REL)
    assert len(trail) == len(commits)  # no commit lost, none shifted into another
    assert len({c.sha for c in trail}) == len(commits) and all(len(c.sha) == 40 for c in trail)
    assert not any(ch in pages["klachten/2026-001/index.md"] for ch in "\x00\x02\x03\x1e\x1f")
