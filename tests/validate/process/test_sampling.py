"""Sampling (§8.2): reproducible draws, proportional strata, frame files, the record in evaluation.yaml."""

from __future__ import annotations

import random
import shutil
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from testpaths import FIXTURES

from generator.cli import main
from generator.load.frames import Frame, SampleError, frame_sha256, read_frame
from generator.model.evaluation import SampleRecord
from generator.pipeline import check
from generator.sample_write import write_record
from generator.validate.process.sampling import allocate, draw

BASE = FIXTURES / "process" / "base"

FRAME = Frame(("code", "dept"), tuple({"code": f"K{i:03d}", "dept": "甲乙丙"[i % 3]} for i in range(1, 41)))
"""40 rows, keys K001..K040, three departments."""


def test_simple_draw_is_the_same_everywhere() -> None:
    """Golden values: a machine or Python version that draws differently fails here."""
    got = draw(FRAME, key="code", method="simple", size=5, seed=20241104)
    assert got.drawn == ("K002", "K027", "K030", "K031", "K038")


def test_stratified_draw_is_the_same_everywhere() -> None:
    got = draw(FRAME, key="code", method="stratified", by="dept", size=7, seed=42)
    assert got.strata == {"丙": 2, "乙": 3, "甲": 2}
    assert got.drawn == ("K001", "K005", "K010", "K026", "K027", "K031", "K036")


def test_draw_follows_the_plain_mt19937_stream() -> None:
    """An independent MT19937 (numpy's, seeded by init_by_array like Python) gives the same sample.

    So the sample depends on the seed through the published Mersenne Twister algorithm only, not
    on anything particular to one CPython build.
    """
    stream = np.random.RandomState([20241104])
    pool = sorted(row["code"] for row in FRAME.rows)
    for i in range(5):
        j = i + int(stream.random_sample() * (len(pool) - i))
        pool[i], pool[j] = pool[j], pool[i]
    assert tuple(sorted(pool[:5])) == draw(FRAME, key="code", method="simple", size=5, seed=20241104).drawn


def test_row_order_in_the_file_does_not_matter() -> None:
    rows = list(FRAME.rows)
    random.Random(1).shuffle(rows)
    shuffled = Frame(FRAME.columns, tuple(rows))
    for method in ("simple", "stratified"):
        a = draw(FRAME, key="code", method=method, by="dept", size=9, seed=3)
        b = draw(shuffled, key="code", method=method, by="dept", size=9, seed=3)
        assert a == b


def test_draw_uses_only_random(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only random() carries Python's cross-version guarantee; sample() and shuffle() must not be used."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("not covered by the reproducibility guarantee")

    for name in ("sample", "shuffle", "choice", "choices", "randrange", "randint"):
        monkeypatch.setattr(random.Random, name, forbidden)
    assert len(draw(FRAME, key="code", method="stratified", by="dept", size=6, seed=1).drawn) == 6


def test_different_seeds_differ_and_strata_hold() -> None:
    a = draw(FRAME, key="code", method="stratified", by="dept", size=12, seed=1)
    b = draw(FRAME, key="code", method="stratified", by="dept", size=12, seed=2)
    assert a.drawn != b.drawn and a.strata == b.strata == {"丙": 4, "乙": 4, "甲": 4}
    dept = {row["code"]: row["dept"] for row in FRAME.rows}
    for got in (a, b):
        assert {d: sum(dept[k] == d for k in got.drawn) for d in "甲乙丙"} == {"甲": 4, "乙": 4, "丙": 4}
        assert len(set(got.drawn)) == 12


@pytest.mark.parametrize(
    ("sizes", "n", "expected"),
    [
        ({"a": 50, "b": 30, "c": 20}, 10, {"a": 5, "b": 3, "c": 2}),
        ({"a": 1, "b": 1, "c": 1}, 2, {"a": 1, "b": 1, "c": 0}),
        ({"a": 7, "b": 2, "c": 1}, 5, {"a": 4, "b": 1, "c": 0}),
        ({"x": 128, "y": 80, "z": 32}, 30, {"x": 16, "y": 10, "z": 4}),
        ({"a": 3}, 3, {"a": 3}),
    ],
)
def test_allocation_by_largest_remainder(sizes: dict[str, int], n: int, expected: dict[str, int]) -> None:
    assert allocate(sizes, n) == expected
    assert sum(allocate(sizes, n).values()) == n


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"key": "nope", "method": "simple", "size": 1}, "没有列"),
        ({"key": "dept", "method": "simple", "size": 1}, "不唯一"),
        ({"key": "code", "method": "simple", "size": 41}, "超过抽样框行数"),
        ({"key": "code", "method": "stratified", "size": 3}, "分层列"),
    ],
)
def test_impossible_requests(kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(SampleError) as err:
        draw(FRAME, seed=1, **kwargs)  # type: ignore[arg-type]
    assert fragment in err.value.zh


def test_csv_and_xlsx_frames_give_the_same_draw(tmp_path: Path) -> None:
    csv_path = tmp_path / "frame.csv"
    lines = "".join(f"{r['code']},{r['dept']}\n" for r in FRAME.rows)
    csv_path.write_text("code,dept\n" + lines, encoding="utf-8")
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "dept"])
    for r in FRAME.rows:
        sheet.append([r["code"], r["dept"]])
    xlsx_path = tmp_path / "frame.xlsx"
    book.save(xlsx_path)
    a = draw(read_frame(csv_path), key="code", method="stratified", by="dept", size=8, seed=9)
    b = draw(read_frame(xlsx_path), key="code", method="stratified", by="dept", size=8, seed=9)
    assert a == b == draw(FRAME, key="code", method="stratified", by="dept", size=8, seed=9)


