"""The `klachten` command. Thin: each subcommand parses options and calls the pipeline.

Exit codes (SPEC section 2): 0 success, 1 findings or failure of the job, 2 usage error
(bad option, bad date, no register). Messages to staff are in Dutch.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from . import __version__
from .clock import parse_iso_date, today_in_amsterdam
from .errors import KlachtenError, UsageError
from .model import KANALEN
from .oserrors import os_problem
from .personal import mask
from .register import require_register

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

# argparse's own messages in Dutch: every text its `_()` can give staff (Python 3.10-3.13).
_NL = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "optional arguments": "opties",
    "subcommands": "opdrachten",
    "show this help message and exit": "toon deze hulp en stop",
    "show program's version number and exit": "toon het versienummer en stop",
    "default: %(default)s": "standaard: %(default)s",
    "unrecognized arguments: %s": "onbekende opties of waarden: %s",
    "the following arguments are required: %s": "verplicht, maar niet gegeven: %s",
    "one of the arguments %s is required": "een van deze opties is verplicht: %s",
    "not allowed with argument %s": "kan niet samen met %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze %(value)r (kies uit %(choices)s)",
    "invalid %(type)s value: %(value)r": "ongeldige waarde %(value)r",
    "expected one argument": "hier hoort één waarde achter",
    "expected at most one argument": "hier hoort hoogstens één waarde achter",
    "expected at least one argument": "hier hoort minstens één waarde achter",
    "expected %s argument": "hier horen %s waarden achter",
    "expected %s arguments": "hier horen %s waarden achter",
    "ambiguous option: %(option)s could match %(matches)s": "%(option)s is niet eenduidig: bedoel je %(matches)s?",
    "ignored explicit argument %r": "deze optie neemt geen waarde: %r",
    "unexpected option string: %s": "onverwachte optie: %s",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "onbekende opdracht %(parser_name)r (kies uit %(choices)s)",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
    "option '%(option)s' is deprecated": "optie '%(option)s' verdwijnt binnenkort",
    "command '%(parser_name)s' is deprecated": "opdracht '%(parser_name)s' verdwijnt binnenkort",
    "argument '%(argument_name)s' is deprecated": "'%(argument_name)s' verdwijnt binnenkort",
}


def _dutch(text: str) -> str:
    return _NL.get(text, text)


def _dutch_plural(singular: str, plural: str, count: int) -> str:
    return _dutch(singular if count == 1 else plural)


@contextlib.contextmanager
def _argparse_in_dutch() -> Iterator[None]:
    """argparse looks `_` (gettext) up in its module each time it words something: swap it
    only while our parsers are built, parse or format help, so other users of argparse in
    the same process (pytest, in the tests) keep theirs."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _dutch, _dutch_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose own texts (help, usage, errors) are Dutch; exit 2 on misuse."""

    def __init__(self, *args, **kwargs) -> None:
        with _argparse_in_dutch():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs):
        with _argparse_in_dutch():
            return super().add_subparsers(**kwargs)

    def parse_args(self, args=None, namespace=None):
        with _argparse_in_dutch():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with _argparse_in_dutch():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _argparse_in_dutch():
            return super().format_usage()

    def format_help(self) -> str:
        with _argparse_in_dutch():
            return super().format_help()

    def error(self, message: str):  # noqa: D102 - argparse API
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: fout: {mask(message)}\n")


def iso_date(text: str) -> date:
    day = parse_iso_date(text)
    if day is None and re.fullmatch(r"0[0-9]{3}-[0-9]{2}-[0-9]{2}", text.strip()):
        message = f"ongeldige datum '{text.strip()}': het jaar moet vier cijfers hebben (1000 of later)"
        raise argparse.ArgumentTypeError(message)
    if day is None:
        _refuse_personal_data(text)
        raise argparse.ArgumentTypeError(f"ongeldige datum '{text.strip()}': gebruik JJJJ-MM-DD")
    return day


