"""``import-sheet``: read a filled score sheet back into the evaluation's score files.

Every cell is compared with the value exported (kept in the hidden sheet): only cells that differ
are read, checked against the rule, the people and the evidence format, and written back. Any bad
cell stops the import before a single file is touched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from ruamel.yaml.comments import CommentedMap

from generator.diagnostics import Diagnostic, diag
from generator.load.repository import IndicatorNode, LoadedEvaluation, LoadedSystem
from generator.load.spreadsheets import SHEET_LIMITS, XlsxRefused, is_formula, open_workbook
from generator.score.engine import collect_entries
from generator.sheet.cells import CellProblem, normal, parse_evidence, parse_observation, read_only
from generator.sheet.layout import (
    EDITABLE,
    FORMAT,
    HEADERS,
    META_SHEET,
    ORIGINALS_ROW,
    as_text,
    entry_cells,
    people_of,
)
from generator.sheet.yamledit import (
    ScoreDocument,
    put_trailing,
    set_list,
    set_mapping,
    set_scalar,
    take_trailing,
    write_all,
)


@dataclass(frozen=True)
class Edit:
    """One cell to write back."""

    mode: str | None
    """Evaluation mode of the sheet."""
    indicator: str
    """Indicator id."""
    field: str
    """ScoreEntry field."""
    value: Any
    """New value, ready for YAML."""


@dataclass
class Sheet:
    """The opened workbook and where its cells stand."""

    path: str
    """The workbook's path as reported in diagnostics."""
    book: Workbook
    """The workbook."""
    meta: dict[str, str] = field(default_factory=dict)
    """Metadata from the hidden sheet."""
    originals: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    """(sheet title, indicator id) → exported text of each editable cell."""


@dataclass
class ImportResult:
    """What an import did, or why it did nothing."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Problems; when any, no file was changed."""
    edits: list[Edit] = field(default_factory=list)
    """Cells written back."""
    files: list[Path] = field(default_factory=list)
    """Score files rewritten."""


def open_sheet(xlsx: Path, shown: str) -> tuple[Sheet | None, list[Diagnostic]]:
    """Open the workbook (bounded: ``spreadsheets``) and read its hidden metadata."""
    try:
        book = open_workbook(xlsx, SHEET_LIMITS)
    except XlsxRefused as exc:
        return None, [diag(shown, 0, 0, "E809", problem_zh=exc.zh, problem_en=exc.en)]
    if META_SHEET not in book.sheetnames:
        return None, [diag(shown, 0, 0, "E803", detail="hidden_sheet_missing", meta_sheet=META_SHEET)]
    sheet = Sheet(shown, book)
    ws = book[META_SHEET]
    for row in ws.iter_rows(min_row=1, max_row=ORIGINALS_ROW - 1, max_col=2, values_only=True):
        if row[0]:
            sheet.meta[str(row[0])] = normal(row[1])
    for row in ws.iter_rows(min_row=ORIGINALS_ROW + 1, values_only=True):
        if row and row[0]:
            sheet.originals[(str(row[0]), str(row[1]))] = {
                k: normal(v) for k, v in zip(EDITABLE, row[2:], strict=False)
            }
    if sheet.meta.get("format") != FORMAT:
        return None, [diag(shown, 1, 2, "E803", detail="format_tag", value=sheet.meta.get("format", ""))]
    return sheet, []


def check_identity(sheet: Sheet, loaded: LoadedEvaluation) -> list[Diagnostic]:
    """Refuse a sheet of another evaluation or another system edition."""
    ev = loaded.evaluation
    if sheet.meta.get("evaluation") != ev.id:
        return [diag(sheet.path, 2, 2, "E801", found=sheet.meta.get("evaluation", ""), expected=ev.id)]
    found = f"{sheet.meta.get('system', '')} {sheet.meta.get('edition', '')} 版"
    if (sheet.meta.get("system"), sheet.meta.get("edition")) != (ev.system.id, ev.system.edition):
        expected = f"{ev.system.id} {ev.system.edition} 版"
        return [diag(sheet.path, 4, 2, "E802", found=found, expected=expected)]
    return []


def _header_columns(ws: Worksheet) -> dict[str, int]:
    by_header = {normal(c.value): c.column for c in ws[1] if c.value}
    return {key: by_header[h] for key, h in HEADERS.items() if h in by_header}


