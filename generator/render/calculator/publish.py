"""Putting the calculator on the site: assets once, inputs beside each evaluation page.

The site writer calls ``write_assets`` once and ``write_evaluation_inputs`` per evaluation page;
the latter writes the JSON beside the page and returns the mount point to place in it. The
scripts ship as one file (they are independent immediately-invoked blocks, concatenated in
load order), so the theme configuration names one script and one stylesheet.
"""

from __future__ import annotations

import posixpath
from typing import Protocol

from markupsafe import Markup

from generator.load.repository import LoadedEvaluation, LoadedSystem
from generator.render.calculator import INPUTS_NAME, SCRIPTS, STATIC, export_inputs, inputs_text, mount_html
from generator.score.card import Measured, Scorecard

SCRIPT_TARGET = "assets/whatif.js"
"""Where the bundled script goes, relative to the docs root (named in mkdocs.yml extra_javascript)."""
STYLE_TARGET = "assets/whatif.css"
"""Where the stylesheet goes (named in mkdocs.yml extra_css)."""


class TextWriter(Protocol):
    """What is needed of the site's writer."""

    def text(self, target: str, content: str) -> None:
        """Write ``content`` to ``target``, a path relative to the docs root."""


def bundle() -> str:
    """The calculator's scripts as one file, in load order."""
    parts = [f"/* {name} */\n" + (STATIC / name).read_text(encoding="utf-8") for name in SCRIPTS]
    return "\n".join(parts)


def write_assets(writer: TextWriter) -> None:
    """Write the bundled script and the stylesheet."""
    writer.text(SCRIPT_TARGET, bundle())
    writer.text(STYLE_TARGET, (STATIC / "whatif.css").read_text(encoding="utf-8"))


def measured_of(card: Scorecard) -> dict[str, Measured]:
    """The dataset figures a scorecard was computed with, by measure name."""
    rows = [*card.indicators, *(i for _, inds in card.mode_indicators for i in inds)]
    return {i.measured.measure: i.measured for i in rows if i.measured is not None}


def write_evaluation_inputs(
    writer: TextWriter, loaded: LoadedEvaluation, system: LoadedSystem, card: Scorecard, *, page: str
) -> Markup:
    """Write the evaluation's calculator inputs beside ``page`` (``evaluations/<id>.md``) as
    ``evaluations/<id>/whatif.json`` and return the HTML mount point for the page."""
    document = export_inputs(loaded, system, measured_of(card))
    folder = posixpath.splitext(page)[0]
    target = f"{folder}/{INPUTS_NAME}"
    writer.text(target, inputs_text(document))
    return Markup(mount_html(document, inputs_href=posixpath.relpath(target, posixpath.dirname(page))))
