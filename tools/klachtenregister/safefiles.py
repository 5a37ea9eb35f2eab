"""Reading a register's files safely: regular files inside the register only, and bounded.

Git stores symbolic links and `actions/checkout` restores them, so a file of a register may be
a link to /etc/passwd, to /proc/self/environ (the build's environment, tokens included) or to
a file of another repository; a FIFO blocks a reader for ever and /dev/zero never ends. Every
file the product reads from a register (complaints, records, procedure.yml, docs pages,
templates, mkdocs.yml, attachments) is opened here, which refuses with a Dutch reason:

- a path that resolves outside the register root (a link in it or in one of its folders);
- anything but a regular file (a folder, FIFO, socket or device), judged on the open file
  (`fstat`), opened without blocking (a FIFO with no writer would block the `open` itself);
- a file larger than the limit, read at most one byte past it (a file that grows while read,
  or lies about its size as /proc files do, cannot exhaust memory either).

A link that stays inside the register is followed: staff may have a reason for it.
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

MAX_TEXT_BYTES = 10 * 1024 * 1024  # a complaint, record or page: far above any real one
MAX_TEXT_SHOWN = "10 MB"
_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

OUTSIDE = "is een koppeling naar buiten het register en wordt niet gelezen of gepubliceerd"


class Refused(Exception):
    """A file the product will not read. str(): the Dutch reason, to follow the file's name."""


def kind_of(mode: int) -> str | None:
    """Why a file of this mode is not a regular file, in Dutch; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is een map, geen bestand"
    if stat.S_ISFIFO(mode):
        return "is geen gewoon bestand maar een FIFO (named pipe) en wordt niet gelezen"
    if stat.S_ISSOCK(mode):
        return "is geen gewoon bestand maar een socket en wordt niet gelezen"
    return "is geen gewoon bestand maar een apparaat en wordt niet gelezen"


@functools.lru_cache(maxsize=4096)  # a register has few folders and thousands of files in them
def _real_dir(folder: str) -> str:
    return os.path.realpath(folder)


def forget_folders() -> None:
    """Resolve folders afresh (a long-running `serve` sees a folder become a link)."""
    _real_dir.cache_clear()


def is_inside(path: os.PathLike | str, base: os.PathLike | str) -> bool:
    """`path`, every link in it resolved, is `base` (resolved) or lies inside it."""
    real, top = os.path.realpath(path), _real_dir(os.fspath(base))
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def _folder_inside(path: str, base: str) -> bool:
    real, top = _real_dir(os.path.dirname(path) or "."), _real_dir(base)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def open_regular(path: os.PathLike | str, root: os.PathLike | str | None, limit: int | None = MAX_TEXT_BYTES) -> int:
    """A file descriptor of `path`, a regular file inside `root` of at most `limit` bytes;
    raises Refused (or OSError: not there, no permission). root None: a file already
    judged (or the product's own), only its kind and size are checked."""
    path = os.fspath(path)
    if root is None:
        fd = os.open(path, _FLAGS)
    elif not _folder_inside(path, os.fspath(root)):
        raise Refused(OUTSIDE)
    else:
        fd = _open_inside(path, os.fspath(root))
    try:
        _require_regular(os.fstat(fd), limit)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _open_inside(path: str, root: str) -> int:
    try:
        return os.open(path, _FLAGS | _NOFOLLOW)
    except OSError:
        if not (_NOFOLLOW and os.path.islink(path)):
            raise
    if not is_inside(path, root):  # the last part is a link: where does it lead?
        raise Refused(OUTSIDE)
    return os.open(os.path.realpath(path), _FLAGS | _NOFOLLOW)


def _require_regular(info: os.stat_result, limit: int | None) -> None:
    reason = kind_of(info.st_mode)
    if reason:
        raise Refused(reason)
    if limit is not None and info.st_size > limit:
        raise Refused(f"is groter dan {MAX_TEXT_SHOWN} en wordt niet gelezen")


def read_bytes(path: os.PathLike | str, root: os.PathLike | str | None, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The content of `path` (see `open_regular`); a file that turns out longer than
    `limit` while it is read is refused too."""
    fd = open_regular(path, root, limit)
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise Refused(f"is groter dan {MAX_TEXT_SHOWN} en wordt niet gelezen")
    return data


def problem(path: os.PathLike | str, root: os.PathLike | str | None, limit: int | None = MAX_TEXT_BYTES) -> str | None:
    """Why `path` would be refused (Dutch), else None; OSError's reasons are said too."""
    from .oserrors import os_reason

    try:
        os.close(open_regular(path, root, limit))
    except Refused as exc:
        return str(exc)
    except OSError as exc:
        return f"kan niet gelezen worden ({os_reason(exc)})"
    return None


def copy_into(source: Path, root: os.PathLike | str | None, target: Path) -> None:
    """Copy the regular file `source` (inside `root`) to `target`, keeping its times."""
    import shutil

    fd = open_regular(source, root, limit=None)
    with os.fdopen(fd, "rb") as handle, open(target, "wb") as out:
        shutil.copyfileobj(handle, out, 1024 * 1024)
        info = os.fstat(handle.fileno())
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
