"""Read a YAML file into plain Python values plus a map of where every value and key stands.

Uses ruamel.yaml's C composer (safe, fast) and converts nodes ourselves, so that duplicate
keys, alias bombs and encodings become located diagnostics instead of exceptions.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from generator.diagnostics import Diagnostic, diag
from generator.paths import TooLarge, read_bounded

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A YAML file larger than this is refused."""
MAX_MARKDOWN_BYTES = 512 * 1024
"""A Markdown file larger than this is refused: parsing and rendering grow with the size (a
narrative is a few pages; half a megabyte is a book)."""
MAX_NODES = 200_000
"""Most nodes a file may expand to (aliases count each time they are used)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences a file may have (aliases included)."""

_PROBLEMS_ZH = (
    ("mapping values are not allowed", "此处不能出现“键: 值”（检查缩进，或给含冒号的值加引号）"),
    (
        "cannot start any token",
        "出现了不能开始 YAML 内容的字符（常见原因：用 Tab 缩进，或值以 @ ` 开头而未加引号）",
    ),
    ("tab character", "用了 Tab 缩进，YAML 只能用空格缩进"),
    ("unexpected end of stream", "文件意外结束（引号或括号没有闭合？）"),
    ("did not find expected key", "找不到预期的键（检查这一行的缩进是否与上一级对齐）"),
    ("did not find expected '-' indicator", "列表中混入了不以“- ”开头的行（检查缩进）"),
    ("did not find expected ',' or ']'", "方括号列表没有闭合，或项目之间缺少逗号"),
    ("did not find expected ',' or '}'", "花括号映射没有闭合，或项目之间缺少逗号"),
    ("could not find expected ':'", "找不到预期的冒号“:”"),
    ("did not find expected node content", "缺少值（检查多余的符号或缩进）"),
    ("undefined alias", "引用了未定义的锚点（* 后的名称没有对应的 &）"),
    ("duplicate anchor", "锚点（&名称）重复定义"),
    ("another document", "一个文件只能有一个 YAML 文档（删除多余的“---”）"),
    ("unknown escape character", "双引号中有无效的转义（反斜杠 \\ 请写成 \\\\，或改用单引号）"),
    ("control characters are not allowed", "文件中有不可见的控制字符"),
    ("block sequence entries are not allowed", "此处不能以“- ”开始列表（检查缩进）"),
)
"""libyaml's problem texts (by a distinctive part) → what they mean, in Chinese."""

PathKey = tuple[str | int, ...]
Position = tuple[int, int]


@dataclass
class Source:
    """A loaded YAML file: its data and the 1-based position of every value and key."""

    rel: str
    """Path relative to the repository root."""
    data: Any = None
    """The plain value (dict, list, scalar); None when unreadable, and once ``load.repository.parse_model``
    has validated it into a model (which holds the same content)."""
    values: dict[PathKey, Position] = field(default_factory=dict)
    """Position of the value at each path."""
    keys: dict[PathKey, Position] = field(default_factory=dict)
    """Position of the key whose value is at each path."""
    cut: tuple[PathKey, ...] = ()
    """Pieces cut out of a file with schema errors so the rest could be used (``salvage``); the
    positions above are those of what remains."""
    cut_ids: frozenset[str] = frozenset()
    """Every ``id`` and ``name`` inside those pieces."""
    text: str = ""
    """The file's text as read (the site shows it line by line); empty when unreadable."""

    def forget(self, path: PathKey) -> None:
        """Drop the positions under ``path`` (cut out), moving later items of its list up one."""
        prefix, last = path[:-1], path[-1]
        for table in (self.values, self.keys):
            moved: dict[PathKey, Position] = {}
            for key, pos in table.items():
                if key[: len(path)] == path:
                    continue
                if isinstance(last, int) and key[: len(prefix)] == prefix and len(key) > len(prefix):
                    index = key[len(prefix)]
                    if isinstance(index, int) and index > last:
                        key = (*prefix, index - 1, *key[len(prefix) + 1 :])
                moved[key] = pos
            table.clear()
            table.update(moved)

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

    def diag(
        self, at: PathKey, code: str, /, *, at_key: bool = False, detail: str | None = None, **args: object
    ) -> Diagnostic:
        """A diagnostic located at path ``at`` in this file (at its key, with ``at_key``); ``detail``
        names the message's variant (``messages.DETAILS``)."""
        line, col = self.where(at, at_key=at_key)
        return diag(self.rel, line, col, code, detail, **args)


