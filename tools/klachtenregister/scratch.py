"""A private folder for files on their way into the register, where `git add -A` never sees it.

`klachten new` copies attachments and writes the new file somewhere first and moves them into
place only when all is there. If that somewhere were inside klachten/ (a hidden folder, a
`.nieuw-*.tmp` file), a `kill -9` halfway would leave it there for `git add -A` to stage:
copies of a complainant's letter in the repository. So it is a folder of its own under
build/ (ignored by Git, `/build` in .gitignore), holding a lock while it is used: a later
`klachten new` removes every such folder whose lock nobody holds any more.

Only when build/ cannot serve (a link, a file, tracked by Git, another file system: the move
into place must be a rename) does the folder stand beside its target, hidden, as before.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from .files import TEMPORARY_PREFIX
from .paths import BUILD_DIR, tracked_files

SCRATCH_DIR = "build/.klachten-nieuw"
_LOCK = ".in-gebruik"


@contextlib.contextmanager
def scratch_folder(root: Path, near: Path) -> Iterator[Path]:
    """A fresh folder on the file system of `near` (an existing folder in the register),
    removed afterwards; stale ones of runs that were killed are removed first."""
    base = _usable_base(root, near)
    if base is None:
        folder = near / f"{TEMPORARY_PREFIX}{uuid.uuid4().hex[:12]}"
        folder.mkdir()
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    _remove_stale(base)
    name = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    making = base / f".{name}"  # locked before it gets a name that _remove_stale looks at
    making.mkdir()
    fd = os.open(making / _LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    folder = base / name
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        making.rename(folder)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(making, ignore_errors=True)
        os.close(fd)


def _usable_base(root: Path, near: Path) -> Path | None:
    build = root / BUILD_DIR
    if build.is_symlink() or (build.exists() and not build.is_dir()) or tracked_files(root, BUILD_DIR):
        return None
    base = root / SCRATCH_DIR
    try:
        base.mkdir(parents=True, exist_ok=True)
        if os.stat(base).st_dev != os.stat(near).st_dev:
            return None
    except OSError:
        return None
    return base


STALE_SECONDS = 3600  # a folder still without its name this long ago was left by a killed run


def _remove_stale(base: Path) -> None:
    for entry in os.scandir(base):
        if not entry.is_dir(follow_symlinks=False):
            continue
        if entry.name.startswith("."):
            if time.time() - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS:
                shutil.rmtree(entry.path, ignore_errors=True)
            continue
        try:
            fd = os.open(os.path.join(entry.path, _LOCK), os.O_RDWR | os.O_CLOEXEC)
        except OSError:  # killed before its lock was made
            shutil.rmtree(entry.path, ignore_errors=True)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # another `klachten new` is using it right now
        finally:
            os.close(fd)
        shutil.rmtree(entry.path, ignore_errors=True)
