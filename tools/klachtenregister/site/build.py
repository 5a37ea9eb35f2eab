"""`klachten build`: generate the pages, then let MkDocs (or Zensical) build them (`serve.py` previews).

Generated Markdown goes to `<root>/build/docs/` (ignored by Git) together with a copy of the
hand-written `docs/`, so the sources stay clean and `mkdocs build` works on its own after a
generation. Only files whose content changed are written: a rebuild of an unchanged
register touches nothing, and `serve` rebuilds only when a page really changed.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2
import yaml

from .. import safefiles, sources
from ..check import check_register
from ..errors import JobFailed, UsageError
from ..files import write_beside
from ..oserrors import os_problem
from ..paths import CONFIG, PRODUCT_DIR
from ..personal import mask_page
from ..register import load_register
from ..yamlerrors import dutch_problem, problem_line
from . import zensical
from .history import History, read_history
from .pages import Output, generate
from .publish import SITE_DIR, output_lock, publish
from .templateerrors import reported_as, template_problem
from .templating import template_env

OUT_DIR = "build/docs"
ENGINES = ("mkdocs", "zensical")  # `--engine`; Material for MkDocs by default


@dataclass
class Generation:
    pages: int
    complaints: int
    changed: int
    history: History


def build_site(root: Path, today: date, offline: bool = False, engine: str = "mkdocs") -> None:
    """Generate the pages and build the site; raises JobFailed (in Dutch) when it cannot.
    offline: a site that works opened from disk (`offline.py`); engine: one of ENGINES."""
    started = time.monotonic()
    if offline and engine != "mkdocs":  # offline.py adapts Material's search, not Zensical's
        raise UsageError("--offline werkt alleen met --engine mkdocs")
    try:
        if engine == "zensical":
            zensical.require()  # before anything is generated
        with output_lock(root):  # build/ and site/ checked; a second build waits
            gen = generate_docs(root, today)
            note_history(gen.history)
            run_site_build(root, offline, engine)
    except JobFailed as exc:
        raise JobFailed(f"de site is niet gebouwd: {exc}") from None
    seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
    print(f"site gebouwd in {root / SITE_DIR}: {gen.complaints} dossiers, {gen.pages} pagina's, {seconds} s")


def generate_docs(root: Path, today: date, previous: History | None = None, cache: dict | None = None) -> Generation:
    """Read the register once and bring build/docs up to date; raises JobFailed.

    previous, cache: what an earlier run in the same process read and rendered (serve)."""
    register = load_register(root)
    history = read_history(root, previous)
    result = check_register(register, today, history=history)
    with reported_as(JobFailed):  # a broken template, in Dutch; a bug of ours passes
        out = generate(register, result, history, today, template_env(root), cache)
    for rel, source in handwritten_docs(root).items():
        _require_utf8(rel, source)
        if rel in out.pages:
            print(f"klachten: let op: {source} wordt niet gebruikt; de site maakt zelf {rel}", file=sys.stderr)
        else:
            out.copies.setdefault(rel, source)
    out.pages = {rel: written_page(text, register.procedure.privacy) for rel, text in out.pages.items()}
    try:
        changed = sync_tree(root / OUT_DIR, out)
    except OSError as exc:  # build/ is a file, no permission, a full disk
        raise JobFailed(f"de pagina's kunnen niet in {OUT_DIR}/ gezet worden: {os_problem(exc)}") from None
    return Generation(len(out.pages), len(register.complaints), changed, history)


# C0 control characters (a commit message may hold any): MkDocs' Markdown uses \x02 and \x03
# for its own placeholders, and none of them means anything on a page.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def written_page(text: str, patterns: frozenset[str]) -> str:
    """A generated page as it is written: the output boundary of the site. Every BSN, IBAN
    and birth date masked (on the pages, and so in the findings and the search index), and no
    control characters."""
    return mask_page(_CONTROL.sub("", text), patterns)


def note_history(history: History) -> None:
    if not history.available:
        print(f"klachten: {history.note}; de dossiers tonen geen wijzigingsgeschiedenis", file=sys.stderr)
    elif history.shallow:
        print("klachten: let op: de Git-geschiedenis is onvolledig (een ondiepe kloon): de dossiers tonen "
              "alleen de recente geschiedenis en terugdatering is niet gecontroleerd", file=sys.stderr)


# --- hand-written pages ------------------------------------------------------------------


def config_file(root: Path) -> Path:
    """The register's mkdocs.yml, else the product's; raises JobFailed for one that is not a
    file, or is a link out of the register (MkDocs would read it, and the theme it names)."""
    own = root / CONFIG
    if own.is_dir() and not own.is_symlink():
        raise JobFailed(f"{own} is geen bestand (een map?): hernoem het, of maak er een MkDocs-configuratie van")
    problem = sources.config_problem(root)
    if problem:
        raise JobFailed(f"{own} {problem}: gebruik een gewoon bestand in het register")
    return own if own.is_file() else PRODUCT_DIR / CONFIG


def handwritten_docs(root: Path) -> dict[str, Path]:
    """docs/ pages to publish. With the product's mkdocs.yml, its docs/ is the base (its menu
    names those pages) and the register's own docs/ overrides page by page."""
    files: dict[str, Path] = {}
    product = PRODUCT_DIR / "docs"
    if config_file(root) == PRODUCT_DIR / CONFIG and product.is_dir():
        for path in sorted(product.rglob("*")):
            rel = path.relative_to(product).as_posix()
            if path.is_file() and not any(part.startswith(".") for part in rel.split("/")):
                files[rel] = path
    own, _refused = sources.walk(root, "docs")  # links out of the register and FIFOs left out
    files.update(own)
    return files