def read_text(
    path: Path, rel: str, *, root: Path | None = None, limit: int = MAX_FILE_BYTES
) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 text file (BOM accepted); GBK and other encodings get E102, size E104.

    With ``root``, a link out of the repository (E110) or a special file (E111) is refused unread.
    Never more than the size cap is read, whatever the file system says the size is.
    """
    refused = refusal(path, rel, root)
    if refused is not None:
        return None, [refused]
    try:
        raw = read_bounded(path, limit)
    except FileNotFoundError:
        return None, [diag(rel, 0, 0, "E106", path=rel)]
    except TooLarge as exc:
        return None, [diag(rel, 0, 0, "E104", size=exc.size, limit=limit)]
    except IsADirectoryError:
        return None, [diag(rel, 0, 0, "E111", path=rel, detail="folder")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode" is UTF-16 with a BOM
        return None, [diag(rel, 1, 1, "E102", encoding="UTF-16")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw[: exc.start].count(b"\n") + 1
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1  # characters
        encoding = _guess_encoding(raw)
        return None, [diag(rel, line, column, "E102", encoding=encoding)]


_KINDS = (
    (stat.S_ISFIFO, "named_pipe"),
    (stat.S_ISCHR, "character_device"),
    (stat.S_ISBLK, "block_device"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISDIR, "folder"),
)


def refusal(path: Path, rel: str, root: Path | None) -> Diagnostic | None:
    """E110 for a link out of ``root``, E111 for anything but a regular file or folder (a pipe, a
    device, a broken or looping link); None for what the tool may read (or what does not exist,
    which the caller reports in its own words)."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            return diag(rel, 0, 0, "E111", path=rel, detail="broken_link")
        except (OSError, RuntimeError):
            return diag(rel, 0, 0, "E111", path=rel, detail="looping_link")
        if root is not None and not target.is_relative_to(root.resolve()):
            return diag(rel, 0, 0, "E110", path=rel)
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    for test, variant in _KINDS:
        if test(mode):
            return diag(rel, 0, 0, "E111", path=rel, detail=variant)
    return None


def _guess_encoding(raw: bytes) -> str:
    for name, label in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
        try:
            raw.decode(name)
            return label
        except UnicodeDecodeError:
            continue
    return "未知编码 unknown"


def load_yaml(path: Path, rel: str, *, root: Path | None = None) -> tuple[Source, list[Diagnostic]]:
    """Load one YAML file. Problems come back as diagnostics; the Source's data is None then."""
    source = Source(rel)
    text, problems = read_text(path, rel, root=root)
    if text is None:
        return source, problems
    source.text = text
    try:
        yaml = YAML(typ="safe", pure=False)
        _scan(yaml, text)
        node = YAML(typ="safe", pure=False).compose(text)
    except MarkedYAMLError as exc:
        return source, [_syntax_error(rel, exc)]
    except ReaderError as exc:
        return source, [_reader_error(rel, text, exc)]
    except YAMLError as exc:  # pragma: no cover - other unmarked errors are not known to occur
        problem = str(exc).splitlines()[0]
        return source, [diag(rel, 1, 1, "E101", problem_zh=problem, problem_en=problem)]
    except _Refused as exc:
        return source, [diag(rel, exc.line, exc.column, exc.code, limit=exc.limit)]
    if node is None:
        source.data = {}
        return source, []
    converter = _Converter(source, yaml.constructor)
    try:
        source.data = converter.convert(node, (), 0)
    except _Refused as exc:
        source.data = None
        return source, [diag(rel, exc.line, exc.column, exc.code, limit=exc.limit)]
    if source.data is None:  # a file that is only ``null`` or ``~``: not a mapping, never "nothing"
        return source, [diag(rel, 1, 1, "E107", found="null", detail="null_value")]
    return source, converter.problems


