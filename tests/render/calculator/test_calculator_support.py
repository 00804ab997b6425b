"""Helpers for the what-if calculator tests, and checks that the generated cases are worth running.

``random_case`` builds a random indicator system and evaluation in memory (fixed seed): trees of
one to four dimensions up to three levels deep, every rule kind, measured figures, N/A leaves and
whole N/A subtrees, missing entries, several raters under each combination rule, bonus caps that
bite, vetoes, modes, rounding to 0–4 decimals, and weights and level points chosen so that many
products land exactly on a half (x.xx5) that binary floats store just below or above.
``figures`` lists every figure of a scorecard; the browser returns the same shape (``JS_FIGURES``).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from browser import launch_chromium
from scoring_cases.build import PEOPLE, entry, evaluation, leaf, node, system, total_weight

from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.model.numbers import exact
from generator.model.system import GradeBand, Indicator
from generator.render.calculator import SCRIPTS, STATIC
from generator.score.aggregate import score_evaluation
from generator.score.card import Measured, Scorecard
from generator.validate.system import validate_system

LOCAL_ORIGIN = "http://zwpj.test/"
"""A made-up origin the tests serve pages from, inside the browser (nothing listens on the network)."""
SEED = 20241126
CASES = 400
RATERS = list(PEOPLE)
SATISFACTION = [["非常满意", 100], ["满意", 80], ["基本满意", 60], ["不满意", 30], ["非常不满意", 0]]
TIE_WEIGHTS = [2, 3, 1.5, 0.7, 2.5, 4.1]
"""Leaf weights whose products with level fractions or percent observations hit x.xx5 often."""
LEVEL_SHARES = [[1, 0.8, 0.6, 0.3, 0], [1, 0.5, 0], [1, 0.67, 0.335, 0], [1, 0.75, 0.5025, 0.25]]
"""Level points as shares of the weight, best first; 0.335 and 0.5025 make halves."""
DAYS_RULES = [{"floor": 20, "target": 5}, {"floor": 0, "target": 30}, {"floor": 48, "target": 4}]
"""Ratio rules in days, hours or counts, some where less is better."""


@dataclass
class Case:
    """A random system, an evaluation of it and the measured figures it uses."""

    system: LoadedSystem
    evaluation: LoadedEvaluation
    measured: dict[str, Measured]
    written: tuple[Indicator, ...] = ()
    """The dimensions as written, before inherited fields and weights were resolved (extended cases)."""

    def score(self) -> Scorecard:
        return score_evaluation(self.evaluation, self.system, measured=self.measured, input_hash="0" * 64)


# --- browser -------------------------------------------------------------------------------------


@contextmanager
def chromium_page(width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A page in the Debian Chromium, headless and offline; outside requests are recorded and aborted."""
    with launch_chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.outside = []  # requests that would leave the machine (aborted)

        def guard(route: Any) -> None:
            if route.request.url.startswith((LOCAL_ORIGIN, "data:", "about:")):
                route.fallback()
            else:
                page.outside.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        yield page


def serve(page: Any, files: dict[str, tuple[bytes, str]]) -> None:
    """Answer requests to LOCAL_ORIGIN from ``files`` (path → body, content type); others get 404."""

    def answer(route: Any) -> None:
        path = route.request.url.removeprefix(LOCAL_ORIGIN).split("?")[0]
        body, kind = files.get(path, (b"", "text/plain"))
        route.fulfill(status=200 if path in files else 404, body=body, content_type=kind)

    page.route(LOCAL_ORIGIN + "**", answer)


def load_scorer(page: Any) -> None:
    """A blank page with the scorer scripts (not the interface) loaded."""
    page.set_content("<!doctype html><html lang='zh'><meta charset='utf-8'><title>计分</title></html>")
    for name in SCRIPTS:
        if name != "whatif-ui.js":
            page.add_script_tag(path=str(STATIC / name))


JS_FIGURES = """
(card) => ({
  total: card.total, grade: card.grade, grade_by_points: card.grade_by_points, vetoes: card.vetoes,
  base_total: card.base_total, bonus: card.bonus,
  mode_totals: card.modes.filter((m) => m.id !== null).map((m) => [m.id, m.total]),
  modes: card.modes.map((m) => [m.id, m.indicators.map((i) => [i.id, i.status, i.effective_weight,
                                                                 i.fraction, i.points, i.bonus, i.vetoed])]),
})
"""
"""Maps scoreEvaluation's result to the shape ``figures`` gives a Python scorecard."""


