"""Reproducible sampling (§8.2 评价样本及电子材料的抽取): the same frame and seed give the same sample.

Why the draw is the same on every machine and Python version:

- The rows are put in a stable order first: sorted by their key as Python strings (code-point
  order, no locale), strata by name. So neither the row order in the file nor the platform
  changes what the generator sees.
- ``random.Random(seed)`` with a non-negative int seed is seeded the same way on every platform,
  and Python guarantees that ``random()`` keeps producing the same sequence for the same seed
  across versions ("Notes on reproducibility" in the ``random`` docs). That guarantee covers
  ``random()`` only, not ``sample()`` or ``shuffle()``, so the draw is a partial Fisher–Yates
  shuffle written here on top of ``random()``: index ``i + int(random() * (n - i))``. IEEE-754
  multiplication and truncation give the same index everywhere.
- The algorithm is named in the record (``fisher-yates-random-v1``); a future change would get
  a new name, so old records keep re-drawing.

The frame file's SHA-256 is recorded too; for CSV, line endings are normalised to LF first, so a
checkout that turns LF into CRLF (git on Windows) does not look like a changed frame.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from generator.load.spreadsheets import FRAME_LIMITS, XlsxRefused, is_formula, open_workbook
from generator.paths import TooLarge, read_bounded

ALGORITHM = "fisher-yates-random-v1"
"""Name of the drawing algorithm below."""


class SampleError(Exception):
    """A frame or a request that cannot be drawn from; carries Chinese and English text."""

    def __init__(self, zh: str, en: str, hint: str = "") -> None:
        super().__init__(en)
        self.zh, self.en, self.hint = zh, en, hint


@dataclass(frozen=True)
class Frame:
    """A sampling frame: one row per service item or material."""

    columns: tuple[str, ...]
    """Header row."""
    rows: tuple[dict[str, str], ...]
    """Rows as column → text."""

    def column(self, name: str) -> list[str]:
        """Values of one column; SampleError when it does not exist."""
        if name not in self.columns:
            raise SampleError(
                f"抽样框没有列“{name}”（现有列：{'、'.join(self.columns)}）",
                f"the frame has no column '{name}'",
                "检查 key / by 的列名与表头是否一致。",
            )
        return [row[name] for row in self.rows]


@dataclass(frozen=True)
class Draw:
    """The rows drawn."""

    drawn: tuple[str, ...]
    """Keys of the drawn rows, in frame order (sorted)."""
    strata: dict[str, int] = field(default_factory=dict)
    """Rows drawn per stratum (stratified draws)."""


MAX_FRAME_BYTES = 64 << 20
"""Largest frame file read (a list of tens of thousands of service items is a few megabytes)."""


def _frame_bytes(path: Path) -> bytes:
    try:
        return read_bounded(path, MAX_FRAME_BYTES)
    except TooLarge as exc:
        raise SampleError(
            f"抽样框过大（{exc.size} 字节，上限 {MAX_FRAME_BYTES}）",
            "the frame is too large",
            "只保留抽样所需的列和行。",
        ) from None


def frame_sha256(path: Path) -> str:
    """SHA-256 of a frame file; CSV with CRLF/CR line endings normalised to LF."""
    data = _frame_bytes(path)
    if path.suffix.lower() == ".csv":
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return hashlib.sha256(data).hexdigest()


def read_frame(path: Path) -> Frame:
    """A CSV (UTF-8) or XLSX (first sheet) frame, first row the header; blank rows skipped."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            text = _frame_bytes(path).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SampleError(
                "抽样框不是 UTF-8 编码", "the frame is not UTF-8", "以 UTF-8 编码另存 CSV。"
            ) from exc
        table = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    elif suffix == ".xlsx":
        table = _xlsx_rows(path)
    else:
        raise SampleError(
            f"不支持的抽样框格式 {suffix}", f"unsupported frame format {suffix}", "使用 CSV 或 XLSX。"
        )
    table = [row for row in table if any(row)]
    if not table:
        raise SampleError("抽样框为空", "the frame is empty", "第一行为表头，其后每行一个抽样单元。")
    header = tuple(table[0])
    rows = tuple(
        dict(zip(header, [*row, *[""] * (len(header) - len(row))], strict=False)) for row in table[1:]
    )
    return Frame(header, rows)


