"""A body's report template folder and its ``style.yaml``: fonts, sizes, colours, page and wording.

``templates/<body>/`` may hold any of ``style.yaml``, ``report.md.j2``, ``report.html.j2``,
``report.css`` and ``logo.svg``; whatever it lacks is taken from ``templates/default/``. The body's
``style.yaml`` is merged key by key over the default one, so a body states only what it changes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from generator.diagnostics import Worded
from generator.load.templates import DEFAULT, NAME, TemplateFiles

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
PARTS = ("cover", "statement", "summary", "toc", *SECTION_KEYS, "signature", "appendix", "report_info")
"""Every part a report may have, in the default order: a block of the same name in
``default/report.md.j2`` renders each; a body's ``structure`` may reorder them or leave out those
that are not §8.5.1 items."""
PLACEHOLDERS = ("评价机构", "被评价方", "委托方", "指标体系", "报告日期", "确认期限")
"""Fields a statement or the signature block may name in braces, e.g. {评价机构}."""
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
EN = " | "
"""Separates the Chinese and the English of a style error (``checks`` shows each in its place)."""
LEFT_OUT = "leaves out §8.5.1 item"
"""How a structure's missing item is said in English (``checks`` reports it as E904 instead)."""

Role = Literal["body", "heading", "subheading", "title", "table", "caption"]


COVER_FITS = {"Long": (0.82, 0.45), "Longer": (0.68, 0.2)}
"""Smaller versions of every cover style, for covers with long titles or names: (size, spacing) factors."""


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


def _known_placeholders(text: str) -> str:
    unknown = [name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS]
    if unknown:
        known = "、".join(f"{{{n}}}" for n in PLACEHOLDERS)
        raise ValueError(Worded("style_placeholder_unknown", name=unknown[0], known=known).joined())
    return text


Text = Annotated[str, AfterValidator(_known_placeholders)]
"""Wording that may name placeholders (PLACEHOLDERS), filled in from the evaluation."""


class Signature(_Spec):
    """The signature and seal block: who signs, and the seal, with the report date."""

    title: str = ""
    """Heading over the block; empty for none."""
    note: Text = ""
    """A sentence above the signature lines."""
    signers: list[str] = Field(default_factory=lambda: ["项目负责人", "审核人", "批准人"])
    """Roles that sign, each on its own line with a date."""
    seal: Text = "评价机构（盖章）：{评价机构}"
    """The seal line."""
    date: Text = "{报告日期}"
    """The date under the seal."""


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
    summary_title: str = "摘　要"
    """Title of the one-page summary before the body."""
    statement_title: str = "声　明"
    """Title of the statement page."""
    statement: list[Text] = Field(default_factory=list)
    """The statement's numbered paragraphs."""
    signature: Signature = Field(default_factory=Signature)
    """The signature and seal block."""
    internal_mark: str = "内部资料　不得公开"
    """Marking of every page of an internal report (with contact details and internal material)."""


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
    structure: list[str] = Field(default_factory=lambda: list(PARTS))
    """The parts of the report in order (PARTS): every §8.5.1 item exactly once, others at most once."""

    @field_validator("structure")
    @classmethod
    def _every_item_once(cls, parts: list[str]) -> list[str]:
        unknown = [p for p in parts if p not in PARTS]
        if unknown:
            known = "、".join(PARTS)
            raise ValueError(Worded("style_part_unknown", part=unknown[0], known=known).joined())
        repeated = [p for p in dict.fromkeys(parts) if parts.count(p) > 1]
        if repeated:
            times = parts.count(repeated[0])
            raise ValueError(Worded("style_part_repeated", part=repeated[0], times=times).joined())
        missing = [key for key in SECTION_KEYS if key not in parts]
        if missing:
            raise ValueError(Worded("style_item_left_out", item=missing[0]).joined())
        return parts

    def docx_styles(self) -> dict[str, TextStyle]:
        """The styles for the DOCX, with each cover style's smaller fits (COVER_FITS) added."""
        styles = dict(self.styles)
        for style_id, style in self.styles.items():
            if style_id.startswith("Cover"):
                for fit, (size, space) in COVER_FITS.items():
                    styles.setdefault(f"{style_id}{fit}", _scaled(style, size, space))
        return styles

    def digest(self) -> str:
        """Hash of the spec, to key cached reference documents."""
        return hashlib.sha256(json.dumps(self.model_dump(), sort_keys=True).encode()).hexdigest()[:16]


