"""Load, validate, measure and score: the one path ``pipeline.check`` runs, with a cache and over
every core when asked.

Each evaluation's work is keyed by the content hash of what it reads:

- loading: the evaluation folder's files;
- measures (DuckDB over its datasets): the folder and its indicator system's folder;
- validation and the scorecard: the inputs ``build.inputs.VALIDATE`` and ``CARD`` declare.

Systems are always loaded (a handful of files); checks across evaluations (W704) always run.
Without a cache (``Cache(None)``) every item is computed; with one, the result is the same, which
tests check on every fixture repository (cold and warm), and against the stages composed plainly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from generator.build.cache import Cache, code_digest, digest
from generator.build.inputs import CARD, VALIDATE, Facts
from generator.build.measuring import compute_measures
from generator.build.memory import long_lived
from generator.build.progress import Progress, silent
from generator.build.workers import fork_map
from generator.diagnostics import Diagnostic, has_errors
from generator.load.repository import (
    LoadedEvaluation,
    LoadedSystem,
    Repository,
    evaluation_folders,
    evaluation_names,
    load_evaluation,
    load_settings,
    load_shared,
    load_systems,
    rel_path,
    top_problems,
)
from generator.load.templates import load_templates
from generator.render.report.checks import check_templates
from generator.score.aggregate import score_evaluation
from generator.score.card import Measured, Scorecard
from generator.validate.evaluation import validate_evaluation
from generator.validate.organisations import validate_organisations
from generator.validate.repository import validate_across  # always recomputed
from generator.validate.system import validate_system

UNSCORED = ("T901", "T903")
"""To-dos that leave a draft without a score: an indicator not scored yet, a dataset not received yet."""


@dataclass
class Checked:
    """A loaded and validated repository, with the figures measured from datasets."""

    repo: Repository
    """What was loaded."""
    diagnostics: list[Diagnostic]
    """Every problem, sorted."""
    measured: dict[str, dict[str, Measured]] = field(default_factory=dict)
    """Evaluation id → measure name → figure."""
    checker: Checker = field(repr=False, compare=False, kw_only=True)
    """What checked it, and scores it (``pipeline.score_all``) with the same cache and inputs."""

    def ok(self, *, strict: bool = False) -> bool:
        """True when nothing blocks scoring."""
        return not has_errors(self.diagnostics, strict=strict)

    def problems_of(self, evaluation: LoadedEvaluation) -> list[Diagnostic]:
        """Errors located in this evaluation's folder or in its system's files."""
        system = self.repo.system_for(evaluation.evaluation)
        prefixes = [evaluation.rel + "/"]
        if system is not None:
            prefixes.append(rel_path(self.repo.root, system.folder) + "/")
        elif evaluation.evaluation.system.id in self.repo.unreadable:
            prefixes.append(
                rel_path(self.repo.root, self.repo.unreadable[evaluation.evaluation.system.id]) + "/"
            )
        return [d for d in self.errors if d.file.startswith(tuple(prefixes))] if self.errors else []

    def blocking(self, evaluation: LoadedEvaluation) -> list[Diagnostic]:
        """What keeps the evaluation from being scored: its errors, and the to-dos of a draft that
        has not scored every indicator or received its datasets yet (T901, T903)."""
        todos = [
            d for d in self.diagnostics if d.code in UNSCORED and d.file.startswith(evaluation.rel + "/")
        ]
        return [*self.problems_of(evaluation), *todos]

    @cached_property
    def errors(self) -> list[Diagnostic]:
        """The errors among the diagnostics, which are final once checking has set them (asked for
        once per evaluation, so filtered once)."""
        return [d for d in self.diagnostics if d.severity.value == "error"]


UNCACHED = ("E609", "E610")
"""Outcomes that depend on the machine (time, memory), not on the content: never cached."""


@dataclass(frozen=True)
class Loaded:
    """One evaluation folder after loading and measuring."""

    evaluation: LoadedEvaluation | None
    """The evaluation, None when evaluation.yaml could not be read."""
    problems: tuple[Diagnostic, ...]
    """Problems found loading it and in its datasets."""
    measured: dict[str, Measured] | None
    """Figures from its datasets, None when it has no known system."""
    inputs: str
    """Hash of the folder's files (``load.inputs.hash_inputs``)."""
    hashes: dict[str, tuple[int, int, int, str]]
    """File hashes the worker computed, for the parent's cache."""


