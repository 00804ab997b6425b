"""Per-party badges from the site fixture repository: what they say, how they look, how they embed.

甲市 has a published (2023) and a confirmed (2024) evaluation; 乙县 has one awaiting confirmation;
丙区 one still being evaluated. So 甲市's badge shows its 2024 grade in colour, the others are grey
and say 待确认.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from test_site import FIXTURE, scored_items

from generator.build.pages import write_pages
from generator.render.site.badges import (
    GRADE_COLOURS,
    LABEL_COLOUR,
    PENDING_COLOUR,
    Badge,
    badge_section,
    badge_svg,
    embed_code,
    text_width,
)
from generator.render.site.compare import party_slug
from generator.render.site.feed import SiteAddress

SVG = "{http://www.w3.org/2000/svg}"


def contrast(colour: str, other: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two sRGB colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("badge-docs")
    items, systems = scored_items()
    write_pages(FIXTURE, items, systems, out, reports=False)
    return out


def _badge(docs: Path, party: str) -> etree._Element:
    return etree.fromstring((docs / "badges" / f"{party_slug(party)}.svg").read_bytes())


def test_every_party_has_an_accessible_badge(docs: Path) -> None:
    names = ("甲市数据资源局", "乙县数据资源局", "丙区数据资源局")
    assert sorted(p.name for p in (docs / "badges").iterdir()) == sorted(
        f"{party_slug(n)}.svg" for n in names
    )
    for name in names:
        svg = _badge(docs, name)
        assert svg.tag == SVG + "svg" and svg.get("role") == "img"
        title = svg.findtext(SVG + "title")
        assert title == svg.get("aria-label") and title.startswith(name)
        shown = "".join(t.text for t in svg.iter(SVG + "text"))
        grade = re.search(r"等级(\S+?)，", title).group(1)
        assert grade in shown, "the grade is written out, not only coloured"


def test_latest_released_result_is_shown_and_pending_ones_are_marked(docs: Path) -> None:
    alpha = _badge(docs, "甲市数据资源局")
    assert "2024年度" in alpha.findtext(SVG + "title") and "待确认" not in alpha.findtext(SVG + "title")
    fills = {r.get("fill") for r in alpha.iter(SVG + "rect")}
    assert fills & set(GRADE_COLOURS.values())
    beta = _badge(docs, "乙县数据资源局")
    assert "待确认" in beta.findtext(SVG + "title")
    assert "待确认" in "".join(t.text for t in beta.iter(SVG + "text"))
    assert PENDING_COLOUR in {r.get("fill") for r in beta.iter(SVG + "rect")}


def test_badge_colours_keep_white_text_readable() -> None:
    for colour in (*GRADE_COLOURS.values(), PENDING_COLOUR, LABEL_COLOUR):
        assert contrast(colour) >= 4.5, colour


def test_badges_fetch_nothing(docs: Path) -> None:
    for path in (docs / "badges").iterdir():
        text = path.read_text(encoding="utf-8")
        assert set(re.findall(r"[a-z]+://[^\s\"'<>]+", text)) == {"http://www.w3.org/2000/svg"}
        assert "href" not in text and "@import" not in text and "url(" not in text


def test_badge_is_wide_enough_for_its_text() -> None:
    badge = Badge("p-x", "某市数据资源局", "e", 2024, "良好", "89.3", "100", GRADE_COLOURS["second"], True)
    svg = etree.fromstring(badge_svg(badge).encode())
    assert float(svg.get("width")) >= text_width(badge.label) + text_width(badge.value)
    assert text_width("良好") == 2 * text_width("良") > 2 * text_width("8")


def test_party_page_shows_the_badge_and_its_embed_code(docs: Path) -> None:
    slug = party_slug("甲市数据资源局")
    page = (docs / "parties" / f"{slug}.md").read_text(encoding="utf-8")
    assert f'<img src="../badges/{slug}.svg" alt="甲市数据资源局2024年度' in page
    assert f"&lt;a href=&quot;parties/{slug}.html&quot;&gt;&lt;img src=&quot;badges/{slug}.svg&quot;" in page
    assert "请在两处地址前加上本站网址" in page


def test_embed_code_is_absolute_when_site_url_is_set() -> None:
    badge = Badge("p-x", "某市数据资源局", "e", 2024, "良好", "89.3", "100", GRADE_COLOURS["second"], True)
    site = SiteAddress(url="https://pj.example.gov.cn/")
    code = embed_code(badge, site)
    assert code.startswith('<a href="https://pj.example.gov.cn/parties/p-x.html"><img src="https://pj')
    assert 'alt="某市数据资源局2024年度' in code
    section = badge_section(badge, site, root="../")
    assert "已是本站完整网址" in section and "请在两处地址前" not in section
