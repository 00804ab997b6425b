"""Reproducible sampling (§8.2 评价样本及电子材料的抽取): the same frame and seed give the same sample.

Why the draw is the same on every machine and Python version:

- The rows are put in a stable order first: sorted by their key as Python strings (code-point
  order, no locale), strata by name. So neither the row order in the file nor the platform
  changes what the generator sees.
- ``random.Random(seed)`` with a non-negative int seed is seeded the same way on every platform,
  and Python guarantees that ``random()`` keeps producing the same sequence for the same seed
  across versions ("Notes on reproducibility" in the ``random`` docs). That guarantee covers
  ``random()`` only, not ``sample()`` or ``shuffle()``, so the draw is a partial Fisher–Yates
  shuffle written here on top of ``random()``: index ``i + int(random() * (n - i))``. IEEE-754
  multiplication and truncation give the same index everywhere.
- The algorithm is named in the record (``fisher-yates-random-v1``); a future change would get
  a new name, so old records keep re-drawing.

The frame file's SHA-256 is recorded too (``load.frames`` reads frames and hashes them).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from generator.load.frames import Frame, SampleError

ALGORITHM = "fisher-yates-random-v1"
"""Name of the drawing algorithm below."""


@dataclass(frozen=True)
class Draw:
    """The rows drawn."""

    drawn: tuple[str, ...]
    """Keys of the drawn rows, in frame order (sorted)."""
    strata: dict[str, int] = field(default_factory=dict)
    """Rows drawn per stratum (stratified draws)."""


def _choose(rng: random.Random, keys: list[str], n: int) -> list[str]:
    """n keys by partial Fisher–Yates using only ``rng.random()`` (see the module docstring)."""
    pool = list(keys)
    for i in range(n):
        j = i + int(rng.random() * (len(pool) - i))
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:n]


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Proportional allocation by largest remainder; ties go to the stratum whose name sorts first."""
    total = sum(sizes.values())
    quotas = {name: Fraction(n * size, total) for name, size in sizes.items()}
    out = {name: int(q) for name, q in quotas.items()}
    left = n - sum(out.values())
    by_remainder = sorted(sizes, key=lambda name: (-(quotas[name] - out[name]), name))
    for name in by_remainder[:left]:
        out[name] += 1
    return dict(sorted(out.items()))


def draw(frame: Frame, *, key: str, method: str, size: int, seed: int, by: str | None = None) -> Draw:
    """Draw ``size`` rows from the frame; SampleError for an impossible request."""
    keys = frame.column(key)
    dupes = sorted(k for k, count in Counter(keys).items() if count > 1)
    if dupes or "" in keys:
        shown = "、".join(dupes[:5]) or "（空值）"
        raise SampleError("sample_key_not_unique", key=key, shown=shown)
    if size > len(keys):
        raise SampleError("sample_size_over_rows", size=size, rows=len(keys))
    rng = random.Random(seed)
    if method == "simple":
        return Draw(tuple(sorted(_choose(rng, sorted(keys), size))))
    if method != "stratified" or not by:
        raise SampleError("sample_stratified_without_by")
    groups: dict[str, list[str]] = {}
    for k, stratum in zip(keys, frame.column(by), strict=True):
        groups.setdefault(stratum, []).append(k)
    shares = allocate({name: len(members) for name, members in groups.items()}, size)
    drawn: list[str] = []
    for name in sorted(groups):
        drawn += _choose(rng, sorted(groups[name]), shares[name])
    return Draw(tuple(sorted(drawn)), shares)
