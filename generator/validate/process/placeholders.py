"""The placeholder text ``zwpj new`` writes, and where an evaluation still holds it.

One marker for both sides: the scaffold writes ``（待填写…）`` and the checks look for it (full- or
half-width brackets, any text after 待填写), so the two cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

PLACEHOLDER = "（待填写）"
"""A field to fill."""
_PATTERN = re.compile(r"[（(]\s*待填写[^）)\n]*[）)]?")


def placeholder(what: str = "") -> str:
    """The placeholder for a field: ``（待填写）`` or ``（待填写：what）``."""
    return f"（待填写：{what}）" if what else PLACEHOLDER


def find_placeholder(text: str) -> str | None:
    """The first placeholder in ``text``, or None."""
    match = _PATTERN.search(text)
    return match.group(0) if match else None


def placeholders_in(
    data: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path, placeholder) for every string inside ``data`` (a model dump) that holds one."""
    if isinstance(data, str):
        found = find_placeholder(data)
        if found:
            yield path, found
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from placeholders_in(value, (*path, key))
    elif isinstance(data, (list, tuple)):
        for i, value in enumerate(data):
            yield from placeholders_in(value, (*path, i))