class Checker:
    """Checks one repository, reusing what the cache holds from earlier runs."""

    def __init__(self, root: Path, cache: Cache, *, jobs: int = 1, progress: Progress = silent) -> None:
        self.root, self.cache, self.jobs, self.progress = root, cache, jobs, progress
        self.code = code_digest()
        self.systems: dict[tuple[str, str], LoadedSystem] = {}
        self.unreadable: dict[str, Path] = {}
        self.system_inputs: dict[tuple[str, str], str] = {}
        self.inputs: dict[str, str] = {}
        """Evaluation folder (relative) → hash of its files."""
        self._facts: Facts | None = None

    def check(self, only: list[Path] | None = None) -> Checked:
        """What ``pipeline.check(root, only=only)`` returns."""
        settings, problems = load_settings(self.root)
        problems.extend(top_problems(self.root))
        problems.extend(self._load_systems())
        folders = only if only is not None else evaluation_folders(self.root)
        loaded = self._load_all(folders)
        names, with_evaluation = evaluation_names(self.root)
        repo = Repository(
            self.root,
            systems=dict(self.systems),
            evaluations=[x.evaluation for x in loaded if x.evaluation],
            unreadable=dict(self.unreadable),
            settings=settings,
            names=names,
            with_evaluation=with_evaluation,
        )
        problems.extend(load_shared(repo))
        checked = Checked(repo, [], checker=self)
        for item in loaded:
            self.cache.learn_hashes(item.hashes)
            problems.extend(item.problems)
            if item.evaluation is not None and item.measured is not None:
                checked.measured[item.evaluation.evaluation.id] = item.measured
        self.inputs = {x.evaluation.rel: x.inputs for x in loaded if x.evaluation is not None}
        self._facts = None
        problems.extend(validate_organisations(repo))
        for system in repo.systems.values():
            problems.extend(validate_system(system))
        problems.extend(self._validate(repo))
        problems.extend(validate_across(repo))
        problems.extend(check_templates(repo, load_templates(repo.root)))
        checked.diagnostics = sorted(set(problems))
        return checked

    def score(self, checked: Checked) -> dict[str, Scorecard]:
        """What ``pipeline.score_all`` returns, cached per evaluation."""
        valid = [e for e in checked.repo.evaluations if not checked.blocking(e)]
        facts = self.facts(checked.repo)
        keys = [CARD.key(facts, e) for e in valid]
        with long_lived():
            cards = [self.cache.get("card", key) for key in keys]
        for i, evaluation in enumerate(valid):
            if cards[i] is None:
                cards[i] = self._score_one(checked, evaluation)
                self.cache.put("card", keys[i], cards[i])
        return {e.evaluation.id: card for e, card in zip(valid, cards, strict=True) if card is not None}

    def score_one(self, checked: Checked, evaluation: LoadedEvaluation) -> Scorecard:
        """One valid evaluation's scorecard, from the cache when its inputs are unchanged."""
        key = CARD.key(self.facts(checked.repo), evaluation)
        card = self.cache.get("card", key)
        if card is None:
            card = self._score_one(checked, evaluation)
            self.cache.put("card", key, card)
        return card

    def _score_one(self, checked: Checked, evaluation: LoadedEvaluation) -> Scorecard:
        system = checked.repo.system_for(evaluation.evaluation)
        assert system is not None, "an evaluation without errors has a system"
        measured = checked.measured.get(evaluation.evaluation.id, {})
        return score_evaluation(evaluation, system, measured=measured, input_hash=self.inputs_of(evaluation))

    def inputs_of(self, evaluation: LoadedEvaluation) -> str:
        """``hash_inputs`` over the evaluation's folder and its system's folder."""
        system = self.systems[(evaluation.evaluation.system.id, evaluation.evaluation.system.edition)]
        return self.cache.inputs_hash(self.root, [evaluation.rel, rel_path(self.root, system.folder)])

    def _load_systems(self) -> list[Diagnostic]:
        repo = Repository(self.root)
        problems = load_systems(repo)
        self.systems, self.unreadable = repo.systems, repo.unreadable
        for key, system in self.systems.items():
            self.system_inputs[key] = self.cache.inputs_hash(self.root, [rel_path(self.root, system.folder)])
        return problems

    def _load_all(self, folders: list[Path]) -> list[Loaded]:
        """Every folder loaded and measured: cache hits here, the rest over the workers.

        Hits are read in the parent, since a worker would unpickle the entry only to pickle it
        again on the way back.
        """
        with long_lived():
            found = [self._cached(folder) for folder in folders]
        missing = [folders[i] for i, hit in enumerate(found) if hit is None]
        computed = iter(
            fork_map(self._load_one, missing, jobs=self.jobs, progress=self.progress, stage="load")
        )
        return [hit if hit is not None else next(computed) for hit in found]

    def _cached(self, folder: Path) -> Loaded | None:
        """The folder's load and measures from the cache, or None if either is missing."""
        return self._load_measure(folder, compute=False)

    def _load_one(self, folder: Path) -> Loaded:
        """Load and measure one folder (in a worker), from the cache where it can."""
        loaded = self._load_measure(folder, compute=True)
        assert loaded is not None, "computed when not cached"
        return Loaded(
            loaded.evaluation, loaded.problems, loaded.measured, loaded.inputs, self.cache.take_new_hashes()
        )

    def _load_measure(self, folder: Path, *, compute: bool) -> Loaded | None:
        """Load and measure one folder from the cache; what is missing is made (and cached) when
        ``compute``, else the answer is None."""
        rel = rel_path(self.root, folder)
        inputs = self.cache.inputs_hash(self.root, [rel])
        key = digest(self.code, str(self.root), rel, inputs)
        hit = self.cache.get("load", key)
        if hit is None:
            if not compute:
                return None
            hit = load_evaluation(self.root, folder)
            self.cache.put("load", key, hit)
        evaluation, problems = hit
        if evaluation is None:
            return Loaded(None, tuple(problems), None, inputs, {})
        system = self.systems.get((evaluation.evaluation.system.id, evaluation.evaluation.system.edition))
        if system is None:
            return Loaded(evaluation, tuple(problems), None, inputs, {})
        key = digest(key, self.system_inputs[system.key])
        measured = self.cache.get("measures", key)
        if measured is None:
            if not compute:
                return None
            measured = compute_measures(evaluation, system, self.root)
            if not any(d.code in UNCACHED for d in measured[1]):
                self.cache.put("measures", key, measured)
        figures, dataset_problems = measured
        return Loaded(evaluation, (*problems, *dataset_problems), figures, inputs, {})

    def _validate(self, repo: Repository) -> list[Diagnostic]:
        """``validate_evaluation`` of each evaluation, the misses over the workers."""
        facts = self.facts(repo)
        keys = [VALIDATE.key(facts, e) for e in repo.evaluations]
        with long_lived():
            found: list[list[Diagnostic] | None] = [self.cache.get("validate", k) for k in keys]
        missing = [i for i, hit in enumerate(found) if hit is None]

        def validate(i: int) -> list[Diagnostic]:
            return validate_evaluation(repo.evaluations[i], repo)

        for i, result in zip(
            missing,
            fork_map(validate, missing, jobs=self.jobs, progress=self.progress, stage="validate"),
            strict=True,
        ):
            self.cache.put("validate", keys[i], result)
            found[i] = result
        return [d for result in found for d in result or ()]

    def facts(self, repo: Repository) -> Facts:
        """What this check's cache keys are hashed from (``build.inputs``), worked out once."""
        if self._facts is None or self._facts.root != repo.root:
            self._facts = Facts.of(repo, self.cache, self.inputs)
        return self._facts
