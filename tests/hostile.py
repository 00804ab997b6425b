"""The hostile-input cases: what an attacker or a careless user would try, and what must come back.

Each case starts from a copy of ``fixtures/valid/minimal`` beside an ``outside`` folder (a secret
file and folder the tool must never read), changes it (``setup``), runs one ``zwpj`` command and
states the exit code and the first line of every diagnostic, as ``file:line:col: 级别 CODE`` (the
words are the catalogue's; the places and codes are what a case proves). ``stderr`` names words the
message for a usage or environment failure must hold. ``env`` lowers a bound for the case.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

EVAL = "evaluations/2024-mini"
SECRET = "OUTSIDE-SECRET-7c1e"
"""What the files outside the repository hold: it must never appear in any output."""


@dataclass(frozen=True)
class Case:
    """One hostile input and what the tool must answer."""

    name: str
    """Short id (family-what)."""
    setup: Callable[[Path], None]
    """Changes the repository (given its root) before the command."""
    args: tuple[str, ...] = ("check",)
    """zwpj arguments; ``{root}`` and ``{outside}`` are filled in, ``--root`` is added."""
    exit: int = 1
    """Expected exit code."""
    lines: tuple[str, ...] = ()
    """Expected ``file:line:col: 级别 CODE`` of every diagnostic printed, in order."""
    stderr: tuple[str, ...] = ()
    """Words stderr must hold."""
    stdout: tuple[str, ...] = ()
    """Words stdout must hold (for commands whose answer is not diagnostics, such as verify)."""
    env: dict[str, str] = field(default_factory=dict)
    """Extra environment (lowered bounds)."""
    writes: tuple[str, ...] = ()
    """Paths (relative to the repository) the command may create or change."""


# --- helpers ---------------------------------------------------------------------------------------


def outside(root: Path) -> Path:
    """The folder beside the repository that the tool must never read."""
    return root.parent / "outside"


def write(rel: str, text: str | bytes) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.replace("{outside}", str(outside(root))) if isinstance(text, str) else text
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    return setup


def replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return setup


def append(rel: str, text: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        with (root / rel).open("a", encoding="utf-8") as fh:
            fh.write(text)

    return setup


def link(rel: str, target: str) -> Callable[[Path], None]:
    """A symbolic link at ``rel``; ``{outside}`` in the target is the folder beside the repository."""

    def setup(root: Path) -> None:
        path = root / rel
        if path.exists() or path.is_symlink():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target.replace("{outside}", str(outside(root))), path)

    return setup


def fifo(rel: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / rel
        path.unlink(missing_ok=True)
        os.mkfifo(path)

    return setup


def delete(rel: str) -> Callable[[Path], None]:
    return lambda root: (root / rel).unlink()


def both(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        for step in steps:
            step(root)

    return setup


def nothing(_root: Path) -> None:
    """No change."""


def narrative(text: str, name: str = "findings") -> Callable[[Path], None]:
    return write(f"{EVAL}/{name}.md", "## 评价发现\n\n" + text + "\n")


def ratings(*rows: str, header: str = "rating_id,rated_at,level") -> Callable[[Path], None]:
    return write(f"{EVAL}/data/ratings.csv", "\n".join([header, *rows]) + "\n")


GOOD_ROWS = tuple(f"R{i:02d},2024-10-{i + 1:02d} 09:00:00,满意" for i in range(1, 9))
CONDITION = "    where: \"level IN ('非常满意', '满意', '基本满意')\""


def condition(text: str) -> Callable[[Path], None]:
    """The good_rate measure's condition replaced by ``text`` (``{outside}`` filled in)."""

    def setup(root: Path) -> None:
        filled = text.replace("{outside}", str(outside(root)))
        replace(
            "indicators/mini/system.yaml", CONDITION, "    where: " + json.dumps(filled, ensure_ascii=False)
        )(root)

    return setup


def exported_sheet(edit: Callable[[Path, object], None]) -> Callable[[Path], None]:
    """Export the minimal evaluation's score sheet to ``sheet.xlsx`` (in process), then edit it."""

    def setup(root: Path) -> None:
        from openpyxl import load_workbook

        from generator.sheet import export_sheet, load_target

        target = load_target(root, root / EVAL)
        assert not isinstance(target, list), target
        out = export_sheet(*target, root / "sheet.xlsx")
        book = load_workbook(out)
        edit(root, book)
        book.save(out)

    return setup


def cell(ref: str, value: object) -> Callable[[Path, object], None]:
    def edit(_root: Path, book: object) -> None:
        book["评分表"][ref] = value  # type: ignore[index]

    return edit


def zip_file(rel: str, parts: dict[str, bytes | int], *, level: int = 9) -> Callable[[Path], None]:
    """A zip at ``rel``; an int part is that many bytes of repeated XML (compressed)."""

    def setup(root: Path) -> None:
        path = root / rel
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
            for name, content in parts.items():
                if isinstance(content, int):
                    with z.open(name, "w", force_zip64=True) as part:
                        chunk = b"<c>0</c>" * 8192
                        for _ in range(content // len(chunk)):
                            part.write(chunk)
                else:
                    z.writestr(name, content)

    return setup


def dataset(name: str) -> Callable[[Path], None]:
    return replace(f"{EVAL}/evaluation.yaml", "  ratings: data/ratings.csv", f"  ratings: data/{name}")


def xlsx_dataset(rows: list[list[object]]) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        from openpyxl import Workbook

        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.save(root / EVAL / "data" / "ratings.xlsx")

    return both(setup, dataset("ratings.xlsx"))


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)
"""A worksheet whose one cell expands to a billion "lol"s (3 GB) if XML entities are expanded."""


