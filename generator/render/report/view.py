"""The report's view model: the shared evaluation view plus what only a report needs.

A report adds to ``EvaluationView`` its date, its draft status (§8.5.3), the body's wording,
the charts, the fingerprint and, for internal copies only, contact details.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, replace

from ...fingerprint import Fingerprint
from ...load import LoadedEvaluation, LoadedSystem
from ...model.system import Rounding
from ...process.confidential import public_view
from ...score.card import Scorecard
from ..views import EvaluationView, IndicatorRow, evaluation_view, system_view
from .logo import Logo
from .style import SECTION_KEYS, BodyTemplate, StyleSpec, Wording

WEAK_SHARE = 0.8
"""Leaves scoring below this share of their weight are listed as priorities for improvement."""


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


@dataclass(frozen=True)
class ContactRow:
    """Contact details of a participant: printed only in an internal (non-public) report."""

    name: str
    """Name."""
    role: str
    """Role."""
    phone: str
    """Telephone or a dash."""
    email: str
    """E-mail or a dash."""


@dataclass(frozen=True)
class SampleView:
    """A recorded draw of samples (§8.2), as the appendix shows it."""

    id: str
    """Sample id."""
    what: str
    """What was drawn."""
    method: str
    """简单随机抽样, or 分层抽样（按 …）."""
    size: int
    """Rows drawn."""
    seed: int
    """Seed: with the frame file, anyone can re-draw the same sample."""
    frame: str
    """Frame file inside the evaluation folder."""
    frame_sha256: str
    """Hash of the frame file."""
    strata: str
    """Rows per stratum, e.g. 个人类 16、企业类 10; empty for a simple draw."""
    drawn: str
    """Keys drawn, or a note that they stay internal."""


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
    weak: tuple[IndicatorRow, ...]
    """Scored leaves below WEAK_SHARE, weakest first."""
    sampling: tuple[SampleView, ...]
    """Draws of samples and electronic materials, for the appendix."""
    integrity: Integrity
    """Fingerprint and tool versions."""

    def logo_uri(self, target: str) -> str:
        """The logo as an inline image for one output (PNG for the DOCX when possible, else SVG)."""
        if self.logo is None:
            raise ValueError("this template has no logo.svg")
        return self.logo.data_uri(target)

    @property
    def evidence(self) -> tuple[IndicatorRow, ...]:
        """Leaves that carry evidence, for the appendix."""
        return tuple(r for r in self.ev.leaves if r.evidence)


def is_draft(loaded: LoadedEvaluation) -> bool:
    """A report is a draft (征求意见稿) until the evaluated party confirms it (§8.5.3)."""
    conf = loaded.evaluation.confirmation
    return conf is None or conf.status != "已确认"


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
) -> ReportView:
    """Assemble the report view from the loaded evaluation, its system and its scorecard.

    A public report is built from the redacted copy (``public_view``): no contact details, no
    internal evidence, records, sample draws or narrative passages.
    """
    shown = public_view(loaded) if public else loaded
    ev = evaluation_view(shown, system_view(system), _public_card(card, shown) if public else card)
    wording = template.spec.wording
    sections = {key: wording.sections.get(key, key) for key in SECTION_KEYS}
    weak = sorted(
        (
            r
            for r in ev.leaves
            if r.score.status == "scored"
            and r.score.fraction is not None
            and r.score.effective_weight > 0
            and r.score.fraction < WEAK_SHARE
        ),
        key=lambda r: (r.score.fraction, r.score.id),
    )
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
        contacts=() if public else _contacts(loaded),
        charts=charts,
        logo=logo,
        rounding=system.system.rounding,
        weak=tuple(weak),
        sampling=_sampling(shown),
        integrity=integrity,
    )


def _contacts(loaded: LoadedEvaluation) -> tuple[ContactRow, ...]:
    ev = loaded.evaluation
    people = (*ev.team, *ev.experts, *ev.party_staff)
    return tuple(
        ContactRow(
            p.name, p.role, (p.contact and p.contact.phone) or "—", (p.contact and p.contact.email) or "—"
        )
        for p in people
        if p.contact
    )


def _public_card(card: Scorecard, shown: LoadedEvaluation) -> Scorecard:
    """The scorecard with only the evidence the redacted evaluation still lists."""
    allowed: dict[str, set[str]] = {}
    for score_file in shown.score_files:
        for ind_id, entry in score_file.scores.indicators.items():
            allowed.setdefault(ind_id, set()).update(e.file or e.url or "" for e in entry.evidence)
    indicators = tuple(
        replace(i, evidence=tuple(x for x in i.evidence if x[1] in allowed.get(i.id, set())))
        for i in card.indicators
    )
    return replace(card, indicators=indicators)


def _sampling(loaded: LoadedEvaluation) -> tuple[SampleView, ...]:
    """The evaluation's sample records (a redacted copy has its internal draws emptied)."""
    views = []
    for rec in loaded.evaluation.sampling:
        method = "简单随机抽样" if rec.method == "simple" else f"分层抽样（按{rec.by or '层'}按比例分配）"
        drawn = "、".join(rec.drawn) if rec.drawn else "（涉及内部资料，抽中清单仅在评价机构内部保存）"
        strata = "、".join(f"{k} {v}" for k, v in rec.strata.items())
        frame = rec.frame or "（内部资料）"
        views.append(
            SampleView(rec.id, rec.what, method, rec.size, rec.seed, frame, rec.sha256, strata, drawn)
        )
    return tuple(views)
