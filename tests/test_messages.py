"""Messages to staff are in Dutch (SPEC section 2): no English from libyaml/PyYAML, Jinja or
argparse ever reaches them, and each message still says where and what.

Each case runs the installed command and collects the English texts the library itself gives
for that input (its problem and context), then asserts that none of them is in the output.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
from pathlib import Path

import jinja2
import pytest
import yaml

from conftest import NEW_COMPLAINT, line_of, run_klachten, write_register
from klachtenregister.cli import build_parser
from klachtenregister.site.templateerrors import template_problem
from klachtenregister.yamlerrors import dutch_problem

HEAD = NEW_COMPLAINT.split("---\n## Omschrijving")[0]
TODAY = "2026-04-30"


def complaint_with(*lines: str) -> str:
    return HEAD + "".join(line + "\n" for line in lines) + "---\nTekst.\n"


def library_english(text: str) -> set[str]:
    """What libyaml and PyYAML say about `text` in English (empty when both read it)."""
    said = set()
    for loader in (yaml.CSafeLoader, yaml.SafeLoader):
        try:
            yaml.compose(text, Loader=loader)
        except yaml.MarkedYAMLError as exc:
            said |= {s for s in (exc.problem, exc.context) if s}
        except yaml.YAMLError as exc:
            said.add(str(getattr(exc, "reason", exc)))
    return said


def assert_no_english(output: str, english: set[str]) -> None:
    leaked = [e for e in english if e in output]
    assert not leaked, f"Engelse melding bij staf: {leaked}\n{output}"


# --- YAML: libyaml's and PyYAML's problems ------------------------------------------------

# (id, front-matter lines, needle of the expected line, words the Dutch message must hold)
YAML_CASES = [
    ("tab-inspringing", ["beroep:", "\tbij: x"], "\tbij", ["tab", "spaties"]),
    ("tab-in-gevouwen-blok", ["afhandeling: >", "  eerste regel", "\ttweede regel"], "\ttweede", ["tab", "spaties"]),
    ("tab-in-lijst", ["voortgang:", "  - x", "\t- y"], "\t- y", ["tab", "spaties"]),
    ("tab-na-streepje", ["voortgang:", "  -\tx"], "-\tx", ["tab", "spaties"]),
    ("onbekende-tag-handle", ["x: !foo!bar y"], "!foo!bar", ["!", "aanhalingstekens"]),
    ("tag-niet-gesloten", ["x: !<foo y"], "!<foo", ["!", "aanhalingstekens"]),
    ("tag-zonder-spatie", ["x: !foo,bar y"], "!foo,bar", ["!", "aanhalingstekens"]),
    ("apenstaartje", ["afhandeling: @klager"], "@klager", ["'@'", "aanhalingstekens"]),
    ("backtick", ["afhandeling: `x`"], "`x`", ["'`'", "aanhalingstekens"]),
    ("procent-regel", ["%YAML 1.1", "afhandeling: x"], "%YAML", ["%", "aanhalingstekens"]),
    ("anker-zonder-naam", ["afhandeling: &", "x: y"], "afhandeling", ["&", "aanhalingstekens"]),
    ("blok-indicator-0", ["afhandeling: |0", "  x"], "|0", ["0"]),
    ("tekst-na-blokteken", ["afhandeling: | x", "  y"], "| x", ["volgende regel"]),
    ("open-dubbel-aanhalingsteken", ['afhandeling: "nog niet klaar'], "afhandeling", ["aanhalingsteken"]),
    ("open-enkel-aanhalingsteken", ["afhandeling: 'nog niet klaar"], "afhandeling", ["aanhalingsteken"]),
    ("onbekende-escape", [r'afhandeling: "c:\qdir"'], "afhandeling", ["\\\\", "aanhalingstekens"]),
    ("hex-escape", [r'afhandeling: "\xZZ"'], "afhandeling", ["\\x"]),
    ("unicode-escape", [r'afhandeling: "\uD800"'], "afhandeling", ["\\u"]),
    ("regel-zonder-dubbele-punt", ["afhandeling: x", "losse tekst"], "losse tekst", ["':'"]),
    ("streepje-op-veldregel", ["voortgang: - x"], "voortgang", ["'- '"]),
    ("vraagteken", ["afhandeling: ? x"], "afhandeling", ["'? '"]),
    ("dubbele-punt", ["afhandeling: klaar: of niet"], "afhandeling", ["':'"]),
    ("lege-waarde-in-lijst", ["voortgang:", "  - ,"], "- ,", ["waarde"]),
    ("verkeerd-ingesprongen", ["beroep:", "    bij: x", "  uitkomst: y"], "uitkomst", ["springt"]),
    ("lijst-niet-gesloten", ["voortgang: [a, b", "afhandeling: x"], "afhandeling", ["[ ]"]),
    ("groep-niet-gesloten", ["beroep: {bij: x", "afhandeling: x"], "afhandeling", ["{ }"]),
    ("tweede-document", ["afhandeling: x", "--- y"], "--- y", ["'---'"]),
    ("besturingsteken", ["afhandeling: a\x07b"], "\x07", ["besturingsteken"]),
]


@pytest.fixture(scope="module")
def yaml_register(tmp_path_factory) -> Path:
    """One register, one complaint per case (2026-101, 2026-102, ...): one `klachten check` run."""
    root = tmp_path_factory.mktemp("yaml-nl")
    files = {"klachten/procedure.yml": "start: 2026-01-01\n"}
    for number, (_id, lines, _needle, _words) in enumerate(YAML_CASES, 101):
        source = complaint_with(*lines).replace("2026-007", f"2026-{number}")
        files[f"klachten/2026/2026-{number}.md"] = source
    return write_register(root, files)


@pytest.fixture(scope="module")
def yaml_check(yaml_register) -> tuple[str, list[dict]]:
    text = run_klachten("check", "--root", str(yaml_register), "--today", TODAY)
    ran = run_klachten("check", "--root", str(yaml_register), "--today", TODAY, "--format", "json")
    assert ran.returncode == 1 and text.returncode == 1
    return text.stdout + text.stderr + ran.stdout, json.loads(ran.stdout)["findings"]


@pytest.mark.parametrize(
    ("number", "lines", "needle", "words"),
    [(number, *case[1:]) for number, case in enumerate(YAML_CASES, 101)],
    ids=[c[0] for c in YAML_CASES],
)
def test_yaml_problems_reach_staff_in_dutch_on_their_line(yaml_check, number, lines, needle, words):
    output, findings = yaml_check
    source = complaint_with(*lines)
    rel = f"klachten/2026/2026-{number}.md"
    (finding,) = [f for f in findings if f["file"] == rel]
    assert (finding["code"], finding["line"]) == ("yaml", line_of(source, needle))
    for word in words:
        assert word in finding["message"], finding["message"]
    english = library_english(source.split("---\n")[1])
    assert english, "the case must be one the library refuses"
    assert_no_english(output, english)


def test_every_problem_pyyaml_can_raise_has_its_own_dutch_text():
    """PyYAML's scanner, parser and composer, read from its source: no problem falls through
    to the generic message (which would mean nobody wrote its Dutch)."""
    for context, problem in _pyyaml_messages():
        said = dutch_problem(yaml.MarkedYAMLError(context, None, problem, _mark()), "x")
        assert "niet te lezen" not in said, (context, problem)


# libyaml's own wording (from its scanner.c, parser.c), with a context it raises them in.
LIBYAML_MESSAGES = [
    ("while scanning for the next token", "found character that cannot start any token"),
    ("while scanning a plain scalar", "found a tab character that violates indentation"),
    ("while scanning a block scalar", "found a tab character where an indentation space is expected"),
    ("while scanning a block scalar", "found an indentation indicator equal to 0"),
    ("while scanning a block scalar", "did not find expected comment or line break"),
    ("while scanning a directive", "found unknown directive name"),
    ("while scanning a directive", "did not find expected directive name"),
    ("while scanning a directive", "did not find expected comment or line break"),
    ("while scanning a %YAML directive", "did not find expected version number"),
    ("while scanning a %YAML directive", "did not find expected digit or '.' character"),
    ("while scanning a %YAML directive", "found extremely long version number"),
    ("while scanning a %YAML directive", "did not find expected whitespace"),
    ("while scanning a %TAG directive", "did not find expected whitespace"),
    ("while scanning a %TAG directive", "did not find expected whitespace or line break"),
    ("while scanning a tag directive", "did not find expected '!'"),
    ("while parsing a tag directive", "did not find expected tag URI"),
    (None, "found duplicate %YAML directive"),
    (None, "found incompatible YAML document"),
    (None, "found duplicate %TAG directive"),
    (None, "did not find expected <document start>"),
    ("while scanning an anchor", "did not find expected alphabetic or numeric character"),
    ("while scanning an alias", "did not find expected alphabetic or numeric character"),
    ("while scanning a tag", "did not find the expected '>'"),
    ("while scanning a tag", "did not find expected whitespace or line break"),
    ("while parsing a tag", "did not find expected tag URI"),
    ("while parsing a tag", "did not find URI escaped octet"),
    ("while parsing a tag", "did not find expected '!'"),
    ("while parsing a node", "found undefined tag handle"),
    ("while scanning a quoted scalar", "found unexpected end of stream"),
    ("while scanning a quoted scalar", "found unexpected document indicator"),
    ("while parsing a quoted scalar", "found unknown escape character"),
    ("while parsing a quoted scalar", "did not find expected hexdecimal number"),
    ("while parsing a quoted scalar", "found invalid Unicode character escape code"),
    ("while scanning a plain scalar", "found unexpected ':'"),
    ("while scanning a simple key", "could not find expected ':'"),
    (None, "block sequence entries are not allowed in this context"),
    (None, "mapping keys are not allowed in this context"),
    (None, "mapping values are not allowed in this context"),
    ("while parsing a block node", "did not find expected node content"),
    ("while parsing a flow node", "did not find expected node content"),
    ("while parsing a block mapping", "did not find expected key"),
    ("while parsing a block collection", "did not find expected '-' indicator"),
    ("while parsing a flow sequence", "did not find expected ',' or ']'"),
    ("while parsing a flow mapping", "did not find expected ',' or '}'"),
    (None, "found undefined alias"),
    ("found duplicate anchor; first occurrence", "second occurrence"),
    ("expected a single document in the stream", "but found another document"),
]


@pytest.mark.parametrize(("context", "problem"), LIBYAML_MESSAGES)
def test_every_libyaml_problem_has_its_own_dutch_text(context, problem):
    said = dutch_problem(yaml.MarkedYAMLError(context, None, problem, _mark()), "x")
    assert "niet te lezen" not in said and problem not in said


def test_an_unknown_yaml_problem_still_says_where_and_what_in_dutch():
    said = dutch_problem(yaml.MarkedYAMLError(None, None, "a problem nobody knew", _mark(0, 3)), "a: @b")
    assert said.startswith("de YAML is hier niet te lezen (kolom 4, bij het teken '@')")
    assert "problem" not in said


def _mark(line: int = 0, column: int = 0) -> yaml.Mark:
    return yaml.Mark("<tekst>", column, line, column, None, None)


def _pyyaml_messages() -> list[tuple[str | None, str]]:
    """(context, problem) of every `raise ...Error(context, mark, problem, mark)` in PyYAML's
    scanner, parser and composer; `%` placeholders filled with each name PyYAML puts there."""
    folder = Path(yaml.__file__).parent
    found = []
    for name in ("scanner.py", "parser.py", "composer.py"):
        for node in ast.walk(ast.parse((folder / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and len(node.exc.args) >= 3:
                context, problem = (_literal(node.exc.args[i]) for i in (0, 2))
                if problem is not None:
                    found += [(c, _literal_fill(problem)) for c in _fills(context)]
    assert len(found) > 40, "PyYAML's error messages were not found in its source"
    return found


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.BinOp):  # "expected ..., but found %r" % ch
        node = node.left
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _fills(context: str | None) -> list[str | None]:
    if context is None or "%s" not in context:
        return [context]
    if " an %s" in context:
        names = ("anchor", "alias")
    else:
        names = ("block", "flow") if "%s node" in context else ("tag", "directive")
    return [context.replace("%s", name) for name in names]


def _literal_fill(problem: str) -> str:
    return problem.replace("%r", "'x'").replace("%d", "2").replace("%s", "x")


# --- Jinja: a broken template in the register's own templates/ ---------------------------

# (id, template text, needle of the expected line, words the Dutch message must hold)
TEMPLATE_CASES = [
    ("onbekende-naam", "# Index\n{{ bestaat_niet }}\n", "bestaat_niet", ["'bestaat_niet'", "onbekend"]),
    ("geen-attribuut", "# Index\n{{ {}.veld.x }}\n", "veld", ["'veld'"]),
    ("geen-element", "# Index\n{{ [1][5] }}\n", "[5]", ["element 5"]),
    ("lege-if", "# Index\n{% if %}x{% endif %}\n", "if", ["uitdrukking"]),
    ("blok-niet-gesloten", "# Index\n{% for x in [] %}\n", "for", ["endfor"]),
    ("onbekende-opdracht", "# Index\n{% toon x %}\n", "toon", ["'toon'"]),
    ("onbekend-filter", "# Index\n{{ 'a' | vet }}\n", "vet", ["filter 'vet'"]),
    ("onbekende-test", "# Index\n{{ 1 is rond }}\n", "rond", ["test 'rond'"]),
    ("verwacht-einde", "# Index\n{{ a b }}\n", "a b", ["}}"]),
    ("haakje", "# Index\n{{ (1 }}\n", "(1", ["')'"]),
    ("vreemd-teken", "# Index\n{{ a @ b }}\n", "@", ["'@'"]),
    ("commentaar-open", "# Index\n{# nog open\n", "{#", ["#}"]),
    ("include-ontbreekt", "# Index\n{% include 'weg.j2' %}\n", "include", ["'weg.j2'", "niet gevonden"]),
    ("deling-door-nul", "# Index\n{{ 1 / 0 }}\n", "1 / 0", ["deling door nul"]),
    ("dubbel-blok", "{% block a %}{% endblock %}\n{% block a %}x{% endblock %}\n", "%}x", ["twee keer"]),
]


def jinja_english(source: str) -> set[str]:
    """What Jinja itself says about `source` (rendered with nothing defined)."""
    env = jinja2.Environment(loader=jinja2.DictLoader({"t": source}), undefined=jinja2.StrictUndefined)
    try:
        env.get_template("t").render()
    except jinja2.TemplateNotFound:  # its text is the bare name; the file loader's wording:
        return {"not found in search path"}
    except Exception as exc:  # noqa: BLE001 - whatever the template raises is the English to find
        return {str(exc)}
    raise AssertionError("the case must be one Jinja refuses")


@pytest.mark.parametrize(
    ("source", "needle", "words"), [c[1:] for c in TEMPLATE_CASES], ids=[c[0] for c in TEMPLATE_CASES]
)
def test_a_broken_site_template_is_reported_in_dutch_with_its_line(tmp_path, source, needle, words):
    write_register(tmp_path, {"templates/site/index.md.j2": source})
    ran = run_klachten("build", "--root", str(tmp_path), "--today", TODAY)
    assert ran.returncode == 1 and "interne fout" not in ran.stderr
    where = f"templates/site/index.md.j2, regel {line_of(source, needle)}:"
    assert "de site is niet gebouwd: fout in sjabloon" in ran.stderr and where in ran.stderr, ran.stderr
    for word in words:
        assert word in ran.stderr
    assert_no_english(ran.stdout + ran.stderr, jinja_english(source))


def test_a_template_that_is_not_utf8_names_the_file_and_line(tmp_path):
    write_register(tmp_path, {"templates/site/index.md.j2": b"# Index\ncaf\xe9\n"})
    ran = run_klachten("build", "--root", str(tmp_path), "--today", TODAY)
    assert ran.returncode == 1 and "interne fout" not in ran.stderr
    assert "index.md.j2, regel 2: het sjabloon is geen UTF-8-tekst" in ran.stderr
    assert "codec" not in ran.stderr


def test_a_broken_klacht_md_stops_new_in_dutch_and_writes_nothing(tmp_path):
    source = "---\nvolgnummer: {{ volgnummer }}\nonderwerp: {{ new.titel }}\n---\n"
    write_register(tmp_path, {"templates/klacht.md": source})
    ran = run_klachten("new", "--root", str(tmp_path), "--ontvangen", "2026-03-02", "--kanaal", "mondeling",
                       "--onderwerp", "x", "--klager", "y", "--ontvangen-door", "z")
    assert ran.returncode == 1 and ran.stdout == ""
    assert "klacht.md, regel 3" in ran.stderr and "'titel'" in ran.stderr
    assert "has no attribute" not in ran.stderr and "interne fout" not in ran.stderr
    assert not (tmp_path / "klachten/2026").exists()


def test_a_broken_report_template_stops_the_pdf_in_dutch(tmp_path):
    source = "<html>\n{{ jaar_bestaat_niet }}\n</html>\n"
    write_register(tmp_path, {"templates/report/jaaroverzicht.html.j2": source})
    pdf = tmp_path / "uit/jaaroverzicht.pdf"
    ran = run_klachten("report", "--root", str(tmp_path), "--jaar", "2025", "--pdf", str(pdf), "--today", TODAY)
    assert ran.returncode == 1 and not pdf.exists()
    assert "jaaroverzicht.html.j2, regel 2" in ran.stderr and "'jaar_bestaat_niet' is onbekend" in ran.stderr
    assert_no_english(ran.stderr, jinja_english(source))


def test_an_unknown_jinja_message_shows_the_template_line_instead_of_the_english():
    exc = jinja2.TemplateSyntaxError("a brand-new complaint", 2, "t.j2", "templates/site/t.j2")
    exc.source = "# Titel\n{% x y %}\n"
    said = template_problem(exc)
    assert said == "fout in sjabloon templates/site/t.j2, regel 2: deze sjabloonregel is ongeldig: {% x y %}"


# --- argparse: help texts and usage errors ------------------------------------------------


def argparse_english() -> set[str]:
    """Every text argparse words itself (its `_()` and `ngettext()` calls, the version
    action's help), cut at the placeholders into the fixed parts staff would read."""
    texts = {"show program's version number and exit", "subcommands"}
    for node in ast.walk(ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
            texts |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    assert len(texts) > 20, "argparse's messages were not found in its source"
    parts = {part.strip(" :\n") for text in texts for part in re.split(r"%\(\w+\)[rsd]|%[rsd]", text)}
    return {part for part in parts if len(part) >= 5}


def assert_no_argparse_english(output: str) -> None:
    leaked = [e for e in argparse_english() if re.search(rf"(?<!\w){re.escape(e)}(?!\w)", output)]
    assert not leaked, f"Engelse tekst van argparse bij staf: {leaked}\n{output}"


COMMANDS = ["check", "new", "renumber", "schema", "build", "serve", "report"]


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)], ids=["klachten", *COMMANDS])
def test_help_is_dutch_for_every_command(tmp_path, command):
    ran = run_klachten(*command, "--help", cwd=tmp_path)
    assert ran.returncode == 0 and ran.stderr == ""
    assert ran.stdout.startswith("gebruik: klachten") and "\nopties:\n" in ran.stdout
    assert "toon deze hulp en stop" in ran.stdout
    assert_no_argparse_english(ran.stdout)


