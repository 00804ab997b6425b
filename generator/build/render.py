"""HTML from the docs folder with mkdocs' own machinery, rendering only pages that changed.

``mkdocs build`` converts and templates every page on every run. Here the same steps run
(configuration, plugins' events, files, navigation, populating and building a page, the theme's
sitemap and 404 page, anchor validation, the search index; ``build.mkdocs_adapter`` holds the
calls mkdocs keeps private), but a page whose
Markdown and surroundings are unchanged since an earlier build is taken from the cache: its HTML
(hard-linked), its search entries, anchors and warnings. What surrounds a page is hashed into
every page's key: mkdocs.yml, the theme's own folders, the versions of the packages, the list of
pages (links are resolved against it) and the navigation's titles. Pages that do need rendering
are spread over forked workers. The output is what ``mkdocs build`` writes followed by
``index_site_search`` (a test compares them file by file). The build's date is given, never read
from the clock or the environment: ``BuildDate`` puts it where mkdocs would.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import sysconfig
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.plugins import BasePlugin

from generator.build.cache import Cache, code_digest, digest, tree_files
from generator.build.memory import long_lived
from generator.build.mkdocs_adapter import (
    build_page,
    build_theme_template,
    populate_page,
    search_index,
    without_segmentation,
)
from generator.build.notfound import portable_not_found
from generator.build.progress import Progress, silent
from generator.build.search import documents, write_search_index
from generator.build.workers import fork_map
from generator.render.edition import BANNER, ROBOTS, TITLE_PREFIX, Edition

if TYPE_CHECKING:
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

DATE_VARIABLES = re.compile(r"build_date_utc|update_date")
"""Template variables that hold the build's date."""
SITEMAPS = frozenset({"sitemap.xml"})
"""Theme templates the internal edition does not render (mkdocs writes sitemap.xml.gz with it)."""
HTML_KIND = "html"
"""Cache folder of rendered pages (plain HTML files, hard-linked into the site)."""
_UNSEEN = object()


class RenderError(Exception):
    """mkdocs failed or warned in strict mode; the message lists the warnings."""


def _source_of(file: File) -> Path:
    """The Markdown file a page is read from (every page the site renders is a file in its folder)."""
    assert file.abs_src_path is not None, f"{file.src_uri} is not a file in the docs folder"
    return Path(file.abs_src_path)


def _page_of(file: File) -> Page:
    """The page mkdocs made for a documentation file (``_render`` makes one for each)."""
    assert file.page is not None, f"{file.src_uri} has no page"
    return file.page


@dataclass(frozen=True)
class Rendered:
    """What a later build needs of a rendered page without rendering it again."""

    entries: str
    """Its search index entries, in order, as JSON text (comma-separated, as they appear in the
    index): kept and joined as text, since a thousand pages' entries are tens of megabytes."""
    anchors: frozenset[str]
    """Anchor ids present on the page."""
    links: tuple[tuple[str, str, str], ...]
    """(page linked to, anchor, link as written) for links into other pages' anchors."""
    warnings: tuple[str, ...]
    """What mkdocs warned about while rendering it."""
    stamp: tuple[int, int] | None = None
    """(size, mtime in ns) of the cached HTML file, to notice it was changed in place."""


@dataclass
class RenderStats:
    """What the render step did."""

    pages: int = 0
    """Markdown pages in the site."""
    rendered: int = 0
    """Pages rendered afresh (the rest came from the cache)."""


