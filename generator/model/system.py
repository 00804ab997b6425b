"""Indicator systems: a tree of indicators with weights, scoring rules and grade bands.

Weights are points: a parent's weight equals the sum of its children's, and the top-level
weights add up to the system's ``scale`` (100, or 1 for a share). A weight is a number, a
fraction (``1/86``) or a percentage of the parent's weight (``25%``), all taken exactly; a parent
with ``split: equal`` shares its weight equally among its children. A leaf's score is a fraction
in [0, 1] of its weight, given by its rule. ``defaults`` on the system, a part file or an
indicator are inherited by every indicator below that does not set the field itself.
How the dimensions become a total and a grade is ``aggregation``: ordered stages.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from generator.model.base import Flag, Model

Method = Literal["文件评审", "现场评价", "网上体验", "暗访", "满意度调查", "数据监测", "自评", "专家评议"]


class BinaryRule(Model):
    """达标/不达标: the observation is a yes/no (or one of the two labels)."""

    kind: Literal["binary"]
    pass_label: str = "达标"
    """Label for a pass (score 1)."""
    fail_label: str = "不达标"
    """Label for a fail (score 0)."""


class Level(Model):
    """One named level of a graded rule."""

    name: str
    """Level name the evaluator writes as the observation, e.g. 优."""
    points: float = Field(ge=0)
    """Points awarded; at most the indicator's weight."""
    description: str | None = None
    """When this level applies."""


class LevelsRule(Model):
    """Graded levels, each worth a number of points."""

    kind: Literal["levels"]
    levels: list[Level] = Field(min_length=2)
    """Levels from best to worst."""


class RatioRule(Model):
    """A ratio or percentage scored linearly between a floor (0) and a target (full points)."""

    kind: Literal["ratio"]
    floor: float
    """Value at or beyond which the score is 0."""
    target: float
    """Value at or beyond which the score is full."""
    unit: Literal["ratio", "percent", "days", "hours", "count"] = "ratio"
    """Unit of the observed value; ``ratio`` values lie in [0, 1], ``percent`` in [0, 100]."""
    measure: str | None = None
    """Name of a measure (see ``measures``) that computes the value from a dataset."""


class DeductionItem(Model):
    """A kind of defect that costs points each time it is found."""

    id: str
    """Stable id of the item, used as the key in observations."""
    name: str
    """What the defect is."""
    points: float = Field(gt=0)
    """Points deducted per occurrence."""
    cap: float = Field(gt=0)
    """Most points this item can deduct in total."""


class DeductionRule(Model):
    """扣分: start from full points, deduct per defect found, each item capped; never below 0."""

    kind: Literal["deduction"]
    items: list[DeductionItem] = Field(min_length=1)
    """The defects and what each costs."""


class BonusItem(Model):
    """A kind of achievement that earns extra points."""

    id: str
    """Stable id of the item, used as the key in observations."""
    name: str
    """What earns the bonus."""
    points: float = Field(gt=0)
    """Points per occurrence."""
    cap: float = Field(gt=0)
    """Most points this item can add."""


class BonusRule(Model):
    """加分: extra points on top of the scale, capped per item and in total."""

    kind: Literal["bonus"]
    items: list[BonusItem] = Field(min_length=1)
    """The achievements and what each earns."""
    cap: float = Field(gt=0)
    """Most points the indicator can add in total."""


class VetoRule(Model):
    """一票否决: if the condition is found, the grade is the lowest band whatever the points."""

    kind: Literal["veto"]
    condition: str
    """The condition that vetoes, e.g. 发生重大信息安全事件."""


class SatisfactionRule(Model):
    """Five-level satisfaction: counts per level are mapped to points and averaged."""

    kind: Literal["satisfaction"]
    levels: dict[str, float]
    """Points per level on a 0..``scale`` range, e.g. 非常满意: 100 … 非常不满意: 0."""
    scale: float = Field(default=100, gt=0)
    """The full mark of the level points."""
    measure: str | None = None
    """Name of a measure that counts ratings per level from a dataset."""


Rule = Annotated[
    BinaryRule | LevelsRule | RatioRule | DeductionRule | BonusRule | VetoRule | SatisfactionRule,
    Field(discriminator="kind"),
]


WEIGHT_PATTERN = r"^\s*(\d+(\.\d+)?\s*/\s*\d+(\.\d+)?|\d+(\.\d+)?\s*%|\d+(\.\d+)?)\s*$"
"""A weight written as text: a fraction ``1/86``, a percentage ``12.5%`` or a plain decimal ``2.5``."""


def _weight_type(value: object) -> object:
    """One clear error for a weight that is neither a number nor text (a list, a mapping, true/false)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise PydanticCustomError("weight_type", "a weight is a number, a fraction or a percentage")
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("finite_number", "a weight is a finite number")
    return value


Weight = Annotated[
    float | Annotated[str, Field(json_schema_extra={"pattern": WEIGHT_PATTERN})],
    Field(union_mode="left_to_right"),
    BeforeValidator(_weight_type),
]
"""Points as a number (``2.5``), an exact fraction (``"1/86"``) or a share of the parent (``"25%"``)."""

Split = Literal["equal"]


class Defaults(Model):
    """Fields inherited by every indicator below (leaves only for ``rule`` and ``weight``)."""

    weight: Weight | None = None
    """Weight of each leaf that sets none (not of veto and bonus leaves, which weigh 0)."""
    rule: Rule | None = None
    """Scoring rule of each leaf that sets none."""
    source: str | None = None
    """Clause or basis of each indicator that names none."""
    method: Method | None = None
    """How each indicator is evaluated, unless it says otherwise."""
    platform: Literal["外网门户", "服务管理", "业务办理", "数据共享"] | None = None
    """Platform of each indicator, unless it says otherwise."""
    data_source: str | None = None
    """Information source of each indicator, unless it says otherwise."""
    evidence: str | None = None
    """Evidence to keep for each indicator, unless it says otherwise."""


class Indicator(Model):
    """One node of the indicator tree; a leaf carries a scoring rule, an inner node children."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$")
    """Unique id within the system, e.g. C1.2.3."""
    name: str
    """Short Chinese name."""
    description: str | None = None
    """What the indicator looks at."""
    weight: Weight | None = None
    """Points of the total this node is worth: a number, a fraction such as ``1/86`` or a share of the
    parent such as ``25%``; children's weights add up to it. 0 (or omitted) for veto and bonus.
    Omitted: the parent's ``split``, else an inherited ``defaults.weight``, else 0."""
    method: Method | None = None
    """How it is evaluated (评价方法: 文件评审, 网上体验 …); not a ``Mode`` (评价方式)."""
    platform: Literal["外网门户", "服务管理", "业务办理", "数据共享"] | None = None
    """Which of the four platforms of DB34/T 3556 §3.1 it concerns."""
    data_source: str | None = None
    """Where the information comes from (信息资源, §8.3)."""
    evidence: str | None = None
    """Evidence the evaluator must keep."""
    source: str | None = None
    """Clause of the paper standard (or other basis) this indicator rests on; required, but may be
    inherited from ``defaults``."""
    timeliness: EvidenceTimeliness | None = None
    """How this indicator's evidence dates are judged (时效性, §4.4), where it differs from the system;
    applies to its sub-indicators unless they say otherwise."""
    rule: Rule | None = None
    """Scoring rule; required on leaves (or inherited from ``defaults``), absent on inner nodes."""
    split: Split | None = None
    """``equal``: the children share this indicator's weight equally (its score is then the mean of
    the children's shares); the children set no weight."""
    defaults: Defaults | None = None
    """Fields inherited by every indicator below this one that does not set them."""
    children: list[Indicator] = Field(default_factory=list)
    """Sub-indicators, from macro to micro (§8.3)."""


Report = Literal["error", "warning"]
"""How a check is reported: an error blocks the stage and publication, a warning is shown."""


