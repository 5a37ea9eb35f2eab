"""Charts as inline SVG, made at build time: no JavaScript, no fonts or files from outside.

Readable in print and in greyscale: every bar carries its number as text and its label
beside it, and bars that must be told apart differ by pattern (solid, hatched, dotted, ...)
as well as by shade. Each chart has a <title> and role="img" with an aria-label that holds
the data itself, and the pages put the same figures in a table beside it. Every text is
escaped; ids carry the caller's key so several charts can share one page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

INK = "#1a237e"  # dark indigo: the site's primary colour, near-black in greyscale
FONT = 'font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#000"'
MAANDEN = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_KEY = re.compile(r"[^a-z0-9-]+")

# Fill patterns, told apart without colour. Each is (pattern body, fill attribute template).
_PATTERNS = (
    "",  # 0: solid
    '<path d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5" stroke="{ink}" stroke-width="1.6"/>',  # 1: diagonal hatch
    '<circle cx="3" cy="3" r="1.4" fill="{ink}"/>',  # 2: dots
    '<path d="M0,0 L6,6 M6,0 L0,6" stroke="{ink}" stroke-width="1"/>',  # 3: cross-hatch
    '<path d="M0,3 L6,3" stroke="{ink}" stroke-width="1.4"/>',  # 4: horizontal lines
    '<path d="M3,0 L3,6" stroke="{ink}" stroke-width="1.4"/>',  # 5: vertical lines
    "",  # 6: open (outline only)
)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the number as printed next to the bar, e.g. "3 (43%)"
    pattern: int = 0


def getal(value: float | int | None) -> str:
    """A number the Dutch way: 17,5 and 17 (not 17.0); a dash for none."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


def month_label(month: int) -> str:
    return MAANDEN[month - 1]


def month_bars(key: str, title: str, months: Sequence[tuple[str, int]]) -> Markup:
    """Vertical bars, one per month, each with its count above it."""
    width, height, base, top = 30 + 32 * len(months), 170, 140, 20
    peak = max([count for _label, count in months] + [1])
    parts = [f'<line x1="20" y1="{base}" x2="{width - 6}" y2="{base}" stroke="#000"/>']
    for index, (label, count) in enumerate(months):
        x = 26 + 32 * index
        bar = (base - top) * count / peak
        if count:
            parts.append(f'<rect x="{x}" y="{base - bar:.1f}" width="22" height="{bar:.1f}" fill="{INK}"/>')
        parts.append(_text(x + 11, base - bar - 5, str(count), anchor="middle", bold=True))
        parts.append(_text(x + 11, base + 16, label, anchor="middle"))
    summary = ", ".join(f"{label} {count}" for label, count in months)
    return _svg(width, height, title, f"{title}: {summary}", "".join(parts))


def bar_chart(key: str, title: str, bars: Sequence[Bar], scale: float | None = None) -> Markup:
    """Horizontal bars with the label left and the number right: counts, shares."""
    label_w, area, row = 116, 150, 26
    width, height = label_w + area + 64, 10 + row * max(len(bars), 1)
    peak = scale or max([b.value for b in bars] + [1])
    parts = [f'<line x1="{label_w}" y1="4" x2="{label_w}" y2="{height - 4}" stroke="#000"/>']
    for index, bar in enumerate(bars):
        y = 8 + row * index
        length = area * bar.value / peak if peak else 0
        if length:
            parts.append(_rect(key, label_w, y, length, row - 8, bar.pattern))
        parts.append(_text(label_w - 6, y + 13, bar.label, anchor="end"))
        parts.append(_text(label_w + length + 6, y + 13, bar.text, bold=True))
    if not bars:
        parts.append(_text(label_w + 6, 24, "geen gegevens"))
    summary = ", ".join(f"{b.label} {b.text}" for b in bars) or "geen gegevens"
    return _svg(width, height, title, f"{title}: {summary}", _defs(key, bars) + "".join(parts))


