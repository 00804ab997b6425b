"""A body's report templates and logo are untrusted input: they read no file outside the templates and
do bounded work. (The command-line cases are in ``hostile.py``, family ``tpl-``.)"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from jinja2 import TemplateNotFound
from jinja2.sandbox import SecurityError
from PIL import Image

from generator.load.templates import load_templates
from generator.render.report import sandbox
from generator.render.report.logo import rasterise
from generator.render.report.sandbox import TemplateRefused, render_bounded
from generator.render.report.style import template_file


def _env(tmp: Path) -> sandbox.BoundedSandbox:
    root = tmp / "templates"
    (root / "body").mkdir(parents=True)
    (tmp / "secret.txt").write_text("SECRET", encoding="utf-8")
    os.symlink(tmp / "secret.txt", root / "body" / "leak.j2")
    os.mkfifo(root / "body" / "pipe.j2")
    (root / "body" / "ok.j2").write_text("ok", encoding="utf-8")
    return sandbox.sandbox([str(root / "body"), str(root)], load_templates(tmp, [root]))


def test_the_loader_reads_only_regular_files_inside_the_templates(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert env.get_template("ok.j2").render() == "ok"
    for name in ("leak.j2", "pipe.j2"):
        with pytest.raises(TemplateRefused):
            env.get_template(name)
    for name in ("../secret.txt", "body/../../secret.txt"):
        with pytest.raises(TemplateNotFound):
            env.get_template(name)
    files = load_templates(tmp_path, [tmp_path / "templates"])
    assert template_file(files, tmp_path / "templates" / "body", "leak.j2") is None
    assert template_file(files, tmp_path / "templates" / "body", "ok.j2") is not None


@pytest.mark.parametrize(
    "text",
    ["{{ 10**(10**10) }}", "{{ 7**n }}", '{{ "x" * 10**11 }}', "{{ [1] * 10**9 }}", "{{ a * a }}"],
)
def test_arithmetic_that_would_explode_is_refused_before_it_runs(tmp_path: Path, text: str) -> None:
    env = _env(tmp_path)
    with pytest.raises(SecurityError):
        env.from_string(text).render(n=10**10, a=10**12000)


def test_small_arithmetic_still_works(tmp_path: Path) -> None:
    assert _env(tmp_path).from_string('{{ 2**10 }} {{ "ab" * 3 }} {{ 6 * 7 }}').render() == "1024 ababab 42"


def test_output_and_time_are_bounded(tmp_path: Path) -> None:
    env = _env(tmp_path)
    big = env.from_string("{% for a in range(100000) %}{{ s }}{% endfor %}")
    with pytest.raises(TemplateRefused):
        render_bounded(big, 60, s="x" * 1000)
    slow = env.from_string("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}")
    with pytest.raises(TimeoutError):
        render_bounded(slow, 0.5)


def test_a_logo_reads_no_file(tmp_path: Path) -> None:
    red = tmp_path / "red.png"
    Image.new("RGB", (40, 40), (255, 0, 0)).save(red)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" '
        f'height="40"><image href="file://{red}" xlink:href="file://{red}" width="40" height="40"/></svg>'
    ).encode()
    png = rasterise(svg, dpi=72)
    assert png is not None
    pixel = Image.open(io.BytesIO(png)).convert("RGB").getpixel((15, 15))
    assert pixel == (255, 255, 255), "the logo showed a file it may not read"


def test_the_check_renders_a_template_with_its_memory_bounded(tmp_path: Path) -> None:
    """A single filter call that asks for gigabytes ends as E903 in the check, in any process."""
    import shutil

    from fixturelib import MINIMAL

    from generator.load.repository import load_repository
    from generator.render.report.checks import check_templates

    root = Path(shutil.copytree(MINIMAL, tmp_path / "repo"))
    body = root / "templates" / "evil"
    body.mkdir(parents=True)
    (body / "report.md.j2").write_text(
        '{% extends "default/report.md.j2" %}\n'
        '{% block summary %}{{ "%3000000000s"|format("x") }}{% endblock %}\n',
        encoding="utf-8",
    )
    repo, _ = load_repository(root)
    found = check_templates(repo, load_templates(root))
    assert [(d.file, d.code) for d in found] == [("templates/evil/report.md.j2", "E903")]
    assert "内存" in found[0].message_zh
