"""Check and score both revisions, then compare them evaluation by evaluation."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.diagnostics import Diagnostic, Severity
from generator.load.repository import LoadedEvaluation, LoadedSystem, evaluation_folders, rel_path
from generator.model.evaluation import Evidence, ScoreEntry
from generator.pipeline import Checked, check, score_one
from generator.render.edition import Edition
from generator.review.model import Change, EntryChange, EvaluationDiff, ScoreChange
from generator.review.overview import NewEvaluation, new_evaluation
from generator.review.show import show
from generator.score.card import IndicatorScore, ResultScore, Scorecard
from generator.score.engine import collect_entries

ENTRY_FIELDS = ("observation", "ratings", "not_applicable", "evaluators", "evidence", "comment")
"""Score entry fields compared, in the order a reviewer reads them."""
LONG = 60
RESULT_NAME = "综合"
"""How the result combined over several evaluation modes is labelled beside each mode's own figures."""
"""Longest value shown in full for evaluation.yaml fields; longer ones are cut."""


@dataclass
class Side:
    """One revision, checked and scored."""

    checked: Checked
    """Loaded and validated content."""
    folders: list[str]
    """Every evaluation folder holding an evaluation.yaml (loadable or not), relative to the root."""
    loaded: dict[str, LoadedEvaluation] = field(default_factory=dict)
    """Loaded evaluations by folder."""
    cards: dict[str, Scorecard] = field(default_factory=dict)
    """Scorecards by folder, for evaluations without errors."""
    systems: dict[str, LoadedSystem] = field(default_factory=dict)
    """Indicator systems by folder."""

    def errors(self, folder: str) -> tuple[Diagnostic, ...]:
        """Errors (and a draft's to-dos) that keep the evaluation in ``folder`` from being scored."""
        loaded = self.loaded.get(folder)
        if loaded is not None:
            return tuple(self.checked.blocking(loaded))
        return tuple(
            d
            for d in self.checked.diagnostics
            if d.severity is Severity.ERROR and d.file.startswith(folder + "/")
        )

    @property
    def error_count(self) -> int:
        """Errors anywhere in the revision."""
        return sum(d.severity is Severity.ERROR for d in self.checked.diagnostics)


def scan(root: Path) -> Side:
    """Check a repository folder and score every evaluation that can be scored."""
    checked = check(root)
    repo = checked.repo
    folders = [rel_path(root, p) for p in evaluation_folders(root)]
    side = Side(checked, folders)
    side.systems = {rel_path(root, s.folder): s for s in repo.systems.values()}
    for loaded in repo.evaluations:
        side.loaded[loaded.rel] = loaded
        if not checked.blocking(loaded):
            side.cards[loaded.rel] = score_one(checked, loaded)
    return side


def _evidence(items: list[Evidence]) -> str | None:
    texts = []
    for e in items:
        text = e.file or e.url or ""
        extra = "，".join(x for x in (show(e.captured), e.note) if x)
        texts.append(f"{text}（{extra}）" if extra else text)
    return "；".join(texts) or None


@dataclass(frozen=True)
class Words:
    """Names for the ids a score entry holds, so a reviewer reads words, not keys."""

    items: dict[str, dict[str, str]] = field(default_factory=dict)
    """Indicator id → item id → item name (deduction and bonus items)."""
    people: dict[str, str] = field(default_factory=dict)
    """Person id → name."""

    def observation(self, indicator: str, value: object) -> str | None:
        """An observation with item ids replaced by the items' names."""
        names = self.items.get(indicator, {})
        if isinstance(value, dict) and names:
            value = {names.get(str(k), k): v for k, v in value.items()}
        return show(value)


def words_of(*sides: tuple[LoadedSystem | None, LoadedEvaluation | None]) -> Words:
    """Item and person names from each (system, evaluation), the first side's first."""
    words = Words()
    for system, loaded in sides:
        for ind_id, node in system.index.items() if system else ():
            rule = node.indicator.rule
            if rule is not None and rule.kind in ("deduction", "bonus"):
                words.items.setdefault(ind_id, {i.id: i.name for i in rule.items})
        ev = loaded.evaluation if loaded else None
        for person in (*ev.team, *ev.experts, *ev.party_staff) if ev else ():
            words.people.setdefault(person.id, person.name)
    return words


def _entry_value(
    entry: ScoreEntry | None, key: str, indicator: str = "", words: Words | None = None
) -> str | None:
    if entry is None:
        return None
    words = words or Words()
    value = getattr(entry, key)
    if key == "evidence":
        return _evidence(value)
    if key == "ratings":
        return (
            "；".join(
                f"{words.people.get(r.rater, r.rater)}：{words.observation(indicator, r.observation)}"
                for r in value
            )
            or None
        )
    if key == "evaluators":
        return "、".join(words.people.get(p, p) for p in value) or None
    if key == "observation":
        return words.observation(indicator, value)
    return show(value)


