"""Load stage: files → typed models with source positions, collecting every problem."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, diag
from .model.evaluation import Evaluation, ScoreFile
from .model.system import Indicator, IndicatorPart, IndicatorSystem
from .organisations import LoadedBody, OrgTree, load_bodies, load_organisations
from .schema_errors import to_diagnostics
from .yamlsource import PathKey, Source, load_yaml, read_text

M = TypeVar("M", bound=BaseModel)

NARRATIVES = ("summary", "findings", "opinions", "suggestions")
"""Markdown files an evaluation folder may hold: 概述, 评价发现, 指导意见, 改进建议."""


@dataclass(frozen=True)
class IndicatorNode:
    """An indicator with where it stands in the tree and in the files."""

    indicator: Indicator
    """The indicator itself."""
    parent: str | None
    """Parent id; None for a dimension."""
    depth: int
    """1 for a dimension (一级), 2 for 二级, …"""
    dimension: str
    """Id of the top-level indicator above it."""
    source: Source
    """File it is defined in."""
    path: PathKey
    """Path of its mapping inside that file."""

    @property
    def is_leaf(self) -> bool:
        """True if it has no children."""
        return not self.indicator.children


@dataclass
class LoadedSystem:
    """An indicator system with its tree indexed by id."""

    system: IndicatorSystem
    """System metadata and bands."""
    folder: Path
    """Its folder under indicators/."""
    source: Source
    """system.yaml."""
    dimensions: list[Indicator] = field(default_factory=list)
    """Top-level indicators, in file order."""
    index: dict[str, IndicatorNode] = field(default_factory=dict)
    """Every indicator by id, depth-first in file order."""
    duplicates: list[IndicatorNode] = field(default_factory=list)
    """Indicators whose id was already taken (reported by validation)."""

    @property
    def key(self) -> tuple[str, str]:
        """(id, edition)."""
        return (self.system.id, self.system.edition)

    def leaves(self) -> Iterator[IndicatorNode]:
        """Leaf indicators in order."""
        return (node for node in self.index.values() if node.is_leaf)


@dataclass
class ScoreSource:
    """A loaded score file."""

    source: Source
    """Where it came from."""
    scores: ScoreFile
    """Its content."""


@dataclass
class LoadedEvaluation:
    """An evaluation folder: facts, score files and narrative Markdown."""

    folder: Path
    """The folder."""
    rel: str
    """Folder path relative to the repository root."""
    evaluation: Evaluation
    """evaluation.yaml."""
    source: Source
    """evaluation.yaml's positions."""
    score_files: list[ScoreSource] = field(default_factory=list)
    """Score files in the order listed."""
    narrative: dict[str, str] = field(default_factory=dict)
    """Markdown texts by name (summary, findings, opinions, suggestions)."""
    body: LoadedBody | None = None
    """The records of the evaluation's body (bodies/), set once the repository's shared records are
    loaded; None when its body has none or is not in organisations.yaml."""


@dataclass
class Repository:
    """Everything loaded from one repository."""

    root: Path
    """Repository root."""
    systems: dict[tuple[str, str], LoadedSystem] = field(default_factory=dict)
    """Systems by (id, edition)."""
    evaluations: list[LoadedEvaluation] = field(default_factory=list)
    """Evaluations sorted by id."""
    organisations: OrgTree = field(default_factory=OrgTree)
    """The organisation tree (organisations.yaml)."""
    bodies: list[LoadedBody] = field(default_factory=list)
    """Evaluation bodies' records (bodies/*/body.yaml)."""

    def system_for(self, evaluation: Evaluation) -> LoadedSystem | None:
        """The system an evaluation refers to."""
        return self.systems.get((evaluation.system.id, evaluation.system.edition))

    def body_for(self, evaluation: Evaluation) -> LoadedBody | None:
        """The records of the evaluation's body, found through the organisation its name resolves to."""
        org = self.organisations.resolve(evaluation.body.name)
        if org is None:
            return None
        return next((b for b in self.bodies if b.records.organisation == org.id), None)