def figures(card: Scorecard) -> dict[str, Any]:
    """Every figure of a scorecard a reader can see, in the shape JS_FIGURES gives."""
    per_mode = card.mode_indicators or ((None, card.indicators),)
    return {
        "total": card.total,
        "grade": card.grade,
        "grade_by_points": card.grade_by_points,
        "vetoes": list(card.vetoes),
        "base_total": card.base_total,
        "bonus": card.bonus,
        "mode_totals": [[m.id, m.total] for m in card.modes],
        "modes": [
            [
                mode,
                [[i.id, i.status, i.effective_weight, i.fraction, i.points, i.bonus, i.vetoed] for i in inds],
            ]
            for mode, inds in per_mode
        ],
    }


def first_difference(want: Any, got: Any, path: str = "") -> str | None:
    """Where two figure trees differ first (exact equality of numbers), for a readable failure."""
    if isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            return f"{path}: {len(want)} items vs {len(got)}"
        for k, (a, b) in enumerate(zip(want, got, strict=True)):
            found = first_difference(a, b, f"{path}[{k}]")
            if found:
                return found
        return None
    if isinstance(want, dict) and isinstance(got, dict):
        for key in want.keys() | got.keys():
            found = first_difference(want.get(key), got.get(key), f"{path}.{key}")
            if found:
                return found
        return None
    same = want is got if isinstance(want, bool) or isinstance(got, bool) else want == got
    return None if same else f"{path}: {want!r} vs {got!r}"


# --- random cases --------------------------------------------------------------------------------