def entry_changes(
    before: LoadedEvaluation | None,
    after: LoadedEvaluation | None,
    names: dict[str, str],
    modes: dict[str, str] | None = None,
    words: Words | None = None,
) -> tuple[EntryChange, ...]:
    """Score entries whose fields differ, per mode, in head's file order (``modes``: mode id → name;
    ``words``: names for the item and person ids the entries hold)."""
    old = collect_entries(before) if before else {}
    new = collect_entries(after) if after else {}
    found: list[EntryChange] = []
    for mode in dict.fromkeys([*new, *old]):
        a, b = old.get(mode, {}), new.get(mode, {})
        for ind_id in dict.fromkeys([*b, *a]):
            ea = a[ind_id].entry if ind_id in a else None
            eb = b[ind_id].entry if ind_id in b else None
            changes = tuple(
                Change(k, before_value, after_value)
                for k in ENTRY_FIELDS
                if (before_value := _entry_value(ea, k, ind_id, words))
                != (after_value := _entry_value(eb, k, ind_id, words))
            )
            if changes:
                label = (modes or {}).get(mode, mode) if mode else None
                found.append(EntryChange(ind_id, names.get(ind_id, ind_id), mode, changes, label))
    return tuple(found)


def _modes(card: Scorecard | None) -> dict[str | None, dict[str, IndicatorScore]]:
    if card is None:
        return {}
    groups = card.mode_indicators or ((None, card.indicators),)
    return {mode: {i.id: i for i in items} for mode, items in groups}


def _mode_names(*cards: Scorecard | None) -> dict[str | None, str]:
    return {m.id: m.name for card in cards if card is not None for m in card.modes}


def _results(card: Scorecard | None) -> dict[str, ResultScore]:
    return {} if card is None else {d.id: d for d in card.result.dimensions}


def score_changes(
    before: Scorecard | None, after: Scorecard | None
) -> tuple[list[ScoreChange], list[ScoreChange]]:
    """(every dimension of the result, then of each mode; indicators whose points or status moved).

    With one mode the result's dimensions are the only ones. With several, the combined result
    comes first (``mode`` None, named 综合), then each mode's own dimensions under its name.
    """
    names = _mode_names(before, after)
    combined = any(c is not None and c.result.combined for c in (before, after))
    dims: list[ScoreChange] = []
    moved: list[ScoreChange] = []
    old_result, new_result = _results(before), _results(after)
    for ind_id in dict.fromkeys([*new_result, *old_result]):
        ra, rb = old_result.get(ind_id), new_result.get(ind_id)
        ref = rb or ra
        assert ref is not None
        dims.append(
            ScoreChange(
                ind_id,
                ref.name,
                1,
                None,
                ra.points if ra else None,
                rb.points if rb else None,
                ref.weight,
                RESULT_NAME if combined else None,
            )
        )
    old, new = _modes(before), _modes(after)
    for mode in dict.fromkeys([*new, *old]):
        a, b = old.get(mode, {}), new.get(mode, {})
        for ind_id in dict.fromkeys([*b, *a]):
            ia, ib = a.get(ind_id), b.get(ind_id)
            ref_score = ib or ia
            assert ref_score is not None
            change = ScoreChange(
                ind_id,
                ref_score.name,
                ref_score.depth,
                mode,
                ia.points if ia else None,
                ib.points if ib else None,
                ref_score.weight,
                names.get(mode, mode) if mode else None,
            )
            if ref_score.depth == 1:
                if mode is not None:
                    dims.append(change)
            elif (ia and ia.points, ia and ia.status) != (ib and ib.points, ib and ib.status):
                moved.append(change)
    return dims, moved


def other_changes(before: LoadedEvaluation | None, after: LoadedEvaluation | None) -> tuple[Change, ...]:
    """evaluation.yaml fields (other than the score file list) and narrative Markdown that differ."""
    if before is None or after is None:
        return ()
    old = before.evaluation.model_dump(mode="json", exclude_defaults=True)
    new = after.evaluation.model_dump(mode="json", exclude_defaults=True)
    found = [
        Change(k, _cut(old.get(k)), _cut(new.get(k)))
        for k in dict.fromkeys([*new, *old])
        if k != "scores" and old.get(k) != new.get(k)
    ]
    for name in dict.fromkeys([*after.narrative, *before.narrative]):
        a, b = before.narrative.get(name), after.narrative.get(name)
        if a != b:
            found.append(Change(f"{name}.md", _size(a), _size(b)))
    return tuple(found)


