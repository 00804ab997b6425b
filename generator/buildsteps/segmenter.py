"""Chinese word segmentation for the search index: loaded once before forking, cuts remembered.

Material's search plugin cuts every run of Chinese text with jieba. Loading jieba's dictionary
takes most of a second, so it is loaded in the parent before workers fork; and the same
indicator names and phrases recur on every evaluation page, so each run's cut is remembered.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any


class RememberingJieba:
    """jieba for Material's search plugin, remembering each run of Chinese text it has cut.

    The same indicator names and phrases recur on every evaluation page (in a 500-evaluation site,
    8 thousand distinct runs among 450 thousand); cutting is a pure function of the text, so the
    index is unchanged while most of the cutting is skipped. The cuts are kept in the build cache,
    so a rebuild of a few pages usually needs no dictionary at all (jieba loads it on first use).
    """

    def __init__(self, jieba: Any, known: dict[Any, tuple[str, ...]]) -> None:
        self._jieba = jieba
        self.cuts = dict(known)
        """Every cut known, by the text cut."""
        self.new: dict[Any, tuple[str, ...]] = {}
        """Cuts made in this process (a worker hands them to the parent)."""

    def cut(self, text: Any, *args: Any, **kwargs: Any) -> tuple[str, ...]:
        if args or kwargs:
            return tuple(self._jieba.cut(text, *args, **kwargs))
        found = self.cuts.get(text)
        if found is None:
            found = self.cuts[text] = self.new[text] = tuple(self._jieba.cut(text))
        return found

    def take_new(self) -> dict[Any, tuple[str, ...]]:
        """Cuts made since the last call."""
        new, self.new = self.new, {}
        return new

    def learn(self, cuts: dict[Any, tuple[str, ...]]) -> None:
        """Cuts a worker made."""
        self.cuts.update(cuts)
        self.new.update(cuts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._jieba, name)


@contextlib.contextmanager
def remembered_segmentation(
    known: dict[Any, tuple[str, ...]] | None = None,
) -> Iterator[RememberingJieba | None]:
    """Material's search plugin cuts Chinese through a ``RememberingJieba`` (yielded) for the block."""
    try:
        from material.plugins.search import plugin
    except ImportError:
        yield None
        return
    original = plugin.jieba
    if original is None:
        yield None
        return
    original.setLogLevel(logging.WARNING)  # it loads its dictionary on first use, without notices
    plugin.jieba = remembering = RememberingJieba(original, known or {})
    try:
        yield remembering
    finally:
        plugin.jieba = original


def init_segmenter() -> None:
    """Load jieba's dictionary before workers fork, so each does not load it again."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