class EvidenceTimeliness(Model):
    """Timeliness rules (时效性, §4.4) for evidence, each reported as an error or a warning."""

    evidence_before_period: Report | None = None
    """Evidence captured before the evaluation period starts (default: warning)."""
    evidence_after_period: Report | None = None
    """Evidence captured after the evaluation period ends (default: error)."""
    evidence_undated: Report | None = None
    """Evidence without a capture date (default: warning)."""


class Timeliness(EvidenceTimeliness):
    """Timeliness rules (时效性, §4.4) of a system: evidence dates and dataset dates."""

    data_outside_period: Report | None = None
    """Dataset rows whose dates fall outside the data period (统计期, default the evaluation period;
    default: error)."""


BodyRecord = Literal["posts", "mechanism", "work_plan", "rules", "scope", "reward_penalty"]
StaffRecord = Literal["training", "qualifications"]
BODY_RECORDS: tuple[BodyRecord, ...] = ("posts", "mechanism", "work_plan", "rules", "scope", "reward_penalty")
STAFF_RECORDS: tuple[StaffRecord, ...] = ("training", "qualifications")


class BodyRequirements(Model):
    """Which records of the evaluation body (§5.1) and of its evaluators (§5.2) evaluations must show."""

    records: list[BodyRecord] = Field(default_factory=lambda: list(BODY_RECORDS))
    """Body records required (§5.1.2): ``posts`` 评价岗位及职责, ``mechanism`` 工作机制,
    ``work_plan`` 工作计划, ``rules`` 管理制度, ``scope`` 评价对象和范围, ``reward_penalty`` 内部奖惩机制.
    Default: all."""
    staff: list[StaffRecord] = Field(default_factory=lambda: list(STAFF_RECORDS))
    """Records each member of the work group needs (§5.2): ``training`` 培训, ``qualifications`` 资质.
    Default: both."""


class GradeBand(Model):
    """A grade and the score range that earns it: by default ``min`` ≤ score < ``max``."""

    name: str
    """Grade name, e.g. 优秀."""
    min: float
    """Lower bound of the band."""
    min_inclusive: Flag = True
    """Whether a score equal to ``min`` is in the band (false: "more than ``min``")."""
    max: float | None = None
    """Upper bound; omitted on the top band, which is unbounded."""
    max_inclusive: Flag = False
    """Whether a score equal to ``max`` is in the band (true: "up to and including ``max``")."""
    description: str | None = None
    """What the grade means."""


class RaterPolicy(Model):
    """How several raters on one indicator are combined and checked."""

    combine: Literal["mean", "median", "trimmed_mean"] = "mean"
    """How the raters' scores are combined."""
    trim: float = Field(default=0.2, ge=0, lt=0.5)
    """Share cut from each end for ``trimmed_mean``."""
    max_spread: float = Field(default=0.3, ge=0, le=1)
    """Warn when raters' scores on one indicator differ by more than this fraction of its weight."""
    min_alpha: float = Field(default=0.6, ge=-1, le=1)
    """Warn when Krippendorff's α over the evaluation falls below this."""


RoundStep = Literal["indicator", "dimension", "total"]
ROUND_STEPS: tuple[RoundStep, ...] = ("indicator", "dimension", "total")


class Rounding(Model):
    """Decimal places of each step. A step named in ``round_at`` is rounded half-up once, after
    summing, as the method rounds it; the others are computed exactly and their decimals only say
    how many places are shown."""

    indicator: int = Field(default=2, ge=0, le=6)
    """Decimals of each indicator's points (and of effective weights, when rounded)."""
    dimension: int = Field(default=2, ge=0, le=6)
    """Decimals of each top-level dimension's points."""
    total: int = Field(default=1, ge=0, le=6)
    """Decimals of the total, which the grade is read from."""
    round_at: list[RoundStep] = Field(default_factory=lambda: list(ROUND_STEPS))
    """Steps the method rounds; an empty list computes every figure exactly (fractions such as
    65/86 stay exact, so equal results tie) and rounds only for display."""

    def rounds(self, step: RoundStep) -> bool:
        """Whether the method rounds at ``step``."""
        return step in self.round_at


