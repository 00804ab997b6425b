"""The build's parts agree with the plain pipeline: cached checking, file hashes, commits, mkdocs output."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from buildlib import CONFIG, EPOCH, commit_all, differences, git, make_repository, plain_mkdocs, sample_root
from fixturelib import build as build_case
from fixturelib import cases

from generator.build.cache import Cache
from generator.build.checking import Checker
from generator.build.pages import write_pages
from generator.build.render import SiteRenderer
from generator.pipeline import check, score_all
from generator.render.report.fingerprint import git_commit, hash_inputs, input_files, last_commits
from generator.render.site import SiteItem
from generator.render.site.feed import SiteAddress


def _roots(tmp: Path) -> list[Path]:
    """The sample repository and every diagnostic fixture."""
    return [make_repository(tmp / "sample")] + [build_case(case, tmp / case.name) for case in cases()]


@pytest.mark.slow
def test_cached_check_equals_the_pipeline_on_every_fixture(tmp_path: Path) -> None:
    for root in _roots(tmp_path):
        expected = check(root)
        for attempt in ("cold", "warm"):
            got = Checker(root, Cache.for_repository(root), jobs=2).check()
            assert got.diagnostics == expected.diagnostics, (root.name, attempt)
            assert got.measured == expected.measured, (root.name, attempt)
            assert [e.rel for e in got.repo.evaluations] == [e.rel for e in expected.repo.evaluations]
        if expected.ok():
            checker = Checker(root, Cache.for_repository(root))
            assert checker.score(checker.check()) == score_all(expected), root.name


def test_inputs_hash_equals_the_fingerprint_and_sees_edits(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", ["2024-shexian-county"])
    folders = ["evaluations/2024-shexian-county", "indicators/db34-3556-sample"]
    (root / folders[0] / ".notes.txt").write_text("草稿\n", encoding="utf-8")
    (root / folders[0] / "__pycache__").mkdir()
    (root / folders[0] / "__pycache__" / "x.pyc").write_bytes(b"\0")
    listed = input_files(root, folders)
    assert f"{folders[0]}/summary.md" in listed and f"{folders[1]}/system.yaml" in listed
    assert not [f for f in listed if "/." in f or "__pycache__" in f], "hidden files are not inputs"
    cache = Cache.for_repository(root)
    path = root / folders[0] / "summary.md"
    old = path.stat()
    os.utime(path, (old.st_atime - 60, old.st_mtime - 60))  # not "racy": remembered
    assert cache.inputs_hash(root, folders) == hash_inputs(root, folders)
    cache.save()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("。", "！", 1), encoding="utf-8")  # same size in bytes
    os.utime(path, (old.st_atime - 30, old.st_mtime - 30))
    again = Cache.for_repository(root)
    assert again.inputs_hash(root, folders) == hash_inputs(root, folders)


def test_commits_in_one_status_equal_git_commit(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", ["2024-shexian-county", "2024-ah-amr-department"])
    commit_all(root)
    groups = [
        ["evaluations/2024-shexian-county", "indicators/db34-3556-sample"],
        ["evaluations/2024-ah-amr-department", "indicators/db34-3556-sample"],
    ]
    assert last_commits(root, groups) == [git_commit(root, g) for g in groups] != [None, None]
    (root / groups[0][0] / "summary.md").write_text("改动\n", encoding="utf-8")
    (root / groups[1][0] / "new.txt").write_text("未跟踪\n", encoding="utf-8")
    assert last_commits(root, groups) == [git_commit(root, g) for g in groups] == [None, None]
    subprocess.run(["git", "-C", str(root), "checkout", "--", "."], check=True)
    (root / groups[1][0] / "new.txt").unlink()
    assert last_commits(root, groups) == [git_commit(root, g) for g in groups] != [None, None]
    assert last_commits(tmp_path / "elsewhere", groups) == [None, None]


@pytest.mark.slow
def test_the_commit_recorded_is_the_last_that_changed_the_folders(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", ["2024-shexian-county", "2024-ah-amr-department"])
    commit_all(root)
    groups = [
        ["evaluations/2024-shexian-county", "indicators/db34-3556-sample"],
        ["evaluations/2024-ah-amr-department", "indicators/db34-3556-sample"],
    ]
    first = git(root, "rev-parse", "HEAD")
    summary = root / groups[1][0] / "summary.md"
    summary.write_text(summary.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "edit one evaluation")
    second = git(root, "rev-parse", "HEAD")
    assert first != second
    assert last_commits(root, groups) == [git_commit(root, g) for g in groups] == [first, second]
    (root / "README.md").write_text("说明\n", encoding="utf-8")
    git(root, "add", "README.md")
    git(root, "commit", "-q", "-m", "outside every evaluation")
    assert last_commits(root, groups) == [first, second], "a commit elsewhere changes neither"
    system = root / groups[0][1] / "system.yaml"
    system.write_text(system.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "edit the system")
    third = git(root, "rev-parse", "HEAD")
    assert last_commits(root, groups) == [git_commit(root, g) for g in groups] == [third, third]


def _site(root: Path) -> tuple[list[SiteItem], list]:
    """The repository's scored evaluations as site items, and its systems."""
    checked = check(root)
    cards = score_all(checked)
    repo = checked.repo
    items = [SiteItem(e, repo.system_for(e.evaluation), cards[e.evaluation.id]) for e in repo.evaluations]
    return items, list(repo.systems.values())


