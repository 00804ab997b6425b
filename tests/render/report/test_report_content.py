"""What a report says, read back from the DOCX and the PDF, item by item of DB34/T 3556-2019 §8.5.1.

Rendered: every sample evaluation (each with its body's template), and 2025-jia and 2025-yi of
tests/fixtures/modes (a system that is not the sample: four other dimensions, a 50-point scale, two
evaluation modes) with both shipped templates. Each of the nine items is found under its own
heading (the body's wording of it) and must state what the evaluation records: the expectations are
read from the loaded evaluation and its scorecard, not from the report's view, so a template that
keeps an item's heading but loses its content fails here.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from buildlib import SAMPLE_EVALUATIONS, sample_root
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PageObject, PdfReader
from testpaths import ROOT

from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.load.templates import load_templates
from generator.pipeline import check, score_all
from generator.render.report import ReportFiles, render_report
from generator.render.report.markdown import cn_date
from generator.render.report.style import SECTION_KEYS, StyleSpec, load_template
from generator.render.site import SiteItem, comparisons, plan_site
from generator.render.views.evaluation import Comparison
from generator.score.card import Scorecard
from generator.score.rounding import fmt

MODES = ROOT / "tests" / "fixtures" / "modes"
TEMPLATES = ROOT / "templates"
SAMPLES = SAMPLE_EVALUATIONS
FIXTURE_CASES = [(eid, t) for eid in ("2025-jia", "2025-yi") for t in ("default", "anhui-zhixin")]


@dataclass
class Rendered:
    """One rendered report with what it was made from."""

    loaded: LoadedEvaluation
    system: LoadedSystem
    card: Scorecard
    spec: StyleSpec
    files: ReportFiles
    comparison: Comparison | None

    @property
    def ev(self):  # type: ignore[no-untyped-def]
        return self.loaded.evaluation

    def pdf_pages(self) -> list[str]:
        return [squash(body_text(p)) for p in PdfReader(self.files.pdf).pages]


MARGIN_PT = 26 / 25.4 * 72
"""Text nearer the top or bottom edge than this is a running header or footer (both templates'
page margins are wider), which would otherwise break a sentence that runs onto the next page."""


def body_text(page: PageObject) -> str:
    """A page's text without its running header and footer."""
    height = float(page.mediabox.height)
    parts: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        if MARGIN_PT < y < height - MARGIN_PT:
            parts.append(text)

    page.extract_text(visitor_text=visit)
    return "".join(parts)


def squash(text: str) -> str:
    """Text without whitespace (PDF extraction and DOCX cells break lines where they like)."""
    return re.sub(r"\s+", "", text)


def render_all(root: Path, out: Path, template: str | None = None) -> dict[str, Rendered]:
    checked = check(root)
    assert checked.ok(), [str(d) for d in checked.diagnostics if d.severity.value == "error"]
    cards = score_all(checked)
    items = [
        SiteItem(e, checked.repo.system_for(e.evaluation), cards[e.evaluation.id])
        for e in checked.repo.evaluations
    ]
    compared = comparisons(plan_site(root, items, list(checked.repo.systems.values())))
    done = {}
    for item in items:
        eid = item.loaded.evaluation.id
        files = render_report(
            item.loaded,
            item.system,
            item.card,
            out,
            repo_root=root,
            commit=None,
            comparison=compared.get(eid),
        )
        spec = load_template(
            load_templates(root, [root / "templates", TEMPLATES]), item.loaded.evaluation.body.template
        ).spec
        done[eid] = Rendered(item.loaded, item.system, item.card, spec, files, compared.get(eid))
    return done


def with_template(source: Path, dest: Path, template: str) -> Path:
    """A copy of a repository whose evaluations all use ``template``."""
    shutil.copytree(source, dest)
    for path in dest.glob("evaluations/*/evaluation.yaml"):
        text = re.sub(r"(?m)^  template: .*\n", "", path.read_text(encoding="utf-8"))
        path.write_text(text.replace("\nbody:\n", f"\nbody:\n  template: {template}\n"), encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def fixture_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Rendered]:
    found = {}
    for template in ("default", "anhui-zhixin"):
        root = with_template(MODES, tmp_path_factory.mktemp("modes") / "repo", template)
        out = tmp_path_factory.mktemp("reports")
        for eid, report in render_all(root, out).items():
            found[(eid, template)] = report
    return found


@pytest.fixture(scope="module")
def sample_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    return render_all(sample_root(), tmp_path_factory.mktemp("samples"))