def _scaled(style: TextStyle, size: float, space: float) -> TextStyle:
    """A cover style made smaller: type by ``size``, space before and after by ``space``."""
    return style.model_copy(
        update={
            "size": round(style.size * size, 1),
            "line": round(style.line * size, 1) if style.line else None,
            "before": round(style.before * space, 1),
            "after": round(style.after * space, 1),
        }
    )


class TemplateNotFound(ValueError):
    """``body.template`` names no template folder (``zwpj check`` reports it as E901)."""


@dataclass(frozen=True)
class BodyTemplate:
    """A resolved template: its name, the folders searched (body first), its style spec and the
    template files it is read from (loaded)."""

    name: str
    """Folder name under templates/ that was asked for (or ``default``)."""
    folders: tuple[Path, ...]
    """Folders to look in: the body's, then the repository's default, then the generator's."""
    spec: StyleSpec
    """Merged style."""
    files: TemplateFiles
    """The template roots' files, as the load stage read them."""

    @property
    def search_path(self) -> list[str]:
        """Where Jinja looks: the folders, then the templates/ folders holding them (so that
        ``{% extends "default/report.md.j2" %}`` finds the first default)."""
        parents = [f.parent for f in self.folders if f.name == DEFAULT]
        return [str(f) for f in dict.fromkeys((*self.folders, *parents))]

    def find(self, filename: str) -> Path | None:
        """The first folder's copy of a file (``template_file``), or None."""
        found = (template_file(self.files, f, filename) for f in self.folders)
        return next((p for p in found if p is not None), None)

    def read(self, filename: str) -> str:
        """Text of a template file that must exist (default has every file)."""
        path = self.find(filename)
        if path is None:
            raise FileNotFoundError(
                f"报告模板缺少文件 {filename}（在 {', '.join(map(str, self.folders))} 中均未找到）"
            )
        return self.files.read(path).decode("utf-8")


def template_file(files: TemplateFiles, folder: Path, filename: str) -> Path | None:
    """``folder/filename`` when it is a regular file inside the templates/ folder holding ``folder``:
    a link out of it (or a template folder that is such a link), a pipe or a device is never read."""
    path = folder / filename
    return path if files.regular(path) else None


def template_names(files: TemplateFiles) -> list[str]:
    """Every template folder name found under the roots (a link leading out of its root is none)."""
    return [name for name in files.names() if NAME.fullmatch(name)]


def template_folders(files: TemplateFiles, name: str | None) -> tuple[Path, ...]:
    """The folders of template ``name`` (``default`` when None): its own, then every default.

    Raises ``TemplateNotFound`` when the name is not a folder name or no root holds it: a misspelt
    ``body.template`` never falls back to the default in silence.
    """
    chosen = DEFAULT if name is None else name
    if not NAME.fullmatch(chosen) or chosen not in template_names(files):
        raise TemplateNotFound(chosen)
    roots = files.roots
    own = next(root / chosen for root in roots if files.is_folder(root / chosen))
    defaults = [root / DEFAULT for root in roots if files.is_folder(root / DEFAULT)]
    if not defaults:
        raise FileNotFoundError(f"找不到报告模板目录 default（在 {', '.join(map(str, roots))} 中）")
    return tuple(dict.fromkeys((own, *defaults)))


def style_data(files: TemplateFiles, folder: Path) -> dict[str, Any]:
    """A folder's style.yaml as data (empty when it has none)."""
    path = template_file(files, folder, "style.yaml")
    if path is None or path not in files.styles:  # none, or one that is not read (reported by zwpj check)
        return {}
    source, problems = files.styles[path]  # bounded like every YAML file of the repository
    return source.data if isinstance(source.data, dict) and not problems else {}


def merged_style(files: TemplateFiles, folders: Sequence[Path]) -> dict[str, Any]:
    """The folders' style.yaml data merged key by key, the first folder's winning."""
    data: dict[str, Any] = {}
    for folder in reversed(folders):
        data = _merge(data, style_data(files, folder))
    return data


def load_template(files: TemplateFiles, name: str | None) -> BodyTemplate:
    """Resolve template ``name`` over the defaults (see ``template_folders``) with its merged style."""
    folders = template_folders(files, name)
    spec = StyleSpec.model_validate(merged_style(files, folders))
    return BodyTemplate(DEFAULT if name is None else name, folders, spec, files)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Key-by-key merge of mappings; lists and scalars in ``over`` replace those in ``base``."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
