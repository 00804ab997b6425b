"""``zwpj serve``'s server: mkdocs' live-reload server that also shows the last build's problems.

Every page it serves carries a banner listing what the last build left out and why (each error
as ``zwpj check`` prints it) or why the build failed; while no page could be built at all, every
address answers with that list. The terminal shows the same, but an evaluator editing in a
browser preview sees it where they look.
"""

from __future__ import annotations

import html
import re

from mkdocs.livereload import LiveReloadServer

from generator.build.publishable import LeftOut
from generator.diagnostics import format_text

STYLE = (
    "position:sticky;top:0;z-index:10;margin:0;padding:.8em 1.2em;max-height:40vh;overflow:auto;"
    "background:#fff4e5;color:#3d2400;border-bottom:3px solid #b42318;font:14px/1.6 sans-serif"
)


def banner(*, left_out: tuple[LeftOut, ...] = (), failure: str | None = None, built: bool = True) -> str:
    """The banner's HTML: what was left out and why, or why the build failed; empty when all is well."""
    if failure is None and not left_out:
        return ""
    parts = []
    if failure is not None:
        kept = "仍显示上一次生成的页面" if built else "没有可显示的页面"
        parts.append(f"<strong>预览生成失败（{kept}）</strong><pre>{html.escape(failure)}</pre>")
    if left_out:
        parts.append(f"<strong>{len(left_out)} 项有错误，未生成（修改保存后自动重新生成）：</strong>")
        for item in left_out:
            title = f"（{html.escape(item.title)}）" if item.title else ""
            errors = "\n".join(format_text(d) for d in item.errors)
            parts.append(f"<p>{html.escape(item.folder)}{title}</p><pre>{html.escape(errors)}</pre>")
    body = "".join(parts)
    return f'<div id="zwpj-preview-problems" role="alert" style="{STYLE}">{body}</div>'


class PreviewServer(LiveReloadServer):
    """Serves the preview with ``banner`` on every page; while nothing is built, the banner alone."""

    banner: str = ""
    """The current banner's HTML (empty when the last build had no problem)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.error_handler = self._not_found

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        content = super()._inject_js_into_html(content, epoch)
        if not self.banner:
            return content
        found = re.search(rb"<body[^>]*>", content)
        at = found.end() if found else 0
        return content[:at] + self.banner.encode("utf-8") + content[at:]

    def _not_found(self, code: int) -> bytes | None:
        if code != 404 or not self.banner:
            return None
        page = (
            f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>预览</title>{self.banner}</html>'
        )
        return page.encode("utf-8")
