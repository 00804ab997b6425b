"""The exception a rule raises for an observation that does not fit it."""

from __future__ import annotations

from generator.diagnostics import Worded


class Problem(Worded):
    """An observation that does not fit its rule: a variant of ``messages.DETAILS`` (``rule_…``,
    ``spelling_…``) with its fields; ``zh``, ``en`` and ``hint`` say it."""
