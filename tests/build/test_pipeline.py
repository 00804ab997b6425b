"""The one path (``pipeline.check`` → ``Checker``) gives what the stages give composed plainly:
load everything, validate the repository, check the templates, measure each evaluation, score."""

from __future__ import annotations

from pathlib import Path

import pytest
from buildlib import make_repository
from fixturelib import build as build_case
from fixturelib import cases

from generator.build.measuring import compute_measures
from generator.diagnostics import Diagnostic
from generator.load.repository import load_repository, rel_path
from generator.load.templates import load_templates
from generator.pipeline import check, score_all
from generator.render.report.checks import check_templates
from generator.render.report.fingerprint import hash_inputs
from generator.score.aggregate import score_evaluation
from generator.score.card import Measured, Scorecard
from generator.validate.repository import validate_repository

pytestmark = pytest.mark.slow  # checks every fixture repository twice


def plainly(root: Path) -> tuple[list[Diagnostic], dict[str, dict[str, Measured]], dict[str, Scorecard]]:
    """Diagnostics, figures and scorecards from the stage functions, one after the other."""
    repo, problems = load_repository(root)
    problems.extend(validate_repository(repo))
    problems.extend(check_templates(repo, load_templates(repo.root)))
    measured = {}
    for evaluation in repo.evaluations:
        system = repo.system_for(evaluation.evaluation)
        if system is not None:
            figures, found = compute_measures(evaluation, system, root)
            measured[evaluation.evaluation.id] = figures
            problems.extend(found)
    diagnostics = sorted(set(problems))
    cards = {}
    checked = check(root)
    for evaluation in repo.evaluations:
        system = repo.system_for(evaluation.evaluation)
        if system is None or checked.blocking(evaluation):
            continue
        digest = hash_inputs(root, [evaluation.rel, rel_path(root, system.folder)])
        cards[evaluation.evaluation.id] = score_evaluation(
            evaluation, system, measured=measured[evaluation.evaluation.id], input_hash=digest
        )
    return diagnostics, measured, cards


def test_the_one_path_equals_the_stages_composed_plainly(tmp_path: Path) -> None:
    roots = [make_repository(tmp_path / "sample")] + [build_case(c, tmp_path / c.name) for c in cases()]
    for root in roots:
        diagnostics, measured, cards = plainly(root)
        checked = check(root)
        assert checked.diagnostics == diagnostics, root.name
        assert checked.measured == measured, root.name
        assert score_all(checked) == cards, root.name
