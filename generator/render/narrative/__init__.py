"""Narrative Markdown: parsed, checked against one policy, and rendered for the site and the reports."""

from .html import to_html
from .pandoc import to_pandoc
from .policy import FolderFiles, Narrative, sanitise

__all__ = ["FolderFiles", "Narrative", "sanitise", "to_html", "to_pandoc"]
