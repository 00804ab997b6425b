"""Safe Markdown output: escaping for values from YAML, sanitising for narrative Markdown.

Every value a template prints passes through :func:`finalize`, which escapes it for both HTML
and Markdown, so a name or comment in an evaluation file can never become a tag, a link or
a heading. Only values marked :class:`Markup` (charts, sanitised narrative, links built here)
pass unchanged. Narrative Markdown files go through the one narrative policy shared with the
reports (``render.narrative``): no raw HTML, script, attribute, ``javascript:`` link or outside
image reaches a page.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any, Protocol

from markupsafe import Markup

from generator.render.narrative import FolderFiles, sanitise, to_html
from generator.render.narrative.tree import Target

_INLINE_SPECIALS = re.compile(r"([\\`*_{}\[\]|])")
"""Characters Python-Markdown (with tables) gives a meaning inline; all are backslash-escapable."""
_LINE_START = re.compile(r"^(\s*)(?:(#|[+-](?=[\s+-]|$))|(\d+)\.(?=\s|$))")
"""Block markers at the start of a value: heading, list item, ordered list item."""

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


class FilePublisher(Protocol):
    """What narrative links to files of an evaluation need: which may be used, and their address."""

    files: FolderFiles

    def link_from_page(self, target: str) -> str | None:
        """The published file's address relative to the page, or None."""


def render_narrative(text: str, publisher: FilePublisher | None = None) -> Markup:
    """Narrative Markdown → HTML by the one narrative policy (``render.narrative``), to embed in a page.

    Without a ``publisher`` no file of the evaluation may be linked or shown (Markdown evidence).
    """
    narrative = sanitise(text, publisher.files if publisher else None)

    def resolve(target: Target) -> str | None:
        if target.kind == "url":
            return target.value
        if target.kind == "anchor":
            return "#" + target.value
        return publisher.link_from_page(target.value) if publisher else None

    return Markup(f'<div class="narrative">\n{to_html(narrative, resolve)}\n</div>')
