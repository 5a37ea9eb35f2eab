"""The `klachten` command. Thin: each subcommand parses options and calls the pipeline.

Exit codes (SPEC section 2): 0 success, 1 findings or failure of the job, 2 usage error
(bad option, bad date, no register). Messages to staff are in Dutch.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import unicodedata
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from . import __version__
from .register import RegisterNotFound

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

# argparse's own messages, in Dutch (argparse looks `_` up at call time).
_NL = {
    "usage: ": "gebruik: ",
    "unrecognized arguments: %s": "onbekende opties: %s",
    "the following arguments are required: %s": "deze opties zijn verplicht: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "expected one argument": "verwacht één waarde",
    "argument %(argument_name)s: %(message)s": "optie %(argument_name)s: %(message)s",
    "show this help message and exit": "toon deze hulp en stop",
    "positional arguments": "argumenten",
    "options": "opties",
}
argparse._ = lambda text: _NL.get(text, text)  # type: ignore[attr-defined]


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # noqa: D102 - argparse API
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: fout: {message}\n")


def iso_date(text: str) -> date:
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):  # fromisoformat also takes 2026-W10-1
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ongeldige datum '{text}': gebruik JJJJ-MM-DD") from None


def today_in_amsterdam() -> date:
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def build_parser() -> argparse.ArgumentParser:
    root_help = "map van het register (standaard: de huidige map)"
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: when not given after the command, the value given before it (or '.') stays.
    common.add_argument("--root", type=Path, default=argparse.SUPPRESS, metavar="MAP", help=root_help)
    dated = argparse.ArgumentParser(add_help=False)
    dated.add_argument(
        "--today",
        type=iso_date,
        metavar="JJJJ-MM-DD",
        help="rekenen alsof het deze dag is (standaard: vandaag in Nederland)",
    )

    parser = _Parser(prog="klachten", description="Klachtenregister: controle, nieuwe klacht, site.")
    parser.add_argument("--version", action="version", version=f"klachten {__version__}")
    parser.add_argument("--root", type=Path, default=Path("."), metavar="MAP", help=root_help)  # also before it
    sub = parser.add_subparsers(dest="command", required=True, metavar="opdracht", parser_class=_Parser)

    check = sub.add_parser("check", parents=[common, dated], help="controleer het hele register")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")

    new = sub.add_parser("new", parents=[common], help="registreer een nieuwe klacht")
    new.add_argument("--ontvangen", type=iso_date, required=True, metavar="JJJJ-MM-DD")
    new.add_argument("--kanaal", required=True, choices=("mondeling", "schriftelijk", "brief"))
    new.add_argument("--onderwerp", required=True)
    new.add_argument("--klager", required=True, metavar="NAAM")
    new.add_argument("--ontvangen-door", required=True, metavar="NAAM")
    new.add_argument("--categorie", default="overig")
    new.add_argument(
        "--bijlage",
        type=Path,
        action="append",
        default=[],
        metavar="BESTAND",
        help="kopieer dit bestand (bijvoorbeeld de gescande brief) als bijlage",
    )

    renumber = sub.add_parser("renumber", parents=[common],
                              help="geef een klacht het volgende vrije volgnummer (bij een dubbel nummer)")
    renumber.add_argument("volgnummer", help="het huidige volgnummer, bijvoorbeeld 2026-007")
    renumber.add_argument("--naar", metavar="JJJJ-NNN", help="het nieuwe volgnummer (standaard: max + 1)")
    renumber.add_argument("--tegen", metavar="REF",
                          help="kies een nummer dat ook in deze Git-tak vrij is, bijvoorbeeld origin/main")

    sub.add_parser("schema", parents=[common], help="toon het JSON Schema van de velden van een klachtbestand")
    sub.add_parser("build", parents=[common, dated], help="maak de site in site/")
    serve = sub.add_parser("serve", parents=[common, dated], help="bekijk de site lokaal")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="IP:POORT")

    report = sub.add_parser("report", parents=[common, dated], help="jaaroverzicht voor UWV als PDF en/of CSV")
    report.add_argument("--jaar", type=report_year, required=True, metavar="JJJJ", help="het jaar van het overzicht")
    report.add_argument("--pdf", type=Path, metavar="BESTAND", help="schrijf het jaaroverzicht als PDF (om te mailen)")
    report.add_argument("--csv", type=Path, metavar="BESTAND", help="schrijf de klachten van het jaar als CSV")
    report.add_argument("--met-namen", action="store_true", help="zet in de CSV ook klager, ontvanger en behandelaar")
    return parser


def report_year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"ongeldig jaar '{text}': gebruik JJJJ")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (RegisterNotFound, UsageError) as exc:
        print(f"klachten: fout: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_FAIL
    except Exception as exc:  # never a traceback for staff; KLACHTEN_DEBUG=1 shows it
        if os.environ.get("KLACHTEN_DEBUG"):
            raise
        print(
            f"klachten: interne fout ({type(exc).__name__}: {exc}); meld dit aan de beheerder van het register",
            file=sys.stderr,
        )
        return EXIT_FAIL


def cmd_check(args) -> int:
    from .check import check_root
    from .formats import FORMATS

    result = check_root(args.root, args.today or today_in_amsterdam())
    sys.stdout.write(FORMATS[args.format](result))
    return EXIT_FAIL if result.count("error") else EXIT_OK


def cmd_new(args) -> int:
    from .newcomplaint import NewComplaint, NewComplaintError, create
    from .procedure import load_procedure
    from .register import DATA_DIR

    if not (args.root / DATA_DIR).is_dir():
        raise RegisterNotFound(f"geen register gevonden: de map {args.root / DATA_DIR} bestaat niet")
    procedure, _problems = load_procedure(args.root)
    if args.categorie not in procedure.categorieen:
        raise UsageError(f"onbekende categorie '{args.categorie}'; kies uit: {', '.join(procedure.categorieen)}")
    for value, option in (
        (args.onderwerp, "--onderwerp"),
        (args.klager, "--klager"),
        (args.ontvangen_door, "--ontvangen-door"),
    ):
        if not value.strip() or any(unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") for ch in value):
            raise UsageError(f"{option} moet één regel gewone tekst zijn (geen regeleinden of besturingstekens)")
    for path in args.bijlage:
        if not path.is_file():
            raise UsageError(f"bijlage {path} bestaat niet")
    new = NewComplaint(
        args.ontvangen,
        args.kanaal,
        args.onderwerp.strip(),
        args.klager.strip(),
        args.ontvangen_door.strip(),
        args.categorie,
        tuple(args.bijlage),
    )
    try:
        path = create(args.root, new, procedure)
    except NewComplaintError as exc:
        print(f"klachten: fout: {exc}", file=sys.stderr)
        return EXIT_FAIL
    print(path)
    if new.kanaal == "brief" and not new.bijlagen:
        print("let op: voeg de brief toe als bijlage (stap 3), anders meldt 'klachten check' een fout", file=sys.stderr)
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
    from .renumber import RenumberError, renumber

    try:
        done = renumber(args.root, args.volgnummer, args.naar, args.tegen)
    except RenumberError as exc:
        print(f"klachten: fout: {exc}", file=sys.stderr)
        return EXIT_FAIL
    folder = " (met de map met bijlagen)" if done.moved_folder else ""
    print(f"{done.old} -> {done.new}{folder}")
    return EXIT_OK


def cmd_build(args) -> int:
    from .site import build_site

    return build_site(args.root, args.today or today_in_amsterdam())


def cmd_serve(args) -> int:
    from .site import serve_site

    return serve_site(args.root, args.today, args.dev_addr)


def cmd_report(args) -> int:
    from .reports import ReportError, ReportUsage, make_report

    today = args.today or today_in_amsterdam()
    try:
        for line in make_report(args.root, args.jaar, today, args.pdf, args.csv, args.met_namen):
            print(line)
    except ReportUsage as exc:
        raise UsageError(str(exc)) from None
    except ReportError as exc:
        print(f"klachten: fout: {exc}", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


COMMANDS = {
    "check": cmd_check,
    "new": cmd_new,
    "renumber": cmd_renumber,
    "schema": cmd_schema,
    "build": cmd_build,
    "serve": cmd_serve,
    "report": cmd_report,
}

if __name__ == "__main__":
    sys.exit(main())
