"""A body's report template folder and its ``style.yaml``: fonts, sizes, colours, page and wording.

``templates/<body>/`` may hold any of ``style.yaml``, ``report.md.j2``, ``report.html.j2``,
``report.css`` and ``logo.svg``; whatever it lacks is taken from ``templates/default/``. The body's
``style.yaml`` is merged key by key over the default one, so a body states only what it changes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from ruamel.yaml import YAML

DEFAULT = "default"
"""The fallback template folder."""
SECTION_KEYS = (
    "parties",
    "goals",
    "methods",
    "scores",
    "opinions",
    "time",
    "format",
    "result",
    "suggestions",
)
"""The nine items of DB34/T 3556 §8.5.1, in the standard's order."""

Role = Literal["body", "heading", "subheading", "title", "table", "caption"]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Font(_Spec):
    """A font pair: Word needs one name for CJK text and one for Latin text."""

    east_asia: str
    """Font for Chinese text (w:eastAsia), e.g. 仿宋."""
    latin: str
    """Font for Latin letters and digits (w:ascii, w:hAnsi)."""


class Page(_Spec):
    """A4 page margins in millimetres (GB/T 9704: top 37, bottom 35, inside 28, outside 26)."""

    top: float = 37
    """Top margin."""
    bottom: float = 35
    """Bottom margin."""
    left: float = 28
    """Left margin."""
    right: float = 26
    """Right margin."""


class TextStyle(_Spec):
    """How one kind of text looks in the DOCX."""

    font: Role = "body"
    """Which font pair it uses."""
    size: float = 16
    """Size in points (三号 = 16, 四号 = 14, 五号 = 10.5)."""
    bold: bool = False
    """Bold."""
    color: str = "000000"
    """RGB colour in hex."""
    align: Literal["left", "center", "right", "both"] | None = None
    """Paragraph alignment."""
    line: float | None = None
    """Exact line height in points; None keeps single spacing."""
    indent_chars: int = 0
    """First-line indent in characters (2 for body paragraphs)."""
    before: float = 0
    """Space before, in points."""
    after: float = 0
    """Space after, in points."""
    keep_next: bool = False
    """Keep on the same page as the next paragraph (captions above tables)."""
    fill: str | None = None
    """Paragraph shading colour in hex (a coloured band), or none."""


class RunningText(_Spec):
    """The page header or footer of every page but the cover, in the DOCX and the PDF alike.

    Each part may use {page} (page number), {pages} (number of pages), {title} (the report's
    title) and {draft} (the draft marking, empty once the result is confirmed).
    """

    left: str = ""
    """Text at the left."""
    center: str = ""
    """Text in the middle."""
    right: str = ""
    """Text at the right."""
    size: float = 10.5
    """Size in points."""
    color: str = "000000"
    """RGB colour in hex."""
    font: Role = "table"
    """Which font pair it uses."""
    rule: bool = False
    """A line under the header (or above the footer)."""


class Wording(_Spec):
    """Words a body chooses: what the report is called, section titles, fixed statements."""

    report_suffix: str = "报告"
    """Appended to the evaluation title to name the report."""
    draft_mark: str = "征求意见稿"
    """Marking of a report the evaluated party has not yet confirmed (§8.5.3)."""
    sections: dict[str, str] = Field(default_factory=dict)
    """Title of each §8.5.1 section, by key (see SECTION_KEYS)."""
    cover_note: str = ""
    """A line under the parties on the cover."""
    format_statement: str = ""
    """What the body's report format is (§8.5.1 item 7)."""
    packaging: str = ""
    """How the report is issued and bound."""
    closing: str = ""
    """Closing sentence of the report."""


class StyleSpec(_Spec):
    """Everything ``style.yaml`` sets."""

    name: str
    """Template name as readers see it."""
    page: Page = Field(default_factory=Page)
    """Margins."""
    fonts: dict[Role, Font]
    """Font pairs by role."""
    styles: dict[str, TextStyle]
    """DOCX paragraph styles by style id (Normal, Heading1, TableText, CoverTitle, …)."""
    accent: str = "C00000"
    """Accent colour (draft mark, rules)."""
    chart_colors: list[str] = Field(min_length=1)
    """Colours of chart bars, one per dimension."""
    table_header_fill: str = "F2F2F2"
    """Shading of table header rows."""
    wording: Wording = Field(default_factory=Wording)
    """Words."""
    header: RunningText = Field(default_factory=lambda: RunningText(right="{draft}", color="C00000"))
    """Page header."""
    footer: RunningText = Field(default_factory=lambda: RunningText(center="— {page} —", size=14))
    """Page footer."""

    def digest(self) -> str:
        """Hash of the spec, to key cached reference documents."""
        return hashlib.sha256(json.dumps(self.model_dump(), sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class BodyTemplate:
    """A resolved template: its name, the folders searched (body first) and its style spec."""

    name: str
    """Folder name under templates/ that was asked for (or ``default``)."""
    folders: tuple[Path, ...]
    """Folders to look in, body's first, then default."""
    spec: StyleSpec
    """Merged style."""

    @property
    def search_path(self) -> list[str]:
        """Where Jinja looks: the folders, then templates/ (so ``default/report.md.j2`` can be extended)."""
        return [str(f) for f in (*self.folders, self.folders[-1].parent)]

    def find(self, filename: str) -> Path | None:
        """The first folder's copy of a file, or None."""
        return next((f / filename for f in self.folders if (f / filename).is_file()), None)

    def read(self, filename: str) -> str:
        """Text of a template file that must exist (default has every file)."""
        path = self.find(filename)
        if path is None:
            raise FileNotFoundError(
                f"报告模板缺少文件 {filename}（在 {', '.join(map(str, self.folders))} 中均未找到）"
            )
        return path.read_text(encoding="utf-8")


def load_template(templates: Path, name: str | None) -> BodyTemplate:
    """Resolve ``templates/<name>`` over ``templates/default``; unknown or unsafe names use the default."""
    chosen = name if name and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name) else DEFAULT
    folders = tuple(dict.fromkeys(p for p in (templates / chosen, templates / DEFAULT) if p.is_dir()))
    if not folders:
        raise FileNotFoundError(f"找不到报告模板目录：{templates / DEFAULT}")
    data: dict[str, Any] = {}
    for folder in reversed(folders):
        if (folder / "style.yaml").is_file():
            data = _merge(
                data, YAML(typ="safe").load((folder / "style.yaml").read_text(encoding="utf-8")) or {}
            )
    return BodyTemplate(
        chosen if folders[0].name == chosen else DEFAULT, folders, StyleSpec.model_validate(data)
    )


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Key-by-key merge of mappings; lists and scalars in ``over`` replace those in ``base``."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
