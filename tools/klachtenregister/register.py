"""Loading a whole register: one pass over `klachten/`, one parse per file.

Layout (SPEC section 1): klachten/<jaar>/<volgnummer>.md are complaints, deeper files are
their attachments; klachten/evaluaties/*.md and klachten/jaaroverzichten/*.md are the
records of steps 11 and 12. Loading never raises for a user's mistake: what could not be
read becomes a finding, and every other file is still read.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import errno
import gc
import multiprocessing
import os
import stat
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import placeholders, safefiles, sources
from .errors import UsageError
from .findings import Finding
from .model import Complaint, Evaluation, Overview
from .oserrors import os_problem, os_reason
from .paths import DATA_DIR
from .placeholders import TemplateExamples
from .procedure import Procedure, load_procedure
from .records import read_complaint, read_evaluation, read_overview
from .salvage import salvage
from .yamlsource import Document, read_document

EVALUATION_DIR = "evaluaties"
OVERVIEW_DIR = "jaaroverzichten"


def require_register(root: Path) -> None:
    """Raise UsageError, saying in Dutch what is wrong with `root` or its klachten/."""
    data = root / DATA_DIR
    for folder in (root, data):
        try:
            is_dir = stat.S_ISDIR(os.stat(folder).st_mode)
        except OSError as exc:
            if folder == data and exc.errno == errno.ENOENT:
                raise UsageError(f"geen register gevonden: de map {data} bestaat niet") from None
            raise UsageError(f"geen register gevonden: {os_problem(exc, folder)}") from None
        if not is_dir:
            raise UsageError(f"geen register gevonden: {folder} is een bestand, geen map")
    if not os.access(data, os.R_OK | os.X_OK):
        raise UsageError(f"de map {data} kan niet gelezen worden (geen toegang)")


@dataclass
class Register:
    root: Path
    procedure: Procedure
    complaints: list[Complaint] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)
    overviews: list[Overview] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)  # every file read, for text rules
    findings: list[Finding] = field(default_factory=list)  # problems found while reading


def load_register(root: Path) -> Register:
    require_register(root)
    procedure, findings = load_procedure(root)
    register = Register(root, procedure, findings=findings)
    files, unreadable = _markdown_files(root)
    register.findings.extend(unreadable)
    register.findings.extend(sources.problems(root))  # docs/, templates/, mkdocs.yml
    examples = placeholders.load_all(root)
    with no_gc():
        for doc, kind, record, problems in _read_all(root, files, procedure.categorieen, examples):
            register.documents.append(doc)
            register.findings.extend(doc.problems)
            register.findings.extend(problems)
            getattr(register, kind).append(record)
    register.complaints.sort(key=lambda c: c.sort_key)
    register.evaluations.sort(key=lambda e: e.rel)
    register.overviews.sort(key=lambda o: o.rel)
    return register


@contextlib.contextmanager
def no_gc():
    """Loading allocates many objects and frees none (no reference cycles); without this the
    cyclic collector scans the growing register over and over, a third of the load time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


Loaded = tuple[Document, str, "Complaint | Evaluation | Overview", list[Finding]]


def _read_file(root: Path, rel: str, path: Path, categories: tuple[str, ...], examples: TemplateExamples) -> Loaded:
    """One file: its document (text kept for the text rules), the register list it belongs
    to, its record and the problems found reading it."""
    doc = read_document(path, rel, root)
    kind = doc.rel.split("/")[1] if doc.rel.count("/") == 2 else ""
    if kind == EVALUATION_DIR:
        evaluation, problems = read_evaluation(doc, examples.evaluatie)
        result: Loaded = (doc, "evaluations", evaluation, problems)
    elif kind == OVERVIEW_DIR:
        overview, problems = read_overview(doc)
        result = (doc, "overviews", overview, problems)
    else:
        complaint, problems = read_complaint(doc, categories, examples.klacht)  # check.py names its volgnummer
        if doc.node is None:
            complaint = salvage(doc, categories) or complaint
        result = (doc, "complaints", complaint, problems)
    doc.node = None  # read into its record; keeping 10,000 YAML trees costs memory and time
    return result


def _read_files(
    root: Path, files: list[tuple[str, Path]], categories: tuple[str, ...], examples: TemplateExamples
) -> list[Loaded]:
    with no_gc():
        return [_read_file(root, rel, path, categories, examples) for rel, path in files]


# Reading and composing YAML is most of `klachten check`'s time on a large register, and each
# file is independent: from this many files on, the work is shared with forked worker processes
# (one per further CPU). Their results come back pickled, which costs far less than parsing.
PARALLEL_FROM = 2000


