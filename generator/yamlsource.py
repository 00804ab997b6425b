"""Read a YAML file into plain Python values plus a map of where every value and key stands.

Uses ruamel.yaml's C composer (safe, fast) and converts nodes ourselves, so that duplicate
keys, alias bombs and encodings become located diagnostics instead of exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic, diag

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A YAML file larger than this is refused."""
MAX_NODES = 200_000
"""Most nodes a file may expand to (aliases count each time they are used)."""

PathKey = tuple[str | int, ...]
Position = tuple[int, int]


@dataclass
class Source:
    """A loaded YAML file: its data and the 1-based position of every value and key."""

    rel: str
    """Path relative to the repository root."""
    data: Any = None
    """The plain value (dict, list, scalar); None when unreadable."""
    values: dict[PathKey, Position] = field(default_factory=dict)
    """Position of the value at each path."""
    keys: dict[PathKey, Position] = field(default_factory=dict)
    """Position of the key whose value is at each path."""

    def where(self, path: PathKey, *, at_key: bool = False) -> Position:
        """Position of the value (or key) at ``path``, or of the nearest enclosing one."""
        table = self.keys if at_key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))

    def diag(self, at: PathKey, code: str, /, *, at_key: bool = False, **args: object) -> Diagnostic:
        """A diagnostic located at path ``at`` in this file (at its key, with ``at_key``)."""
        line, col = self.where(at, at_key=at_key)
        return diag(self.rel, line, col, code, **args)


def read_text(path: Path, rel: str) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 text file (BOM accepted); GBK and other encodings get E102, size E104."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None, [diag(rel, 0, 0, "E106", path=rel)]
    if size > MAX_FILE_BYTES:
        return None, [diag(rel, 0, 0, "E104", size=size, limit=MAX_FILE_BYTES)]
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        encoding = _guess_encoding(raw)
        return None, [diag(rel, line, column, "E102", encoding=encoding)]


def _guess_encoding(raw: bytes) -> str:
    for name, label in (("gb18030", "GBK/GB18030"), ("big5", "Big5"), ("utf-16", "UTF-16")):
        try:
            raw.decode(name)
            return label
        except UnicodeDecodeError:
            continue
    return "未知编码 unknown"


def load_yaml(path: Path, rel: str) -> tuple[Source, list[Diagnostic]]:
    """Load one YAML file. Problems come back as diagnostics; the Source's data is None then."""
    source = Source(rel)
    text, problems = read_text(path, rel)
    if text is None:
        return source, problems
    try:
        yaml = YAML(typ="safe", pure=False)
        node = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "无法解析"
        return source, [diag(rel, line, col, "E101", problem=problem)]
    except YAMLError as exc:  # pragma: no cover - non-marked errors are rare
        return source, [diag(rel, 1, 1, "E101", problem=str(exc))]
    if node is None:
        source.data = {}
        return source, []
    converter = _Converter(source, yaml.constructor)
    try:
        source.data = converter.convert(node, ())
    except _TooManyNodes:
        source.data = None
        return source, [diag(rel, node.start_mark.line + 1, 1, "E105", limit=MAX_NODES)]
    return source, converter.problems


class _TooManyNodes(Exception):
    pass


class _Converter:
    """Node tree → plain values, recording positions and duplicate keys."""

    def __init__(self, source: Source, constructor: SafeConstructor) -> None:
        self.source = source
        self.problems: list[Diagnostic] = []
        self.count = 0
        self.scalars = constructor

    def convert(self, node: Node, path: PathKey) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooManyNodes
        self.source.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = self.convert(value_node, path)
                if isinstance(merged, dict):
                    for k, v in merged.items():
                        result.setdefault(k, v)
                continue
            key = str(self._scalar(key_node)) if isinstance(key_node, ScalarNode) else str(key_node.value)
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            child = (*path, key)
            if key in result:
                first = self.source.keys[child][0]
                self.problems.append(diag(self.source.rel, *where, "E103", key=key, first_line=first))
                continue
            self.source.keys[child] = where
            result[key] = self.convert(value_node, child)
        return result

    def _scalar(self, node: ScalarNode) -> Any:
        try:
            return self.scalars.construct_object(node, deep=True)
        except (YAMLError, ValueError):
            return node.value
