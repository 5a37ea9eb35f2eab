"""The synthetic register (for speed measurements and benchmarks) is valid and complete."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

from conftest import check_json
from klachtenregister.register import load_register
from klachtenregister.synthetic import TODAY, build, generate


def test_synthetic_register_checks_clean_and_covers_every_stage(tmp_path):
    made = generate(tmp_path, 400, seed=3)
    assert check_json(tmp_path, TODAY.isoformat()) == []
    register = load_register(tmp_path)
    assert len(register.complaints) == 400 == len(made.complaints)
    statuses = Counter(c.status for c in register.complaints)
    assert set(statuses) == {
        "ontvangen",
        "bevestigd",
        "in behandeling",
        "beoordeeld",
        "afgehandeld",
        "in beroep",  # an appeal without its outcome (SPEC 4.1)
        "gesloten",
        "ingetrokken",
    }
    assert {c.kanaal for c in register.complaints} == {"mondeling", "schriftelijk", "brief"}
    assert {c.oordeel for c in register.complaints} >= {"gegrond", "deels-gegrond", "ongegrond"}
    assert any(c.beroep for c in register.complaints) and any(c.directie_betrokken for c in register.complaints)
    assert len({c.ontvangen.year for c in register.complaints}) == 4
    assert [e.periode for e in register.evaluations][:2] == ["2023-H1", "2023-H2"]
    assert [o.jaar for o in register.overviews] == ["2023", "2024", "2025"]


def test_every_step_version_is_valid_on_its_own(tmp_path):
    """The versions are what a benchmark commits one by one: each must be a valid file."""
    made = build(60, seed=1)
    versions = [(c.rel, text, c.attachments) for c in made.complaints for text in c.versions]
    assert max(len(c.versions) for c in made.complaints) >= 6
    for index, (rel, text, attachments) in enumerate(versions[:: max(1, len(versions) // 40)]):
        root = tmp_path / str(index)
        for path, record in made.records.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(record, encoding="utf-8")
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
        for name, data in attachments.items():
            (root / rel[:-3]).mkdir(exist_ok=True)
            (root / rel[:-3] / name).write_bytes(data)
        findings = check_json(root, TODAY.isoformat())  # deadlines aside: an early version is overdue today
        errors = [f for f in findings if f["file"] == rel and not f["code"].startswith("termijn-")]
        assert errors == [], text


def test_same_seed_same_register_and_runnable_as_a_module(tmp_path):
    assert [c.versions for c in build(50, seed=7).complaints] == [c.versions for c in build(50, seed=7).complaints]
    assert [c.versions for c in build(50, seed=7).complaints] != [c.versions for c in build(50, seed=8).complaints]
    ran = subprocess.run(
        [sys.executable, "-m", "klachtenregister.synthetic", str(tmp_path), "25"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "25 klachten" in ran.stdout and f"--today {TODAY}" in ran.stdout
    assert len(list(tmp_path.glob("klachten/20*/*.md"))) == 25