def _cell_problem(sheet: Sheet, ws: Worksheet, r: int, c: int, key: str, p: CellProblem) -> Diagnostic:
    return diag(
        sheet.path,
        r,
        c,
        "E804",
        sheet=ws.title,
        cell=f"{get_column_letter(c)}{r}",
        header=HEADERS[key],
        detail_zh=p.zh,
        detail_en=p.en,
        hint=p.hint,
    )


class _Reader:
    """Reads one worksheet's changed cells into edits, collecting problems."""

    def __init__(
        self, sheet: Sheet, ws: Worksheet, mode: str | None, loaded: LoadedEvaluation, system: LoadedSystem
    ) -> None:
        self.sheet, self.ws, self.mode, self.system = sheet, ws, mode, system
        self.people = people_of(loaded)
        self.entries = collect_entries(loaded).get(mode, {})
        self.problems: list[Diagnostic] = []
        self.edits: list[Edit] = []

    def run(self) -> None:
        columns = _header_columns(self.ws)
        missing = [HEADERS[k] for k in ("id", *EDITABLE) if k not in columns]
        if missing:
            self.problems.append(
                diag(
                    self.sheet.path,
                    1,
                    1,
                    "E803",
                    detail="sheet_lacks_columns",
                    title=self.ws.title,
                    missing="、".join(missing),
                )
            )
            return
        seen: dict[str, int] = {}
        formulas = self._formulas(columns)
        for r in range(2, self.ws.max_row + 1):
            ind_id = normal(self.ws.cell(r, columns["id"]).value)
            if ind_id and r not in formulas:
                self._row(r, ind_id, columns, seen)

    def _formulas(self, columns: dict[str, int]) -> set[int]:
        """Rows holding a formula (E810 for each such cell): a formula's value is whatever the program
        that last saved the file computed, or nothing; it is never imported."""
        headers = {c: h for h, c in ((HEADERS[k], c) for k, c in columns.items())}
        rows = set()
        for row in self.ws.iter_rows(min_row=2):
            for cell in row:
                if is_formula(cell):
                    rows.add(cell.row)
                    where = f"{get_column_letter(cell.column)}{cell.row}"
                    header = headers.get(cell.column, "")
                    self.problems.append(
                        diag(
                            self.sheet.path,
                            cell.row,
                            cell.column,
                            "E810",
                            sheet=self.ws.title,
                            cell=where,
                            header=header,
                        )
                    )
        return rows

    def _row(self, r: int, ind_id: str, columns: dict[str, int], seen: dict[str, int]) -> None:
        where = f"{get_column_letter(columns['id'])}{r}"
        node = self.system.index.get(ind_id)
        original = self.sheet.originals.get((self.ws.title, ind_id))
        at = (self.sheet.path, r, columns["id"])
        if node is None or not node.is_leaf or original is None:
            self.problems.append(diag(*at, "E805", sheet=self.ws.title, cell=where, id=ind_id))
            return
        if ind_id in seen:
            first = seen[ind_id]
            self.problems.append(diag(*at, "E806", sheet=self.ws.title, cell=where, id=ind_id, first=first))
            return
        seen[ind_id] = r
        found = self.entries.get(ind_id)
        entry = found.entry if found else None
        current = as_text(entry_cells(node.indicator, entry, self.people))
        for key in EDITABLE:
            c = columns[key]
            value = shown_value(self.ws.cell(r, c))
            if normal(value) == original[key]:
                continue
            for problem in self._cell(node, entry, key, value, original[key], current[key], r, c):
                self.problems.append(problem)

    def _cell(
        self,
        node: IndicatorNode,
        entry: Any,
        key: str,
        value: Any,
        original: str,
        current: str,
        r: int,
        c: int,
    ) -> Iterator[Diagnostic]:
        ind = node.indicator
        cell = f"{get_column_letter(c)}{r}"
        why = read_only(ind, entry) if key == "observation" else None
        if why is not None:
            yield diag(
                self.sheet.path, r, c, "E807", sheet=self.ws.title, cell=cell, header=HEADERS[key], detail=why
            )
            return
        try:
            parsed = self._parse(node, key, value)
        except CellProblem as p:
            yield _cell_problem(self.sheet, self.ws, r, c, key, p)
            return
        if key == "evidence":
            for target in _internal_dropped(entry, parsed):
                yield diag(self.sheet.path, r, c, "E811", sheet=self.ws.title, cell=cell, target=target)
        if current != original:
            yield diag(
                self.sheet.path,
                r,
                c,
                "E808",
                sheet=self.ws.title,
                cell=cell,
                header=HEADERS[key],
                current=current or "（空）",
            )
            return
        self.edits.append(Edit(self.mode, ind.id, key, parsed))

    def _parse(self, node: IndicatorNode, key: str, value: Any) -> Any:
        text = normal(value)
        if key == "observation":
            return parse_observation(node, value)
        if key == "evaluators":
            return self.people.read(text)
        if key == "evidence":
            return parse_evidence(text)
        return text or None


