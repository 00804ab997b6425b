"""Working days for response windows (§8.5.3): Monday–Friday, corrected by an optional calendar.

China moves working days around public holidays (调休): some weekdays are holidays and some
weekends are working days. A repository may list both in ``calendar.yaml`` at its root; without
it, every Monday–Friday counts as a working day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydantic import Field

from generator.model.base import Model

CALENDAR_FILE = "calendar.yaml"
"""Optional file at the repository root with holidays and make-up working days."""


class CalendarFile(Model):
    """``calendar.yaml``: days that break the Monday–Friday rule."""

    holidays: list[dt.date] = Field(default_factory=list)
    """Weekdays that are public holidays (法定节假日)."""
    workdays: list[dt.date] = Field(default_factory=list)
    """Weekend days that are working days (调休上班)."""


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days."""

    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    """Days off although Monday–Friday."""
    workdays: frozenset[dt.date] = field(default_factory=frozenset)
    """Days on although Saturday or Sunday."""

    def is_workday(self, day: dt.date) -> bool:
        """True for a working day."""
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
        day, left = start, days
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; 0 when ``end`` is not later."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_workday(day)
        return count