def docx_blocks(path: Path) -> Iterator[tuple[str, str]]:
    """(style, text) of every paragraph and table cell of the body, in document order."""
    doc = Document(str(path))
    for child in doc.element.body.iterchildren():
        if child.tag.endswith("}p"):
            p = Paragraph(child, doc)
            yield p.style.name, p.text
        elif child.tag.endswith("}tbl"):
            for row in Table(child, doc).rows:
                yield "Table", "｜".join(c.text for c in row.cells)


def docx_items(report: Rendered) -> dict[str, str]:
    """The squashed text of each §8.5.1 item: from its Heading 1 to the next Heading 1."""
    titles = {report.spec.wording.sections[k]: k for k in SECTION_KEYS}
    found: dict[str, list[str]] = {}
    current = None
    for style, text in docx_blocks(report.files.docx):
        if style == "Heading 1":
            current = next((k for t, k in titles.items() if t in text), None)
            continue
        if current is not None:
            found.setdefault(current, []).append(text)
    return {k: squash("\n".join(v)) for k, v in found.items()}


def pdf_items(report: Rendered) -> dict[str, str]:
    """The squashed text of each item in the PDF, after the table of contents, by the items' titles."""
    pages = report.pdf_pages()
    toc = next(i for i, page in enumerate(pages) if re.search(r"目录|目　录", page))
    text = "".join(pages[toc + 1 :])
    titles = [
        f"{n}、{squash(report.spec.wording.sections[k])}"
        for n, k in zip("一二三四五六七八九", SECTION_KEYS, strict=True)
    ]
    starts, at = [], 0
    for title in titles:
        at = text.index(title, at)
        starts.append(at)
        at += len(title)
    end = text.find("附录A", starts[-1])
    bounds = [*starts[1:], end if end > 0 else len(text)]
    return {k: text[s:e] for k, s, e in zip(SECTION_KEYS, starts, bounds, strict=True)}


def narrative_starts(text: str | None) -> list[str]:
    """The first words of every paragraph, list item and heading of a narrative file."""
    found = []
    for line in (text or "").splitlines():
        if not line.strip() or line.startswith((" ", "\t", "|", "```")):
            continue
        words = re.sub(r"^(#+|[-*+]|\d+\.)\s+", "", line.strip()).replace("**", "")
        words = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", words)
        if words:
            found.append(squash(words)[:12])
    return found


def expectations(report: Rendered) -> dict[str, list[str]]:
    """What each item must state, from the evaluation's records and its scorecard."""
    ev, card, res = report.ev, report.card, report.card.result
    rounding = report.system.system.rounding
    people = [*ev.team, *ev.experts, *ev.party_staff]
    scores = [fmt(card.total, rounding.total)]
    for d in res.dimensions:
        scores += [d.name] + ([fmt(d.points, rounding.dimension)] if d.points is not None else [])
        scores += [fmt(f.points, rounding.dimension) for f in d.by_mode if f.points is not None]
    for mode in card.modes:
        scores += [mode.name, fmt(mode.total, rounding.total)]
    for _, indicators in card.mode_indicators or ((None, card.indicators),):
        scores += [x for i in indicators if i.is_leaf for x in (i.id, i.name)]
        scores += [
            fmt(i.points, rounding.indicator) for i in indicators if i.is_leaf and i.points is not None
        ]
    confirmed = ev.confirmation is not None and ev.confirmation.status == "已确认"
    result = [fmt(card.total, rounding.total), card.grade, *card.vetoes]
    result.append(cn_date(ev.confirmation.date) if confirmed else report.spec.wording.draft_mark)
    if report.comparison:
        result += [report.comparison.previous_title, fmt(abs(report.comparison.change.total), rounding.total)]
    for o in ev.confirmation.objections if ev.confirmation else []:
        result.append(o.id)
        if o.response and o.response.decision == "采纳":
            result += [c.indicator for c in o.response.changes]
    weak = [
        x.id
        for x in res.leaves
        if x.status == "scored" and x.effective_weight > 0 and (x.fraction or 0) < 0.8
    ]
    methods = {n.indicator.method for n in report.system.index.values() if n.is_leaf and n.indicator.method}
    wording = report.spec.wording
    return {
        "parties": [ev.body.name, ev.commissioner.name, ev.evaluated.name]
        + [p.name for p in people]
        + [p.affiliation for p in people]
        + [q for p in people for q in p.qualifications],
        "goals": [squash(ev.purpose)[:30], squash(ev.object)[:30], squash(ev.scope)[:30]],
        "methods": [report.system.system.name, *sorted(methods), *(d.name for d in res.dimensions)]
        + [a.kind for a in ev.activities],
        "scores": scores,
        "opinions": narrative_starts(report.loaded.narrative.get("opinions")),
        "time": [cn_date(d) for d in (ev.period.start, ev.period.end, ev.plan.approved, ev.plan.report_due)],
        "format": [squash(wording.format_statement)[:40], squash(wording.packaging)[:40]],
        "result": result,
        "suggestions": [*card.vetoes, *weak] + narrative_starts(report.loaded.narrative.get("suggestions")),
    }