def kanaal(text: str) -> str:
    """A channel of the model, spaces around it and case ignored."""
    value = text.strip().lower()
    if value not in KANALEN:
        _refuse_personal_data(text)
        raise argparse.ArgumentTypeError(f"ongeldige keuze '{text.strip()}' (kies uit {', '.join(KANALEN)})")
    return value


def _refuse_personal_data(text: str) -> None:
    """An error message quotes what was typed: never a BSN, IBAN or birth date (masked instead)."""
    from .rules.privacy import scan

    for _line, message in scan(text):
        raise argparse.ArgumentTypeError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="klachten", description="Klachtenregister: controle, nieuwe klacht, site.")
    parser.add_argument("--version", action="version", version=f"klachten {__version__}",
                        help="toon het versienummer en stop")
    parser.add_argument("--root", type=Path, default=Path("."), metavar="MAP", help=ROOT_HELP)  # also before it
    sub = parser.add_subparsers(dest="command", required=True, metavar="opdracht", parser_class=_Parser,
                                help="wat klachten moet doen (klachten OPDRACHT --help voor meer)")
    common, dated = _common_options()
    for add in (_add_check, _add_new, _add_evaluation, _add_overview, _add_renumber, _add_schema, _add_build,
                _add_serve, _add_report, _add_brief):
        add(sub, common, dated)
    return parser


ROOT_HELP = "map van het register (standaard: de huidige map)"


def _common_options() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """--root (every command) and --today (commands that reckon with deadlines)."""
    common = _Parser(add_help=False)
    # SUPPRESS: when not given after the command, the value given before it (or '.') stays.
    common.add_argument("--root", type=Path, default=argparse.SUPPRESS, metavar="MAP", help=ROOT_HELP)
    dated = _Parser(add_help=False)
    dated.add_argument("--today", type=iso_date, metavar="JJJJ-MM-DD",
                       help="rekenen alsof het deze dag is (standaard: vandaag in Nederland)")
    return common, dated


def _add_check(sub, common, dated) -> None:
    check = sub.add_parser("check", parents=[common, dated], help="controleer het hele register",
                           description="Controleer elk klachtbestand, elke termijn en de periodieke plichten.")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="text: een regel per bevinding; json; github: meldingen voor GitHub Actions")
    check.add_argument("--sinds", metavar="REF",
                       help="controle van een pull request: alleen een fout in een klachtbestand dat sinds deze "
                            "Git-referentie (bijvoorbeeld origin/main) is gewijzigd, maakt de controle rood")
    check.add_argument("--historie", action="store_true",
                       help="lees ook de Git-geschiedenis en meld teruggedateerde stappen (terugdatering)")


def _add_new(sub, common, dated) -> None:
    # The texts are checked together before anything is written (newoptions.py); the types
    # here never quote a BSN typed into the wrong option.
    new = sub.add_parser("new", parents=[common, dated], help="registreer een nieuwe klacht",
                         description="Schrijf het volgende klachtbestand (stap 1 en 2 van de klachtenregeling).")
    new.add_argument("--ontvangen", required=True, metavar="JJJJ-MM-DD",
                     help="de dag waarop de klacht binnenkwam (niet na vandaag)")
    new.add_argument("--kanaal", type=kanaal, required=True, metavar="{" + ",".join(KANALEN) + "}",
                     help="hoe de klacht binnenkwam")
    new.add_argument("--onderwerp", required=True, metavar="TEKST", help="waar de klacht over gaat, in één regel")
    new.add_argument("--klager", required=True, metavar="NAAM", help="naam van de klager")
    new.add_argument("--klantnummer", metavar="K", help="klantnummer van de klager (nooit een BSN)")
    new.add_argument("--ontvangen-door", required=True, metavar="NAAM", help="de medewerker die de klacht ontving")
    new.add_argument("--categorie", default="overig", metavar="CATEGORIE",
                     help="een categorie uit procedure.yml (standaard: overig)")
    new.add_argument("--omschrijving", metavar="TEKST",
                     help="de klacht in de woorden van de klager: de tekst onder 'Omschrijving'")
    new.add_argument("--bijlage", type=Path, action="append", default=[], metavar="BESTAND",
                     help="kopieer dit bestand (bijvoorbeeld de gescande brief) als bijlage; mag vaker")


