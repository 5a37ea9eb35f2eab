"""Complaint text to safe HTML.

The body of a complaint file (and the minutes of an evaluation) is Markdown written by staff,
often quoting a complainant's e-mail. It must never put HTML or script into the site, make the
browser fetch anything from outside the site (SPEC section 3), or stop the site. Three layers:

1. markdown-it-py, CommonMark with raw HTML switched off: `<script>` and friends become visible
   text, as staff wrote them; no attribute syntax, so `{: onclick=... }` stays text. It parses
   in linear time (python-markdown took 55 s over 24,000 `[`) and nests at most MAX_NESTING
   deep; a text that nests deeper (`- ` x 1000) is shown as plain text instead, whole.
2. nh3 (ammonia) with an allow-list of tags and attributes: no script, style, iframe,
   object, embed or event handlers; links only to http(s) and mailto.
3. Every URL judged as a browser reads it (`browser_url`: leading and trailing spaces and
   control characters stripped, tabs and line breaks removed, a backslash read as `/`), after
   entities are decoded: images only from the complaint's own folder, never `/...`, `//host`,
   `../` or a scheme (a remote image would be a request outside the site).

The result is embedded as a raw HTML block, so the generated Markdown page does not depend
on what the site's Markdown engine allows.
"""

from __future__ import annotations

import functools
import html
from urllib.parse import unquote, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markupsafe import Markup

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
HEADING_SHIFT = 1  # body headings sit below the page's own section headings (h2)
MAX_NESTING = 40  # lists in lists, quotes in quotes, emphasis in emphasis: no text needs more
TOO_DEEP = "<p><em>Deze tekst is te diep genest om op te maken en staat hieronder als gewone tekst.</em></p>\n"


def _shift_headings_and_align(state: StateCore) -> None:
    """Headings one level down; table alignment as the `align` attribute (nh3 drops style)."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + HEADING_SHIFT)}"
        elif token.type in ("th_open", "td_open") and "style" in token.attrs:
            align = str(token.attrs.pop("style")).removeprefix("text-align:")
            token.attrs["align"] = align


@functools.cache
def _converter() -> MarkdownIt:
    """One converter for all complaints (building it costs more than converting a body)."""
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING}).enable(["table", "strikethrough"])
    md.core.ruler.push("kr_headings", _shift_headings_and_align)
    return md


def _depth(tokens) -> int:
    """How deep the parse nests, blocks and the inline tokens within them."""
    deepest = 0
    for token in tokens:
        deepest = max(deepest, token.level, _depth(token.children) if token.children else 0)
    return deepest


# A browser strips these from both ends of a URL and removes tab and line breaks anywhere
# (WHATWG URL parsing); in http(s) URLs it reads `\` as `/`.
_ENDS = "".join(chr(code) for code in range(0x21))
_INSIDE = str.maketrans("", "", "\t\n\r")


def browser_url(value: str) -> str:
    """`value` (entities already decoded) as a browser reads it."""
    return value.strip(_ENDS).translate(_INSIDE).replace("\\", "/")


def is_own_file(url: str) -> bool:
    """A path to a file in the page's own folder (or below it): no scheme, host, `/` or `..`."""
    parts = urlsplit(url)
    if not url or parts.scheme or parts.netloc or url.startswith("/") or parts.query or parts.fragment:
        return False
    segments = unquote(parts.path).replace("\\", "/").split("/")
    return not any(segment in ("", ".", "..") for segment in segments)


def _url_filter(attachment_dir: str):
    """nh3 attribute filter: images only from the complaint's own folder; links only with an
    allowed scheme; links into the attachment folder made page-relative. Each URL is judged,
    and written, as the browser will read it."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute not in ("href", "src"):
            return value
        url = browser_url(value)  # nh3 hands it over with its entities decoded
        if attachment_dir and url.startswith(attachment_dir + "/"):
            url = url[len(attachment_dir) + 1 :]
        if tag == "img":
            return url if is_own_file(url) else None
        scheme = urlsplit(url).scheme.lower()
        return url if not scheme or scheme in URL_SCHEMES else None

    return keep


def body_html(text: str, attachment_dir: str = "") -> Markup:
    """Markdown of a complaint body to sanitised HTML.

    attachment_dir: the name of the complaint's attachment folder as staff link to it from the
    file (`2026-007/foto.jpg`); on the site the attachments sit next to the page.
    """
    md = _converter()
    tokens = md.parse(text)
    if _depth(tokens) >= MAX_NESTING - 1:
        return Markup(TOO_DEEP + plain_text_html(text))  # noqa: S704 - escaped by plain_text_html
    clean = nh3.clean(
        md.renderer.render(tokens, md.options, {}),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_url_filter(attachment_dir),
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above


def plain_text_html(text: str) -> str:
    """Text as paragraphs of escaped text, line breaks kept: no markup of any kind."""
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{'<br>'.join(html.escape(line) for line in p.split(chr(10)))}</p>\n" for p in paragraphs)
