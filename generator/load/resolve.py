"""Resolve an indicator tree as written into the tree scoring reads: inherited defaults, exact weights.

What a system author may leave out is filled in here, once, so that validation, scoring and every
page see the same complete indicators:

- ``defaults`` (on the system, a part file or an indicator) give each indicator below the fields it
  does not set: ``source``, ``method``, ``platform``, ``data_source``, ``evidence``; and each leaf
  its ``rule`` and ``weight``. The nearest ``defaults`` win.
- Weights become exact fractions: ``2.5`` (the decimal written), ``1/86``, ``25%`` of the parent
  (of the scale at the top); under ``split: equal`` the children share their parent's weight
  equally; a veto or bonus leaf weighs 0; an inner indicator without a weight weighs what its
  children add up to.

Problems (an unreadable weight, a weight under ``split: equal``, a percentage whose parent has no
weight yet, an indicator left without a ``source``) become located diagnostics.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from generator.diagnostics import Diagnostic
from generator.load.yamlsource import PathKey, Source
from generator.model.numbers import WeightError, exact, parse_weight
from generator.model.system import BonusRule, Defaults, Indicator, IndicatorSystem, VetoRule

INHERITED = ("source", "method", "platform", "data_source", "evidence")
"""Fields every indicator inherits from ``defaults``; ``rule`` and ``weight`` go to leaves only."""


@dataclass(frozen=True)
class Written:
    """A top-level indicator as its part file holds it."""

    indicator: Indicator
    """The indicator and its subtree, as written."""
    source: Source
    """The part file."""
    path: PathKey
    """Its path in that file."""
    defaults: Defaults | None = None
    """The part file's ``defaults``."""


@dataclass(frozen=True)
class Placed:
    """A resolved indicator with its place in the tree and in the files."""

    indicator: Indicator
    """The indicator with inherited fields filled in and ``weight`` as a float."""
    weight: Fraction
    """Its exact weight."""
    parent: str | None
    """Parent id."""
    depth: int
    """1 for a dimension."""
    dimension: str
    """Top-level indicator id above it."""
    source: Source
    """File it is defined in."""
    path: PathKey
    """Its path in that file."""


def merge(outer: Defaults | None, inner: Defaults | None) -> Defaults | None:
    """``inner`` over ``outer``: each field inner sets replaces outer's."""
    if outer is None or inner is None:
        return inner or outer
    return outer.model_copy(
        update={f: v for f in Defaults.model_fields if (v := getattr(inner, f)) is not None}
    )


def _weightless(ind: Indicator, defaults: Defaults | None) -> bool:
    """A veto or bonus leaf (by its own or inherited rule), or a group of only such leaves."""
    if ind.children:
        below = merge(defaults, ind.defaults)
        return all(_weightless(c, below) for c in ind.children)
    rule = ind.rule or (defaults.rule if defaults else None)
    return isinstance(rule, (VetoRule, BonusRule))