class _Builder:
    """Builds one random case; ``rng`` decides everything, so a seed fixes the case."""

    def __init__(self, rng: random.Random, index: int) -> None:
        self.rng = rng
        self.index = index
        self.count = 0
        self.bonus_cap = rng.choice([0, 0, 1, 2.5, 5])
        self.modes = rng.choice([[], [], [], ["self", "third_party"], ["a", "b", "c"]])
        self.observers: dict[str, Any] = {}
        """Leaf id → function(rng) giving a fresh observation (one per mode and rater)."""
        self.measures: dict[str, Any] = {}
        """Leaf id → function(rng) giving its Measured figure."""
        self.declared: list[dict[str, Any]] = []
        """Measures the system declares."""
        self.na_nodes: set[str] = set()

    def weight(self) -> float:
        return self.rng.choice([*TIE_WEIGHTS, 1, 5, 6, 7, 8, 10, 12.5, 15, 0.25])

    def make(self, depth: int) -> Indicator:
        self.count += 1
        ind_id = f"X{self.index}.{self.count}"
        if depth > 1 and (depth == 3 or self.rng.random() < 0.45) or depth == 1 and self.rng.random() < 0.1:
            return self.leaf(ind_id, allow_extra=depth > 1)
        children = [self.make(depth + 1) for _ in range(self.rng.randint(1, 4))]
        if all(c.weight == 0 for c in children):
            children.append(self.leaf(f"{ind_id}w", allow_extra=False))
        if self.rng.random() < 0.06:
            self.na_nodes.add(ind_id)
        return node(ind_id, children)

    def leaf(self, ind_id: str, *, allow_extra: bool) -> Indicator:
        rng = self.rng
        if allow_extra and rng.random() < 0.18:
            if self.bonus_cap and rng.random() < 0.6:
                return self.bonus(ind_id)
            self.observers[ind_id] = lambda r: r.random() < 0.15
            return leaf(ind_id, 0, {"kind": "veto", "condition": "发生重大事件"})
        kind = rng.choice(["binary", "levels", "levels", "ratio", "ratio", "deduction", "satisfaction"])
        return getattr(self, kind)(ind_id, self.weight())

    def binary(self, ind_id: str, w: float) -> Indicator:
        labels = self.rng.choice([{}, {"pass_label": "是", "fail_label": "否"}])
        values = [True, False, labels.get("pass_label", "达标"), labels.get("fail_label", "不达标")]
        self.observers[ind_id] = lambda r: r.choice(values)
        return leaf(ind_id, w, {"kind": "binary", **labels})

    def levels(self, ind_id: str, w: float) -> Indicator:
        shares = self.rng.choice(LEVEL_SHARES)
        points = [w, *(float(Decimal(repr(w * s)).quantize(Decimal("0.001"))) for s in shares[1:])]
        names = ["优", "良", "中", "差", "劣"][: len(points)]
        self.observers[ind_id] = lambda r: r.choice(names)
        levels = [{"name": n, "points": p} for n, p in zip(names, points, strict=True)]
        return leaf(ind_id, w, {"kind": "levels", "levels": levels})

    def ratio(self, ind_id: str, w: float) -> Indicator:
        rng = self.rng
        unit = rng.choice(["ratio", "percent", "percent", "days", "hours", "count"])
        if unit == "ratio":
            rule = {"floor": rng.choice([0, 0.5, 0.6]), "target": rng.choice([0.9, 0.95, 1])}
            self.observers[ind_id] = lambda r: r.choice([round(r.random(), 3), _fraction_pair(r)])
        elif unit == "percent":
            rule = {"floor": rng.choice([0, 50, 60]), "target": rng.choice([90, 95, 100])}
            self.observers[ind_id] = lambda r: r.choice(
                [r.randint(0, 1000) / 10, r.randint(0, 100), _fraction_pair(r)]
            )
        else:
            rule = dict(rng.choice(DAYS_RULES))
            self.observers[ind_id] = lambda r: r.randint(0, 600) / 10
        if unit in ("ratio", "percent") and rng.random() < 0.3:
            rule["measure"] = f"m-{ind_id}"
            self.measures[ind_id] = lambda r, name=rule["measure"]: _share(r, name)
            self.declared.append(
                {"name": rule["measure"], "dataset": "cases", "kind": "share", "where": "done"}
            )
        return leaf(ind_id, w, {"kind": "ratio", "unit": unit, **rule})

    def deduction(self, ind_id: str, w: float) -> Indicator:
        picked = self.rng.sample([0.125, 0.25, 0.5, 1, 0.3, 2], self.rng.randint(1, 3))
        items = [
            {"id": f"d{k}", "name": f"问题{k}", "points": p, "cap": min(w, p * self.rng.randint(1, 6))}
            for k, p in enumerate(picked)
        ]
        whole = {"id": "d", "name": "问题", "points": w, "cap": w}
        items = [i for i in items if i["points"] <= i["cap"]] or [whole]
        ids = [i["id"] for i in items]
        self.observers[ind_id] = lambda r: {k: r.randint(0, 5) for k in r.sample(ids, r.randint(0, len(ids)))}
        return leaf(ind_id, w, {"kind": "deduction", "items": items})

    def bonus(self, ind_id: str) -> Indicator:
        items = [
            {"id": f"b{k}", "name": f"加分{k}", "points": p, "cap": p * self.rng.randint(1, 3)}
            for k, p in enumerate(self.rng.sample([0.5, 1, 1.5, 0.25, 2], self.rng.randint(1, 3)))
        ]
        ids = [i["id"] for i in items]
        self.observers[ind_id] = lambda r: {k: r.randint(0, 3) for k in r.sample(ids, r.randint(0, len(ids)))}
        return leaf(ind_id, 0, {"kind": "bonus", "items": items, "cap": self.rng.choice([1, 2, 3])})

    def satisfaction(self, ind_id: str, w: float) -> Indicator:
        rule = {"kind": "satisfaction", "levels": dict(SATISFACTION)}
        if self.rng.random() < 0.4:
            rule["measure"] = f"m-{ind_id}"
            self.measures[ind_id] = lambda r, name=rule["measure"]: Measured(
                name, "data/ratings.csv", None, 0, 0, _level_counts(r)
            )
            self.declared.append(
                {"name": rule["measure"], "dataset": "ratings", "kind": "level_counts", "column": "level"}
            )
        self.observers[ind_id] = lambda r: dict(_level_counts(r))
        return leaf(ind_id, w, rule)


def _fraction_pair(rng: random.Random) -> dict[str, int]:
    den = rng.randint(1, 2000)
    return {"numerator": rng.randint(0, den), "denominator": den}


def _share(rng: random.Random, name: str) -> Measured:
    den = rng.randint(1, 5000)
    num = rng.randint(0, den)
    return Measured(name, "data/x.csv", num / den, num, den)


