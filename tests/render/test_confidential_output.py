"""Confidentiality end to end: the markers planted in every internal field and file of the process
fixture reach neither the public site (Markdown sources and HTML) nor the public report (DOCX and
PDF); the internal report carries the internal facts it prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from buildlib import EPOCH
from docx import Document
from pypdf import PdfReader
from testpaths import ROOT

from generator.build.pages import write_pages
from generator.build.runner import render_site
from generator.load.repository import load_repository
from generator.render.report import render_report
from generator.render.site import SiteItem
from generator.score.aggregate import score_evaluation

BASE = ROOT / "tests" / "fixtures" / "process" / "base"
MARKER = re.compile(r"ZWPJ-SECRET-[A-Z0-9-]*[A-Z0-9]")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def items() -> list[SiteItem]:
    repo, problems = load_repository(BASE)
    assert not problems
    out = []
    for loaded in repo.evaluations:
        system = repo.system_for(loaded.evaluation)
        assert system is not None
        out.append(SiteItem(loaded, system, score_evaluation(loaded, system)))
    return out


def _markers_in(folder: Path) -> set[tuple[str, str]]:
    found = set()
    for path in folder.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace")
            found |= {(m, path.relative_to(folder).as_posix()) for m in MARKER.findall(text)}
    return found


def _report_text(items: list[SiteItem], out: Path, *, public: bool) -> str:
    item = items[0]
    files = render_report(
        item.loaded, item.system, item.card, out, repo_root=BASE, public=public, commit=None
    )
    doc = Document(str(files.docx))
    parts = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    parts += [page.extract_text() or "" for page in PdfReader(files.pdf).pages]
    return "\n".join(parts)


def test_public_site_has_no_marker(items: list[SiteItem], tmp_path: Path) -> None:
    repo, _ = load_repository(BASE)
    write_pages(BASE, items, list(repo.systems.values()), tmp_path / "docs", reports=False)
    render_site(ROOT / "mkdocs.yml", tmp_path / "docs", tmp_path / "site", epoch=EPOCH)
    assert _markers_in(tmp_path / "docs") == set()
    assert _markers_in(tmp_path / "site") == set()


def test_public_report_has_no_marker_internal_has_them(items: list[SiteItem], tmp_path: Path) -> None:
    assert set(MARKER.findall(_report_text(items, tmp_path / "public", public=True))) == set()
    internal = set(MARKER.findall(_report_text(items, tmp_path / "internal", public=False)))
    printed = {
        "ZWPJ-SECRET-TEAM-PHONE",
        "ZWPJ-SECRET-EXPERT-EMAIL",
        "ZWPJ-SECRET-STAFF-PHONE",
        "ZWPJ-SECRET-ACTIVITY-SUMMARY",
        "ZWPJ-SECRET-EVIDENCE-NOTE",
        "ZWPJ-SECRET-COMMENT-BLOCK",
        "ZWPJ-SECRET-FENCED-BLOCK",
        "ZWPJ-SECRET-PANDOC-DIV",
        "ZWPJ-SECRET-CASE-003",
    }
    assert printed <= internal