class MkdocsWarnings(logging.Handler):
    """Collects mkdocs' warnings (strict mode fails on any), so a failure can say what went wrong."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class BuildDate(BasePlugin):
    """The build's date where templates see it (``build_date_utc``), instead of the clock.

    mkdocs reads the date from ``SOURCE_DATE_EPOCH`` in the environment, else the clock; the
    renderer is given it instead, so no build changes the process's environment. Pages' own
    ``update_date`` (the sitemap's ``lastmod``) is set by ``SiteRenderer`` on every page.
    """

    NAME = "zwpj/build-date"
    """Its name among the configuration's plugins."""

    def __init__(self, epoch: int) -> None:
        self.when = dt.datetime.fromtimestamp(epoch, dt.UTC)

    def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        context["build_date_utc"] = self.when
        return context

    def on_template_context(self, context: Any, *, template_name: str, config: Any) -> Any:
        context["build_date_utc"] = self.when
        return context


class SiteRenderer:
    """One mkdocs build of a docs folder into an empty site folder, dated ``epoch`` (seconds, UTC).

    In the internal ``edition`` the theme marks every page (``config.extra.zwpj_internal``, read by
    the theme override ``main.html``), and the site has no address and no sitemap: nothing in it
    points readers or search engines at the public site's address or at itself.
    """

    def __init__(
        self,
        config_file: Path,
        docs_dir: Path,
        site_dir: Path,
        cache: Cache,
        edition: Edition = Edition.PUBLIC,
        *,
        epoch: int,
    ) -> None:
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        self.cache = cache
        self.link = Linker()
        """Puts cached pages and docs files into the site."""
        self.docs_dir = docs_dir.resolve()
        self.warnings = MkdocsWarnings()
        logging.getLogger("mkdocs").addHandler(self.warnings)
        try:
            self.config = load_config(
                str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True
            )
        except MkDocsException as exc:  # mkdocs' Abort would otherwise end the process without a word
            self.close()
            detail = "；".join(self.warnings.messages[:10]) or str(exc)
            raise RenderError(f"站点配置 {config_file} 有误：{detail}") from exc
        self.config_text = config_file.read_bytes()
        self.epoch = epoch
        self.config.plugins[BuildDate.NAME] = BuildDate(epoch)
        self.edition = edition
        if not edition.public:
            self.config.extra["zwpj_internal"] = {
                "banner": BANNER,
                "title_prefix": TITLE_PREFIX,
                "robots": ROBOTS,
            }
            self.config["site_url"] = None

    def close(self) -> None:
        """Detach from mkdocs' logger."""
        logging.getLogger("mkdocs").removeHandler(self.warnings)

    def render(self, *, jobs: int = 1, progress: Progress = silent) -> RenderStats:
        """Build the site; raises RenderError on a failure or (strict mode) any warning."""
        from mkdocs.exceptions import MkDocsException

        config = self.config
        self.link = Linker()  # a new site: no folder made yet
        config.plugins.on_startup(command="build", dirty=False)
        try:
            with without_segmentation():
                return self._render(jobs, progress)
        except MkDocsException as exc:
            raise RenderError("；".join(self.warnings.messages[:10]) or str(exc)) from exc
        finally:
            config.plugins.on_shutdown()

    def _render(self, jobs: int, progress: Progress) -> RenderStats:
        from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation
        from mkdocs.structure.pages import Page

        config = self.config = self.config.plugins.on_config(self.config)
        config.plugins.on_pre_build(config=config)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
        day = dt.datetime.fromtimestamp(self.epoch, dt.UTC).strftime("%Y-%m-%d")
        for file in pages:
            page = file.page if file.page is not None else Page(None, file, config)
            page.update_date = day  # mkdocs took it from the clock or the environment
        keys = self._keys(pages, nav)
        env = config.plugins.on_env(env, config=config, files=files)
        self._copy_static(files)
        for template in sorted(config.theme.static_templates):
            if template in SITEMAPS and not self.edition.public:
                continue  # nothing invites search engines into the internal edition
            build_theme_template(template, env, files, config, nav)
        with long_lived():
            done: list[Rendered | None] = [self._reuse(f, k) for f, k in zip(pages, keys, strict=True)]
        missing = [i for i, r in enumerate(done) if r is None]

        def render_one(i: int) -> Rendered:
            return self._render_page(pages[i], keys[i], files, pages, nav, env)

        rendered = fork_map(render_one, missing, jobs=jobs, progress=progress, stage="render")
        for i, made in zip(missing, rendered, strict=True):
            done[i] = made
        finished = [r for r in done if r is not None]
        self._validate_anchors(pages, finished, files)
        index = search_index(self.config)
        searched = index is not None
        if index is not None:
            index.entries = []  # the plugin writes an index without pages, removed below
        config.plugins.on_post_build(config=config)
        if searched:
            folder = Path(config.site_dir) / "search"
            (folder / "search_index.json").unlink(missing_ok=True)
            entries = json.loads("[" + ",".join(r.entries for r in finished if r.entries) + "]")
            write_search_index(documents(entries), folder)
        portable_not_found(Path(config.site_dir), config.site_url)
        for r in finished:
            self.warnings.messages.extend(r.warnings)
        if self.warnings.messages:
            raise RenderError("；".join(self.warnings.messages[:10]))
        return RenderStats(len(pages), len(missing))

    def _keys(self, pages: Sequence[File], nav: Any) -> list[str]:
        """Each page's key: its Markdown's hash and the hash of everything around it."""
        for item in nav.pages:
            if item.markdown is None:
                item.read_source(self.config)  # titles in the navigation appear on every page
        context = digest(
            "html",
            code_digest(),
            self.edition,
            self.config_text,
            _theme_digest(self.config, self.cache, self.epoch),
            *(f.src_uri for f in pages),
            *(f"{p.file.src_uri}\0{p.title}" for p in nav.pages),
        )
        return [digest(context, f.src_uri, self.cache.file_digest(_source_of(f))) for f in pages]

    def _reuse(self, file: Any, key: str) -> Rendered | None:
        """A page from the cache: its HTML linked into the site, or None when not cached or changed."""
        rendered = self.cache.get("rendered", key)
        source = self.cache.path(HTML_KIND, key)
        if rendered is None or source is None or rendered.stamp is None:
            return None
        try:
            st = source.stat()
            if (st.st_size, st.st_mtime_ns) != rendered.stamp:
                return None  # the site file sharing it was edited in place
            self.link(source, Path(file.abs_dest_path))
        except OSError:
            return None
        return rendered

    def _render_page(
        self, file: Any, key: str, files: Any, pages: Sequence[File], nav: Any, env: Any
    ) -> Rendered:
        """Render one page as mkdocs does (in a worker) and put it in the cache."""
        search = search_index(self.config)
        before = len(search.entries) if search is not None else 0
        start = len(self.warnings.messages)
        page = file.page
        populate_page(page, self.config, files)
        build_page(page, self.config, pages, nav, env)
        links = tuple(
            (to.src_uri, anchor, original)
            for to, found in (page.links_to_anchors or {}).items()
            for anchor, original in found.items()
        )
        rendered = Rendered(
            ",".join(_json(e) for e in search.entries[before:]) if search is not None else "",
            frozenset(page.present_anchor_ids or ()),
            links,
            tuple(self.warnings.messages[start:]),
        )
        del self.warnings.messages[start:]  # reported with the page, cached or not
        if search is not None:
            del search.entries[before:]  # returned with the page: a worker keeps nothing of it
        page.markdown, page.content, page.toc = "", None, []
        return self._store(file, key, rendered)

    def _store(self, file: Any, key: str, rendered: Rendered) -> Rendered:
        out = Path(file.abs_dest_path)
        stamp = self.cache.keep_file(HTML_KIND, key, out) if out.is_file() else None
        if stamp is None:
            return rendered
        stamped = Rendered(rendered.entries, rendered.anchors, rendered.links, rendered.warnings, stamp)
        self.cache.put("rendered", key, stamped)
        return stamped

    def _validate_anchors(self, pages: Sequence[File], rendered: list[Rendered], files: Any) -> None:
        """mkdocs' check of links into other pages' anchors, over cached and fresh pages alike."""
        level = self.config.validation.links.anchors
        for file, r in zip(pages, rendered, strict=True):
            _page_of(file).present_anchor_ids = set(r.anchors)
        found: dict[str, Any] = {}  # pages link to the same few thousand pages over and over
        for file, r in zip(pages, rendered, strict=True):
            links: dict[Any, dict[str, str]] = {}
            for uri, anchor, original in r.links:
                target = found.get(uri, _UNSEEN)
                if target is _UNSEEN:
                    target = found[uri] = files.get_file_from_path(uri)
                if target is not None:
                    links.setdefault(target, {})[anchor] = original
            page = _page_of(file)
            page.links_to_anchors = links
            page.validate_anchor_links(files=files, log_level=level)

    def _copy_static(self, files: Any) -> None:
        """Other files: from the docs folder linked (never rewritten in place), from the theme copied."""
        from mkdocs.structure.files import InclusionLevel

        for file in files:
            if file.is_documentation_page() or not InclusionLevel.is_included(file.inclusion):
                continue
            if file.abs_src_path is None:
                file.copy_file()
                continue
            source = Path(file.abs_src_path)
            if source.is_relative_to(self.docs_dir):
                self.link(source, Path(file.abs_dest_path))
            else:
                Path(file.abs_dest_path).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, file.abs_dest_path)


