"""Report formats: the tagged PDF (PDF/UA-1), the archival PDF/A-3 carrying its scorecard, and the DOCX.

Checked with pikepdf (structure tree, /MarkInfo, /Lang, /ViewerPreferences, bookmarks, figures'
alternative text, XMP identification, output intent, the attachment) and by reading the DOCX parts:
language, heading levels, the body template's own header and footer, a table of contents that says
how to get its page numbers instead of making Word update fields.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from pypdf import PdfReader
from testpaths import FIXTURES, ROOT

from generator.build.pages import write_pages
from generator.load.repository import load_repository
from generator.load.templates import load_templates
from generator.render.report import ReportFiles, render_report
from generator.render.report.docx import TOC_NOTE
from generator.render.site import SiteItem
from generator.score.aggregate import score_evaluation

pytestmark = pytest.mark.slow  # renders reports


FIXTURE = FIXTURES / "report"
TEMPLATES = ROOT / "templates"
XMP = {
    "pdfaid": "{http://www.aiim.org/pdfa/ns/id/}",
    "pdfuaid": "{http://www.aiim.org/pdfua/ns/id/}",
    "dc": "{http://purl.org/dc/elements/1.1/}",
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[ReportFiles, Path, str]]:
    """Each fixture evaluation's reports, with the site's docs folder built from the same repository."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    loaded, problems = load_repository(root)
    assert not problems, problems
    out, docs = tmp_path_factory.mktemp("reports"), tmp_path_factory.mktemp("docs")
    items, found = [], {}
    for evaluation in loaded.evaluations:
        system = loaded.system_for(evaluation.evaluation)
        card = score_evaluation(evaluation, system)
        items.append(SiteItem(evaluation, system, card))
        files = render_report(
            evaluation,
            system,
            card,
            out,
            repo_root=root,
            commit=None,
            templates=load_templates(TEMPLATES.parent, [TEMPLATES]),
            cache_dir=out / "c",
        )
        title = evaluation.evaluation.title + "报告"
        found[evaluation.evaluation.id] = (files, docs, title)
    write_pages(root, items, list(loaded.systems.values()), docs, reports=True)
    return found


