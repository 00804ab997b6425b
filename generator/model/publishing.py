"""``publishing.yaml``: how the site presents results across evaluations (optional file)."""

from __future__ import annotations

from pydantic import Field, field_validator

from generator.diagnostics import Worded
from generator.model.base import Flag, Model
from generator.model.evaluation import Level


class RankingGroup(Model):
    """A group of comparable evaluated parties, ranked among themselves."""

    name: str = Field(min_length=1)
    """Name shown on the ranking, e.g. 市级平台."""
    levels: list[Level] = Field(default_factory=list)
    """Administrative levels (``evaluated.level``) it takes; empty: any level."""
    kinds: list[str] = Field(default_factory=list)
    """Kinds of object (``evaluated.kind``, e.g. 平台, 部门) it takes; empty: any kind."""


class RankingSettings(Model):
    """Who is ranked and against whom."""

    unconfirmed: Flag = False
    """Rank results the evaluated party has not confirmed (§8.5.3). When false they are listed
    below the ranking with their status, without a place."""
    groups: list[RankingGroup] = Field(default_factory=list)
    """Comparable groups, in order: an evaluation is ranked in the first group it fits. Empty: one
    ranking per indicator system and year. Names are unique (two groups of one name would be
    ranked as one)."""

    @field_validator("groups")
    @classmethod
    def _names_unique(cls, groups: list[RankingGroup]) -> list[RankingGroup]:
        names = [g.name for g in groups]
        twice = next((n for n in names if names.count(n) > 1), None)
        if twice is not None:
            raise ValueError(
                Worded("publishing_group_repeated", name=twice, count=names.count(twice)).joined()
            )
        return groups


class Publishing(Model):
    """Site-wide publishing settings."""

    rankings: RankingSettings = Field(default_factory=RankingSettings)
    """Rankings."""
