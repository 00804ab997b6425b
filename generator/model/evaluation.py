"""Evaluations: one folder per evaluation, ``evaluation.yaml`` plus score files and Markdown."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field

from generator.model.base import Flag, Model

Stage = Literal[
    "准备中", "评价准备", "建立评价指标体系", "实施评价", "完成评价", "已提交", "已确认", "有异议", "已发布"
]
"""The last step completed; 准备中 (what ``zwpj new`` writes) means none yet: preparation is under way."""
DEFAULT_ACTIVITIES: tuple[str, ...] = (
    "首次会议",
    "文件评审",
    "现场评价",
    "信息收集与验证",
    "形成评价意见",
    "末次会议",
    "评价初稿",
)
"""The activities §8.4 lists ("一般包括但不限于"): required unless the system or the plan lists others."""
RectificationStatus = Literal["未开始", "整改中", "已完成", "已验证"]
Level = Literal["省级", "市级", "县级", "部门"]


class Contact(Model):
    """Contact details; internal, never published."""

    phone: str | None = None
    """Telephone."""
    email: str | None = None
    """E-mail address."""


class Party(Model):
    """An organisation: the evaluated party, the commissioning party or the evaluation body."""

    name: str
    """Full name of the organisation."""
    level: Level | None = None
    """Administrative level, for an evaluated party."""
    kind: str | None = None
    """Kind of object, for an evaluated party, e.g. 平台 or 部门 (rankings may group by it)."""
    region: str | None = None
    """Region, e.g. 安徽省合肥市."""
    platform: str | None = None
    """The evaluated platform, e.g. 合肥市一体化政务服务平台."""
    description: str | None = None
    """Basic facts (§8.5.1 item 1)."""
    qualifications: list[str] = Field(default_factory=list)
    """Qualifications of the organisation (for the evaluation body)."""
    template: str | None = None
    """Report template folder under templates/ (for the evaluation body)."""
    contact: Contact | None = None
    """Contact details (internal)."""


class Person(Model):
    """A person taking part: evaluator, expert or project-party staff."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """Id used to name the person elsewhere (evaluators, attendees)."""
    name: str
    """Full name."""
    role: str
    """Role in the evaluation, e.g. 组长, 评价员, 评审专家, 联络员."""
    affiliation: str
    """Organisation the person belongs to (checked for independence, §4.1)."""
    title: str | None = None
    """Professional title or post (身份)."""
    duties: str | None = None
    """Division of labour (§8.2)."""
    qualifications: list[str] = Field(default_factory=list)
    """Qualifications and certificates (§5.2, §8.5.1)."""
    training: list[str] = Field(default_factory=list)
    """Training received (§5.2)."""
    contact: Contact | None = None
    """Contact details (internal)."""


class Period(Model):
    """The evaluation period."""

    start: dt.date
    """First day."""
    end: dt.date
    """Last day."""


class ScheduleItem(Model):
    """One step of the schedule (日程安排)."""

    item: str
    """What happens."""
    start: dt.date
    """First day."""
    end: dt.date
    """Last day."""
    place: str | None = None
    """Where."""


class Plan(Model):
    """The 评价方案 (§8.2)."""

    title: str
    """Title of the plan."""
    approved: dt.date
    """Date the plan was approved."""
    report_due: dt.date
    """Date by which the report must reach the commissioning party (§8.5.2)."""
    file: str | None = None
    """The plan document inside the folder."""
    confidentiality: str | None = None
    """Confidentiality and information-security measures (§8.2)."""
    response_days: int = Field(default=10, ge=1)
    """Working days the evaluated party has to confirm or object (§8.5.3)."""
    activities: list[Annotated[str, Field(min_length=1)]] | None = Field(default=None, min_length=1)
    """Activities this evaluation plans (§8.4); replaces the system's list (default: the seven of §8.4)."""


class SystemRef(Model):
    """Which indicator system and edition the evaluation uses."""

    id: str
    """Indicator system id (a folder under indicators/)."""
    edition: str
    """Edition used; must match the system's edition."""
    adopted: dt.date | None = None
    """Date the work group established the indicator system for this evaluation (建立评价指标体系, §8.1)."""
    record: str | None = None
    """Record of that step inside the folder: applicability, indicators not applicable, adaptations (§8.3)."""


class Activity(Model):
    """A record of an implementation activity (§8.4)."""

    kind: str = Field(min_length=1, examples=list(DEFAULT_ACTIVITIES))
    """Which activity: one of the seven of §8.4 or another kind (问卷调查, 电话回访, 神秘顾客…)."""
    date: dt.date
    """When (first day)."""
    end: dt.date | None = None
    """Last day, for activities spanning days."""
    place: str | None = None
    """Where."""
    attendees: list[str] = Field(default_factory=list)
    """Person ids present."""
    minutes: str | None = None
    """Minutes or record file inside the folder."""
    summary: str | None = None
    """What was done or decided."""
    internal: Flag = False
    """True when the minutes and summary are internal: public output shows only kind and dates."""