class Resolver:
    """Resolves the dimensions of one system; collects the placed indicators and the problems."""

    def __init__(self, system: IndicatorSystem) -> None:
        self.system = system
        self.placed: list[Placed] = []
        self.problems: list[Diagnostic] = []
        self.unknown: set[str] = set()
        """Ids whose weight could not be worked out (reported once, as E310), and those whose weight
        depends on one of them: sums and rule checks over them would only repeat that error."""

    def run(self, written: Iterable[Written]) -> list[Indicator]:
        """The resolved dimensions, in order; ``placed`` holds every indicator depth-first."""
        written = list(written)
        scale = exact(self.system.scale)
        contexts = [merge(self.system.defaults, w.defaults) for w in written]
        shares = self._split_shares(
            [(w.indicator, d) for w, d in zip(written, contexts, strict=True)],
            self.system.split == "equal",
            scale,
            [(w.source, w.path) for w in written],
        )
        dims = []
        for w, context, share in zip(written, contexts, shares, strict=True):
            dims.append(
                self._node(
                    w.indicator, context, share, scale, None, 1, w.indicator.id, w.source, w.path, True
                )
            )
        return dims

    def _split_shares(
        self,
        nodes: list[tuple[Indicator, Defaults | None]],
        equal: bool,
        total: Fraction | None,
        where: list[tuple[Source, PathKey]],
    ) -> list[Fraction | None]:
        """The weight each node gets from its parent's ``split`` (None: the node's own)."""
        if not equal:
            return [None] * len(nodes)
        counted = [not _weightless(ind, d) for ind, d in nodes]
        for (ind, _), (source, path), share in zip(nodes, where, counted, strict=True):
            if ind.weight is not None and (share or ind.weight not in (0, "0")):  # a veto or bonus may say 0
                self.unknown.add(ind.id)
                self.problems.append(
                    source.diag(
                        (*path, "weight"), "E310", id=ind.id, detail="parent_splits_equally_split_equal"
                    )
                )
        n = sum(counted)
        if total is None or n == 0:
            return [None] * len(nodes)
        return [total / n if c else Fraction(0) for c in counted]

    def _own(
        self, ind: Indicator, context: Defaults | None, parent: Fraction | None, source: Source, path: PathKey
    ) -> Fraction | None:
        """The weight the indicator states (or inherits); None for an inner one that states none."""
        if ind.weight is not None:
            written: float | str = ind.weight
            at = (*path, "weight")
        elif ind.children:
            return None
        elif _weightless(ind, context):
            return Fraction(0)
        elif context is not None and context.weight is not None:
            written, at = context.weight, (*path,)
        else:
            return Fraction(0)
        if isinstance(written, str) and written.strip().endswith("%") and parent is None:
            self.unknown.add(ind.id)
            self.problems.append(
                source.diag(
                    at, "E310", id=ind.id, detail="percentage_needs_parent_weight_which", written=written
                )
            )
            return Fraction(0)
        try:
            return parse_weight(written, parent if parent is not None else Fraction(0))[0]
        except WeightError as exc:
            self.unknown.add(ind.id)
            self.problems.append(source.diag(at, "E310", id=ind.id, detail_zh=exc.zh, detail_en=exc.en))
            return Fraction(0)

    def _node(
        self,
        ind: Indicator,
        context: Defaults | None,
        share: Fraction | None,
        parent_weight: Fraction | None,
        parent: str | None,
        depth: int,
        dimension: str,
        source: Source,
        path: PathKey,
        parent_known: bool,
    ) -> Indicator:
        weight = share if share is not None else self._own(ind, context, parent_weight, source, path)
        relative = share is not None or (isinstance(ind.weight, str) and ind.weight.strip().endswith("%"))
        if relative and not parent_known:
            self.unknown.add(ind.id)
        position = len(self.placed)
        self.placed.append(None)  # type: ignore[arg-type]  # placeholder keeps depth-first order
        below = merge(context, ind.defaults)
        kids = [(c, below) for c in ind.children]
        shares = self._split_shares(
            kids,
            ind.split == "equal",
            weight,
            [(source, (*path, "children", k)) for k in range(len(kids))],
        )
        known = ind.id not in self.unknown
        children = [
            self._node(
                c, below, s, weight, ind.id, depth + 1, dimension, source, (*path, "children", k), known
            )
            for k, (c, s) in enumerate(zip(ind.children, shares, strict=True))
        ]
        if weight is None:
            weight = sum((p.weight for p in self.placed[position + 1 :] if p.parent == ind.id), Fraction(0))
            if any(c.id in self.unknown for c in ind.children):
                self.unknown.add(ind.id)
        update = {
            f: getattr(context, f) for f in INHERITED if getattr(ind, f) is None and context is not None
        }
        if not ind.children and ind.rule is None and context is not None and context.rule is not None:
            update["rule"] = context.rule
        resolved = ind.model_copy(update={**update, "weight": float(weight), "children": children})
        if resolved.source is None:
            self.problems.append(source.diag(path, "E203", field="source"))
        self.placed[position] = Placed(resolved, weight, parent, depth, dimension, source, path)
        return resolved
