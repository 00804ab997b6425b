"""Write a sample record into ``evaluation.yaml``, keeping the file's comments and layout.

Uses ruamel.yaml's round-trip mode: comments, key order, quoting and block scalars survive;
only the ``sampling`` list changes. A record with the same id is replaced (a re-draw).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.load.frames import SampleError, frame_sha256, read_frame
from generator.load.repository import parse_model
from generator.model.evaluation import Evaluation, SampleRecord
from generator.validate.process.sampling import ALGORITHM, draw

PLACE_BEFORE = ("activities", "submission", "confirmation", "previous", "extra")
"""A new ``sampling`` key goes before the first of these (after datasets), else at the end."""


def next_id(ev: Evaluation) -> str:
    """S1, S2, …: the first id not yet used."""
    used = {s.id for s in ev.sampling}
    return next(f"S{n}" for n in range(1, len(used) + 2) if f"S{n}" not in used)


def make_record(
    folder: Path,
    frame: Path,
    *,
    sample_id: str,
    what: str,
    key: str | None,
    method: str,
    size: int,
    seed: int,
    by: str | None = None,
    date: dt.date | None = None,
    internal: bool = False,
) -> SampleRecord:
    """Draw from ``frame`` (a file inside ``folder``) and describe the draw as a record."""
    frame = frame.resolve()
    if not frame.is_relative_to(folder.resolve()):
        raise SampleError("sample_frame_outside_folder", folder=folder.name)
    table = read_frame(frame)
    key = key or table.columns[0]
    result = draw(table, key=key, method=method, size=size, seed=seed, by=by)
    return SampleRecord(
        id=sample_id,
        what=what,
        frame=frame.relative_to(folder.resolve()).as_posix(),
        sha256=frame_sha256(frame),
        key=key,
        method=method,
        by=by if method == "stratified" else None,
        size=size,
        seed=seed,
        algorithm=ALGORITHM,
        strata=result.strata,
        drawn=list(result.drawn),
        date=date,
        internal=internal,
    )


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _as_yaml(record: SampleRecord) -> CommentedMap:
    """The record as a mapping, defaults and empty values left out; keys in a flow list."""
    data: dict[str, Any] = record.model_dump(exclude_defaults=True, exclude={"algorithm"})
    data["algorithm"] = record.algorithm
    out = CommentedMap()
    for name in SampleRecord.model_fields:
        if name in data and data[name] not in (None, {}, []):
            out[name] = data[name]
    drawn = CommentedSeq(record.drawn)
    drawn.fa.set_flow_style()
    out["drawn"] = drawn
    return out


def write_record(path: Path, record: SampleRecord) -> str:
    """Add or replace the record in ``evaluation.yaml``; returns the new text (also written)."""
    yaml = _yaml()
    text = path.read_text(encoding="utf-8")
    doc = yaml.load(text)
    entry = _as_yaml(record)
    records = doc.get("sampling")
    if records is None:
        records = CommentedSeq()
        position = next((list(doc).index(k) for k in PLACE_BEFORE if k in doc), len(doc))
        doc.insert(position, "sampling", records)
    index = next((i for i, r in enumerate(records) if r.get("id") == record.id), None)
    if index is None:
        records.append(entry)
    else:
        records[index] = entry
    buffer = io.StringIO()
    yaml.dump(doc, buffer)
    new = buffer.getvalue()
    path.write_text(new, encoding="utf-8")
    return new


def sample_into(
    folder: Path,
    frame: Path,
    *,
    what: str,
    key: str | None,
    method: str,
    size: int,
    seed: int,
    by: str | None = None,
    sample_id: str | None = None,
    date: dt.date | None = None,
    internal: bool = False,
    write: bool = True,
) -> SampleRecord:
    """Draw from ``frame`` and record the draw in ``folder``/evaluation.yaml (unless ``write`` is False)."""

    path = folder / "evaluation.yaml"
    _source, ev, _problems = parse_model(path, path.name, Evaluation)
    if ev is None:
        raise SampleError("sample_evaluation_unparsed", folder=folder.name)
    record = make_record(
        folder,
        frame,
        sample_id=sample_id or next_id(ev),
        what=what,
        key=key,
        method=method,
        size=size,
        seed=seed,
        by=by,
        date=date,
        internal=internal,
    )
    if write:
        write_record(path, record)
    return record
