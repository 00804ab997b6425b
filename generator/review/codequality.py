"""``zwpj check --format json`` → a GitLab Code Quality report, so diagnostics show inline on a merge request.

Run from CI: ``python -m generator.review.codequality check.json gl-code-quality.json``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Mapping
from typing import Any

SEVERITY = {"error": "major", "warning": "minor", "todo": "info"}
"""zwpj severity → Code Quality severity."""


def to_codequality(diagnostics: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One Code Quality issue per diagnostic, with a fingerprint stable across runs."""
    issues = []
    for d in diagnostics:
        where = f"{d['file']}:{d['line']}:{d['column']}:{d['code']}"
        description = f"{d['code']} {d['message']}（{d['message_en']}）"
        if d.get("hint"):
            description += f" 提示：{d['hint']}"
        issues.append(
            {
                "description": description,
                "check_name": d["code"],
                "fingerprint": hashlib.sha256(where.encode("utf-8")).hexdigest(),
                "severity": SEVERITY.get(d.get("severity", "error"), "major"),
                "location": {"path": d["file"], "lines": {"begin": max(int(d["line"]), 1)}},
            }
        )
    return issues


def main(argv: list[str] | None = None) -> int:
    """Read the check JSON, write the report."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        sys.stderr.write("用法：python -m generator.review.codequality <check.json> <report.json>\n")
        return 2
    with open(args[0], encoding="utf-8") as handle:
        diagnostics = json.load(handle)
    with open(args[1], "w", encoding="utf-8") as handle:
        json.dump(to_codequality(diagnostics), handle, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
