"""The internal edition's site: ``zwpj internal`` builds it with what the public site leaves out, marks
every page 内部, and never lets it reach the public site, not even through the shared cache."""

from __future__ import annotations

import html
import os
import re
import subprocess
from pathlib import Path

import pytest
from buildlib import ROOT, differences, make_repository
from click.testing import CliRunner

from generator.build.internal import refusal
from generator.cli import main
from generator.render.edition import INTERNAL_MARK, ROBOTS, TITLE_PREFIX

EVAL = "evaluations/2024-hefei-platform"
NARRATIVE = "内部叙述XQ7：窗口负责人对整改态度消极"
EVIDENCE_NOTE = "暗访手记ZK9"
EVIDENCE_BODY = "手记正文ZK9BODY"
CONTACT = "zwfw@hfdata.example.cn"
INTERNAL = (NARRATIVE, EVIDENCE_NOTE, EVIDENCE_BODY, CONTACT)
"""What only the internal edition may show: an internal narrative passage, internal evidence (its
note and its file's text) and a contact detail."""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def with_internal_material(root: Path) -> Path:
    """A sample repository whose 2024 evaluation also has an internal passage and internal evidence."""
    make_repository(root, ["2023-hefei-platform", "2024-hefei-platform"])
    folder = root / EVAL
    with (folder / "findings.md").open("a", encoding="utf-8") as f:
        f.write(f"\n<!-- internal -->{NARRATIVE}。<!-- /internal -->\n")
    (folder / "internal").mkdir()
    (folder / "internal" / "visit-notes.md").write_text(f"# 暗访手记\n\n{EVIDENCE_BODY}\n", encoding="utf-8")
    scores = folder / "scores" / "capability.yaml"
    text = scores.read_text(encoding="utf-8")
    entry = "        note: 事项目录比对结果\n"
    assert entry in text
    extra = "".join(
        f"      - {line}\n" if i == 0 else f"        {line}\n"
        for i, line in enumerate(
            (
                "file: internal/visit-notes.md",
                "captured: 2024-11-07",
                f"note: {EVIDENCE_NOTE}",
                "internal: true",
            )
        )
    )
    scores.write_text(text.replace(entry, entry + extra, 1), encoding="utf-8")
    return root


