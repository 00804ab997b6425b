"""The internal edition: ``zwpj internal`` writes reports with what public copies leave out, marked
内部资料 on the cover, on every page and in the properties, into a folder that is never published."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from pypdf import PdfReader
from testpaths import ROOT

from generator.cli import main
from generator.render.report.verify import pdf_property

MODES = ROOT / "tests" / "fixtures" / "modes"
MARK = "内部资料不得公开"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("internal") / "repo"
    shutil.copytree(MODES, root)
    return root


@pytest.mark.slow
def test_internal_reports_are_marked_and_carry_what_public_ones_leave_out(repo: Path) -> None:
    code, output = run("internal", "2025-jia", "--root", str(repo))
    assert code == 0, output
    folder = repo / "build" / "internal" / "reports"
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "2025-jia-pdfa.pdf",
        "2025-jia.docx",
        "2025-jia.pdf",
    ]
    pages = [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(folder / "2025-jia.pdf").pages]
    assert MARK in pages[0], "the cover says it is internal"
    assert all(MARK in page for page in pages[1:]), "so does every page's header"
    assert "qianyi@example.cn" in "".join(pages), "contacts are printed in the internal copy"
    status = pdf_property(PdfReader(folder / "2025-jia.pdf").metadata, "ZwpjStatus")
    assert status is not None and status.startswith("内部资料")
    doc = Document(str(folder / "2025-jia.docx"))
    header = "".join(p.text for s in doc.sections for p in s.header.paragraphs)
    assert MARK in re.sub(r"\s+", "", header)
    with zipfile.ZipFile(folder / "2025-jia.docx") as docx:
        custom = docx.read("docProps/custom.xml").decode("utf-8")
    assert re.search(r'name="ZwpjStatus"[^>]*>\s*<vt:lpwstr>内部资料', custom), custom
    cover = "".join(p.text for p in doc.paragraphs[:12])
    assert MARK in re.sub(r"\s+", "", cover)


@pytest.mark.parametrize("out", ["site/internal", "build/docs/x", "docs", "evaluations/x", "templates", "."])
def test_internal_reports_never_go_where_they_would_be_published_or_read(tmp_path: Path, out: str) -> None:
    root = tmp_path / "repo"
    shutil.copytree(MODES, root)
    code, output = run("internal", "--root", str(root), "--out", str(root / out))
    assert code == 2 and re.search(r":0:0: 错误 E11[34] 内部版不能写入", output), output
    assert not list(root.rglob("*.docx")) and not list(root.rglob("*.pdf"))


def test_an_unknown_evaluation_is_named(repo: Path, tmp_path: Path) -> None:
    code, output = run("internal", "2099-none", "--root", str(repo))
    assert code == 1 and "2099-none：没有这个评价" in output


def test_named_reports_are_not_made_while_the_repository_itself_has_errors(tmp_path: Path) -> None:
    """As the whole edition would not be built: an error outside every evaluation and system folder
    (here in calendar.yaml) stops the named reports too."""
    root = tmp_path / "repo"
    shutil.copytree(MODES, root)
    (root / "calendar.yaml").write_text("holidays: [不是日期]\n", encoding="utf-8")
    code, output = run("internal", "2025-jia", "--root", str(root))
    assert code == 1 and "calendar.yaml" in output, output
    assert not list(root.rglob("*.docx")) and not list(root.rglob("*.pdf"))
