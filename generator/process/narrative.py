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

import bisect
import re
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class PublicText:
    """A narrative text without its internal passages and comments, and where each part came from."""

    text: str
    """What is published."""
    starts: tuple[int, ...] = field(default=(), repr=False)
    """Offset in ``text`` where each kept piece begins (ascending)."""
    origins: tuple[int, ...] = field(default=(), repr=False)
    """Offset in the original text of each kept piece."""

    def origin(self, offset: int) -> int:
        """The offset in the original text of ``offset`` in the published text."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return offset if i < 0 else self.origins[i] + offset - self.starts[i]


def unclosed_markers(text: str) -> list[Unclosed]:
    """Opening markers that are never closed, for the validator."""
    return _scan(text)[1]


def strip_internal(text: str) -> str:
    """The text without internal passages and without any HTML comment."""
    return _scan(text)[0].text


def public_text(text: str) -> PublicText:
    """``strip_internal`` with a map back to the original, to locate what is found in the result."""
    return _scan(text)[0]


Piece = tuple[int, str]
"""A kept piece of text and its offset in the text it was cut from."""


def _scan(text: str) -> tuple[PublicText, list[Unclosed]]:
    pieces, problems = _strip_comments(text)
    body = "".join(p for _, p in pieces)
    kept, block_problems = _strip_blocks(body.splitlines(keepends=True))
    outer = PublicText(body, *_offsets(pieces))
    starts, origins, pos = [], [], 0
    for at, piece in kept:  # each kept line maps through the comment-stripped text to the original
        for offset in sorted({0, *(s - at for s in outer.starts if at < s < at + len(piece))}):
            starts.append(pos + offset)
            origins.append(outer.origin(at + offset))
        pos += len(piece)
    return PublicText("".join(p for _, p in kept), tuple(starts), tuple(origins)), problems + block_problems


def _offsets(pieces: list[Piece]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    starts, pos = [], 0
    for _, piece in pieces:
        starts.append(pos)
        pos += len(piece)
    return tuple(starts), tuple(at for at, _ in pieces)


def _strip_blocks(lines: list[str]) -> tuple[list[Piece], list[Unclosed]]:
    """Drop internal fenced code blocks and fenced divs, line by line."""
    kept: list[Piece] = []
    at = [0]
    for line in lines:
        at.append(at[-1] + len(line))
    i = 0
    while i < len(lines):
        fence, div = _FENCE.match(lines[i]), _DIV.match(lines[i])
        if fence is None and div is None:
            kept.append((at[i], lines[i]))
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


def _strip_comments(text: str) -> tuple[list[Piece], list[Unclosed]]:
    """Remove internal comment pairs with what they enclose, and every other comment."""
    out: list[Piece] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        out.append((pos, text[pos:start]))
        opening = _OPEN.match(text, start)
        if opening is not None:
            closing = _CLOSE.search(text, opening.end())
            if closing is None:
                return out, [Unclosed(_line(text, start), opening.group(0), "<!-- /internal -->")]
            pos = closing.end()
            continue
        end = text.find("-->", start + 4)
        if end < 0:
            return out, [Unclosed(_line(text, start), "<!--", "-->")]
        pos = end + 3
    out.append((pos, text[pos:]))
    return out, []


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1
