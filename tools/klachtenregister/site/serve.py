"""`klachten serve`: the site in MkDocs' live server, regenerated when the sources change.

The pages are generated once (as by `klachten build`) into build/docs, which MkDocs' live
server watches. A watcher on klachten/, docs/ and templates/ regenerates them after an edit;
the generator rewrites only the pages that changed, and MkDocs rebuilds only those (a dirty
build), so an edit to one complaint shows within seconds in a register of thousands.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from datetime import date
from pathlib import Path

from ..clock import today_in_amsterdam
from ..errors import JobFailed, KlachtenError
from ..oserrors import os_problem
from ..paths import PRODUCT_DIR
from .build import OUT_DIR, check_theme, config_file, generate_docs, mkdocs_log, note_history
from .history import History
from .publish import output_lock


def serve_site(root: Path, today: date | None, dev_addr: str) -> None:
    """Generate, serve with MkDocs' live server, and regenerate when the sources change."""
    from mkdocs.commands.serve import serve

    try:
        cache: dict = {}  # rendered complaint pages, kept between regenerations
        with output_lock(root):  # build/ checked; never while a `klachten build` writes it
            gen = generate_docs(root, today or today_in_amsterdam(), cache=cache)
        check_theme(root)  # MkDocs reads the register's own theme itself
    except JobFailed as exc:
        raise JobFailed(f"de site is niet gemaakt: {exc}") from None
    note_history(gen.history)
    watcher = _Regenerator(root, today, gen.history, cache)
    watcher.start()
    mkdocs_log(logging.INFO)
    try:
        serve(
            config_file=str(config_file(root)),
            docs_dir=str((root / OUT_DIR).resolve()),
            dev_addr=dev_addr,
            strict=False,  # a preview shows a broken page rather than stopping
            watch_theme=True,
            # Rebuild only the pages whose Markdown changed: the generator rewrites only changed
            # files, so one edited complaint rebuilds a handful of pages, not all of them.
            # (MkDocs' search index then holds only those pages until the next full build.)
            build_type="dirty",
        )
    finally:
        watcher.stop()


class _Regenerator:
    """Watches klachten/, docs/ and templates/ and regenerates build/docs after a change.

    MkDocs' live server watches build/docs itself and rebuilds when a page was rewritten.
    The register root is watched too (not its subfolders), so that a docs/ or templates/
    made while serving is watched from then on.
    """

    DELAY = 0.3  # seconds of quiet before regenerating: an editor saves in several steps
    SOURCES = ("klachten", "docs", "templates")

    def __init__(self, root: Path, today: date | None, history: History, cache: dict) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        self.root, self.today, self.history = root, today, history
        self.cache = cache  # rendered complaint pages, see pages.generate
        self.changed = threading.Event()
        self.stopped = threading.Event()
        self.observer = Observer()
        self.handler = FileSystemEventHandler()
        self.handler.on_any_event = self._on_event
        self.watched: set[Path] = set()
        for folder in self._folders():
            self._watch(folder)
        top = FileSystemEventHandler()
        top.on_any_event = self._on_root_event
        self.observer.schedule(top, str(root), recursive=False)
        self.thread = threading.Thread(target=self._loop, name="klachten-regenerate", daemon=True)

    def _folders(self) -> list[Path]:
        candidates = [self.root / name for name in self.SOURCES]
        candidates += [PRODUCT_DIR / "docs", PRODUCT_DIR / "templates"]
        return sorted({c.resolve() for c in candidates if c.is_dir()})

    def _watch(self, folder: Path) -> None:
        if folder not in self.watched:
            self.watched.add(folder)
            self.observer.schedule(self.handler, str(folder), recursive=True)

    def _on_event(self, event) -> None:
        if event.event_type not in ("opened", "closed_no_write"):  # reading a file changes nothing
            self.changed.set()

    def _on_root_event(self, event) -> None:
        """A source folder made, moved in or removed at the root (other entries: not ours)."""
        paths = [Path(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        for path in (p for p in paths if p.name in self.SOURCES):
            if path.is_dir():
                self._watch(path.resolve())
            self.changed.set()

    def start(self) -> None:
        self.observer.start()
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.changed.set()
        self.observer.stop()

    def _loop(self) -> None:
        while not self.stopped.is_set():
            self.changed.wait()
            while self.changed.is_set() and not self.stopped.is_set():
                self.changed.clear()
                time.sleep(self.DELAY)
            if self.stopped.is_set():
                return
            try:
                with output_lock(self.root):
                    gen = generate_docs(self.root, self.today or today_in_amsterdam(), self.history, self.cache)
                self.history = gen.history
                if gen.changed:
                    files = "bestand" if gen.changed == 1 else "bestanden"
                    print(f"klachten: {gen.changed} {files} bijgewerkt", file=sys.stderr)
            except KlachtenError as exc:  # a broken template, an unreadable page: keep previewing
                print(f"klachten: opnieuw maken mislukt: {exc}", file=sys.stderr)
            except OSError as exc:  # a file removed or locked halfway: the next save may fix it
                print(f"klachten: opnieuw maken mislukt: {os_problem(exc)}", file=sys.stderr)
            except Exception as exc:  # keep previewing; the next save may fix it
                print(f"klachten: opnieuw maken mislukt (interne fout: {type(exc).__name__})", file=sys.stderr)
