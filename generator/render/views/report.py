"""The report's view model: the shared evaluation view plus what only a report needs.

A report adds to ``EvaluationView`` its date, its draft status (§8.5.3), the body's wording and
structure, the charts, the fingerprint, the comparison with the party's previous evaluation (the
figure the site shows), the scores accepted objections changed, the indicators to improve and, for
internal copies only, contact details. Its figures are the evaluation's result
(``Scorecard.result``): combined over the modes when there are several, each mode named.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from dataclasses import dataclass, field

from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.model.stages import confirmed
from generator.model.system import Rounding
from generator.render.edition import Edition
from generator.render.report.fingerprint import Fingerprint
from generator.render.report.logo import Logo
from generator.render.report.markdown import cn_date, number
from generator.render.report.style import PLACEHOLDER, SECTION_KEYS, BodyTemplate, StyleSpec, Wording
from generator.render.views.evaluation import (
    Comparison,
    ContactRow,
    EvaluationView,
    EvidenceView,
    IndicatorRow,
    contacts_of,
    evaluation_view,
    system_view,
)
from generator.render.views.process import ChangeView, SampleView, objection_changes, sample_view
from generator.score.card import IndicatorScore, Result, ResultScore, Scorecard

WEAK_SHARE = 0.8
"""Leaves scoring below this share of their weight are listed as priorities for improvement."""
COVER_LINES = (11.0, 16.0)
"""Estimated cover lines up to which the cover is set at full size, then at the first smaller fit."""
PAGE_PARTS = ("cover", "statement", "summary", "toc")
"""Parts that take a page of their own."""
SUMMARY_FINDINGS = 5
"""Weakest indicators the one-page summary names."""
SUMMARY_TEXT = 60
"""Characters of an indicator's finding the one-page summary keeps."""


@dataclass(frozen=True)
class Chart:
    """A chart in both forms a report needs."""

    key: str
    """Which chart: ``dimensions`` or ``indicators``."""
    title: str
    """Caption text (the number is added where it is placed)."""
    png: bytes
    """Raster for the DOCX."""
    svg: bytes
    """Vector for the PDF."""
    width_cm: float
    """Width on the page."""
    alt: str
    """The chart's data as text (its alternative text in the PDF and the DOCX)."""

    def data_uri(self, target: str) -> str:
        """The image inlined, since the sandboxed pandoc may read no other file."""
        mime, data = ("image/svg+xml", self.svg) if target == "html" else ("image/png", self.png)
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def chart_plan(result: Result) -> dict[str, tuple[str, tuple[ResultScore, ...]]]:
    """The report's charts: key → (title, what it draws). ``dimensions`` draws every dimension; each
    dimension with weighted or not-applicable leaves gets a chart of those leaves (key: its id)."""
    plan = {"dimensions": ("各维度得分", result.dimensions)}
    for dim in result.dimensions:
        leaves = tuple(
            x
            for x in result.leaves
            if x.dimension == dim.id and (x.effective_weight > 0 or x.status == "not_applicable")
        )
        if leaves:
            plan[dim.id] = (f"{dim.name}各末级指标得分率", leaves)
    return plan


def placeholder_charts(result: Result) -> dict[str, Chart]:
    """The charts without images: enough to render a report's Markdown when only its text matters."""
    return {key: Chart(key, title, b"", b"", 15.0, title) for key, (title, _) in chart_plan(result).items()}


@dataclass(frozen=True)
class Finding:
    """What one evaluation mode found on an indicator (its comment, else its observation)."""

    mode: str | None
    """Mode name; None without modes."""
    text: str
    """The finding."""


@dataclass(frozen=True)
class WeakRow:
    """A leaf whose result scores below ``WEAK_SHARE`` of its weight: a priority for improvement."""

    id: str
    """Indicator id."""
    name: str
    """Indicator name."""
    fraction: float
    """Result points as a share of the weight."""
    by_mode: tuple[tuple[str, float | None], ...]
    """(mode name, share) for each mode; empty without modes."""
    findings: tuple[Finding, ...]
    """What each mode found."""

    def summary_text(self, limit: int = SUMMARY_TEXT) -> str:
        """The findings on one line, cut at ``limit`` characters."""
        parts = (f.text.rstrip("。；;. ") for f in self.findings)
        text = "；".join(f"{f.mode}：{t}" if f.mode else t for f, t in zip(self.findings, parts, strict=True))
        return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Outcome:
    """What a report prints for an indicator that holds no points: a veto or bonus item, or a group of them.

    Such an indicator has weight 0, so points and a share of its weight would say nothing (0.00,
    100.0%); the report says what it decided instead, as the site does.
    """

    weight: str
    """In the weight column: 否决 (a veto item), 加分 (a bonus item), or a dash for a group."""
    by_mode: tuple[str, ...]
    """Each mode's outcome (否决 / 未否决 / 加 5.00 / —); empty without modes."""
    result: str
    """The result's outcome: combined over the modes when there are several."""


