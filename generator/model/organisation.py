"""Organisations and evaluation bodies: repository-level records shared by every evaluation.

``organisations.yaml`` lists every organisation an evaluation names (parties, affiliations, who
received or confirmed a report) as a tree: a unit names its ``parent``. Whether someone belongs to
the evaluated or the commissioning party (独立性, §4.1) is decided by that tree, never by comparing
names. ``bodies/<folder>/body.yaml`` holds an evaluation body's own records (§5.1, §5.2), kept once
and used by each of its evaluations.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from generator.model.base import Model

OrganisationKind = Literal["党政机关", "事业单位", "企业", "高校", "科研机构", "社会组织", "其他"]


class Organisation(Model):
    """One organisation or unit."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """Stable id, used as ``parent`` by its units and as ``organisation`` by a body's records."""
    name: str = Field(min_length=1)
    """Full name, as evaluations write it."""
    parent: str | None = None
    """Id of the organisation it belongs to (a department's government, a division's department)."""
    kind: OrganisationKind | None = None
    """Kind of organisation."""
    aliases: list[str] = Field(default_factory=list)
    """Other names it is written under (short names, former names)."""


class OrganisationRegistry(Model):
    """``organisations.yaml``: every organisation evaluations name."""

    organisations: list[Organisation] = Field(min_length=1)
    """The organisations, in any order; a unit's ``parent`` must be listed too."""


class BodyDocument(Model):
    """A document of the body: its title, and the file holding it or a summary of it."""

    title: str = Field(min_length=1)
    """Title, e.g. 评价质量管理办法."""
    file: str | None = None
    """The document, relative to the body's folder."""
    summary: str | None = None
    """What it says, in a few sentences."""
    date: dt.date | None = None
    """Date adopted or last revised."""


class Post(Model):
    """An evaluation post and its duties (§5.1.2)."""

    name: str = Field(min_length=1)
    """Post, e.g. 评价组长, 评价员, 质量复核员."""
    duties: str = Field(min_length=1)
    """What the post is responsible for."""


class Credential(Model):
    """A qualification obtained or a training received, with its date."""

    name: str = Field(min_length=1)
    """What it is, e.g. DB34/T 3556-2019 标准宣贯培训."""
    date: dt.date
    """When it was obtained or received; an evaluation shows only what it had by its period's end."""


class StaffRecord(Model):
    """An evaluator employed by the body, with qualifications and training (§5.2)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """Person id; an evaluation's team member with the same id is this person."""
    name: str = Field(min_length=1)
    """Full name."""
    qualifications: list[Credential | str] = Field(default_factory=list)
    """Qualifications and certificates: a name, or a name with the date obtained."""
    training: list[Credential | str] = Field(default_factory=list)
    """Training received: a name, or a name with its date."""


class BodyRecords(Model):
    """``bodies/<folder>/body.yaml``: an evaluation body's records (§5.1, §5.2), used by its evaluations."""

    organisation: str
    """Id of the body in organisations.yaml."""
    posts: list[Post] = Field(default_factory=list)
    """Evaluation posts and their duties (§5.1.2)."""
    mechanism: BodyDocument | None = None
    """Service-evaluation work mechanism (工作机制, §5.1.2)."""
    work_plan: BodyDocument | None = None
    """Work plan (工作计划, §5.1.2)."""
    rules: list[BodyDocument] = Field(default_factory=list)
    """Management rules (管理制度, §5.1.2)."""
    scope: str | None = None
    """Objects and scope the body evaluates (评价对象和范围, §5.1.2)."""
    reward_penalty: BodyDocument | None = None
    """Internal reward and penalty mechanism (内部奖惩机制, §5.1.2)."""
    staff: list[StaffRecord] = Field(default_factory=list)
    """Evaluators with their qualifications and training (§5.2)."""
