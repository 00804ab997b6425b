"""docs/guide.md followed step by step, its commands as written, from ``zwpj new`` to a published evaluation.

The commands are read from the guide's ``bash`` blocks; the steps below list the same commands in the
same order (a test keeps the two in step), with what a team does between them (filling the YAML and
the score sheet, writing the narrative) as edits. Everything runs in a fresh git repository made from
this one (indicator systems, organisations, bodies, templates), with a bare ``origin`` to push to and
the guide's pre-commit hook installed, so every ``git commit`` runs ``zwpj check`` as a team's would.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from buildlib import make_repository
from ruamel.yaml import YAML
from testpaths import ROOT

from generator.load.repository import load_system
from generator.score.rules import Problem, evaluate

GUIDE = ROOT / "docs" / "guide.md"
EVAL = "evaluations/2025-hefei-platform"
VENV = Path(sys.executable).parent.parent


def guide_commands() -> list[str]:
    """Every command of the guide's ``bash`` blocks, in order (comments dropped, continuations joined)."""
    text = GUIDE.read_text(encoding="utf-8")
    commands: list[str] = []
    for block in re.finditer(r"^(?P<indent>[ \t]*)```bash\n(?P<body>.*?)^(?P=indent)```", text, re.M | re.S):
        pending = ""
        for raw in block["body"].splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            line = re.sub(r"\s+#\s.*$", "", line)
            if line.endswith("\\"):
                pending += line[:-1].strip() + " "
                continue
            commands.append(pending + line)
            pending = ""
    return commands


def pre_commit_config() -> str:
    """The ``.pre-commit-config.yaml`` the guide asks for."""
    text = GUIDE.read_text(encoding="utf-8")
    match = re.search(
        r"`\.pre-commit-config\.yaml`.*?\n(?P<indent>[ \t]*)```yaml\n(?P<body>.*?)^(?P=indent)```",
        text,
        re.S | re.M,
    )
    assert match is not None, "the guide no longer shows the pre-commit configuration"
    return "\n".join(line[len(match["indent"]) :] for line in match["body"].splitlines()) + "\n"


# --- what the team writes between the commands --------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _edit(root: Path, change: Callable[[Any], None]) -> None:
    path = root / EVAL / "evaluation.yaml"
    yaml = _yaml()
    doc = yaml.load(path.read_text(encoding="utf-8"))
    change(doc)
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh)


