"""What the build uses of mkdocs and Material beyond their public API: only here, checked by a test.

The build renders pages one at a time (changed pages only, spread over forked workers), which
mkdocs' public API does not offer: ``mkdocs.commands.build.build`` renders every page of a site in
one call, and its ``dirty`` mode goes by file times and leaves unchanged pages out of the search
index and the anchor check. So the build calls the three steps ``build`` is made of, which mkdocs
keeps private: ``_populate_page`` (Markdown to HTML, with the plugins' page events),
``_build_page`` (the theme's template around it) and ``_build_theme_template`` (sitemap, 404 page).

Material's search plugin keeps the entries of the pages it has seen in its ``search_index``
(``search_index``): the renderer takes each page's entries from there, and empties it before the
plugin writes its own index, which the site replaces by its own (``build.search``).

Material's search plugin cuts Chinese text into words with jieba whenever jieba can be imported,
and no setting turns that off. The site's own index (``build.search``) removes the word breaks
again, so they change nothing but the time a build takes: ``without_segmentation`` tells the plugin
there is no jieba while pages render, so an environment that happens to have it builds as fast as
one without.

These names are those of the pinned versions (``PINNED``, the same as pyproject.toml);
``tests/test_mkdocs_adapter.py`` checks that they exist with the arguments used here and do what
the build relies on, so a new mkdocs or Material fails there first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

PINNED = {"mkdocs": "1.6.1", "mkdocs-material": "9.7.7"}
"""The versions these calls were written for (pyproject.toml pins the same)."""


def populate_page(page: Any, config: Any, files: Any) -> None:
    """Read a page's Markdown and convert it to HTML, with the plugins' page events (``on_pre_page``,
    ``on_page_markdown``, ``on_page_content``)."""
    from mkdocs.commands.build import _populate_page

    _populate_page(page, config, files)


def build_page(page: Any, config: Any, pages: Any, nav: Any, env: Any) -> None:
    """Put a populated page in the theme's template (``on_page_context`` …) and write its HTML."""
    from mkdocs.commands.build import _build_page

    _build_page(page, config, pages, nav, env)


def build_theme_template(name: str, env: Any, files: Any, config: Any, nav: Any) -> None:
    """Write one of the theme's static templates (``sitemap.xml`` with its ``.gz``, ``404.html``)."""
    from mkdocs.commands.build import _build_theme_template

    _build_theme_template(name, env, files, config, nav)


def search_index(config: Any) -> Any | None:
    """Material's search index of this build (its ``entries`` list grows as pages render), or None
    when the configuration has no search plugin."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    return getattr(plugin, "search_index", None)


@contextlib.contextmanager
def without_segmentation() -> Iterator[None]:
    """Material's search plugin sees no jieba in the block (the site's index needs no word breaks)."""
    from material.plugins.search import plugin

    saved = getattr(plugin, "jieba", None)
    plugin.jieba = None
    try:
        yield
    finally:
        plugin.jieba = saved
