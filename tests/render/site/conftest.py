"""Fixtures of the browser tests of the site: one Chromium per test file, one screenshot folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import launch_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch_chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``$ZWPJ_SCREENSHOTS``, else a temporary folder."""
    folder = Path(os.environ.get("ZWPJ_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
