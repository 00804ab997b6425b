"""Command line: translates arguments and errors; the library does the work.

Exit codes (``exits``): 0 clean, 1 content errors, 2 usage or nothing checked, 3 environment
(missing tool, full disk, permission denied, out of memory).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator import __version__
from generator.diagnostics import Diagnostic, format_github, format_json, format_text, has_errors
from generator.exits import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, EnvironmentProblem, Group, describe_os_error
from generator.messages import INTERNAL_NOT_MADE
from generator.paths import PathRefused, check_output, find_repository, is_repository

if TYPE_CHECKING:
    from generator.build.runner import BuildResult


def _root_option(f):
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="仓库根目录（默认：从当前目录向上查找含 indicators/ 的目录）。",
    )(f)


def resolve_root(root: Path | None) -> Path:
    """The root given, or found from the working directory; a usage error when it is no repository."""
    if root is not None:
        if not is_repository(root):
            raise click.UsageError(
                f"{root} 不是评价仓库（其中没有 indicators/ 或 evaluations/ 文件夹）"
                "（not a repository: no indicators/ or evaluations/ folder）"
            )
        return root.resolve()
    found = find_repository(Path.cwd())
    if found is None:
        raise click.UsageError(
            "当前目录及其上级都不是评价仓库（找不到 indicators/ 或 evaluations/ 文件夹）；"
            "请在仓库中运行，或用 --root 指定仓库根目录（not inside a repository）"
        )
    return found


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zwpj")
def main() -> None:
    """“互联网+政务服务”服务质量评价（DB34/T 3556-2019）仓库工具：校验、评分、生成站点与报告。"""


def _evaluation_folders(root: Path, paths: tuple[Path, ...]) -> list[Path] | None:
    """Evaluation folders holding the given paths (None: every evaluation; [] systems only).

    A path must lie in the repository's evaluations/ or indicators/ (or be the repository or one
    of those folders); anything else is a usage error, so a check never passes having checked nothing.
    """
    folders: set[Path] = set()
    for path in paths:
        parts = _repository_parts(root, path)
        if not parts or parts == ("evaluations",):
            return None
        if parts[0] == "evaluations":
            folders.add(root / "evaluations" / parts[1])
    return sorted(folders) if paths else None


def _repository_parts(root: Path, path: Path) -> tuple[str, ...]:
    """``path`` relative to the root, as parts; a usage error outside evaluations/ and indicators/."""
    try:
        parts = path.absolute().relative_to(root).parts
    except ValueError:
        try:
            parts = path.resolve().relative_to(root).parts
        except ValueError:
            parts = ("..",)
    if parts and parts[0] not in ("evaluations", "indicators"):
        raise click.UsageError(
            f"{path} 不在仓库的 evaluations/ 或 indicators/ 中，没有可校验的内容"
            "（nothing to check: the path is not an evaluation or an indicator system）"
        )
    return parts


def emit(diagnostics: list[Diagnostic], fmt: str) -> None:
    """Print diagnostics in the chosen format."""
    if fmt == "json":
        click.echo(format_json(diagnostics))
        return
    for d in diagnostics:
        click.echo(format_github(d) if fmt == "github" else format_text(d))
    if fmt == "text":
        errors = sum(d.severity.value == "error" for d in diagnostics)
        todos = sum(d.severity.value == "todo" for d in diagnostics)
        warnings = len(diagnostics) - errors - todos
        summary = (
            "未发现问题（no problems）"
            if not diagnostics
            else f"{errors} 个错误，{warnings} 个警告（{errors} errors, {warnings} warnings）"
        )
        if todos:
            summary += f"；{todos} 项待办（{todos} to-dos）"
        click.echo(summary, err=True)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    help="输出格式：text（默认）、json、github（GitHub Actions 行内注释）。",
)
@click.option("--strict", is_flag=True, help="把警告也当作错误。")
@_root_option
def check(paths: tuple[Path, ...], fmt: str, strict: bool, root: Path | None) -> None:
    """校验指标体系和评价（默认全部；可指定评价文件夹或其中的文件）。"""
    from generator.build.cache import Cache
    from generator.build.progress import progress_bar
    from generator.build.workers import default_jobs
    from generator.pipeline import check as run_check

    root = resolve_root(root)
    cache = Cache.for_repository(root)
    with progress_bar() as progress:
        only = _evaluation_folders(root, paths)
        checked = run_check(root, only=only, cache=cache, jobs=default_jobs(), progress=progress)
        cache.save()
    if not checked.diagnostics and not checked.repo.systems and not checked.repo.evaluations:
        raise click.UsageError(f"{root} 中没有指标体系，也没有评价：没有可校验的内容（nothing to check）")
    from generator.validate.process.upgrade import changed_totals

    found = [*checked.diagnostics, *changed_totals(checked)]
    emit(found, fmt)
    sys.exit(EXIT_CONTENT if has_errors(found, strict=strict) else EXIT_OK)


@main.command()
@click.argument("evaluation", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    help="输出格式：table（默认，逐项说明）、json、csv。",
)
@click.option(
    "--record",
    is_flag=True,
    help="把本版本生成器算出的总分记入 evaluation.yaml 的 scored_with（发布时使用，见 docs/upgrade.md）。",
)
@_root_option
def score(evaluation: Path, fmt: str, record: bool, root: Path | None) -> None:
    """计算一个评价的得分与等级，并写入 build/scores/<编号>.json。"""
    from generator.build.cache import Cache
    from generator.build.workers import default_jobs
    from generator.pipeline import check as run_check
    from generator.pipeline import score_one
    from generator.score.export import to_csv, to_json
    from generator.score.table import render_table

    root = resolve_root(root)
    cache = Cache.for_repository(root)
    only = _evaluation_folders(root, (evaluation,)) or []
    checked = run_check(root, only=only, cache=cache, jobs=default_jobs())
    if not checked.repo.evaluations:
        raise click.UsageError(f"{evaluation} 不是评价文件夹（缺少 evaluation.yaml）")
    loaded = checked.repo.evaluations[0]
    problems = checked.blocking(loaded)
    if problems:
        emit(problems, "text")
        if checked.problems_of(loaded):
            click.echo(
                "存在错误，无法评分；请先修正（cannot score until these errors are fixed）。", err=True
            )
        else:
            click.echo("尚有指标未评分或数据集未提供，暂不能评分（not scored yet: to-dos above）。", err=True)
        sys.exit(EXIT_CONTENT)
    card = score_one(checked, loaded)
    cache.save()
    out = root / "build" / "scores" / f"{card.evaluation_id}.json"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(to_json(card), encoding="utf-8")
    except OSError as exc:
        raise EnvironmentProblem(f"无法写入 {out}：{describe_os_error(exc)}") from exc
    if record:
        import datetime as dt

        from generator.validate.process.upgrade import record_score

        target = loaded.folder / "evaluation.yaml"
        try:
            record_score(target, card, dt.date.today())
        except OSError as exc:
            raise EnvironmentProblem(f"无法写入 {target}：{describe_os_error(exc)}") from exc
    system = checked.repo.system_for(loaded.evaluation)
    assert system is not None
    text = {
        "json": lambda: to_json(card),
        "csv": lambda: to_csv([card]),
        "table": lambda: render_table(card, system),
    }[fmt]()
    click.echo(text, nl=fmt == "table")


@main.command()
@click.argument("evaluation_id")
@click.option("--system", "system_id", required=True, help="指标体系编号，例如 db34-3556-sample。")
@click.option("--edition", default=None, help="指标体系版本（默认：该体系唯一或最新的版本）。")
@click.option("--title", default=None, help="评价标题。")
@_root_option
def new(
    evaluation_id: str, system_id: str, edition: str | None, title: str | None, root: Path | None
) -> None:
    """按指标体系生成一个新的评价文件夹，列出全部指标，待填写。"""
    from generator.scaffold import ScaffoldError, scaffold

    root = resolve_root(root)
    try:
        folder = scaffold(root, evaluation_id, system_id, edition=edition, title=title)
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from exc
    except OSError as exc:
        raise EnvironmentProblem(f"无法写入：{describe_os_error(exc, root)}") from exc
    click.echo(f"已创建 {folder.relative_to(root)}/ ；填写后运行：zwpj check {folder.relative_to(root)}")


@main.command()
@click.argument("system_id")
@click.option("--edition", default=None, help="指标体系版本（默认：最新施行的版本）。")
@click.option(
    "--weight",
    "weights",
    multiple=True,
    metavar="编号=分值",
    help="试算的权重调整，如 A=48、A1.2=1/3、B=30%（占上级分值）；可写多个，合为一次试算。"
    "不写时试算每个维度的权重上调、下调五分之一。",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    help="输出格式：text（默认）或 json。",
)
@_root_option
def analyze(
    system_id: str, edition: str | None, weights: tuple[str, ...], fmt: str, root: Path | None
) -> None:
    """用已评分的评价检验指标体系：区分度、指标间相关、各维度 Cronbach α、权重调整对等级和名次的影响。"""
    from generator.analyze import Member
    from generator.analyze import analyze as run_analysis
    from generator.analyze.sensitivity import WeightChangeError, parse_changes
    from generator.analyze.text import render_text, to_json
    from generator.load.repository import rel_path
    from generator.load.schema_errors import suggestion
    from generator.pipeline import check as run_check
    from generator.pipeline import score_all

    root = resolve_root(root)
    checked = run_check(root)
    editions = {ed: s for (sid, ed), s in checked.repo.systems.items() if sid == system_id}
    if not editions:
        ids = sorted({sid for sid, _ in checked.repo.systems})
        zh, _ = suggestion(system_id, ids)
        raise click.UsageError(f"找不到指标体系“{system_id}”{zh}（可用：{'、'.join(ids) or '无'}）")
    if edition is not None and edition not in editions:
        raise click.UsageError(
            f"指标体系“{system_id}”没有版本“{edition}”（现有：{'、'.join(sorted(editions))}）"
        )
    system = editions[edition] if edition else max(editions.values(), key=lambda s: s.system.effective)
    own = [d for d in checked.errors if d.file.startswith(rel_path(root, system.folder) + "/")]
    if own:
        emit(own, "text")
        click.echo("指标体系存在错误，无法分析；请先修正（fix the system's errors first）。", err=True)
        sys.exit(EXIT_CONTENT)
    try:
        changes = [parse_changes(system, weights)] if weights else None
    except WeightChangeError as exc:
        raise click.UsageError(str(exc)) from exc
    cards = score_all(checked)
    using = [e for e in checked.repo.evaluations if checked.repo.system_for(e.evaluation) is system]
    members = [
        Member(e, cards[e.evaluation.id], checked.measured.get(e.evaluation.id, {}))
        for e in using
        if e.evaluation.id in cards
    ]
    try:
        result = run_analysis(system, members, changes=changes, settings=checked.repo.settings.rankings)
    except WeightChangeError as exc:
        raise click.UsageError(str(exc)) from exc
    left = [e.evaluation.id for e in using if e.evaluation.id not in cards]
    if fmt == "json":
        click.echo(to_json(result), nl=False)
        return
    click.echo(render_text(result), nl=False)
    if left:
        click.echo(f"另有 {len(left)} 个评价因存在错误未纳入：{'、'.join(left)}（运行 zwpj check 查看）。")


@main.command()
@_root_option
def schema(root: Path | None) -> None:
    """重新生成 schema/ 下供编辑器使用的 JSON Schema。"""
    from generator.model.schema import write_schemas

    root = resolve_root(root)
    for path in write_schemas(root / "schema"):
        click.echo(f"已写入 {path.relative_to(root)}")


@main.command()
@click.argument("evaluation", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--frame",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="抽样框（CSV 或 XLSX，首行为表头），须放在评价文件夹内。",
)
@click.option(
    "--method",
    type=click.Choice(["simple", "stratified"]),
    default="simple",
    help="simple 简单随机抽样（默认）；stratified 按 --by 分层、按比例分配。",
)
@click.option("--by", default=None, help="分层所依据的列，例如 部门、层级。")
@click.option("--size", type=click.IntRange(min=1), required=True, help="样本量。")
@click.option("--seed", type=click.IntRange(min=0), default=None, help="随机种子（默认随机生成并记录）。")
@click.option("--key", default=None, help="唯一标识每一行的列（默认第一列）。")
@click.option("--what", default="依申请政务服务事项", show_default=True, help="抽取的是什么。")
@click.option("--id", "sample_id", default=None, help="抽样记录编号（默认 S1、S2…；同编号则替换）。")
@click.option("--date", type=click.DateTime(["%Y-%m-%d"]), default=None, help="抽样日期（默认今天）。")
@click.option("--internal", is_flag=True, help="样本明细属内部资料，不在公开站点和报告中列出。")
@click.option("--dry-run", is_flag=True, help="只显示抽样结果，不写入 evaluation.yaml。")
def sample(
    evaluation: Path,
    frame: Path,
    method: str,
    by: str | None,
    size: int,
    seed: int | None,
    key: str | None,
    what: str,
    sample_id: str | None,
    date: dt.datetime | None,
    internal: bool,
    dry_run: bool,
) -> None:
    """从抽样框中按声明的方法和随机种子抽取样本（§8.2），并写入 evaluation.yaml 的 sampling。"""
    import secrets

    from generator.load.frames import SampleError
    from generator.sample_write import sample_into

    folder = evaluation.resolve()
    if not (folder / "evaluation.yaml").is_file():
        raise click.UsageError(f"{evaluation} 不是评价文件夹（缺少 evaluation.yaml）")
    if method == "stratified" and not by:
        raise click.UsageError("分层抽样须用 --by 指定分层列")
    seed = secrets.randbelow(2**31) if seed is None else seed
    try:
        record = sample_into(
            folder,
            frame,
            what=what,
            key=key,
            method=method,
            size=size,
            seed=seed,
            by=by,
            sample_id=sample_id,
            date=date.date() if date else dt.date.today(),
            internal=internal,
            write=not dry_run,
        )
    except SampleError as exc:
        raise click.UsageError(f"{exc.zh}（{exc.en}）" + (f"\n提示: {exc.hint}" if exc.hint else "")) from exc
    except OSError as exc:
        raise EnvironmentProblem(f"无法写入 {folder / 'evaluation.yaml'}：{describe_os_error(exc)}") from exc
    strata = "；".join(f"{k} {v}" for k, v in record.strata.items())
    click.echo(
        f"{record.id}：从 {record.frame} 抽取 {record.size} 行（{record.method}，种子 {record.seed}"
        + (f"，各层 {strata}" if strata else "")
        + "）"
    )
    click.echo("、".join(record.drawn))
    if not dry_run:
        click.echo(f"已写入 {evaluation}/evaluation.yaml 的 sampling；运行 zwpj check {evaluation} 可复核。")


@main.command()
@click.argument("base")
@click.argument("head", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    help="输出格式：text（默认）、markdown（适合贴到合并请求评论）、json。",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="写入文件而不是打印。",
)
@_root_option
def diff(base: str, head: str | None, fmt: str, output: Path | None, root: Path | None) -> None:
    """比较两个 git 版本（省略 HEAD 时与工作区比较）的评分、等级、评分记录和指标体系修改。"""
    from generator.review import GitUnavailable, RevisionError, diff_revisions
    from generator.review.markdown import render_json, render_markdown
    from generator.review.text import render_text

    root = resolve_root(root)
    try:
        report = diff_revisions(root, base, head)
    except RevisionError as exc:
        raise click.UsageError(str(exc)) from exc
    except GitUnavailable as exc:
        raise EnvironmentProblem(str(exc)) from exc
    if output is not None:
        _check_output(root, output, "比较结果文件")
    text = {"text": render_text, "markdown": render_markdown, "json": render_json}[fmt](report)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise EnvironmentProblem(f"无法写入 {output}：{describe_os_error(exc)}") from exc


def _check_output(root: Path, path: Path, what: str) -> None:
    """A usage error for an output file that would land among the repository's inputs."""
    try:
        check_output(root, path, what=what)
    except PathRefused as exc:
        raise click.UsageError(str(exc)) from exc


