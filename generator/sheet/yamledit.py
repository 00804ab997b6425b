"""Edit score files in place with ruamel.yaml round-trip, so comments, key order, quoting and
layout survive and only the edited values change in a diff.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import LiteralScalarString, ScalarString

MAP_INDENT = re.compile(r"^( +)[^\s#-][^:\n]*:", re.MULTILINE)
SEQ_INDENT = re.compile(r"^( *)\S[^\n]*:\n( *)- ", re.MULTILINE)


class ScoreDocument:
    """One score file loaded for editing."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = path.read_text(encoding="utf-8-sig")
        self.yaml, self.data = _faithful(self.text)

    @property
    def indicators(self) -> CommentedMap:
        """The ``indicators`` mapping."""
        return self.data["indicators"]

    def entry(self, indicator: str) -> CommentedMap:
        """The indicator's entry mapping, added at the end when missing."""
        if indicator not in self.indicators or self.indicators[indicator] is None:
            self.indicators[indicator] = CommentedMap()
        return self.indicators[indicator]

    def dump(self) -> str:
        """The document as text."""
        out = io.StringIO()
        self.yaml.dump(self.data, out)
        return out.getvalue()


def _faithful(text: str) -> tuple[YAML, Any]:
    """A round-trip YAML that writes this file back byte for byte, and the loaded data.

    Indentation is read from the text; the spelling of null (null, ~ or nothing) is whichever
    reproduces the file, so an untouched file stays untouched.
    """
    for null in NULL_REPRESENTERS:
        yaml = _yaml_for(text, null)
        data = yaml.load(text)
        out = io.StringIO()
        yaml.dump(data, out)
        if out.getvalue() == text:
            return yaml, data
    yaml = _yaml_for(text, "null")
    return yaml, yaml.load(text)


def _yaml_for(text: str, null: str) -> YAML:
    """A round-trip YAML with this file's indentation and the given spelling of null."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1 << 20  # never re-wrap a long line
    mapping = min((len(m.group(1)) for m in MAP_INDENT.finditer(text)), default=2)
    sequence, offset = 4, 2
    for m in SEQ_INDENT.finditer(text):
        offset = len(m.group(2)) - len(m.group(1))
        sequence = offset + 2
        break
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    yaml.Representer = NULL_REPRESENTERS[null]
    return yaml


def _null_representer(null: str) -> type[RoundTripRepresenter]:
    """A representer that writes null as ``null``. ``add_representer`` is a class method: called on
    ruamel's own class it would change how every YAML in the process writes null, so each spelling
    has its own subclass."""

    class NullAs(RoundTripRepresenter):
        pass

    NullAs.add_representer(
        type(None), lambda rep, _data: rep.represent_scalar("tag:yaml.org,2002:null", null)
    )
    return NullAs


NULL_REPRESENTERS = {null: _null_representer(null) for null in ("null", "~", "")}
"""The representer of each spelling of null a score file may use."""


def styled(old: Any, new: str) -> Any:
    """``new`` in the scalar style ``old`` was written in (quotes, folded, literal)."""
    if "\n" in new and not isinstance(old, ScalarString):
        return LiteralScalarString(new)
    if isinstance(old, ScalarString):
        return type(old)(new)
    return new


def set_scalar(entry: CommentedMap, key: str, value: Any, *, drop_when_empty: bool) -> None:
    """Set or clear a scalar field, keeping its quoting style."""
    if value is None:
        if drop_when_empty:
            entry.pop(key, None)
        elif key in entry:
            entry[key] = None
        return
    entry[key] = styled(entry.get(key), value) if isinstance(value, str) else value


def set_list(entry: CommentedMap, key: str, values: list[Any]) -> None:
    """Replace a list's items in place (its flow or block style stays); drop an emptied evidence list."""
    old = entry.get(key)
    if not values and key == "evidence":
        entry.pop(key, None)
    elif isinstance(old, CommentedSeq):
        old.clear()
        old.extend(values)
    elif values or key in entry:
        seq = CommentedSeq(values)
        if key == "evaluators":
            seq.fa.set_flow_style()
        entry[key] = seq


def set_mapping(entry: CommentedMap, key: str, value: Mapping[str, Any]) -> None:
    """Update a mapping value key by key, so unchanged keys keep their place and comments."""
    old = entry.get(key)
    if not isinstance(old, CommentedMap):
        entry[key] = CommentedMap(value)
        return
    for k in [k for k in old if k not in value]:
        del old[k]
    for k, v in value.items():
        old[k] = v


Slot = tuple[CommentedMap | CommentedSeq, Any]


def _last_slot(node: Any) -> Slot | None:
    """The deepest last key or index of a block collection: where a trailing comment hangs."""
    slot = None
    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node) and not node.fa.flow_style():
        key = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
        slot, node = (node, key), node[key]
    return slot


def take_trailing(node: Any) -> Any:
    """Detach the comment after ``node``'s last value (ruamel hangs the next entry's comment there)."""
    slot = _last_slot(node)
    if slot is None:
        return None
    container, key = slot
    place = 2 if isinstance(container, CommentedMap) else 0
    items = container.ca.items.get(key)
    if not items or items[place] is None:
        return None
    token, items[place] = items[place], None
    return token


def put_trailing(node: Any, token: Any) -> None:
    """Hang a detached comment after ``node``'s (new) last value."""
    slot = _last_slot(node)
    if token is None or slot is None:
        return
    container, key = slot
    place = 2 if isinstance(container, CommentedMap) else 0
    items = container.ca.items.setdefault(key, [None, None, None, None])
    items[place] = token


def write_all(texts: Mapping[Path, str]) -> None:
    """Write every file through a temporary beside it, replacing the originals only once all are written."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in texts.items():
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            staged.append((tmp, path))
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
