"""A sanitised narrative as HTML for the site: only the tags below, every text and address escaped.

Tags: p, h3–h6, ul, ol, li, blockquote, pre, code, em, strong, del, a, img, br, hr, table, thead,
tbody, tr, th, td. Attributes: href (a), src and alt (img), rel (outside links), start (ol),
align (th, td).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from generator.render.narrative import tree as t
from generator.render.narrative.policy import Levels, Narrative, joins

Resolve = Callable[[t.Target], str | None]
"""The address of a link or image target on the page, or None to show only the text."""
TOP = 3
"""Level of a narrative's highest heading on a page (under the page's own h2)."""


def to_html(narrative: Narrative, resolve: Resolve) -> str:
    """The narrative's HTML, without a wrapper."""
    return _Writer(resolve, Levels(narrative.blocks, TOP)).blocks(narrative.blocks)


class _Writer:
    def __init__(self, resolve: Resolve, levels: Levels) -> None:
        self.resolve = resolve
        self.levels = levels

    def blocks(self, blocks: Sequence[t.Block], *, tight: bool = False) -> str:
        return "\n".join(self.block(b, tight) for b in blocks)

    def block(self, block: t.Block, tight: bool) -> str:
        if isinstance(block, t.Paragraph):
            inner = self.inlines(block.children)
            return inner if tight else f"<p>{inner}</p>"
        if isinstance(block, t.Heading):
            level = self.levels.next(block)
            return f"<h{level}>{self.inlines(block.children)}</h{level}>"
        if isinstance(block, t.CodeBlock):
            return f"<pre><code>{escape(block.text)}</code></pre>"
        if isinstance(block, t.Quote):
            return f"<blockquote>\n{self.blocks(block.children)}\n</blockquote>"
        if isinstance(block, t.ListBlock):
            tag = "ol" if block.ordered else "ul"
            start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
            items = "\n".join(f"<li>{self.blocks(i, tight=block.tight)}</li>" for i in block.items)
            return f"<{tag}{start}>\n{items}\n</{tag}>"
        if isinstance(block, t.Table):
            return self.table(block)
        return "<hr>"

    def table(self, table: t.Table) -> str:
        def row(cells: Sequence[tuple[t.Inline, ...]], tag: str) -> str:
            out = []
            for align, cell in zip(table.aligns, cells, strict=False):
                attr = f' align="{align}"' if align else ""
                out.append(f"<{tag}{attr}>{self.inlines(cell)}</{tag}>")
            return "<tr>" + "".join(out) + "</tr>"

        body = "\n".join(row(r, "td") for r in table.rows)
        return f"<table>\n<thead>\n{row(table.head, 'th')}\n</thead>\n<tbody>\n{body}\n</tbody>\n</table>"

    def inlines(self, inlines: Sequence[t.Inline]) -> str:
        out = []
        for i, node in enumerate(inlines):
            if isinstance(node, t.SoftBreak):
                before = inlines[i - 1] if i else None
                after = inlines[i + 1] if i + 1 < len(inlines) else None
                out.append("" if joins(before, after) else "\n")
            else:
                out.append(self.inline(node))
        return "".join(out)

    def inline(self, node: t.Inline) -> str:
        if isinstance(node, t.Text):
            return escape(node.text, quote=False)
        if isinstance(node, t.LineBreak):
            return "<br>\n"
        if isinstance(node, t.CodeSpan):
            return f"<code>{escape(node.text, quote=False)}</code>"
        if isinstance(node, t.Styled):
            return f"<{node.style}>{self.inlines(node.children)}</{node.style}>"
        if isinstance(node, t.Link):
            inner = self.inlines(node.children)
            href = self.resolve(node.target)
            if href is None:
                return inner
            rel = ' rel="external noopener noreferrer"' if node.target.kind == "url" else ""
            return f'<a href="{escape(href)}"{rel}>{inner}</a>'
        if isinstance(node, t.Image):
            src = self.resolve(node.target)
            if src is None:
                return escape(node.alt, quote=False)
            return f'<img src="{escape(src)}" alt="{escape(node.alt)}">'
        return ""
