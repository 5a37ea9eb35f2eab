"""Loading a whole register: one pass over `klachten/`, one parse per file.

Layout (SPEC section 1): klachten/<jaar>/<volgnummer>.md are complaints, deeper files are
their attachments; klachten/evaluaties/*.md and klachten/jaaroverzichten/*.md are the
records of steps 11 and 12. Loading never raises for a user's mistake: what could not be
read becomes a finding, and every other file is still read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding
from .model import Complaint, Evaluation, Overview
from .procedure import Procedure, load_procedure
from .records import read_complaint, read_evaluation, read_overview
from .yamlsource import Document, read_document

DATA_DIR = "klachten"
EVALUATION_DIR = "evaluaties"
OVERVIEW_DIR = "jaaroverzichten"


class RegisterNotFound(Exception):
    """The root has no klachten/ folder: a usage error, not a finding."""


@dataclass
class Register:
    root: Path
    procedure: Procedure
    complaints: list[Complaint] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)
    overviews: list[Overview] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)  # every file read, for text rules
    findings: list[Finding] = field(default_factory=list)  # problems found while reading

    def complaint(self, volgnummer: str) -> Complaint | None:
        return next((c for c in self.complaints if c.volgnummer == volgnummer), None)


def load_register(root: Path) -> Register:
    data = root / DATA_DIR
    if not data.is_dir():
        raise RegisterNotFound(f"geen register gevonden: de map {data} bestaat niet")
    procedure, findings = load_procedure(root)
    register = Register(root, procedure, findings=findings)
    for rel, path in _markdown_files(data):
        doc = read_document(path, rel)
        register.documents.append(doc)
        register.findings.extend(doc.problems)
        _add_record(register, doc)
    register.complaints.sort(key=lambda c: (c.volgnummer or "", c.rel))
    register.evaluations.sort(key=lambda e: e.rel)
    register.overviews.sort(key=lambda o: o.rel)
    return register


def _add_record(register: Register, doc: Document) -> None:
    kind = doc.rel.split("/")[1] if doc.rel.count("/") == 2 else ""
    if kind == EVALUATION_DIR:
        record, problems = read_evaluation(doc)
        register.evaluations.append(record)
    elif kind == OVERVIEW_DIR:
        record, problems = read_overview(doc)
        register.overviews.append(record)
    else:
        record, problems = read_complaint(doc, register.procedure.categorieen)
        register.complaints.append(record)
    register.findings.extend(problems)


def _markdown_files(data: Path):
    """Yield (rel, path) for klachten/*.md and klachten/<dir>/*.md, sorted; deeper = attachments."""
    entries = sorted(os.scandir(data), key=lambda e: e.name)
    for entry in entries:
        if entry.is_file() and entry.name.endswith(".md"):
            yield f"{DATA_DIR}/{entry.name}", Path(entry.path)
        elif entry.is_dir() and not entry.name.startswith("."):
            for sub in sorted(os.scandir(entry.path), key=lambda e: e.name):
                if sub.is_file() and sub.name.endswith(".md"):
                    yield f"{DATA_DIR}/{entry.name}/{sub.name}", Path(sub.path)
