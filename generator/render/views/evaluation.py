"""View models: what a reader sees of an indicator system and of an evaluation.

Built once from the loaded models and the scorecard, then read by every renderer (site pages,
reports), so that a fact is chosen and worded in one place. Internal facts (contact details,
file paths of plans) never enter a view, so no renderer can publish them by mistake.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from generator.load.organisations import LoadedBody
from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.load.yamlsource import PathKey, Source
from generator.model.evaluation import Evaluation, Party, Person, ScheduleItem
from generator.model.numbers import show
from generator.model.stages import RANK, required_activities
from generator.model.system import GradeBand, Measure, Mode, Rounding
from generator.score.card import IndicatorScore, Result, Scorecard
from generator.score.describe import describe_not_applicable, describe_rounding, describe_stages
from generator.score.ranking import Delta, RankOrder
from generator.score.rules import describe
from generator.validate.process.body import person_record


@dataclass(frozen=True)
class SourceRef:
    """Where a figure or fact came from: a YAML file of the repository and a line in it."""

    file: str
    """Path relative to the repository root."""
    line: int
    """1-based line."""


@dataclass(frozen=True)
class PartyView:
    """An organisation as published (without contact details)."""

    name: str
    """Full name."""
    level: str | None
    """Administrative level (evaluated party)."""
    region: str | None
    """Region."""
    platform: str | None
    """The evaluated platform."""
    description: str | None
    """Basic facts."""
    qualifications: tuple[str, ...]
    """Qualifications (evaluation body)."""


@dataclass(frozen=True)
class PersonView:
    """A person as published: identity and qualifications, no contact details (§8.5.1 item 1)."""

    name: str
    """Full name."""
    role: str
    """Role in the evaluation."""
    affiliation: str
    """Organisation."""
    title: str | None
    """Professional title or post."""
    duties: str | None
    """Division of labour."""
    qualifications: tuple[str, ...]
    """Qualifications and certificates."""
    training: tuple[str, ...]
    """Training received."""


@dataclass(frozen=True)
class ContactRow:
    """Contact details of a participant or a party: internal, shown only in internal output."""

    name: str
    """Name."""
    role: str
    """Role (a person's role, or which party)."""
    phone: str
    """Telephone or a dash."""
    email: str
    """E-mail or a dash."""


PARTY_ROLES = (("evaluated", "被评价方"), ("commissioner", "委托方"), ("body", "评价机构"))
"""The parties of an evaluation and how a contact table names them."""


def contacts_of(ev: Evaluation) -> tuple[ContactRow, ...]:
    """Every contact detail recorded: the parties', then the people's. Empty for a public view
    (``render.public.public_view`` removes them all)."""
    parties = ((getattr(ev, name), role) for name, role in PARTY_ROLES)
    people = ((p, p.role) for p in (*ev.team, *ev.experts, *ev.party_staff))
    return tuple(
        ContactRow(who.name, role, who.contact.phone or "—", who.contact.email or "—")
        for who, role in (*parties, *people)
        if who.contact and (who.contact.phone or who.contact.email)
    )


@dataclass(frozen=True)
class BodyDocumentView:
    """One of the body's records (§5.1), as published: what it is and what it says, no file paths."""

    label: str
    """Which record, e.g. 工作机制."""
    title: str
    """Its title."""
    summary: str | None
    """What it says."""
    date: dt.date | None
    """Date adopted or last revised."""


@dataclass(frozen=True)
class BodyRecordsView:
    """The evaluation body's records (§5.1): posts, mechanism, plan, rules, scope, rewards and penalties."""

    posts: tuple[tuple[str, str], ...]
    """(post, duties)."""
    scope: str | None
    """Objects and scope the body evaluates."""
    documents: tuple[BodyDocumentView, ...]
    """Work mechanism, work plan, management rules, reward and penalty mechanism, in that order."""


@dataclass(frozen=True)
class ActivityView:
    """One implementation activity (§8.4) with attendees by name."""

    kind: str
    """Which activity."""
    start: dt.date
    """First day."""
    end: dt.date | None
    """Last day, if it spans days."""
    place: str | None
    """Where."""
    attendees: tuple[str, ...]
    """Names of who attended."""
    summary: str | None
    """What was done or decided."""


@dataclass(frozen=True)
class ObjectionView:
    """An objection of the evaluated party and the body's response (§8.5.3)."""

    id: str
    """Objection id."""
    indicators: tuple[str, ...]
    """Indicator ids objected to."""
    date: dt.date
    """Date raised."""
    text: str
    """What the party objects to."""
    decision: str | None
    """采纳 / 不采纳, or None while pending."""
    response_date: dt.date | None
    """Date of the response."""
    response: str | None
    """The response's reasons."""


@dataclass(frozen=True)
class StatusView:
    """Submission (§8.5.2) and confirmation (§8.5.3) of the result."""

    stage: str
    """Current stage of the process."""
    report_due: dt.date
    """Date the plan sets for submitting the report."""
    submitted: dt.date | None
    """Date submitted, if it was."""
    submitted_to: str | None
    """Who received it."""
    reference: str | None
    """Letter or document number."""
    on_time: bool | None
    """Submitted by the due date; None while not submitted."""
    confirmation: str
    """待确认, 已确认 or 有异议."""
    confirmed_by: str | None
    """Who confirmed for the evaluated party."""
    confirmed_on: dt.date | None
    """Date confirmed."""
    objections: tuple[ObjectionView, ...]
    """Objections raised, with responses."""
    response_days: int = 10
    """Working days the evaluated party has to confirm or object."""

    @property
    def final(self) -> bool:
        """True when the evaluated party has confirmed the result: the report is final (§8.5.3)."""
        return self.confirmation == "已确认"

    @property
    def submitted_stage(self) -> bool:
        """True once the report has been submitted (stage 已提交 or later)."""
        return RANK[self.stage] >= RANK["已提交"]

    @property
    def state(self) -> str:
        """The result's state in one word: 未提交, 待确认, 已确认 or 有异议."""
        return self.confirmation if self.submitted_stage or self.final else "未提交"

    @property
    def report(self) -> str:
        """正式报告 once confirmed, else 征求意见稿."""
        return "正式报告" if self.final else "征求意见稿"

    @property
    def open_objections(self) -> int:
        """Objections the evaluation body has not answered yet."""
        return sum(o.decision is None for o in self.objections)

    @property
    def label(self) -> str:
        """The whole status in one line: stage, confirmation (with open objections) and report."""
        objections = f"（{self.open_objections} 项异议待答复）" if self.open_objections else ""
        return f"阶段：{self.stage}；结果确认：{self.state}{objections}；报告：{self.report}"


@dataclass(frozen=True)
class EvidenceView:
    """A piece of evidence behind an observation."""

    label: str
    """What it shows."""
    target: str
    """File path relative to the evaluation folder, or a URL."""

    @property
    def is_url(self) -> bool:
        """True for a web address (rather than a file of the evaluation)."""
        return bool(re.match(r"^https?://", self.target))


@dataclass(frozen=True)
class IndicatorDef:
    """An indicator as the system defines it: the methods page a reader checks a score against."""

    id: str
    """Indicator id."""
    name: str
    """Name."""
    depth: int
    """1 for a dimension."""
    parent: str | None
    """Parent id."""
    dimension: str
    """Dimension id above it."""
    is_leaf: bool
    """True for a leaf."""
    weight: float
    """Nominal weight in points."""
    weight_text: str
    """The exact weight as a reader writes it: ``2.5``, ``1/86``."""
    description: str | None
    """What it looks at."""
    method: str | None
    """评价方式."""
    platform: str | None
    """Which of the four platforms it concerns."""
    data_source: str | None
    """Where the information comes from."""
    evidence: str | None
    """Evidence the evaluator keeps."""
    clause: str
    """Source clause of the standard."""
    rule_kind: str | None
    """Rule kind of a leaf."""
    rule_text: str | None
    """The scoring rule in one Chinese sentence."""
    defined_at: SourceRef
    """Where it is defined."""


@dataclass(frozen=True)
class SystemView:
    """An indicator system edition as published."""

    id: str
    """System id."""
    name: str
    """Full name."""
    edition: str
    """Edition label."""
    slug: str
    """File-name-safe id of this edition: ``<id>-<edition>``."""
    effective: dt.date
    """Date this edition applies from."""
    sample: bool
    """True for the shipped sample system."""
    source: str
    """What it rests on."""
    description: str | None
    """What the system is."""
    scale: float
    """Full mark without bonus."""
    bonus_cap: float
    """Most bonus points an evaluation may add."""
    rounding: Rounding
    """Decimals at each step."""
    grades: tuple[GradeBand, ...]
    """Grade bands, best first."""
    ranking: tuple[str, ...]
    """Ranking keys in order (vetoed, grade, total, base)."""
    ranking_text: str
    """The ranking order in Chinese."""
    stages: tuple[str, ...]
    """The aggregation stages as sentences, in order."""
    not_applicable_text: str
    """Where a not-applicable indicator's weight goes, in Chinese."""
    rounding_text: str
    """Which steps are rounded to how many places, in Chinese."""
    modes: tuple[Mode, ...]
    """Evaluation modes, if several are combined."""
    measures: tuple[Measure, ...]
    """Figures computed from datasets."""
    activities: tuple[str, ...] | None
    """The §8.4 activities its evaluations must record, when it changes the seven."""
    status: str
    """草案 or 正式."""
    purpose: str | None
    """Purpose of the evaluations it serves (§8.3)."""
    object: str | None
    """What it evaluates (§8.3)."""
    scope: str | None
    """Scope (§8.3)."""
    use: str | None
    """Use of the results (§8.3)."""
    indicators: tuple[IndicatorDef, ...]
    """Every indicator, depth-first in file order."""
    defined_at: SourceRef
    """system.yaml."""

    def grade_description(self, name: str) -> str | None:
        """What a grade means."""
        return next((g.description for g in self.grades if g.name == name), None)


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator of an evaluation: its score from the scorecard beside its definition."""

    score: IndicatorScore
    """The score, with how it was reached."""
    definition: IndicatorDef
    """The indicator as defined by the system."""
    evidence: tuple[EvidenceView, ...]
    """Evidence behind the observation."""
    observed_at: SourceRef | None
    """Where the observation is written, if it was scored."""


@dataclass(frozen=True)
class ModeRows:
    """The indicators as scored under one evaluation mode, when the system combines several."""

    id: str
    """Mode id."""
    name: str
    """Mode name."""
    weight: float
    """Share of the final score."""
    total: float
    """This mode's total."""
    rows: tuple[IndicatorRow, ...]
    """Every indicator, depth-first."""
    self_assessment: bool = False
    """True for the evaluated party's own assessment (labelled so wherever it is shown, §4.1)."""


@dataclass(frozen=True)
class Comparison:
    """The party's previous evaluation and the change since: the figures the site shows."""

    previous_id: str
    """The previous evaluation's id."""
    previous_title: str
    """Its title."""
    previous_total: float
    """Its total."""
    change: Delta
    """The change (``score.ranking.delta``), per dimension of the result."""

    @property
    def direction(self) -> str:
        """上升, 下降 or 持平."""
        return "上升" if self.change.total > 0 else "下降" if self.change.total < 0 else "持平"


@dataclass(frozen=True)
class EvaluationView:
    """One evaluation with everything §8.5.1 puts in a report."""

    id: str
    """Evaluation id."""
    title: str
    """Title."""
    report_number: str | None
    """Report number."""
    folder: str
    """Evaluation folder relative to the repository root."""
    period_start: dt.date
    """First day of the evaluation period."""
    period_end: dt.date
    """Last day of the evaluation period."""
    places: tuple[str, ...]
    """Places of on-site evaluation."""
    schedule: tuple[ScheduleItem, ...]
    """Schedule."""
    purpose: str
    """Goals."""
    object: str
    """What is evaluated."""
    scope: str
    """Scope."""
    methods: tuple[str, ...]
    """Evaluation methods used by the indicators, in first-use order."""
    plan_title: str
    """Title of the 评价方案."""
    plan_approved: dt.date
    """Date the plan was approved."""
    confidentiality: str | None
    """Confidentiality and information-security measures."""
    evaluated: PartyView
    """被评价方."""
    commissioner: PartyView
    """委托方."""
    body: PartyView
    """评价机构."""
    team: tuple[PersonView, ...]
    """Evaluation work group."""
    experts: tuple[PersonView, ...]
    """Experts."""
    party_staff: tuple[PersonView, ...]
    """Evaluated party's staff."""
    activities: tuple[ActivityView, ...]
    """Implementation activities."""
    planned_activities: tuple[str, ...]
    """The activities the evaluation had to carry out (§8.4): its plan's, its system's or the seven."""
    system_adopted: dt.date | None
    """When the indicator system was established for this evaluation (§8.1)."""
    body_records: BodyRecordsView | None
    """The body's records (§5.1), when it keeps them in bodies/."""
    self_modes: tuple[str, ...]
    """Ids of the modes that are the evaluated party's self-assessment."""
    self_assessment: bool
    """True when the whole evaluation is a self-assessment (its mode is one)."""
    status: StatusView
    """Submission and confirmation."""
    system: SystemView
    """The system edition used."""
    card: Scorecard
    """The scorecard, its evidence limited to what the loaded score files hold."""
    rows: tuple[IndicatorRow, ...]
    """Every indicator, depth-first (of the first mode, when there are several)."""
    modes: tuple[ModeRows, ...]
    """Per-mode indicators and totals; empty for a single-mode system."""
    narrative: dict[str, str]
    """Narrative Markdown by name (summary, findings, opinions, suggestions), as written."""
    previous: str | None
    """Id of the previous evaluation of the same party."""
    refs: dict[str, SourceRef]
    """Where top-level facts are written in evaluation.yaml, by field name."""
    record_files: tuple[str, ...] = ()
    """The YAML files the evaluation's facts and scores come from (evaluation.yaml, score files)."""
    contacts: tuple[ContactRow, ...] = ()
    """Contact details (``contacts_of``): none in a view of the public record."""

    @property
    def year(self) -> int:
        """Year the evaluation period ends in: the period rankings group by."""
        return self.period_end.year

    @property
    def result(self) -> Result:
        """The figures that are the result (``score.result``): combined over the modes, if several."""
        return self.card.result

    @property
    def leaves(self) -> tuple[IndicatorRow, ...]:
        """Leaf indicators (as scored under the first mode, when there are several)."""
        return tuple(r for r in self.rows if r.score.is_leaf)

    def definition(self, indicator: str) -> IndicatorDef:
        """An indicator as the system defines it."""
        return next(d for d in self.system.indicators if d.id == indicator)


def slugify(text: str) -> str:
    """A file-name-safe form of an id or edition (ASCII letters, digits, dot, dash)."""
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-.") or "x"


def ref(source: Source, path: PathKey) -> SourceRef:
    """Where the value at ``path`` of a YAML file is written."""
    return SourceRef(source.rel, source.where(path)[0])


def system_view(loaded: LoadedSystem) -> SystemView:
    """The published view of a system edition."""
    spec = loaded.system
    defs = tuple(_indicator_def(loaded, ind_id) for ind_id in loaded.index)
    return SystemView(
        id=spec.id,
        name=spec.name,
        edition=spec.edition,
        slug=f"{spec.id}-{slugify(spec.edition)}",
        effective=spec.effective,
        sample=spec.sample,
        source=spec.source,
        description=spec.description,
        scale=spec.scale,
        bonus_cap=spec.bonus_cap,
        rounding=spec.rounding,
        grades=tuple(spec.grades),
        ranking=tuple(spec.ranking),
        ranking_text=RankOrder.of(spec).describe(),
        stages=tuple(describe_stages(spec)),
        not_applicable_text=describe_not_applicable(spec),
        rounding_text=describe_rounding(spec),
        modes=tuple(spec.modes),
        measures=tuple(spec.measures),
        activities=tuple(spec.activities) if spec.activities else None,
        status=spec.status,
        purpose=spec.purpose,
        object=spec.object,
        scope=spec.scope,
        use=spec.use,
        indicators=defs,
        defined_at=SourceRef(loaded.source.rel, 1),
    )


def _indicator_def(loaded: LoadedSystem, ind_id: str) -> IndicatorDef:
    node = loaded.index[ind_id]
    ind = node.indicator
    return IndicatorDef(
        id=ind.id,
        name=ind.name,
        depth=node.depth,
        parent=node.parent,
        dimension=node.dimension,
        is_leaf=node.is_leaf,
        weight=float(node.weight),
        weight_text=show(node.weight),
        description=ind.description,
        method=ind.method,
        platform=ind.platform,
        data_source=ind.data_source,
        evidence=ind.evidence,
        clause=ind.source or "",
        rule_kind=ind.rule.kind if ind.rule else None,
        rule_text=describe(ind.rule) if ind.rule else None,
        defined_at=ref(node.source, node.path),
    )


def evaluation_view(loaded: LoadedEvaluation, system: SystemView, card: Scorecard) -> EvaluationView:
    """The view of one evaluation, scored.

    Pass the evaluation as the output's edition shows it (``Edition.view``): evidence is taken
    from the loaded score files (not the scorecard), so evidence marked internal there is left
    out of the view and of its scorecard alike.
    """
    ev = loaded.evaluation
    defs = {d.id: d for d in system.indicators}
    evidence = _evidence_by_mode(loaded)
    first_mode = card.mode_indicators[0][0] if card.mode_indicators else None
    rows = tuple(
        _row(s, defs[s.id], evidence.get((first_mode, s.id), ())) for s in card.indicators if s.id in defs
    )
    totals = {m.id: m for m in card.modes}
    self_modes = tuple(m.id for m in system.modes if m.self_assessment)
    modes = tuple(
        ModeRows(
            mode_id,
            totals[mode_id].name,
            totals[mode_id].weight,
            totals[mode_id].total,
            tuple(_row(s, defs[s.id], evidence.get((mode_id, s.id), ())) for s in scores if s.id in defs),
            mode_id in self_modes,
        )
        for mode_id, scores in card.mode_indicators
        if mode_id in totals
    )
    card = replace(
        card,
        indicators=tuple(r.score for r in rows),
        mode_indicators=tuple((m.id, tuple(r.score for r in m.rows)) for m in modes),
    )
    methods = tuple(
        dict.fromkeys(r.definition.method for r in rows if r.score.is_leaf and r.definition.method)
    )
    fields = (
        "title",
        "purpose",
        "object",
        "scope",
        "period",
        "plan",
        "evaluated",
        "commissioner",
        "body",
        "team",
        "experts",
        "party_staff",
        "activities",
        "submission",
        "confirmation",
        "system",
        "scores",
    )
    return EvaluationView(
        id=ev.id,
        title=ev.title,
        report_number=ev.report_number,
        folder=loaded.rel,
        period_start=ev.period.start,
        period_end=ev.period.end,
        places=tuple(ev.places),
        schedule=tuple(ev.schedule),
        purpose=ev.purpose,
        object=ev.object,
        scope=ev.scope,
        methods=methods,
        plan_title=ev.plan.title,
        plan_approved=ev.plan.approved,
        confidentiality=ev.plan.confidentiality,
        evaluated=_party(ev.evaluated),
        commissioner=_party(ev.commissioner),
        body=_party(ev.body),
        team=tuple(_person(p, loaded.body, ev.period.end) for p in ev.team),
        experts=tuple(_person(p) for p in ev.experts),
        party_staff=tuple(_person(p) for p in ev.party_staff),
        activities=_activities(ev),
        planned_activities=required_activities(ev, system.activities)[0],
        system_adopted=ev.system.adopted,
        body_records=_body_records(loaded.body),
        self_modes=self_modes,
        self_assessment=ev.mode is not None and ev.mode in self_modes,
        status=status_view(ev),
        system=system,
        card=card,
        rows=rows,
        modes=modes,
        narrative=dict(loaded.narrative),
        previous=ev.previous,
        refs={f: ref(loaded.source, (f,)) for f in fields if (f,) in loaded.source.values},
        record_files=(loaded.source.rel, *(f.source.rel for f in loaded.score_files)),
        contacts=contacts_of(ev),
    )


def _evidence_by_mode(loaded: LoadedEvaluation) -> dict[tuple[str | None, str], tuple[EvidenceView, ...]]:
    """Evidence per (mode, indicator) from the score files; the first file to score it wins."""
    found: dict[tuple[str | None, str], tuple[EvidenceView, ...]] = {}
    for score_file in loaded.score_files:
        for ind_id, entry in score_file.scores.indicators.items():
            views = tuple(
                EvidenceView(e.note or e.file or e.url or "", e.file or e.url or "") for e in entry.evidence
            )
            found.setdefault((score_file.scores.mode, ind_id), views)
    return found


def _row(score: IndicatorScore, definition: IndicatorDef, evidence: tuple[EvidenceView, ...]) -> IndicatorRow:
    shown = tuple((e.label, e.target) for e in evidence)
    if shown != score.evidence:  # the same object when nothing was left out: shared, not copied
        score = replace(score, evidence=shown)
    observed = SourceRef(score.file, score.line) if score.is_leaf and score.file and score.line else None
    return IndicatorRow(score, definition, evidence, observed)


def _party(p: Party) -> PartyView:
    return PartyView(p.name, p.level, p.region, p.platform, p.description, tuple(p.qualifications))


def _person(p: Person, body: LoadedBody | None = None, until: dt.date | None = None) -> PersonView:
    """A person as published; a team member's qualifications and training include the body's staff
    record held by the period's end (§5.2)."""
    qualifications, training = tuple(p.qualifications), tuple(p.training)
    if until is not None:
        qualifications, training = person_record(p, body, until)
    return PersonView(p.name, p.role, p.affiliation, p.title, p.duties, qualifications, training)


def _body_records(body: LoadedBody | None) -> BodyRecordsView | None:
    if body is None:
        return None
    r = body.records
    named = [("工作机制", r.mechanism), ("工作计划", r.work_plan)]
    named += [("管理制度", d) for d in r.rules]
    named.append(("内部奖惩机制", r.reward_penalty))
    documents = tuple(
        BodyDocumentView(label, d.title, d.summary, d.date) for label, d in named if d is not None
    )
    return BodyRecordsView(tuple((p.name, p.duties) for p in r.posts), r.scope, documents)


def _activities(ev: Evaluation) -> tuple[ActivityView, ...]:
    names = {p.id: p.name for p in (*ev.team, *ev.experts, *ev.party_staff)}
    return tuple(
        ActivityView(a.kind, a.date, a.end, a.place, tuple(names.get(x, x) for x in a.attendees), a.summary)
        for a in ev.activities
    )


def status_view(ev: Evaluation) -> StatusView:
    """Where an evaluation's result stands: the one status every page, feed and comment shows."""
    sub, conf = ev.submission, ev.confirmation
    objections = tuple(
        ObjectionView(
            o.id,
            tuple(o.indicators),
            o.date,
            o.text,
            o.response.decision if o.response else None,
            o.response.date if o.response else None,
            o.response.text if o.response else None,
        )
        for o in (conf.objections if conf else [])
    )
    return StatusView(
        stage=ev.stage,
        report_due=ev.plan.report_due,
        submitted=sub.date if sub else None,
        submitted_to=sub.to if sub else None,
        reference=sub.reference if sub else None,
        on_time=(sub.date <= ev.plan.report_due) if sub else None,
        confirmation=conf.status if conf else "待确认",
        confirmed_by=conf.by if conf else None,
        confirmed_on=conf.date if conf else None,
        objections=objections,
        response_days=ev.plan.response_days,
    )
