"""Run a machine until it ends (halt, error stop, an empty inbox) or a step limit: the one loop that
``avm-debug run``, ``avm-debug prove`` and the dispute timeline share."""

from __future__ import annotations

from avm.core.machine import Event, Machine, Status
from debugger.engine.history import History

CHUNK = 1_000_000              # steps per Machine.run call when no history is recorded
_BLOCKED = int(Event.BLOCKED)
STATUS_WORDS = {Status.HALTED: "halted", Status.ERRORSTOP: "errorstop"}


def run_to_end(machine: Machine, max_steps: int, history: History | None = None) -> str:
    """Run until ``machine.steps == max_steps`` or it stops; with ``history``, record checkpoints on
    the way. Returns the status word: ``halted``, ``errorstop``, ``blocked`` (the next instruction
    is ``inbox`` and no message is left) or ``running`` (the limit came first)."""
    blocked = False
    while machine.status == Status.EXTENSIVE and machine.steps < max_steps:
        end = min(history.due(), max_steps) if history is not None else min(machine.steps + CHUNK, max_steps)
        events = int(machine.run(end - machine.steps))
        if history is not None:
            history.extend(machine)
        if events & _BLOCKED:
            blocked = True
            break
    return STATUS_WORDS.get(Status(machine.status), "blocked" if blocked else "running")
