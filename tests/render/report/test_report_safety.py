"""Every raw-content vector, fed through the report path, reaches the DOCX and the PDFs only as text.

One evaluation of tests/fixtures/report gets hostile narrative files (raw HTML, raw OpenXML, HTML,
LaTeX and Typst blocks, fields, attributes, fenced divs, script links, outside images, fixed
positioning) and hostile values in its YAML (description, comments, evidence notes); its reports are
rendered once and searched: no field but the table of contents and page numbers, nothing fetched
from outside, no active link, no forged text laid over the pages, no custom style taken over.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from lxml import etree
from pypdf import PdfReader
from testpaths import FIXTURES, ROOT

from generator.load.repository import load_repository
from generator.load.templates import load_templates
from generator.render.report import ReportFiles, render_report
from generator.score.aggregate import score_evaluation

pytestmark = pytest.mark.slow  # renders reports

FIXTURE = FIXTURES / "report"
TEMPLATES = ROOT / "templates"
FORGED = "总分 12.3 分，等级：不合格"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

NARRATIVE = f"""## 主要发现

<div style="position:fixed;top:0;left:0;font-size:40pt">{FORGED}</div>

```{{=openxml}}
<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>
<w:r><w:instrText> INCLUDEPICTURE "http://evil.example/t.png" \\d </w:instrText></w:r>
<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
```

```{{=html}}
<style>body {{ display: none }}</style><img src="https://evil.example/pixel.png">
```

```{{=latex}}
\\input{{/etc/passwd}}
```

```{{=typst}}
#set page(fill: red)
```

行内 `<b>x</b>`{{=html}} 与 `<w:fldSimple w:instr="INCLUDETEXT c:\\\\x"/>`{{=openxml}} 与 \\textbf{{粗}}。

[总分 99 分]{{style="position:fixed;top:0" custom-style="Cover Title"}}

::: {{custom-style="Cover Mark"}}
正式稿
:::

