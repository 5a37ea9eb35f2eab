"""What can still be read of a complaint whose front matter is broken.

A typo in one line (an unclosed quote, a line that springs in wrongly) makes the whole front
matter unreadable YAML: `klachten check` reports it as a `yaml` error on its line. Until it is
fixed, the complaint must not vanish from the dossier index with its deadlines: staff would
lose sight of a duty because of a typo. So the lines YAML cannot read are set aside one by
one, and the rest is read as usual. The complaint stays unreadable (`readable` False: no
other rule judges it, the site marks it), but its volgnummer, onderwerp, status and deadlines
are shown; a field on a line set aside counts as unknown, never as not done.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from .model import Complaint
from .records import read_complaint
from .yamlsource import Document, parse_yaml_text

MAX_TRIES = 20  # lines set aside; a file broken on more lines than this is not worth guessing at
MAX_CHARS = 100_000  # a front matter of staff's making is a few kB
_TOP_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:")


def salvage(doc: Document, categories: Sequence[str]) -> Complaint | None:
    """The complaint as far as its front matter can be read, or None when nothing can be."""
    lines = doc.text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if not lines or lines[0].rstrip() != "---" or end is None:
        return None
    front = lines[1:end]
    if sum(len(line) for line in front) > MAX_CHARS:
        return None
    node, set_aside = _readable_part(front, doc.rel)
    if node is None:
        return None
    body = "\n".join(lines[end + 1 :])
    complaint, _findings = read_complaint(Document(doc.rel, doc.text, node, body, end + 2), categories)
    unknown = {_top_key(front, i) for i in set_aside} - {None}
    return dataclasses.replace(
        complaint, readable=False, salvaged=True, invalid=complaint.invalid | frozenset(unknown)
    )


def _readable_part(front: list[str], rel: str):
    """(the YAML node of `front` without the lines it cannot read, those lines' indices)."""
    lines, set_aside = list(front), set()
    for _try in range(MAX_TRIES):
        node, problems = parse_yaml_text("\n".join(lines), rel, offset=2)
        if node is not None:
            return node, set_aside
        wrong = {f.line - 2 for f in problems if f.line is not None} & set(range(len(lines))) - set_aside
        if not wrong:
            return None, set_aside
        for index in wrong:
            lines[index] = ""
        set_aside |= wrong
    return None, set_aside


def _top_key(front: list[str], index: int) -> str | None:
    """The top-level field a line belongs to: its own key at the margin, else the one above."""
    for line in reversed(front[: index + 1]):
        match = _TOP_KEY.match(line)
        if match:
            return match[1]
    return None
