"""What each cached step is made from, declared once; its cache key is computed from the declaration.

A step names the inputs it reads (``Step``); ``Step.key`` hashes each of them, for one
evaluation, from the facts the load stage gave (``Facts``). An input read by every evaluation's
step alike (the calendar, the shared records, the names of the evaluations) is hashed once per
build; one of the evaluation's own (its folder, its system, its previous evaluation, its party's
"as of" day) per evaluation. A step that comes to read something new adds it to its declaration
here, and its key follows; ``tests/build/test_stale_cache.py`` edits each kind of input and checks
that exactly the entries declaring it are made again.

What is not read from the repository (the code, whether reports are linked, the site address,
pandoc's version, the signer) is passed to ``Step.key`` as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.cache import Cache, code_digest, digest
from generator.load.organisations import SHARED_INPUTS
from generator.load.repository import LoadedEvaluation, Repository, rel_path
from generator.model.workdays import CALENDAR_FILE


@dataclass
class Facts:
    """What the inputs of one build are hashed from: facts of the load stage and file hashes."""

    root: Path
    """The repository's root."""
    cache: Cache
    """The build's cache, which remembers file hashes across runs."""
    own: Mapping[str, str]
    """Evaluation folder (relative) → hash of its files."""
    systems: Mapping[tuple[str, str], Path] = field(default_factory=dict)
    """Each indicator system's folder by (id, edition)."""
    unreadable: Iterable[str] = ()
    """Systems whose system.yaml could not be read (by folder name and stated id)."""
    names: Iterable[str] = ()
    """The names of the entries of evaluations/."""
    with_evaluation: Iterable[str] = ()
    """Those that hold an evaluation.yaml file."""
    as_of: Callable[[str], dt.date | None] = lambda party: None
    """Each party's "as of" day."""
    previous: Mapping[str, LoadedEvaluation] = field(default_factory=dict)
    """Evaluation id → the previous evaluation its page compares with."""
    templates: Callable[[], str] = lambda: "-"
    """Hash of the report templates in use (only reports read them)."""
    _shared: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, repo: Repository, cache: Cache, own: Mapping[str, str]) -> Facts:
        """The facts of a loaded repository."""
        return cls(
            repo.root,
            cache,
            own,
            {key: s.folder for key, s in repo.systems.items()},
            tuple(repo.unreadable),
            tuple(repo.names),
            tuple(repo.with_evaluation),
            repo.as_of,
        )

    def shared(self, name: str, compute: Callable[[Facts], str]) -> str:
        """A whole-build input's hash, worked out once."""
        if name not in self._shared:
            self._shared[name] = compute(self)
        return self._shared[name]


@dataclass(frozen=True)
class Input:
    """One kind of input a step may read."""

    name: str
    """Its name in declarations and keys."""
    shared: Callable[[Facts], str] | None = None
    """Its hash when every evaluation reads the same (hashed once per build)."""
    own: Callable[[Facts, LoadedEvaluation], str] | None = None
    """Its hash for one evaluation."""

    def value(self, facts: Facts, evaluation: LoadedEvaluation) -> str:
        """This input's hash for ``evaluation``."""
        if self.shared is not None:
            return facts.shared(self.name, self.shared)
        assert self.own is not None, "an input is hashed whole or per evaluation"
        return self.own(facts, evaluation)


def _system(facts: Facts, evaluation: LoadedEvaluation) -> str:
    folder = facts.systems.get((evaluation.evaluation.system.id, evaluation.evaluation.system.edition))
    return facts.cache.inputs_hash(facts.root, [rel_path(facts.root, folder)]) if folder else "-"


def _calendar(facts: Facts) -> str:
    path = facts.root / CALENDAR_FILE
    return facts.cache.file_digest(path) if path.is_file() else "-"


def _previous(facts: Facts, evaluation: LoadedEvaluation) -> str:
    """The previous evaluation's folder and system: what its scorecard, compared with, is made from."""
    before = facts.previous.get(evaluation.evaluation.id)
    return digest(facts.own.get(before.rel, "-"), _system(facts, before)) if before else "-"


FOLDER = Input("folder", own=lambda facts, e: facts.own[e.rel])
"""The evaluation's own folder: evaluation.yaml, score files, narrative, datasets, frames, attachments."""
SYSTEM = Input("system", own=_system)
"""Its indicator system's folder."""
PREVIOUS = Input("previous", own=_previous)
"""The folder and system of its party's previous evaluation (compared with on its page)."""
AS_OF = Input("as-of", own=lambda facts, e: str(facts.as_of(e.evaluation.evaluated.name)))
"""The day its party's records speak for (the newest of the party's evaluations)."""
CALENDAR = Input("calendar", shared=_calendar)
"""calendar.yaml (working days)."""
RECORDS = Input("records", shared=lambda facts: facts.cache.inputs_hash(facts.root, SHARED_INPUTS))
"""organisations.yaml and bodies/ (the bodies' records and staff)."""
EVALUATIONS = Input(
    "evaluations", shared=lambda facts: digest(*sorted(facts.names), "\0", *sorted(facts.with_evaluation))
)
"""The names of the entries of evaluations/ (a ``previous`` or a rectification may name one)."""
SYSTEMS = Input(
    "systems",
    shared=lambda facts: digest(
        *sorted(f"{sid}\0{edition}" for sid, edition in facts.systems),
        *sorted(f"unreadable\0{sid}" for sid in facts.unreadable),
    ),
)
"""Which indicator systems exist (an evaluation may name one that does not)."""
TEMPLATES = Input("templates", shared=lambda facts: facts.templates())
"""The report templates in use: the repository's templates/ and the generator's own."""


@dataclass(frozen=True)
class Step:
    """A cached step and the inputs it reads."""

    name: str
    """The kind of its cache entries."""
    reads: tuple[Input, ...]
    """What it is made from."""

    def key(self, facts: Facts, evaluation: LoadedEvaluation, *settings: str) -> str:
        """The cache key of this step's entry for ``evaluation``: the code, then each input declared
        by name and hash, then the ``settings`` that are not files."""
        hashed = (f"{i.name}={i.value(facts, evaluation)}" for i in self.reads)
        return digest(self.name, code_digest(), str(facts.root), evaluation.rel, *hashed, "\0", *settings)


VALIDATE = Step("validate", (FOLDER, SYSTEM, CALENDAR, RECORDS, AS_OF, EVALUATIONS, SYSTEMS))
"""An evaluation's checks (``validate_evaluation``): working days, parties and staff, names it may cite."""
CARD = Step("card", (FOLDER, SYSTEM))
"""Its scorecard (its measures are part of loading it)."""
PAGES = Step("pages", (FOLDER, SYSTEM, PREVIOUS, CALENDAR, RECORDS, AS_OF))
"""Its own files on the site (page, what-if inputs, evidence, source pages)."""
REPORT = Step("report", (FOLDER, SYSTEM, RECORDS, TEMPLATES))
"""Its DOCX and PDF reports."""
