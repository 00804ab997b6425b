"""A body's report template: structure changed without copying the default, and checked by ``zwpj check``.

Templates are written into a copy of tests/fixtures/modes (a system that is not the sample, with two
evaluation modes). ``check`` renders the sample report of ``generator/render/report/probe`` with each
and reports, located: E901 unknown ``body.template``, E902 a wrong style, E903 a template that cannot
render, E904 a §8.5.1 item left out (by ``structure`` or by a block that keeps only the heading).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from testpaths import FIXTURES, ROOT

from generator.diagnostics import Diagnostic
from generator.load.templates import load_templates
from generator.pipeline import check, score_all
from generator.render.report import ReportError, render_report
from generator.render.report import checks as template_checks
from generator.render.report.checks import check_templates
from generator.render.report.fingerprint import UNCOMMITTED, Fingerprint
from generator.render.report.markdown import render_markdown
from generator.render.report.style import SECTION_KEYS, load_template
from generator.render.site import SiteItem, comparisons, plan_site
from generator.render.views.report import Integrity, build_view, placeholder_charts

FIXTURE = FIXTURES / "modes"
TEMPLATES = ROOT / "templates"
EID = "2025-jia"
FINGERPRINT = Fingerprint("evaluations/x", "indicators/wangban", "0" * 64, UNCOMMITTED, "2025.1", "t")
"""Stands in for a real fingerprint: the report's Markdown is all these tests read."""
EXTENDS = '{% extends "default/report.md.j2" %}\n'


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    return root


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(root: Path) -> list[Diagnostic]:
    return sorted(check(root).diagnostics)


def codes(root: Path) -> list[tuple[str, str, int]]:
    return [(d.code, d.file, d.line) for d in problems(root)]


def markdown_of(root: Path, template: str, eid: str = EID) -> str:
    checked = check(root)
    cards = score_all(checked)
    card = cards[eid]
    items = [
        SiteItem(e, checked.repo.system_for(e.evaluation), cards[e.evaluation.id])
        for e in checked.repo.evaluations
    ]
    compared = comparisons(plan_site(root, items, list(checked.repo.systems.values())))
    loaded = next(e for e in checked.repo.evaluations if e.evaluation.id == eid)
    body = load_template(load_templates(root, [root / "templates", TEMPLATES]), template)
    view = build_view(
        loaded,
        checked.repo.system_for(loaded.evaluation),
        card,
        template=body,
        public=True,
        charts=placeholder_charts(card.result),
        integrity=Integrity(
            Fingerprint(loaded.rel, "indicators/wangban", "0" * 64, UNCOMMITTED, "2025.1", "t"), "—"
        ),
        logo=None,
        comparison=compared.get(eid),
    )
    return render_markdown(body, view, target="html").split("# 报告信息")[0]


def test_the_shipped_templates_and_the_fixture_pass(repo: Path) -> None:
    shutil.copytree(TEMPLATES, repo / "templates")
    assert problems(repo) == []


def test_a_body_reorders_parts_in_style_yaml_without_copying_the_default(repo: Path) -> None:
    write(
        repo,
        "templates/brief/style.yaml",
        "structure: [cover, statement, signature, toc, parties, goals, methods, scores, opinions, time,\n"
        "  format, result, suggestions, appendix]\n"
        "wording:\n  statement:\n    - 本报告由{评价机构}出具，仅供{委托方}使用。\n"
        "  signature: {signers: [编写人, 批准人], seal: '{评价机构}（公章）'}\n",
    )
    assert codes(repo) == []
    text = markdown_of(repo, "brief")
    statement = text.index("本报告由测评先锋评估中心出具，仅供甲县人民政府办公室使用。")
    signature = text.index("编写人（签字）")
    assert statement < signature < text.index("{#parties}") and "批准人（签字）" in text
    assert "测评先锋评估中心（公章）" in text and "审核人（签字）" not in text
    assert "摘　要" not in text, "a part left out of the structure is not rendered"