def _add_evaluation(sub, common, dated) -> None:
    evaluation = sub.add_parser(
        "evaluatie", parents=[common, dated], help="begin het verslag van een halfjaarlijkse evaluatie (stap 11)",
        description="Schrijf klachten/evaluaties/JJJJ-Hn.md als agenda voor het evaluatieoverleg: de cijfers van "
                    "het halfjaar, de openstaande acties van eerdere evaluaties en de klachten per volgnummer en "
                    "categorie (zonder namen). Vul na het overleg de datum en de acties in. Een bestaand verslag "
                    "wordt nooit overschreven.")
    evaluation.add_argument("periode", type=half_year, metavar="JJJJ-Hn", help="het halfjaar, bijvoorbeeld 2026-H1")


def _add_overview(sub, common, dated) -> None:
    overview = sub.add_parser(
        "jaaroverzicht", parents=[common, dated],
        help="begin het bewijs van verzending van het jaaroverzicht (stap 12)",
        description="Schrijf klachten/jaaroverzichten/JJJJ.md met de cijfers van het jaar en de geadresseerde uit "
                    "procedure.yml (uwv). Vul de datum van verzending in zodra het overzicht naar UWV is. Een "
                    "bestaand bestand wordt nooit overschreven.")
    overview.add_argument("jaar", type=report_year, metavar="JJJJ", help="het jaar, bijvoorbeeld 2025")


def half_year(text: str) -> str:
    from .periods import HALF_YEAR_FORM, is_half_year

    period = text.strip().upper()
    if not is_half_year(period) or period[0] == "0":
        raise argparse.ArgumentTypeError(f"ongeldig halfjaar '{text}': schrijf {HALF_YEAR_FORM}")
    return period


def _add_renumber(sub, common, dated) -> None:
    renumber = sub.add_parser("renumber", parents=[common],
                              help="geef een klacht het volgende vrije volgnummer (bij een dubbel nummer)")
    renumber.add_argument("volgnummer", help="het huidige volgnummer, bijvoorbeeld 2026-007")
    renumber.add_argument("--naar", metavar="JJJJ-NNN", help="het nieuwe volgnummer (standaard: max + 1)")
    renumber.add_argument("--tegen", metavar="REF",
                          help="kies een nummer dat ook in deze Git-tak vrij is, bijvoorbeeld origin/main")


def _add_schema(sub, common, dated) -> None:
    sub.add_parser("schema", parents=[common], help="toon het JSON Schema van de velden van een klachtbestand")


def _add_build(sub, common, dated) -> None:
    build = sub.add_parser("build", parents=[common, dated], help="maak de site in site/")
    build.add_argument("--offline", action="store_true",
                       help="een site die werkt als je index.html vanaf je schijf opent (zonder webserver)")
    build.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs",
                       help="bouw de site met Material for MkDocs (standaard) of met Zensical")


def _add_serve(sub, common, dated) -> None:
    serve = sub.add_parser("serve", parents=[common, dated], help="bekijk de site lokaal")
    serve.add_argument("--dev-addr", type=dev_addr, default="127.0.0.1:8000", metavar="IP:POORT",
                       help="adres van de voorvertoning (standaard: 127.0.0.1:8000)")


def _add_report(sub, common, dated) -> None:
    report = sub.add_parser("report", parents=[common, dated], help="jaaroverzicht voor UWV als PDF, JSON en/of CSV")
    report.add_argument("--jaar", type=report_year, required=True, metavar="JJJJ", help="het jaar van het overzicht")
    report.add_argument("--pdf", type=Path, metavar="BESTAND", help="schrijf het jaaroverzicht als PDF (om te mailen)")
    report.add_argument("--json", type=Path, metavar="BESTAND", help="schrijf de cijfers van het jaar als JSON")
    report.add_argument("--csv", type=Path, metavar="BESTAND", help="schrijf de klachten van het jaar als CSV")
    report.add_argument("--met-namen", action="store_true", help="zet in de CSV ook klager, ontvanger en behandelaar")


