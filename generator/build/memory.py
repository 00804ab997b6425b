"""Memory of a long build: objects kept to the end are frozen out of the cycle collector's way.

A warm build loads tens of thousands of objects from the cache; Python's cycle collector would
scan the growing heap again and again while they are made. Between steps, what is no longer used
is collected and handed back to the system, so that workers forked later start from less.
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived() -> Iterator[None]:
    """For a block that loads many objects kept until the build ends (cache hits).

    Python's cycle collector would scan the growing heap again and again while they are made (in
    a warm build, about half its time); here it is paused, and what exists afterwards is frozen
    (``gc.freeze``), so later collections and forked workers leave it alone.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def release_memory() -> None:
    """Collect what is no longer used and hand freed memory back to the system.

    Called between steps, so that workers forked later start from a smaller parent. Frozen
    objects (``long_lived``) are thawed first, so dead ones among them are collected too.
    """
    gc.unfreeze()
    gc.collect()
    trim_memory()
    gc.freeze()


def trim_memory() -> None:
    """Hand the memory the C allocator holds free back to the system (glibc's ``malloc_trim``).

    Reading thousands of cache entries leaves freed buffers behind; without this they stay in
    the process, and the next large allocation comes on top of them.
    """
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass
