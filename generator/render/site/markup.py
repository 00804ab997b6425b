"""Safe Markdown output: escaping for values from YAML, sanitising for narrative Markdown.

Every value a template prints passes through :func:`finalize`, which escapes it for both HTML
and Markdown, so a name or comment in an evaluation file can never become a tag, a link or
a heading. Only values marked :class:`Markup` (charts, sanitised narrative, links built here)
pass unchanged. Narrative Markdown files are rendered to HTML and cleaned with nh3 (ammonia):
no script, no event handler, no ``javascript:`` link and no outside image reaches a page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import markdown
import nh3
from markupsafe import Markup

_INLINE_SPECIALS = re.compile(r"([\\`*_{}\[\]|])")
"""Characters Python-Markdown (with tables) gives a meaning inline; all are backslash-escapable."""
_LINE_START = re.compile(r"^(\s*)(?:(#|[+-](?=[\s+-]|$))|(\d+)\.(?=\s|$))")
"""Block markers at the start of a value: heading, list item, ordered list item."""

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
"""Tags narrative Markdown may produce; headings are demoted below the page's own h2."""
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
    "abbr": {"title"},
    "ol": {"start"},
}
"""Attributes kept per tag; everything else (style, on*, class …) is dropped."""


_PLAIN = re.compile(r"[\\`*_{}\[\]|<>&\"'\n\r]|^\s|^[#+-]|^\d+\.(?:\s|$)")
"""Anything md_escape would change; most values (names, numbers, dates) have none of it."""


@lru_cache(maxsize=1 << 16)
def md_escape(text: str) -> str:
    """Escape plain text so Markdown and HTML show it literally; newlines become ``<br>``."""
    if not _PLAIN.search(text) and not text.endswith((" ", "\t")):
        return text
    lines = [line.strip() for line in text.strip().splitlines()] or [""]
    escaped = _INLINE_SPECIALS.sub(r"\\\1", "\n".join(lines))
    escaped = _LINE_START.sub(_escape_marker, escaped)
    return html.escape(escaped, quote=True).replace("\n", "<br>")


def _escape_marker(match: re.Match[str]) -> str:
    if match.group(2):
        return f"{match.group(1)}\\{match.group(2)}"
    return f"{match.group(1)}{match.group(3)}\\."


def finalize(value: Any) -> Any:
    """Jinja ``finalize``: escape every printed value unless it is Markup; refuse None loudly."""
    if value is None:
        raise TypeError("template printed None: guard optional values with {% if %} or |dash")
    if isinstance(value, Markup):
        return value
    return Markup(md_escape(str(value)))


def md_link(text: str, target: str) -> Markup:
    """A Markdown link with escaped text to a target this generator computed."""
    return Markup(f"[{md_escape(text)}]({target})")


_MARKDOWN = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
"""One converter, reset before each text: building one costs more than converting a page."""

LinkRewriter = Callable[[str], str | None]
"""Maps a relative link target of narrative Markdown to a site path, or None to drop it."""


def render_narrative(text: str, rewrite: LinkRewriter | None = None) -> Markup:
    """Narrative Markdown → sanitised HTML, ready to embed as a raw HTML block in a page."""
    raw = _MARKDOWN.reset().convert(text)

    def filter_attribute(tag: str, attribute: str, value: str) -> str | None:
        if attribute not in {"href", "src"}:
            return value
        if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.IGNORECASE) or value.startswith("//"):
            allowed = ("http://", "https://", "mailto:") if tag == "a" else ()
            return value if value.lower().startswith(allowed) else None
        if value.startswith("#"):
            return value
        return rewrite(value) if rewrite else None

    clean = nh3.clean(
        raw,
        tags=ALLOWED_TAGS | {"h1", "h2"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="external noopener noreferrer",
        attribute_filter=filter_attribute,
        strip_comments=True,
    )
    # The text's top heading level becomes h3, under the page's h2, so no level is skipped
    # (a text that starts at ## would otherwise jump from h2 to h4).
    levels = [int(level) for level in re.findall(r"<h([1-6])>", clean)]
    shift = 3 - min(levels, default=3)
    clean = re.sub(r"<(/?)h([1-6])>", lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}>", clean)
    return Markup(f'<div class="narrative">\n{clean}\n</div>')
