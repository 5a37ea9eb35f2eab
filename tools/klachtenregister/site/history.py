"""The Git audit trail of every complaint, read in one pass over the history.

One `git log --name-status -M` yields every commit with the files it touched; walking it
from new to old, a rename `old -> new` makes the older commits of `old` count for the file's
current name. A per-file `git log` (or GitPython's `iter_commits(paths=...)`) would cost one
history walk per complaint: far too slow for a register with thousands of complaints and
tens of thousands of commits.

Nearly all of the pass is git comparing each commit's tree with its parent's. A long history
is therefore cut into consecutive slices of the same walk (`--skip`/`--max-count`), one git
process per core, and the slices are joined in order before renames are followed.

Commits are grouped per complaint: the complaint file `klachten/<jaar>/<nr>.md` and every
file in its attachment folder `klachten/<jaar>/<nr>/`.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

DATA_DIR = "klachten"
NO_GIT = "geen Git-geschiedenis"
_FORMAT = "%x1e%H%x1f%aI%x1f%an%x1f%s"
_COMPLAINT_FILE = re.compile(r"^klachten/[^/]+/[^/]+\.md$")
SLICE = 2000  # fewest commits worth a git process of their own
MAX_SLICES = 4


@dataclass(frozen=True)
class Commit:
    sha: str
    date: datetime
    author: str
    message: str

    @property
    def short(self) -> str:
        return self.sha[:8]


@dataclass
class History:
    """Commits per complaint file (its path in the working tree), newest first."""

    available: bool
    note: str | None = None  # why there is no history, in Dutch
    commits: dict[str, list[Commit]] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)  # complaint files with uncommitted changes
    head: str | None = None

    def of(self, complaint_rel: str) -> list[Commit]:
        return self.commits.get(complaint_rel, [])


def complaint_key(path: str) -> str | None:
    """The complaint file a path belongs to: itself, or the .md beside its attachment folder."""
    if _COMPLAINT_FILE.match(path):
        return path
    parts = path.split("/")
    if len(parts) >= 4 and parts[0] == DATA_DIR:
        return "/".join(parts[:3]) + ".md"
    return None


def read_history(root: Path, previous: History | None = None) -> History:
    """The history of `root/klachten`, or an empty History saying why there is none.

    previous: an earlier reading; when HEAD has not moved its commits are reused (serve
    regenerates on every edit, and only the working tree changed).
    """
    try:
        import git
    except ImportError:  # GitPython without a git binary raises at import time
        return History(False, f"{NO_GIT}: het programma git is niet gevonden")
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return History(False, f"{NO_GIT}: de map van het register is geen Git-repository")
    prefix = _prefix(root, Path(repo.working_tree_dir or root))
    try:
        head = repo.head.commit.hexsha
    except ValueError:  # a repository without commits
        head = None
    history = History(True, head=head)
    try:
        if previous is not None and previous.available and previous.head == head:
            history.commits = previous.commits
        elif head:
            # A message or path that is not UTF-8 must not stop the site: GitPython keeps such
            # bytes as surrogates, which cannot be written; show them as replacement marks.
            history.commits = parse_log(_printable(_read_log(repo, prefix)), prefix)
        status = repo.git.status("--porcelain", "-z", "--untracked-files=all", "--", prefix + DATA_DIR)
        history.dirty = parse_status(status, prefix)
    except git.GitCommandError as exc:
        return History(False, f"{NO_GIT}: git gaf een fout ({exc.stderr.strip() or exc.status})")
    return history


def _read_log(repo, prefix: str) -> str:
    """Every commit with its changed files, children before parents (--date-order), merges
    with the changes they brought into the first parent.

    A register at the top of its repository is read without a pathspec: nearly every commit
    touches klachten/ there, and a pathspec would make git compare each tree twice (once to
    simplify the history, once for the output). A register in a subfolder of a larger
    repository keeps the pathspec, so unrelated commits are skipped.
    """
    # A merge counts for the files it brought into the main line: the merge of a pull request
    # is its approval record (who merged, when).
    args = ["-z", "--name-status", "-M", "--diff-merges=first-parent", "--date-order", f"--format={_FORMAT}", "HEAD"]
    if prefix:
        return repo.git.log(*args, "--", prefix + DATA_DIR)
    total = int(repo.git.rev_list("--count", "HEAD"))
    slices = max(1, min(os.cpu_count() or 1, MAX_SLICES, total // SLICE))
    if slices == 1:
        return repo.git.log(*args)
    size = -(-total // slices)  # rounded up, so the last slice takes the rest
    ranges = [[f"--skip={i * size}", f"--max-count={size}"] for i in range(slices)]
    with ThreadPoolExecutor(slices) as pool:  # each thread waits on its own git process
        return "".join(pool.map(lambda r: repo.git.log(*args, *r), ranges))


def _prefix(root: Path, top: Path) -> str:
    """The register root's path inside the repository, as git prints paths ('' or 'sub/')."""
    rel = PurePosixPath(Path(root).resolve().relative_to(top.resolve()).as_posix())
    return "" if str(rel) == "." else f"{rel}/"


def parse_log(log: str, prefix: str = "") -> dict[str, list[Commit]]:
    """Group `git log -z --name-status` output (newest first) per complaint, following renames."""
    current: dict[str, str] = {}  # an older path -> its name in the working tree
    result: dict[str, list[Commit]] = {}
    for record in log.split("\x1e")[1:]:
        header, _, changes = record.partition("\0")
        sha, stamp, author, message = header.split("\x1f", 3)
        commit = Commit(sha, datetime.fromisoformat(stamp), author, message)
        for path in _touched(changes.lstrip("\n").split("\0"), current):
            if not path.startswith(prefix):
                continue  # outside the register (it sits in a subfolder of the repository)
            key = complaint_key(path[len(prefix) :])
            entries = result.setdefault(key, []) if key else None
            if entries is not None and (not entries or entries[-1] is not commit):
                entries.append(commit)
    return result


def _touched(tokens: list[str], current: dict[str, str]):
    """Yield the working-tree names of the files in one commit; record renames in `current`."""
    index = 0
    while index < len(tokens) and tokens[index]:
        status = tokens[index]
        if status[0] in "RC":
            old, new = tokens[index + 1], tokens[index + 2]
            name = current.get(new, new)
            if status[0] == "R":
                current[old] = name
            index += 3
        else:
            name = current.get(tokens[index + 1], tokens[index + 1])
            index += 2
        yield name


def parse_status(status: str, prefix: str = "") -> set[str]:
    """Complaint files with changes that are not committed (`git status --porcelain -z`)."""
    dirty: set[str] = set()
    tokens = status.split("\0")
    index = 0
    while index < len(tokens) and tokens[index]:
        entry = tokens[index]
        key = complaint_key(_strip(entry[3:], prefix))
        if key:
            dirty.add(key)
        index += 2 if entry[0] in "RC" else 1  # a rename is followed by its old path
    return dirty


def _printable(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _strip(path: str, prefix: str) -> str:
    return path[len(prefix) :] if prefix and path.startswith(prefix) else path
