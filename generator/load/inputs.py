"""The repository's input files as the cache and the report fingerprints see them: listed and hashed.

Every cache key and every report fingerprint hashes files through here, so hashing is a read of
the load stage like any other.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from generator.paths import regular_inside


def list_inputs(root: Path, folder: str) -> list[str]:
    """Entries under ``root/folder`` relative to ``root``, sorted, skipping what ``input_files`` skips.

    Hidden names and ``__pycache__`` are skipped at any depth, and a folder that does not exist has
    no files. Every other entry is listed, links and special files too (so that adding one changes
    the hash), but a symbolic link is never followed into a folder (``folder`` itself included).
    """
    base = root / folder
    if base.is_symlink() or base.is_file():
        return [base.relative_to(root).as_posix()]
    found = []
    start = base.relative_to(root).parts
    if any(_skipped(p) for p in start):
        return []
    for top, dirs, files in os.walk(base):
        linked = [d for d in dirs if os.path.islink(os.path.join(top, d))]
        dirs[:] = [d for d in dirs if not _skipped(d) and d not in linked]
        prefix = Path(top).relative_to(root).as_posix()
        prefix = "" if prefix == "." else prefix + "/"
        found += [prefix + f for f in (*files, *linked) if not _skipped(f)]
    return sorted(found)


def _skipped(name: str) -> bool:
    return name.startswith(".") or name == "__pycache__"


def input_files(root: Path, folders: Iterable[str]) -> list[str]:
    """Every entry under the folders, relative to root, sorted; hidden files are skipped."""
    return sorted({f for rel in folders for f in list_inputs(root, rel)})


def hash_files(root: Path, files: Iterable[str], file_digest: Callable[[Path], str]) -> str:
    """SHA-256 over (path, content hash) of the files (relative to root), in the order given.

    Only regular files inside ``root`` are read; a link out of it or a special file is hashed by
    what it is (the link's target as written, the file's type), never by what it leads to.
    """
    outer = hashlib.sha256()
    for rel in files:
        path = root / rel
        content = file_digest(path) if _readable(root, path) else _not_read(path)
        outer.update(f"{rel}\0{content}\n".encode())
    return outer.hexdigest()


def _readable(root: Path, path: Path) -> bool:
    """A regular file, or a link to one inside ``root`` (``list_inputs`` walks no linked folder)."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode) or (stat.S_ISLNK(mode) and regular_inside(root, path))


def _not_read(path: Path) -> str:
    try:
        if path.is_symlink():
            return "link:" + os.readlink(path)
        return f"special:{path.lstat().st_mode:o}"
    except OSError:
        return "missing"


def hash_inputs(root: Path, folders: Iterable[str]) -> str:
    """SHA-256 over (path, content hash) of every input file, in sorted order."""
    return hash_files(root, input_files(root, folders), file_sha256)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's content."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
