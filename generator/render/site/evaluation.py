"""The page of one evaluation, and the evidence files it links to.

Evidence and narrative links point at files in the evaluation folder. Only the public files of
the kinds ``render.narrative.policy.PUBLISHED_SUFFIXES`` lists are published (never HTML, SVG or
scripts); Markdown evidence is rendered through the narrative policy into a plain HTML page.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup

from generator.build.manifest import REPORT_SUFFIXES
from generator.load.repository import LoadedEvaluation
from generator.render import charts
from generator.render.edition import Edition
from generator.render.narrative import FolderFiles
from generator.render.site.markup import md_escape, md_link, render_narrative
from generator.render.site.overview import WIDE
from generator.render.site.writer import DocsWriter
from generator.render.views.evaluation import EvaluationView, IndicatorRow, ModeRows
from generator.render.views.process import ProcessView
from generator.score.ranking import Delta

_EVIDENCE_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>{head}
<style>body{{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:50rem;margin:auto;padding:1rem;
line-height:1.7}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2rem .5rem}}</style>
</head><body>{banner}<header><p><a href="{back}">返回评价页面</a></p>\
<h1>证据文件 <code>{file}</code></h1></header>
<main>
{body}
</main>
</body></html>
"""


class EvidencePublisher:
    """Publishes the files of one evaluation folder that its page links to."""

    def __init__(
        self, writer: DocsWriter, loaded: LoadedEvaluation, edition: Edition = Edition.PUBLIC
    ) -> None:
        self.writer = writer
        self.edition = edition
        self.files = FolderFiles.of(loaded, edition)
        self.markdown = loaded.markdown
        self.id = loaded.evaluation.id
        self.done: dict[str, str | None] = {}

    def publish(self, target: str) -> str | None:
        """Publish ``target`` (relative to the folder); return its path from the docs root, or None.

        None for a file that is missing, outside the folder, of a type the site does not publish
        or, in the public edition, internal (``internal/``, ``internal_files``, the YAML records).
        """
        if target not in self.done:
            self.done[target] = self._publish(target)
        return self.done[target]

    def _publish(self, target: str) -> str | None:
        rel = self.files.resolve(target)
        if rel is None:
            return None
        path = self.files.path(rel)
        out = f"evaluations/{self.id}/files/{rel}"
        if path.suffix.lower() == ".md":
            text = self.markdown.get(rel)
            if text is None:  # not read: check reports why (E102, E104); never published half-read
                return None
            out += ".html"
            back = posixpath.relpath(f"evaluations/{self.id}.html", posixpath.dirname(out))
            body = render_narrative(self.edition.narrative(text))
            page = _EVIDENCE_PAGE.format(
                title=html.escape(self.edition.titled(rel)),
                head=self.edition.head,
                banner=self.edition.banner,
                back=back,
                file=html.escape(rel),
                body=body,
            )
            self.writer.text(out, page)
        else:
            self.writer.copy(path, out)
        return out

    def link_from_page(self, target: str) -> str | None:
        """For narrative HTML: the published file's URL relative to the evaluation page."""
        if target.startswith("#"):
            return target
        out = self.publish(target.split("#")[0])
        return quote(out.removeprefix("evaluations/")) if out else None


def evidence_links(row: IndicatorRow, publisher: EvidencePublisher, root: str) -> list[Markup]:
    """One Markdown link (or plain label) per piece of evidence of a row."""
    links = []
    for e in row.evidence:
        if e.is_url:
            links.append(
                md_link(e.label, _safe_url(e.target)) + Markup('{ rel="external noopener noreferrer" }')
            )
            continue
        published = publisher.publish(e.target) if e.target else None
        if published:
            links.append(md_link(e.label, root + quote(published)))
        else:
            links.append(Markup(md_escape(f"{e.label}（{e.target or '无'}，未在站点发布）")))
    return links


def file_link(target: str, publisher: EvidencePublisher, root: str) -> Markup:
    """A link to a published file of the evaluation folder, or its name when it is not published."""
    published = publisher.publish(target)
    return md_link(target, root + quote(published)) if published else Markup(md_escape(f"{target}（不公开）"))


def _safe_url(url: str) -> str:
    """Percent-encode what would end a Markdown link destination."""
    return re.sub(r"[\s()<>\"|\\]", lambda m: quote(m.group(0)), url)


