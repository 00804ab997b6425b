"""What narrative Markdown may put into a page or a report: one policy for the site, reports and ``check``.

A narrative text (``summary.md``, ``findings.md`` …, and Markdown evidence) is parsed to a syntax
tree with markdown-it-py (CommonMark with pipe tables and strikethrough, emphasis made to work
next to Chinese punctuation by mdit-py-cjk-friendly) and rebuilt from the node types of ``tree``
only. What is not allowed never becomes markup in any output:

- raw HTML (blocks and tags) is kept as literal text — W761;
- raw blocks or inline code marked for an output format (``{=html}``, ``{=openxml}``,
  ``{=latex}``, ``{=typst}`` …) and TeX commands are kept as literal text — W762;
- pandoc attributes (``{#id .class style=…}``) and fenced divs (``:::``) are kept as literal
  text — W763: they would otherwise carry CSS, classes or custom styles into a report;
- links other than http, https and mailto lose their target (the text stays) — W764;
- images from outside the evaluation folder (web addresses, ``data:``) are replaced by their
  alternative text — W765;
- links and images to files that are missing, internal, outside the folder or of a type that is
  not published lose their target — W766.

Each of these is a ``Finding`` located in the text; ``check`` reports them as warnings so the
author sees them before publishing, and the renderers (``html`` for the site, ``pandoc`` for the
reports) write only the tree, escaping every piece of text for their output.
"""

from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_cjk_friendly import cjk_friendly

from generator.diagnostics import Worded
from generator.load.repository import FolderFile, LoadedEvaluation
from generator.render.edition import Edition
from generator.render.narrative import tree as t

LINK_SCHEMES = ("http://", "https://", "mailto:")
"""The only web addresses a link may have."""
STYLES: Mapping[str, t.Style] = {"em": "em", "strong": "strong", "s": "del"}
"""The styled inline each emphasis token becomes."""
IMAGE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif"})
"""Image files a narrative may show (SVG could carry scripts and outside references)."""
IMAGE_LIMIT = 5 * 1024 * 1024
"""Largest image file shown, in bytes (reports embed it)."""
PUBLISHED_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".csv", ".xlsx", ".xls", ".docx", ".doc", ".pptx"}
    | {".txt", ".json", ".md"}
)
"""Files of an evaluation folder the site publishes (Markdown rendered through this policy, the rest
copied as they are). HTML, SVG or script files never are: served from the site's own origin they
could run code in a reader's browser."""

_ABSOLUTE = re.compile(r"^[^/?#]*:|^[/\\]{2}")
"""A scheme (anything before a colon that comes before the first / ? #), or a host (//, \\\\)."""
_ATTRIBUTES = re.compile(r"\{\s*(?:[#.][^{}\n]*|[A-Za-z_][\w:.-]*\s*=[^{}\n]*)\}|^\s*:{3,}", re.M)
"""A pandoc attribute block ({#id}, {.class}, {key=value}) or a fenced div line (:::)."""
_RAW_FORMAT = re.compile(r"\{\s*=\s*([A-Za-z0-9_+-]+)\s*\}")
"""A pandoc raw attribute: ``{=html}``."""
_TEX = re.compile(r"\\(?:begin|end)\{[^}\n]*\}|\\[A-Za-z]+(?=[{\[])")
"""A TeX environment or command with an argument."""
_WHITESPACE = re.compile(r"\s+")
_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2018-\u201d]")


@dataclass(frozen=True)
class Finding:
    """Something of the text that is shown as plain text or left out, and where it is."""

    offset: int
    """Character offset in the parsed text."""
    code: str
    """Diagnostic code (W761–W766)."""
    args: tuple[tuple[str, str], ...] = ()
    """Message arguments."""


@dataclass(frozen=True)
class Narrative:
    """A sanitised narrative: the blocks to render and what the policy changed."""

    blocks: tuple[t.Block, ...]
    findings: tuple[Finding, ...] = field(default=())


