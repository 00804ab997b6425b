"""Report templates checked with the repository (``zwpj check``), before any report is built.

- E901: an evaluation's ``body.template`` names no folder of templates/ (a misspelling would
  otherwise give the default template without a word);
- E902: a template's style.yaml (merged over the default) is invalid: an unknown or missing part
  in ``structure``, an unknown placeholder in the statement, a wrong type;
- E903: the template cannot render a report (Jinja syntax, an unknown variable);
- E904: the report it renders leaves out content of an item of DB34/T 3556-2019 §8.5.1.

The last two render a sample report from the evaluations in ``probe/`` (two evaluation modes,
experts, narrative, an accepted objection, a previous evaluation, a veto found) with each of the repository's
own templates, and look for each item's facts in its Markdown (``items``). The generator's own
templates are left to its tests. Only the Markdown is rendered: no charts, pandoc or PDF.
"""

from __future__ import annotations

import os
import pickle
import re
import resource
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError
from pydantic import ValidationError

from generator.diagnostics import Diagnostic, diag
from generator.load.repository import (
    LoadedEvaluation,
    LoadedSystem,
    Repository,
    load_repository,
    rel_path,
)
from generator.load.schema_errors import errors_to_diagnostics, suggestion
from generator.load.templates import TemplateFiles
from generator.load.yamlsource import Source
from generator.render.report.fingerprint import UNCOMMITTED, Fingerprint
from generator.render.report.items import ITEMS, Missing, missing
from generator.render.report.logo import Logo
from generator.render.report.markdown import render_markdown
from generator.render.report.style import (
    EN,
    LEFT_OUT,
    NAME,
    SECTION_KEYS,
    BodyTemplate,
    StyleSpec,
    merged_style,
    template_folders,
    template_names,
)
from generator.render.views.evaluation import Comparison
from generator.render.views.report import Integrity, ReportView, build_view, placeholder_charts
from generator.score.aggregate import score_evaluation
from generator.score.card import Scorecard
from generator.score.ranking import delta

PROBE = Path(__file__).parent / "probe"
"""The sample repository a template renders for the check."""
PROBE_ID, PROBE_PREVIOUS = "2025-jia", "2024-jia"
SHOWN = 3
"""Missing facts named in one diagnostic; the rest are counted."""
RENDER_SECONDS = 5
"""Longest a template may take to render the sample (it takes well under a second)."""
RENDER_MEMORY = 768 << 20
"""Memory a template may add while rendering the sample (it needs a few MB)."""


def check_templates(repo: Repository, files: TemplateFiles) -> list[Diagnostic]:
    """E901 for every unknown ``body.template``; E902–E904 for each of the repository's templates
    (``files``: the template roots as loaded, ``load.templates``)."""
    names = template_names(files)
    found = [d for loaded in repo.evaluations for d in _body_template(loaded, names)]
    own = repo.root / "templates"
    found += files.problems  # links out of the repository, pipes: never read
    for name in names:
        if files.is_folder(own / name):
            found += check_template(repo.root, files, name)
    return found


def _body_template(loaded: LoadedEvaluation, names: list[str]) -> Iterator[Diagnostic]:
    name = loaded.evaluation.body.template
    if name is None or (NAME.fullmatch(name) and name in names):
        return
    zh, en = suggestion(name, names)
    yield loaded.source.diag(
        ("body", "template"),
        "E901",
        name=name,
        suggestion_zh=zh,
        suggestion_en=en,
        available="、".join(names),
    )


def check_template(root: Path, files: TemplateFiles, name: str) -> list[Diagnostic]:
    """Problems of one template: its style first; if that is sound, the report it renders."""
    folders = template_folders(files, name)
    problems = _style_problems(root, files, folders)
    if problems:
        return problems
    template = BodyTemplate(name, folders, StyleSpec.model_validate(merged_style(files, folders)), files)
    view = _probe_view(template)
    rendered = _render_isolated(template, view)
    if isinstance(rendered, str):
        return _item_problems(root, template, missing(rendered, view))
    file, line, problem = rendered
    if file is None or not _inside(Path(file), root):
        file, line = str(_own_file(template, "report.md.j2")), 0
    return [diag(rel_path(root, Path(file)), line, 0, "E903", problem=problem)]


