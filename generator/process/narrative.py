"""Internal passages in narrative Markdown, and their removal for public output.

Three ways to mark a passage internal, all removed from the public version:

- ``<!-- internal -->`` … ``<!-- /internal -->``;
- a fenced code block whose info string is ``internal`` (also ``{.internal}``);
- a pandoc fenced div ``::: internal`` (or ``::: {.internal}``) … ``:::``.

Every other HTML comment is removed too: Markdown passes comments into the HTML source, where
anyone can read them. An unclosed marker hides everything after it (failing closed) and is
reported by the validator (E513). Anything that looks like a marker but is not one
(``<!-- Internal -->``, an internal fence inside a list item or a block quote, ``{.internal}`` on
a heading) would fail open, so ``near_misses`` finds it for the validator (E514).
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


def unclosed_markers(text: str) -> list[Unclosed]:
    """Opening markers that are never closed, for the validator."""
    return _scan(text)[1]


def strip_internal(text: str) -> str:
    """The text without internal passages and without any HTML comment."""
    return _scan(text)[0]


def _scan(text: str, *, keep: bool = False) -> tuple[str, list[Unclosed]]:
    """(public text, unclosed markers). With ``keep``, other HTML comments stay and every removed
    passage leaves its line breaks behind, so the public text keeps the original line numbers."""
    body, problems = _strip_comments(text, keep=keep)
    kept, block_problems = _strip_blocks(body.splitlines(keepends=True), keep=keep)
    return "".join(kept), problems + block_problems


def _strip_blocks(lines: list[str], *, keep: bool = False) -> tuple[list[str], list[Unclosed]]:
    """Drop internal fenced code blocks and fenced divs, line by line (blanked, with ``keep``)."""
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
        if keep:
            kept += ["\n"] * (end + 1 - i)
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


def _strip_comments(text: str, *, keep: bool = False) -> tuple[str, list[Unclosed]]:
    """Remove internal comment pairs with what they enclose, and every other comment (with
    ``keep``: other comments stay, removed passages leave their line breaks)."""
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
            out.append("\n" * text.count("\n", start, pos) if keep else "")
            continue
        end = text.find("-->", start + 4)
        if end < 0:
            return "".join(out), [Unclosed(_line(text, start), "<!--", "-->")]
        pos = end + 3
        if keep:
            out.append(text[start:pos])
    out.append(text[pos:])
    return "".join(out), []


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


_WORD = re.compile(r"(?<![A-Za-z])(internal)(?![A-Za-z])|(内部|不公开|保密)", re.IGNORECASE)
"""Words a marker would carry: the English one anywhere marker-like, the Chinese ones only in a
comment short enough to be a label (prose may mention internal affairs)."""
_CONTAINER = r"^[ \t>]*(?:(?:[-*+]|\d+[.)])[ \t]+)*[ \t>]*"
_LOOSE_FENCE = re.compile(_CONTAINER + r"(`{3,}|~{3,})")
_LOOSE_DIV = re.compile(_CONTAINER + r":{3,}")
_BROKEN_COMMENT = re.compile(r"<\s*[!！]|[-－—–]{1,}\s*[>＞]|&lt;!|--&gt;")
SHORT_LABEL = 20
"""A comment this short that names 内部 is taken for an attempted marker."""


def near_misses(text: str) -> list[NearMiss]:
    """Marker words outside every recognised marker, where a reader would take them for a marker:
    in an HTML comment, on a code fence or ``:::`` line (indented, in a list or a quote), in an
    attribute block or an HTML tag, or beside a mistyped comment sign."""
    public, _ = _scan(text, keep=True)
    comments = [(m.start(), m.end()) for m in re.finditer(r"<!--.*?(?:-->|\Z)", public, re.DOTALL)]
    found: list[NearMiss] = []
    for match in _WORD.finditer(public):
        start = match.start()
        line_start = public.rfind("\n", 0, start) + 1
        line_end = public.find("\n", start)
        line = public[line_start : line_end if line_end >= 0 else len(public)]
        kind = _marker_context(
            public, start, line, start - line_start, comments, english=bool(match.group(1))
        )
        if kind is not None:
            found.append(NearMiss(_line(public, start), start - line_start + 1, match.group(0), *kind))
    return found


def _marker_context(
    text: str, at: int, line: str, column: int, comments: list[tuple[int, int]], *, english: bool
) -> tuple[str, str] | None:
    """Where a marker word stands, if that place would make a marker; None for prose."""
    for start, end in comments:
        if start <= at < end:
            body = text[start + 4 : end].removesuffix("-->").strip(" -\t\n")
            if english or len(body) <= SHORT_LABEL:
                return ("HTML 注释", "an HTML comment")
            return None
    if _LOOSE_FENCE.match(line):
        return ("代码块标记行", "a code fence line")
    if _LOOSE_DIV.match(line):
        return ("::: 块标记行", "a ::: block line")
    before, after = line[:column], line[column:]
    if before.rfind("{") > before.rfind("}") and "}" in after:
        return ("属性 {…}", "an attribute block")
    if before.rfind("<") > before.rfind(">") and ">" in after:
        return ("HTML 标签", "an HTML tag")
    if _BROKEN_COMMENT.search(line):
        return ("写错的注释符号", "a mistyped comment")
    return None
