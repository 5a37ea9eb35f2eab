"""`klachten build --engine zensical`: the generated pages built by Zensical instead of MkDocs.

Zensical (an optional extra: `pip install ".[zensical]"`) reads the same mkdocs.yml, but has
no way to override `docs_dir` and `site_dir` from outside, and writes its `.cache/` next to
the configuration file. So the build runs on a small configuration written into `build/`
that inherits the register's (or the product's) mkdocs.yml and points at build/docs and the
fresh site folder in build/ (publish.py): the cache lands in build/ too, and nothing is
written beside the register's tracked files. Zensical runs as its own process: its messages (coloured, and a Python
traceback when --strict aborts) are cleaned up and passed on after a Dutch sentence.
"""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from ..errors import JobFailed
from ..files import write_beside

CONFIG_NAME = "zensical.yml"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def require() -> None:
    """Stop, in Dutch, before anything is generated when the extra is not installed."""
    try:
        importlib.import_module("zensical")
    except ImportError:
        raise JobFailed(
            'Zensical is niet geïnstalleerd: installeer het met pip install "klachtenregister[zensical]" '
            '(in een checkout: pip install -e ".[zensical]"), of bouw met --engine mkdocs'
        ) from None


def build_into(config: Path, docs: Path, out: Path, work: Path, theme_dir: str | None) -> None:
    """Build `docs` with `config` into `out`, a folder inside `work` (build/: Zensical writes
    only inside the folder of its configuration), which holds the configuration and the cache."""
    work = work.resolve()
    derived = write_config(work, config, docs, out.resolve(), theme_dir)
    done = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict", "--config-file", str(derived)],
        cwd=work, capture_output=True, text=True, encoding="utf-8", errors="replace",
    )  # fmt: skip
    if done.returncode != 0:
        for line in zensical_messages(done.stdout + done.stderr):
            print(f"zensical: {line}", file=sys.stderr)
        raise JobFailed("Zensical kon de site niet bouwen in strikte modus (zie de meldingen hierboven)")


def write_config(work: Path, config: Path, docs: Path, site: Path, theme_dir: str | None) -> Path:
    """build/zensical.yml: the site's configuration (INHERIT, which Zensical and MkDocs both
    read) with the folders relative to build/ (Zensical 0.0.73 panics on an absolute docs_dir),
    and the theme folder made absolute, as it was relative to the original."""
    folders = {"docs_dir": os.path.relpath(docs.resolve(), work), "site_dir": os.path.relpath(site, work)}
    derived: dict = {"INHERIT": str(config.resolve()), **folders}
    if theme_dir:
        derived["theme"] = {"custom_dir": str(Path(theme_dir).resolve())}
    text = "# Written by `klachten build --engine zensical`; rewritten on every build.\n"
    text += yaml.safe_dump(derived, allow_unicode=True, sort_keys=False)
    path = work / CONFIG_NAME
    write_beside(path, text.encode("utf-8"))
    return path


def zensical_messages(output: str) -> list[str]:
    """Zensical's output without colours, progress lines and the Python traceback (keeping
    the error it ends with), so that what it found wrong is readable in a terminal and in CI."""
    lines, in_traceback = [], False
    for line in _ANSI.sub("", output).splitlines():
        if line.startswith("Traceback (most recent call last)"):
            in_traceback = True
        elif in_traceback and not line.startswith(" "):
            in_traceback = False
            lines.append(line)
        elif not in_traceback and line.strip() and not line.startswith(("Build started", "Build finished")):
            lines.append(line)
    return lines