def test_a_body_replaces_one_block_and_keeps_the_default_text_with_super(repo: Path) -> None:
    write(
        repo,
        "templates/extra/report.md.j2",
        '{% extends "default/report.md.j2" %}\n'
        "{% block result_comparison %}\n{{ super() }}\n本机构另附历年得分走势图。\n\n{% endblock %}\n"
        "{% block signature %}\n本报告经本中心技术委员会审定。\n\n{{ super() }}\n{% endblock %}\n",
    )
    assert codes(repo) == []
    text = markdown_of(repo, "extra")
    result = text[text.index("{#result}") : text.index("{#suggestions}")]
    assert "与上次评价" in result and "本机构另附历年得分走势图。" in result
    assert text.index("本报告经本中心技术委员会审定。") < text.index("项目负责人（签字）")


def test_a_misspelt_body_template_is_located(repo: Path) -> None:
    path = repo / "evaluations" / "2025-yi" / "evaluation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("anhui-zhixin", "anhui-zhxin"), encoding="utf-8")
    line = 1 + path.read_text(encoding="utf-8").splitlines().index("  template: anhui-zhxin")
    found = problems(repo)
    assert [(d.code, d.file, d.line) for d in found] == [
        ("E901", "evaluations/2025-yi/evaluation.yaml", line)
    ]
    assert "anhui-zhixin" in found[0].message_zh


@pytest.mark.parametrize("name", ["../../etc", "default/..", "a b", "模板", ""])
def test_an_unsafe_body_template_is_refused(repo: Path, name: str) -> None:
    path = repo / "evaluations" / "2025-yi" / "evaluation.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("template: anhui-zhixin", f"template: '{name}'"),
        encoding="utf-8",
    )
    assert [c for c, _, _ in codes(repo)] == ["E901"]


@pytest.mark.parametrize("key", SECTION_KEYS)
def test_a_block_that_keeps_only_the_heading_of_an_item_is_located(repo: Path, key: str) -> None:
    write(
        repo,
        "templates/thin/report.md.j2",
        f'{{% extends "default/report.md.j2" %}}\n\n{{% block {key} %}}\n# 标题 {{{{ anchor("{key}") }}}}\n\n'
        "{% endblock %}\n",
    )
    found = problems(repo)
    assert [(d.code, d.file, d.line) for d in found] == [("E904", "templates/thin/report.md.j2", 3)]
    assert dict(found[0].args)["number"] == str(SECTION_KEYS.index(key) + 1)


def test_a_partial_that_drops_the_people_is_caught(repo: Path) -> None:
    write(
        repo,
        "templates/nopeople/report.md.j2",
        '{% extends "default/report.md.j2" %}\n{% block parties_people %}{% endblock %}\n',
    )
    found = problems(repo)
    assert [d.code for d in found] == ["E904"]
    assert "人员“钱一”" in found[0].message_zh and dict(found[0].args)["number"] == "1"


def test_a_structure_without_an_item_is_located_in_style_yaml(repo: Path) -> None:
    write(repo, "templates/short/style.yaml", "structure: [cover, parties, goals, methods, scores]\n")
    found = problems(repo)
    assert {(d.code, d.file, d.line) for d in found} == {("E904", "templates/short/style.yaml", 1)}
    assert sorted(dict(d.args)["key"] for d in found) == sorted(
        ["opinions", "time", "format", "result", "suggestions"]
    )


