"""Charts as inline SVG: drawn here, shipped inside the page, no script and no outside request.

A chart is drawn about as wide as a phone's column (``PHONE`` user units): the page scales an SVG
to its column, so a wider drawing would come out with its 12-unit text too small to read on a
390-pixel screen; on a desktop the stylesheet caps its width instead of blowing it up.

Every chart is a ``<figure>`` holding an ``<svg role="img">`` with a title and a description;
the page puts the same figures in a data table beside it, which is the text alternative.
Colours come from CSS classes (so the site's light and dark schemes apply), with fallback
presentation attributes for renderers without the site's stylesheet.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import blake2s
from html import escape

from markupsafe import Markup

PHONE = 340
"""Width of the drawings, in user units: a 390-pixel phone shows them at about 1:1."""


@dataclass(frozen=True)
class Bar:
    """One bar: a label and a value on the chart's scale (None: shown as a note, no bar)."""

    label: str
    """Short label drawn beside the bar."""
    value: float | None
    """The value; None for not applicable."""
    text: str
    """The value as printed at the bar's end, e.g. 93.5%."""
    title: str = ""
    """Longer text shown on hover (full indicator name)."""


def _figure(svg: str, caption: str) -> Markup:
    # Left out of the site's search index: the labels repeat the data table beside the chart.
    caption_html = f"<figcaption>{escape(caption)}</figcaption>"
    return Markup(f'<figure class="chart" data-search-exclude="">\n{svg}\n{caption_html}\n</figure>')


def _open(width: float, height: float, title: str, desc: str, css: str) -> tuple[str, str]:
    n = blake2s(f"{css}|{title}|{desc}".encode(), digest_size=4).hexdigest()  # stable, unique per page
    head = (
        f'<svg class="{css}" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-labelledby="chart{n}-t chart{n}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart{n}-t">{escape(title)}</title><desc id="chart{n}-d">{escape(desc)}</desc>'
    )
    return head, "</svg>"


def radar(axes: Sequence[tuple[str, float]], *, title: str, caption: str) -> Markup:
    """A radar of fractions 0..1, one axis per item (three dimensions draw a triangle)."""
    width, height, cx, cy, radius = 420, 300, 210, 150, 100
    n = len(axes)
    angle = [(-math.pi / 2) + 2 * math.pi * i / n for i in range(n)]

    def point(i: int, r: float) -> str:
        return f"{cx + r * math.cos(angle[i]):.1f},{cy + r * math.sin(angle[i]):.1f}"

    desc = "；".join(f"{name} {value:.0%}" for name, value in axes)
    head, tail = _open(width, height, title, desc, "radar")
    parts = [head]
    for level in (0.2, 0.4, 0.6, 0.8, 1.0):
        ring = " ".join(point(i, radius * level) for i in range(n))
        parts.append(f'<polygon class="grid" points="{ring}" fill="none" stroke="#ccc"/>')
    for i in range(n):
        parts.append(
            f'<line class="grid" x1="{cx}" y1="{cy}" x2="{point(i, radius).split(",")[0]}" '
            f'y2="{point(i, radius).split(",")[1]}" stroke="#ccc"/>'
        )
    shape = " ".join(point(i, radius * max(0.0, min(1.0, v))) for i, (_, v) in enumerate(axes))
    parts.append(
        f'<polygon class="area" points="{shape}" fill="#3f51b5" fill-opacity="0.35" stroke="#3f51b5"/>'
    )
    for i, (name, value) in enumerate(axes):
        x, y = (float(c) for c in point(i, radius + 22).split(","))
        anchor = "middle" if abs(x - cx) < 20 else ("start" if x > cx else "end")
        if y < cy - radius:  # the top label sits above its value, clear of the vertex
            y -= 16
        parts.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(name)}</text>')
        parts.append(
            f'<text class="value" x="{x:.1f}" y="{y + 16:.1f}" text-anchor="{anchor}">{value:.0%}</text>'
        )
    parts.append(tail)
    return _figure("".join(parts), caption)


