"""Reports as a reader gets them: DOCX opened with python-docx, PDF read back with pypdf.

Two evaluations of tests/fixtures/report are rendered once: 2024-alpha (default template,
confirmed) and 2024-beta (anhui-zhixin template, not yet confirmed, hostile narrative).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader
from testpaths import FIXTURES, ROOT

from generator.load.repository import load_repository
from generator.load.templates import load_templates
from generator.render.report import ReportFiles, render_report
from generator.render.report.style import SECTION_KEYS, StyleSpec, load_template
from generator.render.report.verify import pdf_property
from generator.score.aggregate import score_evaluation
from generator.score.card import Scorecard
from generator.score.rounding import fmt

pytestmark = pytest.mark.slow  # renders reports


FIXTURE = FIXTURES / "report"
TEMPLATES = ROOT / "templates"
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Built:
    """One rendered report with what it was made from."""

    files: ReportFiles
    card: Scorecard
    spec: StyleSpec
    decimals: int

    @property
    def docx(self) -> Document:
        return Document(str(self.files.docx))

    @property
    def pdf_text(self) -> str:
        return "\n".join(page.extract_text() or "" for page in PdfReader(self.files.pdf).pages)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the fixture repository outside git, so tests may change it."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    return root


@pytest.fixture(scope="module")
def built(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    loaded, problems = load_repository(repo)
    assert not problems, problems
    out = tmp_path_factory.mktemp("reports")
    cache = tmp_path_factory.mktemp("cache")
    result = {}
    for evaluation in loaded.evaluations:
        system = loaded.system_for(evaluation.evaluation)
        card = score_evaluation(evaluation, system)
        files = render_report(
            evaluation,
            system,
            card,
            out,
            repo_root=repo,
            commit=None,
            templates=load_templates(TEMPLATES.parent, [TEMPLATES]),
            cache_dir=cache,
        )
        spec = load_template(
            load_templates(TEMPLATES.parent, [TEMPLATES]), evaluation.evaluation.body.template
        ).spec
        result[evaluation.evaluation.id] = Built(files, card, spec, system.system.rounding.indicator)
    return result


def docx_text(doc: Document) -> str:
    """Every paragraph and table cell of the body."""
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.parametrize("eid", ["2024-alpha", "2024-beta"])
def test_docx_has_every_section_in_order(built: dict[str, Built], eid: str) -> None:
    report = built[eid]
    headings = [p.text for p in report.docx.paragraphs if p.style.name == "Heading 1"]
    titles = [report.spec.wording.sections[key] for key in SECTION_KEYS]
    positions = [next(i for i, h in enumerate(headings) if title in h) for title in titles]
    assert positions == sorted(positions), headings
    assert any("附录" in h for h in headings) and "报告信息" in headings[-1]


@pytest.mark.parametrize("eid", ["2024-alpha", "2024-beta"])
def test_docx_indicator_rows_carry_their_scores(built: dict[str, Built], eid: str) -> None:
    report = built[eid]
    rows = {}
    for table in report.docx.tables:
        header = [c.text for c in table.rows[0].cells]
        if header[:2] == ["编号", "指标"] and "得分" in header:
            col = header.index("得分")
            rows.update({r.cells[0].text: r.cells[col].text for r in table.rows[1:]})
    for score in report.card.indicators:
        expected = "—" if score.points is None else fmt(score.points, report.decimals)
        if score.rule_kind == "bonus":  # weight 0: the points it adds, not 0.00 of nothing
            expected = f"加 {fmt(score.bonus, report.decimals)}"
        elif score.rule_kind == "veto":
            expected = "否决" if score.vetoed else "未否决"
        elif not score.is_leaf and score.weight == 0:
            expected = "—"
        if score.status != "not_applicable":
            assert rows[score.id] == expected, score.id


@pytest.mark.parametrize(
    ("eid", "body", "heading"), [("2024-alpha", "仿宋", "黑体"), ("2024-beta", "宋体", "微软雅黑")]
)
def test_docx_styles_set_east_asian_fonts(built: dict[str, Built], eid: str, body: str, heading: str) -> None:
    styles = built[eid].docx.styles.element
    fonts = {}
    for style in styles.iter(f"{W_NS}style"):
        r_fonts = style.find(f"{W_NS}rPr/{W_NS}rFonts")
        assert r_fonts is not None and r_fonts.get(f"{W_NS}eastAsia"), style.get(f"{W_NS}styleId")
        fonts[style.get(f"{W_NS}styleId")] = r_fonts.get(f"{W_NS}eastAsia")
    assert fonts["Normal"] == body and fonts["BodyText"] == body
    assert fonts["Heading1"] == heading


def test_docx_captions_are_numbered_in_order(built: dict[str, Built]) -> None:
    doc = built["2024-alpha"].docx
    tables = [p.text for p in doc.paragraphs if p.style.name == "Table Caption"]
    figures = [p.text for p in doc.paragraphs if p.style.name == "Image Caption"]
    assert [int(re.match(r"表 (\d+)　", t).group(1)) for t in tables] == list(range(1, len(tables) + 1))
    assert [int(re.match(r"图 (\d+)　", t).group(1)) for t in figures] == list(range(1, len(figures) + 1))
    assert len(figures) == 1 + len(built["2024-alpha"].card.dimensions)


def test_docx_page_set_up_and_table_of_contents(built: dict[str, Built]) -> None:
    doc = built["2024-alpha"].docx
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert "PAGE" in section.footer._element.xml
    toc = [p.text for p in doc.paragraphs if p.style.name.lower() == "toc 1"]
    assert toc and toc[0].startswith("一、")


@pytest.mark.parametrize("eid", ["2024-alpha", "2024-beta"])
def test_pdf_text_has_sections_and_scores(built: dict[str, Built], eid: str) -> None:
    report = built[eid]
    text = re.sub(r"\s+", "", report.pdf_text)
    for key in SECTION_KEYS:
        assert report.spec.wording.sections[key] in text
    for score in report.card.leaves:
        if score.points is not None:
            assert f"{score.id}" in text and fmt(score.points, report.decimals) in text
    assert report.files.fingerprint.digest in text


@pytest.mark.parametrize("eid", ["2024-alpha", "2024-beta"])
def test_pdf_fonts_are_embedded(built: dict[str, Built], eid: str) -> None:
    names = set()
    for page in PdfReader(built[eid].files.pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            target = descendant[0].get_object() if descendant else font
            descriptor = target["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
            names.add(str(font["/BaseFont"]))
    assert any("CJK" in n for n in names)


def test_draft_is_marked_until_confirmed(built: dict[str, Built]) -> None:
    draft, final = built["2024-beta"], built["2024-alpha"]
    assert draft.files.draft and not final.files.draft
    assert "征求意见稿" in draft.docx.sections[0].header._element.xml
    assert "征求意见稿" in docx_text(draft.docx)
    assert "征求意见稿" in draft.pdf_text
    assert pdf_property(PdfReader(draft.files.pdf).metadata, "ZwpjStatus") == "征求意见稿"
    assert "征求意见稿" not in final.docx.sections[0].header._element.xml
    assert "征求意见稿" not in final.pdf_text


def test_second_template_changes_the_report(built: dict[str, Built]) -> None:
    default, zhixin = built["2024-alpha"], built["2024-beta"]
    assert zhixin.files.template == "anhui-zhixin" and default.files.template == "default"
    assert zhixin.spec.wording.sections["goals"] != default.spec.wording.sections["goals"]
    band = "政务服务质量第三方评估"
    assert band in re.sub(r"\s", "", zhixin.pdf_text) and band not in re.sub(r"\s", "", default.pdf_text)
    heading = zhixin.docx.styles["Heading 1"].font
    assert (
        str(heading.color.rgb) == "0B5394"
        and str(default.docx.styles["Heading 1"].font.color.rgb) == "000000"
    )
    with zipfile.ZipFile(zhixin.files.docx) as z:
        assert any(n.startswith("word/media/") and n.endswith((".png", ".svg")) for n in z.namelist())
    first_page = PdfReader(zhixin.files.pdf).pages[0].extract_text()
    assert "报告编号：" in first_page and "评估机构：" in first_page


def test_narrative_cannot_pull_in_local_files(built: dict[str, Built]) -> None:
    report = built["2024-beta"]
    with zipfile.ZipFile(report.files.docx) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    charts_and_logo = 1 + len(report.card.dimensions) + 1
    assert len(media) == charts_and_logo
    hostname = Path("/etc/hostname")
    if hostname.is_file() and hostname.read_text().strip():
        assert hostname.read_text().strip() not in report.pdf_text.replace("\n", "")
    assert "表格分隔符 |" in report.pdf_text


def test_metadata_records_tools(built: dict[str, Built]) -> None:
    meta = PdfReader(built["2024-alpha"].files.pdf).metadata
    assert pdf_property(meta, "ZwpjPandoc").startswith("3.") and "pandoc" in meta["/Creator"]
    assert pdf_property(meta, "ZwpjDigest") == built["2024-alpha"].files.fingerprint.digest
    core = built["2024-alpha"].docx.core_properties
    assert core.created.year == 2024 and core.title.endswith("报告")


def test_appendix_lists_evidence_and_samples(built: dict[str, Built]) -> None:
    doc = built["2024-alpha"].docx
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert any("评价证据" in h for h in headings) and any("抽样记录" in h for h in headings)
    text = docx_text(doc)
    assert "evidence/catalogue.csv" in text and "20241009" in text and "G-004、G-005" in text
    assert "抽样记录" not in "".join(p.text for p in built["2024-beta"].docx.paragraphs)