Failure = tuple[str | None, int, str]
"""Where a template failed (its file and line, when known) and why."""


def _render_isolated(template: BodyTemplate, view: ReportView) -> str | Failure:
    """The sample report's Markdown, rendered in a forked process whose memory and CPU time are
    bounded (RENDER_MEMORY above what it starts with, a few times RENDER_SECONDS): a template is code
    from a pull request, and a single call of a filter can ask for gigabytes before any check of
    the output runs. The failure, when it fails."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, send the result, never return into the caller
        status = 0
        try:
            os.close(reader)
            _lower(resource.RLIMIT_AS, _address_space() + RENDER_MEMORY)
            _lower(resource.RLIMIT_CPU, 4 * RENDER_SECONDS)
            result: str | Failure = _render_or_failure(template, view)
            with os.fdopen(writer, "wb") as out:
                pickle.dump(result, out)
        except BaseException:  # noqa: BLE001 - the parent reports a child that sent nothing
            status = 1
        finally:
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader, "rb") as source:
        data = source.read()
    os.waitpid(pid, 0)
    if not data:
        return (
            None,
            0,
            f"生成样稿超出时间或内存上限（{RENDER_SECONDS} 秒，{RENDER_MEMORY >> 20} MB）"
            "(out of time or memory)",
        )
    return pickle.loads(data)  # noqa: S301 - written by our own child process just now


def _render_or_failure(template: BodyTemplate, view: ReportView) -> str | Failure:
    try:
        return render_markdown(template, view, target="html", seconds=RENDER_SECONDS)
    except TimeoutError:
        return (
            None,
            0,
            f"生成样稿超过 {RENDER_SECONDS} 秒，模板中是否有过大的循环？(took over {RENDER_SECONDS} s)",
        )
    except MemoryError:
        return None, 0, f"生成样稿所需内存超过 {RENDER_MEMORY >> 20} MB (used too much memory)"
    except Exception as exc:  # a template is code from a pull request: any failure of it is its own
        file, line = _position(exc)
        return file, line, _describe(exc)


def _lower(kind: int, limit: int) -> None:
    """Lower a resource's soft limit to ``limit`` (never above a limit already set)."""
    soft, hard = resource.getrlimit(kind)
    if soft != resource.RLIM_INFINITY:
        limit = min(limit, soft)
    resource.setrlimit(kind, (limit, hard))