def _structure(node: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """Every structure element under ``node``, in document order."""
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR" and "/S" in kid:
            yield kid
            yield from _structure(kid)


@pytest.mark.parametrize("eid", ["2024-alpha", "2024-beta"])
@pytest.mark.parametrize("which", ["pdf", "archive"])
def test_pdf_is_tagged_for_screen_readers(reports: dict, eid: str, which: str) -> None:
    files, _, title = reports[eid]
    with pikepdf.open(getattr(files, which)) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root and bool(root.MarkInfo.Marked)
        assert str(root.Lang) == "zh-CN"
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        with pdf.open_metadata() as meta:
            assert meta.get(XMP["dc"] + "title") == title
        elements = list(_structure(root.StructTreeRoot))
        kinds = [str(e.S) for e in elements]
        assert {"/Table", "/TH", "/TD", "/Figure", "/L", "/LI"} <= set(kinds)
        levels = [int(k[2]) for k in kinds if re.fullmatch(r"/H[1-6]", k)]
        assert levels and levels[0] == 1
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
        with pdf.open_outline() as outline:
            top = [item.title for item in outline.root]
        assert any(t.startswith("一、") for t in top) and len(top) >= 9


@pytest.mark.parametrize("eid", ["2024-alpha", "2024-beta"])
def test_chart_figures_carry_their_data_as_alternative_text(reports: dict, eid: str) -> None:
    files, _, _ = reports[eid]
    with pikepdf.open(files.pdf) as pdf:
        alts = [str(e.Alt) for e in _structure(pdf.Root.StructTreeRoot) if e.S == "/Figure" and "/Alt" in e]
    charts = [a for a in alts if "得分率" in a]
    assert len(charts) >= 2, alts
    assert re.search(r"各维度得分.*：.+ \d+(\.\d+)? / \d+ 分（\d+\.\d%）", charts[0]), charts[0]
    with zipfile.ZipFile(files.docx) as z:
        descriptions = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', z.read("word/document.xml").decode())
    assert charts[0] in [d.replace("&quot;", '"') for d in descriptions]


def test_pdf_ua_and_pdf_a_are_identified(reports: dict) -> None:
    files, _, _ = reports["2024-alpha"]
    with pikepdf.open(files.pdf) as pdf, pdf.open_metadata() as meta:
        assert meta.get(XMP["pdfuaid"] + "part") == "1"
        assert not list(pdf.attachments)
    with pikepdf.open(files.archive) as pdf:
        with pdf.open_metadata() as meta:
            assert meta.get(XMP["pdfaid"] + "part") == "3" and meta.get(XMP["pdfaid"] + "conformance") == "U"
        intents = pdf.Root.OutputIntents
        assert str(intents[0].S) == "/GTS_PDFA1" and "/DestOutputProfile" in intents[0]
        assert "/ID" in pdf.trailer


@pytest.mark.parametrize("eid", ["2024-alpha", "2024-beta"])
def test_archive_carries_the_published_scorecard(reports: dict, eid: str) -> None:
    files, docs, _ = reports[eid]
    published = (docs / "data" / "evaluations" / f"{eid}.json").read_bytes()
    with pikepdf.open(files.archive) as pdf:
        attached = pdf.attachments[f"{eid}.json"]
        assert attached.get_file().read_bytes() == published
        assert str(attached.obj.AFRelationship) == "/Data"
        assert any(a.objgen == attached.obj.objgen for a in pdf.Root.AF)
    assert b"internal/ledger.csv" not in published  # the public scorecard: no internal evidence


def _artifact_curves(stream: pikepdf.Page | pikepdf.Object, inside: bool = False) -> int:
    """Curve operators drawn inside /Artifact marked content, forms included (glyph outlines are curves;
    table rules and backgrounds are not)."""
    artifact, curves = [inside], 0
    xobjects = stream.obj.Resources.get("/XObject", {}) if isinstance(stream, pikepdf.Page) else {}
    if not isinstance(stream, pikepdf.Page):
        xobjects = stream.get("/Resources", {}).get("/XObject", {})
    for operands, operator in pikepdf.parse_content_stream(stream):
        op = str(operator)
        if op in ("BDC", "BMC"):
            artifact.append(str(operands[0]) == "/Artifact")
        elif op == "EMC" and len(artifact) > 1:
            artifact.pop()
        elif op in ("c", "v", "y") and any(artifact):
            curves += 1
        elif op == "Do" and any(artifact):
            form = xobjects[str(operands[0])]
            if form.get("/Subtype") == "/Form":
                curves += _artifact_curves(form, True)
    return curves


def test_draft_watermark_is_an_artifact_not_text(reports: dict) -> None:
    draft, _, _ = reports["2024-beta"]
    final, _, _ = reports["2024-alpha"]
    reader = PdfReader(draft.pdf)
    texts = ["".join((page.extract_text() or "").split()) for page in reader.pages]
    body = [t for t in texts if "评价依据" in t or "各指标得分" in t]  # pages that never name the draft
    assert len(body) >= 2
    for text in body:
        assert text.count("征求意见稿") == 1  # the page header's marking; the watermark is no text
    with pikepdf.open(draft.pdf) as pdf:
        assert all(_artifact_curves(p) > 50 for p in pdf.pages)
    with pikepdf.open(final.pdf) as pdf:
        assert not any(_artifact_curves(p) for p in pdf.pages)


def _docx(files: ReportFiles) -> Document:
    return Document(str(files.docx))


@pytest.mark.parametrize("eid", ["2024-alpha", "2024-beta"])
def test_docx_is_chinese_without_heading_jumps(reports: dict, eid: str) -> None:
    files, _, _ = reports[eid]
    with zipfile.ZipFile(files.docx) as z:
        styles = z.read("word/styles.xml").decode()
        settings = z.read("word/settings.xml").decode()
    default = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S).group(0)
    assert re.search(r'<w:lang [^>]*w:val="zh-CN"', default) and 'w:eastAsia="zh-CN"' in default
    assert re.search(r'<w:themeFontLang [^>]*w:eastAsia="zh-CN"', settings)
    doc = _docx(files)
    assert doc.core_properties.language == "zh-CN"
    levels = [int(p.style.name[-1]) for p in doc.paragraphs if re.fullmatch(r"Heading \d", p.style.name)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_docx_table_of_contents_says_how_to_get_page_numbers(reports: dict) -> None:
    files, _, _ = reports["2024-alpha"]
    doc = _docx(files)
    texts = [p.text for p in doc.paragraphs]
    toc = [p.text for p in doc.paragraphs if p.style.name.lower() in ("toc 1", "toc 2")]
    assert toc and TOC_NOTE in texts and texts.index(TOC_NOTE) > texts.index(toc[-1])
    with zipfile.ZipFile(files.docx) as z:
        assert b"updateFields" not in z.read("word/settings.xml")
        assert b"w:dirty" not in z.read("word/document.xml")


def test_docx_header_and_footer_are_the_templates_own(reports: dict) -> None:
    zhixin, _, _ = reports["2024-beta"]
    default, _, _ = reports["2024-alpha"]
    section = _docx(zhixin).sections[0]
    header, footer = section.header._element.xml, section.footer._element.xml
    assert "安徽知信质量技术评价中心" in header and "征求意见稿" in header and "w:pBdr" in header
    assert "NUMPAGES" in footer and "第 " in footer and "— " not in footer
    section = _docx(default).sections[0]
    footer = section.footer._element.xml
    assert "— " in footer and " PAGE " in footer and "NUMPAGES" not in footer
    assert "安徽知信" not in section.header._element.xml
    zhixin_page = "".join((PdfReader(zhixin.pdf).pages[3].extract_text() or "").split())
    assert "安徽知信质量技术评价中心" in zhixin_page and re.search(r"第4页/共\d+页", zhixin_page)
    default_page = "".join((PdfReader(default.pdf).pages[3].extract_text() or "").split())
    assert "—4—" in default_page