def texts(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` as text (HTML entities decoded), by relative path."""
    return {
        p.relative_to(folder).as_posix(): html.unescape(p.read_bytes().decode("utf-8", "replace"))
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An internal build on a fresh cache, then a public build with the same cache, and a public
    build without any cache to compare it with."""
    root = with_internal_material(tmp_path_factory.mktemp("edition") / "repo")
    code, output = run("internal", "--no-reports", "-j", "2", "--root", str(root))
    assert code == 0, output
    code, output = run("build", "--no-reports", "-j", "2", "--root", str(root))
    assert code == 0, output
    fresh = root / "build" / "site-without-cache"
    code, output = run("build", "--no-reports", "--no-cache", "--site-dir", str(fresh), "--root", str(root))
    assert code == 0, output
    return {"root": root, "fresh": fresh, "public": root / "site", "internal": root / "build/internal/site"}


@pytest.mark.slow
def test_the_internal_site_shows_what_the_public_one_leaves_out(built: dict[str, Path]) -> None:
    internal = "\n".join(texts(built["internal"]).values())
    for token in INTERNAL:
        assert token in internal, token
    page = (built["internal"] / "evaluations" / "2024-hefei-platform.html").read_text(encoding="utf-8")
    assert "联系方式（内部）" in page and CONTACT in page
    assert NARRATIVE in page and "〔内部〕" in page, "the internal passage is there, labelled"
    home = (built["internal"] / "index.html").read_text(encoding="utf-8")
    assert "评价结果（内部版）" in home and "本站为内部版" in home and "本站公开依据" not in home
    files = built["internal"] / "evaluations" / "2024-hefei-platform" / "files"
    assert (files / "internal" / "visit-notes.md.html").is_file(), "internal evidence is published inside"


@pytest.mark.slow
def test_nothing_internal_reaches_the_public_site_even_with_the_same_cache(built: dict[str, Path]) -> None:
    for name in ("fresh", "public"):
        for rel, text in texts(built[name]).items():
            for token in (*INTERNAL, INTERNAL_MARK, TITLE_PREFIX, "zwpj-internal", "本站为内部版"):
                assert token not in text, f"{token} in {name} {rel}"
    docs = "\n".join(texts(built["root"] / "build" / "docs").values())
    assert not any(token in docs for token in INTERNAL)
    same = differences(built["fresh"], built["public"])
    assert same == [], "the cache handed the public build nothing internal"


@pytest.mark.slow
def test_every_internal_page_is_marked_and_nothing_points_at_it(built: dict[str, Path]) -> None:
    site = built["internal"]
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 50 and site / "404.html" in pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        head = text.split("</head>", 1)[0]
        title = re.search(r"<title>(.*?)</title>", head, re.S)
        rel = page.relative_to(site)
        assert 'class="zwpj-internal"' in text and INTERNAL_MARK in text, f"no banner on {rel}"
        assert title and title.group(1).startswith(TITLE_PREFIX), f"title of {rel}"
        assert f'<meta name="robots" content="{ROBOTS}">' in head, f"robots of {rel}"
        assert "feed.xml" not in head and 'rel="canonical"' not in head, rel
    for public_only in ("feed.xml", "feed.json", "sitemap.xml", "sitemap.xml.gz", "badges"):
        assert not (site / public_only).exists(), public_only
        assert (built["public"] / public_only).exists() or public_only == "sitemap.xml.gz", public_only
    assert (site / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"


def test_the_build_folder_is_never_committed() -> None:
    for path in (
        "build/internal/site/index.html",
        "build/internal/reports/a.pdf",
        "build/internal/docs/a.md",
    ):
        done = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", path], check=False)
        assert done.returncode == 0, f"{path} is not ignored by .gitignore"


@pytest.mark.slow
def test_a_repository_without_a_gitignore_still_never_commits_the_internal_edition(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    make_repository(root, ["2024-ah-amr-department"])
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    code, output = run("internal", "--no-reports", "-j", "2", "--root", str(root))
    assert code == 0, output
    assert (root / "build" / "internal" / "site" / "index.html").is_file()
    status = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all", "--", "build"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert status.stdout == "", status.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    make_repository(root, ["2023-hefei-platform"])
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("published", encoding="utf-8")
    (root / "docs").mkdir()
    (root / "bodies").mkdir(exist_ok=True)
    return root


REFUSED = {
    "site": "E113",
    "site/internal": "E113",
    "build/docs": "E113",
    "build/docs/x": "E113",
    "build": "E113",
    "docs": "E113",
    "docs/internal": "E113",
    "evaluations/x": "E113",
    "indicators": "E113",
    "templates/internal": "E113",
    "bodies/x": "E113",
    ".git/x": "E113",
    ".cache/zwpj/x": "E113",
    ".": "E113",
    "..": "E113",
    "../elsewhere": "E114",
    "/tmp/zwpj-internal-outside": "E114",
    "build/../../elsewhere": "E114",
    "build/../site": "E113",
    "build/internal/../../docs": "E113",
}


@pytest.mark.parametrize("out", sorted(REFUSED))
def test_refused_folders_are_located_coded_and_nothing_is_written(repo: Path, out: str) -> None:
    before = sorted(p.relative_to(repo.parent) for p in repo.parent.rglob("*"))
    target = out if out.startswith("/") else str(repo / out)
    code, output = run("internal", "--no-reports", "--root", str(repo), "--out", target)
    assert code == 2, output
    assert f" {REFUSED[out]} 内部版不能写入" in output
    assert "（the internal edition cannot be written to" in output
    assert re.search(rf"^\S+:0:0: 错误 {REFUSED[out]} ", output, re.M), output
    assert "Traceback" not in output
    assert sorted(p.relative_to(repo.parent) for p in repo.parent.rglob("*")) == before
    assert (repo / "site" / "index.html").read_text(encoding="utf-8") == "published"


@pytest.mark.parametrize("target", ["site", "docs", "evaluations", "outside", "build-elsewhere"])
def test_a_symbolic_link_on_the_way_is_refused(repo: Path, tmp_path: Path, target: str) -> None:
    (tmp_path / "outside").mkdir()
    (repo / "build").mkdir(exist_ok=True)
    (repo / "build-elsewhere").mkdir()
    where = tmp_path / "outside" if target == "outside" else repo / target
    os.symlink(where, repo / "build" / "internal")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    for out in (repo / "build" / "internal", repo / "build" / "internal" / "deeper", None):
        given = ("--out", str(out)) if out else ()
        code, output = run("internal", "--no-reports", "--root", str(repo), *given)
        assert code == 2, output
        located = r"^build/internal\S*:0:0: 错误 E114 .*“build/internal”是符号链接"
        assert re.search(located, output, re.M), output
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert (repo / "site" / "index.html").read_text(encoding="utf-8") == "published"


def test_a_linked_folder_higher_up_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (tmp_path / "outside").mkdir()
    os.symlink(tmp_path / "outside", root / "build")
    found = refusal(root, root / "build" / "internal")
    assert found is not None and found.code == "E114"


def test_the_default_and_other_build_folders_are_accepted(repo: Path) -> None:
    assert refusal(repo, repo / "build" / "internal") is None
    assert refusal(repo, repo / "build" / "内部版 2025") is None
    assert refusal(repo, Path(os.path.relpath(repo / "build" / "x"))) is None


def test_reports_of_named_evaluations_go_into_the_reports_folder_refused_alike(repo: Path) -> None:
    code, output = run("internal", "2099-none", "--root", str(repo), "--out", str(repo / "site" / "x"))
    assert code == 2 and " E113 " in output
    code, output = run("internal", "2099-none", "--root", str(repo))
    assert code == 1 and "2099-none：没有这个评价" in output
    assert not (repo / "build" / "internal").exists(), "nothing made, nothing written"


@pytest.mark.parametrize("where", ["build/internal", "build/internal/site", "build/internal/reports"])
def test_a_file_in_the_way_is_refused_and_kept(repo: Path, where: str) -> None:
    (repo / where).parent.mkdir(parents=True, exist_ok=True)
    (repo / where).write_text("mine", encoding="utf-8")
    code, output = run("internal", "--no-reports", "--root", str(repo))
    assert code == 2 and "不是文件夹" in output and "Traceback" not in output, output
    assert (repo / where).read_text(encoding="utf-8") == "mine"
