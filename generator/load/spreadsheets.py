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


class XlsxRefused(Exception):
    """A workbook that is not opened, with the reason in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh}（{en}）")
        self.zh, self.en = zh, en


def inspect(path: Path, limits: XlsxLimits) -> None:
    """Refuse (XlsxRefused) a file that is no zip or that would unpack past ``limits``."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise XlsxRefused("不是有效的 XLSX 文件（无法作为 zip 读取）", "not an XLSX (zip) file") from None
    if len(infos) > limits.parts:
        raise XlsxRefused(
            f"XLSX 中的部件过多（{len(infos)} 个，上限 {limits.parts}）", f"too many parts ({len(infos)})"
        )
    total = sum(i.file_size for i in infos)
    if total > limits.unpacked:
        raise XlsxRefused(
            f"XLSX 解压后过大（声明 {_mb(total)}，上限 {_mb(limits.unpacked)}），可能是压缩炸弹",
            f"declares {total} bytes unpacked, more than {limits.unpacked}",
        )
    for info in infos:
        if info.file_size > limits.part:
            raise XlsxRefused(
                f"XLSX 部件 {info.filename} 解压后过大（{_mb(info.file_size)}）",
                f"part {info.filename} is too large",
            )
        packed = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and packed > limits.ratio:
            raise XlsxRefused(
                f"XLSX 部件 {info.filename} 的压缩比异常（{packed} 倍），可能是压缩炸弹",
                f"part {info.filename} is packed {packed} times",
            )


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
        raise XlsxRefused(
            f"XLSX 文件已损坏或不是工作簿（{type(exc).__name__}）", f"damaged workbook ({type(exc).__name__})"
        ) from None


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
