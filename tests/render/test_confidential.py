"""Confidentiality (§8.2): every internal field and file of the fixture carries a unique marker;
the public view (and everything built from it) holds none, the internal view holds them all."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from testpaths import FIXTURES

from generator.load.repository import LoadedEvaluation
from generator.model.narrative import strip_internal, unclosed_markers
from generator.pipeline import check
from generator.render.edition import Edition
from generator.render.public import is_internal_path, public_files, public_view, redaction_paths
from generator.render.site.sources import redacted_lines
from generator.render.views.evaluation import evaluation_view, system_view
from generator.score.aggregate import score_evaluation
from generator.score.export import to_json

BASE = FIXTURES / "process" / "base"
MARKER = re.compile(r"ZWPJ-SECRET-[A-Z0-9-]*[A-Z0-9]")

PLANTED = {
    # contact details (always internal)
    "ZWPJ-SECRET-EVALUATED-PHONE",
    "ZWPJ-SECRET-COMMISSIONER-EMAIL",
    "ZWPJ-SECRET-BODY-PHONE",
    "ZWPJ-SECRET-TEAM-PHONE",
    "ZWPJ-SECRET-EXPERT-EMAIL",
    "ZWPJ-SECRET-STAFF-PHONE",
    # an activity marked internal: its place, its summary and its minutes file
    "ZWPJ-SECRET-ACTIVITY-PLACE",
    "ZWPJ-SECRET-ACTIVITY-SUMMARY",
    "ZWPJ-SECRET-EXPERT-MINUTES",
    # minutes under internal/
    "ZWPJ-SECRET-CLOSING-MINUTES",
    # evidence marked internal (note and file), evidence under internal/
    "ZWPJ-SECRET-EVIDENCE-NOTE",
    "ZWPJ-SECRET-EVIDENCE-FILE",
    "ZWPJ-SECRET-INTERNAL-FOLDER-EVIDENCE",
    # datasets: under internal/, and matching internal_files
    "ZWPJ-SECRET-CASE-RAW",
    "ZWPJ-SECRET-RAW-EXPORT",
    # an internal sample: its frame and the drawn keys
    *(f"ZWPJ-SECRET-CASE-{i:03d}" for i in range(1, 13)),
    # narrative: comment block, fenced block, pandoc div, plain comment
    "ZWPJ-SECRET-COMMENT-BLOCK",
    "ZWPJ-SECRET-FENCED-BLOCK",
    "ZWPJ-SECRET-PANDOC-DIV",
    "ZWPJ-SECRET-PLAIN-COMMENT",
}
"""Every marker planted in the fixture, by where it sits."""


@pytest.fixture(scope="module")
def loaded() -> LoadedEvaluation:
    checked = check(BASE)
    assert checked.diagnostics == []
    return checked.repo.evaluations[0]


def _internal_text(loaded: LoadedEvaluation) -> str:
    """Everything an internal build can reach: the whole folder."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(loaded.folder.rglob("*")) if p.is_file())


def _public_text(loaded: LoadedEvaluation) -> str:
    """Everything public output is built from: the view, its score, its files, its YAML pages."""
    view = public_view(loaded)
    system = check(BASE).repo.system_for(view.evaluation)
    assert system is not None
    parts = [
        view.evaluation.model_dump_json(),
        *(s.scores.model_dump_json() for s in view.score_files),
        *view.narrative.values(),
        to_json(score_evaluation(view, system)),
        repr(view.source.data),
        *(repr(s.source.data) for s in view.score_files),
    ]
    parts += [(loaded.folder / name).read_text(encoding="utf-8") for name in public_files(loaded)]
    hidden = redaction_paths(loaded)
    for source in [loaded.source, *(s.source for s in loaded.score_files)]:
        text = (BASE / source.rel).read_text(encoding="utf-8")
        parts.append("\n".join(redacted_lines(text, source, hidden.get(source.rel, []))))
    return "\n".join(parts)


def test_every_planted_marker_is_reachable_internally(loaded: LoadedEvaluation) -> None:
    assert set(MARKER.findall(_internal_text(loaded))) == PLANTED


def test_no_marker_reaches_public_output(loaded: LoadedEvaluation) -> None:
    assert set(MARKER.findall(_public_text(loaded))) == set()


def test_an_internal_activity_shows_only_its_kind_and_dates(loaded: LoadedEvaluation) -> None:
    (original,) = [a for a in loaded.evaluation.activities if a.internal]
    (shown,) = [a for a in public_view(loaded).evaluation.activities if a.internal]
    assert original.place and original.attendees and original.minutes and original.summary
    assert (shown.kind, shown.date, shown.end) == (original.kind, original.date, original.end)
    assert (shown.place, shown.attendees, shown.minutes, shown.summary) == (None, [], None, None)


