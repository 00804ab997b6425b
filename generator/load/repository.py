"""Load stage: files → typed models with source positions, collecting every problem."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from generator.diagnostics import Diagnostic, diag
from generator.load.asof import as_of_by_party
from generator.load.frames import FrameRead, load_frame
from generator.load.markdown import markdown_problems
from generator.load.organisations import ORGANISATIONS_FILE, LoadedBody, OrgTree, build_tree
from generator.load.resolve import Resolver, Written
from generator.load.salvage import salvage as cut_invalid
from generator.load.schema_errors import to_diagnostics
from generator.load.yamlsource import MAX_MARKDOWN_BYTES, PathKey, Source, load_yaml, read_text, refusal
from generator.messages import FOLDER_KINDS
from generator.model.evaluation import Evaluation, ScoreFile
from generator.model.organisation import BodyDocument, BodyRecords, OrganisationRegistry
from generator.model.publishing import Publishing
from generator.model.system import Indicator, IndicatorPart, IndicatorSystem
from generator.model.workdays import CALENDAR_FILE, CalendarFile, WorkCalendar
from generator.paths import inside, regular_inside, tree_problems

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
    weight: Fraction = Fraction(0)
    """Its exact weight (``indicator.weight`` is the same as a float, for display)."""

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
    unknown_weights: set[str] = field(default_factory=set)
    """Indicators whose weight could not be worked out (E310), or depends on one that could not:
    weight sums and rule checks over them are not made, since they would only repeat that error."""
    complete: bool = True
    """False when a part file could not be read at all: the tree is missing indicators, so
    evaluations of this system are not checked against it (that would only repeat the part's own
    error), and totals and unknown ids are not judged."""
    cut_ids: frozenset[str] = frozenset()
    """Ids (and names) inside pieces cut out of its files for schema errors (``salvage``)."""
    cut_parents: frozenset[str] = frozenset()
    """Ids of indicators that lost a child that way (their children's total is not judged)."""
    cut_sections: frozenset[str] = frozenset()
    """Top-level keys of system.yaml and ``indicators`` of a part that lost an item that way."""

    @property
    def incomplete(self) -> bool:
        """True when a part file could not be read at all."""
        return not self.complete

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


@dataclass(frozen=True)
class FolderFile:
    """A file found in an evaluation folder when it was loaded."""

    real: str | None
    """The file it is (a link inside the folder resolved), relative to the folder; None when it is a
    link out of the folder or no regular file."""
    size: int
    """Its size in bytes."""


def list_files(folder: Path) -> dict[str, FolderFile]:
    """Every file of a folder (links to files followed), by its path relative to the folder, sorted."""
    found: dict[str, FolderFile] = {}
    base = folder.resolve()
    for path in sorted(folder.rglob("*")):  # linked folders are not walked into
        try:
            if not path.is_file():
                continue
            real = path.resolve().relative_to(base).as_posix() if regular_inside(folder, path) else None
            found[path.relative_to(folder).as_posix()] = FolderFile(real, path.stat().st_size)
        except OSError:  # gone meanwhile: not there when loaded
            continue
    return found


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
    markdown: dict[str, str] = field(default_factory=dict)
    """The Markdown attachments (evidence, minutes) by path relative to the folder, read once."""
    files: dict[str, FolderFile] = field(default_factory=dict)
    """Every file of the folder (``list_files``), listed once: what the outputs may copy or link to."""
    frames: tuple[FrameRead, ...] = ()
    """Each sample record's frame file, read once (in ``evaluation.sampling`` order)."""
    named_files: tuple[Diagnostic, ...] = ()
    """E406/E407 for the files evaluation.yaml and the score files name (``named_file_problems``),
    looked up once when loaded."""
    body: LoadedBody | None = None
    """The records of the evaluation's body (bodies/), set once the repository's shared records are
    loaded; None when its body has none or is not in organisations.yaml."""

    @property
    def root(self) -> Path:
        """The repository root (``rel`` is the folder's path from it)."""
        return self.folder.parents[self.rel.count("/")]

    def refused(self, name: str) -> bool:
        """True when the file ``name`` (relative to the folder) is a link out of the repository or
        no regular file: it is reported where it stands (E110, E111) and never read."""
        path = self.folder / name
        return (path.is_symlink() or path.exists()) and refusal(path, name, self.root) is not None


@dataclass
class Repository:
    """Everything loaded from one repository."""

    root: Path
    """Repository root."""
    systems: dict[tuple[str, str], LoadedSystem] = field(default_factory=dict)
    """Systems by (id, edition)."""
    unreadable: dict[str, Path] = field(default_factory=dict)
    """Folders under indicators/ whose system.yaml exists but could not be read, by folder name
    (and by the id it states, when that much could be read): an evaluation naming one is not
    told its system does not exist."""
    evaluations: list[LoadedEvaluation] = field(default_factory=list)
    """Evaluations sorted by id."""
    settings: Publishing = field(default_factory=Publishing)
    """Publishing settings (``publishing.yaml``; defaults when there is none)."""
    organisations: OrgTree = field(default_factory=OrgTree)
    """The organisation tree (organisations.yaml)."""
    bodies: list[LoadedBody] = field(default_factory=list)
    """Evaluation bodies' records (bodies/*/body.yaml)."""
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    """Working days (calendar.yaml; Monday–Friday without one), read once."""
    bodies_unread: int = 0
    """Entries of bodies/ refused or unreadable (already reported): a body without records may be
    one of them, so its absence is not reported again."""
    _as_of: dict[str, dt.date] | None = field(default=None, repr=False, compare=False)
    names: list[str] = field(default_factory=list)
    """Names of every entry of evaluations/, loaded or not (a ``previous`` may name any of them)."""
    with_evaluation: frozenset[str] = frozenset()
    """Names of the entries of evaluations/ that hold an evaluation.yaml file (a rectification may
    be verified in any of them)."""

    def as_of(self, party: str) -> dt.date | None:
        """The day a party's records speak for (``load.asof.as_of_by_party``), worked out once
        for all parties."""
        if self._as_of is None:
            self._as_of = as_of_by_party(e.evaluation for e in self.evaluations)
        return self._as_of.get(party)

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


def parse_model(
    path: Path, rel: str, model: type[M], *, root: Path | None = None, salvage: bool = False
) -> tuple[Source, M | None, list[Diagnostic]]:
    """Load a YAML file and validate it against a model (refusing links out of ``root``).

    With ``salvage``, a file with schema errors still gives a model of what is valid in it (see
    ``generator.load.salvage``; what was cut is on the Source), so later checks can run on the rest.
    """
    source, problems = load_yaml(path, rel, root=root)
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
        problems = [*problems, *to_diagnostics(exc, source, model)]
        if not salvage:
            return source, None, problems
        kept = cut_invalid(model, source.data, exc)
        source.cut, source.cut_ids = kept.cut, kept.cut_ids
        if kept.model is None:
            return source, None, problems
        for piece in kept.cut:
            source.forget(piece)
        parsed = kept.model
    source.data = None  # the model holds the same content; a thousand evaluations need not keep both
    return source, parsed, problems


def load_system(root: Path, folder: Path) -> tuple[LoadedSystem | None, list[Diagnostic]]:
    """Load indicators/<folder>/system.yaml and its part files."""
    problems = folder_problems(root, folder, SYSTEM_KIND)
    if problems:
        return None, problems
    problems = list(tree_diagnostics(root, folder))
    source, system, found = parse_model(
        folder / "system.yaml",
        rel_path(root, folder / "system.yaml"),
        IndicatorSystem,
        root=root,
        salvage=True,
    )
    problems += found
    if system is None:
        return None, problems
    loaded = LoadedSystem(system, folder, source)
    written: list[Written] = []
    cut_ids, sections = set(source.cut_ids), {str(p[0]) for p in source.cut}
    cut_pieces: list[tuple[Source, tuple]] = []
    for i, part in enumerate(system.parts):
        part_path = folder / part
        norm = posixpath.normpath(part)
        if (
            norm == ".."
            or norm.startswith("../")
            or posixpath.isabs(norm)
            or not inside(folder, part_path.parent)
        ):
            # ".." or a linked folder on the way: never read (a part that is itself a link out is E110)
            problems.append(source.diag(("parts", i), "E314", path=part))
            loaded.complete = False
            continue
        if not part_path.is_file() and not part_path.is_symlink():
            problems.append(source.diag(("parts", i), "E106", path=rel_path(root, part_path)))
            loaded.complete = False
            continue
        part_source, part_model, part_problems = parse_model(
            part_path, rel_path(root, part_path), IndicatorPart, root=root, salvage=True
        )
        problems.extend(part_problems)
        if part_model is None:
            loaded.complete = False
            continue
        for j, indicator in enumerate(part_model.indicators):
            written.append(Written(indicator, part_source, ("indicators", j), part_model.defaults))
        cut_ids |= part_source.cut_ids
        sections |= {"indicators" for piece in part_source.cut if len(piece) == 2}
        cut_pieces.extend((part_source, piece) for piece in part_source.cut if len(piece) > 2)
    problems.extend(index_system(loaded, written))
    # A piece cut from an indicator's list loses a child of the indicator above it; a key cut from
    # an indicator (a misspelt ``weight``) leaves that indicator short of what it states, so its own
    # checks and its parent's total would only repeat the schema error.
    parents: set[str] = set()
    for part_source, piece in cut_pieces:
        for node in loaded.index.values():
            if node.source is not part_source:
                continue
            if node.path == piece[:-2]:
                parents.add(node.indicator.id)
            elif node.path == piece[:-1]:
                cut_ids.add(node.indicator.id)
                if node.parent is not None:
                    parents.add(node.parent)
    loaded.cut_ids, loaded.cut_sections = frozenset(cut_ids), frozenset(sections)
    loaded.cut_parents = frozenset(parents)
    return loaded, problems


def index_system(loaded: LoadedSystem, written: list[Written]) -> list[Diagnostic]:
    """Resolve the written dimensions (defaults, exact weights) into ``loaded``; the problems found."""
    resolver = Resolver(loaded.system)
    loaded.dimensions = resolver.run(written)
    loaded.unknown_weights = resolver.unknown
    for placed in resolver.placed:
        node = IndicatorNode(
            placed.indicator,
            placed.parent,
            placed.depth,
            placed.dimension,
            placed.source,
            placed.path,
            placed.weight,
        )
        if node.indicator.id in loaded.index:
            loaded.duplicates.append(node)
        else:
            loaded.index[node.indicator.id] = node
    return resolver.problems


def load_systems(repo: Repository) -> list[Diagnostic]:
    """Load every system under indicators/ into ``repo`` (the unreadable ones into ``unreadable``)."""
    problems: list[Diagnostic] = []
    root = repo.root
    for folder in system_folders(root):
        system, found = load_system(root, folder)
        problems.extend(found)
        if system is not None:
            repo.systems.setdefault(system.key, system)
        elif regular_inside(root, folder / "system.yaml"):
            repo.unreadable[folder.name] = folder
            repo.unreadable.setdefault(_stated_id(root, folder), folder)
    return problems


def _stated_id(root: Path, folder: Path) -> str:
    """The ``id`` an unreadable system.yaml states, if that much of it reads; else the folder name."""
    source, _ = load_yaml(folder / "system.yaml", rel_path(root, folder / "system.yaml"))
    stated = source.data.get("id") if isinstance(source.data, dict) else None
    return stated if isinstance(stated, str) else folder.name


def load_evaluation(root: Path, folder: Path) -> tuple[LoadedEvaluation | None, list[Diagnostic]]:
    """Load evaluations/<folder>/: evaluation.yaml, its score files and Markdown."""
    problems = folder_problems(root, folder, EVALUATION_KIND)
    if problems:
        return None, problems
    problems = list(tree_diagnostics(root, folder))
    rel = rel_path(root, folder)
    source, evaluation, found = parse_model(
        folder / "evaluation.yaml", f"{rel}/evaluation.yaml", Evaluation, root=root, salvage=True
    )
    problems += found
    if evaluation is None:  # still report what is wrong in the other files: they are checked alone
        problems += _unattached_problems(root, folder, source)
        return None, problems
    loaded = LoadedEvaluation(folder, rel, evaluation, source)
    for i, name in enumerate(evaluation.scores):
        scores, s_problems = _score_file(root, folder, name, source, ("scores", i))
        problems.extend(s_problems)
        if scores is not None:
            loaded.score_files.append(scores)
    for name in NARRATIVES:
        path = folder / f"{name}.md"
        if path.is_file() or path.is_symlink():
            text, text_problems = read_text(path, f"{rel}/{name}.md", root=root, limit=MAX_MARKDOWN_BYTES)
            problems.extend(text_problems)
            if text is not None:
                loaded.narrative[name] = text
    problems += attachment_problems(root, folder, loaded.markdown)
    loaded.files = list_files(folder)
    loaded.named_files = tuple(named_file_problems(loaded))
    loaded.frames = tuple(_frame(loaded, i, record.frame) for i, record in enumerate(evaluation.sampling))
    return loaded, problems


def _frame(loaded: LoadedEvaluation, i: int, name: str) -> FrameRead:
    """The frame file sample record ``i`` names, read; or where it is not (E406, E407)."""
    located = tuple(file_problems(loaded, loaded.source, ("sampling", i, "frame"), name))
    if located or loaded.refused(name):
        return FrameRead(None, None, located=located)
    return load_frame(loaded.folder / name)


SETTINGS_FILE = "publishing.yaml"
"""The repository's publishing settings, beside mkdocs.yml."""


def load_settings(root: Path) -> tuple[Publishing, list[Diagnostic]]:
    """``publishing.yaml`` (defaults when absent or invalid; its problems are returned)."""
    path = root / SETTINGS_FILE
    if not os.path.lexists(path):  # a pipe or a folder by that name is read, and refused (E111)
        return Publishing(), []
    _source, settings, problems = parse_model(path, SETTINGS_FILE, Publishing, root=root)
    return settings or Publishing(), problems


def _score_file(
    root: Path, folder: Path, name: str, source: Source, at: PathKey
) -> tuple[ScoreSource | None, list[Diagnostic]]:
    """One score file named in evaluation.yaml (at ``at``), salvaged where it has schema errors."""
    rel = rel_path(root, folder)
    if refusal(folder / name, name, root) is not None:
        return None, []  # a link out of the repository or a special file: E110/E111 where it stands
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        return None, [source.diag(at, "E407", path=name)]
    if not path.is_file():
        return None, [source.diag(at, "E106", path=f"{rel}/{name}")]
    s_source, scores, problems = parse_model(
        folder / name, f"{rel}/{name}", ScoreFile, root=root, salvage=True
    )
    return (ScoreSource(s_source, scores) if scores is not None else None), problems


def _unattached_problems(root: Path, folder: Path, source: Source) -> list[Diagnostic]:
    """Problems of the score files and Markdown of an evaluation whose evaluation.yaml is unusable:
    each file on its own (schema, markers, structure), nothing that needs evaluation.yaml."""
    problems: list[Diagnostic] = []
    listed = source.data.get("scores") if isinstance(source.data, dict) else None
    for i, name in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(name, str):
            problems += _score_file(root, folder, name, source, ("scores", i))[1]
    for name in NARRATIVES:
        path = folder / f"{name}.md"
        if path.is_file() or path.is_symlink():
            rel = rel_path(root, path)
            text, found = read_text(path, rel, root=root, limit=MAX_MARKDOWN_BYTES)
            problems += found if text is None else markdown_problems(rel, text)
    return problems + attachment_problems(root, folder)


class Attaching(Protocol):
    """What names files inside its own folder: an evaluation, an evaluation body."""

    @property
    def folder(self) -> Path: ...

    def refused(self, name: str) -> bool: ...


def file_problems(owner: Attaching, src: Source, path: PathKey, name: str) -> Iterator[Diagnostic]:
    """E407 when the file ``name`` that ``src`` names at ``path`` escapes ``owner``'s folder, E406
    when it is missing (nothing for a link out of the repository or a special file: E110/E111
    report it where it stands)."""
    if owner.refused(name):
        return
    target = (owner.folder / name).resolve()
    if not target.is_relative_to(owner.folder.resolve()):
        yield src.diag(path, "E407", path=name)
    elif not target.is_file():
        yield src.diag(path, "E406", path=name)


def named_file_problems(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """E406/E407 for each file evaluation.yaml (plan, system record, minutes, datasets) and the
    score files (evidence) name: missing, or outside the folder."""
    ev, src = loaded.evaluation, loaded.source
    refs: list[tuple[tuple[str | int, ...], str | None]] = [
        (("plan", "file"), ev.plan.file),
        (("system", "record"), ev.system.record),
    ]
    refs += [(("activities", i, "minutes"), a.minutes) for i, a in enumerate(ev.activities)]
    refs += [(("datasets", k), v) for k, v in ev.datasets.items()]
    for path, name in refs:
        if name:
            yield from file_problems(loaded, src, path, name)
    for score_file in loaded.score_files:
        for ind_id, entry in score_file.scores.indicators.items():
            for j, evidence in enumerate(entry.evidence):
                if evidence.file:
                    where = ("indicators", ind_id, "evidence", j, "file")
                    yield from file_problems(loaded, score_file.source, where, evidence.file)


def attachment_problems(root: Path, folder: Path, texts: dict[str, str] | None = None) -> list[Diagnostic]:
    """E1xx and E51x problems of the Markdown attachments (evidence, minutes): the site renders them.
    Each text read is put in ``texts`` by its path relative to the folder.

    The narrative files are checked by validation (they are kept on the loaded evaluation).
    """
    problems: list[Diagnostic] = []
    narratives = {folder / f"{name}.md" for name in NARRATIVES}
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(f"{top}/{d}"))
        for name in sorted(f for f in files if f.lower().endswith(".md") and not f.startswith(".")):
            path = Path(top) / name
            if path in narratives or not regular_inside(root, path):
                continue  # a link out of the repository or a special file is reported as E110/E111
            rel = rel_path(root, path)
            text, found = read_text(path, rel, root=root, limit=MAX_MARKDOWN_BYTES)
            problems += found if text is None else markdown_problems(rel, text)
            if text is not None and texts is not None:
                texts[path.relative_to(folder).as_posix()] = text
    return problems


@dataclass(frozen=True)
class FolderKind:
    """What a top folder of the repository holds, for the E109 message."""

    top: str
    """evaluations or indicators."""
    needed: str
    """The file every entry must hold."""

    @property
    def what(self) -> tuple[str, str]:
        """What an entry is, in Chinese and English (``messages.FOLDER_KINDS``)."""
        return FOLDER_KINDS[self.top]


EVALUATION_KIND = FolderKind("evaluations", "evaluation.yaml")
SYSTEM_KIND = FolderKind("indicators", "system.yaml")
BODY_KIND = FolderKind("bodies", "body.yaml")
IGNORED_ENTRIES = ("README.md", "readme.md", "README")
"""Names allowed beside the folders (besides hidden ones): a note on what the folder holds."""


def entries(root: Path, kind: FolderKind) -> list[Path]:
    """Every entry under evaluations/ (or indicators/), sorted: each must be a folder of its kind."""
    top = root / kind.top
    if not top.is_dir():
        return []
    return sorted(p for p in top.iterdir() if not p.name.startswith(".") and p.name not in IGNORED_ENTRIES)


def evaluation_folders(root: Path) -> list[Path]:
    """Every entry of evaluations/: loading one that is not an evaluation folder reports E109."""
    return entries(root, EVALUATION_KIND)


def evaluation_names(root: Path) -> tuple[list[str], frozenset[str]]:
    """The names of the entries of evaluations/, and of those that hold an evaluation.yaml file."""
    folders = evaluation_folders(root)
    return [p.name for p in folders], frozenset(p.name for p in folders if (p / "evaluation.yaml").is_file())


def system_folders(root: Path) -> list[Path]:
    """Every entry of indicators/: loading one that is not a system folder reports E109."""
    return entries(root, SYSTEM_KIND)


def folder_problems(root: Path, folder: Path, kind: FolderKind) -> list[Diagnostic]:
    """Why ``folder`` cannot be loaded as an evaluation (or system) folder; empty when it can."""
    rel = rel_path(root, folder)
    refused = refusal(folder, rel, root)
    if refused is not None and refused.code == "E110":
        return [refused]
    what = {"path": rel, "what_zh": kind.what[0], "what_en": kind.what[1], "top": kind.top}
    if not folder.is_dir():
        return [diag(rel, 0, 0, "E109", detail="entry_is_a_file", **what)]
    if not (folder / kind.needed).exists() and not (folder / kind.needed).is_symlink():
        close = sorted(
            p.name for p in folder.iterdir() if p.name.lower().startswith(kind.needed.split(".")[0])
        )
        if close:
            variant = "entry_lacks_its_file_written_otherwise"
            return [
                diag(rel, 0, 0, "E109", detail=variant, needed=kind.needed, close="、".join(close), **what)
            ]
        return [diag(rel, 0, 0, "E109", detail="entry_lacks_its_file", needed=kind.needed, **what)]
    return []


def tree_diagnostics(root: Path, folder: Path) -> Iterator[Diagnostic]:
    """E110 and E111 for the links out of the repository and the special files inside ``folder``."""
    for problem in tree_problems(root, folder):
        found = refusal(problem.path, rel_path(root, problem.path), root)
        if found is not None:
            yield found


def load_organisations(root: Path) -> tuple[OrgTree, list[Diagnostic]]:
    """organisations.yaml, when the repository has one."""
    path = root / ORGANISATIONS_FILE
    if not os.path.lexists(path):  # a pipe or a folder by that name is read, and refused (E111)
        return OrgTree(), []
    source, registry, problems = parse_model(
        path, ORGANISATIONS_FILE, OrganisationRegistry, root=root, salvage=True
    )
    if registry is None:
        return OrgTree(source), problems
    return build_tree(source, registry), problems


def load_bodies(root: Path) -> tuple[list[LoadedBody], list[Diagnostic], int]:
    """Every body's records: each entry of bodies/ must be a body's folder (E109), inside the
    repository (E110). Also how many entries were refused or could not be read."""
    bodies: list[LoadedBody] = []
    problems: list[Diagnostic] = []
    unread = 0
    for folder in entries(root, BODY_KIND):
        refused = folder_problems(root, folder, BODY_KIND)
        if refused:
            problems.extend(refused)
            unread += folder.is_symlink() or not folder.is_file()  # a stray file is no body's folder
            continue
        problems.extend(tree_diagnostics(root, folder))
        source, records, found = parse_model(
            folder / "body.yaml", rel_path(root, folder / "body.yaml"), BodyRecords, root=root, salvage=True
        )
        problems.extend(found)
        if records is not None:
            body = LoadedBody(folder, source, records)
            body.documents = tuple(document_problems(body))
            bodies.append(body)
        else:
            unread += 1
    return bodies, problems, unread


def document_problems(body: LoadedBody) -> Iterator[Diagnostic]:
    """E406/E407 for each document body.yaml names (mechanism, work plan, rules, rewards and
    penalties): missing, or outside the body's folder."""
    records = body.records
    documents: list[tuple[PathKey, BodyDocument | None]] = [
        (("mechanism",), records.mechanism),
        (("work_plan",), records.work_plan),
    ]
    documents += [(("rules", i), d) for i, d in enumerate(records.rules)]
    documents.append((("reward_penalty",), records.reward_penalty))
    for key, document in documents:
        if document is not None and document.file:
            yield from file_problems(body, body.source, (*key, "file"), document.file)


def load_calendar(root: Path) -> tuple[WorkCalendar, list[Diagnostic]]:
    """The repository's calendar; plain Monday–Friday when ``calendar.yaml`` is absent or invalid."""
    path = root / CALENDAR_FILE
    if not os.path.lexists(path):  # a pipe or a folder by that name is read, and refused (E111)
        return WorkCalendar(), []
    _source, spec, problems = parse_model(path, CALENDAR_FILE, CalendarFile, root=root)
    if spec is None:
        return WorkCalendar(), problems
    return WorkCalendar(frozenset(spec.holidays), frozenset(spec.workdays)), problems


def load_shared(repo: Repository) -> list[Diagnostic]:
    """The records every evaluation shares: organisations, evaluation bodies (each loaded
    evaluation is then given its body's records) and the calendar."""
    repo.organisations, problems = load_organisations(repo.root)
    repo.bodies, found, repo.bodies_unread = load_bodies(repo.root)
    repo.calendar, dated = load_calendar(repo.root)
    for evaluation in repo.evaluations:
        evaluation.body = repo.body_for(evaluation.evaluation)
    return [*problems, *found, *dated]


def load_repository(root: Path, *, only: list[Path] | None = None) -> tuple[Repository, list[Diagnostic]]:
    """Load every indicator system and evaluation (or only the given evaluation folders)."""
    settings, problems = load_settings(root)
    problems.extend(top_problems(root))
    names, with_evaluation = evaluation_names(root)
    repo = Repository(root, settings=settings, names=names, with_evaluation=with_evaluation)
    problems.extend(load_systems(repo))
    for folder in only if only is not None else evaluation_folders(root):
        evaluation, found = load_evaluation(root, folder)
        problems.extend(found)
        if evaluation is not None:
            repo.evaluations.append(evaluation)
    problems.extend(load_shared(repo))
    return repo, problems


def top_problems(root: Path) -> Iterator[Diagnostic]:
    """E110 when evaluations/, indicators/ or bodies/ itself is a link out of the repository."""
    for name in (EVALUATION_KIND.top, SYSTEM_KIND.top, BODY_KIND.top):
        found = refusal(root / name, name, root)
        if found is not None and found.code == "E110":
            yield found