def _one_evaluation(root: Path, evaluation: Path) -> Path:
    """The evaluation folder holding ``evaluation``; a usage error when there is none."""
    folders = _evaluation_folders(root, (evaluation,)) or []
    if not folders:
        raise click.UsageError(f"{evaluation} 不是评价文件夹（缺少 evaluation.yaml）")
    return folders[0]


@main.command("export-sheet")
@click.argument("evaluation", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="输出的 .xlsx 文件（默认：build/sheets/<评价编号>.xlsx）。",
)
@_root_option
def export_sheet_command(evaluation: Path, output: Path | None, root: Path | None) -> None:
    """导出评分表（XLSX），可在 Excel 或 WPS 中填写后用 import-sheet 导回。"""
    from generator.sheet import export_sheet, load_target

    root = resolve_root(root)
    if output is not None:
        _check_output(root, output, "评分表")
    target = load_target(root, _one_evaluation(root, evaluation))
    if isinstance(target, list):
        emit(target, "text")
        click.echo("评价文件有错误，无法导出评分表（cannot export until these errors are fixed）。", err=True)
        sys.exit(EXIT_CONTENT)
    loaded, system = target
    out = output or root / "build" / "sheets" / f"{loaded.evaluation.id}.xlsx"
    try:
        export_sheet(loaded, system, out)
    except OSError as exc:
        raise EnvironmentProblem(f"无法写入 {out}：{describe_os_error(exc)}") from exc
    click.echo(f"已导出评分表 {out}；填写后运行：zwpj import-sheet {evaluation} {out}")


