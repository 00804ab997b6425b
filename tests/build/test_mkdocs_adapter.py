"""The calls ``build.mkdocs_adapter`` makes outside mkdocs' and Material's public API still exist and
do what the build relies on: a new version of either fails here first, not in a built site."""

from __future__ import annotations

import inspect
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from testpaths import ROOT

from generator.build import mkdocs_adapter


def test_installed_and_pinned_versions_are_the_adapters() -> None:
    pinned = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for name, version in mkdocs_adapter.PINNED.items():
        assert f"{name}=={version}" in pinned, f"pyproject.toml pins another {name}: read the adapter again"
        assert metadata.version(name) == version


def test_private_mkdocs_steps_take_the_arguments_the_adapter_gives() -> None:
    from mkdocs.commands import build

    expected = {
        "_populate_page": ["page", "config", "files"],
        "_build_page": ["page", "config", "doc_files", "nav", "env"],
        "_build_theme_template": ["template_name", "env", "files", "config", "nav"],
    }
    for name, leading in expected.items():
        parameters = list(inspect.signature(getattr(build, name)).parameters)
        assert parameters[: len(leading)] == leading, name
    # the public build is these steps: a page populated, then built, the theme's templates between
    source = inspect.getsource(build.build)
    steps = [source.find(f"{name}(") for name in ("_populate_page", "_build_theme_template", "_build_page")]
    assert -1 < steps[0] < steps[1] < steps[2], "mkdocs builds a site in other steps now"


def _entry(body: str) -> dict:
    from material.plugins.search.plugin import SearchIndex

    class Page:
        meta: dict = {}
        url = "p.html"
        title = "标题"

    class Section:
        id = None
        title = ["评价结果"]
        text = [body]

    index = SearchIndex()
    index.create_entry_for_section(Section(), [], "p.html", Page())
    return index.entries[-1]


def test_material_search_segments_only_while_it_sees_jieba() -> None:
    from material.plugins.search import plugin

    class Jieba:
        @staticmethod
        def cut(data: bytes) -> list[str]:
            return list(data.decode("utf-8"))  # every character a word

    saved = plugin.jieba
    fake = plugin.jieba = Jieba()
    try:
        assert "\u200b" in _entry("政务服务")["text"], "Material no longer segments through plugin.jieba"
        with mkdocs_adapter.without_segmentation():
            assert _entry("政务服务") == {"location": "p.html", "title": "评价结果", "text": "政务服务"}
        assert plugin.jieba is fake, "the same object put back after the block"
        with pytest.raises(RuntimeError), mkdocs_adapter.without_segmentation():
            raise RuntimeError("a page fails to render")
        assert plugin.jieba is fake, "and after a block that raised"
    finally:
        plugin.jieba = saved


def test_the_sites_search_plugin_keeps_its_entries_where_the_adapter_reads_them(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    (tmp_path / "docs").mkdir()
    config = load_config(
        str(ROOT / "mkdocs.yml"), docs_dir=str(tmp_path / "docs"), site_dir=str(tmp_path / "site")
    )
    # None in a fresh process; mkdocs keeps plugin instances across the configurations one process reads,
    # so after an earlier build in this test process it is that build's index
    before = mkdocs_adapter.search_index(config)
    config = config.plugins.on_config(config)
    index = mkdocs_adapter.search_index(config)
    assert index is not None and index is not before, "made when the configuration is read"
    assert index.entries == [], "the list a page's sections are added to (_entry)"
