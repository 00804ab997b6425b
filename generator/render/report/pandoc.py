"""Running pandoc: the binary pypandoc-binary ships, always sandboxed, with a fixed clock."""

from __future__ import annotations

import functools
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

PINNED = "3.9"
"""The pandoc version reports are made with (pypandoc-binary 1.17); another one is recorded as is."""
READER = "markdown-smart-raw_html-raw_tex"
"""Input format: pandoc Markdown, with quotes left as written (Chinese text uses its own quotes), and
no raw HTML or TeX even if some text escaped the escaping: the only raw content is the template's
own ```` ```{=openxml} ```` and ```` ```{=html} ```` blocks (page breaks, the table of contents)."""
HEADINGS = Path(__file__).with_name("headings.lua")
"""Filter that closes jumps in heading levels (a level-1 section followed by a level-3 heading)."""


class ReportError(Exception):
    """The environment failed a report build (pandoc missing or failing, unwritable folder)."""


@dataclass(frozen=True)
class Pandoc:
    """A pandoc binary and its version."""

    path: str
    """Executable."""
    version: str
    """Version it reports, e.g. 3.9."""

    def run(self, args: list[str], text: str, *, epoch: int) -> bytes:
        """Convert ``text`` (Markdown on stdin) with ``--sandbox``; output goes where args say or to stdout.

        ``epoch`` becomes SOURCE_DATE_EPOCH so that the output carries no build-time timestamps.
        """
        cmd = [self.path, "--sandbox", "-f", READER, "--columns=1", f"--lua-filter={HEADINGS}", *args]
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
        try:
            done = subprocess.run(
                cmd, input=text.encode("utf-8"), capture_output=True, env=env, timeout=300, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ReportError(f"无法运行 pandoc（{self.path}）：{exc}") from exc
        if done.returncode != 0:
            raise ReportError(
                f"pandoc 转换失败（退出码 {done.returncode}）：{done.stderr.decode(errors='replace')}"
            )
        return done.stdout

    def data_file(self, name: str) -> bytes:
        """One of pandoc's built-in data files, e.g. reference.docx."""
        try:
            return subprocess.run(
                [self.path, "--print-default-data-file", name], capture_output=True, check=True, timeout=60
            ).stdout
        except (OSError, subprocess.SubprocessError) as exc:
            raise ReportError(f"无法从 pandoc 取得默认文件 {name}：{exc}") from exc


@functools.cache
def find_pandoc() -> Pandoc:
    """The pandoc of pypandoc-binary (or PANDOC / the PATH), with its version."""
    path = os.environ.get("PANDOC")
    if not path:
        try:
            import pypandoc

            path = pypandoc.get_pandoc_path()
        except (ImportError, OSError) as exc:
            raise ReportError("找不到 pandoc：请安装 pypandoc-binary（pip install -e .）") from exc
    try:
        out = subprocess.run(
            [path, "--version"], capture_output=True, text=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise ReportError(f"无法运行 pandoc（{path}）：{exc}") from exc
    found = re.match(r"pandoc\S*\s+(\S+)", out)
    return Pandoc(str(Path(path)), found.group(1) if found else "unknown")
