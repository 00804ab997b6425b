"""Markdown that would make pandoc or Python-Markdown run away is a located error at check time (E112),
and pandoc is stopped at a time bound whatever gets through.

The families below were measured: each makes pandoc take seconds to minutes at a few dozen bytes
(exponential in nesting) or Python-Markdown at a few kilobytes (quadratic in unclosed openers).
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.load.complexity import MAX_DEPTH, hotspots
from generator.render.report import pandoc
from generator.render.report.pandoc import ReportError, find_pandoc
from generator.render.site.markup import render_narrative

RUNAWAY = {
    "nested brackets (31 bytes)": "[" * 31,
    "balanced nesting": "[" * 12 + "x" + "]" * 12,
    "unclosed link starts": "[a" * 300,
    "open link destinations": "[a](" * 300,
    "nested spans": "<span>" * 16,
    "unclosed tags": "<a " * 500,
    "unclosed tags across paragraphs": "<a\n\n" * 100,
    "footnote starts": "[^" * 40,
    "image starts": "![a" * 400,
    "brackets in a list item": "- " + "[" * 20,
    "brackets across lines of one paragraph": "[\n" * 20,
    "many depth-2 links": "[[a]]" * 1000,
    "spans between code spans (not a fence)": "```<span>" * 300,
    "what pandoc does not take for a fence": "\n~~~+[{.a}" * 100,
    "brackets inside a fence": "```\n" + "[" * 50 + "\n```\n",
}


@pytest.mark.parametrize("text", RUNAWAY.values(), ids=RUNAWAY.keys())
def test_runaway_markdown_is_found(text: str) -> None:
    (spot,) = hotspots(text)
    assert spot.line >= 1 and spot.column >= 1


PROSE = {
    "links": "详见[办事指南](https://zwfw.example.cn/guide)和[评价方案](records/plan.md)。",
    "nesting within the limit": "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH,
    "escaped brackets": "\\[" * 50,
    "code span": "`" + "[" * 50 + "`",
    "fenced code": "```json\n[1, [2, [3, 4]]]\n```\n",
    "closed tags": "<b>重点</b>" * 100,
    "brackets in separate paragraphs": "[a\n\n" * 50,
    "Chinese brackets": "【" * 100 + "（" * 100,
}


@pytest.mark.parametrize("text", PROSE.values(), ids=PROSE.keys())
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert hotspots(text) == []


def test_pandoc_is_stopped_at_its_time_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pandoc, "SECONDS", 1.0)
    start = time.monotonic()
    with pytest.raises(ReportError, match="超过 1 秒"):
        find_pandoc().run(["-t", "html"], "[" * 31, epoch=0)
    assert time.monotonic() - start < 30


PIECES = [*"[]()!^<>a-*_`\\ \n:{}.#|~", "<span>", "</span>", "<a ", "](", "[^"]
MARKUP = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)
"""Text made of the pieces Markdown gives meaning to."""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKUP)
def test_text_that_passes_the_check_renders_quickly(text: str) -> None:
    """What the check lets through, both renderers finish in well under a second at this size."""
    if hotspots(text):
        return
    start = time.monotonic()
    render_narrative(text)
    find_pandoc().run(["-t", "html"], text, epoch=0)
    assert time.monotonic() - start < 10
