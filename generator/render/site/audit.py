"""Checks of a built site: no request to an outside host, no broken link.

What counts as a *request* (something a browser fetches by itself when it shows a page):
``src``/``srcset``/``poster``/``data`` attributes, ``<link href>``, SVG ``<use>``/``<image>``
``href``, ``<form action>``, ``<meta http-equiv="refresh">``, ``url()`` and ``@import`` in CSS
(stylesheets, ``<style>`` and ``style=``), and any URL in script code. Namespace identifiers
(``xmlns``, ``http://www.w3.org/2000/svg`` in an inline SVG data URI) are names, not requests.

An ``<a href>`` to another host is a *navigation*, made only if a reader clicks it; it is allowed
only on links the content marks as leaving the site (``rel="external"``: evidence web pages and
links in evaluators' text), so no theme link to an outside site slips in unnoticed.

Script URLs that the theme only requests in situations this site never creates are listed in
``DORMANT_SCRIPT_URLS`` with the reason; any other URL in a script is a problem.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

DORMANT_SCRIPT_URLS = {
    "https://unpkg.com/resize-observer-polyfill": "浏览器缺少 ResizeObserver 时才加载；本站页首自带",
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "只在页面含 Mermaid 图时加载；本站不生成 Mermaid 图",
    "https://api.github.com/": "仓库信息，只在配置 repo_url 时请求；本站不配置 repo_url",
    "https://${": "GitLab 仓库信息，只在配置 repo_url 时请求；本站不配置 repo_url",
    "https://bit.ly/2s3ChXG": "搜索语法错误时控制台提示中的文字，不会被请求",
}
"""Outside URLs in the theme's scripts that are never requested on this site, with why."""

NAMESPACES = ("http://www.w3.org/",)
"""Namespace names (SVG, XLink, XHTML): identifiers, never fetched."""

_REQUEST_ATTRS = {"src", "srcset", "poster", "data", "action", "formaction", "background", "manifest"}
_URL_IN_CSS = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
_URL_IN_JS = re.compile(
    r"""https?://[A-Za-z0-9${][^\s"'`)<>\\]*|(?<=["'`])//[A-Za-z0-9-]+\.[A-Za-z][^\s"'`)<>\\]*"""
)
_LINE_COMMENT = re.compile(r"(?:^|(?<=\s))//[^\n]*")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


@dataclass(frozen=True, order=True)
class SiteProblem:
    """A problem in the built site."""

    file: str
    """File relative to the site folder."""
    kind: str
    """``outside-request``, ``outside-link``, ``script-link`` (javascript:) or ``broken-link``."""
    detail: str
    """The URL or link concerned."""


def is_outside(url: str) -> bool:
    """True for a URL on another host (a scheme other than data:/blob:, or protocol-relative)."""
    url = url.strip()
    if url.startswith("//"):
        return True
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return scheme is not None and scheme.group(1).lower() not in {"data", "blob", "about"}


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_RAW_TEXT = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(
    r"<([a-zA-Z][\w:-]*)((?:\s+[^\s\"'=<>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*/?>"
)
_ATTR = re.compile(r"([^\s\"'=<>/]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")


