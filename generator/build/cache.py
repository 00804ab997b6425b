"""The build cache: values keyed by content hashes, kept in an ignored folder (``.cache/zwpj``).

Every key is a SHA-256 over what the value was computed from (file contents, the generator's own
code, tool versions), never over times or paths alone, so a hit is always safe to reuse and a cold
build and a warm one produce the same output. Values are pickled; entries are written to a
temporary name and renamed, so a killed build leaves no half-written entry. File contents are
hashed once and remembered by (size, mtime, inode), as git's index does.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.load.inputs import file_sha256, hash_files, list_inputs

SCHEME = "zwpj-cache-1"
"""Part of every key; a new layout of cached values gets a new scheme."""
CACHE_DIR = Path(".cache") / "zwpj"
"""Where the cache lives, relative to the repository root (ignored by git)."""
RACY_SECONDS = 2.0
"""A file modified this recently is hashed again next time: its mtime may not show a second edit."""
KEEP_DAYS = 14
"""Entries unused for this long are removed by ``prune``."""
FILE_KINDS = {"html": "rendered", "report-files": "report"}
"""Kinds kept as plain files (hard-linked into the site, never touched), by the kind describing them."""
PACKAGE = Path(__file__).resolve().parents[1]
REPORT_PACKAGES = (
    "weasyprint",
    "pydyf",
    "fonttools",
    "matplotlib",
    "markdown-it-py",
    "mdit-py-cjk-friendly",
    "pyhanko",
)
"""Installed packages whose version changes a report's bytes (recorded in each report as ZwpjTools)."""
OUTPUT_PACKAGES = (
    "mkdocs",
    "mkdocs-material",
    "markdown",
    "pymdown-extensions",
    "pydantic",
    *REPORT_PACKAGES,
)
"""Installed packages whose version changes what the generator writes."""


def digest(*parts: str | bytes) -> str:
    """SHA-256 over the parts, each length-prefixed so that ("ab", "c") and ("a", "bc") differ."""
    outer = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        outer.update(len(data).to_bytes(8, "little"))
        outer.update(data)
    return outer.hexdigest()


def tree_files(folder: Path) -> list[Path]:
    """Regular files under ``folder`` (or the file itself), sorted, as ``input_files`` picks them."""
    if folder.is_file():
        return [folder]
    return [folder / rel for rel in list_inputs(folder, ".")]


_CODE: dict[str, str] = {}


def package_versions(names: tuple[str, ...]) -> str:
    """``name version; …`` of installed packages (``-`` for one that is not installed)."""
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return "; ".join(found)


def code_digest() -> str:
    """Hash of the generator's own files and of the versions of the packages that shape its output.

    The package version alone does not change while the code is being worked on; hashing the
    files does, so a cache never outlives the code that filled it.
    """
    if "code" not in _CODE:
        parts = [SCHEME]
        for path in tree_files(PACKAGE):
            parts += [path.relative_to(PACKAGE).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest()]
        for name in OUTPUT_PACKAGES:
            try:
                parts += [name, metadata.version(name)]
            except metadata.PackageNotFoundError:
                parts += [name, "-"]
        _CODE["code"] = digest(*parts)
    return _CODE["code"]