@main.command("import-sheet")
@click.argument("evaluation", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_root_option
def import_sheet_command(evaluation: Path, sheet: Path, root: Path | None) -> None:
    """把填好的评分表写回评价的评分文件；只改动过的单元格会写回，任何单元格有误则不做修改。"""
    from generator.load.repository import rel_path
    from generator.sheet import import_sheet

    root = resolve_root(root)
    folder = _one_evaluation(root, evaluation)
    try:
        result = import_sheet(root, folder, sheet, shown=rel_path(root, sheet.resolve()))
    except OSError as exc:
        raise EnvironmentProblem(f"无法写入评分文件：{describe_os_error(exc, root)}") from exc
    if result.diagnostics:
        emit(result.diagnostics, "text")
        click.echo("未做任何修改（nothing was changed）。", err=True)
        sys.exit(EXIT_CONTENT)
    for path in result.files:
        click.echo(f"已更新 {rel_path(root, path)}")
    click.echo(f"写回 {len(result.edits)} 个单元格；请运行 zwpj check {evaluation} 检查。")


@main.command()
@click.option("--no-reports", is_flag=True, help="只生成站点，不生成 DOCX 和 PDF 报告。")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1),
    default=None,
    help="并行进程数（评分、页面、网页、报告；默认：CPU 核数）。",
)
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="站点输出目录（默认：仓库根目录下的 site/）。",
)
@click.option("--no-cache", is_flag=True, help="不使用也不更新 .cache/zwpj/ 中的缓存，全部重新生成。")
@click.option("--strict", is_flag=True, help="任何评价有错误时都不生成站点（默认只略去有错误的评价）。")
@_root_option
def build(
    no_reports: bool,
    jobs: int | None,
    site_dir: Path | None,
    no_cache: bool,
    strict: bool,
    root: Path | None,
) -> None:
    """校验、评分，生成静态站点（site/）和每个评价的 DOCX、PDF 报告。

    有错误的评价（或指标体系）不发布，其余照常发布，并列出未发布的评价及原因，退出码为 1；
    --strict 时只要有错误就不生成站点。只重新生成改动影响到的部分（其余取自 .cache/zwpj/）；
    站点先生成在 site/ 旁的临时文件夹，完成后一次替换，生成失败或中断时原有的 site/ 不变。
    """
    from generator.build.progress import progress_bar
    from generator.build.runner import BuildError
    from generator.build.runner import build as run_build

    root = resolve_root(root)
    try:
        with progress_bar() as progress:
            result = run_build(
                root,
                site_dir=site_dir,
                reports=not no_reports,
                jobs=jobs,
                cache=not no_cache,
                strict=strict,
                progress=progress,
            )
    except PathRefused as exc:
        raise click.UsageError(str(exc)) from exc
    except BuildError as exc:
        raise EnvironmentProblem(str(exc)) from exc
    sys.exit(_build_outcome(result, cached=not no_cache, what="站点"))