def _xlsx_rows(path: Path) -> list[list[str]]:
    """The first sheet's rows as text (bounded: ``spreadsheets``); a formula cell is refused."""
    try:
        book = open_workbook(path, FRAME_LIMITS, read_only=True)
    except XlsxRefused as exc:
        raise SampleError(
            f"无法读取 XLSX：{exc.zh}", f"cannot read XLSX: {exc.en}", "用表格软件重新另存为 XLSX。"
        ) from None
    try:
        rows = []
        for r, row in enumerate(book.worksheets[0].iter_rows(), 1):
            formula = next((c for c in row if is_formula(c)), None)
            if formula is not None:
                where = f"{getattr(formula, 'column_letter', '')}{r}"
                raise SampleError(
                    f"抽样框单元格 {where} 是公式",
                    f"cell {where} of the frame holds a formula",
                    "把公式转换为数值（复制后“选择性粘贴 → 数值”）后再抽样。",
                )
            rows.append([_cell(c.value) for c in row])
        return rows
    except (KeyError, ValueError, OSError) as exc:
        raise SampleError(
            f"XLSX 文件已损坏（{type(exc).__name__}）", "damaged XLSX file", "用表格软件重新另存为 XLSX。"
        ) from None
    finally:
        book.close()


def _cell(value: object) -> str:
    """A spreadsheet cell as the text a CSV of it would hold (1.0 → "1", dates ISO)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _choose(rng: random.Random, keys: list[str], n: int) -> list[str]:
    """n keys by partial Fisher–Yates using only ``rng.random()`` (see the module docstring)."""
    pool = list(keys)
    for i in range(n):
        j = i + int(rng.random() * (len(pool) - i))
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:n]


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Proportional allocation by largest remainder; ties go to the stratum whose name sorts first."""
    total = sum(sizes.values())
    quotas = {name: Fraction(n * size, total) for name, size in sizes.items()}
    out = {name: int(q) for name, q in quotas.items()}
    left = n - sum(out.values())
    by_remainder = sorted(sizes, key=lambda name: (-(quotas[name] - out[name]), name))
    for name in by_remainder[:left]:
        out[name] += 1
    return dict(sorted(out.items()))


def draw(frame: Frame, *, key: str, method: str, size: int, seed: int, by: str | None = None) -> Draw:
    """Draw ``size`` rows from the frame; SampleError for an impossible request."""
    keys = frame.column(key)
    dupes = sorted(k for k, count in Counter(keys).items() if count > 1)
    if dupes or "" in keys:
        shown = "、".join(dupes[:5]) or "（空值）"
        raise SampleError(
            f"键列“{key}”的值不唯一或为空：{shown}",
            f"key column '{key}' has duplicate or empty values",
            "选一个能唯一标识每一行的列作 key（如事项编码）。",
        )
    if size > len(keys):
        raise SampleError(
            f"样本量 {size} 超过抽样框行数 {len(keys)}",
            f"size {size} exceeds the {len(keys)} rows",
            "减小样本量。",
        )
    rng = random.Random(seed)
    if method == "simple":
        return Draw(tuple(sorted(_choose(rng, sorted(keys), size))))
    if method != "stratified" or not by:
        raise SampleError(
            "分层抽样须指定分层列（by）", "a stratified draw needs a 'by' column", "例如 --by 部门。"
        )
    groups: dict[str, list[str]] = {}
    for k, stratum in zip(keys, frame.column(by), strict=True):
        groups.setdefault(stratum, []).append(k)
    shares = allocate({name: len(members) for name, members in groups.items()}, size)
    drawn: list[str] = []
    for name in sorted(groups):
        drawn += _choose(rng, sorted(groups[name]), shares[name])
    return Draw(tuple(sorted(drawn)), shares)