class _Page:
    """The ids, requests and links of one HTML file.

    A regular-expression tag scanner rather than ``html.parser``: the generated pages are
    well-formed, and a site of a few thousand pages is then checked in seconds, not a minute.
    """

    def __init__(self, text: str) -> None:
        self.ids: set[str] = set()
        self.requests: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.outside_links: list[str] = []
        self.unsafe: list[str] = []
        text = _COMMENT.sub("", text)
        for match in _RAW_TEXT.finditer(text):
            if match.group(1).lower() == "style":
                self.requests += [a or b for a, b in _URL_IN_CSS.findall(match.group(3))]
        for tag, attrs in _TAG.findall(_RAW_TEXT.sub(lambda m: f"<{m.group(1)}{m.group(2)}>", text)):
            values = {k.lower(): html.unescape(a or b or c) for k, a, b, c in _ATTR.findall(attrs)}
            self._tag(tag.lower(), values)

    def _tag(self, tag: str, values: dict[str, str]) -> None:
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for key, value in values.items():
            if key in _REQUEST_ATTRS:
                self.requests += (
                    [part.split()[0] for part in value.split(",") if part.strip()]
                    if key == "srcset"
                    else [value]
                )
            elif key == "style":
                self.requests += [a or b for a, b in _URL_IN_CSS.findall(value)]
        href = values.get("href") or values.get("xlink:href")
        for link in (href, values.get("src"), values.get("action")):
            if link and link.strip().lower().startswith(("javascript:", "vbscript:")):
                self.unsafe.append(link)
        if href is not None:
            if tag in {"link", "use", "image", "feimage"}:
                self.requests.append(href)
            navigation = not href.strip().lower().startswith(("mailto:", "tel:", "javascript:", "vbscript:"))
            if tag == "a" and is_outside(href) and navigation:
                if "external" not in values.get("rel", "").split():
                    self.outside_links.append(href)
            elif tag in {"a", "link"}:
                self.links.append((tag, href))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.requests.append(values.get("content", "").partition("url=")[2])


def script_urls(code: str) -> list[str]:
    """Outside URLs in script code (block comments, which hold licence notices, are skipped)."""
    code = _LINE_COMMENT.sub("", _BLOCK_COMMENT.sub("", code))
    return [u for u in _URL_IN_JS.findall(code) if not u.startswith(NAMESPACES)]


SEARCH_DATA = "zwpjSearch.load("
"""How every file of the search index begins (``build.search``): one call with JSON data."""


def _dormant(url: str) -> bool:
    return url.startswith(tuple(DORMANT_SCRIPT_URLS)) or url.startswith(NAMESPACES)


def audit_site(site: Path) -> list[SiteProblem]:
    """Every outside request, unmarked outside link and broken link in the site, sorted."""
    problems: list[SiteProblem] = []
    pages: dict[str, _Page] = {}
    files: set[str] = set()
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_file():
            files.add(rel)
        if path.suffix == ".html":
            page = _Page(path.read_text(encoding="utf-8", errors="replace"))
            pages[rel] = page
            problems += [SiteProblem(rel, "outside-request", u) for u in page.requests if is_outside(u)]
            problems += [SiteProblem(rel, "outside-link", u) for u in page.outside_links]
            problems += [SiteProblem(rel, "script-link", u) for u in page.unsafe]
        elif path.suffix == ".css":
            css = _BLOCK_COMMENT.sub("", path.read_text(encoding="utf-8", errors="replace"))
            problems += [
                SiteProblem(rel, "outside-request", a or b)
                for a, b in _URL_IN_CSS.findall(css)
                if is_outside(a or b)
            ]
        elif path.suffix in {".js", ".mjs"}:
            code = path.read_text(encoding="utf-8", errors="replace")
            if rel.startswith("search/") and code.startswith(SEARCH_DATA):
                continue  # the search index: page text as data (a web address in it is text, not a request)
            problems += [SiteProblem(rel, "outside-request", u) for u in script_urls(code) if not _dormant(u)]
    problems += _broken_links(files, pages)
    return sorted(set(problems))


def _broken_links(files: set[str], pages: dict[str, _Page]) -> list[SiteProblem]:
    """Relative links and requests whose file (or #anchor in an HTML file) does not exist.

    Paths (relative to the site) are resolved as strings against the list of files, not on the
    disk, link by link.
    """
    problems = []
    for rel, page in pages.items():
        folder = posixpath.dirname(rel)
        for url in [href for _, href in page.links] + page.requests:
            if not url or is_outside(url) or url.startswith(("mailto:", "tel:", "data:", "javascript:")):
                continue
            parts = urlsplit(url)
            path = unquote(parts.path)
            if not path:
                target = rel
            else:
                target = posixpath.normpath(
                    path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path)
                )
                index = posixpath.normpath(posixpath.join(target, "index.html"))  # "." is the site root
                if target not in files and index in files:
                    target = index
            if target not in files:
                problems.append(SiteProblem(rel, "broken-link", url))
            elif parts.fragment and target in pages and unquote(parts.fragment) not in pages[target].ids:
                problems.append(SiteProblem(rel, "broken-link", url))
    return problems
