"""What is internal, by field: the one definition every public output and message is made from.

``render.public.public_evaluation`` blanks these fields in the public copy of an evaluation,
``render.public.redaction_paths`` blanks them in YAML shown line by line, and messages (diagnostics,
CI annotations, the pull-request comment) never quote a value found at such a place (``internal_at``),
even in a file that failed to load, before any model exists.
"""

from __future__ import annotations

from typing import Any

from generator.model.base import yes_no

INTERNAL_FLAG = "internal"
"""The key that marks an item (evidence, activity, sample draw) internal."""
ALWAYS_INTERNAL = ("contact",)
"""Keys whose values are internal wherever they stand (contact details of people and parties)."""
INTERNAL_ACTIVITY_FIELDS = ("place", "attendees", "minutes", "summary")
"""Fields of an activity marked internal that the public never sees: only its kind and dates show."""
INTERNAL_SAMPLE_FIELDS = ("frame", "drawn")
"""Fields of a sample draw marked internal (or drawn from an internal frame) that stay internal."""


def internal_at(data: Any, path: tuple[str | int, ...]) -> bool:
    """True when the raw value at ``path`` is internal: under a contact, or inside an item marked
    ``internal`` (any truthy spelling, so a mistyped flag still fails closed)."""
    node = data
    for part in path:
        if isinstance(node, dict) and _marked(node):
            return True
        if part in ALWAYS_INTERNAL:
            return True
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return False
    return isinstance(node, dict) and _marked(node)


def _marked(item: dict[Any, Any]) -> bool:
    """The item's flag read as the model reads it (是/否 too); any other truthy spelling counts as set."""
    return bool(yes_no(item.get(INTERNAL_FLAG)))
