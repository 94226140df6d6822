"""Names the TUI accepts for places and values, in one place until the engine's location language lands.

:func:`add_breakpoint` is the one entry for breakpoint text: ``:break``, ``--break`` and the breakpoint
list's add box all call it, so they accept the same things (``:break tset`` is an opcode breakpoint).
:func:`resolve_value` finds the value that ``:inspect NAME`` opens.
"""

from __future__ import annotations

from avm.core.machine import Machine
from avm.core.opcodes import BY_NAME
from avm.core.values import Value
from avm.errors import UserError
from debugger.engine.breakpoints import Breakpoint, BreakpointManager

VALUE_NAMES = "register, static, errcp, pc, sN, aN, inbox N"


def add_breakpoint(manager: BreakpointManager, text: str, one_shot: bool = False) -> Breakpoint:
    """A breakpoint from ``break`` syntax; a bare opcode name (``tset [if ...]``) is an opcode breakpoint."""
    try:
        return manager.add(text, one_shot=one_shot)
    except UserError:
        head = text.strip().partition(" ")[0]
        if head.lower() not in BY_NAME:
            raise
        return manager.add(f"op {text.strip()}", one_shot=one_shot)


def resolve_value(m: Machine, name: str) -> Value:
    """The value called ``name`` (spaces ignored) in machine ``m``; UserError if there is none."""
    key = name.strip().replace(" ", "")
    try:
        if key == "register":
            return m.register
        if key == "static":
            return m.static
        if key in ("errcp", "err", "error"):
            return m.err_handler
        if key == "pc":
            return m.pc
        if key.startswith("inbox"):
            return m.inbox[int(key[5:] or m.inbox_count)]
        if key[:1] in ("s", "a") and key[1:].isdigit():
            items = m.stack if key[0] == "s" else m.aux
            return items[-1 - int(key[1:])]
    except (IndexError, ValueError):
        raise UserError(f"{name!r} does not exist at this step") from None
    raise UserError(f"nothing called {key!r} ({VALUE_NAMES})")