@dataclass(frozen=True)
class FolderFiles:
    """The files of one evaluation folder a narrative may link to or show: public and published kinds.

    Decided from the folder's files as loaded (``LoadedEvaluation.files``); nothing is looked up on disk.
    """

    folder: Path
    """The evaluation folder (resolved)."""
    public: frozenset[str]
    """The files its edition may show, relative (``Edition.files``)."""
    listed: Mapping[str, FolderFile] = field(default_factory=dict)
    """Every file of the folder as loaded, by relative path (``load.repository.list_files``)."""

    @classmethod
    def of(cls, loaded: LoadedEvaluation, edition: Edition = Edition.PUBLIC) -> FolderFiles:
        """The files of an evaluation an output of ``edition`` may use (``Edition.files``)."""
        return cls(loaded.folder.resolve(), frozenset(edition.files(loaded)), loaded.files)

    def locate(self, target: str) -> tuple[str | None, FolderFile | None]:
        """The path a relative link target names inside the folder (None when outside), and the file."""
        name = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if not name or "\0" in name:
            return None, None
        rel = posixpath.normpath(name)
        if rel == ".." or rel.startswith(("../", "/")):
            return None, None
        found = self.listed.get(rel)
        if found is not None and found.real is None:  # a link out of the folder
            return None, None
        return rel, found

    def resolve(self, target: str) -> str | None:
        """The file a relative link target names, relative to the folder, if it may be published."""
        _rel, found = self.locate(target)
        if found is None or found.real is None:
            return None
        ok = found.real in self.public and PurePosixPath(found.real).suffix.lower() in PUBLISHED_SUFFIXES
        return found.real if ok else None

    def path(self, rel: str) -> Path:
        """The file of a resolved target."""
        return self.folder / rel

    def size(self, rel: str) -> int:
        """The size of a resolved target, as loaded."""
        return self.listed[rel].size


class _Parser(MarkdownIt):
    """CommonMark whose every link target reaches the policy as written."""

    def validateLink(self, url: str) -> bool:
        """Every target reaches the policy, which decides and reports."""
        return True

    def normalizeLink(self, url: str) -> str:
        """Targets kept as written; each renderer encodes its own output."""
        return url


def _parser() -> MarkdownIt:
    md = _Parser("commonmark", {"linkify": False, "typographer": False}).enable(["table", "strikethrough"])
    md.use(cjk_friendly)
    for rule in md.inline.ruler.__rules__:
        rule.fn = _positioned(rule.fn)
    md.inline.ruler.__cache__ = None
    return md


def _line_starts(text: str) -> list[int]:
    """Offset of each line's first character in ``text``."""
    return [0, *(m.end() for m in re.finditer("\n", text))]


