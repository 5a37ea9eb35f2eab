"""Complaint text to safe HTML.

The body of a complaint file is Markdown written by staff, often quoting a complainant's
e-mail. It must never put HTML or script into the site (SPEC section 3). Two layers:

1. python-markdown with raw HTML switched off: `<script>` and friends become visible text,
   as staff wrote them; only plain Markdown extensions (no attr_list, so `{: onclick=... }`
   stays text).
2. nh3 (ammonia) with an allow-list of tags and attributes: no script, style, iframe,
   object, embed or event handlers; links only to http(s) and mailto; images only from the
   complaint's own attachments (a remote image would be a request outside the site).

The result is embedded as a raw HTML block, so the generated Markdown page does not depend
on what the site's Markdown engine allows.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ("tables", "sane_lists", "fenced_code")
HEADING_SHIFT = 1  # body headings sit below the page's own section headings (h2)


class _ShiftHeadings(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(6, int(element.tag[1]) + HEADING_SHIFT)}"


@functools.cache
def _converter() -> markdown.Markdown:
    """One converter for all complaints (building it costs more than converting a body)."""
    md = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs={"tables": {"use_align_attribute": True}})
    # Raw HTML off: the documented way since python-markdown dropped safe_mode.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", 0)
    return md


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith(("/", "\\"))


def _url_filter(attachment_dir: str):
    """nh3 attribute filter: local images only; links into the attachment folder made page-relative."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute not in ("href", "src"):
            return value
        if attachment_dir and value.startswith(attachment_dir + "/"):
            value = value[len(attachment_dir) + 1 :]
        if tag == "img" and not _is_local(value):
            return None
        return value

    return keep


def body_html(text: str, attachment_dir: str = "") -> Markup:
    """Markdown of a complaint body to sanitised HTML.

    attachment_dir: the name of the complaint's attachment folder as staff link to it from the
    file (`2026-007/foto.jpg`); on the site the attachments sit next to the page.
    """
    html = _converter().reset().convert(text)
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_url_filter(attachment_dir),
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above