def _level_counts(rng: random.Random) -> tuple[tuple[str, int], ...]:
    levels = [name for name, _ in SATISFACTION]
    rng.shuffle(levels)
    counts = [(name, rng.randint(0, 40)) for name in levels[: rng.randint(1, 5)]]
    return tuple(counts) if any(c for _, c in counts) else ((levels[0], 1),)


def _bands(scale: float, rng: random.Random) -> list[GradeBand]:
    cuts = rng.choice([[0.9, 0.8, 0.6], [0.85, 0.7], [0.9, 0.75, 0.6, 0.45]])
    mins = [float(Decimal(repr(scale * c)).quantize(Decimal("0.001"))) for c in cuts]
    names = ["甲", "乙", "丙", "丁", "戊"]
    tops = [None, *mins]
    return [GradeBand(name=names[k], min=m, max=tops[k]) for k, m in enumerate([*mins, 0])]


def random_case(rng: random.Random, index: int, *, extended: bool = False) -> Case:
    """One random system and an evaluation of it (see the module docstring); ``extended`` also draws
    the later constructs (``_extend``), from a stream of its own so the plain cases stay as they were."""
    b = _Builder(rng, index)
    dims = [b.make(1) for _ in range(rng.randint(1, 4))]
    scale = float(sum(total_weight(d) for d in dims))
    combine = rng.choice(["mean", "median", "trimmed_mean"])
    fields: dict[str, Any] = {
        "scale": scale,
        "bonus_cap": b.bonus_cap,
        "grades": _bands(scale, rng),
        "rounding": {
            "indicator": rng.choice([2, 2, 1, 0, 3, 4]),
            "dimension": rng.choice([2, 2, 1, 0, 3]),
            "total": rng.choice([1, 1, 0, 2, 3]),
        },
        "raters": {"combine": combine, "trim": rng.choice([0.1, 0.2, 0.25, 0.34, 0.49])},
        "measures": b.declared,
    }
    if extended:
        dims = _extend(random.Random(rng.random()), dims, fields)
    if b.modes:
        weights = {2: [0.3, 0.7], 3: [0.2, 0.3, 0.5]}[len(b.modes)]
        pairs = zip(b.modes, weights, strict=True)
        fields["modes"] = [{"id": m, "name": f"方式{m}", "weight": w} for m, w in pairs]
    loaded = system(dims, **fields)
    measured = {leaf_id: make(rng) for leaf_id, make in b.measures.items() if rng.random() < 0.85}
    sets = {mode: _entries(b, loaded, rng) for mode in (b.modes or [None])}
    ev = evaluation(modes=sets) if b.modes else evaluation(sets[None])
    return Case(loaded, ev, {m.measure: m for m in measured.values()}, tuple(dims) if extended else ())


def _weightless(ind: Indicator) -> bool:
    if ind.children:
        return all(_weightless(c) for c in ind.children)
    return ind.rule is not None and ind.rule.kind in ("veto", "bonus")


def _rewrite(rng: random.Random, ind: Indicator) -> Indicator:
    """The same tree written with the later weight syntax: equal splits (where the children are leaves,
    whose new shares may be thirds or sevenths), weights as exact fractions or percentages of the
    parent, and inner weights left out (the sum of the children's)."""
    if not ind.children:
        return ind
    children = [_rewrite(rng, c) for c in ind.children]
    update: dict[str, Any] = {"children": children}
    leaves = all(not c.children for c in children)
    weighted = [c for c in children if not _weightless(c)]
    free = all(c.rule is not None and c.rule.kind in ("binary", "ratio", "satisfaction") for c in weighted)
    roll = rng.random()
    if leaves and weighted and free and roll < 0.3:  # levels and deductions are tied to their weight
        update["split"] = "equal"
        update["weight"] = float(total_weight(ind))
        update["children"] = [
            c if _weightless(c) else c.model_copy(update={"weight": None}) for c in children
        ]
    elif roll < 0.6 and leaves and total_weight(ind):
        parent = total_weight(ind)
        update["weight"] = float(parent)
        update["children"] = [
            c if _weightless(c) else c.model_copy(update={"weight": _written(exact(c.weight), parent)})
            for c in children
        ]
    return ind.model_copy(update=update)