def _write(root: Path, rel: str, text: str) -> None:
    path = root / EVAL / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def prepare(root: Path) -> None:
    """§1: the preparation records, a new expert's organisation registered, the sampling frame in place."""
    body = "安徽衡政政务服务评估研究院有限公司"

    def change(doc: Any) -> None:
        doc["evaluated"]["name"] = "合肥市数据资源局"
        doc["evaluated"]["platform"] = "合肥市一体化政务服务平台"
        doc["commissioner"]["name"] = "合肥市人民政府办公室"
        doc["body"]["name"] = body
        doc["team"] = [
            {
                "id": "chen-jiahui",
                "name": "陈嘉慧",
                "role": "组长",
                "affiliation": body,
                "duties": "统筹评价工作",
            },
            {
                "id": "liu-siqi",
                "name": "刘思琪",
                "role": "评价员",
                "affiliation": body,
                "duties": "网上体验与文件评审",
            },
        ]
        doc["experts"] = [
            {"id": "qian-ming", "name": "钱明", "role": "评审专家", "affiliation": "庐州理工大学公共管理学院"}
        ]
        doc["party_staff"] = [
            {"id": "li-na", "name": "李娜", "role": "联络员", "affiliation": "合肥市数据资源局"}
        ]
        doc["purpose"] = "客观评价平台2025年度的服务质量，为年度考核评估提供依据。"
        doc["object"] = "合肥市一体化政务服务平台及其运营管理单位合肥市数据资源局。"
        doc["scope"] = "市本级依申请政务服务事项；办件与评价数据取2025年1月至10月。"
        doc["period"] = {"start": dt.date(2025, 11, 3), "end": dt.date(2025, 12, 12)}
        doc["data_period"] = {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 10, 31)}
        doc["places"] = ["合肥市政务服务中心"]
        doc["schedule"] = [
            {"item": "首次会议", "start": dt.date(2025, 11, 3), "end": dt.date(2025, 11, 3)},
            {"item": "文件评审与现场评价", "start": dt.date(2025, 11, 4), "end": dt.date(2025, 11, 21)},
            {"item": "信息收集与验证", "start": dt.date(2025, 11, 24), "end": dt.date(2025, 11, 28)},
            {"item": "形成评价意见", "start": dt.date(2025, 12, 1), "end": dt.date(2025, 12, 3)},
            {"item": "末次会议", "start": dt.date(2025, 12, 5), "end": dt.date(2025, 12, 5)},
            {"item": "评价初稿", "start": dt.date(2025, 12, 8), "end": dt.date(2025, 12, 12)},
        ]
        doc["plan"]["title"] = "2025年度合肥市一体化政务服务平台服务质量评价方案"
        doc["plan"]["approved"] = dt.date(2025, 10, 27)
        doc["plan"]["report_due"] = dt.date(2025, 12, 26)
        doc["plan"]["confidentiality"] = "数据脱敏后移交，只在评价机构内网处理。"

    _edit(root, change)
    with (root / "organisations.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  - id: luzhou-tech\n    name: 庐州理工大学\n    kind: 高校\n")
        fh.write("  - id: luzhou-tech-pa\n    name: 庐州理工大学公共管理学院\n    parent: luzhou-tech\n")
    rows = [["事项编码", "事项名称", "部门"]]
    for i, dept in enumerate(["市公安局", "市人社局", "市市场监管局", "市住建局"] * 12):
        rows.append([f"340100-2025-{i:03d}", f"事项{i}", dept])
    _write(root, "sampling/items.csv", "".join(",".join(r) + "\n" for r in rows))


def prepared(root: Path) -> None:
    """§1: every preparation record in place (the sampling just drawn): the stage moves on from 准备中."""
    _edit(root, lambda doc: doc.__setitem__("stage", "评价准备"))


def establish(root: Path) -> None:
    """§2: the indicator system established, with its record."""

    def change(doc: Any) -> None:
        doc["system"]["adopted"] = dt.date(2025, 10, 30)
        doc["system"]["record"] = "records/indicator-system.md"
        doc["stage"] = "建立评价指标体系"

    _write(root, "records/indicator-system.md", "# 建立评价指标体系记录\n\n全部指标适用。\n")
    _edit(root, change)


BY_SHEET = ("A1.1", "A2.1", "C2.3")
"""Indicators the team fills in the score sheet rather than in the YAML."""


def observation(rule: Any, weight: float) -> Any:
    """A valid observation for a rule, as a team would write it in YAML."""
    kind = rule.kind
    value: Any = {
        "binary": lambda: rule.pass_label,
        "levels": lambda: rule.levels[0].name,
        "ratio": lambda: rule.target,
        "deduction": lambda: {rule.items[0].id: 1},
        "bonus": lambda: {rule.items[0].id: 1},
        "veto": lambda: False,
        "satisfaction": lambda: {name: 10 for name in rule.levels},
    }[kind]()
    evaluate(rule, weight, value)  # raises Problem if the test wrote nonsense
    return value


