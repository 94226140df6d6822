"""Pausing the cyclic garbage collector while a burst of long-lived objects is built.

Loading a large program allocates millions of objects (the JSON document, then the codepoints and
values) and none of them is cyclic garbage; with the collector on, its generations fill up again and
again and each full collection re-scans everything built so far (about half the load time of
``contract.mexe``). Reference counting still frees whatever is dropped meanwhile."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside the block; the collector's previous state comes back after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
