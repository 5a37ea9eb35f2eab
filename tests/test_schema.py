"""The JSON Schema of the front matter: derived from the model, committed, and in agreement
with `klachten check` on the example register and on invalid variants of it."""

from __future__ import annotations

import datetime
import json

import frontmatter
import jsonschema
import pytest

from conftest import PRODUCT, SPEC_COMPLAINT, core_register, edit, run_klachten, write_register
from klachtenregister.model import COMPLAINT_FIELDS, KANALEN, OORDELEN, Row
from klachtenregister.procedure import DEFAULT_CATEGORIEEN
from klachtenregister.schema import complaint_schema, schema_text

COMMITTED = PRODUCT / "schema" / "klacht.schema.json"
Validator = jsonschema.Draft202012Validator


def front_matter(text: str) -> dict:
    """As other front-matter tools see it (python-frontmatter, the client's library of choice for
    them), with dates as ISO strings, the way they arrive in JSON."""
    data = frontmatter.loads(text).metadata

    def iso(value):
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: iso(v) for k, v in value.items()}
        if isinstance(value, list):
            return [iso(v) for v in value]
        return value

    return iso(data)


def schema_errors(data: dict) -> list[str]:
    validator = Validator(complaint_schema(), format_checker=Validator.FORMAT_CHECKER)
    return [error.message for error in validator.iter_errors(data)]


EXAMPLES = sorted((PRODUCT / "klachten").glob("[0-9][0-9][0-9][0-9]/*.md"))


# --- derived and committed ---------------------------------------------------------------------


def test_committed_schema_is_the_generated_one():
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(complaint_schema())


def test_klachten_schema_prints_it():
    ran = run_klachten("schema", "--root", str(PRODUCT))
    assert ran.returncode == 0 and ran.stderr == ""
    assert ran.stdout == COMMITTED.read_text(encoding="utf-8")
    assert json.loads(run_klachten("schema", cwd=PRODUCT / "docs").stdout) == complaint_schema()  # no register


def test_schema_uses_the_registers_categories(tmp_path):
    write_register(tmp_path, {"klachten/procedure.yml": "categorieen: [wachttijd, bejegening]\n"})
    schema = json.loads(run_klachten("schema", "--root", str(tmp_path)).stdout)
    assert schema["properties"]["categorie"]["enum"] == ["wachttijd", "bejegening"]


def test_schema_is_valid_draft_2020_12():
    schema = complaint_schema()
    Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["additionalProperties"] is False


def test_schema_follows_the_field_declarations():
    schema = complaint_schema()
    props = schema["properties"]
    assert list(props) == [f.name for f in COMPLAINT_FIELDS]
    assert schema["required"] == [f.name for f in COMPLAINT_FIELDS if f.row == Row.ALTIJD and f.required]
    for spec in COMPLAINT_FIELDS:
        assert props[spec.name]["title"] == spec.label
        assert props[spec.name]["description"].startswith(spec.help)
    assert props["kanaal"]["enum"] == list(KANALEN)
    assert props["oordeel"]["enum"] == [*OORDELEN, None]  # a later step's field may stand empty
    assert props["categorie"]["enum"] == list(DEFAULT_CATEGORIEEN)
    assert props["ontvangen"]["format"] == "date" and props["ontvangen"]["pattern"] == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    assert props["directie_betrokken"]["anyOf"][:2] == [{"type": "boolean"}, {"enum": ["ja", "nee"]}]
    klager = props["klager"]
    assert klager["type"] == "object" and klager["additionalProperties"] is False and klager["required"] == ["naam"]
    behandelaar = props["behandelaar"]
    assert behandelaar["type"] == ["object", "null"] and behandelaar["required"] == ["rol", "naam"]
    afspraken = props["afspraken"]["items"]
    assert afspraken["required"] == ["wat", "wie"] and afspraken["properties"]["uiterlijk"]["format"] == "date"
    assert props["bijlagen"]["items"]["type"] == "string"
    assert set(schema["dependentRequired"]["afgehandeld"]) >= {"oordeel_gemeld", "bevestigd", "afhandeling"}
    assert complaint_schema(["a", "b"])["properties"]["categorie"]["enum"] == ["a", "b"]


# --- schema and checker agree ------------------------------------------------------------------------


def test_examples_exist():
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_complaint_validates(path):
    assert schema_errors(front_matter(path.read_text(encoding="utf-8"))) == []


def test_the_spec_example_validates():
    assert schema_errors(front_matter(SPEC_COMPLAINT)) == []


INVALID = [
    ("onbekend-veld", "ingetrokken: null", "ingetrokken: null\nbevestigt: 2026-03-05", "veld-ongeldig"),
    ("kanaal", "kanaal: mondeling", "kanaal: email", "veld-ongeldig"),
    ("nederlandse-datum", "bevestigd: 2026-03-05", "bevestigd: 05-03-2026", "veld-ongeldig"),
    ("onmogelijke-datum", "bevestigd: 2026-03-05", "bevestigd: '2026-02-30'", "veld-ongeldig"),  # quoted for safe_load
    ("oordeel", "oordeel: gegrond", "oordeel: terecht", "veld-ongeldig"),
    ("rol", "rol: directie", "rol: manager", "veld-ongeldig"),
    ("onbekend-in-groep", "  naam: Anna Jansen", "  naam: Anna Jansen\n  straat: Dorpsstraat 1", "veld-ongeldig"),
    ("zonder-onderwerp", "onderwerp: Terugkoppeling na intake bleef uit\n", "", "veld-ontbreekt"),
    ("groep-onvolledig", "  naam: Petra Bakker\n", "", "veld-ontbreekt"),
    ("zonder-oordeel-gemeld", "oordeel_gemeld: 2026-03-20 ", "# oordeel_gemeld: 2026-03-20 ", "veld-ontbreekt"),
    ("brief-zonder-brief", "kanaal: mondeling", "kanaal: brief\nbijlagen: []", "bijlage"),
]


@pytest.mark.parametrize(("old", "new", "code"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_variants_are_rejected_by_both(tmp_path, old, new, code):
    source = edit(SPEC_COMPLAINT, old, new)
    if code == "bijlage":
        source = source.replace(
            "bijlagen:                        # files in klachten/2026/2026-007/; required when "
            "kanaal is brief\n  - brief.pdf\n",
            "",
        )
    assert schema_errors(front_matter(source)), "het schema accepteert het"
    core_register(tmp_path, source)
    ran = run_klachten("check", "--root", str(tmp_path), "--today", "2026-04-30", "--format", "json")
    assert ran.returncode == 1
    assert code in {f["code"] for f in json.loads(ran.stdout)["findings"]}
