"""The report's Markdown: a Jinja template per body, escaped for pandoc Markdown, fed a view model.

Every ``{{ value }}`` is escaped (by ``finalize``; autoescape is on only so that macros return
``Markup``) so that text from evaluation files cannot become Markdown markup
(a ``|`` breaking a table, a ``#`` making a heading, ``{=openxml}`` a raw block); values that *are*
Markdown pass unchanged as ``Markup``: generated captions, and the narrative files, which the
``narrative`` filter rebuilds through the one narrative policy shared with the site
(``render.narrative``) before they reach pandoc.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Callable
from typing import Any, Literal

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup, escape

from generator.render.narrative import FolderFiles, sanitise, to_pandoc
from generator.render.narrative.pandoc import PUNCT
from generator.render.report.sandbox import render_bounded, sandbox
from generator.render.report.style import BodyTemplate
from generator.score.describe import describe_band
from generator.score.rounding import fmt

Target = Literal["docx", "html"]
IMAGE_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
"""Narrative images a report inlines (the narrative policy allows no other)."""
CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2018-\u201d"
CJK_GAP = re.compile(f"(?<=[{CJK}]) (?=[{CJK}])")
"""A space between two Chinese characters: left by YAML's folded line breaks, never meant."""


def finalize(value: Any) -> Markup:
    """Every printed value: already-Markdown (Markup) as is, anything else escaped."""
    return value if isinstance(value, Markup) else Markup(md_escape(value))


def md_join(items: Any, separator: str = "") -> Markup:
    """``join`` for Markdown: each item escaped (Jinja's own would HTML-escape under autoescape)."""
    return Markup(md_escape(separator).join(md_escape(i) for i in items))


def attribute(value: Any) -> Markup:
    """Text as the quoted value of a pandoc attribute (``alt="…"``): one line, quotes and \\ escaped."""
    text = " ".join(str(value).split())
    return Markup(text.replace("\\", "\\\\").replace('"', '\\"'))


def md_escape(value: Any) -> str:
    """Text as literal Markdown: punctuation escaped, line breaks and runs of spaces folded."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    text = CJK_GAP.sub("", " ".join(str(value).split()))
    return PUNCT.sub(r"\\\1", text)


def cn_date(value: dt.date | None) -> str:
    """A date the Chinese way: 2024年12月1日."""
    return f"{value.year}年{value.month}月{value.day}日" if value else "—"


def cn_span(start: dt.date, end: dt.date | None) -> str:
    """A date span: 2024年3月1日至2024年3月5日 (one date if both are the same)."""
    return cn_date(start) if end is None or end == start else f"{cn_date(start)}至{cn_date(end)}"


def number(value: float | None, decimals: int = 2) -> str:
    """A figure with fixed decimals, half-up (as scores are rounded), or a dash."""
    return "—" if value is None else fmt(value, decimals)


WEIGHT_DECIMALS = 4
"""Most decimals a weight shows: a weight such as 1/86 is printed 0.0116, not 0.0116279."""


def weight(value: float, decimals: int = WEIGHT_DECIMALS) -> str:
    """A weight without trailing zeros, at most ``decimals`` decimals (half-up)."""
    text = fmt(value, decimals)
    return text.rstrip("0").rstrip(".") if "." in text else text


def clause(value: Any) -> Markup:
    """Text the template follows with its own punctuation, escaped, its closing 。；, etc. dropped."""
    return Markup(md_escape("" if value is None else str(value).rstrip("。；;，,、.． \n")))


def percent(value: float | None, decimals: int = 1) -> str:
    """A fraction as a percentage."""
    return "—" if value is None else f"{fmt(value * 100, decimals)}%"


def signed(value: float | None, decimals: int = 2) -> str:
    """A change with its sign (+1.50, −0.25, 0.00), or a dash."""
    if value is None:
        return "—"
    text = fmt(abs(value), decimals)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def narrative_filter(files: FolderFiles | None) -> Callable[..., Markup]:
    """The ``narrative`` filter: a narrative file through the one narrative policy, as pandoc Markdown.

    Its highest heading goes ``demote`` levels below level 1; images of ``files`` are inlined
    (the sandboxed pandoc and WeasyPrint read no file); with ``files`` None, none is shown.
    """

    def image(rel: str) -> str | None:
        if files is None:
            return None
        path = files.path(rel)
        mime = IMAGE_MIME.get(path.suffix.lower())
        return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}" if mime else None

    def narrative(text: str, *, demote: int = 2) -> Markup:
        return Markup(to_pandoc(sanitise(text, files), top=1 + demote, image=image))

    return narrative


class Captions:
    """Numbers tables and figures in the order the template places them: 表 1, 表 2 …, 图 1 …

    Made anew for each rendering; the only state a template changes.
    """

    def __init__(self) -> None:
        self.tables = 0
        self.figures = 0

    def table(self, title: str) -> Markup:
        """Caption of the next table."""
        self.tables += 1
        return Markup(f"表 {self.tables}　{md_escape(title)}")

    def figure(self, title: str) -> Markup:
        """Caption of the next figure."""
        self.figures += 1
        return Markup(f"图 {self.figures}　{md_escape(title)}")


def anchor(name: str, *, unnumbered: bool = False) -> Markup:
    """A heading's attribute block, e.g. {#goals}: a helper, since ``{#`` would open a Jinja comment."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", name):
        raise ValueError(f"bad anchor {name!r}")
    return Markup("{#" + name + (" .unnumbered" if unnumbered else "") + "}")


def environment(template: BodyTemplate, files: FolderFiles | None = None) -> Environment:
    """A Jinja environment over the body's folders (body first, then default), strict and Markdown-escaped.

    ``files``: the evaluation's files narrative images may show (see ``narrative_filter``). Sandboxed:
    a body's template comes in through a pull request, and may reach no Python internals (no
    ``__class__``, ``__globals__`` …) of the values it is given, nor any file but the templates'
    (``sandbox``).
    """
    env = sandbox(
        template.search_path,
        template.files,
        undefined=StrictUndefined,
        autoescape=True,  # so macro output is Markup; escaping itself is finalize's, for Markdown
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        cn_date=cn_date,
        cn_span=cn_span,
        number=number,
        weight=weight,
        clause=clause,
        band_range=describe_band,
        percent=percent,
        signed=signed,
        narrative=narrative_filter(files),
        raw=Markup,
        join=md_join,
        attribute=attribute,
        xml=lambda v: Markup(escape(str(v))),
    )
    env.globals["anchor"] = anchor
    return env


RENDER_SECONDS = 120
"""Longest a report's template may take to render (a real report takes well under a second)."""


def render_markdown(
    template: BodyTemplate,
    view: object,
    *,
    target: Target,
    files: FolderFiles | None = None,
    seconds: float = RENDER_SECONDS,
) -> str:
    """The report as pandoc Markdown for one output (docx or html): figures and raw blocks differ.

    Bounded in time and output (``sandbox.render_bounded``)."""
    env = environment(template, files)
    page = env.get_template("report.md.j2")
    return render_bounded(page, seconds, r=view, target=target, captions=Captions())
