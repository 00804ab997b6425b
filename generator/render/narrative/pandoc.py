"""A sanitised narrative as pandoc Markdown for the reports: every piece of text escaped.

All ASCII punctuation in text is backslash-escaped (pandoc's ``all_symbols_escapable``), so no
text can open a raw block (```` ```{=openxml} ````), an attribute (``{style=…}``), a span, a
div, a link, raw HTML or TeX, math, a citation or a list; code is fenced longer than any run of
backticks it holds and carries no attributes; link targets are percent-encoded. pandoc thus
reads back exactly the tree, and a report gets no markup the policy did not allow.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from urllib.parse import quote

from generator.render.narrative import tree as t
from generator.render.narrative.policy import Levels, Narrative, joins

ImageSource = Callable[[str], str | None]
"""The inline (data:) address of an image file of the evaluation, or None to show its alt text."""
PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~^$@&\"':%=;,/?])")
"""ASCII punctuation pandoc Markdown gives meaning to; all of it may be backslash-escaped."""
_SPACES = re.compile(r"\s+")
_ANCHOR = re.compile(r"[A-Za-z][\w:.-]*")
_URL_SAFE = "/:?#[]@!$&*+,;=%~._-"
"""Characters a web address keeps as they are; everything else is percent-encoded."""


def escape(text: str) -> str:
    """Text as literal pandoc Markdown on one line."""
    return PUNCT.sub(r"\\\1", _SPACES.sub(" ", text))


def to_pandoc(narrative: Narrative, *, top: int, image: ImageSource) -> str:
    """The narrative's Markdown with its highest heading at level ``top``."""
    writer = _Writer(image, Levels(narrative.blocks, top))
    return writer.blocks(narrative.blocks, tight=False).strip("\n") + "\n"


class _Writer:
    def __init__(self, image: ImageSource, levels: Levels) -> None:
        self.image = image
        self.levels = levels

    def blocks(self, blocks: Sequence[t.Block], *, tight: bool) -> str:
        parts = [self.block(b) for b in blocks]
        return ("\n" if tight else "\n\n").join(p for p in parts if p.strip()) + "\n"

    def block(self, block: t.Block) -> str:
        if isinstance(block, t.Paragraph):
            return self.inlines(block.children).strip()
        if isinstance(block, t.Heading):
            text = _one_line(self.inlines(block.children))
            return f"{'#' * self.levels.next(block)} {text}" if text else ""
        if isinstance(block, t.CodeBlock):
            runs = [len(r) for r in re.findall(r"`+", block.text)]
            fence = "`" * max(3, max(runs, default=0) + 1)
            return f"{fence}\n{block.text.rstrip(chr(10))}\n{fence}"
        if isinstance(block, t.Quote):
            inner = self.blocks(block.children, tight=False).rstrip("\n")
            return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
        if isinstance(block, t.ListBlock):
            return self.list_block(block)
        if isinstance(block, t.Table):
            return self.table(block)
        return "* * *"

    def list_block(self, block: t.ListBlock) -> str:
        items = []
        for n, item in enumerate(block.items):
            marker = f"{block.start + n}." if block.ordered else "-"
            width = max(4, len(marker) + 1)
            body = self.blocks(item, tight=block.tight).rstrip("\n")
            lines = body.split("\n") if body else [""]
            pad = " " * width
            first = marker.ljust(width) + lines[0]
            rest = [pad + line if line else "" for line in lines[1:]]
            items.append("\n".join([first.rstrip(), *rest]))
        return ("\n" if block.tight else "\n\n").join(items)

    def table(self, table: t.Table) -> str:
        def row(cells: Sequence[tuple[t.Inline, ...]]) -> str:
            return "| " + " | ".join(_one_line(self.inlines(c)) for c in cells) + " |"

        rule = {None: "---", "left": ":---", "center": ":---:", "right": "---:"}
        lines = [row(table.head), "|" + "|".join(rule[a] for a in table.aligns) + "|"]
        lines += [row(r) for r in table.rows]
        return "\n".join(lines)

    def inlines(self, inlines: Sequence[t.Inline]) -> str:
        out = []
        for i, node in enumerate(inlines):
            if isinstance(node, t.SoftBreak):
                before = inlines[i - 1] if i else None
                after = inlines[i + 1] if i + 1 < len(inlines) else None
                out.append("" if joins(before, after) else " ")
            else:
                out.append(self.inline(node))
        return "".join(out)

    def inline(self, node: t.Inline) -> str:
        if isinstance(node, t.Text):
            return escape(node.text)
        if isinstance(node, t.LineBreak):
            return "\\\n"
        if isinstance(node, t.CodeSpan):
            return code_span(node.text)
        if isinstance(node, t.Styled):
            mark = {"em": "*", "strong": "**", "del": "~~"}[node.style]
            inner = self.inlines(node.children).strip()
            return f"{mark}{inner}{mark}" if inner else ""
        if isinstance(node, t.Link):
            return self.link(node)
        if isinstance(node, t.Image):
            src = self.image(node.target.value) if node.target.kind == "file" else None
            return f"![{escape(node.alt)}]({src})" if src else escape(node.alt)
        return ""

    def link(self, node: t.Link) -> str:
        inner = self.inlines(node.children).strip()
        target = node.target
        if target.kind == "url":
            return f"[{inner}]({quote(target.value, safe=_URL_SAFE)})"
        if target.kind == "anchor" and _ANCHOR.fullmatch(target.value):
            return f"[{inner}](#{target.value})"
        if target.kind == "file":  # a report cannot link into the repository: the file is named
            return f"{inner}{escape(f'（{target.value}）')}"
        return inner


def _one_line(markdown: str) -> str:
    """Inline Markdown for a heading or a table cell, where a line break would end it."""
    return markdown.replace("\\\n", " ").strip()


def code_span(text: str) -> str:
    """Inline code whose fence is longer than any run of backticks in it."""
    text = _SPACES.sub(" ", text)
    runs = [len(r) for r in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"
