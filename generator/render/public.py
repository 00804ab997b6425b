"""Confidentiality (§8.2): what stays internal, and the redacted copy public output is built from.

Internal, always: contact details of people and parties. Internal when marked: evidence,
activity records and sample draws with ``internal: true`` (and the files they name); any file
under a folder named ``internal/`` of an evaluation, or matching a pattern in ``internal_files``;
narrative passages marked internal (see ``narrative``).

These are the rules; an output never calls them itself. It asks its edition
(``render.edition.Edition``: public or internal) what to make it from: the evaluation
(``Edition.view``; its view model takes the scorecard's evidence from it, see
``render.views.evaluation.evaluation_view``), the YAML paths its source pages hide
(``Edition.redactions``) and the folder's files it may show (``Edition.files``). So the site,
its open data, feeds, badges and search index, the reports and the pull-request comment all
decide what is internal in one way (``tests/codebase/test_public_view.py`` keeps it so).
"""

from __future__ import annotations

import fnmatch
from dataclasses import replace
from pathlib import PurePosixPath

from generator.load.repository import NARRATIVES, LoadedEvaluation, ScoreSource
from generator.load.yamlsource import PathKey, Source
from generator.model.evaluation import Activity, Evaluation, Evidence, Party, Person, SampleRecord, ScoreFile
from generator.model.narrative import strip_internal
from generator.model.publicity import INTERNAL_ACTIVITY_FIELDS

INTERNAL_FOLDER = "internal"
"""A folder of this name anywhere inside an evaluation holds internal files only."""


def _norm(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).as_posix().removeprefix("./")


def is_internal_path(ev: Evaluation, name: str) -> bool:
    """True when the path itself marks the file internal: under internal/, or matching internal_files."""
    path = PurePosixPath(_norm(name))
    if INTERNAL_FOLDER in path.parts[:-1]:
        return True
    return any(fnmatch.fnmatchcase(path.as_posix(), _norm(pattern)) for pattern in ev.internal_files)


class Policy:
    """Which files of one evaluation are internal: by path, or named by an internal record."""

    def __init__(self, loaded: LoadedEvaluation) -> None:
        ev = loaded.evaluation
        self.evaluation = ev
        named = {a.minutes for a in ev.activities if a.internal and a.minutes}
        named |= {s.frame for s in ev.sampling if s.internal}
        named |= {
            e.file
            for s in loaded.score_files
            for entry in s.scores.indicators.values()
            for e in entry.evidence
            if e.internal and e.file
        }
        self.named = {_norm(n) for n in named}

    def hidden(self, name: str | None) -> bool:
        """True for a file that must not be published."""
        if not name:
            return False
        return _norm(name) in self.named or is_internal_path(self.evaluation, name)

    def evidence_public(self, e: Evidence) -> bool:
        """True for evidence that may be shown."""
        return not e.internal and not self.hidden(e.file)


def public_files(loaded: LoadedEvaluation) -> list[str]:
    """Attachments of the evaluation folder that may be copied as they are (relative, sorted).

    evaluation.yaml, the score files and the narrative Markdown are left out: they hold contact
    details, internal flags or internal passages, so they are published only through
    ``public_view`` or, line by line, through ``redact_yaml``.
    """
    policy, ev = Policy(loaded), loaded.evaluation
    yaml_sources = {"evaluation.yaml", *(_norm(s) for s in ev.scores), *(f"{n}.md" for n in NARRATIVES)}
    names = (name for name, file in loaded.files.items() if file.real is not None)
    return sorted(n for n in names if n not in yaml_sources and not policy.hidden(n))


def _party(p: Party) -> Party:
    return p.model_copy(update={"contact": None})


def _people(people: list[Person]) -> list[Person]:
    return [p.model_copy(update={"contact": None}) for p in people]


def _sample(policy: Policy, s: SampleRecord) -> SampleRecord:
    if not (s.internal or policy.hidden(s.frame)):
        return s
    return s.model_copy(update={"drawn": [], "frame": ""})


