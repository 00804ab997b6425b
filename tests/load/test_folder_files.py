"""An evaluation folder's files are listed once when it is loaded; what a narrative may link to is
decided from that list, never by looking at the disk again (hostile targets included)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.load.repository import list_files
from generator.render.narrative import FolderFiles


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """evidence/a.pdf (public), internal/secret.pdf, a link to each, a link out of the folder."""
    root = tmp_path / "evaluations" / "e"
    (root / "evidence").mkdir(parents=True)
    (root / "internal").mkdir()
    (root / "evidence" / "a.pdf").write_bytes(b"%PDF")
    (root / "internal" / "secret.pdf").write_bytes(b"%PDF secret")
    (tmp_path / "outside.pdf").write_bytes(b"%PDF outside")
    os.symlink(root / "internal" / "secret.pdf", root / "evidence" / "looks-public.pdf")
    os.symlink(root / "evidence" / "a.pdf", root / "evidence" / "alias.pdf")
    os.symlink(tmp_path / "outside.pdf", root / "evidence" / "out.pdf")
    os.symlink(root / "internal", root / "evidence" / "dir")  # a folder link into the internal folder
    return root


def test_the_listing_says_what_each_name_is(folder: Path) -> None:
    files = list_files(folder)
    assert files["evidence/a.pdf"].real == "evidence/a.pdf" and files["evidence/a.pdf"].size == 4
    assert files["evidence/looks-public.pdf"].real == "internal/secret.pdf"
    assert files["evidence/out.pdf"].real is None  # a link out of the folder is never followed
    assert "evidence/dir/secret.pdf" not in files  # nor is a linked folder listed through


@pytest.mark.parametrize(
    ("target", "resolved"),
    [
        ("evidence/a.pdf", "evidence/a.pdf"),
        ("./evidence//a.pdf#page=2", "evidence/a.pdf"),
        ("evidence/alias.pdf", "evidence/a.pdf"),
        ("evidence/looks-public.pdf", None),  # a link to an internal file is the internal file
        ("evidence/out.pdf", None),
        ("../e/evidence/a.pdf", None),
        ("evidence/../../e/evidence/a.pdf", None),
        ("%2e%2e/%2e%2e/outside.pdf", None),
        ("/etc/passwd", None),
        ("evidence/a.pdf\0.png", None),
        ("evidence/missing.pdf", None),
        ("internal/secret.pdf", None),
        ("evidence/dir/secret.pdf", None),
        ("", None),
    ],
)
def test_link_targets_are_decided_from_the_listing(folder: Path, target: str, resolved: str | None) -> None:
    public = {
        "evidence/a.pdf",
        "evidence/alias.pdf",
        "evidence/looks-public.pdf",
        "evidence/out.pdf",
        "evidence/dir/secret.pdf",
    }
    files = FolderFiles(folder.resolve(), frozenset(public), list_files(folder))  # link names pass the rules
    assert files.resolve(target) == resolved


def test_a_file_added_after_loading_is_not_linked(folder: Path) -> None:
    files = FolderFiles(
        folder.resolve(), frozenset({"evidence/a.pdf", "evidence/new.pdf"}), list_files(folder)
    )
    (folder / "evidence" / "new.pdf").write_bytes(b"%PDF")
    assert files.resolve("evidence/new.pdf") is None  # what was loaded is what the outputs are made from
