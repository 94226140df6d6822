"""Time travel over a recorded EVM run: step, step back, goto, continue and reverse-continue.

The whole run is recorded (``runner.MAX_STEPS`` bounds it), so every move is an index change: O(1)
for step/back/goto and O(distance) for a continue that searches for a stop, in either direction.
"""

from __future__ import annotations

from collections.abc import Callable

from debugger.evm.runner import EvmRun, EvmState, EvmStep


class EvmCursor:
    """A position ``0..end`` in a run: ``state`` is the machine before step ``position``."""

    def __init__(self, run: EvmRun) -> None:
        self.run = run
        self.position = 0

    @property
    def end(self) -> int:
        return len(self.run.steps)

    @property
    def state(self) -> EvmState:
        return self.run.states[self.position]

    @property
    def previous(self) -> EvmState | None:
        return self.run.states[self.position - 1] if self.position else None

    @property
    def next_step(self) -> EvmStep | None:
        """The instruction about to run (None at the end)."""
        return self.run.steps[self.position] if self.position < self.end else None

    @property
    def last_step(self) -> EvmStep | None:
        return self.run.steps[self.position - 1] if self.position else None

    @property
    def at_end(self) -> bool:
        return self.position >= self.end

    def goto(self, position: int) -> int:
        self.position = max(0, min(position, self.end))
        return self.position

    def step(self, n: int = 1) -> int:
        return self.goto(self.position + n)

    def back(self, n: int = 1) -> int:
        return self.goto(self.position - n)

    def continue_(self, stop: Callable[[EvmState], bool]) -> int:
        """Run at least one step, then stop before the first state where ``stop`` holds (or at the end)."""
        states = self.run.states
        for p in range(self.position + 1, self.end + 1):
            if stop(states[p]):
                return self.goto(p)
        return self.goto(self.end)

    def reverse_continue(self, stop: Callable[[EvmState], bool]) -> int:
        """Go back at least one step, to the latest earlier state where ``stop`` holds (or 0)."""
        states = self.run.states
        for p in range(self.position - 1, -1, -1):
            if stop(states[p]):
                return self.goto(p)
        return self.goto(0)
