"""The what-if calculator: an evaluation page's scorecard recomputed in the reader's browser.

``export_inputs`` writes what scoring reads as JSON beside the page; ``static/whatif.js`` scores
it exactly as ``generator.score.engine`` does (a test runs both and compares every figure), and
``static/whatif-ui.js`` turns it into a form whose totals and grade follow each change.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from .export import FORMAT, export_inputs

STATIC = Path(__file__).parent / "static"
"""The browser files: scorer, user interface and stylesheet."""

SCRIPTS = ("whatif-rules.js", "whatif.js")
"""Scripts in the order a page loads them: rules and rounding, then the scorecard."""

STYLESHEETS = ("whatif.css",)
"""Stylesheets of the calculator."""

INPUTS_NAME = "whatif.json"
"""File name of an evaluation's calculator inputs, written beside its page."""


def write_inputs(path: Path, document: dict[str, Any]) -> None:
    """Write the calculator inputs as compact UTF-8 JSON (floats as Python's shortest repr)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def copy_assets(folder: Path) -> list[Path]:
    """Copy the scripts and stylesheet into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in (*SCRIPTS, *STYLESHEETS):
        shutil.copyfile(STATIC / name, folder / name)
        written.append(folder / name)
    return written


__all__ = ["FORMAT", "INPUTS_NAME", "SCRIPTS", "STATIC", "STYLESHEETS", "copy_assets", "export_inputs",
           "write_inputs"]