class Mode(Model):
    """An evaluation mode (评价方式: who evaluates, e.g. 自评, 第三方评价) whose total is combined
    with the others by weight; not an indicator's ``method`` (评价方法)."""

    id: str
    """Mode id used in evaluations, e.g. third_party."""
    name: str
    """Chinese name, e.g. 第三方评价."""
    weight: float = Field(gt=0, le=1)
    """Share of the final score; the modes' weights add up to 1 (taken as the decimals written)."""
    self_assessment: Flag = False
    """True for a self-assessment (自评) by the evaluated party: its scorers are not checked for
    independence (§4.1), and every output labels the mode as a self-assessment."""


class Measure(Model):
    """A figure computed from a dataset in the evaluation folder."""

    name: str
    """Measure name referred to by rules."""
    dataset: str
    """Dataset kind the evaluation must supply, e.g. ratings, cases, items."""
    kind: Literal["share", "level_counts"]
    """``share``: rows matching ``where`` over rows matching ``of``;
    ``level_counts``: rows per value of ``column``."""
    where: str | None = None
    """SQL condition for the numerator rows (``share``)."""
    of: str | None = None
    """SQL condition for the denominator rows (``share``); all rows when omitted."""
    column: str | None = None
    """Column whose values are counted (``level_counts``)."""
    columns: list[str] = Field(default_factory=list)
    """Columns the dataset must have."""
    date_columns: list[str] = Field(default_factory=list)
    """Columns that must hold dates or date-times (checked row by row)."""
    period_column: str | None = None
    """The date column that dates each row (e.g. rated_at, accepted_at): rows dated outside the
    evaluation's data period are reported (时效性, §4.4), as the system's ``timeliness`` says."""


class BaseStage(Model):
    """The sum of the dimensions' points: the running total starts here."""

    stage: Literal["base"]


CONDITION_PATTERN = r"^\s*(base|total)\s*(>=|<=|>|<|≥|≤)\s*-?\d+(\.\d+)?\s*$"
"""A stage condition: ``base > 80``, ``total >= 60`` …"""


class BonusStage(Model):
    """Add the bonus indicators' points, capped, when the condition holds."""

    stage: Literal["bonus"]
    cap: float | None = Field(default=None, gt=0)
    """Most bonus points added in total; the system's ``bonus_cap`` when omitted."""
    when: Annotated[str, Field(json_schema_extra={"pattern": CONDITION_PATTERN})] | None = None
    """Condition on the figures so far, e.g. ``base > 80`` (bonus only above 80) or ``total >= 60``."""


class CapStage(Model):
    """Limit the running total to at most ``max``."""

    stage: Literal["cap"]
    max: float = Field(ge=0)
    """Highest total allowed, e.g. 100 after a bonus."""


class VetoStage(Model):
    """A veto indicator whose condition was found fixes the grade (and, optionally, the total)."""

    stage: Literal["veto"]
    grade: str | None = None
    """Grade of a vetoed evaluation; the lowest band when omitted."""
    total: float | None = Field(default=None, ge=0)
    """Total of a vetoed evaluation (e.g. 59 or 0); the points stay as scored when omitted."""


class GradeStage(Model):
    """Read the grade from the bands."""

    stage: Literal["grade"]


Stage = Annotated[BaseStage | BonusStage | CapStage | VetoStage | GradeStage, Field(discriminator="stage")]
StageKind = Literal["base", "bonus", "cap", "veto", "grade"]

RankKey = Literal["vetoed", "grade", "total", "base"]
DEFAULT_RANKING: tuple[RankKey, ...] = ("vetoed", "grade", "total")
"""Ranking keys: ``vetoed`` (not vetoed first), ``grade`` (best band first), ``total`` and ``base``
(higher first)."""

NotApplicable = Literal["within_parent", "all_applicable"]