def _add_brief(sub, common, dated) -> None:
    brief = sub.add_parser("brief", parents=[common], help="brief aan de klager of de opdrachtgever (PDF en/of Word)",
                           description="Schrijf de brief van stap 3 (ontvangst), 6/7 (oordeel) of 9 (opdrachtgever).")
    brief.add_argument("volgnummer", help="de klacht, bijvoorbeeld 2026-007")
    brief.add_argument("soort", choices=("ontvangst", "oordeel", "opdrachtgever"),
                       help="ontvangst (stap 3), oordeel (stap 6/7) of opdrachtgever (stap 9)")
    brief.add_argument("--pdf", type=Path, action="append", default=[], metavar="BESTAND",
                       help="schrijf de brief als PDF (om te versturen)")
    brief.add_argument("--docx", type=Path, action="append", default=[], metavar="BESTAND",
                       help="schrijf de brief als Word-document (om af te maken en te ondertekenen)")
    brief.add_argument("--datum", type=iso_date, metavar="JJJJ-MM-DD", help="datum van de brief (standaard: vandaag)")


_HOST_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}[A-Za-z0-9])?")


def dev_addr(text: str) -> str:
    """`IP:POORT` (or `naam:POORT`, `[::1]:POORT`) as MkDocs' live server takes it."""
    host, colon, port = text.strip().rpartition(":")
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    port_ok = port.isascii() and port.isdigit() and 1 <= int(port) <= 65535
    if not (colon and port_ok and (_is_ip(bare) or _HOST_NAME.fullmatch(bare))):
        _refuse_personal_data(text)
        raise argparse.ArgumentTypeError(
            f"ongeldig adres '{text.strip()}': gebruik IP:POORT met een poort van 1 tot en met 65535, "
            "bijvoorbeeld 127.0.0.1:8000"
        )
    return f"{host}:{int(port)}"


