"""Report fingerprints: one hash that ties a report to the exact inputs it was built from.

A fingerprint combines the hash of the evaluation's files and its indicator system's files, the git
commit, the system edition and the generator version. It is embedded in every report; ``verify``
recomputes it from the repository to say whether a report still matches what the repository holds.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

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
    """Git commit the inputs were committed in, or ``uncommitted``."""
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

    @property
    def short(self) -> str:
        """First 16 hex digits, for printing on a page."""
        return self.digest[:16]

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


def input_files(root: Path, folders: Iterable[str]) -> list[str]:
    """Every regular file under the folders, relative to root, sorted; hidden files are skipped."""
    found: set[str] = set()
    for rel in folders:
        for path in (root / rel).rglob("*"):
            parts = path.relative_to(root).parts
            if path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in parts):
                found.add("/".join(parts))
    return sorted(found)


def hash_inputs(root: Path, folders: Iterable[str]) -> str:
    """SHA-256 over (path, content hash) of every input file, in sorted order."""
    outer = hashlib.sha256()
    for rel in input_files(root, folders):
        inner = hashlib.sha256((root / rel).read_bytes()).hexdigest()
        outer.update(f"{rel}\0{inner}\n".encode())
    return outer.hexdigest()


def git_commit(root: Path, folders: Iterable[str]) -> str | None:
    """HEAD's commit if the folders are all committed unchanged; None otherwise or outside git."""
    try:
        head = _git(root, "rev-parse", "--verify", "HEAD")
        dirty = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *folders)
    except (OSError, subprocess.CalledProcessError):
        return None
    return None if dirty else head


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def compute_fingerprint(
    root: Path, evaluation: str, system: str, *, edition: str, generator: str, commit: str | None
) -> Fingerprint:
    """The fingerprint of an evaluation folder and its system folder as they are on disk now."""
    inputs = hash_inputs(root, (evaluation, system))
    return Fingerprint(evaluation, system, inputs, commit or UNCOMMITTED, edition, generator)