class Cache:
    """A folder of pickled values by kind and key, and the remembered hashes of input files.

    ``Cache(None)`` caches nothing (every ``get`` misses) but still hashes files, so callers need
    no second code path.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memo: dict[str, tuple[int, int, int, str]] = {}
        self._new: dict[str, tuple[int, int, int, str]] = {}
        self._listings: dict[tuple[str, str], list[str]] = {}
        self._inputs: dict[tuple[str, ...], str] = {}
        self._input_digests: dict[str, str] = {}
        if folder is not None:
            self._memo = _load_pickle(folder / "files.pickle") or {}

    @classmethod
    def for_repository(cls, root: Path, *, enabled: bool = True) -> Cache:
        """The cache of the repository at ``root`` (``root/.cache/zwpj``), or a disabled one.

        Entries are pickles and compiled templates, which run code when loaded: a cache that came
        with the checkout (a file under it tracked by git, say added by a pull request) or that is
        a link elsewhere is never read, and the run works without one.
        """
        folder = root / CACHE_DIR
        trusted = enabled and not any(p.is_symlink() for p in (root / CACHE_DIR.parts[0], folder))
        return cls(folder if trusted and not _tracked(root, CACHE_DIR) else None)

    def path(self, kind: str, key: str) -> Path | None:
        """Where the entry lives (None when caching is off)."""
        return None if self.folder is None else self.folder / kind / key[:2] / key

    def get(self, kind: str, key: str, shared: Mapping[str, Any] | None = None) -> Any | None:
        """The cached value, or None; ``shared`` as given to ``put`` (a name it lacks is a miss)."""
        path = self.path(kind, key)
        if path is None:
            return None
        value = _load_pickle(path, shared or {})
        if value is None:
            return None
        _touch(path)
        return value

    def put(self, kind: str, key: str, value: Any, shared: Mapping[str, Any] | None = None) -> None:
        """Store a value (atomically: a reader sees the old entry, the new one or none).

        Objects in ``shared`` (by identity) are stored as their names, and ``get`` puts back the
        objects it is given under those names: many values that point at one large object (views
        at their system) neither store nor load a copy of it each.
        """
        path = self.path(kind, key)
        if path is None:
            return
        buffer = io.BytesIO()
        _SharingPickler(buffer, shared or {}).dump(value)
        try:
            self._mark_ignored()
            write_atomic(path, buffer.getvalue())
        except OSError:
            pass  # a cache that cannot be written (read-only checkout, full disk) only misses later

    def keep_file(self, kind: str, key: str, source: Path) -> tuple[int, int] | None:
        """Hard-link (else copy) ``source`` into the cache, atomically; the kept file's (size, mtime
        in ns), or None when caching is off or the cache cannot be written."""
        target = self.path(kind, key)
        if target is None:
            return None
        tmp = target.with_name(f".tmp-{os.getpid()}-{target.name}")
        try:
            self._mark_ignored()
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp.unlink(missing_ok=True)
            try:
                os.link(source, tmp)
            except OSError:  # another file system (a site in /tmp, say): a copy
                shutil.copyfile(source, tmp)
            os.replace(tmp, target)
            st = target.stat()
        except OSError:
            tmp.unlink(missing_ok=True)
            return None
        return (st.st_size, st.st_mtime_ns)

    def _mark_ignored(self) -> None:
        """A ``.gitignore`` of ``*`` in the cache folder, so no repository ever commits it."""
        assert self.folder is not None
        marker = self.folder / ".gitignore"
        if not marker.is_file():
            self.folder.mkdir(parents=True, exist_ok=True)
            marker.write_text("# made by zwpj: the build cache, safe to delete\n*\n", encoding="utf-8")

    def file_digest(self, path: Path) -> str:
        """SHA-256 of a file's content, reusing the remembered hash while size, mtime and inode match."""
        st = path.stat()
        stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
        known = self._memo.get(str(path))
        if known is not None and known[:3] == stamp:
            return known[3]
        sha = file_sha256(path)
        if time.time() - st.st_mtime > RACY_SECONDS:
            self._memo[str(path)] = (*stamp, sha)
            self._new[str(path)] = (*stamp, sha)
        return sha

    def take_new_hashes(self) -> dict[str, tuple[int, int, int, str]]:
        """File hashes learnt since the last call (a worker hands them to the parent, which saves them)."""
        new, self._new = self._new, {}
        return new

    def learn_hashes(self, hashes: dict[str, tuple[int, int, int, str]]) -> None:
        """Remember file hashes a worker computed."""
        self._memo.update(hashes)
        self._new.update(hashes)

    def inputs_hash(self, root: Path, folders: Iterable[str]) -> str:
        """``load.inputs.hash_inputs`` (same files, same value), from remembered file hashes.

        Worked out once per run for the same folders, and each file hashed (or its remembered hash
        checked) once per run, like the folders' listings.
        """
        key = (str(root), *sorted(set(folders)))
        found = self._inputs.get(key)
        if found is None:
            files = sorted({f for folder in key[1:] for f in self._listing(root, folder)})
            found = self._inputs[key] = hash_files(root, files, self._run_digest)
        return found

    def _run_digest(self, path: Path) -> str:
        key = str(path)
        sha = self._input_digests.get(key)
        if sha is None:
            sha = self._input_digests[key] = self.file_digest(path)
        return sha

    def _listing(self, root: Path, folder: str) -> list[str]:
        """``load.inputs.input_files(root, [folder])``, listed once per run (os.walk, not rglob)."""
        key = (str(root), folder)
        if key not in self._listings:
            self._listings[key] = list_inputs(root, folder)
        return self._listings[key]

    def save(self) -> None:
        """Persist the remembered file hashes (entries for files that no longer exist are dropped)."""
        if self.folder is None or not self._new:
            return
        memo = {p: v for p, v in self._memo.items() if os.path.exists(p)}
        try:
            self._mark_ignored()
            write_atomic(self.folder / "files.pickle", pickle.dumps(memo, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            return  # not writable: the hashes are worked out again next time
        self._new = {}

    def prune(self, *, keep_days: float = KEEP_DAYS) -> int:
        """Remove entries unused for ``keep_days`` (at most once a day); returns how many."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        stamp = self.folder / "pruned"
        now = time.time()
        if stamp.is_file() and now - stamp.stat().st_mtime < 86400:
            return 0
        entries = [p for p in self.folder.glob("*/*/*") if p.is_file()]
        stale = [
            p
            for p in entries
            if p.parent.parent.name not in FILE_KINDS and p.stat().st_mtime < now - keep_days * 86400
        ]
        for path in stale:
            path.unlink(missing_ok=True)
        for path in entries:  # files are kept as long as the entry that describes them
            if path.parent.parent.name in FILE_KINDS:
                key = re.sub(
                    r"[^0-9a-f].*", "", path.name, flags=re.DOTALL
                )  # the entry's key, before any suffix
                owner = self.path(FILE_KINDS[path.parent.parent.name], key)
                if owner is None or not owner.is_file():
                    path.unlink(missing_ok=True)
                    stale.append(path)
        stamp.touch()
        return len(stale)


def _tracked(root: Path, folder: Path) -> bool:
    """True when git tracks any file under ``root/folder`` (False outside git or without git)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--", folder.as_posix()],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and bool(done.stdout)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _SharingPickler(pickle.Pickler):
    """Pickles the shared objects as references to their names."""

    def __init__(self, file: io.BytesIO, shared: Mapping[str, Any]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._names = {id(obj): name for name, obj in shared.items()}

    def persistent_id(self, obj: Any) -> str | None:
        return self._names.get(id(obj))


class _SharingUnpickler(pickle.Unpickler):
    """Resolves the names the pickler wrote to the objects given."""

    def __init__(self, file: Any, shared: Mapping[str, Any]) -> None:
        super().__init__(file)
        self._shared = shared

    def persistent_load(self, pid: Any) -> Any:
        try:
            return self._shared[pid]
        except KeyError:
            raise pickle.UnpicklingError(f"no shared object {pid!r}") from None


def _load_pickle(path: Path, shared: Mapping[str, Any] | None = None) -> Any | None:
    try:
        with path.open("rb") as fh:
            return _SharingUnpickler(fh, shared or {}).load()
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None  # a damaged or outdated entry, or one that names a shared object not given: a miss


def _touch(path: Path) -> None:
    """Mark an entry as used (for ``prune``) without reading the clock twice per file."""
    try:
        os.utime(path)
    except OSError:
        pass