def test_every_option_has_a_dutch_help_text():
    parser = build_parser()
    subparsers = parser._subparsers._group_actions[0].choices
    for name, sub in [("klachten", parser), *subparsers.items()]:
        for action in sub._actions:
            assert action.help and action.help != argparse.SUPPRESS, (name, action.option_strings or action.dest)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ([], "verplicht, maar niet gegeven: opdracht"),
        (["controleer"], "ongeldige keuze 'controleer'"),
        (["check", "extra"], "onbekende opties of waarden: extra"),
        (["check", "--bestaat-niet"], "onbekende opties of waarden: --bestaat-niet"),
        (["check", "--format"], "--format: hier hoort één waarde achter"),
        (["check", "--format", "xml"], "--format: ongeldige keuze 'xml'"),
        (["check", "--today", "2026-13-01"], "ongeldige datum '2026-13-01'"),
        (["new"], "verplicht, maar niet gegeven: --ontvangen, --kanaal"),
        (["new", "--ont", "2026-03-02"], "--ont is niet eenduidig"),
        (["new", "--kanaal", "fax"], "--kanaal: ongeldige keuze 'fax'"),
        (["report", "--jaar", "2025", "--met-namen=ja"], "--met-namen: deze optie neemt geen waarde"),
        (["report", "--jaar", "twintig"], "ongeldig jaar 'twintig'"),
        (["renumber"], "verplicht, maar niet gegeven: volgnummer"),
        (["--root"], "--root: hier hoort één waarde achter"),
    ],
    ids=["niets", "opdracht", "extra", "optie", "geen-waarde", "keuze", "datum", "verplicht", "dubbelzinnig",
         "kanaal", "vlag-met-waarde", "jaar", "positioneel", "root-zonder-map"],
)
def test_usage_errors_are_dutch_and_exit_2(tmp_path, args, said):
    write_register(tmp_path, {})
    ran = run_klachten(*args, cwd=tmp_path)
    assert ran.returncode == 2 and ran.stdout == ""
    assert ran.stderr.startswith("gebruik: klachten") and "fout: " in ran.stderr
    assert said in ran.stderr, ran.stderr
    assert_no_argparse_english(ran.stderr)


def test_other_users_of_argparse_keep_their_own_language():
    build_parser().parse_args(["check"])
    assert argparse.ArgumentParser(prog="x").format_usage().startswith("usage: x")
