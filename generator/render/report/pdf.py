"""PDF output: pandoc → HTML fragment → the body's HTML page and CSS → WeasyPrint, laid out once.

The layout is written twice: the report (tagged PDF/UA-1: structure tree, /Lang zh-CN, the title
shown, bookmarks from the headings, charts with their data as alternative text) and its archival
copy (PDF/A-3u, tagged too, with the evaluation's scorecard JSON attached, so the file carries its
own data). The page header and footer come from the template's ``style.yaml`` (as in the DOCX); a
draft's watermark is a page background of glyph outlines, so it is an artifact, not text.

WeasyPrint embeds subsets of the Debian Noto CJK fonts. It may fetch nothing but ``data:`` URIs, so
Markdown in an evaluation cannot pull local files or web pages into a report (pandoc itself runs
with ``--sandbox``).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import StrictUndefined, select_autoescape
from markupsafe import Markup

from generator.render.report.markdown import RENDER_SECONDS
from generator.render.report.pandoc import Pandoc
from generator.render.report.sandbox import render_bounded, sandbox
from generator.render.report.style import BodyTemplate, Font, RunningText, StyleSpec

VARIANT = "pdf/ua-1"
"""The report: tagged for screen readers (ISO 14289-1)."""
ARCHIVE_VARIANT = "pdf/a-3u"
"""The archival copy: PDF/A-3 (ISO 19005-3), Unicode text, which may carry attachments."""
SIDES = ("left", "center", "right")
"""Positions of the texts in a page margin."""
SANS = ("黑", "雅黑", "等线", "Arial", "Sans")
"""Font names that mean a sans-serif (Hei) face; others are set in the serif (Song) face."""

HEADING = re.compile(r'<h([12])\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
TOC_PLACEHOLDER = re.compile(r'(<nav id="toc" class="toc">.*?)(</nav>)', re.S)
TAG = re.compile(r"<[^>]+>")


def markdown_to_html(markdown: str, *, pandoc: Pandoc, date: dt.date) -> str:
    """The report body as an HTML fragment, its table of contents filled in."""
    epoch = int(dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp())
    fragment = pandoc.run(["-t", "html5", "--wrap=none"], markdown, epoch=epoch).decode("utf-8")
    return fill_toc(fragment)


def fill_toc(fragment: str) -> str:
    """Put a list of the level-1 and level-2 headings, linked, into the template's <nav id="toc">."""
    items = []
    for level, anchor, inner in HEADING.findall(fragment):
        text = TAG.sub("", inner).strip()
        items.append(f'<li class="toc-{level}"><a href="#{anchor}">{text}</a></li>')
    listing = f"<ul>{''.join(items)}</ul>"
    return TOC_PLACEHOLDER.sub(lambda m: m.group(1) + listing + m.group(2), fragment, count=1)


def html_page(
    template: BodyTemplate, view: object, body: str, meta: dict[str, str], *, draft: str | None
) -> str:
    """The whole HTML page: the body's report.html.j2 around the fragment, with its CSS inlined.

    After the template's CSS come the page margins' texts from ``style.yaml`` and, for a draft
    (``draft`` is its marking), the watermark.
    """
    env = sandbox(  # like the Markdown's: no Python internals, no file but the templates'
        template.search_path,
        template.files,
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
    )
    page = env.get_template("report.html.j2")
    css = template.read("report.css") + "\n" + page_css(template.spec, draft)
    return render_bounded(page, RENDER_SECONDS, r=view, body=Markup(body), css=Markup(css), meta=meta)


def page_css(spec: StyleSpec, draft: str | None) -> str:
    """The @page rules for the header, the footer (none on the cover) and a draft's watermark."""
    boxes = []
    for where, text in (("top", spec.header), ("bottom", spec.footer)):
        for side in SIDES:
            boxes.append(_margin_box(f"{where}-{side}", text, getattr(text, side), spec, draft))
    covers = " ".join(
        f"@{w}-{s} {{ content: none; border: none; }}" for w in ("top", "bottom") for s in SIDES
    )
    rules = ["@page { " + " ".join(boxes) + " }", f"@page :first {{ {covers} }}"]
    if draft:
        mark = watermark_svg(draft, spec.accent)
        uri = "data:image/svg+xml;base64," + base64.b64encode(mark).decode("ascii")
        rules.append(f'@page {{ background: url("{uri}") no-repeat center / 150mm auto; }}')
    return "\n".join(rules) + "\n"