@dataclass(frozen=True)
class Timing:
    label: str  # the step, e.g. "bevestiging (stap 3)"
    mediaan: float | None
    langste: int | None
    termijn: int  # days allowed


def timing_chart(key: str, title: str, steps: Sequence[Timing]) -> Markup:
    """Median (solid) and longest (hatched) days per step, against the step's term (dashed line)."""
    label_w, area, group = 70, 200, 86
    width, height = label_w + area + 90, 12 + group * len(steps) + 22
    peak = max([s.langste or 0 for s in steps] + [s.termijn for s in steps] + [1]) * 1.05
    parts, numbers = [], []  # numbers go on top: the term's line runs behind them
    for index, step in enumerate(steps):
        y = 8 + group * index
        parts.append(_text(4, y + 12, step.label, bold=True))
        for offset, (name, value, pattern) in enumerate((("mediaan", step.mediaan, 0), ("langste", step.langste, 1))):
            row_y = y + 20 + 22 * offset
            length = area * (value or 0) / peak
            parts.append(_text(label_w - 6, row_y + 12, name, anchor="end"))
            if length:
                parts.append(_rect(key, label_w, row_y, length, 16, pattern))
            days = "geen gegevens" if value is None else f"{getal(value)} d"
            halo = 7 * len(days) + 6  # a white box behind the number: the term's line stops there
            numbers.append(f'<rect x="{label_w + length + 3:.1f}" y="{row_y}" width="{halo}" height="16" fill="#fff"/>')
            numbers.append(_text(label_w + length + 6, row_y + 12, days, bold=True))
        x = label_w + area * step.termijn / peak
        parts.append(
            f'<line x1="{x:.1f}" y1="{y + 16}" x2="{x:.1f}" y2="{y + 62}" stroke="#000" '
            'stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        parts.append(_text(x, y + 76, f"termijn {step.termijn} d", anchor="middle"))
    parts += numbers
    legend_y = height - 14
    parts.append(_rect(key, label_w, legend_y - 9, 12, 12, 0))
    parts.append(_text(label_w + 16, legend_y + 1, "mediaan"))
    parts.append(_rect(key, label_w + 80, legend_y - 9, 12, 12, 1))
    parts.append(_text(label_w + 96, legend_y + 1, "langste"))
    summary = "; ".join(
        f"{s.label}: mediaan {getal(s.mediaan)} dagen, langste {getal(s.langste)} dagen, termijn {s.termijn} dagen"
        for s in steps
    )
    defs = _defs(key, [Bar("", 0, "", 0), Bar("", 0, "", 1)])
    return _svg(width, height, title, f"{title}: {summary}", defs + "".join(parts))


# --- SVG pieces --------------------------------------------------------------------------


def _svg(width: int, height: int, title: str, label: str, body: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kr-grafiek-svg" role="img" aria-label="{escape(label)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'style="max-width:100%;height:auto" {FONT}>'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _ident(key: str) -> str:
    return "kr-" + (_KEY.sub("-", key.lower()).strip("-") or "grafiek")


def _defs(key: str, bars: Sequence[Bar]) -> str:
    used = sorted({b.pattern for b in bars if _PATTERNS[b.pattern % len(_PATTERNS)]})
    if not used:
        return ""
    ident = _ident(key)
    patterns = "".join(
        f'<pattern id="{ident}-p{n}" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="#fff"/>{_PATTERNS[n].format(ink=INK)}</pattern>'
        for n in used
    )
    return f"<defs>{patterns}</defs>"


def _rect(key: str, x: float, y: float, width: float, height: float, pattern: int) -> str:
    n = pattern % len(_PATTERNS)
    fill = INK if n == 0 else "#fff" if not _PATTERNS[n] else f"url(#{_ident(key)}-p{n})"
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{fill}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )


def _text(x: float, y: float, text: str, anchor: str = "start", bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{weight}>{escape(text)}</text>'