class ScoredWith(Model):
    """The result as it was scored when it was published: which generator version gave which total."""

    generator: str = Field(pattern=r"^[0-9]+(\.[0-9]+){1,2}([a-z0-9.+-]*)$")
    """Version of the generator that scored it (``zwpj --version``)."""
    total: float = Field(allow_inf_nan=False)
    """The total it gave, as published."""
    date: dt.date | None = None
    """When it was recorded."""


class Submission(Model):
    """Submission of the report to the commissioning party (§8.5.2)."""

    date: dt.date
    """Date submitted."""
    to: str
    """Who received it: the commissioning party (or a unit of it), optionally with the person in brackets."""
    by: str | None = None
    """Who submitted it: the evaluation body (default) or a unit of it (§8.5.2)."""
    reference: str | None = None
    """Letter or document number."""


class ScoreChange(Model):
    """A change of one observation made because an objection was accepted: the score's history."""

    indicator: str
    """Leaf indicator id whose observation changed."""
    mode: str | None = None
    """Evaluation mode of the score file, when the system has several."""
    before: Any
    """Observation before the objection, as it was written."""
    after: Any
    """Observation after it; equals what the score file now holds."""


class Response(Model):
    """The evaluation body's response to an objection."""

    decision: Literal["采纳", "不采纳"]
    """Accepted (the score changes) or rejected (with reasons)."""
    date: dt.date
    """Date of the response."""
    text: str
    """Reasons and what was changed."""
    changes: list[ScoreChange] = Field(default_factory=list)
    """Observations changed because the objection was accepted (empty when rejected)."""


class Objection(Model):
    """An objection by the evaluated party, tied to indicators (§8.5.3)."""

    id: str
    """Objection id, e.g. O1."""
    indicators: list[str] = Field(min_length=1)
    """Indicator ids objected to."""
    date: dt.date
    """Date raised."""
    text: str
    """What the party objects to."""
    response: Response | None = None
    """The body's response, once given."""


class Confirmation(Model):
    """The evaluated party's confirmation of the result (§8.5.3)."""

    status: Literal["待确认", "已确认", "有异议"]
    """Pending, confirmed or objected."""
    by: str | None = None
    """Who confirmed, for the evaluated party."""
    date: dt.date | None = None
    """Date confirmed."""
    objections: list[Objection] = Field(default_factory=list)
    """Objections raised."""


class SampleRecord(Model):
    """A draw of samples or electronic materials from a frame file (§8.2), re-drawn by the validator."""

    id: str
    """Sample id, e.g. S1."""
    what: str
    """What was drawn, e.g. 依申请政务服务事项（办事指南抽查）."""
    frame: str
    """Frame file (CSV or XLSX, first row the header) inside the evaluation folder."""
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    """SHA-256 of the frame file (CSV with line endings normalised to LF)."""
    key: str
    """Column whose value identifies a row; the drawn rows are recorded by it."""
    method: Literal["simple", "stratified"]
    """Simple random sampling, or stratified with proportional allocation."""
    by: str | None = None
    """Column that defines the strata, for a stratified draw (e.g. 部门, 层级)."""
    size: int = Field(ge=1)
    """Number of rows drawn."""
    seed: int = Field(ge=0)
    """Seed of the random generator; the same frame and seed give the same sample."""
    algorithm: Literal["fisher-yates-random-v1"] = "fisher-yates-random-v1"
    """Drawing algorithm, versioned so that an old record can always be re-drawn."""
    strata: dict[str, int] = Field(default_factory=dict)
    """Rows drawn per stratum, for a stratified draw."""
    drawn: list[str] = Field(min_length=1)
    """Keys of the drawn rows, in frame order."""
    date: dt.date | None = None
    """When the draw was made."""
    internal: Flag = False
    """True when the drawn keys identify case materials and stay internal."""


class Verification(Model):
    """Verification that a rectification item was done."""

    by: str
    """Who verified."""
    date: dt.date
    """When."""
    how: str
    """How it was verified (document review, on-site check, re-test)."""
    evaluation: str | None = None
    """Id of the evaluation during which it was verified, usually the next one of the same party."""


class RectificationItem(Model):
    """A rectification item (整改) drawn from the suggestions, tracked into the next evaluation."""

    id: str
    """Item id, e.g. R1."""
    suggestion: str
    """The suggestion it carries out."""
    indicators: list[str] = Field(default_factory=list)
    """Indicator ids it concerns."""
    owner: str
    """Who is responsible (a unit or department of the evaluated party)."""
    due: dt.date
    """Date it must be done by."""
    status: RectificationStatus
    """未开始, 整改中, 已完成 or 已验证."""
    done: dt.date | None = None
    """Date it was completed."""
    progress: str | None = None
    """What has been done so far."""
    verification: Verification | None = None
    """Who verified it, when and how (required for 已验证)."""