def score_in_yaml(root: Path) -> None:
    """§3.1: observations, evidence, datasets and activities written in the YAML."""
    system, problems = load_system(root, root / "indicators" / "db34-3556-sample")
    assert system is not None and not problems
    yaml = _yaml()
    for path in sorted((root / EVAL / "scores").glob("*.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8"))
        for ind_id, entry in doc["indicators"].items():
            rule = system.index[ind_id].indicator.rule
            if ind_id in BY_SHEET or getattr(rule, "measure", None):
                continue
            entry["observation"] = observation(rule, system.index[ind_id].indicator.weight)
            entry["evaluators"] = ["liu-siqi"]
            entry["evidence"] = [{"file": "evidence/check.md", "captured": dt.date(2025, 11, 10)}]
        with path.open("w", encoding="utf-8") as fh:
            yaml.dump(doc, fh)
    _write(root, "evidence/check.md", "# 网上体验与文件评审记录\n\n逐项核查记录。\n")
    _datasets(root)
    _write(root, "records/kickoff.md", "# 首次会议纪要\n\n介绍评价方案和日程。\n")
    _write(root, "records/closing.md", "# 末次会议纪要\n\n通报主要发现。\n")
    d = dt.date
    kinds = [
        ("首次会议", d(2025, 11, 3), None),
        ("文件评审", d(2025, 11, 4), d(2025, 11, 14)),
        ("现场评价", d(2025, 11, 17), d(2025, 11, 21)),
        ("信息收集与验证", d(2025, 11, 24), d(2025, 11, 28)),
        ("形成评价意见", d(2025, 12, 1), d(2025, 12, 3)),
        ("末次会议", d(2025, 12, 5), None),
        ("评价初稿", d(2025, 12, 8), d(2025, 12, 12)),
    ]

    def change(doc: Any) -> None:
        doc["datasets"] = {"cases": "data/cases.csv", "ratings": "data/ratings.csv"}
        activities = []
        for kind, start, end in kinds:
            item: dict[str, Any] = {"kind": kind, "date": start, "attendees": ["chen-jiahui", "liu-siqi"]}
            if end:
                item["end"] = end
            if kind in ("首次会议", "末次会议"):
                item["attendees"] = ["chen-jiahui", "liu-siqi", "li-na"]
                item["minutes"] = "records/kickoff.md" if kind == "首次会议" else "records/closing.md"
            activities.append(item)
        doc["activities"] = activities

    _edit(root, change)


def _datasets(root: Path) -> None:
    cases = [["case_id", "service_item", "department", "accepted_at", "deadline", "finished_at"]]
    ratings = [["rating_id", "rated_at", "channel", "department", "service_item", "level", "rectified"]]
    levels = ["非常满意", "满意", "基本满意", "不满意"]
    for i in range(40):
        day = dt.datetime(2025, 1, 6, 9) + dt.timedelta(days=7 * i)
        cases.append(
            [
                f"C{i:04d}",
                f"事项{i % 9}",
                "市人社局",
                f"{day:%Y-%m-%d %H:%M:%S}",
                f"{day + dt.timedelta(days=5):%Y-%m-%d %H:%M:%S}",
                f"{day + dt.timedelta(days=2):%Y-%m-%d %H:%M:%S}",
            ]
        )
        level = levels[i % 4]
        ratings.append(
            [
                f"R{i:04d}",
                f"{day:%Y-%m-%d %H:%M:%S}",
                "政务服务网",
                "市人社局",
                f"事项{i % 9}",
                level,
                "是" if level == "不满意" else "",
            ]
        )
    for name, rows in (("data/cases.csv", cases), ("data/ratings.csv", ratings)):
        path = root / EVAL / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)


def fill_sheet(root: Path) -> None:
    """§3.2: the remaining indicators filled in the exported workbook, as in Excel."""
    from openpyxl import load_workbook

    path = root / "评分表.xlsx"
    book = load_workbook(path)
    sheet = book["评分表"]
    headers = {cell.value: cell.column for cell in sheet[1]}
    system, _ = load_system(root, root / "indicators" / "db34-3556-sample")
    assert system is not None
    deduction = system.index["A2.1"].indicator.rule
    values = {
        "A1.1": "规范",
        "A2.1": f"{deduction.items[0].name}=2",
        "C2.3": "非常满意=40；满意=8；基本满意=2",
    }
    for row in range(2, sheet.max_row + 1):
        ind_id = sheet.cell(row, headers["编号"]).value
        if ind_id in values:
            sheet.cell(row, headers["观测值"]).value = values[ind_id]
            sheet.cell(row, headers["评价人员"]).value = "刘思琪"
    book.save(path)


