"""Writes the generated docs folder: Markdown pages from templates, data files, copies.

A file is only written when its content changes (a new file renamed into place, never the old one
rewritten: a built site may share it by hard link), and files no longer produced are removed,
so ``serve`` and mkdocs see exactly what changed. Links in templates are written relative to
the page, from a ``root`` prefix (``../`` per folder level), so the site works from any path.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from generator.paths import BUILD_MARKER, MARKER_TEXT
from generator.render.site.markup import finalize, md_escape, md_link
from generator.render.site.sources import source_target
from generator.render.views.evaluation import SourceRef
from generator.score.describe import describe_band
from generator.score.rounding import fmt

TEMPLATES = Path(__file__).parent / "templates"
"""Page templates (Jinja, producing Markdown)."""


def _num(value: float, digits: int = 1) -> str:
    return fmt(value, digits)


def _pct(fraction: float | None, digits: int = 1) -> str:
    return "—" if fraction is None else f"{fraction * 100:.{digits}f}%"


def _signed(value: float, digits: int = 1) -> str:
    text = fmt(value, digits)
    return text if text.startswith("-") or float(text) == 0 else "+" + text


def _code(value: Any) -> Markup:
    """An inline code span (Markdown escapes its content itself)."""
    return Markup("`" + str(value).replace("`", "'").replace("\n", " ") + "`")


def _pad(levels: int) -> Markup:
    """Indentation for a nested Markdown list item."""
    return Markup("    " * max(levels, 0))


def _join(values: Any, separator: str = "") -> str | Markup:
    """Join; Markup items (links built here) stay Markup, anything else becomes plain text.

    Replaces Jinja's ``join``, which under autoescape turns plain text into Markup that is only
    HTML-escaped: Markdown in a joined value (``[x](javascript:…)``) would then reach the page.
    """
    items = list(values)
    if items and all(isinstance(v, Markup) for v in items):
        return Markup(separator).join(items)
    return separator.join(str(v) for v in items)


def _dash(value: Any) -> Any:
    return "—" if value is None or value == "" or value == () else value


@pass_context
def _link(context: Context, text: str, target: str) -> Markup:
    """Link to a docs path (relative to the docs root) with escaped text."""
    return md_link(str(text), context["root"] + target)


@pass_context
def _src(context: Context, ref: SourceRef | None) -> Markup:
    """Link to the line a figure or fact comes from: ``scores.yaml:12``."""
    if ref is None:
        return Markup("—")
    name = ref.file.rsplit("/", 1)[-1]
    title = md_escape(f"{ref.file} 第 {ref.line} 行").replace('"', "&quot;")
    return Markup(
        f'[{md_escape(name)}:{ref.line}]({context["root"]}{source_target(ref.file)}#L{ref.line} "{title}")'
    )


@pass_context
def _source_file(context: Context, rel: str) -> Markup:
    """Link to the source page of a whole repository file, named by its file name."""
    return md_link(rel.rsplit("/", 1)[-1], context["root"] + source_target(rel))


def make_environment() -> Environment:
    """The Jinja environment: strict about undefined values, escaping everything it prints.

    Autoescape makes macro output and Markup pass unchanged; every other printed value goes
    through ``finalize``, which escapes it for Markdown as well as HTML.
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        finalize=finalize,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        num=_num,
        pct=_pct,
        signed=_signed,
        dash=_dash,
        link=_link,
        src=_src,
        code=_code,
        join=_join,
        band=describe_band,
    )
    env.globals.update(pad=_pad, source_file=_source_file)
    return env


class DocsWriter:
    """Writes into one docs folder and remembers what it wrote."""

    def __init__(self, docs: Path, *, mark: bool = True) -> None:
        self.docs = docs
        self.env = make_environment()
        self.written: set[Path] = set()
        if mark:  # a later build may empty this folder: a build made it
            self.text(BUILD_MARKER, MARKER_TEXT)

    def page(
        self, target: str, template: str, *, title: str, meta: dict[str, Any] | None = None, **context: Any
    ) -> None:
        """Render ``template`` into ``target`` (a path relative to the docs root).

        The page title goes into front matter HTML-escaped: mkdocs would otherwise take it from
        the first heading *unescaped*, and the theme prints it raw into ``<title>`` and the nav.
        """
        root = "../" * target.count("/")
        front = {"title": html.escape(title, quote=False), **(meta or {})}
        header = (
            "---\n"
            + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in front.items())
            + "---\n\n"
        )
        text = self.env.get_template(template).render(root=root, **context)
        self.text(target, header + text)

    def text(self, target: str, content: str) -> None:
        """Write a text file (UTF-8) if its content changed."""
        self.bytes(target, content.encode("utf-8"))

    def bytes(self, target: str, content: bytes) -> None:
        """Write a file if its content changed."""
        out = self.docs / target
        self.written.add(out)
        if _same(out, content):
            return
        _replace(out, lambda tmp: tmp.write_bytes(content))

    def copy(self, source: Path, target: str) -> None:
        """Copy a file if it differs from what is there."""
        out = self.docs / target
        self.written.add(out)
        if (
            out.is_file()
            and out.stat().st_size == source.stat().st_size
            and out.read_bytes() == source.read_bytes()
        ):
            return
        _replace(out, lambda tmp: shutil.copyfile(source, tmp))

    def prune(self) -> list[Path]:
        """Remove files (and emptied folders) this run did not write; return what was removed."""
        written = {str(p) for p in self.written}
        removed = []
        for top, _dirs, files in os.walk(self.docs, topdown=False):
            for name in files:
                path = os.path.join(top, name)
                if path not in written:
                    os.unlink(path)
                    removed.append(Path(path))
            if top != str(self.docs) and not os.listdir(top):
                os.rmdir(top)
        return removed


def _same(path: Path, content: bytes, chunk: int = 1 << 20) -> bool:
    """True if the file holds exactly ``content`` (read a megabyte at a time: some files are large)."""
    try:
        if path.stat().st_size != len(content):
            return False
        view = memoryview(content)
        with path.open("rb") as fh:
            return all(fh.read(chunk) == view[i : i + chunk] for i in range(0, len(content), chunk))
    except OSError:
        return False


def _replace(out: Path, write: Callable[[Path], object]) -> None:
    """Write a new file beside ``out`` and rename it into place, never rewriting ``out`` itself:
    a build's site and cache may share the old file by hard link."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=out.parent, prefix=".tmp-")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
