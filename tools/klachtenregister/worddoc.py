"""A letter's HTML as a Word document (.docx, through python-docx), with the same text.

Staff finish and sign letters in Word or LibreOffice, so the .docx is made from the very
HTML that Chromium prints: block elements become paragraphs (`p`, headings, `li`), tables
become tables, `br` a line break, `strong`/`em` bold and italic runs; whitespace collapses
as a browser collapses it. The letter layout's classes (`templates/brieven/brief.html.j2`)
give the letterhead, address block and signature their place; a register's own template
with other markup still gives its whole text, only plainer. Text only, never markup: what
the HTML escaped stays literal text here too.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

SKIPPED = {"head", "style", "script", "title", "template"}
VOID = {"br", "meta", "img", "hr", "link", "input", "wbr", "col", "source"}
PARAGRAPHS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "address", "blockquote", "dt", "dd", "caption", "figcaption"}
LISTS = {"ul": "List Bullet", "ol": "List Number"}
INLINE = {"span", "strong", "b", "em", "i", "a", "small", "sup", "sub", "u", "abbr", "time", "code", "br", "mark"}
HEADING_SIZE = {"h1": 16, "h2": 13, "h3": 11.5, "h4": 10.5}
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")  # Word cannot store these
BLUE = RGBColor(0x1D, 0x4F, 0x73)


@dataclass
class Node:
    tag: str
    classes: frozenset[str] = frozenset()
    children: list[Node | str] = field(default_factory=list)


class _Tree(HTMLParser):
    """The HTML as a tree of Nodes; what a browser does not show (head, style) is left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("document")
        self.stack = [self.root]
        self.skipping = 0
        self.meta: dict[str, str] = {}
        self.in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name"):
            self.meta[attributes["name"] or ""] = attributes.get("content") or ""
        if self.skipping or tag in SKIPPED:
            self.skipping += tag not in VOID
            self.in_title = tag == "title"
            return
        node = Node(tag, frozenset((attributes.get("class") or "").split()))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= tag not in VOID
            self.in_title = False
            return
        for depth in range(len(self.stack) - 1, 0, -1):  # close up to the matching element
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if self.in_title:  # the document's title, for Word's file properties
            self.meta["title"] = self.meta.get("title", "") + data
        if not self.skipping:
            self.stack[-1].children.append(data)


def parse(html: str) -> tuple[Node, dict[str, str]]:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root, tree.meta


def html_to_docx(html: str) -> bytes:
    """The .docx of a letter's HTML."""
    root, meta = parse(html)
    document = Document()
    _set_up(document, meta)
    _Writer(document).blocks(root, frozenset())
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _set_up(document, meta: dict[str, str]) -> None:
    """A4 with the PDF's margins, Arial, Dutch spelling; the title and author of the letter."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(14), Mm(18)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(10.5)
    normal.paragraph_format.space_after = Pt(7)
    normal.paragraph_format.line_spacing = 1.15
    _language(normal.element.get_or_add_rPr(), "nl-NL")
    props = document.core_properties
    props.title, props.author, props.last_modified_by = meta.get("title", ""), meta.get("author", ""), ""
    props.language, props.comments = "nl-NL", ""
    props.created = props.modified = datetime.now(timezone.utc).replace(tzinfo=None)


def _language(rpr, code: str) -> None:
    lang = OxmlElement("w:lang")
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), code)
    rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")  # the schema's order


@dataclass(frozen=True)
class Look:
    """How a run looks: from its element and the classes around it."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    colour: RGBColor | None = None


CLASS_LOOK = {
    "afzender-naam": Look(bold=True, size=16, colour=BLUE),
    "afzender-adres": Look(size=8.5),
    "betreft": Look(bold=True),
    "concept-kop": Look(bold=True),
    "kenmerken": Look(size=9),
}
TAG_LOOK = {"strong": Look(bold=True), "b": Look(bold=True), "em": Look(italic=True), "i": Look(italic=True),
            "th": Look(), "small": Look(size=8.5)}  # fmt: skip


def _merge(look: Look, more: Look) -> Look:
    return Look(look.bold or more.bold, look.italic or more.italic, more.size or look.size, more.colour or look.colour)


