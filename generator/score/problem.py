"""The exception a rule raises for an observation that does not fit it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Problem(Exception):
    """An observation that does not fit its rule."""

    zh: str
    """Chinese detail."""
    en: str
    """English detail."""
    hint: str
    """How to fix it."""