def _read_all(
    root: Path, files: list[tuple[str, Path]], categories: tuple[str, ...], examples: TemplateExamples
) -> list[Loaded]:
    jobs = _jobs(len(files))
    if jobs == 1:
        return _read_files(root, files, categories, examples)
    size = -(-len(files) // jobs)
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    try:
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(len(chunks) - 1, mp_context=context) as pool:
            futures = [pool.submit(_read_files, root, chunk, categories, examples) for chunk in chunks[1:]]
            results = _read_files(root, chunks[0], categories, examples)  # this process takes the first share
            for future in futures:
                results.extend(future.result())
        return results
    except (OSError, concurrent.futures.process.BrokenProcessPool):  # no processes to be had
        return _read_files(root, files, categories, examples)


def _jobs(count: int) -> int:
    """How many processes share the reading: 1 unless the register is large, this is Linux
    (fork is cheap and safe there) and no other thread runs (forking a threaded process, such
    as `klachten serve` with its file watcher, is not safe). KLACHTEN_JOBS overrides."""
    try:
        wanted = int(os.environ.get("KLACHTEN_JOBS", "0"))
    except ValueError:
        wanted = 0
    if wanted == 1 or count < PARALLEL_FROM or not sys.platform.startswith("linux"):
        return 1
    if threading.active_count() > 1:
        return 1
    cpus = len(os.sched_getaffinity(0))
    return max(1, min(wanted or cpus, cpus, count // (PARALLEL_FROM // 2)))


def _markdown_files(root: Path) -> tuple[list[tuple[str, Path]], list[Finding]]:
    """(rel, path) for klachten/*.md and klachten/<dir>/*.md, sorted (deeper = attachments),
    and a finding for each folder that cannot be read (its complaints would go unchecked) or
    that is a link leading out of the register (its files are not read at all).

    A README.md is a note for the people who keep the register, not a record. Every other
    .md entry that is not a folder is returned, a link or FIFO too: reading it says why not."""
    safefiles.forget_folders()
    files: list[tuple[str, Path]] = []
    problems: list[Finding] = []
    if not _folder_inside(root / DATA_DIR, root, DATA_DIR, problems):
        return files, problems
    for entry in _entries(root / DATA_DIR, DATA_DIR, problems):
        rel = f"{DATA_DIR}/{entry.name}"
        if _is_record(entry):
            files.append((rel, Path(entry.path)))
        elif _is_dir(entry) and not entry.name.startswith("."):
            if entry.is_symlink() and not _folder_inside(Path(entry.path), root, rel, problems):
                continue
            files += [(f"{rel}/{sub.name}", Path(sub.path)) for sub in _entries(Path(entry.path), rel, problems)
                      if _is_record(sub)]
    return files, problems


def _folder_inside(folder: Path, root: Path, rel: str, problems: list[Finding]) -> bool:
    """A folder that resolves outside the register (a link) is a finding and is not read."""
    if safefiles.is_inside(folder, root):
        return True
    message = f"de map {rel}/ {safefiles.OUTSIDE}; de bestanden erin zijn niet gecontroleerd"
    problems.append(Finding("yaml", message, rel))
    return False


def _entries(folder: Path, rel: str, problems: list[Finding]) -> list[os.DirEntry]:
    """The entries of `folder`, sorted; one whose name is not UTF-8 (copied from another
    system) is a finding instead: its name could not be shown, linked or written anywhere."""
    try:
        with os.scandir(folder) as scanned:
            entries = sorted(scanned, key=lambda e: e.name)
    except OSError as exc:
        message = f"de map {rel}/ kan niet gelezen worden ({os_reason(exc)}); de klachten erin zijn niet gecontroleerd"
        problems.append(Finding("yaml", message, rel))
        return []
    readable = [e for e in entries if _is_utf8(e.name)]
    for entry in entries:
        if not _is_utf8(entry.name) and (entry.name.endswith(".md") or entry.is_dir()):
            shown = f"{rel}/{os.fsencode(entry.name).decode('utf-8', 'replace')}"
            message = f"de naam {shown} is geen UTF-8-tekst en is niet gecontroleerd: hernoem het"
            problems.append(Finding("yaml", message, shown))
    return readable


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes, kept by Python as surrogates
        return False
    return True


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # pragma: no cover - a link loop: is_dir() says False, not raises
        return False


def _is_record(entry: os.DirEntry) -> bool:
    return entry.name.endswith(".md") and entry.name.lower() != "readme.md" and not _is_dir(entry)
