"""What each of the nine items of DB34/T 3556-2019 §8.5.1 must say in a report, checked on its Markdown.

A report's Markdown marks each item's heading with the item's anchor ({#parties}, {#goals} …, see
``style.SECTION_KEYS``). An item's text runs from its anchor to the next anchor. ``missing`` lists,
for a rendered report and the view it was rendered from, every fact an item should state and does
not: a body's template that leaves an item's content out (keeping only its heading, say) is caught
when the repository is checked (``checks``) and again when the report is built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.render.report.markdown import cn_date, md_escape, number, percent
from generator.render.report.style import SECTION_KEYS
from generator.render.views.evaluation import PartyView
from generator.render.views.report import ReportView

ITEMS = {
    "parties": "评价机构和项目方的基本情况，参与人员、评价专家的单位、资质和身份",
    "goals": "评价目标",
    "methods": "评价内容和方法",
    "scores": "服务能力、服务过程、服务结果及各指标的分数",
    "opinions": "评价专家及评价机构的指导意见",
    "time": "评价时间",
    "format": "报告的格式",
    "result": "评价结果",
    "suggestions": "改进建议",
}
"""The items of §8.5.1 as the standard words them, by key, in its order."""
ANCHOR = re.compile(r"\{#([A-Za-z][A-Za-z0-9-]*)[ }]")
ESCAPE = re.compile(r"\\(.)")
EXCERPT = 16
"""Characters of a narrative or statement whose presence shows it was included."""


@dataclass(frozen=True)
class Fact:
    """Something an item must state, and the text that shows it does."""

    what: str
    """What it is, in Chinese (e.g. 评价专家“周三”)."""
    text: str
    """Text that must appear in the item (compared without Markdown escapes and spaces)."""


@dataclass(frozen=True)
class Missing:
    """A fact an item of the report leaves out."""

    item: str
    """Item key (``style.SECTION_KEYS``)."""
    what: str
    """What is missing, in Chinese."""

    @property
    def number(self) -> int:
        """The item's place in §8.5.1 (1–9)."""
        return SECTION_KEYS.index(self.item) + 1

    @property
    def title(self) -> str:
        """The item as the standard words it."""
        return ITEMS[self.item]


def facts(r: ReportView) -> dict[str, list[Fact]]:
    """Every fact each item must state for this report."""
    ev, card, res = r.ev, r.ev.card, r.ev.result
    people = [*ev.team, *ev.experts, *ev.party_staff]
    scores = [Fact(f"总分 {number(card.total, r.rounding.total)}", number(card.total, r.rounding.total))]
    for d in r.dimensions:
        scores.append(Fact(f"维度“{d.name}”的得分", d.name))
        scores.append(Fact(f"维度“{d.name}”的得分", number(d.points, r.rounding.dimension)))
    for mode in card.modes:
        scores.append(Fact(f"评价方式“{mode.name}”的得分", mode.name))
        scores.append(Fact(f"评价方式“{mode.name}”的得分", number(mode.total, r.rounding.total)))
    for _, rows in r.mode_rows:
        for row in rows:
            if row.score.is_leaf and row.score.points is not None:
                what = f"指标 {row.score.id} 的得分"
                scores.append(Fact(what, row.score.id))
                scores.append(Fact(what, number(row.score.points, r.rounding.indicator)))
    result = [
        Fact("总分", number(card.total, r.rounding.total)),
        *([Fact("评价等级", card.grade)] if card.grade else []),
        *(Fact(f"一票否决指标 {w.id}", w.id) for w in r.vetoed),
        Fact("被评价方确认情况", r.wording.draft_mark if r.draft else cn_date(ev.status.confirmed_on)),
    ]
    if r.comparison:
        result.append(Fact("与上次评价的比较", r.comparison.previous_title))
    if r.objection_changes:
        result += [Fact(f"因反馈意见调整的指标 {c.indicator}", c.indicator) for c in r.objection_changes.rows]
    return {
        "parties": [
            *(Fact(f"{label}“{p.name}”", p.name) for label, p in _parties(r)),
            *(Fact(f"人员“{p.name}”", p.name) for p in people),
            *(Fact(f"“{p.name}”的单位", p.affiliation) for p in people),
            *(Fact(f"“{p.name}”的资质", q) for p in people for q in p.qualifications),
        ],
        "goals": [Fact("评价目标", _excerpt(ev.purpose)), Fact("评价对象", _excerpt(ev.object))],
        "methods": [
            Fact("指标体系", ev.system.name),
            *(Fact(f"评价方法“{m}”", m) for m in ev.methods),
            *(Fact(f"评价内容“{d.name}”", d.name) for d in res.dimensions),
        ],
        "scores": scores,
        "opinions": _narrative(ev.narrative.get("opinions"), "指导意见"),
        "time": [
            Fact("评价开始日期", cn_date(ev.period_start)),
            Fact("评价结束日期", cn_date(ev.period_end)),
        ],
        "format": [Fact("报告格式的说明", _excerpt(r.wording.format_statement))]
        if r.wording.format_statement.strip()
        else [],
        "result": result,
        "suggestions": [
            *(Fact(f"触发一票否决的指标 {w.id}", w.id) for w in r.vetoed),
            *(Fact(f"重点改进指标 {w.id}（得分率 {percent(w.fraction)}）", w.id) for w in r.weak),
            *_narrative(ev.narrative.get("suggestions"), "改进建议"),
        ],
    }