def carried_out(root: Path) -> None:
    """§3.3: every indicator scored, every activity recorded: the stage moves on."""
    _edit(root, lambda doc: doc.__setitem__("stage", "实施评价"))


def completed(root: Path) -> None:
    """§5.1: the narrative written, the stage 完成评价."""
    for name, heading, text in (
        ("summary", "概述", "平台服务质量总体良好。"),
        ("findings", "评价发现", "办事指南准确性有待提高。"),
        ("opinions", "评价专家及评价机构的指导意见", "建议建立办事指南动态校核机制。"),
        ("suggestions", "改进建议", "开展办事指南专项治理。"),
    ):
        _write(root, f"{name}.md", f"## {heading}\n\n{text}\n")
    _edit(root, lambda doc: doc.__setitem__("stage", "完成评价"))


def submitted(root: Path) -> None:
    """§5.2: the report numbered and submitted to the commissioning party."""

    def change(doc: Any) -> None:
        doc["report_number"] = "衡政评字〔2025〕第 040 号"
        doc["submission"] = {
            "date": dt.date(2025, 12, 19),
            "to": "合肥市人民政府办公室",
            "reference": "衡政函〔2025〕130 号",
        }
        doc["stage"] = "已提交"

    _edit(root, change)


def confirmed(root: Path) -> None:
    """§5.3: the evaluated party confirms."""

    def change(doc: Any) -> None:
        doc["confirmation"] = {
            "status": "已确认",
            "by": "合肥市数据资源局（李娜）",
            "date": dt.date(2025, 12, 24),
        }
        doc["stage"] = "已确认"

    _edit(root, change)


def published(root: Path) -> None:
    """§6: published."""

    def change(doc: Any) -> None:
        doc["published"] = dt.date(2025, 12, 30)
        doc["stage"] = "已发布"

    _edit(root, change)


TITLE = "2025年度合肥市一体化政务服务平台服务质量评价"
STEPS: list[tuple[str, Any]] = [
    ("run", "pip install pre-commit && pre-commit install"),
    ("run", "git switch -c 2025-hefei-platform"),
    ("run", f'zwpj new 2025-hefei-platform --system db34-3556-sample --title "{TITLE}"'),
    ("edit", prepare),
    ("run", f"zwpj sample {EVAL} --frame {EVAL}/sampling/items.csv --method stratified --by 部门 --size 30"),
    ("edit", prepared),
    ("run", f"zwpj check {EVAL}"),
    ("run", f"git add {EVAL} organisations.yaml bodies"),
    ("run", 'git commit -m "2025 合肥：评价准备"'),
    ("run", "git push -u origin 2025-hefei-platform"),
    ("edit", establish),
    ("run", f"zwpj check {EVAL}"),
    ("run", f"git add {EVAL}"),
    ("run", 'git commit -m "2025 合肥：建立评价指标体系"'),
    ("run", "git push"),
    ("edit", score_in_yaml),
    ("run", f"zwpj export-sheet {EVAL} -o 评分表.xlsx"),
    ("edit", fill_sheet),
    ("run", f"zwpj import-sheet {EVAL} 评分表.xlsx"),
    ("run", f"git diff {EVAL}"),
    ("edit", carried_out),
    ("run", f"zwpj check {EVAL}"),
    ("run", f"zwpj score {EVAL}"),
    ("run", "zwpj diff origin/main"),
    ("run", f"git add {EVAL}"),
    ("run", 'git commit -m "2025 合肥：实施评价"'),
    ("run", "git push"),
    ("edit", completed),
    ("run", f"zwpj check {EVAL}"),
    ("run", "zwpj build"),
    ("edit", submitted),
    ("run", f"git add {EVAL}"),
    ("run", 'git commit -m "2025 合肥：提交评价报告"'),
    ("run", "git push"),
    ("edit", confirmed),
    ("run", f"git add {EVAL}"),
    ("run", 'git commit -m "2025 合肥：被评价方确认"'),
    ("run", "git push"),
    ("edit", published),
    ("run", f"zwpj score {EVAL} --record"),
    ("run", f"zwpj check --strict {EVAL}"),
    ("run", f"git add {EVAL}"),
    ("run", 'git commit -m "2025 合肥：发布"'),
    ("run", "git push"),
    ("run", "zwpj build"),
]


