"""Render one evaluation's report (DOCX and PDF).

The steps read as the pipeline: resolve the body's template → fingerprint the inputs → draw the
charts → build the view → Markdown → DOCX (reference.docx) and HTML → PDF.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.build.cache import REPORT_PACKAGES, package_versions
from generator.build.manifest import REPORT_SUFFIXES
from generator.load.repository import LoadedEvaluation, LoadedSystem, rel_path
from generator.load.templates import TemplateFiles, load_templates
from generator.render.edition import Edition
from generator.render.narrative import FolderFiles
from generator.render.report.charts import make_charts
from generator.render.report.docx import write_docx
from generator.render.report.fingerprint import Fingerprint, compute_fingerprint
from generator.render.report.items import missing
from generator.render.report.logo import load_logo
from generator.render.report.markdown import render_markdown
from generator.render.report.pandoc import ReportError, find_pandoc
from generator.render.report.pdf import Attachment, html_page, markdown_to_html, write_pdf
from generator.render.report.refdoc import reference_docx
from generator.render.report.sign import SigningKey, sign_pdf
from generator.render.report.style import BodyTemplate, load_template
from generator.render.views.report import Comparison, Integrity, ReportView, build_view
from generator.score import export
from generator.score.card import Scorecard


@dataclass(frozen=True)
class ReportFiles:
    """What ``render_report`` wrote."""

    docx: Path
    """The DOCX report."""
    pdf: Path
    """The PDF report (tagged, PDF/UA-1)."""
    archive: Path
    """The archival PDF (PDF/A-3u) with the scorecard JSON attached."""
    fingerprint: Fingerprint
    """The fingerprint embedded in both."""
    draft: bool
    """True when marked 征求意见稿 (not yet confirmed)."""
    template: str
    """Template folder used."""


def render_report(
    evaluation: LoadedEvaluation,
    system: LoadedSystem,
    card: Scorecard,
    out_dir: Path,
    *,
    repo_root: Path,
    public: bool = True,
    commit: str | None,
    templates: TemplateFiles | None = None,
    cache_dir: Path | None = None,
    signer: SigningKey | None = None,
    comparison: Comparison | None = None,
    inputs: str | None = None,
) -> ReportFiles:
    """Write ``<id>.docx``, ``<id>.pdf`` and ``<id>-pdfa.pdf`` to ``out_dir``.

    ``templates``: the loaded template files (``load.templates``; the repository's templates/ and
    the generator's own, read here when None); the
    reference.docx is cached in ``cache_dir`` (a temporary folder when None); with ``signer`` both
    PDFs are signed (PAdES); ``comparison`` is the party's previous evaluation as the site compares
    it. Raises ``ReportError`` when pandoc fails, ``SigningError`` when signing does.
    """
    if cache_dir is None:
        with tempfile.TemporaryDirectory(prefix="zwpj-report-") as tmp:
            return render_report(
                evaluation,
                system,
                card,
                out_dir,
                repo_root=repo_root,
                public=public,
                commit=commit,
                templates=templates,
                cache_dir=Path(tmp),
                signer=signer,
                comparison=comparison,
                inputs=inputs,
            )
    pandoc = find_pandoc()
    template, view, files_shown = prepare_report(
        evaluation,
        system,
        card,
        repo_root=repo_root,
        public=public,
        commit=commit,
        templates=templates,
        cache_dir=cache_dir,
        comparison=comparison,
        inputs=inputs,
    )
    body = render_markdown(template, view, target="html", files=files_shown)
    left_out = missing(body, view)
    if left_out:  # zwpj check catches this with its sample report; this evaluation's data may differ
        items = "；".join(f"第 {m.number} 项“{m.title}”缺少{m.what}" for m in left_out[:5])
        report = f"报告模板 {template.name} 生成的 {card.evaluation_id} 报告"
        raise ReportError(f"{report}不完整（DB34/T 3556-2019 §8.5.1）：{items}")
    meta = report_meta(view)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = ReportFiles(
        out_dir / f"{card.evaluation_id}.docx",
        out_dir / f"{card.evaluation_id}.pdf",
        out_dir / f"{card.evaluation_id}{REPORT_SUFFIXES[2]}",
        view.integrity.fingerprint,
        view.draft,
        template.name,
    )
    reference = reference_docx(
        template.spec,
        draft_mark=view.mark,
        pandoc=pandoc,
        cache_dir=cache_dir,
    )
    write_docx(
        render_markdown(template, view, target="docx", files=files_shown),
        files.docx,
        pandoc=pandoc,
        reference=reference,
        meta=meta,
        core=core_properties(view),
        date=view.date,
    )
    html = markdown_to_html(body, pandoc=pandoc, date=view.date)
    write_pdf(
        html_page(template, view, html, meta, draft=view.mark),
        files.pdf,
        files.archive,
        attachment=scorecard_attachment(view),
        date=view.date,
    )
    if signer is not None:
        reason = f"{view.ev.body.name}发布的评价报告（{view.status}）"
        sign_pdf(files.pdf, signer, reason=reason, archival=False)
        sign_pdf(files.archive, signer, reason=reason, archival=True)
    return files


def prepare_report(
    evaluation: LoadedEvaluation,
    system: LoadedSystem,
    card: Scorecard,
    *,
    repo_root: Path,
    public: bool,
    commit: str | None,
    templates: TemplateFiles | None,
    cache_dir: Path,
    comparison: Comparison | None,
    inputs: str | None = None,
) -> tuple[BodyTemplate, ReportView, FolderFiles]:
    """The body's template, the report's view and the files it may show: what its Markdown is made
    from (``inputs``: the hash of the evaluation's and its system's files, hashed here when None)."""
    pandoc = find_pandoc()
    files = load_templates(repo_root) if templates is None else templates
    template = load_template(files, evaluation.evaluation.body.template)
    fingerprint = compute_fingerprint(
        repo_root,
        evaluation.rel,
        rel_path(repo_root, system.folder),
        edition=system.system.edition,
        generator=__version__,
        commit=commit,
        inputs=inputs,
    )
    charts = make_charts(card, template.spec.chart_colors)
    logo = template.find("logo.svg")
    view = build_view(
        evaluation,
        system,
        card,
        template=template,
        public=public,
        charts=charts,
        integrity=Integrity(fingerprint, pandoc.version),
        logo=load_logo(files.read(logo), cache_dir) if logo else None,
        comparison=comparison,
    )
    return template, view, FolderFiles.of(evaluation, Edition.of(public))


def scorecard_attachment(view: ReportView) -> Attachment:
    """The scorecard as the site publishes it (data/evaluations/<id>.json), byte for byte."""
    return Attachment(
        f"{view.ev.id}.json",
        export.to_json(view.ev.card).encode("utf-8"),
        "评分结果（与站点 data/evaluations/ 下的开放数据文件相同）",
    )


def report_meta(view: ReportView) -> dict[str, str]:
    """Custom document properties (DOCX) and PDF metadata: the fingerprint and what made the report
    (pandoc's version and those of the packages that shape its bytes, so that ``verify`` can tell a
    changed file from a rebuild with other tools).

    Names are letters only: WeasyPrint drops other characters from PDF metadata names.
    """
    fp = view.integrity.fingerprint
    return {
        "ZwpjFingerprint": fp.encode(),
        "ZwpjDigest": fp.digest,
        "ZwpjEvaluation": view.ev.id,
        "ZwpjStatus": view.status,
        "ZwpjTemplate": view.template,
        "ZwpjGenerator": fp.generator,
        "ZwpjPandoc": view.integrity.pandoc,
        "ZwpjTools": package_versions(REPORT_PACKAGES),
    }


def core_properties(view: ReportView) -> dict[str, str]:
    """DOCX core properties (title, author, subject, keywords)."""
    return {
        "title": view.title,
        "creator": view.ev.body.name,
        "subject": f"{view.ev.evaluated.name}；{view.ev.system.name} {view.ev.system.edition}",
        "keywords": "互联网+政务服务; 服务质量评价; DB34/T 3556-2019",
        "description": f"报告指纹 {view.integrity.fingerprint.digest}",
        "language": "zh-CN",
    }