class Evaluation(Model):
    """``evaluation.yaml``: the structured facts of one evaluation."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """Evaluation id; also the folder name under evaluations/."""
    title: str
    """Title, e.g. 2024年度合肥市一体化政务服务平台服务质量评价."""
    report_number: str | None = None
    """Report number printed on the cover."""
    system: SystemRef
    """Indicator system and edition used."""
    stage: Stage
    """Current stage of the process (§8.1)."""
    evaluated: Party
    """被评价方."""
    commissioner: Party
    """委托方."""
    body: Party
    """评价机构."""
    team: list[Person] = Field(min_length=1)
    """Evaluation work group with division of labour (§8.2)."""
    experts: list[Person] = Field(default_factory=list)
    """Evaluation experts (§8.5.1)."""
    party_staff: list[Person] = Field(default_factory=list)
    """Staff of the evaluated party taking part (§8.5.1)."""
    purpose: str
    """Evaluation goals (§8.2, §8.5.1)."""
    object: str
    """What is evaluated (评价对象)."""
    scope: str
    """Scope of the evaluation."""
    period: Period
    """Evaluation period; activities and evidence fall inside it."""
    data_period: Period | None = None
    """Period the datasets cover (统计期), e.g. the year evaluated; dataset dates are checked against it
    (时效性, §4.4). Defaults to the evaluation period."""
    places: list[str] = Field(default_factory=list)
    """Places of on-site evaluation."""
    schedule: list[ScheduleItem] = Field(default_factory=list)
    """Schedule (日程安排)."""
    plan: Plan
    """The 评价方案."""
    mode: str | None = None
    """Evaluation mode when the system defines several (e.g. third_party)."""
    scores: list[str] = Field(min_length=1)
    """Score files, relative to the folder."""
    datasets: dict[str, str] = Field(default_factory=dict)
    """Dataset kind → file (CSV/XLSX/Parquet) for measured indicators."""
    activities: list[Activity] = Field(default_factory=list)
    """Records of the activities of §8.4."""
    submission: Submission | None = None
    """Submission of the report (§8.5.2)."""
    confirmation: Confirmation | None = None
    """Confirmation or objections (§8.5.3)."""
    previous: str | None = None
    """Id of the previous evaluation of the same party, for comparison."""
    published: dt.date | None = None
    """Date the result was published (stage 已发布)."""
    scored_with: ScoredWith | None = None
    """The generator version and total the published result was scored with (``zwpj score --record``);
    ``zwpj check`` warns when the current generator gives another total (W771)."""
    as_of: dt.date | None = None
    """记录截至: the day up to which this evaluation's records (confirmation, rectification progress)
    are brought. Default: the newest date the evaluation records. A party's evaluations are judged
    (pending confirmation, overdue rectification) as of the latest such day among them; another
    party's dates never count, so merging one evaluation changes no other party's page."""
    sampling: list[SampleRecord] = Field(default_factory=list)
    """Draws of samples and electronic materials (§8.2); written by ``zwpj sample``."""
    internal_files: list[str] = Field(default_factory=list)
    """Further internal files (glob patterns relative to the folder), besides everything under internal/."""
    rectification: list[RectificationItem] = Field(default_factory=list)
    """Rectification items from the suggestions (改进提高)."""
    extra: dict[str, Any] = Field(default_factory=dict)
    """Free-form facts a body wants to keep; not checked."""


class Evidence(Model):
    """A piece of evidence: a file in the folder or a URL, with when it was captured."""

    file: str | None = None
    """Path relative to the evaluation folder."""
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    """Web address looked at (http or https only)."""
    captured: dt.datetime | dt.date | None = None
    """When it was captured; inside the period (时效性, §4.4)."""
    note: str | None = None
    """What it shows."""
    internal: Flag = False
    """True for raw evidence that stays internal: left out of the public site and reports."""


class Rating(Model):
    """One rater's observation, when several raters score an indicator."""

    rater: str
    """Person id of the rater."""
    observation: Any
    """The rater's observation, in the form the rule expects."""
    comment: str | None = None
    """The rater's remark."""


class ScoreEntry(Model):
    """Observation of one leaf indicator."""

    observation: Any = None
    """Raw observation: 达标/不达标 or true/false, a level name, a number, or counts per item/level."""
    ratings: list[Rating] = Field(default_factory=list)
    """Several raters' observations, combined by the system's rule."""
    not_applicable: str | None = None
    """Reason the indicator does not apply (全面性, §4.3); its weight is redistributed."""
    evaluators: list[str] = Field(default_factory=list)
    """Person ids of who observed it."""
    evidence: list[Evidence] = Field(default_factory=list)
    """Evidence for the observation."""
    comment: str | None = None
    """Finding behind the score."""


class ScoreFile(Model):
    """A score file: observations keyed by indicator id."""

    mode: str | None = None
    """Evaluation mode these scores belong to, when the system has several."""
    indicators: dict[str, ScoreEntry]
    """Indicator id → observation."""