# --- writing only what changed -----------------------------------------------------------


def sync_tree(out_dir: Path, out: Output) -> int:
    """Make out_dir hold exactly `out`; write a file only when its content differs."""
    changed = 0
    for rel, text in out.pages.items():
        changed += _write_if_changed(out_dir / rel, text.encode("utf-8"))
    for rel, source in out.copies.items():
        changed += _copy_if_changed(source, out_dir / rel)
    wanted = {out_dir / rel for rel in (*out.pages, *out.copies)}
    for folder, _dirs, files in os.walk(out_dir, topdown=False):
        for name in files:
            path = Path(folder) / name
            if path not in wanted:
                path.unlink()
                changed += 1
        if folder != str(out_dir) and not os.listdir(folder):
            os.rmdir(folder)
    return changed


def _write_if_changed(path: Path, data: bytes) -> int:
    try:
        if path.read_bytes() == data:
            return 0
    except OSError:
        path.parent.mkdir(parents=True, exist_ok=True)
    write_beside(path, data)  # the live server never reads half a page
    return 1


def _copy_if_changed(source: Path, target: Path) -> int:
    """Copy unless the copy has the source's size and modification time (copy2 keeps it to
    the nanosecond: two saves of the same size within one second are still told apart)."""
    src = source.stat()
    try:
        dst = target.stat()
        if dst.st_size == src.st_size and dst.st_mtime_ns == src.st_mtime_ns:
            return 0
    except OSError:
        target.parent.mkdir(parents=True, exist_ok=True)
    try:  # judged when collected; opened without blocking and checked again here
        safefiles.copy_into(source, None, target)
    except safefiles.Refused as exc:
        raise JobFailed(f"{source} {exc}") from None
    return 1


# --- MkDocs ------------------------------------------------------------------------------


def mkdocs_config(root: Path, site_dir: Path, **overrides):
    from mkdocs.config import load_config

    return load_config(
        config_file=str(config_file(root)),
        docs_dir=str((root / OUT_DIR).resolve()),
        site_dir=str(site_dir.resolve()),
        **overrides,
    )


def run_site_build(root: Path, offline: bool = False, engine: str = "mkdocs") -> None:
    """Build into a fresh folder in build/, and only when that succeeded let it take the place
    of site/ (publish.py): a failed build leaves the last good site in place rather than half a
    new one, and a reader never sees half a site. Hold `output_lock` around it."""
    check_config_syntax(config_file(root))
    check_theme(root)
    if engine == "zensical":
        publish(root, lambda out: _zensical_build_into(root, out))
    else:
        publish(root, lambda out: _mkdocs_build_into(root, out, offline))


def check_theme(root: Path) -> None:
    """The register's own mkdocs.yml names a theme folder MkDocs reads itself: every file in
    it must be one the register may use (sources.py), and the folder inside the register.
    Raises JobFailed (Dutch) otherwise; the product's own theme needs no check."""
    from mkdocs.exceptions import MkDocsException

    if config_file(root) != root / CONFIG:
        return
    try:
        custom = mkdocs_config(root, root / "build" / "site")["theme"].custom_dir  # a site dir not used
    except MkDocsException as exc:
        raise JobFailed(f"MkDocs meldt: {exc}") from None
    if not custom:
        return
    if not safefiles.is_inside(custom, root):
        raise JobFailed(f"het thema van {root / CONFIG} (custom_dir: {custom}) ligt buiten het register")
    folder = os.path.relpath(os.path.realpath(custom), os.path.realpath(root))
    problems = sources.walk(root, folder)[1]
    if problems:
        raise JobFailed(f"{problems[0].message}: het thema wordt niet gebruikt; maak er een gewoon bestand van")