def _anchor(mode: ModeRows | None, row: IndicatorRow) -> Markup:
    slug = re.sub(r"[^A-Za-z0-9-]+", "-", row.score.id).strip("-")
    return Markup(f"m-{mode.id}-{slug}" if mode else f"ind-{slug}")


def _charts(v: EvaluationView) -> tuple[Markup, dict[str, Markup]]:
    axes = [(d.name, d.fraction or 0.0) for d in v.result.dimensions if d.weight > 0]  # not veto/bonus groups
    radar = charts.radar(
        axes, title=f"{v.title}：各维度得分率", caption="各维度得分率（得分 ÷ 分值），数据见下表"
    )
    sets = [(m.id, m.rows) for m in v.modes] or [("", v.rows)]
    bars = {}
    for key, rows in sets:
        items = [
            charts.Bar(
                f"{r.score.id} {r.score.name}", r.score.fraction, _rate(r), f"{r.score.id} {r.score.name}"
            )
            for r in rows
            if r.score.is_leaf and r.score.weight > 0
        ]
        bars[key] = charts.bars(
            items, maximum=1.0, title=f"{v.title}：各指标得分率", caption="各末级指标得分率，数据见下表"
        )
    return radar, bars


def _rate(row: IndicatorRow) -> str:
    return "不适用" if row.score.fraction is None else f"{row.score.fraction * 100:.1f}%"


@dataclass(frozen=True)
class Neighbours:
    """Where an evaluation stands among the others: its party's page and its previous evaluation."""

    party_slug: str
    """Page name of the evaluated party's history."""
    change: Delta | None
    """Change since the party's previous evaluation."""
    previous: EvaluationView | None
    """That previous evaluation."""


def write_evaluation(
    writer: DocsWriter,
    v: EvaluationView,
    loaded: LoadedEvaluation,
    *,
    neighbours: Neighbours,
    process: ProcessView,
    calculator: Markup,
    reports: bool,
    digests: Mapping[str, str] | None = None,
    edition: Edition = Edition.PUBLIC,
) -> None:
    """Write ``evaluations/<id>.md`` with its evidence files.

    ``loaded`` is the evaluation as loaded (its folder's public files are published, or in the
    internal ``edition`` all of them); ``v`` and ``process`` come from the evaluation as the
    edition shows it (``Edition.view``); ``calculator`` is the what-if panel's mount point;
    ``digests`` the SHA-256 of its downloads by file name.
    """
    publisher = EvidencePublisher(writer, loaded, edition)
    root = "../"
    narrative = {name: render_narrative(text, publisher) for name, text in v.narrative.items()}
    radar, bars = _charts(v)
    writer.page(
        f"evaluations/{v.id}.md",
        "evaluation.md.j2",
        title=v.title,
        meta={**WIDE, "calculator": True} if calculator else WIDE,
        v=v,
        party_slug=neighbours.party_slug,
        change=neighbours.change,
        prev=neighbours.previous,
        process=process,
        calculator=calculator,
        narrative=narrative,
        radar=radar,
        bars=bars,
        anchor=_anchor,
        downloads=downloads(v.id, reports=reports, digests=digests),
        evidence_links=lambda row: evidence_links(row, publisher, root),
        file_link=lambda target: file_link(target, publisher, root),
    )


REPORT_LABELS = ("评价报告（Word，DOCX）", "评价报告（PDF）", "存档版报告（PDF/A-3，内附评分数据）")
"""Download labels of the files ``manifest.REPORT_SUFFIXES`` names, in that order."""


def downloads(
    evaluation_id: str, *, reports: bool, digests: Mapping[str, str] | None = None
) -> Sequence[tuple[str, Markup, bool, str | None]]:
    """(label, href, raw HTML?, SHA-256 or None) of each download. Reports are written outside the
    docs folder, so their links are raw HTML that mkdocs does not check; the site's link check
    covers them afterwards. ``digests``: the files' SHA-256 by file name, as in the manifest."""
    digests = digests or {}
    items: list[tuple[str, Markup, bool, str | None]] = []
    if reports:
        for label, suffix in zip(REPORT_LABELS, REPORT_SUFFIXES, strict=True):
            name = f"{evaluation_id}{suffix}"
            items.append((label, Markup(f"../reports/{name}"), True, digests.get(name)))
    for label, suffix in (("各指标得分（JSON）", ".json"), ("各指标得分（CSV）", ".csv")):
        name = f"{evaluation_id}{suffix}"
        items.append((label, Markup(f"data/evaluations/{name}"), False, digests.get(name)))
    return items
