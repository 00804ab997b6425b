"""The validator's side of sampling: re-draw every recorded sample and compare."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import Diagnostic
from generator.load.frames import FrameRead, SampleError
from generator.load.repository import LoadedEvaluation
from generator.model.evaluation import SampleRecord
from generator.validate.process.sampling import draw


def check_sampling(loaded: LoadedEvaluation) -> Iterator[Diagnostic]:
    """Unique ids; each record's frame present and unchanged; its sample re-drawn identically."""
    seen: set[str] = set()
    for i, record in enumerate(loaded.evaluation.sampling):
        if record.id in seen:
            yield loaded.source.diag(("sampling", i, "id"), "E512", detail="sample_record", id=record.id)
        seen.add(record.id)
        yield from check_record(loaded, i, record, loaded.frames[i])


def check_record(
    loaded: LoadedEvaluation, i: int, record: SampleRecord, read: FrameRead
) -> Iterator[Diagnostic]:
    """E406/E407 for the frame file, E508 when it changed, E509 when the re-draw differs, E510
    otherwise; ``read`` is the frame file as loaded."""
    src, at = loaded.source, ("sampling", i)
    if read.located:
        yield from read.located
        return
    actual = read.sha256
    if actual is None:
        if read.error is not None:  # nothing at all for a link out of the repository: E110/E111
            yield _e510(loaded, at, record, read.error)
        return
    if actual != record.sha256:
        yield src.diag(
            (*at, "sha256"),
            "E508",
            frame=record.frame,
            recorded=record.sha256[:12] + "…",
            actual=actual[:12] + "…",
        )
    if record.method == "stratified" and not record.by:
        missing_by = SampleError("sample_record_without_by")
        yield _e510(loaded, (*at, "method"), record, missing_by)
        return
    if read.frame is None:
        assert read.error is not None, "a frame not read says why"
        yield _e510(loaded, at, record, read.error)
        return
    try:
        again = draw(
            read.frame,
            key=record.key,
            method=record.method,
            size=record.size,
            seed=record.seed,
            by=record.by,
        )
    except SampleError as exc:
        yield _e510(loaded, at, record, exc)
        return
    if record.method == "stratified" and dict(sorted(record.strata.items())) != again.strata:
        shown = "、".join(f"{k} {v}" for k, v in again.strata.items())
        yield src.diag(
            (*at, "strata"),
            "E509",
            id=record.id,
            seed=record.seed,
            detail="strata_should_be",
            shown=shown,
            strata=again.strata,
        )
    if list(record.drawn) != list(again.drawn):
        extra = [k for k in record.drawn if k not in again.drawn][:5]
        lacking = [k for k in again.drawn if k not in record.drawn][:5]
        yield src.diag(
            (*at, "drawn"),
            "E509",
            id=record.id,
            seed=record.seed,
            detail=_difference(extra, lacking),
            extra_zh="、".join(extra),
            extra_en=", ".join(extra),
            lacking_zh="、".join(lacking),
            lacking_en=", ".join(lacking),
        )


def _difference(extra: list[str], lacking: list[str]) -> str:
    """The variant of E509 that says how the recorded draw differs."""
    if extra and lacking:
        return "drawn_extra_and_missing"
    if extra:
        return "drawn_extra"
    if lacking:
        return "drawn_missing"
    return "drawn_order_or_repeats"


def _e510(
    loaded: LoadedEvaluation, at: tuple[str | int, ...], record: SampleRecord, exc: SampleError
) -> Diagnostic:
    return loaded.source.diag(at, "E510", id=record.id, detail_zh=exc.zh, detail_en=exc.en, hint=exc.hint)
