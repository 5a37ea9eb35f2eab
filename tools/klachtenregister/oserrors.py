"""Operating-system errors in Dutch: which path, and what went wrong with it.

`OSError.strerror` is the C library's English ("Permission denied"); staff get the Dutch
reason from the error number instead, and a path too long to read is shortened.
"""

from __future__ import annotations

import errno
import os

from .files import TEMPORARY_PREFIX

_REASONS = {
    errno.ENOENT: "bestaat niet",
    errno.EACCES: "geen toegang, controleer de rechten",
    errno.EPERM: "geen toestemming, controleer de rechten",
    errno.EEXIST: "bestaat al",
    errno.ENOTDIR: "een deel van het pad is een bestand, geen map",
    errno.EISDIR: "is een map, geen bestand",
    errno.ENAMETOOLONG: "de naam is te lang",
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfruimte (quota) is op",
    errno.EROFS: "staat op een schijf waarop niet geschreven mag worden",
    errno.ELOOP: "te veel symbolische koppelingen (een kringetje?)",
    errno.EBUSY: "is in gebruik",
    errno.ETXTBSY: "is in gebruik",
    errno.EMFILE: "te veel open bestanden",
    errno.ENFILE: "te veel open bestanden",
    errno.EXDEV: "ligt op een andere schijf",
    errno.ENOTEMPTY: "de map is niet leeg",
    errno.EIO: "leesfout van de schijf",
    errno.EINVAL: "ongeldige naam of bewerking",
    errno.ENXIO: "is geen gewoon bestand",
    errno.ENODEV: "is geen gewoon bestand",
    errno.EADDRINUSE: "het adres (de poort) is al in gebruik: kies een andere poort met --dev-addr",
    errno.EADDRNOTAVAIL: "dit adres hoort niet bij deze computer: kies een ander met --dev-addr",
}
MAX_SHOWN = 160  # characters of a path shown in a message


def os_reason(exc: OSError) -> str:
    """Why, in Dutch (the error's own English text is never shown)."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    if exc.errno is not None:
        return f"systeemfout {errno.errorcode.get(exc.errno, exc.errno)}"
    return "systeemfout"


def os_problem(exc: OSError, path: os.PathLike | str | None = None) -> str:
    """'<path>: <reason>' for the path given, else the one the error names (for a temporary
    file written beside its target: the folder, which is what staff know)."""
    shown = path if path is not None else exc.filename
    if isinstance(shown, str) and os.path.basename(shown).startswith(TEMPORARY_PREFIX):
        # Moving it into place failed: the place is what staff know (written elsewhere first).
        shown = os.path.dirname(exc.filename2 if path is None and isinstance(exc.filename2, str) else shown)
    return f"{short_path(shown)}: {os_reason(exc)}" if shown is not None else os_reason(exc)


def short_path(path: os.PathLike | str | bytes) -> str:
    text = os.fsdecode(path) if isinstance(path, bytes) else str(path)
    if len(text) <= MAX_SHOWN:
        return text
    half = MAX_SHOWN // 2
    return f"{text[:half]}…{text[-half:]}"
