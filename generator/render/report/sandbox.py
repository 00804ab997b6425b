"""The one Jinja environment a body's report templates run in: sandboxed, reading only template files.

A body's templates come in through a pull request, so they are treated as untrusted code:

- ``SandboxedEnvironment``: no ``__class__``, ``__globals__`` or other Python internals;
- ``TemplateLoader``: ``include``, ``import`` and ``extends`` find only the regular files inside the
  template roots that the load stage read (``load.templates``: a link out of ``templates/``, a pipe
  or a device is refused; ``..`` is refused by Jinja itself), of at most ``TEMPLATE_BYTES``;
- arithmetic that would build a huge number or string (``10**10**10``, ``"x" * 10**10``) is refused
  before it runs (Python could not be interrupted inside it);
- the output is streamed and cut at ``OUTPUT_CHARS``, and rendering is given ``seconds``
  (``time_limit``), so a loop over ``range`` inside a loop ends with an error instead of running on.
"""

from __future__ import annotations

import operator
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, Template, TemplateError, TemplateNotFound
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from generator.load.templates import TEMPLATE_BYTES, TemplateFiles
from generator.paths import TooLarge

OUTPUT_CHARS = 32 << 20
"""Most characters a template may produce (a real report's Markdown is well under 1 MB)."""
RESULT_ITEMS = 1 << 20
"""Most characters (or items) a ``*`` in a template may build."""
RESULT_BITS = 1 << 16
"""Most bits a ``*`` or ``**`` of two integers in a template may build."""


class TemplateRefused(TemplateError):
    """A template reached for a file, a size or a time it may not have."""


class TemplateLoader(BaseLoader):
    """Templates from the given folders, each taken from the loaded files only if it is a regular
    file inside its template root."""

    def __init__(self, search_path: Sequence[str], files: TemplateFiles) -> None:
        self.search_path = [Path(p) for p in search_path]
        self.files = files

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses ".." (TemplateNotFound)
        for folder in self.search_path:
            path = folder.joinpath(*pieces)
            if not self.files.exists(path):
                continue
            if not self.files.regular(path):
                raise TemplateRefused(
                    f"模板文件“{template}”是指向模板目录之外的链接或不是普通文件，不会被读取"
                    f"（template file '{template}' leads outside the templates or is not a regular file）"
                )
            try:
                text = self.files.read(path).decode("utf-8")
            except TooLarge:
                raise TemplateRefused(
                    f"模板文件“{template}”超过 {TEMPLATE_BYTES >> 20} MB（template file too large）"
                ) from None
            except UnicodeDecodeError:
                raise TemplateRefused(f"模板文件“{template}”不是 UTF-8 编码（not UTF-8）") from None
            return text, str(path), lambda: True  # loaded facts do not change
        raise TemplateNotFound(template)


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


class BoundedSandbox(SandboxedEnvironment):
    """The sandbox with ``*`` and ``**`` checked before they run."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        if op == "*":
            for seq, times in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(times, int) and size * times > RESULT_ITEMS:
                    raise SecurityError(f"“*”的结果过大（超过 {RESULT_ITEMS} 项）(result of * too large)")
            if _ints(left, right) and left.bit_length() + right.bit_length() > RESULT_BITS:
                raise SecurityError("“*”的结果过大 (result of * too large)")
            return operator.mul(left, right)
        if op == "**":
            if _ints(left, right) and right > 0 and max(left.bit_length(), 1) * right > RESULT_BITS:
                raise SecurityError("“**”的结果过大 (result of ** too large)")
            return operator.pow(left, right)
        return super().call_binop(context, op, left, right)


def _ints(left: Any, right: Any) -> bool:
    return isinstance(left, int) and isinstance(right, int)


def sandbox(search_path: Sequence[str], files: TemplateFiles, **options: Any) -> BoundedSandbox:
    """A bounded sandbox whose loader finds only the loaded template files (``files``).

    Constant folding is off: Jinja would otherwise compute ``10**10**10`` while compiling, before
    any check could run.
    """
    env = BoundedSandbox(loader=TemplateLoader(search_path, files), optimized=False, **options)
    return env


def render_bounded(template: Template, seconds: float, **values: Any) -> str:
    """The template's output, refused past OUTPUT_CHARS characters or ``seconds``."""
    parts: list[str] = []
    size = 0
    with time_limit(seconds):
        for chunk in template.generate(**values):
            size += len(chunk)
            if size > OUTPUT_CHARS:
                raise TemplateRefused(
                    f"模板生成的文字超过 {OUTPUT_CHARS >> 20} MB 字符（template output too large）"
                )
            parts.append(chunk)
    return "".join(parts)


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in the block after ``seconds`` of this process's CPU time (only in the
    main thread, where signals go). CPU time, not the clock: a busy machine must not turn a
    template that renders in time into an error."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