def test_public_view_keeps_what_is_public(loaded: LoadedEvaluation) -> None:
    view = public_view(loaded)
    ev = view.evaluation
    assert [a.kind for a in ev.activities] == [a.kind for a in loaded.evaluation.activities]
    assert ev.activities[0].minutes == "records/kickoff.md"
    assert ev.activities[4].minutes is None and ev.activities[4].summary is None
    assert ev.activities[5].minutes is None and ev.activities[5].summary == "通报主要发现和初步得分。"
    assert ev.sampling[0].drawn == loaded.evaluation.sampling[0].drawn
    assert ev.sampling[1].drawn == [] and ev.sampling[1].seed == 7
    assert ev.datasets == {}
    assert [e.file for e in view.score_files[0].scores.indicators["A1"].evidence] == ["evidence/guide.md"]
    assert "1. 办事指南公开完整。" in view.narrative["findings"]
    assert public_files(loaded) == [
        "evidence/guide.md",
        "records/kickoff.md",
        "records/plan.md",
        "records/system.md",
        "sampling/items.csv",
    ]


def test_public_view_leaves_the_loaded_evaluation_untouched(loaded: LoadedEvaluation) -> None:
    before = loaded.evaluation.model_dump_json()
    public_view(loaded)
    assert loaded.evaluation.model_dump_json() == before
    assert loaded.evaluation.team[0].contact is not None


def test_scores_are_the_same_in_both_views(loaded: LoadedEvaluation) -> None:
    system = check(BASE).repo.system_for(loaded.evaluation)
    assert system is not None
    assert score_evaluation(public_view(loaded), system).total == score_evaluation(loaded, system).total


def test_redacted_yaml_keeps_line_numbers(loaded: LoadedEvaluation) -> None:
    text = (BASE / loaded.source.rel).read_text(encoding="utf-8")
    lines = redacted_lines(text, loaded.source, redaction_paths(loaded)[loaded.source.rel])
    assert len(lines) == len(text.splitlines())
    assert lines[text.splitlines().index("stage: 已发布")] == "stage: 已发布"


@pytest.mark.parametrize(
    ("name", "internal"),
    [
        ("internal/a.csv", True),
        ("evidence/internal/b.png", True),
        ("data/raw-2024.csv", True),
        ("./data/raw-x.csv", True),
        ("data/clean.csv", False),
        ("internal.md", False),
        ("evidence/x.md", False),
    ],
)
def test_internal_paths(loaded: LoadedEvaluation, name: str, internal: bool) -> None:
    assert is_internal_path(loaded.evaluation, name) is internal


@pytest.mark.parametrize(
    ("text", "public"),
    [
        ("a\n<!-- internal -->\nx\n<!-- /internal -->\nb\n", "a\n\nb\n"),
        ("a <!--internal-->x<!--/internal--> b", "a  b"),
        ("a <!-- note --> b", "a  b"),
        ("a\n```internal\nx\n```\nb\n", "a\nb\n"),
        ("a\n~~~~ {.internal}\nx\n~~~~\nb\n", "a\nb\n"),
        ("a\n```python\n# <- kept\n```\n", "a\n```python\n# <- kept\n```\n"),
        ("a\n::: {.internal}\nx\n::: note\ny\n:::\nz\n:::\nb\n", "a\nb\n"),
        ("a\n<!-- internal -->\nx\n", "a\n"),
        ("a\n```internal\nx\n", "a\n"),
        ("a <!-- never closed\nx\n", "a "),
    ],
)
def test_narrative_stripping(text: str, public: str) -> None:
    assert strip_internal(text) == public


def test_unclosed_markers_are_located() -> None:
    found = unclosed_markers("# t\n\nok\n<!-- internal -->\nsecret\n")
    assert [(u.line, u.closing) for u in found] == [(4, "<!-- /internal -->")]
    assert unclosed_markers("a\n<!-- internal -->x<!-- /internal -->\n") == []


def test_the_views_scorecard_lists_only_the_evidence_its_edition_shows(loaded: LoadedEvaluation) -> None:
    """The open data, the reports and the pages export the view's scorecard, not the one scored
    from the loaded evaluation, which lists internal evidence too."""
    system = check(BASE).repo.system_for(loaded.evaluation)
    assert system is not None
    card = score_evaluation(loaded, system)
    assert MARKER.findall(to_json(card)), "scored from the loaded evaluation: internal evidence listed"
    shown = Edition.PUBLIC.view(loaded)
    public = evaluation_view(shown, system_view(system), card).card
    assert MARKER.findall(to_json(public)) == []
    assert public == score_evaluation(shown, system), "as if scored from the public view"
    internal = evaluation_view(Edition.INTERNAL.view(loaded), system_view(system), card).card
    assert set(MARKER.findall(to_json(internal))) == set(MARKER.findall(to_json(card)))


def test_no_edition_shows_a_file_that_leads_outside_the_folder(tmp_path: Path) -> None:
    """A link to a file outside the evaluation (or a pipe) is no file of it, in either edition."""
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    checked = check(root)
    loaded = checked.repo.evaluations[0]
    (loaded.folder / "evidence" / "outside.txt").symlink_to(tmp_path / "secret.txt")
    os.mkfifo(loaded.folder / "evidence" / "pipe")
    for edition in Edition:
        names = edition.files(loaded)
        assert "evidence/guide.md" in names
        assert "evidence/outside.txt" not in names and "evidence/pipe" not in names, edition