@dataclass(frozen=True)
class EvidenceRow:
    """One piece of evidence for the appendix, with the mode whose score file lists it."""

    mode: str | None
    """Mode name; None without modes."""
    row: IndicatorRow
    """The indicator."""
    evidence: EvidenceView
    """The evidence."""


@dataclass(frozen=True)
class ObjectionChanges:
    """What the accepted objections changed, and the result as first reported."""

    rows: tuple[ChangeView, ...]
    """Each change."""
    total_before: float
    """Total first reported."""
    grade_before: str
    """Grade first reported."""


@dataclass(frozen=True)
class SignatureView:
    """The signature and seal block with its placeholders filled in."""

    title: str
    """Heading, or empty."""
    note: str
    """Sentence above the lines, or empty."""
    signers: tuple[str, ...]
    """Roles that sign."""
    seal: str
    """Seal line."""
    date: str
    """Date line."""


@dataclass(frozen=True)
class Integrity:
    """What the report was made from and with."""

    fingerprint: Fingerprint
    """The fingerprint, recomputed by ``zwpj verify``."""
    pandoc: str
    """pandoc version."""


@dataclass(frozen=True)
class ReportView:
    """Everything a report template reads."""

    ev: EvaluationView
    """The evaluation as published."""
    template: str
    """Template folder used."""
    spec: StyleSpec
    """The template's style (fonts and page, for the format statement)."""
    wording: Wording
    """The body's words."""
    sections: dict[str, str]
    """Title of each §8.5.1 section by key."""
    title: str
    """Report title."""
    date: dt.date
    """Report date: submission date, else the end of the evaluation period."""
    draft: bool
    """True until the evaluated party has confirmed the result (§8.5.3)."""
    public: bool
    """False for an internal copy that may carry contact details."""
    contacts: tuple[ContactRow, ...]
    """Contact details (empty in a public report)."""
    charts: dict[str, Chart]
    """Charts by key."""
    logo: Logo | None
    """The body's logo, if the template has one."""
    rounding: Rounding
    """Decimals at each step of the system."""
    weak: tuple[WeakRow, ...]
    """Scored leaves whose result is below WEAK_SHARE, weakest first."""
    sampling: tuple[SampleView, ...]
    """Draws of samples and electronic materials, for the appendix."""
    integrity: Integrity
    """Fingerprint and tool versions."""
    structure: tuple[str, ...] = ()
    """The parts in the body's order (style.yaml ``structure``)."""
    statement: tuple[str, ...] = ()
    """The statement's paragraphs, filled in."""
    signature: SignatureView | None = None
    """The signature and seal block, filled in."""
    comparison: Comparison | None = None
    """The party's previous evaluation and the change since, when there is one."""
    objection_changes: ObjectionChanges | None = None
    """Scores changed by accepted objections, when any were."""
    evidence: tuple[EvidenceRow, ...] = ()
    """Every piece of evidence, of every mode, for the appendix."""
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    """Veto and bonus indicators and their weight-0 groups, by id: what to print instead of points."""
    vetoed: tuple[WeakRow, ...] = ()
    """Veto indicators whose condition was found, with what each mode found: the first findings."""

    @property
    def dimensions(self) -> tuple[ResultScore, ...]:
        """The dimensions that carry points (groups of veto or bonus items, of weight 0, left out)."""
        return tuple(d for d in self.ev.result.dimensions if d.weight > 0)

    @property
    def mark(self) -> str | None:
        """What every page but the cover is marked with (header, watermark): 内部资料 on an internal
        copy, 征求意见稿 on a draft (both on an internal draft), nothing on a final public report."""
        marks = ([] if self.public else [self.wording.internal_mark]) + (
            [self.wording.draft_mark] if self.draft else []
        )
        return "　".join(marks) or None

    @property
    def status(self) -> str:
        """The report's status as its properties record it (ZwpjStatus)."""
        status = self.wording.draft_mark if self.draft else "正式稿"
        return status if self.public else f"{self.wording.internal_mark}（{status}）"

    def outcome(self, score: IndicatorScore) -> str:
        """A veto or bonus leaf's outcome as one mode (or the only one) scored it."""
        return _cell(score, self.rounding)

    @property
    def veto_names(self) -> str:
        """The vetoes found, by id and name: V4 栏目不更新、A5.4 重大信息安全事件."""
        return "、".join(f"{w.id} {w.name}" for w in self.vetoed)

    def logo_uri(self, target: str) -> str:
        """The logo as an inline image for one output (PNG for the DOCX when possible, else SVG)."""
        if self.logo is None:
            raise ValueError("this template has no logo.svg")
        return self.logo.data_uri(target)

    @property
    def findings(self) -> tuple[WeakRow, ...]:
        """The one-page summary's main findings: the vetoes found, then the weakest indicators."""
        return (self.vetoed + self.weak)[:SUMMARY_FINDINGS]

    @property
    def mode_rows(self) -> tuple[tuple[str | None, tuple[IndicatorRow, ...]], ...]:
        """(mode name, indicators as it scored them) per mode; one (None, indicators) without modes."""
        return tuple((m.name, m.rows) for m in self.ev.modes) or ((None, self.ev.rows),)

    @property
    def cover_fit(self) -> int:
        """0 for a cover of ordinary length; 1 or 2 for a long title or long names, set smaller.

        Estimated from lines of text: the title wraps at about 16 characters, a party's line at
        about 24, the subtitle at about 28, and the draft marking takes a line. The PDF cover also
        spreads its free space (a flex column), so only the type needs to shrink.
        """
        names = (self.ev.evaluated.name, self.ev.commissioner.name, self.ev.body.name)
        lines = 1.6 * _lines(self.title, 16) + sum(_lines(n, 24) for n in names)
        lines += _lines(f"{self.ev.system.name} {self.ev.system.edition}", 28) + (1 if self.draft else 0)
        lines += 0 if self.public else 1
        return 0 if lines <= COVER_LINES[0] else 1 if lines <= COVER_LINES[1] else 2

    def cover_style(self, name: str) -> str:
        """The DOCX style of a cover paragraph at this cover's fit, e.g. Cover Title Long."""
        return name + ("", " Long", " Longer")[self.cover_fit]

    def ends_page(self, index: int) -> bool:
        """True when the part at ``index`` of ``structure`` ends its page.

        The cover, the statement, the summary and the contents each take a page of their own; a
        signature block placed right after one of them shares its page (a signed statement).
        """
        part = self.structure[index]
        after = self.structure[index + 1] if index + 1 < len(self.structure) else None
        before = self.structure[index - 1] if index > 0 else None
        if part in PAGE_PARTS:
            return after != "signature"
        return part == "signature" and before in PAGE_PARTS


