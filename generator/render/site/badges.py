"""Per-party badges: ``badges/<party-slug>.svg`` with the latest grade and total, to embed elsewhere.

The badge shows the party's latest *released* evaluation (published or confirmed, see
``feed.released_on``), else its latest one. A result the evaluated party has not confirmed is drawn
in grey with its state written out (待确认, 有异议, 未提交: ``StatusView.state``), so an embedded
badge never presents a provisional result as final. The grade is always written out; its
colour only repeats it, and every colour keeps white text at 4.5:1 or more (WCAG AA). The SVG is
self-contained: no font, image or stylesheet is fetched, so it shows the same on any portal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from generator.model.evaluation import Evaluation
from generator.render.site.compare import PartyHistory
from generator.render.site.feed import SiteAddress, released_on
from generator.render.site.writer import DocsWriter
from generator.render.views.evaluation import EvaluationView
from generator.score.rounding import fmt

LABEL_COLOUR = "#3d3d3d"
"""Background of the left half (white text: 10.9:1)."""
GRADE_COLOURS = {"best": "#1e6b34", "second": "#0b5cad", "middle": "#7a5200", "lowest": "#b42318"}
"""Background of the right half by the grade's place among the system's bands (white text ≥ 6.5:1)."""
PENDING_COLOUR = "#57606a"
"""Background of a result not confirmed by the evaluated party (white text: 6.4:1)."""
FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"
"""System fonts only: an embedded badge must not fetch a font."""
FONT_SIZE, HEIGHT, PAD = 13, 24, 8


@dataclass(frozen=True)
class Badge:
    """What a party's badge says."""

    slug: str
    """The party's page name; the badge is ``badges/<slug>.svg``."""
    party: str
    """The evaluated party."""
    evaluation_id: str
    """The evaluation shown."""
    year: int
    """Year its period ends in."""
    grade: str
    """Its grade."""
    total: str
    """Its total as printed on the site."""
    scale: str
    """Full mark."""
    colour: str
    """Background of the grade half."""
    released: bool
    """False when the result shown is not yet published or confirmed."""
    state: str = "已确认"
    """The result's state (``StatusView.state``): anything but 已确认 is written on the badge."""
    system: str = ""
    """Name of the indicator system the result was scored with."""
    vetoed: bool = False
    """True when a veto was found: written beside the grade, as on every page of the site."""

    @property
    def final(self) -> bool:
        """True when the evaluated party has confirmed the result shown."""
        return self.state == "已确认"

    @property
    def label(self) -> str:
        """Left half."""
        return f"{self.year}年度服务质量评价"

    @property
    def value(self) -> str:
        """Right half."""
        shown = f"{self.grade_text} {self.total}分" if self.grade_text else f"{self.total}分"
        return shown + ("" if self.final else f"（{self.state}）")

    @property
    def grade_text(self) -> str:
        """The grade with a veto said beside it (一票否决), as the site's tables write it."""
        if not self.grade:
            return "一票否决" if self.vetoed else ""
        return self.grade + ("（一票否决）" if self.vetoed else "")

    @property
    def text(self) -> str:
        """The whole badge as one sentence: title, aria-label and the alt text of embeds."""
        status = "" if self.final else f"，结果{self.state}"
        method = f"（按{self.system}）" if self.system else ""
        return (
            f"{self.party}{self.year}年度评价结果{method}："
            + (f"等级{self.grade_text}，" if self.grade else (f"{self.grade_text}，" if self.vetoed else ""))
            + f"总分{self.total}（满分{self.scale}）{status}"
        )


def grade_colour(v: EvaluationView) -> str:
    """The colour for a grade by its place among the system's bands, best first."""
    names = [g.name for g in v.system.grades]
    place = names.index(v.card.grade) if v.card.grade in names else len(names) - 1
    if place == len(names) - 1 and len(names) > 1:
        return GRADE_COLOURS["lowest"]
    return GRADE_COLOURS[("best", "second", "middle")[min(place, 2)]]


