"""The nodes a sanitised narrative is made of: nothing else can reach a page or a report.

Every node type here is one the policy allows; renderers (``html``, ``pandoc``) write each of them
with the text escaped for their output. There is no node for raw markup, attributes or scripts, so
no renderer can emit them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Text:
    """Plain text, shown as written."""

    text: str


@dataclass(frozen=True)
class SoftBreak:
    """A line break in the source: a space, or nothing between two Chinese characters."""


@dataclass(frozen=True)
class LineBreak:
    """A hard line break."""


@dataclass(frozen=True)
class CodeSpan:
    """Inline code."""

    text: str


Style = Literal["em", "strong", "del"]
"""Emphasis, strong emphasis, strikethrough."""


@dataclass(frozen=True)
class Styled:
    """Emphasis, strong emphasis or strikethrough around inlines."""

    style: Style
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Target:
    """Where a link or image points: a web address, a file of the evaluation, or a heading."""

    kind: Literal["url", "file", "anchor"]
    value: str
    """The address (http, https or mailto), the file relative to the evaluation folder, or the anchor."""


@dataclass(frozen=True)
class Link:
    """A link whose target the policy allowed."""

    target: Target
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Image:
    """An image file of the evaluation folder that the policy allowed."""

    target: Target
    alt: str


Inline = Text | SoftBreak | LineBreak | CodeSpan | Styled | Link | Image


@dataclass(frozen=True)
class Heading:
    """A heading; ``level`` 1 is the text's own top level (renderers place it under their section)."""

    level: int
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class CodeBlock:
    """A code block, shown as written (no language, no attributes)."""

    text: str


@dataclass(frozen=True)
class Quote:
    """A block quote."""

    children: tuple[Block, ...]


@dataclass(frozen=True)
class ListBlock:
    """A bullet list, or a numbered one from ``start``."""

    ordered: bool
    start: int
    tight: bool
    """True when the items are single lines (no paragraphs between them)."""
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True)
class Table:
    """A pipe table: header cells, body rows and each column's alignment."""

    aligns: tuple[Literal["left", "center", "right"] | None, ...]
    head: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]


@dataclass(frozen=True)
class Rule:
    """A horizontal rule."""


Block = Heading | Paragraph | CodeBlock | Quote | ListBlock | Table | Rule