def _zensical_build_into(root: Path, out: Path) -> None:
    """Zensical's strict build of the same pages; the theme folder as MkDocs reads the
    configuration (its mistakes in Dutch, as for an MkDocs build)."""
    from mkdocs.exceptions import MkDocsException

    try:
        theme_dir = mkdocs_config(root, out)["theme"].custom_dir
    except MkDocsException as exc:
        raise JobFailed(f"MkDocs meldt: {exc}") from None
    zensical.build_into(config_file(root), root / OUT_DIR, out, root / "build", theme_dir)


def _mkdocs_build_into(root: Path, out: Path, offline: bool) -> None:
    from mkdocs.exceptions import Abort, MkDocsException

    handler = mkdocs_log(logging.WARNING)
    try:
        _build(mkdocs_config(root, out, strict=True), out, offline)
    except Abort:
        raise JobFailed("MkDocs gaf waarschuwingen in strikte modus (zie hierboven)") from None
    except jinja2.TemplateError as exc:  # a broken theme override (templates/theme/)
        raise JobFailed(template_problem(exc)) from None
    except UnicodeDecodeError:  # pages are checked before; a theme file of the register's own
        raise JobFailed("een bestand van het thema (templates/theme/) is geen UTF-8-tekst") from None
    except OSError as exc:  # no permission, a full disk
        raise JobFailed(f"MkDocs kan de site niet schrijven: {os_problem(exc)}") from None
    except MkDocsException as exc:
        raise JobFailed(f"MkDocs meldt: {exc}") from None
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)


def _build(config, out: Path, offline: bool) -> None:
    """MkDocs' build; with `offline`, made to work opened from disk (offline.py)."""
    from mkdocs.commands.build import build

    from . import offline as for_disk

    if offline:
        for_disk.enable(config)
    build(config)
    if offline:
        for_disk.finish(out)


def check_config_syntax(config: Path) -> None:
    """MkDocs reports a YAML mistake in mkdocs.yml in libyaml's English: say it in Dutch,
    on its line. (Composing only: the `!!python/name` tags of the config are not run.)"""
    try:
        text = safefiles.read_bytes(config, None).decode("utf-8-sig")
        yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except UnicodeDecodeError:
        raise JobFailed(f"{config} is geen UTF-8-tekst; sla het op als UTF-8") from None
    except safefiles.Refused as exc:
        raise JobFailed(f"{config} {exc}") from None
    except OSError as exc:
        raise JobFailed(f"de configuratie kan niet gelezen worden: {os_problem(exc, config)}") from None
    except yaml.MarkedYAMLError as exc:
        where = f"{config}, regel {problem_line(exc, text) + 1}"
        raise JobFailed(f"{where}: ongeldige YAML: {dutch_problem(exc, text)}") from None
    except yaml.YAMLError:
        raise JobFailed(f"{config}: ongeldige YAML") from None


def _require_utf8(rel: str, page: Path) -> None:
    """A hand-written page MkDocs could not decode (its text or its name `rel`): stop before
    MkDocs says so in English, or fails."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(page).decode("utf-8", "replace")
        raise JobFailed(f"de naam {shown} is geen UTF-8-tekst: hernoem het bestand") from None
    if page.suffix != ".md":
        return
    try:
        raw = safefiles.read_bytes(page, None)
        raw.decode("utf-8")
    except safefiles.Refused as exc:
        raise JobFailed(f"{page} {exc}") from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise JobFailed(f"{page}, regel {line}: de pagina is geen UTF-8-tekst; sla hem op als UTF-8") from None
    except OSError as exc:
        raise JobFailed(f"de pagina kan niet gelezen worden: {os_problem(exc, page)}") from None


def mkdocs_log(level: int) -> logging.Handler:
    """Show MkDocs' own messages (its strict-mode warnings say what is wrong)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("mkdocs: %(levelname)s %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(min(level, logger.level or logging.WARNING))
    return handler
