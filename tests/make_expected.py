"""Refresh what the diagnostic tests compare with: the fixtures' ``expected.txt`` and the docs' code table.

Usage::

    python tests/make_expected.py              # every fixture and docs/diagnostics.md
    python tests/make_expected.py CASE ...     # the named fixture folders only
    python tests/make_expected.py --docs       # docs/diagnostics.md only

It prints each case's lines so they can be read before committing: the tests only prove the output did
not change; a person proves it is right (file, line, column, wording).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))

from fixturelib import DOC, GENERATED, INVALID, cases, first_lines, run_case  # noqa: E402

from generator.messages import catalogue_markdown  # noqa: E402


def refresh(case: Path) -> list[str]:
    """Build the case, run its command, write and return the first lines of its diagnostics."""
    with tempfile.TemporaryDirectory() as tmp:
        run = run_case(case, Path(tmp))
    if run.exception is not None:
        raise run.exception
    lines = first_lines(run.stdout)
    (case / "expected.txt").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return lines


def refresh_docs() -> None:
    """Replace the generated part of docs/diagnostics.md, keeping the hand-written introduction."""
    text = DOC.read_text(encoding="utf-8")
    head = text.split(GENERATED)[0].rstrip("\n")
    DOC.write_text(f"{head}\n\n{GENERATED}\n\n{catalogue_markdown()}", encoding="utf-8")
    print(f"== {DOC.name} updated")


def main(args: list[str]) -> None:
    """Refresh the named cases (or all, with the docs)."""
    if args == ["--docs"]:
        refresh_docs()
        return
    chosen = [INVALID / name.rstrip("/").split("/")[-1] for name in args] or cases()
    for case in chosen:
        lines = refresh(case)
        print(f"== {case.name} ({len(lines)})")
        for line in lines:
            print(f"   {line}")
    if not args:
        refresh_docs()


if __name__ == "__main__":
    main(sys.argv[1:])