def test_sha256_ignores_line_endings_of_csv_only(tmp_path: Path) -> None:
    lf, crlf, other = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    lf.write_bytes(b"k\n1\n2\n")
    crlf.write_bytes(b"k\r\n1\r\n2\r\n")
    other.write_bytes(b"k\n1\n3\n")
    assert frame_sha256(lf) == frame_sha256(crlf) != frame_sha256(other)


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    return root


def test_sample_command_writes_a_record_the_validator_accepts(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    folder = root / "evaluations" / "2024-demo"
    before = (folder / "evaluation.yaml").read_text(encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "sample",
            str(folder),
            "--frame",
            str(folder / "sampling" / "items.csv"),
            "--method",
            "simple",
            "--size",
            "4",
            "--seed",
            "99",
            "--id",
            "S3",
            "--what",
            "办事指南",
            "--date",
            "2024-11-02",
        ],
    )
    assert result.exit_code == 0, result.output
    after = (folder / "evaluation.yaml").read_text(encoding="utf-8")
    edits = SequenceMatcher(None, before.splitlines(), after.splitlines()).get_opcodes()
    assert {op for op, *_ in edits} == {"equal", "insert"}  # comments and layout kept, lines only added
    assert "id: S3" in after and "seed: 99" in after
    assert check(root).diagnostics == []


def test_re_drawing_with_the_same_id_replaces_the_record(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    folder = root / "evaluations" / "2024-demo"
    args = [
        "sample",
        str(folder),
        "--frame",
        str(folder / "sampling" / "items.csv"),
        "--size",
        "2",
        "--id",
        "S1",
        "--date",
        "2024-11-01",
    ]
    assert CliRunner().invoke(main, [*args, "--seed", "5"]).exit_code == 0
    text = (folder / "evaluation.yaml").read_text(encoding="utf-8")
    assert text.count("id: S1") == 1 and "seed: 5" in text and "seed: 20241101" not in text
    assert check(root).diagnostics == []


def test_frame_outside_the_folder_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    outside = tmp_path / "frame.csv"
    outside.write_text("k\n1\n2\n", encoding="utf-8")
    folder = root / "evaluations" / "2024-demo"
    args = ["sample", str(folder), "--frame", str(outside), "--size", "1", "--seed", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "评价文件夹内" in result.output


def test_write_record_adds_the_key_after_datasets(tmp_path: Path) -> None:
    path = tmp_path / "evaluation.yaml"
    path.write_text("# keep me\nid: x\ndatasets:\n  a: b.csv  # and me\nactivities: []\n", encoding="utf-8")
    record = SampleRecord(
        id="S1",
        what="w",
        frame="f.csv",
        sha256="0" * 64,
        key="k",
        method="simple",
        size=1,
        seed=1,
        drawn=["a"],
    )
    text = write_record(path, record)
    assert text.startswith("# keep me\nid: x\ndatasets:\n  a: b.csv  # and me\nsampling:\n  - id: S1\n")
    assert text.rstrip().endswith("activities: []")
