"""Spreadsheets in and out: one bounded way to open an XLSX file, one way to put text in a cell.

An XLSX file is a zip archive of XML parts. Before openpyxl sees one, its central directory is
read (cheap: the parts are not unpacked) and the workbook is refused when it holds too many parts,
declares more unpacked bytes than the use allows, or packs any part more tightly than real
spreadsheets do: a 6 MB zip can declare gigabytes, and openpyxl would build all of it in memory.
Python's zipfile never unpacks more than a part declares, so the declared sizes are a real bound.
XML entity expansion is refused by defusedxml, which openpyxl uses when it is installed.

Text written into a workbook cell is stored as text, never as a formula (``write_text``), whatever
it starts with; every CSV the tool writes passes its cells through ``csv_cells``, which neutralises
text a spreadsheet would run as a formula (OWASP: CSV injection).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Worded

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook


@dataclass(frozen=True)
class XlsxLimits:
    """What a workbook opened for one use may unpack."""

    parts: int
    """Most parts (files) in the archive."""
    unpacked: int
    """Most bytes all parts may declare, unpacked."""
    part: int
    """Most bytes one part may declare, unpacked."""
    ratio: int
    """Highest unpacked-to-packed ratio of a part larger than ``RATIO_FLOOR``."""


RATIO_FLOOR = 1 << 20
"""Parts smaller than this are not held to the ratio (tiny parts compress freely)."""
SHEET_LIMITS = XlsxLimits(parts=200, unpacked=32 << 20, part=16 << 20, ratio=100)
"""A score sheet: a few hundred rows; even a thousand indicators unpack to under 2 MB."""
FRAME_LIMITS = XlsxLimits(parts=500, unpacked=128 << 20, part=64 << 20, ratio=100)
"""A sampling frame: tens of thousands of rows."""
DATASET_LIMITS = XlsxLimits(parts=1000, unpacked=1 << 30, part=512 << 20, ratio=100)
"""A dataset: platform exports of a million rows (read row by row, never held whole)."""


class XlsxRefused(Worded):
    """A workbook that is not opened, with the reason (an ``xlsx_…`` variant of ``messages.DETAILS``)."""

    def __init__(self, variant: str, **fields: object) -> None:
        super().__init__(variant, **fields)
        self.args = (f"{self.zh}（{self.en}）",)


def inspect(path: Path, limits: XlsxLimits) -> None:
    """Refuse (XlsxRefused) a file that is no zip or that would unpack past ``limits``."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise XlsxRefused("xlsx_not_zip") from None
    if len(infos) > limits.parts:
        raise XlsxRefused("xlsx_too_many_parts", parts=len(infos), limit=limits.parts)
    total = sum(i.file_size for i in infos)
    if total > limits.unpacked:
        raise XlsxRefused(
            "xlsx_unpacks_too_large",
            mb=_mb(total),
            limit_mb=_mb(limits.unpacked),
            size=total,
            limit=limits.unpacked,
        )
    for info in infos:
        if info.file_size > limits.part:
            raise XlsxRefused("xlsx_part_too_large", part=info.filename, mb=_mb(info.file_size))
        packed = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and packed > limits.ratio:
            raise XlsxRefused("xlsx_part_packed_tight", part=info.filename, ratio=packed)


def _mb(size: int) -> str:
    return f"{size / (1 << 20):.1f} MB"


def open_workbook(path: Path, limits: XlsxLimits, *, read_only: bool = False) -> Workbook:
    """The workbook at ``path`` once ``inspect`` passes it; formulas are kept as formulas (never
    their cached values), so a caller can refuse them. XlsxRefused for anything openpyxl rejects."""
    from openpyxl import load_workbook  # only when a workbook is read: it takes a while to import

    inspect(path, limits)
    try:
        return load_workbook(path, read_only=read_only, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, TypeError …) for a damaged file
        raise XlsxRefused("xlsx_damaged", kind=type(exc).__name__) from None


def is_formula(cell: Any) -> bool:
    """True for a cell holding a formula."""
    return getattr(cell, "data_type", None) == "f"


def write_text(cell: Any, value: Any) -> None:
    """Put ``value`` into a cell; text stays text even when it starts with ``=`` (never a formula),
    and is marked to stay text when the cell is edited in Excel or WPS."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl takes "=…" for a formula and "#N/A" for an error value
        if value[:1] in FORMULA_LEADS:
            cell.quotePrefix = True


FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read text as a formula (OWASP: CSV injection)."""


def safe_text(value: Any) -> Any:
    """A value for a CSV cell: text that a spreadsheet would run as a formula gets a leading ``'``
    (OWASP: CSV injection); numbers and other values pass unchanged."""
    if isinstance(value, str) and value[:1] in FORMULA_LEADS:
        return "'" + value
    return value


def csv_cells(values: Iterable[Any]) -> list[Any]:
    """A CSV row's cells, each through ``safe_text``: what every CSV writer of the tool writes."""
    return [safe_text(v) for v in values]
