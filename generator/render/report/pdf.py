"""PDF output: pandoc → HTML fragment → the body's HTML page and CSS → WeasyPrint.

WeasyPrint embeds subsets of the Debian Noto CJK fonts; with ``libharfbuzz-subset0`` installed a
report takes about a second. It may fetch nothing but ``data:`` URIs, so Markdown in an evaluation
cannot pull local files or web pages into a report (pandoc itself runs with ``--sandbox``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from .pandoc import Pandoc
from .style import BodyTemplate

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


def html_page(template: BodyTemplate, view: object, body: str, meta: dict[str, str]) -> str:
    """The whole HTML page: the body's report.html.j2 around the fragment, with its CSS inlined."""
    env = SandboxedEnvironment(  # like the Markdown's: the body's template reaches no Python internals
        loader=FileSystemLoader(template.search_path),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
    )
    page = env.get_template("report.html.j2")
    return page.render(r=view, body=Markup(body), css=Markup(template.read("report.css")), meta=meta)


def write_pdf(html: str, dest: Path) -> None:
    """Lay out and write the PDF, keeping the page's custom <meta> entries as PDF metadata."""
    from weasyprint import HTML  # heavy import, only where PDFs are made
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(dest, custom_metadata=True)
