"""Breakpoint marks in the listing's gutter: which instruction has which kind of mark (decided here
from the session's breakpoints) and the one glyph table the listing draws them with."""

from __future__ import annotations

from enum import Enum

from avm.core.program import Program
from debugger.engine.breakpoints import BreakKind, BreakpointManager


class Mark(Enum):
    ON = "●"            # an enabled breakpoint
    CONDITIONAL = "◆"   # an enabled breakpoint with a condition
    OFF = "○"           # a disabled breakpoint
    COMPILED = "▲"      # a breakpoint compiled into the .mexe

    @property
    def active(self) -> bool:
        return self is not Mark.OFF


def breakpoint_marks(manager: BreakpointManager, program: Program) -> dict[int, Mark]:
    """Instruction index -> its mark; an unconditional enabled breakpoint wins over the others."""
    marks: dict[int, Mark] = {}
    for bp in manager.list():
        if bp.index is None or bp.kind is not BreakKind.INSTRUCTION:
            continue
        mark = Mark.OFF if not bp.enabled else (Mark.CONDITIONAL if bp.condition is not None else Mark.ON)
        if marks.get(bp.index) is not Mark.ON:
            marks[bp.index] = mark
    for index in program.compiled_breakpoints:
        marks.setdefault(index, Mark.COMPILED)
    return marks
