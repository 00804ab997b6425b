"""Evaluation reports (DB34/T 3556 §8.5): DOCX and PDF through pandoc, in each evaluation body's format.

The rendering machinery (matplotlib, WeasyPrint) is imported when first used, so that ``zwpj check``
can check report templates (``checks``) without loading it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.render.report.pandoc import ReportError

if TYPE_CHECKING:
    from generator.render.report.render import ReportFiles, render_report

__all__ = ["ReportError", "ReportFiles", "render_report"]


def __getattr__(name: str) -> Any:
    if name in ("ReportFiles", "render_report"):
        from generator.render.report import render

        return getattr(render, name)
    raise AttributeError(name)
