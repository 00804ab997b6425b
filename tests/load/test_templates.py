"""The report templates are read once by the load stage, under the guards of every other input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.load import templates as loading
from generator.load.templates import TEMPLATE_BYTES, load_templates
from generator.paths import TooLarge


def _root(tmp_path: Path) -> Path:
    root = tmp_path / "templates"
    (root / "body").mkdir(parents=True)
    (root / "body" / "report.md.j2").write_text("ok", encoding="utf-8")
    return root


def test_files_inside_are_read_and_a_link_out_or_a_pipe_never(tmp_path: Path) -> None:
    root = _root(tmp_path)
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", root / "body" / "leak.j2")
    os.symlink(tmp_path, root / "out")
    os.mkfifo(root / "body" / "pipe.j2")
    files = load_templates(tmp_path, [root])
    assert files.read(root / "body" / "report.md.j2") == b"ok"
    for name in ("leak.j2", "pipe.j2"):
        assert files.exists(root / "body" / name) and not files.regular(root / "body" / name)
        with pytest.raises(FileNotFoundError):
            files.read(root / "body" / name)
    assert files.names() == ["body"], "a folder linked out of templates/ is no template"
    assert not any(b"SECRET" in (e.data or b"") for e in files.entries.values())
    assert [d.code for d in files.problems] == ["E111"]  # the pipe (the links stay in the repository)


def test_links_to_folders_inside_are_followed_once(tmp_path: Path) -> None:
    root = _root(tmp_path)
    os.symlink("body", root / "alias")
    os.symlink("..", root / "body" / "up")  # a loop
    files = load_templates(tmp_path, [root])
    assert files.read(root / "alias" / "report.md.j2") == b"ok"
    assert files.names() == ["alias", "body"]
    assert len(files.entries) < 20


def test_a_file_too_large_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _root(tmp_path)
    (root / "body" / "big.j2").write_bytes(b"x" * (TEMPLATE_BYTES + 1))
    files = load_templates(tmp_path, [root])
    with pytest.raises(TooLarge):
        files.read(root / "body" / "big.j2")
    monkeypatch.setattr(loading, "TEMPLATE_TOTAL_BYTES", 3)  # past the budget of the whole root
    (root / "body" / "z.j2").write_bytes(b"zz")
    files = load_templates(tmp_path, [root])
    assert files.read(root / "body" / "report.md.j2") == b"ok"
    with pytest.raises(TooLarge):
        files.read(root / "body" / "z.j2")
