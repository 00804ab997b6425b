"""Sampling frames (§8.2), read once when an evaluation is loaded: the file's SHA-256 and its rows.

The frame file's SHA-256 is taken with CSV line endings normalised to LF, so a checkout that
turns LF into CRLF (git on Windows) does not look like a changed frame. Validation re-draws each
recorded sample from the rows read here (``validate.process.sample_check``) and opens no file.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, Worded
from generator.load.spreadsheets import FRAME_LIMITS, XlsxRefused, is_formula, open_workbook
from generator.paths import TooLarge, read_bounded


class SampleError(Worded):
    """A frame or a request that cannot be drawn from (a ``sample_…`` variant of ``messages.DETAILS``);
    kept in the load cache with its variant and fields."""


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
            raise SampleError("sample_no_column", name=name, columns="、".join(self.columns))
        return [row[name] for row in self.rows]


MAX_FRAME_BYTES = 64 << 20
"""Largest frame file read (a list of tens of thousands of service items is a few megabytes)."""


def _frame_bytes(path: Path) -> bytes:
    try:
        return read_bounded(path, MAX_FRAME_BYTES)
    except TooLarge as exc:
        raise SampleError("sample_frame_too_large", size=exc.size, limit=MAX_FRAME_BYTES) from None


def frame_sha256(path: Path) -> str:
    """SHA-256 of a frame file; CSV with CRLF/CR line endings normalised to LF."""
    return _sha256(path, _frame_bytes(path))


def _sha256(path: Path, data: bytes) -> str:
    if path.suffix.lower() == ".csv":
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return hashlib.sha256(data).hexdigest()


def read_frame(path: Path, data: bytes | None = None) -> Frame:
    """A CSV (UTF-8) or XLSX (first sheet) frame, first row the header; blank rows skipped
    (``data``: the CSV's bytes when already read)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            text = (_frame_bytes(path) if data is None else data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SampleError("sample_frame_not_utf8") from exc
        table = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    elif suffix == ".xlsx":
        table = _xlsx_rows(path)
    else:
        raise SampleError("sample_frame_format", suffix=suffix)
    table = [row for row in table if any(row)]
    if not table:
        raise SampleError("sample_frame_empty")
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
        raise SampleError("sample_frame_xlsx_refused", said_zh=exc.zh, said_en=exc.en) from None
    try:
        rows = []
        for r, row in enumerate(book.worksheets[0].iter_rows(), 1):
            formula = next((c for c in row if is_formula(c)), None)
            if formula is not None:
                where = f"{getattr(formula, 'column_letter', '')}{r}"
                raise SampleError("sample_frame_formula", cell=where)
            rows.append([_cell(c.value) for c in row])
        return rows
    except (KeyError, ValueError, OSError) as exc:
        raise SampleError("sample_frame_xlsx_damaged", kind=type(exc).__name__) from None
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


@dataclass(frozen=True)
class FrameRead:
    """One sample record's frame file as loaded: its SHA-256 and its rows, or why not."""

    sha256: str | None
    """The file's SHA-256 (``frame_sha256``); None when it could not be read."""
    frame: Frame | None
    """Its rows; None when the file could not be read or parsed."""
    error: SampleError | None = None
    """Why ``sha256`` (when None) or ``frame`` is missing."""
    located: tuple[Diagnostic, ...] = ()
    """E406/E407 when the file named is missing or outside the folder (nothing was read)."""


def load_frame(path: Path) -> FrameRead:
    """Read a frame file once: its SHA-256 and its rows."""
    try:
        data = _frame_bytes(path)
    except SampleError as exc:
        return FrameRead(None, None, exc)
    sha = _sha256(path, data)
    try:
        return FrameRead(sha, read_frame(path, data if path.suffix.lower() == ".csv" else None))
    except SampleError as exc:
        return FrameRead(sha, None, exc)