def test_the_steps_run_the_guides_commands_as_written() -> None:
    assert [cmd for kind, cmd in STEPS if kind == "run"] == guide_commands()


def _environment(tmp: Path) -> dict[str, str]:
    config = tmp / "gitconfig"
    config.write_text(
        "[user]\n\tname = 评价工作组\n\temail = team@example.cn\n[init]\n\tdefaultBranch = main\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PATH=f"{VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        GIT_CONFIG_GLOBAL=str(config),
        GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(tmp / "pre-commit-home"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
    )
    return env


def _sh(command: str, root: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=root, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.mark.slow
def test_following_the_guide_from_new_to_published(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", evaluations=[])
    shutil.copy(ROOT / ".gitignore", root / ".gitignore")
    (root / ".venv").symlink_to(VENV)
    (root / ".pre-commit-config.yaml").write_text(pre_commit_config(), encoding="utf-8")
    env = _environment(tmp_path)
    origin = tmp_path / "origin.git"
    for command in (
        f"git init -q --bare {origin}",
        "git init -q",
        "git add -A",
        "git commit -q -m 评价仓库",
        f"git remote add origin {origin}",
        "git push -q -u origin main",
    ):
        done = _sh(command, root, env)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    outputs: dict[str, list[str]] = {}
    for kind, what in STEPS:
        if kind == "edit":
            what(root)
            continue
        done = _sh(what, root, env)
        assert done.returncode == 0, f"{what}\n{done.stdout}\n{done.stderr}"
        outputs.setdefault(what.split()[0] + " " + what.split()[1], []).append(done.stdout + done.stderr)
    # the hook ran at every commit and passed
    commits = outputs["git commit"]
    assert len(commits) == 6 and all("zwpj check" in out and "Passed" in out for out in commits), commits
    # the first commit held a draft: its unscored indicators and placeholders were to-dos, not errors
    first_check = outputs["zwpj check"][0]
    assert "待办 T901" in first_check and "待办 T902" in first_check and " 错误 " not in first_check
    assert "0 个错误" in first_check
    # published: the page, both reports, and the result as confirmed
    page = root / "site" / "evaluations" / "2025-hefei-platform.html"
    html = page.read_text(encoding="utf-8")
    assert "已发布" in html and "衡政评字〔2025〕第 040 号" in html and "未确认" not in html
    # the published total is recorded with the generator that scored it
    assert "scored_with:\n  generator: " in (root / EVAL / "evaluation.yaml").read_text(encoding="utf-8")
    for suffix in ("pdf", "docx"):
        report = root / "site" / "reports" / f"2025-hefei-platform.{suffix}"
        assert report.is_file() and report.stat().st_size > 10_000, report
    log = _sh("git log --format=%s origin/2025-hefei-platform", root, env).stdout.splitlines()
    assert log[:6] == [
        "2025 合肥：发布",
        "2025 合肥：被评价方确认",
        "2025 合肥：提交评价报告",
        "2025 合肥：实施评价",
        "2025 合肥：建立评价指标体系",
        "2025 合肥：评价准备",
    ]


def test_observation_helper_rejects_nonsense() -> None:
    """The helper the walk-through uses checks what it writes against the rule."""
    system, _ = load_system(ROOT, ROOT / "indicators" / "db34-3556-sample")
    assert system is not None
    rule = system.index["A1.1"].indicator.rule
    with pytest.raises(Problem):
        evaluate(rule, 2, "极好")