def missing(markdown: str, r: ReportView) -> list[Missing]:
    """Every fact an item of ``markdown`` (rendered from ``r``) leaves out, items in §8.5.1 order.

    An item whose anchor is absent misses everything; one whose text holds nothing but its heading
    is reported even when it owes no particular fact.
    """
    sections = item_texts(markdown)
    found = []
    for key, needed in facts(r).items():
        text = sections.get(key)
        if text is None:
            found.append(Missing(key, "整项内容（找不到该项的标题锚点 {#" + key + "}）"))
            continue
        body = _plain(text.split("\n", 1)[1] if "\n" in text else "")
        if not body:
            found.append(Missing(key, "正文（只有标题）"))
            continue
        found += [Missing(key, f.what) for f in needed if _plain(md_escape(f.text)) not in body]
    return found


def item_texts(markdown: str) -> dict[str, str]:
    """Each item's Markdown, from the line of its anchor to the next anchored heading."""
    marks = [(m.group(1), markdown.rfind("\n", 0, m.start()) + 1) for m in ANCHOR.finditer(markdown)]
    texts: dict[str, str] = {}
    for i, (name, start) in enumerate(marks):
        if name in SECTION_KEYS and name not in texts:
            end = marks[i + 1][1] if i + 1 < len(marks) else len(markdown)
            texts[name] = markdown[start:end]
    return texts


def _parties(r: ReportView) -> list[tuple[str, PartyView]]:
    return [("评价机构", r.ev.body), ("委托方", r.ev.commissioner), ("被评价方", r.ev.evaluated)]


def _narrative(text: str | None, what: str) -> list[Fact]:
    """The narrative's first words (its Markdown as written is placed in the report as it is)."""
    if not text:
        return []
    for line in text.replace("\r\n", "\n").split("\n"):
        words = re.sub(r"^\s*(#+|[-*+]|\d+[.)])\s+", "", line).strip()
        if len(re.sub(r"[\W_]", "", words)) >= 4:
            return [Fact(f"{what}（“{words[:EXCERPT]}…”）", _raw(words[:EXCERPT]))]
    return []


def _raw(text: str) -> str:
    """Narrative text is Markdown already: compare it as written, not escaped again."""
    return ESCAPE.sub(r"\1", text)


def _excerpt(text: str) -> str:
    return " ".join(text.split())[:EXCERPT]


def _plain(text: str) -> str:
    """Markdown text without escapes, spaces or emphasis, for comparing facts."""
    return re.sub(r"\s+|\*\*", "", ESCAPE.sub(r"\1", text))