class _Writer:
    def __init__(self, document) -> None:
        self.document = document
        self.space_before = None  # room the next paragraph keeps above it (after a block or table)

    def blocks(self, node: Node, classes: frozenset[str], look: Look = Look()) -> None:
        """Block content: every child a paragraph, a list, a table or a container to enter."""
        pending: list[Node | str] = []
        for child in node.children:
            if isinstance(child, str) or child.tag in INLINE:
                pending.append(child)
                continue
            self._flush(pending, classes, look)
            pending = []
            self.block(child, classes | child.classes, _merge(look, _look_of(child)))
        self._flush(pending, classes, look)

    def block(self, node: Node, classes: frozenset[str], look: Look) -> None:
        if node.tag in PARAGRAPHS:
            heading = Look(bold=node.tag in HEADING_SIZE, size=HEADING_SIZE.get(node.tag))
            self.paragraph(node.children, classes, _merge(look, heading))
        elif node.tag in LISTS:
            for item in (c for c in node.children if isinstance(c, Node) and c.tag == "li"):
                self.paragraph(item.children, classes | item.classes, look, style=LISTS[node.tag])
        elif node.tag == "table":
            self.table(node, classes, look)
        else:
            self.blocks(node, classes, look)
            self._after_block(node)

    def _flush(self, pending: list[Node | str], classes: frozenset[str], look: Look) -> None:
        if "".join(_text_of(pending)).strip():
            self.paragraph(pending, classes, look)

    def paragraph(self, content: list[Node | str], classes: frozenset[str], look: Look, style: str | None = None):
        paragraph = self.document.add_paragraph(style=style)
        _fill(paragraph, content, look)
        spacing = paragraph.paragraph_format
        if self.space_before is not None:
            spacing.space_before, self.space_before = self.space_before, None
        if "briefhoofd" in classes:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            spacing.space_after = Pt(2)
        if "groet" in classes:
            spacing.space_before, spacing.space_after = Pt(10), Pt(36)
        if {"geadresseerde", "ondertekening", "concept-kop"} & classes:
            spacing.space_after = Pt(0) if "concept-kop" not in classes else Pt(7)
        return paragraph

    def table(self, node: Node, classes: frozenset[str], look: Look) -> None:
        rows = list(_descendants(node, "tr"))
        cells = [[c for c in r.children if isinstance(c, Node) and c.tag in ("th", "td")] for r in rows]
        width = max((len(r) for r in cells), default=0)
        if not width:
            return
        if self.space_before is not None:  # a table takes no spacing of its own: an empty line holds it
            self.paragraph([], classes, Look()).paragraph_format.space_after = Pt(0)
        table = self.document.add_table(rows=len(rows), cols=width)
        for row, row_cells in zip(table.rows, cells, strict=True):
            for cell, source in zip(row.cells, row_cells, strict=False):
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(1)
                _fill(paragraph, source.children, _merge(look, _look_of(source)))
        if {"kenmerken", "gegevens"} & classes:
            _first_column(table, Mm(32))
        self.space_before = Pt(16) if "kenmerken" in classes else Pt(8)

    def _after_block(self, node: Node) -> None:
        """The rule under the letterhead, and the room the PDF keeps around the address."""
        if "briefhoofd" in node.classes and self.document.paragraphs:
            _bottom_border(self.document.paragraphs[-1])
            self.space_before = Pt(24)
        elif "geadresseerde" in node.classes:
            self.space_before = Pt(40)


def _look_of(node: Node) -> Look:
    look = TAG_LOOK.get(node.tag, Look())
    for name in node.classes:
        look = _merge(look, CLASS_LOOK.get(name, Look()))
    return look


def _descendants(node: Node, tag: str):
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                yield child
            else:
                yield from _descendants(child, tag)


def _text_of(content: list[Node | str]):
    for item in content:
        if isinstance(item, str):
            yield item
        else:
            yield from _text_of(item.children)


# --- runs: inline content with the whitespace a browser shows ---------------------------

BREAK = object()


def _pieces(content: list[Node | str], look: Look):
    """(text, look) and BREAK, in order."""
    for item in content:
        if isinstance(item, str):
            yield item, look
        elif item.tag == "br":
            yield BREAK
        else:
            yield from _pieces(item.children, _merge(look, _look_of(item)))


def _fill(paragraph, content: list[Node | str], look: Look) -> None:
    """Add the runs of `content`; spaces collapse and trim as in HTML."""
    at_line_start = True
    for piece in _pieces(content, look):
        if piece is BREAK:
            _strip_last(paragraph)
            paragraph.add_run().add_break()
            at_line_start = True
            continue
        text, piece_look = piece
        text = re.sub(r"\s+", " ", NOT_XML.sub("", text))
        if at_line_start or _ends_with_space(paragraph):
            text = text.lstrip(" ")
        if text:
            _run(paragraph, text, piece_look)
            at_line_start = False
    _strip_last(paragraph)


def _run(paragraph, text: str, look: Look) -> None:
    run = paragraph.add_run(text)
    run.bold, run.italic = look.bold or None, look.italic or None
    if look.size:
        run.font.size = Pt(look.size)
    if look.colour is not None:
        run.font.color.rgb = look.colour


def _ends_with_space(paragraph) -> bool:
    runs = paragraph.runs
    return bool(runs) and runs[-1].text.endswith(" ")


def _strip_last(paragraph) -> None:
    runs = paragraph.runs
    if runs and runs[-1].text.endswith(" "):
        runs[-1].text = runs[-1].text.rstrip(" ")


def _bottom_border(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "4"), ("w:color", "1D4F73")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    ppr.insert_element_before(borders, *_AFTER_BORDER)  # Word refuses elements out of the schema's order


_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _first_column(table, width) -> None:
    """A narrow label column, the rest for the values (Word and LibreOffice read both widths)."""
    table.autofit = False
    rest = (TEXT_WIDTH - width) // max(len(table.columns) - 1, 1)
    for index, column in enumerate(table.columns):
        column.width = width if index == 0 else rest
        for cell in column.cells:
            cell.width = column.width


TEXT_WIDTH = Mm(210 - 25 - 20)  # A4 less the margins of _set_up