def assert_items(items: dict[str, str], report: Rendered, what: str) -> None:
    for key, needed in expectations(report).items():
        assert key in items, f"{what}: no item {key}"
        absent = [text for text in needed if squash(text) not in items[key]]
        assert not absent, f"{what}: item {key} ({report.spec.wording.sections[key]}) lacks {absent}"
        assert items[key], f"{what}: item {key} has no content"


@pytest.mark.slow
@pytest.mark.parametrize(("eid", "template"), FIXTURE_CASES)
def test_every_item_is_stated_on_a_non_sample_system(
    fixture_reports: dict[tuple[str, str], Rendered], eid: str, template: str
) -> None:
    report = fixture_reports[(eid, template)]
    assert report.files.template == template and not report.system.system.sample
    assert_items(docx_items(report), report, f"{eid} {template} DOCX")
    assert_items(pdf_items(report), report, f"{eid} {template} PDF")


@pytest.mark.slow
@pytest.mark.parametrize("eid", SAMPLES)
def test_every_item_is_stated_in_every_sample(sample_reports: dict[str, Rendered], eid: str) -> None:
    report = sample_reports[eid]
    assert_items(docx_items(report), report, f"{eid} DOCX")
    assert_items(pdf_items(report), report, f"{eid} PDF")


def docx_tables(report: Rendered) -> dict[str, list[list[str]]]:
    """Tables by caption (the paragraph before each): rows of cell texts, header first."""
    doc = Document(str(report.files.docx))
    found, caption = {}, ""
    for child in doc.element.body.iterchildren():
        if child.tag.endswith("}p"):
            text = Paragraph(child, doc).text
            if text.strip():
                caption = re.sub(r"^表 \d+　", "", text)
        elif child.tag.endswith("}tbl"):
            found[caption] = [[c.text for c in row.cells] for row in Table(child, doc).rows]
    return found


@pytest.mark.slow
@pytest.mark.parametrize("template", ["default", "anhui-zhixin"])
def test_the_result_is_combined_and_each_mode_labelled(
    fixture_reports: dict[tuple[str, str], Rendered], template: str
) -> None:
    report = fixture_reports[("2025-jia", template)]
    card, digits = report.card, report.system.system.rounding
    tables = docx_tables(report)
    dims = tables["各维度综合得分"]
    assert dims[0] == ["维度", "分值", "自查", "第三方评估", "综合得分", "得分率"]
    rows = {r[0].split()[0]: r for r in dims[1:]}
    for d in card.result.dimensions:
        own = [fmt(f.points, digits.dimension) for f in d.by_mode]
        assert rows[d.id][2:5] == [*own, fmt(d.points, digits.dimension)], d.id
    assert rows["合计"][2:5] == [
        *(fmt(m.total, digits.total) for m in card.modes),
        fmt(card.total, digits.total),
    ]
    modes = tables["各评价方式得分"]
    assert [r[0] for r in modes[1:]] == ["自查（被评价方自评）", "第三方评估", "综合得分"]
    headings = [text for style, text in docx_blocks(report.files.docx) if style.startswith("Heading")]
    assert any("评价方式：自查" in h for h in headings) and any("评价方式：第三方评估" in h for h in headings)
    for mode in card.modes:
        own = dict(card.mode_indicators)[mode.id]
        table = tables[f"{mode.name}：渠道建设各指标得分"]
        shown = {r[0]: r[4] for r in table[1:]}
        assert shown["Q2"] == fmt(next(i for i in own if i.id == "Q2").points, digits.indicator)
    evidence = tables["评价证据清单"]
    assert {(r[0], r[1]) for r in evidence[1:]} == {
        ("自查", "Q2"),
        ("第三方评估", "Q1"),
        ("第三方评估", "Q2"),
    }


