"""Where the generated site goes: build/ and site/ checked, one build at a time, the site whole.

Git stores symbolic links, so a repository can carry a `build` or `site` that is a link (to
`/home/...`, or to `.`, which would write the generated pages into the tracked docs/), or a
`site/` folder with committed files; either way the build would write pages with personal data
where they must not go, or delete what is there. So, before anything is written:

- `build/` must be a folder of its own (never a link) and neither it nor `site/` may be tracked
  by Git (the generated pages hold personal data and do not belong in the repository);
- `site/` may be an untracked link to (or a mount of) a web server's folder: then the site is
  built beside it and copied into it file by file. Never when it leads to the register itself,
  a folder above it, or into klachten/, docs/, templates/ or build/; and never into a folder
  that already holds files a build of ours did not put there (a marker file tells).

One build at a time: a lock in build/ makes a second `klachten build` wait (and say so). The
site is always whole: it is built into a fresh folder in build/, which then takes the place
of site/ in one step (an atomic exchange where Linux offers it). Hidden files in site/ (an
`.htaccess` that enforces the login) are carried over into every new site.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import JobFailed
from ..files import TEMPORARY_PREFIX, current_umask
from ..paths import BUILD_DIR, SITE_DIR, tracked_files
from ..register import require_register

LOCK_FILE = ".klachten-build.lock"
FRESH_PREFIX = "site-"  # build/site-*: a site being built, or left by a build that was killed
MARKER = ".klachtenregister-site"  # in a site folder built in place: its files are ours
SOURCES = ("klachten", "docs", "templates", BUILD_DIR, ".git")


# --- checking build/ and site/ -----------------------------------------------------------


def check_output_dirs(root: Path) -> None:
    """Raise JobFailed (Dutch) when build/ or site/ cannot safely be written."""
    build = root / BUILD_DIR
    if build.is_symlink():
        raise JobFailed(
            f"{build} is een koppeling (naar {os.readlink(build)}): klachten schrijft daar pagina's met "
            "persoonsgegevens en verwijdert er bestanden; verwijder de koppeling (build/ wordt een gewone map)"
        )
    if build.exists() and not build.is_dir():
        raise JobFailed(f"{build} is een bestand, geen map: verplaats of hernoem het, klachten werkt daar")
    for name in (BUILD_DIR, SITE_DIR):
        _refuse_tracked(root, name)
    _check_site(root, root / SITE_DIR)


def _refuse_tracked(root: Path, name: str) -> None:
    tracked = tracked_files(root, name)
    if tracked:
        raise JobFailed(
            f"{name}/ staat in Git (bijvoorbeeld {tracked[0]}): daar komen gegenereerde pagina's met "
            f"persoonsgegevens, die niet in de repository horen. Haal {name}/ uit Git met "
            f"'git rm -r --cached {name}' en zet /{name} in .gitignore"
        )


def _check_site(root: Path, site: Path) -> None:
    if site.is_symlink():
        target = Path(os.path.realpath(site))
        if not target.is_dir():
            raise JobFailed(f"{site} wijst naar {target}, dat geen bestaande map is: maak de map, of verwijder site")
        _refuse_register_place(root, site, target)
    elif site.exists() and not site.is_dir():  # never move away a file staff made
        raise JobFailed(f"{site} is een bestand, geen map: verplaats of hernoem het, de site komt daar")


def _refuse_register_place(root: Path, site: Path, target: Path) -> None:
    """A site folder elsewhere may not be the register, above it, or in its sources."""
    top = Path(os.path.realpath(root))
    inside = [name for name in SOURCES if _within(target, Path(os.path.realpath(top / name)))]
    if target == top or _within(top, target) or inside:
        where = f"in {inside[0]}/" if inside else "het register zelf of een map erboven"
        raise JobFailed(
            f"{site} wijst naar {target}, {where}: de build zou daar bestanden van het register "
            "overschrijven of verwijderen. Laat site/ naar een eigen, lege map wijzen"
        )


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


# --- one build at a time -----------------------------------------------------------------


@contextlib.contextmanager
def output_lock(root: Path) -> Iterator[None]:
    """Check build/ and site/, then hold build/'s lock; a second build waits, and says so."""
    require_register(root)  # no register: a usage error, before anything is made
    check_output_dirs(root)
    build = root / BUILD_DIR
    build.mkdir(exist_ok=True)
    fd = os.open(build / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("klachten: er loopt al een build van dit register; deze wacht tot die klaar is", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


# --- building into a fresh folder, then swapping -----------------------------------------


def publish(root: Path, build_into: Callable[[Path], None]) -> None:
    """Call `build_into(folder)` on a fresh folder in build/, then make that folder the site.
    Hold `output_lock` around it. A failed build leaves the last good site as it was."""
    build, site = root / BUILD_DIR, root / SITE_DIR
    _remove_leftovers(build)
    fresh = Path(tempfile.mkdtemp(prefix=FRESH_PREFIX, dir=build))
    try:
        os.chmod(fresh, 0o777 & ~current_umask())  # as MkDocs makes a site folder: readable by a web server
        build_into(fresh)
        if site.is_symlink() or os.path.ismount(site):
            sync_into(fresh, Path(os.path.realpath(site)), site)
        else:
            keep_hidden(site, fresh)
            swap(site, fresh)
    except OSError as exc:
        from ..oserrors import os_problem

        raise JobFailed(f"de site kan niet in {site} gezet worden: {os_problem(exc)}") from None
    finally:
        shutil.rmtree(fresh, ignore_errors=True)  # after a swap: the previous site


def _remove_leftovers(build: Path) -> None:
    """Sites a killed build left in build/ (the lock is held: no build is using them)."""
    for entry in os.scandir(build):
        if entry.name.startswith(FRESH_PREFIX) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


def keep_hidden(old: Path, new: Path) -> None:
    """Copy the hidden files and folders of the old site (at any depth) into the new one."""
    if not old.is_dir():
        return
    for folder, dirs, files in os.walk(old):
        rel = Path(folder).relative_to(old)
        for name in [n for n in (*dirs, *files) if n.startswith(".")]:
            _copy_entry(Path(folder) / name, new / rel / name)
        dirs[:] = [d for d in dirs if not d.startswith(".")]


def _copy_entry(source: Path, target: Path) -> None:
    if target.exists() or target.is_symlink():
        return  # the new build made it itself
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, target, symlinks=True)
    else:
        shutil.copy2(source, target, follow_symlinks=False)


_RENAME_EXCHANGE = 2


def swap(site: Path, fresh: Path) -> None:
    """`fresh` becomes `site` in one step; the previous site is then at `fresh`."""
    if not site.exists():
        fresh.rename(site)
        return
    if not _exchange(fresh, site):
        parked = Path(tempfile.mkdtemp(prefix=FRESH_PREFIX, dir=fresh.parent))
        parked.rmdir()
        site.rename(parked)  # the two-step fallback: for a moment there is no site/
        fresh.rename(site)
        parked.rename(fresh)


def _exchange(a: Path, b: Path) -> bool:
    """renameat2(RENAME_EXCHANGE): swap two folders atomically; False where not available."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP):  # file system without it
        return False
    raise OSError(code, os.strerror(code), str(b))


# --- a site folder elsewhere, built in place ---------------------------------------------


def sync_into(fresh: Path, target: Path, site: Path) -> None:
    """Make `target` (a web server's folder) hold the new site: every file replaced in one
    step, then what the new site no longer has removed; hidden files are never touched."""
    _require_ours(target, site)
    wanted: set[Path] = set()
    for folder, _dirs, files in os.walk(fresh):
        rel = Path(folder).relative_to(fresh)
        _make_folder(target / rel)
        wanted.add(rel)
        for name in files:
            wanted.add(rel / name)
            _put(Path(folder) / name, target / rel / name)
    _remove_unwanted(target, wanted)
    (target / MARKER).write_text("Deze map wordt gevuld door 'klachten build'.\n", encoding="utf-8")


def _require_ours(target: Path, site: Path) -> None:
    visible = sorted(name for name in os.listdir(target) if not name.startswith("."))
    if visible and not (target / MARKER).is_file():
        raise JobFailed(
            f"{site} wijst naar {target}, waarin al bestanden staan die niet van een eerdere build zijn "
            f"(bijvoorbeeld {visible[0]}): de build zou ze verwijderen. Laat site/ naar een lege map wijzen"
        )


def _make_folder(folder: Path) -> None:
    """A real folder at `folder`: a link or file in its place is removed (never followed)."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        folder.unlink()
    folder.mkdir(exist_ok=True)


def _put(source: Path, target: Path) -> None:
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    fd, tmp = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, dir=target.parent)
    os.close(fd)
    try:
        shutil.copy2(source, tmp)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _remove_unwanted(target: Path, wanted: set[Path]) -> None:
    """Remove the visible files and folders the new site does not have (links as links)."""
    for folder, dirs, files in os.walk(target):
        rel = Path(folder).relative_to(target)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in [d for d in dirs if rel / d not in wanted]:
            _remove_visible(Path(folder) / name)
            dirs.remove(name)
        for name in (n for n in files if not n.startswith(".") and rel / n not in wanted):
            (Path(folder) / name).unlink()


def _remove_visible(folder: Path) -> None:
    """A folder the new site no longer has: its visible files go, hidden ones stay."""
    if folder.is_symlink():
        folder.unlink()
        return
    emptied = []
    for sub, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        emptied.append(sub)
        for name in (n for n in (*files, *[d for d in dirs if os.path.islink(os.path.join(sub, d))])
                     if not n.startswith(".")):
            os.unlink(os.path.join(sub, name))
    for sub in reversed(emptied):
        with contextlib.suppress(OSError):  # not empty: hidden files remain
            os.rmdir(sub)