def bars(items: Sequence[Bar], *, maximum: float, title: str, caption: str) -> Markup:
    """Horizontal bars, one row per item, on a 0..maximum scale."""
    label_w, bar_w, value_w, row = 132, 150, PHONE - 132 - 150, 24
    width, height = label_w + bar_w + value_w, row * len(items) + 8
    desc = "；".join(f"{b.title or b.label} {b.text}" for b in items)
    head, tail = _open(width, height, title, desc, "bars")
    parts = [head]
    for k, b in enumerate(items):
        y = 4 + k * row
        parts.append(f"<g><title>{escape(b.title or b.label)}：{escape(b.text)}</title>")
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{escape(_short(b.label, 10))}</text>'
        )
        parts.append(
            f'<rect class="track" x="{label_w}" y="{y + 4}" width="{bar_w}" height="14" fill="#eee"/>'
        )
        if b.value is not None and maximum > 0:
            w = bar_w * max(0.0, min(1.0, b.value / maximum))
            parts.append(
                f'<rect class="bar" x="{label_w}" y="{y + 4}" width="{w:.1f}" height="14" fill="#3f51b5"/>'
            )
        parts.append(
            f'<text class="value" x="{label_w + bar_w + 6}" y="{y + 16}">{escape(b.text)}</text></g>'
        )
    parts.append(tail)
    return _figure("".join(parts), caption)


def columns(items: Sequence[Bar], *, title: str, caption: str) -> Markup:
    """Vertical columns of counts (e.g. evaluations per grade)."""
    gap, plot_h = 8, 150
    col = max(
        36, min(64, (PHONE - gap * (len(items) + 1)) // max(len(items), 1))
    )  # 3 characters wide at least
    # Room for at least four columns, the few centred: two alone would be scaled up to giants.
    slots = max(len(items), 4)
    width, height = slots * (col + gap) + gap, plot_h + 56
    start = gap + (slots - len(items)) * (col + gap) // 2
    top = max((b.value or 0 for b in items), default=0) or 1
    desc = "；".join(f"{b.label} {b.text}" for b in items)
    head, tail = _open(width, height, title, desc, "columns")
    parts = [head]
    for k, b in enumerate(items):
        x = start + k * (col + gap)
        h = plot_h * (b.value or 0) / top
        parts.append(
            f'<rect class="bar" x="{x}" y="{20 + plot_h - h:.1f}" width="{col}" height="{h:.1f}" '
            f'fill="#3f51b5"/>'
        )
        parts.append(
            f'<text class="value" x="{x + col / 2:g}" y="{14 + plot_h - h:.1f}" '
            f'text-anchor="middle">{escape(b.text)}</text>'
        )
        parts.append(
            f'<text x="{x + col / 2:g}" y="{plot_h + 42}" text-anchor="middle">{escape(b.label)}</text>'
        )
    parts.append(tail)
    return _figure("".join(parts), caption)


def trend(points: Sequence[Bar], *, maximum: float, title: str, caption: str) -> Markup:
    """A line through values in order (a party's totals over its evaluations)."""
    plot_h, left = 160, 44
    # Room for at least four points: one or two points alone would be drawn far apart.
    step = max(34, (PHONE - left) // max(len(points), 4))
    width, height = left + step * max(len(points), 4), plot_h + 60
    desc = "；".join(f"{p.label} {p.text}" for p in points)
    head, tail = _open(width, height, title, desc, "trend")
    parts = [head]
    for level in (0, 0.25, 0.5, 0.75, 1.0):
        y = 20 + plot_h * (1 - level)
        parts.append(
            f'<line class="grid" x1="{left}" y1="{y:g}" x2="{width - 10}" y2="{y:g}" stroke="#ccc"/>'
        )
        parts.append(
            f'<text class="axis" x="{left - 6}" y="{y + 4:g}" text-anchor="end">{maximum * level:g}</text>'
        )
    coords = [
        (left + step * (k + 0.5), 20 + plot_h * (1 - (p.value or 0) / maximum)) for k, p in enumerate(points)
    ]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(
            f'<polyline class="line" points="{path}" fill="none" stroke="#3f51b5" stroke-width="2"/>'
        )
    for (x, y), p in zip(coords, points, strict=True):
        parts.append(f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#3f51b5"/>')
        parts.append(
            f'<text class="value" x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle">{escape(p.text)}</text>'
        )
        parts.append(f'<text x="{x:.1f}" y="{plot_h + 44}" text-anchor="middle">{escape(p.label)}</text>')
    parts.append(tail)
    return _figure("".join(parts), caption)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