@pytest.mark.slow
def test_the_multi_mode_sample_shows_the_third_party_scores_and_evidence(
    sample_reports: dict[str, Rendered],
) -> None:
    report = sample_reports["2024-bozhou-haochaping"]
    tables = docx_tables(report)
    header = tables["各维度综合得分"][0]
    assert header[2:5] == ["自评", "第三方评价", "综合得分"]
    listed = [r for r in tables["评价证据清单"][1:] if r[0] == "第三方评价"]
    recorded = [
        e
        for f in report.loaded.score_files
        if f.scores.mode == "third_party"
        for entry in f.scores.indicators.values()
        for e in entry.evidence
        if not e.internal
    ]
    assert len(listed) == len(recorded) >= 7
    weak = tables["重点改进指标"]
    assert weak[0][2:4] == ["自评", "第三方评价"], "the weak indicators show each mode's share, labelled"


def page_of(pages: list[str], text: str, start: int = 0) -> int:
    return next(i for i, page in enumerate(pages) if i >= start and squash(text) in page)


def cover_and_front(report: Rendered) -> None:
    """The cover holds everything on page 1; the statement and the summary take a page each, then the body."""
    pages, ev, wording = report.pdf_pages(), report.ev, report.spec.wording
    date = cn_date(ev.submission.date if ev.submission else ev.period.end)
    cover = pages[0]
    for text in (ev.title, ev.evaluated.name, ev.commissioner.name, ev.body.name, date):
        assert squash(text) in cover, f"{ev.id}: {text} is not on the cover"
    if ev.confirmation is None or ev.confirmation.status != "已确认":
        assert wording.draft_mark in cover
    assert (
        pages[1].startswith(squash(wording.statement_title))
        or squash(wording.statement_title) in pages[1][:40]
    )
    summary = page_of(pages, wording.summary_title)
    assert summary <= 3 and fmt(report.card.total, report.system.system.rounding.total) in pages[summary]
    assert report.card.grade in pages[summary]
    assert re.search(r"目录|目　录", pages[summary + 1]), "the summary keeps to one page; the contents follow"
    body = page_of(pages, f"一、{wording.sections['parties']}", summary + 2)
    assert summary < body


@pytest.mark.slow
@pytest.mark.parametrize(("eid", "template"), FIXTURE_CASES)
def test_cover_statement_and_summary_each_keep_to_their_page(
    fixture_reports: dict[tuple[str, str], Rendered], eid: str, template: str
) -> None:
    cover_and_front(fixture_reports[(eid, template)])


@pytest.mark.slow
@pytest.mark.parametrize("eid", SAMPLES)
def test_sample_covers_and_summaries_keep_to_their_page(
    sample_reports: dict[str, Rendered], eid: str
) -> None:
    cover_and_front(sample_reports[eid])


@pytest.mark.slow
def test_statement_and_signature_are_worded_and_placed_by_the_body(
    fixture_reports: dict[tuple[str, str], Rendered],
) -> None:
    default, zhixin = fixture_reports[("2025-jia", "default")], fixture_reports[("2025-jia", "anhui-zhixin")]
    pages = default.pdf_pages()
    assert "本报告由测评先锋评估中心受甲县人民政府办公室委托" in pages[1]
    assert "5个工作日内" in pages[1] or "10个工作日内" in pages[1]
    signature = page_of(pages, "批准人（签字）")
    assert page_of(pages, "九、改进建议") <= signature < page_of(pages, "附录A", signature)
    assert "评价机构（盖章）：测评先锋评估中心" in pages[signature]
    assert "项目负责人（签字）" in pages[signature] and "审核人（签字）" in pages[signature]
    pages = zhixin.pdf_pages()
    assert "报告声明" in pages[1] and "签发" in pages[1], "the centre signs on its statement page"
    assert "技术审核人（签字）" in pages[1] and "安徽知信质量技术评价中心（评估专用章）" in pages[1]
    assert "批准人（签字）" not in "".join(pages[2:])


@pytest.mark.slow
@pytest.mark.parametrize("template", ["default", "anhui-zhixin"])
def test_result_compares_with_last_time_and_lists_scores_changed_by_objections(
    fixture_reports: dict[tuple[str, str], Rendered], template: str
) -> None:
    report = fixture_reports[("2025-jia", template)]
    result = docx_items(report)["result"]
    change = report.comparison.change
    assert "与上次评价（2024年度甲县网上办事能力评估" in result and f"上升{fmt(change.total, 2)}分" in result
    compared = docx_tables(report)["与上次评价比较"]
    assert {r[0].split()[0]: r[1] for r in compared[1:]} == {
        **{d: f"+{fmt(c, 2)}" if c > 0 else fmt(c, 2) for d, _, c in change.dimensions},
        "总分": f"+{fmt(change.total, 2)}",
    }
    changed = docx_tables(report)["因采纳反馈意见调整的得分"]
    assert changed[1] == ["O1", "第三方评估：T2 一次办成率", "0.7", "0.8", "2.50", "5.00"]
