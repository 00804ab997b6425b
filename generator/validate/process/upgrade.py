"""Published results and the generator that scored them: record the version and total, and warn
when a newer generator gives another total (W771), so a team upgrading knows which results moved."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from generator import __version__
from generator.diagnostics import Diagnostic
from generator.model.numbers import exact, show
from generator.pipeline import Checked, score_one
from generator.score.card import Scorecard

PLACE_AFTER = "published"
"""``scored_with`` goes right after ``published`` (else at the end)."""


def changed_totals(checked: Checked) -> list[Diagnostic]:
    """W771 for every evaluation whose recorded total differs from what this generator scores."""
    found = []
    for loaded in checked.repo.evaluations:
        recorded = loaded.evaluation.scored_with
        if recorded is None or checked.blocking(loaded):
            continue
        card = score_one(checked, loaded)
        if exact(card.total) != exact(recorded.total):
            found.append(
                loaded.source.diag(
                    ("scored_with", "total"),
                    "W771",
                    recorded=show(exact(recorded.total)),
                    version=recorded.generator,
                    current=__version__,
                    total=show(exact(card.total)),
                )
            )
    return found


def record_score(path: Path, card: Scorecard, today: dt.date) -> None:
    """Write ``scored_with`` (this generator's version, the card's total, today) into evaluation.yaml,
    keeping the file's comments and layout."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    doc = yaml.load(path.read_text(encoding="utf-8"))
    entry = CommentedMap([("generator", __version__), ("total", card.total), ("date", today)])
    if "scored_with" in doc:
        doc["scored_with"] = entry
    else:
        keys = list(doc)
        doc.insert(keys.index(PLACE_AFTER) + 1 if PLACE_AFTER in keys else len(keys), "scored_with", entry)
    buffer = io.StringIO()
    yaml.dump(doc, buffer)
    path.write_text(buffer.getvalue(), encoding="utf-8")
