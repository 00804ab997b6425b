"""Source views: each YAML file a figure came from, as a plain HTML page with a link per line.

Why pages inside the site rather than links to a repository host: the site must work on
government intranets with no internet, the repository may be private, and a line anchor
(``#L12``) on a page we write works everywhere. What is internal (contact details, internal
activity records and evidence, see ``render.public.redaction_paths``) is blanked;
line numbers stay as in the file.
"""

from __future__ import annotations

import html

from generator.load.yamlsource import PathKey, Source
from generator.render.edition import Edition

REDACTED = "（不公开）"
"""What replaces an internal value on its first line."""

_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>{head}
<style>
body{{font-family:system-ui,-apple-system,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;
margin:0;color:#222}}
header{{padding:.8rem 1rem;background:#3f51b5;color:#fff}}
header a{{color:#fff}}
h1{{display:inline;font-size:1em;font-weight:400;margin:0}}
main{{padding:0 1rem 2rem}}
pre{{font:13px/1.6 ui-monospace,"Noto Sans Mono CJK SC",monospace;overflow-x:auto}}
.l{{display:block;padding-right:1rem}}
.l:target{{background:#fff3a8}}
.n{{display:inline-block;width:3.5em;margin-right:1em;color:#595959;text-align:right;text-decoration:none;
user-select:none}}
</style>
</head>
<body>{banner}
<header><a href="{home}">首页</a> · <h1>来源文件 <code>{file}</code></h1></header>
<main>
<p>本页逐行列出仓库文件 <code>{file}</code> 的内容，评价页面中的分数和事实链接到这里的对应行。{note}</p>
<pre>{lines}</pre>
</main>
</body>
</html>
"""


def redacted_lines(text: str, source: Source | None, hidden: list[PathKey]) -> list[str]:
    """The file's lines with the value at each hidden path blanked, up to its next sibling.

    The first line keeps its key (``phone:``) and shows REDACTED; the lines after it that
    belong to the value are emptied, so line numbers stay those of the file.
    """
    lines = text.splitlines()
    if source is None or not hidden:
        return lines
    marks = sorted(
        ((*pos, path) for table in (source.values, source.keys) for path, pos in table.items()),
        key=lambda m: (m[0], m[1]),
    )
    for path in hidden:
        if path not in source.values:
            continue
        line, col = source.values[path]
        after = (m for m in marks if (m[0], m[1]) > (line, col) and m[2][: len(path)] != path)
        end = next((m[0] for m in after), len(lines) + 1)
        lines[line - 1] = lines[line - 1][: col - 1] + REDACTED
        for k in range(line, min(end - 1, len(lines))):
            lines[k] = ""
    return lines


def source_page(
    rel: str,
    text: str,
    source: Source | None,
    *,
    home: str,
    hidden: list[PathKey],
    edition: Edition = Edition.PUBLIC,
) -> str:
    """The HTML page of one source file; ``home`` is the relative link to the site's home page."""
    lines = redacted_lines(text, source, hidden)
    body = "".join(
        f'<span class="l" id="L{n}"><a class="n" href="#L{n}">{n}</a>{html.escape(line)}\n</span>'
        for n, line in enumerate(lines, start=1)
    )
    note = "联系方式等内部信息已隐去。" if any(REDACTED in line for line in lines) else ""
    return _PAGE.format(
        title=html.escape(edition.titled(f"{rel} · 来源文件")),
        head=edition.head,
        banner=edition.banner,
        home=html.escape(home),
        file=html.escape(rel),
        note=note,
        lines=body,
    )


def source_target(rel: str) -> str:
    """Where the page of a repository file lands, relative to the docs root."""
    return f"source/{rel}.html"