class IndicatorSystem(Model):
    """An indicator system: metadata, grade bands and the tree of indicators."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """System id; also the folder name under indicators/."""
    name: str
    """Full Chinese name."""
    edition: str
    """Edition label; evaluations name the edition they used."""
    effective: dt.date
    """Date from which this edition applies."""
    source: str
    """What the system rests on (standard, document)."""
    sample: Flag = False
    """True for a sample system that must be replaced by the official edition."""
    status: Literal["草案", "正式"] = "草案"
    """草案 (draft) or 正式 (in force): a 正式 system must state its purpose, object, scope and use, and
    every leaf indicator its data source, method and evidence requirement (§4.5, §8.3)."""
    description: str | None = None
    """What the system is, in a few sentences."""
    purpose: str | None = None
    """Purpose of the evaluations it serves (评价目的, §8.3)."""
    object: str | None = None
    """What it evaluates (评价对象, §8.3)."""
    scope: str | None = None
    """Scope (评价范围, §8.3)."""
    use: str | None = None
    """Use of the results (评价结果的用途, §8.3)."""
    scale: float = Field(default=100, gt=0)
    """Total of the top-level weights: 100 for points, 1 for a share."""
    split: Split | None = None
    """``equal``: the dimensions share the scale equally and set no weight."""
    bonus_cap: float = Field(default=0, ge=0)
    """Most bonus points the whole evaluation may add on top of the scale (the bonus stage's cap
    when it names none)."""
    not_applicable: NotApplicable = "within_parent"
    """Where a not-applicable indicator's weight goes: ``within_parent`` to its siblings in
    proportion to their weights; ``all_applicable`` to every applicable leaf of the system in
    proportion (the score is then points earned ÷ points applicable)."""
    defaults: Defaults | None = None
    """Fields inherited by every indicator of the system that does not set them."""
    rounding: Rounding = Field(default_factory=Rounding)
    """Decimal places at each step."""
    raters: RaterPolicy = Field(default_factory=RaterPolicy)
    """How several raters are combined and checked."""
    modes: list[Mode] = Field(default_factory=list)
    """Evaluation modes combined into the final score; empty for a single mode."""
    measures: list[Measure] = Field(default_factory=list)
    """Figures computed from datasets."""
    timeliness: Timeliness = Field(default_factory=Timeliness)
    """How each timeliness rule (时效性, §4.4) is reported: error or warning."""
    activities: list[Annotated[str, Field(min_length=1)]] | None = Field(default=None, min_length=1)
    """Activities every evaluation records before 实施评价 (§8.4); default the seven §8.4 lists.
    An evaluation's plan may list its own."""
    body_requirements: BodyRequirements = Field(default_factory=BodyRequirements)
    """Records required of the evaluation body (§5.1) and its evaluators (§5.2)."""
    grades: list[GradeBand] = Field(default_factory=list)
    """Grade bands, best first; together they cover 0 to the top without gaps or overlaps.
    Empty for a method that reports only a score or a share."""
    aggregation: list[Stage] | None = None
    """Stages from the dimensions to the total and grade, in order. Omitted: base, bonus (capped by
    ``bonus_cap``), veto (lowest band), grade (when there are bands)."""
    ranking: list[RankKey] = Field(default_factory=lambda: list(DEFAULT_RANKING))
    """Order of rankings, key by key; evaluations equal on every key share a rank."""
    parts: list[str] = Field(min_length=1)
    """Files (relative to the system folder) each holding one or more top-level indicators."""

    def stages(self) -> list[BaseStage | BonusStage | CapStage | VetoStage | GradeStage]:
        """The aggregation stages, the default ones when the system names none."""
        if self.aggregation is not None:
            return list(self.aggregation)
        return list(_DEFAULT_STAGES if self.grades else _DEFAULT_STAGES[:-1])


class IndicatorPart(Model):
    """One file of top-level indicators."""

    defaults: Defaults | None = None
    """Fields inherited by every indicator in this file that does not set them."""
    indicators: list[Indicator] = Field(min_length=1)
    """Top-level indicators (dimensions) in this file."""


_DEFAULT_STAGES = (
    BaseStage(stage="base"),
    BonusStage(stage="bonus"),
    VetoStage(stage="veto"),
    GradeStage(stage="grade"),
)
"""The stages of a system that names none (the grade stage only with bands)."""
