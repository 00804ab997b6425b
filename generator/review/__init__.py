"""Score diffs for review: what a change between two git revisions does to every evaluation."""

from __future__ import annotations

import tempfile
from pathlib import Path

from generator.review.compare import compare_evaluations, scan
from generator.review.model import DiffReport
from generator.review.revision import GitUnavailable, Revision, RevisionError, materialise, resolve
from generator.review.systems import compare_systems

__all__ = ["DiffReport", "GitUnavailable", "RevisionError", "diff_revisions"]


def diff_revisions(root: Path, base: str, head: str | None = None) -> DiffReport:
    """Compare revision ``base`` with ``head`` (or with the working tree when head is None)."""
    base_rev = resolve(root, base)
    head_rev = resolve(root, head) if head is not None else Revision("", None)
    with tempfile.TemporaryDirectory(prefix="zwpj-diff-") as tmp:
        base_side = scan(materialise(root, base_rev, Path(tmp) / "base"))
        head_root = materialise(root, head_rev, Path(tmp) / "head") if head_rev.commit else root
        head_side = scan(head_root)
        evaluations = tuple(compare_evaluations(base_side, head_side))
        uses = [
            (e.evaluation.id, e.evaluation.system.id, e.evaluation.system.edition)
            for side in (base_side, head_side)
            for e in side.loaded.values()
        ]
        systems = compare_systems(base_side.systems, head_side.systems, uses)
        return DiffReport(
            base_rev, head_rev, evaluations, systems, base_side.error_count, head_side.error_count
        )
