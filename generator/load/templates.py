"""Report template files, read once: every file under the template roots, as frozen facts.

``templates/<body>/`` (and the generator's own ``templates/``) hold each body's ``style.yaml``,
Jinja files (``report.md.j2``, partials, blocks), ``report.css`` and ``logo.svg``. They are read
here, under the same guards as before (a link out of its templates/ folder, a pipe or a device is
never read; no file past ``TEMPLATE_BYTES``), so that rendering and the template check open no
file: the Jinja loader, the style and the logo all take their bytes from ``TemplateFiles``.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.load.repository import rel_path, tree_diagnostics
from generator.load.yamlsource import Source, load_yaml
from generator.paths import TooLarge, inside, read_bounded, regular_inside

DEFAULT = "default"
"""The fallback template folder."""
BUILTIN_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
"""The templates shipped with the generator, after the repository's own templates/ (``template_roots``)."""
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
"""What a template folder's name may be (``body.template``)."""
TEMPLATE_BYTES = 1 << 20
"""Largest template file read."""
TEMPLATE_TOTAL_BYTES = 64 << 20
"""Most bytes read under one template root (a real one holds well under 1 MB): a file past it is
refused as too large, as one past ``TEMPLATE_BYTES`` is."""
STYLE = "style.yaml"


@dataclass(frozen=True)
class Entry:
    """One file or folder under a template root, as the load stage found it."""

    folder: bool
    """A folder (a link to one inside the root included)."""
    inside: bool
    """It resolves inside its root (a folder that does not is never searched)."""
    regular: bool
    """A regular file resolving inside its root: the only kind of file read."""
    data: bytes | None
    """Its bytes, when regular and at most ``TEMPLATE_BYTES``."""
    size: int
    """Its size (for the message of a file too large)."""


@dataclass(frozen=True)
class TemplateFiles:
    """The template roots' files: what rendering and the template check may see of them."""

    roots: tuple[Path, ...]
    """The template roots, the repository's first."""
    entries: Mapping[Path, Entry] = field(default_factory=dict)
    """Every entry under the roots, by its path as found (links not resolved)."""
    styles: Mapping[Path, tuple[Source, tuple[Diagnostic, ...]]] = field(default_factory=dict)
    """Each template folder's style.yaml that exists, parsed (E110 for a link out of its root)."""
    problems: tuple[Diagnostic, ...] = ()
    """Links out of the repository and special files in its own templates/ (E110, E111)."""

    def exists(self, path: Path) -> bool:
        return path in self.entries

    def is_folder(self, path: Path) -> bool:
        found = self.entries.get(path)
        return found is not None and found.folder and found.inside

    def regular(self, path: Path) -> bool:
        found = self.entries.get(path)
        return found is not None and found.regular

    def read(self, path: Path) -> bytes:
        """A regular file's bytes; TooLarge past ``TEMPLATE_BYTES``, FileNotFoundError for any other."""
        found = self.entries.get(path)
        if found is None or not found.regular:
            raise FileNotFoundError(path)
        if found.data is None:
            raise TooLarge(found.size)
        return found.data

    def names(self) -> list[str]:
        """Every template folder name under the roots (a link leading out of its root is none)."""
        return sorted({p.name for p in self.entries if p.parent in self.roots and self.is_folder(p)})

    def files_in(self, folder: Path) -> list[Path]:
        """The regular files directly in ``folder``, sorted."""
        return sorted(p for p in self.entries if p.parent == folder and self.regular(p))


def template_roots(repo_root: Path, builtin: Path = BUILTIN_TEMPLATES) -> tuple[Path, ...]:
    """Where templates are looked for: the repository's templates/, then the generator's own."""
    return tuple(dict.fromkeys(p for p in (repo_root / "templates", builtin) if p.is_dir()))


def load_templates(repo_root: Path, roots: Sequence[Path] | None = None) -> TemplateFiles:
    """Read the template roots (``template_roots`` of the repository when None) once."""
    found = template_roots(repo_root) if roots is None else tuple(dict.fromkeys(roots))
    entries: dict[Path, Entry] = {}
    for root in found:
        entries.update(_walk(root))
    styles = {
        path: _style(repo_root, root, path)
        for root in found
        for folder in entries
        if folder.parent == root and entries[folder].folder
        if (path := folder / STYLE) in entries
    }
    own = repo_root / "templates"
    problems = tuple(tree_diagnostics(repo_root, own)) if own in found else ()
    return TemplateFiles(found, entries, styles, problems)


def _style(repo_root: Path, root: Path, path: Path) -> tuple[Source, tuple[Diagnostic, ...]]:
    rel = rel_path(repo_root, path) if path.is_relative_to(repo_root) else path.name
    source, problems = load_yaml(path, rel, root=root)  # E110 out of templates/
    return source, tuple(problems)


def _walk(root: Path) -> Iterator[tuple[Path, Entry]]:
    """Every entry under ``root``, breadth first, following each link to a folder inside it once
    (so that links cannot make the walk endless)."""
    seen: set[str] = set()
    queue, budget = [root], TEMPLATE_TOTAL_BYTES
    while queue:
        folder = queue.pop(0)
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            path = folder / name
            entry = _entry(root, path, min(TEMPLATE_BYTES, budget))
            budget -= len(entry.data or b"")
            yield path, entry
            if not (entry.folder and entry.inside):
                continue
            if path.is_symlink():
                real = os.path.realpath(path)
                if real in seen:
                    continue
                seen.add(real)
            queue.append(path)


def _entry(root: Path, path: Path, limit: int) -> Entry:
    try:
        mode = path.stat().st_mode
    except OSError:  # a broken or looping link
        return Entry(False, False, False, None, 0)
    within = inside(root, path)
    if stat.S_ISDIR(mode):
        return Entry(True, within, False, None, 0)
    if not regular_inside(root, path):
        return Entry(False, within, False, None, 0)
    try:
        return Entry(False, True, True, read_bounded(path, limit), 0)
    except TooLarge as exc:
        return Entry(False, True, True, None, exc.size)
    except OSError:  # gone or changed kind since: treated as a file not there to read
        return Entry(False, True, False, None, 0)