def _build_outcome(result: BuildResult, *, cached: bool, what: str) -> int:
    """Print what a build did (``what``: 站点, or 内部版站点); its exit code."""
    for folder in result.stale:
        click.echo(f"已清理上次中断的生成留下的 {folder.name}（原有站点未受影响）", err=True)
    if result.diagnostics:
        emit(result.diagnostics, "text")
    for line in left_out_lines(result.left_out):
        click.echo(line, err=True)
    if result.site is None:
        click.echo(f"存在错误，未生成{what}，原有{what}未改动（errors found, nothing built）", err=True)
        return EXIT_CONTENT
    if result.drafts:
        drafts = "、".join(result.drafts)
        click.echo(
            f"尚未评分完毕、未发布的评价（待办见上）：{drafts}（drafts not published: {drafts}）", err=True
        )
    for problem in result.problems:
        click.echo(f"{problem.file}: {problem.kind} {problem.detail}", err=True)
    seconds = sum(result.timings.values())
    fresh = "、".join(f"{FRESH_NAMES[k]} {v}" for k, v in result.fresh.items() if k in FRESH_NAMES)
    reused = "" if not cached else f"（重新生成：{fresh}；其余取自缓存）"
    click.echo(
        f"已生成{what} {result.site}：{result.evaluations} 项评价，{result.reports} 份报告{reused}，"
        f"用时 {seconds:.1f} 秒",
        err=True,
    )
    if result.left_out:
        click.echo(
            f"{len(result.left_out)} 项因存在错误未发布，已列在站点的“未发布的评价”页"
            f"（{len(result.left_out)} left out because of errors）",
            err=True,
        )
    return EXIT_CONTENT if result.problems or result.left_out else EXIT_OK