@pytest.mark.slow
def test_pages_and_html_equal_plain_pages_and_mkdocs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages written without a cache in one process equal the cached ones over workers, cold and
    warm; the renderer's HTML equals what mkdocs' own ``build`` writes of the same pages."""
    root = make_repository(tmp_path / "repo")
    items, systems = _site(root)
    write_pages(root, items, systems, tmp_path / "docs", reports=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))  # mkdocs' build reads the date there
    plain_mkdocs(CONFIG, tmp_path / "docs", tmp_path / "plain")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # the renderer is given it
    cache = Cache.for_repository(root)
    for attempt in ("cold", "warm"):
        docs, site = tmp_path / f"docs-{attempt}", tmp_path / f"site-{attempt}"
        write_pages(root, items, systems, docs, cache=cache, reports=False, site=SiteAddress(), jobs=2)
        assert differences(tmp_path / "docs", docs) == [], attempt
        renderer = SiteRenderer(CONFIG, docs, site, cache, epoch=EPOCH)
        try:
            stats = renderer.render(jobs=2)
        finally:
            renderer.close()
        assert stats.rendered == (stats.pages if attempt == "cold" else 0)
        assert differences(tmp_path / "plain", site) == [], attempt


def test_prune_removes_unused_entries_and_their_files(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    for key in ("a1", "b2"):
        cache.put("rendered", key, {"key": key})
        html = cache.path("html", key)
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(key, encoding="utf-8")
    old = cache.path("rendered", "a1")
    os.utime(old, (1, 1))
    assert cache.prune() == 2
    assert not old.exists() and not cache.path("html", "a1").exists()
    assert cache.get("rendered", "b2") == {"key": "b2"} and cache.path("html", "b2").is_file()
    os.utime(cache.path("rendered", "b2"), (1, 1))
    assert cache.prune() == 0, "at most once a day"


@pytest.mark.slow
def test_previous_map_equals_previous_of(tmp_path: Path) -> None:
    from generator.score.ranking import previous_map, previous_of

    for root in (
        sample_root(),
        make_repository(tmp_path / "repo", ["2024-hefei-platform", "2024-shexian-county"]),
    ):
        evaluations = {e.evaluation.id: e.evaluation for e in check(root).repo.evaluations}
        expected = {i: previous_of(e, evaluations) for i, e in evaluations.items()}
        assert previous_map(evaluations) == expected
        assert any(expected.values()) or root != sample_root()


@pytest.mark.slow
def test_docs_files_changed_or_removed_outside_the_build_are_written_again(tmp_path: Path) -> None:
    from generator.build.pages import DocsManifest

    root = make_repository(tmp_path / "repo")
    items, systems = _site(root)
    write_pages(root, items, systems, tmp_path / "expected", reports=False)
    cache, docs = Cache.for_repository(root), tmp_path / "docs"

    def pages() -> None:
        write_pages(root, items, systems, docs, cache=cache, reports=False, site=SiteAddress())

    pages()
    manifest = DocsManifest.load(cache, docs)
    assert len(manifest.entries) == len(items), "every evaluation's files recorded as written"
    pages()  # from the manifest: nothing read back or compared
    assert differences(tmp_path / "expected", docs) == []

    page = docs / "evaluations" / "2024-hefei-platform.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n改动\n", encoding="utf-8")
    (docs / "data" / "evaluations" / "2024-shexian-county.json").unlink()
    pages()
    assert differences(tmp_path / "expected", docs) == []