def _written(value: Fraction, parent: Fraction) -> str:
    """A child's weight as ``p%`` of the parent when that is a short decimal, else as ``n/d`` points."""
    share = value / parent * 100
    if (share * 1000).denominator == 1:
        return f"{float(share):g}%" if float(share) == share else f"{value.numerator}/{value.denominator}"
    return f"{value.numerator}/{value.denominator}"


def _extend(rng: random.Random, dims: list[Indicator], fields: dict[str, Any]) -> list[Indicator]:
    """The later constructs on a plain case: weight syntax (``_rewrite``), N/A policy, steps rounded,
    bands with inclusive or exclusive bounds (or none), and aggregation stages."""
    dims = [_rewrite(rng, d) for d in dims]
    scale = exact(fields["scale"])
    fields["not_applicable"] = rng.choice(["within_parent", "all_applicable"])
    steps = ["indicator", "dimension", "total"]
    fields["rounding"]["round_at"] = rng.choice([steps, [], ["total"], ["indicator"], ["dimension", "total"]])
    has = {k: any(n.rule is not None and n.rule.kind == k for n in _walk(dims)) for k in ("veto", "bonus")}
    bands = [] if not has["veto"] and rng.random() < 0.25 else list(fields["grades"])
    for k in range(1, len(bands)):  # each shared bound belongs to exactly one side
        upper = rng.random() < 0.5
        bands[k - 1] = bands[k - 1].model_copy(update={"min_inclusive": not upper})
        bands[k] = bands[k].model_copy(update={"max_inclusive": upper})
    fields["grades"] = bands
    stages: list[dict[str, Any]] = [{"stage": "base"}]
    if has["bonus"]:
        bonus: dict[str, Any] = {"stage": "bonus", "cap": rng.choice([1, 2.5, 5])}
        if rng.random() < 0.6:
            limit = float(round(scale * Fraction(rng.choice([50, 60, 70, 80]), 100), 1))
            bonus["when"] = f"{rng.choice(['base', 'total'])} {rng.choice(['>', '>=', '<'])} {limit:g}"
        stages.append(bonus)
    if rng.random() < 0.5:
        share = Fraction(rng.choice([60, 75, 90]), 100)
        stages.append({"stage": "cap", "max": float(round(scale * share, 2))})
    if has["veto"]:
        veto: dict[str, Any] = {"stage": "veto"}
        if bands and rng.random() < 0.5:
            veto["grade"] = rng.choice(bands).name
        if rng.random() < 0.4:
            veto["total"] = float(round(scale * Fraction(rng.choice([0, 30, 59]), 100), 1))
        stages.append(veto)
    if bands:
        stages.append({"stage": "grade"})
    fields["aggregation"] = stages
    return dims


def _walk(inds: list[Indicator]) -> Iterator[Indicator]:
    for ind in inds:
        yield ind
        yield from _walk(ind.children)


def _entries(b: _Builder, loaded: LoadedSystem, rng: random.Random) -> dict[str, Any]:
    """Entries for every leaf of one mode: observations, raters, N/A and missing ones."""
    out: dict[str, Any] = {}
    for node_ in loaded.leaves():
        ind = node_.indicator
        under_na = any(a in b.na_nodes for a in _ancestors(loaded, ind.id))
        roll = rng.random()
        if ind.weight > 0 and (under_na or roll < 0.08):
            out[ind.id] = entry(not_applicable="本地无此业务。")
        elif roll < 0.11:
            continue  # missing: counted as 0
        elif ind.id in b.measures:
            out[ind.id] = entry(b.observers[ind.id](rng))
        elif roll < 0.3:
            raters = rng.sample(RATERS, rng.randint(2, 5))
            out[ind.id] = entry(ratings={r: b.observers[ind.id](rng) for r in raters})
        else:
            out[ind.id] = entry(b.observers[ind.id](rng))
    return out


def _ancestors(loaded: LoadedSystem, ind_id: str) -> list[str]:
    found, parent = [], loaded.index[ind_id].parent
    while parent:
        found.append(parent)
        parent = loaded.index[parent].parent
    return found


def generated_cases(count: int = CASES, seed: int = SEED, *, extended: bool = False) -> list[Case]:
    """``count`` random cases from a fixed seed (``extended``: with the later constructs)."""
    rng = random.Random(seed)
    return [random_case(rng, k, extended=extended) for k in range(count)]


