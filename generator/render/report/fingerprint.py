"""Report fingerprints: one hash that ties a report to the exact inputs it was built from.

A fingerprint combines the hash of the evaluation's files and its indicator system's files, the git
commit, the system edition and the generator version. It is embedded in every report; ``verify``
recomputes it from the repository to say whether a report still matches what the repository holds.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.load.inputs import hash_files, hash_inputs, input_files, list_inputs
from generator.load.organisations import SHARED_INPUTS

__all__ = ["hash_files", "hash_inputs", "input_files", "list_inputs"]  # hashed by the load stage

SCHEME = "zwpj-fp1"
"""Version tag of the encoding; a new scheme gets a new tag so old reports stay readable."""
UNCOMMITTED = "uncommitted"
"""Commit recorded when the inputs differ from (or are outside) git's HEAD."""


@dataclass(frozen=True)
class Fingerprint:
    """What a report was built from, and the digest over all of it."""

    evaluation: str
    """Evaluation folder relative to the repository root, e.g. evaluations/hefei-2024."""
    system: str
    """Indicator system folder relative to the repository root."""
    inputs: str
    """SHA-256 over every input file's path and content."""
    commit: str
    """The last git commit that changed the inputs, or ``uncommitted`` (changes not committed)."""
    edition: str
    """Indicator system edition."""
    generator: str
    """Generator version."""

    @property
    def digest(self) -> str:
        """SHA-256 over all the parts: the fingerprint proper."""
        text = "\n".join(
            (SCHEME, self.evaluation, self.system, self.inputs, self.commit, self.edition, self.generator)
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def encode(self) -> str:
        """One line that holds every part, for document properties (parsed back by ``decode``)."""
        parts = {
            "digest": self.digest,
            "evaluation": self.evaluation,
            "system": self.system,
            "inputs": self.inputs,
            "commit": self.commit,
            "edition": self.edition,
            "generator": self.generator,
        }
        return SCHEME + ";" + ";".join(f"{k}={v}" for k, v in parts.items())

    @classmethod
    def decode(cls, text: str) -> tuple[Fingerprint, str]:
        """Parse ``encode``'s line; returns the parts and the digest as recorded (maybe tampered)."""
        scheme, _, rest = text.strip().partition(";")
        if scheme != SCHEME:
            raise ValueError(f"unknown fingerprint scheme {scheme!r}")
        fields = dict(item.split("=", 1) for item in rest.split(";") if "=" in item)
        try:
            fp = cls(
                fields["evaluation"],
                fields["system"],
                fields["inputs"],
                fields["commit"],
                fields["edition"],
                fields["generator"],
            )
            return fp, fields["digest"]
        except KeyError as exc:
            raise ValueError(f"fingerprint lacks {exc.args[0]}") from exc


TEMPLATES = "templates"
"""The repository's report templates: a report records the last commit that changed them too."""


def report_folders(evaluation: str, system: str) -> list[str]:
    """Paths whose last commit a report records: its evaluation, its system, the templates and the
    repository's shared records.

    With that commit checked out, the repository holds everything the report was made from, so
    ``zwpj verify`` can rebuild it there; a commit that changes other paths leaves it as it is.
    """
    return [evaluation, system, TEMPLATES, *SHARED_INPUTS]


def git_commit(root: Path, folders: Iterable[str]) -> str | None:
    """The last commit that changed the folders, if they are all committed unchanged; else None.

    The commit the inputs were committed in: a later commit that changes other folders does not
    change it, so a report (and its fingerprint) stays valid until its own inputs change.
    """
    return last_commits(root, [list(folders)])[0]


def last_commits(root: Path, groups: Sequence[Sequence[str]]) -> list[str | None]:
    """``git_commit`` for each group of folders, from one ``git status`` and one walk of the log.

    None for a group with a change in the work tree (untracked files included), and for all when
    ``root`` is not in a git work tree. The log is read newest first and only as far back as the
    oldest folder asked for was last changed.
    """
    try:
        prefix = _git(root, "rev-parse", "--show-prefix")
        status = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", ".", strip=False)
    except (OSError, subprocess.CalledProcessError):
        return [None] * len(groups)
    dirty = _changed_paths(status, prefix)
    clean = [not any(_inside(p, f) for f in group for p in dirty) for group in groups]
    wanted = {f.strip("/") for group, ok in zip(groups, clean, strict=True) if ok for f in group}
    changed = _last_changes(root, wanted)
    found: list[str | None] = []
    for group, ok in zip(groups, clean, strict=True):
        hits = [changed[f.strip("/")] for f in group if f.strip("/") in changed]
        found.append(min(hits)[1] if ok and hits else None)
    return found


def _last_changes(root: Path, folders: set[str]) -> dict[str, tuple[int, str]]:
    """Folder → (place in the log, commit) of the newest commit that changed a file in it."""
    found: dict[str, tuple[int, str]] = {}
    if not folders:
        return found
    args = ["git", "-c", "core.quotePath=false", "-C", str(root), "log", "--relative", "--no-renames"]
    args += ["--name-only", "--format=%x01%H", "--", *sorted(folders)]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as proc:
        assert proc.stdout is not None
        place, commit = 0, ""
        for line in proc.stdout:
            line = line.rstrip("\n")
            if line.startswith("\x01"):
                place, commit = place + 1, line[1:]
                continue
            parts = line.split("/")
            for end in range(1, len(parts) + 1):  # every folder above it, and the file itself
                folder = "/".join(parts[:end])
                if folder in folders and folder not in found:
                    found[folder] = (place, commit)
            if len(found) == len(folders):
                proc.kill()
                break
    return found


def _changed_paths(status: str, prefix: str) -> list[str]:
    """Paths (relative to ``root``) in ``git status --porcelain -z`` output, both sides of renames."""
    paths: list[str] = []
    fields = status.split("\0")
    i = 0
    while i < len(fields):
        entry = fields[i]
        i += 1
        if len(entry) < 4:
            continue
        paths.append(entry[3:])
        if entry[0] in "RC":  # the next field is the source of the rename or copy
            paths.append(fields[i])
            i += 1
    return [p.removeprefix(prefix) for p in paths]


def _inside(path: str, folder: str) -> bool:
    folder = folder.rstrip("/")
    return path == folder or path.startswith(folder + "/") or folder in ("", ".")


def _git(root: Path, *args: str, strip: bool = True) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip() if strip else done.stdout


def compute_fingerprint(
    root: Path,
    evaluation: str,
    system: str,
    *,
    edition: str,
    generator: str,
    commit: str | None,
    inputs: str | None = None,
) -> Fingerprint:
    """The fingerprint of an evaluation folder and its system folder as they are on disk now
    (``inputs``: their ``hash_inputs`` when already known)."""
    inputs = inputs if inputs is not None else hash_inputs(root, (evaluation, system))
    return Fingerprint(evaluation, system, inputs, commit or UNCOMMITTED, edition, generator)