def entity_bomb(root: Path) -> None:
    """The exported sheet with its score worksheet replaced by a billion-laughs document."""
    sheet = root / "sheet.xlsx"
    with zipfile.ZipFile(sheet) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = BILLION_LAUGHS
    with zipfile.ZipFile(sheet, "w", zipfile.ZIP_DEFLATED) as z:
        for n, content in parts.items():
            z.writestr(n, content)


IMPORT = ("import-sheet", "{root}/" + EVAL, "{root}/sheet.xlsx")
SHEET = "sheet.xlsx:"
E = "错误"


def at(where: str, code: str, level: str = E) -> str:
    """``file:line:col: 级别 CODE``, the file relative to the repository (or the sheet)."""
    return f"{where}: {level} {code}"


# --- the cases ---------------------------------------------------------------------------------------

CASES: list[Case] = [
    # YAML ---------------------------------------------------------------------------------------------
    Case(
        "yaml-tab-indent",
        write(f"{EVAL}/scores/result.yaml", "indicators:\n\tB1:\n\t\tobservation: 1\n"),
        lines=(at(f"{EVAL}/scores/result.yaml:2:1", "E101"),),
    ),
    Case(
        "yaml-unclosed-quote",
        replace(f"{EVAL}/evaluation.yaml", "title: 2024", 'title: "2024'),
        lines=(at(f"{EVAL}/evaluation.yaml:7:13", "E101"),),
    ),
    Case(
        "yaml-duplicate-key",
        replace(f"{EVAL}/evaluation.yaml", "stage: 已发布\n", "stage: 已发布\nstage: 已提交\n"),
        lines=(at(f"{EVAL}/evaluation.yaml:11:1", "E103"),),
    ),
    Case(
        "yaml-alias-bomb",
        write(
            f"{EVAL}/scores/result.yaml",
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                for p, c in zip("abcdefgh", "bcdefghi", strict=True)
            ),
        ),
        lines=(at(f"{EVAL}/scores/result.yaml:6:1", "E105"),),
    ),
    Case(
        "yaml-deep-nesting",
        write(f"{EVAL}/scores/result.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n"),
        lines=(at(f"{EVAL}/scores/result.yaml:1:67", "E108"),),
    ),
    Case(
        "yaml-recursive-alias",
        write(f"{EVAL}/scores/result.yaml", "a: &a [*a]\n"),
        lines=(at(f"{EVAL}/scores/result.yaml:1:1", "E108"),),
    ),
    Case(
        "yaml-null-document",
        write(f"{EVAL}/evaluation.yaml", "~\n"),
        lines=(at(f"{EVAL}/evaluation.yaml:1:1", "E107"),),
    ),
    Case(
        "yaml-top-level-list",
        write(f"{EVAL}/scores/result.yaml", "- B1\n- B2\n"),
        lines=(at(f"{EVAL}/scores/result.yaml:1:1", "E107"),),
    ),
    Case(
        "yaml-gbk",
        write(f"{EVAL}/scores/result.yaml", "indicators:\n  B1:\n    comment: 评价\n".encode("gbk")),
        lines=(at(f"{EVAL}/scores/result.yaml:3:14", "E102"),),
    ),
    Case(
        "yaml-utf16",
        write(f"{EVAL}/scores/result.yaml", "indicators: {}\n".encode("utf-16")),
        lines=(at(f"{EVAL}/scores/result.yaml:1:1", "E102"),),
    ),
    Case(
        "yaml-nul-byte",
        write(f"{EVAL}/scores/result.yaml", b"indicators:\n  B1: {comment: a\x00b}\n"),
        lines=(at(f"{EVAL}/scores/result.yaml:2:18", "E101"),),
    ),
    Case(
        "yaml-oversize",
        write(f"{EVAL}/scores/result.yaml", b"#" * (2 * 1024 * 1024 + 1)),
        lines=(at(f"{EVAL}/scores/result.yaml:0:0", "E104"),),
    ),
    Case(
        "yaml-python-tag",
        write(
            f"{EVAL}/scores/result.yaml",
            "indicators: !!python/object/apply:os.system ['touch {outside}/pwned']\n",
        ),
        lines=(at(f"{EVAL}/scores/result.yaml:1:13", "E202"),),
    ),
    Case(
        "yaml-one-run-keeps-everything",
        both(
            replace(f"{EVAL}/evaluation.yaml", "title: ", "titel: x\ntitle: "),
            replace(f"{EVAL}/scores/result.yaml", "      late: 1", "      late: 一次"),
            replace(
                "indicators/mini/capability.yaml",
                "        method: 网上体验",
                "        method: 网上体验\n        methdo: x",
            ),
        ),
        lines=(
            at(f"{EVAL}/evaluation.yaml:3:1", "E201"),
            at(f"{EVAL}/scores/result.yaml:5:7", "E405"),
            at("indicators/mini/capability.yaml:12:9", "E201"),
        ),
    ),
    Case(
        "yaml-internal-value-not-echoed",
        replace(
            f"{EVAL}/scores/capability.yaml",
            "      - file: evidence/guide.md\n",
            f"      - url: {SECRET}\n        internal: true\n",
        ),
        lines=(at(f"{EVAL}/scores/capability.yaml:7:14", "E204"),),
    ),
    Case(
        "yaml-previous-missing",
        append(f"{EVAL}/evaluation.yaml", "previous: 2023-mini\n"),
        lines=(at(f"{EVAL}/evaluation.yaml:150:11", "E422"),),
    ),
    Case(
        "yaml-previous-itself",
        append(f"{EVAL}/evaluation.yaml", "previous: 2024-mini\n"),
        lines=(at(f"{EVAL}/evaluation.yaml:150:11", "E422"),),
    ),
    Case(
        "yaml-long-line",
        write(f"{EVAL}/scores/result.yaml", "indicators:\n  B1:\n    comment: " + "长" * 700_000 + "\n"),
        lines=(at(f"{EVAL}/scores/result.yaml:0:0", "E104"),),
    ),
    # Markdown -----------------------------------------------------------------------------------------
    Case("md-nested-brackets-31-bytes", narrative("[" * 31), lines=(at(f"{EVAL}/findings.md:3:5", "E112"),)),
    Case(
        "md-nested-spans",
        narrative("<span>" * 16),
        lines=(at(f"{EVAL}/findings.md:3:25", "E112"),),
    ),
    Case("md-unclosed-tags", narrative("<a " * 300), lines=(at(f"{EVAL}/findings.md:3:61", "E112"),)),
    Case(
        "md-open-link-destinations", narrative("[a](" * 300), lines=(at(f"{EVAL}/findings.md:3:17", "E112"),)
    ),
    Case(
        "md-evidence-file-brackets",
        write(f"{EVAL}/evidence/guide.md", "# 记录\n\n" + "![a" * 400 + "\n"),
        lines=(at(f"{EVAL}/evidence/guide.md:3:14", "E112"),),
    ),
    Case(
        "md-internal-uppercase",
        narrative("<!-- INTERNAL -->\n秘密\n<!-- /INTERNAL -->"),
        lines=(at(f"{EVAL}/findings.md:3:6", "E519"), at(f"{EVAL}/findings.md:5:7", "E519")),
    ),
    Case(
        "md-internal-fence-in-list",
        narrative("- ```internal\n  秘密\n  ```"),
        lines=(at(f"{EVAL}/findings.md:3:6", "E519"),),
    ),
    Case(
        "md-internal-div-in-quote",
        narrative("> ::: internal\n> 秘密\n> :::"),
        lines=(
            at(f"{EVAL}/findings.md:3:3", "W763", "警告"),
            at(f"{EVAL}/findings.md:3:7", "E519"),
            at(f"{EVAL}/findings.md:5:3", "W763", "警告"),
        ),
    ),
    Case(
        "md-internal-em-dash",
        narrative("<!— internal —>\n秘密\n<!— /internal —>"),
        lines=(at(f"{EVAL}/findings.md:3:5", "E519"), at(f"{EVAL}/findings.md:5:6", "E519")),
    ),
    Case(
        "md-internal-attribute",
        narrative("## 内部讨论 {.internal}\n\n秘密"),
        lines=(at(f"{EVAL}/findings.md:3:9", "W763", "警告"), at(f"{EVAL}/findings.md:3:11", "E519")),
    ),
    Case(
        "md-internal-unclosed",
        narrative("<!-- internal -->\n秘密，没有结束标记"),
        lines=(at(f"{EVAL}/findings.md:3:1", "E513"),),
    ),
    Case(
        "md-oversize",
        write(f"{EVAL}/summary.md", b"a" * (2 * 1024 * 1024 + 1)),
        lines=(at(f"{EVAL}/summary.md:0:0", "E104"),),
    ),
    Case(
        "md-gbk",
        write(f"{EVAL}/summary.md", "## 概述\n\n总体良好。\n".encode("gbk")),
        lines=(at(f"{EVAL}/summary.md:1:4", "E102"),),
    ),
    # XLSX (import-sheet and datasets) -------------------------------------------------------------------
    Case(
        "xlsx-zip-bomb",
        zip_file("sheet.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": 64 << 20}),
        args=IMPORT,
        lines=(at(f"{SHEET}0:0", "E809"),),
    ),
    Case(
        "xlsx-too-many-parts",
        zip_file("sheet.xlsx", {f"xl/p{i}.xml": b"<a/>" for i in range(300)}),
        args=IMPORT,
        lines=(at(f"{SHEET}0:0", "E809"),),
    ),
    Case(
        "xlsx-not-a-zip",
        write("sheet.xlsx", b"PK\x03\x04 garbage"),
        args=IMPORT,
        lines=(at(f"{SHEET}0:0", "E809"),),
    ),
    Case(
        "xlsx-truncated",
        both(
            exported_sheet(cell("E4", 80)),
            lambda root: (root / "sheet.xlsx").write_bytes((root / "sheet.xlsx").read_bytes()[:3000]),
        ),
        args=IMPORT,
        lines=(at(f"{SHEET}0:0", "E809"),),
    ),
    Case(
        "xlsx-entity-bomb",
        both(exported_sheet(cell("E4", 80)), entity_bomb),
        args=IMPORT,
        lines=(at(f"{SHEET}0:0", "E809"),),
    ),
    Case(
        "xlsx-formula-cell",
        exported_sheet(cell("H3", '=HYPERLINK("http://attacker.example","x")')),
        args=IMPORT,
        lines=(at(f"{SHEET}3:8", "E810"),),
    ),
    Case(
        "xlsx-date-in-ratio",
        exported_sheet(cell("E4", __import__("datetime").datetime(2024, 9, 10))),
        args=IMPORT,
        lines=(at(f"{SHEET}4:5", "E804"),),
    ),
    Case(
        "xlsx-internal-flag-dropped",
        both(
            replace(
                f"{EVAL}/scores/capability.yaml",
                "        captured: 2024-11-05\n",
                "        captured: 2024-11-05\n        internal: true\n",
            ),
            exported_sheet(cell("I2", "evidence/guide.md | 2024-11-05 | 新说明")),
        ),
        args=IMPORT,
        lines=(at(f"{SHEET}2:9", "E811"),),
    ),
    Case(
        "xlsx-dataset-formula",
        xlsx_dataset([["rating_id", "rated_at", "level"], ["R1", "2024-10-02", '="满意"']]),
        lines=(at(f"{EVAL}/data/ratings.xlsx:2:1", "E604"),),
    ),
    Case(
        "xlsx-dataset-bomb",
        both(
            zip_file(f"{EVAL}/data/ratings.xlsx", {"xl/worksheets/sheet1.xml": 1100 << 20}, level=1),
            dataset("ratings.xlsx"),
        ),
        lines=(at(f"{EVAL}/data/ratings.xlsx:1:1", "E604"),),
    ),
    # CSV / Parquet datasets ---------------------------------------------------------------------------
    Case(
        "csv-date-infinity",
        ratings(*GOOD_ROWS[:3], "R09,infinity,满意"),
        lines=(at(f"{EVAL}/data/ratings.csv:5:2", "E602"),),
    ),
    Case(
        "csv-date-timezone",
        ratings(*GOOD_ROWS[:3], "R09,2024-10-09T09:00:00+08:00,满意"),
        lines=(at(f"{EVAL}/data/ratings.csv:5:2", "E602"),),
    ),
    Case(
        "csv-date-epoch-word",
        ratings(*GOOD_ROWS[:3], "R09,epoch,满意"),
        lines=(at(f"{EVAL}/data/ratings.csv:5:2", "E602"),),
    ),
    Case(
        "csv-undeclared-date-column",
        both(
            ratings(
                *[r + ",2024-11-01" for r in GOOD_ROWS],
                "R09,2024-10-10 09:00:00,满意,2024-13-45",
                header="rating_id,rated_at,level,closed_at",
            ),
            replace(
                "indicators/mini/system.yaml",
                "    columns: [rating_id, level]\n    date_columns",
                "    columns: [rating_id, level, closed_at]\n    date_columns",
            ),
            condition("closed_at >= DATE '2024-10-01'"),
        ),
        lines=(at(f"{EVAL}/data/ratings.csv:10:4", "E602"),),
    ),
    Case(
        "csv-number-column-with-text",
        both(
            ratings(
                *[r + ",3" for r in GOOD_ROWS],
                "R09,2024-10-10 09:00:00,满意,三天",
                header="rating_id,rated_at,level,days",
            ),
            replace(
                "indicators/mini/system.yaml",
                "    columns: [rating_id, level]\n    date_columns",
                "    columns: [rating_id, level, days]\n    date_columns",
            ),
            condition("days <= 5"),
        ),
        lines=(at(f"{EVAL}/data/ratings.csv:10:4", "E611"),),
    ),
    Case(
        "csv-ragged-row",
        ratings(*GOOD_ROWS[:3], f"R09,2024-10-10 09:00:00,满意,{SECRET}"),
        lines=(at(f"{EVAL}/data/ratings.csv:5:1", "E604"),),
    ),
    Case(
        "csv-unclosed-quote",
        ratings(*GOOD_ROWS[:3], 'R09,"2024-10-10,满意'),
        lines=(at(f"{EVAL}/data/ratings.csv:5:1", "E604"),),
    ),
    Case(
        "csv-gbk",
        write(f"{EVAL}/data/ratings.csv", "rating_id,rated_at,level\nR1,2024-10-02,满意\n".encode("gbk")),
        lines=(at(f"{EVAL}/data/ratings.csv:2:1", "E604"),),
    ),
    Case(
        "csv-empty-file",
        write(f"{EVAL}/data/ratings.csv", b""),
        lines=(at(f"{EVAL}/data/ratings.csv:1:1", "E604"),),
    ),
    Case(
        "csv-duplicate-header",
        ratings(*GOOD_ROWS[:2], header="rating_id,rated_at,level,level"),
        lines=(at(f"{EVAL}/data/ratings.csv:1:1", "E604"),),
    ),
    Case(
        "csv-huge-header",
        write(f"{EVAL}/data/ratings.csv", b"a," * (600 * 1024) + b"\n"),
        lines=(at(f"{EVAL}/data/ratings.csv:1:1", "E604"),),
    ),
    Case(
        "csv-time-bound",
        nothing,
        env={"ZWPJ_MEASURE_SECONDS": "0.0001"},
        lines=(at(f"{EVAL}/evaluation.yaml:80:12", "E609"),),
    ),
    Case(
        "csv-memory-bound",
        nothing,
        env={"ZWPJ_MEASURE_MEMORY": "64KB"},
        lines=(at(f"{EVAL}/evaluation.yaml:80:12", "E610"),),
    ),
    Case(
        "parquet-garbage",
        both(write(f"{EVAL}/data/ratings.parquet", b"PAR1 not parquet PAR1"), dataset("ratings.parquet")),
        lines=(at(f"{EVAL}/data/ratings.parquet:1:1", "E604"),),
    ),
    Case(
        "dataset-unsupported-format",
        both(write(f"{EVAL}/data/ratings.json", b"[]"), dataset("ratings.json")),
        lines=(at(f"{EVAL}/data/ratings.json:1:1", "E604"),),
    ),
    # Measure conditions -------------------------------------------------------------------------------
    Case(
        "sql-second-statement",
        condition("level = '满意'; DELETE FROM data_0"),
        lines=(at("indicators/mini/system.yaml:13:12", "E313"),),
    ),
    Case(
        "sql-update",
        condition("level = '满意'; UPDATE data_0 SET level = '满意'"),
        lines=(at("indicators/mini/system.yaml:13:12", "E313"),),
    ),
    Case(
        "sql-cross-join",
        condition("(SELECT count(*) FROM range(100000) a, range(100000) b) > 0"),
        lines=(at("indicators/mini/system.yaml:13:12", "E313"),),
    ),
    Case(
        "sql-read-file",
        condition("level IN (SELECT * FROM read_csv('{outside}/secret.txt'))"),
        lines=(at("indicators/mini/system.yaml:13:12", "E313"),),
    ),
    Case(
        "sql-copy-to",
        condition("TRUE) FROM data_0; COPY (SELECT 1) TO '{outside}/x.csv'; SELECT (TRUE"),
        lines=(at("indicators/mini/system.yaml:13:12", "E313"),),
    ),
    Case(
        "sql-conversion-no-echo",
        both(
            ratings(*GOOD_ROWS[:3], "R09,2024-10-10 09:00:00,满意"),
            condition("CAST(rating_id AS INTEGER) > 0"),
        ),
        lines=(at("indicators/mini/system.yaml:13:12", "E606"),),
    ),
    # CLI options --------------------------------------------------------------------------------------
    Case(
        "cli-root-missing", nothing, args=("check", "--root", "{root}/nope"), exit=2, stderr=("不是评价仓库",)
    ),
    Case(
        "cli-check-readme",
        write("README.md", "# x\n"),
        args=("check", "{root}/README.md"),
        exit=2,
        stderr=("没有可校验的内容",),
    ),
    Case(
        "cli-check-outside",
        nothing,
        args=("check", "{outside}/secret.txt"),
        exit=2,
        stderr=("没有可校验的内容",),
    ),
    Case(
        "cli-site-dir-root",
        nothing,
        args=("build", "--no-reports", "--site-dir", "{root}"),
        exit=2,
        stderr=("站点输出目录",),
    ),
    Case(
        "cli-site-dir-evaluations",
        nothing,
        args=("build", "--no-reports", "--site-dir", "{root}/evaluations"),
        exit=2,
        stderr=("evaluations/",),
    ),
    Case(
        "cli-site-dir-unmarked",
        write("docs/guide.md", "# 指南\n"),
        args=("build", "--no-reports", "--site-dir", "{root}/docs"),
        exit=2,
        stderr=(".zwpj-build",),
    ),
    Case(
        "cli-export-over-evaluation",
        nothing,
        args=("export-sheet", "{root}/" + EVAL, "-o", "{root}/" + EVAL + "/evaluation.yaml"),
        exit=2,
        stderr=("不能写在仓库的 evaluations/ 中",),
    ),
    Case("cli-score-not-evaluation", nothing, args=("score", "{root}/indicators"), exit=2),
    Case("cli-unknown-format", nothing, args=("check", "--format", "xml"), exit=2),
    Case("cli-new-path-traversal", nothing, args=("new", "../../escape", "--system", "mini"), exit=2),
    Case(
        "cli-sheet-is-a-folder",
        nothing,
        args=("import-sheet", "{root}/" + EVAL, "{root}/evaluations"),
        exit=2,
    ),
    # File-system tricks -------------------------------------------------------------------------------
    Case("fs-evaluation-yaml-deleted", delete(f"{EVAL}/evaluation.yaml"), lines=(at(f"{EVAL}:0:0", "E109"),)),
    Case(
        "fs-stray-file",
        write("evaluations/2025-draft.yaml", "id: x\n"),
        lines=(at("evaluations/2025-draft.yaml:0:0", "E109"),),
    ),
    Case(
        "fs-linked-evaluation-folder",
        link("evaluations/2025-linked", "{outside}/folder"),
        lines=(at("evaluations/2025-linked:0:0", "E110"),),
    ),
    Case(
        "fs-linked-evidence",
        link(f"{EVAL}/evidence/leak.md", "{outside}/secret.txt"),
        lines=(at(f"{EVAL}/evidence/leak.md:0:0", "E110"),),
    ),
    Case(
        "fs-linked-evaluations-folder",
        both(
            lambda root: os.rename(root / "evaluations", outside(root) / "evaluations"),
            link("evaluations", "{outside}/evaluations"),
        ),
        lines=(at("evaluations:0:0", "E110"),),
    ),
    Case(
        "fs-linked-score-file-dev-zero",
        link(f"{EVAL}/scores/result.yaml", "/dev/zero"),
        lines=(at(f"{EVAL}/scores/result.yaml:0:0", "E110"),),
    ),
    Case("fs-fifo-narrative", fifo(f"{EVAL}/summary.md"), lines=(at(f"{EVAL}/summary.md:0:0", "E111"),)),
    Case(
        "fs-fifo-dataset",
        fifo(f"{EVAL}/data/ratings.csv"),
        lines=(at(f"{EVAL}/data/ratings.csv:0:0", "E111"),),
    ),
    Case(
        "fs-link-loop",
        both(link(f"{EVAL}/evidence/a.md", "b.md"), link(f"{EVAL}/evidence/b.md", "a.md")),
        lines=(at(f"{EVAL}/evidence/a.md:0:0", "E111"), at(f"{EVAL}/evidence/b.md:0:0", "E111")),
    ),
    Case(
        "fs-broken-link-narrative",
        link(f"{EVAL}/summary.md", "nowhere.md"),
        lines=(at(f"{EVAL}/summary.md:0:0", "E111"),),
    ),
    Case(
        "fs-linked-system-part",
        link("indicators/mini/result.yaml", "{outside}/secret.txt"),
        lines=(at("indicators/mini/result.yaml:0:0", "E110"),),
    ),
]
"""Every case, by family."""


