"""One run at a time: the state machine behind every command that executes in the worker.

States: ``IDLE`` -> ``RUNNING`` (:meth:`RunController.begin`) -> ``STOPPING`` (:meth:`stop`, Esc or
quit) -> ``IDLE`` (:meth:`finish`, when the worker reached a final state). The run is never stopped by
cancelling its Textual worker (a worker cancelled before its thread starts never runs its body and never
reports back: the "stuck run" of the fuzz campaign); it is stopped through the session's interrupt
flag, which :meth:`tick` sends again while stopping, because the session clears that flag when a
command starts. The end of a run is learnt from the worker's final state, not from a callback made
by the body, so every run ends, whatever happened inside it. No Textual import here.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from debugger.engine.session import Session

MAX_QUEUED = 8   # commands typed during a run, run after it (Esc clears them)
# While a run is in progress the worker holds the GIL for this long before the UI thread may take it
# (CPython's default is 5 ms): fewer forced switches, and the UI still answers Esc well within 0.5 s.
RUN_SWITCH_INTERVAL = 0.05


class RunState(Enum):
    IDLE = "idle"
    RUNNING = "running"
    STOPPING = "stopping"


@dataclass
class Run:
    label: str
    fn: Callable[[], Any]
    then: Callable[[Any], None] | None = None
    started: float = field(default_factory=time.monotonic)
    start_steps: int = 0


class RunController:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.state = RunState.IDLE
        self.run: Run | None = None
        self.token: object | None = None        # the worker running ``run`` (whatever the UI uses)
        self.queue: list[tuple[str, str | None]] = []
        self.refused = 0                          # commands refused since the queue was last emptied
        self._body_done = threading.Event()
        self._body_done.set()
        self._shown = 0.0                          # when progress was last shown (monotonic)
        self._switch_interval: float | None = None  # the interpreter's own, while a run changed it

    @property
    def busy(self) -> bool:
        return self.state is not RunState.IDLE

    @property
    def stopping(self) -> bool:
        return self.state is RunState.STOPPING

    def begin(self, run: Run) -> None:
        if self.busy:
            raise RuntimeError("a run is already in progress")
        self.state = RunState.RUNNING
        self.run = run
        self._shown = run.started
        self._body_done.clear()
        if self._switch_interval is None:
            self._switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(max(self._switch_interval, RUN_SWITCH_INTERVAL))

    def _restore_switch_interval(self) -> None:
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
            self._switch_interval = None

    def progress_due(self, period: float) -> bool:
        """True at most once per ``period`` seconds of a run: time to show its progress again."""
        now = time.monotonic()
        if now - self._shown < period:
            return False
        self._shown = now
        return True

    def attach(self, token: object) -> None:
        """Remember the worker that runs the body (so that :meth:`finish` ignores any other)."""
        self.token = token

    def body(self) -> Any:
        """What the worker thread runs: the run's function, unless it was stopped before it began."""
        try:
            run = self.run
            if run is None or self.stopping:
                return None
            return run.fn()
        finally:
            self._body_done.set()

    def stop(self) -> None:
        """Ask the run to stop (Esc, quit); queued commands are dropped."""
        self.queue.clear()
        self.refused = 0
        if self.busy:
            self.state = RunState.STOPPING
            self.session.interrupt()

    def tick(self) -> None:
        """Called periodically while busy: repeat the interrupt until the run has stopped."""
        if self.stopping:
            self.session.interrupt()

    def finish(self, token: object) -> Run | None:
        """The worker ``token`` reached a final state: back to IDLE; the run that ended (None when
        ``token`` is not the current run's worker)."""
        if token is not self.token or not self.busy:
            return None
        run, self.run, self.token = self.run, None, None
        self.state = RunState.IDLE
        self._restore_switch_interval()
        return run

    def enqueue(self, command_id: str, args: str | None) -> bool:
        """Keep a command typed during the run for after it; False when the queue is full."""
        if len(self.queue) >= MAX_QUEUED:
            self.refused += 1
            return False
        self.queue.append((command_id, args))
        return True

    def next_queued(self) -> tuple[str, str | None] | None:
        if not self.queue or self.busy:
            self.refused = 0
            return None
        return self.queue.pop(0)

    def wait_stopped(self, timeout: float) -> bool:
        """Stop any run and wait up to ``timeout`` seconds for its body to return (quitting)."""
        deadline = time.monotonic() + timeout
        self.stop()
        while not self._body_done.wait(0.01):
            self.session.interrupt()
            if time.monotonic() >= deadline:
                return False
        self._restore_switch_interval()
        return True
