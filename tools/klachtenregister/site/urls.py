"""The site's URLs: where each page lives in the generated docs, and the page name (slug) of
every complaint, made once for every page that links it. (Templates link with the same forms.)

Every generated page that links with raw HTML is the `index.md` of the folder of its URL
(`klachten/2026-001/index.md` for /klachten/2026-001/). MkDocs leaves an href in raw HTML as
written, relative to the page's URL; Zensical rewrites it as if it were relative to the source
file. Only when the source sits in the folder of its URL do the two readings agree, so the
same relative link (an attachment `brief.pdf`, a complaint `../../klachten/2026-001/`)
resolves alike under both engines."""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Complaint

COMPLAINTS = "klachten"
EVALUATIONS = "evaluaties"
OVERVIEWS = "jaaroverzichten"
_UNSAFE_SLUG = re.compile(r"[^0-9A-Za-z._-]+")


def complaint_slugs(complaints: list[Complaint]) -> dict[str, str]:
    """URL name per complaint file: its file name (the volgnummer), made safe and unique."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    # A file in the folder of its own year keeps the plain name when a number is duplicated.
    for c in sorted(complaints, key=lambda c: (Path(c.rel).parent.name != Path(c.rel).stem[:4], c.rel)):
        base = _UNSAFE_SLUG.sub("-", Path(c.rel).stem).strip("-.") or "klacht"
        slug, n = base, 2
        while slug.lower() in taken or slug.lower() == "index":
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug.lower())
        slugs[c.rel] = slug
    return slugs


def page_in_folder(url: str) -> str:
    """The source of the page at `url`: the index.md of its folder (see above)."""
    return f"{url}/index.md"


def complaint_page(slug: str) -> str:
    return page_in_folder(f"{COMPLAINTS}/{slug}")


def attachment_file(slug: str, name: str) -> str:
    """An attachment, published in the folder of its complaint's page."""
    return f"{COMPLAINTS}/{slug}/{name}"


def evaluation_page(period: str) -> str:
    return page_in_folder(f"{EVALUATIONS}/{period.lower()}")


def overview_page(year: int) -> str:
    return page_in_folder(f"{OVERVIEWS}/{year}")


def link_from_period_page(slug: str) -> str:
    """The complaint's page, linked from an evaluation or annual page (two folders deep)."""
    return f"../../{COMPLAINTS}/{slug}/"
