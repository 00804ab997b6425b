"""Internal passages in narrative Markdown, and their removal for public output.

Three ways to mark a passage internal, all removed from the public version:

- ``<!-- internal -->`` … ``<!-- /internal -->``;
- a fenced code block whose info string is ``internal`` (also ``{.internal}``);
- a pandoc fenced div ``::: internal`` (or ``::: {.internal}``) … ``:::``.

Every other HTML comment is removed too: Markdown passes comments into the HTML source, where
anyone can read them. An unclosed marker hides everything after it (failing closed) and is
reported by the validator (E513).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = re.compile(r"<!--\s*internal\s*-->")
_CLOSE = re.compile(r"<!--\s*/internal\s*-->")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*\{?\s*\.?internal\b")
_DIV = re.compile(r"^ {0,3}(:{3,})\s*\{?\s*\.?internal\b")
_DIV_ANY = re.compile(r"^ {0,3}:{3,}\s*\S")
_DIV_END = re.compile(r"^ {0,3}:{3,}\s*$")


@dataclass(frozen=True)
class Unclosed:
    """An internal marker without its end."""

    line: int
    """1-based line of the opening marker."""
    marker: str
    """The marker as written."""
    closing: str
    """What would close it."""


def unclosed_markers(text: str) -> list[Unclosed]:
    """Opening markers that are never closed, for the validator."""
    return _scan(text)[1]


def strip_internal(text: str) -> str:
    """The text without internal passages and without any HTML comment."""
    return _scan(text)[0]


def _scan(text: str) -> tuple[str, list[Unclosed]]:
    body, problems = _strip_comments(text)
    kept, block_problems = _strip_blocks(body.splitlines(keepends=True))
    return "".join(kept), problems + block_problems


def _strip_blocks(lines: list[str]) -> tuple[list[str], list[Unclosed]]:
    """Drop internal fenced code blocks and fenced divs, line by line."""
    kept: list[str] = []
    i = 0
    while i < len(lines):
        fence, div = _FENCE.match(lines[i]), _DIV.match(lines[i])
        if fence is None and div is None:
            kept.append(lines[i])
            i += 1
            continue
        end = _fence_end(lines, i, fence.group(1)) if fence else _div_end(lines, i)
        if end is None:
            closing = fence.group(1) if fence else ":::"
            return kept, [Unclosed(i + 1, lines[i].strip(), closing)]
        i = end + 1
    return kept, []


def _fence_end(lines: list[str], start: int, fence: str) -> int | None:
    closer = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    return next((j for j in range(start + 1, len(lines)) if closer.match(lines[j])), None)


def _div_end(lines: list[str], start: int) -> int | None:
    depth = 1
    for j in range(start + 1, len(lines)):
        if _DIV_END.match(lines[j]):
            depth -= 1
            if depth == 0:
                return j
        elif _DIV_ANY.match(lines[j]):
            depth += 1
    return None


def _strip_comments(text: str) -> tuple[str, list[Unclosed]]:
    """Remove internal comment pairs with what they enclose, and every other comment."""
    out: list[str] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        out.append(text[pos:start])
        opening = _OPEN.match(text, start)
        if opening is not None:
            closing = _CLOSE.search(text, opening.end())
            if closing is None:
                return "".join(out), [Unclosed(_line(text, start), opening.group(0), "<!-- /internal -->")]
            pos = closing.end()
            continue
        end = text.find("-->", start + 4)
        if end < 0:
            return "".join(out), [Unclosed(_line(text, start), "<!--", "-->")]
        pos = end + 3
    out.append(text[pos:])
    return "".join(out), []


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1
