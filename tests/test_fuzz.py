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
import tempfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
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
