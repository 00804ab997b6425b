"""W761–W766: what the narrative policy would show as text or leave out, located in the author's file.

Each narrative file (and each public Markdown evidence file, which the site renders the same way)
is cut to its public text, sanitised by ``render.narrative.policy`` exactly as the site and the
reports do, and every finding is mapped back to its line and column in the file as written.
"""

from __future__ import annotations

from generator.diagnostics import Diagnostic, diag
from generator.load.complexity import hotspots
from generator.load.repository import LoadedEvaluation
from generator.model.narrative import public_text
from generator.render.narrative import FolderFiles, sanitise


def check_narrative(loaded: LoadedEvaluation) -> list[Diagnostic]:
    """Warnings for every narrative construct the policy drops or shows as plain text."""
    files = FolderFiles.of(loaded)
    found: list[Diagnostic] = []
    for name, text in loaded.narrative.items():
        if not hotspots(text):  # runaway structure is E112 already, and would make parsing run away
            found.extend(_located(f"{loaded.rel}/{name}.md", text, files))
    for rel in sorted(files.public):
        page = loaded.markdown.get(rel)  # one not read was reported by loading (E102, E104, …)
        if page is not None and not hotspots(page):
            found.extend(_located(f"{loaded.rel}/{rel}", page, None))
    return found


def _located(rel: str, text: str, files: FolderFiles | None) -> list[Diagnostic]:
    public = public_text(text)
    found = []
    for finding in sanitise(public.text, files).findings:
        offset = public.origin(finding.offset)
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        found.append(diag(rel, line, column, finding.code, **dict(finding.args)))
    return found
