"""Each cached entry is invalidated by an edit of exactly the inputs it is made from.

Two sample evaluations of one party (the later names the earlier as ``previous``) are checked,
scored and paged twice on one cache, with one input edited in between; every cache lookup is
recorded, and the lookups whose key changed are counted per kind of entry. An input left out
of a key leaves its entries stale (the count is too low); one put in for nothing makes the
cache miss needlessly (too high).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from buildlib import make_repository

from generator import pipeline
from generator.build.cache import Cache
from generator.build.pages import write_pages
from generator.build.reports import build_reports
from generator.render.site import SiteItem
from generator.render.site.feed import SiteAddress

EARLIER, LATER = "evaluations/2023-hefei-platform", "evaluations/2024-hefei-platform"
KINDS = ("load", "measures", "validate", "card", "view", "pagemeta")
"""Entries looked up on every run (an evaluation's files are looked up as "pagemeta" first)."""


class Recording(Cache):
    """A cache that remembers every key looked up, by kind."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.keys: dict[str, set[str]] = {kind: set() for kind in KINDS}

    def get(self, kind: str, key: str, shared: Any = None) -> Any | None:
        self.keys.setdefault(kind, set()).add(key)
        return super().get(kind, key, shared)


def looked_up(root: Path, folder: Path) -> dict[str, set[str]]:
    """The keys a check, scoring and the pages of ``root`` look up."""
    cache = Recording(folder)
    checked = pipeline.check(root, cache=cache)
    cards = pipeline.score_all(checked)
    assert sorted(cards) == ["2023-hefei-platform", "2024-hefei-platform"], checked.diagnostics
    items = [
        SiteItem(e, checked.repo.system_for(e.evaluation), cards[e.evaluation.id])
        for e in checked.repo.evaluations
    ]
    write_pages(
        root,
        items,
        list(checked.repo.systems.values()),
        folder / "docs",
        cache=cache,
        reports=False,
        site=SiteAddress(),
    )
    return cache.keys


def _append(rel: str, text: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        with (root / rel).open("a", encoding="utf-8") as fh:
            fh.write(text)

    return edit


def _crlf(rel: str) -> Callable[[Path], None]:
    """Same frame to the validator (line endings normalised), other bytes on disk."""

    def edit(root: Path) -> None:
        path = root / rel
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))

    return edit


def _calendar(root: Path) -> None:
    (root / "calendar.yaml").write_text("holidays: [2024-10-01]\n", encoding="utf-8")


OWN = {"load": 1, "measures": 1, "validate": 1, "card": 1, "view": 1, "pagemeta": 1}
"""An edit inside the later evaluation's folder: its own entries only."""
EARLIER_OWN = {**OWN, "pagemeta": 2}
"""An edit inside the earlier one: its own entries, and the later's page, which compares with it."""
SHARED = {"validate": 2, "pagemeta": 2}
"""An edit of records every evaluation shares: checks and pages, not loading, measures or scores."""


def _verified_in_gone(root: Path) -> None:
    """An entry of evaluations/ loses its evaluation.yaml: the names stay, what they hold changes."""
    (root / "evaluations" / "zz-draft" / "evaluation.yaml").unlink()


SYSTEM = {"measures": 2, "validate": 2, "card": 2, "view": 2, "pagemeta": 2}
"""An edit of the indicator system both evaluations use: all but their loading."""

EDITS = {
    "calendar": (_calendar, SHARED),
    "organisations": (_append("organisations.yaml", "# 注释\n"), SHARED),
    "body": (_append("bodies/hengzheng/body.yaml", "# 注释\n"), SHARED),
    "previous evaluation": (_append(f"{EARLIER}/findings.md", "\n补充一句。\n"), EARLIER_OWN),
    "dataset": (_append(f"{EARLIER}/data/ratings.csv", "\n"), EARLIER_OWN),
    "sampling frame": (_crlf(f"{LATER}/sampling/guide-frame.csv"), OWN),
    "narrative": (_append(f"{LATER}/summary.md", "\n补充一句。\n"), OWN),
    "system": (_append("indicators/db34-3556-sample/system.yaml", "# 注释\n"), SYSTEM),
    "entry without evaluation.yaml": (_verified_in_gone, {"load": 1, "validate": 2}),
}


@pytest.mark.slow
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edit_invalidates_exactly_what_depends_on_it(edit: str, tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", [EARLIER.split("/")[1], LATER.split("/")[1]])
    (root / "evaluations" / "zz-draft").mkdir()  # unreadable (E101): a rectification may name it all the same
    (root / "evaluations" / "zz-draft" / "evaluation.yaml").write_text("id: [\n", encoding="utf-8")
    change, expected = EDITS[edit]
    before = looked_up(root, tmp_path / "cache")
    change(root)
    after = looked_up(root, tmp_path / "cache")
    changed = {kind: len(after[kind] - before[kind]) for kind in KINDS}
    assert changed == {kind: expected.get(kind, 0) for kind in KINDS}, (edit, changed)


def test_an_unchanged_repository_looks_up_the_same_keys(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", [EARLIER.split("/")[1], LATER.split("/")[1]])
    first = looked_up(root, tmp_path / "cache")
    assert all(first[kind] for kind in KINDS) and looked_up(root, tmp_path / "cache") == first


REPORT_EDITS = {
    "template": (_append("templates/default/report.md.j2", "{# 注释 #}\n"), 2),
    "calendar": (_calendar, 0),
}
"""Edits and how many of the two reports each makes again: the templates draw every report; the
calendar is in none."""


def reports_made(root: Path, folder: Path) -> int:
    """How many reports of ``root`` a build on the cache in ``folder`` renders afresh."""
    cache = Cache(folder)
    checked = pipeline.check(root, cache=cache)
    cards = pipeline.score_all(checked)
    items = [
        SiteItem(e, checked.repo.system_for(e.evaluation), cards[e.evaluation.id])
        for e in checked.repo.evaluations
    ]
    made, _digests = build_reports(
        root, items, folder / "reports", cache=cache, inputs=lambda i: checked.checker.inputs_of(i.loaded)
    )
    return made


@pytest.mark.slow
@pytest.mark.parametrize("edit", sorted(REPORT_EDITS))
def test_an_edit_remakes_exactly_the_reports_made_from_it(edit: str, tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", [EARLIER.split("/")[1], LATER.split("/")[1]])
    change, expected = REPORT_EDITS[edit]
    assert reports_made(root, tmp_path / "cache") == 2
    change(root)
    assert reports_made(root, tmp_path / "cache") == expected, edit