@pytest.mark.parametrize(
    ("style", "code", "line"),
    [
        ("structure: [cover, parties, parties, goals]\n", "E902", 1),
        ("wording:\n  statement: ['{评价单位}出具']\n", "E902", 2),
        ("wording:\n  signature: {seal: '{盖章}'}\n", "E902", 2),
        ("structre: [cover]\n", "E201", 1),
        ("structure: cover\n", "E202", 1),
        ("name: [\n", "E101", 2),
    ],
)
def test_a_wrong_style_is_located(repo: Path, style: str, code: str, line: int) -> None:
    write(repo, "templates/bad/style.yaml", style)
    found = problems(repo)
    assert [(d.code, d.file) for d in found][:1] == [(code, "templates/bad/style.yaml")]
    assert found[0].line == line


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        (
            EXTENDS + "{% block goals %}\n{{ r.ev.no_such_field }}\n{% endblock %}\n",
            3,
            "no_such_field",
        ),
        (
            EXTENDS + "{% block goals %}\n{% if %}\n{% endblock %}\n",
            3,
            "Expected an expression",
        ),
        (
            EXTENDS + "{% block goals %}\n{{ r.__class__.__init__.__globals__ }}\n{% endblock %}\n",
            3,
            "unsafe",
        ),
        (
            EXTENDS + "{% block goals %}\n{{ cycler.__init__.__globals__.os }}\n{% endblock %}\n",
            3,
            "unsafe",
        ),
    ],
)
def test_a_template_that_cannot_render_is_located(repo: Path, body: str, line: int, words: str) -> None:
    write(repo, "templates/bad/report.md.j2", body)
    found = problems(repo)
    assert [(d.code, d.file, d.line) for d in found] == [("E903", "templates/bad/report.md.j2", line)]
    assert words in found[0].message_zh


def test_a_runaway_template_is_stopped(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(template_checks, "RENDER_SECONDS", 1)
    write(
        repo,
        "templates/slow/report.md.j2",
        '{% extends "default/report.md.j2" %}\n{% block goals %}'
        "{% for i in range(100000) %}{% for j in range(100000) %}.{% endfor %}{% endfor %}{% endblock %}\n",
    )
    found = problems(repo)
    assert [(d.code, d.file) for d in found] == [("E903", "templates/slow/report.md.j2")]
    assert "1 秒" in found[0].message_zh


def test_check_and_the_cached_checker_agree_on_templates(repo: Path, tmp_path: Path) -> None:
    from generator.build.cache import Cache
    from generator.build.checking import Checker

    write(repo, "templates/short/style.yaml", "structure: [cover, parties, goals, methods, scores]\n")
    checker = Checker(repo, Cache.for_repository(repo, enabled=False))
    assert checker.check().diagnostics == check(repo).diagnostics
    assert check_templates(check(repo).repo, load_templates(repo)) != []


def test_a_report_whose_own_data_loses_an_item_is_not_written(repo: Path, tmp_path: Path) -> None:
    """The check renders the probe; a template that hides an item for other data is stopped at build."""
    write(
        repo,
        "templates/sly/report.md.j2",
        '{% extends "default/report.md.j2" %}\n{% block opinions %}{% if r.ev.id == "2025-jia" %}'
        '{{ super() }}{% else %}# 五、意见 {{ anchor("opinions") }}\n\n{% endif %}{% endblock %}\n',
    )
    path = repo / "evaluations" / "2025-yi" / "evaluation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("anhui-zhixin", "sly"), encoding="utf-8")
    assert problems(repo) == []
    checked = check(repo)
    loaded = next(e for e in checked.repo.evaluations if e.evaluation.id == "2025-yi")
    out = tmp_path / "out"
    with pytest.raises(ReportError, match="第 5 项"):
        render_report(
            loaded,
            checked.repo.system_for(loaded.evaluation),
            score_all(checked)["2025-yi"],
            out,
            repo_root=repo,
            commit=None,
        )
    assert not out.exists() or not any(out.iterdir()), "nothing half-written"


def test_a_block_that_drops_the_found_veto_from_the_suggestions_is_caught(repo: Path) -> None:
    write(
        repo,
        "templates/noveto/report.md.j2",
        '{% extends "default/report.md.j2" %}\n{% block suggestions %}\n'
        '# 九、{{ s.suggestions }} {{ anchor("suggestions") }}\n\n{{ m.weak_table(r.weak) }}\n\n'
        '{{ ev.narrative.get("suggestions")|narrative }}\n{% endblock %}\n',
    )
    found = problems(repo)
    assert [(d.code, d.file, d.line) for d in found] == [("E904", "templates/noveto/report.md.j2", 2)]
    assert "J3" in found[0].message_zh and dict(found[0].args)["number"] == "9"
