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

The same pass names, with `--raw`, the blob of every record file each commit wrote, and the
parents of each commit: the first-parent line of HEAD and its blobs give the history of every
field (`fieldhistory.py`), without another walk.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from ..register import no_gc
from .fieldhistory import field_trails, record_versions

DATA_DIR = "klachten"
NO_GIT = "geen Git-geschiedenis"
# Fields separated by NUL, which no commit message, author or path can hold (`-z` separates the
# paths with it too), read by position; a commit starts with an empty field, so slices of the
# log join as one. A message or author holding \x1e or \x1f (once the separators) is just text.
_FORMAT = "%x00%H%x00%P%x00%aI%x00%cI%x00%an%x00%s"
_HEADER_FIELDS = 6
_COMPLAINT_FILE = re.compile(r"^klachten/[^/]+/[^/]+\.md$")
# --raw names each changed file's new blob (--no-abbrev: in full, for `git cat-file`).
_LOG_ARGS = ["-z", "--raw", "--no-abbrev", "-M", "--diff-merges=first-parent", f"--format={_FORMAT}", "HEAD"]
SLICE = 2000  # fewest commits worth a git process of their own
MAX_SLICES = 4


@dataclass(frozen=True)
class Commit:
    sha: str
    date: datetime  # the author's date: when the change was written
    author: str
    message: str
    recorded: datetime | None = None  # the committer's date: when it was committed (or merged)

    @property
    def short(self) -> str:
        return self.sha[:8]


# One file of one commit as `--raw` names it: (status letter, new blob, path, old path of a rename).
Change = tuple[str, str, str, "str | None"]


@dataclass(frozen=True)
class Entry:
    """One commit of the log with its parents and the files it changed (against its first parent)."""

    commit: Commit
    parents: tuple[str, ...]
    changes: tuple[Change, ...]


@dataclass
class History:
    """Commits per complaint file (its path in the working tree), newest first."""

    available: bool
    note: str | None = None  # why there is no history, in Dutch
    commits: dict[str, list[Commit]] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)  # complaint files with uncommitted changes
    head: str | None = None
    fields: dict = field(default_factory=dict)  # record file -> fieldhistory.Trails
    shallow: bool = False  # a shallow clone: the oldest commits are missing

    def of(self, complaint_rel: str) -> list[Commit]:
        return self.commits.get(complaint_rel, [])

    def fields_of(self, rel: str) -> dict:
        """Per field path of a record file, its values on the main line, oldest first."""
        return self.fields.get(rel, {})


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
    # A shallow clone lists its cut-off commits in "shallow" (in the common dir of a worktree).
    history = History(True, head=head, shallow=os.path.exists(os.path.join(repo.common_dir, "shallow")))
    try:
        if previous is not None and previous.available and previous.head == head:
            history.commits, history.fields = previous.commits, previous.fields
        elif head:
            with no_gc():
                _read_commits(repo, prefix, history)
        status = repo.git.status("--porcelain", "-z", "--untracked-files=all", "--", prefix + DATA_DIR)
        history.dirty = parse_status(status, prefix)
    except git.GitCommandError as exc:
        return History(False, f"{NO_GIT}: git gaf een fout ({(exc.stderr or '').strip() or exc.status})")
    return history


def _read_commits(repo, prefix: str, history: History) -> None:
    """The audit trail and the field history from one walk (and one `git cat-file`). Many
    small objects and no reference cycles: the cyclic collector would only slow it down."""
    # A message or path that is not UTF-8 must not stop the site: GitPython keeps such
    # bytes as surrogates, which cannot be written; show them as replacement marks.
    entries = parse_entries(_printable(_read_log(repo, prefix)))
    history.commits = group_commits(entries, prefix)
    if prefix:  # the log was simplified by its pathspec: walk the main line on its own
        main = parse_entries(_printable(repo.git.log("--first-parent", *_LOG_ARGS, "--", prefix + DATA_DIR)))
    else:
        main = main_line(entries, history.head)
    versions = record_versions(main, prefix)
    blobs = read_blobs(repo, [blob for found in versions.values() for _commit, blob in found])
    history.fields = field_trails(versions, blobs)


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
    args = [*_LOG_ARGS, "--date-order"]
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
    """Group `git log -z --raw` output (newest first) per complaint, following renames."""
    return group_commits(parse_entries(log), prefix)