def _margin_box(box: str, text: RunningText, content: str, spec: StyleSpec, draft: str | None) -> str:
    if not content:
        return f"@{box} {{ content: none; }}"
    parts = []
    for piece in re.split(r"(\{(?:page|pages|title|draft)\})", content):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece == "{title}":
            parts.append("string(title)")
        elif piece == "{draft}":
            parts.append(_css_string(draft or ""))
        elif piece:
            parts.append(_css_string(piece))
    family = _css_family(spec.fonts[text.font])
    style = f'font: {text.size}pt "{family}"; color: #{text.color};'
    if text.rule:
        style += f" border-{'bottom' if box.startswith('top') else 'top'}: 1.2pt solid #{text.color};"
    return f"@{box} {{ content: {' '.join(parts)}; {style} }}"


def _css_string(text: str) -> str:
    """A CSS string literal: quotes, backslashes and line breaks escaped."""
    return '"' + re.sub(r'[\\"\n\r]', lambda m: f"\\{ord(m.group(0)):x} ", text) + '"'


def _css_family(font: Font) -> str:
    names = f"{font.east_asia} {font.latin}"
    return "Noto Sans CJK SC" if any(s in names for s in SANS) else "Noto Serif CJK SC"


@functools.cache
def watermark_svg(mark: str, color: str) -> bytes:
    """The draft marking as a light diagonal SVG of glyph outlines: no text to extract or read aloud."""
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.path import Path as MplPath
    from matplotlib.textpath import TextPath
    from matplotlib.transforms import Affine2D

    font = findfont(FontProperties(family=["Noto Sans CJK SC"], weight="bold"))
    glyphs = TextPath((0, 0), mark, size=100, prop=FontProperties(fname=font))
    path = glyphs.transformed(Affine2D().scale(1, -1).rotate_deg(-35))
    box = path.get_extents()
    commands = {MplPath.MOVETO: "M", MplPath.LINETO: "L", MplPath.CURVE3: "Q", MplPath.CURVE4: "C"}
    d = []
    for points, code in path.iter_segments():
        xy = " ".join(f"{v - (box.x0 if i % 2 == 0 else box.y0):.1f}" for i, v in enumerate(points))
        d.append(commands.get(code, "Z"))
        if code != MplPath.CLOSEPOLY:
            d.append(xy)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {box.width:.0f} {box.height:.0f}">'
        f'<path d="{" ".join(d)}" fill="#{color}" fill-opacity="0.12"/></svg>'
    )
    return svg.encode("utf-8")


@dataclass(frozen=True)
class Attachment:
    """A file to embed in the archival PDF."""

    name: str
    """File name shown by PDF readers."""
    data: bytes
    """Content."""
    description: str
    """What it is."""


def write_pdf(html: str, dest: Path, archive: Path, *, attachment: Attachment, date: dt.date) -> None:
    """Lay out the page once; write the tagged report and the archival copy with ``attachment``.

    The page's custom <meta> entries become PDF metadata of both.
    """
    from weasyprint import HTML  # heavy import, only where PDFs are made
    from weasyprint import Attachment as PdfAttachment
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, base_url=None, url_fetcher=fetcher).render()
    document.write_pdf(dest, custom_metadata=True, pdf_variant=VARIANT, pdf_identifier=True)
    stamp = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    embedded = PdfAttachment(
        string=attachment.data,
        name=attachment.name,
        description=attachment.description,
        created=stamp,
        modified=stamp,
        relationship="Data",
        url_fetcher=fetcher,
    )
    document.write_pdf(
        archive,
        custom_metadata=True,
        pdf_variant=ARCHIVE_VARIANT,
        pdf_tags=True,
        attachments=[embedded],
    )