def _cut(value: object) -> str | None:
    text = show(value)
    return text if text is None or len(text) <= LONG else text[:LONG] + "…"


def _size(text: str | None) -> str | None:
    return None if text is None else f"{len(text)} 字"


def compare_evaluations(base: Side, head: Side) -> Iterator[EvaluationDiff]:
    """One diff per evaluation folder present in either revision, sorted by folder."""
    for folder in sorted({*base.folders, *head.folders}):
        yield compare_one(folder, base, head)


def _names(
    *loaded: LoadedEvaluation | None, sides: tuple[Side, Side]
) -> tuple[dict[str, str], dict[str, str]]:
    """(indicator id → name, mode id → name) from the systems of both sides, head's first."""
    names: dict[str, str] = {}
    modes: dict[str, str] = {}
    for side, ev in zip(sides, loaded, strict=True):
        system = side.checked.repo.system_for(ev.evaluation) if ev else None
        if system is not None:
            names.update({k: n.indicator.name for k, n in system.index.items() if k not in names})
            modes.update({m.id: m.name for m in system.system.modes if m.id not in modes})
    return names, modes


def compare_one(folder: str, base: Side, head: Side) -> EvaluationDiff:
    """The diff of one evaluation folder."""
    la, lb = base.loaded.get(folder), head.loaded.get(folder)
    ca, cb = base.cards.get(folder), head.cards.get(folder)
    either = lb or la
    ev = either.evaluation if either else None
    dims, moved = score_changes(ca, cb)
    diff = EvaluationDiff(
        id=ev.id if ev else folder.rsplit("/", 1)[-1],
        title=ev.title if ev else "",
        folder=folder,
        status="unchanged",
        system=f"{ev.system.id} {ev.system.edition}" if ev else "",
        total_before=ca.total if ca else None,
        total_after=cb.total if cb else None,
        grade_before=ca.grade if ca else None,
        grade_after=cb.grade if cb else None,
        vetoes_before=ca.vetoes if ca else (),
        vetoes_after=cb.vetoes if cb else (),
        dimensions=tuple(dims),
        scores=tuple(moved),
        entries=entry_changes(
            _public(la),
            _public(lb),
            *_names(lb, la, sides=(head, base)),
            words_of(
                (head.checked.repo.system_for(lb.evaluation) if lb else None, lb),
                (base.checked.repo.system_for(la.evaluation) if la else None, la),
            ),
        ),
        other=public_other_changes(la, lb, _names(lb, la, sides=(head, base))),
        errors_before=base.errors(folder) if folder in base.folders else (),
        errors_after=head.errors(folder) if folder in head.folders else (),
    )
    added = None
    if lb is not None and cb is not None and folder not in base.folders:
        system = head.checked.repo.system_for(lb.evaluation)
        name = system.system.name if system else lb.evaluation.system.id
        added = new_evaluation(Edition.PUBLIC.view(lb), cb, name)
    return _with_status(diff, folder in base.folders, folder in head.folders, added)


def _public(loaded: LoadedEvaluation | None) -> LoadedEvaluation | None:
    """What a reviewer outside the evaluation team may read: the comment and its JSON leave the
    repository, so they are made from the public view, like the site."""
    return Edition.PUBLIC.view(loaded) if loaded is not None else None


INTERNAL_EDIT = Change("internal", None, "有修改（内部内容，不在此显示）")
"""Said once when internal material changed, without saying what."""


def public_other_changes(
    before: LoadedEvaluation | None,
    after: LoadedEvaluation | None,
    names: tuple[dict[str, str], dict[str, str]],
) -> tuple[Change, ...]:
    """``other_changes`` of the public views, plus one line when internal material changed too."""
    shown = other_changes(_public(before), _public(after))
    raw = (other_changes(before, after), entry_changes(before, after, *names))
    if raw != (shown, entry_changes(_public(before), _public(after), *names)):
        return (*shown, INTERNAL_EDIT)
    return shown


def _with_status(
    diff: EvaluationDiff, in_base: bool, in_head: bool, added: NewEvaluation | None = None
) -> EvaluationDiff:
    # A whole evaluation coming or going is summed up (``added``), not listed indicator by indicator.
    if not in_base:
        return replace(diff, status="added", scores=(), entries=(), added=added)
    if not in_head:
        return replace(diff, status="removed", scores=(), entries=())
    moved = any(d.before != d.after for d in diff.dimensions) or diff.scores
    same = (diff.total_before, diff.grade_before, diff.vetoes_before) == (
        diff.total_after,
        diff.grade_after,
        diff.vetoes_after,
    )
    errors_same = [d.code for d in diff.errors_before] == [d.code for d in diff.errors_after]
    if moved or not same or diff.entries or diff.other or not errors_same:
        return replace(diff, status="changed")
    return diff