# --- inputs shared by every evaluation: organisations, bodies, publishing, calendar -----------------

ORGS = "organisations.yaml"
BODY = "bodies/institute/body.yaml"
PART = "indicators/mini/capability.yaml"
SYSTEM = "indicators/mini/system.yaml"
MECHANISM = "  title: 评价工作机制\n"


def body_document(file: str) -> Callable[[Path], None]:
    """The body's work-mechanism record pointing at ``file``."""
    return replace(BODY, MECHANISM, MECHANISM + f"  file: {file}\n")


def stage_condition(text: str) -> Callable[[Path], None]:
    """Aggregation stages whose bonus stage has the condition ``text``."""
    stages = (
        "aggregation:\n  - stage: base\n  - stage: bonus\n    cap: 2\n"
        f"    when: {json.dumps(text, ensure_ascii=False)}\n  - stage: veto\n  - stage: grade\n"
    )
    return append(SYSTEM, stages)


def weight(value: str) -> Callable[[Path], None]:
    """The first indicator's weight (line 10 of the part) written as ``value``."""
    return replace(PART, "        weight: 15\n", f"        weight: {value}\n")


def template(text: str, name: str = "report.md.j2") -> Callable[[Path], None]:
    """A body template ``templates/evil`` over the default, with ``text`` as its summary block."""
    body = '{% extends "default/report.md.j2" %}\n{% block summary %}' + text + "{% endblock %}\n"
    return write(f"templates/evil/{name}", body if name == "report.md.j2" else text)