EXTENDED_SEED = 20260101
EXTENDED_CASES = 300
"""Cases drawn with exact-weight syntax, N/A policies, rounded steps, band bounds and stages."""


# --- checks on the generator itself --------------------------------------------------------------


def _half_ties(card: Scorecard, decimals: int) -> int:
    """Leaf products eff × fraction that sit exactly on a half of the last kept decimal."""
    ties = 0
    for i in card.leaves:
        if i.status == "scored" and i.weight > 0:
            settled = Decimal(repr(i.effective_weight * i.fraction)).quantize(Decimal("1e-9"))
            ties += settled.scaleb(decimals + 1) % 10 == 5 and settled.scaleb(decimals + 1) % 1 == 0
    return ties


def test_extended_cases_are_valid_and_exercise_every_construct() -> None:
    cases = generated_cases(EXTENDED_CASES, EXTENDED_SEED, extended=True)
    seen = dict.fromkeys(
        [
            "split",
            "fraction",
            "percent",
            "all_applicable",
            "exact",
            "exclusive",
            "no_grades",
            "condition_held",
            "condition_failed",
            "cap",
            "veto_total",
            "veto_grade",
            "thirds",
        ],
        0,
    )
    for case in cases:
        errors = [d for d in validate_system(case.system) if d.code.startswith("E")]
        assert errors == [], errors
        spec, card = case.system.system, case.score()
        inds = [n.indicator for n in case.system.index.values()]
        seen["split"] += any(i.split for i in inds)
        seen["thirds"] += any(n.weight.denominator % 3 == 0 for n in case.system.index.values())
        seen["all_applicable"] += spec.not_applicable == "all_applicable" and any(
            i.status == "not_applicable" for i in card.indicators
        )
        seen["exact"] += not spec.rounding.round_at
        seen["exclusive"] += any(not g.min_inclusive for g in spec.grades)
        seen["no_grades"] += not spec.grades
        seen["condition_held"] += (
            any("未计入" not in n for n in card.notes)
            and card.bonus > 0
            and any(getattr(st, "when", None) for st in spec.stages())
        )
        seen["condition_failed"] += any("未计入" in n for n in card.notes)
        seen["cap"] += any("超过上限" in n and "得分" in n for n in card.notes)
        fixed = any(getattr(st, "total", None) is not None for st in spec.stages())
        seen["veto_total"] += bool(card.vetoes) and fixed
        seen["veto_grade"] += bool(card.vetoes) and any(getattr(st, "grade", None) for st in spec.stages())
    written = [str(i.weight) for c in cases for i in _written_weights(c)]
    seen["fraction"] = sum("/" in w for w in written)
    seen["percent"] = sum("%" in w for w in written)
    assert min(seen.values()) >= 10, seen


def _written_weights(case: Case) -> list[Indicator]:
    return [i for i in _walk(list(case.written)) if i.weight is not None]


def test_generated_systems_are_valid_and_exercise_every_feature() -> None:
    cases = generated_cases()
    seen = dict.fromkeys(
        [
            "na_leaf",
            "na_inner",
            "missing",
            "raters",
            "bonus_capped",
            "veto",
            "modes",
            "ties",
            "measured",
            "trimmed",
        ],
        0,
    )
    for case in cases:
        errors = [d for d in validate_system(case.system) if d.code.startswith("E")]
        assert errors == [], errors
        card = case.score()
        seen["na_leaf"] += any(i.is_leaf and i.status == "not_applicable" for i in card.indicators)
        seen["na_inner"] += any(not i.is_leaf and i.status == "not_applicable" for i in card.indicators)
        seen["missing"] += any(i.status == "missing" for i in card.indicators)
        seen["raters"] += any(i.raters for i in card.indicators)
        seen["bonus_capped"] += sum(i.bonus for i in card.indicators) > card.bonus > 0
        seen["veto"] += bool(card.vetoes)
        seen["modes"] += bool(card.modes)
        seen["ties"] += _half_ties(card, case.system.system.rounding.indicator) > 0
        seen["measured"] += any(i.measured for i in card.indicators)
        seen["trimmed"] += case.system.system.raters.combine == "trimmed_mean" and any(
            len(i.raters) >= 3 for i in card.indicators
        )
    assert min(seen.values()) >= 20, seen
