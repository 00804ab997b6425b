"""Checks of an evaluation against its indicator system and the process rules of DB34/T 3556."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import Diagnostic, diag
from generator.load.repository import LoadedEvaluation, LoadedSystem, Repository
from generator.load.schema_errors import suggestion
from generator.model.evaluation import Evaluation
from generator.model.numbers import exact
from generator.model.stages import reached
from generator.score.raters import krippendorff_alpha
from generator.score.rules import Problem, evaluate
from generator.validate.dates import check_dates
from generator.validate.independence import check_independence
from generator.validate.knockon import evaluation_knock_on
from generator.validate.people import check_people
from generator.validate.process.workflow import validate_process
from generator.validate.timeliness import check_evidence_dates


def validate_evaluation(loaded: LoadedEvaluation, repo: Repository) -> list[Diagnostic]:
    """All problems of one evaluation, less those a schema error already explains (``knockon``)."""
    system = repo.system_for(loaded.evaluation)
    return [d for d in _problems(loaded, repo) if not evaluation_knock_on(d, loaded, system)]


def _problems(loaded: LoadedEvaluation, repo: Repository) -> list[Diagnostic]:
    ev, src = loaded.evaluation, loaded.source
    found: list[Diagnostic] = []
    folder = loaded.folder.name
    if ev.id != folder:
        found.append(src.diag(("id",), "E416", id=ev.id, folder=folder))
    found.extend(check_people(loaded))
    found.extend(check_independence(loaded, repo))
    found.extend(check_dates(loaded))
    found.extend(_check_files(loaded))
    found.extend(validate_process(loaded, repo))
    system = repo.system_for(ev)
    found.extend(check_evidence_dates(loaded, system))
    if system is None:
        if ev.system.id not in repo.unreadable:  # else its own errors say what is wrong with it
            found.append(_system_missing(loaded, repo))
        return found
    if system.complete:  # else scores would be checked against a tree missing a part
        found.extend(_check_scores(loaded, system))
    return found


def _system_missing(loaded: LoadedEvaluation, repo: Repository) -> Diagnostic:
    ev, src = loaded.evaluation, loaded.source
    editions = sorted(ed for (sid, ed) in repo.systems if sid == ev.system.id)
    if editions:
        return src.diag(
            ("system", "edition"),
            "E402",
            id=ev.system.id,
            actual="、".join(editions),
            edition=ev.system.edition,
        )
    ids = sorted({sid for sid, _ in repo.systems})
    zh, en = suggestion(ev.system.id, ids)
    return src.diag(
        ("system", "id"),
        "E401",
        id=ev.system.id,
        suggestion_zh=zh,
        suggestion_en=en,
        available="、".join(ids) or "（无）",
    )


def _check_files(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """Files named in evaluation.yaml and the score files exist inside the folder (as loaded)."""
    return iter(loaded.named_files)


def _check_scores(loaded: LoadedEvaluation, system: LoadedSystem) -> list[Diagnostic]:
    ev = loaded.evaluation
    found: list[Diagnostic] = []
    modes = [m.id for m in system.system.modes]
    seen: dict[tuple[str | None, str], str] = {}
    leaves = [n for n in system.leaves()]
    ids = list(system.index)
    for score_file in loaded.score_files:
        src, mode = score_file.source, score_file.scores.mode
        if modes and mode not in modes or (not modes and mode is not None):
            found.append(src.diag(("mode",), "E417", mode=mode, available="、".join(modes) or "（无）"))
        for ind_id, entry in score_file.scores.indicators.items():
            at = ("indicators", ind_id)
            node = system.index.get(ind_id)
            if node is None:
                zh, en = suggestion(ind_id, ids)
                found.append(src.diag(at, "E403", at_key=True, id=ind_id, suggestion_zh=zh, suggestion_en=en))
                continue
            if not node.is_leaf:
                found.append(src.diag(at, "E413", at_key=True, id=ind_id))
                continue
            key = (mode, ind_id)
            if key in seen:
                found.append(src.diag(at, "E414", at_key=True, id=ind_id, first=seen[key]))
                continue
            seen[key] = src.rel
            found.extend(_check_entry(ev, src, at, node, entry, system))
    expected_modes: list[str | None] = ([*modes] or [None]) if _all_score_files_loaded(loaded) else []
    for mode in expected_modes:
        for node in leaves:
            if (mode, node.indicator.id) not in seen:
                anchor = _anchor(loaded, node.dimension, mode)
                found.append(_unscored(ev, anchor[0], anchor[1], node.indicator))
    found.extend(_agreement(loaded, system))
    if ev.mode and ev.mode not in modes:
        found.append(
            loaded.source.diag(("mode",), "E417", mode=ev.mode, available="、".join(modes) or "（无）")
        )
    return found


def _all_score_files_loaded(loaded: LoadedEvaluation) -> bool:
    """False when a listed score file is missing or unreadable (already reported, E1xx/E2xx).

    Its indicators would otherwise all be reported as unscored (E404), burying the one real problem.
    """
    return len(loaded.score_files) == len(loaded.evaluation.scores)


def _agreement(loaded: LoadedEvaluation, system: LoadedSystem) -> list[Diagnostic]:
    """W703: Krippendorff's α over the multi-rater indicators below the system's minimum."""
    units, first = [], None
    for score_file in loaded.score_files:
        for ind_id, entry in score_file.scores.indicators.items():
            node = system.index.get(ind_id)
            if not entry.ratings or node is None or not node.is_leaf or node.indicator.rule is None:
                continue
            try:
                units.append(
                    {
                        r.rater: float(evaluate(node.indicator.rule, node.weight, r.observation).fraction)
                        for r in entry.ratings
                    }
                )
            except Problem:
                continue
            first = first or score_file.source.diag(
                ("indicators", ind_id, "ratings"), "W703", alpha="", min=""
            )
    alpha = krippendorff_alpha(units)
    minimum = system.system.raters.min_alpha
    if alpha is None or alpha >= minimum or first is None:
        return []
    return [diag(first.file, first.line, first.column, "W703", alpha=f"{alpha:.2f}", min=f"{minimum:g}")]


def _anchor(loaded: LoadedEvaluation, dimension: str, mode: str | None):
    """Where to report a missing indicator: its dimension's score file, else evaluation.yaml's scores."""
    for score_file in loaded.score_files:
        if score_file.scores.mode == mode:
            ids = score_file.scores.indicators
            if any(i == dimension or i.startswith(dimension) for i in ids):
                return score_file.source, ("indicators",)
    return loaded.source, ("scores",)


SCORED_BY = "实施评价"
"""Every indicator is scored or marked not applicable once the evaluation has been carried out (§4.3)."""


def _unscored(ev: Evaluation, src, at, ind) -> Diagnostic:
    """E404 once the stage needs every score; before that a to-do (T901), so a draft can be committed."""
    if reached(ev, SCORED_BY):
        return src.diag(at, "E404", at_key=True, id=ind.id, name=ind.name)
    return src.diag(at, "T901", at_key=True, id=ind.id, name=ind.name, needed=SCORED_BY)


def _check_entry(ev: Evaluation, src, at, node, entry, system: LoadedSystem) -> list[Diagnostic]:
    ind = node.indicator
    if entry.not_applicable or ind.rule is None:  # a leaf without a rule is reported by the system (E305)
        return []
    measured = getattr(ind.rule, "measure", None)
    if entry.observation is None and not entry.ratings:
        if measured:
            return []
        return [_unscored(ev, src, at, ind)]
    observations = (
        [((*at, "observation"), entry.observation)]
        if not entry.ratings
        else [((*at, "ratings", i, "observation"), r.observation) for i, r in enumerate(entry.ratings)]
    )
    found = []
    fractions = []
    for path, observation in observations:
        try:
            fractions.append(evaluate(ind.rule, node.weight, observation, None).fraction)
        except Problem as p:
            found.append(src.diag(path, "E405", id=ind.id, detail_zh=p.zh, detail_en=p.en, hint=p.hint))
    policy = system.system.raters
    if entry.ratings and len(fractions) == len(entry.ratings):
        spread = max(fractions) - min(fractions)
        if spread > exact(policy.max_spread):
            shown = ", ".join(f"{r.rater}: {r.observation}" for r in entry.ratings)
            found.append(
                src.diag(
                    (*at, "ratings"),
                    "W702",
                    id=ind.id,
                    spread=f"{float(spread):.0%}",
                    limit=f"{policy.max_spread:.0%}",
                    raters=shown,
                )
            )
    return found