def docx(properties: bytes | int) -> Callable[[Path], None]:
    """``r.docx`` with the given custom-properties part (an int: that many MB of spaces, deflated)."""
    return zip_file(
        "r.docx", {"docProps/custom.xml": properties if isinstance(properties, bytes) else properties << 20}
    )


def fingerprint(evaluation: str, system: str = "indicators/mini") -> bytes:
    from generator.render.report.fingerprint import SCHEME

    line = (
        f"{SCHEME};digest={'0' * 64};evaluation={evaluation};system={system};inputs={'0' * 64};"
        "commit=uncommitted;edition=x;generator=x"
    )
    return (
        '<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties"><property name="ZwpjFingerprint"><lpwstr>'
        + line
        + "</lpwstr></property></Properties>"
    ).encode()


VERIFY = ("verify", "repo/r.docx", "--no-rebuild")
SITE_CONFIG = write("mkdocs.yml", "site_name: 评价\n")
"""A site configuration, so that a build gets as far as the signing key."""
T = "templates/evil/report.md.j2"

CASES += [
    # organisations.yaml --------------------------------------------------------------------------
    Case(
        "org-parent-cycle",
        append(
            ORGS,
            "  - id: a\n    name: A\n    parent: b\n    kind: 企业\n"
            "  - id: b\n    name: B\n    parent: a\n    kind: 企业\n",
        ),
        lines=(at(f"{ORGS}:29:13", "E419"), at(f"{ORGS}:33:13", "E419")),
    ),
    Case("org-link-outside", link(ORGS, "{outside}/secret.txt"), lines=(at(f"{ORGS}:0:0", "E110"),)),
    Case("org-fifo", fifo(ORGS), lines=(at(f"{ORGS}:0:0", "E111"),)),
    Case(
        "org-alias-bomb",
        write(
            ORGS,
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
                for p, c in zip("abcdefgh", "bcdefghi", strict=True)
            ),
        ),
        lines=(at(f"{ORGS}:6:1", "E105"),),
    ),
    Case(
        "org-gbk",
        write(ORGS, "organisations:\n  - id: x\n    name: 中\n".encode("gbk")),
        lines=(at(f"{ORGS}:3:11", "E102"),),
    ),
    Case(
        "org-bad-key-hides-nothing",
        both(
            replace(ORGS, "    kind: 企业\n", "    kind: 企业\n    knd: x\n"),
            append(ORGS, "  - id: q\n    name: Q\n    parent: nope\n    kind: 企业\n"),
        ),
        lines=(at(f"{ORGS}:20:5", "E201"), at(f"{ORGS}:30:13", "E419")),
    ),
    # bodies/<folder>/body.yaml and its documents ---------------------------------------------------
    Case(
        "body-folder-link-outside",
        both(
            lambda root: os.rename(root / "bodies/institute", outside(root) / "institute"),
            link("bodies/institute", "{outside}/institute"),
        ),
        lines=(at("bodies/institute:0:0", "E110"),),
    ),
    Case("body-yaml-link-outside", link(BODY, "{outside}/secret.txt"), lines=(at(f"{BODY}:0:0", "E110"),)),
    Case("body-stray-file", write("bodies/readme.txt", "x\n"), lines=(at("bodies/readme.txt:0:0", "E109"),)),
    Case(
        "body-bad-key-no-knock-on",
        replace(BODY, "\nscope:", "\nscpoe:"),
        lines=(at(f"{BODY}:2:1", "E201"),),
    ),
    Case(
        "body-document-cut-no-knock-on",
        replace(BODY, MECHANISM, "  titel: 评价工作机制\n"),
        lines=(at(f"{BODY}:9:3", "E201"), at(f"{BODY}:9:3", "E203")),
    ),
    Case(
        "body-document-outside",
        body_document("../../../outside/secret.txt"),
        lines=(at(f"{BODY}:10:9", "E407"),),
    ),
    Case("body-document-absolute", body_document("/etc/passwd"), lines=(at(f"{BODY}:10:9", "E407"),)),
    Case(
        "body-document-link-outside",
        both(link("bodies/institute/mech.md", "{outside}/secret.txt"), body_document("mech.md")),
        lines=(at("bodies/institute/mech.md:0:0", "E110"),),
    ),
    Case(
        "body-document-fifo",
        both(
            write("bodies/institute/mech.md", ""), fifo("bodies/institute/mech.md"), body_document("mech.md")
        ),
        lines=(at("bodies/institute/mech.md:0:0", "E111"),),
    ),
    # publishing.yaml and calendar.yaml -----------------------------------------------------------------
    Case(
        "pub-fifo",
        lambda root: os.mkfifo(root / "publishing.yaml"),
        lines=(at("publishing.yaml:0:0", "E111"),),
    ),
    Case(
        "pub-folder",
        lambda root: (root / "publishing.yaml").mkdir(),
        lines=(at("publishing.yaml:0:0", "E111"),),
    ),
    Case(
        "pub-link-outside",
        link("publishing.yaml", "{outside}/secret.txt"),
        lines=(at("publishing.yaml:0:0", "E110"),),
    ),
    Case(
        "pub-bad-group",
        write(
            "publishing.yaml",
            "rankings:\n  groups:\n    - name: 市级\n      levels: [火星]\n      levles: [x]\n",
        ),
        lines=(at("publishing.yaml:4:16", "E204"), at("publishing.yaml:5:7", "E201")),
    ),
    Case(
        "pub-group-twice",
        write(
            "publishing.yaml",
            "rankings:\n  groups:\n    - name: 市级\n      levels: [市级]\n"
            "    - name: 市级\n      kinds: [平台]\n",
        ),
        lines=(at("publishing.yaml:3:5", "E204"),),
    ),
    Case(
        "cal-bad-days",
        write("calendar.yaml", "holidays: [2024-13-01, x]\nworkdays: 5\n"),
        lines=(
            at("calendar.yaml:1:12", "E202"),
            at("calendar.yaml:1:24", "E202"),
            at("calendar.yaml:2:11", "E202"),
        ),
    ),
    Case(
        "cal-fifo", lambda root: os.mkfifo(root / "calendar.yaml"), lines=(at("calendar.yaml:0:0", "E111"),)
    ),
    Case(
        "cal-link-outside",
        link("calendar.yaml", "{outside}/secret.txt"),
        lines=(at("calendar.yaml:0:0", "E110"),),
    ),
    Case(
        "cal-folder", lambda root: (root / "calendar.yaml").mkdir(), lines=(at("calendar.yaml:0:0", "E111"),)
    ),
    # aggregation-stage conditions and exact weights -----------------------------------------------------
    Case("agg-sql", stage_condition("base > 80; DROP TABLE x"), lines=(at(f"{SYSTEM}:38:11", "E312"),)),
    Case(
        "agg-python", stage_condition('__import__("os").system("id")'), lines=(at(f"{SYSTEM}:38:11", "E312"),)
    ),
    Case(
        "agg-huge-number",
        stage_condition("base > " + "9" * 1_000_000),
        lines=(at(f"{SYSTEM}:38:11", "E312"),),
    ),
    Case("weight-divide-by-zero", weight('"1/0"'), lines=(at(f"{PART}:10:17", "E310"),)),
    Case("weight-power", weight('"10**10**10"'), lines=(at(f"{PART}:10:17", "E310"),)),
    Case("weight-huge-numerator", weight('"' + "9" * 100_000 + '/86"'), lines=(at(f"{PART}:10:17", "E310"),)),
    Case("weight-huge-integer", weight("9" * 100_000), lines=(at(f"{PART}:10:17", "E310"),)),
    Case("weight-infinite", weight("1e400"), lines=(at(f"{PART}:10:17", "E204"),)),
    Case("weight-nan", weight(".nan"), lines=(at(f"{PART}:10:17", "E204"),)),
    Case("weight-percent-over", weight('"1000%"'), lines=(at(f"{PART}:10:17", "E310"),)),
    Case("weight-negative", weight("-5"), lines=(at(f"{PART}:10:17", "E310"),)),
    # report body templates (Jinja), style.yaml, logo ----------------------------------------------------
    Case(
        "tpl-python-internals",
        template("{{ r.__class__.__init__.__globals__ }}"),
        lines=(at(f"{T}:2:0", "E903"),),
    ),
    Case("tpl-power", template("{{ 10**(10**10) }}"), lines=(at(f"{T}:2:0", "E903"),)),
    Case("tpl-string-times", template('{{ "x" * 100000000000 }}'), lines=(at(f"{T}:2:0", "E903"),)),
    Case("tpl-format-width", template('{{ "%200000000s"|format("x") }}'), lines=(at(f"{T}:0:0", "E903"),)),
    Case(
        "tpl-nested-loops",
        template("{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}"),
        lines=(at(f"{T}:0:0", "E903"),),
    ),
    Case("tpl-divide-by-zero", template("{{ 1/0 }}"), lines=(at(f"{T}:2:0", "E903"),)),
    Case(
        "tpl-include-link-outside",
        both(
            link("templates/evil/leak.md.j2", "{outside}/secret.txt"), template('{% include "leak.md.j2" %}')
        ),
        lines=(at("templates/evil/leak.md.j2:0:0", "E110"), at(f"{T}:2:0", "E903")),
    ),
    Case(
        "tpl-include-dotdot",
        template('{% include "../../outside/secret.txt" %}'),
        lines=(at(f"{T}:2:0", "E903"),),
    ),
    Case(
        "tpl-folder-link-outside",
        both(
            write("../outside/evil/report.md.j2", '{% extends "default/report.md.j2" %}\n'),
            link("templates/evil", "{outside}/evil"),
        ),
        lines=(at("templates/evil:0:0", "E110"),),
    ),
    Case(
        "tpl-style-link-outside",
        both(template(""), link("templates/evil/style.yaml", "{outside}/secret.txt")),
        lines=(at("templates/evil/style.yaml:0:0", "E110"),),
    ),
    Case(
        "tpl-style-alias-bomb",
        both(
            template(""),
            write(
                "templates/evil/style.yaml",
                "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                + "".join(
                    f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
                    for p, c in zip("abcdefgh", "bcdefghi", strict=True)
                ),
            ),
        ),
        lines=(at("templates/evil/style.yaml:6:1", "E105"),),
    ),
    # zwpj verify on hostile files ------------------------------------------------------------------------
    Case(
        "verify-fingerprint-outside",
        docx(fingerprint("../outside")),
        args=VERIFY,
        stdout=("不是 evaluations/ 或 indicators/ 下的文件夹",),
        lines=("✗ repo/r.docx",),
    ),
    Case(
        "verify-fingerprint-absolute",
        docx(fingerprint("/etc", "/tmp")),
        args=VERIFY,
        stdout=("不是 evaluations/ 或 indicators/ 下的文件夹",),
        lines=("✗ repo/r.docx",),
    ),
    Case("verify-docx-zip-bomb", docx(64), args=VERIFY, stdout=("超过上限",), lines=("✗ repo/r.docx",)),
    Case(
        "verify-docx-entities",
        docx(BILLION_LAUGHS),
        args=VERIFY,
        stdout=("无法读取 DOCX 文档属性",),
        lines=("✗ repo/r.docx",),
    ),
    Case(
        "verify-pdf-truncated",
        write("r.pdf", b"%PDF-1.7\n1 0 obj <<"),
        args=("verify", "repo/r.pdf"),
        stdout=("无法读取 PDF 元数据",),
        lines=("✗ repo/r.pdf",),
    ),
    Case("verify-a-folder", lambda root: (root / "r.pdf").mkdir(), args=("verify", "repo/r.pdf"), exit=2),
    Case(
        "verify-fifo",
        fifo("r.pdf"),
        args=("verify", "repo/r.pdf"),
        exit=3,
        stderr=("not a regular file",),
    ),
    Case(
        "verify-other-kind",
        write("r.txt", "x"),
        args=("verify", "repo/r.txt"),
        stdout=("只能核验 .docx 或 .pdf",),
        lines=("✗ repo/r.txt",),
    ),
    # the signing key named by the environment --------------------------------------------------------
    Case(
        "sign-key-link-in-repository",
        both(SITE_CONFIG, write("../outside/key.p12", b"x"), link("key.p12", "{outside}/key.p12")),
        args=("build",),
        env={"ZWPJ_SIGN_KEY": "{root}/key.p12"},
        exit=3,
        stderr=("密钥和口令不得放入仓库",),
    ),
    Case(
        "sign-key-device",
        SITE_CONFIG,
        args=("build",),
        env={"ZWPJ_SIGN_KEY": "/dev/zero"},
        exit=3,
        stderr=("不是普通文件",),
    ),
    Case(
        "sign-key-wrong-password",
        both(SITE_CONFIG, write("../outside/key.p12", b"not a pkcs12 file")),
        args=("build",),
        env={"ZWPJ_SIGN_KEY": "{outside}/key.p12", "ZWPJ_SIGN_PASSWORD": "wrong"},
        exit=3,
        stderr=("口令不对",),
    ),
    # zwpj analyze weight changes ------------------------------------------------------------------------
    Case(
        "analyze-divide-by-zero",
        nothing,
        args=("analyze", "mini", "--weight", "A=1/0"),
        exit=2,
        stderr=("分母为 0",),
    ),
    Case(
        "analyze-huge-weight",
        nothing,
        args=("analyze", "mini", "--weight", "A=" + "9" * 30),
        exit=2,
        stderr=("位数过多",),
    ),
    Case("analyze-all-zero", nothing, args=("analyze", "mini", "--weight", "A=0", "--weight", "B=0"), exit=2),
    Case(
        "analyze-system-path", nothing, args=("analyze", "../../outside"), exit=2, stderr=("找不到指标体系",)
    ),
]