def _hidden_activity_fields(policy: Policy, a: Activity) -> tuple[str, ...]:
    """The fields of an activity the public does not see: all but kind and dates when it is
    internal, its minutes when the minutes file is internal."""
    if a.internal:
        return INTERNAL_ACTIVITY_FIELDS
    return ("minutes",) if policy.hidden(a.minutes) else ()


def public_evaluation(loaded: LoadedEvaluation) -> Evaluation:
    """evaluation.yaml without its internal facts."""
    policy, ev = Policy(loaded), loaded.evaluation
    activities = []
    for a in ev.activities:
        blank = {
            name: Activity.model_fields[name].get_default(call_default_factory=True)
            for name in _hidden_activity_fields(policy, a)
        }
        activities.append(a.model_copy(update=blank))
    plan = ev.plan.model_copy(update={"file": None}) if policy.hidden(ev.plan.file) else ev.plan
    return ev.model_copy(
        update={
            "evaluated": _party(ev.evaluated),
            "commissioner": _party(ev.commissioner),
            "body": _party(ev.body),
            "team": _people(ev.team),
            "experts": _people(ev.experts),
            "party_staff": _people(ev.party_staff),
            "activities": activities,
            "plan": plan,
            "datasets": {k: v for k, v in ev.datasets.items() if not policy.hidden(v)},
            "sampling": [_sample(policy, s) for s in ev.sampling],
        }
    )


def _public_scores(policy: Policy, scores: ScoreFile) -> ScoreFile:
    indicators = {}
    for ind_id, entry in scores.indicators.items():
        shown = [e for e in entry.evidence if policy.evidence_public(e)]
        indicators[ind_id] = entry.model_copy(update={"evidence": shown})
    return scores.model_copy(update={"indicators": indicators})


def _public_source(source: Source) -> Source:
    """Same positions (shared: they are not changed after loading), without the raw file's data."""
    return Source(source.rel, None, source.values, source.keys)


def public_view(loaded: LoadedEvaluation) -> LoadedEvaluation:
    """A redacted copy for the public site and public reports; the original is left untouched."""
    policy = Policy(loaded)
    ev = public_evaluation(loaded)
    score_files = []
    for s in loaded.score_files:
        scores = _public_scores(policy, s.scores)
        score_files.append(ScoreSource(_public_source(s.source), scores))
    narrative = {name: strip_internal(text) for name, text in loaded.narrative.items()}
    return replace(
        loaded,
        evaluation=ev,
        source=_public_source(loaded.source),
        score_files=score_files,
        narrative=narrative,
    )


def redaction_paths(loaded: LoadedEvaluation) -> dict[str, list[PathKey]]:
    """Per YAML file (relative to the repository root), the paths whose values are internal."""
    policy, ev, src = Policy(loaded), loaded.evaluation, loaded.source
    paths: list[PathKey] = [
        (name, "contact") for name in ("evaluated", "commissioner", "body") if getattr(ev, name).contact
    ]
    for group in ("team", "experts", "party_staff"):
        paths += [(group, i, "contact") for i, p in enumerate(getattr(ev, group)) if p.contact]
    for i, a in enumerate(ev.activities):
        paths += [("activities", i, name) for name in _hidden_activity_fields(policy, a)]
    if policy.hidden(ev.plan.file):
        paths.append(("plan", "file"))
    paths += [("datasets", k) for k, v in ev.datasets.items() if policy.hidden(v)]
    for i, s in enumerate(ev.sampling):
        if s.internal or policy.hidden(s.frame):
            paths += [("sampling", i, "frame"), ("sampling", i, "drawn")]
    out = {src.rel: [p for p in paths if p in src.values]}
    for score_file in loaded.score_files:
        hidden: list[PathKey] = [
            ("indicators", ind_id, "evidence", j)
            for ind_id, entry in score_file.scores.indicators.items()
            for j, e in enumerate(entry.evidence)
            if not policy.evidence_public(e)
        ]
        if hidden:
            out[score_file.source.rel] = hidden
    return out
