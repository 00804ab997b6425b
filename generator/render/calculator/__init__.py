"""The what-if calculator: an evaluation page's scorecard recomputed in the reader's browser.

``export_inputs`` writes what scoring reads as JSON beside the page; ``static/whatif.js`` scores
it exactly as ``generator.score.engine`` does (a test runs both and compares every figure), and
``static/whatif-ui.js`` turns it into a form whose totals and grade follow each change.
``publish`` puts both on the site: the scripts once, the inputs beside each evaluation page.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Any

from generator.render.calculator.export import FORMAT, export_inputs, inputs_text

STATIC = Path(__file__).parent / "static"
"""The browser files: scorer, user interface and stylesheet."""

SCRIPTS = ("whatif-rules.js", "whatif.js", "whatif-steps.js", "whatif-controls.js", "whatif-ui.js")
"""Scripts in the order a page loads them: rules and rounding, the scorecard, the one-step-up
ranking, the form controls, the panel (which starts itself on every ``.zwpj-whatif`` element)."""

STYLESHEETS = ("whatif.css",)
"""Stylesheets of the calculator."""

INPUTS_NAME = "whatif.json"
"""File name of an evaluation's calculator inputs, written beside its page."""


def write_inputs(path: Path, document: dict[str, Any]) -> None:
    """Write the calculator inputs as compact UTF-8 JSON (floats as Python's shortest repr)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(inputs_text(document), encoding="utf-8")


def mount_html(document: dict[str, Any], *, inputs_href: str = INPUTS_NAME, heading_level: int = 3) -> str:
    """The calculator's place on a page: a ``div`` carrying the inputs inline (so the page also works
    opened from a folder, where browsers refuse to fetch files) and the URL of the same JSON.

    Sub-headings inside it are ``h<heading_level>``; without JavaScript a sentence says what is missing.
    """
    data = inputs_text(document).strip()
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    href = html.escape(inputs_href, quote=True)
    return (
        f'<div class="zwpj-whatif" data-inputs="{href}" data-heading-level="{int(heading_level)}">'
        f'<script type="application/json">{data}</script>'
        '<p class="zwpj-whatif__fallback">得分模拟计算器需要浏览器启用 JavaScript。</p></div>'
    )


def copy_assets(folder: Path) -> list[Path]:
    """Copy the scripts and stylesheet into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in (*SCRIPTS, *STYLESHEETS):
        shutil.copyfile(STATIC / name, folder / name)
        written.append(folder / name)
    return written


__all__ = [
    "FORMAT",
    "INPUTS_NAME",
    "SCRIPTS",
    "STATIC",
    "STYLESHEETS",
    "copy_assets",
    "export_inputs",
    "inputs_text",
    "mount_html",
    "write_inputs",
]