def parse_entries(log: str) -> list[Entry]:
    """The commits of `git log -z --raw --format=_FORMAT` output, in its order: a header of
    _HEADER_FIELDS fields (after the empty one), then per changed file a `:<modes> <blobs>
    <status>` field and its one or two paths, until a field that is none (the next commit)."""
    tokens = log.split("\0")
    entries, index = [], 0
    while index < len(tokens):
        if not tokens[index]:
            index += 1
            continue
        if index + _HEADER_FIELDS > len(tokens):
            break
        sha, parents, authored, committed, author, message = tokens[index : index + _HEADER_FIELDS]
        changes, index = _changes(tokens, index + _HEADER_FIELDS)
        commit = Commit(sha, _stamp(authored), author, message, _stamp(committed))
        entries.append(Entry(commit, tuple(parents.split()), tuple(changes)))
    return entries


def _stamp(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:  # pragma: no cover - git writes %aI and %cI itself
        return datetime.fromtimestamp(0).astimezone()


def _changes(tokens: list[str], index: int) -> tuple[list, int]:
    """(status, new blob, path, old path) per file of `--raw -z` from `index` on: ':100644
    100644 <old> <new> R100' then one path, or two for a rename or copy; and where they end."""
    changes = []
    while index < len(tokens) and tokens[index].lstrip("\n").startswith(":"):
        meta = tokens[index].lstrip("\n").split(" ")
        status, blob = meta[-1], meta[3] if len(meta) > 4 else ""
        if status[:1] in ("R", "C") and index + 2 < len(tokens):
            changes.append((status, blob, tokens[index + 2], tokens[index + 1]))
            index += 3
        else:
            changes.append((status, blob, tokens[index + 1] if index + 1 < len(tokens) else "", None))
            index += 2
    return changes, index


def group_commits(entries: list[Entry], prefix: str = "") -> dict[str, list[Commit]]:
    """Commits per complaint file (its name in the working tree), newest first."""
    current: dict[str, str] = {}  # an older path -> its name in the working tree
    result: dict[str, list[Commit]] = {}
    for entry in entries:
        commit = entry.commit
        for path in _touched(entry.changes, current):
            if not path.startswith(prefix):
                continue  # outside the register (it sits in a subfolder of the repository)
            key = complaint_key(path[len(prefix) :])
            found = result.setdefault(key, []) if key else None
            if found is not None and (not found or found[-1] is not commit):
                found.append(commit)
    return result


def _touched(changes: tuple[Change, ...], current: dict[str, str]):
    """Yield the working-tree names of the files in one commit; record renames in `current`."""
    for status, _blob, path, old in changes:
        name = current.get(path, path)
        if old is not None and status[0] == "R":
            current[old] = name
        yield name


def main_line(entries: list[Entry], head: str | None) -> list[Entry]:
    """The first-parent line of `head`, newest first: where a value is recorded (a pull
    request's own commits are not; its merge is)."""
    by_sha = {entry.commit.sha: entry for entry in entries}
    line = []
    entry = by_sha.get(head or "")
    while entry is not None:
        line.append(entry)
        entry = by_sha.get(entry.parents[0]) if entry.parents else None
    return line


def read_blobs(repo, shas: list[str]) -> Iterator[bytes | None]:
    """The contents of these blobs, in this order, from one `git cat-file --batch` (never a git
    call per file), as git sends them: the caller reads one while git looks up the next."""
    import git

    if not shas:
        return
    command = [git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git", "cat-file", "--batch"]
    with subprocess.Popen(command, cwd=repo.git_dir, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as process:
        writer = threading.Thread(target=_send, args=(process.stdin, shas), daemon=True)
        writer.start()
        yield from parse_batch(process.stdout, len(shas))
        writer.join()
        stderr = process.stderr.read()
    if process.returncode:
        raise git.GitCommandError(command, process.returncode, stderr)


def _send(stdin, shas: list[str]) -> None:
    with contextlib.suppress(BrokenPipeError), stdin:  # git stopped early: its exit status says why
        stdin.write("\n".join(shas).encode() + b"\n")


def parse_batch(out, count: int) -> Iterator[bytes | None]:
    """`git cat-file --batch` output: '<sha> blob <size>' and the content, or '<sha> missing'
    (a partial clone) as None."""
    for _ in range(count):
        header = out.readline().split()
        if not header:
            return  # git stopped: its exit status says why
        yield out.read(int(header[2]) + 1)[:-1] if len(header) == 3 else None


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