def _lines(text: str, per_line: int) -> int:
    """Lines a text takes when about ``per_line`` Chinese characters fit on one (Latin counts half)."""
    width = sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)
    return max(1, math.ceil(width / per_line))


def is_draft(loaded: LoadedEvaluation) -> bool:
    """A report is a draft (征求意见稿) until the evaluated party confirms it (§8.5.3)."""
    return not confirmed(loaded.evaluation)


def report_date(loaded: LoadedEvaluation) -> dt.date:
    """The date on the cover: when the report was submitted, else the end of the evaluation period."""
    ev = loaded.evaluation
    return ev.submission.date if ev.submission else ev.period.end


def build_view(
    loaded: LoadedEvaluation,
    system: LoadedSystem,
    card: Scorecard,
    *,
    template: BodyTemplate,
    public: bool,
    charts: dict[str, Chart],
    integrity: Integrity,
    logo: Logo | None,
    comparison: Comparison | None = None,
) -> ReportView:
    """Assemble the report view from the loaded evaluation, its system and its scorecard.

    A public report is built from the redacted copy (``public_view``): no contact details, no
    internal evidence, records, sample draws or narrative passages. ``comparison``: the party's
    previous evaluation as the site compares it (the build passes the site's).
    """
    edition = Edition.of(public)
    shown = edition.view(loaded)
    ev = evaluation_view(shown, system_view(system), card)  # its evidence as ``shown`` lists it
    wording = template.spec.wording
    sections = {key: wording.sections.get(key, key) for key in SECTION_KEYS}
    fields = placeholders(ev, report_date(loaded))
    sig = wording.signature
    return ReportView(
        ev=ev,
        template=template.name,
        spec=template.spec,
        wording=wording,
        sections=sections,
        title=f"{ev.title}{wording.report_suffix}",
        date=report_date(loaded),
        draft=is_draft(loaded),
        public=public,
        contacts=() if public else contacts_of(loaded.evaluation),
        charts=charts,
        logo=logo,
        rounding=system.system.rounding,
        weak=_weak(ev),
        sampling=_sampling(shown),
        integrity=integrity,
        structure=tuple(template.spec.structure),
        statement=tuple(fill(text, fields) for text in wording.statement),
        signature=SignatureView(
            sig.title,
            fill(sig.note, fields),
            tuple(sig.signers),
            fill(sig.seal, fields),
            fill(sig.date, fields),
        ),
        comparison=comparison,
        objection_changes=_objection_changes(shown, system, card),
        evidence=_evidence(ev),
        outcomes=_outcomes(card, system.system.rounding),
        vetoed=_vetoed(ev),
    )


