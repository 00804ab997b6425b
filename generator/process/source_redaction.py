"""Blank internal values in a YAML file shown line by line, keeping every line number.

A value can span lines (a nested mapping, a block scalar, a wrapped flow list), so blanking the
line where it starts is not enough: every following line indented deeper than its key (or, for a
list item, at least as deep as the item) belongs to it and is emptied too.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..yamlsource import PathKey, Source

REDACTED = "（不公开）"
"""What replaces an internal value."""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _inside(text: str, column: int, *, key: bool) -> bool:
    """Does this line continue a value whose key (or list item) starts at ``column`` (0-based)?

    Under a key: lines indented deeper, or an indentless list (``- …`` at the key's own indent).
    Inside a list item: lines indented at least as deep as the item's content.
    """
    indent = _indent(text)
    if key:
        return indent > column or (indent == column and text.lstrip().startswith("- "))
    return indent >= column


def _span(lines: list[str], source: Source, path: PathKey) -> tuple[int, int, int] | None:
    """(first line index, last line index, column where the blank starts), 0-based; None if not found."""
    if path in source.keys:
        line, col = source.keys[path]
        key = True
    elif path in source.values:
        line, col = source.values[path]
        key = False
    else:
        return None
    first = line - 1
    last = first
    for j in range(first + 1, len(lines)):
        text = lines[j]
        if not text.strip():
            continue
        if not _inside(text, col - 1, key=key):
            break
        last = j
    return first, last, col - 1


def redact_yaml(text: str, source: Source, paths: Iterable[PathKey], *, mark: str = REDACTED) -> list[str]:
    """The file's lines with the values at ``paths`` replaced by ``mark`` (continuation lines emptied)."""
    lines = text.splitlines()
    for path in paths:
        found = _span(lines, source, path)
        if found is None:
            continue
        first, last, col = found
        head = lines[first]
        if path in source.keys:
            colon = head.find(":", col)
            lines[first] = head[: colon + 1] + " " + mark if colon >= 0 else head[:col] + mark
        else:
            lines[first] = head[:col] + mark
        for j in range(first + 1, last + 1):
            lines[j] = ""
    return lines
