"""Narrative Markdown: parsed, checked against one policy, and rendered for the site and the reports."""

from generator.render.narrative.html import to_html
from generator.render.narrative.pandoc import to_pandoc
from generator.render.narrative.policy import FolderFiles, Narrative, sanitise

__all__ = ["FolderFiles", "Narrative", "sanitise", "to_html", "to_pandoc"]