def placeholders(ev: EvaluationView, date: dt.date) -> dict[str, str]:
    """What each placeholder of the wording (style.PLACEHOLDERS) stands for in this report."""
    return {
        "评价机构": ev.body.name,
        "被评价方": ev.evaluated.name,
        "委托方": ev.commissioner.name,
        "指标体系": f"{ev.system.name}（{ev.system.edition}）",
        "报告日期": cn_date(date),
        "确认期限": f"{ev.status.response_days} 个工作日",
    }


def fill(text: str, fields: dict[str, str]) -> str:
    """Wording with its {placeholders} filled in (unknown ones are refused when style.yaml is read)."""
    return PLACEHOLDER.sub(lambda m: fields[m.group(1)], text)


def _weak(ev: EvaluationView) -> tuple[WeakRow, ...]:
    """Leaves whose result scores below WEAK_SHARE, weakest first, with what each mode found."""
    found = []
    for res in ev.result.leaves:
        fraction = res.fraction
        if res.status != "scored" or fraction is None or res.effective_weight <= 0 or fraction >= WEAK_SHARE:
            continue
        by_mode = tuple((f.name, f.fraction) for f in res.by_mode)
        found.append(WeakRow(res.id, res.name, fraction, by_mode, _findings(ev, res.id)))
    return tuple(sorted(found, key=lambda w: (w.fraction, w.id)))


def _findings(ev: EvaluationView, indicator: str, *, vetoed: bool = False) -> tuple[Finding, ...]:
    """What each mode found on one indicator: its comment, else its observation (so labelled).

    ``vetoed``: only the modes that found the veto's condition.
    """
    sets = tuple((m.name, m.rows) for m in ev.modes) or ((None, ev.rows),)
    found = []
    for mode, rows in sets:
        row = next((r for r in rows if r.score.id == indicator), None)
        if row is None or (vetoed and not row.score.vetoed):
            continue
        if row.score.comment:
            found.append(Finding(mode, row.score.comment))
        elif row.score.observation:
            found.append(Finding(mode, f"观测结果为“{row.score.observation}”"))
    return tuple(found)


def _vetoed(ev: EvaluationView) -> tuple[WeakRow, ...]:
    """The veto indicators whose condition was found, in the system's order."""
    found = []
    for res in ev.result.leaves:
        if res.id in ev.card.vetoes:
            by_mode = tuple((f.name, f.fraction) for f in res.by_mode)
            found.append(WeakRow(res.id, res.name, 0.0, by_mode, _findings(ev, res.id, vetoed=True)))
    return tuple(found)


def _outcomes(card: Scorecard, rounding: Rounding) -> dict[str, Outcome]:
    """What to print for each veto or bonus leaf and each group of them, in place of points."""
    modes = [dict((i.id, i) for i in scores) for _, scores in card.mode_indicators]
    weights = [m.weight for m in card.modes]
    found: dict[str, Outcome] = {}
    for ind in card.indicators:
        cells = tuple(_cell(m[ind.id], rounding) for m in modes)
        if ind.is_leaf and ind.rule_kind == "veto":
            found[ind.id] = Outcome("否决", cells, "否决" if ind.id in card.vetoes else "未否决")
        elif ind.is_leaf and ind.rule_kind == "bonus":
            bonuses = [m[ind.id].bonus for m in modes]
            combined = sum(w * b for w, b in zip(weights, bonuses, strict=True)) if modes else ind.bonus
            found[ind.id] = Outcome("加分", cells, f"加 {number(combined, rounding.indicator)}")
        elif not ind.is_leaf and ind.weight == 0:
            found[ind.id] = Outcome("—", ("—",) * len(modes), "—")
    return found


def _cell(score: IndicatorScore, rounding: Rounding) -> str:
    """否决 / 未否决 for a veto leaf, 加 x for a bonus leaf (as one mode scored it), else a dash."""
    if score.rule_kind == "veto":
        return "否决" if score.vetoed else "未否决"
    if score.rule_kind == "bonus":
        return f"加 {number(score.bonus, rounding.indicator)}"
    return "—"


def _evidence(ev: EvaluationView) -> tuple[EvidenceRow, ...]:
    sets = tuple((m.name, m.rows) for m in ev.modes) or ((None, ev.rows),)
    return tuple(
        EvidenceRow(mode, row, e)
        for mode, rows in sets
        for row in rows
        if row.score.is_leaf
        for e in row.evidence
    )


def _objection_changes(
    shown: LoadedEvaluation, system: LoadedSystem, card: Scorecard
) -> ObjectionChanges | None:
    history, rows = objection_changes(shown, system, card=card)
    return None if history is None else ObjectionChanges(rows, history.total_before, history.grade_before)


def _sampling(loaded: LoadedEvaluation) -> tuple[SampleView, ...]:
    """The evaluation's sample records (a redacted copy has its internal draws emptied)."""
    return tuple(map(sample_view, loaded.evaluation.sampling))