def rel_path(root: Path, path: Path) -> str:
    """Path relative to root with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def parse_model(path: Path, rel: str, model: type[M]) -> tuple[Source, M | None, list[Diagnostic]]:
    """Load a YAML file and validate it against a model."""
    source, problems = load_yaml(path, rel)
    if source.data is None:
        return source, None, problems
    if not isinstance(source.data, dict):
        found = type(source.data).__name__
        found_zh = {"list": "列表", "str": "文本", "int": "数字", "float": "数字", "bool": "是/否"}.get(
            found, found
        )
        return source, None, [*problems, diag(rel, 1, 1, "E107", found=found, found_zh=found_zh)]
    try:
        parsed = model.model_validate(source.data)
    except ValidationError as exc:
        return source, None, [*problems, *to_diagnostics(exc, source, model)]
    source.data = None  # the model holds the same content; a thousand evaluations need not keep both
    return source, parsed, problems


def load_system(root: Path, folder: Path) -> tuple[LoadedSystem | None, list[Diagnostic]]:
    """Load indicators/<folder>/system.yaml and its part files."""
    source, system, problems = parse_model(
        folder / "system.yaml", rel_path(root, folder / "system.yaml"), IndicatorSystem
    )
    if system is None:
        return None, problems
    loaded = LoadedSystem(system, folder, source)
    for i, part in enumerate(system.parts):
        part_path = folder / part
        if not part_path.is_file():
            problems.append(source.diag(("parts", i), "E106", path=rel_path(root, part_path)))
            continue
        part_source, part_model, part_problems = parse_model(
            part_path, rel_path(root, part_path), IndicatorPart
        )
        problems.extend(part_problems)
        if part_model is None:
            continue
        for j, indicator in enumerate(part_model.indicators):
            loaded.dimensions.append(indicator)
            _index(loaded, indicator, None, 1, indicator.id, part_source, ("indicators", j))
    return loaded, problems


def _index(
    loaded: LoadedSystem,
    ind: Indicator,
    parent: str | None,
    depth: int,
    dim: str,
    source: Source,
    path: PathKey,
) -> None:
    node = IndicatorNode(ind, parent, depth, dim, source, path)
    if ind.id in loaded.index:
        loaded.duplicates.append(node)
    else:
        loaded.index[ind.id] = node
    for k, child in enumerate(ind.children):
        _index(loaded, child, ind.id, depth + 1, dim, source, (*path, "children", k))


def load_evaluation(root: Path, folder: Path) -> tuple[LoadedEvaluation | None, list[Diagnostic]]:
    """Load evaluations/<folder>/: evaluation.yaml, its score files and Markdown."""
    rel = rel_path(root, folder)
    source, evaluation, problems = parse_model(
        folder / "evaluation.yaml", f"{rel}/evaluation.yaml", Evaluation
    )
    if evaluation is None:
        return None, problems
    loaded = LoadedEvaluation(folder, rel, evaluation, source)
    for i, name in enumerate(evaluation.scores):
        path = (folder / name).resolve()
        if not path.is_relative_to(folder.resolve()):
            problems.append(source.diag(("scores", i), "E407", path=name))
            continue
        if not path.is_file():
            problems.append(source.diag(("scores", i), "E106", path=f"{rel}/{name}"))
            continue
        s_source, scores, s_problems = parse_model(path, f"{rel}/{name}", ScoreFile)
        problems.extend(s_problems)
        if scores is not None:
            loaded.score_files.append(ScoreSource(s_source, scores))
    for name in NARRATIVES:
        path = folder / f"{name}.md"
        if path.is_file():
            text, text_problems = read_text(path, f"{rel}/{name}.md")
            problems.extend(text_problems)
            if text is not None:
                loaded.narrative[name] = text
    return loaded, problems


def load_shared(repo: Repository) -> list[Diagnostic]:
    """The records every evaluation shares: organisations and evaluation bodies (each loaded
    evaluation is then given its body's records)."""
    repo.organisations, problems = load_organisations(repo.root)
    repo.bodies, found = load_bodies(repo.root)
    for evaluation in repo.evaluations:
        evaluation.body = repo.body_for(evaluation.evaluation)
    return [*problems, *found]


def load_repository(root: Path, *, only: list[Path] | None = None) -> tuple[Repository, list[Diagnostic]]:
    """Load every indicator system and evaluation (or only the given evaluation folders)."""
    repo = Repository(root)
    problems: list[Diagnostic] = []
    for folder in sorted(p for p in (root / "indicators").glob("*") if (p / "system.yaml").is_file()):
        system, found = load_system(root, folder)
        problems.extend(found)
        if system is not None:
            repo.systems.setdefault(system.key, system)
    folders = (
        only
        if only is not None
        else sorted(p for p in (root / "evaluations").glob("*") if (p / "evaluation.yaml").is_file())
    )
    for folder in folders:
        evaluation, found = load_evaluation(root, folder)
        problems.extend(found)
        if evaluation is not None:
            repo.evaluations.append(evaluation)
    problems.extend(load_shared(repo))
    return repo, problems