def _json(value: Any) -> str:
    """Compact UTF-8 JSON of one search entry."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _theme_digest(config: Any, cache: Cache, epoch: int) -> str:
    """Hash of the theme's folders outside installed packages (``custom_dir``); packages go by version.

    The build date enters the hash only if such a template uses it: the installed themes print it
    in the sitemap alone, which is made afresh on every build.
    """
    installed = Path(sysconfig.get_paths()["purelib"]).resolve()
    parts = []
    for folder in map(Path, config.theme.dirs):
        if folder.resolve().is_relative_to(installed):
            parts.append(str(folder))
            continue
        for path in tree_files(folder):
            parts.append(f"{path.relative_to(folder)}\0{cache.file_digest(path)}")
            if path.suffix == ".html" and DATE_VARIABLES.search(
                path.read_text(encoding="utf-8", errors="replace")
            ):
                parts.append(str(epoch))
    return digest(*parts)


class Linker:
    """Puts files in place by hard link (else by copy), making each folder once: a site has a few
    hundred folders and thousands of files. A forked worker adds to its own copy."""

    def __init__(self) -> None:
        self.made: set[str] = set()
        """Folders made so far."""

    def __call__(self, source: Path, dest: Path) -> None:
        """Put ``source`` at ``dest`` by hard link (replacing what is there), else by copy."""
        parent = str(dest.parent)
        if parent not in self.made:
            dest.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(parent)
        link_or_copy(source, dest)


def link_or_copy(source: Path, dest: Path) -> None:
    """Put ``source`` at ``dest`` (its folder exists) by hard link, replacing what is there, else by copy."""
    try:
        os.link(source, dest)
    except FileExistsError:
        dest.unlink()
        os.link(source, dest)
    except FileNotFoundError:  # the folder went away since it was made: make it again
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.link(source, dest)
    except OSError:
        shutil.copyfile(source, dest)
