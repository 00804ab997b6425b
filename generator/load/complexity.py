"""Markdown that would make a renderer run away, found at check time by one linear scan.

pandoc (reports) and Python-Markdown (site) backtrack on inline openers they cannot match: nested
or unclosed ``[`` (links, images, footnotes ``[^``, spans ``[…]{…}``), link destinations ``](``
left open, nested ``<span>``, and raw HTML tags that never close. The cost grows exponentially
with the nesting depth (31 bytes of ``[`` kept pandoc busy for minutes) and quadratically with
the number of unclosed openers. Ordinary prose nests two or three levels at most, so the limits
below leave every real text alone; a text past them is a located error (E112) instead of a build
that never ends. Inline code spans are skipped; fenced code is not (see ``_prose_lines``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.messages import TEXT_LIMITS

MAX_DEPTH = 4
"""Deepest nesting of inline openers in one paragraph (unclosed ones count as open)."""
MAX_BRACKET_COST = 4000
"""Budget per text for brackets, each ``[`` costing 4 ** (depth - 1): about two seconds of pandoc."""
MAX_UNCLOSED_TAGS = 20
"""Raw HTML tags per text whose ``>`` never comes (before the next ``<`` or the paragraph's end)."""
MAX_TAGS = 1000
"""Raw HTML tags per text, closed or not."""

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)|<[!?]")


@dataclass(frozen=True)
class Hotspot:
    """Where a text passes a limit."""

    line: int
    """1-based line."""
    column: int
    """1-based column (characters)."""
    what_zh: str
    """What passes the limit, in Chinese."""
    what_en: str
    """The same, in English."""
    limit: int
    """The limit passed."""


def hotspots(text: str) -> list[Hotspot]:
    """The first place the text passes a limit (one is enough to fix: the others are near it)."""
    scan = _Scan()
    for number, line in _prose_lines(text):
        scan.line(number, line)
        if scan.found:
            break
    return sorted(scan.found.values(), key=lambda h: (h.line, h.column))[:1]


def _prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based number, line); a blank line comes as '' (it ends a paragraph).

    Fenced code is scanned like prose: a line a renderer does not take for a fence (pandoc and
    CommonMark disagree on some) must not hide what follows from the check, and real code seldom
    nests brackets five deep.
    """
    for number, line in enumerate(text.splitlines(), 1):
        yield number, line if line.strip() else ""


class _Scan:
    """State carried from line to line: open inline constructs, costs so far, findings."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.cost = 0
        self.tags = 0
        self.unclosed = 0
        self.found: dict[str, Hotspot] = {}

    def line(self, number: int, line: str) -> None:
        if not line:
            self.stack.clear()  # a blank line ends the paragraph and every inline construct in it
            return
        i = 0
        while i < len(line):
            ch = line[i]
            if ch == "\\":
                i += 2
                continue
            if ch == "`":
                i = _after_code_span(line, i)
                continue
            if ch == "[":
                self._open("[", number, i)
            elif ch == "]":
                self._close("[")
                if line.startswith("(", i + 1):
                    i += 1
                    self._open("(", number, i)
            elif ch == ")":
                self._close("(")
            elif ch == "<":
                self._tag(line, number, i)
            i += 1

    def _open(self, kind: str, number: int, i: int) -> None:
        self.stack.append(kind)
        depth = len(self.stack)
        if depth > MAX_DEPTH:
            self._found("depth", number, i, MAX_DEPTH)
        if kind == "[":
            self.cost += 4 ** min(depth - 1, 12)
            if self.cost > MAX_BRACKET_COST:
                self._found("cost", number, i, MAX_BRACKET_COST)

    def _close(self, kind: str) -> None:
        if kind in self.stack:
            while self.stack and self.stack.pop() != kind:
                pass

    def _tag(self, line: str, number: int, i: int) -> None:
        match = _TAG.match(line, i)
        if match is None:
            return
        self.tags += 1
        if self.tags > MAX_TAGS:
            self._found("tags", number, i, MAX_TAGS)
        end, next_open = line.find(">", i + 1), line.find("<", i + 1)
        if end < 0 or 0 <= next_open < end:
            self.unclosed += 1
            if self.unclosed > MAX_UNCLOSED_TAGS:
                self._found("unclosed", number, i, MAX_UNCLOSED_TAGS)
        name = (match.group(2) or "").lower()
        if name == "span":
            if match.group(1):
                self._close("span")
            else:
                self._open("span", number, i)

    def _found(self, kind: str, number: int, i: int, limit: int) -> None:
        """The first place the text passes limit ``kind`` (named in ``messages.TEXT_LIMITS``)."""
        zh, en = TEXT_LIMITS[kind]
        self.found.setdefault(kind, Hotspot(number, i + 1, zh, en, limit))


def _after_code_span(line: str, i: int) -> int:
    """The index after an inline code span starting at ``i`` (or after the backticks, if unclosed)."""
    ticks = re.match(r"`+", line[i:])
    assert ticks is not None
    run = len(ticks.group(0))
    for closing in re.finditer(r"`+", line[i + run :]):
        if len(closing.group(0)) == run:
            return i + run + closing.end()
    return i + run
