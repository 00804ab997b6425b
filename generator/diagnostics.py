"""Diagnostics are values: a located problem with a stable code, never an exception."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from generator.messages import DETAILS, MESSAGES, SEVERITY_ZH, Severity, fields_of

__all__ = [
    "Diagnostic",
    "Severity",
    "Worded",
    "diag",
    "format_github",
    "format_json",
    "format_text",
    "has_errors",
]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the repository, located to a file, line and column (1-based)."""

    file: str
    """Path relative to the repository root, with forward slashes."""
    line: int
    """1-based line; 0 when the problem concerns the whole file."""
    column: int
    """1-based column; 0 when unknown."""
    code: str
    """Stable code, e.g. E201; never renumbered."""
    args: tuple[tuple[str, str], ...] = ()
    """Named arguments the message is formatted with; part of equality, so two problems reported at one
    place (two missing columns of a dataset, both at its header) are not merged into one."""

    @property
    def severity(self) -> Severity:
        """Severity from the catalogue."""
        return MESSAGES[self.code].severity

    @property
    def message_zh(self) -> str:
        """Chinese message."""
        return MESSAGES[self.code].zh.format(**dict(self.args))

    @property
    def message_en(self) -> str:
        """English message."""
        return MESSAGES[self.code].en.format(**dict(self.args))

    @property
    def hint(self) -> str:
        """How to fix it, in Chinese (may be empty)."""
        return MESSAGES[self.code].hint.format(**dict(self.args))

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        data = asdict(self)
        data["args"] = dict(self.args)
        data.update(
            severity=self.severity.value,
            message=self.message_zh,
            message_en=self.message_en,
            hint=self.hint,
        )
        return data


ARG_SHOWN = 600
"""Most characters of one message argument: a value quoted from a file (a 100 000-digit number, a
megabyte-long name) is cut, so a message stays a message."""


def shown(value: object) -> str:
    """A message argument as text, cut past ARG_SHOWN characters."""
    text = str(value)
    return text if len(text) <= ARG_SHOWN else f"{text[:ARG_SHOWN]}…（共 {len(text)} 个字符）"


def diag(
    file: str, line: int, column: int, code: str, /, detail: str | None = None, **args: object
) -> Diagnostic:
    """Build a diagnostic; arguments are stringified (and cut, ``shown``) so the value stays hashable.

    ``detail`` names a variant of the message (``messages.DETAILS``): its templates, formatted with
    ``args``, give the message's wording fields; the fields only the variant uses are not kept.
    """
    if code not in MESSAGES:
        raise KeyError(f"unknown diagnostic code {code}")
    if detail is not None:
        args = _variant(code, detail, args)
    return Diagnostic(file, line, column, code, tuple(sorted((k, shown(v)) for k, v in args.items())))


def _variant(code: str, name: str, args: dict[str, object]) -> dict[str, object]:
    """``args`` with the wording of variant ``name`` filled in."""
    templates = DETAILS[name]
    wording = {field: text.format(**args) for field, text in templates.items()}
    message = MESSAGES[code]
    used = fields_of(message.zh, message.en, message.hint)
    own = fields_of(*templates.values()) - used
    return {k: v for k, v in args.items() if k not in own} | wording


class Worded(Exception):
    """A problem a check raises before it knows where it stands: a catalogue variant (``DETAILS``)
    and its fields. Whoever locates it reports ``zh``, ``en`` and ``hint`` (or passes ``variant`` and
    ``fields`` on as ``detail=`` and arguments of ``diag``)."""

    def __init__(self, variant: str, **fields: object) -> None:
        if variant not in DETAILS:
            raise KeyError(f"unknown message variant {variant}")
        self.variant, self.fields = variant, fields
        super().__init__(self.en)

    def __reduce__(self) -> tuple[object, tuple[type[Worded], str, dict[str, object]]]:
        """Pickled as its variant and fields (a cached problem is said again from the catalogue)."""
        return (_worded, (type(self), self.variant, self.fields))

    def said(self, field: str) -> str:
        """The variant's wording field ``field`` with the fields filled in ("" when it has none)."""
        template = DETAILS[self.variant].get(field)
        return template.format(**self.fields) if template is not None else ""

    def joined(self) -> str:
        """Chinese, English and hint (when there is one) joined by " | ": how a model's own check
        says a problem through pydantic (``load.schema_errors`` splits it again)."""
        return " | ".join(part for part in (self.zh, self.en, self.hint) if part)

    @property
    def zh(self) -> str:
        """The problem in Chinese."""
        return self.said("detail_zh")

    @property
    def en(self) -> str:
        """The problem in English."""
        return self.said("detail_en")

    @property
    def hint(self) -> str:
        """How to fix it, in Chinese (may be empty)."""
        return self.said("hint")


def _worded(kind: type[Worded], variant: str, fields: dict[str, object]) -> Worded:
    return kind(variant, **fields)


def has_errors(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> bool:
    """True if any diagnostic is an error (or a warning, when strict); to-dos never count."""
    return any(
        d.severity is Severity.ERROR or (strict and d.severity is Severity.WARNING) for d in diagnostics
    )


def format_text(d: Diagnostic) -> str:
    """``file:line:col: error E201 中文 (English) — 提示``, like yamllint."""
    sev = SEVERITY_ZH[d.severity]
    text = f"{d.file}:{d.line}:{d.column}: {sev} {d.code} {d.message_zh}（{d.message_en}）"
    if d.hint:
        text += f"\n    提示: {d.hint}"
    return text


def format_github(d: Diagnostic) -> str:
    """A GitHub Actions workflow command, shown inline on the pull request."""
    kind = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.TODO: "notice"}[d.severity]
    message = f"{d.code} {d.message_zh}（{d.message_en}）"
    if d.hint:
        message += f" 提示: {d.hint}"
    message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{kind} file={d.file},line={max(d.line, 1)},col={max(d.column, 1)},title={d.code}::{message}"


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    """All diagnostics as a JSON array."""
    return json.dumps([d.to_dict() for d in diagnostics], ensure_ascii=False, indent=2)