def shown_value(cell: Any) -> Any:
    """The cell's value as the user sees it: a number in a percentage format (0.93 shown as 93%)
    is read as that percentage, never as the bare fraction."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        shown = Decimal(str(value)) * 100
        return f"{shown.normalize():f}%"
    return value


def _internal_dropped(entry: Any, items: list[dict[str, Any]]) -> list[str]:
    """Targets of evidence internal in the YAML that the edited cell lists without ``| 内部``."""
    internal = {e.file or e.url for e in (entry.evidence if entry else []) if e.internal}
    return [
        target
        for item in items
        if (target := item.get("file") or item.get("url")) and target in internal and not item.get("internal")
    ]


def read_edits(
    sheet: Sheet, loaded: LoadedEvaluation, system: LoadedSystem
) -> tuple[list[Edit], list[Diagnostic]]:
    """Every changed cell of every score worksheet, or the problems found."""
    try:
        titles: dict[str, str | None] = json.loads(sheet.meta.get("sheets", "{}"))
    except json.JSONDecodeError:
        titles = {}
    edits: list[Edit] = []
    problems: list[Diagnostic] = []
    for title, mode in titles.items():
        if title not in sheet.book.sheetnames:
            problems.append(diag(sheet.path, 0, 0, "E803", detail="sheet_missing", title=title))
            continue
        reader = _Reader(sheet, sheet.book[title], mode, loaded, system)
        reader.run()
        edits += reader.edits
        problems += reader.problems
    return edits, problems


def _target(loaded: LoadedEvaluation, system: LoadedSystem, edit: Edit) -> Path:
    """The score file that holds (or should hold) the indicator's entry."""
    files = [s for s in loaded.score_files if s.scores.mode == edit.mode]
    for s in files:
        if edit.indicator in s.scores.indicators:
            return _path(loaded, s.source.rel)
    dimension = system.index[edit.indicator].dimension
    for s in files:
        if any(system.index.get(i) and system.index[i].dimension == dimension for i in s.scores.indicators):
            return _path(loaded, s.source.rel)
    return _path(loaded, files[0].source.rel) if files else _path(loaded, loaded.score_files[0].source.rel)


def _path(loaded: LoadedEvaluation, rel: str) -> Path:
    """A score file's path from its repository-relative name."""
    return loaded.folder / rel.removeprefix(loaded.rel + "/")


def apply_edits(loaded: LoadedEvaluation, system: LoadedSystem, edits: list[Edit]) -> list[Path]:
    """Write the edits into the score files (all or none); return the files changed."""
    docs: dict[Path, ScoreDocument] = {}
    for edit in edits:
        path = _target(loaded, system, edit)
        doc = docs.setdefault(path, ScoreDocument(path))
        entry = doc.entry(edit.indicator)
        trailing = take_trailing(entry)
        _set(entry, edit)
        put_trailing(entry, trailing)
    texts = {path: doc.dump() for path, doc in docs.items()}
    changed = {path: text for path, text in texts.items() if text != docs[path].text}
    write_all(changed)
    return sorted(changed)


def _set(entry: CommentedMap, edit: Edit) -> None:
    """Write one edit into an entry mapping."""
    if edit.field == "observation" and isinstance(edit.value, dict):
        set_mapping(entry, "observation", edit.value)
    elif edit.field == "evidence":
        set_list(entry, "evidence", _evidence_items(entry, edit.value))
    elif edit.field == "evaluators":
        set_list(entry, "evaluators", edit.value)
    else:
        set_scalar(entry, edit.field, edit.value, drop_when_empty=edit.field == "not_applicable")


def _evidence_items(entry: Any, items: list[dict[str, Any]]) -> list[Any]:
    """Keep an existing evidence mapping (its comments and order) when its line did not change."""
    old = list(entry.get("evidence") or [])
    kept = []
    for item in items:
        same = next(
            (
                o
                for o in old
                if {k: o.get(k) for k in ("file", "url", "captured", "note", "internal") if o.get(k)} == item
            ),
            None,
        )
        kept.append(same if same is not None else CommentedMap(item))
    return kept