def _syntax_error(rel: str, exc: MarkedYAMLError) -> Diagnostic:
    """E101 with the problem explained in Chinese, located where the user can fix it."""
    problem = (exc.problem or exc.context or "cannot parse").splitlines()[0].strip()
    mark = exc.problem_mark or exc.context_mark
    if "end of stream" in problem and exc.context_mark is not None:
        mark = exc.context_mark  # an unclosed quote or bracket: point at where it opened, not at the end
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    zh = next((text for key, text in _PROBLEMS_ZH if key in problem), problem)
    return diag(rel, line, col, "E101", problem_zh=zh, problem_en=problem)


def _reader_error(rel: str, text: str, exc: ReaderError) -> Diagnostic:
    """E101 for a character YAML refuses (NUL and other control characters), located by offset."""
    before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")  # libyaml counts bytes
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    problem = f"unacceptable character #x{exc.character:04x}: {exc.reason}"
    return diag(
        rel,
        line,
        column,
        "E101",
        detail="control_character",
        character=exc.character,
        problem_en=problem,
    )


class _Refused(Exception):
    """A hostile file: too many nodes (E105) or nested too deep (E108)."""

    def __init__(self, code: str, line: int, column: int, limit: int) -> None:
        super().__init__(code)
        self.code, self.line, self.column, self.limit = code, line, column, limit


def _scan(yaml: YAML, text: str) -> None:
    """Check size and nesting on the event stream before composing; raise _Refused when over a limit.

    libyaml's composer recurses in C, so a deep ``[[[[…`` nest crashes the interpreter, and it builds
    every node in memory, so a flat list of a million items takes half a minute. The event stream
    can be abandoned at the first event over a limit, which costs almost nothing.
    """
    depth = count = 0
    for event in yaml.parse(text):
        if isinstance(event, CollectionEndEvent):
            depth -= 1
            continue
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused("E108", event.start_mark.line + 1, event.start_mark.column + 1, MAX_DEPTH)
        if isinstance(event, (ScalarEvent, AliasEvent, CollectionStartEvent)):
            count += 1
            if count > MAX_NODES:
                raise _Refused("E105", event.start_mark.line + 1, event.start_mark.column + 1, MAX_NODES)


class _Converter:
    """Node tree → plain values, recording positions and duplicate keys."""

    def __init__(self, source: Source, constructor: SafeConstructor) -> None:
        self.source = source
        self.problems: list[Diagnostic] = []
        self.count = 0
        self.scalars = constructor

    def convert(self, node: Node, path: PathKey, depth: int) -> Any:
        """Plain value of ``node``; aliases are expanded, so they count towards both limits."""
        self.count += 1
        where = (node.start_mark.line + 1, node.start_mark.column + 1)
        if self.count > MAX_NODES:
            raise _Refused("E105", *self._blame(path, where), MAX_NODES)
        if depth > MAX_DEPTH:  # only an alias that refers to itself gets here
            raise _Refused("E108", *self._blame(path, where), MAX_DEPTH)
        self.source.values.setdefault(path, where)
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth + 1)
        if isinstance(node, SequenceNode):
            return [self.convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode), "a YAML node is a mapping, a sequence or a scalar"
        return self._scalar(node)

    def _blame(self, path: PathKey, fallback: Position) -> Position:
        """The innermost key above ``path``: an expanded alias's node stands where its anchor was defined,
        so the key being filled when a limit is crossed says better where the offending content is."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.source.keys:
                return self.source.keys[path[:end]]
        return fallback

    def _mapping(self, node: MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        """Keys in order; ``<<`` merges fill in only the keys the mapping does not set itself (YAML 1.1)."""
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                value = self.convert(value_node, path, depth)
                for part in value if isinstance(value, list) else [value]:
                    if isinstance(part, dict):
                        for k, v in part.items():
                            merged.setdefault(k, v)
                continue
            is_scalar = isinstance(key_node, ScalarNode)
            key = str(self._scalar(key_node) if is_scalar else self.convert(key_node, path, depth))
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            child = (*path, key)
            if key in result:
                first = self.source.keys[child][0]
                self.problems.append(diag(self.source.rel, *where, "E103", key=key, first_line=first))
                continue
            self.source.keys[child] = where
            result[key] = self.convert(value_node, child, depth)
        for k, v in merged.items():
            result.setdefault(k, v)
        return result

    def _scalar(self, node: ScalarNode) -> Any:
        try:
            return self.scalars.construct_object(node, deep=True)
        except (YAMLError, ValueError):
            return node.value