def left_out_lines(left_out: tuple) -> list[str]:
    """One line per evaluation or system left out: folder, title and the codes of its errors."""
    kinds = {"evaluation": "评价", "system": "指标体系"}
    return [
        f"未发布的{kinds[item.kind]}：{item.folder}"
        + (f"（{item.title}）" if item.title else "")
        + f"：{len(item.errors)} 个错误（{'、'.join(item.codes)}）"
        for item in left_out
    ]


FRESH_NAMES = {"pages": "评价页面", "html": "网页", "reports": "报告"}
"""How ``BuildResult.fresh`` steps are named in the summary line."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。")
@click.option("--port", "-p", type=int, default=8000, show_default=True, help="端口。")
@_root_option
def serve(host: str, port: int, root: Path | None) -> None:
    """在本机预览站点（不生成报告），评价或指标体系文件改动后自动重新生成并刷新页面。"""
    from generator.build.runner import BuildError
    from generator.build.runner import serve as run_serve

    def report(result: BuildResult | BuildError) -> None:
        if isinstance(result, BuildError):
            click.echo(str(result), err=True)
            return
        if result.diagnostics:
            emit(result.diagnostics, "text")
        if result.site is not None:
            click.echo(f"已生成预览：{result.evaluations} 项评价，http://{host}:{port}/", err=True)

    try:
        run_serve(resolve_root(root), host=host, port=port, report=report)
    except BuildError as exc:
        raise EnvironmentProblem(str(exc)) from exc


@main.command()
@click.argument(
    "reports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--manifest",
    type=click.Path(exists=True, path_type=Path),
    help="发布清单 manifest.json（或含它的站点目录）；默认用仓库 site/manifest.json。",
)
@click.option(
    "--trust",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="评价机构的签名证书（PEM 或 DER），用于核对 PDF 签名人的身份；可多次给出。",
)
@click.option(
    "--no-rebuild", is_flag=True, help="不重新生成报告（快，但不核对文件内容与仓库是否逐字节一致）。"
)
@_root_option
def verify(
    reports: tuple[Path, ...],
    manifest: Path | None,
    trust: tuple[Path, ...],
    no_rebuild: bool,
    root: Path | None,
) -> None:
    """核验报告：逐项说明报告指纹、重新生成的文件、发布清单和电子签名是否仍然成立。

    REPORTS 为一个或多个 .docx / .pdf 报告文件。任何一项不成立时退出码为 1，并列出不成立的项目。
    """
    from generator.render.report.cli import verify_all

    sys.exit(verify_all(reports, resolve_root(root), manifest=manifest, trust=trust, rebuild=not no_rebuild))


@main.command()
@click.argument("evaluations", nargs=-1)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="内部版的目录（默认：仓库下的 build/internal/）；须在仓库内，"
    "不能是或包含会发布的 site/、build/docs/、仓库文档 docs/ 和仓库的输入，也不能经过符号链接。",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1),
    default=None,
    help="并行进程数（默认：CPU 核数）。",
)
@click.option("--no-reports", is_flag=True, help="只生成内部版站点，不生成报告。")
@click.option("--no-cache", is_flag=True, help="不使用也不更新 .cache/zwpj/ 中的缓存，全部重新生成。")
@_root_option
def internal(
    evaluations: tuple[str, ...],
    out: Path | None,
    jobs: int | None,
    no_reports: bool,
    no_cache: bool,
    root: Path | None,
) -> None:
    """生成内部版：内部版站点（build/internal/site/）和内部版报告（build/internal/reports/，DOCX、PDF），
    含联系方式、内部证据、记录、抽样明细和内部叙述。站点每页顶部标“内部资料　不得公开”、标题以【内部】开头、
    禁止搜索引擎收录，没有订阅源、站点地图和徽章；报告封面、每页页眉和水印、文档属性均标“内部资料　不得公开”。

    EVALUATIONS 为评价编号：给出时只生成这些评价的内部报告（不生成站点）；省略时生成整个内部版。
    有错误的评价不生成，退出码为 1。
    """
    from generator.build.internal import REPORTS, OutputRefused, build_internal
    from generator.build.progress import progress_bar
    from generator.build.runner import BuildError
    from generator.render.report.pandoc import ReportError

    root = resolve_root(root)
    try:
        if not evaluations:
            with progress_bar() as progress:
                folder, result = build_internal(
                    root, out, reports=not no_reports, jobs=jobs, cache=not no_cache, progress=progress
                )
            code = _build_outcome(result, cached=not no_cache, what="内部版站点")
            if result.site is not None and not no_reports:
                click.echo(f"已生成内部版报告 {folder / REPORTS}：{result.reports} 份", err=True)
            sys.exit(code)
        _internal_reports(root, out, evaluations, jobs=jobs, cached=not no_cache)
    except OutputRefused as exc:
        emit([exc.diagnostic], "text")
        sys.exit(EXIT_USAGE)
    except PathRefused as exc:
        raise click.UsageError(str(exc)) from exc
    except (BuildError, ReportError) as exc:
        raise EnvironmentProblem(str(exc)) from exc


def _internal_reports(
    root: Path, out: Path | None, evaluations: tuple[str, ...], *, jobs: int | None, cached: bool
) -> None:
    """The internal reports of the evaluations named; exits 1 when one is missing or has errors."""
    from generator.build.internal import internal_reports
    from generator.build.manifest import REPORT_SUFFIXES
    from generator.build.progress import progress_bar

    with progress_bar() as progress:
        made = internal_reports(root, evaluations, out, jobs=jobs, cache=cached, progress=progress)
    if has_errors(list(made.diagnostics)):
        emit([d for d in made.diagnostics if d.severity.value == "error"], "text")
    for eid in made.made:
        files = "、".join(str(made.folder / f"{eid}{suffix}") for suffix in REPORT_SUFFIXES)
        click.echo(f"已生成内部报告 {files}")
    missed = [eid for eid in evaluations if eid not in made.made]
    for eid in missed:
        why = INTERNAL_NOT_MADE["left_out" if eid in made.left_out else "unknown"]
        click.echo(f"{eid}：{why[0]}（{why[1]}）", err=True)
    if missed:
        sys.exit(EXIT_CONTENT)


if __name__ == "__main__":
    main()
