"""Internal passages in narrative Markdown, and their removal for public output.

Three ways to mark a passage internal, all removed from the public version:

- ``<!-- internal -->`` … ``<!-- /internal -->``;
- a fenced code block whose info string is ``internal`` (also ``{.internal}``);
- a pandoc fenced div ``::: internal`` (or ``::: {.internal}``) … ``:::``.

Every other HTML comment is removed too: Markdown passes comments into the HTML source, where
anyone can read them. An unclosed marker hides everything after it (failing closed) and is
reported by the validator (E513). Anything that looks like a marker but is not one
(``<!-- Internal -->``, an internal fence inside a list item or a block quote, ``{.internal}`` on
a heading) would fail open, so ``near_misses`` finds it for the validator (E519).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from generator.messages import MARKER_PLACES

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
class NearMiss:
    """Something that looks like an internal marker but is not parsed as one."""

    line: int
    """1-based line."""
    column: int
    """1-based column."""
    word: str
    """The marker word found (internal, 内部 …), never the text around it."""
    kind_zh: str
    """Where it stands, in Chinese (HTML comment, code fence, …)."""
    kind_en: str
    """The same, in English."""


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


INTERNAL_LABEL = "**〔内部〕**"
"""What opens an internal passage in internal output, so a reader sees what the public does not."""


def internal_text(text: str) -> str:
    """The text for internal output: internal passages kept, each opened by ``INTERNAL_LABEL``
    (in place of its marker), their closing markers and every other HTML comment removed.

    An unclosed marker keeps everything after it (the validator reports it, E513).
    """
    out, pos = [], 0
    while (start := text.find("<!--", pos)) >= 0:
        out.append(text[pos:start])
        opening, closing = _OPEN.match(text, start), _CLOSE.match(text, start)
        if opening is not None:
            out.append(INTERNAL_LABEL + " ")
            pos = opening.end()
            continue
        end = text.find("-->", start + 4)
        pos = closing.end() if closing is not None else len(text) if end < 0 else end + 3
    out.append(text[pos:])
    lines = "".join(out).splitlines(keepends=True)
    ends: set[int] = set()
    for i, line in enumerate(lines):
        fence, div = _FENCE.match(line), _DIV.match(line)
        if i in ends or (fence is None and div is None):
            continue
        closed = _fence_end(lines, i, fence.group(1)) if fence else _div_end(lines, i)
        lines[i] = INTERNAL_LABEL + "\n\n"
        if closed is not None:
            ends.add(closed)
    return "".join("\n" if i in ends else line for i, line in enumerate(lines))


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


_WORD = re.compile(r"(?<![A-Za-z])(internal)(?![A-Za-z])|(内部|不公开|保密)", re.IGNORECASE)
"""Words a marker would carry: the English one anywhere marker-like, the Chinese ones only in a
comment short enough to be a label (prose may mention internal affairs)."""
_CONTAINER = r"^[ \t>]*(?:(?:[-*+]|\d+[.)])[ \t]+)*[ \t>]*"
_LOOSE_FENCE = re.compile(_CONTAINER + r"(`{3,}|~{3,})")
_LOOSE_DIV = re.compile(_CONTAINER + r":{3,}")
_BROKEN_COMMENT = re.compile(r"<\s*[!！]|[-－—–]\s*[>＞]|&lt;!|--&gt;")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MASK = "\ue000"
"""Stands in for each character of an ordinary comment while the public text is worked out."""
SHORT_LABEL = 20
"""A comment this short that names 内部 is taken for an attempted marker."""


def near_misses(text: str) -> list[NearMiss]:
    """Marker words outside every recognised marker, where a reader would take them for a marker:
    in an HTML comment, on a code fence or ``:::`` line (indented, in a list or a quote), in an
    attribute block or an HTML tag, or beside a mistyped comment sign.

    Ordinary comments are masked (same length, line breaks kept) so that ``public_text`` keeps
    them in place; what survives is what would be published, comments included.
    """
    comments = [
        m
        for m in _COMMENT.finditer(text)
        if not _OPEN.fullmatch(m.group()) and not _CLOSE.fullmatch(m.group())
    ]
    masked = list(text)
    for m in comments:
        for i in range(m.start(), m.end()):
            if text[i] != "\n":
                masked[i] = _MASK
    public = public_text("".join(masked))
    kept = {public.origin(m.start()) for m in re.finditer(_MASK + "+", public.text)}
    found = [
        _miss(text, m.start() + 4 + w.start(), w, "comment")
        for m in comments
        if m.start() in kept
        for w in _WORD.finditer(m.group()[4:-3])
        if w.group(1) or len(m.group()[4:-3].strip(" -\t\n")) <= SHORT_LABEL
    ]
    for w in _WORD.finditer(public.text):
        if w.group(2):
            continue  # Chinese words count only as a comment's label
        line_start = public.text.rfind("\n", 0, w.start()) + 1
        line_end = public.text.find("\n", w.start())
        line = public.text[line_start : line_end if line_end >= 0 else len(public.text)]
        kind = _marker_context(line, w.start() - line_start)
        if kind is not None:
            found.append(_miss(text, public.origin(w.start()), w, kind))
    return sorted(found, key=lambda n: (n.line, n.column))


def _miss(text: str, offset: int, word: re.Match[str], place: str) -> NearMiss:
    """A near miss at ``offset``, in a ``place`` named in ``messages.MARKER_PLACES``."""
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return NearMiss(_line(text, offset), column, word.group(0), *MARKER_PLACES[place])


def _marker_context(line: str, column: int) -> str | None:
    """Where a marker word stands on a public line (a key of ``messages.MARKER_PLACES``), if that
    place would make a marker; None for prose."""
    if _LOOSE_FENCE.match(line):
        return "fence"
    if _LOOSE_DIV.match(line):
        return "div"
    before, after = line[:column], line[column:]
    if before.rfind("{") > before.rfind("}") and "}" in after:
        return "attribute"
    if before.rfind("<") > before.rfind(">") and ">" in after:
        return "tag"
    if _BROKEN_COMMENT.search(line):
        return "mistyped"
    return None