def _is_ip(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def report_year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4 and text[0] != "0"):
        raise argparse.ArgumentTypeError(f"ongeldig jaar '{text}': gebruik JJJJ, bijvoorbeeld 2025")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KlachtenError as exc:  # ours, in Dutch: a failure of the job (1) or a usage error (2)
        for line in str(exc).splitlines():  # a value quoted in it: never a BSN, IBAN or birth date
            print(f"klachten: fout: {mask(line)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return EXIT_FAIL
    except OSError as exc:  # the machine's doing (rights, a full disk, a file where a folder should be)
        if os.environ.get("KLACHTEN_DEBUG"):
            raise
        print(f"klachten: fout: {mask(os_problem(exc))}", file=sys.stderr)
        return EXIT_FAIL
    except Exception as exc:  # never a traceback for staff; KLACHTEN_DEBUG=1 shows it
        if os.environ.get("KLACHTEN_DEBUG"):
            raise
        print(
            mask(f"klachten: interne fout ({type(exc).__name__}: {exc}); meld dit aan de beheerder van het register"),
            file=sys.stderr,
        )
        return EXIT_FAIL


def cmd_check(args) -> int:
    from .check import check_root
    from .formats import FORMATS, write_step_summary

    require_register(args.root)
    changed = None
    if args.sinds is not None:
        from .changed import changed_files

        changed = changed_files(args.root, args.sinds)  # before any output: a bad REF is exit 2
    history = audit_history(args.root) if args.historie else None
    result = check_root(args.root, args.today or today_in_amsterdam(), changed, history=history)
    sys.stdout.write(FORMATS[args.format](result))
    if args.format == "github":
        write_step_summary(result)
    return EXIT_FAIL if result.blocking() else EXIT_OK


def audit_history(root: Path):
    """The whole Git history of the register, for `check --historie`; a usage error without it."""
    from .site.history import read_history

    require_register(root)
    history = read_history(root)
    if not history.available:
        raise UsageError(f"--historie kan niet: {history.note}")
    if history.shallow:
        raise UsageError(
            "--historie kan niet: de Git-geschiedenis is onvolledig (een ondiepe kloon); haal de hele "
            "geschiedenis op met git fetch --unshallow (in GitHub Actions: fetch-depth: 0)"
        )
    return history


def cmd_new(args) -> int:
    from .newcomplaint import create, letter_reminder
    from .newoptions import Given, read_options
    from .procedure import load_procedure

    require_register(args.root)
    procedure, trouble = load_procedure(args.root)
    for finding in trouble:  # the deadlines and categories come from it: say so, then go on
        print(f"klachten: let op: {finding.file}:{finding.line}: {mask(finding.message)}", file=sys.stderr)
    given = Given(
        args.ontvangen,
        args.kanaal,
        args.onderwerp,
        args.klager,
        args.ontvangen_door,
        args.categorie,
        args.klantnummer,
        args.omschrijving,
        tuple(args.bijlage),
    )
    new = read_options(given, procedure, args.today or today_in_amsterdam())
    path = create(args.root, new, procedure)
    print(path)
    if new.kanaal == "brief" and not new.bijlagen:
        print(letter_reminder(path), file=sys.stderr)
    return EXIT_OK


def cmd_evaluation(args) -> int:
    from .periodrecord import start_evaluation

    require_register(args.root)
    print(start_evaluation(args.root, args.periode, args.today or today_in_amsterdam()))
    return EXIT_OK


def cmd_overview(args) -> int:
    from .periodrecord import start_overview

    require_register(args.root)
    print(start_overview(args.root, args.jaar, args.today or today_in_amsterdam()))
    return EXIT_OK


def cmd_schema(args) -> int:
    from .procedure import load_procedure
    from .register import DATA_DIR
    from .schema import complaint_schema, schema_text

    # The register's own categories when there is one; the defaults otherwise.
    categories = None
    if (args.root / DATA_DIR).is_dir():
        categories = load_procedure(args.root)[0].categorieen
    sys.stdout.write(schema_text(complaint_schema(categories)))
    return EXIT_OK


def cmd_renumber(args) -> int:
    from .renumber import renumber

    done = renumber(args.root, args.volgnummer, args.naar, args.tegen)
    folder = " (met de map met bijlagen)" if done.moved_folder else ""
    print(f"{done.old} -> {done.new}{folder}")
    return EXIT_OK


def cmd_build(args) -> int:
    from .site.build import build_site

    build_site(args.root, args.today or today_in_amsterdam(), offline=args.offline, engine=args.engine)
    return EXIT_OK


def cmd_serve(args) -> int:
    from .site.serve import serve_site

    serve_site(args.root, args.today, args.dev_addr)
    return EXIT_OK


def cmd_report(args) -> int:
    from .report import Outputs, make_report

    today = args.today or today_in_amsterdam()
    outputs = Outputs(pdf=args.pdf, csv=args.csv, json=args.json)
    for line in make_report(args.root, args.jaar, today, outputs, args.met_namen):
        print(line)
    return EXIT_OK


def cmd_brief(args) -> int:
    from .letters import LetterRequest, make_letter

    request = LetterRequest(args.volgnummer, args.soort, tuple(args.pdf), tuple(args.docx), args.datum)
    done, notes = make_letter(args.root, request, today_in_amsterdam())
    for line in done:
        print(line)
    for note in notes:
        print(f"klachten: let op: {note}", file=sys.stderr)
    return EXIT_OK


COMMANDS = {
    "check": cmd_check,
    "new": cmd_new,
    "evaluatie": cmd_evaluation,
    "jaaroverzicht": cmd_overview,
    "renumber": cmd_renumber,
    "schema": cmd_schema,
    "build": cmd_build,
    "serve": cmd_serve,
    "report": cmd_report,
    "brief": cmd_brief,
}

if __name__ == "__main__":
    sys.exit(main())
