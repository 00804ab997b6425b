"""Which edition an output is: the public one, or the internal one for the evaluation team and the
commissioning body.

The same pipeline and page code make both; the edition decides what they are made from. The public
edition is made from ``render.public.public_view`` (no contact details, internal evidence, records,
sample draws or narrative passages), the internal one from the evaluation as loaded, its internal
passages labelled. Every page of the internal edition says it is internal (``INTERNAL_NOTICE``),
asks not to be indexed (``ROBOTS``) and has no feed, badge or sitemap that would point at it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum

from generator.load.repository import LoadedEvaluation
from generator.load.yamlsource import PathKey
from generator.model.narrative import internal_text, strip_internal
from generator.render.public import Policy, public_files, public_view, redaction_paths

INTERNAL_MARK = "内部资料　不得公开"
"""The mark of every internal page (as the reports' default ``wording.internal_mark``)."""
INTERNAL_NOTICE = "".join(
    (
        "本站为内部版：含联系方式、内部证据、内部记录和内部叙述，",
        "仅供评价机构和委托方内部使用，不得发布、转发或上传到公开网站。",
    )
)
"""What the banner of every internal page says after the mark."""
TITLE_PREFIX = "【内部】"
"""What the title of every internal page begins with."""
ROBOTS = "noindex,nofollow"
"""The robots meta of every internal page."""


class Edition(StrEnum):
    """The public edition (``site/``, public reports) or the internal one (``zwpj internal``)."""

    PUBLIC = "public"
    INTERNAL = "internal"

    @classmethod
    def of(cls, public: bool) -> Edition:
        """The public edition, or the internal one."""
        return cls.PUBLIC if public else cls.INTERNAL

    @property
    def public(self) -> bool:
        """True for the public edition."""
        return self is Edition.PUBLIC

    def view(self, loaded: LoadedEvaluation) -> LoadedEvaluation:
        """What this edition's pages of an evaluation are made from: the public view, or the
        evaluation as loaded with its internal narrative passages labelled."""
        if self.public:
            return public_view(loaded)
        return replace(loaded, narrative={name: internal_text(t) for name, t in loaded.narrative.items()})

    def redactions(self, loaded: LoadedEvaluation) -> dict[str, list[PathKey]]:
        """Per YAML file of the evaluation, the paths whose values this edition's source pages hide."""
        return redaction_paths(loaded) if self.public else {}

    def files(self, loaded: LoadedEvaluation) -> list[str]:
        """The files of the evaluation's folder this edition may show (relative, sorted): the public
        ones, or every regular file in the internal edition."""
        if self.public:
            return public_files(loaded)
        return sorted(name for name, file in loaded.files.items() if file.real is not None)

    def hides(self, loaded: LoadedEvaluation) -> Callable[[str | None], bool]:
        """Whether this edition keeps a file of the evaluation (by its name in the folder) out of what it
        shows: the internal files in the public edition, none in the internal one."""
        if self.public:
            return Policy(loaded).hidden
        return _shows_all

    def narrative(self, text: str) -> str:
        """A narrative text as this edition shows it: without internal passages, or with them labelled."""
        return strip_internal(text) if self.public else internal_text(text)

    def titled(self, title: str) -> str:
        """A page's title in this edition (``TITLE_PREFIX`` first in the internal one)."""
        return title if self.public else TITLE_PREFIX + title

    @property
    def head(self) -> str:
        """What a plain HTML page's ``<head>`` carries in this edition: the robots meta when internal."""
        return "" if self.public else f'<meta name="robots" content="{ROBOTS}">'

    @property
    def banner(self) -> str:
        """The banner at the top of every page of this edition: none in the public one."""
        return "" if self.public else BANNER


BANNER = (
    '<div class="zwpj-internal" role="note" style="margin:0;padding:.6em 1.2em;background:#b42318;'
    "color:#fff;font:600 15px/1.6 system-ui,'Noto Sans CJK SC',sans-serif\">"
    f"<strong>{html.escape(INTERNAL_MARK)}</strong>　{html.escape(INTERNAL_NOTICE)}"
    '<span aria-hidden="true" style="position:fixed;right:.8rem;bottom:.8rem;z-index:10;padding:.2em .8em;'
    'border-radius:.3em;background:#b42318;color:#fff;pointer-events:none">内部</span></div>'
)
"""The banner of every internal HTML page (the theme's pages and the plain pages alike): the mark and
what it means at the top, and 内部 in a corner that stays in view while the page scrolls."""


def _shows_all(name: str | None) -> bool:
    """The internal edition hides no file."""
    return False