def _address_space() -> int:
    """The process's current virtual memory size in bytes (what the render's bound is added to)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _style_problems(root: Path, files: TemplateFiles, folders: Sequence[Path]) -> list[Diagnostic]:
    """Problems of the template's style.yaml files in the repository, then of the merged style.

    Each problem of the merged style is located in the first of the files (body's first) that
    writes the value at fault: a structure that leaves out a §8.5.1 item is E904 there, another
    wrong value E902, an unknown key or a wrong type the schema's own codes (E201–E204).
    """
    sources: list[Source] = []
    found: list[Diagnostic] = []
    for folder in folders:
        style = folder / "style.yaml"
        if style in files.styles and folder.is_relative_to(root):  # the repository's own, not the generator's
            source, problems = files.styles[style]  # E110 out of templates/
            found += problems
            if source.data is not None:
                sources.append(source)
    if found:
        return found
    merged = merged_style(files, folders)
    try:
        StyleSpec.model_validate(merged)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            path = tuple(error["loc"])
            owner = next((s for s in sources if _has(s.data, path[:1])), None)
            if owner is None:  # the generator's own default is at fault: its tests keep it sound
                continue
            if error["type"] != "value_error":
                found += errors_to_diagnostics([error], owner, StyleSpec)
                continue
            zh, _, en = error["msg"].removeprefix("Value error, ").partition(EN)
            if path[:1] == ("structure",):
                found += _left_out(owner, merged.get("structure") or [])
                if LEFT_OUT in en:  # said by _left_out, item by item
                    continue
            where = ".".join(map(str, path))
            found.append(
                owner.diag(path, "E902", detail="sheet_value_problem", where=where, zh=zh, value=en or zh)
            )
    return found


def _left_out(source: Source, structure: list[object]) -> list[Diagnostic]:
    """E904 at ``structure`` for each §8.5.1 item it leaves out."""
    return [
        source.diag(
            ("structure",),
            "E904",
            number=SECTION_KEYS.index(key) + 1,
            item=ITEMS[key],
            key=key,
            detail="structure_lacks_indicator",
            key2=key,
            count=1,
        )
        for key in SECTION_KEYS
        if key not in structure
    ]


def _has(data: object, path: tuple[object, ...]) -> bool:
    return isinstance(data, dict) and all(isinstance(k, str) and k in data for k in path)


def _position(exc: Exception) -> tuple[str | None, int]:
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return exc.filename, exc.lineno
    tb = exc.__traceback__
    found: tuple[str | None, int] = (None, 0)
    while tb is not None:  # Jinja rewrites tracebacks so that template frames carry file and line
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _describe(exc: Exception) -> str:
    text = exc.message if isinstance(exc, TemplateError) and exc.message else str(exc) or type(exc).__name__
    return " ".join(text.split())[:200]


def _item_problems(root: Path, template: BodyTemplate, found: list[Missing]) -> list[Diagnostic]:
    by_item: dict[str, list[str]] = {}
    for m in found:
        by_item.setdefault(m.item, []).append(m.what)
    problems = []
    for key, whats in by_item.items():
        item = Missing(key, "")
        file, line = _item_position(template, key)
        shown = "；".join(whats[:SHOWN]) + (f"等 {len(whats)} 项" if len(whats) > SHOWN else "")
        problems.append(
            diag(
                rel_path(root, file),
                line,
                1 if line else 0,
                "E904",
                number=item.number,
                item=item.title,
                key=key,
                what=shown,
                count=len(whats),
            )
        )
    return problems


def _item_position(template: BodyTemplate, key: str) -> tuple[Path, int]:
    """Where the body's own files replace the item's block (or, failing that, its report.md.j2)."""
    own = template.folders[0]
    block = re.compile(r"\{%-?\s*block\s+" + re.escape(key) + r"\b")
    for path in template.files.files_in(own):
        if path.suffix != ".j2":
            continue
        content = template.files.read(path).decode("utf-8", errors="replace")
        for number, text in enumerate(content.splitlines(), start=1):
            if block.search(text):
                return path, number
    return _own_file(template, "report.md.j2"), 0


def _own_file(template: BodyTemplate, filename: str) -> Path:
    own, files = template.folders[0], template.files
    if files.regular(own / filename) or not files.regular(own / "style.yaml"):
        return own / filename
    return own / "style.yaml"


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


@cache
def _probe() -> tuple[LoadedEvaluation, LoadedSystem, Scorecard, Comparison]:
    repo, problems = load_repository(PROBE)
    assert not problems, problems
    loaded = {e.evaluation.id: e for e in repo.evaluations}
    system = repo.system_for(loaded[PROBE_ID].evaluation)
    assert system is not None
    card, before = (score_evaluation(loaded[i], system) for i in (PROBE_ID, PROBE_PREVIOUS))
    previous = loaded[PROBE_PREVIOUS].evaluation
    comparison = Comparison(previous.id, previous.title, before.total, delta(card, before))
    return loaded[PROBE_ID], system, card, comparison


def _probe_view(template: BodyTemplate) -> ReportView:
    loaded, system, card, comparison = _probe()
    fingerprint = Fingerprint(
        loaded.rel, rel_path(PROBE, system.folder), "0" * 64, UNCOMMITTED, system.system.edition, "check"
    )
    return build_view(
        loaded,
        system,
        card,
        template=template,
        public=True,
        charts=placeholder_charts(card.result),
        integrity=Integrity(fingerprint, "—"),
        logo=Logo(template.files.read(logo), None) if (logo := template.find("logo.svg")) else None,
        comparison=comparison,
    )