见[整改要求](javascript:alert(1))、[附件](data:text/html;base64,PHNjcmlwdD4=)、<vbscript:msgbox(1)>、[本地](file:///etc/passwd)。

![跟踪像素](https://evil.example/t.png) ![内嵌](data:image/svg+xml;base64,PHN2Zy8+)

$$\\input{{/etc/passwd}}$$ [^note] @cite

### 仍是正常的小节

正常的 **加粗** 与 [政府网](https://www.gov.cn/)。
"""
YAML_VALUE = (
    '"<div style=\\"position:fixed\\">伪造</div> ```{=openxml} <w:p/> ``` `x`{=html} '
    '[链接](javascript:alert(1)) {=html} ::: {custom-style=\\"Cover Title\\"} $$x$$ @cite '
    '![t](https://evil.example/t.png) \\\\newpage <!-- c --> | 表格 |"'
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> ReportFiles:
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    folder = root / "evaluations" / "2024-alpha"
    for name in ("findings", "opinions", "summary", "suggestions"):
        (folder / f"{name}.md").write_text(NARRATIVE, encoding="utf-8")
    yaml = (folder / "evaluation.yaml").read_text(encoding="utf-8")
    yaml = yaml.replace("description: 负责全市一体化政务服务平台的建设和运行。", f"description: {YAML_VALUE}")
    (folder / "evaluation.yaml").write_text(yaml, encoding="utf-8")
    scores = (folder / "scores.yaml").read_text(encoding="utf-8")
    scores = scores.replace("comment: 实施清单与省级目录逐项比对一致。", f"comment: {YAML_VALUE}")
    scores = scores.replace("note: 事项目录比对表", f"note: {YAML_VALUE}")
    (folder / "scores.yaml").write_text(scores, encoding="utf-8")
    loaded, problems = load_repository(root)
    assert not problems, problems
    evaluation = next(e for e in loaded.evaluations if e.evaluation.id == "2024-alpha")
    assert "fixed" in evaluation.evaluation.evaluated.description
    system = loaded.system_for(evaluation.evaluation)
    out = tmp_path_factory.mktemp("out")
    return render_report(
        evaluation,
        system,
        score_evaluation(evaluation, system),
        out,
        repo_root=root,
        commit=None,
        templates=load_templates(TEMPLATES.parent, [TEMPLATES]),
        cache_dir=out / "cache",
    )


def _parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {
            n: z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith((".xml", ".rels"))
        }


def test_docx_has_no_field_but_contents_and_page_numbers(hostile: ReportFiles) -> None:
    parts = _parts(hostile.docx)
    codes = []
    for name, xml in parts.items():
        if name.startswith("word/") and name.endswith(".xml"):
            root = etree.fromstring(xml.encode("utf-8"))
            codes += ["".join(e.itertext()) for e in root.iter(W + "instrText")]
            codes += [e.get(W + "instr") for e in root.iter(W + "fldSimple")]
    assert codes and {c.split()[0] for c in codes} <= {"TOC", "PAGE", "NUMPAGES", "TITLE"}, codes
    document = etree.fromstring(parts["word/document.xml"].encode("utf-8"))
    assert len(list(document.iter(W + "fldChar"))) == 3  # the table of contents: begin, separate, end
    shown = "".join(t.text or "" for t in document.iter(W + "t"))
    assert "INCLUDEPICTURE" in shown and "INCLUDETEXT" in shown  # as the narrative's text, not as fields
    assert not [e for e in document.iter() if e.get(W + "dirty")]
    assert "updateFields" not in parts["word/settings.xml"]
    for tag in ("object", "pict", "altChunk", "subDoc"):
        assert not list(document.iter(W + tag)), tag
    assert not list(document.iter("{urn:schemas-microsoft-com:vml}shape"))


def test_docx_fetches_nothing_and_links_only_the_web(hostile: ReportFiles) -> None:
    parts = _parts(hostile.docx)
    external = []
    for name, xml in parts.items():
        if name.endswith(".rels"):
            external += re.findall(r'<Relationship [^>]*TargetMode="External"[^>]*>', xml)
    for rel in external:
        assert "/hyperlink" in rel, rel
        assert re.search(r'Target="(https?://|mailto:)', rel), rel
    assert not any("evil.example" in rel or "javascript" in rel.lower() for rel in external)
    with zipfile.ZipFile(hostile.docx) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(media) == 4  # the charts (dimensions and each dimension of the mini system), no outside image


def test_docx_shows_the_vectors_as_text_in_body_styles(hostile: ReportFiles) -> None:
    doc = Document(str(hostile.docx))
    texts = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    joined = "\n".join(texts)
    assert FORGED in joined and "position:fixed" in joined and "{=openxml}" in joined
    forged = [p for p in doc.paragraphs if FORGED in p.text]
    assert forged and all("<div" in p.text for p in forged)  # the tag is shown with it: visibly not a result
    styles = [p.style.name for p in doc.paragraphs]
    assert styles.count("Cover Title") == 1 and styles.count("Cover Mark") == 0  # confirmed: no draft mark
    levels = [int(s.split()[-1]) for s in styles if re.fullmatch(r"Heading \d", s)]
    assert all(b <= a + 1 for a, b in zip([0, *levels], levels, strict=False)), levels


def test_pdf_has_no_action_but_web_links_and_no_forged_overlay(hostile: ReportFiles) -> None:
    for path in (hostile.pdf, hostile.archive):
        with pikepdf.open(path) as pdf:
            assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
            names = pdf.Root.get("/Names", {})
            assert "/JavaScript" not in names
            for page in pdf.pages:
                assert "/AA" not in page.obj
                for annot in page.obj.get("/Annots", []):
                    action = annot.get("/A")
                    if action is None:
                        assert "/Dest" in annot
                        continue
                    kind = str(action.get("/S"))
                    assert kind in ("/URI", "/GoTo"), kind
                    if kind == "/URI":
                        assert re.match(r"(https?://|mailto:)", str(action.URI)), action.URI
        pages = ["".join((p.extract_text() or "").split()) for p in PdfReader(path).pages]
        with_forged = [t for t in pages if "".join(FORGED.split()) in t]
        # Where the four narratives are, as their literal text, the tag beside it: not laid over every page.
        assert 1 <= len(with_forged) <= 4 < len(pages), len(with_forged)
        assert all('<divstyle="position:fixed' in t for t in with_forged)
        assert all("总分99分" not in t or "custom-style" in t for t in pages)


def test_pdf_links_keep_their_text_but_not_their_script(hostile: ReportFiles) -> None:
    text = "".join(p.extract_text() or "" for p in PdfReader(hostile.pdf).pages).replace("\n", "")
    assert "整改要求" in text and "跟踪像素" in text and "INCLUDEPICTURE" in text
    with pikepdf.open(hostile.pdf) as pdf:
        uris = [
            str(a.A.URI) for p in pdf.pages for a in p.obj.get("/Annots", []) if "/A" in a and "/URI" in a.A
        ]
    assert "https://www.gov.cn/" in uris and not [u for u in uris if "evil" in u or "script" in u]
