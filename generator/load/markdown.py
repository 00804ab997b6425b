"""Checks of Markdown text: internal markers (E513, E519) and pathological structure (E112)."""

from __future__ import annotations

from generator.diagnostics import Diagnostic, diag
from generator.load.complexity import hotspots
from generator.model.narrative import near_misses, unclosed_markers


def markdown_problems(rel: str, text: str) -> list[Diagnostic]:
    """Every problem of one Markdown file (``rel``: its path from the repository root)."""
    found = [diag(rel, u.line, 1, "E513", marker=u.marker, closing=u.closing) for u in unclosed_markers(text)]
    found += [
        diag(rel, n.line, n.column, "E519", word=n.word, kind_zh=n.kind_zh, kind_en=n.kind_en)
        for n in near_misses(text)
    ]
    found += [
        diag(rel, h.line, h.column, "E112", what_zh=h.what_zh, what_en=h.what_en, limit=h.limit)
        for h in hotspots(text)
    ]
    return found
