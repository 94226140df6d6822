"""The TUI's entries into the engine's location language (:mod:`debugger.engine.locations`).

:func:`add_breakpoint` is the one entry for breakpoint text: ``:break``, ``--break`` and the breakpoint
list's add box all call it, so they accept the same things (``:break tset`` is an opcode breakpoint,
``L47`` the disassembler's name for instruction 47). :func:`resolve_value` finds the value that
``:inspect PLACE`` opens (``s1[2][0]``, ``errcp``, ``inbox 3``, ...).
"""

from __future__ import annotations

from avm.core.machine import Machine
from avm.core.values import Value
from debugger.engine.breakpoints import Breakpoint, BreakpointManager
from debugger.engine.locations import PLACE_HELP, parse_place

VALUE_NAMES = PLACE_HELP


def add_breakpoint(manager: BreakpointManager, text: str, one_shot: bool = False) -> Breakpoint:
    """A breakpoint from ``break`` syntax (see :meth:`BreakpointManager.add`)."""
    return manager.add(text, one_shot=one_shot)


def resolve_value(m: Machine, name: str) -> Value:
    """The value at place ``name`` in machine ``m``; UserError for bad text or an absent place."""
    return parse_place(name, m.program).value(m)