def party_badge(history: PartyHistory, evaluations: Mapping[str, Evaluation]) -> Badge:
    """The badge of one party: its latest released evaluation, else its latest one (pending)."""
    released = [v for v, _ in history.rows if released_on(evaluations[v.id]) is not None]
    v = (released or [history.latest])[-1]
    return Badge(
        slug=history.slug,
        party=history.name,
        evaluation_id=v.id,
        year=v.year,
        grade=v.card.grade,
        total=fmt(v.card.total, v.system.rounding.total),
        scale=fmt(v.card.scale, 0),
        colour=grade_colour(v) if v.status.final else PENDING_COLOUR,
        released=bool(released),
        state=v.status.state,
        system=v.system.name,
        vetoed=bool(v.card.vetoes),
    )


def text_width(text: str) -> float:
    """Rendered width estimate at ``FONT_SIZE``: wide (CJK) characters are square, others ~0.6."""
    return sum(FONT_SIZE if unicodedata.east_asian_width(c) in "WF" else FONT_SIZE * 0.62 for c in text)


def badge_svg(badge: Badge) -> str:
    """The badge as a standalone SVG document."""
    left = round(text_width(badge.label) + 2 * PAD)
    right = round(text_width(badge.value) + 2 * PAD)
    width, base = left + right, HEIGHT / 2 + FONT_SIZE * 0.36
    label = escape(badge.text)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" '
        f'viewBox="0 0 {width} {HEIGHT}" role="img" aria-label="{label}" lang="zh-CN">'
        f"<title>{label}</title>"
        f'<rect width="{left + 4}" height="{HEIGHT}" rx="4" fill="{LABEL_COLOUR}"/>'
        f'<rect x="{left}" width="{right}" height="{HEIGHT}" rx="4" fill="{badge.colour}"/>'
        f'<rect x="{left}" width="4" height="{HEIGHT}" fill="{badge.colour}"/>'
        f'<g fill="#ffffff" font-family="{FONT}" font-size="{FONT_SIZE}" aria-hidden="true">'
        f'<text x="{PAD}" y="{base:.1f}">{escape(badge.label)}</text>'
        f'<text x="{left + PAD}" y="{base:.1f}" font-weight="700">{escape(badge.value)}</text>'
        "</g></svg>\n"
    )


def badge_path(slug: str) -> str:
    """Where a party's badge goes, from the docs root."""
    return f"badges/{slug}.svg"


def embed_code(badge: Badge, site: SiteAddress) -> str:
    """HTML a party pastes into its own portal: the badge linking to its page on this site."""
    href = escape(site.link(f"parties/{badge.slug}.html"), quote=True)
    src = escape(site.link(badge_path(badge.slug)), quote=True)
    return f'<a href="{href}"><img src="{src}" alt="{escape(badge.text, quote=True)}"></a>'


def badge_section(badge: Badge, site: SiteAddress, *, root: str) -> Markup:
    """The party page's badge section (Markdown with raw HTML): the badge, what it says, the embed code.

    ``root`` is the page's way back to the docs root (``../``).
    """
    code = escape(embed_code(badge, site))
    where = (
        "代码中的地址已是本站完整网址。"
        if site.url
        else "代码中的地址是相对本站根目录的地址，使用前请在两处地址前加上本站网址"
        "（例如 <code>https://本站地址/</code>）。"
    )
    shown = (
        "徽章显示最近一次已发布或经被评价方确认的评价的等级和总分。"
        if badge.released
        else f"本被评价方还没有已发布或经确认的评价结果，徽章显示最近一次评价并标注其状态“{badge.state}”。"
    )
    return Markup(
        "## 评价徽章 { data-search-exclude }\n\n"
        f'<p><img src="{root}{badge_path(badge.slug)}" alt="{escape(badge.text, quote=True)}"></p>\n\n'
        f"{shown}被评价方可以把下面的代码放到自己的门户网站上，点击徽章即打开本页。{where}\n\n"
        '<pre class="zwpj-embed" tabindex="0" role="region" aria-label="徽章嵌入代码">'
        f"<code>{code}</code></pre>\n"
    )


def write_badges(
    writer: DocsWriter, histories: Sequence[PartyHistory], evaluations: Mapping[str, Evaluation]
) -> dict[str, Badge]:
    """Write one badge per party; returns them by party name for the party pages."""
    badges = {}
    for h in histories:
        badge = party_badge(h, evaluations)
        writer.text(badge_path(h.slug), badge_svg(badge))
        badges[h.name] = badge
    return badges
