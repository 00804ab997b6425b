"""Where the tool may read, write and delete: one guard for every path that comes from outside.

- **Reading.** Every input file must resolve (symbolic links followed) to a regular file inside the
  repository; ``inside`` and ``regular_inside`` decide it, ``read_bounded`` never reads more than a
  limit whatever the file claims, and ``tree_problems`` finds the links and special files of a
  folder that break the rule, so the checker reports them.
- **Deleting.** The build replaces only folders an earlier build made: ``BUILD_MARKER`` is written
  into each one first, and ``check_replaceable`` refuses any other folder before the disk is touched.
- **Writing.** ``check_output`` refuses output files inside the repository's input folders, so an
  export can never overwrite an evaluation or a system.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Worded

INPUT_FOLDERS = ("evaluations", "indicators", "templates")
"""Folders of a repository that hold its content: read by the tool, never written by a build."""
REPOSITORY_MARKERS = ("indicators", "evaluations")
"""A folder holding either of these is a repository root."""
BUILD_MARKER = ".zwpj-build"
"""File written first into every folder a build makes (site, docs, staging): only such a folder
is ever replaced or emptied by a later build."""
MARKER_TEXT = (
    "由 zwpj build 生成；下次生成时整个文件夹会被替换（made by zwpj build; replaced by the next build）\n"
)


class PathRefused(Worded, ValueError):
    """A path the tool will not use, with the reason (a ``path_…`` variant of ``messages.DETAILS``)."""

    def __init__(self, variant: str, **fields: object) -> None:
        super().__init__(variant, **fields)
        self.args = (f"{self.zh}（{self.en}）",)


def file_mask() -> int:
    """The process's file creation mask (Python can read it only by setting it: restored at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def is_repository(folder: Path) -> bool:
    """True for a folder that holds ``indicators/`` or ``evaluations/``."""
    return any((folder / name).is_dir() for name in REPOSITORY_MARKERS)


def find_repository(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that is a repository root, or None."""
    start = start.resolve()
    return next((folder for folder in (start, *start.parents) if is_repository(folder)), None)


def inside(root: Path, path: Path) -> bool:
    """True when ``path`` (symbolic links followed) is ``root`` or lies below it."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def regular_inside(root: Path, path: Path) -> bool:
    """True for a regular file (not a pipe, device or socket) that resolves inside ``root``."""
    if not inside(root, path):
        return False
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


class TooLarge(Exception):
    """A file holds more bytes than the reader allows."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def read_bounded(path: Path, limit: int) -> bytes:
    """The file's bytes; TooLarge past ``limit`` (counted while reading, not trusted from stat).

    Opened without blocking and refused unless regular, so a named pipe cannot hang the reader.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(0, "not a regular file", str(path))
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(max(len(data), path.stat().st_size))
    return data


@dataclass(frozen=True)
class TreeProblem:
    """A file or folder inside a repository folder that the tool refuses to read."""

    path: Path
    """The entry, as found (not resolved)."""
    outside: bool
    """True for a symbolic link that leads out of the repository; False for a special file
    (pipe, device, socket) or a broken or looping link."""


def tree_problems(root: Path, folder: Path) -> Iterator[TreeProblem]:
    """Links out of ``root`` and special files in ``folder`` (itself included), without following
    any link to a folder. Hidden names are skipped, as the loaders skip them."""
    if folder.is_symlink() or not folder.exists():
        if folder.is_symlink():
            yield from _entry_problem(root, folder)
        return
    for top, dirs, files in os.walk(folder):
        dirs.sort()
        for name in [*sorted(files), *dirs]:
            if name.startswith("."):
                continue
            yield from _entry_problem(root, Path(top) / name)
        dirs[:] = [d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(top, d))]


def _entry_problem(root: Path, path: Path) -> Iterator[TreeProblem]:
    if path.is_symlink():
        if not inside(root, path):
            yield TreeProblem(path, True)
            return
    try:
        mode = path.stat().st_mode
    except OSError:  # a broken or looping link
        yield TreeProblem(path, False)
        return
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        yield TreeProblem(path, False)


def made_by_build(folder: Path) -> bool:
    """True when ``folder`` is a real folder (not a link) holding the build's marker."""
    return folder.is_dir() and not folder.is_symlink() and (folder / BUILD_MARKER).is_file()


def mark_built(folder: Path) -> None:
    """Write the marker into a folder the build has just made (or found empty)."""
    (folder / BUILD_MARKER).write_text(MARKER_TEXT, encoding="utf-8")


LEGACY_BUILT = ("data/all-scores.csv", "feed.json")
"""Files every build wrote before the marker existed: a default output folder holding all of them
(and nothing that a build never writes at its top) is taken as made by such a build."""


def check_replaceable(root: Path, folder: Path, *, what: str, default: bool = False) -> None:
    """Refuse (PathRefused) an output folder a build may not replace or empty.

    Allowed: a folder that does not exist yet (outside the input folders), an empty folder, or one
    an earlier build made (it holds the marker; for the ``default`` folders, also one an older
    build left, see ``LEGACY_BUILT``). Never the repository itself, a folder above it, a folder
    inside its input folders, or a symbolic link.
    """
    resolved = folder.resolve()
    top = root.resolve()
    if top.is_relative_to(resolved):
        raise PathRefused("path_is_repository", what=what, path=folder)
    for name in INPUT_FOLDERS:
        if resolved.is_relative_to(top / name):
            raise PathRefused("path_inside_input", what=what, path=folder, folder=name)
    if folder.is_symlink():
        raise PathRefused("path_is_symlink", what=what, path=folder)
    if not folder.exists() or made_by_build(folder):
        return
    if default and folder.is_dir() and all((folder / name).is_file() for name in LEGACY_BUILT):
        return
    if not folder.is_dir():
        raise PathRefused("path_not_a_folder", what=what, path=folder)
    if any(folder.iterdir()):
        raise PathRefused("path_not_made_by_build", what=what, path=folder, marker=BUILD_MARKER)


def check_output(root: Path, path: Path, *, what: str) -> None:
    """Refuse (PathRefused) an output file that would land in the repository's input folders."""
    resolved = path.resolve()
    top = root.resolve()
    for name in (*INPUT_FOLDERS, ".git"):
        if resolved.is_relative_to(top / name):
            raise PathRefused("path_output_inside_input", what=what, path=path, folder=name)
    if resolved.is_dir():
        raise PathRefused("path_output_is_folder", what=what, path=path)
