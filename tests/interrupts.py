"""A session command run in a worker thread and interrupted from the test's thread, as the TUI's Esc
does it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from debugger.engine.session import Stop


def interrupt_in_worker(session: Any, command: Callable[[], Stop], *,
                        ready: Callable[[], bool] = lambda: True, timeout: float = 30.0) -> Stop:
    """Start ``command`` in a worker thread; once ``ready()`` holds (or the command ended), interrupt it
    (again until it ends: a command drops an interrupt that came before it began) and return its stop.
    Fails when the command does not end within ``timeout`` seconds."""
    result: list[Stop] = []
    worker = threading.Thread(target=lambda: result.append(command()), daemon=True)
    worker.start()
    deadline = time.monotonic() + timeout
    while worker.is_alive() and not ready() and time.monotonic() < deadline:
        worker.join(0.005)
    while worker.is_alive() and time.monotonic() < deadline:
        session.interrupt()
        worker.join(0.01)
    assert not worker.is_alive(), f"the command did not end within {timeout} s of the interrupt"
    return result[0]