def _positioned(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """An inline rule that records on each token it makes where in the inline source it starts."""

    def run(state: StateInline, silent: bool) -> bool:
        start, before = state.pos, len(state.tokens)
        ok = rule(state, silent)
        if ok and not silent:
            for token in state.tokens[before:]:
                if token.type != "text":
                    token.meta.setdefault("pos", start)
        return ok

    return run


_MD = _parser()


def sanitise(text: str, files: FolderFiles | None = None) -> Narrative:
    """Parse ``text`` and rebuild it from allowed nodes; ``files`` decides relative links (None: none)."""
    builder = _Builder(text, files)
    root = SyntaxTreeNode(_MD.parse(text))
    blocks = builder.blocks(root.children)
    return Narrative(blocks, tuple(builder.findings))


class _Builder:
    """Turns markdown-it's syntax tree into ``tree`` nodes, noting each finding."""

    def __init__(self, text: str, files: FolderFiles | None) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self.files = files
        self.findings: list[Finding] = []
        self._seen: set[tuple[str, int]] = set()
        self.inline_token: Token | None = None
        self._rows: tuple[Token, list[int], dict[int, int]] | None = None

    # --- locating ---------------------------------------------------------------------------

    def note(self, offset: int, code: str, **args: Any) -> None:
        """Record a finding; raw HTML and attributes once per line (a tag and its end tag are one fix)."""
        key = (code, bisect.bisect_right(self.starts, offset) - 1 if code in ("W761", "W763") else offset)
        if key not in self._seen:
            self._seen.add(key)
            self.findings.append(Finding(offset, code, tuple(sorted((k, str(v)) for k, v in args.items()))))

    def block_offset(self, node: SyntaxTreeNode) -> int:
        """Where a block starts: its first line, after indentation."""
        first = node.map[0] if node.map else 0
        line = self.lines[first] if first < len(self.lines) else ""
        return self.starts[min(first, len(self.starts) - 1)] + len(line) - len(line.lstrip())

    def inline_offset(self, pos: int) -> int:
        """Where offset ``pos`` of the current inline source is in the text.

        The inline source's line starts and where each of its lines sits in the text are worked out
        once per inline token, so a paragraph with thousands of findings costs a lookup for each.
        """
        token = self.inline_token
        if token is None or token.map is None:
            return 0
        if self._rows is None or self._rows[0] is not token:
            self._rows = (token, _line_starts(token.content), {})
        _, rows, found = self._rows
        row = bisect.bisect_right(rows, pos) - 1
        column = pos - rows[row]
        index = token.map[0] + row
        if index >= len(self.lines):
            return self.starts[-1]
        if row not in found:
            end = rows[row + 1] - 1 if row + 1 < len(rows) else len(token.content)
            piece = token.content[rows[row] : end]
            found[row] = max(self.lines[index].find(piece), 0) if piece else 0
        return self.starts[index] + found[row] + column

    def search(self, needle: str, pos: int) -> int:
        """``inline_offset`` of the first ``needle`` at or after ``pos`` of the inline source."""
        content = self.inline_token.content if self.inline_token else ""
        found = content.find(needle, pos)
        return self.inline_offset(found if found >= 0 else pos)

    # --- blocks -----------------------------------------------------------------------------

    def blocks(self, nodes: Iterable[SyntaxTreeNode]) -> tuple[t.Block, ...]:
        out: list[t.Block] = []
        for node in nodes:
            out.extend(self.block(node))
        return tuple(out)

    def block(self, node: SyntaxTreeNode) -> list[t.Block]:
        kind = node.type
        if kind == "paragraph":
            return [t.Paragraph(self.inline(node.children[0]))] if node.children else []
        if kind == "heading":
            level = int(node.tag[1]) if node.tag[1:].isdigit() else 1
            return [t.Heading(level, self.inline(node.children[0]) if node.children else ())]
        if kind in ("fence", "code_block"):
            self.code_info(node)
            return [t.CodeBlock(node.content)]
        if kind == "html_block":
            self.note(self.block_offset(node), "W761", snippet=snippet(node.content))
            return [t.Paragraph(_lines(node.content))]
        if kind == "blockquote":
            return [t.Quote(self.blocks(node.children))]
        if kind in ("bullet_list", "ordered_list"):
            return [self.list_block(node)]
        if kind == "table":
            return [self.table(node)]
        if kind == "hr":
            return [t.Rule()]
        # A node type this policy does not know: its text, never its markup.
        return [t.Paragraph((t.Text(node.content),))] if node.content else list(self.blocks(node.children))

    def code_info(self, node: SyntaxTreeNode) -> None:
        info = node.info.strip()
        raw = _RAW_FORMAT.fullmatch(info)
        if raw:
            self.note(self.block_offset(node), "W762", format=raw.group(1), snippet=snippet(info))
        elif info.startswith("{"):
            self.note(self.block_offset(node), "W763", snippet=snippet(info))

    def list_block(self, node: SyntaxTreeNode) -> t.ListBlock:
        items = []
        tight = True
        for item in node.children:
            for child in item.children:
                if child.type == "paragraph" and not child.hidden:
                    tight = False
            items.append(self.blocks(item.children))
        start = node.attrs.get("start", 1) if node.type == "ordered_list" else 1
        return t.ListBlock(node.type == "ordered_list", int(start), tight, tuple(items))

    def table(self, node: SyntaxTreeNode) -> t.Table:
        aligns: list[Any] = []
        head: list[tuple[t.Inline, ...]] = []
        rows: list[tuple[tuple[t.Inline, ...], ...]] = []
        for section in node.children:
            for tr in section.children:
                cells = tuple(self.inline(td.children[0]) if td.children else () for td in tr.children)
                if section.type == "thead":
                    head = list(cells)
                    aligns = [_align(td) for td in tr.children]
                else:
                    rows.append(cells)
        width = len(head)
        rows = [tuple(r[:width]) + ((),) * (width - len(r)) for r in rows]
        return t.Table(tuple(aligns), tuple(head), tuple(rows))

    # --- inlines ----------------------------------------------------------------------------

    def inline(self, node: SyntaxTreeNode) -> tuple[t.Inline, ...]:
        """The children of an ``inline`` node (a paragraph's, a heading's or a cell's text)."""
        self.inline_token = node.token
        return self.inlines(node.children)

    def inlines(self, nodes: Iterable[SyntaxTreeNode]) -> tuple[t.Inline, ...]:
        out: list[t.Inline] = []
        last = 0
        for node in nodes:
            pos = _pos(node)
            last = pos if pos is not None else last
            out.extend(self.one(node, last))
        return tuple(_merge(out))

    def one(self, node: SyntaxTreeNode, pos: int) -> list[t.Inline]:
        kind = node.type
        if kind == "text":
            self.check_text(node.content, pos)
            return [t.Text(node.content)]
        if kind == "softbreak":
            return [t.SoftBreak()]
        if kind == "hardbreak":
            return [t.LineBreak()]
        if kind == "code_inline":
            return [t.CodeSpan(node.content)]
        if kind in ("em", "strong", "s"):
            return [t.Styled(STYLES[kind], self.inlines(node.children))]
        if kind == "html_inline":
            self.note(self.inline_offset(pos), "W761", snippet=snippet(node.content))
            return [t.Text(node.content)]
        if kind == "link":
            children = self.inlines(node.children)
            target = self.target(str(node.attrs.get("href", "")), pos, image=False)
            return [t.Link(target, children)] if target else list(children)
        if kind == "image":
            alt = _plain(node.children) or str(node.attrs.get("alt", ""))
            target = self.target(str(node.attrs.get("src", "")), pos, image=True)
            return [t.Image(target, alt)] if target else ([t.Text(alt)] if alt else [])
        return [t.Text(node.content)] if node.content else list(self.inlines(node.children))

    def check_text(self, text: str, pos: int) -> None:
        for match in _RAW_FORMAT.finditer(text):
            self.note(self.search(match.group(0), pos), "W762", format=match.group(1), snippet=match.group(0))
        for match in _TEX.finditer(text):
            self.note(self.search(match.group(0), pos), "W762", format="tex", snippet=match.group(0))
        for match in _ATTRIBUTES.finditer(text):
            if not _RAW_FORMAT.fullmatch(match.group(0)):
                self.note(self.search(match.group(0).strip(), pos), "W763", snippet=snippet(match.group(0)))

    def target(self, href: str, pos: int, *, image: bool) -> t.Target | None:
        """The target a link or image may keep, or None (noted) when the policy drops it."""
        href = href.strip()
        where = self.inline_offset(pos)
        if href.startswith("#") and not image:
            return t.Target("anchor", href[1:])
        if _ABSOLUTE.match(href) or not href:
            if image:
                self.note(where, "W765", target=snippet(href))
                return None
            if href.lower().startswith(LINK_SCHEMES) and not _WHITESPACE.search(href):
                return t.Target("url", href)
            self.note(where, "W764", target=snippet(href))
            return None
        rel = self.files.resolve(href) if self.files else None
        problem = _why_not(self.files, href) if rel is None else None
        if rel is not None and image and self.files is not None:
            problem = _image_problem(rel, self.files.size(rel))
        if problem:
            self.note(where, "W766", target=snippet(href), reason=problem.zh, reason_en=problem.en)
            return None
        return t.Target("file", rel) if rel else None


def _pos(node: SyntaxTreeNode) -> int | None:
    token = node.nester_tokens.opening if node.nester_tokens else node.token
    return token.meta.get("pos") if token is not None and token.meta else None


def _align(cell: SyntaxTreeNode) -> str | None:
    style = str(cell.attrs.get("style", ""))
    found = re.search(r"text-align:\s*(left|center|right)", style)
    return found.group(1) if found else None


def _plain(nodes: Iterable[SyntaxTreeNode]) -> str:
    parts = []
    for node in nodes:
        parts.append(node.content if node.type in ("text", "code_inline") else _plain(node.children))
    return "".join(parts)


def _lines(text: str) -> tuple[t.Inline, ...]:
    out: list[t.Inline] = []
    for i, line in enumerate(text.rstrip("\n").split("\n")):
        if i:
            out.append(t.LineBreak())
        out.append(t.Text(line))
    return tuple(out)


def _merge(inlines: list[t.Inline]) -> list[t.Inline]:
    """Adjacent text nodes joined (markdown-it splits text at every special character)."""
    out: list[t.Inline] = []
    for node in inlines:
        if isinstance(node, t.Text) and out and isinstance(out[-1], t.Text):
            out[-1] = t.Text(out[-1].text + node.text)
        elif not (isinstance(node, t.Text) and not node.text):
            out.append(node)
    return out


def _why_not(files: FolderFiles | None, href: str) -> Worded:
    """Why a relative target is not published (a ``not_published_…`` variant of ``messages.DETAILS``)."""
    if files is None:
        return Worded("not_published_evidence_link")
    rel, found = files.locate(href)
    if rel is None:
        return Worded("not_published_outside")
    if found is None or found.real is None:
        return Worded("not_published_missing")
    if found.real not in files.public:
        return Worded("not_published_internal")
    suffix = PurePosixPath(found.real).suffix
    return Worded("not_published_type", suffix=suffix) if suffix else Worded("not_published_no_suffix")


def _image_problem(rel: str, size: int) -> Worded | None:
    """Why an image file of the folder (``rel``, of ``size`` bytes) is not shown, or None."""
    if PurePosixPath(rel).suffix.lower() not in IMAGE_TYPES:
        return Worded("not_shown_image_type")
    if size > IMAGE_LIMIT:
        return Worded("not_shown_image_size", mb=IMAGE_LIMIT // (1024 * 1024))
    return None


def snippet(text: str, limit: int = 40) -> str:
    """A short one-line quote of the source for a message."""
    one = _WHITESPACE.sub(" ", text).strip()
    return one if len(one) <= limit else one[: limit - 1] + "…"


class Levels:
    """Heading levels for a text placed under a heading of level ``top - 1``.

    The text's highest heading becomes ``top``; a heading never goes more than one level below
    the one before it (a text that jumps from # to ### gets 3, 4 …), and none below 6.
    """

    def __init__(self, blocks: Iterable[t.Block], top: int) -> None:
        found = [b.level for b in _headings(blocks)]
        self.shift = top - min(found, default=1)
        self.last = top - 1

    def next(self, heading: t.Heading) -> int:
        """The level of the next heading in document order."""
        self.last = max(1, min(heading.level + self.shift, self.last + 1, 6))
        return self.last


def _headings(blocks: Iterable[t.Block]) -> Iterable[t.Heading]:
    for block in blocks:
        if isinstance(block, t.Heading):
            yield block
        elif isinstance(block, t.Quote):
            yield from _headings(block.children)
        elif isinstance(block, t.ListBlock):
            for item in block.items:
                yield from _headings(item)


def is_cjk(char: str) -> bool:
    """True for a Chinese (CJK) character or full-width punctuation."""
    return bool(char) and bool(_CJK.match(char))


def joins(before: t.Inline | None, after: t.Inline | None) -> bool:
    """True when a soft line break between these two is no space (both sides Chinese)."""
    left = before.text[-1:] if isinstance(before, t.Text) else ""
    right = after.text[:1] if isinstance(after, t.Text) else ""
    return is_cjk(left) and is_cjk(right)
